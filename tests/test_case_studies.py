"""Unit tests for review_evidence.case_studies.

Expected numbers are worked by hand from the papers' printed values (arithmetic in the comments);
t quantiles are textbook table values (t_{0.975,10} = 2.228; t_{0.975,44} lies between
t_{0.975,40} = 2.021 and t_{0.975,60} = 2.000, and is 2.0154 to four decimals).
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
import pytest

from review_evidence import load_printed_table, load_table
from review_evidence.audit_table import build_audit_table
from review_evidence.case_studies import (
    TRUST_TIERS,
    bar_chart,
    correlation_heatmap_chart,
    correlation_matrix,
    curve_points_chart,
    curve_points_table,
    descriptives_table,
    dumbbell_chart,
    f1_audit_table,
    f1_comparison,
    forest_chart,
    grouped_bar_chart,
    kpi_change_table,
    membership_bars,
    quote_check,
    regression_intervals,
    sample_size,
    secondary_quotations,
    trust_tier_chart,
    trust_tier_table,
    uplift_bars,
    with_true_minus,
    without_leading_zero,
)
from review_evidence.prose_numbers import benchmark_prose_numbers, engagement_prose_numbers, segmentation_prose_numbers
from review_evidence.theme import EVIDENCE_STYLE


def _marks(spec) -> set[str]:
    """Every mark type anywhere in a Vega-Lite spec (dict)."""
    found = set()
    if isinstance(spec, dict):
        mark = spec.get("mark")
        if mark is not None:
            found.add(mark if isinstance(mark, str) else mark.get("type"))
        for value in spec.values():
            found |= _marks(value)
    elif isinstance(spec, list):
        for value in spec:
            found |= _marks(value)
    return found


# ------------------------------------------------------------------ regression intervals


@pytest.fixture(scope="module")
def regression():
    return load_table("engagement_regression")


def test_intervals_use_df_n_minus_k_minus_1_and_t_0975(regression):
    intervals = regression_intervals(regression, n=50)
    assert set(intervals["df"]) == {44}  # 50 - 5 - 1
    assert intervals["t critical"].iloc[0] == pytest.approx(2.0154, abs=1e-4)
    email = intervals.set_index("predictor").loc["Email Engagement Rate"]
    # .21 ± 2.0154 × .09 = .21 ± .1814 -> [.0286, .3914]
    assert email["95% low"] == pytest.approx(0.029, abs=5e-4)
    assert email["95% high"] == pytest.approx(0.391, abs=5e-4)
    mobile = intervals.set_index("predictor").loc["Mobile App Usage"]
    # -.18 ± 2.0154 × .08 = -.18 ± .1612 -> [-.3412, -.0188]
    assert mobile["95% low"] == pytest.approx(-0.341, abs=5e-4)
    assert mobile["95% high"] == pytest.approx(-0.019, abs=5e-4)


def test_intervals_exclude_zero_exactly_for_the_two_coefficients_with_p_below_05(regression):
    intervals = regression_intervals(regression, n=50)
    assert list(intervals.loc[intervals["excludes zero"], "predictor"]) == ["Email Engagement Rate", "Mobile App Usage"]
    assert set(intervals["interval evidence"]) == {"derived"}
    assert "50 − 5 − 1 = 44" in intervals["rule"].iloc[0]


def test_intervals_on_a_hand_worked_case():
    # n = 12, one predictor: df = 10, t = 2.228; 1 ± 2.228 × 0.5 = [-0.114, 2.114]
    one = pd.DataFrame({"predictor": ["x"], "beta": [1.0], "se": [0.5], "p_value": [0.06]})
    row = regression_intervals(one, n=12).iloc[0]
    assert row["df"] == 10
    assert row["t critical"] == pytest.approx(2.228, abs=5e-4)
    assert (row["95% low"], row["95% high"]) == (pytest.approx(-0.114, abs=5e-4), pytest.approx(2.114, abs=5e-4))


def test_more_predictors_than_rows_lower_df(regression):
    assert set(regression_intervals(regression, n=50, predictors=6)["df"]) == {43}
    ninety = regression_intervals(regression, n=50, level=0.90)
    assert "90% low" in ninety.columns and ninety["t critical"].iloc[0] < 2.0154


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n": 6}, "too few observations"),
        ({"n": 50.5}, "whole numbers"),
        ({"n": 50, "predictors": 0}, "at least one predictor"),
        ({"n": 50, "level": 1.0}, "strictly between 0 and 1"),
    ],
)
def test_broken_interval_inputs_fail_clearly(regression, kwargs, message):
    with pytest.raises(ValueError, match=message):
        regression_intervals(regression, **kwargs)


def test_a_zero_or_missing_standard_error_fails_clearly(regression):
    broken = regression.assign(se=regression["se"].where(regression["predictor"] != "Premium Member", 0.0))
    with pytest.raises(ValueError, match="Premium Member"):
        regression_intervals(broken, n=50)
    with pytest.raises(ValueError, match="lacks the column"):
        regression_intervals(regression.drop(columns="se"), n=50)


def test_forest_plot_draws_dashed_derived_intervals(regression):
    intervals = regression_intervals(regression, n=50)
    spec = forest_chart(intervals, title="t").to_dict()
    assert {"rule", "point"} <= _marks(spec)
    assert EVIDENCE_STYLE["derived"]["dash"] in [
        layer["encoding"].get("strokeDash", {}).get("scale", {}).get("range", [None])[0] for layer in spec["layer"]
    ]
    with pytest.raises(ValueError, match="regression_intervals"):
        forest_chart(intervals.drop(columns="95% high"), title="t")


# ------------------------------------------------------------------ KPI changes (Charlotte 2020)


def test_kpi_changes_are_recomputed_from_the_printed_values():
    table = kpi_change_table(load_printed_table("segmentation_kpis")).set_index("metric")
    # 4.1 / 2.6 = 1.57692 -> +57.69 %; 4.1 - 2.6 = 1.5 percentage points
    assert table.loc["Conversion Rate", "recomputed change (derived)"] == "+57.69%"
    assert table.loc["Conversion Rate", "absolute change (derived)"] == "+1.5 percentage points"
    # 51.00 / 43.20 = 1.18056 -> +18.06 %; 223 / 178 = 1.25281 -> +25.28 %; 3.6 / 1.8 = 2
    assert table.loc["Average Order Value (AOV)", "recomputed change (derived)"] == "+18.06%"
    assert table.loc["Average Order Value (AOV)", "absolute change (derived)"] == "+$7.80"
    assert table.loc["Customer Lifetime Value (CLTV)", "recomputed change (derived)"] == "+25.28%"
    assert table.loc["Return on Marketing Investment (ROMI)", "recomputed change (derived)"] == "2.00×"
    assert set(table["verdict"]) == {"consistent"}
    assert list(table["before"]) == ["2.6%", "$43.20", "$178", "1.8x"]


def test_a_misprinted_kpi_change_is_flagged():
    kpis = load_printed_table("segmentation_kpis")
    wrong = kpis.assign(reported_change_text=kpis["reported_change_text"].replace("+57.7%", "+75.7%"))
    assert kpi_change_table(wrong).set_index("metric").loc["Conversion Rate", "verdict"] == "inconsistent"


def test_an_unknown_change_unit_fails_clearly():
    kpis = load_printed_table("segmentation_kpis")
    with pytest.raises(
        ValueError,
        match=r"metric 'Conversion Rate', column reported_change_unit: must be 'percent change' or 'multiplier'",
    ):
        kpi_change_table(kpis.assign(reported_change_unit="points"))


def test_the_kpi_audit_reads_the_printed_decimals():
    # AOV as printed: $43.20 -> $51.00, to the cent, so the change lies in
    # [50.995 / 43.205 - 1, 51.005 / 43.195 - 1] = [18.03%, 18.08%] and a printed "+18.9%" (18.85 to 18.95)
    # cannot be it. Read from floats, 51.00 would become 51 (50.5 to 51.5) and the range [16.8%, 19.4%]
    # would excuse the misprint as rounding.
    kpis = load_printed_table("segmentation_kpis")
    wrong = kpis.assign(reported_change_text=kpis["reported_change_text"].replace("+18%", "+18.9%"))
    assert kpi_change_table(wrong).set_index("metric").loc["Average Order Value (AOV)", "verdict"] == "inconsistent"


def test_the_kpi_and_f1_tables_need_the_printed_text():
    with pytest.raises(TypeError, match=r"segmentation_kpis: column\(s\) before, after must hold the printed text"):
        kpi_change_table(load_table("segmentation_kpis"))
    with pytest.raises(TypeError, match=r"benchmark_results: column\(s\) value must hold the printed text"):
        f1_audit_table(load_table("benchmark_results"))


def test_the_chapters_and_the_audit_table_give_the_same_verdicts():
    """One audit: the segmentation and benchmark chapters' tables say what the audit table says."""
    audit = build_audit_table()
    kpis = kpi_change_table(load_printed_table("segmentation_kpis"))
    for row in kpis.itertuples():
        audited = audit[audit["locator"].str.endswith(f", {row.metric}") & audit["check"].str.endswith("change")]
        assert len(audited) == 1, row.metric
        # the audit table reports a reversed conclusion as "inconsistent" and marks it as a decision
        assert audited["verdict"].iloc[0] == row.verdict.replace("changes the conclusion", "inconsistent")
    f1 = f1_audit_table(load_printed_table("benchmark_results"))
    for row in f1.itertuples():
        audited = audit[audit["locator"] == f"Table 3, {row.model}"]
        assert len(audited) == 1, row.model
        assert audited["verdict"].iloc[0] == row.verdict
        # the audit table may add that the same numbers were printed in an earlier table
        assert audited["reasoning"].iloc[0].startswith(row.reasoning)


