"""Where the book's files live, resolved from the repository root rather than the working directory.

Notebooks run with their own folder as the working directory, tests run from the root and the
Sphinx build from yet another place, so every path is anchored on this file: the package sits in
the book's repository. A copy of the book elsewhere (the rebuild test, the benchmark) is built with
``REVIEW_BOOK_ROOT`` pointing at the copy, which the notebook kernels inherit from the build;
``sphinxext.data_deps`` refuses to build a book whose data this package would not read.
"""

from __future__ import annotations

import os
from pathlib import Path

BOOK_ROOT_VARIABLE = "REVIEW_BOOK_ROOT"
REPO_ROOT = Path(os.environ.get(BOOK_ROOT_VARIABLE) or Path(__file__).parent.parent).resolve()
DATA_DIR = REPO_ROOT / "data"
DATAPACKAGE = DATA_DIR / "datapackage.json"
BIBLIOGRAPHY = REPO_ROOT / "references.bib"


def seeds_dir() -> Path:
    """The folder of seed texts: ``$REVIEW_SEEDS_DIR`` or ``../shared/seeds`` beside the repo."""
    override = os.environ.get("REVIEW_SEEDS_DIR")
    return Path(override) if override else REPO_ROOT.parent / "shared" / "seeds"


def relative(path: Path) -> str:
    """A path as a reader would type it from the repo root (absolute if outside the repo)."""
    try:
        return Path(path).resolve().relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return str(path)
