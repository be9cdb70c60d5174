"""Tables and charts for the four case-study chapters.

The chapters retell four cases from the book's data tables: the companies a review names as
personalization successes (``industry_cases``), a segmentation case study's before/after KPIs
(``segmentation_*``), a regression study of engagement on synthesized data (``engagement_*``) and
a GAN benchmark (``benchmark_*``, ``training_curves``). Each chart comes in two forms drawn from
the same table: ``*_chart`` (Altair, interactive, for the HTML book) and ``*_figure``
(matplotlib, static, for print and for readers without JavaScript). Every number the book computes
itself (a recomputed change, an F1, a confidence interval) is marked ``derived`` and drawn dashed
or hatched, never like a number the paper printed.
"""

from __future__ import annotations

import math
import re

import altair as alt
import numpy as np
import pandas as pd

from .audit_table import F1_METRICS, f1_model_checks, kpi_change_check
from .bibliography import citation_label
from .charts import rating_tooltip
from .theme import (
    EVIDENCE_STYLE,
    FIT_TO_CONTAINER,
    OKABE_ITO,
    PALETTE,
    chart_title,
    evidence_encoding,
    evidence_label,
    evidence_note,
    label_lines,
    wrapped_label_axis,
)


def _require_columns(table: pd.DataFrame, columns: list[str], what: str) -> None:
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"{what} must be a pandas DataFrame, got {type(table).__name__}")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(
            f"{what} lacks the column(s) {', '.join(missing)}; it has {', '.join(map(str, table.columns))}"
        )
    if table.empty:
        raise ValueError(f"{what} has no rows")


def _require_printed(table: pd.DataFrame, columns: list[str], what: str) -> None:
    """The audits read a number's decimals from its printed text, so they take the table as printed."""
    numeric = [c for c in columns if not all(isinstance(v, str) for v in table[c])]
    if numeric:
        raise TypeError(
            f"{what}: column(s) {', '.join(numeric)} must hold the printed text, as load_printed_table({what!r}) "
            "returns it; a number read as a float has lost its trailing zeros (51.00 would read as 51 ± 0.5)"
        )


def _as_printed(value) -> float | int:
    """A table value in a form from which ``audit`` reads no more decimals than the paper printed.

    The CSV keeps the printed text ("92", "78.10"), but a float loses it: 92.0 would read as one
    decimal (92 ± 0.05) although "92" stands for 92 ± 0.5. Whole numbers become ints, so the audit's
    rounding intervals are never narrower than the printed ones: it can miss an inconsistency hidden
    by a dropped trailing zero ("78.10" read as 78.1), never invent one.
    """
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"cannot audit a missing or infinite value ({value!r})")
    return int(number) if number.is_integer() else number


def _described(chart, kind: str, values: list[str], notes: list[str] = ()):
    """Give a chart the text a screen reader announces for it (Vega's aria-label): the chart's kind,
    every value it draws, since a listener cannot hover for tooltips, and ``notes`` on how it draws
    them. The same text is the alt text of the chart's static image (``theme.static_image_metadata``)."""
    told = "".join(f" {note}" for note in notes if note)
    return chart.properties(
        description=f"{kind}: {'; '.join(values)}.{told} The table below the chart lists the same data."
    )


# ============================================================================ industry cases

#: Trust tiers from most to least independent of the company whose success is claimed.
TRUST_TIERS = [
    "independent peer-reviewed study",
    "peer-reviewed study on company data",
    "regulatory filing or earnings release",
    "company statement",
    "consultancy claim",
    "unsourced",
    "cited source does not support it",
]
#: Short names for an axis; the legend and tables use the full names.
_TIER_AXIS = {
    "independent peer-reviewed study": "independent study",
    "peer-reviewed study on company data": "peer-reviewed, company data",
    "regulatory filing or earnings release": "filing or earnings release",
    "company statement": "company statement",
    "consultancy claim": "consultancy claim",
    "unsourced": "unsourced",
    "cited source does not support it": "citation not supporting",
}
_TIER_SHAPES_ALT = ["circle", "square", "triangle-up", "diamond", "triangle-down", "cross", "triangle-left"]
_TIER_MARKERS_MPL = ["o", "s", "^", "D", "v", "X", "<"]
COMPANIES = ["Netflix", "Amazon", "Starbucks", "Spotify"]
#: A note that says the quoted wording was checked against someone else's quotation of the source.
_SECONDARY = re.compile(r"verbatim quotation|press reports? quoting|third-party verbatim", re.IGNORECASE)


def _fact_label(row: pd.Series) -> str:
    if pd.notna(row["value"]):
        return f"year {row['value']:g}" if row["unit"] == "year" else f"{row['value']:g} {row['unit']}"
    if row["source"] == row["named_by"]:
        return "claim in the reviewed paper (no number)"
    return f"no number: {citation_label(row['source'])}"


def quote_check(cases: pd.DataFrame) -> pd.Series:
    """How each quote of ``industry_cases`` was checked, read from its source and note.

    Quotes of a reviewed paper are tested against its text; quotes of outside sources were copied
    from the source as found, or, where the note says so, from someone else's verbatim quotation.
    """
    _require_columns(cases, ["source", "named_by", "note"], "industry_cases")

    def check(row) -> str:
        if row["source"] == row["named_by"]:
            return "verbatim in the reviewed paper (tested)"
        if isinstance(row["note"], str) and _SECONDARY.search(row["note"]):
            return "via a secondary quotation (see note)"
        return "from the source as found (not machine-checked)"

    return cases.apply(check, axis=1)


