"""The evidence matrices: coverage of all five papers, cell contents, and the severity cross-check.

Expected values come from reading the papers, not from running the code: e.g. Syamsir et al.
print "Data misuse risks rank the highest (9/10)" (Figure 8) and "addressing AI biases (5/10)"
(Figure 9); Ali et al.'s Table 3 gives mobile-app engagement beta = -.18 (p = .04); Patel raises
no challenge in its own voice.
"""

import shutil

import pandas as pd
import pytest

from review_evidence import load_table
from review_evidence.matrices import (
    NOT_RAISED,
    challenge_heatmap_chart,
    challenge_matrix,
    challenges_per_paper,
    check_challenge_severities,
    claims_by_paper,
    evidence_cells,
    evidence_count_matrix,
    evidence_heatmap_chart,
    figure_rows,
    prose_statements,
    rank_items,
    rating_grid,
    rerate,
    review_opinion_only,
    severity_crosscheck,
    severity_mismatches,
    stated_orderings,
)
from review_evidence.paths import DATA_DIR

FIVE_PAPERS = [
    "ali-nd-engagement",
    "syamsir-nd-loyalty",
    "patel2026generative",
    "pathe2024personalized",
    "charlotte2020segmentation",
]
FIVE_LABELS = ["Ali et al. (n.d.)", "Syamsir et al. (n.d.)", "Patel (2026)", "Pathe (2024)", "Charlotte (2020?)"]


@pytest.fixture(scope="module")
def claims():
    return load_table("technique_outcomes")


@pytest.fixture(scope="module")
def challenges():
    return load_table("challenges")


@pytest.fixture(scope="module")
def ratings():
    return load_table("review_ratings")


def _cell(cells, **where):
    mask = pd.Series(True, index=cells.index)
    for column, value in where.items():
        mask &= cells[column] == value
    found = cells[mask]
    assert len(found) == 1, f"expected one cell for {where}, found {len(found)}"
    return found.iloc[0]


# --- Technique x outcome ----------------------------------------------------------------------


def test_the_evidence_map_draws_on_all_five_papers(claims):
    assert set(claims["source"]) == set(FIVE_PAPERS)
    by_paper = claims_by_paper(claims)
    assert list(by_paper["paper"]) == FIVE_LABELS
    assert (by_paper["claims"] > 0).all()


def test_each_paper_s_claims_carry_the_kind_of_evidence_its_design_allows(claims):
    by_paper = claims_by_paper(claims).set_index("paper")
    # A review offers opinion only; a benchmark and a regression measure; a case study reports.
    assert by_paper.loc["Syamsir et al. (n.d.)", "review opinion"] == by_paper.loc["Syamsir et al. (n.d.)", "claims"]
    assert by_paper.loc["Patel (2026)", "empirical"] == by_paper.loc["Patel (2026)", "claims"]
    assert by_paper.loc["Ali et al. (n.d.)", "empirical"] == by_paper.loc["Ali et al. (n.d.)", "claims"]
    assert by_paper.loc["Charlotte (2020?)", "case report"] == by_paper.loc["Charlotte (2020?)", "claims"]


def test_a_paper_with_no_claims_is_listed_with_zero_not_dropped(claims):
    without_patel = claims[claims["source"] != "patel2026generative"]
    row = claims_by_paper(without_patel).set_index("paper").loc["Patel (2026)"]
    assert row["claims"] == 0


def test_a_claim_from_a_paper_outside_the_list_is_an_error_not_a_silent_drop(claims):
    with pytest.raises(ValueError, match="not among the papers"):
        claims_by_paper(claims, papers=FIVE_PAPERS[:4])


def test_the_grid_spans_every_technique_and_outcome_of_the_controlled_lists(claims):
    grid = evidence_count_matrix(claims)
    assert grid.shape == (15, 10)
    assert grid.to_numpy().sum() == len(claims)
    cells = evidence_cells(claims, include_empty=True)
    assert len(cells) == 150
    assert (cells.loc[cells["claims"] == 0, "direction"] == "no claim").all()


def test_cells_show_the_direction_the_papers_report(claims):
    cells = evidence_cells(claims)
    # Ali et al., Table 3: mobile-app engagement beta = -.18, p = .04.
    mobile = _cell(cells, technique="Mobile app personalization", outcome="spend / order value")
    assert (mobile["label"], mobile["direction"]) == ("1 −", "negative")
    # Membership tiers: not significant in Ali et al. (p = .21, .18), credited with gains by Charlotte.
    tiers = _cell(cells, technique="Loyalty / membership tiers", outcome="spend / order value")
    assert tiers["claims"] == 2 and tiers["direction"] == "disagree" and tiers["label"] == "2 +/ns"
    assert "Ali et al. (n.d.)" in tiers["sources"] and "Charlotte (2020?)" in tiers["sources"]
    # Patel measures the GAN's accuracy on test data: empirical.
    gan = _cell(cells, technique="Generative models (GAN, GPT)", outcome="prediction accuracy")
    assert gan["strongest evidence"] == "empirical"
    assert "Patel (2026), §4.1" in gan["sources"]


def test_review_opinion_only_cells_have_nothing_stronger_behind_them(claims):
    only = review_opinion_only(claims)
    pairs = set(zip(only["technique"], only["outcome"]))
    # Figure 4's "scores highest in customer understanding" is the review's word alone.
    assert ("Predictive analytics / supervised ML", "customer understanding") in pairs
    # Charlotte's homepage before/after is a case report, so this cell is not opinion only.
    assert ("Real-time / dynamic content", "engagement") not in pairs
    strong = claims[claims["evidence_kind"] != "review opinion"]
    assert not pairs & set(zip(strong["technique"], strong["outcome"]))


def test_the_interactive_heatmap_has_every_cell_and_a_tooltip_naming_papers_and_locators(claims):
    spec = evidence_heatmap_chart(claims).to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert len(rows) == 150
    tooltips = [t["field"] for t in spec["layer"][0]["encoding"]["tooltip"]]
    assert "shown_sources" in tooltips
    loyalty = next(
        r for r in rows if r["technique"] == "Loyalty / membership tiers" and r["outcome"] == "spend / order value"
    )
    assert "§4.3, Table 3" in loyalty["shown_sources"]
    with pytest.raises(ValueError):
        evidence_heatmap_chart(claims, colour_by="size")


# --- Challenge x paper ------------------------------------------------------------------------


def test_the_challenge_matrix_has_all_five_papers_as_columns(challenges):
    matrix = challenge_matrix(challenges)
    assert list(matrix.columns) == ["challenge"] + FIVE_LABELS


