"""No rating contradicts an ordering that the review's prose states; broken copies are caught.

Row numbers below were counted by hand in data/review_ratings.csv and data/orderings.csv (header =
row 1), and the expected messages written from the planted defect, not copied from the code.
"""

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from review_evidence import load_table
from review_evidence.orderings import (
    check_orderings,
    conflict_note_problems,
    conflicting_orderings,
    ordering_holds,
    ordering_report,
    ordering_violations,
)
from review_evidence.paths import DATA_DIR

RATINGS = load_table("review_ratings")
ORDERINGS = load_table("orderings")


# --- (a) the real tables ----------------------------------------------------------------------


def test_the_real_tables_break_no_ordering():
    assert check_orderings() == []


def test_every_ordering_with_numbers_on_both_sides_was_checked_and_holds():
    # Checkable orderings per figure, counted by hand: Figure 2: 6, Figure 3: 6, Figure 6: 5,
    # Figure 7: 6, Figure 8: 6, Figure 9: 13. Figures 1 and 4 compare with unknown cells only.
    expected = {
        "Figure 1": 0,
        "Figure 2": 6,
        "Figure 3": 6,
        "Figure 4": 0,
        "Figure 6": 5,
        "Figure 7": 6,
        "Figure 8": 6,
        "Figure 9": 13,
    }
    for locator, count in expected.items():
        report = ordering_report(RATINGS, ORDERINGS, locator)
        assert (report["check"] == "holds").sum() == count, locator
        assert "VIOLATED" not in set(report["check"]), locator


def test_estimated_values_are_among_the_checked_ones():
    """The check is not vacuous: orderings between two estimates (Figure 2) and between an estimate
    and a reported value (Figure 6) are both compared."""
    figure_2 = ordering_report(RATINGS, ORDERINGS, "Figure 2")
    assert figure_2["higher side"].str.contains("(estimated)", regex=False).all()
    figure_6 = ordering_report(RATINGS, ORDERINGS, "Figure 6")
    row = figure_6[figure_6["ordering"] == "Relevance > Convenience"].iloc[0]
    assert row["higher side"] == "Relevance = 9 (reported)"
    assert row["lower side"] == "Convenience = 8 (estimated)"


@pytest.mark.parametrize(
    ("relation", "higher", "lower", "holds"),
    [
        (">", (6, 7), (5, 5), True),  # the brief's example: a range 6-7 > 5 holds
        (">=", (6, 7), (6, 6), True),  # and 6-7 >= 6 holds
        (">", (6, 7), (6, 6), False),  # 6-7 > 6 is not certain: the item could be 6
        (">=", (6, 6), (6, 7), False),  # 6 >= 6-7 fails when the range is 7
        (">", (8, 8), (6, 7), True),
        ("=", (9, 9), (9, 9), True),
        ("=", (6, 7), (6, 7), False),  # two ranges need not be equal
        (">", (7, 7), (7, 7), False),
    ],
)
def test_interval_logic(relation, higher, lower, holds):
    assert ordering_holds(relation, higher, lower) is holds


def test_an_unknown_relation_is_an_error():
    with pytest.raises(ValueError, match="unknown relation '<'"):
        ordering_holds("<", (1, 1), (2, 2))


def test_the_only_conflict_is_figure_4_business_outcomes_and_it_is_marked():
    # data/orderings.csv rows 19 and 20 (positions 17 and 18): ML > Recommendation Engines and back.
    assert conflicting_orderings(ORDERINGS) == [[17, 18]]
    pair = ORDERINGS.iloc[[17, 18]]
    assert set(pair["dimension"]) == {"business outcomes"}
    assert set(pair["higher_item"]) == {"Machine Learning & Predictive Analytics", "Recommendation Engines"}
    assert pair["note"].str.startswith("CONFLICT").all()
    assert conflict_note_problems(ORDERINGS) == []


def test_cells_caught_in_the_conflict_carry_no_number():
    cells = RATINGS[
        (RATINGS["locator"] == "Figure 4")
        & (RATINGS["dimension"] == "business outcomes")
        & RATINGS["item"].isin(["Machine Learning & Predictive Analytics", "Recommendation Engines"])
    ]
    assert len(cells) == 2
    assert (cells["evidence"] == "unknown").all()
    assert cells["value"].isna().all()


def test_a_longer_cycle_is_a_conflict_but_equalities_alone_are_not():
    orderings = pd.DataFrame(
        {
            "source": ["s"] * 5,
            "locator": ["F"] * 5,
            "dimension": ["d"] * 5,
            "higher_item": ["A", "B", "C", "X", "Y"],
            "lower_item": ["B", "C", "A", "Y", "X"],
            "relation": [">", ">=", ">=", "=", ">="],
            "quote": ["q"] * 5,
            "note": [""] * 5,
        }
    )
    assert conflicting_orderings(orderings) == [[0, 1, 2]]


# --- (b) broken copies of the tables ----------------------------------------------------------


