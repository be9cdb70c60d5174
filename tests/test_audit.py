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
