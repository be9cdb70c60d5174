"""The audit table is generated from the data tables: expected verdicts derived by hand from the papers,
and a changed table value in a scratch copy of the data package changes the verdict."""

import csv
import shutil

import numpy as np
import pytest
from scipy import stats

from review_evidence.audit_table import (
    CHECK_ORDER,
    COLUMNS,
    VERDICT_ORDER,
    build_audit_table,
    pooled_mean_check,
    verdict_chart,
    verdict_counts,
)
from review_evidence.paths import DATA_DIR


@pytest.fixture(scope="module")
def audit():
    return build_audit_table()


def row(audit, check, locator_end):
    hits = audit[(audit["check"] == check) & audit["locator"].str.endswith(locator_end)]
    assert len(hits) == 1, f"expected one '{check}' row ending '{locator_end}', got {len(hits)}"
    return hits.iloc[0]


# ------------------------------------------------------------------ shape of the table


def test_columns_and_verdict_vocabulary(audit):
    assert list(audit.columns) == COLUMNS
    assert set(audit["verdict"]) <= set(VERDICT_ORDER)
    assert set(audit["check"]) <= set(CHECK_ORDER)
    assert audit["reasoning"].str.len().min() > 40


def test_sorted_by_paper_then_check_and_deterministic(audit):
    keys = list(zip(audit["paper"], audit["check"].map(CHECK_ORDER.index)))
    assert keys == sorted(keys)
    assert build_audit_table().equals(audit)


def test_every_applicable_check_is_run(audit):
    # 4 benchmark models (GAN twice: Tables 2 and 3) + 1 related-work row with P, R and F1;
    # 4 KPIs; 5 regression rows; 5 interpreted correlations; 1 count mean; 1 group comparison;
    # 1 matrix; 3 betas of predictors present in Table 2
    # + 1 shared-test-set comparison (Table 3); 2 coefficients the text calls not significant (Social
    # Media, Gold); 1 tier ANOVA; 5 reference lists and 2 dated statistics; 8 promised methods
    expected = {
        "F1 = 2PR/(P+R)": 6,
        "percent change": 3,
        "multiplier change": 1,
        "p from beta/SE": 5,
        "p from r": 5,
        "GRIM": 1,
        "group means vs overall mean": 1,
        "correlation matrix validity": 1,
        "standardized beta from correlations": 3,
        "shared test set": 1,
        "no effect from beta/SE": 2,
        "one-way ANOVA from means and SDs": 1,
        "cited work dated after the paper": 5,
        "statistic dated after the paper": 2,
        "method promised but not reported": 8,
    }
    assert audit["check"].value_counts().to_dict() == expected


# ------------------------------------------------------------------ verdicts derived by hand


def test_benchmark_f1(audit):
    # KNN: 2*67.2*51.1/(67.2+51.1) = 6867.84/118.3 = 58.0544, printed 47.7
    knn = row(audit, "F1 = 2PR/(P+R)", "Table 3, KNN")
    assert knn["recomputed"] == pytest.approx(58.0544, abs=1e-4)
    # 47.7 lies below both P and R: no harmonic mean of them can be that low, so it is impossible
    assert knn["verdict"] == "impossible" and knn["severity"] == "major"
    assert knn["size (absolute)"] == pytest.approx(10.3544, abs=1e-4)
    assert knn["size (relative)"] == pytest.approx(10.3544 / 58.0544, rel=1e-2)
    # GAN: 2*93.8*92/185.8 = 92.8913; even F1(93.75, 91.5) = 92.611 > 92.5, the top of "92"
    for locator in ("Table 2, GAN", "Table 3, GAN"):
        gan = row(audit, "F1 = 2PR/(P+R)", locator)
        assert gan["recomputed"] == pytest.approx(92.8913, abs=1e-4)
        assert gan["verdict"] == "inconsistent"
        assert gan["severity"] == "minor"  # 0.89 points, 0.96% of 92.89, ranking unchanged
    # the same printed GAN numbers in Tables 2 and 3 count once
    gans = audit[(audit["check"] == "F1 = 2PR/(P+R)") & audit["locator"].str.endswith("GAN")]
    assert list(gans["counted"]) == [True, False]
    # MLP: 2*78.10*76/154.10 = 77.0357 -> 77; LR: 2*82*50/132 = 62.1212 -> 62
    assert row(audit, "F1 = 2PR/(P+R)", "Table 3, MLP")["verdict"] == "consistent"
    assert row(audit, "F1 = 2PR/(P+R)", "Table 3, LR")["verdict"] == "consistent"
    # Zulfadli et al. in Table 1: 2*70*69/139 = 69.4964 -> 69
    zulfadli = row(audit, "F1 = 2PR/(P+R)", "Zulfadli, Ilham & Indrabayu (2023)")
    assert zulfadli["recomputed"] == pytest.approx(69.4964, abs=1e-4)
    assert zulfadli["verdict"] == "consistent"