@pytest.fixture
def data_copy(tmp_path):
    """A copy of data/ that a test may break; the package paths then point into tmp_path."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _edit(path: Path, changes: dict[tuple[int, str], str]) -> None:
    """Set cells, addressed as (CSV row number with header = 1, column name)."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    for (row, column), text in changes.items():
        rows[row - 1][header.index(column)] = text
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def test_the_unbroken_copy_passes(data_copy):
    """The control: each failure below is caused by its planted defect, not by the copy."""
    assert check_orderings(data_copy / "datapackage.json") == []


def test_swapped_estimates_name_the_violated_ordering(data_copy):
    # review_ratings rows 6 (1980s-1990s, 5) and 7 (21st Century, 7): swap the two estimates.
    _edit(data_copy / "review_ratings.csv", {(6, "value"): "7", (7, "value"): "5"})
    problems = [str(p) for p in check_orderings(data_copy / "datapackage.json")]
    ratings, orderings = data_copy / "review_ratings.csv", data_copy / "orderings.csv"
    assert problems == [
        f"{orderings}, row 5, column 'relation': Figure 2, sophistication level: '21st Century' > "
        f"'1980s-1990s' does not hold: {ratings} row 7 gives 21st Century = 5 (estimated) and row 6 "
        "gives 1980s-1990s = 7 (estimated)"
    ]


def test_an_estimate_raised_to_the_reported_top_breaks_two_orderings(data_copy):
    # review_ratings row 32: Convenience, estimated 8. At 9 it ties the reported Relevance and
    # Satisfaction, which the prose singles out above it (orderings rows 23 and 25).
    _edit(data_copy / "review_ratings.csv", {(32, "value"): "9"})
    problems = check_orderings(data_copy / "datapackage.json")
    assert [(Path(p.file).name, p.row, p.column) for p in problems] == [
        ("orderings.csv", 23, "relation"),
        ("orderings.csv", 25, "relation"),
    ]
    assert "'Relevance' > 'Convenience' does not hold" in problems[0].message
    assert "'Satisfaction' > 'Convenience' does not hold" in problems[1].message


def test_a_reported_value_that_contradicts_a_range_ordering_is_caught(data_copy):
    # review_ratings row 49: Ethical and Regulatory Challenges, reported 6. At 6.5 the group range
    # 6-7 is no longer certainly >= it (orderings rows 45-47); 6.5 > 5 (row 51) still holds.
    _edit(data_copy / "review_ratings.csv", {(49, "value"): "6.5"})
    problems = check_orderings(data_copy / "datapackage.json")
    assert [(p.row, p.column) for p in problems] == [(45, "relation"), (46, "relation"), (47, "relation")]
    assert (
        "gives Operational Efficiency = 6-7 (range) and row 49 gives Ethical and Regulatory Challenges = 6.5 (reported)"
        in problems[0].message
    )


def test_an_estimate_inside_a_conflict_is_reported_on_its_cell(data_copy):
    # review_ratings row 15: Machine Learning & Predictive Analytics, business outcomes (unknown).
    _edit(
        data_copy / "review_ratings.csv",
        {(15, "value"): "9", (15, "evidence"): "estimated", (15, "note"): "Estimate: planted by a test"},
    )
    problems = [str(p) for p in check_orderings(data_copy / "datapackage.json")]
    ratings, orderings = data_copy / "review_ratings.csv", data_copy / "orderings.csv"
    assert problems == [
        f"{ratings}, row 15, column 'value': Figure 4, business outcomes: 'Machine Learning & Predictive "
        f"Analytics' is estimated, but the orderings it must respect contradict each other ({orderings} "
        "rows 19, 20); no number fits both, so the value should be unknown"
    ]


def test_an_unmarked_conflict_and_a_false_alarm_are_both_caught(data_copy):
    _edit(data_copy / "orderings.csv", {(19, "note"): "", (2, "note"): "CONFLICT: planted by a test"})
    problems = check_orderings(data_copy / "datapackage.json")
    assert [(Path(p.file).name, p.row, p.column) for p in problems] == [
        ("orderings.csv", 2, "note"),
        ("orderings.csv", 19, "note"),
    ]
    assert problems[0].message == "marked CONFLICT, but no other row contradicts it"
    assert "mark it CONFLICT" in problems[1].message


def test_an_ordering_about_an_unrated_item_is_reported():
    orderings = ORDERINGS.iloc[[0]].assign(lower_item="Nothing Rated")
    problems = [str(p) for p in ordering_violations(RATINGS, orderings.reset_index(drop=True))]
    assert problems == [
        "data/orderings.csv, row 2, column 'lower_item': Figure 1, impact on customer "
        "engagement: no rating of 'Nothing Rated' in data/review_ratings.csv"
    ]


# --- (c) small hand-made tables: each rule on its own -------------------------------------------


