"""Chart builders shared by every chapter: each chart comes in two forms from the same table.

``*_chart`` returns an interactive Altair chart for the HTML book (its tooltip shows the value, the
evidence level and the citation); ``*_figure`` returns a static matplotlib figure for print and
for readers without JavaScript. Both draw estimated values visibly differently from reported ones.
``chart_data`` returns the table a chart draws, which each notebook shows below the chart.
"""

from __future__ import annotations

import altair as alt
from matplotlib.figure import Figure
import pandas as pd
from matplotlib.patches import Patch

from .bibliography import citation_label
from .theme import EVIDENCE_STYLE, PALETTE, new_figure, use_book_theme

use_book_theme()

EVIDENCE_ORDER = list(EVIDENCE_STYLE)


def _shown_value(row: pd.Series) -> str:
    if row["evidence"] == "range":
        return f"{row['value_low']:g}–{row['value_high']:g}"
    if pd.isna(row["value"]):
        return "not printed"
    return f"{row['value']:g}"


def figure_rows(ratings: pd.DataFrame, locator: str) -> pd.DataFrame:
    """The rating rows of one of the review's figures, in the order the table lists them."""
    rows = ratings[ratings["locator"] == locator]
    if rows.empty:
        raise KeyError(f"no ratings with locator '{locator}'")
    return rows.reset_index(drop=True)


def chart_data(table: pd.DataFrame) -> pd.DataFrame:
    """The rows a rating chart draws, as a reader-facing table (the chart's text alternative)."""
    shown = pd.DataFrame(
        {
            "item": table["item"],
            "dimension": table["dimension"],
            "value": table.apply(_shown_value, axis=1),
            "scale": table["scale"],
            "evidence": table["evidence"],
            "source": table["source"].map(citation_label),
            "locator": table["locator"],
        }
    )
    return shown.reset_index(drop=True)


def _plot_value(table: pd.DataFrame) -> pd.Series:
    """Where a bar ends: the value, or a range's midpoint (drawn with its range), or nothing."""
    midpoint = (table["value_low"] + table["value_high"]) / 2
    return table["value"].where(table["evidence"] != "range", midpoint)


def rating_bar_chart(table: pd.DataFrame, *, title: str, domain_max: float | None = None,
                     item_order: list[str] | None = None) -> alt.Chart:
    """Horizontal bars of ``value`` by item, one colour per dimension, estimated bars outlined."""
    data = table.assign(
        plotted=_plot_value(table),
        shown=table.apply(_shown_value, axis=1),
        citation=table["source"].map(citation_label) + ", " + table["locator"],
        evidence_label=table["evidence"].map(lambda e: EVIDENCE_STYLE[e]["label"]),
    )
    order = item_order or list(dict.fromkeys(data["item"]))
    x_scale = alt.Scale(domain=[0, domain_max]) if domain_max else alt.Undefined
    several = data["dimension"].nunique() > 1
    base = alt.Chart(data, title=title).encode(
        y=alt.Y("item:N", sort=order, title=None),
        yOffset=alt.YOffset("dimension:N") if several else alt.Undefined,
        tooltip=[
            alt.Tooltip("item:N", title="Item"),
            alt.Tooltip("dimension:N", title="Dimension"),
            alt.Tooltip("shown:N", title="Value"),
            alt.Tooltip("evidence_label:N", title="Evidence"),
            alt.Tooltip("citation:N", title="Source"),
        ],
    )
    color = alt.Color("dimension:N", title="Dimension", scale=alt.Scale(range=PALETTE)) if several else alt.value(PALETTE[0])
    bars = base.mark_bar(strokeWidth=1.5).encode(
        x=alt.X("plotted:Q", title=f"Value ({data['scale'].iloc[0]})", scale=x_scale),
        color=color,
        # An explicit ordinal scale: with a nominal type Vega-Lite ignores the range, and estimated
        # bars would look as solid as reported ones.
        opacity=alt.Opacity("evidence_label:N", title="Evidence",
                            scale=alt.Scale(type="ordinal", domain=[EVIDENCE_STYLE[e]["label"] for e in EVIDENCE_ORDER],
                                            range=[EVIDENCE_STYLE[e]["opacity"] or 0.05 for e in EVIDENCE_ORDER])),
        strokeDash=alt.StrokeDash("evidence_label:N", legend=None,
                                  scale=alt.Scale(domain=[EVIDENCE_STYLE[e]["label"] for e in EVIDENCE_ORDER],
                                                  range=[EVIDENCE_STYLE[e]["dash"] or [1, 0] for e in EVIDENCE_ORDER])),
        stroke=alt.value("#000000"),
    )
    ranges = base.transform_filter(alt.datum.evidence == "range").mark_rule(strokeWidth=3, color="#000000").encode(
        x="value_low:Q", x2="value_high:Q")
    missing = base.transform_filter(alt.datum.evidence == "unknown").mark_text(align="left", dx=3, fontStyle="italic").encode(
        x=alt.datum(0), text=alt.value("not printed"))
    return (bars + ranges + missing).properties(width=520)


