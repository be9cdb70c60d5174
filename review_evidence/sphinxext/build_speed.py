"""Keep the cost of building the book linear in its size.

The benchmark's 3x and 10x builds (``scripts/benchmark.py --scales 1,3,10``) found two costs in
Sphinx and its extensions that grow faster than the book:

* **The sidebar.** On every page the theme asks Sphinx for the whole table of contents, resolves it
  and parses it with BeautifulSoup, so the sidebar costs pages x pages: 0.6 s for this book's 22
  pages, 19 s for 139. In a flat table of contents (parts holding chapters, no nested pages), the
  sidebar of two pages in the same folder differs only in which entry is marked current. So the
  sidebar is generated once per folder and the current mark is moved. Whenever the sidebar is not of
  that simple shape, the theme's own function runs, so the output is never different, only faster
  (and where a flat sidebar was not in the expected shape, the build warns: the theme has changed);
  ``tests/test_html.py`` checks every page's sidebar marks that page, and only it.
* **Citation styles.** sphinxcontrib-bibtex looks its pybtex style plugins up for every citation,
  and each look-up scans every installed package's entry points (~10 ms): 1.3 s at 1x, 13 s at 10x.
  The installed packages do not change during a build, so the look-up is remembered.
"""

from __future__ import annotations

import posixpath
from functools import cache

from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

logger = logging.getLogger(__name__)

CURRENT_ITEM = '<li class="toctree-l1 current active"><a class="current reference internal" href="#">'
ITEM = '<li class="toctree-l1"><a class="reference internal" href="{href}">'
CURRENT_LIST = '<ul class="current nav bd-sidenav">'
LIST = '<ul class="nav bd-sidenav">'


def move_current_mark(sidebar: str, was_current_href: str | None, now_current_href: str) -> str | None:
    """The flat sidebar ``sidebar`` with its current mark moved to the entry linking ``now_current_href``.

    ``was_current_href`` is how the page marked current in ``sidebar`` is linked from the folder (None
    when no page is marked). Returns None when the sidebar is not a flat list of the expected shape,
    so that the caller falls back to generating it.
    """
    if "toctree-l2" in sidebar or "<details" in sidebar:
        return None
    marked = 0 if was_current_href is None else 1
    if sidebar.count(CURRENT_ITEM) != marked or sidebar.count(CURRENT_LIST) != marked:
        return None
    if marked:
        sidebar = sidebar.replace(CURRENT_ITEM, ITEM.format(href=was_current_href)).replace(CURRENT_LIST, LIST)
    item = ITEM.format(href=now_current_href)
    if sidebar.count(item) != 1:
        return None
    position = sidebar.index(item)
    list_start = sidebar.rfind(LIST, 0, position)
    if list_start < 0 or sidebar.find("</ul>", list_start, position) >= 0:
        return None
    return (
        sidebar[:list_start]
        + CURRENT_LIST
        + sidebar[list_start + len(LIST) : position]
        + CURRENT_ITEM
        + sidebar[position + len(item) :]
    )


def _share_sidebar(app: Sphinx, pagename: str, context: dict) -> None:
    generate = context.get("generate_toctree_html")
    if generate is None or not hasattr(app.builder, "get_target_uri"):
        return
    shared: dict = app.builder.__dict__.setdefault("_review_shared_sidebars", {})
    target = app.builder.get_target_uri

    @cache
    def generate_toctree_html(kind: str, startdepth: int = 1, show_nav_level: int = 1, **kwargs):
        if kind != "sidebar" or startdepth != 0:
            return generate(kind, startdepth, show_nav_level, **kwargs)
        key = (posixpath.dirname(pagename), show_nav_level, tuple(sorted(kwargs.items())))
        unshared = False
        if key in shared:
            first_page, first_in_toc, sidebar = shared[key]
            moved = move_current_mark(
                sidebar,
                relative_uri(target(pagename), target(first_page)) if first_in_toc else None,
                relative_uri(target(first_page), target(pagename)),
            )
            if moved is not None:
                return moved
            unshared = "toctree-l2" not in sidebar and "<details" not in sidebar  # flat, so it should have moved
        sidebar = str(generate(kind, startdepth, show_nav_level, **kwargs))
        if unshared and "current" in sidebar:  # the page is in the sidebar, yet its mark could not be moved
            _warn_once(
                app,
                "build_speed: the theme's sidebar HTML is not in the shape this extension shares between "
                "pages; each page now builds its own (same output, slower). Has the theme changed?",
            )
        if key not in shared:
            shared[key] = (pagename, CURRENT_ITEM in sidebar, sidebar)
        return sidebar

    context["generate_toctree_html"] = generate_toctree_html


def _warn_once(app: Sphinx, message: str) -> None:
    warned: set = app.builder.__dict__.setdefault("_review_build_speed_warnings", set())
    if message not in warned:
        warned.add(message)
        logger.warning(message, type="build_speed")


def _wrap_theme_toctree_functions(app: Sphinx) -> None:
    """Share the sidebar from the moment the theme defines its function.

    The theme's next html-page-context handler already renders the sidebar (to drop empty sidebar
    templates), so wrapping it in a later handler would come too late, and an earlier one would be
    overwritten. The theme's own handler is therefore wrapped. If the theme changes and the handler is
    not found, nothing is wrapped, the theme's own (slower, identical) sidebar is built, and the build
    warns (an error under -W).
    """
    listeners = app.events.listeners["html-page-context"]
    for position, listener in enumerate(listeners):
        handler = listener.handler
        if getattr(handler, "__qualname__", "") == "add_toctree_functions" and not getattr(
            handler, "_review_wrapped", False
        ):

            def add_toctree_functions(app, pagename, templatename, context, doctree, _theme=handler):
                result = _theme(app, pagename, templatename, context, doctree)
                _share_sidebar(app, pagename, context)
                return result

            add_toctree_functions._review_wrapped = True
            listeners[position] = listener._replace(handler=add_toctree_functions)
            return
    if any(getattr(listener.handler, "__module__", "").startswith("pydata_sphinx_theme") for listener in listeners):
        _warn_once(
            app,
            "build_speed: pydata-sphinx-theme no longer defines its sidebar in add_toctree_functions; "
            "the sidebar is built by the theme on every page (same output, slower). Has the theme changed?",
        )


def _remember_plugin_lookups() -> None:
    import pybtex.plugin

    if getattr(pybtex.plugin.entry_points, "_review_cached", False):
        return
    look_up = pybtex.plugin.entry_points

    @cache
    def cached(group: str, name: str) -> tuple:
        return tuple(look_up(group=group, name=name))

    def entry_points(*, group: str, name: str) -> tuple:
        return cached(group, name)

    entry_points._review_cached = True
    pybtex.plugin.entry_points = entry_points


def setup(app: Sphinx) -> dict:
    _remember_plugin_lookups()
    app.connect("builder-inited", _wrap_theme_toctree_functions)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
