"""The numbers each chapter's text quotes, computed from the data tables for myst-nb's ``glue``.

A chapter glues every value of its function here as ``<chapter>-<key>`` and its prose shows them
with ``{glue:text}``, so that no number in the text is typed (``tests/test_prose_numbers.py``). The
functions read the analyses below them (the audit table, the case studies, the appraisal); nothing
imports this module but the notebooks and the tests.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from pathlib import Path

import pandas as pd

from . import audit_table
from .audit import (
    ALPHA,
    SMALLEST_EFFECT_OF_INTEREST,
    p_from_r,
    p_from_t,
    printed_interval,
    r_interval,
    smallest_detectable_r,
)
from .audit_table import SAMPLE_ITEM, f1_model_checks, kpi_change_check
from .audit_table import _decimals as _printed_decimals  # decimals read from a number's printed text
from .case_studies import (
    _as_printed,
    _require_columns,
    curve_points_table,
    f1_audit_table,
    regression_intervals,
    sample_size,
    with_true_minus,
    without_leading_zero,
)
from .paths import DATAPACKAGE
from .stronger_evidence import ROLES, effect_comparison
from .tables import load_printed_table, load_table

# ============================================================================ from charts


def stated_sample_size(studies: pd.DataFrame, source: str) -> int:
    """The sample size ``data/studies.csv`` states for the study ``source``; an error when it states none."""
    rows = studies[studies["source"] == source]
    if len(rows) != 1:
        raise ValueError(f"data/studies.csv: expected one row with source '{source}', found {len(rows)}")
    size = rows["sample_size"].iloc[0]
    if pd.isna(size):
        raise ValueError(f"data/studies.csv: the row of '{source}' states no value in column 'sample_size'")
    return int(size)


def studies_at_a_glance_prose_numbers(studies: pd.DataFrame) -> dict[str, int]:
    """The numbers the studies chapter's text quotes, keyed ``<what>``, for gluing.

    ``stated-sample-size``: the size of the one study that states a sample size. The text says in
    words that only one study states one, so a table where none or several do is an error.
    """
    stating = studies.dropna(subset=["sample_size"])
    if len(stating) != 1:
        raise ValueError(
            "data/studies.csv: the studies chapter says only one study states a sample size, but column "
            f"'sample_size' holds {len(stating)} values ({', '.join(stating['source']) or 'none'})"
        )
    return {"stated-sample-size": stated_sample_size(studies, stating["source"].iloc[0])}


def method_prose_numbers(ratings: pd.DataFrame, studies: pd.DataFrame) -> dict[str, int]:
    """The numbers the method chapter's text quotes, keyed ``<what>``, for gluing.

    ``engagement-sample-size``, the regression study's stated sample size; for the review's figures
    that print no number (none of their rows ``reported`` or a ``range``, as the chapter's exercise
    finds them), ``unprinted-figure-rows`` and how many of those rows are ``…-estimated`` and ``…-unknown``.
    """
    printed = ratings["evidence"].isin(["reported", "range"]).groupby(ratings["locator"]).sum()
    unprinted = ratings[ratings["locator"].isin(printed[printed == 0].index)]
    levels = unprinted["evidence"].value_counts()
    return {
        "engagement-sample-size": stated_sample_size(studies, "ali-nd-engagement"),
        "unprinted-figure-rows": len(unprinted),
        "unprinted-figure-rows-estimated": int(levels.get("estimated", 0)),
        "unprinted-figure-rows-unknown": int(levels.get("unknown", 0)),
    }


# ============================================================================ from matrices


def techniques_prose_numbers(technique_figures: pd.DataFrame, studies: pd.DataFrame) -> dict[str, int]:
    """The numbers the techniques chapter's text quotes, keyed ``<what>``, for gluing.

    From the rating rows of the review's technique figures: ``figure-cells``, and how many of them are
    ``figure-cells-unknown``; ``engagement-sample-size``, the regression study's sample size as
    ``data/studies.csv`` states it.
    """
    return {
        "figure-cells": len(technique_figures),
        "figure-cells-unknown": int((technique_figures["evidence"] == "unknown").sum()),
        "engagement-sample-size": stated_sample_size(studies, "ali-nd-engagement"),
    }


# ============================================================================ from stronger_evidence

_QUOTED_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")


def stronger_evidence_prose_numbers(table: pd.DataFrame) -> dict[str, float]:
    """The numbers the stronger-evidence chapter's text quotes, keyed ``<source>-<outcome>``, for gluing.

    Per row with a value, ``<source>-<outcome>`` (``holtz2020engagement-podcast-streams-per-user``) and
    ``…-size``, its size without sign (the text says "cut" or "raised" in words); for a derived row, also
    ``…-quoted``, the percent its quote prints (the bound the book derived the value from); and from
    the picture's rows (:func:`effect_comparison`), ``largest-experiment`` and ``largest-claim``, the
    largest percent change measured with a comparison and the largest the reviewed papers claim.
    """
    missing = [c for c in ("source", "outcome", "value", "evidence", "quote") if c not in table.columns]
    if missing:
        raise ValueError(f"stronger_evidence lacks the column(s) {', '.join(missing)}")
    numbers: dict[str, float] = {}
    for index, row in table.reset_index(drop=True).iterrows():
        if pd.isna(row["value"]):
            continue
        key = f"{row['source']}-{_slug(row['outcome'])}"
        if key in numbers:
            raise ValueError(
                f"data/stronger_evidence.csv, row {index + 2}, columns 'source' and 'outcome': "
                f"{row['source']} / {row['outcome']} is already in an earlier row"
            )
        numbers |= {key: float(row["value"]), f"{key}-size": abs(float(row["value"]))}
        if row["evidence"] == "derived":
            quoted = _QUOTED_PERCENT.search(str(row["quote"]))
            if quoted is None:
                raise ValueError(
                    f"data/stronger_evidence.csv, row {index + 2}, column 'quote': a derived value's quote "
                    "prints no percent to derive it from"
                )
            numbers[f"{key}-quoted"] = float(quoted.group(1))
    drawn = effect_comparison(table)
    for role, name in ((ROLES[0], "largest-experiment"), (ROLES[1], "largest-claim")):
        numbers[name] = float(drawn.loc[drawn["role"] == role, "value"].max())
    return numbers


# ============================================================================ from audit_table


def _audit_row(audit: pd.DataFrame, check: str, locator: str | None = None) -> pd.Series:
    """The one audit row of ``check`` (at ``locator``); an error naming both if there is none or several."""
    hits = audit[(audit["check"] == check) & ((audit["locator"] == locator) if locator is not None else True)]
    if len(hits) != 1:
        where = f" at {locator!r}" if locator is not None else ""
        raise ValueError(f"the audit table holds {len(hits)} '{check}' rows{where}; the chapter quotes exactly one")
    return hits.iloc[0]


def _from_reasoning(row: pd.Series, pattern: str) -> str:
    """A value the audit states only in a row's reasoning (the closest tier split, a rounding allowance)."""
    found = re.search(pattern, row["reasoning"])
    if found is None:
        raise ValueError(f"the '{row['check']}' row's reasoning does not match {pattern!r}: {row['reasoning']}")
    return found.group(1)


