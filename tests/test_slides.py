"""The chapters' slide decks (review_evidence/sphinxext/slides.py): one per chapter, offline, without solutions.

Static checks on the built kit: every chapter has a deck; a deck loads only reveal.js and the shared
stylesheet, by relative paths that exist, and nothing from another host; its only scripts are reveal.js
and the two short inline scripts the template writes (the same in every deck, so no data reaches them);
no text that only a solution holds, and no hidden check, is in a deck. The vendored reveal.js is the npm
package pinned in package-lock.json, byte for byte. In Chromium, with every host blocked, a deck opens
from disk and from a local server and reveal.js starts; screenshots at 390 and 1366 px go to
test-artifacts/screenshots/slides/.

The conversion itself is tested on small notebooks: solutions, checks and removed cells are left out,
MyST markup becomes text, inserted text is escaped, and an output that would run a script is replaced
by its image or stops the build.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from test_html import CSS_REMOTE

from review_evidence.paths import REPO_ROOT
from review_evidence.sphinxext.slides import (
    REVEAL_FILES,
    REVEAL_PREFIX,
    REVEAL_SOURCE,
    SLIDES_DIR,
    SLIDES_ROOT,
    SLIDES_ZIP,
    SlidesError,
    render_deck,
    slide_notebook,
)
from review_evidence.sphinxext.student_versions import (
    SOLUTION_BLOCK,
    SOLUTION_END,
    SOLUTION_START,
    checks_cells,
    without_solutions,
)

CHAPTERS = sorted(p.stem for p in (REPO_ROOT / "notebooks").glob("*.ipynb"))
#: A solution's words count as leaked when a run of this many characters of them is in a deck.
LEAK_CHARS = 40


def _decks(built_book: Path) -> Path:
    return built_book / SLIDES_DIR


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _words(text: str) -> str:
    return " ".join(re.sub(r"[`*_{}\[\]()<>#|]", " ", text).split())


def _source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def solution_only_passages(notebook: dict) -> list[str]:
    """Runs of LEAK_CHARS characters that the chapter's solutions (and hidden checks) hold and nothing else in it does."""
    solutions, rest, inside = [], [], False
    for cell in notebook["cells"]:
        text = _source(cell)
        if cell in checks_cells(notebook).values():
            solutions.append(text)
            continue
        if inside:
            if cell["cell_type"] == "markdown" and SOLUTION_END.search(text):
                inside = False
            else:
                solutions.append(text)
            continue
        start = SOLUTION_START.search(text) if cell["cell_type"] == "markdown" else None
        if start:
            text, inside = text[: start.start()], True
        solutions += [m["body"] for m in SOLUTION_BLOCK.finditer(text)]
        rest.append(without_solutions(text))
    elsewhere = _words("\n".join(rest))
    passages = []
    for solution in solutions:
        for line in solution.splitlines():
            line = _words(line)
            for start in range(0, max(len(line) - LEAK_CHARS, 0) + 1, LEAK_CHARS // 2):
                piece = line[start : start + LEAK_CHARS]
                if len(piece) == LEAK_CHARS and piece not in elsewhere:
                    passages.append(piece)
    return passages


# ---- the built kit ----------------------------------------------------------------------------------


def test_every_chapter_has_a_deck_and_nothing_else_is_one(built_book):
    decks = sorted(p.stem for p in _decks(built_book).glob("*.html"))
    assert decks == CHAPTERS, f"decks {decks} do not match the chapters {CHAPTERS}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_a_deck_loads_reveal_and_its_styles_from_beside_it_and_nothing_from_another_host(built_book, chapter):
    deck = _decks(built_book) / f"{chapter}.html"
    soup = _soup(deck)
    loaded = [
        (tag.name, tag.get("src") or tag.get("href")) for tag in soup.find_all(["script", "link", "img", "iframe"])
    ]
    loaded = [(name, url) for name, url in loaded if url and not url.startswith("data:")]
    remote = [url for _, url in loaded if urlsplit(url).scheme or urlsplit(url).netloc]
    assert not remote, f"{chapter}: the deck loads from another host or by an absolute URL: {remote}"
    for _, url in loaded:
        assert (deck.parent / url).is_file(), f"{chapter}: the deck loads {url}, which is not in the kit"
    assert ("script", f"{REVEAL_PREFIX}/dist/reveal.js") in loaded, f"{chapter}: reveal.js is not loaded"
    assert ("link", f"{REVEAL_PREFIX}/dist/reveal.css") in loaded, f"{chapter}: reveal.css is not loaded"
    for style in soup.find_all("style"):
        assert not CSS_REMOTE.findall(style.get_text()), f"{chapter}: an inline style loads from another host"


def test_the_slides_zip_holds_every_deck_with_what_it_loads(built_book):
    folder = _decks(built_book)
    with zipfile.ZipFile(folder.parent / SLIDES_ZIP) as archive:
        names = set(archive.namelist())
    expected = {f"{SLIDES_ROOT}/{p.relative_to(folder).as_posix()}" for p in folder.rglob("*") if p.is_file()}
    assert names == expected, f"slides.zip differs from the slides folder: {sorted(names ^ expected)[:5]}"
    assert {f"{SLIDES_ROOT}/{c}.html" for c in CHAPTERS} <= names


def test_the_decks_stylesheets_load_nothing_from_another_host(built_book):
    sheets = sorted(_decks(built_book).rglob("*.css"))
    assert sheets, "no stylesheets beside the decks"
    remote = {p.name: CSS_REMOTE.findall(p.read_text(encoding="utf-8")) for p in sheets}
    assert not any(remote.values()), f"stylesheets that load from another host: {remote}"


def test_the_only_scripts_are_reveal_and_the_templates_own(built_book):
    """Every deck has the same inline scripts (the template's): so no chapter's text or data became script."""
    inline_scripts = set()
    for chapter in CHAPTERS:
        soup = _soup(_decks(built_book) / f"{chapter}.html")
        scripts = soup.find_all("script")
        sources = [s.get("src") for s in scripts if s.get("src")]
        assert sources == [f"{REVEAL_PREFIX}/dist/reveal.js"], f"{chapter}: scripts loaded {sources}"
        inline_scripts |= {s.get_text() for s in scripts if not s.get("src")}
        handlers = [f"<{tag.name} {a}>" for tag in soup.find_all(True) for a in tag.attrs if a.lower().startswith("on")]
        assert not handlers, f"{chapter}: event handler attributes {handlers[:3]}"
        links = [tag["href"] for tag in soup.find_all(href=True) if tag["href"].lower().startswith("javascript:")]
        assert not links, f"{chapter}: javascript: links {links}"
    assert len(inline_scripts) == 2, f"inline scripts differ between decks: {len(inline_scripts)} distinct ones"
    assert any("Reveal.initialize" in s for s in inline_scripts)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_a_deck_holds_the_chapter_without_its_solutions(built_book, chapter):
    notebook = json.loads((REPO_ROOT / "notebooks" / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    text = _words(_soup(_decks(built_book) / f"{chapter}.html").get_text(" "))
    passages = solution_only_passages(notebook)
    assert passages, f"{chapter}: found no solution text to look for (has the solution markup changed?)"
    leaked = [p for p in passages if p in text]
    assert not leaked, f"{chapter}: solution or hidden-check text in the slides: {leaked[:3]}"
    assert "Exercise" in text, f"{chapter}: the exercises are missing from the slides"
    assert not re.search(r"\{[\w:-]+\}`|:::|```|:label:", text), f"{chapter}: MyST markup left as text"


def test_the_solution_check_finds_a_solution_left_in_a_deck(built_book):
    """The leak check above is not vacuous: the text of a solution, put into a deck's text, is found."""
    notebook = json.loads((REPO_ROOT / "notebooks" / "benefits.ipynb").read_text(encoding="utf-8"))
    passages = solution_only_passages(notebook)
    solution = next(m["body"] for c in notebook["cells"] for m in SOLUTION_BLOCK.finditer(_source(c)))
    leaky_text = _words(_soup(_decks(built_book) / "benefits.html").get_text(" ") + " " + solution)
    assert any(p in leaky_text for p in passages)


# ---- the vendored reveal.js ------------------------------------------------------------------------


def _pinned_reveal_version() -> str:
    lock = json.loads((REPO_ROOT / "package-lock.json").read_text(encoding="utf-8"))
    return lock["packages"]["node_modules/reveal.js"]["version"]


def test_reveal_is_pinned_exactly_and_the_vendored_copy_says_which_version():
    declared = json.loads((REPO_ROOT / "package.json").read_text(encoding="utf-8"))["devDependencies"]["reveal.js"]
    pinned = _pinned_reveal_version()
    assert declared == pinned, f"package.json asks for reveal.js {declared!r}, not the exact version {pinned}"
    readme = (REVEAL_SOURCE / "README.md").read_text(encoding="utf-8")
    assert f"version {pinned}" in readme, f"{REVEAL_SOURCE / 'README.md'} does not name reveal.js {pinned}"
    for name in REVEAL_FILES:
        assert (REVEAL_SOURCE / name).is_file(), f"vendored reveal.js lacks {name}"


def test_the_vendored_reveal_is_byte_identical_to_the_pinned_npm_package():
    installed = REPO_ROOT / "node_modules" / "reveal.js"
    if not (installed / "package.json").is_file():
        pytest.skip("node_modules/reveal.js is not installed (npm ci)")
    version = json.loads((installed / "package.json").read_text(encoding="utf-8"))["version"]
    assert version == _pinned_reveal_version(), f"node_modules has reveal.js {version}: run npm ci"
    different = [
        name for name in REVEAL_FILES if (installed / name).read_bytes() != (REVEAL_SOURCE / name).read_bytes()
    ]
    assert not different, f"vendored reveal.js files differ from the npm package {version}: {different}"


# ---- the conversion, on small notebooks -------------------------------------------------------------


def _markdown(text: str, **metadata) -> dict:
    return {"cell_type": "markdown", "metadata": metadata, "source": text}


def _code(source: str, outputs=(), **metadata) -> dict:
    return {"cell_type": "code", "metadata": metadata, "source": source, "outputs": list(outputs), "execution_count": 1}


def _notebook(*cells) -> dict:
    return {"cells": list(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


CHART_OUTPUT = {
    "output_type": "execute_result",
    "execution_count": 1,
    "metadata": {},
    "data": {
        "text/html": '<div id="altair-viz-1"></div><script>vegaEmbed("#altair-viz-1", {})</script>',
        "image/png": "iVBORw0KGgo=",
        "text/plain": "alt.Chart(...)",
    },
}


def _all_text(notebook: dict) -> str:
    return json.dumps(notebook)


def test_solutions_checks_and_removed_cells_are_left_out_and_exercises_kept():
    chapter = _notebook(
        _markdown("# Title\n\nIntro."),
        _code("secret_setup = 1", tags=["remove-cell"]),
        _markdown(
            "```{exercise}\n:label: ex-one\n\nCompute the mean.\n```\n\n"
            "````{solution} ex-one\n:class: dropdown\n\nTHE MEAN IS 42.\n\n```python\nanswer = 42\n```\n````\n"
        ),
        {
            "cell_type": "raw",
            "metadata": {"tags": ["remove-cell"], "review_evidence": {"checks": "ex-one"}},
            "source": "assert answer == 42",
        },
        _markdown("```{solution-start} ex-two\n:class: dropdown\n```\nSPAN SOLUTION TEXT"),
        _code("span_answer = 7"),
        _markdown("```{solution-end}\n```"),
        _markdown("## Next\n\nAfter."),
    )
    deck = slide_notebook(chapter, "demo")
    text = _all_text(deck)
    for hidden in (
        "secret_setup",
        "THE MEAN IS 42",
        "answer = 42",
        "assert answer",
        "SPAN SOLUTION TEXT",
        "span_answer",
    ):
        assert hidden not in text, f"{hidden!r} reached the slides"
    assert "**Exercise 1.** Compute the mean." in text
    kinds = [c["metadata"]["slideshow"]["slide_type"] for c in deck["cells"]]
    assert kinds[0] == "slide" and kinds[-1] == "slide", kinds
    assert json.loads(json.dumps(chapter)) == chapter  # the chapter itself is untouched


def test_myst_markup_becomes_escaped_text():
    chapter = _notebook(
        _markdown("# T"),
        _code(
            "glue('v', x)",
            [
                {
                    "output_type": "display_data",
                    "metadata": {"scrapbook": {"name": "v", "mime_prefix": "application/papermill.record/"}},
                    "data": {"application/papermill.record/text/plain": "'<script>alert(1)</script>'"},
                }
            ],
        ),
        _markdown(
            "See {term}`the glossary word <Evidence level>`, {doc}`a page <../book/glossary>`, "
            "{cite:t}`patel2026generative`, {cite:p}`patel2026generative`, {numref}`fig-x` and "
            "{glue:text}`v`; code `role = {reviewed}` stays.\n\n```{admonition} In brief\n:class: tip\n\nShort.\n```"
        ),
    )
    text = slide_notebook(chapter, "demo", numbers={"fig-x": "Fig. 3"})["cells"][-1]["source"]
    assert "the glossary word" in text and "a page" in text and "Fig. 3" in text
    assert "Patel (2026)" in text and "(Patel, 2026)" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "<script>" not in text
    assert "`role = {reviewed}`" in text
    assert "**In brief.** Short." in text


def test_a_page_or_section_reference_without_words_shows_its_title():
    chapter = _notebook(_markdown("# T"), _markdown("See {doc}`method`, {doc}`../book/takeaways` and {ref}`sec-a`."))
    titles = {"notebooks/method": "How this review was made", "book/takeaways": "Takeaways", "ref:sec-a": "Section A"}
    text = slide_notebook(chapter, "demo", titles=titles)["cells"][-1]["source"]
    assert text.strip() == "See How this review was made, Takeaways and Section A."
    with pytest.raises(SlidesError, match=r"demo: \{doc\}`method` names no page"):
        slide_notebook(chapter, "demo", titles={})


@pytest.mark.parametrize(
    "markdown, message",
    [
        ("```{mystery}\nx\n```", "directive {mystery}"),
        ("A {kbd}`Ctrl`.", "role {kbd}"),
        ("{numref}`fig-missing`", "fig-missing"),
        ("{glue:text}`nothing`", "nothing"),
        ("{cite:t}`no-such-key-2099`", "no-such-key-2099"),
    ],
)
def test_markup_the_slides_cannot_show_stops_the_build_naming_the_chapter(markdown, message):
    with pytest.raises(SlidesError, match=re.escape(message)) as error:
        slide_notebook(_notebook(_markdown("# T"), _markdown(markdown)), "demo", numbers={})
    assert str(error.value).startswith("demo:")


def test_a_chart_becomes_its_image_with_alt_text_and_caption():
    cell = _code(
        "chart",
        [CHART_OUTPUT],
        tags=["hide-input"],
        mystnb={"figure": {"name": "fig-a", "caption": "The caption."}, "image": {"alt": "Bars of A and B."}},
    )
    deck = slide_notebook(_notebook(_markdown("# T"), cell), "demo", numbers={"fig-a": "Fig. 7"})
    chart, caption = deck["cells"][1], deck["cells"][2]
    (output,) = chart["outputs"]
    assert set(output["data"]) == {"image/png", "text/plain"}
    assert output["metadata"]["slides_alt"] == "Bars of A and B."
    assert chart["metadata"]["transient"] == {"remove_source": True}
    assert caption["source"] == "**Fig. 7.** The caption."
    html = render_deck_from(deck_notebook=_notebook(_markdown("# T"), cell))
    (image,) = BeautifulSoup(html, "html.parser").find_all("img")
    assert (image["src"], image["alt"]) == ("demo_files/demo_1_0.png", "Bars of A and B.")
    assert "vegaEmbed" not in html


def _chart_with_generated_alt(alt: str) -> dict:
    """A chart's output as the book's renderer makes it: the chart's description as its PNG's alt text."""
    return {**CHART_OUTPUT, "metadata": {"image/png": {"alt": alt}}}


def test_a_charts_slide_image_takes_the_alt_text_its_output_carries():
    # the generated description wins over a hand-typed alt (which could keep an old number)
    cell = _code(
        "chart",
        [_chart_with_generated_alt("Bar chart: A 12; B 7.")],
        mystnb={"figure": {"name": "fig-a", "caption": "The caption."}, "image": {"alt": "Bars of A 11 and B 7."}},
    )
    deck = slide_notebook(_notebook(_markdown("# T"), cell), "demo", numbers={"fig-a": "Fig. 7"})
    (output,) = deck["cells"][1]["outputs"]
    assert output["metadata"]["slides_alt"] == "Bar chart: A 12; B 7."
    html = render_deck_from(deck_notebook=_notebook(_markdown("# T"), cell))
    (image,) = BeautifulSoup(html, "html.parser").find_all("img")
    assert image["alt"] == "Bar chart: A 12; B 7."


def test_a_chart_without_any_alt_text_gets_its_caption_with_glued_numbers_filled_in():
    glued = {
        "output_type": "display_data",
        "metadata": {"scrapbook": {"name": "demo-n", "mime_prefix": "application/papermill.record/"}},
        "data": {"application/papermill.record/text/plain": "50"},
    }
    cell = _code(
        "chart",
        [CHART_OUTPUT],
        mystnb={"figure": {"name": "fig-a", "caption": "Spend of {glue:text}`demo-n:d` rows & more."}},
    )
    deck = slide_notebook(_notebook(_markdown("# T"), _code("glue", [glued]), cell), "demo", numbers={})
    (output,) = deck["cells"][-2]["outputs"]
    assert output["metadata"]["slides_alt"] == "Spend of 50 rows & more."


def render_deck_from(deck_notebook: dict) -> str:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.ipynb"
        path.write_text(json.dumps(deck_notebook), encoding="utf-8")
        files = render_deck(path)
    assert sorted(files) == ["demo.html", "demo_files/demo_1_0.png"], sorted(files)
    return files["demo.html"].decode("utf-8")


def test_escaped_text_from_the_data_is_kept_as_the_table_it_is():
    table = "<table><tr><td>&lt;script&gt;alert(1)&lt;/script&gt; javascript:alert(1) x onerror=y</td></tr></table>"
    output = {"output_type": "execute_result", "execution_count": 1, "metadata": {}, "data": {"text/html": table}}
    deck = slide_notebook(_notebook(_markdown("# T"), _code("table", [output])), "demo")
    assert deck["cells"][1]["outputs"][0]["data"]["text/html"] == table


@pytest.mark.parametrize(
    "data",
    [
        {"text/html": "<b>x</b><script>alert(1)</script>"},
        {"text/html": '<img src="x" onerror="alert(1)">'},
        {"text/html": '<a href="javascript:alert(1)">x</a>'},
        {"application/javascript": "alert(1)"},
    ],
)
def test_an_output_that_would_run_a_script_and_has_no_image_stops_the_build(data):
    output = {"output_type": "display_data", "metadata": {}, "data": {**data, "text/plain": "x"}}
    with pytest.raises(SlidesError, match="demo: .*would run a script"):
        slide_notebook(_notebook(_markdown("# T"), _code("x", [output])), "demo")


# ---- in a browser -----------------------------------------------------------------------------------

DECK_FOR_BROWSER = "benefits"


@pytest.mark.parametrize("width, height", [(390, 844), (1366, 900)])
@pytest.mark.parametrize("how", ["file", "http", "zip"])
def test_a_deck_opens_offline_and_reveal_starts(
    browser, built_book, book_server, how, width, height, request, tmp_path
):
    """From the built kit on disk, from a local server, and unzipped from slides.zip into an empty folder."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    deck = _decks(built_book) / f"{DECK_FOR_BROWSER}.html"
    if how == "zip":
        with zipfile.ZipFile(_decks(built_book).parent / SLIDES_ZIP) as archive:
            archive.extractall(tmp_path)
        deck = tmp_path / SLIDES_ROOT / f"{DECK_FOR_BROWSER}.html"
    url = deck.as_uri() if how != "http" else f"{book_server}{SLIDES_DIR}/{DECK_FOR_BROWSER}.html"
    allowed = "file://" if how != "http" else book_server
    context = browser.new_context(viewport={"width": width, "height": height}, service_workers="block")
    page = context.new_page()
    errors, foreign, failed = [], [], []
    page.route(
        re.compile(rf"^(?!{re.escape(allowed)})(?!data:)"),
        lambda route: (foreign.append(route.request.url), route.abort()),
    )
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    page.on("requestfailed", lambda r: failed.append(r.url) if not r.url.startswith("data:") else None)
    slides = image_width = overflow = None
    try:
        page.goto(url, wait_until="load")
        try:
            page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=15_000)
        except PlaywrightTimeout:
            pass  # reported below, after what the page asked for, which says why
        else:
            slides = page.evaluate("Reveal.getTotalSlides()")
            first_image = "(() => { const s = document.querySelector('.jp-RenderedImage img').closest('section');"
            first_image += " const i = Reveal.getIndices(s); Reveal.slide(i.h, i.v); })()"
            page.evaluate(first_image)
            page.wait_for_timeout(300)
            image_width = page.evaluate("document.querySelector('.jp-RenderedImage img').getBoundingClientRect().width")
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            folder = Path(request.config.rootpath) / "test-artifacts" / "screenshots" / "slides"
            folder.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(folder / f"{DECK_FOR_BROWSER}-{how}-{width}.png"))
    finally:
        context.close()
    assert not foreign, f"the deck asked another host for {foreign}"
    assert not failed and not errors, f"failed requests {failed}, console errors {errors}"
    assert slides is not None, f"reveal.js did not start within 15 s in {url}"
    assert slides > 5, f"reveal.js found only {slides} slides"
    assert 0 < image_width <= width, f"a chart is {image_width} px wide in a {width} px window"
    assert overflow <= 0, f"the deck scrolls sideways by {overflow} px at {width} px"


def test_no_deck_has_a_serious_accessibility_violation(browser, built_book):
    """axe-core on every deck in the phone's scroll view, where reveal.js shows every slide at once."""
    from test_browser import AXE, _unavailable

    if not AXE.is_file():
        _unavailable(f"axe-core not found at {AXE} (run `npm ci --no-audit --no-fund`)")
    context = browser.new_context(viewport={"width": 390, "height": 844}, service_workers="block")
    page = context.new_page()
    page.route(re.compile(r"^(https?|wss?)://"), lambda route: route.abort())
    found = {}
    try:
        for chapter in CHAPTERS:
            page.goto((_decks(built_book) / f"{chapter}.html").as_uri(), wait_until="load")
            page.wait_for_function("() => window.Reveal && Reveal.isReady() && Reveal.isScrollView()", timeout=15_000)
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate(
                "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                ".filter(v => ['serious', 'critical'].includes(v.impact))"
                ".map(v => `${v.id} at ${v.nodes[0].target.join(' ')}`)"
            )
            if violations:
                found[chapter] = violations
    finally:
        context.close()
    assert not found, f"axe-core violations in the slides: {found}"
