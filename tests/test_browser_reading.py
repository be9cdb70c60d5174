"""Each chapter reads in at most 20 screens on a desktop, with its folds closed (issue 13, "answer first").

Measured in Debian's Chromium at 1366×900, the way a reader first sees the page: every chart drawn,
every fold (hidden code, long tables, solutions) closed. The limit holds for the book's chapters:
the executable chapters, the preface and the take-aways. The glossary and the bibliography are
reference lists that a reader searches rather than reads, and are not held to it.

Without Chromium or Playwright these tests skip with the reason, unless REQUIRE_BROWSER=1.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from test_browser import CHART_SELECTOR, CHART_TIMEOUT_MS, CHROMIUM, CHROMIUM_ARGS, _unavailable

VIEWPORT = {"width": 1366, "height": 900}
MAX_SCREENS = 20
#: Reference pages, looked things up in rather than read through.
NOT_CHAPTERS = {
    "book/glossary.html",
    "book/bibliography.html",
    "book/execution.html",
    "genindex.html",
    "search.html",
    "index.html",
}
CHARTS_DRAWN_JS = f"""() => [...document.querySelectorAll("{CHART_SELECTOR}")].every(c => c.querySelector("svg"))"""


def _chapters(book_pages: list[str]) -> list[str]:
    return [p for p in book_pages if p not in NOT_CHAPTERS]


@pytest.fixture(scope="module")
def in_browser():
    """Runs a function with a fresh 1366×900 browser page, in its own thread.

    Playwright's sync API refuses to start while another sync session (test_browser.py's, kept for
    the whole test session) owns this thread's event loop; a worker thread has a loop of its own.
    """
    if not CHROMIUM.exists():
        _unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("the playwright Python package is not installed (pip install -r requirements.txt)")

    def run(task):
        def work():
            from playwright.sync_api import sync_playwright

            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                try:
                    context = browser.new_context(viewport=VIEWPORT, service_workers="block")
                    return task(context)
                finally:
                    browser.close()

        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(work).result()

    return run


def screens(context, url: str) -> float:
    """How many 900-px screens the page at ``url`` is tall, once its charts are drawn."""
    page = context.new_page()
    try:
        page.goto(url, wait_until="load")
        page.wait_for_function(CHARTS_DRAWN_JS, timeout=CHART_TIMEOUT_MS)
        height = page.evaluate("document.documentElement.scrollHeight")
        return height / VIEWPORT["height"]
    finally:
        page.close()


def test_every_chapter_fits_in_twenty_screens(in_browser, book_server, built_book):
    from conftest import book_pages

    chapters = _chapters(book_pages(built_book))
    assert any(c.startswith("notebooks/") for c in chapters), f"no executable chapter found in {built_book}"
    lengths = in_browser(lambda context: {c: screens(context, book_server + c) for c in chapters})
    too_long = {c: round(n, 1) for c, n in lengths.items() if n > MAX_SCREENS}
    assert not too_long, (
        f"chapters longer than {MAX_SCREENS} screens at {VIEWPORT['width']}×{VIEWPORT['height']} with folds closed: "
        f"{too_long}. Fold drawing code (hide-input), long tables (hide-output) or detail sections (a dropdown)."
    )


def test_the_measure_sees_a_long_page(in_browser, tmp_path):
    """The measure itself can fail: a page of 30 screens is reported as 30, not capped by the viewport."""
    page = tmp_path / "long.html"
    page.write_text(
        f'<!doctype html><html><body style="margin:0"><div style="height:{30 * VIEWPORT["height"]}px">'
        "</div></body></html>",
        encoding="utf-8",
    )
    assert in_browser(lambda context: screens(context, page.as_uri())) == pytest.approx(30, abs=0.05)


def test_folds_are_closed_when_a_page_opens(in_browser, book_server, built_book):
    """Folded code and tables start closed; opened, the longest chapter grows (so the folds hold content)."""

    def heights(context):
        page = context.new_page()
        try:
            page.goto(book_server + "notebooks/statistical_audit.html", wait_until="load")
            page.wait_for_function(CHARTS_DRAWN_JS, timeout=CHART_TIMEOUT_MS)
            folds = page.locator("details.hide").count()
            all_closed = page.evaluate("[...document.querySelectorAll('details.hide')].every(d => !d.open)")
            closed = page.evaluate("document.documentElement.scrollHeight")
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            return folds, all_closed, closed, page.evaluate("document.documentElement.scrollHeight")
        finally:
            page.close()

    folds, all_closed, closed, opened = in_browser(heights)
    assert folds > 0, "statistical_audit has no folded cell (hide-input / hide-output tags)"
    assert all_closed, "a fold is open when the page opens"
    assert opened > closed + VIEWPORT["height"], (closed, opened)


def test_a_number_generated_from_the_data_reads_like_the_sentence_around_it(in_browser, book_server, built_book):
    """Glued numbers (myst-nb's span.pasted-text, bold by default) keep their paragraph's weight."""

    def weights(context):
        page = context.new_page()
        try:
            page.goto(book_server + "notebooks/segmentation_case.html", wait_until="load")
            return page.evaluate(
                """() => [...document.querySelectorAll('article p span.pasted-text')]
                     .filter(span => !span.closest('strong, b, th, h1, h2, h3, h4'))
                     .map(span => [getComputedStyle(span).fontWeight, getComputedStyle(span.closest('p')).fontWeight])"""
            )
        finally:
            page.close()

    pairs = in_browser(weights)
    assert len(pairs) > 10, "segmentation_case shows fewer glued numbers in its paragraphs than it quotes"
    assert all(number == sentence for number, sentence in pairs), pairs[:5]
