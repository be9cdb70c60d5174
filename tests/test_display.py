"""reader_table: the one function that formats every table a reader sees (review_evidence/display.py)."""

import json
import re

import pandas as pd
import pytest

from review_evidence.display import MISSING, plain_text, reader_table
from review_evidence.paths import REPO_ROOT

NOTEBOOKS = sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))
#: Tables with more rows than this are folded behind their chart or a summary (a hide-output tag).
FOLD_ABOVE_ROWS = 15


def test_the_index_is_dropped_when_it_only_counts_rows():
    table = reader_table(pd.DataFrame({"item": ["a", "b"]}, index=[7, 3]))
    assert list(table.shown.columns) == ["item"]
    assert "<th" not in table.to_html().split("<tbody>")[1], "no row header cells in the body"


def test_a_named_or_labelled_index_becomes_a_column():
    named = pd.DataFrame({"n": [1]}, index=pd.Index(["Gold"], name="membership"))
    assert list(reader_table(named).shown.columns) == ["membership", "n"]
    matrix = pd.DataFrame({"x": [1.0]}, index=["x"])
    assert list(reader_table(matrix).shown.columns) == ["", "x"]


def test_missing_values_read_as_a_dash_or_a_chosen_phrase():
    frame = pd.DataFrame({"n": pd.array([50, None], dtype="Int64"), "note": [None, "x"]})
    table = reader_table(frame, missing={"n": "not printed"})
    assert table.shown["n"].tolist() == ["50", "not printed"]
    assert table.shown["note"].tolist() == [MISSING, "x"]
    for text in (table.to_html(), repr(table)):
        assert "<NA>" not in text and "nan" not in text.lower().split()


def test_numbers_share_their_decimals_down_a_column_and_are_right_aligned():
    table = reader_table(pd.DataFrame({"p": [0.03, 0.2433, 1.0], "label": ["a", "b", "c"]}))
    assert table.shown["p"].tolist() == ["0.0300", "0.2433", "1.0000"]
    html = table.to_html()
    assert re.search(r"td\.col0 \{[^}]*text-align: right", html), html
    assert not re.search(r"td\.col1 \{[^}]*text-align: right", html)


def test_numbers_held_as_text_are_aligned_too():
    values = reader_table(pd.DataFrame({"value": ["95.79", "92", "6–7", "not printed"]})).shown["value"]
    assert values.tolist() == ["95.79", "92.00", "6.00–7.00", "not printed"]


def test_negative_numbers_use_a_minus_sign_and_years_no_thousands_separator():
    table = reader_table(pd.DataFrame({"beta": [-0.18, 0.21], "year": pd.array([1980, 2000], dtype="Int64")}))
    assert table.shown["beta"].tolist() == ["−0.18", "0.21"]
    assert table.shown["year"].tolist() == ["1980", "2000"]


def test_tex_and_escaped_dollars_are_written_out():
    assert plain_text(r"weakly correlated ($r = .16$)") == "weakly correlated (r = .16)"
    assert plain_text(r"$\beta = -.18$") == "β = -.18"
    assert plain_text(r"from \$43.20 to \$51.00") == "from $43.20 to $51.00"
    # A lone dollar in a note is a dollar, not the start of a formula.
    assert plain_text("no $ sign, restated as '$1094.85'") == "no $ sign, restated as '$1094.85'"


def test_bibliography_keys_show_as_author_year_labels():
    frame = pd.DataFrame(
        {
            "source": ["ali-nd-engagement", "syamsir-nd-loyalty", "all"],
            "cited by": ["ali-nd-engagement, patel2026generative", None, None],
        }
    )
    shown = reader_table(frame).shown
    assert shown["source"].tolist() == ["Ali et al. (n.d.)", "Syamsir et al. (n.d.)", "all"]
    assert shown["cited by"].tolist()[0] == "Ali et al. (n.d.), Patel (2026)"


def test_text_from_data_never_becomes_markup():
    html = reader_table(pd.DataFrame({"quote": ['<script>alert(1)</script> & "x"']})).to_html()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in html


def test_cells_are_never_cut():
    long = "word " * 200
    table = reader_table(pd.DataFrame({"quote": [long.strip()]}))
    assert long.strip() in repr(table) and long.strip() in table.to_html()
    assert "..." not in repr(table)


def test_the_html_is_the_same_on_every_run():
    frame = pd.DataFrame({"a": [1.5, 2.25]})
    first, second = reader_table(frame).to_html(), reader_table(frame.copy()).to_html()
    assert first == second
    assert re.search(r'id="T_reader-[0-9a-f]{12}"', first)


def test_column_names_read_as_words_and_can_be_renamed():
    shown = reader_table(
        pd.DataFrame({"segment_number": [1], "mean_spend": [2.0]}), columns={"segment_number": "no."}
    ).shown
    assert list(shown.columns) == ["no.", "mean spend"]


def test_bad_arguments_are_named():
    with pytest.raises(KeyError, match="no column named 'nope'"):
        reader_table(pd.DataFrame({"a": [1]}), columns={"nope": "x"})
    with pytest.raises(TypeError, match="needs a pandas DataFrame"):
        reader_table([1, 2])


# --- Every table the notebooks show goes through reader_table, and long ones are folded. ---


def _table_outputs():
    for path in NOTEBOOKS:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for number, cell in enumerate(notebook["cells"]):
            for output in cell.get("outputs", []):
                html = "".join(output.get("data", {}).get("text/html", ""))
                if "<table" in html:
                    yield path.name, number, cell, html


def test_no_notebook_shows_a_raw_pandas_table():
    raw = [f"{name} cell {number}" for name, number, _, html in _table_outputs() if "reader-table" not in html]
    assert not raw, f"tables not formatted with review_evidence.display.reader_table: {raw}"


def test_no_table_shows_na_tex_escaped_dollars_or_cut_cells():
    bad = []
    for name, number, _, html in _table_outputs():
        cells = re.findall(r"<td[^>]*>(.*?)</td>", html, flags=re.S)
        for cell in cells:
            if (
                cell.strip() in {"&lt;NA&gt;", "NaN", "nan", "None"}
                or "\\$" in cell
                or re.search(r"\$[^$ ]+ ?= ?", cell)
                or cell.rstrip().endswith("...")
            ):
                bad.append(f"{name} cell {number}: {cell.strip()[:60]!r}")
    assert not bad, bad


def test_long_tables_are_folded():
    unfolded = []
    for name, number, cell, html in _table_outputs():
        rows = html.split("<tbody>")[-1].count("<tr")
        if rows > FOLD_ABOVE_ROWS and "hide-output" not in cell.get("metadata", {}).get("tags", []):
            unfolded.append(f"{name} cell {number} ({rows} rows)")
    assert not unfolded, f"tables over {FOLD_ABOVE_ROWS} rows should carry the hide-output tag: {unfolded}"


def test_folds_are_named_by_the_words_they_show():
    from review_evidence.sphinxext.folds import name_folds_by_their_text

    body = (
        '<details class="admonition hide above-input">\n<summary aria-label="Toggle hidden content">\n'
        '<p class="collapsed admonition-title">Show code cell source</p>'
    )
    fixed = name_folds_by_their_text(body)
    assert "aria-label" not in fixed and "<summary>\n<p" in fixed
