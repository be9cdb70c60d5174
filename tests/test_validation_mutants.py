"""The data contract's checks one by one, at their edges (issue 12: mutation testing with mutmut).

test_bad_inputs.py plants one defect per fixture and reads the whole message; these tests go under it,
to the boundaries a mutant moves: a cell of exactly the longest allowed length, a value equal to its
scale's bound, a bad byte at the start of a line, a key column named by another table. Every expected
message and value is worked out by hand from the input, never copied from the code's output.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from review_evidence.validation import (
    INVALID,
    MAX_CELL_CHARS,
    DataValidationError,
    Problem,
    _check_header,
    _evidence_rules,
    _merged,
    _typed,
    confusable_key_problems,
    is_key_field,
    number_text,
    read_rows,
    shown,
    skeleton,
    text_problems,
    validate_rows,
)

# --- How a problem is worded -------------------------------------------------------------------


@pytest.mark.parametrize(
    "problem, text",
    [
        (Problem("data/t.csv", None, None, "broken"), "data/t.csv: broken"),
        (Problem("data/t.csv", 3, None, "broken"), "data/t.csv, row 3: broken"),
        (Problem("data/t.csv", None, "value", "broken"), "data/t.csv, column 'value': broken"),
        (Problem("data/t.csv", 0, "value", "broken"), "data/t.csv, row 0, column 'value': broken"),
        (Problem("refs.bib", 7, "doi", "broken", "line"), "refs.bib, line 7, column 'doi': broken"),
    ],
)
def test_a_problem_names_only_the_places_it_knows(problem, text):
    assert str(problem) == text


def test_the_error_counts_its_problems_in_words_that_agree():
    one = DataValidationError([Problem("t.csv", 2, "a", "x")])
    assert str(one) == "1 problem found:\n  - t.csv, row 2, column 'a': x"
    two = DataValidationError(iter([Problem("t.csv", 2, "a", "x"), Problem("t.csv", 3, None, "y")]))
    assert str(two) == "2 problems found:\n  - t.csv, row 2, column 'a': x\n  - t.csv, row 3: y"
    assert [p.row for p in two.problems] == [2, 3]  # a generator is kept as a list, not consumed by the message


def test_a_cell_is_quoted_whole_up_to_the_limit_and_shortened_after_it():
    eighty = "0123456789" * 8
    assert shown(eighty) == repr(eighty)
    # 81 characters: the first three quarters of the limit (60), an ellipsis, the last fifth (16).
    assert shown(eighty + "X") == "'" + "0123456789" * 6 + "'…'567890123456789X' (81 characters)"
    assert shown("abcdefghijk", limit=10) == "'abcdefg'…'jk' (11 characters)"
    assert shown("abcdefghij", limit=10) == "'abcdefghij'"


@pytest.mark.parametrize(
    "value, text",
    [
        (10, "10"),
        (np.int64(-3), "-3"),
        (10.0, "10"),
        (-2.0, "-2"),
        (np.float64(3.0), "3"),
        (np.float64(2.5), "2.5"),
        (10.0000001, "10.0000001"),
        (9999999999999998.0, "9999999999999998"),  # below 1e16: still an integer
        (1e16, "1e+16"),  # from 1e16 on, a float's integer digits are not all its own
        (-1e16, "-1e+16"),
    ],
)
def test_a_number_is_shown_exactly_as_compared(value, text):
    assert number_text(value) == text


# --- A cell's text becomes a value --------------------------------------------------------------


@pytest.mark.parametrize(
    "field_type, text, value",
    [
        ("string", " 7 ", " 7 "),
        ("number", "7", 7.0),
        ("number", "0.9", 0.9),  # the ASCII digits 0 and 9 themselves are fine
        ("number", "-10.5", -10.5),
        ("integer", "90", 90),
        ("integer", "0", 0),
    ],
)
def test_a_plain_number_is_read(field_type, text, value):
    read, why = _typed(field_type, text)
    assert (read, why) == (value, None)
    assert type(read) is type(value)


@pytest.mark.parametrize(
    "field_type, text, why",
    [
        ("number", "1_0", "'1_0' is not a valid number (write digits without '_' separators)"),
        ("integer", "1_000", "'1_000' is not a valid integer (write digits without '_' separators)"),
        (
            "integer",
            "\u0665",
            "'\u0665' is not a valid integer (use the ASCII digits 0-9, not U+0665 ARABIC-INDIC DIGIT FIVE)",
        ),
        ("number", "inf", "'inf' is not a valid number (the book writes finite numbers only)"),
        ("number", "-Infinity", "'-Infinity' is not a valid number (the book writes finite numbers only)"),
    ],
)
def test_a_number_python_reads_but_a_reader_would_not_is_refused(field_type, text, why):
    assert _typed(field_type, text) == (INVALID, why)


@pytest.mark.parametrize("field_type, text", [("integer", "2.5"), ("number", "seven"), ("integer", "")])
def test_a_cell_that_is_no_number_at_all_is_left_for_frictionless_to_name(field_type, text):
    assert _typed(field_type, text) == (INVALID, None)


# --- Reading the file ---------------------------------------------------------------------------


def _bytes_file(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    return path


def _read_problems(path: Path) -> list[str]:
    with pytest.raises(DataValidationError) as caught:
        read_rows(path)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(
    "data, where, offset, line",
    [
        (b"\xe9a,b\n1,2\n", "row 1", 0, 1),  # the very first byte
        (b"a,b\xe9\n1,2\n", "row 1", 3, 1),  # in the header: no column to name
        (b"\n\xe9,b\n", "row 2", 1, 2),  # after a blank first line (an empty header)
        (b"a,b\n1,\xe92\n", "row 2, column 'b'", 6, 2),
        (b"a,b\n1,2\n\xe9,3\n", "row 3, column 'a'", 8, 3),  # first byte of a line: the first cell of a new row
        (b"a,b\r\n1,2\r\n\xe9,3\r\n", "row 3, column 'a'", 10, 3),
        (b"a,b\r\xe9,3\r", "row 2, column 'a'", 4, 1),  # old Mac line ends: a new row, no new "\n" line
        (b"a,b\n1,2,3\xe9\n", "row 2", 9, 2),  # a third cell the header has no name for
        (b'a,b\n"x\ny",\xe9\n', "row 2, column 'b'", 10, 3),  # a quoted line break: row 2 spans lines 2-3
    ],
)
def test_a_byte_that_is_not_utf8_is_placed_by_row_column_line_and_offset(tmp_path, data, where, offset, line):
    path = _bytes_file(tmp_path, data)
    assert _read_problems(path) == [
        f"{path}, {where}: byte {offset} (line {line}) is 0xe9, which is not valid UTF-8; "
        "save the file as UTF-8 (a spreadsheet's 'CSV UTF-8')"
    ]


def test_a_missing_or_empty_file_is_named(tmp_path):
    assert _read_problems(tmp_path / "nowhere.csv") == [f"{tmp_path / 'nowhere.csv'}: file not found"]
    empty = _bytes_file(tmp_path, b"")
    assert _read_problems(empty) == [f"{empty}: the file is empty (no header row)"]


def test_rows_keep_their_cells_as_written(tmp_path):
    path = _bytes_file(tmp_path, b'a,b\r\n1," two, three "\r\n\r\n')
    assert read_rows(path) == (["a", "b"], [["1", " two, three "], []])


def test_a_line_break_inside_a_quoted_cell_is_kept_byte_for_byte(tmp_path):
    path = _bytes_file(tmp_path, b'a,b\r\n1,"x\r\ny"\r\n')
    assert read_rows(path) == (["a", "b"], [["1", "x\r\ny"]])


def test_a_cell_beyond_even_the_raised_csv_limit_is_a_readable_error(tmp_path):
    """16 MiB is the ceiling this module sets for csv (far above the 2000-character cell rule)."""
    path = _bytes_file(tmp_path, b"a\n" + b"x" * (16 * 1024 * 1024 + 1) + b"\n")
    previous = csv.field_size_limit(131_072)  # csv's default, as a fresh process has it (the limit is global)
    try:
        assert _read_problems(path) == [f"{path}: not a readable CSV (field larger than field limit (16777216))"]
    finally:
        csv.field_size_limit(previous)


# --- The header ---------------------------------------------------------------------------------

FIELDS = [{"name": "a"}, {"name": "b"}, {"name": "c"}]


def test_a_column_named_three_times_is_reported_against_its_first_position():
    assert [str(p) for p in _check_header("t.csv", ["a", "b", "a", "a", "c"], FIELDS)] == [
        "t.csv, row 1, column 'a': the header names this column twice (columns 1 and 3)",
        "t.csv, row 1, column 'a': the header names this column twice (columns 1 and 4)",
    ]


def test_a_missing_and_an_unexpected_column_are_both_named():
    assert [str(p) for p in _check_header("t.csv", ["a", "x", "c"], FIELDS)] == [
        "t.csv, row 1, column 'b': column is missing from the header",
        "t.csv, row 1, column 'x': unexpected column (the schema has: a, b, c)",
    ]


def test_the_right_columns_in_the_wrong_order_are_one_problem():
    assert [str(p) for p in _check_header("t.csv", ["b", "a", "c"], FIELDS)] == [
        "t.csv, row 1: columns are out of order; expected: a, b, c"
    ]
    assert _check_header("t.csv", ["a", "b", "c"], FIELDS) == []


# --- A cell's characters ------------------------------------------------------------------------


def _messages(problems: list[Problem]) -> list[str]:
    return [p.message for p in problems]


def test_the_longest_allowed_cell_passes_and_one_more_character_does_not():
    assert MAX_CELL_CHARS == 2000  # the contract's stated cap (data/README.md)
    assert text_problems("t.csv", 2, "note", "x" * 2000) == []
    (message,) = _messages(text_problems("t.csv", 2, "note", "x" * 2000 + "\x00"))
    assert message.startswith("is 2001 characters long; a cell may hold at most 2000: 'xxx")
    assert message.endswith("(2001 characters)")


@pytest.mark.parametrize(
    "text, what",
    [
        ("bell\x07", "the control character U+0007"),
        ("tab\there", "the control character U+0009"),
        ("a\u200bb", "the invisible or unassigned character U+200B ZERO WIDTH SPACE"),  # Cf
        ("private \ue000", "the invisible or unassigned character U+E000"),  # Co: private use, no name
        ("unassigned \u0378", "the invisible or unassigned character U+0378"),  # Cn
    ],
)
def test_control_invisible_and_unassigned_characters_are_named_by_code_point(text, what):
    assert _messages(text_problems("t.csv", 2, "note", text)) == [f"{text!r} contains {what}"]


def test_a_decomposed_accent_is_refused_and_the_composed_one_accepted():
    assert _messages(text_problems("t.csv", 2, "note", "Cafe\u0301")) == [
        "'Cafe\u0301' is not in Unicode normal form NFC (a letter and its accent are stored apart); save it composed"
    ]
    assert text_problems("t.csv", 2, "note", "Caf\u00e9") == []


@pytest.mark.parametrize(
    "text, message",
    [
        ("a\u00a0b", "'a\\xa0b' contains U+00A0 NO-BREAK SPACE; a key may only use the ordinary space"),
        ("a\u2028b", "'a\\u2028b' contains U+2028 LINE SEPARATOR; a key may only use the ordinary space"),
        (
            "\u03a9mega",
            "'\u03a9mega' contains U+03A9 GREEK CAPITAL LETTER OMEGA; keys use Latin letters only, "
            "so that two keys that look the same are the same",
        ),
    ],
)
def test_a_key_refuses_odd_spaces_and_other_scripts_that_free_text_allows(text, message):
    assert _messages(text_problems("t.csv", 2, "item", text, key=True)) == [message]
    assert text_problems("t.csv", 2, "note", text) == []


def test_a_key_takes_latin_letters_digits_punctuation_and_the_ordinary_space():
    assert text_problems("t.csv", 2, "item", "Caf\u00e9 1-10 (\u00a7 2\u00d7)", key=True) == []


@pytest.mark.parametrize(
    "field, keyed",
    [
        ({"name": "id", "key": True}, True),
        ({"name": "source", "bibliography": "references.bib"}, True),
        ({"name": "evidence", "constraints": {"enum": ["reported"]}}, True),
        ({"name": "seed", "constraints": {"pattern": "\\d+"}}, True),
        ({"name": "item", "constraints": {"required": True}}, False),
        ({"name": "note"}, False),
    ],
)
def test_keys_are_the_columns_that_identify_or_classify_a_row(field, keyed):
    assert is_key_field(field) is keyed


def test_look_alike_keys_share_a_skeleton_and_different_ones_do_not():
    assert skeleton("rnodern") == skeleton("modern")
    assert skeleton("I0") == skeleton("lO") == skeleton("|O")
    assert skeleton("Caf\u00e9") == skeleton("Cafe\u0301")
    assert skeleton("model") != skeleton("modem")


def test_a_look_alike_key_is_named_with_the_row_of_its_twin():
    fields = [{"name": "note"}, {"name": "item", "key": True}]  # a free-text column first: keys need not lead
    records = [
        (2, {"item": "modern", "note": "rn"}),
        (3, {"item": "modern", "note": "m"}),  # the same spelling again: not a look-alike
        (4, {"item": None, "note": None}),
        (5, {"item": "rnodern", "note": "rn"}),
        (6, {"item": "rnodern", "note": "x"}),
    ]
    assert [str(p) for p in confusable_key_problems("t.csv", records, fields)] == [
        "t.csv, row 5, column 'item': 'rnodern' looks the same as 'modern' in row 2 but is spelled differently "
        "(confusable characters, Unicode UTS #39); use one spelling",
        "t.csv, row 6, column 'item': 'rnodern' looks the same as 'modern' in row 2 but is spelled differently "
        "(confusable characters, Unicode UTS #39); use one spelling",
    ]


# --- The data contract's cross-column rules -----------------------------------------------------


def _rules(record: dict, scales: dict | None = None) -> list[str]:
    return [f"{p.column}: {p.message}" for p in _evidence_rules("t.csv", 2, record, scales or {})]


def test_a_scale_whose_bounds_are_swapped_is_named_but_equal_bounds_are_fine():
    assert _rules({"minimum": 10, "maximum": 0}) == ["minimum: minimum 10 is greater than maximum 0"]
    assert _rules({"minimum": 0.5, "maximum": 0.25}) == ["minimum: minimum 0.5 is greater than maximum 0.25"]
    assert _rules({"minimum": 5, "maximum": 5}) == []
    assert _rules({"minimum": None, "maximum": 0}) == []
    assert _rules({"minimum": 1, "maximum": None}) == []
    assert _rules({"minimum": True, "maximum": 0}) == []  # a boolean is not a number here


@pytest.mark.parametrize("evidence", ["reported", "range", "unknown", "estimated"])
def test_evidence_that_rests_on_the_source_needs_its_quote(evidence):
    assert _rules({"evidence": evidence, "quote": None}) == [
        f"quote: evidence '{evidence}' needs a verbatim quote from the source"
    ]
    assert _rules({"evidence": evidence, "quote": ""}) == [
        f"quote: evidence '{evidence}' needs a verbatim quote from the source"
    ]
    assert _rules({"evidence": evidence, "quote": "as printed"}) == []
    assert _rules({"evidence": evidence}) == []  # a table without a quote column


def test_a_derived_number_needs_no_quote_but_its_rule():
    assert _rules({"evidence": "derived", "quote": None, "note": "sum of rows 2-4"}) == []
    assert _rules({"evidence": "derived", "quote": "q", "note": ""}) == [
        "note: evidence 'derived' needs the rule that produced the number in 'note'"
    ]
    assert _rules({"evidence": "estimated", "quote": "q", "note": None}) == [
        "note: evidence 'estimated' needs the rule that produced the number in 'note'"
    ]
    assert _rules({"evidence": "reported", "quote": "q", "note": None}) == []
    assert _rules({"evidence": "range", "quote": "q", "note": None}) == []


@pytest.mark.parametrize("evidence", ["reported", "estimated", "derived"])
def test_evidence_that_gives_a_number_needs_the_value(evidence):
    record = {"evidence": evidence, "quote": "q", "note": "n", "value": None}
    assert _rules(record) == [f"value: evidence '{evidence}' needs a value"]
    assert _rules({**record, "value": 0.0}) == []


def test_unknown_evidence_refuses_any_value_even_zero():
    message = "value: evidence 'unknown' means the source prints no number; leave value empty"
    assert _rules({"evidence": "unknown", "quote": "q", "value": 0.0}) == [message]
    assert _rules({"evidence": "unknown", "quote": "q", "value": 7.0}) == [message]
    assert _rules({"evidence": "unknown", "quote": "q", "value": None}) == []
    assert _rules({"evidence": "unknown", "quote": "q", "value": INVALID}) == []  # its own message says why


def test_a_range_needs_both_ends_in_order():
    base = {"evidence": "range", "quote": "q", "value": None}
    assert _rules({**base, "value_low": None, "value_high": None}) == [
        "value_low: evidence 'range' needs value_low",
        "value_high: evidence 'range' needs value_high",
    ]
    assert _rules({**base, "value_low": 7.5, "value_high": 6.0}) == [
        "value_low: value_low 7.5 is greater than value_high 6"
    ]
    assert _rules({**base, "value_low": 6.0, "value_high": 6.0}) == []
    assert _rules({"evidence": "reported", "quote": "q", "value": 1.0, "value_low": 8.0, "value_high": 6.0}) == []


ONE_TO_TEN = {"1-10": (1, 10), "open": (None, None), "at least 0": (0, None)}


@pytest.mark.parametrize(
    "scale, column, number, problem",
    [
        ("1-10", "value", 1.0, None),
        ("1-10", "value", 10.0, None),
        ("1-10", "value", 0.5, "value: 0.5 is below the minimum 1 of scale '1-10'"),
        ("1-10", "value", 10.5, "value: 10.5 is above the maximum 10 of scale '1-10'"),
        ("1-10", "value_high", 11.0, "value_high: 11 is above the maximum 10 of scale '1-10'"),
        ("1-10", "value_low", 0.0, "value_low: 0 is below the minimum 1 of scale '1-10'"),
        ("open", "value", -1e9, None),
        ("at least 0", "value", -0.25, "value: -0.25 is below the minimum 0 of scale 'at least 0'"),
        ("at least 0", "value", 1e9, None),
        ("1-5 stars", "value", 99.0, None),  # a scale not in the table: the foreign key names it
    ],
)
def test_each_number_keeps_within_its_scale_bounds_inclusive(scale, column, number, problem):
    record = {"scale": scale, "value": None, "value_low": None, "value_high": None, column: number}
    assert _rules(record, ONE_TO_TEN) == ([problem] if problem else [])


def test_a_number_below_its_scale_is_placed_by_file_row_and_column():
    (problem,) = _evidence_rules("data/t.csv", 7, {"scale": "1-10", "value": 0.0}, ONE_TO_TEN)
    assert str(problem) == "data/t.csv, row 7, column 'value': 0 is below the minimum 1 of scale '1-10'"


def test_a_cell_that_is_not_a_number_does_not_stop_the_scale_check_of_the_next():
    record = {"scale": "1-10", "value": INVALID}
    assert _rules({**record, "value_low": 12.0, "value_high": 13.0}, ONE_TO_TEN) == [
        "value_low: 12 is above the maximum 10 of scale '1-10'",
        "value_high: 13 is above the maximum 10 of scale '1-10'",
    ]


# --- A whole table, through validate_rows --------------------------------------------------------


def _table(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _problems(path: Path, schema: dict, **options) -> list[str]:
    with pytest.raises(DataValidationError) as caught:
        validate_rows(path, schema, **options)
    return [str(p) for p in caught.value.problems]


PLAIN = {"fields": [{"name": "id", "type": "string"}, {"name": "n", "type": "integer"}]}


def test_a_field_without_a_type_is_text_as_table_schema_defaults(tmp_path):
    schema = {"fields": [{"name": "note"}, {"name": "n", "type": "integer"}]}
    path = _table(tmp_path, "note,n\nfree text,1\n")
    assert validate_rows(path, schema) == [{"note": "free text", "n": 1}]


def test_a_table_with_a_header_and_no_rows_is_refused(tmp_path):
    path = _table(tmp_path, "id,n\n")
    assert _problems(path, PLAIN) == [f"{path}: the table has a header but no rows"]


def test_a_header_problem_stops_before_the_rows_are_read(tmp_path):
    path = _table(tmp_path, "id,n,n\nx,1,2\n")
    assert _problems(path, PLAIN) == [
        f"{path}, row 1, column 'n': the header names this column twice (columns 2 and 3)"
    ]


def test_a_foreign_key_to_a_table_the_package_lacks_is_named_once(tmp_path):
    schema = {
        **PLAIN,
        "foreignKeys": [
            {"fields": "id", "reference": {"resource": "others", "fields": "id"}},
            {"fields": ["n"], "reference": {"resource": "others", "fields": ["n"]}},
            {"fields": ["n"], "reference": {"resource": "more", "fields": ["n"]}},
        ],
    }
    path = _table(tmp_path, "id,n\nx,1\n")
    assert _problems(path, schema) == [
        f"{path}: foreign key refers to resource 'others', which is not in datapackage.json",
        f"{path}: foreign key refers to resource 'more', which is not in datapackage.json",
    ]


def test_typed_records_come_back_in_file_order(tmp_path):
    path = _table(tmp_path, "id,n\nx,1\ny,\n")
    assert validate_rows(path, PLAIN) == [{"id": "x", "n": 1}, {"id": "y", "n": None}]


def test_a_declared_missing_value_is_empty_and_the_empty_string_then_is_text(tmp_path):
    schema = {**PLAIN, "missingValues": ["NA"]}
    path = _table(tmp_path, "id,n\n,NA\n")
    assert validate_rows(path, schema) == [{"id": "", "n": None}]


def test_a_short_row_does_not_hide_the_problems_of_the_rows_after_it(tmp_path):
    path = _table(tmp_path, "id,n\nx\ny,1_0\nz,\u0665\n")
    assert _problems(path, PLAIN) == [
        f"{path}, row 2: has 1 cells; the header has 2",
        f"{path}, row 3, column 'n': '1_0' is not a valid integer (write digits without '_' separators)",
        f"{path}, row 4, column 'n': '\u0665' is not a valid integer (use the ASCII digits 0-9, not U+0665 ARABIC-INDIC DIGIT FIVE)",
    ]


def test_a_citation_key_must_be_in_the_bibliography_when_one_is_given(tmp_path):
    schema = {
        "fields": [
            {"name": "source", "type": "string", "bibliography": "references.bib"},
            {"name": "n", "type": "integer"},
        ]
    }
    path = _table(tmp_path, "source,n\nknown2020,1\nunknown2021,2\n,3\n")
    assert _problems(path, schema, bibliography_keys={"known2020"}) == [
        f"{path}, row 3, column 'source': 'unknown2021' is not a key in references.bib"
    ]
    assert len(validate_rows(path, schema)) == 3  # no bibliography given: the keys are not checked


def test_a_column_that_another_table_refers_to_is_held_to_the_key_rules(tmp_path):
    path = _table(tmp_path, "id,n\n\u03a9,1\n")
    assert validate_rows(path, PLAIN) == [{"id": "\u03a9", "n": 1}]
    assert _problems(path, PLAIN, key_columns=["id"]) == [
        f"{path}, row 2, column 'id': '\u03a9' contains U+03A9 GREEK CAPITAL LETTER OMEGA; keys use Latin letters only, "
        "so that two keys that look the same are the same"
    ]


@pytest.mark.parametrize("primary", ["id", ["id"]])
def test_a_primary_key_named_as_text_or_as_a_list_is_a_key(tmp_path, primary):
    path = _table(tmp_path, "id,n\nmodern,1\nrnodern,2\n")
    assert _problems(path, {**PLAIN, "primaryKey": primary}) == [
        f"{path}, row 3, column 'id': 'rnodern' looks the same as 'modern' in row 2 but is spelled differently "
        "(confusable characters, Unicode UTS #39); use one spelling"
    ]


@pytest.mark.parametrize("fields", ["id", ["id"]])
def test_a_foreign_key_column_named_as_text_or_as_a_list_is_a_key(tmp_path, fields):
    (tmp_path / "others.csv").write_text("id\nmodern\nrnodern\n", encoding="utf-8")
    others = {"fields": [{"name": "id", "type": "string"}]}
    schema = {**PLAIN, "foreignKeys": [{"fields": fields, "reference": {"resource": "others", "fields": fields}}]}
    path = _table(tmp_path, "id,n\nmodern,1\nrnodern,2\n")
    assert _problems(path, schema, references={"others": (tmp_path / "others.csv", others)}) == [
        f"{path}, row 3, column 'id': 'rnodern' looks the same as 'modern' in row 2 but is spelled differently "
        "(confusable characters, Unicode UTS #39); use one spelling"
    ]


def test_a_foreign_key_value_missing_from_the_other_table_is_named(tmp_path):
    (tmp_path / "others.csv").write_text("id,label\nx,X\n", encoding="utf-8")
    others = {"fields": [{"name": "id", "type": "string"}, {"name": "label", "type": "string"}], "primaryKey": "id"}
    schema = {**PLAIN, "foreignKeys": [{"fields": ["id"], "reference": {"resource": "others", "fields": ["id"]}}]}
    path = _table(tmp_path, "id,n\nx,1\ny,2\n")
    assert _problems(path, schema, references={"others": (tmp_path / "others.csv", others)}) == [
        f"{path}, row 3, column 'id': 'y' is not in others (id)"
    ]


def test_a_two_column_foreign_key_names_both_values_and_both_columns(tmp_path):
    (tmp_path / "others.csv").write_text("a,b\nx,1\n", encoding="utf-8")
    others = {"fields": [{"name": "a", "type": "string"}, {"name": "b", "type": "string"}]}
    schema = {
        "fields": [{"name": "a", "type": "string"}, {"name": "b", "type": "string"}],
        "foreignKeys": [{"fields": ["a", "b"], "reference": {"resource": "others", "fields": ["a", "b"]}}],
    }
    path = _table(tmp_path, "a,b\nx,1\nx,2\n")
    assert _problems(path, schema, references={"others": (tmp_path / "others.csv", others)}) == [
        f"{path}, row 3, column 'a': 'x, 2' is not in others (a/b)"
    ]


@pytest.mark.parametrize(
    "primary, where, empty, repeated",
    [
        ("id", "id", "id=None", "id='b'"),
        (["id", "k"], "id+k", "id=None, k=None", "id='b', k='c'"),
    ],
)
def test_a_primary_key_left_empty_or_repeated_is_named_with_its_values(tmp_path, primary, where, empty, repeated):
    schema = {
        "fields": [{"name": "id", "type": "string"}, {"name": "k", "type": "string"}, {"name": "n", "type": "integer"}],
        "primaryKey": primary,
    }
    path = _table(tmp_path, "id,k,n\n,,1\nb,c,2\nb,c,3\n")
    assert _problems(path, schema) == [
        f"{path}, row 2, column '{where}': every column of the primary key is empty ({empty})",
        f"{path}, row 4, column '{where}': ({repeated}) duplicates the primary key of an earlier row (row 3)",
    ]


def test_a_schema_bound_is_inclusive_and_a_cell_past_it_is_quoted_as_written(tmp_path):
    schema = {
        "fields": [
            {"name": "n", "type": "number", "constraints": {"minimum": 0, "maximum": 10}},
            {"name": "k", "type": "integer", "constraints": {"maximum": 5}},
        ]
    }
    path = _table(tmp_path, "n,k\n0,5\n10,0\n10.50,6\n-0.5,1\n")
    assert _problems(path, schema) == [
        f"{path}, row 4, column 'n': 10.50 is above the maximum 10",
        f"{path}, row 4, column 'k': 6 is above the maximum 5",
        f"{path}, row 5, column 'n': -0.5 is below the minimum 0",
    ]


def test_a_repeated_value_in_a_unique_column_is_shown_as_the_book_read_it(tmp_path):
    """The integer 1, not the text '1'; a short row's repeat is left to its one message about the row."""
    schema = {
        "fields": [
            {"name": "id", "type": "string", "constraints": {"unique": True}},
            {"name": "n", "type": "integer", "constraints": {"unique": True}},
        ]
    }
    path = _table(tmp_path, "id,n\na,1\nb,1\na\n")
    assert _problems(path, schema) == [
        f"{path}, row 3, column 'n': (n=1) must be unique (row 2)",
        f"{path}, row 4: has 1 cells; the header has 2",
    ]