def _ratings(*rows) -> pd.DataFrame:
    """Ratings of one figure and dimension: (item, evidence, value, low, high)."""
    return pd.DataFrame(
        [
            {
                "source": "paper",
                "locator": "Figure 9",
                "item": item,
                "dimension": "severity",
                "evidence": evidence,
                "value": value,
                "value_low": low,
                "value_high": high,
            }
            for item, evidence, value, low, high in rows
        ]
    )


def _orderings(*rows) -> pd.DataFrame:
    """Orderings of that figure and dimension: (higher, relation, lower, quote)."""
    return pd.DataFrame(
        [
            {
                "source": "paper",
                "locator": "Figure 9",
                "dimension": "severity",
                "higher_item": higher,
                "relation": relation,
                "lower_item": lower,
                "quote": quote,
                "note": None,
            }
            for higher, relation, lower, quote in rows
        ]
    )


@pytest.mark.parametrize(("higher", "lower"), [((6, 7), (7, 7)), ((7, 7), (6, 7))])
def test_equality_needs_both_sides_to_be_the_same_single_number(higher, lower):
    assert not ordering_holds("=", higher, lower)


def test_an_unknown_relation_names_the_ones_allowed():
    with pytest.raises(ValueError, match=r"unknown relation '<' \(expected one of >, >=, =\)"):
        ordering_holds("<", (1, 1), (2, 2))


def test_a_chain_of_three_steps_is_followed_to_its_end():
    # A > B > C > D and D > A: the cycle closes only through the far end of the chain
    orderings = _orderings(("A", ">", "B", ""), ("B", ">", "C", ""), ("C", ">", "D", ""), ("D", ">", "A", ""))
    assert conflicting_orderings(orderings) == [[0, 1, 2, 3]]


def test_equal_and_strictly_greater_contradict_each_other():
    assert conflicting_orderings(_orderings(("A", "=", "B", ""), ("A", ">", "B", ""))) == [[0, 1]]


def test_the_report_shows_each_side_and_the_verdict():
    ratings = _ratings(
        ("A", "reported", 8.0, None, None), ("B", "range", None, 6.0, 7.0), ("C", "unknown", None, None, None)
    )
    orderings = _orderings(
        ("A", ">", "B", "A ranks first"),
        ("B", ">", "A", "B beats A"),
        ("A", ">", "C", "A above C"),
        ("A", ">", "Z", "A above Z"),
    )
    report = ordering_report(ratings, orderings, "Figure 9")
    assert list(report.columns) == ["ordering", "higher side", "lower side", "check", "what the paper says"]
    assert report.to_dict("records") == [
        {
            "ordering": "A > B",
            "higher side": "A = 8 (reported)",
            "lower side": "B = 6-7 (range)",
            "check": "holds",
            "what the paper says": "A ranks first",
        },
        {
            "ordering": "B > A",
            "higher side": "B = 6-7 (range)",
            "lower side": "A = 8 (reported)",
            "check": "VIOLATED",
            "what the paper says": "B beats A",
        },
        {
            "ordering": "A > C",
            "higher side": "A = 8 (reported)",
            "lower side": "C = not printed (unknown)",
            "check": "cannot check (no number)",
            "what the paper says": "A above C",
        },
        {
            "ordering": "A > Z",
            "higher side": "A = 8 (reported)",
            "lower side": "no rating",
            "check": "cannot check (no number)",
            "what the paper says": "A above Z",
        },
    ]
    empty = ordering_report(ratings, orderings, "Figure 1")
    assert empty.empty and list(empty.columns) == list(report.columns)  # a figure without orderings keeps its header


def test_the_report_says_no_rating_on_the_higher_side_too():
    report = ordering_report(
        _ratings(("B", "reported", 3.0, None, None)), _orderings(("Z", ">", "B", "Z first")), "Figure 9"
    )
    assert report.loc[0, "higher side"] == "no rating" and report.loc[0, "lower side"] == "B = 3 (reported)"


def test_an_unrated_item_does_not_stop_the_check_of_later_orderings():
    ratings = _ratings(("A", "reported", 2.0, None, None), ("B", "reported", 5.0, None, None))
    orderings = _orderings(("A", ">", "Z", ""), ("A", ">", "B", ""))
    problems = ordering_violations(ratings, orderings)
    assert [(p.row, p.column) for p in problems] == [(2, "lower_item"), (3, "relation")]


def test_an_unmarked_conflict_gets_the_full_advice():
    problems = conflict_note_problems(_orderings(("A", ">", "B", ""), ("B", ">", "A", "")))
    assert [str(p) for p in problems] == [
        f"data/orderings.csv, row {row}, column 'note': this ordering contradicts another row of the same "
        "figure and dimension; mark it CONFLICT"
        for row in (2, 3)
    ]


def test_the_package_check_names_the_copy_s_own_orderings_file(data_copy):
    _edit(data_copy / "orderings.csv", {(2, "note"): "CONFLICT: planted by a test"})
    problems = check_orderings(data_copy / "datapackage.json")
    assert [p.file for p in problems] == [str(data_copy / "orderings.csv")]
