"""The numbers the statistical audit chapter quotes follow the data tables and the audit.

Expected values are worked out by hand (shown in the comments) or read from the CSV files with the
csv module, never copied from the function's output; a scratch copy of data/ shows that an edited
cell changes the quoted numbers.
"""

import csv
import math
import shutil

import numpy as np
import pytest
from scipy import stats

from review_evidence.audit_table import build_audit_table
from review_evidence.paths import DATA_DIR
from review_evidence.prose_numbers import statistical_audit_prose_numbers


def _rows(table, folder=DATA_DIR):
    with (folder / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _value(rows, **match):
    hits = [row for row in rows if all(row[key] == value for key, value in match.items())]
    assert len(hits) >= 1, match
    return hits[0]


@pytest.fixture(scope="module")
def numbers():
    return statistical_audit_prose_numbers(build_audit_table())


def test_sample_size_and_degrees_of_freedom(numbers):
    n = int(_value(_rows("engagement_descriptives"), item="Sample", dimension="n")["value"])
    predictors = len(_rows("engagement_regression"))
    assert (numbers["n"], numbers["predictors"]) == (n, predictors) == (50, 5)
    assert numbers["df"] == 44  # 50 - 5 - 1
    assert numbers["df-one-more-dummy"] == 43
    assert numbers["correlation-df"] == 48  # n - 2
    # tanh((z_.975 + z_.80) / sqrt(47)) = tanh((1.95996 + 0.84162) / 6.85565) = tanh(0.40865) = 0.387
    assert numbers["detectable-r"] == "0.39"


def test_audit_counts_and_rules(numbers):
    promised = _rows("promised_methods")
    assert numbers["not-reported"] == sum(row["reported"] == "no" for row in promised) == 8
    # 45 rows (test_audit_table.test_every_applicable_check_is_run), the GAN's Table 3 repeat counted once
    assert numbers["checks"] == 44
    assert numbers["major"] == 2  # KNN's impossible F1 and the case study's 2024 statistic
    assert numbers["minor-threshold"] == 1.0  # "less than 1% of the recomputed value"
    assert numbers["smallest-effect"] == ".10"


def test_regression_p_values(numbers):
    email = _value(_rows("engagement_regression"), predictor="Email Engagement Rate")
    assert (email["beta"], email["se"], email["p_value"]) == ("0.21", "0.09", "0.03")
    assert numbers["email-engagement-rate-beta-apa"] == ".21"
    assert numbers["email-engagement-rate-se-apa"] == ".09"
    assert numbers["email-engagement-rate-p-apa"] == ".03"
    assert numbers["mobile-app-usage-p-apa"] == ".04"
    # a printed .03 stands for [.025, .035]
    assert (numbers["email-engagement-rate-p-printed-low"], numbers["email-engagement-rate-p-printed-high"]) == (
        ".025",
        ".035",
    )
    assert numbers["email-t"] == pytest.approx(0.21 / 0.09)
    assert numbers["email-p-recomputed"] == f"{2 * stats.t.sf(0.21 / 0.09, 44):.3f}"[1:] == ".024"
    # the rounding extremes: .205/.095 and .215/.085 on 44 df
    low, high = 2 * stats.t.sf(0.215 / 0.085, 44), 2 * stats.t.sf(0.205 / 0.095, 44)
    assert (
        (numbers["email-p-low"], numbers["email-p-high"]) == (f"{low:.3f}"[1:], f"{high:.3f}"[1:]) == (".015", ".036")
    )


def test_interpreted_correlations(numbers):
    r = float(
        _value(_rows("engagement_correlations"), variable_a="Email Engagement Rate", variable_b="Total Spend")["r"]
    )
    key = "r-email-engagement-rate-total-spend"
    assert numbers[key] == ".16"
    assert numbers[f"{key}-one-minus-r-squared"] == ".9744"  # 1 - .0256
    t = 0.16 * math.sqrt(48 / 0.9744)  # 1.1230
    assert numbers[f"{key}-t"] == pytest.approx(t)
    assert numbers[f"{key}-p"] == ".27"  # 2 * t.sf(1.1230, 48) = .267
    # Fisher's z: atanh(.16) = .16139 +/- 1.95996 / sqrt(47) = .28589 -> tanh(-.1245), tanh(.4473)
    half = stats.norm.ppf(0.975) / math.sqrt(47)
    low, high = math.tanh(math.atanh(r) - half), math.tanh(math.atanh(r) + half)
    assert numbers[f"{key}-ci"] == f"{low:.2f} to {high:.2f}" == "-0.12 to 0.42"
    assert numbers["r-total-spend-items-purchased"] == ".72"
    assert numbers["r-mobile-app-usage-average-satisfaction-score"] == "−.33"  # a true minus
    assert numbers["r-social-media-engagement-rate-total-spend"] == "−.07"
    assert numbers["r-social-media-engagement-rate-items-purchased"] == ".12"
    # t(.975, 48) = 2.0106; r = t / sqrt(t² + 48) = .2787
    assert numbers["correlation-t-critical"] == pytest.approx(2.0106, abs=1e-4)
    assert numbers["critical-r"] == ".28"


def test_means_grim_and_the_membership_tiers(numbers):
    descriptives = _rows("engagement_descriptives")
    mean = _value(descriptives, item="Items Purchased", dimension="mean")["value"]
    assert mean == "13.68"
    assert numbers["items-purchased-mean"] == 13.68
    assert numbers["items-purchased-grim-sum"] == 684  # 13.68 * 50
    assert numbers["items-purchased-grim-exercise-mean"] == 13.69  # one unit more in the last digit
    assert numbers["items-purchased-grim-exercise-sum"] == 684.5
    assert (numbers["items-purchased-grim-exercise-sum-below"], numbers["items-purchased-grim-exercise-sum-above"]) == (
        684,
        685,
    )
    assert numbers["items-purchased-grim-exercise-mean-below"] == 13.68  # 684 / 50
    assert numbers["items-purchased-grim-exercise-mean-above"] == 13.7  # 685 / 50
    assert (numbers["items-purchased-min"], numbers["items-purchased-max"]) == (1, 29)
    assert (numbers["mobile-app-usage-min"], numbers["mobile-app-usage-max"]) == (0, 198)
    # 9 * 1324.55 + 25 * 1089.45 + 16 * 974.21 = 54744.56, / 50 = 1094.8912: the closest of all splits
    tiers = {row["membership_type"]: float(row["mean_spend"]) for row in _rows("engagement_membership")}
    best = min(
        (abs((g * tiers["Gold"] + s * tiers["Silver"] + (50 - g - s) * tiers["Bronze"]) / 50 - 1094.85), g, s)
        for g in range(1, 49)
        for s in range(1, 50 - g)
    )
    assert (best[1], best[2]) == (9, 25)
    assert (numbers["closest-split-gold"], numbers["closest-split-silver"], numbers["closest-split-bronze"]) == (
        9,
        25,
        16,
    )
    assert numbers["pooled-mean"] == pytest.approx(1094.8912, abs=1e-4)
    assert numbers["total-spend-mean"] == 1094.85
    assert numbers["pooled-mean-tolerance"] == ".01"  # half a cent for the overall mean and for a tier mean


def test_correlation_matrix_and_implied_betas(numbers):
    cells = _rows("engagement_correlations")
    labels = list(dict.fromkeys(row["variable_a"] for row in cells))
    lookup = {(row["variable_a"], row["variable_b"]): float(row["r"]) for row in cells}
    matrix = np.array([[lookup[(a, b)] for b in labels] for a in labels])
    assert numbers["smallest-eigenvalue"] == f"{np.linalg.eigvalsh(matrix).min():.2f}"[1:] == ".22"
    predictors = ["Email Engagement Rate", "Social Media Engagement Rate", "Mobile App Usage"]
    index = [labels.index(p) for p in predictors]
    betas = np.linalg.solve(matrix[np.ix_(index, index)], matrix[index, labels.index("Total Spend")])
    assert [round(b, 2) for b in betas] == [0.14, -0.10, -0.15]
    assert numbers["email-engagement-rate-implied-beta"] == ".14"
    assert numbers["social-media-engagement-rate-implied-beta"] == "−.10"
    assert numbers["mobile-app-usage-implied-beta"] == "−.15"
    assert numbers["social-media-engagement-rate-beta-apa"] == "−.05"
    assert numbers["mobile-app-usage-beta-apa"] == "−.18"


def test_benchmark_f1(numbers):
    results = _rows("benchmark_results")
    knn = {row["dimension"]: row["value"] for row in results if row["item"] == "KNN"}
    assert (numbers["knn-precision"], numbers["knn-recall"], numbers["knn-f1"]) == tuple(
        float(knn[d]) for d in ("precision", "recall", "f1")
    )
    assert numbers["knn-two-precision-recall"] == pytest.approx(6867.84)  # 2 * 67.2 * 51.1
    assert numbers["knn-precision-plus-recall"] == pytest.approx(118.3)
    assert numbers["knn-f1-recomputed"] == pytest.approx(58.0544, abs=1e-4)  # 6867.84 / 118.3
    assert (numbers["knn-precision-printed-low"], numbers["knn-precision-printed-high"]) == (67.15, 67.25)
    assert (numbers["knn-recall-printed-low"], numbers["knn-recall-printed-high"]) == (51.05, 51.15)
    assert (numbers["knn-f1-printed-low"], numbers["knn-f1-printed-high"]) == (47.65, 47.75)
    assert numbers["knn-f1-recomputed-low"] == pytest.approx(2 * 67.15 * 51.05 / (67.15 + 51.05))  # 58.00
    assert numbers["knn-f1-recomputed-high"] == pytest.approx(2 * 67.25 * 51.15 / (67.25 + 51.15))  # 58.11
    # The GAN: 2 * 93.8 * 92 / 185.8 = 92.8913; rounding gives 2 * 93.75 * 91.5 / 185.25 = 92.611 at least
    assert numbers["gan-recall"] == 92 and numbers["gan-precision"] == 93.8
    assert (numbers["gan-recall-printed-low"], numbers["gan-recall-printed-high"]) == (91.5, 92.5)
    assert numbers["gan-f1-printed-high"] == 92.5
    assert numbers["gan-precision-plus-recall"] == pytest.approx(185.8)
    assert numbers["gan-f1-recomputed"] == pytest.approx(92.8913, abs=1e-4)
    assert numbers["gan-f1-recomputed-low"] == pytest.approx(2 * 93.75 * 91.5 / (93.75 + 91.5))
    assert numbers["gan-f1-recomputed-high"] == pytest.approx(2 * 93.85 * 92.5 / (93.85 + 92.5))
    assert numbers["gan-f1-recomputed-low-floor"] == 92.6
    assert numbers["gan-f1-gap"] == "−0.89"  # 92 - 92.8913
    assert numbers["gan-f1-gap-percent"] == pytest.approx(0.8913 / 92.8913 * 100, abs=1e-3)  # 0.96%
    # the baselines of Table 3 (the GAN is also in Table 2, its own results): MLP 77, LR 62, KNN 47.7
    assert (numbers["best-baseline"], numbers["best-baseline-f1"]) == ("MLP", 77)


def test_case_study_kpis(numbers):
    for row in _rows("segmentation_kpis"):
        key = {
            "Conversion Rate": "conversion-rate",
            "Average Order Value (AOV)": "average-order-value-aov",
            "Customer Lifetime Value (CLTV)": "customer-lifetime-value-cltv",
            "Return on Marketing Investment (ROMI)": "return-on-marketing-investment-romi",
        }[row["metric"]]
        assert numbers[f"{key}-before"] == float(row["before"])
        assert numbers[f"{key}-after"] == float(row["after"])
        assert numbers[f"{key}-printed-change"] == float(row["reported_change"])
    assert numbers["conversion-rate-printed-change"] == 57.7
    assert numbers["average-order-value-aov-before"] == 43.2


# ------------------------------------------------------------------ the numbers follow the data


@pytest.fixture()
def scratch(tmp_path):
    """A scratch copy of data/, with a function that changes one cell of a table."""
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)

    def edit(table, match, column, value):
        rows = _rows(table, folder)
        hits = [row for row in rows if all(row[k] == v for k, v in match.items())]
        assert hits, f"no row of {table} matches {match}"
        for row in hits:
            row[column] = value
        with (folder / f"{table}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)

    return folder / "datapackage.json", edit


def test_edited_tables_change_the_quoted_numbers(scratch):
    package, edit = scratch
    edit("engagement_descriptives", {"item": "Sample", "dimension": "n"}, "value", "60")
    edit("engagement_descriptives", {"item": "Items Purchased", "dimension": "mean"}, "value", "13.680")
    for locator in ("Table 2", "Table 3"):
        edit("benchmark_results", {"item": "GAN", "dimension": "recall", "locator": locator}, "value", "91")
    edit("benchmark_results", {"item": "LR", "dimension": "f1"}, "value", "80")
    edit("segmentation_kpis", {"metric": "Conversion Rate"}, "after", "4.2")
    edit("segmentation_kpis", {"metric": "Average Order Value (AOV)"}, "reported_change", "-18")
    numbers = statistical_audit_prose_numbers(build_audit_table(package), package)
    assert (numbers["n"], numbers["df"], numbers["df-one-more-dummy"], numbers["correlation-df"]) == (60, 54, 53, 58)
    assert numbers["items-purchased-grim-sum"] == pytest.approx(820.8)  # 13.680 * 60: no longer whole
    # printed to three decimals, the exercise's mean is one thousandth higher: 13.681 * 60 = 820.86
    assert numbers["items-purchased-grim-exercise-mean"] == 13.681
    assert numbers["items-purchased-grim-exercise-sum"] == pytest.approx(820.86)
    assert numbers["items-purchased-grim-exercise-mean-below"] == pytest.approx(820 / 60)
    assert numbers["items-purchased-grim-exercise-mean-above"] == pytest.approx(821 / 60)
    assert (numbers["gan-recall"], numbers["gan-recall-printed-low"], numbers["gan-recall-printed-high"]) == (
        91,
        90.5,
        91.5,
    )
    assert numbers["gan-f1-recomputed"] == pytest.approx(2 * 93.8 * 91 / (93.8 + 91), abs=1e-4)  # 92.3766
    # at least 2 * 93.75 * 90.5 / 184.25 = 92.093, "more than 92.0" (92.1 would be rounding up, and wrong)
    assert numbers["gan-f1-recomputed-low-floor"] == 92.0
    assert (numbers["best-baseline"], numbers["best-baseline-f1"]) == ("LR", 80)
    assert numbers["conversion-rate-after"] == 4.2
    assert numbers["average-order-value-aov-printed-change"] == 18  # its size: the text words the direction


def test_the_minor_threshold_is_the_severity_rule(numbers, monkeypatch):
    import review_evidence.audit_table as audit_table

    monkeypatch.setattr(audit_table, "MINOR_RELATIVE_SIZE", 0.02)
    assert statistical_audit_prose_numbers(build_audit_table())["minor-threshold"] == 2.0


def test_a_mean_whose_exercise_step_is_reachable_fails_clearly(scratch):
    package, edit = scratch
    # n = 100: 13.69 * 100 = 1369 is whole, so GRIM cannot reject the exercise's mean
    edit("engagement_descriptives", {"item": "Sample", "dimension": "n"}, "value", "100")
    with pytest.raises(ValueError, match=r"engagement_descriptives, Items Purchased mean: 13\.69 × 100"):
        statistical_audit_prose_numbers(build_audit_table(package), package)


def test_an_audit_table_without_a_quoted_check_fails_clearly():
    audit = build_audit_table()
    with pytest.raises(ValueError, match=r"0 'group means vs overall mean' rows"):
        statistical_audit_prose_numbers(audit[audit["check"] != "group means vs overall mean"])