def test_a_constraint_the_book_does_not_word_itself_still_names_row_and_column(tmp_path):
    """The book's schemas use no length constraint; frictionless's own title and note then speak."""
    schema = {"fields": [{"name": "id", "type": "string", "constraints": {"maxLength": 3}}]}
    path = _table(tmp_path, "id\nabc\nabcd\n")
    assert _problems(path, schema) == [f'{path}, row 3, column \'id\': Constraint Error: constraint "maxLength" is "3"']


def test_a_schema_frictionless_cannot_read_is_reported_not_raised(tmp_path):
    schema = {"fields": [{"name": "id", "type": "string"}], "primaryKey": ["nonesuch"]}
    path = _table(tmp_path, "id\nx\n")
    (problem,) = _problems(path, schema)
    assert problem.startswith(f"{path}: frictionless cannot check this table: ")


# --- Both lists of problems, in one order -------------------------------------------------------


def test_problems_are_sorted_by_row_then_by_the_column_position_in_the_header():
    header = ["a", "b", "c"]
    own = [Problem("t", 3, "c", "own c3"), Problem("t", 2, "b", "own b2"), Problem("t", None, None, "file")]
    schema = [
        Problem("t", 2, "a", "schema a2"),
        Problem("t", 3, "b+c", "schema key b+c"),
        Problem("t", 3, "zz", "schema unknown column"),
        Problem("t", 4, None, "schema row 4"),
    ]
    assert [p.message for p in _merged(own, schema, header)] == [
        "file",
        "schema a2",
        "own b2",
        "schema key b+c",
        "own c3",
        "schema unknown column",
        "schema row 4",
    ]