def statistical_audit_prose_numbers(
    audit: pd.DataFrame, package_path: Path = DATAPACKAGE
) -> dict[str, float | int | str]:
    """The numbers the statistical audit chapter's text quotes, keyed ``<what>``, for gluing.

    ``audit`` is :func:`build_audit_table` of the same ``package_path``: what the audit computes is read
    from its rows, what the papers print from the data tables (as printed, for the rounding intervals).

    - The audit: ``checks``, ``major`` and ``not-reported`` (counted rows); ``minor-threshold``
      (:data:`audit_table.MINOR_RELATIVE_SIZE` in percent) and ``smallest-effect`` (the smallest effect of interest, ".10").
    - The regression study (through :func:`engagement_prose_numbers`):
      ``n``, ``predictors``, ``df`` and ``df-one-more-dummy``; Table 1's ``<variable>-<statistic>``; per
      predictor ``-beta-apa``, ``-se-apa``, ``-p-apa`` (".03") and ``-p-printed-low``/``-high``, the
      interval the printed p stands for (".025"); ``email-t`` (β / SE) and ``email-p-recomputed``
      with its rounding range ``email-p-low``/``-high``; ``detectable-r``, the smallest r found with
      80% power ("0.39").
    - Each correlation the text interprets, ``r-<a>-<b>`` (".16", "−.33") with its two-sided ``-p``
      from the audit row, ``-t``, ``-one-minus-r-squared`` and ``-ci``, the 95% interval
      ("-0.12 to 0.42"); ``correlation-df`` (n − 2), ``correlation-t-critical`` and ``critical-r``,
      the t and |r| significant at .05.
    - GRIM, per mean of a count: ``<variable>-grim-sum`` (mean × n) and the exercise's mean one unit
      higher in its last printed digit, ``<variable>-grim-exercise-mean``, with its ``-sum`` and the
      reachable sums and means either side (``…-sum-below``/``-above``, ``…-mean-below``/``-above``).
    - Table 4 against Table 1: ``closest-split-<tier>``, the tier sizes whose pooled mean comes
      closest, that ``pooled-mean`` and the gap rounding allows, ``pooled-mean-tolerance`` (".01");
      the correlation matrix's ``smallest-eigenvalue`` (".22") and each ``<predictor>-implied-beta``.
    - The benchmark: per model (its first printed row) ``<model>-<metric>``, for precision, recall and
      F1 with ``-printed-low``/``-high``; per model whose F1 is audited ``<model>-f1-recomputed`` with
      ``-low``/``-high`` (what inputs within their rounding give) and ``-low-floor`` (the low end cut to
      one decimal),
      ``<model>-precision-plus-recall``, ``<model>-two-precision-recall`` (2PR), ``<model>-f1-gap``
      (printed − recomputed, "−0.89") and ``<model>-f1-gap-percent`` (of the recomputed F1);
      ``best-baseline`` and ``best-baseline-f1``: the highest F1 of the comparison table (the table
      with the most models) among the models the paper prints in no other table.
    - The case study: per KPI ``<kpi>-before``, ``<kpi>-after`` and ``<kpi>-printed-change`` (its size).
    """
    from scipy import stats  # here, as in audit.py: only the chapters that need it pay for SciPy

    package_path = Path(package_path)
    counted = audit[audit["counted"]]
    numbers: dict[str, float | int | str] = {
        "checks": int(len(counted)),
        "major": int((counted["severity"] == "major").sum()),
        "not-reported": int((counted["verdict"] == "not reported").sum()),
        "minor-threshold": audit_table.MINOR_RELATIVE_SIZE * 100,  # read when called: the severity rule's own value
        "smallest-effect": without_leading_zero(SMALLEST_EFFECT_OF_INTEREST),
    }

    # The regression study.
    descriptives = load_table("engagement_descriptives", package_path)
    regression = load_table("engagement_regression", package_path)
    engagement = engagement_prose_numbers(
        descriptives,
        load_table("engagement_correlations", package_path),
        regression,
        load_table("engagement_membership", package_path),
    )
    n = int(engagement["n"])
    numbers |= {
        "n": n,
        "predictors": int(engagement["predictors"]),
        "df": int(engagement["df"]),
        "df-one-more-dummy": int(engagement["six-predictors-df"]),
        "detectable-r": f"{smallest_detectable_r(n):.2f}",
    }
    numbers |= {key: engagement[key] for key in ("email-t", "email-p-recomputed", "email-p-low", "email-p-high")}
    for row in descriptives[descriptives["item"] != SAMPLE_ITEM[0]].itertuples():
        numbers[f"{_slug(row.item)}-{row.dimension}"] = float(row.value)
    printed_p = load_printed_table("engagement_regression", package_path).set_index("predictor")["p_value"]
    for predictor in regression["predictor"]:
        key = _slug(predictor)
        numbers |= {f"{key}-{what}-apa": engagement[f"{key}-{what}-apa"] for what in ("beta", "se", "p")}
        low, high = printed_interval(printed_p[predictor])
        decimals = _printed_decimals(printed_p[predictor]) + 1
        numbers |= {
            f"{key}-p-printed-low": without_leading_zero(low, decimals),
            f"{key}-p-printed-high": without_leading_zero(high, decimals),
        }

    # The correlations the text interprets, and what significance at .05 takes at this n.
    printed_r = load_printed_table("engagement_correlations", package_path).set_index(["variable_a", "variable_b"])["r"]
    for claim in load_table("correlation_interpretations", package_path).itertuples():
        text = printed_r[(claim.variable_a, claim.variable_b)]
        r = float(text)
        key = f"r-{_slug(claim.variable_a)}-{_slug(claim.variable_b)}"
        pair = key if f"{key}-t" in engagement else f"r-{_slug(claim.variable_b)}-{_slug(claim.variable_a)}"
        row = _audit_row(audit, "p from r", f"{claim.locator}, {claim.variable_a} × {claim.variable_b}")
        low, high = r_interval(text, n)
        numbers |= {
            key: without_leading_zero(r, _printed_decimals(text)),
            f"{key}-p": without_leading_zero(float(row["recomputed"])),
            f"{key}-t": engagement[f"{pair}-t"],
            f"{key}-one-minus-r-squared": without_leading_zero(
                float(1 - Fraction(text) ** 2), 2 * _printed_decimals(text)
            ),
            f"{key}-ci": f"{low:.2f} to {high:.2f}",
        }
    numbers |= {
        "correlation-df": n - 2,
        "correlation-t-critical": float(stats.t.ppf(1 - ALPHA / 2, n - 2)),
        "critical-r": engagement["critical-r"],
    }

    # GRIM, and the exercise that moves the mean by one unit of its last printed digit.
    printed_descriptives = load_printed_table("engagement_descriptives", package_path)
    count_means = printed_descriptives[
        (printed_descriptives["dimension"] == "mean") & (printed_descriptives["scale"] == "count")
    ]
    for mean in count_means.itertuples():
        key = _slug(mean.item)
        exercise = Fraction(mean.value) + Fraction(1, 10 ** _printed_decimals(mean.value))
        below, above = math.floor(exercise * n), math.ceil(exercise * n)
        if below == above:
            raise ValueError(
                f"engagement_descriptives, {mean.item} mean: {float(exercise):g} × {n} is a whole number, so the "
                "chapter's GRIM exercise (a mean one unit higher that GRIM rejects) no longer works; reword it"
            )
        numbers |= {
            f"{key}-grim-sum": float(Fraction(mean.value) * n),
            f"{key}-grim-exercise-mean": float(exercise),
            f"{key}-grim-exercise-sum": float(exercise * n),
            f"{key}-grim-exercise-sum-below": below,
            f"{key}-grim-exercise-sum-above": above,
            f"{key}-grim-exercise-mean-below": below / n,
            f"{key}-grim-exercise-mean-above": above / n,
        }

    # Table 4 against Table 1, and the correlation matrix.
    pooled = _audit_row(audit, "group means vs overall mean")
    for part in _from_reasoning(pooled, r"the closest \(([^)]*)\)").split(", "):
        tier, size = part.rsplit(" ", 1)
        numbers[f"closest-split-{_slug(tier)}"] = int(size)
    numbers |= {
        "pooled-mean": float(pooled["recomputed"]),
        "pooled-mean-tolerance": without_leading_zero(
            float(_from_reasoning(pooled, r"allows at most (\d+(?:\.\d+)?)"))
        ),
        "smallest-eigenvalue": without_leading_zero(
            float(_audit_row(audit, "correlation matrix validity")["recomputed"])
        ),
    }
    for row in audit[audit["check"] == "standardized beta from correlations"].itertuples():
        predictor = row.locator.split(", ", 1)[1]
        numbers[f"{_slug(predictor)}-implied-beta"] = without_leading_zero(float(row.recomputed))

    # The benchmark: each model's printed metrics and, where all three are printed, its F1 check.
    results = load_printed_table("benchmark_results", package_path)
    for row in results.drop_duplicates(["item", "dimension"]).itertuples():
        key = f"{row.item.lower()}-{row.dimension}"
        numbers[key] = float(row.value)
        if row.dimension in ("precision", "recall", "f1"):
            low, high = printed_interval(row.value)
            decimals = _printed_decimals(row.value) + 1
            numbers |= {f"{key}-printed-low": round(low, decimals), f"{key}-printed-high": round(high, decimals)}
    for model, locator in results.drop_duplicates("item")[["item", "locator"]].itertuples(index=False):
        printed = results[(results["item"] == model) & (results["locator"] == locator)].set_index("dimension")["value"]
        if not {"precision", "recall", "f1"} <= set(printed.index):
            continue
        row = _audit_row(audit, "F1 = 2PR/(P+R)", f"{locator}, {model}")
        (check,) = [c for c in f1_model_checks(results) if (c["locator"], c["model"]) == (locator, model)]
        low, high = check["result"].recomputed_range
        precision, recall = Fraction(printed["precision"]), Fraction(printed["recall"])
        key = model.lower()
        numbers |= {
            f"{key}-f1-recomputed": float(row["recomputed"]),
            f"{key}-f1-recomputed-low": low,
            f"{key}-f1-recomputed-high": high,
            f"{key}-f1-recomputed-low-floor": math.floor(low * 10) / 10,
            f"{key}-precision-plus-recall": float(precision + recall),
            f"{key}-two-precision-recall": float(2 * precision * recall),
            f"{key}-f1-gap": with_true_minus(float(printed["f1"]) - float(row["recomputed"])),
            f"{key}-f1-gap-percent": float(row["size (relative)"]) * 100,
        }
    models_per_table = results.groupby("locator", sort=False)["item"].unique()
    comparison = models_per_table.index[models_per_table.map(len).argmax()]
    own_tables = {model for locator, models in models_per_table.items() if locator != comparison for model in models}
    f1 = results[(results["locator"] == comparison) & (results["dimension"] == "f1")].set_index("item")["value"]
    baselines = f1.drop(index=[model for model in f1.index if model in own_tables]).astype(float)
    numbers |= {"best-baseline": str(baselines.idxmax()), "best-baseline-f1": float(baselines.max())}

    # The case study's KPIs.
    for kpi in load_table("segmentation_kpis", package_path).itertuples():
        key = _slug(kpi.metric)
        numbers |= {
            f"{key}-before": float(kpi.before),
            f"{key}-after": float(kpi.after),
            f"{key}-printed-change": abs(float(kpi.reported_change)),
        }
    return numbers