def test_every_paper_that_raises_a_challenge_is_a_column_and_patel_raises_none(challenges):
    per_paper = challenges_per_paper(challenges).set_index("paper")["raised"]
    assert set(per_paper[per_paper > 0].index) == {
        "Ali et al. (n.d.)",
        "Syamsir et al. (n.d.)",
        "Pathe (2024)",
        "Charlotte (2020?)",
    }
    assert per_paper["Patel (2026)"] == 0
    matrix = challenge_matrix(challenges)
    assert (matrix["Patel (2026)"] == NOT_RAISED).all()


def test_a_paper_whose_rows_are_removed_stays_visible_as_not_raised(challenges):
    without_ali = challenges[challenges["source"] != "ali-nd-engagement"]
    matrix = challenge_matrix(without_ali)
    assert "Ali et al. (n.d.)" in matrix.columns
    assert (matrix["Ali et al. (n.d.)"] == NOT_RAISED).all()
    with pytest.raises(ValueError, match="not among the papers"):
        challenge_matrix(challenges, papers=["syamsir-nd-loyalty"])


def test_cells_show_the_numbers_syamsir_et_al_print_and_where(challenges):
    matrix = challenge_matrix(challenges).set_index("challenge")
    review = matrix["Syamsir et al. (n.d.)"]
    assert review["Data privacy & misuse"] == "9/10 (Fig. 8)"
    assert review["Intrusive marketing"] == "7/10 (Fig. 8)"
    assert review["Algorithmic bias"] == "5/10 (Fig. 9)"
    assert review["Regulatory compliance (GDPR/CCPA)"] == "8/10 (Fig. 8); 6/10 (Fig. 9)"
    assert review["System integration"] == "6–7/10 (Fig. 9, range)"
    assert review["Over-reliance on AI / loss of human touch"] == "raised"  # a section, no rating
    assert matrix.loc["Algorithmic bias", "Pathe (2024)"] == "raised"
    assert matrix.loc["Algorithmic bias", "Charlotte (2020?)"] == "raised"
    assert matrix.loc["Algorithmic bias", "Ali et al. (n.d.)"] == NOT_RAISED


def test_both_heatmaps_draw_every_cell_and_label_the_empty_column(challenges):
    spec = challenge_heatmap_chart(challenges).to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert len(rows) == 12 * 5
    assert {r["column"].replace("|", " ") for r in rows if r["source"] == "patel2026generative"} == {
        "Patel (2026): raises none"
    }


# --- Cross-table consistency ------------------------------------------------------------------


def test_every_rated_challenge_maps_to_one_rating_row_with_the_same_number(challenges, ratings):
    check = severity_crosscheck(challenges, ratings)
    # 001 prints numbers for four challenges on Figure 8 and five challenge items on Figure 9.
    assert len(check) == 9
    assert sorted(check["figure"].value_counts().items()) == [("Figure 8", 4), ("Figure 9", 5)]
    assert (check["agrees"] == "yes").all(), check[check["agrees"] != "yes"].to_string()
    assert severity_mismatches(challenges, ratings) == []


def _broken_copy(tmp_path, table, old, new):
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    path = copy / f"{table}.csv"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {table}.csv"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return copy / "datapackage.json"


def test_the_real_package_passes_the_severity_check():
    assert check_challenge_severities() == []


def test_a_changed_severity_in_a_copy_of_challenges_fails(tmp_path):
    package = _broken_copy(tmp_path, "challenges", "Data misuse risks,9,", "Data misuse risks,8,")
    problems = check_challenge_severities(package)
    assert len(problems) == 1
    assert problems[0].row == 3 and problems[0].column == "severity"
    assert "is 8 here but 9" in problems[0].message


def test_a_changed_range_in_a_copy_of_challenges_fails(tmp_path):
    package = _broken_copy(tmp_path, "challenges", "system integration,,6,7,range", "system integration,,6,8,range")
    problems = check_challenge_severities(package)
    assert [p.message for p in problems] and "6–8 here but 6–7" in problems[0].message


def test_a_challenge_that_no_longer_matches_its_rating_fails_both_ways(tmp_path):
    package = _broken_copy(tmp_path, "challenges", "Intrusive marketing,7,", "Pushy marketing,7,")
    messages = [str(p) for p in check_challenge_severities(package)]
    assert any("no rating row" in m and "challenges.csv, row" in m for m in messages)
    assert any("Figure 8 rates 'Intrusive Marketing'" in m for m in messages)


# --- The review's figures ---------------------------------------------------------------------


def test_figure_8_ranks_as_its_prose_says(ratings):
    ranked = rank_items(figure_rows(ratings, "Figure 8"))
    assert dict(zip(ranked["item"], ranked["rank"])) == {
        "Data Misuse Risks": "1",
        "Transparency and Consent": "2",
        "Regulatory Complexity": "2",
        "Intrusive Marketing": "4",
    }


def test_a_range_gives_a_span_of_ranks(ratings):
    ranks = dict(zip(*rank_items(figure_rows(ratings, "Figure 9"))[["item", "rank"]].T.values))
    assert ranks["Understanding Customer Behavior"] == ranks["Customer Engagement"] == "1"
    assert ranks["Targeted Campaigns"] == "3"
    assert ranks["System Integration"] == "4–6"  # three items certainly above, up to five possibly
    assert ranks["Ethical and Regulatory Challenges"] == "4–7"
    assert ranks["Addressing AI Biases"] == "8"


def test_re_rating_moves_an_item_and_marks_it_as_an_estimate(ratings):
    figure_9 = figure_rows(ratings, "Figure 9")
    rerated = rerate(figure_9, "Addressing AI Biases", 9)
    row = rerated.set_index("item").loc["Addressing AI Biases"]
    assert (row["value"], row["evidence"]) == (9, "estimated")
    assert dict(zip(*rank_items(rerated)[["item", "rank"]].T.values))["Addressing AI Biases"] == "1"
    assert figure_9.set_index("item").loc["Addressing AI Biases", "value"] == 5  # the original is untouched
    with pytest.raises(KeyError):
        rerate(figure_9, "Data Misuse Risks", 1)


def test_figure_4_s_contradiction_is_flagged(ratings):
    statements = stated_orderings(load_table("orderings"), "Figure 4")
    flagged = statements[statements["contradicted"] == "yes"]
    assert set(flagged["statement"]) == {
        "Machine Learning & Predictive Analytics > Recommendation Engines",
        "Recommendation Engines > Machine Learning & Predictive Analytics",
    }
    assert set(flagged["dimension"]) == {"business outcomes"}


