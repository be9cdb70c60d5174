"""No text from the data or the bibliography ever becomes markup or script on a page.

Builds a copy of the book in which every free-text column of every table (and a bibliography title)
carries one of the classic injection payloads, opens each chapter in Chromium (network blocked, as in
``test_browser.py``) and checks that no payload ran, that no data value became a link, and that the
payloads show on the page as the literal text they are.

A payload goes in every text column that the loader lets hold arbitrary text: columns with an enum,
a pattern, a foreign key or BibTeX keys only admit values the contract names, and primary-key columns
are what the chapters look rows up by. The payloads are spread over the cells so that each kind of
payload is the first one some chart's JSON meets: ``<!--`` before ``<script`` would put an HTML parser
into the "double-escaped" state in which ``</script>`` no longer closes the script, and so hide
the other payloads from a renderer that does not escape.

With Altair's own "html" renderer (``alt.renderers.enable("html")`` in ``review_evidence/theme.py``),
the ``</script>`` payloads run on every chart page and this test fails.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_browser import CHART_SELECTOR, CHROMIUM, CHROMIUM_ARGS, _unavailable

from review_evidence.paths import BOOK_ROOT_VARIABLE, REPO_ROOT
from review_evidence.sphinxext.slides import SLIDES_DIR

JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")
#: Each payload, when it runs, appends its name to window.__injected. Single quotes only: JSON would
#: escape a double quote as \", which is a syntax error once the script is broken out of.
MARK = "(window.__injected=window.__injected||[]).push"
PAYLOADS = {
    "script": f"</script><script>{MARK}('script')</script>",
    "img": f"<img src=x onerror={MARK}('img')>",
    "url": f"javascript:{MARK}('url')",
    "svg": f"<svg onload={MARK}('svg')></svg>",
    "comment": "<!-- an HTML comment opener",
    "separators": "line\u2028and\u2029paragraph separators",
}
#: Text columns that the package reads a value out of, so a payload there stops the chapter with a
#: clear error instead of reaching the page: (table, column) -> why.
PARSED = {("segmentation_kpis", "reported_change_text"): "the audit reads the change the source printed from it"}
#: What a reader must see for each payload (the U+2028/9 case is checked in the page's text, not its layout).
LITERAL = {name: text for name, text in PAYLOADS.items() if name != "separators"}


def _free_text_columns(schema: dict, referenced: set[str]) -> list[str]:
    primary = schema.get("primaryKey") or []
    primary = [primary] if isinstance(primary, str) else list(primary)
    keyed = {
        f
        for fk in schema.get("foreignKeys", [])
        for f in ([fk["fields"]] if isinstance(fk["fields"], str) else fk["fields"])
    }
    return [
        f["name"]
        for f in schema["fields"]
        if f.get("type", "string") == "string"
        and not f.get("bibliography")
        and not {"enum", "pattern"} & set(f.get("constraints", {}))
        and f["name"] not in primary
        and f["name"] not in keyed
        and f["name"] not in referenced
    ]


def poison(book: Path) -> int:
    """Append a payload to every non-empty free-text cell of every table in ``book``; return how many."""
    package = json.loads((book / "data" / "datapackage.json").read_text(encoding="utf-8"))
    names, count = list(PAYLOADS), 0
    schemas = {
        r["name"]: r["schema"]
        if isinstance(r["schema"], dict)
        else json.loads((book / "data" / r["schema"]).read_text(encoding="utf-8"))
        for r in package["resources"]
    }
    referenced: dict[str, set[str]] = {}  # columns other tables' foreign keys point at
    for schema in schemas.values():
        for foreign in schema.get("foreignKeys", []):
            target = foreign["reference"]["fields"]
            referenced.setdefault(foreign["reference"]["resource"], set()).update(
                [target] if isinstance(target, str) else target
            )
    for resource in package["resources"]:
        columns = [
            c
            for c in _free_text_columns(schemas[resource["name"]], referenced.get(resource["name"], set()))
            if (resource["name"], c) not in PARSED
        ]
        path = book / "data" / resource["path"]
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
        header = rows[0]
        for number, row in enumerate(rows[1:]):
            for place, column in enumerate(columns):
                index = header.index(column)
                if row[index]:
                    # "script" first in every row, so each chart's JSON meets it before any "<!--"
                    payload = PAYLOADS[names[(number + place) % len(names)]] if place else PAYLOADS["script"]
                    row[index] = f"{row[index]} {payload}"
                    count += 1
        out = io.StringIO(newline="")
        csv.writer(out, lineterminator="\n").writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")
    bibliography = book / "references.bib"
    text = bibliography.read_text(encoding="utf-8")
    title = "title = {"
    at = text.index(title)
    bibliography.write_text(
        text[: at + len(title)] + PAYLOADS["img"].replace("{", "").replace("}", "") + " " + text[at + len(title) :],
        encoding="utf-8",
    )
    return count


def _toc(book: Path) -> list[str]:
    """A table of contents with every chapter notebook and the bibliography page, nothing else."""
    chapters = sorted(p.relative_to(book).with_suffix("").as_posix() for p in (book / "notebooks").glob("*.ipynb"))
    pages = chapters + ["book/bibliography"]
    toc = ["format: jb-book", f"root: {pages[0]}", "chapters:"] + [f"  - file: {p}" for p in pages[1:]]
    (book / "_toc.yml").write_text("\n".join(toc) + "\n", encoding="utf-8")
    return pages


@pytest.fixture(scope="module")
def poisoned_book(tmp_path_factory) -> tuple[Path, list[str]]:
    if not CHROMIUM.exists():
        _unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    book = tmp_path_factory.mktemp("poisoned") / "repo"
    shutil.copytree(
        REPO_ROOT,
        book,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "venv", "_build", "node_modules", "test-artifacts", ".pytest_cache"
        ),
    )
    assert poison(book) > 100, "the payloads reached too few cells to test anything"
    pages = _toc(book)
    # Not -W: pages outside this small table of contents (the glossary) are missing on purpose.
    result = subprocess.run(
        [str(JUPYTER_BOOK), "build", str(book), "--all", "-n", "--keep-going"],
        capture_output=True,
        text=True,
        timeout=1800,
        env={**os.environ, BOOK_ROOT_VARIABLE: str(book)},
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    return book / "_build" / "html", pages


def check_pages(context, html: Path, pages: list[str]) -> tuple[list[str], int, set[str]]:
    """Open each page from disk with the network blocked: what ran, how many charts, which payloads show as text."""
    problems, charts, seen = [], 0, set()
    for name in pages:
        page = context.new_page()
        page.route(
            "**/*", lambda route: route.continue_() if route.request.url.startswith("file://") else route.abort()
        )
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
        page.goto((html / f"{name}.html").as_uri(), wait_until="load")
        found = page.query_selector_all(CHART_SELECTOR)
        if found:
            try:
                page.wait_for_function(
                    "sel => [...document.querySelectorAll(sel)].every(c => c.querySelector('svg.marks'))",
                    arg=CHART_SELECTOR,
                    timeout=20_000,
                )
            except Exception:  # Playwright's TimeoutError: reported below
                problems.append(f"{name}: not every chart rendered (a payload may have broken its script)")
        charts += len(found)
        page.wait_for_timeout(300)  # let an <img onerror> fire
        injected = page.evaluate("() => window.__injected || []")
        if injected:
            problems.append(f"{name}: payloads ran: {sorted(set(injected))}")
        if errors:
            problems.append(f"{name}: script errors: {sorted(set(errors))}")
        links = page.eval_on_selector_all("a[href^='javascript:' i]", "links => links.map(a => a.outerHTML)")
        if links:
            problems.append(f"{name}: a data value became a javascript: link: {links}")
        text = page.evaluate("() => document.body.innerText")
        seen.update(n for n, literal in LITERAL.items() if literal in text)
        page.close()
    return problems, charts, seen


def _check_in_own_process(html: Path, pages: list[str]) -> tuple[list[str], int, set[str]]:
    """Playwright's sync API allows one instance per process, and the browser tests hold theirs for the session."""
    result = subprocess.run([sys.executable, __file__, str(html), *pages], capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-4000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    return found["problems"], found["charts"], set(found["seen"])


def test_no_payload_runs_and_every_payload_shows_as_text(poisoned_book):
    html, pages = poisoned_book
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("the playwright Python package is not installed (pip install -r requirements.txt)")
    # The chapters' slide decks (review_evidence/sphinxext/slides.py) are made from the same outputs.
    decks = sorted(f"{SLIDES_DIR}/{p.stem}" for p in (html / SLIDES_DIR).glob("*.html"))
    assert len(decks) == len([p for p in pages if p.startswith("notebooks/")]), f"slide decks: {decks}"
    problems, charts, seen = _check_in_own_process(html, pages + decks)
    assert charts > 10, f"only {charts} charts on the poisoned pages"
    assert not problems, "\n".join(problems)
    assert seen == set(LITERAL), f"never shown literally: {set(LITERAL) - seen}"


if __name__ == "__main__":  # python tests/test_injection.py BUILT_HTML PAGE...: the browser check, as JSON
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            problems, charts, seen = check_pages(
                browser.new_context(service_workers="block"), Path(sys.argv[1]), sys.argv[2:]
            )
        finally:
            browser.close()
    print(json.dumps({"problems": problems, "charts": charts, "seen": sorted(seen)}))