def test_case_study_kpis(audit):
    # 4.1/2.6 = 1.5769 (+57.7 %); 51.00/43.20 = 1.1806 (+18 %); 223/178 = 1.2528 (+25.3 %); 3.6/1.8 = 2
    for metric, value in [
        ("Conversion Rate", 57.6923),
        ("Average Order Value (AOV)", 18.0556),
        ("Customer Lifetime Value (CLTV)", 25.2809),
    ]:
        kpi = row(audit, "percent change", metric)
        assert kpi["recomputed"] == pytest.approx(value, abs=1e-4)
        assert kpi["verdict"] == "consistent"
    assert row(audit, "multiplier change", "(ROMI)")["verdict"] == "consistent"


def test_regression_p_values_with_df_44(audit):
    # df = 50 - 5 - 1 = 44; t = beta/SE; p recomputed independently with scipy
    printed = {
        "Email Engagement Rate": (0.21, 0.09),
        "Social Media Engagement Rate": (-0.05, 0.11),
        "Mobile App Usage": (-0.18, 0.08),
        "Premium Member": (0.14, 0.10),
        "Membership Type (Gold)": (0.12, 0.09),
    }
    for predictor, (beta, se) in printed.items():
        p = row(audit, "p from beta/SE", predictor)
        assert p["recomputed"] == pytest.approx(2 * stats.t.sf(abs(beta / se), 44), abs=1e-4)
        # every printed p differs from the point value but lies within what rounding allows
        assert p["verdict"] == "rounding"
        assert "df = n - k - 1 = 50 - 5 - 1 = 44" in p["reasoning"]


def test_interpreted_correlations(audit):
    # r = .16, n = 50: t = .16*sqrt(48/.9744) = 1.12298, p = .267: not distinguishable from zero
    email = row(audit, "p from r", "Email Engagement Rate × Total Spend")
    assert email["recomputed"] == pytest.approx(2 * stats.t.sf(0.16 * np.sqrt(48 / (1 - 0.16**2)), 48), abs=1e-4)
    # a claim, not a clash of printed numbers: the 95% interval [-.124, .419] holds zero and .16 alike
    assert email["kind"] == "claim vs numbers"
    assert email["verdict"] == "claim not supported" and email["severity"] == "moderate"
    assert "95% interval of r (Fisher's z): [-0.124, 0.420]" in email["reasoning"]
    # r = -.33: interval [-.56, -.06] excludes zero: supported
    assert row(audit, "p from r", "Mobile App Usage × Average Satisfaction Score")["verdict"] == "claim supported"
    assert row(audit, "p from r", "Total Spend × Items Purchased")["verdict"] == "claim supported"
    # r = -.07 and .12 are called negligible; p > .05 is not enough: the intervals reach |r| = .21 and .38
    for pair in ("Social Media Engagement Rate × Total Spend", "Social Media Engagement Rate × Items Purchased"):
        denied = row(audit, "p from r", pair)
        assert denied["verdict"] == "claim not supported"
        assert "absence of evidence" in denied["reasoning"] and "0.387" in denied["reasoning"]


def test_grim_items_purchased(audit):
    # 13.68 * 50 = 684, a whole number
    grim = row(audit, "GRIM", "Items Purchased mean")
    assert grim["verdict"] == "consistent"
    assert "684" in grim["reasoning"]


