"""The industry-cases chapter's glued numbers: each one is a fact of data/industry_cases.csv, keyed by case and fact.

Expected values are read from the CSV with the csv module (not through the package) or worked out by hand.
"""

import csv

import pandas as pd
import pytest

from review_evidence import load_table
from review_evidence.paths import REPO_ROOT
from review_evidence.prose_numbers import industry_cases_prose_numbers


@pytest.fixture(scope="module")
def rows():
    with open(REPO_ROOT / "data" / "industry_cases.csv", encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


@pytest.fixture(scope="module")
def numbers():
    return industry_cases_prose_numbers(load_table("industry_cases"))


def _row(rows, company, unit, period_start=""):
    (row,) = [r for r in rows if r["company"] == company and r["unit"] == unit and r["period"].startswith(period_start)]
    return row


# key -> (company, unit, start of the period): the facts the chapter quotes, named by hand
QUOTED_FACTS = {
    "netflix-hours-streamed": ("Netflix", "percent of hours streamed", ""),
    "netflix-viewing": ("Netflix", "percent of viewing", ""),
    "netflix-usd-billion-per-year": ("Netflix", "USD billion per year (lower bound)", ""),
    "amazon-purchases": ("Amazon", "percent of purchases", ""),
    "amazon-recommendation-click-throughs": ("Amazon", "percent of recommendation click-throughs (lower bound)", ""),
    "starbucks-million-members-2018": ("Starbucks", "million members", "Q4 fiscal 2018"),
    "starbucks-million-members-2019": ("Starbucks", "million members", "Q3 fiscal 2019"),
    "spotify-listening": ("Spotify", "percent of listening", ""),
    "spotify-monthly-content-hours": ("Spotify", "percent of monthly content hours", ""),
}


@pytest.mark.parametrize("key", QUOTED_FACTS)
def test_each_quoted_fact_is_its_row_value_with_its_period(numbers, rows, key):
    row = _row(rows, *QUOTED_FACTS[key])
    assert numbers[key] == float(row["value"])
    assert numbers[f"{key}-period"] == row["period"]


def test_every_fact_with_a_value_is_glued_once(numbers, rows):
    valued = [r for r in rows if r["value"]]
    facts = [k for k in numbers if not k.endswith(("-period", "-rest-at-most", "-users-millions", "-active-days"))]
    assert len(facts) == len(valued) == 10  # nine quoted facts and the year 1998
    assert numbers["amazon-year"] == 1998


def test_the_derived_numbers_follow_their_rows(numbers, rows):
    bound = _row(rows, *QUOTED_FACTS["amazon-recommendation-click-throughs"])
    assert "at least 75%" in bound["quote"]
    assert numbers["amazon-recommendation-click-throughs-rest-at-most"] == 25  # 100 - 75, by hand
    assert "2.1 million Amazon.com users" in bound["note"]
    assert numbers["amazon-recommendation-click-throughs-users-millions"] == 2.1
    assert numbers["starbucks-active-days"] == 90  # "Active (90-day)" in both membership facts
    assert numbers["spotify-monthly-content-hours-period"] == "as of 31 December 2017"
    # a lower bound in money is not a share: it has no complement
    assert "netflix-usd-billion-per-year-rest-at-most" not in numbers
    assert not any(k.startswith(("netflix-active", "amazon-active", "spotify-active")) for k in numbers)


def _cases(**columns):
    base = {
        "company": ["Amazon"],
        "fact": ["Share of purchases"],
        "value": [35.0],
        "unit": ["percent of purchases"],
        "period": ["stated October 2013"],
        "note": [""],
    }
    return pd.DataFrame(base | columns)


def test_an_edited_value_changes_the_glued_number():
    assert industry_cases_prose_numbers(_cases(value=[36.0]))["amazon-purchases"] == 36.0
    assert industry_cases_prose_numbers(_cases(value=[float("nan")])) == {}  # a claim without a number


def test_two_facts_in_one_unit_are_told_apart_by_year_or_fail_naming_rows():
    members = _cases(
        company=["Starbucks"] * 2,
        fact=["Active (30-day) members", "Active (30-day) members"],
        value=[1.5, 2.5],
        unit=["million members"] * 2,
        period=["Q1 fiscal 2020", "Q1 fiscal 2021 (quarter ended 2020)"],
        note=["", ""],
    )
    numbers = industry_cases_prose_numbers(members)
    assert (numbers["starbucks-million-members-2020"], numbers["starbucks-million-members-2021"]) == (1.5, 2.5)
    assert numbers["starbucks-active-days"] == 30
    with pytest.raises(ValueError, match=r"industry_cases, rows 2, 3, columns 'company', 'unit' and 'period'"):
        industry_cases_prose_numbers(members.assign(period=["Q1 fiscal 2020", "Q2 fiscal 2020"]))
    with pytest.raises(ValueError, match=r"column 'fact': the facts of Starbucks .* \(30-day, 90-day\)"):
        industry_cases_prose_numbers(members.assign(fact=["Active (30-day) members", "Active (90-day) members"]))


def test_a_missing_column_fails_naming_it():
    with pytest.raises(ValueError, match="industry_cases lacks the column"):
        industry_cases_prose_numbers(_cases().drop(columns="period"))