def test_the_rating_grid_says_not_printed_where_the_paper_prints_nothing(ratings):
    grid = rating_grid(figure_rows(ratings, "Figure 5")).set_index("item")
    assert grid.shape == (3, 3)
    assert (grid == "not printed").all().all()
    figure_1 = rating_grid(figure_rows(ratings, "Figure 1")).set_index("item")
    assert figure_1.loc["AI-Driven Marketing"].iloc[0] == "9 (estimate)"


def test_prose_statements_give_each_item_its_own_words(ratings):
    said = prose_statements(figure_rows(ratings, "Figure 5")).set_index("item")["what the source says"]
    assert len(said) == 3
    assert said["Behavioral Targeting"] == "Behavioral Targeting also scores well, particularly in conversion rates"


def test_claims_per_outcome_counts_and_orders_most_claimed_first():
    from review_evidence.matrices import claims_per_outcome

    claims = pd.DataFrame({"outcome": ["conversion", "engagement", "engagement", "trust", "conversion", "engagement"]})
    counts = claims_per_outcome(claims)
    assert list(counts.index) == ["engagement", "conversion", "trust"]
    assert list(counts) == [3, 2, 1]


# ================================================================== mutation-testing additions
# Small tables built here, so that each expected value follows from the rows by hand; they pin
# what a reader sees in the chapters' tables: values, marks, order, and the error that names a bad key.

import math  # noqa: E402

from review_evidence.matrices import (  # noqa: E402
    _chart_lines,
    _text_colour,
    challenge_cells,
    controlled_list,
    evidence_table,
    gaps_table,
    methods_by_paradigm,
)


def _ratings(*rows):
    columns = ["item", "dimension", "value", "value_low", "value_high", "evidence", "note"]
    return pd.DataFrame([dict(zip(columns, row)) for row in rows], columns=columns)


NAN = float("nan")


def test_rank_items_table_in_full():
    rows = _ratings(
        ("A", "d", 7, NAN, NAN, "stated", ""),
        ("B", "d", NAN, NAN, NAN, "unknown", ""),
        ("C", "d", NAN, 6, 8, "range", ""),
        ("D", "d", 9, NAN, NAN, "estimated", ""),
    )
    ranked = rank_items(rows)
    # D 9 is above everything (rank 1); C's 6-8 is certainly below D and possibly above A's 7: ranks 2-3;
    # A: D certainly above, C possibly: 2-3; B prints no number: last, unranked
    assert ranked.to_dict("records") == [
        {"item": "D", "value": "9", "evidence": "estimated", "rank": "1"},
        {"item": "A", "value": "7", "evidence": "stated", "rank": "2–3"},
        {"item": "C", "value": "6–8", "evidence": "range", "rank": "2–3"},
        {"item": "B", "value": "not printed", "evidence": "unknown", "rank": "unranked"},
    ]
    assert list(ranked.index) == [0, 1, 2, 3]


def test_rank_items_ties_keep_the_figure_order():
    rows = _ratings(("X", "d", 5, NAN, NAN, "stated", ""), ("Y", "d", 5, NAN, NAN, "stated", ""))
    assert list(rank_items(rows)["item"]) == ["X", "Y"]
    assert list(rank_items(rows.iloc[::-1])["item"]) == ["Y", "X"]


def test_rerate_clears_the_range_and_notes_why():
    rows = _ratings(("C", "d", NAN, 6, 8, "range", "printed as a range"), ("A", "d", 7, NAN, NAN, "stated", ""))
    changed = rerate(rows, "C", 9).set_index("item").loc["C"]
    assert changed["value"] == 9 and math.isnan(changed["value_low"]) and math.isnan(changed["value_high"])
    assert (changed["evidence"], changed["note"]) == ("estimated", "re-rated by the reader")
    assert rerate(rows, "C", 9, note="mine").set_index("item").loc["C", "note"] == "mine"
    with pytest.raises(KeyError, match=r"'Z' is not an item of this figure \(items: C, A\)"):
        rerate(rows, "Z", 1)


def test_rating_grid_marks_every_kind_of_value():
    rows = _ratings(
        ("A", "x", 7, NAN, NAN, "stated", ""),
        ("A", "y", 8, NAN, NAN, "derived", ""),
        ("B", "x", NAN, 6, 8, "range", ""),
        ("B", "y", NAN, NAN, NAN, "unknown", ""),
    )
    grid = rating_grid(rows)
    assert list(grid.columns) == ["item", "x", "y"] and grid.columns.name is None
    assert grid.to_dict("records") == [
        {"item": "A", "x": "7", "y": "8 (derived)"},
        {"item": "B", "x": "6–8 (range)", "y": "not printed"},
    ]
    # rows and columns follow the figure's order, not the alphabet
    assert list(rating_grid(rows.iloc[::-1])["item"]) == ["B", "A"]
    assert list(rating_grid(rows.iloc[::-1]).columns) == ["item", "y", "x"]


def test_prose_statements_are_numbered_from_zero():
    rows = pd.DataFrame({"item": ["A", "A", "B"], "quote": ["q1", "q1", "q2"]})
    said = prose_statements(rows)
    assert said.to_dict("records") == [
        {"item": "A", "what the source says": "q1"},
        {"item": "B", "what the source says": "q2"},
    ]
    assert list(said.index) == [0, 1]


def test_stated_orderings_in_full():
    orderings = pd.DataFrame(
        {
            "locator": ["Figure 0", "Figure 9", "Figure 9"],
            "dimension": ["d0", "d", "d"],
            "higher_item": ["P", "A", "B"],
            "relation": [">", ">", ">="],
            "lower_item": ["Q", "B", "A"],
            "quote": ["q0", "q1", "q2"],
            "note": [None, "CONFLICT with q2", None],
        }
    )
    table = stated_orderings(orderings, "Figure 9")
    assert table.to_dict("records") == [
        {"dimension": "d", "statement": "A > B", "contradicted": "yes", "quote": "q1"},
        {"dimension": "d", "statement": "B >= A", "contradicted": "", "quote": "q2"},
    ]
    assert list(table.index) == [0, 1]
    with pytest.raises(KeyError, match="no orderings with locator 'Figure 1'"):
        stated_orderings(orderings, "Figure 1")


