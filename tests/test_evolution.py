"""Unit tests for review_evidence.evolution: Table 1, the timelines, the disagreements, the radars.

Expected values are read off the review's text (Table 1 and its prose), not the code's output.
"""

import pandas as pd
import pytest
from matplotlib.lines import Line2D

from review_evidence import load_table
from review_evidence.charts import figure_rows
from review_evidence.evolution import (
    TIMELINE_END,
    comparison_table,
    era_dating_readings,
    era_disagreement_chart,
    era_disagreements,
    era_timeline_chart,
    rating_radar_figure,
    sophistication_chart,
    table_1,
    timeline_data,
)
from review_evidence.theme import EVIDENCE_STYLE

ERAS = load_table("evolution_eras")
DATINGS = load_table("era_datings")
RATINGS = load_table("review_ratings")
COMPARISONS = load_table("method_comparisons")
ESTIMATED = EVIDENCE_STYLE["estimated"]["label"]


def test_table_1_is_the_printed_table():
    table = table_1(ERAS)
    assert list(table.columns) == ["era", "techniques", "impact on marketing"]
    assert list(table["era"]) == ["Early 20th Century", "1980s-1990s", "21st Century", "Modern Era (AI-driven)"]
    assert table.loc[1, "techniques"] == "CRM Systems (tracking interactions, preferences)"
    assert table.loc[3, "impact on marketing"] == "Hyper-personalization and predictive customer needs"


def test_timeline_data_says_what_is_drawn():
    data = timeline_data(ERAS)
    assert list(data["years drawn"]) == ["1900–1939", "1980–1999", "2000– (no end stated)", "not dated"]
    assert list(data["dating evidence"]) == ["estimated", "reported", "estimated", "unknown"]


def _layer_data(chart) -> pd.DataFrame:
    spec = chart.to_dict()
    return pd.DataFrame(spec["datasets"][next(iter(spec["datasets"]))])


def test_the_timeline_chart_runs_an_open_era_to_the_edge_and_draws_estimates_lighter():
    chart = era_timeline_chart(ERAS)
    data = _layer_data(chart).set_index("era")
    assert data.loc["21st Century", "end"] == TIMELINE_END
    assert bool(data.loc["21st Century", "open_end"]) is True
    assert bool(data.loc["Modern Era (AI-driven)", "dated"]) is False
    assert data.loc["1980s-1990s", "citation"] == "Syamsir et al. (n.d.), Table 1"
    opacity = chart.to_dict()["layer"][0]["encoding"]["opacity"]["scale"]
    levels = dict(zip(opacity["domain"], opacity["range"]))
    assert levels[ESTIMATED] < levels[EVIDENCE_STYLE["reported"]["label"]]


def test_the_disagreements_are_the_crm_and_digital_revolution_datings():
    table = era_disagreements(DATINGS, ERAS)
    assert set(table["era"]) == {"1980s-1990s", "21st Century"}
    digital = table[table["stated dating"] == "late 1990s and early 2000s"].iloc[0]
    assert (digital["years"], digital["matches Table 1"], digital["statements"]) == ("1996–2003", "no", 2)
    # 1996-1999 of the digital revolution falls inside Table 1's CRM era (1980s-1990s).
    assert digital["overlaps Table 1 dating of"] == "1980s-1990s (1996–1999)"
    crm = table[table["stated dating"] == "late 20th century"].iloc[0]
    assert (crm["years"], crm["matches Table 1"]) == ("1960–1999", "no")
    assert (table[table["matches Table 1"] == "no"]["evidence"] == "estimated").all()


def test_every_reading_is_grouped_and_compared_with_table_1():
    readings = era_dating_readings(DATINGS, ERAS)
    early = readings[(readings["era"] == "Early 20th Century") & (readings["source"] == "syamsir-nd-loyalty")]
    # 001 says "early 20th century" six times: two literature-review sections, Table 1, its
    # discussion, and the Figure 2 and Figure 3 discussions.
    assert list(early["statements"]) == [6]
    assert list(early["matches Table 1"]) == ["yes"]
    undated = readings[readings["start_year"].isna()]
    assert set(undated["matches Table 1"]) == {"no years to compare"}
    assert "patel2026generative" in set(undated["source"])