def test_membership_means_cannot_pool_to_the_overall_mean(audit):
    # closest split: 9 Gold, 25 Silver, 16 Bronze: (11920.95 + 27236.25 + 15587.36)/50 = 1094.8912,
    # .0412 from 1094.85; rounding allows .005 + .005
    pooled = row(audit, "group means vs overall mean", "Total Spend")
    assert pooled["recomputed"] == pytest.approx(1094.8912, abs=1e-4)
    assert pooled["verdict"] == "inconsistent"
    assert "Gold 9, Silver 25, Bronze 16" in pooled["reasoning"]
    # .0412 of 1094.85 is 0.004%: inconsistent, but minor, and its assumption is named
    assert pooled["size (absolute)"] == pytest.approx(0.0412, abs=1e-4)
    assert pooled["severity"] == "minor"
    assert "every row has exactly one of the 3 tiers" in pooled["assumption"]


def test_correlation_matrix_and_betas(audit):
    matrix = row(audit, "correlation matrix validity", "all 7 variables")
    assert matrix["verdict"] == "consistent"
    assert 0.2 < matrix["recomputed"] < 0.25
    betas = audit[audit["check"] == "standardized beta from correlations"]
    assert set(betas["verdict"]) == {"inconclusive"}
    # two-by-two check of one implied beta by hand is impractical; the 3x3 solve is checked against numpy
    r_xx = np.array([[1, -0.10, -0.06], [-0.10, 1, -0.29], [-0.06, -0.29, 1]])
    implied = np.linalg.solve(r_xx, [0.16, -0.07, -0.13])
    assert list(betas["recomputed"]) == pytest.approx(implied, abs=1e-4)


# ------------------------------------------------------------------ the table follows the data


@pytest.fixture()
def scratch_package(tmp_path):
    """A scratch copy of data/ whose CSV cells a test can change."""
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)

    def edit(table, match, column, value):
        path = folder / f"{table}.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        fields = list(rows[0])
        hits = [r for r in rows if all(r[k] == v for k, v in match.items())]
        assert hits, f"no row of {table} matches {match}"
        for r in hits:
            r[column] = value
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)

    def drop(table, match):
        path = folder / f"{table}.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        fields = list(rows[0])
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
            writer.writeheader()
            writer.writerows([r for r in rows if not all(r[k] == v for k, v in match.items())])

    return folder / "datapackage.json", edit, drop


def test_a_corrected_f1_becomes_consistent(scratch_package):
    package, edit, _ = scratch_package
    edit("benchmark_results", {"item": "KNN", "dimension": "f1"}, "value", "58.1")
    assert row(build_audit_table(package), "F1 = 2PR/(P+R)", "Table 3, KNN")["verdict"] == "consistent"


def test_an_f1_whose_recomputation_overtakes_a_rival_changes_the_conclusion(scratch_package):
    # KNN with P = 80, R = 60: F1 = 9600/140 = 68.57 > LR's printed 62, but printed 47.7 < 62
    package, edit, _ = scratch_package
    edit("benchmark_results", {"item": "KNN", "dimension": "precision"}, "value", "80")
    edit("benchmark_results", {"item": "KNN", "dimension": "recall"}, "value", "60")
    knn = row(build_audit_table(package), "F1 = 2PR/(P+R)", "Table 3, KNN")
    assert knn["verdict"] == "impossible"  # 47.7 is still below both 80 and 60
    assert knn["severity"] == "major"
    assert "reverses the order with LR" in knn["reasoning"]


def test_kpi_changes_follow_the_table(scratch_package):
    package, edit, _ = scratch_package
    edit("segmentation_kpis", {"metric": "Customer Lifetime Value (CLTV)"}, "reported_change_text", "+35.3%")
    edit("segmentation_kpis", {"metric": "Conversion Rate"}, "reported_change_text", "-57.7%")
    audit = build_audit_table(package)
    assert row(audit, "percent change", "Customer Lifetime Value (CLTV)")["verdict"] == "inconsistent"
    assert row(audit, "percent change", "Customer Lifetime Value (CLTV)")["severity"] == "moderate"  # 10 points, 40%
    flipped = row(audit, "percent change", "Conversion Rate")
    assert flipped["verdict"] == "inconsistent" and flipped["severity"] == "major"  # the sign of the change