def rating_bar_figure(table: pd.DataFrame, *, title: str, domain_max: float | None = None,
                      item_order: list[str] | None = None) -> Figure:
    """The static twin of ``rating_bar_chart``: hatched bars for estimates, whiskers for ranges."""
    order = item_order or list(dict.fromkeys(table["item"]))
    dimensions = list(dict.fromkeys(table["dimension"]))
    height = 1.0 / (len(dimensions) + 0.5)
    fig, ax = new_figure(8, 1.6 + 0.45 * len(order) * max(1, len(dimensions) * 0.7))
    for d_index, dimension in enumerate(dimensions):
        colour = PALETTE[d_index % len(PALETTE)]
        for _, row in table[table["dimension"] == dimension].iterrows():
            y = order.index(row["item"]) + (d_index - (len(dimensions) - 1) / 2) * height
            style = EVIDENCE_STYLE[row["evidence"]]
            if row["evidence"] == "unknown":
                said = f"{dimension}: not printed" if len(dimensions) > 1 else "not printed"  # text has no colour key
                ax.text(0.1, y, said, va="center", fontsize=9, style="italic")
                continue
            if row["evidence"] == "range":
                ax.barh(y, row["value_high"], height=height * 0.9, color=colour, alpha=0.25, edgecolor="black")
                ax.errorbar((row["value_low"] + row["value_high"]) / 2, y,
                            xerr=(row["value_high"] - row["value_low"]) / 2, color="black", capsize=4, lw=2)
                continue
            ax.barh(y, row["value"], height=height * 0.9, color=colour, alpha=max(style["opacity"], 0.35),
                    hatch=style["hatch"], edgecolor="black", linestyle="--" if style["dash"] else "-")
    ax.set_yticks(range(len(order)), order)
    ax.set_ylim(len(order) - 0.5, -0.5)  # first item on top; text-only rows stay inside the axes
    if domain_max:
        ax.set_xlim(0, domain_max)
    ax.set_xlabel(f"Value ({table['scale'].iloc[0]})")
    ax.set_title(title, loc="left")
    handles = [Patch(facecolor=PALETTE[i % len(PALETTE)], edgecolor="black", label=d) for i, d in enumerate(dimensions)] if len(dimensions) > 1 else []
    for level in EVIDENCE_ORDER:
        if level in set(table["evidence"]) and level != "unknown":
            style = EVIDENCE_STYLE[level]
            handles.append(Patch(facecolor="white", edgecolor="black", hatch=style["hatch"],
                                 linestyle="--" if style["dash"] else "-", label=style["label"]))
    # Below the axes in its own space (constrained layout), so it never covers the axis label and
    # never squeezes the bars sideways.
    fig.set_layout_engine("constrained")
    fig.legend(handles=handles, loc="outside lower center", ncol=2, frameon=False, fontsize=9)
    return fig