def test_dumbbell_draws_each_kpi_from_zero_and_rejects_negative_values():
    kpis = load_table("segmentation_kpis")
    spec = dumbbell_chart(kpis, title="t").to_dict()
    assert spec["resolve"]["scale"]["x"] == "independent"
    with pytest.raises(ValueError, match="non-negative"):
        dumbbell_chart(kpis.assign(before=-1.0), title="t")


# ------------------------------------------------------------------ bars


def test_uplift_bars_keep_the_reduction_negative_and_the_share_apart():
    bars = uplift_bars(load_table("segmentation_uplifts")).set_index("outcome")
    assert bars.loc["unsubscribe rate", "percent"] == -12
    assert bars.loc["dormant users reactivated", "figure"] == "share of the segment (%)"
    assert (bars["figure"] == "change (%)").sum() == 6


def test_membership_bars_say_that_group_sizes_are_not_printed():
    bars = membership_bars(load_table("engagement_membership"))
    assert list(bars["group n"]) == ["not printed"] * 3
    assert "errorbar" in _marks(
        bar_chart(bars, category="membership", value="mean_spend", error="SD", title="t", value_title="v").to_dict()
    )


def test_bars_refuse_a_missing_value_or_column():
    data = pd.DataFrame({"group": ["a", "b"], "value": [1.0, np.nan]})
    with pytest.raises(ValueError, match=r"no value to draw for \['b'\]"):
        bar_chart(data, category="group", value="value", title="t", value_title="v")
    with pytest.raises(ValueError, match="lacks the column"):
        bar_chart(data, category="group", value="mean", title="t", value_title="v")


