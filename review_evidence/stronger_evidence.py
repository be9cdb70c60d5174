"""Stronger evidence: field experiments on recommendation and personalization next to the reviewed claims.

The table ``stronger_evidence`` holds one row per (source, outcome): the effects that randomized field
experiments, a natural experiment and a review of field tests measured, and, for comparison, the
reviewed papers' own effect claims.  This module checks that every row can be traced (a source in the
bibliography, a locator, a verbatim quote, a trust tier and how the source was verified) and draws the
one picture of the chapter: every effect printed as a percent change, by design, with intervals
where the source prints them.
"""

from __future__ import annotations

from pathlib import Path

import altair as alt
import pandas as pd

from .bibliography import bibliography_keys, citation_label
from .paths import BIBLIOGRAPHY
from .theme import FIT_TO_CONTAINER, PALETTE, chart_title, label_lines, wrapped_label_axis

#: Designs from strongest to weakest for a causal claim (the schema's enum, in that order).
TRUST_TIERS = [
    "randomized field experiment",
    "natural experiment",
    "review of field tests",
    "before-and-after without control",
    "association in synthesized data",
]
ROLES = ["stronger evidence", "reviewed paper's claim"]
#: Fields every row must fill for its fact to be traceable.
EVIDENCE_FIELDS = ["source", "locator", "quote", "trust_tier", "verification", "interval"]
_SHAPES = ["circle", "square", "diamond", "triangle-up", "cross"]


def evidence_problems(
    table: pd.DataFrame, bibliography: Path = BIBLIOGRAPHY, file: str = "data/stronger_evidence.csv"
) -> list[str]:
    """Every way a row fails to be traceable, as 'file, row N, column C: problem' (empty when none).

    A row needs a source key that is in the bibliography and every field of :data:`EVIDENCE_FIELDS`;
    a ``reported`` or ``derived`` row needs a value, a ``derived`` row the rule in its note, and an
    ``unknown`` row no value (a number the source does not print is never filled in).
    """
    keys = bibliography_keys(bibliography)
    problems = []
    for index, row in table.reset_index(drop=True).iterrows():
        where = f"{file}, row {index + 2}"
        if row["source"] not in keys:
            problems.append(f"{where}, column 'source': '{row['source']}' is not a key in {Path(bibliography).name}")
        for column in EVIDENCE_FIELDS:
            if not isinstance(row[column], str) or not row[column].strip():
                problems.append(f"{where}, column '{column}': empty")
        if row["trust_tier"] not in TRUST_TIERS:
            problems.append(f"{where}, column 'trust_tier': '{row['trust_tier']}' is not one of {TRUST_TIERS}")
        has_value = pd.notna(row["value"])
        if row["evidence"] in ("reported", "derived") and not has_value:
            problems.append(f"{where}, column 'value': evidence '{row['evidence']}' needs a number")
        if row["evidence"] == "unknown" and has_value:
            problems.append(f"{where}, column 'value': evidence 'unknown' must leave the value empty")
        if row["evidence"] == "derived" and "derived" not in str(row.get("note", "")).lower():
            problems.append(f"{where}, column 'note': a derived value needs its rule in the note")
        if pd.notna(row["value_low"]) != pd.notna(row["value_high"]):
            problems.append(f"{where}, columns 'value_low'/'value_high': an interval needs both ends")
    return problems


def effect_comparison(table: pd.DataFrame) -> pd.DataFrame:
    """The rows the picture draws: every effect stated as a percent change (other units stay in the table),
    ordered by role, then design, then size; with the citation label and the interval, if any."""
    drawn = table[table["value"].notna() & (table["unit"] == "percent change")].copy()
    drawn["paper"] = drawn["source"].map({k: citation_label(k) for k in drawn["source"].unique()})
    drawn["effect"] = drawn["study"] + ": " + drawn["outcome"]
    drawn["_role"] = drawn["role"].map(ROLES.index)
    drawn["_tier"] = drawn["trust_tier"].map(TRUST_TIERS.index)
    drawn = drawn.sort_values(["_role", "_tier", "value"], ascending=[True, True, False], kind="stable")
    columns = [
        "effect",
        "paper",
        "role",
        "trust_tier",
        "value",
        "unit",
        "value_low",
        "value_high",
        "interval",
        "evidence",
        "locator",
        "quote",
    ]
    return drawn[columns].reset_index(drop=True)


def effect_chart(table: pd.DataFrame) -> alt.LayerChart:
    """One dot per effect (percent change), coloured by role and shaped by design, with a zero line,
    and interval bars where the source prints an interval (effects in other units stay in the table)."""
    data = effect_comparison(table)
    order = list(data["effect"])
    designs = [d for d in TRUST_TIERS if d in set(data["trust_tier"])]  # the legend lists only designs drawn
    base = alt.Chart(data).encode(
        y=alt.Y("effect:N", sort=order, title=None, axis=wrapped_label_axis(order, 24)),
        tooltip=[
            alt.Tooltip("effect:N", title="Effect"),
            alt.Tooltip("value:Q", title="Percent change"),
            alt.Tooltip("trust_tier:N", title="Design"),
            alt.Tooltip("interval:N", title="Interval"),
            alt.Tooltip("evidence:N", title="Evidence"),
            alt.Tooltip("paper:N", title="Source"),
            alt.Tooltip("quote:N", title="Quote"),
        ],
    )
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color="#555555", strokeDash=[4, 3]).encode(x="x:Q")
    intervals = (
        base.transform_filter("isValid(datum.value_low)")
        .mark_rule(strokeWidth=2)
        .encode(x="value_low:Q", x2="value_high:Q")
    )
    dots = base.mark_point(size=140, strokeWidth=1, filled=True, stroke="#000000").encode(
        x=alt.X("value:Q", title=["Effect, percent change", "(no interval in the texts", "this book read)"]),
        color=alt.Color(
            "role:N",
            scale=alt.Scale(domain=ROLES, range=[PALETTE[0], PALETTE[1]]),
            title="Row",
            legend=alt.Legend(labelExpr=wrapped_label_axis(ROLES, 20).labelExpr),
        ),
        shape=alt.Shape(
            "trust_tier:N",
            scale=alt.Scale(domain=designs, range=[_SHAPES[TRUST_TIERS.index(d)] for d in designs]),
            title="Design",
            legend=alt.Legend(labelExpr=wrapped_label_axis(designs, 20).labelExpr),
        ),
    )
    summary = "; ".join(
        f"{r.effect} {r.value:+g}% ({r.trust_tier}{', derived' if r.evidence == 'derived' else ''})"
        for r in data.itertuples()
    )
    # each row tall enough for its wrapped label; the width is the column's (a phone gets a narrower
    # chart with the same text size)
    return (zero + intervals + dots).properties(
        **FIT_TO_CONTAINER,
        height=alt.Step(16 * label_lines(order, 24) + 8),
        title=chart_title("Measured effects of personalization next to the reviewed papers' claims"),
        description=f"Dot chart of percent changes, stronger evidence first. {summary}. "
        "The table below the chart lists the same values with their quotes.",
    )


__all__ = [
    "EVIDENCE_FIELDS",
    "ROLES",
    "TRUST_TIERS",
    "effect_chart",
    "effect_comparison",
    "evidence_problems",
]
