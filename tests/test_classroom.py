"""The classroom kit in the built book: data downloads, links from every chapter, the teaching page, the setup cell.

The course pack's own proof (every chapter runs from it) is ``test_course_pack.py``; the student
versions are ``test_student_versions.py``; launch buttons ``test_launch_buttons.py``; reading times
``test_reading_time.py``.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from review_evidence.bibliography import reviewed_papers
from review_evidence.paths import REPO_ROOT
from review_evidence.sphinxext.classroom import (
    COURSE_PACK,
    DATA_PACKAGE,
    DATA_ROOT,
    KIT_DIR,
    SETUP_CELL,
    chapter_notebooks,
    tables_read,
)

sys.path.insert(0, str(REPO_ROOT / "scripts"))
from setup_cells import has_current_setup_cell  # noqa: E402
from test_course_pack import GUARD  # noqa: E402  the same refusal of the repository's package

FRICTIONLESS = Path(sys.executable).with_name("frictionless")


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


# ---- the setup cell ------------------------------------------------------------------------------


@pytest.mark.parametrize("chapter", chapter_notebooks(REPO_ROOT), ids=lambda p: p.name)
def test_every_chapter_starts_with_the_current_setup_cell(chapter):
    notebook = json.loads(chapter.read_text(encoding="utf-8"))
    assert has_current_setup_cell(notebook), (
        f"{chapter.name}: its first code cell is not the setup cell of review_evidence/sphinxext/classroom.py; "
        "run `python scripts/setup_cells.py` and re-execute the notebooks"
    )


def test_the_setup_cell_check_sees_a_stale_cell():
    cell = {"cell_type": "code", "id": "classroom-setup", "source": SETUP_CELL.replace("Setup", "Old setup")}
    assert not has_current_setup_cell({"cells": [cell]})
    assert has_current_setup_cell({"cells": [dict(cell, source=SETUP_CELL)]})


COLAB = """
import importlib.util, json, os, subprocess, sys, types
sys.modules["google.colab"] = types.ModuleType("google.colab")   # what Colab's runtime has imported
real_find_spec = importlib.util.find_spec
importlib.util.find_spec = lambda name, *a: None if name == "bibtexparser" else real_find_spec(name, *a)  # Colab lacks it
installs = []
subprocess.check_call = lambda command, **kw: installs.append(command[3:])   # no network: record the pip call
exec(compile(open("setup_cell.py").read(), "setup_cell", "exec"))
importlib.util.find_spec = real_find_spec
import review_evidence
from review_evidence import load_table
print(json.dumps({"installs": installs, "package": review_evidence.__file__, "studies": len(load_table("studies"))}))
"""


def test_in_colab_the_setup_cell_unpacks_an_uploaded_pack_and_installs_the_missing_pins(built_book, tmp_path):
    """Colab opens the notebook alone: the student uploads course-pack.zip, and the first cell does the rest."""
    shutil.copy(built_book / KIT_DIR / COURSE_PACK, tmp_path / COURSE_PACK)
    (tmp_path / "setup_cell.py").write_text(SETUP_CELL, encoding="utf-8")
    run = subprocess.run([sys.executable, "-I", "-c", GUARD + COLAB], cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    pins = (REPO_ROOT / "requirements.txt").read_text(encoding="utf-8")
    bibtexparser_pin = re.search(r"^bibtexparser==\S+", pins, re.MULTILINE).group(0)
    assert result["installs"] == [["install", "-q", bibtexparser_pin]]
    assert Path(result["package"]).resolve().is_relative_to(tmp_path.resolve()), result["package"]
    assert result["studies"] == 5


# ---- data for reuse ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def downloaded_data(built_book, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("data-package")
    with zipfile.ZipFile(built_book / KIT_DIR / DATA_PACKAGE) as archive:
        archive.extractall(folder)
    return folder / DATA_ROOT


def test_frictionless_validate_passes_on_the_downloaded_data_package(downloaded_data):
    run = subprocess.run(
        [str(FRICTIONLESS), "validate", "datapackage.json"], cwd=downloaded_data, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]


def test_frictionless_validate_fails_on_a_broken_copy(downloaded_data, tmp_path):
    broken = tmp_path / "data"
    shutil.copytree(downloaded_data, broken)
    rows = list(csv.reader((broken / "studies.csv").open(encoding="utf-8")))
    rows[1][rows[0].index("sample_size")] = "fifty"
    with (broken / "studies.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    run = subprocess.run(
        [str(FRICTIONLESS), "validate", "datapackage.json", "--resource-name", "studies"],
        cwd=broken,
        capture_output=True,
        text=True,
    )
    assert run.returncode != 0 and "type-error" in run.stdout, run.stdout[-2000:]


def test_the_data_package_download_holds_every_data_file(downloaded_data):
    expected = sorted(
        p.relative_to(REPO_ROOT / "data").as_posix() for p in (REPO_ROOT / "data").rglob("*") if p.is_file()
    )
    found = sorted(p.relative_to(downloaded_data).as_posix() for p in downloaded_data.rglob("*") if p.is_file())
    assert found == expected


@pytest.mark.parametrize("chapter", chapter_notebooks(REPO_ROOT), ids=lambda p: p.stem)
def test_every_chapter_links_the_course_pack_and_the_tables_it_reads(built_book, chapter):
    page = built_book / "notebooks" / f"{chapter.stem}.html"
    box = _soup(page).select_one(".classroom-run")
    assert box is not None, f"{page.name} has no 'Run this chapter' box"
    links = {
        (page.parent / a["href"]).resolve().relative_to((built_book / KIT_DIR).resolve()).as_posix()
        for a in box.find_all("a")
    }
    tables = tables_read(chapter)
    assert tables, f"{chapter.name} declares no tables"
    assert {COURSE_PACK, *tables} <= links, f"{page.name} lacks links to {sorted({COURSE_PACK, *tables} - links)}"
    for link in links:
        assert (built_book / KIT_DIR / link).is_file(), f"{page.name} links {link}, which is not in the build"


# ---- the teaching page ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def teaching(built_book) -> BeautifulSoup:
    return _soup(built_book / "book" / "teaching.html")


def test_the_teaching_page_offers_the_course_pack_and_the_data_package(built_book, teaching):
    targets = {a["href"].rsplit("/", 1)[-1] for a in teaching.select("a.classroom-file")}
    assert {COURSE_PACK, DATA_PACKAGE} <= targets


def test_each_session_has_a_handout_with_reading_times_a_quiz_and_a_rubric(teaching):
    handouts = teaching.select("div.handout")
    assert len(handouts) == 3, f"{len(handouts)} handouts, one per session wanted"
    for number, handout in enumerate(handouts, start=1):
        text = handout.get_text(" ", strip=True)
        assert f"Session {number} handout" in text
        assert re.search(r"about \d+ minutes, [\d,]+ words", text), f"session {number}: no computed reading time"
        assert "Quiz" in text and handout.find("ol"), f"session {number}: no quiz"
        assert "Rubric" in text and handout.find("table"), f"session {number}: no rubric"
    keys = [k for k in teaching.select(".answer-key") if "Answer key" in k.get_text()]
    assert len(keys) == 3 and all(len(k.find_all("li")) == 5 for k in keys), "an answer key of five answers per quiz"
    style = " ".join(s.get_text() for s in teaching.find_all("style"))
    assert "@media print" in style and ".handout" in style and "break-before: page" in style


def test_the_reviewed_papers_are_linked_with_exactly_the_dois_the_bibliography_records(teaching):
    papers = reviewed_papers()
    assert len(papers) == 5
    doi_links = {a["href"] for a in teaching.find_all("a", href=re.compile(r"^https://doi\.org/"))}
    recorded = {f"https://doi.org/{p.get('doi')}" for p in papers if p.get("doi")}
    assert doi_links == recorded
    assert teaching.get_text().count("No DOI: the paper prints none") == sum(1 for p in papers if not p.get("doi"))
