"""Load the book's data tables, validated against ``data/datapackage.json`` on every read."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from .bibliography import bibliography_keys
from .paths import BIBLIOGRAPHY, DATAPACKAGE, relative
from .validation import DataValidationError, Problem, validate_rows

_DTYPES = {"number": "float64", "integer": "Int64"}
#: When not None, every table name passed to load_table is added here (see ``record_reads``).
_reads: set[str] | None = None


@contextmanager
def record_reads() -> Iterator[set[str]]:
    """Collect the names of the tables loaded inside the block, directly or by package functions.

    The build's execution cache keys each notebook on the tables it declares; the tests use this
    to prove that every notebook declares every table it actually reads.
    """
    global _reads
    previous, _reads = _reads, set()
    try:
        yield _reads
    finally:
        if previous is not None:
            previous.update(_reads)
        _reads = previous


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataValidationError([Problem(relative(path), None, None, "file not found")]) from None
    except json.JSONDecodeError as exc:
        raise DataValidationError([Problem(relative(path), exc.lineno, None, f"not valid JSON ({exc.msg})")]) from None


def _descriptor_problems(package_path: Path, package: dict) -> list[Problem]:
    """Resources that name no table, no CSV or no schema (a missing CSV is reported when it is read)."""
    file = relative(package_path)
    problems = []
    for number, resource in enumerate(package.get("resources", []), start=1):
        name = resource.get("name")
        where = f"resource '{name}'" if name else f"resource {number}"
        if not name:
            problems.append(Problem(file, None, None, f"{where} has no 'name'"))
        if not resource.get("path"):
            problems.append(Problem(file, None, None, f"{where} has no 'path' (the CSV file it describes)"))
        if not resource.get("schema"):
            problems.append(Problem(file, None, None, f"{where} has no 'schema' (a Table Schema, or the path to one)"))
    return problems


def read_package(package_path: Path = DATAPACKAGE) -> dict:
    """The data package descriptor, with every resource's schema loaded in place."""
    package = _read_json(package_path)
    problems = _descriptor_problems(package_path, package)
    if problems:
        raise DataValidationError(problems)
    for resource in package.get("resources", []):
        if isinstance(resource.get("schema"), str):
            resource["schema"] = _read_json(package_path.parent / resource["schema"])
    return package


def table_names(package_path: Path = DATAPACKAGE) -> list[str]:
    """The names of every table the data package declares."""
    return [r["name"] for r in read_package(package_path)["resources"]]


def _resource(package: dict, name: str, package_path: Path) -> dict:
    for resource in package.get("resources", []):
        if resource["name"] == name:
            return resource
    known = ", ".join(sorted(r["name"] for r in package.get("resources", [])))
    raise DataValidationError(
        [Problem(relative(package_path), None, None, f"no table named '{name}' (known: {known})")]
    )


