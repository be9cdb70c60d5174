"""Every number of the case-study tables, typed by hand from the papers, must be in data/ as printed.

The lists below were copied by hand from the seed texts (not from data/ or from code output):
Ali et al. (n.d.) Tables 1, 3 and 4; Patel (2026) Tables 2 and 3; Charlotte (2020), the table under
"Business Performance Metrics". Each number must be in its table as a `reported` row (the KPI table
holds only printed numbers, by its schema), with the value the paper prints and a quote that prints
it. The last tests break a scratch copy of data/ and check that this file notices.
"""

from __future__ import annotations

import re
import shutil

import pytest

from review_evidence import load_table
from review_evidence.paths import DATA_DIR, DATAPACKAGE
from review_evidence.tables import read_package

ALI, PATEL, CHARLOTTE = "ali-nd-engagement", "patel2026generative", "charlotte2020segmentation"

# Ali et al., Table 1: Variable, Mean, SD, Min, Max
ALI_TABLE_1 = [
    ("Total Spend", "1094.85", "504.42", "225.34", "1937.46"),
    ("Items Purchased", "13.68", "8.83", "1", "29"),
    ("Average Rating", "3.56", "0.65", "2.5", "5.0"),
    ("Email Engagement Rate", "0.228", "0.108", "0.05", "0.40"),
    ("Social Media Engagement Rate", "0.204", "0.081", "0.05", "0.35"),
    ("Mobile App Usage", "86.22", "63.93", "0", "198"),
    ("Average Satisfaction Score", "7.00", "0.93", "5.05", "8.94"),
]
# Ali et al., Table 3: Predictor, Beta, SE, p-value (printed without leading zeros)
ALI_TABLE_3 = [
    ("Email Engagement Rate", ".21", ".09", ".03"),
    ("Social Media Engagement Rate", "-.05", ".11", ".62"),
    ("Mobile App Usage", "-.18", ".08", ".04"),
    ("Premium Member", ".14", ".10", ".18"),
    ("Membership Type (Gold)", ".12", ".09", ".21"),
]
# Ali et al., Table 4: Membership Type, Mean Spend, SD
ALI_TABLE_4 = [
    ("Gold", "1324.55", "498.11"),
    ("Silver", "1089.45", "512.33"),
    ("Bronze", "974.21", "466.29"),
]
# Patel, Table 2: the GAN's four metrics
PATEL_TABLE_2 = [("accuracy", "95.79"), ("precision", "93.8"), ("recall", "92"), ("f1", "92")]
# Patel, Table 3: Model, Accuracy, Precision, Recall, F1-score
PATEL_TABLE_3 = [
    ("MLP", "70.30", "78.10", "76", "77"),
    ("LR", "90", "82", "50", "62"),
    ("KNN", "81.9", "67.2", "51.1", "47.7"),
    ("GAN", "95.79", "93.8", "92", "92"),
]
# Charlotte, Business Performance Metrics: Metric, Before, After, Percentage Improvement
CHARLOTTE_KPIS = [
    ("Conversion Rate", "2.6%", "4.1%", "+57.7%"),
    ("Average Order Value (AOV)", "$43.20", "$51.00", "+18%"),
    ("Customer Lifetime Value (CLTV)", "$178", "$223", "+25.3%"),
    ("Return on Marketing Investment (ROMI)", "1.8x", "3.6x", "2×"),
]


