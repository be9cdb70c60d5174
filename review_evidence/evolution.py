"""Charts and tables for the evolution of personalization (Table 1 and Figures 2-3 of the review).

The review by Syamsir et al. dates four eras of personalization in words ("early 20th century",
"1980s-1990s", "21st century", "modern era") and describes how sophisticated each was without
printing a number. The book turns the words into years and ranks only by stated rules
(``evolution_eras.dating_note``, ``review_ratings.note``), so every chart here draws those estimates
differently from anything the paper printed, and every chart has a table twin.

Radar charts are drawn with matplotlib only: Vega-Lite (and so Altair) has no polar coordinate
system, so a radar would have to be faked from trigonometry without a usable radial axis.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .bibliography import citation_label
from .theme import (
    EVIDENCE_ORDER,
    EVIDENCE_STYLE,
    FIT_TO_CONTAINER,
    PALETTE,
    chart_title,
    evidence_encoding,
    evidence_label,
    new_figure,
    wrap_lines,
    wrapped_label_axis,
)

#: Drawing limits of the timelines. They are not dates: an era with no stated end runs to the
#: right edge, where an arrow marks it as open.
TIMELINE_START = 1890
TIMELINE_END = 2030


# --- Table 1 and its dating -------------------------------------------------------------------


def table_1(eras: pd.DataFrame) -> pd.DataFrame:
    """Table 1 of the review as printed: era, techniques and impact on marketing."""
    shown = eras.sort_values("era_order")[["era", "techniques", "impact_on_marketing"]]
    return shown.rename(columns={"impact_on_marketing": "impact on marketing"}).reset_index(drop=True)


def _years(start, end) -> str:
    if pd.isna(start):
        return "not dated"
    if pd.isna(end):
        return f"{int(start)}– (no end stated)"
    return f"{int(start)}–{int(end)}"


def timeline_data(eras: pd.DataFrame) -> pd.DataFrame:
    """The years each era is drawn with, how sure they are, and the rule that produced them."""
    eras = eras.sort_values("era_order")
    return pd.DataFrame(
        {
            "era": eras["era"],
            "years drawn": [_years(s, e) for s, e in zip(eras["start_year"], eras["end_year"])],
            "dating evidence": eras["dating_evidence"],
            "rule": eras["dating_note"],
        }
    ).reset_index(drop=True)


def _drawn_levels(levels) -> list[str]:
    """The evidence levels a timeline draws: an era the paper leaves undated ("unknown") has no bar."""
    return [level for level in levels if level != "unknown"]


def _span_frame(frame: pd.DataFrame, evidence_column: str) -> pd.DataFrame:
    """Float years (Altair cannot serialise pandas' missing integers) and the drawn bar ends."""
    start = frame["start_year"].astype("float64")
    end = frame["end_year"].astype("float64")
    return frame.assign(
        start=start,
        end=end.where(end.notna() | start.isna(), TIMELINE_END),
        dated=start.notna(),
        open_end=start.notna() & end.isna(),
        years=[_years(s, e) for s, e in zip(start, end)],
        evidence_label=frame[evidence_column].map(evidence_label),
    )


def era_timeline_chart(eras: pd.DataFrame) -> alt.LayerChart:
    """Table 1's eras as bars over the years; estimated datings are lighter and dashed."""
    data = _span_frame(eras.sort_values("era_order"), "dating_evidence").assign(
        citation=lambda d: d["source"].map(citation_label) + ", " + d["locator"]
    )
    data = data.drop(columns=["start_year", "end_year"])
    order = list(data["era"])
    x_scale = alt.Scale(domain=[TIMELINE_START, TIMELINE_END])
    base = alt.Chart(
        data, title=chart_title("Table 1: the eras of personalization, as dated by Syamsir et al.")
    ).encode(
        y=alt.Y("era:N", sort=order, title=None),
        tooltip=[
            alt.Tooltip("era:N", title="Era"),
            alt.Tooltip("techniques:N", title="Techniques"),
            alt.Tooltip("years:N", title="Years drawn"),
            alt.Tooltip("evidence_label:N", title="Dating"),
            alt.Tooltip("dating_note:N", title="Rule"),
            alt.Tooltip("citation:N", title="Source"),
        ],
    )
    dated = base.transform_filter(alt.datum.dated)
    bars = dated.mark_bar(strokeWidth=1.5, color=PALETTE[0], stroke="#000000", height=22).encode(
        x=alt.X("start:Q", title="Year", scale=x_scale, axis=alt.Axis(format="d")),
        x2="end:Q",
        **evidence_encoding(_drawn_levels(data["dating_evidence"]), title="Dating"),
    )
    open_ends = (
        base.transform_filter(alt.datum.open_end)
        .mark_point(shape="triangle-right", size=160, filled=True, color="#000000")
        .encode(x="end:Q")
    )
    open_labels = (
        base.transform_filter(alt.datum.open_end)
        .mark_text(align="right", dx=-12, dy=-16, fontStyle="italic")
        .encode(x="end:Q", text=alt.value("no end stated"))
    )
    undated = (
        base.transform_filter(~alt.datum.dated)
        # short lines, so that the note fits beside the axis on a phone
        .mark_text(align="left", dx=6, dy=-14, fontStyle="italic", lineHeight=14)
        .encode(
            x=alt.datum(TIMELINE_START), text=alt.value(["not dated by the source", "(“Today”,", "“in recent years”)"])
        )
    )
    return (bars + open_ends + open_labels + undated).properties(**FIT_TO_CONTAINER, height=200)


# --- Where the datings disagree ----------------------------------------------------------------


def era_dating_readings(datings: pd.DataFrame, eras: pd.DataFrame) -> pd.DataFrame:
    """Every distinct way the papers date each era, with where it is said and whether it matches Table 1.

    Statements that use the same words for the same years are one reading; ``statements`` counts them.
    """
    table_years = {r.era: (r.start_year, r.end_year) for r in eras.itertuples()}
    order = {r.era: r.era_order for r in eras.itertuples()}
    datings = datings.assign(reading=datings["stated_dating"].str.lower())
    rows = []
    for (era, _, source), group in datings.groupby(["era", "reading", "source"], sort=False):
        first = group.iloc[0]
        start, end = first["start_year"], first["end_year"]
        if pd.isna(start):
            agrees = "no years to compare"
        else:
            table_start, table_end = table_years[era]
            agrees = "yes" if _same_year(start, table_start) and _same_year(end, table_end) else "no"
        rows.append(
            {
                "era": era,
                "stated dating": first["stated_dating"],
                "start_year": start,
                "end_year": end,
                "years": _years(start, end),
                "evidence": first["evidence"],
                "source": source,
                "statements": len(group),
                "where": "; ".join(group["locator"]),
                "matches Table 1": agrees,
                "overlaps Table 1 dating of": _overlaps(era, start, end, eras),
                "_order": order[era],
            }
        )
    readings = pd.DataFrame(rows).astype({"start_year": "Int64", "end_year": "Int64", "statements": "int64"})
    readings = readings.sort_values(
        ["_order", "start_year", "statements"], ascending=[True, True, False], kind="stable", na_position="last"
    )
    return readings.drop(columns="_order").reset_index(drop=True)


def _same_year(a, b) -> bool:
    if pd.isna(a) or pd.isna(b):
        return pd.isna(a) and pd.isna(b)
    return int(a) == int(b)


def _overlaps(era: str, start, end, eras: pd.DataFrame) -> str:
    """Which *other* eras of Table 1 this reading overlaps in time, and for which years."""
    if pd.isna(start):
        return ""
    last = TIMELINE_END if pd.isna(end) else end
    found = []
    for other in eras.sort_values("era_order").itertuples():
        if other.era == era or pd.isna(other.start_year):
            continue
        other_last = TIMELINE_END if pd.isna(other.end_year) else other.end_year
        low, high = max(start, other.start_year), min(last, other_last)
        if low <= high:
            found.append(f"{other.era} ({int(low)}–{int(high)})")
    return "; ".join(found)


def era_disagreements(datings: pd.DataFrame, eras: pd.DataFrame) -> pd.DataFrame:
    """The dated readings of eras that the papers date in more than one way (the disagreements)."""
    readings = era_dating_readings(datings, eras)
    dated = readings[readings["start_year"].notna()]
    spans: dict[str, set[tuple]] = {}
    for reading in dated.itertuples():
        spans.setdefault(reading.era, set()).add(
            (reading.start_year, None if pd.isna(reading.end_year) else reading.end_year)
        )
    disputed = [era for era, distinct in spans.items() if len(distinct) > 1]
    shown = dated[dated["era"].isin(disputed)]
    return shown.drop(columns=["start_year", "end_year"]).reset_index(drop=True)


def _disagreement_spans(datings: pd.DataFrame, eras: pd.DataFrame) -> pd.DataFrame:
    readings = era_dating_readings(datings, eras)
    disputed = era_disagreements(datings, eras)["era"].unique()
    shown = readings[readings["era"].isin(disputed) & readings["start_year"].notna()]
    shown = shown.assign(
        label=shown["era"] + ":\n“" + shown["stated dating"] + "”", citation=shown["source"].map(citation_label)
    )
    return _span_frame(shown.reset_index(drop=True), "evidence")


def era_disagreement_chart(datings: pd.DataFrame, eras: pd.DataFrame, *, start: int = 1950) -> alt.LayerChart:
    """The conflicting datings side by side: one bar per way of dating an era, coloured by era."""
    data = _span_frame_for_altair(_disagreement_spans(datings, eras))
    era_order = list(dict.fromkeys(data["era"]))
    base = alt.Chart(data, title=chart_title("Where the datings disagree")).encode(
        y=alt.Y("label:N", sort=list(data["label"]), title=None),
        tooltip=[
            alt.Tooltip("era:N", title="Era (Table 1)"),
            alt.Tooltip("stated dating:N", title="Words"),
            alt.Tooltip("years:N", title="Years drawn"),
            alt.Tooltip("evidence_label:N", title="Dating"),
            alt.Tooltip("statements:Q", title="Statements"),
            alt.Tooltip("where:N", title="Where"),
            alt.Tooltip("citation:N", title="Source"),
        ],
    )
    bars = base.mark_bar(stroke="#000000", strokeWidth=1.5, height=18).encode(
        x=alt.X("start:Q", title="Year", scale=alt.Scale(domain=[start, TIMELINE_END]), axis=alt.Axis(format="d")),
        x2="end:Q",
        color=alt.Color("era:N", title="Era (Table 1)", sort=era_order, scale=alt.Scale(range=PALETTE)),
        **evidence_encoding(_drawn_levels(data["evidence"]), title="Dating"),
    )
    open_ends = (
        base.transform_filter(alt.datum.open_end)
        .mark_point(shape="triangle-right", size=140, filled=True, color="#000000")
        .encode(x="end:Q")
    )
    return (bars + open_ends).properties(**FIT_TO_CONTAINER, height=34 * len(data))


def _span_frame_for_altair(spans: pd.DataFrame) -> pd.DataFrame:
    return spans.drop(columns=["start_year", "end_year"])


# --- Sophistication (Figures 2 and 3) ----------------------------------------------------------


def sophistication_chart(figure: pd.DataFrame, *, title: str) -> alt.LayerChart:
    """A line over the eras in order; estimated points are hollow and the line dashed."""
    data = figure.assign(
        evidence_label=figure["evidence"].map(evidence_label),
        shown=figure.apply(
            lambda r: f"{r['value']:g} (estimate)" if r["evidence"] == "estimated" else f"{r['value']:g}", axis=1
        ),
        citation=figure["source"].map(citation_label) + ", " + figure["locator"],
    )
    evidence = evidence_encoding(_drawn_levels(data["evidence"]), title="Evidence")
    base = alt.Chart(data, title=chart_title(title)).encode(
        # On a phone the four era names do not fit side by side: below 400 px of plot they slant.
        x=alt.X(
            "item:N",
            sort=list(data["item"]),
            title=None,
            axis=wrapped_label_axis(
                data["item"],
                12,
                labelAngle=alt.ExprRef(expr="width < 400 ? -40 : 0"),
                labelAlign=alt.ExprRef(expr="width < 400 ? 'right' : 'center'"),
                labelBaseline="top",
            ),
        ),
        y=alt.Y("value:Q", title="Sophistication, out of 10 (scale assumed)", scale=alt.Scale(domain=[0, 10])),
        tooltip=[
            alt.Tooltip("item:N", title="Era"),
            alt.Tooltip("shown:N", title="Value"),
            alt.Tooltip("evidence_label:N", title="Evidence"),
            alt.Tooltip("quote:N", title="What 001 says"),
            alt.Tooltip("citation:N", title="Source"),
        ],
    )
    line = base.mark_line(color=PALETTE[0], strokeWidth=2, interpolate="step").encode(strokeDash=evidence["strokeDash"])
    points = base.mark_point(size=120, color=PALETTE[0], strokeWidth=2, filled=False).encode(
        opacity=evidence["opacity"]
    )
    labels = base.mark_text(dy=-16).encode(text="shown:N")
    return (line + points + labels).properties(**FIT_TO_CONTAINER, height=260)


def _point_handles(levels) -> list[Line2D]:
    handles = []
    for level in EVIDENCE_ORDER:
        if level in set(levels) and level != "unknown":
            hollow = level in ("estimated", "derived")
            handles.append(
                Line2D(
                    [],
                    [],
                    color=PALETTE[0],
                    marker="o",
                    ms=8,
                    mew=2,
                    mfc="white" if hollow else PALETTE[0],
                    linestyle="--" if EVIDENCE_STYLE[level]["dash"] else "-",
                    label=evidence_label(level),
                )
            )
    return handles


def rating_radar_figure(figure: pd.DataFrame, *, title: str, domain_max: float = 10) -> Figure:
    """A radar (spider) chart of one figure's items, as the review drew Figures 3 and 6.

    Reported points are filled and joined by solid lines; estimated points are hollow, labelled
    "(estimate)", and every edge that touches one is dashed. A range is drawn as a radial bar.
    A radar cannot show a missing value honestly, so an unknown rating raises ValueError.
    """
    import math

    if figure["evidence"].eq("unknown").any():
        missing = ", ".join(figure.loc[figure["evidence"] == "unknown", "item"])
        raise ValueError(f"a radar cannot draw unknown values ({missing}); use a bar chart")
    fig, flat = new_figure(7.2, 7)
    flat.remove()
    ax = fig.add_subplot(projection="polar")
    count = len(figure)
    ax.set_theta_offset(math.pi / 2)  # first item at the top, then clockwise, as radar charts read
    ax.set_theta_direction(-1)
    angles = [2 * math.pi * i / count for i in range(count)]
    radii = [(r.value_low + r.value_high) / 2 if r.evidence == "range" else r.value for r in figure.itertuples()]
    estimated = [r.evidence in ("estimated", "derived") for r in figure.itertuples()]
    ax.fill(angles, radii, color=PALETTE[0], alpha=0.12)
    for i in range(count):
        j = (i + 1) % count
        dashed = estimated[i] or estimated[j]
        ax.plot([angles[i], angles[j]], [radii[i], radii[j]], color=PALETTE[0], lw=2, linestyle="--" if dashed else "-")
    for angle, radius, row, is_estimate in zip(angles, radii, figure.itertuples(), estimated):
        if row.evidence == "range":
            ax.plot([angle, angle], [row.value_low, row.value_high], color="black", lw=3)
            label = f"{row.value_low:g}–{row.value_high:g}"
        else:
            label = f"{row.value:g}" + (" (estimate)" if is_estimate else "")
        ax.plot(angle, radius, "o", ms=10, mew=2, color=PALETTE[0], mfc="white" if is_estimate else PALETTE[0])
        ax.annotate(
            label,
            (angle, radius),
            xytext=(0, -16),
            textcoords="offset points",
            ha="center",
            fontsize=9,
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1},
        )
    ax.set_xticks(angles, ["\n".join(wrap_lines(i, 18)) for i in figure["item"]])
    for angle, tick in zip(angles, ax.get_xticklabels()):
        side = math.sin(angle)  # > 0: the label sits right of the centre, so it should grow rightwards
        tick.set_horizontalalignment("left" if side > 0.1 else "right" if side < -0.1 else "center")
    ax.set_ylim(0, domain_max)
    ax.set_yticks([2, 4, 6, 8, 10][: int(domain_max // 2)], [])
    ax.set_rlabel_position(0)
    ax.tick_params(axis="x", pad=14)
    ax.grid(color="#cccccc")
    ax.spines["polar"].set_visible(False)
    if all(estimated):
        title += "\n(all values estimated by this book: the paper states only the order)"
    ax.set_title(title, loc="left", pad=26)
    ax.legend(
        handles=_point_handles(figure["evidence"]),
        loc="upper center",
        bbox_to_anchor=(0.5, -0.2),
        ncol=1,
        frameon=False,
        fontsize=9,
    )
    return fig


# --- Traditional vs. machine-learning approaches -----------------------------------------------


def comparison_table(comparisons: pd.DataFrame, source: str, *, rows: str, columns: str) -> pd.DataFrame:
    """One paper's comparison table rebuilt from the tidy ``method_comparisons`` rows, in printed order."""
    subset = comparisons[comparisons["source"] == source]
    if subset.empty:
        raise KeyError(f"no comparison rows for source '{source}'")
    wide = subset.pivot(index=rows, columns=columns, values="description")
    wide = wide.reindex(index=list(dict.fromkeys(subset[rows])), columns=list(dict.fromkeys(subset[columns])))
    wide.columns.name = None
    return wide.reset_index()


__all__ = [
    "TIMELINE_END",
    "TIMELINE_START",
    "comparison_table",
    "era_dating_readings",
    "era_disagreement_chart",
    "era_disagreements",
    "era_timeline_chart",
    "rating_radar_figure",
    "sophistication_chart",
    "table_1",
    "timeline_data",
]
