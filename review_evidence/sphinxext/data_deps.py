"""Sphinx extension: re-execute exactly the notebooks whose data changed.

Jupyter Book's ``cache`` execution mode keys a notebook on its code cells alone, so editing a CSV
would leave every chart drawn from it stale. Each notebook therefore declares the tables it reads
in its metadata::

    "metadata": {"review_evidence": {"tables": ["review_ratings", "orderings"]}}

(``["*"]`` for a notebook that summarises every table) and, when Sphinx reads the notebook, this
extension

1. registers every file those tables depend on (``tables.table_files``) as a Sphinx dependency, so
   an edit to one of them marks exactly the declaring notebooks as outdated; and
2. appends a hidden, comment-only code cell holding a hash of those files, so the execution
   cache misses for exactly those notebooks and re-runs them.

``tests/test_data_dependencies.py`` checks that every notebook declares what it really reads.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

from ..bibliography import check_bibliography
from ..paths import BIBLIOGRAPHY, BOOK_ROOT_VARIABLE, REPO_ROOT
from ..tables import table_files, table_names
from ..validation import DataValidationError

logger = logging.getLogger(__name__)
METADATA_KEY = "review_evidence"
FINGERPRINT_CELL_ID = "data-fingerprint"


def data_fingerprint(files: list[Path]) -> str:
    """A hash of the files' names and bytes: it changes when, and only when, one of them does."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.resolve().relative_to(REPO_ROOT).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


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
    files = table_files(tables)
    return json.dumps(inject_fingerprint(notebook, files)), files


def _on_source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    source[0], files = prepare_source(Path(app.env.doc2path(docname)), source[0])
    for path in files:
        app.env.note_dependency(str(path))


def check_book_root(srcdir: Path) -> None:
    """Fail early if the package would read another book's data than the one being built."""
    if Path(srcdir).resolve() != REPO_ROOT:
        raise ExtensionError(
            f"review_evidence reads its tables from {REPO_ROOT}, but this build is of {Path(srcdir).resolve()}. "
            f"Build a copy of the book with {BOOK_ROOT_VARIABLE}={Path(srcdir).resolve()} set, or install the "
            "copy's own package with `pip install -e <copy>`.")


def check_sources(app: Sphinx | None = None, bibliography: Path = BIBLIOGRAPHY) -> None:
    """Stop the build, before any notebook runs, if the bibliography has a problem.

    Every chapter labels its citations from ``references.bib``; a broken entry would otherwise crash
    a chapter deep inside a cell, or drop a paper from a count without a word.
    """
    try:
        check_bibliography(bibliography)
    except DataValidationError as error:
        raise ExtensionError(f"the bibliography cannot be used; {error}") from None


def setup(app: Sphinx) -> dict:
    check_book_root(Path(app.srcdir))
    app.connect("builder-inited", check_sources)
    app.connect("source-read", _on_source_read)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