def _expected() -> list[tuple]:
    """(table, source, locator, key columns, value column, printed text) for every printed number."""
    rows = []
    for item, *printed in ALI_TABLE_1:
        for statistic, text in zip(("mean", "sd", "min", "max"), printed):
            rows.append(
                ("engagement_descriptives", ALI, "Table 1", {"item": item, "dimension": statistic}, "value", text)
            )
    for predictor, *printed in ALI_TABLE_3:
        for column, text in zip(("beta", "se", "p_value"), printed):
            rows.append(("engagement_regression", ALI, "Table 3", {"predictor": predictor}, column, text))
    for tier, *printed in ALI_TABLE_4:
        for column, text in zip(("mean_spend", "sd"), printed):
            rows.append(("engagement_membership", ALI, "Table 4", {"membership_type": tier}, column, text))
    for metric, text in PATEL_TABLE_2:
        rows.append(("benchmark_results", PATEL, "Table 2", {"item": "GAN", "dimension": metric}, "value", text))
    for model, *printed in PATEL_TABLE_3:
        for metric, text in zip(("accuracy", "precision", "recall", "f1"), printed):
            rows.append(("benchmark_results", PATEL, "Table 3", {"item": model, "dimension": metric}, "value", text))
    for metric, *printed in CHARLOTTE_KPIS:
        for column, text in zip(("before", "after", "reported_change"), printed):
            rows.append(
                (
                    "segmentation_kpis",
                    CHARLOTTE,
                    "Results: Business Performance Metrics",
                    {"metric": metric},
                    column,
                    text,
                )
            )
    return rows


EXPECTED = _expected()


def _number(printed: str) -> float:
    return float(printed.replace("$", "").replace("%", "").replace("+", "").replace("×", "").rstrip("x"))


def _printed_in(printed: str, quote: str) -> bool:
    """The printed token occurs in the quote as a whole number (so 1 is not found inside 13.68)."""
    token = printed.lstrip("$")
    quote = " ".join(str(quote).split())
    return re.search(rf"(?<![\d.]){re.escape(token)}(?![\d]|\.\d)", quote) is not None


def problems_with(expected: list[tuple], package_path=DATAPACKAGE) -> list[str]:
    """What is wrong with data/ for each expected printed number (empty when everything is there)."""
    tables, problems = {}, []
    for table_name, source, locator, keys, column, printed in expected:
        if table_name not in tables:
            tables[table_name] = load_table(table_name, package_path)
        table = tables[table_name]
        match = table[(table["source"] == source) & (table["locator"] == locator)]
        for key, value in keys.items():
            match = match[match[key] == value]
        where = f"{table_name} {locator} {keys} {column} = {printed}"
        if len(match) != 1:
            problems.append(f"{where}: expected one row, found {len(match)}")
            continue
        row = match.iloc[0]
        if "evidence" in table.columns and row["evidence"] != "reported":
            problems.append(f"{where}: evidence is {row['evidence']!r}, not 'reported'")
        if abs(float(row[column]) - _number(printed)) > 1e-9:
            problems.append(f"{where}: data has {row[column]!r}")
        if column == "reported_change" and row["reported_change_text"] != printed:
            problems.append(f"{where}: reported_change_text is {row['reported_change_text']!r}")
        if not _printed_in(printed, row["quote"]):
            problems.append(f"{where}: not printed in the quote {row['quote']!r}")
    return problems


def test_the_hand_typed_lists_cover_every_cell_of_the_tables():
    # 7 x 4 + 5 x 3 + 3 x 2 (Ali) + 4 + 4 x 4 (Patel) + 4 x 3 (Charlotte)
    assert len(EXPECTED) == 28 + 15 + 6 + 4 + 16 + 12 == 81


def test_the_kpi_table_holds_only_printed_numbers():
    # segmentation_kpis has no evidence column: its schema promises printed numbers only.
    schema = next(r for r in read_package()["resources"] if r["name"] == "segmentation_kpis")
    assert "Only printed numbers" in schema["schema"]["description"]


def _seed(seeds, prefix: str) -> str:
    (path,) = seeds.glob(f"{prefix}_*.txt")
    return " ".join(path.read_text(encoding="utf-8").split())


