"""Validate a CSV table against its Frictionless Table Schema, and the book's evidence rules.

Frictionless itself validates the package in the test suite; this module exists because a reader
who mistypes a cell deserves one message that names the file, the row and the column of *every*
problem, not a traceback from deep inside a parser. It implements the subset of Table Schema the
book uses (types, required, enum, minimum, maximum, pattern, unique, primary and foreign keys) plus
the cross-column rules of the data contract (see ``data/README.md``).
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from .paths import relative

EVIDENCE_LEVELS = ("reported", "range", "estimated", "derived", "unknown")
#: Stands in for a cell that could not be parsed, so later rules know it was not empty.
INVALID = object()


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell (or row, or file) of a table."""

    file: str
    row: int | None
    column: str | None
    message: str
    unit: str = "row"  # "line" for BibTeX, where a spreadsheet row means nothing

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"{self.unit} {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class DataValidationError(ValueError):
    """Raised when a table breaks its schema; lists every problem found, one per line."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        count = len(self.problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} found:\n{lines}")


def _parse_number(text: str) -> float:
    value = float(text)
    if math.isnan(value) or math.isinf(value):
        raise ValueError(text)
    return value


def _parse_integer(text: str) -> int:
    if not re.fullmatch(r"[+-]?\d+", text):
        raise ValueError(text)
    return int(text)


def _parse_boolean(text: str) -> bool:
    lowered = text.lower()
    if lowered in {"true", "yes", "1"}:
        return True
    if lowered in {"false", "no", "0"}:
        return False
    raise ValueError(text)


_PARSERS: dict[str, Callable[[str], Any]] = {
    "string": str,
    "number": _parse_number,
    "integer": _parse_integer,
    "boolean": _parse_boolean,
}


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """Read a CSV as text, keeping row numbers meaningful (header = row 1)."""
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
    except UnicodeDecodeError as exc:
        raise DataValidationError([Problem(relative(path), None, None, f"not valid UTF-8 ({exc.reason})")]) from None
    except csv.Error as exc:
        raise DataValidationError([Problem(relative(path), None, None, f"not a readable CSV ({exc})")]) from None
    if not rows:
        raise DataValidationError([Problem(relative(path), None, None, "the file is empty (no header row)")])
    return rows[0], rows[1:]


def _check_header(file: str, header: list[str], fields: list[dict]) -> list[Problem]:
    expected = [f["name"] for f in fields]
    problems = []
    for name in expected:
        if name not in header:
            problems.append(Problem(file, 1, name, "column is missing from the header"))
    for name in header:
        if name not in expected:
            problems.append(Problem(file, 1, name, f"unexpected column (the schema has: {', '.join(expected)})"))
    if not problems and header != expected:
        problems.append(Problem(file, 1, None, f"columns are out of order; expected: {', '.join(expected)}"))
    return problems


def _check_cell(file: str, row: int, field: dict, text: str, missing: set[str]) -> tuple[Any, list[Problem]]:
    name = field["name"]
    constraints = field.get("constraints", {})
    if text in missing:
        if constraints.get("required"):
            return None, [Problem(file, row, name, "a value is required but the cell is empty")]
        return None, []
    if text != text.strip():
        return INVALID, [Problem(file, row, name, f"{text!r} has leading or trailing spaces")]
    field_type = field.get("type", "string")
    try:
        value = _PARSERS[field_type](text)
    except ValueError:
        return INVALID, [Problem(file, row, name, f"{text!r} is not a valid {field_type}")]
    problems = []
    if "enum" in constraints and value not in constraints["enum"]:
        allowed = ", ".join(map(str, constraints["enum"]))
        problems.append(Problem(file, row, name, f"{text!r} is not one of the allowed values: {allowed}"))
    if "minimum" in constraints and value < constraints["minimum"]:
        problems.append(Problem(file, row, name, f"{text} is below the minimum {constraints['minimum']}"))
    if "maximum" in constraints and value > constraints["maximum"]:
        problems.append(Problem(file, row, name, f"{text} is above the maximum {constraints['maximum']}"))
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], text):
        problems.append(Problem(file, row, name, f"{text!r} does not match the pattern {constraints['pattern']}"))
    if "maxLength" in constraints and len(text) > constraints["maxLength"]:
        problems.append(Problem(file, row, name, f"is {len(text)} characters long; the limit is {constraints['maxLength']}"))
    return value, problems


def _list_values(field: dict, value: Any) -> list[str]:
    """A cell may hold several keys, separated by the field's ``delimiter`` property."""
    if value is None or value is INVALID:
        return []
    delimiter = field.get("delimiter")
    if delimiter:
        return [part.strip() for part in str(value).split(delimiter) if part.strip()]
    return [str(value)]


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _evidence_rules(file: str, row: int, record: Mapping[str, Any], scales: Mapping[str, tuple]) -> list[Problem]:
    """The data contract's cross-column rules; they apply to whichever of the columns a table has."""
    problems = []
    evidence = record.get("evidence")
    has = record.keys()

    def need(column: str, why: str) -> None:
        if column in has and record.get(column) in (None, ""):
            problems.append(Problem(file, row, column, why))

    if evidence in ("reported", "range", "unknown", "estimated"):
        need("quote", f"evidence '{evidence}' needs a verbatim quote from the source")
    if evidence in ("estimated", "derived"):
        need("note", f"evidence '{evidence}' needs the rule that produced the number in 'note'")
    if "value" in has:
        value = record.get("value")
        if evidence in ("reported", "estimated", "derived"):
            need("value", f"evidence '{evidence}' needs a value")
        if evidence == "unknown" and value is not None and value is not INVALID:
            problems.append(Problem(file, row, "value", "evidence 'unknown' means the source prints no number; leave value empty"))
        if evidence == "range":
            need("value_low", "evidence 'range' needs value_low")
            need("value_high", "evidence 'range' needs value_high")
            low, high = record.get("value_low"), record.get("value_high")
            if _is_number(low) and _is_number(high) and low > high:
                problems.append(Problem(file, row, "value_low", f"value_low {low:g} is greater than value_high {high:g}"))
        scale = record.get("scale")
        if scale in scales:
            minimum, maximum = scales[scale]
            for column in ("value", "value_low", "value_high"):
                number = record.get(column)
                if not _is_number(number):
                    continue
                if minimum is not None and number < minimum:
                    problems.append(Problem(file, row, column, f"{number:g} is below the minimum {minimum:g} of scale '{scale}'"))
                if maximum is not None and number > maximum:
                    problems.append(Problem(file, row, column, f"{number:g} is above the maximum {maximum:g} of scale '{scale}'"))
    return problems


