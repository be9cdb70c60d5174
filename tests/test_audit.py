"""Unit tests for review_evidence.audit.

Expected values are literals derived by hand arithmetic (shown in comments) or, for t-distribution
tail areas, computed once with scipy.stats.t.sf in a scratch session, independently of the code
under test.  Literature examples:

* GRIM: Brown & Heathers (2017), SPPS 8(4) 363-369, doi:10.1177/1948550616673876, open with a
  fictional extract on a seven-point scale: experimental condition N = 28, M = 5.19; control
  N = 27, M = 3.86; t(53) = 3.59, p < .001 (checked against the article's abstract/first page as
  stored by the search tool).  The arithmetic that both means are unreachable is done below.
* GRIM: the R package scrutiny's GRIM vignette tests a mean of 5.27 with n = 43 and gets FALSE.
* statcheck: the statcheck README/CRAN description uses "t(28) = 2.2"; the statcheck Word add-in
  README states that for t(28) = 2.2 the p-value is .036, so a printed p = .063 is wrong.
"""

import pytest

from review_evidence.audit import (
    AuditResult,
    beta_plausibility,
    correlation_matrix_validity,
    f1_from_precision_recall,
    grim,
    p_from_r,
    p_from_t,
    p_from_t_value,
    percent_change,
    printed_interval,
    ratio_change,
    standardized_beta,
    standardized_betas_from_correlations,
)

# ------------------------------------------------------------------ AuditResult


def test_auditresult_is_frozen_and_validates_verdict():
    r = AuditResult("x", 1, 1.0, "consistent", "why")
    with pytest.raises(Exception):
        r.verdict = "inconsistent"
    with pytest.raises(ValueError, match="verdict"):
        AuditResult("x", 1, 1.0, "fine", "why")


# ------------------------------------------------------------------ F1


def test_f1_consistent():
    # 2*.80*.60/(.80+.60) = .96/1.40 = .685714 -> .69
    r = f1_from_precision_recall("0.80", "0.60", "0.69")
    assert r.recomputed == pytest.approx(0.685714, abs=1e-6)
    assert r.verdict == "consistent"


def test_f1_rounding_when_inputs_printed_to_one_decimal():
    # P, R printed to 1 dp: F1(.75,.55) = .825/1.30 = .634615; F1(.85,.65) = 1.105/1.50 = .736667.
    # Point .6857 -> .69, not .70, but .70 lies inside [.6346, .7367].
    r = f1_from_precision_recall("0.8", "0.6", "0.70")
    assert r.verdict == "rounding"
    assert r.recomputed_range == pytest.approx((0.634615, 0.736667), abs=1e-6)


def test_f1_inconsistent():
    # 2 dp inputs: F1(.795,.595) = .946050/1.39 = .680612; F1(.805,.605) = .974050/1.41 = .690816.
    r = f1_from_precision_recall("0.80", "0.60", "0.75")
    assert r.verdict == "inconsistent"
    assert r.recomputed_range == pytest.approx((0.680612, 0.690816), abs=1e-6)


def test_f1_changes_ranking_against_competitor():
    # reported .75 beats a competitor's .72, but the recomputed F1 is at most .6908 < .72
    r = f1_from_precision_recall("0.80", "0.60", "0.75", competitor_f1="0.72")
    assert r.verdict == "changes the conclusion"
    # competitor .60 is beaten either way -> plain inconsistency
    assert f1_from_precision_recall("0.80", "0.60", "0.75", competitor_f1="0.60").verdict == "inconsistent"


def test_f1_percent_scale_row_with_large_gap():
    # percent scale inferred: 2*67.2*51.1/118.3 = 6867.84/118.3 = 58.0544, printed 47.7
    r = f1_from_precision_recall("67.2", "51.1", "47.7")
    assert r.recomputed == pytest.approx(58.0544, abs=1e-4)
    assert r.verdict == "inconsistent"
    # 2*82*50/132 = 62.1212 -> 62
    assert f1_from_precision_recall("82", "50", "62").verdict == "consistent"


@pytest.mark.parametrize(
    "p, r, f, kw",
    [
        (120, 50, 60, {}),  # > 100
        (-0.1, 0.5, 0.4, {}),  # negative
        (93.8, 0.92, 0.92, {"scale": 1}),  # 93.8 on a [0, 1] scale
        (0.5, 0.5, 0.5, {"scale": 10}),
        ("abc", 0.5, 0.5, {}),
    ],
)
def test_f1_invalid_inputs_raise(p, r, f, kw):
    with pytest.raises(ValueError):
        f1_from_precision_recall(p, r, f, **kw)


def test_f1_error_message_names_the_bad_input():
    with pytest.raises(ValueError, match=r"precision = 120.0 is outside \[0, 100\]"):
        f1_from_precision_recall(120, 50, 60)


# ------------------------------------------------------------------ percent / ratio change


def test_percent_change_consistent():
    # 4.1/2.6 = 1.576923 -> +57.7 %
    r = percent_change("2.6%", "4.1%", "+57.7%")
    assert r.recomputed == pytest.approx(57.6923, abs=1e-4)
    assert r.verdict == "consistent"
    # 51.00/43.20 = 1.180556 -> +18 %
    assert percent_change("$43.20", "$51.00", "+18%").verdict == "consistent"


def test_percent_change_rounding_and_inconsistent():
    # range from rounding: 4.05/2.65 = 1.528302 ; 4.15/2.55 = 1.627451 -> [52.83, 62.75] %
    r = percent_change("2.6", "4.1", "58.0")
    assert r.verdict == "rounding"
    assert r.recomputed_range == pytest.approx((52.8302, 62.7451), abs=1e-4)
    assert percent_change("2.6", "4.1", "70").verdict == "inconsistent"


def test_percent_change_sign_flip_changes_conclusion():
    # 90/100 - 1 = -10 %, printed as an increase of 10 %
    assert percent_change("100", "90", "+10").verdict == "changes the conclusion"
    assert percent_change("100", "90", "-10").verdict == "consistent"


def test_ratio_change():
    # 3.6/1.8 = 2.0
    assert ratio_change("1.8x", "3.6x", "2×").verdict == "consistent"
    # range 3.55/1.85 = 1.9189 .. 3.65/1.75 = 2.0857; "3×" stands for [2.5, 3.5]
    r = ratio_change("1.8", "3.6", "3")
    assert r.verdict == "inconsistent"
    assert r.recomputed_range == pytest.approx((1.9189, 2.0857), abs=1e-4)
    # 1.5/2.0 = 0.75: a decline printed as growth (1.5x)
    assert ratio_change("2.0", "1.5", "1.5").verdict == "changes the conclusion"
    assert percent_change("1.8", "3.6", "2", kind="multiplier").verdict == "consistent"


def test_change_invalid_inputs_raise():
    with pytest.raises(ValueError, match="before must be positive"):
        percent_change(0, 5, 10)
    with pytest.raises(ValueError, match="kind"):
        percent_change(1, 2, 100, kind="log")
    with pytest.raises(ValueError, match="multiplier must be positive"):
        ratio_change(1, 2, 0)


# ------------------------------------------------------------------ p from t (statcheck)
# Tail areas computed independently with scipy.stats.t.sf:
#   2*sf(2.20, 28) = 0.036225 ; 2*sf(2.15, 28) = 0.040338 ; 2*sf(2.25, 28) = 0.032493
#   2*sf(1.65, 28) = 0.110118 ; 2*sf(2.00, 28) = 0.055285 ; 2*sf(3.59, 53) = 0.000723
#   sf(2.20, 28) = 0.018113 (one-sided)


def test_statcheck_consistent_example():
    r = p_from_t_value("2.20", 28, ".036")
    assert r.recomputed == pytest.approx(0.036225, abs=1e-6)
    assert r.verdict == "consistent"
    assert r.significant is True


def test_statcheck_inconsistent_same_side_of_alpha():
    # .036 vs printed .01: both significant -> inconsistent, not a decision error
    assert p_from_t_value("2.20", 28, ".01").verdict == "inconsistent"


def test_statcheck_word_addin_example_is_a_decision_error():
    # t(28) = 2.2 gives p = .036; printed .063 is non-significant while every t in [2.15, 2.25]
    # gives p in [.0325, .0403] < .05
    r = p_from_t_value("2.2", 28, ".063")
    assert r.recomputed_range == pytest.approx((0.032493, 0.040338), abs=1e-6)
    assert r.verdict == "changes the conclusion"


def test_statcheck_inequality_reports():
    # p < .05 claimed, recomputed .11 -> decision error
    r = p_from_t_value("1.65", 28, "p < .05")
    assert r.recomputed == pytest.approx(0.110118, abs=1e-6)
    assert r.verdict == "changes the conclusion"
    # Brown & Heathers' fictional extract: t(53) = 3.59, p < .001 (p = .000723) is consistent
    assert p_from_t_value("3.59", 53, "< .001").verdict == "consistent"
    # t(28) = 2.00: p = .0553; "< .05" is a decision error, "= .05" is within rounding
    # (t in [1.995, 2.005] gives p in [.0536, .0570], overlapping [.045, .055])
    assert p_from_t_value("2.00", 28, "<.05").verdict == "changes the conclusion"
    assert p_from_t_value("2.00", 28, ".05").verdict == "rounding"
    assert p_from_t_value("2.00", 28, ".06").verdict == "consistent"


def test_one_sided_alternative():
    assert p_from_t_value("2.20", 28, ".018", alternative="greater").verdict == "consistent"
    assert p_from_t_value("2.20", 28, ".018").verdict == "inconsistent"


def test_p_from_beta_and_se():
    # t = .21/.09 = 2.3333; 2*sf(2.3333, 44) = .024265 -> .02, not .03.  Rounding: |t| in
    # [.205/.095, .215/.085] = [2.1579, 2.5294] -> p in [.015083, .036435], which contains .03.
    r = p_from_t(".21", ".09", 44, ".03")
    assert r.recomputed == pytest.approx(0.024265, abs=1e-6)
    assert r.recomputed_range == pytest.approx((0.015083, 0.036435), abs=1e-6)
    assert r.verdict == "rounding"
    assert p_from_t(".21", ".09", 44, ".005").verdict == "inconsistent"
    assert p_from_t(".21", ".09", 44, ".30").verdict == "changes the conclusion"
    # negative coefficient: t = -.18/.08 = -2.25; 2*sf(2.25, 44) = .029500 -> .03
    assert p_from_t("-.18", ".08", 44, ".03").verdict == "consistent"
    # beta = 2.00, se = 1.00 -> t(28) = 2.00, p = .0553
    assert p_from_t("2.00", "1.00", 28, ".055").verdict == "consistent"


