"""Every malformed input gets one clear error naming the file, the row (or line) and the column.

The expected messages below are written by hand from the defect planted in each fixture, not
copied from the code's output.
"""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from review_evidence import DataValidationError, check_bibliography, load_printed_table, load_table
from review_evidence.bibliography import citation_label, reviewed_papers
from review_evidence.validation import MAX_CELL_CHARS

HERE = Path(__file__).parent / "bad_inputs"
PACKAGE = HERE / "datapackage.json"
DATA = Path(__file__).parent.parent / "data"
F = "tests/bad_inputs"

TABLE_CASES = {
    "severity_above_scale": f"{F}/severity_above_scale.csv, row 3, column 'value': 11 is above the maximum 10 of scale '1-10'",
    "unknown_source_key": f"{F}/unknown_source_key.csv, row 3, column 'source': 'nobody2099nothing' is not a key in references.bib",
    "evidence_not_in_enum": f"{F}/evidence_not_in_enum.csv, row 2, column 'evidence': 'guessed' is not one of the allowed values: reported, range, estimated, derived, unknown",
    "value_not_a_number": f"{F}/value_not_a_number.csv, row 3, column 'value': 'seven' is not a valid number",
    "item_missing": f"{F}/item_missing.csv, row 2, column 'item': a value is required but the cell is empty",
    "reported_without_quote": f"{F}/reported_without_quote.csv, row 3, column 'quote': evidence 'reported' needs a verbatim quote from the source",
    "estimated_without_rule": f"{F}/estimated_without_rule.csv, row 5, column 'note': evidence 'estimated' needs the rule that produced the number in 'note'",
    "range_low_above_high": f"{F}/range_low_above_high.csv, row 3, column 'value_low': value_low 8 is greater than value_high 6",
    "duplicate_primary_key": f"{F}/duplicate_primary_key.csv, row 4, column 'source+locator+item+dimension': (source='syamsir-nd-loyalty', locator='Figure 8', item='Intrusive Marketing', dimension='severity') duplicates the primary key of an earlier row (row 3)",
    "unknown_scale": f"{F}/unknown_scale.csv, row 3, column 'scale': '1-5 stars' is not in scales (scale)",
    "unknown_with_value": f"{F}/unknown_with_value.csv, row 3, column 'value': evidence 'unknown' means the source prints no number; leave value empty",
    "padded_cell": f"{F}/padded_cell.csv, row 3, column 'locator': 'Figure 8 ' has leading or trailing spaces",
    "short_row": f"{F}/short_row.csv, row 3: has 9 cells; the header has 11",
    "column_missing": f"{F}/column_missing.csv, row 1, column 'note': column is missing from the header",
    # text hygiene at the contract (issue 11)
    "zero_width_in_item": f"{F}/zero_width_in_item.csv, row 3, column 'item': 'Intrusive\\u200b Marketing' contains the invisible or unassigned character U+200B ZERO WIDTH SPACE",
    "cyrillic_in_item": f"{F}/cyrillic_in_item.csv, row 5, column 'item': 'C\u043envenience' contains U+043E CYRILLIC SMALL LETTER O; keys use Latin letters only, so that two keys that look the same are the same",
    "confusable_items": f"{F}/confusable_items.csv, row 6, column 'item': 'lntrusive Marketing' looks the same as 'Intrusive Marketing' in row 3 but is spelled differently (confusable characters, Unicode UTS #39); use one spelling",
    "not_nfc_item": f"{F}/not_nfc_item.csv, row 5, column 'item': 'Conve\u0301nience' is not in Unicode normal form NFC (a letter and its accent are stored apart); save it composed",
    "bidi_control_in_quote": f"{F}/bidi_control_in_quote.csv, row 2, column 'quote': 'Data misuse risks rank the \\u202ehighest (9/10)' contains the invisible or unassigned character U+202E RIGHT-TO-LEFT OVERRIDE",
    "nul_byte": f"{F}/nul_byte.csv, row 5, column 'note': \"Estimate: 'score well', below the\\x009/10 of relevance\" contains the control character U+0000",
    "underscore_in_number": f"{F}/underscore_in_number.csv, row 2, column 'value': '1_0' is not a valid number (write digits without '_' separators)",
    "arabic_indic_digits": f"{F}/arabic_indic_digits.csv, row 2, column 'value': '\u0665' is not a valid number (use the ASCII digits 0-9, not U+0665 ARABIC-INDIC DIGIT FIVE)",
    "fullwidth_digits": f"{F}/fullwidth_digits.csv, row 3, column 'value': '\uff17' is not a valid number (use the ASCII digits 0-9, not U+FF17 FULLWIDTH DIGIT SEVEN)",
    "header_only": f"{F}/header_only.csv: the table has a header but no rows",
    # every contract error speaks
    "bom": f"{F}/bom.csv, row 1: the file starts with a UTF-8 byte-order mark (BOM), which would become part of the first column's name; save it as UTF-8 without BOM",
    "duplicate_header": f"{F}/duplicate_header.csv, row 1, column 'note': the header names this column twice (columns 10 and 11)",
    "above_maximum_by_a_little": f"{F}/above_maximum_by_a_little.csv, row 2, column 'value': 10.0000001 is above the maximum 10 of scale '1-10'",
}

