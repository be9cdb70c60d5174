"""Evidence matrices for the techniques and challenges chapters: tidy tables in, grids out.

Two matrices are built here, each as a table (the text alternative), an interactive Altair heatmap
and a static matplotlib twin:

* the **technique x outcome evidence map** (``technique_outcomes``): how many claims link each
  technique to each outcome, in which direction, and on what kind of evidence;
* the **challenge x paper matrix** (``challenges``): which paper raises which challenge, with the
  number Syamsir et al. print wherever they rate one.

Both grids list every reviewed paper and every item of the controlled vocabularies, so that an
absence is drawn and labelled ("no claim", "not raised") instead of silently dropped: a gap in
the evidence is a finding.

The module also holds the small helpers these chapters need around the review's rating figures:
the orderings its prose states, the severity cross-check between ``challenges`` and
``review_ratings``, and the ranking a reader can re-rate in the exercises.
"""

from __future__ import annotations

import re
from pathlib import Path

import altair as alt
import pandas as pd

from .bibliography import citation_label, reviewed_papers
from .charts import figure_rows  # noqa: F401  (re-exported: the chapters' figures come from here)
from .paths import DATAPACKAGE, relative
from .tables import load_table, read_package
from .theme import FIT_TO_CONTAINER, PALETTE, chart_title, colour_name, label_lines, wrapped_label_axis
from .validation import Problem

#: Kinds of evidence from strongest to weakest, coloured as in the studies chapter's design chart.
EVIDENCE_KINDS = ["empirical", "case report", "framework proposal", "review opinion"]
KIND_COLOURS = dict(zip(EVIDENCE_KINDS, PALETTE[:4]))
#: Signs written in a cell so that direction never depends on colour.
DIRECTION_SIGNS = {"positive": "+", "null": "ns", "mixed": "±", "negative": "−"}
#: How a cell's label reads, for captions and subtitles.
LABEL_KEY = (
    "number = claims; no sign = all positive; − negative; ns = no significant effect; "
    "± mixed; dashed outline = review opinion only"
)
DIRECTION_COLOURS = {
    "positive": PALETTE[2],
    "null": PALETTE[5],
    "mixed": PALETTE[1],
    "negative": PALETTE[3],
    "disagree": PALETTE[4],
}
NO_CLAIM = "no claim"
NOT_RAISED = "not raised"
EMPTY_FILL = "#ffffff"
GRID_LINE = "#bbbbbb"