def test_p_invalid_inputs_raise():
    with pytest.raises(ValueError, match="se must be positive"):
        p_from_t(1, 0, 10, ".05")
    with pytest.raises(ValueError, match="df must be positive"):
        p_from_t_value(2, 0, ".05")
    with pytest.raises(ValueError, match=r"outside \[0, 1\]"):
        p_from_t_value(2, 10, 1.5)
    with pytest.raises(ValueError, match="cannot read a p-value"):
        p_from_t_value(2, 10, "n.s.")
    with pytest.raises(ValueError, match="alternative"):
        p_from_t_value(2, 10, ".05", alternative="both")


# ------------------------------------------------------------------ p from r
# t = r*sqrt((n-2)/(1-r^2)): r = .16, n = 50 -> .16*sqrt(48/.9744) = 1.12298, 2*sf(.., 48) = .267032
# r = -.33 -> -.33*sqrt(48/.8911) = -2.42198, p = .019262 ; r = .30 -> 2.17882, p = .034286


def test_p_from_r_without_reported_p():
    r = p_from_r(".16", 50)
    assert r.recomputed == pytest.approx(0.267032, abs=1e-6)
    assert r.significant is False
    assert r.verdict is None
    s = p_from_r("-.33", 50)
    assert s.recomputed == pytest.approx(0.019262, abs=1e-6)
    assert s.significant is True


def test_p_from_r_judges_a_claim():
    assert p_from_r(".16", 50, claimed_significant=True).verdict == "changes the conclusion"
    assert p_from_r(".16", 50, claimed_significant=False).verdict == "consistent"
    assert p_from_r("-.33", 50, claimed_significant=True).verdict == "consistent"


def test_p_from_r_with_reported_p():
    assert p_from_r(".30", 50, ".03").verdict == "consistent"
    assert p_from_r(".30", 50, ".20").verdict == "changes the conclusion"
    assert p_from_r(".30", 50, ".01").verdict == "inconsistent"


def test_p_from_r_invalid_inputs_raise():
    with pytest.raises(ValueError, match="n must be an integer >= 3"):
        p_from_r(0.5, 2)
    with pytest.raises(ValueError, match=r"outside \[-1, 1\]"):
        p_from_r(1.2, 30)


# ------------------------------------------------------------------ GRIM


def test_grim_brown_heathers_fictional_extract():
    # 5.19 * 28 = 145.32; 145/28 = 5.178571 -> 5.18, 146/28 = 5.214286 -> 5.21: 5.19 unreachable
    assert 5.19 * 28 == pytest.approx(145.32)
    assert round(145 / 28, 2) == 5.18 and round(146 / 28, 2) == 5.21
    r = grim("5.19", 28, 2)
    assert r.verdict == "inconsistent"
    assert "145.32" in r.reasoning
    # 3.86 * 27 = 104.22; 104/27 = 3.851852 -> 3.85, 105/27 = 3.888889 -> 3.89: unreachable
    assert round(104 / 27, 2) == 3.85 and round(105 / 27, 2) == 3.89
    assert grim(3.86, 27, 2).verdict == "inconsistent"


def test_grim_scrutiny_vignette_example():
    # 5.27 * 43 = 226.61; 226/43 = 5.255814 -> 5.26, 227/43 = 5.279070 -> 5.28
    assert round(226 / 43, 2) == 5.26 and round(227 / 43, 2) == 5.28
    assert grim("5.27", 43, 2).verdict == "inconsistent"


def test_grim_consistent_cases():
    # 145/28 = 5.1786 -> 5.18
    assert grim("5.18", 28, 2).verdict == "consistent"
    # two items, n = 10 -> N = 20: 3.45 * 20 = 69 exactly
    assert grim("3.45", 10, 2, items=2).verdict == "consistent"
    # single item, n = 10: 3.45 * 10 = 34.5; 34/10 = 3.40, 35/10 = 3.50 -> unreachable
    assert grim("3.45", 10, 2).verdict == "inconsistent"


def test_grim_rounding_of_exact_half():
    # 9/8 = 1.125 prints as 1.13 (half up) or 1.12 (half down / half even)
    assert grim("1.13", 8, 2).verdict == "consistent"
    assert grim("1.12", 8, 2).verdict == "rounding"


def test_grim_not_applicable_when_n_large():
    # N = 100 >= 10**2: every 2-dp mean is reachable, e.g. 5.19 = 519/100
    r = grim("5.19", 100, 2)
    assert r.verdict == "consistent"
    assert "cannot detect" in r.reasoning


def test_grim_invalid_inputs_raise():
    with pytest.raises(ValueError, match="n must be a positive integer"):
        grim("5.19", 0, 2)
    with pytest.raises(ValueError, match="items"):
        grim("5.19", 28, 2, items=0)
    with pytest.raises(ValueError, match="decimals"):
        grim("5.19", 28, -1)


# ------------------------------------------------------------------ correlation matrices


def test_valid_correlation_matrix():
    r = correlation_matrix_validity([[1, 0.3], [0.3, 1]], ["a", "b"])
    assert r.verdict == "consistent"
    assert r.recomputed == pytest.approx(0.7)  # eigenvalues 1 +/- .3


def test_non_psd_matrix_is_inconsistent():
    # x = (1, -1, 1): R x = (-.8, .8, -.8) = -0.8 x, so -0.8 is an eigenvalue
    M = [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]]
    r = correlation_matrix_validity(M, ["a", "b", "c"])
    assert r.recomputed == pytest.approx(-0.8)
    assert r.verdict == "inconsistent"


def test_slightly_non_psd_matrix_is_rounding():
    # x = (1, -1, -1): x'Rx / x'x = (3 + 2*(-.5 - .5 - .51)) / 3 = -.02/3 = -.00667, so the
    # smallest eigenvalue is <= -.00667 (numerically -.006681); tolerance (p-1)*.005 = .01
    M = [[1, 0.5, 0.5], [0.5, 1, -0.51], [0.5, -0.51, 1]]
    r = correlation_matrix_validity(M, ["a", "b", "c"])
    assert r.recomputed == pytest.approx(-0.006681, abs=1e-5)
    assert r.verdict == "rounding"
    # .51/.51/-.50 version: smallest eigenvalue -.013348 < -.01 -> inconsistent
    M2 = [[1, 0.51, 0.51], [0.51, 1, -0.5], [0.51, -0.5, 1]]
    assert correlation_matrix_validity(M2, ["a", "b", "c"]).verdict == "inconsistent"


def test_structural_problems_are_inconsistent():
    labels = ["a", "b"]
    assert correlation_matrix_validity([[1, 0.3], [0.4, 1]], labels).verdict == "inconsistent"
    assert correlation_matrix_validity([[1, 0.3], [0.3, 0.9]], labels).verdict == "inconsistent"
    assert correlation_matrix_validity([[1, 1.2], [1.2, 1]], labels).verdict == "inconsistent"


def test_matrix_invalid_inputs_raise():
    with pytest.raises(ValueError, match="must be square"):
        correlation_matrix_validity([[1, 0.2, 0.3], [0.2, 1, 0.4]], ["a", "b"])
    with pytest.raises(ValueError, match="labels"):
        correlation_matrix_validity([[1, 0.3], [0.3, 1]], ["a"])


# ------------------------------------------------------------------ standardised betas


def test_standardized_beta():
    assert standardized_beta(2, 3, 12) == pytest.approx(0.5)  # 2*3/12
    with pytest.raises(ValueError, match="positive"):
        standardized_beta(2, 0, 12)


def test_betas_from_correlations():
    # two predictors: beta1 = (r1y - r12*r2y)/(1 - r12^2) = (.5 - .25)/.75 = 1/3
    b = standardized_betas_from_correlations([[1, 0.5], [0.5, 1]], [0.5, 0.5])
    assert b == pytest.approx([1 / 3, 1 / 3])
    # uncorrelated predictors: beta = r_xy
    assert standardized_betas_from_correlations([[1, 0], [0, 1]], [0.2, -0.4]) == pytest.approx([0.2, -0.4])
    with pytest.raises(ValueError, match="singular"):
        standardized_betas_from_correlations([[1, 1], [1, 1]], [0.5, 0.5])
    with pytest.raises(ValueError, match="must be square"):
        standardized_betas_from_correlations([[1, 0.5, 0.2]], [0.5])


def test_beta_plausibility():
    # beta = 1/3 each; band = sum_j |inv_ij| * .005 * (1 + 1/3) with inv = [[4/3, -2/3], [-2/3, 4/3]]
    #      = 2 * .005 * 4/3 = .013333 -> [.32, .346667]
    Rxx, rxy = [[1, 0.5], [0.5, 1]], [0.5, 0.5]
    res = beta_plausibility(Rxx, rxy, [".33", ".50"], ["x1", "x2"])
    assert res[0].verdict == "consistent"
    assert res[0].recomputed_range == pytest.approx((0.32, 0.346667), abs=1e-6)
    assert res[1].verdict == "inconsistent"
    assert beta_plausibility(Rxx, rxy, ["-.33", ".34"], ["x1", "x2"])[0].verdict == "changes the conclusion"
    assert beta_plausibility(Rxx, rxy, [".33", ".34"], ["x1", "x2"])[1].verdict == "rounding"
    with pytest.raises(ValueError, match="need 2 reported betas"):
        beta_plausibility(Rxx, rxy, [".33"], ["x1"])


# ------------------------------------------------------------------ intervals, equivalence, power