def trust_tier_table(cases: pd.DataFrame) -> pd.DataFrame:
    """One row per published fact: company, what it says, its trust tier, citation and how checked."""
    _require_columns(
        cases,
        ["company", "fact", "value", "unit", "period", "trust_tier", "source", "locator", "quote", "named_by", "note"],
        "industry_cases",
    )
    unknown_tiers = sorted(set(cases["trust_tier"]) - set(TRUST_TIERS))
    if unknown_tiers:
        raise ValueError(f"unknown trust tier(s) {unknown_tiers}; expected one of {TRUST_TIERS}")
    unknown_companies = sorted(set(cases["company"]) - set(COMPANIES))
    if unknown_companies:
        raise ValueError(f"unknown company(ies) {unknown_companies}; expected one of {COMPANIES}")
    shown = pd.DataFrame(
        {
            "company": cases["company"],
            "fact": cases["fact"],
            "value": cases.apply(_fact_label, axis=1),
            "period": cases["period"].fillna("not stated"),
            "trust tier": cases["trust_tier"],
            "source": cases["source"].map(citation_label),
            "locator": cases["locator"],
            "quote checked": quote_check(cases),
        }
    )
    order = shown["company"].map(COMPANIES.index) * 100 + shown["trust tier"].map(TRUST_TIERS.index)
    shown = shown.assign(_order=order).sort_values("_order", kind="stable")
    return shown.drop(columns="_order").reset_index(drop=True)


def secondary_quotations(cases: pd.DataFrame) -> pd.DataFrame:
    """The facts whose wording was checked only through someone else's quotation, with the note."""
    checked = quote_check(cases)
    rows = cases[checked == "via a secondary quotation (see note)"]
    return pd.DataFrame(
        {
            "company": rows["company"],
            "fact": rows["fact"],
            "source": rows["source"].map(citation_label),
            "note": rows["note"],
        }
    ).reset_index(drop=True)


def trust_tier_chart(cases: pd.DataFrame) -> alt.FacetChart:
    """Each published fact placed by its trust tier, one panel per company (colour and shape = tier)."""
    table = trust_tier_table(cases)
    data = table.assign(
        tier_axis=table["trust tier"].map(_TIER_AXIS),
        citation=table["source"] + ", " + table["locator"],
    )
    tier_axis = [_TIER_AXIS[t] for t in TRUST_TIERS]
    points = (
        alt.Chart(data)
        .mark_point(size=160, filled=True, stroke="#000000", strokeWidth=0.8)
        .encode(
            x=alt.X(
                "tier_axis:N",
                sort=tier_axis,
                scale=alt.Scale(domain=tier_axis),
                title="Trust tier (most independent first)",
                axis=alt.Axis(labelAngle=-90, labelAlign="right", labelBaseline="middle"),
            ),
            y=alt.Y("value:N", title=None, sort=None, axis=wrapped_label_axis(data["value"].unique(), 22)),
            color=alt.Color(
                "trust tier:N",
                scale=alt.Scale(domain=TRUST_TIERS, range=PALETTE[: len(TRUST_TIERS)]),
                title="Trust tier",
                legend=alt.Legend(labelExpr=wrapped_label_axis(TRUST_TIERS, 22).labelExpr),
            ),
            shape=alt.Shape(
                "trust tier:N",
                scale=alt.Scale(domain=TRUST_TIERS, range=_TIER_SHAPES_ALT),
                title="Trust tier",
                legend=alt.Legend(labelExpr=wrapped_label_axis(TRUST_TIERS, 22).labelExpr),
            ),
            tooltip=[
                alt.Tooltip("company:N", title="Company"),
                alt.Tooltip("fact:N", title="Fact"),
                alt.Tooltip("value:N", title="Value"),
                alt.Tooltip("period:N", title="Period"),
                alt.Tooltip("trust tier:N", title="Trust tier"),
                alt.Tooltip("citation:N", title="Source"),
                alt.Tooltip("quote checked:N", title="Quote checked"),
            ],
        )
        .properties(width=110, height=alt.Step(16 * label_lines(data["value"].unique(), 22) + 6))
    )
    faceted = points.facet(
        row=alt.Row(
            "company:N",
            sort=COMPANIES,
            title=None,
            header=alt.Header(
                labelAngle=0, labelOrient="top", labelAnchor="start", labelFontWeight="bold", labelFontSize=13
            ),
        ),
        title=chart_title("What is published about the companies the review names, by trust tier"),
    ).resolve_scale(y="independent")
    return _described(
        faceted,
        "Dot chart of published facts by company and trust tier",
        [f"{r['company']}, {r['value']}, {r['trust tier']}" for _, r in table.iterrows()],
    )


# ============================================================================ segmentation case


def _decimals(values) -> int:
    """The most decimals any of the values needs (43.2 and 51 -> 1; trailing zeros are lost in a float)."""
    most = 0
    for v in values:
        text = repr(float(v)).rstrip("0").rstrip(".")
        most = max(most, len(text.split(".")[1]) if "." in text else 0)
    return most


def _shown(value: float, unit: str, decimals: int) -> str:
    if unit == "USD":
        return f"${value:,.{decimals}f}"
    if unit == "percent":
        return f"{value:.{decimals}f}%"
    if unit == "ratio":
        return f"{value:.{decimals}f}x"
    return f"{value:.{decimals}f}"


def _money_decimals(unit: str, values) -> int:
    """Dollar amounts with cents are printed with two decimals ($43.20), others as the paper does."""
    decimals = _decimals(values)
    return 2 if unit == "USD" and decimals else decimals