# ------------------------------------------------------------------ engagement tables


def test_descriptives_table_is_table_1_as_printed():
    descriptives = load_table("engagement_descriptives")
    table = descriptives_table(descriptives).set_index("variable")
    assert list(table.columns) == ["scale", "mean", "SD", "min", "max"]
    assert len(table) == 7 and "Sample" not in table.index
    assert table.loc["Total Spend", "mean"] == 1094.85 and table.loc["Mobile App Usage", "max"] == 198
    assert sample_size(descriptives) == 50
    with pytest.raises(ValueError, match="'Sample' / 'n'"):
        sample_size(descriptives[descriptives["item"] != "Sample"])


def test_correlation_matrix_is_square_symmetric_with_unit_diagonal():
    matrix = correlation_matrix(load_table("engagement_correlations"))
    assert matrix.shape == (7, 7)
    assert np.allclose(matrix.to_numpy(), matrix.to_numpy().T)
    assert np.allclose(np.diag(matrix.to_numpy()), 1)
    assert matrix.loc["Total Spend", "Items Purchased"] == 0.72
    assert matrix.loc["Mobile App Usage", "Average Satisfaction Score"] == -0.33


def test_a_missing_correlation_fails_clearly():
    correlations = load_table("engagement_correlations")
    broken = correlations.drop(index=correlations.index[1])
    with pytest.raises(ValueError, match="missing cells"):
        correlation_matrix(broken)
    assert {"rect", "text"} <= _marks(correlation_heatmap_chart(correlations, title="t").to_dict())