def test_r_interval_by_fisher_z():
    from review_evidence.audit import r_interval

    # z = atanh(.30) = .30952, half = 1.95996/sqrt(97) = .19900: tanh(.11052) = .1101, tanh(.50852) = .4688
    low, high = r_interval("0.30", 100)
    assert low == pytest.approx(0.1101, abs=1e-4) and high == pytest.approx(0.4688, abs=1e-4)
    with pytest.raises(ValueError, match="n must be"):
        r_interval("0.3", 3)


def test_smallest_detectable_effects():
    from review_evidence.audit import smallest_detectable_coefficient, smallest_detectable_r

    # (1.95996 + 0.84162)/sqrt(47) = .40866; tanh = .3873 (Cohen's tables give about .38 for n = 50)
    assert smallest_detectable_r(50) == pytest.approx(0.3873, abs=1e-4)
    assert smallest_detectable_r(800) < 0.1
    assert smallest_detectable_coefficient("0.10", 44) == pytest.approx((2.0154 + 0.8501) * 0.10, abs=1e-3)


def test_a_no_effect_claim_needs_equivalence_not_a_large_p():
    from review_evidence.audit import no_coefficient_claim, no_correlation_claim

    # n = 50, r = -.07: p = .63, yet the interval reaches -.34 and .21: cannot rule out an effect
    assert no_correlation_claim("-0.07", 50).verdict == "cannot rule out an effect"
    # n = 5000, r = .01: the 90% interval [-.013, .033] lies inside ±.10: equivalent (supported)
    assert no_correlation_claim("0.01", 5000).verdict == "equivalent"
    # r = .40, n = 50: the interval excludes zero: the data contradict "no effect"
    assert no_correlation_claim("0.40", 50).verdict == "effect"
    assert no_coefficient_claim("0.01", "0.01", 1000).verdict == "equivalent"
    assert no_coefficient_claim("-0.05", "0.11", 44).verdict == "cannot rule out an effect"


def test_an_f1_outside_its_inputs_is_impossible():
    from review_evidence.audit import f1_is_possible

    assert f1_is_possible("67.2", "51.1", "47.7")[0] is False  # Patel's KNN: below both
    assert f1_is_possible("0.50", "0.60", "0.70")[0] is False  # above both
    assert f1_is_possible("93.8", "92", "92")[0] is True  # inconsistent, but not impossible


def test_shared_test_set_by_hand():
    from review_evidence.audit import implied_prevalence, shared_test_set

    # a test set of 100 with 40 positives: model A TP 30 FP 10 -> A = (30 + 50)/100, P = .75, R = .75
    # model B TP 36 FP 4 -> A = (36 + 56)/100 = .92, P = .90, R = .90: both imply 40% positives
    assert implied_prevalence("0.80", "0.75", "0.75")[0] == pytest.approx(0.40)
    assert shared_test_set({"A": ("0.80", "0.75", "0.75"), "B": ("0.92", "0.90", "0.90")}).verdict == "consistent"
    # model C: A = .80, P = .90, R = .50 implies (1 - .8)/(.5*(1/9) + .5) = .36: not the same test set
    assert shared_test_set({"A": ("0.80", "0.75", "0.75"), "C": ("0.80", "0.90", "0.50")}).verdict == "inconsistent"
    with pytest.raises(ValueError, match="two models"):
        shared_test_set({"A": ("0.8", "0.75", "0.75")})


def test_anova_plausibility_over_every_split():
    from review_evidence.audit import anova_plausibility

    # Ali et al. Table 4: no split of 50 makes the tiers differ at .05; "not significant" is possible
    ali = anova_plausibility(
        ["1324.55", "1089.45", "974.21"],
        ["498.11", "512.33", "466.29"],
        50,
        ["Gold", "Silver", "Bronze"],
        claimed_significant=False,
    )
    assert ali.verdict == "consistent" and ali.recomputed > 0.05
    # by hand: means 0 and 10, SD 1, n = 20 split 10/10: F = (10*25 + 10*25)/1 / 1 = 500, p ~ 0
    clear = anova_plausibility(["0", "10"], ["1", "1"], 20, ["a", "b"], claimed_significant=False)
    assert clear.verdict == "inconsistent"  # no split makes such a difference non-significant
    assert anova_plausibility(["0", "10"], ["1", "1"], 20, ["a", "b"], claimed_significant=True).verdict == "consistent"
    with pytest.raises(ValueError, match="cannot fill"):
        anova_plausibility(["0", "1"], ["1", "1"], 3, ["a", "b"])


def test_dates():
    from review_evidence.audit import date_is_possible

    assert date_is_possible("2020?", 2024)[0] == "impossible"
    assert date_is_possible("2026", 2025)[0] == "consistent"
    assert date_is_possible("2024", 2024)[0] == "consistent"
    assert date_is_possible("n.d.", 2024)[0] == "inconclusive"


@pytest.mark.parametrize(
    "printed, interval",
    [
        ("18%", (17.5, 18.5)),
        ("+57.7%", (57.65, 57.75)),
        ("2×", (1.5, 2.5)),
        ("$43.20", (43.195, 43.205)),
        (62, (61.5, 62.5)),
    ],
)
def test_printed_interval_is_what_rounding_to_the_printed_decimals_allows(printed, interval):
    assert printed_interval(printed) == pytest.approx(interval)


def test_printed_interval_refuses_text_that_is_no_number():
    with pytest.raises(ValueError, match="printed: cannot read a number"):
        printed_interval("about eighteen")


# ================================================================== mutation-testing additions
# Tests added so that mutmut's mutants of audit.py are killed (README, "Mutation testing").  Each pins
# a behaviour a reader relies on: the exact verdict at a boundary, the numbers and words of the
# reasoning the audit table prints, and which input an error message names.  Expected values are
# derived by hand (arithmetic in the comments) or with scipy.stats called directly here.

import math  # noqa: E402

from scipy import stats  # noqa: E402

from review_evidence import audit  # noqa: E402
from review_evidence.audit import (  # noqa: E402
    anova_plausibility,
    date_is_possible,
    f1_is_possible,
    implied_prevalence,
    no_coefficient_claim,
    no_correlation_claim,
    r_interval,
    shared_test_set,
    smallest_detectable_coefficient,
    smallest_detectable_r,
)


def _two_sided(t, df):
    return 2 * stats.t.sf(abs(t), df)


def _t_of_r(r, n):
    return r * math.sqrt((n - 2) / (1 - r * r))


# ------------------------------------------------------------------ F1, in full


def test_f1_result_fields_and_reasoning_in_full():
    # 2*.8*.6/1.4 = .685714; F1(.795, .595) = .680612, F1(.805, .605) = .690816; .69 stands for [.685, .695]
    r = f1_from_precision_recall("0.80", "0.60", "0.69")
    assert (r.check, r.reported, r.verdict, r.significant) == ("F1 = 2PR/(P+R)", "0.69", "consistent", None)
    assert r.reasoning == (
        "2*0.8*0.6/(0.8+0.6) = 0.6857; rounding of the inputs allows [0.6806, 0.6908]; "
        "reported 0.69 stands for [0.685, 0.695]."
    )


def test_f1_explicit_decimals_override_what_a_float_shows():
    # floats 0.8, 0.6, 0.7 print one decimal, but decimals=2 says they were .80, .60, .70:
    # range [.680612, .690816] (see above) misses [.695, .705] -> inconsistent, not rounding
    r = f1_from_precision_recall(0.8, 0.6, 0.7, decimals=2)
    assert r.recomputed_range == pytest.approx((0.680612, 0.690816), abs=1e-6)
    assert r.verdict == "inconsistent"
    assert "reported 0.7 stands for [0.695, 0.705]" in r.reasoning


@pytest.mark.parametrize("bad_position, name", [(0, "precision"), (1, "recall"), (2, "reported_f1")])
def test_f1_unreadable_input_is_named(bad_position, name):
    args = ["0.5", "0.5", "0.5"]
    args[bad_position] = "n/a"
    with pytest.raises(ValueError, match=f"^{name}: cannot read a number from 'n/a'$"):
        f1_from_precision_recall(*args)


def test_f1_at_the_top_of_the_proportion_scale():
    # P = R = F1 = 1.00: the scale stays 1 (nothing exceeds 1); rounding can only go down to
    # F1(.995, .995) = .995, and the upper end is capped at 1, not 1.005
    r = f1_from_precision_recall("1.00", "1.00", "1.00")
    assert r.verdict == "consistent"
    assert r.recomputed_range == pytest.approx((0.995, 1.0))


@pytest.mark.parametrize(
    "p, r, f, point",
    [
        ("2", "0.5", "0.8", 0.8),  # only precision exceeds 1 -> percent: 2*2*.5/2.5 = .8
        ("0.5", "2", "0.8", 0.8),  # only recall exceeds 1
        ("1.5", "0.8", "1.0", 2 * 1.5 * 0.8 / 2.3),  # 2.4/2.3 = 1.043478, within 1 < x <= 2
    ],
)
def test_f1_any_value_above_one_means_percent(p, r, f, point):
    res = f1_from_precision_recall(p, r, f)
    assert res.recomputed == pytest.approx(point)
    assert res.verdict == "consistent"


def test_f1_a_reported_value_above_one_alone_means_percent():
    # P = R = .9 percent: F1 = .9, printed 1.2 (stands for [1.15, 1.25]) -> inconsistent, not an error
    assert f1_from_precision_recall("0.9", "0.9", "1.2").verdict == "inconsistent"


def test_f1_zero_inputs_and_equal_inputs():
    # precision 0 is allowed and gives F1 = 0; P = R = 0 is the 0/0 case, defined as 0
    assert f1_from_precision_recall("0", "0.50", "0").recomputed == 0.0
    both_zero = f1_from_precision_recall("0", "0", "0")
    assert both_zero.recomputed == 0.0 and both_zero.verdict == "consistent"
    # equal inputs: the harmonic mean of x and x is x (and P + R = 1 is no special case)
    assert f1_from_precision_recall("0.75", "0.75", "0.75").recomputed == pytest.approx(0.75)
    assert f1_from_precision_recall("0.50", "0.50", "0.50").recomputed == pytest.approx(0.5)


