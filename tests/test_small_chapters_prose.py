"""The numbers the smaller chapters glue into their text (method, studies at a glance, techniques, the
evidence map and the study appraisal) follow the tables they are computed from.

Expected values are worked out by hand from small tables, or read from data/*.csv with the csv module.
"""

from __future__ import annotations

import csv
import re

import pandas as pd
import pytest

from review_evidence import load_table
from review_evidence.paths import REPO_ROOT
from review_evidence.prose_numbers import (
    evidence_map_prose_numbers,
    method_prose_numbers,
    stated_sample_size,
    studies_at_a_glance_prose_numbers,
    study_appraisal_prose_numbers,
    techniques_prose_numbers,
)


def _csv_rows(table: str) -> list[dict[str, str]]:
    with open(REPO_ROOT / "data" / f"{table}.csv", newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def _studies(sizes: dict[str, float | None]) -> pd.DataFrame:
    return pd.DataFrame({"source": list(sizes), "sample_size": pd.array(list(sizes.values()), dtype="Int64")})


def _descriptives(n: float) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "item": ["Total Spend", "Total Spend", "Sample"],
            "dimension": ["mean", "sd", "n"],
            "value": [120.0, 30.0, n],
        }
    )


# ------------------------------------------------------------------ studies at a glance, method


def test_the_stated_sample_size_is_the_studies_table_value_and_a_missing_one_is_an_error():
    studies = _studies({"ali-nd-engagement": 37, "patel2026generative": None})
    assert stated_sample_size(studies, "ali-nd-engagement") == 37
    with pytest.raises(ValueError, match=r"data/studies.csv: the row of 'patel2026generative' states no value"):
        stated_sample_size(studies, "patel2026generative")
    with pytest.raises(ValueError, match=r"expected one row with source 'nobody', found 0"):
        stated_sample_size(studies, "nobody")


def test_studies_at_a_glance_quotes_the_one_stated_sample_size():
    studies = _studies({"syamsir-nd-loyalty": None, "ali-nd-engagement": 37, "patel2026generative": None})
    assert studies_at_a_glance_prose_numbers(studies) == {"stated-sample-size": 37}


@pytest.mark.parametrize(
    "sizes, named",
    [
        ({"ali-nd-engagement": 37, "patel2026generative": 1200}, "2 values (ali-nd-engagement, patel2026generative)"),
        ({"ali-nd-engagement": None, "patel2026generative": None}, "0 values (none)"),
    ],
)
def test_studies_at_a_glance_fails_when_not_exactly_one_study_states_a_size(sizes, named):
    # the chapter says in words that only one study states a sample size
    expected = f"only one study states a sample size, but column 'sample_size' holds {named}"
    with pytest.raises(ValueError, match=re.escape(expected)):
        studies_at_a_glance_prose_numbers(_studies(sizes))


def test_studies_at_a_glance_on_the_books_table():
    stated = [row["sample_size"] for row in _csv_rows("studies") if row["sample_size"]]
    assert studies_at_a_glance_prose_numbers(load_table("studies")) == {"stated-sample-size": int(stated[0])}


def test_method_counts_the_rows_of_the_figures_that_print_no_number():
    ratings = pd.DataFrame(
        {
            "locator": ["Figure A", "Figure A", "Figure A", "Figure B", "Figure B", "Figure C", "Figure D"],
            "evidence": ["estimated", "unknown", "unknown", "reported", "unknown", "range", "unknown"],
        }
    )
    # Figures B and C print a number (a reported value, a range); A and D print none: 3 + 1 rows.
    assert method_prose_numbers(ratings, _studies({"ali-nd-engagement": 37})) == {
        "engagement-sample-size": 37,
        "unprinted-figure-rows": 4,
        "unprinted-figure-rows-estimated": 1,
        "unprinted-figure-rows-unknown": 3,
    }


def test_method_on_the_books_tables():
    rows = _csv_rows("review_ratings")
    printing = {row["locator"] for row in rows if row["evidence"] in ("reported", "range")}
    unprinted = [row["evidence"] for row in rows if row["locator"] not in printing]
    (engagement,) = [row for row in _csv_rows("studies") if row["source"] == "ali-nd-engagement"]
    assert method_prose_numbers(load_table("review_ratings"), load_table("studies")) == {
        "engagement-sample-size": int(engagement["sample_size"]),
        "unprinted-figure-rows": len(unprinted),
        "unprinted-figure-rows-estimated": unprinted.count("estimated"),
        "unprinted-figure-rows-unknown": unprinted.count("unknown"),
    }


# ------------------------------------------------------------------ techniques, evidence map, appraisal


def test_techniques_counts_the_cells_of_its_figures():
    figures = pd.DataFrame({"evidence": ["estimated", "unknown", "reported", "unknown", "unknown", "range"]})
    assert techniques_prose_numbers(figures, _studies({"ali-nd-engagement": 37})) == {
        "figure-cells": 6,
        "figure-cells-unknown": 3,
        "engagement-sample-size": 37,
    }


def test_the_evidence_map_quotes_the_engagement_studys_n():
    assert evidence_map_prose_numbers(_descriptives(37)) == {"engagement-n": 37}
    with pytest.raises(ValueError, match="'Sample' / 'n' row"):
        evidence_map_prose_numbers(_descriptives(37).iloc[:2])


@pytest.mark.parametrize("r, printed", [(0.23, ".23"), (-0.05, "−.05")])
def test_the_appraisal_quotes_the_engagement_studys_n_and_its_email_correlation(r, printed):
    descriptives = load_table("engagement_descriptives")
    descriptives.loc[descriptives["item"] == "Sample", "value"] = 60.0
    correlations = load_table("engagement_correlations")
    variables = ["Total Spend", "Email Engagement Rate"]
    pair = correlations["variable_a"].isin(variables) & correlations["variable_b"].isin(variables)
    correlations.loc[pair & (correlations["variable_a"] != correlations["variable_b"]), "r"] = r
    numbers = study_appraisal_prose_numbers(
        descriptives, correlations, load_table("engagement_regression"), load_table("engagement_membership")
    )
    assert numbers == {"engagement-n": 60, "r-total-spend-email-engagement-rate-apa": printed}


def test_the_two_tables_that_state_the_engagement_studys_n_agree():
    """Method, studies at a glance and techniques quote the n from data/studies.csv; the engagement study,
    the evidence map and the appraisal from engagement_descriptives."""
    (studies_row,) = [row for row in _csv_rows("studies") if row["source"] == "ali-nd-engagement"]
    (sample_row,) = [row for row in _csv_rows("engagement_descriptives") if row["item"] == "Sample"]
    assert float(studies_row["sample_size"]) == float(sample_row["value"]), (
        "data/studies.csv (sample_size of ali-nd-engagement) and data/engagement_descriptives.csv "
        "(the 'Sample' / 'n' row) state different sample sizes for the engagement study"
    )
