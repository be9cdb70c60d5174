"""Check the rating tables against the orderings the source's prose states.

A review that says "data misuse risks rank the highest" but prints no number still constrains
any number the book puts on its figure: an estimate may not contradict the words. ``orderings.csv``
records every such statement ("A > B on this dimension of this figure"); this module checks that
every rating with a number, reported or estimated, respects each of them.

A range ("6-7/10") is treated as an interval, and an ordering holds only if it holds for every
value the range allows: a range 6-7 is certainly greater than 5 and certainly at least 6, but not
certainly greater than 6. An unknown rating has no number and cannot break an ordering.

Some orderings contradict each other, because the source does (001 names two different
technologies as "highest" on business outcomes). No number can satisfy both, so an *estimate* on
a cell caught in such a conflict is itself an error: the honest value there is unknown.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .paths import DATAPACKAGE, relative
from .tables import load_table, read_package
from .validation import Problem, number_text

RELATIONS = (">", ">=", "=")
Interval = tuple[float, float]


def rating_interval(rating: pd.Series) -> Interval | None:
    """The values a rating allows: a point, a stated range, or None when no number is known."""
    if rating["evidence"] == "range":
        return float(rating["value_low"]), float(rating["value_high"])
    if pd.isna(rating["value"]):
        return None
    return float(rating["value"]), float(rating["value"])


def ordering_holds(relation: str, higher: Interval, lower: Interval) -> bool:
    """Whether ``higher relation lower`` is true for every pair of values the intervals allow."""
    if relation == ">":
        return higher[0] > lower[1]
    if relation == ">=":
        return higher[0] >= lower[1]
    if relation == "=":
        return higher[0] == higher[1] == lower[0] == lower[1]
    raise ValueError(f"unknown relation {relation!r} (expected one of {', '.join(RELATIONS)})")


def _reachability(edges: list[tuple[str, str]]) -> dict[str, set[str]]:
    """For each item, every item reachable from it along the edges (transitive closure)."""
    reach: dict[str, set[str]] = {}
    for a, b in edges:
        reach.setdefault(a, set()).add(b)
        reach.setdefault(b, set())
    changed = True
    while changed:
        changed = False
        for item, targets in reach.items():
            extra = set().union(*(reach[t] for t in targets)) - targets if targets else set()
            if extra:
                targets |= extra
                changed = True
    return reach


def conflicting_orderings(orderings: pd.DataFrame) -> list[list[int]]:
    """Groups of orderings (row positions) that no assignment of numbers can satisfy together.

    Within one figure and dimension, ``A > B`` and ``B >= A`` (or any longer cycle that contains a
    strict ``>``) cannot all hold. Each group lists the orderings between the items of such a cycle.
    """
    groups = []
    for _, block in orderings.groupby(["source", "locator", "dimension"], sort=False):
        edges = []
        for row in block.itertuples():
            edges.append((row.higher_item, row.lower_item))
            if row.relation == "=":
                edges.append((row.lower_item, row.higher_item))
        reach = _reachability(edges)

        def on_a_cycle(row) -> bool:
            return row.higher_item in reach[row.lower_item]

        cyclic = [row for row in block.itertuples() if on_a_cycle(row)]
        components: list[set[str]] = []
        for row in cyclic:
            component = {row.higher_item} | {i for i in reach[row.higher_item] if row.higher_item in reach[i]}
            if component not in components:
                components.append(component)
        for component in components:
            members = [r for r in cyclic if r.higher_item in component and r.lower_item in component]
            if any(r.relation == ">" for r in members):
                groups.append(sorted(r.Index for r in members))
    return groups


def ordering_violations(
    ratings: pd.DataFrame,
    orderings: pd.DataFrame,
    *,
    ratings_file: str = "data/review_ratings.csv",
    orderings_file: str = "data/orderings.csv",
) -> list[Problem]:
    """Every ordering that the ratings break, and every estimate placed where orderings conflict.

    ``ratings`` and ``orderings`` are the tables as ``load_table`` returns them (rows in file
    order), so that row numbers in the problems match the CSV files (header = row 1).
    """

    def csv_row(position: int) -> int:
        return position + 2

    cells = {(r.source, r.locator, r.item, r.dimension): position for position, r in enumerate(ratings.itertuples())}
    in_conflict: dict[int, list[int]] = {}
    for group in conflicting_orderings(orderings.reset_index(drop=True)):
        for position in group:
            in_conflict[position] = group

    problems: list[Problem] = []
    flagged_estimates: set[int] = set()
    for position, ordering in enumerate(orderings.itertuples()):
        row = csv_row(position)
        where = f"{ordering.locator}, {ordering.dimension}"
        statement = f"'{ordering.higher_item}' {ordering.relation} '{ordering.lower_item}'"
        sides = {}
        for column, item in (("higher_item", ordering.higher_item), ("lower_item", ordering.lower_item)):
            key = (ordering.source, ordering.locator, item, ordering.dimension)
            if key not in cells:
                problems.append(
                    Problem(orderings_file, row, column, f"{where}: no rating of '{item}' in {ratings_file}")
                )
            else:
                sides[column] = cells[key]
        if len(sides) < 2:
            continue

        if position in in_conflict:
            others = ", ".join(str(csv_row(p)) for p in in_conflict[position])
            for rating_position in sides.values():
                rating = ratings.iloc[rating_position]
                if rating["evidence"] == "estimated" and rating_position not in flagged_estimates:
                    flagged_estimates.add(rating_position)
                    problems.append(
                        Problem(
                            ratings_file,
                            csv_row(rating_position),
                            "value",
                            f"{where}: '{rating['item']}' is estimated, but the orderings it must respect "
                            f"contradict each other ({orderings_file} rows {others}); no number fits both, "
                            "so the value should be unknown",
                        )
                    )

        higher = ratings.iloc[sides["higher_item"]]
        lower = ratings.iloc[sides["lower_item"]]
        higher_values, lower_values = rating_interval(higher), rating_interval(lower)
        if higher_values is None or lower_values is None:
            continue
        if not ordering_holds(ordering.relation, higher_values, lower_values):
            problems.append(
                Problem(
                    orderings_file,
                    row,
                    "relation",
                    f"{where}: {statement} does not hold: {ratings_file} row {csv_row(sides['higher_item'])} "
                    f"gives {_describe(higher)} and row {csv_row(sides['lower_item'])} gives {_describe(lower)}",
                )
            )
    return problems


def _describe(rating: pd.Series) -> str:
    # exact numbers: ":g" would show 9.0000001 as 9 and make "9 is not above 9" read as a contradiction
    if rating["evidence"] == "range":
        shown = f"{number_text(rating['value_low'])}-{number_text(rating['value_high'])}"
    elif pd.isna(rating["value"]):
        shown = "not printed"
    else:
        shown = number_text(rating["value"])
    return f"{rating['item']} = {shown} ({rating['evidence']})"


def ordering_report(ratings: pd.DataFrame, orderings: pd.DataFrame, locator: str) -> pd.DataFrame:
    """For one figure: each ordering the prose states, the numbers on both sides and whether it holds."""
    cells = {(r.source, r.locator, r.item, r.dimension): r for r in ratings.itertuples(index=False)}
    rows = []
    for ordering in orderings[orderings["locator"] == locator].itertuples(index=False):
        sides = [
            cells.get((ordering.source, ordering.locator, item, ordering.dimension))
            for item in (ordering.higher_item, ordering.lower_item)
        ]
        intervals = [None if s is None else rating_interval(pd.Series(s._asdict())) for s in sides]
        if None in intervals:
            verdict = "cannot check (no number)"
        else:
            verdict = "holds" if ordering_holds(ordering.relation, *intervals) else "VIOLATED"
        rows.append(
            {
                "ordering": f"{ordering.higher_item} {ordering.relation} {ordering.lower_item}",
                "higher side": "no rating" if sides[0] is None else _describe(pd.Series(sides[0]._asdict())),
                "lower side": "no rating" if sides[1] is None else _describe(pd.Series(sides[1]._asdict())),
                "check": verdict,
                "what the paper says": ordering.quote,
            }
        )
    return pd.DataFrame(rows, columns=["ordering", "higher side", "lower side", "check", "what the paper says"])


def conflict_note_problems(orderings: pd.DataFrame, *, orderings_file: str = "data/orderings.csv") -> list[Problem]:
    """Orderings that contradict another row but whose note does not say CONFLICT, and vice versa.

    A reader scanning the table should see a contradiction flagged where it sits.
    """
    orderings = orderings.reset_index(drop=True)
    conflicting = {p for group in conflicting_orderings(orderings) for p in group}
    problems = []
    for position, ordering in orderings.iterrows():
        marked = "CONFLICT" in str(ordering["note"] if pd.notna(ordering["note"]) else "")
        if position in conflicting and not marked:
            problems.append(
                Problem(
                    orderings_file,
                    position + 2,
                    "note",
                    "this ordering contradicts another row of the same figure and dimension; mark it CONFLICT",
                )
            )
        if marked and position not in conflicting:
            problems.append(
                Problem(orderings_file, position + 2, "note", "marked CONFLICT, but no other row contradicts it")
            )
    return problems


def check_orderings(package_path: Path = DATAPACKAGE) -> list[Problem]:
    """Load ``review_ratings`` and ``orderings`` from a data package and check one against the other."""
    package_path = Path(package_path)
    paths = {r["name"]: package_path.parent / r["path"] for r in read_package(package_path)["resources"]}
    ratings_file, orderings_file = relative(paths["review_ratings"]), relative(paths["orderings"])
    orderings = load_table("orderings", package_path)
    return ordering_violations(
        load_table("review_ratings", package_path), orderings, ratings_file=ratings_file, orderings_file=orderings_file
    ) + conflict_note_problems(orderings, orderings_file=orderings_file)


__all__ = [
    "check_orderings",
    "conflict_note_problems",
    "conflicting_orderings",
    "ordering_holds",
    "ordering_report",
    "ordering_violations",
    "rating_interval",
]