def test_f1_competitor_boundaries():
    # P = R = 60 (0 dp): the range is [F1(59.5, 59.5), F1(60.5, 60.5)] = [59.5, 60.5] exactly
    # the best the inputs allow only ties a competitor's 60.5: a printed 70 does not beat it
    tie_best = f1_from_precision_recall("60", "60", "70", competitor_f1="60.5")
    assert tie_best.verdict == "changes the conclusion"
    assert tie_best.reasoning.endswith(
        "Against competitor F1 60.5: reported > competitor; recomputed range reverses that order."
    )
    # printed 50 loses to 59.5, but even the worst recomputed F1 (59.5) ties it: the order reverses
    assert f1_from_precision_recall("60", "60", "50", competitor_f1="59.5").verdict == "changes the conclusion"
    # a printed F1 equal to the competitor's claims no order, so nothing can reverse
    tie = f1_from_precision_recall("0.80", "0.60", "0.75", competitor_f1="0.75")
    assert tie.verdict == "inconsistent"
    assert tie.reasoning.endswith(
        "Against competitor F1 0.75: reported <= competitor; recomputed range does not reverse that order."
    )
    assert f1_from_precision_recall("60", "60", "50", competitor_f1="50").verdict == "inconsistent"
    with pytest.raises(ValueError, match="^competitor_f1: cannot read"):
        f1_from_precision_recall("0.8", "0.6", "0.7", competitor_f1="best")


def test_f1_reasoning_without_competitor_has_no_competitor_note():
    assert f1_from_precision_recall("0.80", "0.60", "0.75").reasoning.endswith("stands for [0.745, 0.755].")


# ------------------------------------------------------------------ changes, in full


def test_percent_change_fields_and_reasoning_in_full():
    # decimals=2: before 2.60 +/- .005, after 4.10 +/- .005: 4.095/2.605 = 1.571977, 4.105/2.595 = 1.581888,
    # so [57.1977, 58.1888] %; point 4.1/2.6 = 1.576923; reported 60 stands for [59.995, 60.005]
    r = percent_change(2.6, 4.1, 60, decimals=2)
    assert (r.check, r.reported, r.verdict) == ("percent change", 60, "inconsistent")
    assert r.recomputed_range == pytest.approx((57.1977, 58.1888), abs=1e-4)
    assert r.reasoning == (
        "(4.1/2.6 - 1)*100 = 57.6923%; rounding of before/after allows [57.1977, 58.1888]%; "
        "reported 60% stands for [59.995, 60.005]%."
    )


def test_multiplier_reasoning_in_full():
    # 3.6/1.8 = 2; range [3.55/1.85, 3.65/1.75] = [1.918919, 2.085714]; "2" stands for [1.5, 2.5]
    r = ratio_change("1.8", "3.6", "2")
    assert (r.check, r.reported) == ("multiplier change", "2")
    assert r.reasoning == (
        "3.6/1.8 = 2×; rounding of before/after allows [1.9189, 2.0857]×; reported 2× stands for [1.5, 2.5]×."
    )


def test_ratio_change_passes_decimals_on():
    # decimals=2: range [3.595/1.805, 3.605/1.795] = [1.991690, 2.008357] misses 2.10's [2.095, 2.105];
    # read as printed (one decimal) the range [1.9189, 2.0857] reaches 2.1's [2.05, 2.15]
    assert ratio_change(1.8, 3.6, 2.1, decimals=2).verdict == "inconsistent"
    assert ratio_change(1.8, 3.6, 2.1).verdict == "rounding"


@pytest.mark.parametrize("bad_position, name", [(0, "before"), (1, "after"), (2, "reported_change")])
def test_change_unreadable_input_is_named(bad_position, name):
    args = ["10", "12", "20"]
    args[bad_position] = "n/a"
    with pytest.raises(ValueError, match=f"^{name}: cannot read a number from 'n/a'$"):
        percent_change(*args)


def test_a_before_value_that_may_round_to_zero_is_refused():
    # before 0.4 read to 0 decimals stands for [-0.1, 0.9]; 0.5 for [0, 1]: both may be zero
    for before in ("0.4", "0.5"):
        with pytest.raises(ValueError, match="before must be positive"):
            percent_change(before, "1", "100", decimals=0)


def test_a_fall_to_zero_is_a_valid_change():
    # 10 -> 0 is -100 %; after 0 stands for [0, 0.5] (never below zero), before for [9.5, 10.5]:
    # range [(0/10.5 - 1)*100, (0.5/9.5 - 1)*100] = [-100, -94.7368]
    r = percent_change("10", "0", "-100")
    assert r.verdict == "consistent"
    assert r.recomputed_range == pytest.approx((-100.0, -94.7368), abs=1e-4)
    with pytest.raises(ValueError, match="^after must be non-negative, got '-1'$"):
        percent_change("10", "-1", "-110")


def test_a_multiplier_below_one_is_a_valid_fall():
    # 2.0 -> 1.0 is 0.5x
    assert ratio_change("2.0", "1.0", "0.5").verdict == "consistent"


def test_no_change_line_boundaries():
    # a rise of 0.5 % printed where the values fell about 10 %: the sign changes (null is 0 %, not 1)
    assert percent_change("100", "90", "+0.5").verdict == "changes the conclusion"
    # a printed 0 % claims no direction, so a recomputed fall or rise is inconsistent, not a reversal
    assert percent_change("100", "90", "0").verdict == "inconsistent"
    assert percent_change("90", "100", "0").verdict == "inconsistent"
    # 11 -> 10 (0 dp): the best case 10.5/10.5 is exactly no change, never a rise: +5 % reverses
    assert percent_change("11", "10", "+5").verdict == "changes the conclusion"
    # 10 -> 11: the worst case 10.5/10.5 is exactly no change, never a fall: -5 % reverses
    assert percent_change("10", "11", "-5").verdict == "changes the conclusion"


# ------------------------------------------------------------------ p from beta/SE, in full


def test_p_from_t_fields_and_reasoning_in_full():
    # t = .21/.09 = 2.333333; range as in test_p_from_beta_and_se
    r = p_from_t(".21", ".09", 44, ".03")
    assert (r.check, r.reported, r.significant) == ("p from beta/SE", ".03", True)
    assert r.reasoning == (
        "t(44) = 0.21/0.09 = 2.3333; two-sided p = 0.0243 (< 0.05); rounding of the inputs allows "
        "p in [0.0151, 0.0364]; reported p = 0.03 (stands for [0.025, 0.035])."
    )


def test_p_from_t_explicit_decimals():
    # decimals=3: |t| in [.2095/.0905, .2105/.0895] = [2.314917, 2.351955]
    r = p_from_t(0.21, 0.09, 44, ".03", decimals=3)
    assert r.recomputed_range == pytest.approx(
        (_two_sided(0.2105 / 0.0895, 44), _two_sided(0.2095 / 0.0905, 44)), abs=1e-9
    )


@pytest.mark.parametrize("bad_position, name", [(0, "beta"), (1, "se")])
def test_p_from_t_unreadable_input_is_named(bad_position, name):
    args = [".21", ".09"]
    args[bad_position] = "n/a"
    with pytest.raises(ValueError, match=f"^{name}: cannot read"):
        p_from_t(*args, 44, ".03")


def test_p_from_t_negative_beta_keeps_its_sign():
    # beta = -.18, se = .08: t in [-.185/.075, -.175/.085] = [-2.466667, -2.058824]
    two = p_from_t("-.18", ".08", 44, ".03")
    assert two.recomputed_range == pytest.approx((_two_sided(0.185 / 0.075, 44), _two_sided(0.175 / 0.085, 44)))
    less = p_from_t("-.18", ".08", 44, ".015", alternative="less")
    assert less.recomputed == pytest.approx(stats.t.cdf(-0.18 / 0.08, 44))
    assert less.recomputed_range == pytest.approx((stats.t.cdf(-0.185 / 0.075, 44), stats.t.cdf(-0.175 / 0.085, 44)))
    # a positive beta below 1 tested one-sided: t in [.205/.095, .215/.085]
    greater = p_from_t(".21", ".09", 44, ".012", alternative="greater")
    assert greater.recomputed_range == pytest.approx((stats.t.sf(0.215 / 0.085, 44), stats.t.sf(0.205 / 0.095, 44)))


def test_p_from_t_beta_that_may_be_zero_gives_t_of_either_sign():
    # beta "0.0" stands for [-.05, .05], se .1 for [.05, .15]: t in [-1, 1]
    two = p_from_t("0.0", "0.1", 30, ".5")
    assert two.recomputed_range == pytest.approx((_two_sided(1.0, 30), 1.0))
    greater = p_from_t("0.0", "0.1", 30, ".5", alternative="greater")
    assert greater.recomputed_range == pytest.approx((stats.t.sf(1.0, 30), stats.t.sf(-1.0, 30)))
    # beta .5 read to 0 decimals stands for [0, 1]: still either sign; se 3 for [2.5, 3.5]: |t| <= 1/2.5 = .4
    edge = p_from_t("0.5", "3", 20, ".5", alternative="greater", decimals=0)
    assert edge.recomputed_range == pytest.approx((stats.t.sf(0.4, 20), stats.t.sf(-0.4, 20)))


def test_p_from_t_se_that_may_be_zero_leaves_t_unbounded():
    # se .5 read to 0 decimals stands for [0, 1]: |t| can be arbitrarily large, so p can be 0;
    # beta 2 for [1.5, 2.5]: the smallest |t| is 1.5/1.0
    r = p_from_t("2", "0.5", 20, ".001", decimals=0)
    assert r.recomputed_range == pytest.approx((0.0, _two_sided(1.5, 20)))
    assert r.recomputed == pytest.approx(_two_sided(4.0, 20))


# ------------------------------------------------------------------ p from r, in full


def test_p_from_r_fields_range_and_reasoning_without_claim():
    # r = .16, n = 50: t = 1.12298; r in [.155, .165] -> p in [.252174, .282462] (scipy below)
    r = p_from_r(".16", 50)
    assert (r.check, r.reported, r.verdict, r.significant) == ("p from r", None, None, False)
    assert r.recomputed_range == pytest.approx((_two_sided(_t_of_r(0.165, 50), 48), _two_sided(_t_of_r(0.155, 50), 48)))
    assert r.reasoning == (
        "t(48) = 0.16*sqrt(48/(1-(0.16)^2)) = 1.123; two-sided p = 0.267 (not significant at 0.05); "
        "rounding of r allows p in [0.2522, 0.2825]; no p-value or claim to compare."
    )


