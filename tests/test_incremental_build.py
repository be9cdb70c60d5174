"""A data edit re-executes exactly the notebooks that read the edited table: no stale pages, no waste.

Runs real ``jupyter-book build`` commands on a copy of the book (in a temporary folder), starting
from the execution cache of the README's build when there is one, so nothing tracked is touched.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_of_the_book

from review_evidence.notebook_data import declared_tables
from review_evidence.paths import BOOK_ROOT_VARIABLE
from review_evidence.tables import table_files

# Both myst-nb and the pre-executor (review_evidence/sphinxext/preexecute.py) log this per notebook they execute.
EXECUTED = re.compile(r"notebooks/([\w-]+)\.ipynb: Executing notebook")
MYSTNB_EXECUTED = re.compile(r"notebooks/([\w-]+)\.ipynb: Executing notebook using")
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")


def _build(book: Path) -> tuple[set[str], str]:
    # the copy's own data, in the build and in the kernels it starts
    environment = {**os.environ, BOOK_ROOT_VARIABLE: str(book)}
    result = subprocess.run(
        [str(JUPYTER_BOOK), "build", str(book), "-W", "-n", "--keep-going"],
        capture_output=True,
        text=True,
        timeout=1800,
        env=environment,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-4000:]
    return set(EXECUTED.findall(log)), log


def _readers_of(relative_file: str, book: Path) -> set[str]:
    readers = set()
    for path in (book / "notebooks").glob("*.ipynb"):
        tables = declared_tables(json.loads(path.read_text(encoding="utf-8"))) or []
        if (book / relative_file) in table_files(tables, book / "data" / "datapackage.json"):
            readers.add(path.stem)
    return readers


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    # otter's output (.classroom-cache) is keyed on its inputs, like the execution cache
    copy = copy_of_the_book(tmp_path_factory.mktemp("book"), ".jupyter_cache", ".classroom-cache")
    _build(copy)  # warm: executes only what the README's build has not cached
    return copy


def test_a_no_op_rebuild_executes_nothing(book):
    executed, _ = _build(book)
    assert executed == set()


def test_a_table_edit_reexecutes_exactly_its_readers(book):
    studies = book / "data" / "studies.csv"
    studies.write_text(
        studies.read_text(encoding="utf-8").replace(
            "Engagement regression (Ali et al.)", "Engagement regression (Ali and co-authors; edited)"
        ),
        encoding="utf-8",
    )
    expected = _readers_of("data/studies.csv", book)
    assert "studies_at_a_glance" in expected
    assert len(expected) < len(list((book / "notebooks").glob("*.ipynb"))), "every notebook reads studies.csv?"
    executed, log = _build(book)
    assert executed == expected
    assert MYSTNB_EXECUTED.findall(log) == [], "the pre-executor ran them, so myst-nb should find them all cached"
    page = (book / "_build" / "html" / "notebooks" / "studies_at_a_glance.html").read_text(encoding="utf-8")
    assert "Ali and co-authors; edited" in page
    assert "Engagement regression (Ali et al.)" not in page


def test_a_prose_edit_executes_no_notebook(book):
    preface = book / "book" / "preface.md"
    preface.write_text(
        preface.read_text(encoding="utf-8") + "\nAn added sentence for the rebuild test.\n", encoding="utf-8"
    )
    executed, _ = _build(book)
    assert executed == set()
    assert "An added sentence for the rebuild test." in (book / "_build" / "html" / "book" / "preface.html").read_text(
        encoding="utf-8"
    )
