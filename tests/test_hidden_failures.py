"""No failure is hidden: no notebook cell may fail quietly, and the tests never read a stale build.

A cell tagged ``raises-exception`` builds and passes nbval even though it fails; ``remove-cell`` or
``remove-output`` on a cell whose output is an error hides the failure from the reader; a cell tagged
``skip-execution`` never runs at all; and a notebook or config that allows errors lets any cell fail.
Exceptions need an entry in ``ALLOWED`` that says why; it is empty, and should stay short.
"""

from __future__ import annotations

import json
import os

import pytest
import yaml
from conftest import stale_sources

from review_evidence.paths import REPO_ROOT

NOTEBOOKS = sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))
#: (notebook stem, cell id) -> why the cell may fail or hide its output. Reviewed; keep it short.
ALLOWED: dict[tuple[str, str], str] = {}
#: Tags that let a failing cell pass, or keep it from running.
FAILURE_TAGS = {"raises-exception", "skip-execution"}
#: Tags that keep a cell's output from the reader.
HIDING_TAGS = {"remove-cell", "remove-output", "hide-output", "remove_cell", "remove_output", "hide_output"}


def hidden_failures(notebook: dict, name: str) -> list[str]:
    """Every cell of ``notebook`` that fails, is allowed to fail, or hides a failure, unless allowed."""
    problems = []
    settings = notebook.get("metadata", {}).get("mystnb", {})
    if settings.get("execution_allow_errors") or settings.get("allow_errors"):
        problems.append(f"{name}: the notebook's metadata lets its cells raise (mystnb execution_allow_errors)")
    for number, cell in enumerate(notebook.get("cells", []), start=1):
        if cell.get("cell_type") != "code":
            continue
        where = f"{name}, cell {number} (id {cell.get('id')})"
        if (name, cell.get("id")) in ALLOWED:
            continue
        tags = set(cell.get("metadata", {}).get("tags", []))
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        for tag in sorted(tags & FAILURE_TAGS):
            problems.append(f"{where}: tagged '{tag}', so a failure in it would pass the build and nbval")
        if errors:
            hidden = sorted(tags & HIDING_TAGS)
            shown = f" and hidden from the reader by {hidden}" if hidden else ""
            problems.append(f"{where}: its committed output is an error ({errors[0].get('ename')}){shown}")
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_cell_fails_or_hides_a_failure(path):
    assert not hidden_failures(json.loads(path.read_text(encoding="utf-8")), path.stem)


def test_the_allow_list_names_real_cells_and_says_why():
    cells = {(p.stem, c.get("id")) for p in NOTEBOOKS for c in json.loads(p.read_text(encoding="utf-8"))["cells"]}
    for key, why in ALLOWED.items():
        assert key in cells, f"{key} is allowed but no longer exists"
        assert len(why.split()) >= 5, f"{key}: say why it may fail"


def _cell(tags=(), outputs=()):
    return {"cell_type": "code", "id": "c1", "metadata": {"tags": list(tags)}, "outputs": list(outputs), "source": ""}


ERROR = {"output_type": "error", "ename": "ValueError", "evalue": "", "traceback": []}


@pytest.mark.parametrize(
    "cell, expected",
    [
        (
            _cell(["raises-exception"]),
            "demo, cell 1 (id c1): tagged 'raises-exception', so a failure in it would pass the build and nbval",
        ),
        (
            _cell(["skip-execution"]),
            "demo, cell 1 (id c1): tagged 'skip-execution', so a failure in it would pass the build and nbval",
        ),
        (
            _cell(["remove-cell"], [ERROR]),
            "demo, cell 1 (id c1): its committed output is an error (ValueError) and hidden from the reader by ['remove-cell']",
        ),
        (
            _cell(["remove-output"], [ERROR]),
            "demo, cell 1 (id c1): its committed output is an error (ValueError) and hidden from the reader by ['remove-output']",
        ),
        (_cell([], [ERROR]), "demo, cell 1 (id c1): its committed output is an error (ValueError)"),
    ],
)
def test_each_way_of_hiding_a_failure_is_caught(cell, expected):
    assert hidden_failures({"cells": [cell]}, "demo") == [expected]
    assert (
        hidden_failures(
            {"cells": [_cell(["remove-input"], [{"output_type": "stream", "name": "stdout", "text": "ok"}])]}, "demo"
        )
        == []
    )


def test_the_book_never_allows_a_cell_to_raise():
    config = yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert config["execute"]["allow_errors"] is False
    assert config["sphinx"]["config"]["nb_execution_raise_on_error"] is True


def test_a_build_older_than_a_source_is_refused(tmp_path):
    """The built-HTML tests refuse a build that a later edit, or a failed rebuild, left behind."""
    build = tmp_path / "_build" / "html"
    build.mkdir(parents=True)
    (build / ".buildinfo").write_text("built", encoding="utf-8")
    source = tmp_path / "notebooks" / "chapter.ipynb"
    source.parent.mkdir()
    source.write_text("{}", encoding="utf-8")
    built_at = (build / ".buildinfo").stat().st_mtime
    os.utime(source, (built_at - 10, built_at - 10))
    assert stale_sources(build, tmp_path) == []
    os.utime(source, (built_at + 10, built_at + 10))  # edited (or a rebuild failed) after the last good build
    assert stale_sources(build, tmp_path) == ["notebooks/chapter.ipynb"]
    (build / ".buildinfo").unlink()
    assert stale_sources(build, tmp_path) == [".buildinfo missing: the last build did not finish"]