def test_an_open_ended_reading_matches_an_open_ended_era():
    eras = pd.DataFrame(
        {"era_order": [1], "era": ["E"], "start_year": pd.array([2000], "Int64"), "end_year": pd.array([None], "Int64")}
    )
    datings = pd.DataFrame(
        {
            "era": ["E", "E"],
            "source": ["syamsir-nd-loyalty"] * 2,
            "locator": ["a", "b"],
            "stated_dating": ["21st century", "late 1990s"],
            "start_year": pd.array([2000, 1996], "Int64"),
            "end_year": pd.array([None, 1999], "Int64"),
            "evidence": ["estimated"] * 2,
        }
    )
    readings = era_dating_readings(datings, eras).set_index("stated dating")
    assert readings.loc["21st century", "matches Table 1"] == "yes"
    assert readings.loc["late 1990s", "matches Table 1"] == "no"


def test_the_disagreement_chart_and_figure_draw_one_bar_per_dated_reading():
    data = _layer_data(era_disagreement_chart(DATINGS, ERAS))
    assert len(data) == len(era_disagreements(DATINGS, ERAS)) == 5


def test_figure_rows_keeps_the_printed_order_and_rejects_unknown_figures():
    assert list(figure_rows(RATINGS, "Figure 2")["item"]) == [
        "Early 20th Century",
        "1980s-1990s",
        "21st Century",
        "Modern Era (AI-driven)",
    ]
    with pytest.raises(KeyError, match="Figure 99"):
        figure_rows(RATINGS, "Figure 99")


def _markers(ax) -> list[Line2D]:
    return [line for line in ax.lines if line.get_marker() == "o"]


def test_the_sophistication_chart_tooltip_quotes_the_paper():
    data = _layer_data(sophistication_chart(figure_rows(RATINGS, "Figure 2"), title="t"))
    assert list(data["shown"]) == ["3 (estimate)", "5 (estimate)", "7 (estimate)", "9 (estimate)"]
    assert (data["evidence_label"] == ESTIMATED).all()


def test_the_figure_6_radar_marks_the_two_estimates():
    # Figure 6: Relevance 9 and Satisfaction 9 are printed; Convenience and Engagement are estimates.
    fig = rating_radar_figure(figure_rows(RATINGS, "Figure 6"), title="t")
    ax = fig.axes[0]
    hollow = [m.get_markerfacecolor() == "white" for m in _markers(ax)]
    assert hollow == [False, True, True, False]
    edges = [line for line in ax.lines if line.get_marker() in ("None", "", None) and len(line.get_xdata()) == 2]
    # Edges in order Relevance-Convenience, Convenience-Engagement, Engagement-Satisfaction,
    # Satisfaction-Relevance: only the last joins two printed values.
    assert [e.get_linestyle() for e in edges] == ["--", "--", "--", "-"]


def test_a_radar_refuses_unknown_values_and_draws_ranges_radially():
    figure_4 = figure_rows(RATINGS, "Figure 4")
    with pytest.raises(ValueError, match="cannot draw unknown values"):
        rating_radar_figure(figure_4, title="t")
    figure_9 = figure_rows(RATINGS, "Figure 9")
    ax = rating_radar_figure(figure_9, title="t").axes[0]
    radial = [line for line in ax.lines if len(line.get_xdata()) == 2 and line.get_xdata()[0] == line.get_xdata()[1]]
    assert sorted(tuple(line.get_ydata()) for line in radial) == [(6.0, 7.0)] * 3


def test_comparison_tables_are_rebuilt_in_printed_order():
    pathe = comparison_table(COMPARISONS, "pathe2024personalized", rows="approach", columns="criterion")
    assert list(pathe.columns) == ["approach", "Advantages", "Limitations"]
    assert list(pathe["approach"]) == ["Rule-Based Systems", "Manual Segmentation", "Machine Learning"]
    assert pathe.loc[2, "Limitations"] == "Requires large data sets, computational resources"
    charlotte = comparison_table(COMPARISONS, "charlotte2020segmentation", rows="criterion", columns="approach")
    assert list(charlotte.columns) == ["criterion", "Traditional Segmentation", "Data-Driven Segmentation"]
    assert list(charlotte["criterion"]) == [
        "Data Used",
        "Update Frequency",
        "Personalization Capability",
        "Scalability",
        "Flexibility",
        "Technology Used",
    ]
    assert charlotte.loc[3, "Data-Driven Segmentation"] == "High"
    with pytest.raises(KeyError, match="nobody"):
        comparison_table(COMPARISONS, "nobody", rows="approach", columns="criterion")