# ------------------------------------------------------------------ benchmark


def test_f1_is_recomputed_from_precision_and_recall():
    audit = f1_audit_table(load_printed_table("benchmark_results")).set_index("model")
    # KNN: 2 × 67.2 × 51.1 / (67.2 + 51.1) = 6867.84 / 118.3 = 58.054
    assert audit.loc["KNN", "F1 recomputed (derived)"] == pytest.approx(58.05, abs=0.005)
    # and the printed 47.7 is below both 67.2 and 51.1, which no harmonic mean of the two can be
    assert audit.loc["KNN", "verdict"] == "impossible"
    # GAN: 2 × 93.8 × 92 / 185.8 = 92.89, outside "92" = [91.5, 92.5]
    assert audit.loc["GAN", "F1 recomputed (derived)"] == pytest.approx(92.89, abs=0.005)
    assert audit.loc["GAN", "verdict"] == "inconsistent"
    # LR: 2 × 82 × 50 / 132 = 62.12, inside "62" = [61.5, 62.5]; a whole number is not read as 62.0
    assert audit.loc["LR", "verdict"] == "consistent"
    # MLP: 2 × 78.1 × 76 / 154.1 = 77.04, inside "77"
    assert audit.loc["MLP", "verdict"] == "consistent"


def test_f1_comparison_marks_recomputed_values_derived():
    table = f1_comparison(load_printed_table("benchmark_results"))
    assert len(table) == 8
    assert set(table.loc[table["dimension"].str.startswith("F1 recomputed"), "evidence"]) == {"derived"}
    assert set(table.loc[table["dimension"] == "F1 as printed", "evidence"]) == {"reported"}
    assert isinstance(grouped_bar_chart(table, title="t", domain_max=100), alt.LayerChart)


def test_f1_audit_needs_precision_and_recall():
    results = load_printed_table("benchmark_results")
    with pytest.raises(ValueError, match="lacks"):
        f1_audit_table(results[results["dimension"] != "recall"])
    with pytest.raises(ValueError, match="no rows at 'Table 9'"):
        f1_audit_table(results, locator="Table 9")


def test_training_curves_are_points_only_never_lines():
    curves = load_table("training_curves")
    points = curve_points_table(curves)
    assert sorted(points["epoch"].unique()) == [1, 20]
    assert list(points["shown"])[:2] == ["≈0.75", "≈0.96"]
    marks = _marks(curve_points_chart(curves, title="t").to_dict())
    assert "point" in marks and not marks & {"line", "area", "trail"}
    with pytest.raises(ValueError, match="epoch N"):
        curve_points_table(curves.assign(dimension="last epoch"))


# ------------------------------------------------------------------ industry cases


def test_trust_tier_table_orders_companies_then_tiers():
    table = trust_tier_table(load_table("industry_cases"))
    assert list(dict.fromkeys(table["company"])) == ["Netflix", "Amazon", "Starbucks", "Spotify"]
    for _, facts in table.groupby("company"):
        ranks = facts["trust tier"].map(TRUST_TIERS.index)
        assert ranks.is_monotonic_increasing
    amazon = table[table["company"] == "Amazon"].set_index("value")
    assert amazon.loc["35 percent of purchases", "trust tier"] == "consultancy claim"


def test_quotes_checked_through_someone_elses_quotation_are_named():
    cases = load_table("industry_cases")
    checks = quote_check(cases)
    assert (checks == "via a secondary quotation (see note)").sum() == 6
    assert (checks == "verbatim in the reviewed paper (tested)").sum() == 4
    assert set(secondary_quotations(cases)["company"]) == {"Netflix", "Amazon", "Starbucks", "Spotify"}


def test_an_unknown_trust_tier_fails_clearly():
    cases = load_table("industry_cases")
    with pytest.raises(ValueError, match="unknown trust tier"):
        trust_tier_table(cases.assign(trust_tier="blog post"))
    assert trust_tier_chart(cases).to_dict()["resolve"]["scale"]["y"] == "independent"


# ------------------------------------------------------------------ screen readers