def kpi_change_table(printed_kpis: pd.DataFrame) -> pd.DataFrame:
    """Each KPI's printed change next to the change recomputed from its printed before/after values.

    ``printed_kpis`` is ``load_printed_table("segmentation_kpis")``. The recomputation and verdict
    are the audit table's (``audit_table.kpi_change_check``): the verdict says whether the printed
    change can be the printed values' change after rounding. ``absolute change`` is after - before in
    the KPI's own unit (for a rate, percentage points, which is not the same quantity as a relative
    change). Values are shown as the dumbbell chart shows them.
    """
    _require_columns(
        printed_kpis,
        ["metric", "before", "after", "unit", "reported_change_text", "reported_change_unit", "source", "locator"],
        "segmentation_kpis",
    )
    _require_printed(printed_kpis, ["before", "after"], "segmentation_kpis")
    rows = []
    for row in printed_kpis.itertuples():
        check, audit = kpi_change_check(row)
        recomputed = f"{audit.recomputed:.2f}×" if check == "multiplier change" else f"{audit.recomputed:+.2f}%"
        before, after = float(row.before), float(row.after)
        decimals = _money_decimals(row.unit, [before, after])  # as the dumbbell chart shows them
        difference = after - before
        if row.unit == "percent":
            absolute = f"{difference:+.{decimals}f} percentage points"
        elif row.unit == "USD":
            absolute = f"{'+' if difference >= 0 else '-'}${abs(difference):,.{decimals}f}"
        else:
            absolute = f"{difference:+.{decimals}f}"
        rows.append(
            {
                "metric": row.metric,
                "before": _shown(before, row.unit, decimals),
                "after": _shown(after, row.unit, decimals),
                "printed change": row.reported_change_text,
                "recomputed change (derived)": recomputed,
                "absolute change (derived)": absolute,
                "verdict": audit.verdict,
                "reasoning": audit.reasoning,
                "source": f"{citation_label(row.source)}, {row.locator}",
            }
        )
    return pd.DataFrame(rows)


def _kpi_long(kpis: pd.DataFrame) -> pd.DataFrame:
    _require_columns(
        kpis, ["metric", "before", "after", "unit", "reported_change_text", "source", "locator"], "segmentation_kpis"
    )
    if (kpis[["before", "after"]] < 0).any().any():
        raise ValueError("segmentation_kpis: before and after must be non-negative to draw from zero")
    rows = []
    for row in kpis.itertuples():
        decimals = _money_decimals(row.unit, [row.before, row.after])
        for stage in ("before", "after"):
            value = getattr(row, stage)
            rows.append(
                {
                    "metric": row.metric,
                    "stage": stage,
                    "value": float(value),
                    "shown": _shown(value, row.unit, decimals),
                    "unit": row.unit,
                    "printed change": row.reported_change_text,
                    "evidence": evidence_label("reported"),
                    "citation": f"{citation_label(row.source)}, {row.locator}",
                }
            )
    return pd.DataFrame(rows)


def dumbbell_chart(kpis: pd.DataFrame, *, title: str) -> alt.FacetChart:
    """Before -> after for each KPI, one small panel per KPI on its own axis starting at zero."""
    long = _kpi_long(kpis)
    wide = long.pivot(index="metric", columns="stage", values="value").reset_index()
    long = long.merge(wide, on="metric")
    order = list(dict.fromkeys(kpis["metric"]))
    base = alt.Chart(long).encode(
        y=alt.Y("metric:N", title=None, axis=None),
        tooltip=[
            alt.Tooltip("metric:N", title="KPI"),
            alt.Tooltip("stage:N", title="When"),
            alt.Tooltip("shown:N", title="Value"),
            alt.Tooltip("printed change:N", title="Printed change"),
            alt.Tooltip("evidence:N", title="Evidence"),
            alt.Tooltip("citation:N", title="Source"),
        ],
    )
    line = base.mark_rule(strokeWidth=3, color=PALETTE[0]).encode(
        x=alt.X("before:Q", title=None, scale=alt.Scale(zero=True, nice=True)), x2="after:Q"
    )
    dots = base.mark_point(size=170, strokeWidth=2, color=PALETTE[0]).encode(
        x="value:Q",
        shape=alt.Shape("stage:N", sort=["before", "after"], scale=alt.Scale(range=["circle", "circle"]), legend=None),
        fill=alt.Fill(
            "stage:N", sort=["before", "after"], scale=alt.Scale(range=["#ffffff", PALETTE[0]]), title="Stage"
        ),
    )
    labels = base.mark_text(dy=-15, fontSize=12).encode(x="value:Q", text="shown:N")
    faceted = (
        alt.layer(line, dots, labels)
        .properties(width=260, height=46)
        .facet(
            row=alt.Row(
                "metric:N",
                sort=order,
                title=None,
                header=alt.Header(labelAngle=0, labelOrient="top", labelAnchor="start", labelFontWeight="bold"),
            ),
            title=chart_title(title),
        )
        .resolve_scale(x="independent")
    )
    shown = long.set_index(["metric", "stage"])["shown"]
    return _described(
        faceted,
        f"Dumbbell chart, {title}",
        [f"{m} from {shown[(m, 'before')]} to {shown[(m, 'after')]}" for m in order],
        ["Each KPI on its own axis starting at zero; hollow dot before, filled dot after."],
    )


# ============================================================================ bars (uplifts, tiers)


def _bar_frame(data: pd.DataFrame, category: str, value: str, error: str | None, colour: str | None) -> pd.DataFrame:
    needed = [category, value] + [c for c in (error, colour) if c]
    _require_columns(data, needed, "bar data")
    if data[value].isna().any():
        missing = list(data.loc[data[value].isna(), category])
        raise ValueError(f"no value to draw for {missing}; leave unknown rows out and say so in the text")
    evidence = data["evidence"] if "evidence" in data.columns else pd.Series("reported", index=data.index)
    return data.assign(
        evidence=evidence, evidence_label=evidence.map(evidence_label), _colour=data[colour] if colour else ""
    )


