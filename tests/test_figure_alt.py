"""A chart's alt text is generated, never typed (issue 12: numbers in alt texts come from the data).

The HTML book shows the interactive chart, which a screen reader announces by the chart's generated
``description``. The printed edition and the slide decks show the chart's static PNG instead; its alt
text is the same description, carried in the PNG's output metadata (``theme.static_image_metadata``),
set on the image by the myst-nb renderer plugin ``review_book`` (``sphinxext/figure_alt.py``) and read
by the slide decks (``sphinxext/slides.py``). A hand-typed ``mystnb.image.alt`` remains only on figures
that describe nothing themselves (the matplotlib figures, and charts without a description).
"""

from __future__ import annotations

import json
import re

import altair as alt
import pandas as pd
import pytest
from conftest import build_small_sphinx

from review_evidence.paths import REPO_ROOT
from review_evidence.theme import static_image_metadata, use_book_theme


def _chart(description: str | None = None) -> alt.Chart:
    chart = alt.Chart(pd.DataFrame({"item": ["A", "B"], "value": [12, 7]})).mark_bar().encode(x="value:Q", y="item:N")
    return chart.properties(description=description) if description else chart


def test_a_charts_png_carries_its_description_as_alt_text():
    use_book_theme()
    data, metadata = _chart("Bar chart: A 12; B 7.")._repr_mimebundle_()
    assert data["image/png"] and data["text/html"]
    assert metadata == {"image/png": {"alt": "Bar chart: A 12; B 7."}}


def test_a_chart_without_a_description_carries_no_alt_text():
    use_book_theme()
    bundle = _chart()._repr_mimebundle_()
    metadata = bundle[1] if isinstance(bundle, tuple) else {}
    assert "image/png" not in metadata
    assert static_image_metadata({"description": "  "}) == {}


# --- every chart of the book ----------------------------------------------------------------------