def test_gaps_table_in_full():
    gaps = pd.DataFrame(
        {
            "source": ["other", "p", "p"],
            "gap": ["g0", "g1", "g2"],
            "impact": ["i0", "i1", None],
            "possible_solution": ["s0", None, "s2"],
            "locator": ["L0", "Table 2", "§5"],
        }
    )
    table = gaps_table(gaps, "p")
    assert table.to_dict("records") == [
        {"gap": "g1", "impact": "i1", "possible solution": "none printed", "locator": "Table 2"},
        {"gap": "g2", "impact": "none printed", "possible solution": "s2", "locator": "§5"},
    ]
    assert list(table.index) == [0, 1]
    with pytest.raises(KeyError, match="no research gaps for source 'q'"):
        gaps_table(gaps, "q")


def test_gaps_table_reads_the_real_table():
    table = gaps_table(load_table("research_gaps"), "pathe2024personalized")
    assert table.loc[0, "gap"] == "Integration of ML Techniques"  # data/research_gaps.csv, first row


def test_methods_by_paradigm_in_full():
    methods = pd.DataFrame(
        {
            "source": ["p", "p", "p", "p", "other"],
            "paradigm": ["supervised", "supervised", "unsupervised", "supervised", "x"],
            "method": ["Trees", "Trees", "K-means", "Trees", "y"],
            "locator": ["§4", "§4", "§5", "§6", "z"],
            "application": ["churn", "basket", "segments", "churn", "w"],
            "note": ["n1", "n1", None, "", "v"],
        }
    )
    table = methods_by_paradigm(methods, "p")
    assert table.to_dict("records") == [
        {"paradigm": "supervised", "method": "Trees", "locator": "§4", "applications": "churn; basket", "note": "n1"},
        {"paradigm": "unsupervised", "method": "K-means", "locator": "§5", "applications": "segments", "note": ""},
        {"paradigm": "supervised", "method": "Trees", "locator": "§6", "applications": "churn", "note": ""},
    ]
    with pytest.raises(KeyError, match="no learning methods for source 'q'"):
        methods_by_paradigm(methods, "q")


def test_methods_by_paradigm_reads_the_real_table():
    table = methods_by_paradigm(load_table("learning_methods"), "ali-nd-engagement")
    assert list(table["method"]) == ["Multiple regression", "Correlation analysis", "Group comparison of means"]


def test_evidence_table_is_the_non_empty_cells_with_their_columns(claims):
    table = evidence_table(claims)
    assert list(table.columns) == ["technique", "outcome", "claims", "directions", "evidence kinds", "sources"]
    assert table["claims"].sum() == len(claims) and (table["claims"] > 0).all()
    mobile = _cell(table, technique="Mobile app personalization", outcome="spend / order value")
    assert (mobile["directions"], mobile["evidence kinds"]) == ("negative 1", "empirical 1")


def test_claims_by_paper_columns_and_order(claims):
    by_paper = claims_by_paper(claims)
    assert list(by_paper.columns)[0] == "paper" and list(by_paper.columns)[-1] == "claims"
    assert by_paper.columns.name is None and list(by_paper.index) == [0, 1, 2, 3, 4]
    kinds = [c for c in by_paper.columns if c not in ("paper", "claims")]
    assert kinds == [k for k in ["empirical", "case report", "framework proposal", "review opinion"] if k in kinds]
    without_patel = claims_by_paper(claims[claims["source"] != "patel2026generative"]).set_index("paper")
    assert (without_patel.loc["Patel (2026)", kinds] == 0).all()
    with pytest.raises(ValueError, match="^technique_outcomes cites"):
        claims_by_paper(claims, papers=FIVE_PAPERS[:4])


def test_claims_per_outcome_breaks_ties_by_name():
    from review_evidence.matrices import claims_per_outcome

    counts = claims_per_outcome(pd.DataFrame({"outcome": ["b", "a", "c", "c"]}))
    assert list(counts.index) == ["c", "a", "b"]


def test_chart_lines():
    assert _chart_lines("9/10 (Fig. 8)") == ["9/10", "(Fig. 8)"]
    assert _chart_lines("6–7/10 (Fig. 9, range (group))") == ["6–7/10", "(Fig. 9, range (group))"]
    assert _chart_lines("8/10 (Fig. 8)\n6/10 (Fig. 9)") == ["8/10 (Fig. 8)", "6/10 (Fig. 9)"]
    assert _chart_lines("raised") == ["raised"]
    assert _chart_lines("a b") == ["a b"]


def test_text_colour_contrasts_with_the_fill():
    # white fill: luminance 1, black gives (1.05)/(.05) = 21; black fill: white gives 21
    assert _text_colour("#ffffff") == "#000000"
    assert _text_colour("#000000") == "#ffffff"
    # mid grey #777777: channel .4667 -> linear .1845; black contrast (.2345/.05) = 4.69 > white 1.05/.2345 = 4.48
    assert _text_colour("#777777") == "#000000"
    # #757575: channel .4588 -> linear .1779; black 4.56 < white 4.60
    assert _text_colour("#757575") == "#ffffff"


def test_controlled_list_names_a_missing_column():
    assert controlled_list("challenges", "challenge")[0] == "Data privacy & misuse"
    with pytest.raises(KeyError, match="challenges.nothing has no controlled list in data/datapackage.json"):
        controlled_list("challenges", "nothing")


def test_challenge_heatmap_spec_shows_what_each_cell_means(challenges):
    spec = challenge_heatmap_chart(challenges, papers=FIVE_PAPERS).to_dict()
    rows = next(iter(spec["datasets"].values()))
    rects = spec["layer"][0]
    assert rects["title"]["text"] == ["Which paper raises which challenge"]
    patel = [r for r in rows if r["source"] == "patel2026generative"]
    assert {(r["shown_as"], r["shown_where"], r["text_colour"]) for r in patel} == {("—", "—", "#000000")}
    privacy = next(r for r in rows if r["source"] == "syamsir-nd-loyalty" and r["challenge"] == "Data privacy & misuse")
    assert privacy["lines"] == ["9/10", "(Fig. 8)"]
    assert privacy["column"] == "Syamsir et al.|(n.d.)"
    assert rects["encoding"]["color"]["scale"]["domain"] == [
        "rated (number printed)",
        "rated (range for a group)",
        "raised, no number printed",
        "not raised",
    ]
    tooltips = [(t["field"], t["title"]) for t in rects["encoding"]["tooltip"]]
    assert tooltips == [
        ("challenge", "Challenge"),
        ("paper", "Paper"),
        ("status", "Status"),
        ("label", "Rating"),
        ("shown_as", "Raised as"),
        ("shown_where", "Where"),
    ]
    x = rects["encoding"]["x"]
    assert x["field"] == "column" and x["axis"]["labelExpr"] == "split(datum.value, '|')"
    assert x["sort"][0] == "Ali et al.|(n.d.)"
    assert rects["encoding"]["y"]["sort"][0] == "Data privacy & misuse"


