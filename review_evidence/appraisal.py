"""Appraisal charts: robvis-style traffic lights for the study appraisal, and the evidence map.

Traffic lights follow the convention of robvis (McGuinness & Higgins 2021): one circle per study
and domain, coloured by the judgement and marked with a symbol, so that colour is never the only
cue ("+" low concern, "−" some concerns, "×" high concern, "n/a" not applicable, drawn hollow).

The evidence map follows the idea of evidence and gap maps (Snilstveit et al. 2016): techniques by
outcomes, one marker per paper that makes a claim in a cell, coloured *and* shaped by the kind of
evidence behind the claim.  Every combination of the controlled vocabularies is drawn, so a cell
with no claim at all stays visibly empty: a gap.
"""

from __future__ import annotations

import json
from pathlib import Path

import altair as alt
import pandas as pd

from .bibliography import citation_label
from .matrices import EVIDENCE_KINDS, controlled_list, evidence_cells
from .paths import DATAPACKAGE
from .theme import FIT_TO_CONTAINER, OKABE_ITO, PALETTE, chart_title, wrapped_label_axis


def _citation_labels(sources: pd.Series) -> dict[str, str]:
    """Label each distinct BibTeX key once (``citation_label`` re-reads the bibliography)."""
    return {key: citation_label(key) for key in sources.unique()}


#: One style per judgement: colour, symbol drawn inside the circle, and whether the circle is filled.
JUDGEMENT_STYLE = {
    "low concern": {"colour": OKABE_ITO["bluish green"], "symbol": "+", "filled": True},
    "some concerns": {"colour": OKABE_ITO["orange"], "symbol": "−", "filled": True},
    "high concern": {"colour": OKABE_ITO["vermillion"], "symbol": "×", "filled": True},
    "not applicable": {"colour": "#FFFFFF", "symbol": "n/a", "filled": False},
}
#: Kinds of evidence (matrices.EVIDENCE_KINDS, strongest design first), with the same colours as the study-design chart.
KIND_STYLE = {
    kind: {"colour": PALETTE[i], "marker": m, "shape": s}
    for i, (kind, m, s) in enumerate(zip(EVIDENCE_KINDS, "os^D", ["circle", "square", "triangle-up", "diamond"]))
}


controlled_vocabulary = controlled_list  # the appraisal chapter's name for it


# ----------------------------------------------------------------------------- traffic lights


def _appraisal_frame(appraisal: pd.DataFrame) -> pd.DataFrame:
    frame = appraisal.assign(
        paper=appraisal["source"].map(_citation_labels(appraisal["source"])),
        symbol=appraisal["judgement"].map(lambda j: JUDGEMENT_STYLE[j]["symbol"]),
    )
    frame["key"] = frame["symbol"] + "  " + frame["judgement"]
    return frame


def traffic_light_data(appraisal: pd.DataFrame, package_path: Path = DATAPACKAGE) -> pd.DataFrame:
    """The judgements as a paper × domain table (papers in table order): what the traffic lights draw."""
    frame = _appraisal_frame(appraisal)
    domains = controlled_vocabulary("appraisal", "domain", package_path)
    papers = list(dict.fromkeys(frame["paper"]))
    wide = frame.pivot(index="paper", columns="domain", values="judgement").reindex(index=papers, columns=domains)
    return wide.reset_index().rename_axis(None, axis=1)


def judgement_summary(appraisal: pd.DataFrame, package_path: Path = DATAPACKAGE) -> pd.DataFrame:
    """How many papers received each judgement in each domain (zeros included)."""
    domains = controlled_vocabulary("appraisal", "domain", package_path)
    judgements = controlled_vocabulary("appraisal", "judgement", package_path)
    counts = pd.crosstab(
        pd.Categorical(appraisal["domain"], categories=domains),
        pd.Categorical(appraisal["judgement"], categories=judgements),
        dropna=False,
    )
    counts.index.name, counts.columns.name = "domain", None
    counts.columns = [str(c) for c in counts.columns]
    return counts.reset_index()


