"""Every number the review by Syamsir et al. prints for Table 1 and Figures 6-9 is in the data.

The lists below were typed by hand from the seed text of the review (001), independently of the
data tables: if a row is deleted, its value changed or its evidence level altered, a test fails.
A scan of the seed text checks that the hand-typed list misses no printed rating.
"""

import re

import pandas as pd
import pytest

from review_evidence import load_table
from review_evidence.quotes import normalise_whitespace, quote_in_seed, quote_states_number, seed_files

SOURCE = "syamsir-nd-loyalty"

#: (figure, item as named in the data, the number or (low, high) the prose prints for it).
STATED = [
    ("Figure 6", "Relevance", 9),  # "relevance and satisfaction (scoring 9 out of 10)"
    ("Figure 6", "Satisfaction", 9),
    ("Figure 7", "Emotional Connection", 9),  # "emotional connection and loyalty (both 9/10)"
    ("Figure 7", "Loyalty", 9),
    ("Figure 7", "Trust", 8),  # "Trust and value perception also score highly (8/10)"
    ("Figure 7", "Customer Value Perception", 8),
    ("Figure 8", "Data Misuse Risks", 9),  # "Data misuse risks rank the highest (9/10)"
    ("Figure 8", "Transparency and Consent", 8),  # "... and regulatory complexity both score 8/10"
    ("Figure 8", "Regulatory Complexity", 8),
    ("Figure 8", "Intrusive Marketing", 7),  # "with a severity level of 7/10"
    ("Figure 9", "Understanding Customer Behavior", 9),  # "understanding customer behavior (9/10)"
    ("Figure 9", "Customer Engagement", 9),  # "customer engagement (9/10)"
    ("Figure 9", "Targeted Campaigns", 8),  # "targeted campaigns (8/10)"
    ("Figure 9", "Operational Efficiency", (6, 7)),  # "... and system integration (6-7/10)"
    ("Figure 9", "Investment and Talent Needs", (6, 7)),
    ("Figure 9", "System Integration", (6, 7)),
    ("Figure 9", "Ethical and Regulatory Challenges", 6),  # "Ethical and regulatory challenges (6/10)"
    ("Figure 9", "Addressing AI Biases", 5),  # "addressing AI biases (5/10)"
]

#: Each out-of-ten rating the whole text of 001 prints, in reading order (one token may serve
#: several items: "both 9/10"). Figures 1-5 print none.
PRINTED_RATINGS = [
    "9 out of 10",
    "9/10",
    "8/10",
    "9/10",
    "8/10",
    "7/10",
    "9/10",
    "9/10",
    "8/10",
    "6-7/10",
    "6/10",
    "5/10",
]

#: The numbers in Table 1, as printed in its Era column.
TABLE_1_NUMBERS = ["20th", "1980s-1990s", "21st"]

RATINGS = load_table("review_ratings")


def _range_pattern(low: float, high: float) -> str:
    return rf"(?<![\d.]){low:g}\s*[-–]\s*{high:g}(?![\d.])"


def stated_number_problems(ratings: pd.DataFrame, figure: str, item: str, stated) -> list[str]:
    """What is wrong with the row for one printed number, or [] if it is recorded faithfully."""
    rows = ratings[(ratings["source"] == SOURCE) & (ratings["locator"] == figure) & (ratings["item"] == item)]
    if len(rows) != 1:
        return [f"{figure}, {item}: expected one row, found {len(rows)}"]
    row = rows.iloc[0]
    problems = []
    if isinstance(stated, tuple):
        low, high = stated
        if row["evidence"] != "range":
            problems.append(f"{figure}, {item}: evidence is {row['evidence']!r}, not 'range'")
        if (row["value_low"], row["value_high"]) != (low, high):
            problems.append(f"{figure}, {item}: range is {row['value_low']}-{row['value_high']}, not {low}-{high}")
        if not re.search(_range_pattern(low, high), str(row["quote"])):
            problems.append(f"{figure}, {item}: quote does not print {low}-{high}")
    else:
        if row["evidence"] != "reported":
            problems.append(f"{figure}, {item}: evidence is {row['evidence']!r}, not 'reported'")
        if row["value"] != stated:
            problems.append(f"{figure}, {item}: value is {row['value']}, not {stated}")
        if not quote_states_number(str(row["quote"]), stated):
            problems.append(f"{figure}, {item}: quote does not print {stated}")
    return problems


@pytest.mark.parametrize(("figure", "item", "stated"), STATED, ids=[f"{f}-{i}" for f, i, _ in STATED])
def test_each_printed_rating_is_recorded_as_printed(figure, item, stated):
    assert stated_number_problems(RATINGS, figure, item, stated) == []


