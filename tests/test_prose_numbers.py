"""Numbers in prose come from the data: a number typed in a chapter's text that equals a data value fails.

The rule, kept simple on purpose:

* **Prose** is every markdown cell of a chapter (notebooks/*.ipynb) and every page in book/*.md,
  captions and alt texts included, minus code (fenced blocks, inline code), roles (``{glue:text}``,
  ``{cite:t}``, ``{doc}``, …: a glued number is generated, not typed) and directive options other
  than ``:alt:``.
* **A data value** is a cell of a numeric column of data/*.csv, or a number the chapter itself shows
  in a code cell's output (its tables print the values it derives, such as a recomputed percent
  change or F1). Book pages, which show no outputs, are held against the numbers every chapter shows.
* A typed number **matches** when its absolute value equals a data value's (a "12% reduction" is the
  value -12), or, written with a percent sign, a proportion times 100 (0.26 shown as 26%).
  Integers from 0 to 10 written without a percent sign are not matched: they count things ("two of
  four", "Segment 1") far more often than they quote a measurement.
* The allow-list, ``NOT_DATA``, names the few kinds of number that are not data, each with its reason.

A chapter converted to glue has no typed data number left. A chapter not converted yet is listed in
``PENDING`` with the count found when the test was written; the count may only fall, and a chapter
not listed must have none.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from review_evidence.paths import REPO_ROOT

#: Numbers in prose that are not data, each with the reason. A pattern's match is skipped whole.
NOT_DATA: dict[str, str] = {
    r"\b(?:19|20)\d\d\b": "a year: a paper's date, a citation or an event, not a measurement",
    r"(?:Tables?|Figures?|Fig\.|Equations?|Eq\.|§|Segments?|Sections?|references?|\[)\s*\d+(?:\.\d+)*"
    r"(?:\s*(?:and|to|-|–|,)\s*\d+)?": "a locator: a table, figure, equation, section or reference named by its number",
    r"^\s*\d+\.\s": "a numbered list item",
    r"\|\s*\d+[a-z]?(?:\s+to\s+\d+[a-z]?)?,\s": "a checklist item number, named beside it in the appraisal's criteria table",
    r"\b\d+(?:\s*[–-]\s*\d+)?\s*(?:min|minutes|hours)\b|\b\d+-minute\b": "a reading or teaching time (Prerequisites, a session plan)",
    r"\b\d+\s*/\s*\d+\s+(?:train-test\s+)?split\b": "a train-test split named by its shares (the method, not a result)",
    r"(?:(?:at|below|above|level of|α\s*=|p\s*[<>≤≥])\s*)0?\.0[15]\b|\b(?:80|90|95|99)\s*%\s*(?:confidence|intervals?|power)\b|\bt\(0\.975\b|\b5\s*%\s*level\b": (
        "a conventional statistical level (significance at .05, a 95% interval and its t(0.975, df), 80% power), "
        "chosen, not measured"
    ),
    r"[−-]\s*1\)\s*×\s*100\b": "the 1 and 100 of the percent-change formula, (after / before − 1) × 100",
    r'"\+25% CLTV"': "the paper's own rounding of the CLTV change, quoted as text: no table cell holds it",
}

#: Chapter -> typed data numbers found when the test was written (not converted to glue yet). A count
#: may only fall: convert a chapter's numbers to ``{glue:text}``, then lower its count or drop it.
PENDING: dict[str, int] = {
}
# A chapter cannot yet paste another chapter's glued value ({glue:text}`engagement_study.ipynb::…`): the
# slide decks (review_evidence/sphinxext/slides.py) resolve only the chapter's own glue. book/ pages can.

NUMBER = re.compile(r"(?<![\w.,])[-−+]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?![\w])(\s*%)?")
ROLE = re.compile(r"\{[\w:.-]+\}`[^`]*`")
INLINE_CODE = re.compile(r"``[^`]+``|`[^`]+`")
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})(.*)$")
OPTION = re.compile(r"^\s*:([\w-]+):(.*)$")
LINK_TARGET = re.compile(r"\]\([^)]*\)")
HTML_TAG = re.compile(r"<[^>]+>")


def prose_of(markdown: str) -> str:
    """The markdown as a reader reads it: no code, no roles, no directive options but alt texts."""
    kept, fences = [], []  # fences: the open fences, each (marker, is_code)
    for line in markdown.splitlines():
        fence = FENCE.match(line)
        if fence:
            marker, info = fence.group(2), fence.group(3).strip()
            if fences and marker == fences[-1][0] and not info:
                fences.pop()
                continue
            if not fences or not fences[-1][1]:
                # a directive ({figure}, {exercise}, …) holds prose; anything else holds code
                fences.append((marker, not info.startswith("{") or info.startswith(("{code", "{glue"))))
                continue
        if fences and fences[-1][1]:
            continue
        option = OPTION.match(line)
        if fences and option:
            if option.group(1) == "alt":
                kept.append(option.group(2))
            continue
        kept.append(line)
    text = "\n".join(kept)
    for pattern in (ROLE, INLINE_CODE, LINK_TARGET, HTML_TAG):
        text = pattern.sub(" ", text)
    return text


def typed_numbers(prose: str) -> list[tuple[str, float, bool]]:
    """Each number typed in the prose, as (text, absolute value, written with a percent sign)."""
    skipped = [match.span() for pattern in NOT_DATA for match in re.finditer(pattern, prose, re.MULTILINE)]
    numbers = []
    for match in NUMBER.finditer(prose):
        text = match.group(0).strip()
        digits = text.rstrip("% ").lstrip("-−+").replace(",", "")
        if not any(character.isdigit() for character in digits):
            continue
        if any(
            start <= match.start() and match.end() - len(match.group(0)) + len(match.group(0).rstrip()) <= end
            for start, end in skipped
        ):
            continue
        numbers.append((text, abs(float(digits)), bool(match.group(1))))
    return numbers


def _numbers_in(values) -> set[float]:
    return {round(abs(float(value)), 9) for value in values if isinstance(value, (int, float)) and math.isfinite(value)}


@cache
def data_values(data_folder: Path) -> frozenset[float]:
    values: set[float] = set()
    for path in sorted(data_folder.glob("*.csv")):
        frame = pd.read_csv(path)
        for column in frame.select_dtypes("number"):
            values |= _numbers_in(frame[column].dropna().tolist())
    return frozenset(values)


def shown_values(notebook: dict) -> set[float]:
    """The numbers a chapter's code cells show (text/plain outputs): the values it derives."""
    shown: set[float] = set()
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            text = "".join(output.get("data", {}).get("text/plain", ""))
            shown |= {value for _, value, _ in typed_numbers(text)}
    return shown


