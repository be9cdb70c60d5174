"""Re-execute notebooks in place, so the committed outputs match the data.

Usage:  python scripts/run_notebooks.py [NOTEBOOK ...]     (default: every notebook in notebooks/)

Run it after changing a data table or a notebook: nbval (in ``pytest``) compares each notebook's
committed outputs with a fresh run, so a stale output fails the tests. Timing metadata is not
recorded, so re-running an unchanged notebook leaves the file byte-for-byte unchanged. It records a
hash of the code and data the notebook ran with, which ``scripts/check_notebooks.py`` (a pre-commit
hook) compares with the files as they are.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from review_evidence.notebook_data import METADATA_KEY
from review_evidence.notebook_state import RECORD_KEY, execution_record

ROOT = Path(__file__).resolve().parent.parent


def run(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    notebook.metadata.pop("widgets", None)
    notebook.metadata.setdefault(METADATA_KEY, {})[RECORD_KEY] = execution_record(notebook)
    nbformat.write(notebook, path)


def main(arguments: list[str]) -> int:
    paths = [Path(a) for a in arguments] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for path in paths:
        print(f"executing {path}", flush=True)
        run(path.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
