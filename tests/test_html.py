"""Static checks on the built HTML (no browser): it reads offline, and its images speak to screen readers.

Every page of the build is checked, so a new chapter is covered as soon as it is in the table of contents.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from review_evidence.sphinxext.offline import BUNDLE_NAME, expected_versions

#: Attributes through which a page makes the browser fetch something.
LOADING_ATTRIBUTES = {
    "script": ["src"],
    "link": ["href"],
    "img": ["src", "srcset"],
    "iframe": ["src"],
    "source": ["src", "srcset"],
    "video": ["src", "poster"],
    "audio": ["src"],
    "embed": ["src"],
    "object": ["data"],
    "input": ["src"],
}
CSS_REMOTE = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])\s*((?:https?:)?//[^'")\s]+)""", re.IGNORECASE)
#: LaTeX left as text, e.g. "$\beta_1$": the book has no MathJax, so math would show raw.
RAW_LATEX = re.compile(r"\$[^$\s][^$]*?(?:\\[A-Za-z]+|\^|_\{)[^$]*?\$")


def _soup(built_book, page: str) -> BeautifulSoup:
    return BeautifulSoup((built_book / page).read_text(encoding="utf-8"), "html.parser")


def _is_remote(url: str) -> bool:
    return any(bool(urlsplit(part.strip().split(" ")[0]).netloc) for part in url.split(",") if part.strip())


def _has_chart(html: str) -> bool:
    return "vegaEmbed(" in html


def test_no_page_loads_anything_from_another_host(built_book, book_page):
    soup = _soup(built_book, book_page)
    remote = [
        f"<{tag.name} {attribute}={tag[attribute]!r}>"
        for tag_name, attributes in LOADING_ATTRIBUTES.items()
        for tag in soup.find_all(tag_name)
        for attribute in attributes
        if tag.get(attribute) and _is_remote(tag[attribute])
    ]
    for style in soup.find_all("style"):
        remote += [f"<style> {url}" for url in CSS_REMOTE.findall(style.get_text())]
    for tag in soup.find_all(style=True):
        remote += [f"<{tag.name} style=...> {url}" for url in CSS_REMOTE.findall(tag["style"])]
    assert not remote, f"{book_page} would fetch from another host (it must read offline): {remote}"


def test_no_stylesheet_or_font_comes_from_another_host(built_book):
    remote = {
        css.relative_to(built_book).as_posix(): CSS_REMOTE.findall(css.read_text(encoding="utf-8", errors="replace"))
        for css in built_book.rglob("*.css")
    }
    remote = {name: urls for name, urls in remote.items() if urls}
    assert not remote, f"stylesheets that load fonts or styles from another host: {remote}"


def test_no_page_loads_thebe_or_mathjax(built_book, book_page):
    html = (built_book / book_page).read_text(encoding="utf-8")
    for needle in ("thebe", "mathjax.js", "tex-mml-chtml", "tex-chtml", "tex-svg"):
        assert needle not in html.lower(), f"{book_page} still loads or configures {needle!r}"


def test_the_vega_bundle_declares_the_versions_altair_checks(built_book):
    bundle = built_book / "_static" / BUNDLE_NAME
    assert bundle.is_file(), f"{bundle} is missing: is review_evidence.sphinxext.offline in _config.yml?"
    head = bundle.read_text(encoding="utf-8")[:2000]
    declared = re.search(r"window\.VEGA_DEBUG = Object\.assign\(window\.VEGA_DEBUG \|\| \{\}, (\{.*?\})\);", head)
    assert declared, "the bundle does not set window.VEGA_DEBUG before the libraries"
    assert json.loads(declared.group(1)) == expected_versions()


def test_each_page_with_a_chart_loads_the_local_bundle_exactly_once(built_book, book_page):
    html = (built_book / book_page).read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    loads = [
        s["src"]
        for s in soup.find_all("script", src=True)
        if urlsplit(s["src"]).path.endswith(f"_static/{BUNDLE_NAME}")
    ]
    if _has_chart(html):
        assert len(loads) == 1, f"{book_page} has charts but loads {BUNDLE_NAME} {len(loads)} times"
        head_scripts = soup.head.find_all("script")
        bundle_at = next((i for i, s in enumerate(head_scripts) if BUNDLE_NAME in s.get("src", "")), None)
        assert bundle_at is not None and head_scripts[bundle_at].has_attr("async"), (
            "the bundle must load async in <head>, so that the page paints without waiting for it"
        )
        queue_at = next(
            (i for i, s in enumerate(head_scripts) if not s.get("src") and "vegaEmbedQueued" in s.get_text()), None
        )
        assert queue_at is not None and queue_at < bundle_at, (
            "an inline script in <head>, before the bundle, must queue the charts' vegaEmbed calls until the bundle runs"
        )
        declared = re.search(
            r"Object\.assign\(window\.VEGA_DEBUG \|\| \{\}, (\{.*?\})\)", head_scripts[queue_at].get_text()
        )
        assert declared and json.loads(declared.group(1)) == expected_versions(), (
            "the inline script must declare the versions Altair checks, or Altair's code asks the CDN"
        )
        requirejs = [s["src"] for s in soup.find_all("script", src=True) if "require" in s["src"].lower()]
        assert not requirejs, f"require.js sends Altair's charts to the CDN: {requirejs}"
    else:
        assert not loads, f"{book_page} has no chart but loads the {BUNDLE_NAME} (900 kB) anyway"


