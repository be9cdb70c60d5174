"""Sphinx extension: re-execute exactly the notebooks whose data changed.

Jupyter Book's ``cache`` execution mode keys a notebook on its code cells alone, so editing a CSV
would leave every chart drawn from it stale. Each notebook therefore declares the tables it reads
in its metadata::

    "metadata": {"review_evidence": {"tables": ["review_ratings", "orderings"]}}

(``["*"]`` for a notebook that summarises every table) and, when Sphinx reads the notebook, this
extension

1. registers every file those tables depend on (``tables.table_files``), and the analysis
   library's modules, as Sphinx dependencies, so an edit to one of them marks exactly the notebooks
   that depend on it as outdated; and
2. appends a hidden, comment-only code cell holding a hash of those files, so the execution
   cache misses for exactly those notebooks and re-runs them (an edit to a chart function in the
   library re-runs every chapter, which is what it can change).

``tests/test_data_dependencies.py`` checks that every notebook declares what it really reads.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

from ..bibliography import check_bibliography
from ..notebook_data import (  # noqa: F401  (re-exported: the extension's public names)
    FINGERPRINT_CELL_ID,
    METADATA_KEY,
    data_fingerprint,
    declared_tables,
    inject_fingerprint,
    pasted_glue_sources,
    prepare_source,
)
from ..paths import BIBLIOGRAPHY, BOOK_ROOT_VARIABLE, DATAPACKAGE, REPO_ROOT
from ..tables import check_tables
from ..validation import DataValidationError

logger = logging.getLogger(__name__)


def _on_source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    path = Path(app.env.doc2path(docname))
    pasted = pasted_glue_sources(path, source[0])  # read before the fingerprint cell is added
    source[0], files = prepare_source(path, source[0])
    for file in [*files, *pasted]:
        app.env.note_dependency(str(file))


def check_book_root(srcdir: Path) -> None:
    """Fail early if the package would read another book's data than the one being built."""
    if Path(srcdir).resolve() != REPO_ROOT:
        raise ExtensionError(
            f"review_evidence reads its tables from {REPO_ROOT}, but this build is of {Path(srcdir).resolve()}. "
            f"Build a copy of the book with {BOOK_ROOT_VARIABLE}={Path(srcdir).resolve()} set, or install the "
            "copy's own package with `pip install -e <copy>`."
        )


def check_sources(app: Sphinx | None = None, bibliography: Path = BIBLIOGRAPHY, package: Path = DATAPACKAGE) -> None:
    """Stop the build, before any notebook runs, if the bibliography or a data table has a problem.

    Every chapter labels its citations from ``references.bib``; a broken entry would otherwise crash
    a chapter deep inside a cell, or drop a paper from a count without a word. Checking the tables here
    also leaves each table version's frictionless verdict in the validation cache, so that no notebook
    kernel pays for importing frictionless.
    """
    try:
        check_bibliography(bibliography)
    except DataValidationError as error:
        raise ExtensionError(f"the bibliography cannot be used; {error}") from None
    try:
        check_tables(package)
    except DataValidationError as error:
        raise ExtensionError(f"the data cannot be used; {error}") from None


def setup(app: Sphinx) -> dict:
    check_book_root(Path(app.srcdir))
    app.connect("builder-inited", check_sources)
    app.connect("source-read", _on_source_read)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
