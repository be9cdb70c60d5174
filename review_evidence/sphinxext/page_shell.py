"""The page around the content: navigation that opens at every width, search summaries, sitemap.

* **Navigation.** ``static/review-book.js`` makes the visible sidebar buttons work under
  pydata-sphinx-theme 0.17.1 and sphinx-book-theme 1.3.0 (see the script for why a script and not a
  theme upgrade).
* **Search.** ``static/search-summary.js`` takes each hit's summary from the article, not from the
  toolbar that starts the page's main element.
* **Sitemap.** sphinx-sitemap needs the site's public address, which a local or offline build does
  not have (it would warn, an error under ``-W``). It is switched on only when ``html.baseurl`` is set
  in ``_config.yml``. Open Graph's ``og:url`` then uses the same address.

The favicon, the meta description and the Open Graph tags are configured in ``_config.yml``
(``html.favicon``, sphinxext-opengraph).
"""

from __future__ import annotations

import html
from pathlib import Path

from markupsafe import Markup
from sphinx.application import Sphinx

STATIC = Path(__file__).parent / "static"
NAVIGATION_SCRIPT = "review-book.js"
SEARCH_SCRIPT = "search-summary.js"
GENERATED_TITLES = {"search": "Search", "genindex": "Index"}


def use_static_files(app: Sphinx, config) -> None:
    if str(STATIC) not in map(str, config.html_static_path):
        config.html_static_path.append(str(STATIC))


def use_site_address(app: Sphinx, config) -> None:
    # Jupyter Book sets the book's title as html_title and leaves `project` at its placeholder.
    if "ogp_site_name" in config and config.ogp_site_name is None and config.html_title:
        config.ogp_site_name = config.html_title
    if not config.html_baseurl:
        return
    app.setup_extension("sphinx_sitemap")
    # The book has one language and one version; sphinx-sitemap would otherwise put "en/" in every address.
    if config.sitemap_url_scheme == "{lang}{version}{link}":
        config.sitemap_url_scheme = "{link}"
    if "ogp_site_url" in config and not config.ogp_site_url:
        config.ogp_site_url = config.html_baseurl


def add_search_summary(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    # Deferred: it must run after searchtools.js, which the search template loads after these files.
    if app.builder.format == "html" and pagename == "search":
        app.add_js_file(SEARCH_SCRIPT, loading_method="defer")


def describe_generated_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Pages Sphinx generates (search, index) have no text for sphinxext-opengraph to describe them by."""
    if app.builder.format != "html" or doctree is not None or 'name="description"' in context.get("metatags", ""):
        return
    # Their templates set the title only when they render, after this event.
    title = GENERATED_TITLES.get(pagename) or Markup(str(context.get("title") or pagename)).striptags()
    description = f"{title}: {app.config.html_title}" if app.config.html_title else title
    context["metatags"] = (
        context.get("metatags", "") + f'\n<meta name="description" content="{html.escape(description, quote=True)}" />'
    )


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", use_static_files)
    app.connect("config-inited", use_site_address)
    app.add_js_file(NAVIGATION_SCRIPT)
    app.connect("html-page-context", add_search_summary)
    app.connect("html-page-context", describe_generated_page, priority=600)  # after sphinxext-opengraph
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