def validate_rows(
    path: Path,
    schema: Mapping[str, Any],
    *,
    bibliography_keys: set[str] | None = None,
    foreign_keys: Mapping[str, set[tuple]] | None = None,
    scales: Mapping[str, tuple] | None = None,
) -> list[dict[str, Any]]:
    """Check one CSV file against ``schema``; return its typed records or raise DataValidationError.

    ``foreign_keys`` maps a referenced resource name to the set of key tuples it holds;
    ``bibliography_keys`` is the set of BibTeX keys that a ``bibliography`` field may use;
    ``scales`` maps a scale name to its (minimum, maximum) bounds, either of which may be None.
    """
    file = relative(path)
    header, rows = read_rows(path)
    fields = schema["fields"]
    problems = _check_header(file, header, fields)
    if problems:
        raise DataValidationError(problems)
    missing = set(schema.get("missingValues", [""]))
    records = []
    for offset, cells in enumerate(rows):
        row = offset + 2
        if len(cells) != len(fields):
            problems.append(Problem(file, row, None, f"has {len(cells)} cells; the header has {len(fields)}"))
            continue
        record = {}
        for field, text in zip(fields, cells):
            value, cell_problems = _check_cell(file, row, field, text, missing)
            problems.extend(cell_problems)
            record[field["name"]] = value
            if bibliography_keys is not None and field.get("bibliography"):
                for key in _list_values(field, value):
                    if key not in bibliography_keys:
                        problems.append(Problem(file, row, field["name"], f"'{key}' is not a key in references.bib"))
        problems.extend(_evidence_rules(file, row, record, scales or {}))
        records.append((row, record))

    for field in fields:
        if field.get("constraints", {}).get("unique"):
            problems.extend(_duplicates(file, records, [field["name"]], "must be unique"))
    primary_key = schema.get("primaryKey")
    if primary_key:
        columns = [primary_key] if isinstance(primary_key, str) else list(primary_key)
        problems.extend(_duplicates(file, records, columns, "duplicates the primary key of an earlier row"))
    for foreign in schema.get("foreignKeys", []):
        problems.extend(_foreign_key_problems(file, records, foreign, foreign_keys or {}))
    if problems:
        raise DataValidationError(problems)
    return [record for _, record in records]


def _duplicates(file: str, records: list[tuple[int, dict]], columns: list[str], message: str) -> list[Problem]:
    seen: dict[tuple, int] = {}
    problems = []
    for row, record in records:
        key = tuple(record.get(c) for c in columns)
        if all(part is None for part in key):
            continue
        if key in seen:
            shown = ", ".join(f"{c}={record.get(c)!r}" for c in columns)
            problems.append(Problem(file, row, columns[0] if len(columns) == 1 else "+".join(columns),
                                    f"({shown}) {message} (row {seen[key]})"))
        else:
            seen[key] = row
    return problems


def _foreign_key_problems(file: str, records, foreign: Mapping, known: Mapping[str, set[tuple]]) -> list[Problem]:
    fields = foreign["fields"]
    fields = [fields] if isinstance(fields, str) else list(fields)
    resource = foreign["reference"]["resource"]
    if resource not in known:
        return [Problem(file, None, None, f"foreign key refers to resource '{resource}', which is not in datapackage.json")]
    targets = known[resource]
    problems = []
    for row, record in records:
        key = tuple(record.get(f) for f in fields)
        if any(part is None for part in key):
            continue
        if key not in targets:
            shown = ", ".join(map(str, key))
            problems.append(Problem(file, row, fields[0], f"'{shown}' is not in {resource} ({'/'.join(fields)})"))
    return problems