def test_p_from_r_reasoning_of_a_significant_r_with_claims():
    s = p_from_r("-.33", 50, claimed_significant=True)
    assert s.reasoning.endswith(
        "(significant at 0.05); rounding of r allows p in [0.0174, 0.0213]; text claims a significant association."
    )
    n = p_from_r(".16", 50, claimed_significant=False)
    assert n.reasoning.endswith("text claims no significant association.")


def test_p_from_r_claim_of_no_association_against_a_clearly_significant_r():
    # r in [-.335, -.325] gives p in [.0174, .0213], all < .05: "no association" reverses the finding
    assert p_from_r("-.33", 50, claimed_significant=False).verdict == "changes the conclusion"


def test_p_from_r_claim_within_rounding():
    # r = .3 (1 dp), n = 40: p = .0600, but r = .35 gives p = .0268: "significant" is within rounding
    assert _two_sided(_t_of_r(0.3, 40), 38) > 0.05 > _two_sided(_t_of_r(0.35, 40), 38)
    assert p_from_r("0.3", 40, claimed_significant=True).verdict == "rounding"


def test_p_from_r_range_when_t_straddles_one_and_zero():
    # r .15 +/- .005 at n = 50 gives t in [1.0153, 1.0870]: the range must not be widened to 1
    r = p_from_r(".15", 50)
    assert r.recomputed_range == pytest.approx((_two_sided(_t_of_r(0.155, 50), 48), _two_sided(_t_of_r(0.145, 50), 48)))
    # r "0.0" stands for [-.05, .05]: t of either sign, so p reaches 1
    z = p_from_r("0.0", 50)
    assert z.recomputed == 1.0
    assert z.recomputed_range == pytest.approx((_two_sided(_t_of_r(0.05, 50), 48), 1.0))


def test_p_from_r_with_reported_p_in_full():
    # r = .30, n = 50: t = 2.178819, p = .034286; r in [.295, .305] -> p in [.031261, .037550]
    r = p_from_r(".30", 50, ".03")
    assert (r.check, r.reported) == ("p from r", ".03")
    assert r.recomputed == pytest.approx(_two_sided(_t_of_r(0.30, 50), 48))
    assert r.recomputed_range == pytest.approx((_two_sided(_t_of_r(0.305, 50), 48), _two_sided(_t_of_r(0.295, 50), 48)))
    assert r.reasoning.startswith("t(48) = 0.3*sqrt(48/(1-(0.3)^2)) = 2.1788; two-sided p = 0.0343")


def test_p_from_r_explicit_decimals():
    # r = 0.3 read to 3 decimals: [.2995, .3005]
    r = p_from_r(0.3, 50, decimals=3)
    assert r.recomputed_range == pytest.approx(
        (_two_sided(_t_of_r(0.3005, 50), 48), _two_sided(_t_of_r(0.2995, 50), 48))
    )


def test_p_from_r_at_the_edges():
    # n = 3 is the smallest n with a df: t = .5*sqrt(1/.75) = .57735 on 1 df
    assert p_from_r("0.5", 3).recomputed == pytest.approx(_two_sided(0.5 * math.sqrt(1 / 0.75), 1))
    # r = +/-1 is a perfect correlation: |t| is infinite and p is 0 (the rounding range reaches past 1)
    for r in ("1", "-1"):
        res = p_from_r(r, 10)
        assert res.recomputed == 0.0 and res.significant is True
    with pytest.raises(ValueError, match=r"^r = -1.2 is outside \[-1, 1\]$"):
        p_from_r(-1.2, 30)
    with pytest.raises(ValueError, match="^r: cannot read"):
        p_from_r("n/a", 30)


# ------------------------------------------------------------------ GRIM, in full


def test_grim_fields_and_reasoning_in_full():
    # 5.19 * 28 = 145.32; 145/28 = 5.178571, 146/28 = 5.214286; nearest sum 145 -> 5.18
    r = grim("5.19", 28, 2)
    assert (r.check, r.reported, r.recomputed) == ("GRIM", "5.19", 5.18)
    assert r.reasoning == (
        "5.19 × 28 = 145.32; 145/28 = 5.1786, 146/28 = 5.2143: no integer sum over N = 28 gives 5.19 at 2 dp."
    )
    ok = grim("5.18", 28, 2)  # 145/28 = 5.178571 rounds to 5.18
    assert ok.reasoning.endswith(": reachable (sum 145).")
    assert ok.recomputed == 5.18
    half = grim("1.12", 8, 2)  # 9/8 = 1.125 exactly: 1.12 only by rounding the half down
    assert half.reasoning.endswith(": reachable only by rounding the half 9/8 down.")
    assert half.recomputed == 1.12  # round(1.125, 2) in binary floating point gives 1.12


def test_grim_negative_means_and_typographic_minus():
    # a -3..+3 scale: -5/4 = -1.25 is reachable; the paper may print a typographic minus (U+2212)
    assert grim("-1.25", 4, 2).verdict == "consistent"
    assert grim("\u22121.25", 4, 2).verdict == "consistent"
    # -1.30 * 4 = -5.2: -5/4 = -1.25 and -6/4 = -1.5, neither prints -1.30
    assert grim("-1.30", 4, 2).verdict == "inconsistent"


def test_grim_smallest_valid_inputs():
    # n = 1 and 0 decimals are valid: N = 1 >= 10^0, every whole mean is reachable
    r = grim("3", 1, 0)
    assert r.verdict == "consistent"
    assert "N = 1 >= 10^0: every 0-decimal mean is reachable" in r.reasoning
    with pytest.raises(ValueError, match="decimals"):
        grim("5.19", 28, 1.5)
    with pytest.raises(ValueError, match="^mean: cannot read"):
        grim("n/a", 28, 2)


# ------------------------------------------------------------------ correlation matrices, in full


def test_matrix_reasoning_names_every_problem():
    # four variables, every pair asymmetric: only the first five pairs are listed
    M = [[1, 0.1, 0.1, 0.1], [0.2, 1, 0.1, 0.1], [0.2, 0.2, 1, 0.1], [0.2, 0.2, 0.2, 1]]
    r = correlation_matrix_validity(M, ["a", "b", "c", "d"])
    assert (r.check, r.reported, r.verdict) == ("correlation matrix validity", "4x4 matrix", "inconsistent")
    assert r.reasoning.startswith(
        "asymmetric at [('a', 'b'), ('a', 'c'), ('a', 'd'), ('b', 'c'), ('b', 'd')]; smallest eigenvalue"
    )
    # two problems, joined by "; ": the diagonal of b and an entry above 1
    bad = correlation_matrix_validity([[1, 1.2], [1.2, 0.9]], ["a", "b"])
    assert bad.reasoning.startswith("diagonal is not 1 for ['b']; entries outside [-1, 1]; smallest eigenvalue ")


def test_matrix_tolerances():
    # a diagonal 1e-6 away from 1 is not a unit diagonal (the tolerance is 1e-9, float noise)
    r = correlation_matrix_validity([[1, 0.3], [0.3, 1 - 1e-6]], ["a", "b"])
    assert r.verdict == "inconsistent" and "diagonal is not 1 for ['b']" in r.reasoning
    # perfectly correlated variables: singular but positive semi-definite (eigenvalues 2 and 0)
    assert correlation_matrix_validity([[1, 1], [1, 1]], ["a", "b"]).verdict == "consistent"


def test_matrix_reasoning_for_each_verdict():
    ok = correlation_matrix_validity([[1, 0.3], [0.3, 1]], ["a", "b"])
    # eigenvalues 1 +/- .3; tolerance (p - 1) * .005 = .005
    assert ok.reasoning == (
        "symmetric, unit diagonal, in [-1, 1], PSD: smallest eigenvalue 0.7000 (rounding tolerance -0.0050)"
    )
    near = correlation_matrix_validity([[1, 0.5, 0.5], [0.5, 1, -0.51], [0.5, -0.51, 1]], ["a", "b", "c"])
    assert near.reasoning.startswith("slightly non-PSD, within what rounding allows: smallest eigenvalue -0.0067")
    far = correlation_matrix_validity([[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]], ["a", "b", "c"])
    assert far.reasoning == "not positive semi-definite: smallest eigenvalue -0.8000 (rounding tolerance -0.0100)"


def test_a_missing_matrix_entry_is_a_clear_error():
    with pytest.raises(ValueError, match="^correlation matrix has missing or non-finite entries$"):
        correlation_matrix_validity([[1, None], [None, 1]], ["a", "b"])


# ------------------------------------------------------------------ betas, in full


def test_standardized_beta_accepts_small_sds():
    assert standardized_beta(2, 0.5, 0.5) == pytest.approx(2.0)  # 2 * .5 / .5
    with pytest.raises(ValueError, match="positive"):
        standardized_beta(2, 3, 0)


def test_betas_from_printed_correlations_and_shape_errors():
    # printed text is read as numbers: the two-predictor example of test_betas_from_correlations
    b = standardized_betas_from_correlations([["1", ".5"], [".5", "1"]], [".5", ".5"])
    assert b == pytest.approx([1 / 3, 1 / 3])
    with pytest.raises(ValueError, match=r"^r_xx must be square, got shape \(1, 3\)$"):
        standardized_betas_from_correlations([[1, 0.5, 0.2]], [0.5])
    with pytest.raises(ValueError, match="^r_xy has 3 entries for 2 predictors$"):
        standardized_betas_from_correlations([[1, 0.5], [0.5, 1]], [0.5, 0.5, 0.5])
    with pytest.raises(ValueError, match="^r_xx is singular: predictors are collinear$"):
        standardized_betas_from_correlations([[1, 1], [1, 1]], [0.5, 0.5])


