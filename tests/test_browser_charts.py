"""The book's charts in a real browser, at a phone's, a tablet's and a desktop's width, light and dark.

Every page with a chart is opened in Debian's Chromium (Playwright, every other host blocked) at
390×844, 820×1180 and 1366×900, in light and in dark mode, and for each chart:

* no chart text renders below 11 CSS px (its font size times the scale of the chart's SVG on the page);
* the chart fits the page's width: it neither makes the page scroll sideways nor needs its own scrollbar;
* each figure appears once: a numbered figure holds one interactive chart, or one image for the few
  figures Vega-Lite cannot draw well, never both, and no other image stands in for a chart;
* a chart that encodes evidence levels (reported, estimated, ...) has a legend naming each level it draws.

A screenshot of each chart, in its page, goes to test-artifacts/screenshots/charts-<width>-<mode>/. The browser setup is
test_browser.py's (one browser; here one context per viewport and mode, the pages in a loop).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from test_browser import CHART_SELECTOR, CHART_TIMEOUT_MS, CHROMIUM, CHROMIUM_ARGS, _reveal_hidden_content, _unavailable

from review_evidence.theme import EVIDENCE_STYLE

VIEWPORTS = {"390": (390, 844), "820": (820, 1180), "1366": (1366, 900)}
MODES = ("light", "dark")
#: The smallest chart text a reader should have to read, in CSS px.
MIN_TEXT_PX = 11
#: Figures drawn as a static image because Vega-Lite cannot draw them well (radar charts, the flow
#: diagram): matplotlib draws each once, and there is no interactive twin. Every other figure is a chart.
STATIC_FIGURES = {"fig-benefits-experience-radar", "fig-evolution-radar", "fig-source-flow"}
EVIDENCE_LABELS = [style["label"] for style in EVIDENCE_STYLE.values()]

#: Records each chart's Vega-Lite specification as vega-embed receives it, whatever renderer wrote the
#: page, so the test can tell which charts encode evidence levels.
RECORD_SPECS_JS = """
(() => {
  window.__chartSpecs = [];
  let current;
  Object.defineProperty(window, "vegaEmbed", {
    configurable: true,
    get() { return current; },
    set(embed) {
      const recording = function (element, spec, options) {
        const target = typeof element === "string" ? element : "#" + (element && element.id);
        window.__chartSpecs.push({target: target, spec: spec});
        return embed.apply(this, arguments);
      };
      Object.assign(recording, embed);
      current = recording;
    },
  });
})();
"""

#: Everything the checks need, measured in the page.
MEASURE_JS = """
([chartSelector, evidenceLabels, minPx]) => {
  const squash = s => (s || "").replace(/\\s+/g, "");
  const viewport = document.documentElement.clientWidth;
  const specs = {};
  for (const {target, spec} of (window.__chartSpecs || [])) specs[target.replace(/^#/, "")] = spec;
  function evidenceLevels(spec) {
    // Values of a field that a visual channel (not the tooltip) encodes, when all are evidence levels.
    const rows = [].concat(...Object.values(spec.datasets || {}));
    const levels = new Set();
    (function walk(node) {
      if (!node || typeof node !== "object") return;
      if (Array.isArray(node)) { node.forEach(walk); return; }
      for (const [channel, def] of Object.entries(node.encoding || {})) {
        if (channel === "tooltip" || !def || !def.field) continue;
        // the levels the channel's scale lists, or else those in the data
        const domain = def.scale && Array.isArray(def.scale.domain) ? def.scale.domain : null;
        const values = (domain || rows.map(r => r[def.field])).filter(v => v !== undefined && v !== null);
        if (values.length && values.every(v => evidenceLabels.includes(v))) values.forEach(v => levels.add(v));
      }
      Object.values(node).forEach(walk);
    })(spec);
    return [...levels];
  }
  const charts = [...document.querySelectorAll(chartSelector)].map(chart => {
    const svg = chart.querySelector("svg.marks");
    const name = chart.id;
    const titleText = svg ? [...svg.querySelectorAll(".role-title text")].map(t => t.textContent).join(" ").trim() : "";
    const label = titleText || (svg && svg.getAttribute("aria-label")) || name;
    if (!svg) return {name, label, rendered: false};
    const box = svg.getBoundingClientRect();
    const scale = box.width / (svg.width.baseVal.value || box.width || 1);
    const small = [];
    for (const text of svg.querySelectorAll("text")) {
      if (!text.textContent.trim()) continue;
      const r = text.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      const px = parseFloat(getComputedStyle(text).fontSize) * scale;
      if (px < minPx - 0.01) small.push(`"${text.textContent.trim().slice(0, 40)}" at ${px.toFixed(1)} px`);
    }
    const holder = chart.closest(".vega-embed") || chart;
    const shown = t => { const r = t.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(t).visibility !== "hidden"; };
    const legendText = squash([...svg.querySelectorAll(".role-legend text")].filter(shown).map(t => t.textContent).join(""));
    const spec = specs[name];
    const levels = spec ? evidenceLevels(spec) : null;
    return {
      name, label, rendered: true, small,
      right: Math.round(box.right), viewport,
      svgWidth: Math.round(box.width), boxWidth: holder.clientWidth,
      levels, missingLevels: levels === null ? null : levels.filter(l => !legendText.includes(squash(l))),
      figure: chart.closest("figure") ? (chart.closest("figure").id || "(figure without id)") : null,
    };
  });
  const figures = [...document.querySelectorAll("figure")].map(f => ({
    id: f.id || "(figure without id)",
    charts: f.querySelectorAll(chartSelector).length,
    images: f.querySelectorAll("img").length,
  }));
  // Images drawn by a notebook cell (not the theme's logo), outside any figure.
  const looseImages = [...document.querySelectorAll(".cell_output img")].filter(i => !i.closest("figure"))
    .map(i => i.getAttribute("alt") || i.getAttribute("src").slice(0, 60));
  return {charts, figures, looseImages, theme: document.documentElement.dataset.theme,
          pageWidth: document.scrollingElement.scrollWidth};
}
"""


@dataclass
class Layout:
    """What one page showed at one viewport and mode."""

    where: str
    charts: list[dict] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)
    loose_images: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    theme: str | None = None


def _chart_pages(built_book: Path) -> list[str]:
    return sorted(
        p.relative_to(built_book).as_posix()
        for p in built_book.rglob("*.html")
        if not p.relative_to(built_book).parts[0].startswith("_") and "altair-viz-" in p.read_text(encoding="utf-8")
    )


@pytest.fixture(scope="session")
def layouts(book_server, built_book, request):
    """Every (viewport, mode) measured on every chart page, once; the tests read from it.

    Playwright's sync API allows one instance per thread, and test_browser.py's may still be open in
    this one, so the browser runs in a thread of its own."""
    if not CHROMIUM.exists():
        _unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright Python package is not installed (pip install -r requirements.txt)")
    done: dict[tuple[str, str], list[Layout]] = {}
    failure: list[BaseException] = []
    shots_root = Path(request.config.rootpath) / "test-artifacts" / "screenshots"

    def run():
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                try:
                    for viewport, mode in COMBINATIONS:
                        done[(viewport, mode)] = measure(browser, viewport, mode)
                finally:
                    browser.close()
        except BaseException as error:  # re-raised in the test thread
            failure.append(error)

    def measure(browser, viewport: str, mode: str) -> list[Layout]:
        width, height = VIEWPORTS[viewport]
        context = browser.new_context(
            viewport={"width": width, "height": height}, color_scheme=mode, service_workers="block"
        )
        # pydata-sphinx-theme keeps the reader's choice in localStorage; "auto" follows color_scheme.
        context.add_init_script(f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}');")
        context.add_init_script(RECORD_SPECS_JS)
        host = urlsplit(book_server).netloc
        context.route(
            re.compile(r"^(https?|wss?)://"),
            lambda route: (
                route.continue_() if urlsplit(route.request.url).netloc == host else route.abort("blockedbyclient")
            ),
        )
        shots = shots_root / f"charts-{viewport}-{mode}"
        shots.mkdir(parents=True, exist_ok=True)
        results = []
        try:
            page = context.new_page()
            for book_page in _chart_pages(built_book):
                layout = Layout(f"{book_page} at {viewport} px, {mode} mode")
                page.goto(book_server + book_page, wait_until="load")
                _reveal_hidden_content(page)
                try:
                    page.wait_for_function(
                        "sel => [...document.querySelectorAll(sel)].every(c => c.querySelector('svg.marks'))",
                        arg=CHART_SELECTOR,
                        timeout=CHART_TIMEOUT_MS,
                    )
                except Exception:  # reported chart by chart below
                    pass
                page.wait_for_timeout(300)  # a chart revealed above re-measures its container on the next frame
                found = page.evaluate(MEASURE_JS, [CHART_SELECTOR, EVIDENCE_LABELS, MIN_TEXT_PX])
                layout.charts, layout.figures, layout.theme = found["charts"], found["figures"], found["theme"]
                layout.loose_images = found["looseImages"]
                stem = re.sub(r"[^A-Za-z0-9_.-]+", "__", book_page.removesuffix(".html"))
                for number, chart in enumerate(page.query_selector_all(CHART_SELECTOR), start=1):
                    # each chart as the reader sees it in the page (a full-page shot of a long chapter
                    # at 390 px is tens of thousands of pixels tall and slow)
                    (chart.query_selector("xpath=ancestor::div[contains(@class,'cell_output')]") or chart).screenshot(
                        path=str(shots / f"{stem}-chart{number}.png")
                    )
                results.append(layout)
        finally:
            context.close()
        return results

    worker = threading.Thread(target=run, name="chart-browser")
    worker.start()
    worker.join()
    if failure:
        raise failure[0]
    return lambda viewport, mode: done[(viewport, mode)]


COMBINATIONS = [(v, m) for v in VIEWPORTS for m in MODES]
IDS = [f"{v}px-{m}" for v, m in COMBINATIONS]


@pytest.mark.parametrize(("viewport", "mode"), COMBINATIONS, ids=IDS)
def test_the_page_is_in_the_requested_mode_and_every_chart_renders(layouts, viewport, mode):
    pages = layouts(viewport, mode)
    assert pages, "no page of the built book has a chart"
    wrong_mode = [p.where for p in pages if p.theme != mode]
    assert not wrong_mode, f"the page did not switch to {mode} mode: {wrong_mode}"
    broken = [f"{p.where}: chart {c['label']!r} did not render" for p in pages for c in p.charts if not c["rendered"]]
    assert not broken, "\n".join(broken)


@pytest.mark.parametrize(("viewport", "mode"), COMBINATIONS, ids=IDS)
def test_no_chart_text_is_smaller_than_11_px(layouts, viewport, mode):
    problems = [
        f"{p.where}: chart {c['label']!r} has text below {MIN_TEXT_PX} px: {c['small'][:4]}"
        for p in layouts(viewport, mode)
        for c in p.charts
        if c.get("small")
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("viewport", "mode"), COMBINATIONS, ids=IDS)
def test_every_chart_fits_the_width(layouts, viewport, mode):
    problems = []
    for p in layouts(viewport, mode):
        for c in p.charts:
            if not c["rendered"]:
                continue
            if c["right"] > c["viewport"] + 1:
                problems.append(
                    f"{p.where}: chart {c['label']!r} ends at {c['right']} px, past the "
                    f"{c['viewport']} px page, so the page scrolls sideways"
                )
            elif c["svgWidth"] > c["boxWidth"] + 1:
                problems.append(
                    f"{p.where}: chart {c['label']!r} is {c['svgWidth']} px wide in a "
                    f"{c['boxWidth']} px column, so it must be scrolled to be read"
                )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("viewport", "mode"), [("1366", "light")], ids=["1366px-light"])
def test_each_figure_appears_once(layouts, viewport, mode):
    problems = []
    for p in layouts(viewport, mode):
        for f in p.figures:
            if f["charts"] + f["images"] != 1:
                problems.append(
                    f"{p.where}: figure {f['id']} shows {f['charts']} chart(s) and {f['images']} image(s); "
                    "a figure is drawn once"
                )
            elif f["images"] and f["id"] not in STATIC_FIGURES:
                problems.append(
                    f"{p.where}: figure {f['id']} is a static image; draw it as the chart (its PNG for "
                    "print comes from the same spec), or list it in STATIC_FIGURES if Vega-Lite cannot draw it"
                )
        if p.loose_images:
            problems.append(f"{p.where}: images outside any figure, a second drawing of a chart? {p.loose_images}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("viewport", "mode"), [("390", "light"), ("1366", "dark")], ids=["390px-light", "1366px-dark"])
def test_a_chart_that_draws_evidence_levels_has_their_legend(layouts, viewport, mode):
    pages = layouts(viewport, mode)
    unknown = [
        f"{p.where}: chart {c['label']!r}" for p in pages for c in p.charts if c["rendered"] and c["levels"] is None
    ]
    assert not unknown, (
        "the specification of these charts was not seen, so their encodings cannot be checked: " + "; ".join(unknown)
    )
    with_levels = [c for p in pages for c in p.charts if c.get("levels")]
    assert with_levels, "no chart encodes evidence levels; the check would be vacuous"
    problems = [
        f"{p.where}: chart {c['label']!r} draws evidence levels {c['levels']} but its legend lacks {c['missingLevels']}"
        for p in pages
        for c in p.charts
        if c.get("missingLevels")
    ]
    assert not problems, "\n".join(problems)
