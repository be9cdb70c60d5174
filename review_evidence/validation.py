"""Validate a CSV table against its Frictionless Table Schema, and the book's evidence rules.

Frictionless itself validates the package in the test suite; this module exists because a reader
who mistypes a cell deserves one message that names the file, the row and the column of *every*
problem, not a traceback from deep inside a parser. It implements the subset of Table Schema the
book uses (types, required, enum, minimum, maximum, pattern, unique, primary and foreign keys) plus
the cross-column rules of the data contract (see ``data/README.md``).
"""

from __future__ import annotations

import csv
import io
import math
import numbers
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .paths import relative

EVIDENCE_LEVELS = ("reported", "range", "estimated", "derived", "unknown")
#: The longest cell the contract accepts. The longest real cell (a note) is under 700 characters;
#: a cell far longer is a paste gone wrong, and it would swamp the page and the error message.
MAX_CELL_CHARS = 2000
#: A value longer than this is shown shortened in an error message (start ... end, with its length).
SHOWN_CHARS = 80
#: csv's default field limit (131,072) would stop a long cell with "field larger than field limit"
#: and no row or column; reading it whole lets the length rule name both. Checked against MAX_CELL_CHARS.
CSV_FIELD_LIMIT = 16 * 1024 * 1024
UTF8_BOM = b"\xef\xbb\xbf"
#: Numbers are written with ASCII digits only: Python and pandas would also read "1_0" as 10, "٥٠"
#: (Arabic-Indic) as 50 and fullwidth digits as ordinary ones, none of which a reader of the CSV sees as such.
NUMBER_PATTERN = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
INTEGER_PATTERN = re.compile(r"[+-]?[0-9]+")
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


