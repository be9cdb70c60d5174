"""frictionless checks each table version once; a notebook kernel then loads tables without importing it."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from review_evidence import DataValidationError
from review_evidence.tables import check_tables
from review_evidence.validation import _schema_problems, read_rows

BAD_INPUTS = Path(__file__).parent / "bad_inputs"
RATING_SCHEMA = json.loads(
    (Path(__file__).parent.parent / "data" / "schemas" / "rating.schema.json").read_text(encoding="utf-8")
)
SCALES = (read_rows(Path(__file__).parent.parent / "data" / "scales.csv"), {"fields": [{"name": "scale"}]})

KERNEL = """
import sys
from review_evidence import load_table, table_names
for name in table_names():
    load_table(name)
print("frictionless" in sys.modules)
"""


def test_a_kernel_loads_every_table_without_importing_frictionless():
    check_tables()  # what the build does before any notebook runs
    loaded = subprocess.run([sys.executable, "-c", KERNEL], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "False", "a table version frictionless passed was checked again in a fresh process"


def test_a_table_edited_after_it_passed_is_checked_again():
    """The verdict is keyed on the rows themselves: a passed version cannot vouch for an edited one."""
    path = BAD_INPUTS / "good.csv"  # inside the book, so its pass is remembered
    header, rows = read_rows(path)
    assert _schema_problems(path, RATING_SCHEMA, header, rows, {"scales": SCALES}, {}) == []
    rows[1] = [*rows[1][:2], "seven", *rows[1][3:]]
    problems = _schema_problems(path, RATING_SCHEMA, header, rows, {"scales": SCALES}, {})
    assert [str(p) for p in problems] == [
        "tests/bad_inputs/good.csv, row 3, column 'value': 'seven' is not a valid number"
    ]


def test_checking_every_table_stops_at_a_broken_one():
    with pytest.raises(DataValidationError, match="tests/bad_inputs/"):
        check_tables(BAD_INPUTS / "datapackage.json")


def test_a_broken_table_stops_the_build_before_any_notebook_runs():
    from sphinx.errors import ExtensionError

    from review_evidence.paths import BIBLIOGRAPHY
    from review_evidence.sphinxext.data_deps import check_sources

    with pytest.raises(ExtensionError, match=r"the data cannot be used; \d+ problems? found:\n  - tests/bad_inputs/"):
        check_sources(None, BIBLIOGRAPHY, BAD_INPUTS / "datapackage.json")
    check_sources(None)  # the book's own data passes
