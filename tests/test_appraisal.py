"""The appraisal table (one judgement per paper and domain, each backed by a verbatim quote), the
traffic-light charts and the evidence map."""

import pandas as pd
import pytest

from review_evidence import load_table
from review_evidence.appraisal import (
    EVIDENCE_KINDS,
    JUDGEMENT_STYLE,
    controlled_vocabulary,
    evidence_coverage,
    evidence_gap_summary,
    evidence_map_cells,
    evidence_map_chart,
    judgement_summary,
    traffic_light_chart,
    traffic_light_data,
)
from review_evidence.audit_table import build_audit_table
from review_evidence.bibliography import citation_label
from review_evidence.quotes import quote_in_seed, seed_files

DOMAINS = [
    "data described and available",
    "sample size stated",
    "method reproducible",
    "results internally consistent",
    "claims proportionate to evidence",
    "references relevant and correct",
    "metadata consistent",
]
JUDGEMENTS = ["low concern", "some concerns", "high concern", "not applicable"]


@pytest.fixture(scope="module")
def appraisal():
    return load_table("appraisal")


@pytest.fixture(scope="module")
def studies():
    return load_table("studies")


@pytest.fixture(scope="module")
def claims():
    return load_table("technique_outcomes")


# ------------------------------------------------------------------ the appraisal table


def test_one_judgement_per_paper_and_domain(appraisal, studies):
    assert controlled_vocabulary("appraisal", "domain") == DOMAINS
    assert controlled_vocabulary("appraisal", "judgement") == JUDGEMENTS
    assert len(appraisal) == len(studies) * len(DOMAINS) == 35
    pairs = set(zip(appraisal["source"], appraisal["domain"]))
    assert pairs == {(s, d) for s in studies["source"] for d in DOMAINS}


def test_every_judgement_is_backed_by_a_verbatim_quote(appraisal, studies, seeds):
    files = seed_files(studies, seeds)
    missing = [
        f"data/appraisal.csv, row {i + 2}: {row.quote[:70]!r} not in {files[row.source].name}"
        for i, row in enumerate(appraisal.itertuples())
        if not quote_in_seed(row.quote, files[row.source])
    ]
    assert not missing, "\n".join(missing)
    assert appraisal["rationale"].str.len().min() > 40


def test_a_quote_from_another_paper_is_caught(appraisal, studies, seeds):
    files = seed_files(studies, seeds)
    charlotte_quote = appraisal.set_index(["source", "domain"]).loc[
        ("charlotte2020segmentation", "references relevant and correct"), "quote"
    ]
    assert quote_in_seed(charlotte_quote, files["charlotte2020segmentation"])
    assert not quote_in_seed(charlotte_quote, files["patel2026generative"])


def test_internal_consistency_judgements_agree_with_the_audit(appraisal):
    # A paper with an inconsistency in the audit cannot be of "low concern" for internal consistency,
    # and a paper whose every check is consistent cannot be of "high concern".
    audit = build_audit_table()
    judged = appraisal[appraisal["domain"] == "results internally consistent"].set_index("source")["judgement"]
    for source, judgement in judged.items():
        # the domain concerns printed numbers; dates, claims and reporting have domains of their own
        printed = audit[(audit["paper"] == citation_label(source)) & (audit["kind"] == "printed numbers")]
        verdicts = set(printed["verdict"])
        if verdicts & {"inconsistent", "impossible"}:
            assert judgement != "low concern", source
        if verdicts and verdicts <= {"consistent"}:
            assert judgement != "high concern", source
    # by hand: Patel's two F1 scores fail Equation (6); Charlotte's four KPI changes all recompute
    assert judged["patel2026generative"] == "high concern"
    assert judged["charlotte2020segmentation"] == "low concern"


def test_the_framework_paper_has_no_sample_to_judge(appraisal):
    pathe = appraisal[appraisal["source"] == "pathe2024personalized"].set_index("domain")["judgement"]
    assert pathe["sample size stated"] == "not applicable"
    assert pathe["results internally consistent"] == "not applicable"
    # the only paper that states its sample size (n = 50, §3.3)
    stated = appraisal[(appraisal["domain"] == "sample size stated") & (appraisal["judgement"] == "low concern")]
    assert list(stated["source"]) == ["ali-nd-engagement"]


# ------------------------------------------------------------------ traffic lights


def test_traffic_light_data_is_paper_by_domain(appraisal):
    wide = traffic_light_data(appraisal)
    assert list(wide.columns) == ["paper", *DOMAINS]
    assert list(wide["paper"]) == [
        "Ali et al. (n.d.)",
        "Syamsir et al. (n.d.)",
        "Patel (2026)",
        "Pathe (2024)",
        "Charlotte (2020?)",
    ]
    assert wide.set_index("paper").loc["Ali et al. (n.d.)", "sample size stated"] == "low concern"
    assert wide.drop(columns="paper").isin(JUDGEMENTS).all().all()


def test_judgement_summary_counts_every_paper_once_per_domain(appraisal):
    summary = judgement_summary(appraisal)
    assert list(summary["domain"]) == DOMAINS
    assert (summary[JUDGEMENTS].sum(axis=1) == 5).all()
    assert summary.set_index("domain").loc["method reproducible", "high concern"] == 5


def test_judgements_are_told_apart_by_symbol_not_only_colour():
    symbols = [JUDGEMENT_STYLE[j]["symbol"] for j in JUDGEMENTS]
    colours = [JUDGEMENT_STYLE[j]["colour"] for j in JUDGEMENTS]
    assert len(set(symbols)) == len(set(colours)) == len(JUDGEMENTS)