def shown(text: str, limit: int = SHOWN_CHARS) -> str:
    """A cell as an error message quotes it: in full up to ``limit`` characters, then shortened."""
    if len(text) <= limit:
        return repr(text)
    head, tail = text[: limit * 3 // 4], text[-(limit // 5) :]
    return f"{head!r}…{tail!r} ({len(text)} characters)"


def number_text(value: float | int) -> str:
    """A number exactly as the check saw it: 10.0000001 is never shown as "10", 10.0 is shown as "10"."""
    if isinstance(value, numbers.Integral):
        return str(int(value))
    value = float(value)  # numpy's float64 would print as "np.float64(...)"
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def _parse_number(text: str) -> float:
    if not NUMBER_PATTERN.fullmatch(text):
        raise ValueError(text)
    value = float(text)
    if math.isnan(value) or math.isinf(value):
        raise ValueError(text)
    return value


def _parse_integer(text: str) -> int:
    if not INTEGER_PATTERN.fullmatch(text):
        raise ValueError(text)
    return int(text)


def _why_not_a_number(text: str) -> str:
    """What a reader should fix in a cell that looks like a number to Python but not to the contract."""
    if "_" in text:
        return " (write digits without '_' separators)"
    odd = next((c for c in text if c.isdigit() and not "0" <= c <= "9"), None)
    if odd is not None:
        return f" (use the ASCII digits 0-9, not {_character(odd)})"
    return ""


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


def _decoding_problem(file: str, data: bytes, error: UnicodeDecodeError) -> Problem:
    """Where a byte that is not UTF-8 sits: the CSV row and column, the line and the byte offset."""
    before = data[: error.start].decode("utf-8")
    rows = list(csv.reader(io.StringIO(before, newline="")))
    header = rows[0] if rows else []
    row = max(len(rows), 1)
    cells = len(rows[-1]) if rows else 1
    if before.endswith(("\n", "\r")) or not rows:
        row, cells = row + (1 if rows else 0), 1
    column = header[cells - 1] if row > 1 and 0 < cells <= len(header) else None
    line = data.count(b"\n", 0, error.start) + 1
    return Problem(
        file,
        row,
        column,
        f"byte {error.start} (line {line}) is 0x{data[error.start]:02x}, which is not valid UTF-8; "
        "save the file as UTF-8 (a spreadsheet's 'CSV UTF-8')",
    )


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """Read a CSV as text, keeping row numbers meaningful (header = row 1)."""
    file = relative(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise DataValidationError([Problem(file, None, None, "file not found")]) from None
    if data.startswith(UTF8_BOM):
        raise DataValidationError(
            [
                Problem(
                    file,
                    1,
                    None,
                    "the file starts with a UTF-8 byte-order mark (BOM), which would "
                    "become part of the first column's name; save it as UTF-8 without BOM",
                )
            ]
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataValidationError([_decoding_problem(file, data, exc)]) from None
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise DataValidationError([Problem(file, None, None, f"not a readable CSV ({exc})")]) from None
    if not rows:
        raise DataValidationError([Problem(file, None, None, "the file is empty (no header row)")])
    return rows[0], rows[1:]


def _check_header(file: str, header: list[str], fields: list[dict]) -> list[Problem]:
    expected = [f["name"] for f in fields]
    problems = []
    first_seen: dict[str, int] = {}
    for position, name in enumerate(header, start=1):
        if name in first_seen:
            problems.append(
                Problem(
                    file, 1, name, f"the header names this column twice (columns {first_seen[name]} and {position})"
                )
            )
        first_seen.setdefault(name, position)
    if problems:
        return problems
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
    hygiene = text_problems(file, row, name, text, key=is_key_field(field))
    if hygiene:
        return INVALID, hygiene
    if text != text.strip():
        return INVALID, [Problem(file, row, name, f"{shown(text)} has leading or trailing spaces")]
    field_type = field.get("type", "string")
    try:
        value = _PARSERS[field_type](text)
    except ValueError:
        return INVALID, [
            Problem(file, row, name, f"{shown(text)} is not a valid {field_type}{_why_not_a_number(text)}")
        ]
    problems = []
    if "enum" in constraints and value not in constraints["enum"]:
        allowed = ", ".join(map(str, constraints["enum"]))
        problems.append(Problem(file, row, name, f"{shown(text)} is not one of the allowed values: {allowed}"))
    if "minimum" in constraints and value < constraints["minimum"]:
        problems.append(Problem(file, row, name, f"{text} is below the minimum {number_text(constraints['minimum'])}"))
    if "maximum" in constraints and value > constraints["maximum"]:
        problems.append(Problem(file, row, name, f"{text} is above the maximum {number_text(constraints['maximum'])}"))
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], text):
        problems.append(Problem(file, row, name, f"{shown(text)} does not match the pattern {constraints['pattern']}"))
    if "maxLength" in constraints and len(text) > constraints["maxLength"]:
        problems.append(
            Problem(file, row, name, f"is {len(text)} characters long; the limit is {constraints['maxLength']}")
        )
    return value, problems


# --- Text hygiene: what any cell, and a key above all, may contain (separate from the Table Schema
# checks above and the contract's cross-column rules below, so each can move on its own).

#: Key columns take letters of the Latin script only (the book's declared script): a look-alike letter
#: from another script ("Relevаnce" with a Cyrillic а) would silently make a second, different key.
KEY_SCRIPT = "LATIN"


def _character(char: str) -> str:
    """U+200B ZERO WIDTH SPACE; control characters have no Unicode name, so only their code point."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X} {name}" if name else f"U+{ord(char):04X}"


def is_key_field(field: Mapping[str, Any]) -> bool:
    """Columns whose values identify or classify a row: keys, controlled values and citation keys."""
    return bool(
        field.get("key") or field.get("bibliography") or {"enum", "pattern"} & set(field.get("constraints", {}))
    )


def text_problems(file: str, row: int, column: str, text: str, *, key: bool = False) -> list[Problem]:
    """A cell's characters: a stated length cap, no control or invisible characters, NFC; in a key,
    only Latin letters and no space but the ordinary one."""

    def problem(message: str) -> list[Problem]:
        return [Problem(file, row, column, message)]

    if len(text) > MAX_CELL_CHARS:
        return problem(f"is {len(text)} characters long; a cell may hold at most {MAX_CELL_CHARS}: {shown(text)}")
    for char in text:
        category = unicodedata.category(char)
        if category == "Cc":
            return problem(f"{shown(text)} contains the control character {_character(char)}")
        if category in ("Cf", "Co", "Cn"):
            return problem(f"{shown(text)} contains the invisible or unassigned character {_character(char)}")
    if unicodedata.normalize("NFC", text) != text:
        return problem(
            f"{shown(text)} is not in Unicode normal form NFC (a letter and its accent are stored apart); "
            "save it composed"
        )
    if key:
        for char in text:
            category = unicodedata.category(char)
            if category.startswith("Z") and char != " ":
                return problem(f"{shown(text)} contains {_character(char)}; a key may only use the ordinary space")
            if category.startswith("L") and not unicodedata.name(char, "").startswith(KEY_SCRIPT):
                return problem(
                    f"{shown(text)} contains {_character(char)}; keys use Latin letters only, "
                    "so that two keys that look the same are the same"
                )
    return []


#: UTS #39 confusable mappings among the characters a key may hold (Latin letters, digits, ASCII
#: punctuation), from Unicode's confusables.txt: each maps to its prototype. Letters of other scripts
#: never reach this table: ``text_problems`` refuses them in keys.
LATIN_CONFUSABLES = {"0": "O", "1": "l", "I": "l", "|": "l", "m": "rn"}


def skeleton(text: str) -> str:
    """The UTS #39 skeleton of a key, restricted to the key repertoire: NFD, map confusables, NFD."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFD", "".join(LATIN_CONFUSABLES.get(c, c) for c in decomposed))


def confusable_key_problems(file: str, records: list[tuple[int, dict]], fields: list[dict]) -> list[Problem]:
    """Two different values of one key column that look the same (same skeleton), naming both rows."""
    problems = []
    for field in fields:
        if not field.get("key"):
            continue
        name, seen = field["name"], {}
        for row, record in records:
            value = record.get(name)
            if not isinstance(value, str):
                continue
            earlier = seen.setdefault(skeleton(value), (value, row))
            if earlier[0] != value:
                problems.append(
                    Problem(
                        file,
                        row,
                        name,
                        f"{shown(value)} looks the same as {shown(earlier[0])} in row {earlier[1]} "
                        "but is spelled differently (confusable characters, Unicode UTS #39); use one spelling",
                    )
                )
    return problems


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

    minimum, maximum = record.get("minimum"), record.get("maximum")
    if _is_number(minimum) and _is_number(maximum) and minimum > maximum:
        problems.append(
            Problem(
                file, row, "minimum", f"minimum {number_text(minimum)} is greater than maximum {number_text(maximum)}"
            )
        )
    if evidence in ("reported", "range", "unknown", "estimated"):
        need("quote", f"evidence '{evidence}' needs a verbatim quote from the source")
    if evidence in ("estimated", "derived"):
        need("note", f"evidence '{evidence}' needs the rule that produced the number in 'note'")
    if "value" in has:
        value = record.get("value")
        if evidence in ("reported", "estimated", "derived"):
            need("value", f"evidence '{evidence}' needs a value")
        if evidence == "unknown" and value is not None and value is not INVALID:
            problems.append(
                Problem(file, row, "value", "evidence 'unknown' means the source prints no number; leave value empty")
            )
        if evidence == "range":
            need("value_low", "evidence 'range' needs value_low")
            need("value_high", "evidence 'range' needs value_high")
            low, high = record.get("value_low"), record.get("value_high")
            if _is_number(low) and _is_number(high) and low > high:
                problems.append(
                    Problem(
                        file,
                        row,
                        "value_low",
                        f"value_low {number_text(low)} is greater than value_high {number_text(high)}",
                    )
                )
        scale = record.get("scale")
        if scale in scales:
            minimum, maximum = scales[scale]
            for column in ("value", "value_low", "value_high"):
                number = record.get(column)
                if not _is_number(number):
                    continue
                if minimum is not None and number < minimum:
                    problems.append(
                        Problem(
                            file,
                            row,
                            column,
                            f"{number_text(number)} is below the minimum {number_text(minimum)} of scale '{scale}'",
                        )
                    )
                if maximum is not None and number > maximum:
                    problems.append(
                        Problem(
                            file,
                            row,
                            column,
                            f"{number_text(number)} is above the maximum {number_text(maximum)} of scale '{scale}'",
                        )
                    )
    return problems


def validate_rows(
    path: Path,
    schema: Mapping[str, Any],
    *,
    bibliography_keys: set[str] | None = None,
    foreign_keys: Mapping[str, set[tuple]] | None = None,
    scales: Mapping[str, tuple] | None = None,
    key_columns: Iterable[str] = (),
) -> list[dict[str, Any]]:
    """Check one CSV file against ``schema``; return its typed records or raise DataValidationError.

    ``foreign_keys`` maps a referenced resource name to the set of key tuples it holds;
    ``bibliography_keys`` is the set of BibTeX keys that a ``bibliography`` field may use;
    ``scales`` maps a scale name to its (minimum, maximum) bounds, either of which may be None;
    ``key_columns`` names columns that other tables refer to, held to the key rules like the table's own keys.
    """
    file = relative(path)
    header, rows = read_rows(path)
    fields = _mark_key_fields(schema, set(key_columns))
    problems = _check_header(file, header, fields)
    if problems:
        raise DataValidationError(problems)
    if not rows:
        raise DataValidationError([Problem(file, None, None, "the table has a header but no rows")])
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
    problems.extend(confusable_key_problems(file, records, fields))
    if problems:
        raise DataValidationError(problems)
    return [record for _, record in records]


def _mark_key_fields(schema: Mapping[str, Any], referenced: set[str]) -> list[dict]:
    """The schema's fields, those in the primary key, a foreign key or ``referenced`` marked ``key``."""
    primary = schema.get("primaryKey") or []
    keyed = set([primary] if isinstance(primary, str) else primary) | referenced
    for foreign in schema.get("foreignKeys", []):
        keyed.update([foreign["fields"]] if isinstance(foreign["fields"], str) else foreign["fields"])
    return [{**f, "key": True} if f["name"] in keyed else f for f in schema["fields"]]


def _duplicates(file: str, records: list[tuple[int, dict]], columns: list[str], message: str) -> list[Problem]:
    seen: dict[tuple, int] = {}
    problems = []
    for row, record in records:
        key = tuple(record.get(c) for c in columns)
        if all(part is None for part in key):
            continue
        if key in seen:
            shown = ", ".join(f"{c}={record.get(c)!r}" for c in columns)
            problems.append(
                Problem(
                    file,
                    row,
                    columns[0] if len(columns) == 1 else "+".join(columns),
                    f"({shown}) {message} (row {seen[key]})",
                )
            )
        else:
            seen[key] = row
    return problems


def _foreign_key_problems(file: str, records, foreign: Mapping, known: Mapping[str, set[tuple]]) -> list[Problem]:
    fields = foreign["fields"]
    fields = [fields] if isinstance(fields, str) else list(fields)
    resource = foreign["reference"]["resource"]
    if resource not in known:
        return [
            Problem(file, None, None, f"foreign key refers to resource '{resource}', which is not in datapackage.json")
        ]
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