def test_a_file_message_comes_before_row_1_and_a_rows_own_message_before_its_cells():
    own = [Problem("t", 1, "a", "cell a1"), Problem("t", 1, None, "row 1"), Problem("t", None, None, "file")]
    assert [p.message for p in _merged(own, [], ["a", "b"])] == ["file", "row 1", "cell a1"]


def test_a_broken_row_keeps_one_message_and_a_faulted_cell_the_books_own():
    own = [Problem("t", 2, "a", "own a2"), Problem("t", 3, "b", "own b3")]
    schema = [
        Problem("t", 2, None, "row 2 has 1 cells"),
        Problem("t", 2, "b", "schema b2"),
        Problem("t", 3, "b", "schema b3"),
        Problem("t", 3, "a", "schema a3"),
        Problem("t", 3, "a", "schema a3"),
    ]
    assert [p.message for p in _merged(own, schema, ["a", "b"])] == ["row 2 has 1 cells", "schema a3", "own b3"]


def test_a_copy_of_the_schema_is_what_frictionless_sees(tmp_path):
    """frictionless fills in defaults in what it is given; the book's schema dict must stay as written."""
    schema = {"fields": [{"name": "id", "type": "string", "constraints": {"required": True}}], "primaryKey": ["id"]}
    before = json.dumps(schema, sort_keys=True)
    validate_rows(_table(tmp_path, "id\nx\n"), schema)
    assert json.dumps(schema, sort_keys=True) == before


