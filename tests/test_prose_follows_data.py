"""Proof in a copy: edit three values in three tables, rebuild, and the prose shows the new values.

The chapters converted to glue (``tests/test_prose_numbers.py``) and the preface, which pastes their
numbers, must show an edited value everywhere they showed the old one, text included. The test builds
a copy of the book (the repository is never touched) as the README builds it (warnings are errors),
from the execution cache of the README's build, edits the copy's tables and rebuilds it, so only the
notebooks that read the edited tables execute, and reads the prose of the built pages: the text outside code
cells and their outputs, whose tables follow the data anyway.

Each edit keeps the data valid: a reported value's quote is edited with it, and the printed change
stays consistent with the printed values, so every verdict and count in the text still holds.
"""

import os
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup
from conftest import copy_of_the_book

from review_evidence.paths import BOOK_ROOT_VARIABLE

JUPYTER_BOOK = os.path.join(os.path.dirname(sys.executable), "jupyter-book")

# (table, line as committed, line as edited): one value in each of three tables, with its quote, and
# the one table that repeats one of them.
EDITS = [
    (
        "segmentation_kpis.csv",
        "Conversion Rate,2.6,4.1,percent,57.7,+57.7%,percent change,charlotte2020segmentation,"
        "Results: Business Performance Metrics,Conversion Rate 2.6% 4.1% +57.7%,",
        "Conversion Rate,2.6,4.2,percent,61.5,+61.5%,percent change,charlotte2020segmentation,"
        "Results: Business Performance Metrics,Conversion Rate 2.6% 4.2% +61.5%,",
    ),
    (
        "segmentation_uplifts.csv",
        "dormant users reactivated,share of segment,26,,,percent,reported,charlotte2020segmentation,"
        "Results: Dormant User Reactivation,These efforts reactivated 26% of dormant users,",
        "dormant users reactivated,share of segment,27,,,percent,reported,charlotte2020segmentation,"
        "Results: Dormant User Reactivation,These efforts reactivated 27% of dormant users,",
    ),
    ("benchmark_results.csv", "95.79", "95.81"),  # the GAN's accuracy: value, quotes and notes alike
    # The stronger-evidence table repeats the conversion change beside the experiments;
    # tests/test_data_integrity.py keeps the two equal, so an edit to one is made in both.
    (
        "stronger_evidence.csv",
        "Conversion rate,57.7,percent change,,,none (no sample size or variance printed),reported,"
        "Results: Business Performance Metrics,Conversion Rate 2.6% 4.1% +57.7%,",
        "Conversion rate,61.5,percent change,,,none (no sample size or variance printed),reported,"
        "Results: Business Performance Metrics,Conversion Rate 2.6% 4.2% +61.5%,",
    ),
]

# Page -> (text the prose must now show, text it showed before and must no longer show).
EXPECTED = {
    "notebooks/segmentation_case": (
        [
            "from 2.6% to 4.2%",  # before and after
            "relative change (+61.5%)",  # the printed change
            "is a rise of 61.54%",  # recomputed: (4.2 / 2.6 - 1) x 100
            "but by 1.6 percentage points",  # after - before
            "27% of dormant users were reactivated",
            "The 27% is a share",
        ],
        ["4.1%", "57.7", "1.5 percentage points", "26%"],
    ),
    "notebooks/model_benchmark": (
        ["classify 95.81% of cases", "the 95.81% test accuracy"],
        ["95.79"],
    ),
    "book/preface": (["rises from 2.6% to 4.2%", "The GAN’s 95.81% accuracy"], ["4.1%", "95.79"]),
    "book/teaching": (
        ["Conversion rose from 2.6% to 4.2%. By how", "By 1.6 percentage points, a relative increase of 61.5%"],
        ["4.1%", "57.7"],
    ),
    "book/takeaways": (
        ["conversion rate from 2.6% to 4.2%, +61.5%", "case study’s +61.5% conversion", "with 95.81% accuracy"],
        ["4.1%", "57.7", "95.79"],
    ),
}


def _prose(page) -> str:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article")
    for node in article.select("div.cell_input, div.cell_output, script, style, table"):
        node.decompose()
    return " ".join(article.get_text("").split())


def _build(book) -> None:
    result = subprocess.run(
        [JUPYTER_BOOK, "build", str(book), "-W", "-n", "--keep-going"],
        capture_output=True,
        text=True,
        timeout=1800,
        env={**os.environ, BOOK_ROOT_VARIABLE: str(book)},  # the copy's own data, in the build and its kernels
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]


@pytest.fixture(scope="module")
def edited_book(tmp_path_factory):
    book = copy_of_the_book(tmp_path_factory.mktemp("edited"), ".jupyter_cache", ".classroom-cache")
    # Built before the edit, as a writer's book is: the rebuild must also refresh the pages it does
    # not re-read on its own, such as the preface, which pastes numbers from the chapters.
    _build(book)
    for table, committed, edited in EDITS:
        path = book / "data" / table
        text = path.read_text(encoding="utf-8")
        assert committed in text, f"{table} no longer holds {committed!r}: choose another value to edit"
        path.write_text(text.replace(committed, edited), encoding="utf-8")
    _build(book)
    return book


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_an_edited_value_reaches_the_prose(edited_book, page):
    prose = _prose(edited_book / "_build" / "html" / f"{page}.html")
    shown, gone = EXPECTED[page]
    assert [text for text in shown if text not in prose] == [], f"{page} does not show the edited values"
    assert [text for text in gone if text in prose] == [], f"{page} still shows values from before the edit"


def _captions(page) -> str:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return " ".join(" ".join(caption.get_text("").split()) for caption in soup.select("article figcaption"))


#: The edited values as the text printed them before the edit, wherever it did.
OLD_VALUES = sorted({text for _, gone in EXPECTED.values() for text in gone})


def test_no_page_keeps_a_value_from_before_the_edit(edited_book):
    """Every page of the book, not only those named above: its text and its figure captions."""
    html = edited_book / "_build" / "html"
    stale = {}
    for page in sorted(html.rglob("*.html")):
        if {"_static", "_downloads", "_sources"} & set(page.relative_to(html).parts):
            continue
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        if soup.select_one("article") is None:
            continue
        text = _prose(page) + " " + _captions(page)
        found = [value for value in OLD_VALUES if value in text]
        if found:
            stale[str(page.relative_to(html))] = found
    assert not stale, f"pages still showing values from before the edit: {stale}"
