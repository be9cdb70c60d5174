"""The stronger-evidence table: every fact traceable to a verified source, and the picture drawn from it."""

import csv

import pandas as pd
import pytest

from review_evidence import load_table
from review_evidence.bibliography import bibliography_keys, load_bibliography
from review_evidence.paths import REPO_ROOT
from review_evidence.prose_numbers import stronger_evidence_prose_numbers
from review_evidence.stronger_evidence import (
    EVIDENCE_FIELDS,
    effect_chart,
    effect_comparison,
    evidence_problems,
)


@pytest.fixture(scope="module")
def table():
    return load_table("stronger_evidence")


def test_every_row_is_traceable(table):
    assert evidence_problems(table) == []


def test_every_source_key_exists_and_added_sources_say_how_they_were_verified(table):
    keys = bibliography_keys()
    entries = {e.key: e for e in load_bibliography()}
    for source in table["source"]:
        assert source in keys
    for source in table.loc[table["role"] == "stronger evidence", "source"].unique():
        entry = entries[source]
        # an added source either says how it was verified or carries a DOI seen on its record
        assert "Verified" in (entry.get("note") or "") or entry.get("doi"), source
    assert table.loc[table["role"] == "stronger evidence", "verification"].str.len().min() > 30


@pytest.mark.parametrize("column", EVIDENCE_FIELDS)
def test_a_missing_evidence_field_fails_naming_row_and_column(table, column):
    broken = table.copy()
    broken.loc[broken.index[2], column] = ""
    problems = evidence_problems(broken)
    assert f"data/stronger_evidence.csv, row 4, column '{column}': empty" in problems
    assert all(p.startswith("data/stronger_evidence.csv, row 4, column") for p in problems)


def test_an_unknown_source_or_an_invented_number_fails(table):
    broken = table.copy()
    broken.loc[broken.index[0], "source"] = "nobody2099nothing"
    unknown = broken.index[broken["evidence"] == "unknown"][0]
    broken.loc[unknown, "value"] = 12.0
    problems = evidence_problems(broken)
    assert any("row 2, column 'source': 'nobody2099nothing' is not a key" in p for p in problems)
    assert any(
        f"row {unknown + 2}, column 'value': evidence 'unknown' must leave the value empty" in p for p in problems
    )


def test_the_picture_draws_percent_changes_only_with_stronger_evidence_first(table):
    drawn = effect_comparison(table)
    assert (drawn["unit"] == "percent change").all()
    assert list(drawn["role"]) == sorted(drawn["role"], key=["stronger evidence", "reviewed paper's claim"].index)
    # no number is drawn that the table leaves unknown, and the Amazon upper bound (not a change) stays out
    assert not set(drawn["effect"]) & set(table.loc[table["evidence"] == "unknown", "study"])
    assert "Amazon recommendation click-throughs" not in " ".join(drawn["effect"])
    spec = effect_chart(table).to_dict()
    assert "Spotify podcast recommendations: Podcast streams per user +28.9%" in spec["description"]


def test_the_stronger_evidence_is_smaller_than_the_case_study_claims(table):
    # the book's reading, checked against the data: the largest effect any experiment here measured on
    # engagement or sales is below the smallest relative gain the case study reports for its KPIs
    drawn = effect_comparison(table)
    experiments = drawn[drawn["role"] == "stronger evidence"]["value"]
    claims = drawn[drawn["role"] == "reviewed paper's claim"]["value"]
    assert experiments.max() < claims.max()


# ------------------------------------------------------------------ numbers the chapter's text quotes


@pytest.fixture(scope="module")
def csv_rows():
    with open(REPO_ROOT / "data" / "stronger_evidence.csv", encoding="utf-8", newline="") as file:
        return {(row["source"], row["outcome"]): row for row in csv.DictReader(file)}


def test_the_glued_numbers_are_the_rows_values(table, csv_rows):
    numbers = stronger_evidence_prose_numbers(table)
    streams = csv_rows[("holtz2020engagement", "Podcast streams per user")]
    assert streams["value"] == "28.90"  # the chapter prints it with the abstract's two decimals
    assert numbers["holtz2020engagement-podcast-streams-per-user"] == 28.9
    diversity = csv_rows[("holtz2020engagement", "Individual-level diversity of podcast streams")]
    assert diversity["value"] == "-11.51"
    assert numbers["holtz2020engagement-individual-level-diversity-of-podcast-streams"] == -11.51
    assert numbers["holtz2020engagement-individual-level-diversity-of-podcast-streams-size"] == 11.51  # "cut by"
    assert numbers["dube2017personalized-firm-s-expected-profits"] == float(
        csv_rows[("dube2017personalized", "Firm's expected profits")]["value"]
    )
    assert numbers["dube2017personalized-total-consumer-surplus-size"] == 23
    # the Amazon row is derived (100 - 75 = 25); the text quotes the source's 75 from the row's quote
    amazon = csv_rows[("sharma2015estimating", "Share of recommendation click-throughs caused by the recommendations")]
    assert amazon["evidence"] == "derived" and "at least 75% of this activity" in amazon["quote"]
    key = "sharma2015estimating-share-of-recommendation-click-throughs-caused-by-the-recommendations"
    assert (numbers[key], numbers[f"{key}-quoted"]) == (25, 75)
    # largest percent change with a comparison (Spotify's 28.90) and claimed without one (the case study's 57.7)
    assert (numbers["largest-experiment"], numbers["largest-claim"]) == (28.9, 57.7)
    valued = [row for row in csv_rows.values() if row["value"]]
    assert sum(f"{key}-size" in numbers for key in numbers) == len(valued)  # every row with a value, once
    assert not any(
        k.startswith(("lee2017recommender", "ascarza2018retention", "jannach2019measuring")) for k in numbers
    )


def test_an_edited_value_changes_the_glued_number_and_a_bad_row_fails_naming_it(table):
    edited = table.copy()
    streams = edited.index[edited["outcome"] == "Podcast streams per user"][0]
    edited.loc[streams, "value"] = 30.5
    numbers = stronger_evidence_prose_numbers(edited)
    assert numbers["holtz2020engagement-podcast-streams-per-user"] == 30.5
    assert numbers["largest-experiment"] == 30.5
    derived = edited.index[edited["evidence"] == "derived"][0]
    edited.loc[derived, "quote"] = "most of this activity would likely occur anyway"
    with pytest.raises(ValueError, match=rf"stronger_evidence.csv, row {derived + 2}, column 'quote'"):
        stronger_evidence_prose_numbers(edited)
    twice = pd.concat([table, table.iloc[[0]]], ignore_index=True)
    with pytest.raises(ValueError, match=rf"row {len(table) + 2}, columns 'source' and 'outcome'"):
        stronger_evidence_prose_numbers(twice)
    with pytest.raises(ValueError, match="stronger_evidence lacks the column"):
        stronger_evidence_prose_numbers(table.drop(columns="quote"))