# ============================================================================ from case_studies

_ACTIVE_DAYS = re.compile(r"\((\d+)-day\)")


_USERS_IN_MILLIONS = re.compile(r"(\d+(?:\.\d+)?) million (?:[\w.]+ )?users")


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _case_fact_key(row: pd.Series) -> str:
    """A row's key, ``<company>-<what its unit counts>``: "percent of purchases" at Amazon -> ``amazon-purchases``."""
    what = re.sub(r"\s*\([^)]*\)\s*$", "", str(row["unit"])).removeprefix("percent of ")
    return f"{_slug(row['company'])}-{_slug(what)}"


def industry_cases_prose_numbers(cases: pd.DataFrame) -> dict[str, float | int | str]:
    """The numbers the industry-cases chapter's text quotes, keyed by case and fact, for gluing.

    Per fact with a value, ``<company>-<what its unit counts>`` (``amazon-purchases``,
    ``netflix-hours-streamed``, ``spotify-monthly-content-hours``; facts of one company in the same unit
    get the first year of their period appended, ``starbucks-million-members-2018``) with ``…-period``,
    the period as the table words it. Derived from a fact: for a share given as a lower bound
    ("percent of … (lower bound)"), ``…-rest-at-most``, 100 minus the bound (at least 75% would happen
    anyway, so at most 25% is caused); for a note that counts the study's users ("2.1 million … users"),
    ``…-users-millions``; per company whose facts count members active in the past N days
    ("Active (90-day)"), ``<company>-active-days``.
    """
    _require_columns(cases, ["company", "fact", "value", "unit", "period", "note"], "industry_cases")
    numbered = cases.reset_index(drop=True)
    valued = numbered[numbered["value"].notna()]
    keys = pd.Series([_case_fact_key(row) for _, row in valued.iterrows()], index=valued.index, dtype=object)
    for key in keys[keys.duplicated(keep=False)].unique():
        rows = valued[keys == key]
        years = rows["period"].map(lambda period: (_YEAR.findall(str(period)) or [None])[0])
        if years.isna().any() or years.duplicated().any():
            raise ValueError(
                f"industry_cases, rows {', '.join(str(i + 2) for i in rows.index)}, columns 'company', 'unit' and "
                f"'period': facts of {rows['company'].iloc[0]} in the unit '{rows['unit'].iloc[0]}' need a "
                "different year in their period to be told apart"
            )
        keys[rows.index] = key + "-" + years
    numbers: dict[str, float | int | str] = {}
    for index, row in valued.iterrows():
        key = keys[index]
        numbers[key] = float(row["value"])
        if pd.notna(row["period"]):
            numbers[f"{key}-period"] = str(row["period"])
        if str(row["unit"]).startswith("percent of ") and str(row["unit"]).endswith("(lower bound)"):
            numbers[f"{key}-rest-at-most"] = 100 - float(row["value"])
        users = _USERS_IN_MILLIONS.search(str(row["note"]))
        if users:
            numbers[f"{key}-users-millions"] = float(users.group(1))
    for company, facts in numbered.groupby("company", sort=False):
        days = {int(found.group(1)) for found in facts["fact"].map(_ACTIVE_DAYS.search) if found}
        if len(days) > 1:
            raise ValueError(
                f"industry_cases, column 'fact': the facts of {company} count members active over different "
                f"periods ({', '.join(f'{d}-day' for d in sorted(days))}); the text quotes one"
            )
        if days:
            numbers[f"{_slug(company)}-active-days"] = days.pop()
    return numbers