def bar_chart(
    data: pd.DataFrame,
    *,
    category: str,
    value: str,
    title: str,
    value_title: str,
    error: str | None = None,
    colour: str | None = None,
    note: str | None = None,
) -> alt.LayerChart:
    """Horizontal bars of ``value`` by ``category`` (optionally ± ``error``, coloured by ``colour``).

    Rows with an ``evidence`` column other than reported are drawn lighter and dashed; ``note``
    (a column) goes into the tooltip.
    """
    frame = _bar_frame(data, category, value, error, colour)
    frame = frame.assign(shown=frame[value].map(lambda v: f"{v:g}"))
    if error:
        frame = frame.assign(
            low=frame[value] - frame[error],
            high=frame[value] + frame[error],
            shown=frame[value].map(lambda v: f"{v:g}") + " ± " + frame[error].map(lambda v: f"{v:g}"),
        )
    order = list(dict.fromkeys(frame[category]))
    tooltip = [
        alt.Tooltip(f"{category}:N", title=category.replace("_", " ")),
        alt.Tooltip("shown:N", title="Value"),
        alt.Tooltip("evidence_label:N", title="Evidence"),
    ]
    if colour:
        tooltip.insert(1, alt.Tooltip(f"{colour}:N", title=colour.replace("_", " ")))
    if "source" in frame.columns:
        tooltip.append(alt.Tooltip("source:N", title="Source"))
    if note:
        tooltip.append(alt.Tooltip(f"{note}:N", title="Note"))
    base = alt.Chart(frame, title=chart_title(title)).encode(
        y=alt.Y(f"{category}:N", sort=order, title=None), tooltip=tooltip
    )
    bars = base.mark_bar(stroke="#000000", strokeWidth=1, height=20).encode(
        x=alt.X(f"{value}:Q", title=value_title),
        color=(
            alt.Color(f"{colour}:N", scale=alt.Scale(range=PALETTE), title=colour.replace("_", " "))
            if colour
            else alt.value(PALETTE[0])
        ),
        **evidence_encoding(frame["evidence"], title="Evidence"),
    )
    layers = [bars, base.mark_rule(color="#000000").encode(x=alt.datum(0))]
    if error:
        layers.append(
            base.mark_errorbar(ticks=True, color="#000000", thickness=1.5).encode(
                x=alt.X("low:Q", title=value_title), x2="high:Q"
            )
        )
    else:
        layers.append(
            base.transform_filter(f"datum['{value}'] >= 0")
            .mark_text(align="left", dx=4)
            .encode(x=alt.X(f"{value}:Q"), text="shown:N")
        )
        layers.append(
            base.transform_filter(f"datum['{value}'] < 0")
            .mark_text(align="right", dx=-4)
            .encode(x=alt.X(f"{value}:Q"), text="shown:N")
        )
    if colour:  # a listener hears the groups the colours tell apart
        values = [
            f"{group}: " + ", ".join(f"{r[category]} {r['shown']}" for _, r in rows.iterrows())
            for group, rows in frame.groupby(colour, sort=False)
        ]
    else:
        values = [f"{r[category]} {r['shown']}" for _, r in frame.iterrows()]
    notes = [evidence_note(frame["evidence"], "bars")]
    if error:
        lows, highs = frame["low"], frame["high"]
        notes.append(
            "The whiskers of all the bars overlap." if lows.max() <= highs.min() else "Not all the whiskers overlap."
        )
    return _described(
        alt.layer(*layers).properties(**FIT_TO_CONTAINER),
        f"Horizontal bar chart{' with whiskers' if error else ''}, {title}",
        values,
        notes,
    )


def uplift_bars(uplifts: pd.DataFrame) -> pd.DataFrame:
    """The case study's engagement figures in the form ``bar_chart`` draws, with what each one is."""
    _require_columns(
        uplifts, ["item", "dimension", "value", "evidence", "source", "locator", "note"], "segmentation_uplifts"
    )
    kind = uplifts["dimension"].map({"change": "change (%)", "share of segment": "share of the segment (%)"})
    if kind.isna().any():
        raise ValueError(f"unexpected dimension(s) {sorted(set(uplifts['dimension'][kind.isna()]))}")
    return pd.DataFrame(
        {
            "outcome": uplifts["item"],
            "figure": kind,
            "percent": uplifts["value"],
            "evidence": uplifts["evidence"],
            "source": uplifts["source"].map(citation_label) + ", " + uplifts["locator"],
            "note": uplifts["note"],
        }
    ).reset_index(drop=True)


def membership_bars(membership: pd.DataFrame) -> pd.DataFrame:
    """Table 4 in the form ``bar_chart`` draws: tier, mean spend, SD and the (unknown) group size."""
    _require_columns(
        membership,
        ["membership_type", "mean_spend", "sd", "n", "evidence", "source", "locator"],
        "engagement_membership",
    )
    return pd.DataFrame(
        {
            "membership": membership["membership_type"],
            "mean_spend": membership["mean_spend"].astype(float),
            "SD": membership["sd"].astype(float),
            "group n": membership["n"].astype("string").fillna("not printed"),
            "evidence": membership["evidence"],
            "source": membership["source"].map(citation_label) + ", " + membership["locator"],
        }
    ).reset_index(drop=True)


# ============================================================================ engagement study


def sample_size(descriptives: pd.DataFrame) -> int:
    """The study's n, from the ``Sample``/``n`` row of ``engagement_descriptives``."""
    _require_columns(descriptives, ["item", "dimension", "value"], "engagement_descriptives")
    rows = descriptives[(descriptives["item"] == "Sample") & (descriptives["dimension"] == "n")]
    if len(rows) != 1 or pd.isna(rows["value"].iloc[0]):
        raise ValueError("engagement_descriptives must hold exactly one 'Sample' / 'n' row with a value")
    n = float(rows["value"].iloc[0])
    if n != int(n) or n < 1:
        raise ValueError(f"sample size must be a positive whole number, got {n:g}")
    return int(n)


