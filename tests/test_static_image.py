"""The static image of a chart comes from the chart's own Vega-Lite spec; the theme is set only on request."""

from __future__ import annotations

import base64
import json
import struct
import subprocess
import sys

import altair as alt
import pandas as pd
import pytest

from review_evidence import load_table
from review_evidence.charts import figure_rows, rating_bar_chart, value_axis_title
from review_evidence.static_image import STATIC_SCALE, STATIC_WIDTH, fixed_width_spec, static_image_bundle, static_png
from review_evidence.theme import chart_title, use_book_theme, wrap_lines, wrapped_label_axis


def _png_size(png: bytes) -> tuple[int, int]:
    return struct.unpack(">II", png[16:24])


def _chart(width="container") -> alt.Chart:
    data = pd.DataFrame({"item": ["a", "b"], "value": [1, 2]})
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(x="value:Q", y="item:N")
        .properties(width=width, autosize={"type": "fit-x", "contains": "padding"})
    )


def test_a_container_wide_chart_gets_a_fixed_width_for_the_static_image_and_nothing_else_changes():
    spec = {
        "width": "container",
        "vconcat": [{"width": "container", "mark": "bar"}, {"width": 100}],
        "title": "container",
    }
    fixed = fixed_width_spec(spec, 400)
    assert fixed == {"width": 400, "vconcat": [{"width": 400, "mark": "bar"}, {"width": 100}], "title": "container"}
    assert spec["width"] == "container"  # the chart's own spec is not touched


def test_the_static_png_is_drawn_at_the_print_width_from_the_same_spec():
    png = static_png(_chart().to_dict())
    width, _ = _png_size(png)
    # autosize fit-x with padding: the whole image is the static width, at the PNG's density
    assert width == STATIC_WIDTH * STATIC_SCALE
    narrower, _ = _png_size(static_png(_chart().to_dict(), width=300))
    assert narrower == 300 * STATIC_SCALE


def test_the_bundle_carries_a_base64_png():
    bundle = static_image_bundle(_chart().to_dict())
    assert list(bundle) == ["image/png"]
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG")


def test_a_broken_spec_fails_loudly_rather_than_printing_nothing():
    with pytest.raises(Exception):
        static_png({"mark": "no-such-mark", "data": {"values": []}})


def test_the_book_theme_shows_a_chart_as_html_and_png():
    use_book_theme()
    bundle = _chart()._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    assert {"text/html", "image/png"} <= set(data)
    assert "vegaEmbed" in data["text/html"]


def test_importing_the_library_changes_no_global_setting():
    code = (
        "import altair as alt, matplotlib as mpl\n"
        "before = (alt.renderers.active, alt.theme.active, dict(mpl.rcParams))\n"
        "import review_evidence.charts, review_evidence.evolution, review_evidence.matrices\n"
        "import review_evidence.case_studies, review_evidence.appraisal, review_evidence.audit_table\n"
        "after = (alt.renderers.active, alt.theme.active, dict(mpl.rcParams))\n"
        "print(before == after, after[0], after[1])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out[0] == "True", f"importing the library switched Altair to renderer {out[1]!r}, theme {out[2]!r}"


def test_a_stated_range_is_drawn_from_its_low_to_its_high_value():
    figure_9 = figure_rows(load_table("review_ratings"), "Figure 9")
    spec = rating_bar_chart(figure_9, title="t", domain_max=10).to_dict()
    rows = next(iter(spec["datasets"].values()))
    ranges = [r for r in rows if r["evidence"] == "range"]
    assert len(ranges) == 3  # three items share the printed "6–7/10"
    assert {(r["bar_start"], r["bar_end"]) for r in ranges} == {(6.0, 7.0)}
    bars = spec["layer"][0]["encoding"]
    assert bars["x"]["field"] == "bar_start" and bars["x2"]["field"] == "bar_end"
    reported = [r for r in rows if r["evidence"] == "reported"]
    assert all(r["bar_start"] == 0 and r["bar_end"] == r["value"] for r in reported)


def test_the_rating_axis_says_its_scale_is_assumed_and_the_legend_names_the_levels():
    assert "assumed" in value_axis_title("1-10")
    assert value_axis_title("percent") == "Value (percent)"
    figure_6 = figure_rows(load_table("review_ratings"), "Figure 6")
    spec = rating_bar_chart(figure_6, title="t", domain_max=10).to_dict()
    encoding = spec["layer"][0]["encoding"]
    assert "assumed" in encoding["x"]["title"]
    assert encoding["opacity"]["legend"] is not None and encoding["opacity"]["title"] == "Evidence level"
    assert encoding["opacity"]["scale"]["domain"] == [
        "reported by the source",
        "estimated by this book (source only ranks)",
    ]


def test_long_labels_and_titles_wrap_instead_of_widening_the_chart():
    assert wrap_lines("Machine Learning & Predictive Analytics", 18) == [
        "Machine Learning &",
        "Predictive",
        "Analytics",
    ]
    assert wrap_lines("Supercalifragilistic word", 5) == ["Supercalifragilistic", "word"]
    axis = wrapped_label_axis(["Machine Learning & Predictive Analytics"], 18).to_dict()
    assert json.loads(axis["labelExpr"].split("[datum.label]")[0]) == {
        "Machine Learning & Predictive Analytics": ["Machine Learning &", "Predictive", "Analytics"]
    }
    title = chart_title("Figure 9: implications for marketers and businesses").to_dict()
    assert all(len(line) <= 40 for line in title["text"])