def test_every_image_has_alt_text(built_book, book_page):
    soup = _soup(built_book, book_page)
    missing = [img.get("src", "?") for img in soup.find_all("img") if not (img.get("alt") or "").strip()]
    assert not missing, f"{book_page}: images without alt text (add mystnb.image.alt to the cell): {missing}"


def test_every_figure_has_an_image_and_a_caption(built_book, book_page):
    soup = _soup(built_book, book_page)
    problems = []
    for figure in soup.select("figure"):
        name = figure.get("id") or figure.get_text(" ", strip=True)[:60]
        caption = figure.find("figcaption")
        if caption is None or not caption.get_text(strip=True):
            problems.append(f"{name}: no caption")
        if not figure.find(["img", "svg", "canvas"]) and not figure.select("div[id^='altair-viz-']"):
            text = figure.get_text(" ", strip=True)[:80]
            problems.append(f"{name}: no image, only text ({text!r}): did the cell's output lose its image/png?")
    assert not problems, f"{book_page}: {problems}"


def test_no_latex_is_left_as_raw_text(built_book, book_page):
    soup = _soup(built_book, book_page)
    article = soup.find("article") or soup
    for tag in article.find_all(["pre", "code", "script", "style"]):
        tag.decompose()
    raw = RAW_LATEX.findall(article.get_text(" "))
    assert not raw, (
        f"{book_page} shows LaTeX as text {raw[:3]}: the book renders no math offline, so write "
        "formulas in words or Unicode (β₁, r², √n)"
    )


@pytest.mark.parametrize("required", ["index.html", "search.html", "genindex.html"])
def test_the_book_has_its_standard_pages(built_book, required):
    assert (built_book / required).is_file(), f"{required} is missing from the build"


def test_every_local_link_and_asset_exists(built_book, book_page):
    """Offline, a missing file cannot be fetched from anywhere else: downloads, images, scripts and links."""
    soup = _soup(built_book, book_page)
    page_dir = (built_book / book_page).parent
    missing = []
    for tag, attribute in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"), ("source", "src")):
        for element in soup.find_all(tag):
            url = urlsplit(element.get(attribute) or "")
            if url.scheme or url.netloc or not url.path:
                continue  # another host (checked above), mailto:, data:, javascript:, or a same-page anchor
            target = (page_dir / url.path).resolve()
            if not (target.is_file() or (target / "index.html").is_file()):
                missing.append(f"<{tag} {attribute}={element.get(attribute)!r}>")
    assert not missing, f"{book_page} points to files that are not in the build: {sorted(set(missing))}"


def test_every_chapter_links_the_glossary(built_book):
    chapters = sorted((built_book / "notebooks").glob("*.html"))
    assert chapters, "no chapter pages under notebooks/ in the build"
    silent = [c.name for c in chapters if "glossary.html#term-" not in c.read_text(encoding="utf-8")]
    assert not silent, f"chapters that never link a glossary term with {{term}}: {silent}"


def test_each_page_sidebar_marks_that_page_and_no_other(built_book, book_page):
    # The sidebar is generated once per folder and its current mark moved (review_evidence.sphinxext.build_speed):
    # every page must still mark itself, and only itself, as it would with the theme's own function.
    soup = _soup(built_book, book_page)
    sidebar = soup.select_one("nav.bd-docs-nav")
    if sidebar is None:
        assert book_page == "index.html", (
            f"{book_page} has no sidebar navigation"
        )  # only the redirect to the preface has none
        return
    page = (built_book / book_page).resolve()

    def target(a) -> Path:
        return page if a["href"] == "#" else (page.parent / a["href"].split("#")[0]).resolve()

    marked = sidebar.select("li.current")
    if book_page in {"index.html", "genindex.html", "search.html"}:  # not in the table of contents
        assert marked == [], f"{book_page} is not in the table of contents, yet its sidebar marks {marked}"
        return
    assert len(marked) == 1, f"{book_page}: the sidebar marks {len(marked)} entries as current"
    assert target(marked[0].find("a")) == page, f"{book_page}: the sidebar marks {marked[0].find('a')['href']}"
    unmarked_links = [target(a) for a in sidebar.select("li:not(.current) > a[href]")]
    assert page not in unmarked_links, f"{book_page}: the sidebar also lists the page as another page"