def test_beta_plausibility_in_full():
    # uncorrelated predictors (R_xx = I): beta = r_xy = (-.2, .3); band_i = .005 * (1 + .5 - |beta_i|):
    # .0065 and .006
    res = beta_plausibility([["1", "0"], ["0", "1"]], ["-0.2", "0.3"], [".20", "0.00"], ["x1", "x2"])
    first, second = res
    assert (first.check, first.reported, first.recomputed) == ("standardised beta from correlations", 0.2, -0.2)
    assert first.recomputed_range == pytest.approx((-0.2065, -0.1935))
    # printed +.20 where the correlations give -.20: the sign is reversed
    assert first.verdict == "changes the conclusion"
    assert first.reasoning == (
        "x1: R_xx^-1 r_xy gives beta = -0.2000; rounding of the correlations allows about [-0.2065, -0.1935]; "
        "reported 0.2 stands for [0.195, 0.205]."
    )
    # a printed .00 claims no sign, so a positive recomputed beta is inconsistent, not reversed
    assert second.verdict == "inconsistent"
    assert beta_plausibility([[1, 0], [0, 1]], [-0.2, 0.3], ["0.00", ".30"], ["x1", "x2"])[0].verdict == "inconsistent"


def test_beta_plausibility_input_errors():
    Rxx, rxy = [[1, 0.5], [0.5, 1]], [0.5, 0.5]
    with pytest.raises(ValueError, match="need 2 reported betas and labels, got 2 and 1"):
        beta_plausibility(Rxx, rxy, [".33", ".33"], ["x1"])
    with pytest.raises(ValueError, match="^beta: cannot read"):
        beta_plausibility(Rxx, rxy, [".33", "n/a"], ["x1", "x2"])
    with pytest.raises(ValueError, match="decimals must be >= 0"):
        beta_plausibility(Rxx, rxy, [".33", ".33"], ["x1", "x2"], decimals=-1)


# ------------------------------------------------------------------ intervals and power, edges


def test_r_interval_edges():
    # n = 4 is the smallest n (n - 3 = 1): z = atanh(.5) = .549306, half = 1.959964: tanh(-1.410658), tanh(2.509270)
    low, high = r_interval("0.5", 4)
    assert (low, high) == pytest.approx((math.tanh(math.atanh(0.5) - 1.959964), math.tanh(math.atanh(0.5) + 1.959964)))
    for bad in ("-1", "1", "-1.5", "1.5"):
        with pytest.raises(ValueError, match="must lie strictly between -1 and 1"):
            r_interval(bad, 50)
    for level in (0, 1, 1.5):
        with pytest.raises(ValueError, match="^level must lie strictly between 0 and 1"):
            r_interval("0.3", 50, level)
    with pytest.raises(ValueError, match="^r: cannot read"):
        r_interval("n/a", 50)


def test_smallest_detectable_r_edges():
    # n = 4: (1.959964 + .841621)/1 = 2.801585, tanh = .992657
    assert smallest_detectable_r(4) == pytest.approx(math.tanh(1.959964 + 0.841621), abs=1e-6)
    with pytest.raises(ValueError, match="^n must be an integer >= 4"):
        smallest_detectable_r(4.5)


def test_smallest_detectable_coefficient_edges():
    # df = 1: (t_.975,1 + t_.80,1) * se, straight from scipy
    expected = (stats.t.ppf(0.975, 1) + stats.t.ppf(0.80, 1)) * 0.1
    assert smallest_detectable_coefficient("0.1", 1) == pytest.approx(expected)
    for se, df in (("0", 10), ("0.1", 0)):
        with pytest.raises(ValueError, match="^need a positive SE and df"):
            smallest_detectable_coefficient(se, df)
    with pytest.raises(ValueError, match="^se: cannot read"):
        smallest_detectable_coefficient("n/a", 10)


# ------------------------------------------------------------------ "no effect" claims, in full


def test_no_effect_boundaries():
    # a 95% interval that touches zero does not exclude it
    assert audit._no_effect(0.2, (0.0, 0.4), (0.03, 0.37), 0.1, 0.3, "x").verdict == "cannot rule out an effect"
    assert audit._no_effect(-0.2, (-0.4, 0.0), (-0.37, -0.03), 0.1, 0.3, "x").verdict == "cannot rule out an effect"
    # TOST needs the 90% interval strictly inside +/-bound: touching it is a TOST p of exactly .05
    assert audit._no_effect(0.0, (-0.12, 0.05), (-0.1, 0.04), 0.1, 0.3, "x").verdict == "cannot rule out an effect"
    assert audit._no_effect(0.0, (-0.05, 0.12), (-0.04, 0.1), 0.1, 0.3, "x").verdict == "cannot rule out an effect"
    # both ends must be inside, not just one (the lower end -.5 is far outside)
    assert audit._no_effect(0.0, (-0.6, 0.1), (-0.5, 0.05), 0.1, 0.3, "x").verdict == "cannot rule out an effect"


def test_no_effect_reasoning_for_each_verdict():
    effect = audit._no_effect(0.4, (0.1, 0.6), (0.15, 0.58), 0.1, 0.387, "r (n = 50)")
    assert effect == audit.NoEffectAssessment(
        0.4,
        (0.1, 0.6),
        (0.15, 0.58),
        0.1,
        0.387,
        "effect",
        "r (n = 50) = 0.4: the 95% interval [0.100, 0.600] excludes zero. Smallest effect of interest ±0.1 "
        "(this book's assumption); the smallest effect this design detects with 80% power at .05 is 0.387.",
    )
    same = audit._no_effect(0.01, (-0.02, 0.04), (-0.01, 0.03), 0.1, 0.04, "r")
    assert same.reasoning.startswith("r = 0.01: the 90% interval [-0.010, 0.030] lies inside ±0.1 (TOST at .05).")
    open_ = audit._no_effect(-0.07, (-0.34, 0.21), (-0.30, 0.17), 0.1, 0.387, "r")
    assert open_.reasoning.startswith(
        "r = -0.07: the 95% interval [-0.340, 0.210] holds zero but also effects of 0.1 or more, "
        "so a p above .05 here is absence of evidence, not evidence of absence."
    )


def test_no_correlation_claim_in_full():
    # r = -.07, n = 50: both intervals by Fisher's z (r_interval is tested by hand above)
    a = no_correlation_claim("-0.07", 50)
    assert a.estimate == -0.07 and a.bound == 0.1
    assert a.ci95 == pytest.approx(r_interval("-0.07", 50, 0.95))
    assert a.ci90 == pytest.approx(r_interval("-0.07", 50, 0.90))
    assert a.ci90[1] < a.ci95[1]  # the 90% interval is the narrower one
    assert a.smallest_detectable == pytest.approx(smallest_detectable_r(50))
    assert a.reasoning.startswith("r (n = 50) = -0.07: ")
    with pytest.raises(ValueError, match="^r: cannot read"):
        no_correlation_claim("n/a", 50)


def test_no_coefficient_claim_in_full():
    # beta .05, se .04, df 100: 95% = .05 +/- t_.975 * .04, 90% = .05 +/- t_.95 * .04
    t95, t90 = stats.t.ppf(0.975, 100), stats.t.ppf(0.95, 100)
    a = no_coefficient_claim("0.05", "0.04", 100)
    assert a.ci95 == pytest.approx((0.05 - t95 * 0.04, 0.05 + t95 * 0.04))
    assert a.ci90 == pytest.approx((0.05 - t90 * 0.04, 0.05 + t90 * 0.04))
    # the 90% interval's lower end (-.0164) is inside -.1, its upper end (.1164) is not
    assert a.verdict == "cannot rule out an effect"
    assert a.reasoning.startswith("β (SE 0.04, df 100) = 0.05: ")
    assert a.smallest_detectable == pytest.approx((t95 + stats.t.ppf(0.80, 100)) * 0.04)
    for se, df in (("0", 10), ("0.1", 0)):
        with pytest.raises(ValueError, match="^need a positive SE and df"):
            no_coefficient_claim("0.1", se, df)
    # df 1 is valid: 90% = .01 +/- 6.3138 * .01 = [-.0531, .0731], inside +/-.1
    assert no_coefficient_claim("0.01", "0.01", 1).verdict == "equivalent"
    for args, name in ((("n/a", "0.1"), "beta"), (("0.1", "n/a"), "se")):
        with pytest.raises(ValueError, match=f"^{name}: cannot read"):
            no_coefficient_claim(*args, 10)


# ------------------------------------------------------------------ impossible F1, in full


def test_f1_is_possible_edges_and_reasons():
    # P 60, R 70 (0 dp): inputs allow [59.5, 70.5]; F1 59 stands for [58.5, 59.5]: touches 59.5, possible
    assert f1_is_possible("60", "70", "59")[0] is True
    assert f1_is_possible("60", "70", "71")[0] is True  # [70.5, 71.5] touches 70.5
    assert f1_is_possible("60", "70", "58") == (
        False,
        "F1 58 lies below both precision 60 and recall 70; a harmonic mean always lies between its two inputs, "
        "so no rounding of the inputs can produce it",
    )
    assert f1_is_possible("60", "70", "72")[1].startswith("F1 72 lies above both precision 60 and recall 70")
    # different decimals: P .6 (1 dp) allows [.55, .65], R .70 (2 dp) [.695, .705]: the range is [.55, .705]
    assert f1_is_possible("0.6", "0.70", "0.65") == (
        True,
        "F1 0.65 lies within the range [0.55, 0.705] that some inputs allow",
    )
    assert f1_is_possible("0.70", "0.6", "0.65")[1].endswith("[0.55, 0.705] that some inputs allow")
    for args, name in (
        (("n/a", "1", "1"), "precision"),
        (("1", "n/a", "1"), "recall"),
        (("1", "1", "n/a"), "reported_f1"),
    ):
        with pytest.raises(ValueError, match=f"^{name}: cannot read"):
            f1_is_possible(*args)


# ------------------------------------------------------------------ implied prevalence, in full


def _prevalence(a, p, r):
    # (1 - A) / (R(1/P - 1) + 1 - R), the formula of implied_prevalence's docstring
    return (1 - a) / (r * (1 / p - 1) + 1 - r)


