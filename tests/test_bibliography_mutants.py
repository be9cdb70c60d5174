"""The bibliography's checks one by one, at their edges (issue 12: mutation testing with mutmut).

test_bad_inputs.py plants one defect per fixture; these tests reach what a mutant of
``review_evidence.bibliography`` changes: each BibTeX value form (braced, quoted, a number, a month,
an @string macro, a '#' join), each entry type's required fields, the DOI and year patterns at their
edges, the label of an entry without authors. Every expected message and value is worked out by hand
from the BibTeX written here, never copied from the code's output.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from review_evidence import DataValidationError
from review_evidence.bibliography import (
    Entry,
    bibliography_keys,
    bibliography_problems,
    check_bibliography,
    citation_label,
    citation_overlap,
    load_bibliography,
    reviewed_papers,
    source_flow,
)


def _bib(tmp_path: Path, text: str, name: str = "refs.bib") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _problems(path: Path) -> list[str]:
    return [str(p) for p in bibliography_problems(path)]


def _misc(key: str, extra: str = "", year: str = "{2020}") -> str:
    return f"@misc{{{key},\n  title = {{T}},\n  year = {year},\n{extra}}}\n"


# --- Reading the file ---------------------------------------------------------------------------


def test_a_byte_that_is_not_utf8_is_placed_by_line_and_byte_of_the_line(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_bytes(b"@misc{a2020,\n  title = {Caf\xe9},\n  year = {2020}\n}\n")
    # line 2 starts at byte 13; "  title = {Caf" is 14 bytes, so the bad byte is byte 27, the 15th of its line
    assert _problems(path) == [
        f"{path}, line 2: byte 27 (byte 15 of the line) is 0xe9, which is not valid UTF-8; save the file as UTF-8"
    ]
    first = tmp_path / "first.bib"
    first.write_bytes(b"\xe9@misc{a2020,\n}\n")
    assert _problems(first) == [
        f"{first}, line 1: byte 0 (byte 1 of the line) is 0xe9, which is not valid UTF-8; save the file as UTF-8"
    ]


def test_a_bad_byte_right_after_a_blank_first_line_is_on_line_2_byte_1(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_bytes(b"\n\xe9@misc{a2020,\n}\n")
    assert _problems(path) == [
        f"{path}, line 2: byte 1 (byte 1 of the line) is 0xe9, which is not valid UTF-8; save the file as UTF-8"
    ]


def test_a_missing_file_is_named_and_has_no_keys(tmp_path):
    assert _problems(tmp_path / "nowhere.bib") == [f"{tmp_path / 'nowhere.bib'}: file not found"]
    assert bibliography_keys(tmp_path / "nowhere.bib") == set()


# --- Values: the forms BibTeX allows, and the two it cannot expand ------------------------------


def test_braced_quoted_numeric_month_and_string_macro_values_are_accepted(tmp_path):
    path = _bib(
        tmp_path,
        "@string{pub = {A Publisher}}\n"
        "@book{a2020,\n"
        '  author = "Smith, Ann",\n'
        "  title = {Braced},\n"
        "  publisher = PUB,\n"  # macro names are case-insensitive
        "  month = Dec,\n"
        "  year = 2020\n"
        "}\n",
    )
    (entry,) = check_bibliography(path)
    assert (entry.key, entry.entry_type, entry.line) == ("a2020", "book", 2)
    assert entry.fields == {
        "author": "Smith, Ann",
        "title": "Braced",
        "publisher": "A Publisher",
        "month": "Dec",
        "year": "2020",
    }


MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


@pytest.mark.parametrize("month", MONTHS)
def test_every_month_abbreviation_bibtex_predefines_is_accepted_bare(tmp_path, month):
    assert _problems(_bib(tmp_path, _misc("k", f"  month = {month},\n"))) == []


def test_an_undefined_macro_is_named_whatever_letter_it_starts_with(tmp_path):
    path = _bib(tmp_path, _misc("k", "  publisher = Xpress,\n"))
    assert _problems(path) == [
        f"{path}, line 4, column 'publisher': entry 'k': field 'publisher' uses the macro 'Xpress', which no "
        "@string defines; write the value in braces"
    ]


def test_a_month_name_written_out_is_no_macro(tmp_path):
    path = _bib(tmp_path, _misc("k", "  month = june,\n"))
    assert _problems(path) == [
        f"{path}, line 4, column 'month': entry 'k': field 'month' uses the macro 'june', which no @string "
        "defines; write the value in braces"
    ]


def test_the_parse_is_remembered_inside_the_build_folder_that_git_ignores():
    """A cache outside ``_build/`` would litter the working tree; ``_build/`` is ignored and cleaned."""
    from review_evidence import bibliography
    from review_evidence.paths import REPO_ROOT

    assert bibliography._DISK_CACHE.relative_to(REPO_ROOT).parts[0] == "_build"
    assert "_build/" in (REPO_ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_a_value_joined_with_a_hash_is_refused_naming_the_field_and_its_line(tmp_path):
    path = _bib(
        tmp_path, "@string{pub = {Pub}}\n@misc{a2020,\n  title = {T},\n  note = pub # { x},\n  year = {2020}\n}\n"
    )
    assert _problems(path) == [
        f"{path}, line 4, column 'note': entry 'a2020': field 'note' joins values with '#' (pub # {{ x}}); "
        "write the value out in braces"
    ]


def test_a_bare_word_that_is_not_a_number_month_or_macro_is_refused(tmp_path):
    path = _bib(tmp_path, "@misc{a2020,\n  title = {T},\n  Year = 2020a\n}\n")
    assert _problems(path) == [
        f"{path}, line 3, column 'year': entry 'a2020': field 'year' uses the macro '2020a', which no @string "
        "defines; write the value in braces"
    ]


# --- Blocks that cannot be parsed ---------------------------------------------------------------


def test_an_unparsable_entry_written_with_parentheses_and_indented_is_named_by_its_key(tmp_path):
    path = _bib(tmp_path, _misc("good2020") + "\n  @misc ( bad2021 ,\n  title = {T,\n  year = 2021\n)\n")
    # the good entry takes lines 1-4, a blank line 5; the bad one starts on line 6 and the file ends on line 10
    assert _problems(path) == [
        f"{path}, line 6: entry 'bad2021' could not be parsed: Unexpectedly reached end of file. "
        "(parsing stopped on line 10)"
    ]


def test_the_line_where_parsing_stopped_counts_a_blank_first_line(tmp_path):
    path = _bib(tmp_path, "\n@misc{a2020,\n  title = {T\n")
    # line 1 blank, the entry on line 2, its title on line 3; the file ends on line 4
    assert _problems(path) == [
        f"{path}, line 2: entry 'a2020' could not be parsed: Unexpectedly reached end of file. "
        "(parsing stopped on line 4)"
    ]


def test_an_unparsable_entry_without_a_key_is_named_with_a_question_mark(tmp_path):
    path = _bib(tmp_path, "@misc{,\n  title = {T\n")
    assert _problems(path) == [
        f"{path}, line 1: entry '?' could not be parsed: Unexpectedly reached end of file. (parsing stopped on line 3)"
    ]


def test_a_missing_comma_after_the_key_is_named_with_what_was_found(tmp_path):
    path = _bib(tmp_path, "@misc{f2020 title = {T}}\n")
    assert _problems(path) == [
        f"{path}, line 1: entry 'f2020' could not be parsed: Expected comma after entry key, but found = "
        "(parsing stopped on line 1)"
    ]


def test_two_fields_given_twice_are_named_together(tmp_path):
    path = _bib(tmp_path, "@misc{d2020,\n  year = {x},\n  title = {T},\n  title = {U},\n  year = {y}\n}\n")
    assert _problems(path) == [f"{path}, line 1: entry 'd2020': the field 'title, year' is given twice"]


def test_a_field_given_twice_in_different_case_is_named_not_silently_overwritten(tmp_path):
    """BibTeX field names ignore case; pybtex, which the build uses, refuses the entry, so the check must too."""
    path = _bib(tmp_path, "@misc{d2020,\n  title = {T},\n  Title = {U},\n  YEAR = {2020},\n  year = {2021}\n}\n")
    assert _problems(path) == [f"{path}, line 1: entry 'd2020': the field 'title, year' is given twice"]
    with pytest.raises(DataValidationError, match="the field 'title, year' is given twice"):
        load_bibliography(path)


def test_a_reader_raises_for_a_broken_entry_instead_of_dropping_it(tmp_path):
    path = _bib(tmp_path, _misc("good2020") + "@misc{bad2021,\n  title = {T,\n")
    for read in (load_bibliography, reviewed_papers, bibliography_keys):
        with pytest.raises(DataValidationError, match="entry 'bad2021' could not be parsed"):
            read(path)


def test_a_parse_problem_is_reported_alone_not_echoed_by_the_field_checks(tmp_path):
    path = _bib(tmp_path, "@online{a2020,\n  title = {T}\n}\n@online{a2020,\n  title = {T}\n}\n")
    assert _problems(path) == [f"{path}, line 4, column 'key': duplicate key 'a2020' (first used on line 1)"]


# --- Entry types and their required fields ------------------------------------------------------


def test_an_entry_type_the_book_does_not_use_is_named_with_the_ones_it_does(tmp_path):
    path = _bib(tmp_path, "@Online{a2020,\n  title = {T}\n}\n")
    assert _problems(path) == [
        f"{path}, line 1, column 'type': entry 'a2020': entry type @online is not one the book uses "
        "(article, book, inproceedings, incollection, techreport, misc)"
    ]


@pytest.mark.parametrize(
    "entry, missing",
    [
        ("@book{k,\n  editor = {E, D},\n  title = {T},\n  publisher = {P},\n  year = {2020}\n}\n", []),
        ("@book{k,\n  title = {T},\n  publisher = {P},\n  year = {2020}\n}\n", ["author|editor"]),
        ("@techreport{k,\n  title = {T},\n  institution = {I},\n  year = {2020}\n}\n", []),  # I is author too
        ("@techreport{k,\n  author = {A, B},\n  title = {T},\n  year = {2020}\n}\n", ["institution"]),
        ("@inproceedings{k,\n  author = {A, B},\n  title = {T},\n  year = {2020}\n}\n", ["booktitle"]),
        ("@incollection{k,\n  author = {A, B},\n  booktitle = {B},\n  year = {2020}\n}\n", ["title"]),
        ("@article{k,\n  title = {T},\n  journal = {J}\n}\n", ["author", "year"]),
        ("@misc{k,\n  title = {},\n  year = {2020}\n}\n", ["title"]),  # an empty field is a missing one
    ],
)
def test_each_entry_type_needs_its_fields(tmp_path, entry, missing):
    path = _bib(tmp_path, entry)
    kind = entry[1 : entry.index("{")]
    assert _problems(path) == [
        f"{path}, line 1, column '{name}': entry 'k': @{kind} needs '{name.replace('|', ' or ')}'" for name in missing
    ]


@pytest.mark.parametrize("year", ["2020", "2020?", "n.d.", "0999"])
def test_a_year_of_four_digits_an_uncertain_one_or_no_date_is_accepted(tmp_path, year):
    assert _problems(_bib(tmp_path, _misc("k", year=f"{{{year}}}"))) == []


@pytest.mark.parametrize("year", ["20201", "202", "2020??", "n.d", "nd", "2020-21", "?2020"])
def test_any_other_year_is_named(tmp_path, year):
    path = _bib(tmp_path, _misc("k", year=f"{{{year}}}"))
    assert _problems(path) == [
        f"{path}, line 1, column 'year': entry 'k': year '{year}' is neither four digits nor 'n.d.'"
    ]


@pytest.mark.parametrize("doi", ["10.1234/x", "10.123456789/a.b(c)-d", "10.1016/J.CHB.2020.106548"])
def test_a_doi_with_a_four_to_nine_digit_registrant_and_a_suffix_is_accepted(tmp_path, doi):
    assert _problems(_bib(tmp_path, _misc("k", f"  doi = {{{doi}}},\n"))) == []


@pytest.mark.parametrize(
    "doi", ["10.123/x", "10.1234567890/x", "10.1234/", "10.1234/a b", "doi:10.1234/x", "11.1234/x", "10,1234/x"]
)
def test_any_other_doi_is_named(tmp_path, doi):
    path = _bib(tmp_path, _misc("k", f"  doi = {{{doi}}},\n"))
    assert _problems(path) == [
        f"{path}, line 1, column 'doi': entry 'k': DOI '{doi}' is not of the form 10.NNNN/suffix (no URL prefix)"
    ]


def test_a_doi_used_three_times_names_its_first_user_each_time(tmp_path):
    path = _bib(
        tmp_path,
        _misc("first", "  doi = {10.1234/x},\n")
        + _misc("second", "  doi = {10.1234/X},\n")
        + _misc("third", "  doi = {10.1234/x},\n")
        + _misc("other", "  doi = {10.1234/y},\n"),
    )
    assert _problems(path) == [
        f"{path}, line 6, column 'doi': entry 'second': DOI 10.1234/X is also used by 'first'",
        f"{path}, line 11, column 'doi': entry 'third': DOI 10.1234/x is also used by 'first'",
    ]


def test_reviewed_in_names_only_reviewed_papers_however_the_list_is_spaced(tmp_path):
    path = _bib(
        tmp_path,
        _misc("paper", "  role = {reviewed},\n")
        + _misc("other", "  role = {cited},\n")
        + _misc("work", "  reviewed_in = { paper ,, other,nobody },\n"),
    )
    assert _problems(path) == [
        f"{path}, line 11, column 'reviewed_in': entry 'work': 'other' is not one of the reviewed papers (role = {{reviewed}})",
        f"{path}, line 11, column 'reviewed_in': entry 'work': 'nobody' is not one of the reviewed papers (role = {{reviewed}})",
    ]
    assert [e.key for e in reviewed_papers(path)] == ["paper"]


# --- Entries as the chapters read them ----------------------------------------------------------


def test_an_entry_reads_missing_fields_as_empty_and_its_reviewed_in_as_keys():
    entry = Entry("k", "misc", 1, {"reviewed_in": " a, b ,,c ", "title": "T"})
    assert entry.get("title") == "T"
    assert entry.get("doi") == ""
    assert entry.get("doi", "none") == "none"
    assert entry.reviewed_in == ("a", "b", "c")
    assert Entry("k", "misc", 1).reviewed_in == ()


def test_a_check_that_passes_returns_the_entries_in_file_order(tmp_path):
    path = _bib(tmp_path, _misc("b2020") + _misc("a2019"))
    assert [(e.key, e.line) for e in check_bibliography(path)] == [("b2020", 1), ("a2019", 5)]


def test_a_check_that_fails_raises_with_every_problem(tmp_path):
    path = _bib(tmp_path, _misc("a", year="{21}") + _misc("b", "  doi = {x},\n"))
    with pytest.raises(DataValidationError) as caught:
        check_bibliography(path)
    assert [p.column for p in caught.value.problems] == ["year", "doi"]


def test_a_label_for_a_key_that_is_not_there_says_which_file(tmp_path):
    path = _bib(tmp_path, _misc("a2020"))
    with pytest.raises(KeyError, match=f"'nokey' is not a key in {path}"):
        citation_label("nokey", path)


def test_an_entry_without_authors_is_labelled_by_the_first_40_characters_of_its_title(tmp_path):
    path = _bib(
        tmp_path,
        "@misc{k,\n  title = {{The Role of Personalization in Enhancing Customer Loyalty}},\n  year = {2021}\n}\n"
        "@misc{x,\n  title = {{Xbox recommendations}},\n  year = {2020}\n}\n",
    )
    assert citation_label("k", path) == "The Role of Personalization in Enhancing (2021)"
    assert citation_label("x", path) == "Xbox recommendations (2020)"


def _rewrite_keeping(path: Path, text: str, *, mtime_ns: int | None = None) -> None:
    path.write_text(text, encoding="utf-8")
    if mtime_ns is not None:
        os.utime(path, ns=(mtime_ns, mtime_ns))


def test_the_check_follows_an_edit_that_keeps_the_size_or_lands_in_the_same_tick(tmp_path):
    path = _bib(tmp_path, _misc("k", year="{2020}"))
    first = path.stat().st_mtime_ns
    assert _problems(path) == []
    _rewrite_keeping(path, _misc("k", year="{20x0}"), mtime_ns=first + 1_000_000_000)  # same size, later
    assert _problems(path) == [
        f"{path}, line 1, column 'year': entry 'k': year '20x0' is neither four digits nor 'n.d.'"
    ]
    _rewrite_keeping(path, _misc("k", year="{2020x}"), mtime_ns=first + 1_000_000_000)  # same tick, longer
    assert _problems(path) == [
        f"{path}, line 1, column 'year': entry 'k': year '2020x' is neither four digits nor 'n.d.'"
    ]


def test_a_label_follows_an_edit_that_keeps_the_file_size(tmp_path):
    path = _bib(tmp_path, _misc("k", "  author = {Smith, A.},\n"))
    before = path.stat().st_mtime_ns
    assert citation_label("k", path) == "Smith (2020)"
    _rewrite_keeping(path, _misc("k", "  author = {Jones, A.},\n"), mtime_ns=before + 1_000_000_000)
    assert citation_label("k", path) == "Jones (2020)"


def test_a_label_follows_an_edit_within_one_tick_of_a_coarse_clock(tmp_path):
    """Two saves in the same timestamp tick differ in size: the label must not keep the first."""
    path = _bib(tmp_path, _misc("k", "  author = {Smith, A.},\n"))
    same = path.stat().st_mtime_ns
    assert citation_label("k", path) == "Smith (2020)"
    _rewrite_keeping(path, _misc("k", "  author = {Smithson, A.},\n"), mtime_ns=same)
    assert citation_label("k", path) == "Smithson (2020)"


@pytest.mark.parametrize(
    "author, label",
    [
        ("{Starbucks Corporation} and Smith, A.", "Starbucks Corporation & Smith (2020)"),
        ("Smith, A. and Jones, B. and others", "Smith et al. (2020)"),
        ("{de la Cruz}, Maria", "de la Cruz (2020)"),  # braced surname with a first name: not corporate
        ("Ann {von Braun}", "von Braun (2020)"),
        ("{A. Smith}", "Smith (2020)"),  # a braced list with initials: its last printed surname
        ("{Xerox}", "Xerox (2020)"),  # only the braces go, not letters
        ("Ann {St. John}", "St. John (2020)"),  # a braced surname after a first name is a surname, dot and all
        ("de la Cruz", "de la Cruz (2020)"),  # no first name: the von part still belongs to the surname
        ("Doe, John, Jr, X", "Doe (2020)"),  # one comma too many (a garbled source): still a label, no crash
        ("Smith, A. and Jones, B. and Lee, C. and others", "Smith et al. (2020)"),
        ("others", "T (2020)"),  # "et al." of nobody: no author to name, so the title
    ],
)
def test_more_author_forms_get_the_surnames_a_reader_expects(tmp_path, author, label):
    path = _bib(tmp_path, f"@misc{{k,\n  author = {{{author}}},\n  title = {{T}},\n  year = {{2020}}\n}}\n")
    assert citation_label("k", path) == label


def test_the_citation_overlap_lists_works_cited_by_two_or_more_papers_by_key(tmp_path):
    path = _bib(
        tmp_path,
        _misc("p1", "  role = {reviewed},\n")
        + _misc("p2", "  role = {reviewed},\n")
        + "@misc{zeta,\n  title = {The {GAN} benchmark},\n  year = {2020},\n  reviewed_in = {p1, p2}\n}\n"
        + "@misc{alpha,\n  title = {Alpha},\n  year = {2020},\n  reviewed_in = {p2,p1}\n}\n"
        + "@misc{once,\n  title = {Once},\n  year = {2020},\n  reviewed_in = {p1}\n}\n",
    )
    overlap = citation_overlap(path)
    assert list(overlap.index) == [0, 1]  # numbered in the order shown, not the file's
    assert overlap.to_dict("records") == [
        {"key": "alpha", "title": "Alpha", "cited_by": "p2, p1"},
        {"key": "zeta", "title": "The GAN benchmark", "cited_by": "p1, p2"},
    ]


def test_the_citation_overlap_of_a_bibliography_without_shared_works_is_empty_with_its_columns(tmp_path):
    overlap = citation_overlap(_bib(tmp_path, _misc("a")))
    assert list(overlap.columns) == ["key", "title", "cited_by"] and overlap.empty


def test_the_source_flow_counts_works_cited_twice_only_across_papers(tmp_path):
    path = _bib(
        tmp_path,
        _misc("p1", "  role = {reviewed},\n")
        + _misc("p2", "  role = {reviewed},\n")
        + _misc("w1")
        + _misc("w2")
        + _misc("w3")
        + _misc("extra"),
    )
    lists = pd.DataFrame(
        {
            "citing": ["p1", "p1", "p1", "p2", "p2"],
            "position": [1, 2, 3, 1, 2],
            # w1: twice in p1's list (one paper); w2: in both papers; w3: once
            "cited": ["w1", "w1", "w2", "w2", "w3"],
        }
    )
    flow = source_flow(lists, path)
    assert flow.to_dict("records") == [
        {
            "step": "Papers chosen for review (no database search, nothing screened out)",
            "count": 2,
            "flows_into": "Entries in references.bib",
        },
        {
            "step": "Items in their printed reference lists (transcribed, none excluded)",
            "count": 5,
            "flows_into": "Distinct works after merging duplicate items",
        },
        {
            "step": "Distinct works after merging duplicate items",
            "count": 3,
            "flows_into": "Entries in references.bib",
        },
        {"step": "of which cited by two or more reviewed papers", "count": 1, "flows_into": "(annotation)"},
        {
            "step": "Sources this book adds (industry facts, methods, stronger evidence)",
            "count": 1,
            "flows_into": "Entries in references.bib",
        },
        {"step": "Entries in references.bib", "count": 6, "flows_into": ""},
    ]


def test_the_source_flow_names_every_cited_work_missing_from_the_bibliography(tmp_path):
    path = _bib(tmp_path, _misc("p1", "  role = {reviewed},\n"))
    lists = pd.DataFrame({"citing": ["p1", "p1"], "position": [1, 2], "cited": ["zz2000", "aa1999"]})
    with pytest.raises(ValueError) as caught:
        source_flow(lists, path)
    assert str(caught.value) == (
        f"data/reference_lists.csv: column 'cited' names works that are not in {path}: ['aa1999', 'zz2000']"
    )