def _records(package: dict, name: str, package_path: Path, seen: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    if name in seen:
        raise DataValidationError(
            [Problem(relative(package_path), None, None, f"foreign keys form a cycle through '{name}'")]
        )
    resource = _resource(package, name, package_path)
    schema = resource["schema"]
    references = {}  # each table a foreign key names, checked first so that its own problems are named first
    for other in {f["reference"]["resource"] for f in schema.get("foreignKeys", [])} - {name}:
        target = next((r for r in package["resources"] if r["name"] == other), None)
        if target is not None:
            _records(package, other, package_path, seen + (name,))
            references[other] = (package_path.parent / target["path"], target["schema"])
    scales = {}
    if any(f["name"] == "scale" for f in schema["fields"]) and name != "scales":
        scales = {
            r["scale"]: (r["minimum"], r["maximum"]) for r in _records(package, "scales", package_path, seen + (name,))
        }
    uses_bibliography = any(f.get("bibliography") for f in schema["fields"])
    referenced = {  # columns that other tables' foreign keys point at are keys too
        column
        for other in package["resources"]
        for foreign in other["schema"].get("foreignKeys", [])
        if foreign["reference"]["resource"] == name
        for column in (
            [foreign["reference"]["fields"]]
            if isinstance(foreign["reference"]["fields"], str)
            else foreign["reference"]["fields"]
        )
    }
    if not (package_path.parent / resource["path"]).is_file():
        raise DataValidationError(
            [
                Problem(
                    relative(package_path),
                    None,
                    None,
                    f"resource '{name}': its path '{resource['path']}' is not a file",
                )
            ]
        )
    return validate_rows(
        package_path.parent / resource["path"],
        schema,
        key_columns=referenced,
        bibliography_keys=bibliography_keys() if uses_bibliography else None,
        references=references,
        scales=scales,
    )


def check_tables(package_path: Path = DATAPACKAGE) -> None:
    """Validate every table, raising DataValidationError at the first that breaks the contract.

    The build calls it before any notebook runs: a broken table stops the build with its message, and
    frictionless's verdict on each table version is then remembered for every notebook kernel.
    """
    package_path = Path(package_path)
    package = read_package(package_path)
    for resource in package["resources"]:
        _records(package, resource["name"], package_path)


def load_table(name: str, package_path: Path = DATAPACKAGE) -> pd.DataFrame:
    """Read table ``name``, check it against its schema and return it with typed columns.

    Raises DataValidationError, listing every problem by file, row and column, if the table breaks
    its schema, the data contract, a foreign key, or cites a key missing from ``references.bib``.
    """
    package_path = Path(package_path)
    if _reads is not None:
        _reads.add(name)
    package = read_package(package_path)
    records = _records(package, name, package_path)
    fields = _resource(package, name, package_path)["schema"]["fields"]
    columns = [f["name"] for f in fields]
    frame = pd.DataFrame.from_records(records, columns=columns)
    for field in fields:
        dtype = _DTYPES.get(field.get("type", "string"))
        if dtype:
            frame[field["name"]] = frame[field["name"]].astype(dtype)
    return frame


def load_printed_table(name: str, package_path: Path = DATAPACKAGE) -> pd.DataFrame:
    """Table ``name`` checked as ``load_table`` checks it, but with every cell as the text the CSV holds.

    An audit of printed numbers needs the printed text: a float keeps no trailing zeros, so "51.00"
    (51 to the cent, ± 0.005) would read as 51 (± 0.5). Empty cells are empty strings.
    """
    package_path = Path(package_path)
    load_table(name, package_path)  # raises DataValidationError if the table breaks its schema
    resource = _resource(read_package(package_path), name, package_path)
    return pd.read_csv(package_path.parent / resource["path"], dtype=str, keep_default_na=False)


def evidence_summary(package_path: Path = DATAPACKAGE) -> pd.DataFrame:
    """How many rows of each evidence level every table holds (tables without the column are skipped)."""
    counts = []
    for name in table_names(package_path):
        table = load_table(name, package_path)
        for column in ("evidence", "severity_evidence", "dating_evidence"):
            if column in table.columns:
                for level, count in table[column].value_counts().items():
                    counts.append({"table": name, "column": column, "evidence": level, "rows": int(count)})
    summary = pd.DataFrame(counts, columns=["table", "column", "evidence", "rows"])
    wide = (
        summary.pivot_table(index="evidence", values="rows", aggfunc="sum")
        .reindex(["reported", "range", "estimated", "derived", "unknown"])
        .fillna(0)
        .astype(int)
    )
    return wide.reset_index()


def table_files(names: list[str], package_path: Path = DATAPACKAGE) -> list[Path]:
    """Every file whose content can change what ``load_table`` returns for these tables.

    That is each table's CSV and schema, the tables its foreign keys and scale bounds read (and
    theirs), the package descriptor, and the bibliography when a column holds BibTeX keys.
    """
    package_path = Path(package_path)
    raw = _read_json(package_path)
    by_name = {r["name"]: r for r in raw.get("resources", [])}
    schemas = {r["name"]: r["schema"] for r in read_package(package_path)["resources"]}
    files, pending, seen = {package_path}, list(names), set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        if name not in by_name:
            raise DataValidationError([Problem(relative(package_path), None, None, f"no table named '{name}'")])
        resource = by_name[name]
        files.add(package_path.parent / resource["path"])
        if isinstance(resource.get("schema"), str):
            files.add(package_path.parent / resource["schema"])
        schema = schemas[name]
        pending.extend(f["reference"]["resource"] for f in schema.get("foreignKeys", []))
        if any(f["name"] == "scale" for f in schema["fields"]) and "scales" in by_name:
            pending.append("scales")
        if any(f.get("bibliography") for f in schema["fields"]):
            files.add(BIBLIOGRAPHY)
    return sorted(files)