def test_implied_prevalence_range_over_mixed_decimals():
    # A .8 (1 dp: [.75, .85]), P .75 (2 dp: [.745, .755]), R .750 (3 dp: [.7495, .7505]).
    # The denominator is 1 + R(1/P - 2): it falls in P, and in R when P > .5. So the prevalence falls
    # in A and rises in P and R: the lowest is at (A high, P low, R low), the highest at (A low, P high, R high).
    point, low, high = implied_prevalence("0.8", "0.75", "0.750")
    assert point == pytest.approx(0.4)
    assert low == pytest.approx(_prevalence(0.85, 0.745, 0.7495))
    assert high == pytest.approx(_prevalence(0.75, 0.755, 0.7505))


def test_implied_prevalence_in_percent_and_at_a_perfect_precision():
    # the 40%-positives example of test_shared_test_set_by_hand, printed in percent
    point, low, high = implied_prevalence("80", "75", "75")
    assert point == pytest.approx(0.4)
    assert low == pytest.approx(_prevalence(0.805, 0.745, 0.745))
    assert high == pytest.approx(_prevalence(0.795, 0.755, 0.755))
    # P = 1.00 (proportions, since nothing exceeds 1): no false positives, so 1 - A = (1 - R) * prevalence:
    # .1 / .5 = .2. Precision and recall are capped at 1 when rounding up.
    point, low, high = implied_prevalence("0.90", "1.00", "0.50")
    assert point == pytest.approx(0.2)
    assert high == pytest.approx(_prevalence(0.895, 1.0, 0.505))
    point, low, high = implied_prevalence("0.90", "0.50", "1.00")
    assert point == pytest.approx(_prevalence(0.9, 0.5, 1.0))
    assert low == pytest.approx(_prevalence(0.905, 0.495, 1.0))
    # all values small but one above 1: still percent (2% accuracy, 1.5% precision and recall)
    assert implied_prevalence("2", "1.5", "1.5")[0] == pytest.approx(_prevalence(0.02, 0.015, 0.015))
    for args, name in (
        (("n/a", "0.5", "0.5"), "accuracy"),
        (("0.5", "n/a", "0.5"), "precision"),
        (("0.5", "0.5", "n/a"), "recall"),
    ):
        with pytest.raises(ValueError, match=f"^{name}: cannot read"):
            implied_prevalence(*args)


def test_shared_test_set_in_full():
    models = {"A": ("0.80", "0.75", "0.75"), "B": ("0.92", "0.90", "0.90")}
    r = shared_test_set(models)
    assert (r.check, r.reported, r.recomputed) == ("shared test set", "2 models", pytest.approx(0.0))
    a, b = implied_prevalence(*models["A"]), implied_prevalence(*models["B"])
    low, high = max(a[1], b[1]), min(a[2], b[2])
    assert r.reasoning == (
        f"Implied share of positive cases (point [range]): A 0.400 [{a[1]:.3f}, {a[2]:.3f}]; "
        f"B 0.400 [{b[1]:.3f}, {b[2]:.3f}]; a prevalence in [{low:.3f}, {high:.3f}] fits every model."
    )
    # A implies .40, C .36: the spread is .04 and the ranges do not meet
    c = shared_test_set({"A": ("0.80", "0.75", "0.75"), "C": ("0.80", "0.90", "0.50")})
    assert c.recomputed == pytest.approx(0.04)
    assert c.reasoning.endswith("; no single prevalence fits every model, so they cannot share one test set.")
    with pytest.raises(ValueError, match="^need at least two models to compare$"):
        shared_test_set({"A": ("0.8", "0.75", "0.75")})


def test_shared_test_set_refuses_impossible_prevalences():
    # Z: A .5, P .8, R .8 implies .5/(.8*.25 + .2) = 1.25 > 1; Perfect: A 1.00 implies 0 (no positives at
    # all, yet a precision and recall are printed)
    r = shared_test_set(
        {"A": ("0.80", "0.75", "0.75"), "Z": ("0.50", "0.80", "0.80"), "Perfect": ("1.00", "0.90", "0.90")}
    )
    assert r.verdict == "inconsistent"
    assert r.reasoning.endswith("; Z, Perfect imply a prevalence outside (0, 1], which no test set has.")


# ------------------------------------------------------------------ ANOVA, in full


def test_anova_by_hand_with_one_split():
    # n = 4 in two groups of at least 2: one split (2, 2). Means 1 and 3, SDs 2: grand mean 2;
    # between = (2*1 + 2*1)/(2 - 1) = 4; within = (1*4 + 1*4)/(4 - 2) = 4; F = 1 on (1, 2) df
    r = anova_plausibility(["1", "3"], ["2", "2"], 4, ["a", "b"])
    p = stats.f.sf(1.0, 1, 2)
    assert (r.check, r.reported, r.verdict) == ("one-way ANOVA from means and SDs", "not printed", None)
    assert r.recomputed == pytest.approx(p) and r.recomputed_range == pytest.approx((p, p))
    assert r.reasoning == (
        f"Over all 1 splits of n = 4 into 2 groups of at least 2: F from 1.00 (a 2, b 2) to 1.00 (a 2, b 2), "
        f"p from {p:.3g} to {p:.3g}; 0% of splits give p < 0.05."
    )


def test_anova_over_several_splits():
    # n = 6: splits (2, 4), (3, 3), (4, 2). Means 0 and 4, SDs 1; grand mean m = 4*n_b/6.
    # (2, 4): m = 8/3, between = 2*(8/3)^2 + 4*(4/3)^2 = 21.333, within = (1 + 3)/4 = 1, F = 21.333
    # (3, 3): m = 2, between = 3*4 + 3*4 = 24, F = 24; (4, 2): m = 4/3, between = 4*(4/3)^2 + 2*(8/3)^2 = 21.333
    r = anova_plausibility(["0", "4"], ["1", "1"], 6, ["a", "b"], claimed_significant=True)
    assert r.recomputed == pytest.approx(stats.f.sf(24, 1, 4))
    assert r.recomputed_range == pytest.approx((stats.f.sf(24, 1, 4), stats.f.sf(64 / 3, 1, 4)))
    assert r.verdict == "consistent"
    assert "Over all 3 splits of n = 6 into 2 groups of at least 2: F from 21.33 (a 2, b 4) to 24.00 (a 3, b 3)" in (
        r.reasoning
    )
    assert r.reasoning.endswith("100% of splits give p < 0.05. The claim (significant) holds for 3 of 3 splits.")
    no = anova_plausibility(["0", "4"], ["1", "1"], 6, ["a", "b"], claimed_significant=False)
    assert no.reasoning.endswith("The claim (not significant) holds for 0 of 3 splits: no group sizes make it true.")


def test_anova_ties_keep_the_first_split_and_min_group_counts():
    # equal means: F = 0 and p = 1 for every split; the first split is the one described
    r = anova_plausibility(["5", "5"], ["1", "1"], 5, ["a", "b"])
    assert "F from 0.00 (a 2, b 3) to 0.00 (a 2, b 3)" in r.reasoning
    # three groups of at least 2 in n = 7: splits (2,2,3), (2,3,2), (3,2,2)
    three = anova_plausibility(["1", "2", "3"], ["1", "1", "1"], 7, ["a", "b", "c"])
    assert "Over all 3 splits of n = 7 into 3 groups of at least 2" in three.reasoning
    # min_group 3 with n = 7 and two groups: (3, 4), (4, 3)
    assert "Over all 2 splits" in anova_plausibility(["1", "2"], ["1", "1"], 7, ["a", "b"], min_group=3).reasoning


def test_anova_input_errors():
    with pytest.raises(ValueError, match="^need the same number"):
        anova_plausibility(["1", "2"], ["1", "1", "1"], 10, ["a", "b"])
    with pytest.raises(ValueError, match="^need the same number"):
        anova_plausibility(["1", "2"], ["1", "1"], 10, ["a"])
    with pytest.raises(ValueError, match="^need the same number"):
        anova_plausibility(["1"], ["1"], 10, ["a"])
    with pytest.raises(ValueError, match="^mean: cannot read"):
        anova_plausibility(["1", "n/a"], ["1", "1"], 10, ["a", "b"])
    with pytest.raises(ValueError, match="^sd: cannot read"):
        anova_plausibility(["1", "2"], ["1", "n/a"], 10, ["a", "b"])


# ------------------------------------------------------------------ dates, in full


def test_date_reasons():
    assert date_is_possible("", 2024) == (
        "inconclusive",
        "the paper prints no date, so no statistic can be too late for it",
    )
    assert date_is_possible("2020?", 2024) == (
        "impossible",
        "a statistic from 2024 cannot appear in a paper dated 2020 (uncertain): either the date or the statistic "
        "is wrong",
    )
    assert date_is_possible("2026", 2025) == ("consistent", "2025 is not later than the paper's date 2026")


# ------------------------------------------------------------------ reading printed numbers


@pytest.mark.parametrize(
    "printed, interval",
    [
        ("\u22125", (-5.5, -4.5)),  # typographic minus
        (" 18 %", (17.5, 18.5)),
        ("1,234", (1233.5, 1234.5)),
        ("3.6x", (3.55, 3.65)),
        ("2X", (1.5, 2.5)),
        (0.1, (0.05, 0.15)),  # a float reads as it prints: one decimal
        ("1E+2", (99.5, 100.5)),  # an exponent: no decimals
    ],
)
def test_printed_interval_reads_every_printed_form(printed, interval):
    assert printed_interval(printed) == pytest.approx(interval)


def test_printed_interval_of_numpy_and_decimal_values():
    from decimal import Decimal

    import numpy as np

    assert printed_interval(np.float64(2.5)) == pytest.approx((2.45, 2.55))
    assert printed_interval(Decimal("1.50")) == pytest.approx((1.495, 1.505))


@pytest.mark.parametrize("value", [True, None])
def test_a_flag_or_nothing_is_no_number(value):
    with pytest.raises(ValueError, match=f"^printed must be a number or a numeric string, got {value!r}$"):
        printed_interval(value)


@pytest.mark.parametrize("value", ["inf", "nan"])
def test_an_infinite_printed_value_is_refused(value):
    with pytest.raises(ValueError, match=f"^printed must be finite, got '{value}'$"):
        printed_interval(value)


