"""Run every applicable consistency check over the data tables and collect the results in one table.

The checks themselves live in :mod:`review_evidence.audit` (statcheck- and GRIM-style
recomputations from printed numbers).  This module decides *which* printed numbers each check
applies to, reads them from the data tables (never from typed values), and states every assumption
a check needs (degrees of freedom, which variables are counts, which rows a table summarises) in
the row's ``reasoning``.  Change a value in ``data/`` and the verdicts change with it.

Numbers are read in their *printed* form (``"43.20"``, not ``43.2``) from the CSV files, because
the number of printed decimals sets each rounding interval.

Verdicts are those of :data:`review_evidence.audit.VERDICTS` plus ``"inconclusive"``: the check was
run, but a premise it needs does not hold (for example, the regression contains predictors whose
correlations the paper does not print), so its outcome cannot speak for or against the paper.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd

from .audit import (
    AuditResult,
    anova_plausibility,
    beta_plausibility,
    correlation_matrix_validity,
    date_is_possible,
    f1_from_precision_recall,
    f1_is_possible,
    grim,
    no_coefficient_claim,
    no_correlation_claim,
    p_from_r,
    p_from_t,
    percent_change,
    r_interval,
    shared_test_set,
    standardized_betas_from_correlations,
)
from .bibliography import citation_label
from .paths import DATAPACKAGE
from .tables import load_printed_table, load_table
from .theme import FIT_TO_CONTAINER, OKABE_ITO, chart_title, wrapped_label_axis


def _citation_labels(sources: pd.Series) -> dict[str, str]:
    """Label each distinct BibTeX key once (``citation_label`` re-reads the bibliography)."""
    return {key: citation_label(key) for key in sources.unique()}


#: The table's verdicts.  Numbers checked against each other are ``consistent``, ``rounding``,
#: ``inconsistent`` or ``impossible`` (no inputs at all could produce the value); a claim in the text
#: checked against the numbers is ``claim supported`` or ``claim not supported``; a method the paper
#: promises but never reports is ``not reported``; ``inconclusive`` means a premise of the check fails.
#: The check-level verdict "changes the conclusion" (see :mod:`review_evidence.audit`) is kept apart:
#: for numbers it becomes severity ``major``, for claims the verdict ``claim not supported``.
VERDICT_ORDER = (
    "consistent",
    "rounding",
    "inconsistent",
    "impossible",
    "claim supported",
    "claim not supported",
    "not reported",
    "inconclusive",
)
#: What a check compares: printed numbers with each other, a claim in the text with the printed
#: numbers, a date with the paper's date, or a promised method with what the paper reports.
KINDS = ("printed numbers", "claim vs numbers", "dates", "reporting")
#: Severity, by an explicit rule (see :func:`severity`).
SEVERITIES = ("none", "minor", "moderate", "major", "not rated")
#: Below this relative size an inconsistency that changes no decision is ``minor``.
MINOR_RELATIVE_SIZE = 0.01
#: What each check yields, one tuple per row in this order.
CHECK_FIELDS = (
    "source",
    "check",
    "kind",
    "locator",
    "reported",
    "recomputed",
    "size (absolute)",
    "size (relative)",
    "verdict",
    "assumption",
    "decision",
    "reasoning",
)
#: The audit table: the paper's citation label for its key, the severity and "counted" added, the
#: check's internal decision left out.
COLUMNS = ["paper", *CHECK_FIELDS[1:9], "severity", "assumption", "counted", "reasoning"]
#: The order in which checks are listed within a paper.
CHECK_ORDER = (
    "F1 = 2PR/(P+R)",
    "percent change",
    "multiplier change",
    "p from beta/SE",
    "p from r",
    "GRIM",
    "group means vs overall mean",
    "correlation matrix validity",
    "standardized beta from correlations",
    "shared test set",
    "no effect from beta/SE",
    "one-way ANOVA from means and SDs",
    "cited work dated after the paper",
    "statistic dated after the paper",
    "method promised but not reported",
)
#: One colour and one marker per verdict; the marker and the printed count carry the meaning too.
VERDICT_STYLE = {
    "consistent": {"colour": OKABE_ITO["bluish green"], "marker": "o", "shape": "circle"},
    "rounding": {"colour": OKABE_ITO["sky blue"], "marker": "s", "shape": "square"},
    "inconsistent": {"colour": OKABE_ITO["orange"], "marker": "^", "shape": "triangle-up"},
    "impossible": {"colour": OKABE_ITO["vermillion"], "marker": "D", "shape": "diamond"},
    "claim supported": {"colour": OKABE_ITO["blue"], "marker": "P", "shape": "triangle-right"},
    "claim not supported": {"colour": OKABE_ITO["reddish purple"], "marker": "v", "shape": "triangle-down"},
    "not reported": {"colour": OKABE_ITO["yellow"], "marker": "h", "shape": "square"},
    "inconclusive": {"colour": OKABE_ITO["black"], "marker": "X", "shape": "cross"},
}
#: Table 3 of Ali et al. regresses Total Spend on the printed predictors (§4.3); Table 4 summarises
#: Total Spend by membership tier.  The tables hold the predictors and tiers, not the outcome's name.
REGRESSION_OUTCOME = "Total Spend"
GROUP_OUTCOME = "Total Spend"
#: How a regression row's note quotes the paper denying an effect (see :func:`no_effect_checks`).
NO_EFFECT_WORDING = ("no significant effect", "not statistically significant")
SAMPLE_ITEM = ("Sample", "n")


# ----------------------------------------------------------------------------- reading the data


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def _row(
    source: str,
    check: str,
    locator: str,
    reported: str,
    result: AuditResult | None,
    *,
    verdict: str | None = None,
    recomputed: float | None = None,
    reasoning: str = "",
    kind: str = "printed numbers",
    assumption: str = "",
    size: float | None = None,
    relative_to: float | None = None,
    decision: bool = False,
) -> dict:
    """One audit row.  ``size`` is the absolute discrepancy (reported minus recomputed, as a magnitude)
    and ``relative_to`` the value it is measured against; ``decision`` marks a discrepancy that crosses
    a decision threshold (significance, sign, a ranking)."""
    value = result.recomputed if recomputed is None and result is not None else recomputed
    return {
        "source": source,
        "check": check,
        "kind": kind,
        "locator": locator,
        "reported": reported,
        "recomputed": value,
        "size (absolute)": size,
        "size (relative)": (size / abs(relative_to) if size is not None and relative_to not in (None, 0) else None),
        "verdict": verdict or result.verdict,
        "assumption": assumption,
        "decision": decision,
        "reasoning": reasoning or result.reasoning,
    }


def _gap(reported: str, recomputed: float) -> float:
    return abs(float(str(reported).strip().lstrip("+").rstrip("%×x")) - float(recomputed))


def _recomputed_row(
    source: str, check: str, locator: str, reported: str, result: AuditResult, printed: str, **details
) -> dict:
    """An audit row for a printed number recomputed from other printed numbers (``printed`` is the
    number as the paper prints it). A recomputation that "changes the conclusion" is an
    ``inconsistent`` number whose discrepancy is a decision; the size is measured from the printed number."""
    return _row(
        source,
        check,
        locator,
        reported,
        result,
        verdict="inconsistent" if result.verdict == "changes the conclusion" else None,
        size=_gap(printed, result.recomputed),
        relative_to=result.recomputed,
        decision=result.verdict == "changes the conclusion",
        **details,
    )


def _sample_size(package_path: Path, source: str) -> int:
    descriptives = load_printed_table("engagement_descriptives", package_path)
    item, dimension = SAMPLE_ITEM
    hit = descriptives[
        (descriptives["source"] == source) & (descriptives["item"] == item) & (descriptives["dimension"] == dimension)
    ]
    if len(hit) != 1:
        raise ValueError(f"engagement_descriptives: expected one '{item}, {dimension}' row for {source}")
    return int(float(hit["value"].iloc[0]))


# ----------------------------------------------------------------------------- F1


F1_METRICS = ("precision", "recall", "f1")


def f1_model_checks(printed: pd.DataFrame) -> list[dict]:
    """Every model that prints precision, recall and F1 in a table, its F1 checked against 2PR/(P+R).

    ``printed`` is a long results table as printed (``load_printed_table``: the audit reads each
    number's decimals from its text). Models are grouped by source and locator, and each is ranked
    against the others' printed F1 in its group. One dict per model: ``source``, ``locator``,
    ``model``, the printed ``precision``/``recall``/``f1`` text, ``result`` (the
    :class:`~review_evidence.audit.AuditResult` of 2PR/(P+R)), ``verdict`` ("consistent",
    "rounding", "inconsistent" or "impossible"), ``reversed_by`` (the rivals whose order the
    recomputed F1 reverses), ``decision`` and ``reasoning``. This is the one F1 audit: the audit
    table and the benchmark chapter's F1 table both read it.
    """
    checks = []
    for (source, locator), group in printed.groupby(["source", "locator"], sort=False):
        wide = group.pivot_table(index="item", columns="dimension", values="value", aggfunc="first", sort=False)
        if not set(F1_METRICS) <= set(wide.columns):
            continue
        complete = wide.dropna(subset=list(F1_METRICS))
        complete = complete[(complete[list(F1_METRICS)] != "").all(axis=1)]
        for model, values in complete.iterrows():
            base = f1_from_precision_recall(values["precision"], values["recall"], values["f1"])
            rivals = complete.drop(index=model)["f1"]
            reversed_by = [
                r
                for r, f in rivals.items()
                if f1_from_precision_recall(
                    values["precision"], values["recall"], values["f1"], competitor_f1=f
                ).verdict
                == "changes the conclusion"
            ]
            verdict = base.verdict
            decision = bool(reversed_by) and verdict in ("inconsistent", "changes the conclusion")
            possible, why_possible = f1_is_possible(values["precision"], values["recall"], values["f1"])
            if verdict == "changes the conclusion":
                verdict = "inconsistent"
            if not possible:
                verdict = "impossible"
            if len(rivals):
                order = (
                    f" Against the other models' printed F1 ({', '.join(f'{r} {f}' for r, f in rivals.items())}) "
                    + (
                        f"the recomputed F1 reverses the order with {', '.join(reversed_by)}."
                        if reversed_by
                        else "the recomputed F1 leaves the order unchanged."
                    )
                )
            else:
                order = " No other model in this table to rank against."
            checks.append(
                {
                    "source": source,
                    "locator": locator,
                    "model": model,
                    **{metric: values[metric] for metric in F1_METRICS},
                    "result": base,
                    "verdict": verdict,
                    "reversed_by": reversed_by,
                    "decision": decision,
                    "reasoning": base.reasoning + order + (f" {why_possible}." if not possible else ""),
                }
            )
    return checks


def _f1_rows(table: pd.DataFrame, label_of_locator) -> list[dict]:
    return [
        _row(
            check["source"],
            "F1 = 2PR/(P+R)",
            label_of_locator(check["locator"], check["model"]),
            f"P {check['precision']}, R {check['recall']}, F1 {check['f1']}",
            check["result"],
            verdict=check["verdict"],
            reasoning=check["reasoning"],
            assumption="precision, recall and F1 come from one test set with the same averaging "
            "(binary or micro F1; a macro F1 need not equal 2PR/(P+R))",
            size=_gap(check["f1"], check["result"].recomputed),
            relative_to=check["result"].recomputed,
            decision=check["decision"],
        )
        for check in f1_model_checks(table)
    ]


def f1_checks(package_path: Path = DATAPACKAGE) -> list[dict]:
    """F1 against 2PR/(P+R) for every model row of ``benchmark_results`` and every related-work row
    of ``benchmark_related_metrics`` that prints precision, recall and F1."""
    rows = _f1_rows(load_printed_table("benchmark_results", package_path), lambda locator, model: f"{locator}, {model}")
    rows += _f1_rows(
        load_printed_table("benchmark_related_metrics", package_path),
        lambda locator, model: f"{locator}, related work: {model}",
    )
    return rows


# ----------------------------------------------------------------------------- KPI changes


CHANGE_UNITS = {"percent change": "percent", "multiplier": "multiplier"}


def kpi_change_check(kpi) -> tuple[str, AuditResult]:
    """One ``segmentation_kpis`` row's printed change against its printed before and after values.

    ``kpi`` is a row (a namedtuple from ``itertuples`` or a Series) with ``metric``, ``before``,
    ``after``, ``reported_change_text`` and ``reported_change_unit``; pass the printed text
    (``load_printed_table``) so that the audit reads the decimals the paper printed. Returns the
    check's name ("percent change" or "multiplier change") and its result. This is the one
    percent-change audit: the audit table and the segmentation chapter's KPI table both read it.
    """
    kind = CHANGE_UNITS.get(kpi.reported_change_unit)
    if kind is None:
        raise ValueError(
            f"segmentation_kpis, metric {kpi.metric!r}, column reported_change_unit: must be "
            f"{' or '.join(repr(unit) for unit in CHANGE_UNITS)}, got {kpi.reported_change_unit!r}"
        )
    return f"{kind} change", percent_change(kpi.before, kpi.after, kpi.reported_change_text, kind=kind)


def change_checks(package_path: Path = DATAPACKAGE) -> list[dict]:
    """Every before/after KPI of ``segmentation_kpis`` against its printed change."""
    rows = []
    for kpi in load_printed_table("segmentation_kpis", package_path).itertuples():
        check, result = kpi_change_check(kpi)
        rows.append(
            _recomputed_row(
                kpi.source,
                check,
                f"{kpi.locator}, {kpi.metric}",
                f"{kpi.before} → {kpi.after}: {kpi.reported_change_text}",
                result,
                kpi.reported_change_text,
                assumption="before and after measure the same quantity on the same base; the change "
                "is relative (not in percentage points)",
            )
        )
    return rows


# ----------------------------------------------------------------------------- p-values


def _regression_models(package_path: Path):
    """Each paper's ``engagement_regression`` rows as printed, with n, k and the residual df = n - k - 1."""
    regression = load_printed_table("engagement_regression", package_path)
    for source, model in regression.groupby("source", sort=False):
        n, k = _sample_size(package_path, source), len(model)
        yield source, model, n, k, n - k - 1


def regression_p_checks(package_path: Path = DATAPACKAGE) -> list[dict]:
    """p from beta/SE for every row of ``engagement_regression``, df = n - k - 1."""
    rows = []
    for source, model, n, k, df in _regression_models(package_path):
        for coefficient in model.itertuples():
            result = p_from_t(coefficient.beta, coefficient.se, df, coefficient.p_value)
            alternative = p_from_t(coefficient.beta, coefficient.se, df - 1, coefficient.p_value)
            assumption = (
                f" Assumption: df = n - k - 1 = {n} - {k} - 1 = {df} (n from the sample size, k = the {k} "
                f"printed coefficients plus an intercept; the paper prints no df). With df = {df - 1} (one "
                f"more dummy, e.g. a three-tier membership coded as two) the verdict is "
                f"{'the same' if alternative.verdict == result.verdict else repr(alternative.verdict)}."
            )
            rows.append(
                _recomputed_row(
                    source,
                    "p from beta/SE",
                    f"Table 3, {coefficient.predictor}",
                    f"β {coefficient.beta}, SE {coefficient.se}, p {coefficient.p_value}",
                    result,
                    coefficient.p_value,
                    reasoning=result.reasoning + assumption,
                    assumption=f"df = n - k - 1 = {df} (not printed); a two-sided t test of each coefficient",
                )
            )
    return rows


def correlation_p_checks(package_path: Path = DATAPACKAGE) -> list[dict]:
    """Each correlation whose meaning the text asserts (``correlation_interpretations``), judged as a claim.

    An asserted association is supported if the 95% interval of r (Fisher's z) excludes zero. A denied
    ("negligible") association is supported only if the data rule out an effect of the smallest size
    of interest (equivalence, :func:`review_evidence.audit.no_correlation_claim`): a p above .05 alone
    never supports it.
    """
    correlations = load_printed_table("engagement_correlations", package_path).set_index(["variable_a", "variable_b"])
    rows = []
    for claim in load_printed_table("correlation_interpretations", package_path).itertuples():
        r = correlations.loc[(claim.variable_a, claim.variable_b), "r"]
        n = _sample_size(package_path, claim.source)
        asserted = claim.interpretation == "association"
        result = p_from_r(r, n, claimed_significant=asserted)
        low, high = r_interval(r, n)
        interval = f" 95% interval of r (Fisher's z): [{low:.3f}, {high:.3f}]."
        if asserted:
            supported = low > 0 or high < 0
            reasoning = result.reasoning.replace(
                "text claims a significant association", "the text asserts an association"
            )
            contradicted = False
        else:
            assessment = no_correlation_claim(r, n)
            supported = assessment.verdict == "equivalent"
            contradicted = assessment.verdict == "effect"
            reasoning = result.reasoning.replace(
                "text claims no significant association", "the text denies an association"
            )
            reasoning += " " + assessment.reasoning
        wording = (
            f" The paper prints no test of r; its wording (quoted in correlation_interpretations) is read "
            f"as {'asserting' if asserted else 'denying'} an association."
        )
        rows.append(
            _row(
                claim.source,
                "p from r",
                f"{claim.locator}, {claim.variable_a} × {claim.variable_b}",
                f"r = {r}, read as {claim.interpretation}",
                result,
                verdict="claim supported" if supported else "claim not supported",
                reasoning=reasoning + interval + wording,
                kind="claim vs numbers",
                assumption=(
                    f"a plain Pearson r on all n = {n} rows; the wording read as a claim that r is "
                    f"{'' if asserted else 'not '}distinguishable from zero"
                    + ("" if asserted else "; smallest effect of interest |r| = .10")
                ),
                decision=contradicted or (asserted and (high < 0 < float(r) or float(r) < 0 < low)),
            )
        )
    return rows


def no_effect_checks(package_path: Path = DATAPACKAGE) -> list[dict]:
    """Coefficients the text calls not significant or without effect: can the data rule out an effect?

    A row of ``engagement_regression`` is a no-effect claim when its ``note`` quotes the paper saying
    "no significant effect" or "not statistically significant".  Equivalence against |β| = .10
    (:func:`review_evidence.audit.no_coefficient_claim`), df = n - k - 1.
    """
    rows = []
    for source, model, n, k, df in _regression_models(package_path):
        for coefficient in model.itertuples():
            if not any(w in coefficient.note for w in NO_EFFECT_WORDING):
                continue
            assessment = no_coefficient_claim(coefficient.beta, coefficient.se, df)
            rows.append(
                _row(
                    source,
                    "no effect from beta/SE",
                    f"Table 3, {coefficient.predictor}",
                    f"β {coefficient.beta}, SE {coefficient.se}, p {coefficient.p_value}; called not significant",
                    None,
                    recomputed=float(assessment.ci95[1] - assessment.ci95[0]),
                    verdict="claim supported" if assessment.verdict == "equivalent" else "claim not supported",
                    reasoning=assessment.reasoning + " recomputed = width of the 95% interval.",
                    kind="claim vs numbers",
                    assumption=f"β standardised (the paper does not say); df = {df}; smallest effect of "
                    f"interest |β| = .10",
                    decision=assessment.verdict == "effect",
                )
            )
    return rows


# ----------------------------------------------------------------------------- means


def grim_checks(package_path: Path = DATAPACKAGE) -> list[dict]:
    """GRIM for every printed mean of a count variable (scale ``count``) in ``engagement_descriptives``."""
    descriptives = load_printed_table("engagement_descriptives", package_path)
    means = descriptives[(descriptives["dimension"] == "mean") & (descriptives["scale"] == "count")]
    rows = []
    for mean in means.itertuples():
        n = _sample_size(package_path, mean.source)
        result = grim(mean.value, n, _decimals(mean.value))
        why = (
            f" {mean.item} is recorded as a count (scale 'count'), so each of the n = {n} values is a whole "
            f"number and the mean must be an integer sum divided by {n}."
        )
        rows.append(
            _row(
                mean.source,
                "GRIM",
                f"{mean.locator}, {mean.item} mean",
                f"{mean.value} (n = {n})",
                result,
                reasoning=result.reasoning + why,
                assumption=f"{mean.item} is a whole number on every row and the mean is over all {n} rows",
                size=_gap(mean.value, result.recomputed),
                relative_to=float(mean.value),
            )
        )
    return rows


def pooled_mean_check(
    group_means: list[str], overall_mean: str, n: int, labels: list[str], sizes: list[int] | None = None
) -> AuditResult:
    """Can group means (sizes unknown) combine into the printed overall mean of ``n`` rows?

    Why it works: if every one of the n rows belongs to exactly one group, the overall mean is
    sum(n_g * m_g) / n for whole numbers n_g >= 1 that add up to n.  Each printed mean stands for
    an interval of half a unit in its last digit, so a split is acceptable if its pooled mean lies
    within the overall mean's half-unit plus the largest group half-unit (the pooled error is a
    weighted average of the group errors).  Every split is tried.  Verdict: ``consistent`` if some
    split reproduces the printed overall mean at its printed precision, ``rounding`` if only the
    rounding of the group means allows it, ``inconsistent`` if no split does.  Limits: assumes the
    groups partition the same n rows (no missing tier, no other data); says nothing about which
    number is wrong.
    """
    means = [Fraction(m) for m in group_means]
    overall = Fraction(overall_mean)
    h_overall = Fraction(1, 2 * 10 ** _decimals(overall_mean))
    h_groups = max(Fraction(1, 2 * 10 ** _decimals(m)) for m in group_means)
    k = len(means)
    if len(labels) != k:
        raise ValueError(f"{len(labels)} labels for {k} group means")
    if sizes is not None:
        if len(sizes) != k or sum(sizes) != n or min(sizes) < 1:
            raise ValueError(f"group sizes {sizes} must be {k} positive numbers adding up to n = {n}")
        splits, tried = [list(sizes)], "The printed group sizes"
    else:
        if n < k:
            raise ValueError(f"n = {n} rows cannot fill {k} non-empty groups")
        splits = (
            [b - a for a, b in zip((0, *cuts), (*cuts, n))] for cuts in itertools.combinations(range(1, n), k - 1)
        )
        tried = f"Tried every split of n = {n} rows into {k} non-empty groups; the closest"
    gap, best, pooled = min(
        ((abs(p - overall), split, p) for split in splits for p in [sum(s * m for s, m in zip(split, means)) / n]),
        key=lambda t: t[0],
    )
    split = ", ".join(f"{label} {size}" for label, size in zip(labels, best))
    if gap <= h_overall:
        verdict = "consistent"
    elif gap <= h_overall + h_groups:
        verdict = "rounding"
    else:
        verdict = "inconsistent"
    reasoning = (
        f"{tried} ({split}) gives a pooled mean of {float(pooled):.4f}, {float(gap):.4f} from the "
        f"printed {overall_mean}; rounding allows at most {float(h_overall + h_groups):.4f}."
    )
    return AuditResult("group means vs overall mean", overall_mean, float(pooled), verdict, reasoning)


def group_mean_checks(package_path: Path = DATAPACKAGE) -> list[dict]:
    """Table 4's tier means of Total Spend against Table 1's overall mean, over all tier sizes."""
    membership = load_printed_table("engagement_membership", package_path)
    descriptives = load_printed_table("engagement_descriptives", package_path)
    rows = []
    for source, groups in membership.groupby("source", sort=False):
        overall = descriptives[
            (descriptives["source"] == source)
            & (descriptives["item"] == GROUP_OUTCOME)
            & (descriptives["dimension"] == "mean")
        ]
        if overall.empty:
            continue
        n = _sample_size(package_path, source)
        printed_sizes = [int(s) for s in groups["n"]] if (groups["n"] != "").all() else None
        mismatch = ""
        if printed_sizes is not None and sum(printed_sizes) != n:
            mismatch = f" The printed group sizes add up to {sum(printed_sizes)}, not the sample size {n}."
            n = sum(printed_sizes)
        result = pooled_mean_check(
            list(groups["mean_spend"]), overall["value"].iloc[0], n, list(groups["membership_type"]), printed_sizes
        )
        assumption = (
            f" Assumption: {groups['locator'].iloc[0]} summarises the same {n} rows as "
            f"{overall['locator'].iloc[0]} and every row has exactly one of the "
            f"{len(groups)} tiers" + ("; the paper prints no group sizes." if printed_sizes is None else ".")
        )
        rows.append(
            _row(
                source,
                "group means vs overall mean",
                f"{groups['locator'].iloc[0]} vs {overall['locator'].iloc[0]}, {GROUP_OUTCOME}",
                f"tiers {' / '.join(groups['mean_spend'])}; overall {overall['value'].iloc[0]}",
                result,
                reasoning=result.reasoning + assumption + mismatch,
                assumption=f"every row has exactly one of the {len(groups)} tiers and Table 4 covers the "
                f"same {n} rows as Table 1",
                size=_gap(overall["value"].iloc[0], result.recomputed),
                relative_to=float(overall["value"].iloc[0]),
            )
        )
    return rows


# ----------------------------------------------------------------------------- correlation matrix


def _correlation_matrix(package_path: Path) -> tuple[str, str, list[str], np.ndarray, int]:
    cells = load_printed_table("engagement_correlations", package_path)
    labels = list(dict.fromkeys(cells["variable_a"]))
    lookup = {(a, b): float(r) for a, b, r in zip(cells["variable_a"], cells["variable_b"], cells["r"])}
    matrix = np.array([[lookup[(a, b)] for b in labels] for a in labels])
    decimals = max(_decimals(r) for a, b, r in zip(cells["variable_a"], cells["variable_b"], cells["r"]) if a != b)
    return cells["source"].iloc[0], cells["locator"].iloc[0], labels, matrix, decimals


def matrix_checks(package_path: Path = DATAPACKAGE) -> list[dict]:
    """Positive semi-definiteness (and symmetry, unit diagonal) of the printed correlation matrix."""
    source, locator, labels, matrix, decimals = _correlation_matrix(package_path)
    result = correlation_matrix_validity(matrix, labels, decimals)
    return [
        _row(
            source,
            "correlation matrix validity",
            f"{locator}, all {len(labels)} variables",
            f"{len(labels)}×{len(labels)} matrix, {decimals} decimals",
            result,
            assumption="complete-case correlations (pairwise deletion can legitimately break the check)",
        )
    ]


def beta_checks(package_path: Path = DATAPACKAGE) -> list[dict]:
    """Standardised betas implied by the correlation matrix against the printed betas.

    Run only where every predictor of the regression appears in the matrix; otherwise the rows are
    ``inconclusive`` and show the betas of the sub-model made of the predictors that do appear.
    """
    source, locator, labels, matrix, decimals = _correlation_matrix(package_path)
    regression = load_printed_table("engagement_regression", package_path)
    regression = regression[regression["source"] == source]
    present = [p for p in regression["predictor"] if p in labels]
    absent = [p for p in regression["predictor"] if p not in labels]
    if not present or REGRESSION_OUTCOME not in labels:
        return []
    index = [labels.index(p) for p in present]
    r_xx = matrix[np.ix_(index, index)]
    r_xy = matrix[index, labels.index(REGRESSION_OUTCOME)]
    printed = regression.set_index("predictor").loc[present, "beta"]
    rows = []
    if not absent:
        for predictor, result in zip(present, beta_plausibility(r_xx, r_xy, list(printed), present, decimals)):
            rows.append(
                _recomputed_row(
                    source,
                    "standardized beta from correlations",
                    f"Table 3 vs {locator}, {predictor}",
                    f"β {printed[predictor]}",
                    result,
                    printed[predictor],
                    assumption="standardised β from a regression on exactly these predictors",
                )
            )
        return rows
    implied = standardized_betas_from_correlations(r_xx, r_xy)
    for predictor, beta in zip(present, implied):
        reasoning = (
            f"R_xx^-1 r_xy over the {len(present)} predictors that {locator} prints "
            f"({', '.join(present)}) gives beta = {beta:.4f} for {predictor}. The regression also "
            f"contains {', '.join(absent)}, whose correlations {locator} does not print; omitted "
            f"predictors change every beta, so the printed {printed[predictor]} can be neither "
            f"confirmed nor refuted. The paper also does not say whether its 'Beta' is standardised."
        )
        rows.append(
            _row(
                source,
                "standardized beta from correlations",
                f"Table 3 vs {locator}, {predictor}",
                f"β {printed[predictor]}",
                None,
                verdict="inconclusive",
                recomputed=float(beta),
                reasoning=reasoning,
                assumption="standardised β; the implied value ignores the predictors Table 2 lacks",
            )
        )
    return rows


# ----------------------------------------------------------------------------- forensic checks


def shared_test_set_checks(package_path: Path = DATAPACKAGE) -> list[dict]:
    """Can the models of one results table share a test set?  One row per table with two or more
    models printing accuracy, precision and recall (:func:`review_evidence.audit.shared_test_set`)."""
    table = load_printed_table("benchmark_results", package_path)
    rows = []
    for (source, locator), group in table.groupby(["source", "locator"], sort=False):
        wide = group.pivot_table(index="item", columns="dimension", values="value", aggfunc="first", sort=False)
        needed = ["accuracy", "precision", "recall"]
        if not set(needed) <= set(wide.columns):
            continue
        wide = wide.dropna(subset=needed)
        wide = wide[(wide[needed] != "").all(axis=1)]
        if len(wide) < 2:
            continue
        result = shared_test_set({model: tuple(values[needed]) for model, values in wide.iterrows()})
        rows.append(
            _row(
                source,
                "shared test set",
                f"{locator}, {', '.join(wide.index)}",
                "; ".join(f"{m} A {v['accuracy']} P {v['precision']} R {v['recall']}" for m, v in wide.iterrows()),
                result,
                assumption="binary classification with precision and recall of the positive class; "
                "a comparison table implies one shared test set",
                size=result.recomputed,
                relative_to=None,
            )
        )
    return rows


def anova_checks(package_path: Path = DATAPACKAGE) -> list[dict]:
    """The one-way ANOVA that the tier means and SDs allow, over every possible split of n, against
    the paper's claim about significance (a ``promised_methods`` row quoting "not statistically significant")."""
    membership = load_printed_table("engagement_membership", package_path)
    promised = load_printed_table("promised_methods", package_path)
    rows = []
    for source, groups in membership.groupby("source", sort=False):
        n = _sample_size(package_path, source)
        claim = promised[(promised["source"] == source) & promised["quote"].str.contains("statistically significant")]
        denied = bool(len(claim)) and "not statistically significant" in claim["quote"].iloc[0]
        result = anova_plausibility(
            list(groups["mean_spend"]),
            list(groups["sd"]),
            n,
            list(groups["membership_type"]),
            claimed_significant=(False if denied else None) if len(claim) else None,
        )
        reported = "not significant (no statistic printed)" if denied else "no claim"
        gap = max(float(m) for m in groups["mean_spend"]) - min(float(m) for m in groups["mean_spend"])
        pooled_sd = float(np.sqrt(np.mean([float(s) ** 2 for s in groups["sd"]])))
        extra = (
            f" Not significant is not 'no difference': the largest gap between tier means ({gap:.2f}) is "
            f"{gap / pooled_sd:.2f} of a within-tier SD, which n = {n} cannot detect."
        )
        rows.append(
            _row(
                source,
                "one-way ANOVA from means and SDs",
                f"{groups['locator'].iloc[0]}, {GROUP_OUTCOME} by tier",
                reported,
                result,
                verdict=result.verdict or "inconclusive",
                reasoning=result.reasoning + extra,
                kind="claim vs numbers",
                assumption=f"the tiers partition the {n} rows (sizes unknown, at least 2 each) and the SDs are sample SDs",
            )
        )
    return rows


def date_checks(package_path: Path = DATAPACKAGE) -> list[dict]:
    """Every statistic against the paper's own date: the latest work in each reference list, and each
    dated statistic of ``statistic_dates``.  The paper's date is its ``year`` in the bibliography."""
    from .bibliography import load_bibliography

    bib = {entry.key: entry for entry in load_bibliography()}
    rows = []
    lists = load_table("reference_lists", package_path)
    for source, items in lists.groupby("citing", sort=False):
        paper_year = bib[source].get("year") or "n.d."
        years = [int(bib[c].get("year")) for c in items["cited"] if (bib[c].get("year") or "").isdigit()]
        if not years:
            continue
        latest = max(years)
        verdict, why = date_is_possible(paper_year, latest)
        if verdict == "inconclusive":
            why += f"; its latest cited work is from {latest}, so it cannot be older than {latest}"
        rows.append(
            _row(
                source,
                "cited work dated after the paper",
                "Reference list",
                f"paper {paper_year}; latest cited work {latest}",
                None,
                verdict=verdict,
                recomputed=float(latest),
                reasoning=why[0].upper() + why[1:] + ".",
                kind="dates",
                assumption="years as printed in the reference list (references.bib); a paper can cite "
                "work of its own year",
            )
        )
    for statistic in load_printed_table("statistic_dates", package_path).itertuples():
        paper_year = bib[statistic.source].get("year") or "n.d."
        verdict, why = date_is_possible(paper_year, int(statistic.statistic_year))
        rows.append(
            _row(
                statistic.source,
                "statistic dated after the paper",
                statistic.locator,
                f"{statistic.statistic} (paper {paper_year})",
                None,
                verdict=verdict,
                recomputed=float(statistic.statistic_year),
                reasoning=why[0].upper() + why[1:] + ".",
                kind="dates",
                assumption="the statistic's year as printed; the paper's date as in references.bib",
                decision=verdict == "impossible",
            )
        )
    return rows


def promised_method_checks(package_path: Path = DATAPACKAGE) -> list[dict]:
    """Each method a paper says it used but whose results it never prints (``promised_methods``)."""
    rows = []
    for promise in load_printed_table("promised_methods", package_path).itertuples():
        rows.append(
            _row(
                promise.source,
                "method promised but not reported",
                promise.locator,
                promise.method,
                None,
                verdict="not reported" if promise.reported == "no" else "inconclusive",
                reasoning=f'Promised: "{promise.quote}" Missing: {promise.missing}.',
                kind="reporting",
                assumption="the whole paper was searched for the results (tables, figures, text)",
            )
        )
    return rows


def severity(row: pd.Series) -> str:
    """The severity rule, one line per level.

    - ``none``: the numbers agree (``consistent``, ``rounding``) or the claim is supported;
    - ``minor``: printed numbers disagree by less than 1% (relative) and no decision changes;
    - ``moderate``: printed numbers disagree by 1% or more, or a claim is not supported because the
      data cannot decide, or a promised method is not reported; no decision changes;
    - ``major``: a value is impossible, or a discrepancy changes a decision (significance, the sign
      of an effect, the order of two models), or the data contradict the claim;
    - ``not rated``: the check is inconclusive.
    """
    verdict = row["verdict"]
    if verdict == "inconclusive":
        return "not rated"
    if verdict in ("consistent", "rounding", "claim supported"):
        return "none"
    if verdict == "impossible" or row["decision"]:
        return "major"
    if verdict == "inconsistent":
        relative = row["size (relative)"]
        return "minor" if relative is not None and pd.notna(relative) and relative < MINOR_RELATIVE_SIZE else "moderate"
    return "moderate"


# ----------------------------------------------------------------------------- the table

CHECKS = (
    f1_checks,
    change_checks,
    regression_p_checks,
    correlation_p_checks,
    grim_checks,
    group_mean_checks,
    matrix_checks,
    beta_checks,
    shared_test_set_checks,
    no_effect_checks,
    anova_checks,
    date_checks,
    promised_method_checks,
)


def build_audit_table(package_path: Path = DATAPACKAGE) -> pd.DataFrame:
    """Every applicable check over the data tables, one row per check, sorted by paper and check.

    Columns: paper (citation label); check; kind (what is compared, see :data:`KINDS`); locator;
    reported (as printed); recomputed (F1, change, p, nearest reachable mean, pooled mean, smallest
    eigenvalue, implied beta, spread of implied prevalences, smallest ANOVA p, interval width or
    year, rounded to 4 decimals); size (absolute) and size (relative) of the discrepancy between
    reported and recomputed, where both are numbers of one kind; verdict (:data:`VERDICT_ORDER`);
    severity (:func:`severity`); assumption (what the check takes for granted); counted (False for
    a repeat of numbers already checked in another table of the same paper, which counts once);
    reasoning.
    """
    package_path = Path(package_path)
    rows = [row for check in CHECKS for row in check(package_path)]
    table = pd.DataFrame(rows, columns=list(CHECK_FIELDS))
    table.insert(0, "paper", table["source"].map(_citation_labels(table["source"])))
    for column in ("recomputed", "size (absolute)"):
        table[column] = table[column].astype(float).round(4)
    table["size (relative)"] = table["size (relative)"].astype(float).map(lambda v: float(f"{v:.3g}"))
    table["severity"] = table.apply(severity, axis=1)
    repeated = table.duplicated(["source", "check", "reported"], keep="first")
    table["counted"] = ~repeated
    table.loc[repeated, "reasoning"] = table.loc[repeated, "reasoning"] + (
        " The same printed numbers appear in an earlier table of this paper; they are counted once."
    )
    table["_check"] = table["check"].map(CHECK_ORDER.index)
    table["_order"] = range(len(table))
    table = table.sort_values(["paper", "_check", "_order"], kind="stable", ignore_index=True)
    return table[COLUMNS]


def verdict_counts(audit: pd.DataFrame) -> pd.DataFrame:
    """How many checks of each paper ended in each verdict (zeros included): the chart's data."""
    audit = audit[audit["counted"]] if "counted" in audit.columns else audit
    counts = pd.crosstab(audit["paper"], pd.Categorical(audit["verdict"], categories=VERDICT_ORDER), dropna=False)
    counts.columns = [str(c) for c in counts.columns]
    counts["checks"] = counts.sum(axis=1)
    return counts.reset_index().rename_axis(None, axis=1)


def severity_counts(audit: pd.DataFrame) -> pd.DataFrame:
    """How many counted discrepancies of each severity each paper has, by kind of check."""
    counted = audit[audit["counted"] & (audit["severity"] != "none")]
    counts = pd.crosstab(
        [counted["paper"], counted["kind"]],
        pd.Categorical(counted["severity"], categories=SEVERITIES[1:]),
        dropna=False,
    )
    counts.columns = [str(c) for c in counts.columns]
    counts = counts[counts.sum(axis=1) > 0]
    return counts.reset_index().rename_axis(None, axis=1)


def verdict_chart(audit: pd.DataFrame) -> alt.LayerChart:
    """Checks by paper and verdict: a symbol per non-empty cell, sized and labelled by its count."""
    counts = verdict_counts(audit).melt(
        id_vars=["paper", "checks"], value_vars=list(VERDICT_ORDER), var_name="verdict", value_name="count"
    )
    counts = counts[counts["count"] > 0]
    audit = audit[audit["counted"]]
    listing = (
        audit.assign(item=audit["check"] + ": " + audit["locator"])
        .groupby(["paper", "verdict"])["item"]
        .agg(lambda s: "; ".join(s))
        .rename("which")
    )
    counts = counts.join(listing, on=["paper", "verdict"])
    scale = alt.Scale(domain=list(VERDICT_ORDER), range=[VERDICT_STYLE[v]["colour"] for v in VERDICT_ORDER])
    shapes = alt.Scale(domain=list(VERDICT_ORDER), range=[VERDICT_STYLE[v]["shape"] for v in VERDICT_ORDER])
    base = alt.Chart(counts, title=chart_title("Verdicts of the statistical audit, by paper")).encode(
        x=alt.X(
            "verdict:N",
            sort=list(VERDICT_ORDER),
            title="Verdict",
            axis=alt.Axis(labelAngle=-40, labelAlign="right", labelLimit=200),
        ),
        y=alt.Y("paper:N", title=None, axis=wrapped_label_axis(audit["paper"].unique(), 12)),
        tooltip=[
            alt.Tooltip("paper:N", title="Paper"),
            alt.Tooltip("verdict:N", title="Verdict"),
            alt.Tooltip("count:Q", title="Checks"),
            alt.Tooltip("which:N", title="Which"),
        ],
    )
    marks = base.mark_point(filled=True, opacity=0.9, stroke="#000000", strokeWidth=0.8).encode(
        color=alt.Color("verdict:N", scale=scale, title="Verdict"),
        shape=alt.Shape("verdict:N", scale=shapes, title="Verdict"),
        size=alt.Size("count:Q", scale=alt.Scale(range=[150, 900]), legend=None),
    )
    labels = base.mark_text(dx=20, fontSize=13, fontWeight="bold").encode(text="count:Q")
    summary = "; ".join(
        f"{row['paper']}: " + ", ".join(f"{row[v]} {v}" for v in VERDICT_ORDER if row[v])
        for _, row in verdict_counts(audit).iterrows()
    )
    return (marks + labels).properties(
        **FIT_TO_CONTAINER,
        height=180,
        description=f"Dot chart of the statistical audit's verdicts by paper (number of checks). {summary}. "
        "The table below the chart lists the same counts.",
    )


__all__ = [
    "CHECK_ORDER",
    "COLUMNS",
    "KINDS",
    "SEVERITIES",
    "VERDICT_ORDER",
    "build_audit_table",
    "f1_model_checks",
    "kpi_change_check",
    "pooled_mean_check",
    "severity",
    "severity_counts",
    "verdict_chart",
    "verdict_counts",
]


# ----------------------------------------------------------------------------- numbers the chapter quotes