def traffic_light_chart(appraisal: pd.DataFrame, package_path: Path = DATAPACKAGE) -> alt.LayerChart:
    """robvis-style traffic lights: a circle per paper and domain, colour plus symbol per judgement."""
    frame = _appraisal_frame(appraisal)
    domains = controlled_vocabulary("appraisal", "domain", package_path)
    judgements = controlled_vocabulary("appraisal", "judgement", package_path)
    keys = [f"{JUDGEMENT_STYLE[j]['symbol']}  {j}" for j in judgements]
    papers = list(dict.fromkeys(frame["paper"]))
    base = alt.Chart(frame, title=chart_title("Appraisal of the five papers, domain by domain")).encode(
        x=alt.X(
            "domain:N",
            sort=domains,
            title=None,
            axis=alt.Axis(orient="top", labelAngle=-40, labelAlign="left", labelLimit=220),
        ),
        y=alt.Y("paper:N", sort=papers, title=None, axis=wrapped_label_axis(papers, 14)),
        tooltip=[
            alt.Tooltip("paper:N", title="Paper"),
            alt.Tooltip("domain:N", title="Domain"),
            alt.Tooltip("judgement:N", title="Judgement"),
            alt.Tooltip("rationale:N", title="Why"),
            alt.Tooltip("quote:N", title="The paper says"),
            alt.Tooltip("locator:N", title="Where"),
        ],
    )
    circles = base.mark_circle(size=900, opacity=1, stroke="#000000", strokeWidth=1).encode(
        color=alt.Color(
            "key:N",
            title="Judgement",
            scale=alt.Scale(domain=keys, range=[JUDGEMENT_STYLE[j]["colour"] for j in judgements]),
        )
    )
    symbols = base.mark_text(fontSize=15, fontWeight="bold").encode(
        text="symbol:N",
        color=alt.condition(alt.datum.judgement == "not applicable", alt.value("#000000"), alt.value("#FFFFFF")),
    )
    counts = frame["judgement"].value_counts()
    summary = ", ".join(f"{counts.get(j, 0)} {j}" for j in judgements)
    # every judgement but the most common one, cell by cell (the rest are that one)
    rarer = [
        f"{j}: " + ", ".join(f"{r.paper} for {r.domain}" for r in frame[frame["judgement"] == j].itertuples())
        for j in judgements
        if 0 < counts.get(j, 0) and j != counts.idxmax()
    ]
    symbols_key = ", ".join(f"{JUDGEMENT_STYLE[j]['symbol']} {j}" for j in judgements)
    return (circles + symbols).properties(
        **FIT_TO_CONTAINER,
        height=260,
        description=f"Traffic-light grid of {len(papers)} papers by {len(domains)} appraisal domains, one circle per "
        f"judgement marked with its symbol ({symbols_key}): {summary}. {'; '.join(rarer)}; every other circle is "
        f"{counts.idxmax()}. The table below the chart gives every judgement by paper and domain.",
    )


# ----------------------------------------------------------------------------- evidence map


def evidence_map_cells(technique_outcomes: pd.DataFrame, package_path: Path = DATAPACKAGE) -> pd.DataFrame:
    """Every technique × outcome combination of the controlled vocabularies, with what supports it.

    Columns: technique, outcome, claims (rows of the table), papers (distinct), kinds (the kinds of
    evidence present, strongest first; empty for a gap), strongest (the strongest kind or "none").
    The cells are the evidence map's (:func:`review_evidence.matrices.evidence_cells`), every one of them.
    """
    cells = evidence_cells(
        technique_outcomes,
        techniques=controlled_list("technique_outcomes", "technique", package_path),
        outcomes=controlled_list("technique_outcomes", "outcome", package_path),
        include_empty=True,
        package_path=package_path,
    )
    strongest = cells["strongest evidence"].where(cells["claims"] > 0, "none")
    return cells.assign(strongest=strongest)[["technique", "outcome", "claims", "papers", "kinds", "strongest"]]


def evidence_coverage(technique_outcomes: pd.DataFrame, package_path: Path = DATAPACKAGE) -> pd.DataFrame:
    """Technique × outcome table of the number of claims (0 = a gap): the map as numbers."""
    cells = evidence_map_cells(technique_outcomes, package_path)
    techniques = list(dict.fromkeys(cells["technique"]))
    outcomes = list(dict.fromkeys(cells["outcome"]))
    wide = cells.pivot(index="technique", columns="outcome", values="claims").reindex(
        index=techniques, columns=outcomes
    )
    return wide.reset_index().rename_axis(None, axis=1)