def test_the_hand_typed_rows_are_rows_of_the_papers(seeds):
    """A typo in the lists above would make the data tests meaningless, so check them against the texts."""
    ali, patel, charlotte = _seed(seeds, "000"), _seed(seeds, "002"), _seed(seeds, "004")
    rows = [(ali, " ".join(r)) for r in ALI_TABLE_1 + ALI_TABLE_3 + ALI_TABLE_4]
    names = {"accuracy": "Accuracy", "precision": "Precision", "recall": "Recall", "f1": "F1-score"}
    rows += [(patel, f"{names[metric]} {text}") for metric, text in PATEL_TABLE_2]
    references = {"MLP": "MLP[26]", "LR": "LR[27]", "KNN": "KNN[28]", "GAN": "GAN"}
    rows += [(patel, " ".join([references[model], *printed])) for model, *printed in PATEL_TABLE_3]
    rows += [(charlotte, " ".join(r).replace("$", "\\$")) for r in CHARLOTTE_KPIS]
    missing = [row for text, row in rows if row not in text]
    assert not missing, missing


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda e: f"{e[0]}-{'-'.join(e[3].values())}-{e[4]}")
def test_every_printed_number_is_in_data_as_reported(expected):
    assert problems_with([expected]) == []


# ------------------------------------------------------------------ the check must be able to fail


@pytest.fixture
def scratch_data(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    return folder


def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"the scratch edit needs exactly one {old!r} in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_removed_row_is_noticed(scratch_data):
    path = scratch_data / "benchmark_results.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith("KNN,f1,")]
    assert len(kept) == len(lines) - 1
    path.write_text("".join(kept), encoding="utf-8")
    found = problems_with(EXPECTED, scratch_data / "datapackage.json")
    assert found == [
        "benchmark_results Table 3 {'item': 'KNN', 'dimension': 'f1'} value = 47.7: expected one row, found 0"
    ]


def test_a_changed_value_is_noticed_even_when_its_quote_is_changed_too(scratch_data):
    _edit(
        scratch_data / "engagement_membership.csv",
        "Gold,1324.55,498.11,,reported,ali-nd-engagement,Table 4,Gold 1324.55 498.11",
        "Gold,1324.56,498.11,,reported,ali-nd-engagement,Table 4,Gold 1324.56 498.11",
    )
    found = problems_with(EXPECTED, scratch_data / "datapackage.json")
    assert len(found) == 2  # the value, and a quote that no longer prints 1324.55
    assert all("Table 4 {'membership_type': 'Gold'} mean_spend = 1324.55" in p for p in found)


def test_a_downgraded_evidence_level_is_noticed(scratch_data):
    _edit(
        scratch_data / "engagement_descriptives.csv",
        "Items Purchased,max,29,,,count,reported,ali-nd-engagement,Table 1,Items Purchased 13.68 8.83 1 29,§4.1 restates",
        "Items Purchased,max,29,,,count,derived,ali-nd-engagement,Table 1,Items Purchased 13.68 8.83 1 29,§4.1 restates",
    )
    found = problems_with(EXPECTED, scratch_data / "datapackage.json")
    assert found == [
        "engagement_descriptives Table 1 {'item': 'Items Purchased', 'dimension': 'max'} value = 29: "
        "evidence is 'derived', not 'reported'"
    ]


def test_a_changed_kpi_is_noticed(scratch_data):
    _edit(scratch_data / "segmentation_kpis.csv", "2×,multiplier", "2x,multiplier")
    found = problems_with(EXPECTED, scratch_data / "datapackage.json")
    assert found == [
        "segmentation_kpis Results: Business Performance Metrics {'metric': 'Return on Marketing "
        "Investment (ROMI)'} reported_change = 2×: reported_change_text is '2x'"
    ]


def test_a_number_missing_from_its_quote_is_noticed(scratch_data):
    _edit(scratch_data / "engagement_regression.csv", "Mobile App Usage -.18 .08 .04", "Mobile App Usage -.18 .08")
    found = problems_with(EXPECTED, scratch_data / "datapackage.json")
    assert found == [
        "engagement_regression Table 3 {'predictor': 'Mobile App Usage'} p_value = .04: "
        "not printed in the quote 'Mobile App Usage -.18 .08'"
    ]