def is_data(value: float, percent: bool, values: frozenset[float] | set[float]) -> bool:
    if value <= 10 and value == int(value) and not percent:
        return False
    candidates = {round(value, 9)} | ({round(value / 100, 9)} if percent else set())
    return bool(candidates & values)


def chapter_prose(book: Path) -> dict[str, tuple[str, set[float]]]:
    """Chapter name -> (its prose, the numbers it shows)."""
    chapters, all_shown = {}, set()
    for path in sorted((book / "notebooks").glob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        markdown = "\n\n".join("".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown")
        shown = shown_values(notebook)
        all_shown |= shown
        chapters[f"notebooks/{path.stem}"] = (prose_of(markdown), shown)
    for path in sorted((book / "book").glob("*.md")):
        chapters[f"book/{path.stem}"] = (prose_of(path.read_text(encoding="utf-8")), all_shown)
    return chapters


def typed_data_numbers(book: Path) -> dict[str, list[str]]:
    """Chapter -> the data numbers its prose types rather than generates."""
    values = data_values(book / "data")
    found = {}
    for chapter, (prose, shown) in chapter_prose(book).items():
        typed = [text for text, value, percent in typed_numbers(prose) if is_data(value, percent, values | shown)]
        if typed:
            found[chapter] = typed
    return found


def test_no_chapter_types_more_data_numbers_than_it_did():
    found = typed_data_numbers(REPO_ROOT)
    grown = {chapter: numbers for chapter, numbers in found.items() if len(numbers) > PENDING.get(chapter, 0)}
    assert not grown, "numbers typed in prose that equal a data value; glue them ({glue:text}) instead:\n" + "\n".join(
        f"{chapter}: {len(numbers)} typed (allowed {PENDING.get(chapter, 0)}): {', '.join(numbers)}"
        for chapter, numbers in grown.items()
    )


def test_pending_counts_are_current():
    """A chapter that typed fewer numbers than PENDING says must lower its count: progress is kept."""
    found = typed_data_numbers(REPO_ROOT)
    stale = {
        chapter: (count, len(found.get(chapter, [])))
        for chapter, count in PENDING.items()
        if len(found.get(chapter, [])) < count
    }
    assert not stale, "lower PENDING to the counts found: " + ", ".join(
        f"{chapter}: {now} (listed {count})" for chapter, (count, now) in stale.items()
    )


# --- The scanner fails on broken input -------------------------------------------------------------

GLUE_ROLE = re.compile(r"\{glue:text\}`(?:[^`:]+\.ipynb::)?([^`:]+)(?::([^`]*))?`")


def _glued_values(notebook: dict) -> dict[str, str]:
    """Each glued key's value as myst-nb stores it (the text/plain of the glue output)."""
    values = {}
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                values[name] = output["data"]["application/papermill.record/text/plain"]
    return values


@pytest.mark.parametrize("chapter", ["segmentation_case", "engagement_study", "model_benchmark"])
def test_a_glued_number_typed_by_hand_is_reported_with_its_chapter(chapter, tmp_path):
    """A converted chapter with one {glue:text} role replaced by the text it renders fails the scan."""
    from myst_nb.core.variables import format_plain_text  # what myst-nb itself renders a role with

    notebook = json.loads((REPO_ROOT / "notebooks" / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    glued = _glued_values(notebook)
    for cell in notebook["cells"]:
        role = GLUE_ROLE.search("".join(cell["source"])) if cell["cell_type"] == "markdown" else None
        if role:
            typed = format_plain_text(glued[role.group(1)], role.group(2) or "s")
            cell["source"] = "".join(cell["source"]).replace(role.group(0), typed, 1)
            break
    else:
        pytest.fail(f"{chapter} has no {{glue:text}} role to replace")
    book = tmp_path / "book"
    (book / "notebooks").mkdir(parents=True)
    (book / "book").mkdir()
    (book / "data").symlink_to(REPO_ROOT / "data")
    (book / "notebooks" / f"{chapter}.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    before = typed_data_numbers(REPO_ROOT).get(f"notebooks/{chapter}", [])
    assert len(before) == PENDING.get(f"notebooks/{chapter}", 0)
    after = typed_data_numbers(book)
    assert list(after) == [f"notebooks/{chapter}"]
    assert Counter(after[f"notebooks/{chapter}"]) - Counter(before) == Counter([typed])
    assert len(after[f"notebooks/{chapter}"]) > PENDING.get(f"notebooks/{chapter}", 0)  # so the main test fails


def test_typed_numbers_are_read_as_a_reader_reads_them():
    prose = prose_of(
        "A 12% reduction, r = .72 and 1,094.85 in Table 3 (2020).\n\n"
        "```python\nprint(43.2)\n```\n"
        "Glued: {glue:text}`x-value:.1f`, code `58.05`.\n"
        "```{figure} chart.png\n:alt: A bar of 95.79 percent\n:width: 90%\n\nCaption with 47.7.\n```\n"
    )
    assert [(text, value, percent) for text, value, percent in typed_numbers(prose)] == [
        ("12%", 12.0, True),
        (".72", 0.72, False),
        ("1,094.85", 1094.85, False),
        ("95.79", 95.79, False),
        ("47.7", 47.7, False),
    ]


def test_a_number_is_data_by_its_size_a_percent_of_a_proportion_but_not_a_small_count():
    values = frozenset({12.0, 0.26, 4.0, 57.7})
    assert is_data(12.0, True, values)  # "a 12% reduction" of the value -12
    assert is_data(26.0, True, values)  # 0.26 written as 26%
    assert not is_data(26.0, False, values)  # 26 without % is not 0.26
    assert not is_data(4.0, False, values)  # a small whole number counts things
    assert is_data(4.0, True, values)
    assert not is_data(57.69, False, values)


def test_every_allow_list_entry_gives_a_reason_and_matches_an_example():
    examples = {
        "a year": "Article · July 2020",
        "a locator": "Table 3 and §4.1",
        "a numbered list item": "1. the five segments",
        "a checklist item number": "| 3, literature search | 2b to 2e, code | 12, statistical methods |",
        "a reading or teaching time": "| Necessary | 25 minutes | and | 15–40 min | of three 90-minute sessions",
        "a train-test split": "a 70/30 train-test split",
        "the 1 and 100 of the percent-change formula": "(after / before − 1) × 100",
        "the paper's own rounding": 'rounds it to "+25% CLTV"',
        "a conventional statistical level": "a test at .05 (the 5% level), 80% power, 95% intervals from t(0.975, df)",
    }
    for pattern, reason in NOT_DATA.items():
        example = next((text for start, text in examples.items() if reason.startswith(start)), None)
        assert example is not None, f"no example for the allow-list entry {pattern!r} ({reason})"
        assert re.search(pattern, example, re.MULTILINE), (pattern, example)
        assert typed_numbers(example) == [], (reason, typed_numbers(example))
