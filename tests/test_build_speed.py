"""The sidebar shared across a folder's pages (review_evidence.sphinxext.build_speed)."""

from conftest import build_small_sphinx

from review_evidence.sphinxext.build_speed import CURRENT_ITEM, CURRENT_LIST, move_current_mark

SIDEBAR = """<p class="caption">Part A</p>
<ul class="nav bd-sidenav">
<li class="toctree-l1"><a class="reference internal" href="one.html">One</a></li>
</ul>
<p class="caption">Part B</p>
<ul class="current nav bd-sidenav">
<li class="toctree-l1 current active"><a class="current reference internal" href="#">Two</a></li>
<li class="toctree-l1"><a class="reference internal" href="../book/three.html">Three</a></li>
</ul>"""


def test_the_mark_moves_to_a_page_in_another_part():
    moved = move_current_mark(SIDEBAR, "two.html", "one.html")
    assert (
        moved
        == """<p class="caption">Part A</p>
<ul class="current nav bd-sidenav">
<li class="toctree-l1 current active"><a class="current reference internal" href="#">One</a></li>
</ul>
<p class="caption">Part B</p>
<ul class="nav bd-sidenav">
<li class="toctree-l1"><a class="reference internal" href="two.html">Two</a></li>
<li class="toctree-l1"><a class="reference internal" href="../book/three.html">Three</a></li>
</ul>"""
    )


def test_moving_the_mark_back_gives_the_original():
    there = move_current_mark(SIDEBAR, "two.html", "../book/three.html")
    assert there.count(CURRENT_ITEM) == 1 and there.count(CURRENT_LIST) == 1
    assert move_current_mark(there, "../book/three.html", "two.html") == SIDEBAR


def test_a_sidebar_with_no_mark_gains_one():
    unmarked = (
        move_current_mark(SIDEBAR, "two.html", "one.html")
        .replace(CURRENT_ITEM, '<li class="toctree-l1"><a class="reference internal" href="one.html">')
        .replace(CURRENT_LIST, '<ul class="nav bd-sidenav">')
    )
    assert move_current_mark(unmarked, None, "two.html") == SIDEBAR


def test_shapes_it_cannot_handle_fall_back_to_the_theme():
    assert move_current_mark(SIDEBAR, "two.html", "missing.html") is None  # page not in the sidebar
    assert move_current_mark(SIDEBAR, None, "one.html") is None  # a mark it was not told about
    assert move_current_mark(SIDEBAR.replace('toctree-l1"><a', 'toctree-l2"><a', 1), "two.html", "one.html") is None
    assert move_current_mark(SIDEBAR + "<details><summary>x</summary></details>", "two.html", "one.html") is None
    doubled = (
        SIDEBAR
        + '\n<ul class="nav bd-sidenav"><li class="toctree-l1"><a class="reference internal" href="one.html">One</a></li></ul>'
    )
    assert move_current_mark(doubled, "two.html", "one.html") is None  # linked twice: which one?


def test_the_theme_still_has_the_handler_that_is_wrapped():
    # If a theme upgrade renames it, the sidebar silently goes back to costing pages x pages.
    from pydata_sphinx_theme import toctree

    assert toctree.add_toctree_functions.__qualname__ == "add_toctree_functions"


def test_with_the_installed_theme_the_sidebar_is_shared_and_nothing_warns(tmp_path):
    """A theme upgrade that renames its sidebar function or changes the sidebar's HTML fails here:
    the extension would fall back to the theme's slower sidebar, and warn."""
    pages = {"index": "Home\n====\n\n.. toctree::\n   :caption: Part\n\n   one\n   two\n   three\n"}
    pages |= {name: f"{name.title()}\n=====\n\nText.\n" for name in ("one", "two", "three")}
    app, warnings = build_small_sphinx(
        tmp_path,
        pages,
        {"extensions": ["review_evidence.sphinxext.build_speed"], "html_theme": "sphinx_book_theme"},
    )
    ours = [line for line in warnings.splitlines() if "build_speed" in line]
    assert not ours, ours
    assert app.builder.__dict__.get("_review_shared_sidebars"), "the theme's sidebar function was never wrapped"
    for name in ("one", "two", "three"):  # each page's shared sidebar marks that page, and only it
        html = (tmp_path / "html" / f"{name}.html").read_text(encoding="utf-8")
        assert html.count(CURRENT_ITEM) == 1, name
        assert f'href="#">{name.title()}</a>' in html, name
