"""Chart builders shared by every chapter: each chart comes in two forms from the same table.

``*_chart`` returns an interactive Altair chart for the HTML book (its tooltip shows the value, the
evidence level and the citation); ``*_figure`` returns a static matplotlib figure for print and
for readers without JavaScript. Both draw estimated values visibly differently from reported ones.
``chart_data`` returns the table a chart draws, which each notebook shows below the chart.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
from matplotlib.figure import Figure

from .bibliography import citation_label
from .theme import (
    FIT_TO_CONTAINER,
    PALETTE,
    chart_title,
    evidence_encoding,
    evidence_label,
    evidence_note,
    label_lines,
    new_figure,
    wrapped_label_axis,
)


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


def _bar_span(table: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Where each bar starts and ends: 0 to the value, or a stated range from its low to its high end."""
    is_range = table["evidence"] == "range"
    start = table["value_low"].where(is_range, 0.0)
    end = table["value_high"].where(is_range, table["value"])
    return start.where(end.notna()), end


def value_axis_title(scale: str) -> str:
    """The value axis's title; the review prints "9/10" but never its scale, so 1-10 is the book's assumption."""
    if scale == "1-10":
        return "Out of 10 (scale assumed)"
    return f"Value ({scale})"


def rating_tooltip(*extra: alt.Tooltip) -> list[alt.Tooltip]:
    """What hovering a bar of a rating table shows: the value as printed, its evidence and its source."""
    return [
        alt.Tooltip("item:N", title="Item"),
        alt.Tooltip("dimension:N", title="Dimension"),
        alt.Tooltip("shown:N", title="Value"),
        alt.Tooltip("evidence_label:N", title="Evidence"),
        alt.Tooltip("citation:N", title="Source"),
        *extra,
    ]


def rating_bar_chart(
    table: pd.DataFrame, *, title: str, domain_max: float | None = None, item_order: list[str] | None = None
) -> alt.Chart:
    """Horizontal bars of ``value`` by item, one colour per dimension, estimated bars outlined."""
    bar_start, bar_end = _bar_span(table)
    data = table.assign(
        bar_start=bar_start,
        bar_end=bar_end,
        shown=table.apply(_shown_value, axis=1),
        citation=table["source"].map(citation_label) + ", " + table["locator"],
        evidence_label=table["evidence"].map(evidence_label),
    )
    order = item_order or list(dict.fromkeys(data["item"]))
    x_scale = alt.Scale(domain=[0, domain_max]) if domain_max else alt.Undefined
    several = data["dimension"].nunique() > 1
    base = alt.Chart(data, title=chart_title(title)).encode(
        y=alt.Y("item:N", sort=order, title=None, axis=wrapped_label_axis(order, 18)),
        yOffset=alt.YOffset("dimension:N") if several else alt.Undefined,
        tooltip=rating_tooltip(),
    )
    color = (
        alt.Color("dimension:N", title="Dimension", scale=alt.Scale(range=PALETTE))
        if several
        else alt.value(PALETTE[0])
    )
    bars = base.mark_bar(strokeWidth=1.5).encode(
        # A stated range ("6–7/10") is a bar from its low to its high end, never a point.
        x=alt.X("bar_start:Q", title=value_axis_title(data["scale"].iloc[0]), scale=x_scale),
        x2="bar_end:Q",
        color=color,
        # Estimated bars lighter and outlined, so they never look as solid as reported ones.
        **evidence_encoding(data["evidence"]),
        stroke=alt.value("#000000"),
    )
    ranges = (
        base.transform_filter(alt.datum.evidence == "range")
        .mark_rule(strokeWidth=3, color="#000000")
        .encode(x="value_low:Q", x2="value_high:Q")
    )
    missing = (
        base.transform_filter(alt.datum.evidence == "unknown")
        .mark_text(align="left", dx=3, fontStyle="italic")
        .encode(x=alt.datum(0), text=alt.value("not printed"))
    )
    # Each item's band holds its wrapped label and one bar per dimension.
    band = max(16 * label_lines(order, 18) + 8, 22 * data["dimension"].nunique() + 8)
    return (bars + ranges + missing).properties(
        **FIT_TO_CONTAINER, height=band * len(order), description=_rating_description(data, title, domain_max, several)
    )


