"""A broken bibliography entry is reported by name, by pytest and by the build, before any chapter runs.

Each of the five reviewed papers is corrupted in turn (in a copy of ``references.bib``) in the two ways
a careless edit breaks BibTeX: an unclosed brace and a field given twice. The expected messages are
written from the defect planted, with the entry's line found in the file's text, not from the code.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sphinx.errors import ExtensionError

from review_evidence import DataValidationError, check_bibliography
from review_evidence.bibliography import citation_label, reviewed_papers
from review_evidence.paths import BIBLIOGRAPHY, BOOK_ROOT_VARIABLE, REPO_ROOT
from review_evidence.sphinxext.data_deps import check_sources

REVIEWED = [
    "ali-nd-engagement",
    "syamsir-nd-loyalty",
    "patel2026generative",
    "pathe2024personalized",
    "charlotte2020segmentation",
]
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")


def _start_line(text: str, key: str) -> int:
    return text[: re.search(rf"^@\w+\{{{re.escape(key)},", text, re.MULTILINE).start()].count("\n") + 1


def unclosed_brace(text: str, key: str) -> str:
    """The entry's ``role = {reviewed},`` loses its closing brace."""
    at = re.search(rf"^@\w+\{{{re.escape(key)},", text, re.MULTILINE).start()
    role = text.index("role = {reviewed},", at)
    return text[:role] + "role = {reviewed," + text[role + len("role = {reviewed},") :]


def duplicate_field(text: str, key: str) -> str:
    """A second ``title`` right after the entry's key line."""
    head = re.search(rf"^@\w+\{{{re.escape(key)},\n", text, re.MULTILINE)
    return text[: head.end()] + "  title = {A second title},\n" + text[head.end() :]


def expected(kind: str, text: str, key: str) -> str:
    line = _start_line(text, key)
    if kind == "unclosed_brace":
        return f"line {line}: entry '{key}' could not be parsed: "
    return f"line {line}: entry '{key}': the field 'title' is given twice"


KINDS = {"unclosed_brace": unclosed_brace, "duplicate_field": duplicate_field}


def test_the_reviewed_papers_are_the_five_corrupted_below():
    assert [e.key for e in reviewed_papers()] == REVIEWED


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("key", REVIEWED)
def test_a_corrupted_reviewed_entry_is_named_by_pytest_and_by_the_build_check(tmp_path, key, kind):
    text = BIBLIOGRAPHY.read_text(encoding="utf-8")
    broken = tmp_path / "references.bib"
    broken.write_text(KINDS[kind](text, key), encoding="utf-8")
    message = expected(kind, text, key)
    with pytest.raises(DataValidationError) as caught:
        check_bibliography(broken)
    problems = [str(p) for p in caught.value.problems]
    assert len(problems) == 1 and problems[0].startswith(f"{broken}, {message}"), problems
    # what a chapter would call: the same entry-level error, never an IndexError or a missing paper
    with pytest.raises(DataValidationError, match=re.escape(message)):
        reviewed_papers(broken)
    with pytest.raises(DataValidationError, match=re.escape(message)):
        citation_label(REVIEWED[0], broken)
    # what the build runs first (builder-inited): the same message, as a Sphinx error
    with pytest.raises(ExtensionError, match=re.escape(message)):
        check_sources(None, broken)


def _copy_of_the_book(folder: Path) -> Path:
    copy = folder / "repo"
    shutil.copytree(
        REPO_ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "venv", "_build", "node_modules", "test-artifacts", ".pytest_cache"
        ),
    )
    return copy


@pytest.mark.parametrize(
    "kind, key", [("unclosed_brace", "patel2026generative"), ("duplicate_field", "charlotte2020segmentation")]
)
def test_the_build_stops_with_the_entry_level_message_before_any_notebook_runs(tmp_path, kind, key):
    """One real build per kind of corruption: the Sphinx extension runs the check above at builder-inited."""
    book = _copy_of_the_book(tmp_path)
    text = (book / "references.bib").read_text(encoding="utf-8")
    (book / "references.bib").write_text(KINDS[kind](text, key), encoding="utf-8")
    result = subprocess.run(
        [str(JUPYTER_BOOK), "build", str(book), "--all", "-W", "-n", "--keep-going"],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, BOOK_ROOT_VARIABLE: str(book)},
    )
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert (
        f"the bibliography cannot be used; 1 problem found:\n  - references.bib, {expected(kind, text, key)}" in log
    ), log[-3000:]
    assert "Executing notebook" not in log