def test_traffic_light_chart_spec(appraisal):
    spec = traffic_light_chart(appraisal).to_dict()
    circles, symbols = spec["layer"]
    assert circles["mark"]["type"] == "circle"
    assert symbols["encoding"]["text"]["field"] == "symbol"
    assert circles["encoding"]["color"]["scale"]["domain"] == [
        "+  low concern",
        "−  some concerns",
        "×  high concern",
        "n/a  not applicable",
    ]
    tooltip_fields = {t["field"] for t in circles["encoding"]["tooltip"]}
    assert {"rationale", "quote", "locator"} <= tooltip_fields
    # 2 + 9 + 22 + 2 judgements, counted by hand from data/appraisal.csv
    assert "2 low concern, 8 some concerns, 23 high concern, 2 not applicable" in spec["description"]


# ------------------------------------------------------------------ evidence map


def test_every_cell_of_the_vocabularies_is_mapped(claims):
    cells = evidence_map_cells(claims)
    techniques = controlled_vocabulary("technique_outcomes", "technique")
    outcomes = controlled_vocabulary("technique_outcomes", "outcome")
    assert len(cells) == len(techniques) * len(outcomes) == 150
    assert cells["claims"].sum() == len(claims)
    by_cell = cells.set_index(["technique", "outcome"])
    # by hand from the table: Ali et al.'s regression is the only claim on email and spend
    assert by_cell.loc[("Email personalization", "spend / order value"), "strongest"] == "empirical"
    # nobody claims anything about social media and engagement: a gap
    assert by_cell.loc[("Social media personalization", "engagement"), "claims"] == 0
    assert by_cell.loc[("Social media personalization", "engagement"), "strongest"] == "none"


def test_gap_summary(claims):
    summary = evidence_gap_summary(claims).set_index("cells")
    assert summary["count"].sum() == 150
    # cells with empirical data, counted by hand: Patel's two prediction-accuracy cells and Ali et
    # al.'s email/spend, social media/spend, app/spend, app/satisfaction, membership/spend
    assert summary.loc["empirical data", "count"] == 7


def test_a_new_claim_fills_a_gap(claims):
    extra = pd.DataFrame(
        [
            {
                **claims.iloc[0].to_dict(),
                "technique": "Social media personalization",
                "outcome": "engagement",
                "evidence_kind": "case report",
            }
        ]
    )
    cells = evidence_map_cells(pd.concat([claims, extra], ignore_index=True)).set_index(["technique", "outcome"])
    assert cells.loc[("Social media personalization", "engagement"), "strongest"] == "case report"
    coverage = evidence_coverage(claims).set_index("technique")
    assert coverage.loc["Social media personalization", "engagement"] == 0


def test_evidence_map_chart_keeps_each_paper_in_its_slot(claims, studies):
    papers = list(studies["source"])
    spec = evidence_map_chart(claims, papers).to_dict()
    grid, marks = spec["layer"]
    assert grid["mark"]["type"] == "rect"
    assert marks["encoding"]["shape"]["scale"]["domain"] == EVIDENCE_KINDS
    datasets = spec["datasets"]
    grid_rows = datasets[grid["data"]["name"]]
    assert len(grid_rows) == 150
    assert "99 cells are empty gaps" in spec["description"]
    # Ali et al. (slot 0) on outcome 0 sits at 0 + 0.1 + 0.8 * 0.5 / 5 = 0.18
    points = pd.DataFrame(datasets[marks["data"]["name"]])
    first = points[(points["source"] == "ali-nd-engagement") & (points["outcome"] == "spend / order value")]
    outcome_index = controlled_vocabulary("technique_outcomes", "outcome").index("spend / order value")
    assert first["position"].iloc[0] == pytest.approx(outcome_index + 0.18)


def test_audit_findings_reach_the_appraisal_rows(appraisal):
    # every paper with a method promised but not reported says so under "method reproducible", and the
    # review's consistency judgement rests on its own contradictions (Figure 4's two "highest")
    audit = build_audit_table()
    method = appraisal[appraisal["domain"] == "method reproducible"].set_index("source")["rationale"]
    for source in appraisal["source"].unique():
        if ((audit["paper"] == citation_label(source)) & (audit["verdict"] == "not reported")).any():
            assert "method promised but not reported" in method[source], source
    review = appraisal[
        (appraisal["source"] == "syamsir-nd-loyalty") & (appraisal["domain"] == "results internally consistent")
    ].iloc[0]
    assert review["judgement"] == "high concern"
    assert "Figure 4" in review["rationale"] and "operational efficiency" in review["rationale"]
    assert "digital revolution" in review["rationale"]


def test_empirical_cells_are_split_by_what_they_measure():
    import pandas as pd

    from review_evidence import load_table
    from review_evidence.appraisal import INTERVENTION, empirical_basis

    basis = empirical_basis(load_table("technique_outcomes"))
    # the book's seven empirical claims: none measures an intervention
    assert len(basis) == 7 and INTERVENTION not in set(basis["what it measures"])
    made_up = pd.DataFrame(
        {
            "technique": ["Email personalization"],
            "outcome": ["conversion"],
            "source": ["charlotte2020segmentation"],
            "direction": ["positive"],
            "evidence_kind": ["empirical"],
        }
    )
    assert list(empirical_basis(made_up)["what it measures"]) == [INTERVENTION]


def test_each_paper_names_its_strongest_inconsistency(appraisal):
    from review_evidence.appraisal import strongest_inconsistencies

    named = strongest_inconsistencies(appraisal).set_index("paper")["strongest inconsistency"]
    assert len(named) == 5
    assert "impossible" in named["Patel (2026)"] and "Figure 4" in named["Syamsir et al. (n.d.)"]
    broken = appraisal.copy()
    broken.loc[broken["domain"] == "results internally consistent", "note"] = ""
    with pytest.raises(ValueError, match="column 'note'"):
        strongest_inconsistencies(broken)
