"""Unit tests for the page shell extension (review_evidence/sphinxext/page_shell.py) on a two-page Sphinx project.

The built book itself is checked in test_html.py (tags) and test_browser.py (navigation, search).
"""

from __future__ import annotations

import multiprocessing

import pytest
import sphinx_sitemap
from conftest import build_small_sphinx

from review_evidence.sphinxext import page_shell


@pytest.fixture(autouse=True)
def sitemap_managers_shut_down(monkeypatch):
    """sphinx-sitemap forks a multiprocessing Manager server per build and never stops it; in this
    process (a pytest worker) the forked server would outlive the test, holding the worker's pipes.
    The managers are the real ones, recorded and shut down after each test."""
    started = []

    def manager():
        started.append(multiprocessing.Manager())
        return started[-1]

    monkeypatch.setattr(sphinx_sitemap, "Manager", manager)
    yield
    for each in started:
        each.shutdown()


def _build(tmp_path, **config):
    overrides = {
        "extensions": ["sphinxext.opengraph", "review_evidence.sphinxext.page_shell"],
        "html_title": "A book",
        "ogp_social_cards": {"enable": False},
        **config,
    }
    pages = {
        "index": "Home\n====\n\nA first paragraph that describes the home page.\n\n.. toctree::\n\n   other\n",
        "other": "Other\n=====\n\nThe other page, described by this sentence.\n",
    }
    _, warnings = build_small_sphinx(tmp_path, pages, overrides)
    # A second Sphinx in one process re-registers docutils' node classes; that notice is not about the project.
    return tmp_path / "html", "".join(
        line for line in warnings.splitlines(keepends=True) if "is already registered" not in line
    )


def test_without_a_base_url_there_is_no_sitemap_and_no_warning(tmp_path):
    html, warnings = _build(tmp_path)
    assert not (html / "sitemap.xml").exists()
    assert warnings == ""
    page = (html / "other.html").read_text(encoding="utf-8")
    assert '<meta name="description" content="The other page, described by this sentence." />' in page
    assert '<meta property="og:site_name" content="A book" />' in page
    assert page_shell.NAVIGATION_SCRIPT in page and (html / "_static" / page_shell.NAVIGATION_SCRIPT).is_file()


def test_with_a_base_url_the_sitemap_lists_every_page_and_og_url_is_absolute(tmp_path):
    html, warnings = _build(tmp_path, html_baseurl="https://example.org/book/")
    assert warnings == ""
    sitemap = (html / "sitemap.xml").read_text(encoding="utf-8")
    for page in ("index.html", "other.html"):
        assert f"https://example.org/book/{page}" in sitemap
    assert '<meta property="og:url" content="https://example.org/book/other.html" />' in (
        html / "other.html"
    ).read_text(encoding="utf-8")


def test_generated_pages_get_a_description_and_it_is_escaped(tmp_path):
    html, _ = _build(tmp_path, html_title='A <book> & "more"')
    search = (html / "search.html").read_text(encoding="utf-8")
    assert '<meta name="description" content="Search: A &lt;book&gt; &amp; &quot;more&quot;" />' in search
    assert page_shell.SEARCH_SCRIPT in search
    assert page_shell.SEARCH_SCRIPT not in (html / "other.html").read_text(encoding="utf-8")