def test_challenge_heatmap_only_lists_the_papers_given(challenges):
    two = challenges[challenges["source"].isin(["syamsir-nd-loyalty", "pathe2024personalized"])]
    spec = challenge_heatmap_chart(two, papers=["syamsir-nd-loyalty", "pathe2024personalized"]).to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert {r["source"] for r in rows} == {"syamsir-nd-loyalty", "pathe2024personalized"}


def test_paper_axis_labels_keep_the_paper_order(challenges):
    cells = challenge_cells(challenges)
    from review_evidence.matrices import _paper_axis_labels

    labels = _paper_axis_labels(cells)
    assert list(labels.values()) == [
        "Ali et al. (n.d.)",
        "Syamsir et al. (n.d.)",
        "Patel (2026): raises none",
        "Pathe (2024)",
        "Charlotte (2020?)",
    ]


def test_evidence_heatmap_layers_say_what_each_mark_means(claims):
    spec = evidence_heatmap_chart(claims).to_dict()
    rects, outline, labels = spec["layer"]
    # grid cells with a light outline, coloured by the strongest evidence, one legend column (phones)
    assert rects["mark"] == {"type": "rect", "stroke": "#bbbbbb", "strokeWidth": 1}
    colour = rects["encoding"]["color"]
    assert (colour["field"], colour["title"], colour["legend"]) == ("fill", "Strongest evidence", {"columns": 1})
    assert colour["scale"]["domain"] == ["empirical", "case report", "framework proposal", "review opinion", "no claim"]
    assert colour["scale"]["range"][-1] == "#ffffff"  # an empty cell is white
    assert [(t["field"], t["title"]) for t in rects["encoding"]["tooltip"]] == [
        ("technique", "Technique"),
        ("outcome", "Outcome"),
        ("claims", "Claims"),
        ("directions", "Directions"),
        ("evidence kinds", "Evidence"),
        ("shown_sources", "Papers and locators"),
    ]
    # opinion-only cells: a dashed black outline, only on those cells, with the same tooltip
    assert outline["mark"] == {
        "type": "rect",
        "fill": None,
        "stroke": "#000000",
        "strokeWidth": 2,
        "strokeDash": [4, 3],
    }
    assert outline["transform"] == [{"filter": "datum['review opinion only']"}]
    assert outline["encoding"]["tooltip"] == rects["encoding"]["tooltip"]
    # the number and signs, bold, in a colour chosen per cell for contrast (no colour scale)
    assert labels["mark"] == {"type": "text", "fontSize": 12, "fontWeight": "bold"}
    assert labels["encoding"]["text"] == {"field": "label", "type": "nominal"}
    assert labels["encoding"]["color"] == {"field": "text_colour", "scale": None, "type": "nominal"}
    assert labels["encoding"]["tooltip"] == rects["encoding"]["tooltip"]
    # outcome names read vertically along the top; technique names wrap at 18 characters
    x, y = rects["encoding"]["x"], rects["encoding"]["y"]
    assert x["axis"] == {
        "labelAngle": -90,
        "labelAlign": "left",
        "labelBaseline": "middle",
        "orient": "top",
        "labelLimit": 200,
    }
    assert (x["field"], x["title"], x["sort"][0]) == ("outcome", None, "engagement")
    assert (y["field"], y["title"], y["sort"][0]) == (
        "technique",
        None,
        "Recommendation engines / collaborative filtering",
    )
    assert (
        '"Recommendation engines / collaborative filtering": ["Recommendation", "engines /", "collaborative", "filtering"]'
        in (y["axis"]["labelExpr"])
    )
    # the title, and the label key as a subtitle broken before "ns"
    assert rects["title"]["text"][0] == "Which techniques are linked to"
    assert rects["title"]["subtitle"][1] == "negative;" and rects["title"]["subtitle"][2].startswith("ns = no")
    # the longest technique wraps to 4 lines: 16 px a line + 6 = 70 px a row, 15 rows
    assert spec["height"] == 70 * 15
    rows = next(iter(spec["datasets"].values()))
    empty = next(r for r in rows if r["claims"] == 0)
    assert (empty["fill"], empty["text_colour"], empty["shown_sources"]) == (
        "no claim",
        "#000000",
        "no paper makes this claim",
    )
    full = next(r for r in rows if r["claims"] > 0)
    assert full["shown_sources"] == full["sources"] and full["fill"] == full["strongest evidence"]


def test_evidence_heatmap_by_direction(claims):
    spec = evidence_heatmap_chart(claims, colour_by="direction", title="T").to_dict()
    colour = spec["layer"][0]["encoding"]["color"]
    assert colour["title"] == "Direction"
    assert colour["scale"]["domain"] == ["positive", "null", "mixed", "negative", "disagree", "no claim"]
    rows = next(iter(spec["datasets"].values()))
    tiers = next(
        r for r in rows if r["technique"] == "Loyalty / membership tiers" and r["outcome"] == "spend / order value"
    )
    assert tiers["fill"] == "disagree"
    assert spec["layer"][0]["title"]["text"] == ["T"]


def test_challenge_heatmap_layers(challenges):
    spec = challenge_heatmap_chart(challenges).to_dict()
    rects, labels, absent = spec["layer"]
    assert rects["mark"] == {"type": "rect", "stroke": "#bbbbbb", "strokeWidth": 1}
    colour = rects["encoding"]["color"]
    assert (colour["field"], colour["title"], colour["legend"]) == ("status", "Cell", {"columns": 1})
    # paper names vertical below the grid, split into lines at "|"; challenges wrap at 16 characters
    x, y = rects["encoding"]["x"], rects["encoding"]["y"]
    assert x["axis"] == {
        "orient": "bottom",
        "labelAngle": -90,
        "labelAlign": "right",
        "labelBaseline": "middle",
        "labelLimit": 220,
        "labelExpr": "split(datum.value, '|')",
    }
    assert (x["field"], x["title"], y["field"], y["title"]) == ("column", None, "challenge", None)
    assert (
        '"Over-reliance on AI / loss of human touch": ["Over-reliance on", "AI / loss of", "human touch"]'
        in (y["axis"]["labelExpr"])
    )
    # labels only where a paper raises the challenge, cut to the cell's width (5 papers, 4 px gap)
    assert labels["mark"] == {"type": "text", "fontSize": 12, "limit": {"expr": "width / 5 - 4"}}
    assert labels["transform"] == [{"filter": "(datum.status !== 'not raised')"}]
    assert labels["encoding"]["text"] == {"field": "lines", "type": "nominal"}
    assert labels["encoding"]["color"] == {"field": "text_colour", "scale": None, "type": "nominal"}
    # elsewhere a grey dash
    assert absent["mark"] == {"type": "text", "fontSize": 12, "color": "#555555"}
    assert absent["transform"] == [{"filter": "(datum.status === 'not raised')"}]
    assert absent["encoding"]["text"] == {"value": "—"}
    # the longest challenge wraps to 3 lines: 16 px a line + 6 = 54 px a row, 12 rows
    assert spec["height"] == 54 * 12
    assert spec["width"] == "container"