def descriptives_table(descriptives: pd.DataFrame) -> pd.DataFrame:
    """Table 1 as printed: one row per variable, columns mean, SD, min, max and the scale used."""
    _require_columns(descriptives, ["item", "dimension", "value", "scale"], "engagement_descriptives")
    rows = descriptives[descriptives["item"] != "Sample"]
    order = list(dict.fromkeys(rows["item"]))
    wide = rows.pivot(index="item", columns="dimension", values="value").reindex(order)
    missing = [c for c in ("mean", "sd", "min", "max") if c not in wide.columns]
    if missing:
        raise ValueError(f"engagement_descriptives lacks the statistic(s) {missing}")
    wide = wide[["mean", "sd", "min", "max"]].rename(columns={"sd": "SD"})
    wide.insert(0, "scale", rows.drop_duplicates("item").set_index("item")["scale"].reindex(order))
    return wide.rename_axis("variable").rename_axis(None, axis=1).reset_index()


def correlation_matrix(correlations: pd.DataFrame) -> pd.DataFrame:
    """The long ``engagement_correlations`` table as the square matrix the paper prints (Table 2)."""
    _require_columns(correlations, ["variable_a", "variable_b", "r"], "engagement_correlations")
    order = list(dict.fromkeys(correlations["variable_a"]))
    if set(correlations["variable_b"]) != set(order):
        raise ValueError("engagement_correlations: row and column variables differ")
    if correlations.duplicated(["variable_a", "variable_b"]).any():
        raise ValueError("engagement_correlations: a pair of variables appears twice")
    matrix = correlations.pivot(index="variable_a", columns="variable_b", values="r").reindex(
        index=order, columns=order
    )
    if matrix.isna().any().any():
        gaps = [(a, b) for a in order for b in order if pd.isna(matrix.loc[a, b])]
        raise ValueError(f"engagement_correlations: missing cells {gaps[:5]}")
    return matrix.rename_axis(None).rename_axis(None, axis=1)


_DIVERGING = [OKABE_ITO["vermillion"], "#ffffff", OKABE_ITO["blue"]]


def correlation_heatmap_chart(correlations: pd.DataFrame, *, title: str) -> alt.LayerChart:
    """The correlation matrix as coloured cells (vermillion negative, blue positive), each labelled with r."""
    matrix = correlation_matrix(correlations)
    order = list(matrix.index)
    long = matrix.stack().rename("r").reset_index().rename(columns={"level_0": "row", "level_1": "column"})
    first = correlations.iloc[0]
    citation = f"{citation_label(first['source'])}, {first['locator']}" if "source" in correlations.columns else ""
    long = long.assign(
        shown=long["r"].map(lambda r: f"{r:.2f}"),
        dark=long["r"].abs() >= 0.6,
        # in the cell without the leading zero, as APA style prints r (".72"), so that
        # seven columns of it fit a phone's width at 12 px
        cell_text=long["r"].map(lambda r: f"{r:.2f}".replace("0.", ".", 1)),
        evidence=evidence_label("reported"),
        citation=citation,
    )
    base = alt.Chart(long, title=chart_title(title)).encode(
        x=alt.X(
            "column:N",
            sort=order,
            title=None,
            axis=wrapped_label_axis(order, 12, labelAngle=-90, labelAlign="right", labelBaseline="middle"),
        ),
        y=alt.Y("row:N", sort=order, title=None, axis=wrapped_label_axis(order, 12)),
        tooltip=[
            alt.Tooltip("row:N", title="Variable"),
            alt.Tooltip("column:N", title="With"),
            alt.Tooltip("shown:N", title="r"),
            alt.Tooltip("evidence:N", title="Evidence"),
            alt.Tooltip("citation:N", title="Source"),
        ],
    )
    cells = base.mark_rect(stroke="#ffffff").encode(
        color=alt.Color(
            "r:Q", title="Pearson r", scale=alt.Scale(domain=[-1, 0, 1], range=_DIVERGING, interpolate="rgb")
        )
    )
    text = base.mark_text(fontSize=12).encode(
        text="cell_text:N", color=alt.condition(alt.datum.dark, alt.value("#ffffff"), alt.value("#000000"))
    )
    pairs = long[long["row"].map(order.index) < long["column"].map(order.index)]
    return _described(
        (cells + text).properties(**FIT_TO_CONTAINER, height=420),
        f"Heatmap of Pearson correlations, {len(order)} by {len(order)} variables, blue for positive and "
        f"vermillion for negative (the stronger, the darker), each cell labelled with r, {title}",
        [f"{r['row']} with {r['column']} r = {r['shown']}" for _, r in pairs.iterrows()],
    )


def correlation_intervals(correlations: pd.DataFrame, *, n: int, level: float = 0.95) -> pd.DataFrame:
    """Confidence intervals (Fisher's z) for every off-diagonal correlation of a printed matrix, once per pair.

    The intervals are this book's (evidence ``derived``): r printed by the paper, n from its sample
    size, tanh(atanh(r) ± z × 1/sqrt(n − 3)).  A pair is kept once (variable_a before variable_b in
    the matrix's order).  ``smallest detectable |r|`` is the correlation a two-sided test at .05 finds
    with 80% power at this n.
    """
    from .audit import r_interval, smallest_detectable_r

    _require_columns(correlations, ["variable_a", "variable_b", "r"], "engagement_correlations")
    order = list(dict.fromkeys(correlations["variable_a"]))
    pairs = correlations[
        correlations["variable_a"].map(order.index)
        < correlations["variable_b"].map(lambda v: order.index(v) if v in order else -1)
    ]
    bounds = [r_interval(float(r), n, level) for r in pairs["r"]]
    percent = f"{level * 100:g}%"
    table = pd.DataFrame(
        {
            "variable_a": pairs["variable_a"].to_numpy(),
            "variable_b": pairs["variable_b"].to_numpy(),
            "r (printed)": pairs["r"].astype(float).to_numpy(),
            f"{percent} low": [round(low, 3) for low, _ in bounds],
            f"{percent} high": [round(high, 3) for _, high in bounds],
            "excludes zero": [low > 0 or high < 0 for low, high in bounds],
            "interval evidence": "derived",
        }
    )
    table["rule"] = (
        f"Fisher z: tanh(atanh(r) ± z / sqrt({n} − 3)); smallest detectable |r| at n = {n}: {smallest_detectable_r(n):.3f}"
    )
    return table.sort_values("r (printed)", key=abs, ascending=False, kind="stable").reset_index(drop=True)


