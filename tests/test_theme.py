"""The book's one evidence-level encoding (issue 12: one encoding that every chart reads)."""

from __future__ import annotations

import re

import altair as alt
import pandas as pd
import vl_convert

from review_evidence.paths import REPO_ROOT
from review_evidence.theme import EVIDENCE_STYLE, evidence_encoding, evidence_label

THREE_LEVELS = ["reported", "derived", "estimated"]


def _compiled_scale(chart: alt.Chart, name: str) -> dict:
    vega = vl_convert.vegalite_to_vega(chart.to_dict())
    return next(s for s in vega["scales"] if s["name"] == name)


def _chart(levels: list[str]) -> alt.Chart:
    data = pd.DataFrame({"x": range(len(levels)), "evidence_label": [evidence_label(lvl) for lvl in levels]})
    return alt.Chart(data).mark_bar().encode(x="x:Q", y="evidence_label:N", **evidence_encoding(levels))


def test_each_level_is_drawn_with_its_own_opacity_and_dash():
    opacity = _compiled_scale(_chart(THREE_LEVELS), "opacity")
    dash = _compiled_scale(_chart(THREE_LEVELS), "strokeDash")
    # an ordinal scale maps value i to range i; a point scale would spread the first two range values
    assert opacity["type"] == "ordinal"
    assert opacity["domain"] == [EVIDENCE_STYLE[lvl]["label"] for lvl in THREE_LEVELS]
    assert opacity["range"] == [1.0, 0.9, 0.35]  # reported solid, derived nearly, estimated light
    assert dash["range"] == [[1, 0], [2, 2], [4, 3]]  # solid, dotted, dashed


def test_only_the_levels_present_are_listed_in_the_books_order():
    encoding = evidence_encoding(["estimated", "reported", "estimated"])
    assert encoding["opacity"].to_dict()["scale"]["domain"] == [evidence_label("reported"), evidence_label("estimated")]


def test_a_level_without_fill_stays_visible():
    assert evidence_encoding(["unknown"])["opacity"].to_dict()["scale"]["range"] == [0.05]
    assert evidence_encoding(["estimated"], min_opacity=0.5)["opacity"].to_dict()["scale"]["range"] == [0.5]


def test_no_chart_module_restates_the_encoding():
    """Opacity, dash and label per evidence level are mapped once, in theme.py; charts call
    evidence_encoding and evidence_label (reading one level's style, as a single derived interval
    does, is not a restatement)."""
    restated = {
        path.name: line.strip()
        for path in (REPO_ROOT / "review_evidence").glob("*.py")
        if path.name != "theme.py"
        for line in path.read_text(encoding="utf-8").splitlines()
        if re.search(r'EVIDENCE_STYLE\[\w+\]\["(opacity|dash|label)"\].*\bfor\b|lambda \w+: EVIDENCE_STYLE', line)
    }
    assert not restated, restated