def test_a_column_without_a_controlled_list_has_an_empty_one():
    assert controlled_list("challenges", "locator") == []


def test_challenge_rows_follow_the_controlled_list_not_the_file(challenges):
    reversed_rows = challenges.iloc[::-1]
    order = list(dict.fromkeys(challenge_cells(reversed_rows)["challenge"]))
    assert order == controlled_list("challenges", "challenge")


def test_empty_evidence_cells_have_empty_text_not_missing_values(claims):
    cells = evidence_cells(claims, include_empty=True)
    empty = cells[cells["claims"] == 0]
    for column in ("label", "directions", "evidence kinds", "kinds", "sources"):
        assert (empty[column] == "").all(), column
    assert not empty["review opinion only"].any()


def test_a_rating_row_without_a_number_is_reported_as_empty(challenges, ratings):
    # Data Misuse Risks (Figure 8) loses its printed 9 in the ratings: the challenge's 9 now meets an empty cell
    blank = ratings.copy()
    at = (blank["item"] == "Data Misuse Risks") & (blank["locator"] == "Figure 8")
    blank.loc[at, "value"] = float("nan")
    problems = severity_mismatches(challenges, blank)
    assert [(p.file, p.row, p.column) for p in problems] == [("data/challenges.csv", 3, "severity")]
    assert "is 9 here but empty in data/review_ratings.csv row" in problems[0].message


def test_grids_follow_the_controlled_lists(claims, challenges):
    grid = evidence_count_matrix(claims)
    assert list(grid.index) == controlled_list("technique_outcomes", "technique")
    assert list(grid.columns) == controlled_list("technique_outcomes", "outcome")
    assert grid.columns.name is None and all(str(t) == "int64" for t in grid.dtypes)
    matrix = challenge_matrix(challenges)
    assert list(matrix["challenge"]) == controlled_list("challenges", "challenge")
    assert matrix.columns.name is None
    only = review_opinion_only(claims)
    assert list(only.index) == list(range(len(only)))
    with pytest.raises(ValueError, match="^colour_by must be 'evidence' or 'direction', not 'size'$"):
        evidence_heatmap_chart(claims, colour_by="size")


def test_challenges_per_paper_counts_rated_challenges_in_paper_order(challenges):
    per_paper = challenges_per_paper(challenges)
    assert list(per_paper["paper"]) == FIVE_LABELS
    # counted straight from the table: distinct challenges each paper raises, and those with a number
    for key, label in zip(FIVE_PAPERS, FIVE_LABELS):
        rows = challenges[challenges["source"] == key]
        row = per_paper.set_index("paper").loc[label]
        assert row["raised"] == rows["challenge"].nunique()
        assert row["rated"] == rows.loc[rows["severity_evidence"] != "unknown", "challenge"].nunique()
    two = ["syamsir-nd-loyalty", "pathe2024personalized"]
    assert len(challenges_per_paper(challenges[challenges["source"].isin(two)], papers=two)) == 2


def test_severity_crosscheck_columns_rows_and_missing_matches(challenges, ratings):
    check = severity_crosscheck(challenges, ratings)
    assert list(check.columns) == [
        "challenge",
        "raised as",
        "figure",
        "challenges.csv",
        "review_ratings.csv",
        "agrees",
        "challenges row",
        "review_ratings row",
    ]
    misuse = check[check["raised as"] == "Data misuse risks"].iloc[0]
    assert (misuse["challenge"], misuse["challenges row"], misuse["review_ratings row"]) == (
        "Data privacy & misuse",
        3,  # data/challenges.csv line 3
        39,  # data/review_ratings.csv line 39
    )
    doubled = pd.concat([ratings, ratings[ratings["item"] == "Data Misuse Risks"]], ignore_index=True)
    twice = severity_crosscheck(challenges, doubled).set_index("raised as").loc["Data misuse risks"]
    assert (twice["agrees"], twice["review_ratings.csv"]) == ("several rating rows", "")
    gone = severity_crosscheck(challenges, ratings[ratings["item"] != "Data Misuse Risks"])
    none = gone.set_index("raised as").loc["Data misuse risks"]
    assert (none["agrees"], none["review_ratings.csv"]) == ("no rating row", "") and pd.isna(none["review_ratings row"])
    unrated = challenges.assign(severity_evidence="unknown")
    empty = severity_crosscheck(unrated, ratings)
    assert empty.empty and list(empty.columns) == list(check.columns)


def test_a_rating_without_a_rated_challenge_is_a_problem_of_the_ratings_file(challenges, ratings):
    # the challenge row for Data misuse risks no longer carries a number: the rating row 39 is unmatched
    unrated = challenges.copy()
    unrated.loc[unrated["raised_as"] == "Data misuse risks", ["severity", "severity_evidence"]] = [
        float("nan"),
        "unknown",
    ]
    problems = severity_mismatches(unrated, ratings)
    assert [(p.file, p.row, p.column) for p in problems] == [("data/review_ratings.csv", 39, "item")]
    assert problems[0].message == "Figure 8 rates 'Data Misuse Risks', but data/challenges.csv has no rated row for it"


def test_a_changed_rating_in_a_copy_of_review_ratings_fails(tmp_path):
    package = _broken_copy(tmp_path, "review_ratings", "Data Misuse Risks,severity,9,", "Data Misuse Risks,severity,8,")
    problems = check_challenge_severities(package)
    assert len(problems) == 1 and "is 9 here but 8" in problems[0].message
    assert problems[0].message.startswith("'Data privacy & misuse' (Data misuse risks, Figure 8) is 9 here")


