"""How a quote is matched to the number it backs: the spellings a paper may print, and whole tokens only.

Expected values are written out by hand from how papers print numbers, not computed with the code.
"""

import pytest

from review_evidence.quotes import normalise_whitespace, number_spellings, quote_in_seed, quote_states_number


def test_a_whole_number_is_spelled_with_and_without_trailing_zeros():
    assert set(number_spellings(9)) == {"9", "9.0", "9.00", "9.000", "9.0000"}


def test_a_fraction_below_one_is_also_spelled_without_its_leading_zero():
    assert set(number_spellings(0.72)) == {"0.72", "0.720", "0.7200", ".72", ".720", ".7200"}


def test_thousands_are_also_spelled_with_a_comma():
    assert set(number_spellings(1094.85)) == {"1094.85", "1094.850", "1094.8500", "1,094.85", "1,094.850", "1,094.8500"}


def test_a_four_digit_whole_number_gets_its_comma_too():
    assert set(number_spellings(2500)) >= {"2500", "2,500", "2500.0", "2,500.0"}
    assert "25,00" not in number_spellings(2500)


def test_a_negative_number_takes_each_of_the_three_minus_signs():
    spellings = set(number_spellings(-0.33))
    assert {"-0.33", "−0.33", "–0.33", "-.33", "−.33", "–.33"} <= spellings
    assert "0.33" not in spellings and ".33" not in spellings


def test_spellings_are_tried_longest_first():
    # so "0.720" is tried before "0.72" and a longer printed form is never cut short
    lengths = [len(s) for s in number_spellings(0.72)]
    assert lengths == sorted(lengths, reverse=True)


def test_a_number_the_value_does_not_round_to_is_never_a_spelling():
    assert "0.7" not in number_spellings(0.72) and "1" not in number_spellings(0.72)
    assert "57.7" in number_spellings(57.7) and "58" not in number_spellings(57.7)


@pytest.mark.parametrize(
    ("quote", "value"),
    [
        ("rated 9 out of 10", 9),
        ("r = .72, p < .001", 0.72),
        ("an average order value of $1,094.85", 1094.85),
        ("a correlation of −.33 with churn", -0.33),
        ("accuracy of 57.7%", 57.7),
        ("9.", 9),  # at the end of a sentence
        ("(9)", 9),
    ],
)
def test_a_quote_that_prints_the_number_states_it(quote, value):
    assert quote_states_number(quote, value)


@pytest.mark.parametrize(
    ("quote", "value"),
    [
        ("rated 19 out of 20", 9),  # 9 inside 19
        ("a score of 9.5", 9),  # 9 as the start of 9.5
        ("r = .720", 0.72 + 0.001),  # a different number
        ("a drop of -0.33", 0.33),  # the positive value is not stated by a negative number
        ("1,094.85", 94.85),  # the tail of a grouped number
        ("version 2.9", 9),  # the fraction of another number
        ("no number here", 9),
    ],
)
def test_a_quote_that_does_not_print_the_number_does_not_state_it(quote, value):
    assert not quote_states_number(quote, value)


def test_whitespace_runs_collapse_to_one_space():
    assert normalise_whitespace(" a\tb\n\n c  ") == "a b c"


def test_a_quote_is_found_in_its_seed_despite_line_breaks(tmp_path):
    seed = tmp_path / "paper.txt"
    seed.write_text("The model reached an\naccuracy of   57.7% on the test set.", encoding="utf-8")
    assert quote_in_seed("reached an accuracy of 57.7%", seed)
    assert not quote_in_seed("reached an accuracy of 58%", seed)


def test_zero_is_spelled_without_a_sign():
    assert "0" in number_spellings(0) and not any(s[0] in "-−–" for s in number_spellings(0))


def test_each_reviewed_paper_maps_to_its_seed_file(tmp_path):
    import pandas as pd

    from review_evidence.quotes import seed_files

    studies = pd.DataFrame({"source": ["ali", "patel"], "seed_file": ["000.txt", "002.txt"]})
    assert seed_files(studies, tmp_path) == {"ali": tmp_path / "000.txt", "patel": tmp_path / "002.txt"}


def test_a_minus_zero_does_not_state_zero():
    # zero takes the same guard as any non-negative value: a minus sign before it is another number
    assert not quote_states_number("a change of -0.0 points", 0)
    assert quote_states_number("a change of 0.0 points", 0)
