"""Validate a CSV table against its Frictionless Table Schema, and the book's evidence rules.

The Table Schema checks (types, required, enum, minimum, maximum, pattern, unique, primary and
foreign keys, cells per row) are frictionless's; this module turns each frictionless error into one
message that names the file, the row and the column, and adds by hand only what Table Schema does
not say: the file's bytes (UTF-8, no BOM), the header as a set of names, the text of every cell
(control and invisible characters, NFC, Latin-only keys, look-alike keys), numbers written in ASCII
digits, and the data contract's cross-column rules (see ``data/README.md``).

frictionless takes about half a second to import, more than most chapters spend on their data, so
it runs only on a table version it has not passed before: each pass is remembered beside the build
(``_build/.validation_cache``), keyed on everything frictionless saw.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import numbers
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from .paths import REPO_ROOT, relative

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
#: The Table Schema types the loaders turn into Python values (frictionless knows more; the book uses these).
READ_TYPES = ("string", "number", "integer")
#: Stands in for a cell that could not be parsed, so later rules know it was not empty.
INVALID = object()
#: Table versions frictionless has passed, one empty file per digest (see ``_schema_problems``).
_DISK_CACHE = REPO_ROOT / "_build" / ".validation_cache"
#: Raise it when this module asks frictionless for different checks: every table is then checked again.
_CHECKS_VERSION = "review_evidence 1"


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
    if value.is_integer() and abs(value) < 1e16:  # pragma: no mutate (mutmut's 1e+16 is the same number)
        return str(int(value))
    return repr(value)


def _why_not_a_number(text: str) -> str:
    """What a reader should fix in a cell that looks like a number to Python but not to the contract."""
    if "_" in text:
        return " (write digits without '_' separators)"
    odd = next((c for c in text if c.isdigit() and not "0" <= c <= "9"), None)
    if odd is not None:
        return f" (use the ASCII digits 0-9, not {_character(odd)})"
    return ""


def _typed(field_type: str, text: str) -> tuple[Any, str | None]:
    """A cell's value and what the book forbids in it beyond Table Schema, or INVALID for frictionless to name.

    frictionless reads numbers with Python's ``Decimal`` and ``int``, which also take "1_0" as 10,
    "٥٠" (Arabic-Indic) as 50, fullwidth digits, "NaN" and "Infinity"; a reader of the CSV sees none
    of them as the number, so the book refuses them here.
    """
    if field_type == "string":
        return text, None
    why = _why_not_a_number(text)
    if why:
        return INVALID, f"{shown(text)} is not a valid {field_type}{why}"
    try:
        value = float(text) if field_type == "number" else int(text)
    except ValueError:
        return INVALID, None
    if not math.isfinite(value):
        return INVALID, f"{shown(text)} is not a valid number (the book writes finite numbers only)"
    return value, None


def _decoding_problem(file: str, data: bytes, error: UnicodeDecodeError) -> Problem:
    """Where a byte that is not UTF-8 sits: the CSV row and column, the line and the byte offset."""
    before = data[: error.start].decode("utf-8")  # pragma: no mutate (codec names ignore case)
    # only rows and cells are counted, so newline="" (csv's advice) and universal newlines agree
    rows = list(csv.reader(io.StringIO(before, newline="")))  # pragma: no mutate
    header = rows[0] if rows else []
    if not rows or before.endswith(("\n", "\r")):  # the byte starts a row
        row, cells = len(rows) + 1, 1
    else:  # csv gives a row that does not end in a line break at least one cell
        row, cells = len(rows), len(rows[-1])
    column = header[cells - 1] if row > 1 and cells <= len(header) else None
    line = before.count("\n") + 1
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
    """A cell's value and the book's own problems with its text (frictionless checks it against the schema)."""
    if text in missing:
        return None, []
    name = field["name"]
    hygiene = text_problems(file, row, name, text, key=is_key_field(field))
    if hygiene:
        return INVALID, hygiene
    if text != text.strip():
        return INVALID, [Problem(file, row, name, f"{shown(text)} has leading or trailing spaces")]
    value, why = _typed(field.get("type", "string"), text)
    return value, [Problem(file, row, name, why)] if why else []


# --- Text hygiene: what any cell, and a key above all, may contain (separate from the contract's
# cross-column rules and the Table Schema checks below, so each can move on its own).

#: Key columns take letters of the Latin script only (the book's declared script): a look-alike letter
#: from another script ("Relevаnce" with a Cyrillic а) would silently make a second, different key.
KEY_SCRIPT = "LATIN"


def _character(char: str) -> str:
    """U+200B ZERO WIDTH SPACE; control characters have no Unicode name, so only their code point."""
    name = unicodedata.name(char, "")  # pragma: no mutate (a default of None is as falsy as "")
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
    references: Mapping[str, tuple[Path, Mapping[str, Any]]] | None = None,
    scales: Mapping[str, tuple] | None = None,
    key_columns: Iterable[str] = (),
) -> list[dict[str, Any]]:
    """Check one CSV file against ``schema``; return its typed records or raise DataValidationError.

    ``references`` maps each resource a foreign key names to its CSV file and schema;
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
    references = references or {}
    absent = dict.fromkeys(f["reference"]["resource"] for f in schema.get("foreignKeys", []))
    absent = [name for name in absent if name not in references]
    if absent:
        raise DataValidationError(
            [
                Problem(file, None, None, f"foreign key refers to resource '{name}', which is not in datapackage.json")
                for name in absent
            ]
        )
    unread = [f["name"] for f in fields if f.get("type", "string") not in READ_TYPES]
    if unread:
        raise DataValidationError(
            [
                Problem(file, None, name, f"the schema's type is not one the book reads ({', '.join(READ_TYPES)})")
                for name in unread
            ]
        )
    missing = set(schema.get("missingValues", [""]))
    records = {}
    for offset, cells in enumerate(rows):
        row = offset + 2
        if len(cells) != len(fields):
            continue  # frictionless names the row's missing or extra cells
        record = {}
        for field, text in zip(fields, cells):
            value, cell_problems = _check_cell(file, row, field, text, missing)
            problems.extend(cell_problems)
            record[field["name"]] = value
            cites = bibliography_keys is not None and field.get("bibliography") and isinstance(value, str)
            if cites and value not in bibliography_keys:
                problems.append(Problem(file, row, field["name"], f"'{value}' is not a key in references.bib"))
        problems.extend(_evidence_rules(file, row, record, scales or {}))
        records[row] = record
    problems.extend(confusable_key_problems(file, list(records.items()), fields))
    tables = {
        name: (read_rows(csv_path), reference_schema) for name, (csv_path, reference_schema) in references.items()
    }
    problems = _merged(problems, _schema_problems(path, schema, header, rows, tables, records), header)
    if problems:
        raise DataValidationError(problems)
    return list(records.values())