def _image_cells():
    """(chapter, cell, output) for every output with a PNG in the committed notebooks."""
    for path in sorted((REPO_ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            for output in cell.get("outputs", []):
                if "image/png" in output.get("data", {}) and "scrapbook" not in output.get("metadata", {}):
                    yield path.stem, cell, output


def _spec_description(html: str) -> str | None:
    """The ``description`` of the Vega-Lite spec inside Altair's HTML output (top level: the last one)."""
    found = re.findall(r'"description":\s*("(?:[^"\\]|\\.)*")', html)
    return json.loads(found[-1]) if found else None


def test_every_described_chart_in_the_book_carries_its_description_as_alt_text():
    charts = [(chapter, cell, output) for chapter, cell, output in _image_cells() if "text/html" in output["data"]]
    described = [(c, cell, o) for c, cell, o in charts if _spec_description("".join(o["data"]["text/html"]))]
    assert len(described) >= 20, len(described)
    wrong = [
        (chapter, cell.get("id"))
        for chapter, cell, output in described
        if output.get("metadata", {}).get("image/png", {}).get("alt")
        != _spec_description("".join(output["data"]["text/html"]))
    ]
    assert not wrong, f"charts whose PNG does not carry the chart's description (re-execute the notebook): {wrong}"


def test_no_cell_keeps_a_typed_alt_text_that_its_chart_replaces():
    """A typed alt beside a generated one would never be read, and would keep its old numbers unseen."""
    dead = [
        (chapter, cell.get("id"))
        for chapter, cell, output in _image_cells()
        if output.get("metadata", {}).get("image/png", {}).get("alt")
        and cell["metadata"].get("mystnb", {}).get("image", {}).get("alt")
    ]
    assert not dead, f"typed alt texts that the chart's description replaces; delete them: {dead}"


def test_every_image_in_the_book_has_an_alt_text():
    missing = [
        (chapter, cell.get("id"))
        for chapter, cell, output in _image_cells()
        if not output.get("metadata", {}).get("image/png", {}).get("alt")
        and not cell["metadata"].get("mystnb", {}).get("image", {}).get("alt")
    ]
    assert not missing, f"images with no alt text (neither generated nor in mystnb.image.alt): {missing}"


# --- the printed edition: the renderer plugin, in a real Sphinx LaTeX build ------------------------

PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="  # 1×1 px


def _notebook(output_metadata: dict, cell_alt: str | None) -> dict:
    mystnb = {"figure": {"name": "fig-a", "caption": "The caption."}}
    if cell_alt:
        mystnb["image"] = {"alt": cell_alt}
    output = {
        "output_type": "display_data",
        "metadata": output_metadata,
        "data": {"text/html": "<div>chart</div>", "image/png": PNG, "text/plain": "chart"},
    }
    return {
        "cells": [
            {"cell_type": "markdown", "id": "a", "metadata": {}, "source": "# T"},
            {
                "cell_type": "code",
                "id": "b",
                "metadata": {"mystnb": mystnb},
                "source": "chart",
                "outputs": [output],
                "execution_count": 1,
            },
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _latex_image_alts(folder, notebook: dict, **config) -> tuple[list[str], str]:
    """Build ``notebook`` with Sphinx's LaTeX builder and myst-nb; the alt texts of its images, and the .tex."""
    from docutils import nodes

    config = {"extensions": ["myst_nb"], "nb_execution_mode": "off", "root_doc": "index", **config}
    app, warnings = build_small_sphinx(folder, {"index.ipynb": json.dumps(notebook)}, config, builder="latex")
    # (a second Sphinx app in one process re-registers the built-in nodes and roles: not this build's problem)
    problems = [line for line in warnings.splitlines() if "already registered" not in line]
    assert not problems, problems
    # resolved as the LaTeX builder writes it: myst-nb has picked one output per bundle (the PNG)
    doctree = app.env.get_and_resolve_doctree("index", app.builder)
    alts = [image.get("alt", "") for image in doctree.findall(nodes.image)]
    tex = next((folder / "latex").glob("*.tex")).read_text(encoding="utf-8")
    return alts, tex


def test_the_printed_edition_takes_the_alt_text_from_the_chart(tmp_path):
    notebook = _notebook({"image/png": {"alt": "Bar chart: A 12; B 7."}}, cell_alt="Bars of A 11 and B 7.")
    alts, tex = _latex_image_alts(tmp_path, notebook, nb_render_plugin="review_book")
    assert alts == ["Bar chart: A 12; B 7."]
    assert "includegraphics" in tex and "<div>" not in tex  # LaTeX prints the PNG, not the HTML


def test_without_the_plugin_myst_nb_would_keep_the_typed_alt_text(tmp_path):
    # the check above can fail: myst-nb's own renderer ignores the alt text in the output's metadata
    notebook = _notebook({"image/png": {"alt": "Bar chart: A 12; B 7."}}, cell_alt="Bars of A 11 and B 7.")
    alts, _ = _latex_image_alts(tmp_path, notebook)
    assert alts == ["Bars of A 11 and B 7."]


def test_a_figure_that_describes_nothing_keeps_its_cells_alt_text(tmp_path):
    alts, _ = _latex_image_alts(tmp_path, _notebook({}, cell_alt="A radar chart."), nb_render_plugin="review_book")
    assert alts == ["A radar chart."]


def test_the_book_selects_the_plugin():
    import yaml

    config = yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert config["sphinx"]["config"]["nb_render_plugin"] == "review_book"
    from myst_nb.core.render import load_renderer

    from review_evidence.sphinxext.figure_alt import GeneratedAltRenderer

    assert load_renderer("review_book") is GeneratedAltRenderer  # the entry point is installed


# --- the slide decks ------------------------------------------------------------------------------


@pytest.mark.parametrize("chapter", ["model_benchmark", "engagement_study", "techniques"])
def test_a_chapters_slides_show_each_chart_with_its_generated_alt_text(chapter):
    from review_evidence.sphinxext.slides import slide_notebook

    notebook = json.loads((REPO_ROOT / "notebooks" / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    described = [
        o["metadata"]["image/png"]["alt"]
        for cell in notebook["cells"]
        for o in cell.get("outputs", [])
        if o.get("metadata", {}).get("image/png", {}).get("alt")
    ]
    assert described
    deck = slide_notebook(notebook, chapter)
    shown = [
        o["metadata"]["slides_alt"]
        for c in deck["cells"]
        for o in c.get("outputs", [])
        if "slides_alt" in o.get("metadata", {})
    ]
    assert shown == described


# --- what the descriptions say: as much as the typed alt texts they replace ----------------------


def _rows(table: str) -> list[dict]:
    import csv

    with (REPO_ROOT / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_descriptions_say_how_the_charts_draw_their_values():
    from review_evidence import load_table
    from review_evidence.case_studies import (
        bar_chart,
        f1_comparison,
        forest_chart,
        grouped_bar_chart,
        membership_bars,
        regression_intervals,
        uplift_bars,
    )
    from review_evidence.charts import figure_rows, rating_bar_chart, study_design_chart
    from review_evidence.tables import load_printed_table

    def described(chart) -> str:
        return chart.to_dict()["description"]

    forest = described(forest_chart(regression_intervals(load_table("engagement_regression"), n=50), title="t"))
    # 0.21 ± 2.0154 × 0.09 lies above zero; -0.05 ± 2.0154 × 0.11 spans it
    assert "Email Engagement Rate beta 0.21 (reported), interval 0.029 to 0.391 (derived), excludes zero" in forest
    assert (
        "Social Media Engagement Rate beta -0.05 (reported), interval -0.272 to 0.172 (derived), includes zero"
        in forest
    )
    assert "dashed lines the intervals this book derived" in forest and "vertical line marks zero" in forest

    tiers = _rows("engagement_membership")
    membership = described(
        bar_chart(
            membership_bars(load_table("engagement_membership")),
            category="membership",
            value="mean_spend",
            error="SD",
            title="t",
            value_title="v",
        )
    )
    lows = [float(r["mean_spend"]) - float(r["sd"]) for r in tiers]
    highs = [float(r["mean_spend"]) + float(r["sd"]) for r in tiers]
    assert max(lows) <= min(highs)  # worked out from the CSV: every whisker overlaps every other
    assert membership.startswith("Horizontal bar chart with whiskers, t:")
    assert "The whiskers of all the bars overlap." in membership
    assert f"Gold {float(tiers[0]['mean_spend']):g} ± {float(tiers[0]['sd']):g}" in membership

    uplifts = described(
        bar_chart(
            uplift_bars(load_table("segmentation_uplifts")),
            category="outcome",
            value="percent",
            colour="figure",
            title="t",
            value_title="v",
        )
    )
    assert "change (%): average session duration 35" in uplifts
    assert "share of the segment (%): dormant users reactivated 26" in uplifts

    f1 = described(grouped_bar_chart(f1_comparison(load_printed_table("benchmark_results")), title="t"))
    assert "Bars derived by this book: lighter, with a dashed outline." in f1

    figure_6 = described(
        rating_bar_chart(figure_rows(load_table("review_ratings"), "Figure 6"), title="t", domain_max=10)
    )
    assert "axis from 0 to 10" in figure_6
    assert "Convenience 8 (estimated by this book (source only ranks))" in figure_6
    assert "Bars estimated by this book (source only ranks): lighter, with a dashed outline." in figure_6
    figure_1 = described(
        rating_bar_chart(figure_rows(load_table("review_ratings"), "Figure 1"), title="t", domain_max=10)
    )
    assert (
        "2 of 3 not printed: Personalization; Customer Loyalty" in figure_1
        and "has no bar and reads 'not printed'" in figure_1
    )

    studies = described(study_design_chart(load_table("studies")))
    stated = [r for r in _rows("studies") if r["sample_size"].strip()]
    assert len(stated) == 1 and f"empirical, sample size n = {stated[0]['sample_size']}" in studies
    assert studies.count("sample size not stated") == len(_rows("studies")) - 1


def test_the_evidence_map_descriptions_name_their_key_and_cells():
    from review_evidence import load_table
    from review_evidence.appraisal import evidence_map_chart
    from review_evidence.matrices import evidence_heatmap_chart

    claims = load_table("technique_outcomes")
    heatmap = evidence_heatmap_chart(claims).to_dict()["description"]
    techniques = {r["technique"] for r in _rows("technique_outcomes")}
    assert f"{len(techniques)} techniques (rows)" in heatmap
    assert "blue empirical, orange case report, bluish green framework proposal, vermillion review opinion" in heatmap
    assert "Email personalization × spend / order value" in heatmap and "dashed outline" in heatmap
    mapped = evidence_map_chart(claims).to_dict()["description"]
    assert "circle empirical" in mapped and "diamond review opinion" in mapped
    assert "Mobile app personalization × satisfaction / experience" in mapped


def test_evidence_note_and_colour_name():
    from review_evidence.theme import colour_name, evidence_note

    assert evidence_note(["reported"]) == ""
    assert (
        evidence_note(["reported", "derived"], "bars") == "Bars derived by this book: lighter, with a dashed outline."
    )
    assert evidence_note(["range"], "points") == "Points range stated for a group: lighter."
    assert evidence_note(["unknown"]) == "Bars not printed by the source: no fill, with a dashed outline."
    assert (colour_name("#0072b2"), colour_name("#FFFFFF"), colour_name("#123456")) == ("blue", "white", "#123456")


# --- the built book: the real chapters, as the build rendered them --------------------------------


@pytest.mark.parametrize("chapter", ["model_benchmark", "engagement_study", "studies_at_a_glance", "techniques"])
def test_the_built_book_gives_each_described_chart_image_its_description(chapter, built_book):
    """The images in the book's doctree (what the LaTeX builder prints; the HTML shows the chart) carry
    the descriptions of the charts the build executed, not the typed alt texts of the cells."""
    import pickle

    from docutils import nodes

    doctree_path = built_book.parent / ".doctrees" / "notebooks" / f"{chapter}.doctree"
    if not doctree_path.is_file():
        pytest.fail(f"no doctree at {doctree_path}: build the book in {built_book.parent}", pytrace=False)
    doctree = pickle.loads(doctree_path.read_bytes())
    alts = [image.get("alt", "") for image in doctree.findall(nodes.image)]
    notebook = json.loads((REPO_ROOT / "notebooks" / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    described = [
        _spec_description("".join(o["data"]["text/html"]))
        for cell in notebook["cells"]
        for o in cell.get("outputs", [])
        if "image/png" in o.get("data", {}) and "text/html" in o["data"] and "scrapbook" not in o.get("metadata", {})
    ]
    assert described and all(described)
    assert [alt for alt in alts if alt in described] == described, alts