def evidence_gap_summary(technique_outcomes: pd.DataFrame, package_path: Path = DATAPACKAGE) -> pd.DataFrame:
    """How many cells have no claim, only review opinion or proposals, a case report, or empirical data."""
    cells = evidence_map_cells(technique_outcomes, package_path)
    level = cells["strongest"].map(
        {
            "none": "no claim at all",
            "review opinion": "opinion or proposal only",
            "framework proposal": "opinion or proposal only",
            "case report": "best is a case report",
            "empirical": "empirical data",
        }
    )
    order = ["no claim at all", "opinion or proposal only", "best is a case report", "empirical data"]
    counts = level.value_counts().reindex(order, fill_value=0)
    return pd.DataFrame(
        {"cells": order, "count": counts.to_numpy(), "share": (counts / len(cells)).round(3).to_numpy()}
    )


def _claims_frame(technique_outcomes: pd.DataFrame, papers: list[str]) -> pd.DataFrame:
    return technique_outcomes.assign(
        paper=technique_outcomes["source"].map(_citation_labels(technique_outcomes["source"])),
        slot=technique_outcomes["source"].map(papers.index),
    )


def evidence_map_chart(
    technique_outcomes: pd.DataFrame, papers: list[str] | None = None, package_path: Path = DATAPACKAGE
) -> alt.LayerChart:
    """Techniques × outcomes; in each cell one marker per claiming paper (always in the same slot,
    left to right in ``papers`` order), coloured and shaped by the kind of evidence."""
    papers = papers or list(dict.fromkeys(technique_outcomes["source"]))
    cells = evidence_map_cells(technique_outcomes, package_path)
    techniques = list(dict.fromkeys(cells["technique"]))
    outcomes = list(dict.fromkeys(cells["outcome"]))
    claims = _claims_frame(technique_outcomes, papers)
    # Positions are computed rather than left to Vega-Lite's offset channel, so that every cell keeps
    # its full width and each paper's marker sits in the same slot of every cell.
    cells = cells.assign(left=cells["outcome"].map(outcomes.index))
    cells["right"] = cells["left"] + 1
    claims["position"] = claims["outcome"].map(outcomes.index) + 0.1 + 0.8 * (claims["slot"] + 0.5) / len(papers)
    labels = json.dumps(outcomes)
    x_scale = alt.Scale(domain=[0, len(outcomes)], nice=False, zero=False)
    x_axis = alt.Axis(
        orient="top",
        values=[i + 0.5 for i in range(len(outcomes))],
        labelExpr=f"{labels}[floor(datum.value)]",
        labelAngle=-45,
        labelAlign="left",
        labelLimit=200,
        labelOverlap=False,
        grid=False,
        ticks=False,
        domain=False,
    )
    y = alt.Y(
        "technique:N",
        sort=techniques,
        title=None,
        scale=alt.Scale(paddingInner=0, paddingOuter=0),
        axis=wrapped_label_axis(techniques, 18, ticks=False, domain=False),
    )
    grid = (
        alt.Chart(cells)
        .mark_rect(fill="#FFFFFF", stroke="#999999", strokeWidth=0.7)
        .encode(
            x=alt.X("left:Q", scale=x_scale, axis=x_axis, title=None),
            x2="right:Q",
            y=y,
            tooltip=[
                alt.Tooltip("technique:N", title="Technique"),
                alt.Tooltip("outcome:N", title="Outcome"),
                alt.Tooltip("claims:Q", title="Claims"),
                alt.Tooltip("kinds:N", title="Kinds of evidence"),
            ],
        )
    )
    marks = (
        alt.Chart(claims)
        .mark_point(filled=True, size=70, opacity=1, stroke="#000000", strokeWidth=0.6)
        .encode(
            x=alt.X("position:Q", scale=x_scale, axis=x_axis, title=None),
            y=y,
            color=alt.Color(
                "evidence_kind:N",
                title="Kind of evidence",
                scale=alt.Scale(domain=EVIDENCE_KINDS, range=[KIND_STYLE[k]["colour"] for k in EVIDENCE_KINDS]),
            ),
            shape=alt.Shape(
                "evidence_kind:N",
                title="Kind of evidence",
                scale=alt.Scale(domain=EVIDENCE_KINDS, range=[KIND_STYLE[k]["shape"] for k in EVIDENCE_KINDS]),
            ),
            tooltip=[
                alt.Tooltip("technique:N", title="Technique"),
                alt.Tooltip("outcome:N", title="Outcome"),
                alt.Tooltip("paper:N", title="Paper"),
                alt.Tooltip("evidence_kind:N", title="Kind of evidence"),
                alt.Tooltip("direction:N", title="Direction"),
                alt.Tooltip("quote:N", title="The paper says"),
                alt.Tooltip("locator:N", title="Where"),
            ],
        )
    )
    title = chart_title(
        "Evidence map: techniques × outcomes, one marker per paper that makes a claim",
        subtitle="Slots in each cell, left to right: "
        + "; ".join(citation_label(p) for p in papers)
        + ". An empty cell is a gap.",
    )
    gaps = int((cells["claims"] == 0).sum())
    markers = claims["evidence_kind"].value_counts()
    shapes = "; ".join(
        f"{KIND_STYLE[k]['shape'].split('-')[0]} {k} ({markers.get(k, 0)} markers)" for k in EVIDENCE_KINDS
    )
    empirical = cells[cells["strongest"] == "empirical"]
    description = (
        f"Evidence map: a grid of {len(techniques)} techniques by {len(outcomes)} outcomes with "
        f"{len(claims)} claims in {len(cells) - gaps} cells; {gaps} cells are empty gaps. "
        f"Markers are coloured and shaped by kind of evidence: {shapes}. "
        f"{len(empirical)} cells hold empirical evidence: "
        + "; ".join(f"{r.technique} × {r.outcome}" for r in empirical.itertuples())
        + ". The coverage table below the chart gives the number of claims in every cell."
    )
    return alt.layer(grid, marks, title=title).properties(
        **FIT_TO_CONTAINER, height=30 * len(techniques), description=description
    )