def _text_colour(fill: str) -> str:
    """Black or white, whichever contrasts more with ``fill`` (WCAG relative luminance)."""
    channels = [int(fill[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#ffffff"


def controlled_list(table: str, column: str, package_path: Path = DATAPACKAGE) -> list[str]:
    """The allowed values of ``column`` in ``table``, in the order its schema lists them."""
    for resource in read_package(Path(package_path))["resources"]:
        if resource["name"] == table:
            for field in resource["schema"]["fields"]:
                if field["name"] == column:
                    return list(field.get("constraints", {}).get("enum", []))
    raise KeyError(f"{table}.{column} has no controlled list in {relative(Path(package_path))}")


def reviewed_keys() -> list[str]:
    """The BibTeX keys of the reviewed papers, in bibliography order (000 to 004)."""
    return [entry.key for entry in reviewed_papers()]


def _order(present, preferred: list[str] | None) -> list[str]:
    """``preferred`` first, then anything present but not listed (so nothing is ever dropped)."""
    preferred = list(preferred or [])
    return preferred + [value for value in dict.fromkeys(present) if value not in preferred]


def _labels(keys) -> dict[str, str]:
    """Citation labels, computed once per key (each lookup parses the bibliography)."""
    return {key: citation_label(key) for key in dict.fromkeys(keys)}


def _check_sources(table: pd.DataFrame, papers: list[str], what: str) -> None:
    stray = sorted(set(table["source"]) - set(papers))
    if stray:
        raise ValueError(f"{what} cites {', '.join(stray)}, which is not among the papers given ({', '.join(papers)})")


# --- Technique x outcome evidence map ----------------------------------------------------------


def _count_phrase(values: pd.Series, order: list[str]) -> str:
    counts = values.value_counts()
    return ", ".join(f"{key} {counts[key]}" for key in order if key in counts)


def evidence_cells(
    claims: pd.DataFrame,
    *,
    techniques: list[str] | None = None,
    outcomes: list[str] | None = None,
    include_empty: bool = False,
    package_path: Path = DATAPACKAGE,
) -> pd.DataFrame:
    """One row per technique x outcome cell: how many claims, their directions, kinds and sources.

    The book's one evidence map: the heatmap here and the appraisal chapter's gap map both read it.
    ``kinds`` lists the kinds of evidence present, strongest first; ``evidence kinds`` counts them.

    ``claims`` is the ``technique_outcomes`` table. Rows and columns follow the controlled lists
    of its schema unless ``techniques`` / ``outcomes`` are given. With ``include_empty`` every cell
    of the grid is returned, those without a claim marked ``no claim``.
    """
    techniques = _order(
        claims["technique"], techniques or controlled_list("technique_outcomes", "technique", package_path)
    )
    outcomes = _order(claims["outcome"], outcomes or controlled_list("technique_outcomes", "outcome", package_path))
    papers = _order(claims["source"], reviewed_keys())
    labels = _labels(papers)
    rows = []
    # One pass over the claims, not one boolean filter per cell of the grid.
    by_cell = {key: group for key, group in claims.groupby(["technique", "outcome"], sort=False)}
    for technique in techniques:
        for outcome in outcomes:
            cell = by_cell.get((technique, outcome), claims.iloc[0:0])
            if cell.empty:
                if include_empty:
                    rows.append(
                        {
                            "technique": technique,
                            "outcome": outcome,
                            "claims": 0,
                            "papers": 0,
                            "label": "",
                            "direction": NO_CLAIM,
                            "directions": "",
                            "strongest evidence": NO_CLAIM,
                            "evidence kinds": "",
                            "kinds": "",
                            "review opinion only": False,
                            "sources": "",
                        }
                    )
                continue
            cell = cell.assign(_paper=cell["source"].map(papers.index)).sort_values(
                ["_paper", "locator"], kind="stable"
            )
            directions = [d for d in DIRECTION_SIGNS if d in set(cell["direction"])]
            kinds = [k for k in EVIDENCE_KINDS if k in set(cell["evidence_kind"])]
            signs = "" if directions == ["positive"] else " " + "/".join(DIRECTION_SIGNS[d] for d in directions)
            rows.append(
                {
                    "technique": technique,
                    "outcome": outcome,
                    "claims": len(cell),
                    "papers": cell["source"].nunique(),
                    "label": f"{len(cell)}{signs}",
                    "direction": directions[0] if len(directions) == 1 else "disagree",
                    "directions": _count_phrase(cell["direction"], list(DIRECTION_SIGNS)),
                    "strongest evidence": kinds[0],
                    "evidence kinds": _count_phrase(cell["evidence_kind"], EVIDENCE_KINDS),
                    "kinds": ", ".join(kinds),
                    "review opinion only": kinds == ["review opinion"],
                    "sources": "; ".join(
                        f"{labels[r.source]}, {r.locator} ({r.direction}, {r.evidence_kind})" for r in cell.itertuples()
                    ),
                }
            )
    columns = [
        "technique",
        "outcome",
        "claims",
        "papers",
        "label",
        "direction",
        "directions",
        "strongest evidence",
        "evidence kinds",
        "kinds",
        "review opinion only",
        "sources",
    ]
    return pd.DataFrame(rows, columns=columns)


def evidence_table(claims: pd.DataFrame) -> pd.DataFrame:
    """The cells of the evidence map that hold at least one claim: the table behind the heatmap."""
    cells = evidence_cells(claims)
    return cells[["technique", "outcome", "claims", "directions", "evidence kinds", "sources"]]


def evidence_count_matrix(claims: pd.DataFrame) -> pd.DataFrame:
    """The map as a grid: technique rows, outcome columns, the number of claims (0 = none)."""
    cells = evidence_cells(claims, include_empty=True)
    grid = cells.pivot(index="technique", columns="outcome", values="claims")
    grid = grid.reindex(index=list(dict.fromkeys(cells["technique"])), columns=list(dict.fromkeys(cells["outcome"])))
    grid.columns.name = None
    return grid.astype("int64")


def review_opinion_only(claims: pd.DataFrame) -> pd.DataFrame:
    """The cells whose every claim is a review's opinion: no data, case or framework behind them."""
    cells = evidence_cells(claims)
    shown = cells[cells["review opinion only"]]
    return shown[["technique", "outcome", "claims", "sources"]].reset_index(drop=True)


def claims_by_paper(claims: pd.DataFrame, papers: list[str] | None = None) -> pd.DataFrame:
    """How many claims each reviewed paper contributes, by kind of evidence (every paper listed)."""
    papers = papers or reviewed_keys()
    _check_sources(claims, papers, "technique_outcomes")
    counts = pd.crosstab(claims["source"], claims["evidence_kind"]).reindex(index=papers, fill_value=0)
    counts = counts.reindex(columns=[k for k in EVIDENCE_KINDS if k in counts.columns])
    counts.insert(0, "paper", list(_labels(papers).values()))
    counts["claims"] = counts[[k for k in EVIDENCE_KINDS if k in counts.columns]].sum(axis=1)
    counts.columns.name = None
    return counts.reset_index(drop=True)


def claims_per_outcome(claims: pd.DataFrame) -> pd.Series:
    """How many claims the evidence map holds for each outcome, most claimed first (ties by name)."""
    counts = claims.groupby("outcome").size().rename("claims")
    return (
        counts.reset_index().sort_values(["claims", "outcome"], ascending=[False, True]).set_index("outcome")["claims"]
    )


def _colour_key(cells: pd.DataFrame, colour_by: str) -> tuple[pd.Series, dict[str, str]]:
    if colour_by == "evidence":
        return cells["strongest evidence"], {**KIND_COLOURS, NO_CLAIM: EMPTY_FILL}
    if colour_by == "direction":
        return cells["direction"], {**DIRECTION_COLOURS, NO_CLAIM: EMPTY_FILL}
    raise ValueError(f"colour_by must be 'evidence' or 'direction', not {colour_by!r}")


def evidence_heatmap_chart(
    claims: pd.DataFrame,
    *,
    colour_by: str = "evidence",
    title: str = "Which techniques are linked to which outcomes, and on what evidence",
) -> alt.LayerChart:
    """The evidence map as an Altair heatmap: each cell's number is its claims, its signs the directions.

    ``colour_by="evidence"`` colours a cell by the strongest kind of evidence in it;
    ``colour_by="direction"`` by the direction of its claims ("disagree" when they differ).
    Cells resting on review opinion alone get a dashed outline as well as their colour.
    """
    cells = evidence_cells(claims, include_empty=True)
    key, colours = _colour_key(cells, colour_by)
    domain = [k for k in colours if k in set(key)]
    data = cells.assign(
        fill=key,
        text_colour=key.map(lambda k: _text_colour(colours[k])),
        shown_sources=cells["sources"].replace("", "no paper makes this claim"),
    )
    techniques, outcomes = list(dict.fromkeys(cells["technique"])), list(dict.fromkeys(cells["outcome"]))
    subtitle = LABEL_KEY.replace("; ns", ";\nns", 1).split("\n")
    base = alt.Chart(data, title=chart_title(title, subtitle)).encode(
        x=alt.X(
            "outcome:N",
            sort=outcomes,
            title=None,
            axis=alt.Axis(labelAngle=-90, labelAlign="left", labelBaseline="middle", orient="top", labelLimit=200),
        ),
        y=alt.Y("technique:N", sort=techniques, title=None, axis=wrapped_label_axis(techniques, 18)),
    )
    tooltip = [
        alt.Tooltip("technique:N", title="Technique"),
        alt.Tooltip("outcome:N", title="Outcome"),
        alt.Tooltip("claims:Q", title="Claims"),
        alt.Tooltip("directions:N", title="Directions"),
        alt.Tooltip("evidence kinds:N", title="Evidence"),
        alt.Tooltip("shown_sources:N", title="Papers and locators"),
    ]
    rects = base.mark_rect(stroke=GRID_LINE, strokeWidth=1).encode(
        color=alt.Color(
            "fill:N",
            title="Strongest evidence" if colour_by == "evidence" else "Direction",
            scale=alt.Scale(domain=domain, range=[colours[k] for k in domain]),
            legend=alt.Legend(columns=1),
        ),
        tooltip=tooltip,
    )
    opinion_only = (
        base.transform_filter(alt.datum["review opinion only"])
        .mark_rect(fill=None, stroke="#000000", strokeWidth=2, strokeDash=[4, 3])
        .encode(tooltip=tooltip)
    )
    labels = base.mark_text(fontSize=12, fontWeight="bold").encode(
        text="label:N", color=alt.Color("text_colour:N", scale=None), tooltip=tooltip
    )
    return (rects + opinion_only + labels).properties(
        **FIT_TO_CONTAINER,
        height=max(28, 16 * label_lines(techniques, 18) + 6) * len(techniques),
        description=_heatmap_description(data, techniques, outcomes, colours, colour_by, title),
    )


def _heatmap_description(cells, techniques, outcomes, colours, colour_by: str, title: str) -> str:
    """What a listener hears for the heatmap (and the alt text of its image): its layout, its key and
    every cell that holds a claim, grouped by colour."""
    filled = cells[cells["claims"] > 0]
    what = "the strongest kind of evidence in it" if colour_by == "evidence" else "the direction of its claims"
    key = ", ".join(f"{colour_name(colours[k])} {k}" for k in colours if k in set(filled["fill"]))
    # Counted by colour, the strongest group's cells named; the table below lists every cell. (The
    # description is also in the page, and the page has a weight budget: tests/test_page_weight.py.)
    counts = [f"{k} {int((filled['fill'] == k).sum())}" for k in colours if (filled["fill"] == k).any()]
    first = filled[filled["fill"] == next(k for k in colours if (filled["fill"] == k).any())]
    groups = [
        ", ".join(counts),
        f"{first['fill'].iloc[0]}: " + ", ".join(f"{r['technique']} × {r['outcome']}" for _, r in first.iterrows()),
    ]
    return (
        f"Heatmap, {title}: {len(techniques)} techniques (rows) by {len(outcomes)} outcomes (columns). Each cell's "
        f"number counts the claims linking them, a sign their direction; its colour gives {what} ({key}); a dashed outline marks a cell resting on review opinion "
        f"alone. {len(filled)} of {len(cells)} cells hold a claim; the others are empty. Cells by colour: "
        + "; ".join(groups)
        + ". The table below the chart lists the same data."
    )


# --- Challenge x paper matrix ------------------------------------------------------------------

STATUS_COLOURS = {
    "rated (number printed)": PALETTE[0],
    "rated (range for a group)": PALETTE[5],
    "raised, no number printed": PALETTE[1],
    NOT_RAISED: EMPTY_FILL,
}


def _figure_of(locator: str) -> str:
    """'Figure 8 (prose)' -> 'Figure 8'; a locator that names no figure is returned unchanged."""
    match = re.match(r"\s*(Figure \d+)", locator)
    return match.group(1) if match else locator


def _rating_text(row) -> str:
    figure = _figure_of(row.locator).replace("Figure ", "Fig. ")
    if row.severity_evidence == "range":
        return f"{row.severity_low:g}–{row.severity_high:g}/10 ({figure}, range)"
    return f"{row.severity:g}/10 ({figure})"


def _chart_lines(label: str) -> list[str]:
    """A cell label broken into short lines for a narrow heatmap cell: '9/10 (Fig. 8)' -> ['9/10', '(Fig. 8)']."""
    parts = label.split("\n")
    if len(parts) == 1 and " (" in label:
        value, rest = label.split(" (", 1)
        return [value, f"({rest}"]
    return parts


def challenge_cells(
    challenges: pd.DataFrame, *, papers: list[str] | None = None, challenge_order: list[str] | None = None
) -> pd.DataFrame:
    """Every challenge x paper cell, including the ones where a paper does not raise the challenge.

    ``challenges`` is the ``challenges`` table. Columns are all the reviewed papers (or
    ``papers``), so a paper that raises no challenge still gets a column of ``not raised`` cells.
    A row whose source is not among ``papers`` raises ValueError rather than vanish.
    """
    papers = papers or reviewed_keys()
    _check_sources(challenges, papers, "challenges")
    order = _order(challenges["challenge"], challenge_order or controlled_list("challenges", "challenge"))
    labels = _labels(papers)
    rows = []
    for challenge in order:
        for paper in papers:
            found = challenges[(challenges["challenge"] == challenge) & (challenges["source"] == paper)]
            rated = found[found["severity_evidence"] != "unknown"]
            if found.empty:
                status, label = NOT_RAISED, NOT_RAISED
            elif rated.empty:
                status, label = "raised, no number printed", "raised"
            else:
                status = (
                    "rated (range for a group)"
                    if (rated["severity_evidence"] == "range").all()
                    else "rated (number printed)"
                )
                label = "\n".join(_rating_text(r) for r in rated.itertuples())
            rows.append(
                {
                    "challenge": challenge,
                    "paper": labels[paper],
                    "source": paper,
                    "status": status,
                    "label": label,
                    "raised as": "; ".join(dict.fromkeys(found["raised_as"])),
                    "where": "; ".join(dict.fromkeys(found["locator"])),
                }
            )
    return pd.DataFrame(rows, columns=["challenge", "paper", "source", "status", "label", "raised as", "where"])


def challenge_matrix(challenges: pd.DataFrame, *, papers: list[str] | None = None) -> pd.DataFrame:
    """The challenge x paper grid as a table: the rating 001 prints, ``raised`` or ``not raised``."""
    cells = challenge_cells(challenges, papers=papers)
    grid = cells.pivot(index="challenge", columns="paper", values="label")
    grid = grid.reindex(index=list(dict.fromkeys(cells["challenge"])), columns=list(dict.fromkeys(cells["paper"])))
    grid = grid.apply(lambda column: column.str.replace("\n", "; "))
    grid.columns.name = None
    return grid.reset_index()


def challenges_per_paper(challenges: pd.DataFrame, *, papers: list[str] | None = None) -> pd.DataFrame:
    """How many of the listed challenges each paper raises, and how many it rates (zeros shown)."""
    cells = challenge_cells(challenges, papers=papers)
    summary = cells.groupby("paper", sort=False).agg(
        raised=("status", lambda s: int((s != NOT_RAISED).sum())),
        rated=("status", lambda s: int(s.str.startswith("rated").sum())),
    )
    return summary.reset_index()


def _paper_axis_labels(cells: pd.DataFrame) -> dict[str, str]:
    raised = cells.groupby("paper", sort=False)["status"].apply(lambda s: (s != NOT_RAISED).sum())
    return {paper: f"{paper}: raises none" if count == 0 else paper for paper, count in raised.items()}


def challenge_heatmap_chart(
    challenges: pd.DataFrame, *, papers: list[str] | None = None, title: str = "Which paper raises which challenge"
) -> alt.LayerChart:
    """The challenge x paper matrix as an Altair heatmap, every cell labelled (even empty ones)."""
    cells = challenge_cells(challenges, papers=papers)
    axis_labels = _paper_axis_labels(cells)
    domain = [s for s in STATUS_COLOURS if s in set(cells["status"])]
    data = cells.assign(
        column=cells["paper"].map(axis_labels).str.replace(" (", "|(").str.replace(": ", ":|"),
        text_colour=cells["status"].map(lambda s: _text_colour(STATUS_COLOURS[s])),
        lines=cells["label"].map(_chart_lines),
        shown_as=cells["raised as"].replace("", "—"),
        shown_where=cells["where"].replace("", "—"),
    )
    # On a phone a cell is narrower than "not raised": the text is cut to the cell (the tooltip and the
    # table below give it whole) rather than spilling into the next cell.
    cell_width = {"expr": f"width / {data['column'].nunique()} - 4"}
    base = alt.Chart(data, title=chart_title(title)).encode(
        x=alt.X(
            "column:N",
            sort=list(dict.fromkeys(data["column"])),
            title=None,
            axis=alt.Axis(
                orient="bottom",
                labelAngle=-90,
                labelAlign="right",
                labelBaseline="middle",
                labelLimit=220,
                labelExpr="split(datum.value, '|')",
            ),
        ),
        y=alt.Y(
            "challenge:N",
            sort=list(dict.fromkeys(cells["challenge"])),
            title=None,
            axis=wrapped_label_axis(cells["challenge"].unique(), 16),
        ),
        tooltip=[
            alt.Tooltip("challenge:N", title="Challenge"),
            alt.Tooltip("paper:N", title="Paper"),
            alt.Tooltip("status:N", title="Status"),
            alt.Tooltip("label:N", title="Rating"),
            alt.Tooltip("shown_as:N", title="Raised as"),
            alt.Tooltip("shown_where:N", title="Where"),
        ],
    )
    rects = base.mark_rect(stroke=GRID_LINE, strokeWidth=1).encode(
        color=alt.Color(
            "status:N",
            title="Cell",
            scale=alt.Scale(domain=domain, range=[STATUS_COLOURS[s] for s in domain]),
            legend=alt.Legend(columns=1),
        )
    )
    labels = (
        base.transform_filter(alt.datum.status != NOT_RAISED)
        .mark_text(fontSize=12, limit=cell_width)
        .encode(text="lines:N", color=alt.Color("text_colour:N", scale=None))
    )
    # "—" rather than "not raised", which a phone's cell would cut; the legend and tooltip name it.
    absent = (
        base.transform_filter(alt.datum.status == NOT_RAISED)
        .mark_text(fontSize=12, color="#555555")
        .encode(text=alt.value("—"))
    )
    return (rects + labels + absent).properties(
        **FIT_TO_CONTAINER,
        height=max(40, 16 * label_lines(cells["challenge"].unique(), 16) + 6) * cells["challenge"].nunique(),
    )


# --- Cross-check: the severities in challenges.csv are the ones in review_ratings.csv ---------


def severity_crosscheck(challenges: pd.DataFrame, ratings: pd.DataFrame) -> pd.DataFrame:
    """Each rated challenge beside the rating row it comes from, and whether the numbers agree.

    The mapping rule: a ``challenges`` row with a number matches the ``review_ratings`` row of the
    same source whose ``locator`` is the figure the challenge's locator names ('Figure 8 (prose)'
    -> 'Figure 8') and whose ``item`` equals ``raised_as`` ignoring case.
    """
    rated = challenges[challenges["severity_evidence"] != "unknown"]
    rows = []
    for position, row in rated.iterrows():
        figure = _figure_of(row["locator"])
        match = ratings[
            (ratings["source"] == row["source"])
            & (ratings["locator"] == figure)
            & (ratings["item"].str.casefold() == row["raised_as"].casefold())
        ]
        if row["severity_evidence"] == "range":
            ours = f"{row['severity_low']:g}–{row['severity_high']:g}"
        else:
            ours = f"{row['severity']:g}"
        if len(match) != 1:
            theirs, agrees, rating_row = "", "no rating row" if match.empty else "several rating rows", pd.NA
        else:
            rating = match.iloc[0]
            theirs = (
                f"{rating['value_low']:g}–{rating['value_high']:g}"
                if rating["evidence"] == "range"
                else ""
                if pd.isna(rating["value"])
                else f"{rating['value']:g}"
            )
            agrees = "yes" if theirs == ours and rating["evidence"] == row["severity_evidence"] else "no"
            rating_row = ratings.index.get_loc(match.index[0]) + 2
        rows.append(
            {
                "challenge": row["challenge"],
                "raised as": row["raised_as"],
                "figure": figure,
                "challenges.csv": ours,
                "review_ratings.csv": theirs,
                "agrees": agrees,
                "challenges row": challenges.index.get_loc(position) + 2,
                "review_ratings row": rating_row,
            }
        )
    table = pd.DataFrame(
        rows,
        columns=[
            "challenge",
            "raised as",
            "figure",
            "challenges.csv",
            "review_ratings.csv",
            "agrees",
            "challenges row",
            "review_ratings row",
        ],
    )
    return table.astype({"challenges row": "int64", "review_ratings row": "Int64"})


def severity_mismatches(
    challenges: pd.DataFrame,
    ratings: pd.DataFrame,
    *,
    challenge_figures: tuple[str, ...] = ("Figure 8",),
    challenges_file: str = "data/challenges.csv",
    ratings_file: str = "data/review_ratings.csv",
) -> list[Problem]:
    """Every rated challenge whose number differs from (or has no) rating row, and every rating on a
    figure of challenges (``challenge_figures``; Figure 8 rates nothing else) missing from ``challenges``.

    Both tables as ``load_table`` returns them, so row numbers match the CSV files (header = row 1).
    """
    problems = []
    for row in severity_crosscheck(challenges, ratings).to_dict("records"):
        if row["agrees"] == "yes":
            continue
        where = f"'{row['challenge']}' ({row['raised as']}, {row['figure']})"
        if row["agrees"] == "no":
            message = (
                f"{where} is {row['challenges.csv']} here but {row['review_ratings.csv'] or 'empty'} in "
                f"{ratings_file} row {row['review_ratings row']} (or the evidence levels differ)"
            )
        else:
            message = f"{where}: {row['agrees']} in {ratings_file} match it"
        problems.append(Problem(challenges_file, row["challenges row"], "severity", message))
    mapped = {
        (r.source, _figure_of(r.locator), r.raised_as.casefold())
        for r in challenges.itertuples()
        if r.severity_evidence != "unknown"
    }
    for position, rating in enumerate(ratings.itertuples()):
        if (
            rating.locator in challenge_figures
            and (rating.source, rating.locator, rating.item.casefold()) not in mapped
        ):
            problems.append(
                Problem(
                    ratings_file,
                    position + 2,
                    "item",
                    f"{rating.locator} rates '{rating.item}', but {challenges_file} has no rated row for it",
                )
            )
    return problems


def check_challenge_severities(package_path: Path = DATAPACKAGE) -> list[Problem]:
    """Load ``challenges`` and ``review_ratings`` from a data package and cross-check their numbers."""
    package_path = Path(package_path)
    paths = {r["name"]: package_path.parent / r["path"] for r in read_package(package_path)["resources"]}
    return severity_mismatches(
        load_table("challenges", package_path),
        load_table("review_ratings", package_path),
        challenges_file=relative(paths["challenges"]),
        ratings_file=relative(paths["review_ratings"]),
    )


# --- The review's rating figures: rows, stated orderings, rankings ------------------------------


def _grid_value(row) -> str:
    if row.evidence == "range":
        return f"{row.value_low:g}–{row.value_high:g} (range)"
    if pd.isna(row.value):
        return "not printed"
    return f"{row.value:g}" + {"estimated": " (estimate)", "derived": " (derived)"}.get(row.evidence, "")


def rating_grid(rows: pd.DataFrame) -> pd.DataFrame:
    """One figure's ratings as an item x dimension grid: the value, 'not printed', or an estimate."""
    shown = rows.assign(shown=[_grid_value(r) for r in rows.itertuples()])
    grid = shown.pivot(index="item", columns="dimension", values="shown")
    grid = grid.reindex(index=list(dict.fromkeys(rows["item"])), columns=list(dict.fromkeys(rows["dimension"])))
    grid.columns.name = None
    return grid.reset_index()


def prose_statements(rows: pd.DataFrame) -> pd.DataFrame:
    """What the source's prose says about each item of a figure (its distinct quotes), in order."""
    pairs = rows[["item", "quote"]].drop_duplicates()
    return pairs.rename(columns={"quote": "what the source says"}).reset_index(drop=True)


def stated_orderings(orderings: pd.DataFrame, locator: str) -> pd.DataFrame:
    """What the prose says about one figure, as 'A > B' statements, with contradictions flagged."""
    rows = orderings[orderings["locator"] == locator]
    if rows.empty:
        raise KeyError(f"no orderings with locator '{locator}'")
    # as objects first: a note column read with no notes at all is float NaN, which pandas will not fill with text
    note = rows["note"].astype(object).fillna("")
    return pd.DataFrame(
        {
            "dimension": rows["dimension"],
            "statement": rows["higher_item"] + " " + rows["relation"] + " " + rows["lower_item"],
            "contradicted": note.str.contains("CONFLICT").map({True: "yes", False: ""}),
            "quote": rows["quote"],
        }
    ).reset_index(drop=True)


def _interval(row) -> tuple[float, float] | None:
    if row.evidence == "range":
        return row.value_low, row.value_high
    if pd.isna(row.value):
        return None
    return row.value, row.value


def rank_items(rows: pd.DataFrame) -> pd.DataFrame:
    """Rank a figure's items, 1 = highest; ties share a rank, and a range gives a span of ranks.

    An item's best rank is 1 + the number of items certainly above it (their lowest value exceeds
    its highest); its worst rank is 1 + the number possibly above it (their highest value exceeds
    its lowest). For single values the two agree and give the usual tied ("competition") rank.
    Items without a number are listed last, unranked.
    """
    intervals = {r.item: _interval(r) for r in rows.itertuples()}
    known = {item: span for item, span in intervals.items() if span is not None}
    table = []
    for position, row in enumerate(rows.itertuples()):
        span = intervals[row.item]
        if span is None:
            table.append(
                {
                    "item": row.item,
                    "value": "not printed",
                    "evidence": row.evidence,
                    "rank": "unranked",
                    "_best": len(rows) + 1,
                    "_worst": len(rows) + 1,
                    "_order": position,
                }
            )
            continue
        others = [s for item, s in known.items() if item != row.item]
        best = 1 + sum(other[0] > span[1] for other in others)
        worst = 1 + sum(other[1] > span[0] for other in others)
        shown = f"{span[0]:g}" if span[0] == span[1] else f"{span[0]:g}–{span[1]:g}"
        table.append(
            {
                "item": row.item,
                "value": shown,
                "evidence": row.evidence,
                "rank": str(best) if best == worst else f"{best}–{worst}",
                "_best": best,
                "_worst": worst,
                "_order": position,
            }
        )
    ranked = pd.DataFrame(table).sort_values(["_best", "_worst", "_order"], kind="stable")
    return ranked.drop(columns=["_best", "_worst", "_order"]).reset_index(drop=True)


def rerate(rows: pd.DataFrame, item: str, value: float, *, note: str = "re-rated by the reader") -> pd.DataFrame:
    """A copy of a figure's rows with ``item`` given ``value``, marked as an estimate (drawn hatched)."""
    if item not in set(rows["item"]):
        raise KeyError(f"'{item}' is not an item of this figure (items: {', '.join(rows['item'])})")
    changed = rows.copy()
    at = changed["item"] == item
    changed.loc[at, ["value", "value_low", "value_high"]] = [value, float("nan"), float("nan")]
    changed.loc[at, "evidence"] = "estimated"
    changed.loc[at, "note"] = note
    return changed


def gaps_table(gaps: pd.DataFrame, source: str) -> pd.DataFrame:
    """One paper's research gaps or limitations as printed, 'none printed' where a cell is empty."""
    rows = gaps[gaps["source"] == source]
    if rows.empty:
        raise KeyError(f"no research gaps for source '{source}'")
    shown = rows[["gap", "impact", "possible_solution", "locator"]].rename(
        columns={"possible_solution": "possible solution"}
    )
    return shown.fillna("none printed").reset_index(drop=True)


def methods_by_paradigm(methods: pd.DataFrame, source: str) -> pd.DataFrame:
    """One paper's learning methods, one row per method and place, its applications joined."""
    rows = methods[methods["source"] == source]
    if rows.empty:
        raise KeyError(f"no learning methods for source '{source}'")
    grouped = rows.groupby(["paradigm", "method", "locator"], sort=False).agg(
        applications=("application", "; ".join),
        note=("note", lambda n: "; ".join(dict.fromkeys(x for x in n if isinstance(x, str) and x))),
    )
    return grouped.reset_index()


__all__ = [
    "claims_per_outcome",
    "EVIDENCE_KINDS",
    "challenge_cells",
    "challenge_heatmap_chart",
    "challenge_matrix",
    "challenges_per_paper",
    "check_challenge_severities",
    "claims_by_paper",
    "controlled_list",
    "evidence_cells",
    "evidence_count_matrix",
    "evidence_heatmap_chart",
    "evidence_table",
    "figure_rows",
    "gaps_table",
    "methods_by_paradigm",
    "prose_statements",
    "rank_items",
    "rating_grid",
    "rerate",
    "review_opinion_only",
    "reviewed_keys",
    "severity_crosscheck",
    "severity_mismatches",
    "stated_orderings",
]