BIB_CASES = {
    "duplicate_key": f"{F}/duplicate_key.bib, line 19, column 'key': duplicate key 'ameen2021customer' (first used on line 8)",
    "doi_with_url_prefix": f"{F}/doi_with_url_prefix.bib, line 8, column 'doi': entry 'ameen2021customer': DOI 'https://doi.org/10.1016/j.chb.2020.106548' is not of the form 10.NNNN/suffix (no URL prefix)",
    "article_without_journal": f"{F}/article_without_journal.bib, line 8, column 'journal': entry 'ameen2021customer': @article needs 'journal'",
    "duplicate_doi": f"{F}/duplicate_doi.bib, line 19, column 'doi': entry 'other2021work': DOI 10.1016/J.CHB.2020.106548 is also used by 'ameen2021customer'",
    "year_not_a_year": f"{F}/year_not_a_year.bib, line 8, column 'year': entry 'ameen2021customer': year '21' is neither four digits nor 'n.d.'",
    "reviewed_in_unknown_paper": f"{F}/reviewed_in_unknown_paper.bib, line 8, column 'reviewed_in': entry 'ameen2021customer': 'smith2020unknown' is not one of the reviewed papers (role = {{reviewed}})",
    "unclosed_brace": f"{F}/unclosed_brace.bib, line 8: entry 'ameen2021customer' could not be parsed: Unexpectedly reached end of file. (parsing stopped on line 18)",
    "duplicate_field": f"{F}/duplicate_field.bib, line 8: entry 'ameen2021customer': the field 'volume' is given twice",
    "undefined_macro": f"{F}/undefined_macro.bib, line 14, column 'year': entry 'ameen2021customer': field 'year' uses the macro 'pubyear', which no @string defines; write the value in braces",
}

DESCRIPTOR_CASES = {  # descriptor file, table loaded: message
    (
        "scale_bounds_swapped_datapackage.json",
        "good",
    ): f"{F}/scale_bounds_swapped.csv, row 2, column 'minimum': minimum 10 is greater than maximum 0",
    (
        "no_schema_datapackage.json",
        "good",
    ): f"{F}/no_schema_datapackage.json: resource 'good' has no 'schema' (a Table Schema, or the path to one)",
    (
        "missing_file_datapackage.json",
        "nowhere",
    ): f"{F}/missing_file_datapackage.json: resource 'nowhere': its path 'nowhere.csv' is not a file",
}


def test_the_good_fixture_loads():
    """The control: without a planted defect the same table loads, so each failure below is the defect's."""
    table = load_table("good", PACKAGE)
    assert list(table["item"]) == ["Data Misuse Risks", "Intrusive Marketing", "System Integration", "Convenience"]
    assert table["value"].iloc[0] == 9.0
    assert check_bibliography(HERE / "good.bib")[1].key == "ameen2021customer"


@pytest.mark.parametrize("case", sorted(TABLE_CASES))
def test_a_bad_table_names_file_row_and_column(case):
    with pytest.raises(DataValidationError) as caught:
        load_table(case, PACKAGE)
    problems = [str(p) for p in caught.value.problems]
    assert problems == [TABLE_CASES[case]]
    assert TABLE_CASES[case] in str(caught.value)


@pytest.mark.parametrize("case", sorted(BIB_CASES))
def test_a_bad_bibliography_names_file_line_and_field(case):
    with pytest.raises(DataValidationError) as caught:
        check_bibliography(HERE / f"{case}.bib")
    assert [str(p) for p in caught.value.problems] == [BIB_CASES[case]]


def _good_copy(tmp_path: Path, name: str, good: list[str]) -> Path:
    """The fixtures' package with the good table's lines replaced by ``good`` (saved as ``name``); its path."""
    (tmp_path / name).write_text("\n".join(good) + "\n", encoding="utf-8")
    descriptor = PACKAGE.read_text(encoding="utf-8").replace('"path": "good.csv"', f'"path": "{tmp_path / name}"')
    descriptor = descriptor.replace('"../../data/', f'"{DATA}/')
    (tmp_path / "datapackage.json").write_text(descriptor, encoding="utf-8")
    return tmp_path / "datapackage.json"


