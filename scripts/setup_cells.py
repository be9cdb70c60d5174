"""Give every chapter the setup cell that finds the book's package and data (the course pack's entry point).

Usage:  python scripts/setup_cells.py [--check]

The cell's text lives once, in ``review_evidence.sphinxext.classroom.SETUP_CELL``; this script puts
it (as the first code cell, hidden in the book) into every ``notebooks/*.ipynb``, or replaces an older
version of it. ``--check`` changes nothing and exits 1 if a notebook lacks the current cell
(``tests/test_classroom.py`` runs the same check). Re-execute the notebooks afterwards
(``scripts/run_notebooks.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from review_evidence.sphinxext.classroom import SETUP_CELL, SETUP_CELL_ID, chapter_notebooks, setup_cell  # noqa: E402


def with_setup_cell(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    cells = [c for c in notebook.cells if c.get("id") != SETUP_CELL_ID]
    first_code = next((i for i, c in enumerate(cells) if c.cell_type == "code"), len(cells))
    cells.insert(first_code, nbformat.from_dict(setup_cell()))
    notebook.cells = cells
    return notebook


def has_current_setup_cell(notebook: dict) -> bool:
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    return bool(code) and code[0].get("id") == SETUP_CELL_ID and "".join(code[0]["source"]) == SETUP_CELL


def main(arguments: list[str]) -> int:
    stale = []
    for path in chapter_notebooks(ROOT):
        notebook = nbformat.read(path, as_version=4)
        if has_current_setup_cell(notebook):
            continue
        stale.append(path.name)
        if "--check" not in arguments:
            nbformat.write(with_setup_cell(notebook), path)
    if stale:
        print(("lacking the current setup cell: " if "--check" in arguments else "updated: ") + ", ".join(stale))
    return 1 if stale and "--check" in arguments else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
