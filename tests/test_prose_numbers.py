"""Numbers in prose come from the data: a number typed in a chapter's text that equals a data value fails.

The rule, kept simple on purpose:

* **Prose** is every markdown cell of a chapter (notebooks/*.ipynb) and every page in book/*.md,
  captions and alt texts included, minus code (fenced blocks, inline code), roles (``{glue:text}``,
  ``{cite:t}``, ``{doc}``, …: a glued number is generated, not typed) and directive options other
  than ``:alt:``. A chapter's **figure text**, the captions and alt texts kept in its code cells'
  metadata (``mystnb.figure.caption``, ``mystnb.image.alt``), is prose too, read by the same rules and
  counted apart as ``notebooks/<chapter> (figures)``. A chart's alt text is not typed at all: the
  chart's generated description is (``review_evidence/sphinxext/figure_alt.py``).
* **A data value** is a cell of a numeric column of data/*.csv, or a number the chapter itself shows
  in a code cell's output (its tables print the values it derives, such as a recomputed percent
  change or F1). Book pages, which show no outputs, are held against the numbers every chapter shows.
* A typed number **matches** when its absolute value equals a data value's (a "12% reduction" is the
  value -12), or, written with a percent sign, a proportion times 100 (0.26 shown as 26%).
  Integers from 0 to 10 written without a percent sign are not matched: they count things ("two of
  four", "Segment 1") far more often than they quote a measurement.
* The allow-list, ``NOT_DATA``, names the few kinds of number that are not data, each with its reason.

Every chapter and page is converted: none may type a data number.
"""

from __future__ import annotations

import json
import math
import re
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from review_evidence.paths import REPO_ROOT
from review_evidence.sphinxext.glued import glued_values

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


def figure_text(notebook: dict) -> str:
    """The captions and alt texts a chapter keeps in its code cells' metadata, one paragraph each."""
    texts = []
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        options = cell.get("metadata", {}).get("mystnb", {})
        texts += [options.get("figure", {}).get("caption", ""), options.get("image", {}).get("alt", "")]
    return "\n\n".join(text for text in texts if text)


def chapter_prose(book: Path) -> dict[str, tuple[str, set[float]]]:
    """Chapter name -> (its prose, the numbers it shows); a chapter's figure text is its own entry."""
    chapters, all_shown = {}, set()
    for path in sorted((book / "notebooks").glob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        markdown = "\n\n".join("".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown")
        shown = shown_values(notebook)
        all_shown |= shown
        chapters[f"notebooks/{path.stem}"] = (prose_of(markdown), shown)
        chapters[f"notebooks/{path.stem} (figures)"] = (prose_of(figure_text(notebook)), shown)
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


def test_no_chapter_types_a_data_number():
    found = typed_data_numbers(REPO_ROOT)
    assert not found, "numbers typed in prose that equal a data value; glue them ({glue:text}) instead:\n" + "\n".join(
        f"{chapter}: {', '.join(numbers)}" for chapter, numbers in found.items()
    )


# --- The scanner fails on broken input -------------------------------------------------------------

GLUE_ROLE = re.compile(r"\{glue:text\}`(?:[^`:]+\.ipynb::)?([^`:]+)(?::([^`]*))?`")


@pytest.mark.parametrize("chapter", ["segmentation_case", "engagement_study", "model_benchmark"])
def test_a_glued_number_typed_by_hand_is_reported_with_its_chapter(chapter, tmp_path):
    """A converted chapter with one {glue:text} role replaced by the text it renders fails the scan."""
    from myst_nb.core.variables import format_plain_text  # what myst-nb itself renders a role with

    notebook = json.loads((REPO_ROOT / "notebooks" / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    glued = glued_values(notebook)
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
    assert f"notebooks/{chapter}" not in typed_data_numbers(REPO_ROOT)
    after = typed_data_numbers(book)
    assert after == {f"notebooks/{chapter}": [typed]}  # so the main test fails, naming it


@pytest.mark.parametrize("where", ["caption", "alt"])
def test_a_data_number_typed_into_a_figures_caption_or_alt_text_is_reported(where, tmp_path):
    """The figure text in code cells' metadata is prose too: a caption whose glued number is typed
    back, or an alt text typed with a data value, fails the scan under ``<chapter> (figures)``."""
    from myst_nb.core.variables import format_plain_text

    chapter = "model_benchmark"
    notebook = json.loads((REPO_ROOT / "notebooks" / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    glued = glued_values(notebook)
    figures = [cell for cell in notebook["cells"] if "figure" in cell.get("metadata", {}).get("mystnb", {})]
    if where == "caption":
        figure = next(
            c["metadata"]["mystnb"]["figure"]
            for c in figures
            if GLUE_ROLE.search(c["metadata"]["mystnb"]["figure"]["caption"])
        )
        role = GLUE_ROLE.search(figure["caption"])
        typed = format_plain_text(glued[role.group(1)], role.group(2) or "s")
        figure["caption"] = figure["caption"].replace(role.group(0), typed, 1)
    else:
        typed = f"{float(glued['model_benchmark-gan-accuracy']):g}"
        figures[0]["metadata"]["mystnb"]["image"] = {"alt": f"Four bars for the GAN: accuracy {typed} percent."}
    book = tmp_path / "book"
    (book / "notebooks").mkdir(parents=True)
    (book / "book").mkdir()
    (book / "data").symlink_to(REPO_ROOT / "data")
    (book / "notebooks" / f"{chapter}.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    key = f"notebooks/{chapter} (figures)"
    assert key not in typed_data_numbers(REPO_ROOT)
    after = typed_data_numbers(book)
    assert after[key] == [typed]  # so the main test fails, naming it


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
