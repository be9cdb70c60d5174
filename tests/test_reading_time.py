"""The teaching page's reading times are computed from the pages' words at build time, not typed.

A small Sphinx project holding copies of two of the book's pages and a page that asks for their
reading time is built, one page is lengthened, and the rebuilt time changes. (Building the whole
book twice would prove the same in minutes instead of seconds.)
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from docutils import nodes

from review_evidence.paths import REPO_ROOT
from review_evidence.sphinxext.reading_time import count_words, minutes_for

TIME = re.compile(r"about (\d+) minutes, ([\d,]+) words")


def _build(source: Path, output: Path) -> str:
    # incremental, as a teacher's rebuild would be: the plan page is rebuilt because a page it times changed
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "-q",
            "-b",
            "html",
            "-d",
            str(output / "doctrees"),
            str(source),
            str(output / "html"),
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return (output / "html" / "plan.html").read_text(encoding="utf-8")


def _project(folder: Path) -> Path:
    source = folder / "src"
    (source / "book").mkdir(parents=True)
    shutil.copy(REPO_ROOT / "book" / "glossary.md", source / "book" / "glossary.md")
    (source / "book" / "reading.md").write_text("# A reading\n\nOne two three four five.\n", encoding="utf-8")
    (source / "conf.py").write_text(
        "extensions = ['myst_parser', 'review_evidence.sphinxext.reading_time']\n"
        "myst_enable_extensions = ['colon_fence', 'deflist']\nsuppress_warnings = ['myst.xref_missing', 'ref.term']\n",
        encoding="utf-8",
    )
    (source / "index.md").write_text(
        "# Index\n\n```{toctree}\nplan\nbook/glossary\nbook/reading\n```\n", encoding="utf-8"
    )
    (source / "plan.md").write_text(
        "# Plan\n\nRead {reading-time}`book/glossary book/reading` before class.\n", encoding="utf-8"
    )
    return source


def test_the_reading_time_follows_the_length_of_the_pages(tmp_path):
    source = _project(tmp_path)
    minutes, words = TIME.search(_build(source, tmp_path / "build")).groups()
    assert int(words.replace(",", "")) > 500, "the glossary copy should count its words"

    reading = source / "book" / "reading.md"
    reading.write_text(reading.read_text(encoding="utf-8") + "\n" + "word " * 3000 + "\n", encoding="utf-8")
    new_minutes, new_words = TIME.search(_build(source, tmp_path / "build")).groups()

    assert int(new_words.replace(",", "")) == int(words.replace(",", "")) + 3000
    assert int(new_minutes) == minutes_for(int(new_words.replace(",", "")), 200) > int(minutes)


def test_code_is_not_counted_but_printed_tables_are():
    page = nodes.section(
        "",
        nodes.paragraph("", "three plain words"),
        nodes.literal_block("", "import pandas as pd  # not read"),
        nodes.raw(
            "",
            "<table><td>printed data</td></table><script>var spec = {a: 1};</script><style>td { color: red }</style>",
            format="html",
        ),
    )
    assert count_words(page) == 5


def test_minutes_round_up_to_five():
    assert minutes_for(1, 200) == 5
    assert minutes_for(1000, 200) == 5
    assert minutes_for(1001, 200) == 10
    assert minutes_for(11000, 200) == 55