def regression_intervals(
    regression: pd.DataFrame, *, n: int, predictors: int | None = None, level: float = 0.95
) -> pd.DataFrame:
    """Confidence intervals for printed coefficients: beta ± t_{(1+level)/2, df} × SE, df = n − k − 1.

    ``predictors`` (k) defaults to the number of rows, i.e. one model term per printed coefficient.
    The intervals are this book's (evidence ``derived``); they are only as right as df, which the
    paper does not print, and they assume the usual OLS t-based interval.
    """
    _require_columns(regression, ["predictor", "beta", "se", "p_value"], "engagement_regression")
    k = len(regression) if predictors is None else predictors
    if isinstance(n, bool) or int(n) != n or isinstance(k, bool) or int(k) != k:
        raise ValueError(f"n and the number of predictors must be whole numbers, got n={n!r}, k={k!r}")
    if k < 1:
        raise ValueError(f"the model needs at least one predictor, got k={k}")
    df = int(n) - int(k) - 1
    if df < 1:
        raise ValueError(f"df = n - k - 1 = {n} - {k} - 1 = {df}: too few observations for {k} predictors")
    if not 0 < level < 1:
        raise ValueError(f"level must lie strictly between 0 and 1, got {level}")
    beta = regression["beta"].astype(float)
    se = regression["se"].astype(float)
    bad = regression.loc[~(np.isfinite(se) & (se > 0)) | ~np.isfinite(beta), "predictor"]
    if len(bad):
        raise ValueError(f"every coefficient needs a finite beta and a positive SE; check {list(bad)}")
    from scipy import stats  # here, not at the top: only the chapters that draw intervals pay for SciPy

    t_critical = float(stats.t.ppf((1 + level) / 2, df))
    half = t_critical * se
    percent = f"{level * 100:g}%"
    return pd.DataFrame(
        {
            "predictor": regression["predictor"],
            "beta": beta,
            "SE": se,
            "p (printed)": regression["p_value"].astype(float),
            "df": df,
            "t critical": round(t_critical, 4),
            f"{percent} low": (beta - half).round(3),
            f"{percent} high": (beta + half).round(3),
            "excludes zero": ((beta - half) > 0) | ((beta + half) < 0),
            "interval evidence": "derived",
            "rule": f"beta ± t({(1 + level) / 2:g}, df = {n} − {k} − 1 = {df}) × SE = beta ± {t_critical:.4f} × SE",
            "source": (
                regression["source"].map(citation_label) + ", " + regression["locator"]
                if {"source", "locator"} <= set(regression.columns)
                else "not given"
            ),
        }
    ).reset_index(drop=True)


def without_leading_zero(value: float, decimals: int = 2) -> str:
    """A statistic as APA style prints one bounded by 1: no leading zero, a true minus (-0.07 -> "−.07")."""
    text = f"{abs(value):.{decimals}f}"
    text = text[1:] if text.startswith("0.") else text
    return ("−" if value < 0 and float(text) != 0 else "") + text


def with_true_minus(value: float, decimals: int = 2) -> str:
    """A signed value as the book's text prints it, with a true minus sign (-0.33 -> "−0.33")."""
    text = f"{abs(value):.{decimals}f}"
    return ("−" if value < 0 and float(text) != 0 else "") + text


def forest_chart(intervals: pd.DataFrame, *, title: str) -> alt.LayerChart:
    """Printed coefficients (solid dots) with the book's derived intervals (dashed lines) and a zero line."""
    low, high = _interval_columns(intervals)
    order = list(intervals["predictor"])
    df = int(intervals["df"].iloc[0])
    data = intervals.rename(columns={low: "low", high: "high", "p (printed)": "p"}).assign(
        interval_label=f"{low.split()[0]} interval, derived by this book (df = {df})",
        beta_label="coefficient as printed (reported)",
        citation=intervals["source"] if "source" in intervals.columns else "",
        shown_interval=lambda d: d["low"].map(lambda v: f"{v:.3f}") + " to " + d["high"].map(lambda v: f"{v:.3f}"),
    )
    base = alt.Chart(data, title=chart_title(title)).encode(
        y=alt.Y("predictor:N", sort=order, title=None),
        tooltip=[
            alt.Tooltip("predictor:N", title="Predictor"),
            alt.Tooltip("beta:Q", title="β (printed)"),
            alt.Tooltip("SE:Q", title="SE (printed)"),
            alt.Tooltip("p:Q", title="p (printed)"),
            alt.Tooltip("shown_interval:N", title="Interval (derived by this book)"),
            alt.Tooltip("rule:N", title="Rule"),
            alt.Tooltip("citation:N", title="Source"),
        ],
    )
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="#000000").encode(x="x:Q")
    lines = base.mark_rule(strokeWidth=2.5, color=PALETTE[0]).encode(
        x=alt.X("low:Q", title="Coefficient (β as printed; units not stated)"),
        x2="high:Q",
        strokeDash=alt.StrokeDash(
            "interval_label:N", title=None, scale=alt.Scale(range=[EVIDENCE_STYLE["derived"]["dash"]])
        ),
    )
    dots = base.mark_point(size=120, filled=True, color=PALETTE[0], stroke="#000000").encode(
        x="beta:Q", shape=alt.Shape("beta_label:N", title=None, scale=alt.Scale(range=["circle"]))
    )
    return _described(
        alt.layer(zero, lines, dots).properties(**FIT_TO_CONTAINER, height=36 * len(order)),
        f"Forest plot, {title}",
        [
            f"{r['predictor']} beta {r['beta']:g} (reported), interval {r['shown_interval']} (derived), "
            + ("excludes zero" if r["low"] > 0 or r["high"] < 0 else "includes zero")
            for _, r in data.iterrows()
        ],
        [
            "Dots are the coefficients as printed; dashed lines the intervals this book derived; "
            "a vertical line marks zero."
        ],
    )