def _mark_key_fields(schema: Mapping[str, Any], referenced: set[str]) -> list[dict]:
    """The schema's fields, those in the primary key, a foreign key or ``referenced`` marked ``key``."""
    primary = schema.get("primaryKey") or []
    keyed = set([primary] if isinstance(primary, str) else primary) | referenced
    for foreign in schema.get("foreignKeys", []):
        keyed.update([foreign["fields"]] if isinstance(foreign["fields"], str) else foreign["fields"])
    return [{**f, "key": True} if f["name"] in keyed else f for f in schema["fields"]]


# --- Table Schema, through frictionless: every error becomes a Problem naming the row and the column.

_CONSTRAINT = re.compile(r'constraint "(\w+)"')
_EARLIER_ROW = re.compile(r"row at position (\d+)")


def _schema_problems(
    path: Path,
    schema: Mapping[str, Any],
    header: list[str],
    rows: list[list[str]],
    references: Mapping[str, tuple[tuple[list[str], list[list[str]]], Mapping[str, Any]]],
    records: Mapping[int, dict],
) -> list[Problem]:
    """frictionless's verdict on the table as read (header and rows), foreign keys looked up in ``references``.

    The rows go in as read by ``read_rows``, so frictionless's row numbers are the book's (header = row 1)
    and it never guesses a dialect or an encoding.
    """
    digest = hashlib.sha256(
        json.dumps([_checks_version(), schema, header, rows, references], sort_keys=True).encode()
    ).hexdigest()
    marker = _DISK_CACHE / digest
    if marker.exists():
        return []
    from frictionless import FrictionlessException, Package, Resource, Schema

    file = relative(path)
    try:
        table = Resource(name="validated-table", data=[header, *rows], schema=Schema.from_descriptor(_copy(schema)))
        lookups = [
            # only the key values matter to a lookup; the referenced table's own keys were checked when it loaded
            Resource(name=name, data=[other_header, *other_rows], schema=Schema.from_descriptor(_lookup(other)))
            for name, ((other_header, other_rows), other) in references.items()
        ]
        Package(resources=[table, *lookups])
        report = table.validate()
    except FrictionlessException as exc:
        return [Problem(file, None, None, f"frictionless cannot check this table: {exc.error.message}")]
    fields = {f["name"]: f for f in schema["fields"]}
    errors = [*report.errors, *(error for task in report.tasks for error in task.errors)]
    problems = [_problem(file, error, fields, schema, records) for error in errors]
    if not problems and Path(path).resolve().is_relative_to(REPO_ROOT):  # a test's scratch file: not worth keeping
        try:  # a cache that cannot be written (read-only checkout) only costs time
            _DISK_CACHE.mkdir(parents=True, exist_ok=True)
            marker.touch()
        except OSError:
            pass
    return problems