def test_unranked_items_sort_after_every_rank():
    rows = _ratings(
        ("U", "d", NAN, NAN, NAN, "unknown", ""),
        ("A", "d", 9, NAN, NAN, "stated", ""),
        ("B", "d", 8, NAN, NAN, "stated", ""),
        ("C", "d", 7, NAN, NAN, "stated", ""),
    )
    assert list(rank_items(rows)["item"]) == ["A", "B", "C", "U"]


def test_methods_join_distinct_notes():
    methods = pd.DataFrame(
        {
            "source": ["p", "p"],
            "paradigm": ["s", "s"],
            "method": ["M", "M"],
            "locator": ["§1", "§1"],
            "application": ["a", "b"],
            "note": ["n1", "n2"],
        }
    )
    assert methods_by_paradigm(methods, "p").loc[0, "note"] == "n1; n2"


def test_paper_columns_break_before_the_year_and_after_the_colon(challenges):
    spec = challenge_heatmap_chart(challenges).to_dict()
    assert "Patel|(2026):|raises none" in spec["layer"][0]["encoding"]["x"]["sort"]
    colour = spec["layer"][0]["encoding"]["color"]["scale"]
    assert len(colour["range"]) == len(colour["domain"]) and colour["range"][-1] == "#ffffff"


# --- Hand-built tables for what the real data cannot tell apart (issue 12, deliverable 5: the mutation
# testing survivors). Every expected value below is read off the small table the test builds.

import json  # noqa: E402

from review_evidence.matrices import _figure_of  # noqa: E402
from review_evidence.theme import PALETTE  # noqa: E402

ALI, SYAMSIR, PATHE = "ali-nd-engagement", "syamsir-nd-loyalty", "pathe2024personalized"
EVIDENCE_COLUMNS = [
    "technique",
    "outcome",
    "claims",
    "papers",
    "label",
    "direction",
    "directions",
    "strongest evidence",
    "evidence kinds",
    "kinds",
    "review opinion only",
    "sources",
]


def _claims(*rows):
    columns = ["technique", "outcome", "source", "direction", "evidence_kind", "locator"]
    return pd.DataFrame([dict(zip(columns, row)) for row in rows], columns=columns)


def test_evidence_cells_in_full_on_a_hand_built_table():
    # Syamsir's row comes first in the file, but the cell lists Ali first (bibliography order 000 before
    # 001) although "Figure 8" sorts before "Table 3": papers first, then locators within a paper.
    claims = _claims(
        ("T1", "O1", SYAMSIR, "positive", "review opinion", "Figure 8"),
        ("T1", "O1", ALI, "positive", "empirical", "Table 3"),
        ("T1", "O2", SYAMSIR, "negative", "review opinion", "Figure 9"),
        ("T1", "O2", SYAMSIR, "null", "review opinion", "Figure 10"),
    )
    cells = evidence_cells(claims, techniques=["T2", "T1"], outcomes=["O2", "O1"], include_empty=True)
    assert list(cells.columns) == EVIDENCE_COLUMNS
    empty = {
        "claims": 0,
        "papers": 0,
        "label": "",
        "direction": "no claim",
        "directions": "",
        "strongest evidence": "no claim",
        "evidence kinds": "",
        "kinds": "",
        "review opinion only": False,
        "sources": "",
    }
    assert cells.to_dict("records") == [
        {"technique": "T2", "outcome": "O2", **empty},
        {"technique": "T2", "outcome": "O1", **empty},
        {
            "technique": "T1",
            "outcome": "O2",
            "claims": 2,
            "papers": 1,  # two claims, one paper
            "label": "2 ns/−",  # signs in the key's order: ns before −
            "direction": "disagree",
            "directions": "null 1, negative 1",
            "strongest evidence": "review opinion",
            "evidence kinds": "review opinion 2",
            "kinds": "review opinion",
            "review opinion only": True,
            # one paper: by locator, as text ("Figure 10" < "Figure 9")
            "sources": "Syamsir et al. (n.d.), Figure 10 (null, review opinion); "
            "Syamsir et al. (n.d.), Figure 9 (negative, review opinion)",
        },
        {
            "technique": "T1",
            "outcome": "O1",
            "claims": 2,
            "papers": 2,
            "label": "2",  # every claim positive: the number alone
            "direction": "positive",
            "directions": "positive 2",
            "strongest evidence": "empirical",
            "evidence kinds": "empirical 1, review opinion 1",
            "kinds": "empirical, review opinion",
            "review opinion only": False,
            "sources": "Ali et al. (n.d.), Table 3 (positive, empirical); "
            "Syamsir et al. (n.d.), Figure 8 (positive, review opinion)",
        },
    ]


def test_evidence_cells_of_no_claims_still_have_every_column():
    cells = evidence_cells(_claims())
    assert len(cells) == 0
    assert list(cells.columns) == EVIDENCE_COLUMNS


def test_evidence_cells_follow_the_controlled_lists_of_the_package_given(tmp_path):
    # a copy of the package whose technique and outcome lists are reversed
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    schema_path = copy / "schemas" / "technique_outcomes.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    for field in schema["fields"]:
        if field["name"] in ("technique", "outcome"):
            field["constraints"]["enum"].reverse()
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    email, recommender = "Email personalization", "Recommendation engines / collaborative filtering"
    claims = _claims(
        (recommender, "conversion", ALI, "positive", "empirical", "Table 3"),
        (email, "engagement", ALI, "positive", "empirical", "Table 3"),
        (email, "conversion", ALI, "positive", "empirical", "Table 3"),
    )
    in_the_book = evidence_cells(claims)
    assert list(zip(in_the_book["technique"], in_the_book["outcome"])) == [
        (recommender, "conversion"),
        (email, "engagement"),
        (email, "conversion"),
    ]
    reversed_lists = evidence_cells(claims, package_path=copy / "datapackage.json")
    assert list(zip(reversed_lists["technique"], reversed_lists["outcome"])) == [
        (email, "conversion"),
        (email, "engagement"),
        (recommender, "conversion"),
    ]


def test_review_opinion_only_has_just_its_four_columns(claims):
    only = review_opinion_only(claims)
    assert list(only.columns) == ["technique", "outcome", "claims", "sources"]


def test_evidence_heatmap_fits_its_container(claims):
    spec = evidence_heatmap_chart(claims).to_dict()
    assert spec["width"] == "container"
    assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}