def _interval_columns(intervals: pd.DataFrame) -> tuple[str, str]:
    _require_columns(intervals, ["predictor", "beta", "df"], "intervals")
    low = [c for c in intervals.columns if c.endswith(" low")]
    high = [c for c in intervals.columns if c.endswith(" high")]
    if len(low) != 1 or len(high) != 1:
        raise ValueError("intervals must come from regression_intervals (one '... low' and one '... high' column)")
    return low[0], high[0]


# ============================================================================ model benchmark


def grouped_bar_chart(table: pd.DataFrame, *, title: str, domain_max: float | None = None) -> alt.LayerChart:
    """Grouped bars for a rating table (item = bar group, dimension = colour, in printed order).

    Like ``charts.rating_bar_chart`` but with the dimensions coloured in the order the paper prints
    them, so the bars match ``grouped_bar_figure`` colour for colour; derived bars are lighter and dashed.
    """
    _require_columns(table, ["item", "dimension", "value", "scale", "evidence", "source", "locator"], "rating table")
    if table["value"].isna().any():
        raise ValueError(f"no value to draw for {list(table.loc[table['value'].isna(), 'item'])}")
    items = list(dict.fromkeys(table["item"]))
    dimensions = list(dict.fromkeys(table["dimension"]))
    data = table.assign(
        shown=table["value"].map(lambda v: f"{v:g}"),
        evidence_label=table["evidence"].map(evidence_label),
        citation=table["source"].map(citation_label) + ", " + table["locator"],
        note=table["note"].fillna("") if "note" in table.columns else "",
    )
    x_scale = alt.Scale(domain=[0, domain_max]) if domain_max else alt.Undefined
    base = alt.Chart(data, title=chart_title(title)).encode(
        y=alt.Y("item:N", sort=items, title=None),
        yOffset=alt.YOffset("dimension:N", sort=dimensions),
        tooltip=rating_tooltip(alt.Tooltip("note:N", title="Rule")),
    )
    bars = base.mark_bar(stroke="#000000", strokeWidth=1.2).encode(
        x=alt.X("value:Q", title=f"Value ({data['scale'].iloc[0]})", scale=x_scale),
        color=alt.Color(
            "dimension:N",
            sort=dimensions,
            title="Dimension",
            scale=alt.Scale(domain=dimensions, range=PALETTE[: len(dimensions)]),
        ),
        **evidence_encoding(table["evidence"], title="Evidence", min_opacity=0.35),
    )
    text = base.mark_text(align="left", dx=3, fontSize=12).encode(x="value:Q", text="shown:N")
    return _described(
        (bars + text).properties(**FIT_TO_CONTAINER),
        f"Grouped bar chart ({data['scale'].iloc[0]}), {title}",
        [f"{r['item']} {r['dimension']} {r['shown']} ({r['evidence']})" for _, r in data.iterrows()],
        [evidence_note(table["evidence"], "bars")],
    )


def f1_audit_table(printed_results: pd.DataFrame, *, locator: str = "Table 3") -> pd.DataFrame:
    """Each model's printed F1 next to 2PR/(P+R) recomputed from its printed precision and recall.

    ``printed_results`` is ``load_printed_table("benchmark_results")``; the verdicts and reasoning are
    the audit table's (``audit_table.f1_model_checks``).
    """
    _require_columns(printed_results, ["item", "dimension", "value", "source", "locator"], "benchmark_results")
    _require_printed(printed_results, ["value"], "benchmark_results")
    rows = printed_results[printed_results["locator"] == locator]
    if rows.empty:
        raise ValueError(f"benchmark_results has no rows at {locator!r}")
    missing = [metric for metric in F1_METRICS if metric not in set(rows["dimension"])]
    if missing:
        raise ValueError(f"benchmark_results at {locator} lacks {missing}")
    checks = {check["model"]: check for check in f1_model_checks(rows)}
    unprinted = [model for model in dict.fromkeys(rows["item"]) if model not in checks]
    if unprinted:
        raise ValueError(
            f"benchmark_results at {locator}: {', '.join(unprinted)} must print precision, recall and F1 "
            "to recompute F1"
        )
    out = []
    for model in dict.fromkeys(rows["item"]):
        check = checks[model]
        recomputed = check["result"].recomputed
        out.append(
            {
                "model": model,
                "precision": float(check["precision"]),
                "recall": float(check["recall"]),
                "F1 printed": float(check["f1"]),
                "F1 recomputed (derived)": round(recomputed, 2),
                "difference": round(float(check["f1"]) - recomputed, 2),
                "verdict": check["verdict"],
                "reasoning": check["reasoning"],
            }
        )
    return pd.DataFrame(out)


