"""Which tables a notebook reads, and the fingerprint of their files.

Each notebook declares the tables it reads in its metadata
(``"review_evidence": {"tables": ["review_ratings", "orderings"]}``, or ``["*"]`` for all). The build
(``sphinxext.data_deps`` and the pre-executor) adds a hidden cell carrying a hash of those files, so
the execution cache misses exactly when one of them changes; ``notebook_state`` and
``scripts/run_notebooks.py`` use the same hash to tell whether a committed notebook is current. The
functions live here, in the library, so that those tools need no Sphinx.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from .paths import REPO_ROOT
from .tables import table_files, table_names

METADATA_KEY = "review_evidence"
FINGERPRINT_CELL_ID = "data-fingerprint"
# A value pasted from another notebook: {glue:text}`../notebooks/x.ipynb::key`, or a {glue} directive's :doc:.
PASTED_FROM = re.compile(r"\{glue(?::\w+)?\}`([^`:]+\.ipynb)::|^\s*:doc:\s*(\S+\.ipynb)\s*$", re.MULTILINE)


def data_fingerprint(files: list[Path]) -> str:
    """A hash of the files' names and bytes: it changes when, and only when, one of them does."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.resolve().relative_to(REPO_ROOT).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def pasted_glue_sources(path: Path, text: str) -> list[Path]:
    """The files a page's pasted glue values depend on: each notebook it pastes from and that notebook's tables.

    Sphinx re-reads a page only when the page itself is outdated, so a page that pastes a notebook's
    glued number would keep the old number after a data edit re-ran the notebook. Registering these
    files as the page's dependencies makes the same data edit re-read the page too.
    """
    files: set[Path] = set()
    for match in PASTED_FROM.finditer(text):
        notebook_path = (path.parent / (match.group(1) or match.group(2))).resolve()
        if not notebook_path.is_file():
            continue  # myst-nb itself warns about a glue reference to a missing document
        files.add(notebook_path)
        files.update(table_files(declared_tables(json.loads(notebook_path.read_text(encoding="utf-8"))) or []))
    return sorted(files)


def library_files() -> list[Path]:
    """The analysis library's modules: an edit to a chart or a statistic changes every chapter's output.

    The build machinery (``sphinxext``) is left out: it changes how pages are built, not what a
    notebook computes."""
    return sorted((REPO_ROOT / "review_evidence").glob("*.py"))


def dependency_files(tables: list[str]) -> list[Path]:
    """Everything a notebook's outputs depend on besides its own code: its tables' files and the library."""
    return sorted(table_files(tables)) + library_files()


def declared_tables(notebook: dict) -> list[str] | None:
    """The tables a notebook declares it reads, or None if it declares nothing."""
    tables = notebook.get("metadata", {}).get(METADATA_KEY, {}).get("tables")
    if tables is None:
        return None
    return table_names() if list(tables) == ["*"] else list(tables)


def inject_fingerprint(notebook: dict, files: list[Path]) -> dict:
    """The notebook with a hidden code cell whose comment carries the data fingerprint."""
    cell = {
        "cell_type": "code",
        "id": FINGERPRINT_CELL_ID,
        "metadata": {"tags": ["remove-cell"]},
        "execution_count": None,
        "outputs": [],
        "source": f"# Data fingerprint (added at build time so the execution cache sees data edits): {data_fingerprint(files)}",
    }
    notebook = dict(notebook)
    notebook["cells"] = [c for c in notebook["cells"] if c.get("id") != FINGERPRINT_CELL_ID] + [cell]
    return notebook


def prepare_source(path: Path, text: str) -> tuple[str, list[Path]]:
    """A notebook's source as the build reads it (fingerprint cell added) and the data files it depends on.

    The one place that decides what the execution cache hashes: the ``source-read`` handler below and
    the pre-executor (``sphinxext.preexecute``) both call it, so their cache keys cannot drift apart.
    """
    if not str(path).endswith(".ipynb"):
        return text, []
    notebook = json.loads(text)
    tables = declared_tables(notebook)
    if not tables:
        return text, []
    files = dependency_files(tables)
    return json.dumps(inject_fingerprint(notebook, files)), files
