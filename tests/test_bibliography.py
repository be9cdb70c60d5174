"""The shared bibliography: parses, complete, consistent with the data and the chapters."""

import json
import re
from collections import Counter

import pybtex.database
import pytest

from review_evidence import check_bibliography, load_table
from review_evidence.bibliography import REVIEWED_ROLE, citation_label, reviewed_papers
from review_evidence.paths import BIBLIOGRAPHY, REPO_ROOT

CITE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")


def test_the_bibliography_has_no_problems():
    entries = check_bibliography()
    assert len(entries) > 100


def test_pybtex_which_sphinx_uses_parses_it_too():
    data = pybtex.database.parse_file(str(BIBLIOGRAPHY))
    assert len(data.entries) == len(check_bibliography())


def test_the_five_reviewed_papers_are_the_studies():
    keys = {e.key for e in reviewed_papers()}
    assert keys == set(load_table("studies")["source"])
    assert len(keys) == 5


def test_reviewed_in_agrees_with_the_reference_lists():
    lists = load_table("reference_lists")
    from_table = {}
    for row in lists.itertuples():
        from_table.setdefault(row.cited, set()).add(row.citing)
    from_bib = {e.key: set(e.reviewed_in) for e in check_bibliography() if e.reviewed_in}
    assert from_bib == from_table


def test_reference_list_positions_are_complete():
    lists = load_table("reference_lists")
    for citing, group in lists.groupby("citing"):
        assert sorted(group["position"]) == list(range(1, len(group) + 1)), f"{citing}: gaps in positions"


def _chapter_sources():
    for path in sorted((REPO_ROOT / "book").glob("*.md")):
        yield path, path.read_text(encoding="utf-8")
    for path in sorted((REPO_ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        yield path, "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def test_every_cited_key_exists():
    keys = {e.key for e in check_bibliography()}
    missing = []
    for path, text in _chapter_sources():
        for match in CITE.finditer(text):
            for key in match.group(1).split(","):
                if key.strip() not in keys:
                    missing.append(f"{path.relative_to(REPO_ROOT)}: cites unknown key '{key.strip()}'")
    assert not missing, "\n".join(missing)


def test_the_chapters_cite_every_reviewed_paper():
    cited = Counter()
    for _, text in _chapter_sources():
        for match in CITE.finditer(text):
            cited.update(k.strip() for k in match.group(1).split(","))
    assert {e.key for e in reviewed_papers()} <= set(cited)


@pytest.mark.parametrize(
    "author, year, label",
    [
        ("{Starbucks Corporation}", "2019", "Starbucks Corporation (2019)"),  # corporate: whole name
        ("Gomez-Uribe, Carlos A. and Hunt, Neil", "2015", "Gomez-Uribe & Hunt (2015)"),
        ("Smith, A. and Jones, B. and Lee, C.", "", "Smith et al. (n.d.)"),
        ("Smith, A. and others", "2020", "Smith et al. (2020)"),
        ("{N. K. \\& V. V. Alapati}", "2024", "Alapati (2024)"),  # a list the source printed garbled
        ("{Barnes and Noble} and Smith, A.", "2021", "Barnes and Noble & Smith (2021)"),  # 'and' inside braces
        ("Ludwig van Beethoven", "1808", "van Beethoven (1808)"),  # First von Last: the von part is the surname's
        ("van der Berg, J. and Smith, A.", "2022", "van der Berg & Smith (2022)"),  # von Last, First
        ("Smith, A. AND Jones, B.", "2023", "Smith & Jones (2023)"),  # BibTeX's 'and' is case-insensitive
    ],
)
def test_citation_labels(tmp_path, author, year, label):
    bib = tmp_path / "one.bib"
    year_field = f"  year = {{{year}}},\n" if year else ""
    bib.write_text(f"@misc{{key2020word,\n  author = {{{author}}},\n  title = {{A title}},\n{year_field}}}\n")
    assert citation_label("key2020word", bib) == label


def test_one_parse_serves_every_reader():
    """Keys, labels and the reviewed papers all come from the same bibtexparser parse as the checks."""
    from review_evidence.bibliography import bibliography_keys, load_bibliography

    entries = check_bibliography()
    assert bibliography_keys() == {e.key for e in entries}
    assert load_bibliography() == entries


def test_reviewed_papers_are_the_entries_whose_role_is_reviewed():
    from review_evidence.bibliography import load_bibliography

    assert [e.key for e in reviewed_papers()] == [e.key for e in load_bibliography() if e.get("role") == REVIEWED_ROLE]


def test_the_key_scan_sees_an_entry_added_to_the_file(tmp_path):
    from review_evidence.bibliography import bibliography_keys

    bib = tmp_path / "refs.bib"
    bib.write_text("@misc{first2020a,\n  title = {A},\n  year = {2020}\n}\n", encoding="utf-8")
    assert bibliography_keys(bib) == {"first2020a"}
    bib.write_text(
        bib.read_text()
        + "\n% a comment\n@comment{not an entry}\n@misc{second2021b,\n  title = {B},\n  year = {2021}\n}\n",
        encoding="utf-8",
    )
    assert bibliography_keys(bib) == {"first2020a", "second2021b"}


def _flow_bib(tmp_path):
    bib = tmp_path / "flow.bib"
    bib.write_text(
        "@misc{paper2020a,\n  title = {A reviewed paper},\n  year = {2020},\n  role = {reviewed}\n}\n"
        "@misc{cited2019b,\n  title = {B},\n  year = {2019}\n}\n"
        "@misc{cited2018c,\n  title = {C},\n  year = {2018}\n}\n"
        "@misc{added2015d,\n  title = {D},\n  year = {2015}\n}\n",
        encoding="utf-8",
    )
    return bib


def test_the_source_flow_draws_what_happened_and_adds_up(tmp_path):
    import pandas as pd

    from review_evidence.bibliography import source_flow

    lists = pd.DataFrame(
        {"citing": ["paper2020a"] * 3, "position": [1, 2, 3], "cited": ["cited2019b", "cited2018c", "cited2019b"]}
    )
    flow = source_flow(lists, _flow_bib(tmp_path)).set_index("step")
    steps = [s for s in flow.index if flow.loc[s, "flows_into"] != "(annotation)"]
    assert [flow.loc[s, "count"] for s in steps] == [1, 3, 2, 1, 4]
    # The three streams that feed the bibliography add up to it; nothing is a screening step.
    feeding = flow[flow["flows_into"] == "Entries in references.bib"]["count"].sum()
    assert feeding == flow.loc["Entries in references.bib", "count"]
    assert (flow["flows_into"] == "(annotation)").sum() == 1


def test_the_source_flow_refuses_a_cited_work_missing_from_the_bibliography(tmp_path):
    import pandas as pd

    from review_evidence.bibliography import source_flow

    lists = pd.DataFrame({"citing": ["paper2020a"], "position": [1], "cited": ["nowhere2000x"]})
    with pytest.raises(ValueError, match="column 'cited'.*nowhere2000x"):
        source_flow(lists, _flow_bib(tmp_path))


def test_an_uncertain_year_is_allowed_but_a_garbled_one_is_not(tmp_path):
    from review_evidence.bibliography import bibliography_problems

    bib = tmp_path / "years.bib"
    bib.write_text(
        "@misc{a2020x,\n  title = {A},\n  year = {2020?}\n}\n@misc{b2020y,\n  title = {B},\n  year = {20?20}\n}\n",
        encoding="utf-8",
    )
    problems = bibliography_problems(bib)
    assert [p.message for p in problems if "year" in p.message] and all("b2020y" in p.message for p in problems)