@cache
def _checks_version() -> str:
    """Part of every digest: a new frictionless, or a change to what this module asks of it, re-checks every table."""
    return f"frictionless {version('frictionless')}, {_CHECKS_VERSION}"


def _copy(schema: Mapping[str, Any]) -> dict:
    return json.loads(json.dumps(schema))


def _lookup(schema: Mapping[str, Any]) -> dict:
    """A referenced table's schema as a lookup needs it: its field types, not its own foreign keys."""
    return {key: value for key, value in _copy(schema).items() if key not in ("foreignKeys", "primaryKey")}


def _problem(file: str, error: Any, fields: Mapping[str, dict], schema: Mapping[str, Any], records) -> Problem:
    """One frictionless error as the book words it (frictionless's own words for kinds the book never meets)."""
    # Every error a table can raise here is a row's or a cell's, so it has a row number; the default
    # only keeps a table-level error (none today) readable.
    row = getattr(error, "row_number", None)  # pragma: no mutate
    column = getattr(error, "field_name", None) or None  # a row's errors name no field
    earlier = _EARLIER_ROW.search(error.note)
    earlier = f" (row {earlier.group(1)})" if earlier else ""
    # A type or constraint error is a cell's: its field is in the schema, with a type and its constraints.
    if error.type == "type-error":
        return Problem(file, row, column, f"{shown(error.cell)} is not a valid {fields[column]['type']}")
    if error.type == "constraint-error":
        name = _CONSTRAINT.search(error.note)
        # frictionless always names the constraint; "" (or any other non-name) leads to its own words below
        name = name.group(1) if name else ""  # pragma: no mutate
        bound = fields[column]["constraints"].get(name)
        if name == "required":
            return Problem(file, row, column, "a value is required but the cell is empty")
        if name == "enum":
            return Problem(
                file, row, column, f"{shown(error.cell)} is not one of the allowed values: {', '.join(map(str, bound))}"
            )
        if name in ("minimum", "maximum"):
            side = "below" if name == "minimum" else "above"
            return Problem(file, row, column, f"{error.cell} is {side} the {name} {number_text(bound)}")
        if name == "pattern":
            return Problem(file, row, column, f"{shown(error.cell)} does not match the pattern {bound}")
    if error.type in ("missing-cell", "extra-cell"):
        return Problem(file, row, None, f"has {len(error.cells)} cells; the header has {len(fields)}")
    if error.type == "blank-row":
        return Problem(file, row, None, "every cell is empty; delete the row or fill it in")
    if error.type == "unique-error":
        value = records.get(row, {}).get(column, error.cell)
        return Problem(file, row, column, f"({column}={value!r}) must be unique{earlier}")
    if error.type == "primary-key":
        columns = schema["primaryKey"]
        columns = [columns] if isinstance(columns, str) else list(columns)
        record = records.get(row, {})
        key = ", ".join(f"{c}={record.get(c)!r}" for c in columns)
        where = "+".join(columns)
        if not earlier:
            return Problem(file, row, where, f"every column of the primary key is empty ({key})")
        return Problem(file, row, where, f"({key}) duplicates the primary key of an earlier row{earlier}")
    if error.type == "foreign-key":
        values = ", ".join(error.field_cells)
        return Problem(
            file,
            row,
            error.field_names[0],
            f"'{values}' is not in {error.reference_name} ({'/'.join(error.field_names)})",
        )
    return Problem(file, row, column, f"{error.title}: {error.note}")


def _merged(own: list[Problem], schema: list[Problem], header: list[str]) -> list[Problem]:
    """Both lists in row and column order, one message per cell and one per broken row.

    A row frictionless finds short, long or blank gets that one message; a cell the book already
    faults (its text, or a contract rule) keeps the book's more specific message.
    """
    broken_rows = {p.row for p in schema if p.row is not None and p.column is None}
    faulted = {(p.row, p.column) for p in own}
    problems = [p for p in own if p.row not in broken_rows]
    problems += [
        p for p in schema if (p.column is None or p.row not in broken_rows) and (p.row, p.column) not in faulted
    ]
    position = {name: number for number, name in enumerate(header)}

    def order(problem: Problem) -> tuple[int, int]:
        column = -1 if problem.column is None else position.get(problem.column.split("+")[0], len(position))
        return problem.row or 0, column

    return sorted(dict.fromkeys(problems), key=order)
