"""Is a committed notebook executed, and are its outputs current? A check cheap enough for a commit hook.

nbval (in ``pytest``) settles the question fully by re-running every notebook, which takes a minute.
This module answers the part that needs no kernel, from the file alone:

* **executed**: every non-empty code cell has an execution count, and the counts run 1, 2, 3, ... in
  cell order, so the notebook was run top to bottom in one fresh kernel and no cell was added or
  re-run by hand since; a cell whose last statement is an expression (no trailing ``;``) has output.
* **current**: ``scripts/run_notebooks.py`` records, in the notebook's metadata, a hash of its code
  cells and the fingerprint of the files its outputs depend on: the tables it declares and the
  analysis library's modules (``dependency_files``, the one the build's execution cache uses). If a
  code cell or one of those files has changed since, the outputs may be stale: re-run the notebook.
  nbval, in the test suite, settles whether they really changed.
"""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

from .notebook_data import FINGERPRINT_CELL_ID, METADATA_KEY, data_fingerprint, declared_tables, dependency_files
from .paths import relative

#: Where run_notebooks.py records what a notebook was executed with (inside ``metadata.review_evidence``).
RECORD_KEY = "executed_with"
RERUN = "re-run it with `python scripts/run_notebooks.py {path}`"


def _code_cells(notebook: dict) -> list[dict]:
    return [c for c in notebook["cells"] if c["cell_type"] == "code" and c.get("id") != FINGERPRINT_CELL_ID]


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def code_hash(notebook: dict) -> str:
    """A hash of the code cells' sources, in order: it changes when, and only when, the code does."""
    digest = hashlib.sha256()
    for cell in _code_cells(notebook):
        digest.update(_source(cell).encode())
        digest.update(b"\0")
    return digest.hexdigest()


def data_hash(notebook: dict) -> str | None:
    """The fingerprint of the files the notebook's outputs depend on, or None if it declares no table."""
    tables = declared_tables(notebook)
    return data_fingerprint(dependency_files(tables)) if tables else None


def execution_record(notebook: dict) -> dict:
    """What run_notebooks.py stores after executing a notebook, to compare with later."""
    record = {"code": code_hash(notebook)}
    data = data_hash(notebook)
    if data is not None:
        record["data"] = data
    return record


def _shows_output(source: str) -> bool:
    """Whether the cell's last statement is an expression whose value Jupyter displays."""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return False
    return bool(body) and isinstance(body[-1], ast.Expr) and not source.rstrip().endswith(";")


def notebook_problems(notebook: dict, path: Path) -> list[str]:
    """Everything that shows the notebook was not executed, or was executed before its code or data changed."""
    where = relative(path)
    problems = []
    expected = 1
    for index, cell in enumerate(notebook["cells"], start=1):
        if cell["cell_type"] != "code" or cell.get("id") == FINGERPRINT_CELL_ID:
            continue
        source = _source(cell)
        if not source.strip():
            continue
        label = f"{where}: cell {index} (id {cell.get('id', '?')})"
        count = cell.get("execution_count")
        if count is None:
            problems.append(f"{label} was never executed")
        elif count != expected:
            problems.append(
                f"{label} has execution count {count}, expected {expected}: the notebook was not run "
                "top to bottom in one fresh kernel"
            )
        if count is not None:
            expected = count + 1
        if count is not None and _shows_output(source) and not cell.get("outputs"):
            problems.append(f"{label} ends in an expression but has no output")
    record = notebook.get("metadata", {}).get(METADATA_KEY, {}).get(RECORD_KEY)
    if record is None:
        problems.append(f"{where}: no record of its execution (metadata.{METADATA_KEY}.{RECORD_KEY})")
    else:
        current = execution_record(notebook)
        if record.get("code") != current["code"]:
            problems.append(f"{where}: a code cell changed after the notebook was executed")
        if record.get("data") != current.get("data"):
            problems.append(f"{where}: a data file it reads (its declared tables) changed after it was executed")
    if problems:
        problems.append(f"{where}: {RERUN.format(path=where)}")
    return problems