def test_every_chart_tells_a_screen_reader_what_it_draws():
    results = load_printed_table("benchmark_results")
    charts = {
        "trust tiers": (trust_tier_chart(load_table("industry_cases")), "35 percent of purchases, consultancy claim"),
        "dumbbell": (dumbbell_chart(load_table("segmentation_kpis"), title="t"), "Conversion Rate from 2.6% to 4.1%"),
        "bars": (
            bar_chart(
                uplift_bars(load_table("segmentation_uplifts")),
                category="outcome",
                value="percent",
                title="t",
                value_title="v",
            ),
            "unsubscribe rate -12",
        ),
        "heatmap": (
            correlation_heatmap_chart(load_table("engagement_correlations"), title="t"),
            "Total Spend with Items Purchased r = 0.72",
        ),
        "forest": (
            forest_chart(regression_intervals(load_table("engagement_regression"), n=50), title="t"),
            "Email Engagement Rate beta 0.21 (reported), interval 0.029 to 0.391 (derived)",
        ),
        "grouped": (
            grouped_bar_chart(f1_comparison(results), title="t"),
            "KNN F1 recomputed as 2PR/(P+R) 58.05 (derived)",
        ),
        "curves": (curve_points_chart(load_table("training_curves"), title="t"), "validation loss at epoch 20 ≈0.18"),
    }
    for name, (chart, expected) in charts.items():
        assert expected in chart.to_dict()["description"], name


def test_correlation_intervals_one_per_pair_by_fisher_z():
    import pandas as pd

    from review_evidence.case_studies import correlation_intervals

    # a 3-variable matrix in long form, both triangles and the diagonal, as the paper prints it
    names = ["a", "b", "c"]
    r = {("a", "b"): 0.30, ("a", "c"): -0.05, ("b", "c"): 0.60}
    rows = [(x, y, 1.0 if x == y else r.get((x, y), r.get((y, x)))) for x in names for y in names]
    table = correlation_intervals(pd.DataFrame(rows, columns=["variable_a", "variable_b", "r"]), n=100)
    assert len(table) == 3 and list(table["r (printed)"]) == [0.60, 0.30, -0.05]
    # r = .30, n = 100: tanh(atanh(.3) ± 1.95996/sqrt(97)) = [.110, .469]
    row = table[table["r (printed)"] == 0.30].iloc[0]
    assert (row["95% low"], row["95% high"]) == (0.110, 0.469)
    assert list(table["excludes zero"]) == [True, True, False]
    assert (table["interval evidence"] == "derived").all()


def test_segmentation_prose_numbers_follow_the_tables():
    kpis = pd.DataFrame(
        {
            "metric": ["Conversion Rate", "Return on Marketing Investment (ROMI)"],
            "before": [2.0, 1.5],
            "after": [3.0, 4.5],
            "unit": ["percent", "ratio"],
            "reported_change": [50.0, 3.0],
            "reported_change_text": ["+50%", "3×"],
            "reported_change_unit": ["percent change", "multiplier"],
        }
    )
    uplifts = pd.DataFrame({"item": ["unsubscribe rate"], "value": [-12.0]})
    numbers = segmentation_prose_numbers(kpis, uplifts)
    assert numbers["conversion-rate-before"] == 2.0 and numbers["conversion-rate-after"] == 3.0
    assert numbers["conversion-rate-printed-change"] == "+50%"
    assert numbers["conversion-rate-printed-size"] == 50.0
    assert numbers["conversion-rate-recomputed-change"] == pytest.approx(50.0)  # 3 / 2 - 1
    assert numbers["conversion-rate-absolute-change"] == pytest.approx(1.0)  # points
    assert (numbers["conversion-rate-printed-low"], numbers["conversion-rate-printed-high"]) == pytest.approx(
        (49.5, 50.5)
    )
    assert numbers["conversion-rate-points-read-as-percent"] == pytest.approx(2.02)  # 2% raised by 1%
    assert numbers["romi-recomputed-change"] == pytest.approx(3.0)  # a multiplier, not a percent
    assert "romi-points-read-as-percent" not in numbers  # a ratio has no percentage points
    assert numbers["unsubscribe-rate"] == 12.0  # the text says "reduction" in words