def _rating_description(data: pd.DataFrame, title: str, domain_max: float | None, several: bool) -> str:
    """What a listener hears for a rating chart (and the alt text of its image): every bar and how it is drawn."""
    axis = value_axis_title(data["scale"].iloc[0]) + (f", axis from 0 to {domain_max:g}" if domain_max else "")
    axis = axis[:1].lower() + axis[1:]

    def named(r) -> str:
        return f"{r['item']}, {r['dimension']}" if several else r["item"]

    drawn, unprinted = data[data["evidence"] != "unknown"], data[data["evidence"] == "unknown"]
    bars = "; ".join(f"{named(r)} {r['shown']} ({r['evidence_label']})" for _, r in drawn.iterrows())
    if len(unprinted):  # named once, not one phrase each (the description is in the page too)
        bars += (
            ("; " if bars else "")
            + f"{len(unprinted)} of {len(data)} not printed"
            + (": " + "; ".join(named(r) for _, r in unprinted.iterrows()) if len(unprinted) <= 3 else "")
        )
    notes = [evidence_note(data["evidence"][data["evidence"] != "unknown"], "bars")]  # unknown: no bar at all
    if (data["evidence"] == "range").any():
        notes.append("A range is a bar from its low to its high end, with a black line across it.")
    if (data["evidence"] == "unknown").any():
        notes.append("An item the source does not print has no bar and reads 'not printed'.")
    told = "".join(f" {note}" for note in notes if note)
    return f"Horizontal bar chart, {title}; {axis}: {bars}.{told} The table below the chart lists the same data."


def study_design_chart(studies: pd.DataFrame) -> alt.Chart:
    """Each reviewed study placed by the kind of evidence it offers, labelled with its sample size."""
    data = studies.assign(
        citation=studies["source"].map(citation_label),
        sample=studies["sample_size"].map(lambda n: "not stated" if pd.isna(n) else f"n = {n}"),
    )
    kinds = ["empirical", "case report", "framework proposal", "review opinion"]
    base = alt.Chart(data, title=chart_title("The five reviewed studies by kind of evidence")).encode(
        x=alt.X(
            "evidence_kind:N", sort=kinds, title="Kind of evidence", axis=wrapped_label_axis(kinds, 10, labelAngle=0)
        ),
        y=alt.Y("citation:N", title=None, sort=list(data["citation"])),
        tooltip=[
            alt.Tooltip("citation:N", title="Study"),
            alt.Tooltip("kind:N", title="Design"),
            alt.Tooltip("sample:N", title="Sample size"),
            alt.Tooltip("method:N", title="Method"),
        ],
    )
    points = base.mark_point(size=240, filled=True).encode(
        color=alt.Color("evidence_kind:N", sort=kinds, title="Kind of evidence"),
        shape=alt.Shape("evidence_kind:N", sort=kinds, title="Kind of evidence"),
    )
    labels = base.mark_text(dy=-16).encode(text="sample:N")
    placed = "; ".join(f"{r.citation}: {r.evidence_kind}, sample size {r.sample}" for r in data.itertuples())
    description = (
        f"Dot chart of the {len(data)} reviewed studies by the kind of evidence they offer, each labelled with "
        f"the sample size it states (colour and shape also encode the kind). {placed}. "
        "The table below the chart lists the same data."
    )
    return (points + labels).properties(**FIT_TO_CONTAINER, height=260, description=description)


__all__ = [
    "chart_data",
    "figure_rows",
    "rating_bar_chart",
    "study_design_chart",
]


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
            ax.annotate(
                "", xy=(x1, y1 - 0.45), xytext=(x0, y0 + 0.45), arrowprops={"arrowstyle": "->", "color": "black"}
            )
    for note in notes:
        x, y = position["Distinct works after merging duplicate items"]
        ax.text(
            x + 0.17,
            y + 0.55,
            f"{_wrap(note.step, 22)}: {note.count}",
            ha="left",
            va="center",
            fontsize=9,
            style="italic",
        )
    ax.set_title("Flow of sources into this review (no search, no screening)", loc="left")
    return fig


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))
