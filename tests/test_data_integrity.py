"""The real data tables: schema, Frictionless, provenance and verbatim quotes."""

import re

import pytest
from frictionless import Package, system

from review_evidence import load_table, table_names
from review_evidence.paths import DATAPACKAGE
from review_evidence.quotes import quote_in_seed, quote_states_number, seed_files
from review_evidence.tables import read_package

TABLES = table_names()
COLUMNS = {r["name"]: {f["name"] for f in r["schema"]["fields"]} for r in read_package()["resources"]}
DECREASE_WORDS = re.compile(r"reduction|decrease|decline|drop|fell|lower", re.IGNORECASE)


def test_the_data_package_declares_the_core_tables():
    assert {"scales", "studies", "reference_lists"} <= set(TABLES)


def test_frictionless_validates_the_whole_package():
    with system.use_context(trusted=True):
        report = Package(str(DATAPACKAGE)).validate()
    errors = [f"{task.name}: {error.message}" for task in report.tasks for error in task.errors]
    assert report.valid, "\n".join(errors)


@pytest.mark.parametrize("name", TABLES)
def test_every_table_loads_and_validates(name):
    table = load_table(name)
    assert len(table) > 0, f"{name} is empty"


def _source_column(table):
    return "citing" if "citing" in table.columns else "source"


@pytest.mark.parametrize("name", [n for n in TABLES if "quote" in COLUMNS[n]])
def test_every_quote_is_verbatim_in_its_seed_text(name, seeds):
    table = load_table(name)
    files = seed_files(load_table("studies"), seeds)
    column = _source_column(table)
    checked, missing = 0, []
    for index, row in table.iterrows():
        if row[column] not in files or not isinstance(row["quote"], str):
            continue  # sources the book adds (industry cases) are not among the seed texts
        checked += 1
        if not quote_in_seed(row["quote"], files[row[column]]):
            missing.append(
                f"data/{name}.csv, row {index + 2}, column 'quote': not found verbatim in {files[row[column]].name}: {row['quote'][:80]!r}"
            )
    assert not missing, "\n".join(missing)
    if name not in {"industry_cases"}:
        assert checked > 0, f"no quote of {name} was checked against a seed text"


@pytest.mark.parametrize("name", [n for n in TABLES if {"value", "evidence", "quote"} <= COLUMNS[n]])
def test_a_reported_value_appears_in_its_quote(name):
    table = load_table(name)
    wrong = []
    for index, row in table[table["evidence"] == "reported"].iterrows():
        value, quote = row["value"], row["quote"]
        stated = quote_states_number(quote, value) or (
            value < 0 and DECREASE_WORDS.search(quote) and quote_states_number(quote, -value)
        )
        if not stated:
            wrong.append(f"data/{name}.csv, row {index + 2}: value {value:g} is not printed in its quote {quote!r}")
    assert not wrong, "\n".join(wrong)


def test_every_studies_row_has_a_seed_text(seeds):
    for source, path in seed_files(load_table("studies"), seeds).items():
        assert path.is_file(), f"data/studies.csv: seed text for {source} not found at {path}"


def test_the_stronger_evidence_table_repeats_the_case_studys_values_exactly():
    """stronger_evidence.csv restates the segmentation case's printed changes beside the experiments; a
    data edit to one table must be made in both, or the two chapters would disagree silently."""
    stronger = load_table("stronger_evidence")
    repeated = stronger[(stronger["source"] == "charlotte2020segmentation") & stronger["value"].notna()]
    kpis, uplifts = load_table("segmentation_kpis"), load_table("segmentation_uplifts")
    assert len(repeated) >= 3, "the stronger-evidence table no longer repeats the case study's changes"
    for row in repeated.itertuples():
        outcome = row.outcome.lower()
        matches = [float(v) for v in kpis.loc[kpis["metric"].str.lower().str.startswith(outcome), "reported_change"]]
        matches += [float(v) for v in uplifts.loc[uplifts["item"].str.lower() == outcome, "value"]]
        assert matches == [row.value], (
            f"stronger_evidence.csv, {row.outcome}: {row.value:g}, but the case study's tables give {matches}"
        )