def study_design_chart(studies: pd.DataFrame) -> alt.Chart:
    """Each reviewed study placed by the kind of evidence it offers, labelled with its sample size."""
    data = studies.assign(
        citation=studies["source"].map(citation_label),
        sample=studies["sample_size"].map(lambda n: "not stated" if pd.isna(n) else f"n = {n}"),
    )
    kinds = ["empirical", "case report", "framework proposal", "review opinion"]
    base = alt.Chart(data, title="The five reviewed studies by kind of evidence").encode(
        x=alt.X("evidence_kind:N", sort=kinds, title="Kind of evidence", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("citation:N", title=None, sort=list(data["citation"])),
        tooltip=[alt.Tooltip("citation:N", title="Study"), alt.Tooltip("kind:N", title="Design"),
                 alt.Tooltip("sample:N", title="Sample size"), alt.Tooltip("method:N", title="Method")],
    )
    points = base.mark_point(size=240, filled=True).encode(
        color=alt.Color("evidence_kind:N", sort=kinds, title="Kind of evidence"),
        shape=alt.Shape("evidence_kind:N", sort=kinds, title="Kind of evidence"))
    labels = base.mark_text(dy=-16).encode(text="sample:N")
    return (points + labels).properties(width=520, height=260)


def study_design_figure(studies: pd.DataFrame) -> Figure:
    """The static twin of ``study_design_chart``."""
    kinds = ["empirical", "case report", "framework proposal", "review opinion"]
    markers = ["o", "s", "^", "D"]
    labels = list(studies["source"].map(citation_label))
    fig, ax = new_figure(8, 3.6)
    for y, (_, row) in enumerate(studies.iterrows()):
        k = kinds.index(row["evidence_kind"])
        ax.scatter(k, y, s=160, marker=markers[k], color=PALETTE[k], edgecolor="black", zorder=3)
        sample = "not stated" if pd.isna(row["sample_size"]) else f"n = {row['sample_size']}"
        ax.annotate(sample, (k, y), xytext=(0, 11), textcoords="offset points", ha="center", fontsize=9)
    ax.set_xticks(range(len(kinds)), kinds)
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlim(-0.5, len(kinds) - 0.5)
    ax.set_ylim(len(labels) - 0.4, -0.7)
    ax.grid(axis="x", color="#dddddd")
    ax.set_title("The five reviewed studies by kind of evidence", loc="left")
    return fig


__all__ = ["chart_data", "figure_rows", "rating_bar_chart", "rating_bar_figure", "study_design_chart", "study_design_figure"]


def source_flow_figure(flow: pd.DataFrame) -> Figure:
    """The flow of sources as it happened: boxes from ``bibliography.source_flow``, arrows along ``flows_into``.

    Three streams feed the bibliography (the papers, the distinct works of their reference lists, the
    book's own additions); only the reference lists pass through a step (merging duplicates). An
    annotation row is drawn as a note beside its box, not as a step.
    """
    fig, ax = new_figure(9, 5.2)
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(3.6, -0.6)
    boxes = [row for row in flow.itertuples() if row.flows_into != "(annotation)"]
    notes = [row for row in flow.itertuples() if row.flows_into == "(annotation)"]
    # Columns: papers | reference lists (two rows) | additions; the bibliography below them all.
    columns = {0: (0.17, 0.0), 1: (0.5, 0.0), 2: (0.5, 1.5), 3: (0.83, 0.0)}
    position = {row.step: columns[i] for i, row in enumerate(boxes[:-1])}
    position[boxes[-1].step] = (0.5, 3.0)
    style = {"boxstyle": "round,pad=0.45", "facecolor": "white", "edgecolor": PALETTE[0], "linewidth": 1.5}
    for row in boxes:
        x, y = position[row.step]
        ax.text(x, y, f"{_wrap(row.step, 26)}\nn = {row.count}", ha="center", va="center", fontsize=10, bbox=style)
    for row in boxes:
        if row.flows_into:
            (x0, y0), (x1, y1) = position[row.step], position[row.flows_into]
            ax.annotate("", xy=(x1, y1 - 0.45), xytext=(x0, y0 + 0.45),
                        arrowprops={"arrowstyle": "->", "color": "black"})
    for note in notes:
        x, y = position["Distinct works after merging duplicate items"]
        ax.text(x + 0.17, y + 0.55, f"{_wrap(note.step, 22)}: {note.count}", ha="left", va="center", fontsize=9,
                style="italic")
    ax.set_title("Flow of sources into this review (no search, no screening)", loc="left")
    return fig


def _wrap(text: str, width: int) -> str:
    import textwrap
    return "\n".join(textwrap.wrap(text, width))