def test_benchmark_prose_numbers_follow_the_tables():
    results = load_printed_table("benchmark_results")
    # "60" as printed: a whole number, so it stands for 59.5 to 60.5
    results.loc[(results["item"] == "KNN") & (results["dimension"] == "precision"), "value"] = "60"
    related = pd.DataFrame(
        {
            "study": ["Xu (2025)", "Zulfadli, Ilham & Indrabayu (2023)", "Masroor et al. (2023)"],
            "results": ["Accuracy: 98.2%, F1-score: 97.7%", "Accuracy: 69%, Precision: 70%", "AUC-ROC: 0.85"],
        }
    )
    curves = load_table("training_curves")
    numbers = benchmark_prose_numbers(results, related, curves)
    assert numbers["knn-precision"] == 60.0
    assert numbers["knn-f1-recomputed"] == pytest.approx(round(2 * 60 * 51.1 / (60 + 51.1), 2))
    assert numbers["knn-precision-plus-recall"] == pytest.approx(111.1)
    assert (numbers["knn-f1-printed-low"], numbers["knn-f1-printed-high"]) == pytest.approx((47.65, 47.75))
    # 2PR/(P+R) at the ends of the rounding intervals of P = 60 and R = 51.1
    low, high = 2 * 59.5 * 51.05 / (59.5 + 51.05), 2 * 60.5 * 51.15 / (60.5 + 51.15)
    assert (numbers["knn-f1-recomputed-low"], numbers["knn-f1-recomputed-high"]) == pytest.approx((low, high))
    assert numbers["gan-accuracy"] == 95.79
    assert numbers["related-xu-accuracy"] == 98.2
    assert (numbers["related-accuracy-lowest"], numbers["related-accuracy-highest"]) == (69.0, 98.2)
    assert "related-masroor-accuracy" not in numbers  # an AUC is not an accuracy
    assert numbers["epochs"] == 20
    assert numbers["validation-loss-epoch-20"] == 0.18


@pytest.mark.parametrize(
    "value, decimals, true_minus, apa",
    [
        (0.72, 2, "0.72", ".72"),
        (-0.07, 2, "−0.07", "−.07"),
        (-0.341, 3, "−0.341", "−.341"),
        (-0.001, 2, "0.00", ".00"),
        (1.5, 2, "1.50", "1.50"),
    ],
)
def test_statistics_print_as_the_text_prints_them(value, decimals, true_minus, apa):
    assert with_true_minus(value, decimals) == true_minus
    assert without_leading_zero(value, decimals) == apa


def test_engagement_prose_numbers_follow_the_tables():
    descriptives = load_table("engagement_descriptives")
    regression = load_table("engagement_regression")
    numbers = engagement_prose_numbers(
        descriptives, load_table("engagement_correlations"), regression, load_table("engagement_membership")
    )
    assert numbers["n"] == 50
    assert numbers["total-spend-mean"] == 1094.85
    assert numbers["r-total-spend-items-purchased"] == "0.72"
    assert numbers["r-total-spend-social-media-engagement-rate-apa"] == "−.07"
    assert "r-items-purchased-total-spend" not in numbers  # each pair once
    assert numbers["r-total-spend-email-engagement-rate-p"] == ".27"  # t = .16 √(48 / (1 − .16²)) = 1.12 on 48 df
    assert numbers["r-total-spend-email-engagement-rate-t"] == pytest.approx(1.123, abs=1e-3)
    assert (numbers["correlation-df"], numbers["critical-r"]) == (48, ".28")  # t(.975, 48) = 2.011; r = t / √(t² + 48)
    assert (numbers["predictors"], numbers["df"]) == (5, 44)  # 50 - 5 - 1
    assert (numbers["six-predictors-df"], numbers["t-critical"]) == (43, pytest.approx(2.0154, abs=1e-4))
    # 0.21 ± 2.0154 × 0.09, to three decimals
    assert (numbers["email-engagement-rate-low"], numbers["email-engagement-rate-high"]) == ("0.029", "0.391")
    assert numbers["mobile-app-usage-low"] == "−0.341"
    assert numbers["email-t"] == pytest.approx(0.21 / 0.09)
    assert numbers["email-p-recomputed"] == ".024"
    assert (numbers["gold-mean"], numbers["bronze-sd"]) == (1324.55, 466.29)
    regression.loc[regression["predictor"] == "Email Engagement Rate", "se"] = 0.07
    edited = engagement_prose_numbers(
        descriptives, load_table("engagement_correlations"), regression, load_table("engagement_membership")
    )
    assert edited["email-t"] == pytest.approx(3.0)
    assert edited["email-engagement-rate-se-apa"] == ".07"
