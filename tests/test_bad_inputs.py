"""Every malformed input gets one clear error naming the file, the row (or line) and the column.

The expected messages below are written by hand from the defect planted in each fixture, not
copied from the code's output.
"""

from pathlib import Path

import pytest

from review_evidence import DataValidationError, check_bibliography, load_table

HERE = Path(__file__).parent / "bad_inputs"
PACKAGE = HERE / "datapackage.json"
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
}

BIB_CASES = {
    "duplicate_key": f"{F}/duplicate_key.bib, line 19, column 'key': duplicate key 'ameen2021customer' (first used on line 8)",
    "doi_with_url_prefix": f"{F}/doi_with_url_prefix.bib, line 8, column 'doi': entry 'ameen2021customer': DOI 'https://doi.org/10.1016/j.chb.2020.106548' is not of the form 10.NNNN/suffix (no URL prefix)",
    "article_without_journal": f"{F}/article_without_journal.bib, line 8, column 'journal': entry 'ameen2021customer': @article needs 'journal'",
    "duplicate_doi": f"{F}/duplicate_doi.bib, line 19, column 'doi': entry 'other2021work': DOI 10.1016/J.CHB.2020.106548 is also used by 'ameen2021customer'",
    "year_not_a_year": f"{F}/year_not_a_year.bib, line 8, column 'year': entry 'ameen2021customer': year '21' is neither four digits nor 'n.d.'",
    "reviewed_in_unknown_paper": f"{F}/reviewed_in_unknown_paper.bib, line 8, column 'reviewed_in': entry 'ameen2021customer': 'smith2020unknown' is not one of the reviewed papers (role = {{reviewed}})",
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


def test_every_problem_is_listed_not_just_the_first(tmp_path):
    """Two defects in one table give one error that lists both."""
    good = (HERE / "good.csv").read_text(encoding="utf-8").splitlines()
    good[1] = good[1].replace(",9,", ",11,")
    good[2] = good[2].replace("syamsir-nd-loyalty", "nobody2099nothing")
    (tmp_path / "two.csv").write_text("\n".join(good) + "\n", encoding="utf-8")
    descriptor = PACKAGE.read_text(encoding="utf-8").replace('"path": "good.csv"', f'"path": "{tmp_path / "two.csv"}"')
    descriptor = descriptor.replace('"../../data/', f'"{Path(__file__).parent.parent / "data"}/')
    (tmp_path / "datapackage.json").write_text(descriptor, encoding="utf-8")
    with pytest.raises(DataValidationError) as caught:
        load_table("good", tmp_path / "datapackage.json")
    assert len(caught.value.problems) == 2
    assert str(caught.value).startswith("2 problems found:")


def test_an_unknown_table_name_is_a_clear_error():
    with pytest.raises(DataValidationError, match="no table named 'nonesuch'"):
        load_table("nonesuch", PACKAGE)
