"""Numbers in figure captions come from the data (issue 12): the captions kept in code cells' metadata
(``mystnb.figure.caption``) quote data values through ``{glue:text}``, never typed.

``tests/test_prose_numbers.py`` finds a typed data number in a caption or an alt text; this file checks
that every glued caption names a value its own chapter glues (the slide decks resolve only the chapter's
own glue), and that the built page shows the glued values in the caption, worked out from the CSVs.
"""

from __future__ import annotations

import csv
import json
import re

import pytest

from review_evidence.paths import REPO_ROOT
from review_evidence.sphinxext.glued import glued_values

GLUE_ROLE = re.compile(r"\{glue:text\}`([^`:]+)(?::([^`]*))?`")


def _notebook(chapter: str) -> dict:
    return json.loads((REPO_ROOT / "notebooks" / f"{chapter}.ipynb").read_text(encoding="utf-8"))


def _captions(notebook: dict) -> dict[str, str]:
    """Figure name -> caption, for every code cell that is a figure."""
    return {
        cell["metadata"]["mystnb"]["figure"].get("name", ""): cell["metadata"]["mystnb"]["figure"].get("caption", "")
        for cell in notebook["cells"]
        if cell["cell_type"] == "code" and "figure" in cell.get("metadata", {}).get("mystnb", {})
    }


def _chapters() -> list[str]:
    return sorted(path.stem for path in (REPO_ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("chapter", _chapters())
def test_every_number_glued_into_a_caption_is_glued_by_the_chapter_itself(chapter):
    notebook = _notebook(chapter)
    glued = glued_values(notebook)
    missing = {
        (name, role.group(1))
        for name, caption in _captions(notebook).items()
        for role in GLUE_ROLE.finditer(caption)
        if role.group(1) not in glued
    }
    assert not missing, f"{chapter}: captions name values the chapter does not glue: {sorted(missing)}"


#: Captions glued by this change, each with a sentence of its rendered text, read from the data by hand.
def _expected_caption_text() -> dict[tuple[str, str], str]:
    def rows(table):
        with (REPO_ROOT / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    results = {(r["item"], r["dimension"], r["locator"]): r["value"] for r in rows("benchmark_results")}
    knn_p, knn_r = float(results[("KNN", "precision", "Table 3")]), float(results[("KNN", "recall", "Table 3")])
    epochs = max(int(r["dimension"].removeprefix("epoch ")) for r in rows("training_curves"))
    stated = [r["sample_size"] for r in rows("studies") if r["sample_size"].strip()]
    predictors = len(rows("engagement_regression"))
    n = int(
        float(
            next(r for r in rows("engagement_descriptives") if (r["item"], r["dimension"]) == ("Sample", "n"))["value"]
        )
    )
    return {
        ("model_benchmark", "fig-benchmark-f1"): (
            f"KNN's printed {float(results[('KNN', 'f1', 'Table 3')]):g} is far from the recomputed "
            f"{round(2 * knn_p * knn_r / (knn_p + knn_r), 2):g}; the GAN's printed "
            f"{float(results[('GAN', 'f1', 'Table 3')]):g} is"
        ),
        ("model_benchmark", "fig-benchmark-curves"): f"the final values at epoch {epochs}",
        ("studies_at_a_glance", "fig-study-design"): f"and its {' and '.join(stated)} rows are",
        ("engagement_study", "fig-engagement-forest"): f"assuming df = {n} − {predictors} − 1 = {n - predictors - 1},",
    }


@pytest.mark.parametrize("chapter, figure", sorted(_expected_caption_text()))
def test_the_built_caption_shows_the_glued_numbers(chapter, figure, built_book):
    from bs4 import BeautifulSoup

    page = BeautifulSoup((built_book / "notebooks" / f"{chapter}.html").read_text(encoding="utf-8"), "html.parser")
    anchor = page.find(id=figure)
    assert anchor is not None, f"{chapter}: no figure {figure} in the built page"
    caption = " ".join((anchor.find("figcaption") or anchor).get_text().replace("’", "'").split())
    assert _expected_caption_text()[(chapter, figure)] in caption, caption
    assert "glue:text" not in caption and "{glue" not in caption