def test_negative_decimals_are_refused():
    with pytest.raises(ValueError, match="^decimals must be >= 0, got -1$"):
        f1_from_precision_recall("0.8", "0.6", "0.7", decimals=-1)


@pytest.mark.parametrize(
    "value, shown",
    [
        (0.0004321, "0.0004321"),  # below .001: four significant digits
        (-0.0002, "-0.0002"),
        (0, "0"),
        (0.001, "0.001"),  # .001 itself is shown with four decimals, trailing zeros dropped
        (1.23456, "1.2346"),
        (10.5, "10.5"),
        (100.0, "100"),
    ],
)
def test_numbers_in_the_reasoning_are_shown_without_noise(value, shown):
    assert audit._fmt(value) == shown


def test_a_value_exactly_on_a_rounding_edge_belongs_to_both_intervals():
    # 237/200 = 1.185 exactly, i.e. +18.5 %, which floating point computes as 18.500000000000007:
    # it is the edge of "18" ([17.5, 18.5]) and of "19" ([18.5, 19.5]); either rounding is right
    assert percent_change("200", "237", "18").verdict == "consistent"
    assert percent_change("200", "237", "19").verdict == "consistent"
    # P = R = 60 (0 dp): the range [59.5, 60.5] touches "61"'s [60.5, 61.5] and "59"'s [58.5, 59.5]
    assert f1_from_precision_recall("60", "60", "61").verdict == "rounding"
    assert f1_from_precision_recall("60", "60", "59").verdict == "rounding"
    assert f1_from_precision_recall("60", "60", "62").verdict == "inconsistent"


# ------------------------------------------------------------------ p-value reports, every form


def test_p_from_t_value_fields_and_reasoning_in_full():
    # 2*sf(2.20, 28) = .036225; t in [2.195, 2.205] -> p in [.035836, .036619]
    r = p_from_t_value("2.20", 28, "p = .036")
    assert (r.check, r.reported, r.significant, r.verdict) == ("p from t(df)", "p = .036", True, "consistent")
    assert r.recomputed_range == pytest.approx((_two_sided(2.205, 28), _two_sided(2.195, 28)))
    assert r.reasoning == (
        "t(28) = 2.2; two-sided p = 0.0362 (< 0.05); rounding of the inputs allows p in [0.0358, 0.0366]; "
        "reported p = 0.036 (stands for [0.0355, 0.0365])."
    )
    less = p_from_t_value("1.00", 28, "< .10")
    assert less.reasoning.endswith("; reported p < 0.1.")
    assert less.reasoning.startswith("t(28) = 1; two-sided p = 0.3259 (>= 0.05)")


def test_p_from_t_value_decimals_and_named_errors():
    # decimals=2 on the float 2.2: t in [2.195, 2.205], as for "2.20"
    r = p_from_t_value(2.2, 28, ".036", decimals=2)
    assert r.recomputed_range == pytest.approx((_two_sided(2.205, 28), _two_sided(2.195, 28)))
    with pytest.raises(ValueError, match="^t: cannot read"):
        p_from_t_value("n/a", 28, ".036")
    with pytest.raises(ValueError, match="^reported_p must be finite, got inf$"):
        p_from_t_value("2.2", 28, float("inf"))
    with pytest.raises(ValueError, match="^alternative must be 'two-sided', 'greater' or 'less', got 'both'$"):
        p_from_t_value(2, 10, ".05", alternative="both")
    with pytest.raises(ValueError, match="^df must be positive, got 0.0$"):
        p_from_t_value(2, 0, ".05")


def test_p_from_t_value_one_sided_directions():
    # t = -2.20 on 28 df: "less" gives cdf(-2.2) = .018113; "greater" gives sf(-2.2) = .981887
    assert p_from_t_value("-2.20", 28, ".018", alternative="less").verdict == "consistent"
    greater = p_from_t_value("-2.20", 28, ".98", alternative="greater")
    assert greater.recomputed == pytest.approx(stats.t.sf(-2.2, 28))
    assert greater.verdict == "consistent"


def test_p_from_t_value_smallest_df_and_alpha():
    # df = 1 is valid: 2*sf(2, 1) = .295167
    assert p_from_t_value("2.0", 1, ".30").verdict == "consistent"
    # at alpha = .01, p = .036 is not significant
    r = p_from_t_value("2.20", 28, ".036", alpha=0.01)
    assert r.significant is False and "(>= 0.01)" in r.reasoning


@pytest.mark.parametrize(
    "reported, verdict",
    [
        ("p ≤ .05", "consistent"),  # .036 <= .05
        ("p ≥ .05", "changes the conclusion"),  # claims not significant; every p in [.0358, .0366] is
        ("P < .05", "consistent"),  # the "p" may be upper case
        ("p < .01", "inconsistent"),  # wrong, but .036 and "< .01" are both significant
        ("p > .05", "changes the conclusion"),
        ("p >= .036", "rounding"),  # .036225 >= .036 holds: consistent... see the next line
        ("p <= .03", "inconsistent"),  # no p in [.0358, .0366] is <= .03; .03 < .05 both sides
        (".05", "inconsistent"),  # statcheck counts a printed p = .05 as significant, like .036
        (0.036, "consistent"),  # a number, not text: read as "p = .036"
        ("0.000", "inconsistent"),  # p = 0 and p = 1 are readable values ("0.000" stands for [0, .0005])
        ("1", "changes the conclusion"),  # "1" stands for [.5, 1.5]: not significant, yet p < .05
    ],
)
def test_every_form_of_a_p_value_report(reported, verdict):
    if reported == "p >= .036":
        # the point .036225 satisfies ">= .036", so this one is consistent; ">= .0365" holds only
        # for the lower end of t's range (p up to .036619): rounding
        assert p_from_t_value("2.20", 28, reported).verdict == "consistent"
        assert p_from_t_value("2.20", 28, "p >= .0365").verdict == "rounding"
        return
    assert p_from_t_value("2.20", 28, reported).verdict == verdict


def test_an_inequality_that_holds_only_after_rounding():
    # "< .0360": the point .036225 misses it, the upper t (2.205 -> p .035836) reaches it
    assert p_from_t_value("2.20", 28, "< .0360").verdict == "rounding"
    assert p_from_t_value("2.20", 28, "<= .0360").verdict == "rounding"
    assert p_from_t_value("2.20", 28, "> .0366").verdict == "rounding"


def test_auditresult_accepts_no_verdict_and_names_the_allowed_ones():
    assert AuditResult("x", 1, None, None, "why").verdict is None
    with pytest.raises(ValueError, match=r"^verdict must be one of \('consistent', 'rounding'"):
        AuditResult("x", 1, 1.0, "fine", "why")


def test_grim_uses_the_mean_exactly_as_printed():
    # 1.33 * 37 = 49.21; 49/37 = 1.324324 -> 1.32 and 50/37 = 1.351351 -> 1.35: unreachable.  (A mean
    # approximated by a fraction with a small denominator, 105/79 = 1.3291, would wrongly reach 49/37.)
    assert round(49 / 37, 2) == 1.32 and round(50 / 37, 2) == 1.35
    assert grim("1.33", 37, 2).verdict == "inconsistent"


def test_beta_sign_reversal_when_the_band_ends_exactly_at_zero():
    # decimals=0 makes h = .5, so the arithmetic is exact: R_xx = I, r_xy = (-.5, .5) -> beta = (-.5, .5),
    # band_i = .5 * (1 + 1 - .5) = .75 -> [-1.25, .25] and [-.25, 1.25]: both cross zero, no reversal ...
    Rxx = [[1, 0], [0, 1]]
    assert beta_plausibility(Rxx, [-0.5, 0.5], ["2", "-2"], ["x1", "x2"], decimals=0)[0].verdict == "inconsistent"
    # ... with r_xy = (-.5, 0): band_1 = .5 * (1 + .5 - .5) = .5 -> [-1, 0]: at best zero, never positive,
    # so a printed +1 reverses the sign; and r_xy = (.5, 0) -> [0, 1]: a printed -1 reverses it
    assert beta_plausibility(Rxx, [-0.5, 0], ["1", "0"], ["x1", "x2"], decimals=0)[0].verdict == (
        "changes the conclusion"
    )
    assert beta_plausibility(Rxx, [0.5, 0], ["-1", "0"], ["x1", "x2"], decimals=0)[0].verdict == (
        "changes the conclusion"
    )


@pytest.mark.parametrize(
    "args, message",
    [
        ((50, 120, 60), r"^recall = 120.0 is outside \[0, 100\]$"),
        ((50, 60, 120), r"^reported_f1 = 120.0 is outside \[0, 100\]$"),
        ((50, 60, 55, None, 10), r"^scale must be 1 or 100, got 10$"),
    ],
)
def test_f1_range_errors_name_the_input(args, message):
    with pytest.raises(ValueError, match=message):
        f1_from_precision_recall(*args)


def test_one_sided_claims_about_alpha_in_every_direction():
    # "p <= .05" claims significance like "< .05": t(28) = 1.65 gives p = .1101, all of t's range > .05
    assert p_from_t_value("1.65", 28, "p <= .05").verdict == "changes the conclusion"
    # "p > .01" says nothing about .05: t(53) = 3.59 (p = .0007) makes it wrong, but no conclusion at .05 flips
    assert p_from_t_value("3.59", 53, "p > .01").verdict == "inconsistent"
    assert p_from_t_value("3.59", 53, "p >= .01").verdict == "inconsistent"


def test_a_test_set_of_positives_only_is_possible():
    # precision 1.00 and accuracy = recall = 0.75: (1 - 0.75) / (0.75 × (1/1 - 1) + 1 - 0.75) = 1, every case
    # positive. Degenerate, but such a test set exists, so two such models can share it.
    result = shared_test_set({"A": ("0.75", "1.00", "0.75"), "B": ("0.60", "1.00", "0.60")})
    assert result.verdict == "consistent", result.reasoning
    # accuracy above recall with perfect precision would need more positives than cases
    assert shared_test_set({"A": ("0.80", "1.00", "0.75"), "B": ("0.60", "1.00", "0.60")}).verdict == "inconsistent"
