"""Record in each notebook's metadata the tables it reads (run after adding a load_table call).

Usage:  python scripts/declare_tables.py [NOTEBOOK ...]   (default: every notebook in notebooks/)

It runs the notebook's code in this process with ``tables.record_reads`` and writes the names it saw
to ``metadata.review_evidence.tables``, which the build uses to re-execute a notebook when one of its
tables changes. ``tests/test_data_dependencies.py`` fails if a declaration falls out of date.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import matplotlib
import nbformat

from review_evidence.tables import record_reads, table_names

ROOT = Path(__file__).resolve().parent.parent


def declare(path: Path) -> list[str]:
    notebook = nbformat.read(path, as_version=4)
    namespace = {"__name__": "__notebook__", "display": lambda *a, **k: None}
    cwd = os.getcwd()
    os.chdir(path.parent)
    try:
        with record_reads() as read:
            for cell in notebook.cells:
                if cell.cell_type == "code":
                    exec(compile(cell.source, str(path), "exec"), namespace)
    finally:
        os.chdir(cwd)
    # A notebook that reads every table declares "*", so a new table needs no new declaration.
    declared = ["*"] if read == set(table_names()) else sorted(read)
    notebook.metadata.setdefault("review_evidence", {})["tables"] = declared
    nbformat.write(notebook, path)
    return declared


def main(arguments: list[str]) -> int:
    matplotlib.use("Agg")
    for path in [Path(a) for a in arguments] or sorted((ROOT / "notebooks").glob("*.ipynb")):
        print(f"{path.name}: {', '.join(declare(path.resolve()))}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