#: What the empirical claims of each paper actually measure (this book's reading, one line per paper):
#: the regression study relates how much customers engage with a channel to their spending, in 50
#: synthesized rows, and never assigns personalization; the benchmark prints classification accuracy
#: with baselines copied from other papers.  A paper not listed would count as evidence on an intervention.
EMPIRICAL_BASIS = {
    "ali-nd-engagement": "association with engagement behaviour (synthesized data)",
    "patel2026generative": "prediction accuracy (baselines copied from other papers)",
}
INTERVENTION = "effect of a personalization intervention"


def empirical_basis(technique_outcomes: pd.DataFrame) -> pd.DataFrame:
    """The empirical claims, each labelled with what it measures: an intervention's effect, an
    association with engagement behaviour, or prediction accuracy (:data:`EMPIRICAL_BASIS`)."""
    empirical = technique_outcomes[technique_outcomes["evidence_kind"] == "empirical"]
    return pd.DataFrame(
        {
            "technique": empirical["technique"],
            "outcome": empirical["outcome"],
            "paper": empirical["source"].map(_citation_labels(empirical["source"])) if len(empirical) else [],
            "direction": empirical["direction"],
            "what it measures": empirical["source"].map(lambda s: EMPIRICAL_BASIS.get(s, INTERVENTION)),
        }
    ).reset_index(drop=True)


def strongest_inconsistencies(appraisal: pd.DataFrame) -> pd.DataFrame:
    """Each paper's strongest inconsistency, as named in the note of its 'results internally
    consistent' row (the sentence starting "Strongest inconsistency:"), with that row's judgement."""
    rows = appraisal[appraisal["domain"] == "results internally consistent"]
    named = rows["note"].fillna("").str.extract(r"Strongest inconsistency: ([^.]*(?:\.\d[^.]*)*\.)", expand=False)
    missing = rows.loc[named.isna(), "source"].tolist()
    if missing:
        raise ValueError(
            f"data/appraisal.csv: the 'results internally consistent' row of {missing} names no "
            "'Strongest inconsistency:' in column 'note'"
        )
    return pd.DataFrame(
        {
            "paper": rows["source"].map(_citation_labels(rows["source"])),
            "judgement": rows["judgement"],
            "strongest inconsistency": named,
        }
    ).reset_index(drop=True)


__all__ = [
    "EMPIRICAL_BASIS",
    "strongest_inconsistencies",
    "EVIDENCE_KINDS",
    "INTERVENTION",
    "empirical_basis",
    "JUDGEMENT_STYLE",
    "controlled_vocabulary",
    "evidence_coverage",
    "evidence_gap_summary",
    "evidence_map_cells",
    "evidence_map_chart",
    "judgement_summary",
    "traffic_light_chart",
    "traffic_light_data",
]