def test_every_problem_is_listed_not_just_the_first(tmp_path):
    """Two defects in one table give one error that lists both."""
    good = (HERE / "good.csv").read_text(encoding="utf-8").splitlines()
    good[1] = good[1].replace(",9,", ",11,")
    good[2] = good[2].replace("syamsir-nd-loyalty", "nobody2099nothing")
    package = _good_copy(tmp_path, "two.csv", good)
    with pytest.raises(DataValidationError) as caught:
        load_table("good", package)
    assert len(caught.value.problems) == 2
    assert str(caught.value).startswith("2 problems found:")


def _studies_copy(tmp_path: Path, edit) -> Path:
    """A data package whose one table is data/studies.csv after ``edit(rows)``; the descriptor's path."""
    rows = list(csv.reader((DATA / "studies.csv").read_text(encoding="utf-8").splitlines()))
    edit(rows)
    with (tmp_path / "studies.csv").open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, lineterminator="\n").writerows(rows)
    descriptor = {
        "name": "studies-copy",
        "resources": [{"name": "studies", "path": "studies.csv", "schema": str(DATA / "schemas/studies.schema.json")}],
    }
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return tmp_path / "datapackage.json"


def _set(row: int, column: str, text: str):
    def edit(rows: list[list[str]]) -> None:
        rows[row - 1][rows[0].index(column)] = text

    return edit


#: Constraints the rating fixtures do not use (minimum, pattern, unique) and broken rows, planted in a
#: copy of studies.csv (header = row 1); the messages are written by hand from the planted defect.
STUDIES_CASES = {
    "below_minimum": (_set(2, "sample_size", "0"), "row 2, column 'sample_size': 0 is below the minimum 1"),
    "not_an_integer": (_set(2, "sample_size", "50.5"), "row 2, column 'sample_size': '50.5' is not a valid integer"),
    "pattern": (
        _set(4, "seed_file", "paper.txt"),
        "row 4, column 'seed_file': 'paper.txt' does not match the pattern \\d{3}_[0-9a-f]{16}\\.txt",
    ),
    "not_unique": (
        _set(3, "short_name", "GAN benchmark (Patel)"),
        "row 4, column 'short_name': (short_name='GAN benchmark (Patel)') must be unique (row 3)",
    ),
    "extra_cell": (lambda rows: rows[3].append("stray"), "row 4: has 13 cells; the header has 12"),
    "blank_row": (lambda rows: rows.insert(2, [""] * 12), "row 3: every cell is empty; delete the row or fill it in"),
    "empty_line": (lambda rows: rows.insert(2, []), "row 3: every cell is empty; delete the row or fill it in"),
}


@pytest.mark.parametrize("case", sorted(STUDIES_CASES))
def test_a_table_schema_error_from_frictionless_names_file_row_and_column(case, tmp_path):
    edit, message = STUDIES_CASES[case]
    package = _studies_copy(tmp_path, edit)
    with pytest.raises(DataValidationError) as caught:
        load_table("studies", package)
    assert [str(p) for p in caught.value.problems] == [f"{tmp_path / 'studies.csv'}, {message}"]


def test_a_number_the_book_refuses_but_frictionless_reads_is_named(tmp_path):
    """frictionless reads 'NaN' as a number; the book's numbers are finite, and the cell gets one message."""
    good = (HERE / "good.csv").read_text(encoding="utf-8").splitlines()
    good[1] = good[1].replace(",9,", ",NaN,")
    package = _good_copy(tmp_path, "nan.csv", good)
    with pytest.raises(DataValidationError) as caught:
        load_table("good", package)
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path / 'nan.csv'}, row 2, column 'value': 'NaN' is not a valid number (the book writes finite numbers only)"
    ]


def test_an_unknown_table_name_is_a_clear_error():
    with pytest.raises(DataValidationError, match="no table named 'nonesuch'"):
        load_table("nonesuch", PACKAGE)


@pytest.mark.parametrize("descriptor, table", sorted(DESCRIPTOR_CASES))
def test_a_broken_package_or_scale_definition_is_named(descriptor, table):
    """Only the definition is blamed: a swapped scale gives one error on scales.csv, none on the data rows."""
    with pytest.raises(DataValidationError) as caught:
        load_table(table, HERE / descriptor)
    assert [str(p) for p in caught.value.problems] == [DESCRIPTOR_CASES[(descriptor, table)]]


def test_a_latin1_byte_in_a_csv_is_named_with_row_column_line_and_offset():
    data = (HERE / "latin1_cell.csv").read_bytes()
    offset = data.index(b"\xe9")  # the planted byte: an é saved as Latin-1, in row 3's quote (line 3)
    with pytest.raises(DataValidationError) as caught:
        load_table("latin1_cell", PACKAGE)
    assert [str(p) for p in caught.value.problems] == [
        f"{F}/latin1_cell.csv, row 3, column 'quote': byte {offset} (line 3) is 0xe9, which is not valid UTF-8; "
        "save the file as UTF-8 (a spreadsheet's 'CSV UTF-8')"
    ]


