"""The execution cache sees data edits: every notebook declares the tables it reads.

``review_evidence.sphinxext.data_deps`` keys each notebook's cached outputs on the files behind the
tables it declares. A notebook that reads an undeclared table would keep stale outputs after that
table changed, so this test runs every notebook's code and compares what it read with what it declares.
"""

import json

import matplotlib
import pytest
from sphinx.errors import ExtensionError

from review_evidence.notebook_data import (
    data_fingerprint,
    declared_tables,
    inject_fingerprint,
    pasted_glue_sources,
    prepare_source,
)
from review_evidence.paths import BIBLIOGRAPHY, DATA_DIR, DATAPACKAGE, REPO_ROOT
from review_evidence.sphinxext.data_deps import check_book_root
from review_evidence.tables import record_reads, table_files

NOTEBOOKS = sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))


def _code(notebook):
    return [("".join(c["source"])) for c in notebook["cells"] if c["cell_type"] == "code"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_notebook_declares_exactly_the_tables_it_reads(path, monkeypatch):
    monkeypatch.chdir(path.parent)
    matplotlib.use("Agg")
    notebook = json.loads(path.read_text(encoding="utf-8"))
    declared = declared_tables(notebook)
    assert declared is not None, f"{path.name}: metadata.review_evidence.tables is missing"
    namespace = {"__name__": "__notebook__", "display": lambda *a, **k: None}
    with record_reads() as read:
        for source in _code(notebook):
            exec(compile(source, str(path), "exec"), namespace)
    assert sorted(read) == sorted(declared), (
        f"{path.name} reads {sorted(read)} but declares {sorted(declared)}; run scripts/declare_tables.py"
    )


def test_table_files_follow_foreign_keys_scales_and_the_bibliography():
    files = {p.relative_to(REPO_ROOT).as_posix() for p in table_files(["review_ratings"])}
    assert {
        "data/review_ratings.csv",
        "data/schemas/rating.schema.json",
        "data/scales.csv",
        "data/datapackage.json",
        "references.bib",
    } <= files
    assert "data/studies.csv" not in files  # review_ratings does not refer to studies


def test_the_fingerprint_changes_with_the_data_and_only_with_it(tmp_path, monkeypatch):
    copy = tmp_path / "scales.csv"
    copy.write_bytes((DATA_DIR / "scales.csv").read_bytes())
    monkeypatch.setattr("review_evidence.notebook_data.REPO_ROOT", tmp_path)
    before = data_fingerprint([copy])
    assert data_fingerprint([copy]) == before
    copy.write_text(copy.read_text().replace("1-10,0,10", "1-10,0,11"))
    assert data_fingerprint([copy]) != before


def test_the_injected_cell_is_hidden_and_replaces_an_earlier_one():
    notebook = {"cells": [{"cell_type": "markdown", "source": "x", "metadata": {}}], "metadata": {}}
    once = inject_fingerprint(notebook, [DATAPACKAGE])
    twice = inject_fingerprint(once, [DATAPACKAGE, BIBLIOGRAPHY])
    assert len(twice["cells"]) == 2
    assert twice["cells"][-1]["metadata"]["tags"] == ["remove-cell"]
    assert twice["cells"][-1]["source"].startswith("# Data fingerprint")
    assert once["cells"][-1]["source"] != twice["cells"][-1]["source"]


def test_a_build_of_another_book_is_refused_with_the_fix(tmp_path):
    check_book_root(REPO_ROOT)  # the book this package belongs to builds
    with pytest.raises(ExtensionError, match="REVIEW_BOOK_ROOT=" + str(tmp_path.resolve())):
        check_book_root(tmp_path)


def test_a_page_that_pastes_a_glued_number_depends_on_that_notebook_and_its_tables():
    """Else a data edit would re-run the notebook but leave the page pasting its number stale."""
    page = REPO_ROOT / "book" / "page.md"
    pasting = pasted_glue_sources(
        page, "rises to {glue:text}`../notebooks/segmentation_case.ipynb::segmentation_case-x:.1f`%"
    )
    assert REPO_ROOT / "notebooks" / "segmentation_case.ipynb" in pasting
    assert DATA_DIR / "segmentation_kpis.csv" in pasting
    assert DATA_DIR / "benchmark_results.csv" not in pasting
    directive = pasted_glue_sources(page, "```{glue} chart\n:doc: ../notebooks/model_benchmark.ipynb\n```")
    assert DATA_DIR / "benchmark_results.csv" in directive
    assert pasted_glue_sources(page, "no pasted value; a local {glue:text}`key` only") == []


def test_a_chapter_is_keyed_on_the_analysis_library_too():
    """An edit to a chart or statistic in the library must re-run the chapters (it changes their
    outputs); an edit to the build machinery must not (it changes how pages are built)."""
    path = REPO_ROOT / "notebooks" / "segmentation_case.ipynb"
    _, files = prepare_source(path, path.read_text(encoding="utf-8"))
    library = REPO_ROOT / "review_evidence"
    assert library / "charts.py" in files and library / "case_studies.py" in files
    assert not [f for f in files if "sphinxext" in f.parts], "the build machinery is not an output dependency"
    assert set(table_files(declared_tables(json.loads(path.read_text(encoding="utf-8"))))) <= set(files)