@pytest.mark.parametrize(("figure", "item", "stated"), STATED, ids=[f"{f}-{i}" for f, i, _ in STATED])
def test_each_quote_is_verbatim_in_the_review(figure, item, stated, seeds):
    seed = seed_files(load_table("studies"), seeds)[SOURCE]
    row = RATINGS[(RATINGS["locator"] == figure) & (RATINGS["item"] == item)].iloc[0]
    assert quote_in_seed(row["quote"], seed)


def test_no_other_row_claims_a_printed_number():
    """A reported or range row the hand list lacks would be a number the review does not print."""
    claimed = RATINGS[(RATINGS["source"] == SOURCE) & RATINGS["evidence"].isin(["reported", "range"])]
    assert sorted(zip(claimed["locator"], claimed["item"])) == sorted((f, i) for f, i, _ in STATED)


def test_the_hand_list_misses_no_rating_the_review_prints(seeds):
    text = normalise_whitespace(seed_files(load_table("studies"), seeds)[SOURCE].read_text(encoding="utf-8"))
    found = re.findall(r"(?<![\d.])\d+(?:\s*[-–]\s*\d+)?(?:/10| out of 10)\b", text)
    assert found == PRINTED_RATINGS
    printed_values = {float(token.split("/")[0].split(" ")[0].split("-")[0]) for token in found}
    assert printed_values == {float(s if not isinstance(s, tuple) else s[0]) for _, _, s in STATED}


def test_table_1_prints_only_these_numbers(seeds):
    text = normalise_whitespace(seed_files(load_table("studies"), seeds)[SOURCE].read_text(encoding="utf-8"))
    table = text.split("Era Personalization Techniques Impact on Marketing", 1)[1].split("The table 1 outlines", 1)[0]
    assert re.findall(r"\d+(?:st|nd|rd|th|s)?(?:-\d+s)?", table) == TABLE_1_NUMBERS


def test_table_1_numbers_are_in_the_eras_table():
    eras = load_table("evolution_eras").set_index("era")
    crm = eras.loc["1980s-1990s"]
    # The decades are printed, so their years are reported: 1980 to 1999.
    assert (crm["start_year"], crm["end_year"], crm["dating_evidence"]) == (1980, 1999, "reported")
    assert "1980s-1990s" in crm["quote"]
    # Centuries are printed as ordinals; turning them into years is the book's rule, so: estimated.
    for era, ordinal, start in [("Early 20th Century", "20th", 1900), ("21st Century", "21st", 2000)]:
        assert ordinal in era and ordinal in eras.loc[era, "quote"]
        assert eras.loc[era, "dating_evidence"] == "estimated"
        assert eras.loc[era, "start_year"] == start
    assert eras.loc["Modern Era (AI-driven)", "dating_evidence"] == "unknown"


def test_the_check_fails_when_a_row_is_deleted_or_changed():
    """The control for the tests above: broken copies of the table are caught, item by item."""
    deleted = RATINGS[~((RATINGS["locator"] == "Figure 7") & (RATINGS["item"] == "Trust"))]
    assert stated_number_problems(deleted, "Figure 7", "Trust", 8) == ["Figure 7, Trust: expected one row, found 0"]

    changed = RATINGS.copy()
    changed.loc[(changed["locator"] == "Figure 8") & (changed["item"] == "Data Misuse Risks"), "value"] = 8.0
    assert stated_number_problems(changed, "Figure 8", "Data Misuse Risks", 9) == [
        "Figure 8, Data Misuse Risks: value is 8.0, not 9"
    ]

    narrowed = RATINGS.copy()
    narrowed.loc[narrowed["item"] == "System Integration", "value_high"] = 6.0
    assert stated_number_problems(narrowed, "Figure 9", "System Integration", (6, 7)) == [
        "Figure 9, System Integration: range is 6.0-6.0, not 6-7"
    ]

    downgraded = RATINGS.copy()
    downgraded.loc[downgraded["item"] == "Relevance", "evidence"] = "estimated"
    assert stated_number_problems(downgraded, "Figure 6", "Relevance", 9) == [
        "Figure 6, Relevance: evidence is 'estimated', not 'reported'"
    ]

    misquoted = RATINGS.copy()
    misquoted.loc[misquoted["item"] == "Addressing AI Biases", "quote"] = "addressing AI biases"
    assert stated_number_problems(misquoted, "Figure 9", "Addressing AI Biases", 5) == [
        "Figure 9, Addressing AI Biases: quote does not print 5"
    ]