def f1_comparison(results: pd.DataFrame, *, locator: str = "Table 3") -> pd.DataFrame:
    """A rating table (for ``charts.rating_bar_chart``): printed F1 (reported) and recomputed F1 (derived)."""
    audit = f1_audit_table(results, locator=locator)
    source = results["source"].iloc[0]
    rows = []
    for _, row in audit.iterrows():
        p, r = row["precision"], row["recall"]
        rows.append(
            {
                "item": row["model"],
                "dimension": "F1 as printed",
                "value": row["F1 printed"],
                "evidence": "reported",
                "note": "",
            }
        )
        rows.append(
            {
                "item": row["model"],
                "dimension": "F1 recomputed as 2PR/(P+R)",
                "value": row["F1 recomputed (derived)"],
                "evidence": "derived",
                "note": f"2 × {p:g} × {r:g} / ({p:g} + {r:g}), rounded to 2 decimals",
            }
        )
    table = pd.DataFrame(rows)
    return table.assign(value_low=np.nan, value_high=np.nan, scale="percent", source=source, locator=locator)[
        ["item", "dimension", "value", "value_low", "value_high", "scale", "evidence", "source", "locator", "note"]
    ]


_EPOCH = re.compile(r"^epoch (\d+)$")


def curve_points_table(curves: pd.DataFrame) -> pd.DataFrame:
    """The few training-curve values the text states: series, epoch, metric and '≈' value."""
    _require_columns(curves, ["item", "dimension", "value", "scale", "locator", "quote"], "training_curves")
    epochs = curves["dimension"].map(lambda d: _EPOCH.match(d))
    if epochs.isna().any():
        wrong = sorted(set(curves["dimension"][epochs.isna()]))
        raise ValueError(f"training_curves: dimension must read 'epoch N', got {wrong}")
    metric = curves["item"].str.split().str[-1]
    if not set(metric) <= {"accuracy", "loss"}:
        raise ValueError(f"training_curves: items must end in 'accuracy' or 'loss', got {sorted(set(curves['item']))}")
    return pd.DataFrame(
        {
            "series": curves["item"],
            "metric": metric,
            "epoch": epochs.map(lambda m: int(m.group(1))),
            "value": curves["value"].astype(float),
            "shown": curves["value"].map(lambda v: f"≈{v:g}"),
            "where": (
                curves["source"].map(citation_label) + ", " + curves["locator"]
                if "source" in curves.columns
                else curves["locator"]
            ),
            "evidence": curves["evidence"] if "evidence" in curves.columns else "reported",
            "stated as": curves["quote"],
        }
    ).reset_index(drop=True)


_SERIES_STYLE = {"training": (PALETTE[0], "circle", "o"), "validation": (PALETTE[1], "square", "s")}


def _label_offsets(points: pd.DataFrame) -> pd.Series:
    """Vertical label offsets in points: the higher of two close values is labelled above, the lower below."""
    higher = points.groupby(["metric", "epoch"])["value"].rank(method="first", ascending=False)
    crowded = points.groupby(["metric", "epoch"])["value"].transform("count") > 1
    return pd.Series(np.where(crowded, np.where(higher == 1, -8, 8), 0), index=points.index)


def curve_points_chart(curves: pd.DataFrame, *, title: str) -> alt.VConcatChart:
    """Only the stated points, as markers with '≈' labels; no line joins them (the curves are unknown)."""
    points = curve_points_table(curves)
    points = points.assign(split=points["series"].str.split().str[0], offset=_label_offsets(points))
    charts = []
    for metric in ("accuracy", "loss"):
        subset = points[points["metric"] == metric]
        if subset.empty:
            continue
        base = alt.Chart(subset, title=chart_title(f"{metric} (approximate values from the text)")).encode(
            x=alt.X(
                "epoch:Q", scale=alt.Scale(domain=[0, 23]), axis=alt.Axis(values=[1, 5, 10, 15, 20]), title="Epoch"
            ),
            y=alt.Y("value:Q", scale=alt.Scale(domain=[0, 1]), title=metric),
            tooltip=[
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("epoch:Q", title="Epoch (book's filing)"),
                alt.Tooltip("shown:N", title="Value (approximate)"),
                alt.Tooltip("evidence:N", title="Evidence"),
                alt.Tooltip("where:N", title="Source"),
                alt.Tooltip("stated as:N", title="Text"),
            ],
        )
        marks = base.mark_point(size=140, filled=True, stroke="#000000").encode(
            color=alt.Color(
                "split:N",
                title="Series",
                scale=alt.Scale(domain=list(_SERIES_STYLE), range=[style[0] for style in _SERIES_STYLE.values()]),
            ),
            shape=alt.Shape(
                "split:N",
                title="Series",
                scale=alt.Scale(domain=list(_SERIES_STYLE), range=[style[1] for style in _SERIES_STYLE.values()]),
            ),
        )
        labels = [
            base.transform_filter(alt.datum.offset == dy).mark_text(dx=10, dy=dy, align="left").encode(text="shown:N")
            for dy in sorted(set(subset["offset"]))
        ]
        charts.append(alt.layer(marks, *labels).properties(width=260, height=220))
    return _described(
        alt.vconcat(*charts, title=chart_title(title)),
        f"Points only, no lines, {title}",
        [f"{r['series']} at epoch {r['epoch']} {r['shown']}" for _, r in points.iterrows()],
    )


__all__ = [
    "COMPANIES",
    "TRUST_TIERS",
    "bar_chart",
    "correlation_heatmap_chart",
    "correlation_matrix",
    "curve_points_chart",
    "curve_points_table",
    "descriptives_table",
    "dumbbell_chart",
    "f1_audit_table",
    "f1_comparison",
    "forest_chart",
    "grouped_bar_chart",
    "correlation_intervals",
    "kpi_change_table",
    "membership_bars",
    "quote_check",
    "regression_intervals",
    "sample_size",
    "secondary_quotations",
    "trust_tier_chart",
    "trust_tier_table",
    "uplift_bars",
]