def test_grim_and_correlation_follow_the_table(scratch_package):
    package, edit, _ = scratch_package
    # 13.69 * 50 = 684.5: no whole-number sum gives it
    edit("engagement_descriptives", {"item": "Items Purchased", "dimension": "mean"}, "value", "13.69")
    # r = .30, n = 50: t = .30*sqrt(48/.91) = 2.179, p = .034: now a real association
    edit("engagement_correlations", {"variable_a": "Email Engagement Rate", "variable_b": "Total Spend"}, "r", "0.30")
    audit = build_audit_table(package)
    assert row(audit, "GRIM", "Items Purchased mean")["verdict"] == "inconsistent"
    assert row(audit, "p from r", "Email Engagement Rate × Total Spend")["verdict"] == "claim supported"


def test_sample_size_sets_the_degrees_of_freedom(scratch_package):
    package, edit, _ = scratch_package
    edit("engagement_descriptives", {"item": "Sample", "dimension": "n"}, "value", "200")
    email = row(build_audit_table(package), "p from beta/SE", "Email Engagement Rate")
    assert "200 - 5 - 1 = 194" in email["reasoning"]
    assert email["recomputed"] == pytest.approx(2 * stats.t.sf(0.21 / 0.09, 194), abs=1e-4)


def test_betas_are_checked_once_every_predictor_is_in_the_matrix(scratch_package):
    package, _, drop = scratch_package
    drop("engagement_regression", {"predictor": "Premium Member"})
    drop("engagement_regression", {"predictor": "Membership Type (Gold)"})
    audit = build_audit_table(package)
    betas = audit[audit["check"] == "standardized beta from correlations"]
    assert "inconclusive" not in set(betas["verdict"])
    # R_xx^-1 r_xy gives .141 for email, far from the printed .21 at two decimals
    assert row(audit, "standardized beta from correlations", "Email Engagement Rate")["verdict"] == "inconsistent"
    assert "50 - 3 - 1 = 46" in row(audit, "p from beta/SE", "Email Engagement Rate")["reasoning"]


def test_printed_group_sizes_are_used_when_present(scratch_package):
    package, edit, _ = scratch_package
    for tier, n in (("Gold", "9"), ("Silver", "25"), ("Bronze", "16")):
        edit("engagement_membership", {"membership_type": tier}, "n", n)
    pooled = row(build_audit_table(package), "group means vs overall mean", "Total Spend")
    assert pooled["reasoning"].startswith("The printed group sizes (Gold 9, Silver 25, Bronze 16)")
    assert pooled["verdict"] == "inconsistent"


def test_a_broken_table_is_reported_not_audited(scratch_package):
    from review_evidence import DataValidationError

    package, edit, _ = scratch_package
    edit("benchmark_results", {"item": "KNN", "dimension": "f1"}, "value", "not a number")
    with pytest.raises(DataValidationError, match="benchmark_results.csv"):
        build_audit_table(package)


# ------------------------------------------------------------------ pooled means


def test_pooled_mean_check_by_hand():
    # two groups with means 10 and 20 and n = 4 pool to 12.5, 15 or 17.5 only
    assert pooled_mean_check(["10.00", "20.00"], "12.50", 4, ["a", "b"]).verdict == "consistent"
    assert pooled_mean_check(["10.00", "20.00"], "13.00", 4, ["a", "b"]).verdict == "inconsistent"
    # 1-decimal group means: 12.54 is .04 from 12.5, within .005 + .05
    assert pooled_mean_check(["10.0", "20.0"], "12.54", 4, ["a", "b"]).verdict == "rounding"
    # printed sizes: 2 and 2 give 15
    result = pooled_mean_check(["10.00", "20.00"], "15.00", 4, ["a", "b"], sizes=[2, 2])
    assert result.verdict == "consistent" and result.recomputed == pytest.approx(15)


def test_pooled_mean_check_rejects_bad_input():
    with pytest.raises(ValueError, match="must be 2 positive numbers"):
        pooled_mean_check(["10", "20"], "15", 4, ["a", "b"], sizes=[1, 2])
    with pytest.raises(ValueError, match="cannot fill"):
        pooled_mean_check(["10", "20", "30"], "15", 2, ["a", "b", "c"])
    with pytest.raises(ValueError, match="labels"):
        pooled_mean_check(["10", "20"], "15", 4, ["a"])