def test_a_table_pass_is_remembered_inside_the_build_folder_that_git_ignores():
    """A cache outside ``_build/`` would litter the working tree; ``_build/`` is ignored and cleaned."""
    from review_evidence import validation
    from review_evidence.paths import REPO_ROOT

    assert validation._DISK_CACHE.relative_to(REPO_ROOT).parts[0] == "_build"
    assert "_build/" in (REPO_ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_a_passed_table_version_is_remembered_and_a_failed_or_scratch_one_is_not(tmp_path, monkeypatch):
    """What lets a notebook kernel load its tables without importing frictionless (test_validation_cache.py
    checks that across processes); here in one process, with the cache in a folder of the test's own."""
    import sys

    from review_evidence import validation
    from review_evidence.validation import _schema_problems

    cache = tmp_path / "_build" / "cache"  # its parent does not exist yet either, as in a fresh clone
    monkeypatch.setattr(validation, "_DISK_CACHE", cache)
    bad_inputs = Path(__file__).parent / "bad_inputs"
    schema = json.loads((Path(__file__).parent.parent / "data/schemas/rating.schema.json").read_text(encoding="utf-8"))
    scales = {"scales": (read_rows(Path(__file__).parent.parent / "data/scales.csv"), {"fields": [{"name": "scale"}]})}
    path = bad_inputs / "good.csv"  # inside the book
    header, rows = read_rows(path)
    broken = [rows[0], [*rows[1][:2], "seven", *rows[1][3:]], *rows[2:]]
    assert _schema_problems(path, schema, header, broken, scales, {}) != []
    assert not cache.exists()  # a table with problems is never vouched for
    assert _schema_problems(path, schema, header, rows, scales, {}) == []
    assert len(list(cache.iterdir())) == 1
    assert _schema_problems(path, schema, header, rows[:2], scales, {}) == []  # a second version passes too
    assert len(list(cache.iterdir())) == 2
    scratch = tmp_path / "good.csv"
    scratch.write_bytes(path.read_bytes())
    assert _schema_problems(scratch, schema, header, [*rows, rows[0][:]], scales, {}) != []  # checked all the same
    assert _schema_problems(scratch, schema, header, rows[:2], scales, {}) == []
    assert len(list(cache.iterdir())) == 2  # a file outside the book leaves no marker
    monkeypatch.setitem(sys.modules, "frictionless", None)  # importing it now fails
    assert _schema_problems(path, schema, header, rows, scales, {}) == []  # answered by the marker alone