def _prose_key(name: str) -> str:
    """A short key for a table row: the abbreviation in brackets if it has one ("aov"), else its words."""
    abbreviation = re.search(r"\(([A-Za-z]+)\)", name)
    return (abbreviation.group(1) if abbreviation else name).strip().lower().replace(" ", "-")


def segmentation_prose_numbers(kpis: pd.DataFrame, uplifts: pd.DataFrame) -> dict[str, float | str]:
    """The numbers the segmentation chapter's text quotes, keyed ``<kpi or figure>-<what>``, for gluing.

    Per KPI (``conversion-rate``, ``aov``, ``cltv``, ``romi``): ``before``, ``after``, ``printed-change``
    (the paper's text, "+57.7%"), ``recomputed-change`` (the percent change or multiplier recomputed
    from before and after, as ``kpi_change_table`` shows it), ``absolute-change`` (after - before) and
    ``printed-low``/``printed-high``, the interval the printed change stands for after rounding,
    ``printed-size`` (the printed change without sign) and, for a rate, ``points-read-as-percent`` (the
    after value a reader would compute by taking the change in points for a relative change). Per
    engagement figure (``average-session-duration``, ``unsubscribe-rate``, …): its size, without sign,
    since the text says "increase" or "reduction" in words.
    """
    numbers: dict[str, float | str] = {}
    for row in kpis.itertuples():
        key = _prose_key(row.metric)
        _, audit = kpi_change_check(row)  # its recomputed point does not depend on the decimals read
        low, high = printed_interval(row.reported_change_text)
        numbers |= {
            f"{key}-before": float(row.before),
            f"{key}-after": float(row.after),
            f"{key}-printed-change": str(row.reported_change_text),
            f"{key}-printed-size": abs(float(row.reported_change)),
            f"{key}-recomputed-change": float(audit.recomputed),
            f"{key}-absolute-change": float(row.after - row.before),
            f"{key}-printed-low": low,
            f"{key}-printed-high": high,
        }
        if row.unit == "percent":  # the after value a reader gets by misreading the points as a relative change
            numbers[f"{key}-points-read-as-percent"] = float(row.before) * (1 + (row.after - row.before) / 100)
    for row in uplifts.itertuples():
        numbers[_prose_key(row.item)] = abs(float(row.value))
    return numbers


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def engagement_prose_numbers(
    descriptives: pd.DataFrame, correlations: pd.DataFrame, regression: pd.DataFrame, membership: pd.DataFrame
) -> dict[str, float | int | str]:
    """The numbers the engagement chapter's text quotes, keyed ``<what>``, for gluing.

    ``n``; ``<variable>-<statistic>`` from Table 1 (``total-spend-mean``); ``r-<a>-<b>`` for each
    correlation (once per pair, in the table's order; "−0.33", with a true minus) with ``…-apa``, the
    value as the paper prints it (".72", "−.07"), ``…-t`` and ``…-p``, its t and two-sided p at this n
    (on ``correlation-df`` = n − 2 df), and ``critical-r``, the smallest |r| significant at .05; per predictor ``<predictor>-beta``/``-se``/``-p``
    (with ``-apa`` forms) and the derived 95% interval ``-low``/``-high`` ("−0.341"); the model's ``predictors``, ``df`` and ``t-critical``,
    and the same for ``six-predictors`` (Membership Type as two indicators); for e-mail engagement,
    ``email-t`` (β / SE) and the p recomputed from it, ``email-p-recomputed`` with its rounding range
    ``email-p-low``/``-high``; per tier ``<tier>-mean``/``-sd`` from Table 4.
    """
    n = sample_size(descriptives)
    numbers: dict[str, float | int | str] = {"n": n}
    table_1 = descriptives[descriptives["item"] != "Sample"]
    for row in table_1.itertuples():
        numbers[f"{_slug(row.item)}-{row.dimension}"] = float(row.value)
    seen = set()
    for row in correlations.itertuples():
        pair = frozenset((row.variable_a, row.variable_b))
        if row.variable_a == row.variable_b or pair in seen:
            continue
        seen.add(pair)
        key = f"r-{_slug(row.variable_a)}-{_slug(row.variable_b)}"
        numbers |= {
            key: with_true_minus(float(row.r)),
            f"{key}-apa": without_leading_zero(float(row.r)),
            f"{key}-p": without_leading_zero(p_from_r(_as_printed(row.r), n).recomputed),
            f"{key}-t": float(row.r) * math.sqrt((n - 2) / (1 - float(row.r) ** 2)),
        }
    intervals = regression_intervals(regression, n=n)
    for (_, row), (_, interval) in zip(regression.iterrows(), intervals.iterrows()):
        key = _slug(row["predictor"])
        for column in ("beta", "se", "p_value"):
            name = f"{key}-{column.removesuffix('_value')}"
            numbers |= {name: float(row[column]), f"{name}-apa": without_leading_zero(float(row[column]))}
        numbers |= {
            f"{key}-low": with_true_minus(float(interval["95% low"]), 3),
            f"{key}-high": with_true_minus(float(interval["95% high"]), 3),
        }
    from scipy import stats  # here, as in regression_intervals: only the chapters that need it pay for SciPy

    t_05 = float(stats.t.ppf(0.975, n - 2))
    numbers |= {"correlation-df": n - 2, "critical-r": without_leading_zero(t_05 / math.sqrt(t_05**2 + n - 2))}
    six = regression_intervals(regression, n=n, predictors=len(regression) + 1)
    numbers |= {
        "predictors": len(regression),
        "df": int(intervals["df"].iloc[0]),
        "t-critical": float(intervals["t critical"].iloc[0]),
        "six-predictors-df": int(six["df"].iloc[0]),
        "six-predictors-t-critical": float(six["t critical"].iloc[0]),
    }
    email = regression[regression["predictor"] == "Email Engagement Rate"].iloc[0]
    check = p_from_t(_as_printed(email["beta"]), _as_printed(email["se"]), numbers["df"], _as_printed(email["p_value"]))
    numbers |= {
        "email-t": float(email["beta"] / email["se"]),
        "email-p-recomputed": without_leading_zero(check.recomputed, 3),
        "email-p-low": without_leading_zero(check.recomputed_range[0], 3),
        "email-p-high": without_leading_zero(check.recomputed_range[1], 3),
    }
    for row in membership.itertuples():
        tier = _slug(row.membership_type)
        numbers |= {f"{tier}-mean": float(row.mean_spend), f"{tier}-sd": float(row.sd)}
    return numbers