# ------------------------------------------------------------------ charts


def test_verdict_counts_include_zeros_and_add_up(audit):
    counts = verdict_counts(audit)
    assert list(counts.columns) == ["paper", *VERDICT_ORDER, "checks"]
    assert counts["checks"].sum() == audit["counted"].sum() == len(audit) - 1
    assert counts.set_index("paper").loc["Charlotte (2020?)", "consistent"] == 5  # 4 KPIs and its reference list
    assert counts.set_index("paper").loc["Charlotte (2020?)", "inconsistent"] == 0


def test_verdict_chart(audit):
    spec = verdict_chart(audit).to_dict()
    assert spec["layer"][0]["encoding"]["shape"]["field"] == "verdict"
    # screen readers get the counts, not just "Vega visualization"
    assert "Charlotte (2020?): 5 consistent" in spec["description"]


# ------------------------------------------------------------------ forensic checks and severity


def test_benchmark_models_cannot_share_one_test_set(audit):
    shared = row(audit, "shared test set", "MLP, LR, KNN, GAN")
    # implied prevalences by hand: LR (1 - .90)/(.5*(1/.82 - 1) + .5) = .164; MLP .297/(.76*.2804 + .24) = .655
    assert shared["verdict"] == "inconsistent"
    assert "LR 0.164" in shared["reasoning"] and "MLP 0.655" in shared["reasoning"]


def test_tier_anova_and_no_effect_claims(audit):
    anova = row(audit, "one-way ANOVA from means and SDs", "Total Spend by tier")
    assert anova["verdict"] == "consistent"  # no split of 50 makes the tiers significant
    assert anova["recomputed"] > 0.05
    social = row(audit, "no effect from beta/SE", "Social Media Engagement Rate")
    assert social["verdict"] == "claim not supported"
    assert social["recomputed"] == pytest.approx(2 * stats.t.ppf(0.975, 44) * 0.11, abs=1e-3)


def test_dates_and_promises(audit):
    statista = row(audit, "statistic dated after the paper", "The E-Commerce Boom and Rising Competition")
    assert statista["verdict"] == "impossible" and statista["severity"] == "major"
    undated = audit[
        (audit["check"] == "cited work dated after the paper") & (audit["paper"] == "Syamsir et al. (n.d.)")
    ]
    assert undated["verdict"].iloc[0] == "inconclusive" and "cannot be older than 2024" in undated["reasoning"].iloc[0]
    promised = audit[audit["check"] == "method promised but not reported"]
    assert set(promised["verdict"]) == {"not reported"} and set(promised["kind"]) == {"reporting"}


def test_every_row_has_a_kind_a_severity_and_an_assumption(audit):
    from review_evidence.audit_table import KINDS, SEVERITIES

    assert set(audit["kind"]) <= set(KINDS) and set(audit["severity"]) <= set(SEVERITIES)
    assert (audit["assumption"].str.len() > 10).all()
    printed = audit[audit["kind"] == "printed numbers"]
    assert not set(printed["verdict"]) & {"claim supported", "claim not supported"}


def test_severity_rule_by_hand():
    import pandas as pd

    from review_evidence.audit_table import severity

    def s(verdict, relative=None, decision=False):
        return severity(pd.Series({"verdict": verdict, "size (relative)": relative, "decision": decision}))

    assert s("consistent") == s("rounding") == s("claim supported") == "none"
    assert s("inconsistent", 0.005) == "minor" and s("inconsistent", 0.02) == "moderate"
    assert s("inconsistent", 0.005, decision=True) == "major" and s("impossible", 0.0) == "major"
    assert s("claim not supported") == "moderate" and s("claim not supported", decision=True) == "major"
    assert s("inconclusive") == "not rated"


def test_a_broken_promise_table_fails_clearly(scratch_package):
    from review_evidence import DataValidationError

    package, edit, _ = scratch_package
    edit("promised_methods", {"method": "Cluster validation with silhouette scores"}, "reported", "maybe")
    with pytest.raises(DataValidationError, match="promised_methods.csv"):
        build_audit_table(package)