def test_a_latin1_byte_in_the_bibliography_is_named_with_line_and_offset():
    data = (HERE / "latin1.bib").read_bytes()
    offset = data.index(b"\xe9")  # "Alexandr\xe9" on line 9
    in_line = offset - data.rindex(b"\n", 0, offset)
    with pytest.raises(DataValidationError) as caught:
        check_bibliography(HERE / "latin1.bib")
    assert [str(p) for p in caught.value.problems] == [
        f"{F}/latin1.bib, line 9: byte {offset} (byte {in_line} of the line) is 0xe9, which is not valid UTF-8; save the file as UTF-8"
    ]


def test_legitimate_unicode_and_bibtex_forms_are_accepted_unchanged():
    """Latin letters with accents, §, × and – in a key; an @string macro; @entry( ... ); an indented entry."""
    table = load_table("legitimate_unicode", PACKAGE)
    assert table["item"].iloc[0] == "Caf\u00e9 \u00a7 2\u00d7 \u2013 Data Misuse Risks"
    for name in ("string_macro", "paren_and_indented"):
        entries = check_bibliography(HERE / f"{name}.bib")
        assert [(e.key, e.get("year")) for e in entries] == [
            ("syamsir-nd-loyalty", "n.d."),
            ("ameen2021customer", "2021"),
        ]
        assert citation_label("ameen2021customer", HERE / f"{name}.bib") == "Ameen et al. (2021)"
        assert [e.key for e in reviewed_papers(HERE / f"{name}.bib")] == ["syamsir-nd-loyalty"]


LONG_CELL_SCRIPT = """
import sys
from pathlib import Path
from review_evidence import DataValidationError, load_table
try:
    load_table("good", Path(sys.argv[1]))
except DataValidationError as error:
    print(error)
"""


def test_a_200000_character_cell_is_named_and_shown_shortened_in_a_fresh_process(tmp_path):
    """csv's own field limit (131,072) would stop it without row or column; pytest's imports hide that."""
    good = (HERE / "good.csv").read_text(encoding="utf-8").splitlines()
    good[2] = good[2] + "x" * 200_000  # row 3 ends with its empty note: now 200,000 characters long
    package = _good_copy(tmp_path, "long.csv", good)
    result = subprocess.run(
        [sys.executable, "-c", LONG_CELL_SCRIPT, str(package)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    message = f"{tmp_path / 'long.csv'}, row 3, column 'note': is 200000 characters long; a cell may hold at most {MAX_CELL_CHARS}: "
    assert message in result.stdout, result.stdout[-2000:]
    assert "(200000 characters)" in result.stdout and len(result.stdout) < 1000, result.stdout[-2000:]


def test_an_ordering_message_shows_the_numbers_it_compared_exactly():
    """ "9 is not above 9" would contradict itself; the ratings were 9.0000001 and 9."""
    import pandas as pd

    from review_evidence.orderings import _describe

    assert (
        _describe(pd.Series({"item": "Relevance", "evidence": "reported", "value": 9.0000001}))
        == "Relevance = 9.0000001 (reported)"
    )
    assert (
        _describe(pd.Series({"item": "Trust", "evidence": "range", "value_low": 6.0, "value_high": 7.25}))
        == "Trust = 6-7.25 (range)"
    )


def test_a_schema_type_the_loaders_do_not_read_is_named(tmp_path):
    """A boolean (or date) column would come back as text; the schema is refused instead, naming the column."""
    (tmp_path / "flags.csv").write_text("name,flag\na,true\n", encoding="utf-8")
    schema = {"fields": [{"name": "name", "type": "string"}, {"name": "flag", "type": "boolean"}]}
    descriptor = {"name": "flags", "resources": [{"name": "flags", "path": "flags.csv", "schema": schema}]}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    with pytest.raises(DataValidationError) as caught:
        load_table("flags", tmp_path / "datapackage.json")
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path / 'flags.csv'}, column 'flag': the schema's type is not one the book reads (string, number, integer)"
    ]


def test_the_printed_table_keeps_the_printed_text_and_is_checked_like_the_typed_one(tmp_path):
    """``load_printed_table`` gives the audits each cell's text; a table that breaks its schema still fails."""
    printed = load_printed_table("benchmark_results")
    mlp = printed[(printed["item"] == "MLP") & (printed["dimension"] == "precision")]
    assert mlp["value"].tolist() == ["78.10"]  # as data/benchmark_results.csv prints it; a float says 78.1
    assert load_table("benchmark_results")["value"].dtype.kind == "f"
    package = _studies_copy(tmp_path, _set(2, "sample_size", "0"))
    with pytest.raises(DataValidationError, match="row 2, column 'sample_size': 0 is below the minimum 1"):
        load_printed_table("studies", package)