_RELATED_ACCURACY = re.compile(r"accuracy:\s*(\d+(?:\.\d+)?)%|(\d+(?:\.\d+)?)%\s*accuracy", re.IGNORECASE)


def benchmark_prose_numbers(
    printed_results: pd.DataFrame, related: pd.DataFrame, curves: pd.DataFrame
) -> dict[str, float | int]:
    """The numbers the benchmark chapter's text quotes, keyed ``<what>``, for gluing.

    ``printed_results`` is ``load_printed_table("benchmark_results")``.

    ``<model>-<metric>`` (``gan-accuracy``, ``knn-f1``, …: a model's first printed row, so the GAN's
    from Table 2), and from the F1 audit of Table 3 ``<model>-f1-recomputed`` (2PR/(P+R), to 2
    decimals as the audit table shows it) with ``-low``/``-high``, the F1s that precision and recall
    within their rounding allow, ``<model>-precision-plus-recall`` and
    ``<model>-f1-printed-low``/``-high`` (the interval the printed F1 stands for); from Table 1
    ``related-<first author>-accuracy`` and ``related-accuracy-lowest``/``-highest`` (the first
    accuracy each study's results state); from the training curves ``<series>-epoch-<n>`` and
    ``epochs``, the last stated epoch.
    """
    numbers: dict[str, float | int] = {}
    for row in printed_results.drop_duplicates(["item", "dimension"]).itertuples():
        numbers[f"{row.item.lower()}-{row.dimension}"] = float(row.value)
    audit = f1_audit_table(printed_results).set_index("model")
    for check in f1_model_checks(printed_results[printed_results["locator"] == "Table 3"]):
        model = check["model"].lower()
        low, high = printed_interval(check["f1"])
        recomputed_low, recomputed_high = check["result"].recomputed_range
        numbers |= {
            f"{model}-f1-recomputed": float(audit.loc[check["model"], "F1 recomputed (derived)"]),
            f"{model}-f1-recomputed-low": recomputed_low,
            f"{model}-f1-recomputed-high": recomputed_high,
            f"{model}-precision-plus-recall": float(check["precision"]) + float(check["recall"]),
            f"{model}-f1-printed-low": low,
            f"{model}-f1-printed-high": high,
        }
    accuracies = {}
    for row in related.itertuples():
        found = _RELATED_ACCURACY.search(row.results)
        if found:
            accuracies[row.study.split()[0].strip(",").lower()] = float(found.group(1) or found.group(2))
    numbers |= {f"related-{author}-accuracy": value for author, value in accuracies.items()}
    numbers |= {
        "related-accuracy-lowest": min(accuracies.values()),
        "related-accuracy-highest": max(accuracies.values()),
    }
    points = curve_points_table(curves)
    for row in points.itertuples():
        numbers[f"{row.series.replace(' ', '-')}-epoch-{row.epoch}"] = row.value
    numbers["epochs"] = int(points["epoch"].max())
    return numbers


# ============================================================================ from appraisal


def evidence_map_prose_numbers(descriptives: pd.DataFrame) -> dict[str, int]:
    """The numbers the evidence map's text quotes, keyed ``<what>``, for gluing.

    ``engagement-n``: the regression study's sample size, from ``engagement_descriptives``.
    """
    return {"engagement-n": sample_size(descriptives)}


def study_appraisal_prose_numbers(
    descriptives: pd.DataFrame, correlations: pd.DataFrame, regression: pd.DataFrame, membership: pd.DataFrame
) -> dict[str, int | str]:
    """The numbers the appraisal's text quotes about the engagement study, keyed ``<what>``, for gluing.

    ``engagement-n`` and ``r-total-spend-email-engagement-rate-apa`` (".16"), exactly as the
    engagement chapter computes and prints them (``engagement_prose_numbers``).
    """
    numbers = engagement_prose_numbers(descriptives, correlations, regression, membership)
    return {
        "engagement-n": numbers["n"],
        "r-total-spend-email-engagement-rate-apa": numbers["r-total-spend-email-engagement-rate-apa"],
    }