def _challenges(*rows):
    columns = ["challenge", "source", "raised_as", "severity", "severity_low", "severity_high"]
    columns += ["severity_evidence", "locator"]
    return pd.DataFrame([dict(zip(columns, row)) for row in rows], columns=columns)


def test_challenge_cells_in_full_on_a_hand_built_table():
    nan = float("nan")
    challenges = _challenges(
        ("Algorithmic bias", SYAMSIR, "AI biases", nan, 6.0, 7.0, "range", "Figure 9 (prose)"),
        ("Algorithmic bias", ALI, "biased models", 5.0, nan, nan, "reported", "Figure 8"),
        ("Data privacy & misuse", PATHE, "privacy", nan, nan, nan, "unknown", "§2"),
        ("Data privacy & misuse", PATHE, "data misuse", nan, nan, nan, "unknown", "§5"),
    )
    cells = challenge_cells(
        challenges, papers=[ALI, SYAMSIR, PATHE], challenge_order=["Algorithmic bias", "Data privacy & misuse"]
    )
    absent = {"status": NOT_RAISED, "label": NOT_RAISED, "raised as": "", "where": ""}
    bias, privacy = "Algorithmic bias", "Data privacy & misuse"
    ali, syamsir, pathe = "Ali et al. (n.d.)", "Syamsir et al. (n.d.)", "Pathe (2024)"
    assert list(cells.columns) == ["challenge", "paper", "source", "status", "label", "raised as", "where"]
    assert cells.to_dict("records") == [
        {"challenge": bias, "paper": ali, "source": ALI, "status": "rated (number printed)",
         "label": "5/10 (Fig. 8)", "raised as": "biased models", "where": "Figure 8"},
        {"challenge": bias, "paper": syamsir, "source": SYAMSIR, "status": "rated (range for a group)",
         "label": "6–7/10 (Fig. 9, range)", "raised as": "AI biases", "where": "Figure 9 (prose)"},
        {"challenge": bias, "paper": pathe, "source": PATHE, **absent},
        {"challenge": privacy, "paper": ali, "source": ALI, **absent},
        {"challenge": privacy, "paper": syamsir, "source": SYAMSIR, **absent},
        {"challenge": privacy, "paper": pathe, "source": PATHE, "status": "raised, no number printed",
         "label": "raised", "raised as": "privacy; data misuse", "where": "§2; §5"},
    ]  # fmt: skip


def test_a_challenge_from_papers_not_given_names_them_all():
    challenges = _challenges(
        ("Algorithmic bias", PATHE, "bias", float("nan"), float("nan"), float("nan"), "unknown", "§2"),
        ("Algorithmic bias", ALI, "bias", float("nan"), float("nan"), float("nan"), "unknown", "§1"),
    )
    message = (
        "challenges cites ali-nd-engagement, pathe2024personalized, which is not among the papers given "
        "(syamsir-nd-loyalty, charlotte2020segmentation)"
    )
    with pytest.raises(ValueError) as raised:
        challenge_cells(challenges, papers=[SYAMSIR, "charlotte2020segmentation"])
    assert str(raised.value) == message


def test_a_field_without_any_constraints_has_an_empty_controlled_list():
    # challenges.note has no "constraints" key at all (challenges.locator has one, without an enum)
    schema = json.loads((DATA_DIR / "schemas" / "challenges.schema.json").read_text(encoding="utf-8"))
    assert "constraints" not in next(f for f in schema["fields"] if f["name"] == "note")
    assert controlled_list("challenges", "note") == []


def test_figure_of_keeps_a_locator_that_names_no_figure():
    assert _figure_of("Figure 8 (prose)") == "Figure 8"
    assert _figure_of("§4.B") == "§4.B"


def test_severity_problems_name_the_files_of_the_package_checked(tmp_path):
    package = _broken_copy(tmp_path, "challenges", "Intrusive marketing,7,", "Pushy marketing,7,")
    problems = check_challenge_severities(package)
    # outside the repository the files are named by their full paths, not the book's data/ ones
    files = {str(package.parent / "challenges.csv"), str(package.parent / "review_ratings.csv")}
    assert {p.file for p in problems} == files


def test_stated_orderings_read_a_note_column_with_no_notes_at_all():
    # read_csv gives an all-empty column as floats (NaN), not text
    orderings = pd.DataFrame(
        {
            "locator": ["Figure 9"],
            "dimension": ["d"],
            "higher_item": ["A"],
            "relation": [">"],
            "lower_item": ["B"],
            "quote": ["q"],
            "note": [float("nan")],
        }
    )
    table = stated_orderings(orderings, "Figure 9")
    assert table.to_dict("records") == [{"dimension": "d", "statement": "A > B", "contradicted": "", "quote": "q"}]


def _wcag_luminance(hex_colour):
    # WCAG 2.x relative luminance, written out here independently of matrices._text_colour
    red, green, blue = (int(hex_colour[k : k + 2], 16) / 255 for k in (1, 3, 5))

    def linear(c):
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def _contrast(a, b):
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def test_text_colour_near_the_black_white_threshold():
    # Black wins when (L + .05)/.05 >= 1.05/(L + .05), i.e. L >= sqrt(.0525) - .05 = 0.17913.
    # By hand: grey 117 -> 0.1779 (white), 118 -> 0.1812 (black); red alone 236 -> .2126 x .8388 = 0.1783
    # (white), 237 -> .2126 x .8469 = 0.1800 (black); green alone 137 -> .7152 x .2502 = 0.17891 (white),
    # 138 -> .7152 x .2541 = 0.1818 (black); green 10/255 is on the straight part: .7152 x .0392/12.92 (white).
    assert _text_colour("#757575") == "#ffffff"
    assert _text_colour("#767676") == "#000000"
    assert _text_colour("#ec0000") == "#ffffff"
    assert _text_colour("#ed0000") == "#000000"
    assert _text_colour("#008900") == "#ffffff"
    assert _text_colour("#008a00") == "#000000"
    assert _text_colour("#000a00") == "#ffffff"
    # Green 137 plus a little blue or red on the straight part of the curve crosses the threshold by
    # about 4e-6 (blue 10: + .0722 x .0392/12.92 = .00022): checked against the WCAG formula above.
    for fill in ["#00890a", "#018907", "#028904", "#2e8702", "#558208", "#8a7409", "#a56806", *PALETTE]:
        luminance = _wcag_luminance(fill)
        expected = "#000000" if _contrast(luminance, 0.0) >= _contrast(luminance, 1.0) else "#ffffff"
        assert _text_colour(fill) == expected, fill
