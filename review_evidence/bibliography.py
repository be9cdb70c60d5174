"""Read and check the shared bibliography, ``references.bib``.

The book cites every claim through this one file, so it is checked as strictly as the data:
parse errors, duplicate keys or DOIs, missing required fields, malformed DOIs and unknown
``reviewed_in`` keys are reported with the file, the line and the field.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import bibtexparser
import pandas as pd
from bibtexparser.model import DuplicateBlockKeyBlock

from .paths import BIBLIOGRAPHY, relative
from .validation import DataValidationError, Problem

#: Fields an entry of each type must have; ``author|editor`` means either will do.
REQUIRED_FIELDS = {
    "article": ("author", "title", "journal", "year"),
    "book": ("author|editor", "title", "publisher", "year"),
    "inproceedings": ("author", "title", "booktitle", "year"),
    "incollection": ("author", "title", "booktitle", "year"),
    "techreport": ("author|institution", "title", "institution", "year"),
    "misc": ("title", "year"),
}
DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")
#: Four digits, optionally with "?" for a date the source gives only uncertainly (a cover sheet
#: contradicted by the text), or "n.d." for no date.
YEAR_PATTERN = re.compile(r"^(\d{4}\??|n\.d\.)$")
#: The reviewed papers carry ``role = {reviewed}``; ``reviewed_in`` may only name them.
REVIEWED_ROLE = "reviewed"


@dataclass(frozen=True)
class Entry:
    key: str
    entry_type: str
    line: int
    fields: dict[str, str] = field(default_factory=dict)

    def get(self, name: str, default: str = "") -> str:
        return self.fields.get(name, default)

    @property
    def reviewed_in(self) -> tuple[str, ...]:
        return tuple(k.strip() for k in self.get("reviewed_in").split(",") if k.strip())


def _parse(path: Path) -> tuple[list[Entry], list[Problem]]:
    """The file's entries and parse problems, parsed once per version of the file.

    The full parse serves the checks and the whole-bibliography views; it is cached on the file's
    identity, size and modification time. Labels, keys and the reviewed papers, which every notebook
    needs, come from the cheaper per-entry helpers below.
    """
    if not Path(path).exists():
        return [], [Problem(relative(path), None, None, "file not found")]
    stat = Path(path).stat()
    entries, problems = _parse_cached(str(Path(path).resolve()), stat.st_mtime_ns, stat.st_size)
    return list(entries), list(problems)


@lru_cache(maxsize=8)
def _parse_cached(path: str, mtime_ns: int, size: int) -> tuple[tuple[Entry, ...], tuple[Problem, ...]]:
    file = relative(Path(path))
    library = bibtexparser.parse_file(str(path))
    problems = []
    for block in library.failed_blocks:
        line = block.start_line + 1
        if isinstance(block, DuplicateBlockKeyBlock):
            problems.append(Problem(file, line, "key", f"duplicate key '{block.key}'", "line"))
        else:
            problems.append(Problem(file, line, None, f"could not parse this block ({type(block).__name__})", "line"))
    entries = [
        Entry(
            key=e.key,
            entry_type=e.entry_type.lower(),
            line=e.start_line + 1,
            fields={f.key.lower(): str(f.value).strip() for f in e.fields},
        )
        for e in library.entries
    ]
    return tuple(entries), tuple(problems)


def bibliography_problems(path: Path = BIBLIOGRAPHY) -> list[Problem]:
    """Every problem in the bibliography, each naming the file, the line and the field."""
    entries, problems = _parse(Path(path))
    file = relative(Path(path))
    reviewed = {e.key for e in entries if e.get("role") == REVIEWED_ROLE}
    doi_first_seen: dict[str, str] = {}
    for entry in entries:
        where = f"entry '{entry.key}'"
        required = REQUIRED_FIELDS.get(entry.entry_type)
        if required is None:
            problems.append(Problem(file, entry.line, "type", f"{where}: entry type @{entry.entry_type} is not one the book uses ({', '.join(REQUIRED_FIELDS)})", "line"))
            required = ()
        for name in required:
            options = name.split("|")
            if not any(entry.get(o) for o in options):
                problems.append(Problem(file, entry.line, name, f"{where}: @{entry.entry_type} needs '{name.replace('|', ' or ')}'", "line"))
        year = entry.get("year")
        if year and not YEAR_PATTERN.match(year):
            problems.append(Problem(file, entry.line, "year", f"{where}: year {year!r} is neither four digits nor 'n.d.'", "line"))
        doi = entry.get("doi")
        if doi:
            if not DOI_PATTERN.match(doi):
                problems.append(Problem(file, entry.line, "doi", f"{where}: DOI {doi!r} is not of the form 10.NNNN/suffix (no URL prefix)", "line"))
            normalised = doi.lower()
            if normalised in doi_first_seen:
                problems.append(Problem(file, entry.line, "doi", f"{where}: DOI {doi} is also used by '{doi_first_seen[normalised]}'", "line"))
            else:
                doi_first_seen[normalised] = entry.key
        for citing in entry.reviewed_in:
            if citing not in reviewed:
                problems.append(Problem(file, entry.line, "reviewed_in", f"{where}: '{citing}' is not one of the reviewed papers (role = {{reviewed}})", "line"))
    return problems


def check_bibliography(path: Path = BIBLIOGRAPHY) -> list[Entry]:
    """The parsed entries, or DataValidationError listing every problem."""
    problems = bibliography_problems(path)
    if problems:
        raise DataValidationError(problems)
    return _parse(Path(path))[0]


# Every notebook validates its tables' citation keys and labels a few rows, each in its own kernel.
# A full bibtexparser parse costs ~0.3 s per kernel at 10x the corpus, so the whole book's cost grew
# with notebooks x entries (found by the benchmark's 10x build). These helpers find the entries with
# one regex pass and parse only the entries a notebook asks for. ``check_bibliography`` and the
# bibliography tests still parse everything, and a test checks both readings agree on the keys.
_BLOCK_START = re.compile(r"^@", re.MULTILINE)
_ENTRY_HEAD = re.compile(r"@(\w+)\s*\{\s*([^,\s]+)\s*,")
_NOT_ENTRIES = {"comment", "string", "preamble"}
_REVIEWED_FIELD = re.compile(r"^\s*role\s*=\s*[{\"]\s*" + REVIEWED_ROLE + r"\s*[}\"]", re.MULTILINE | re.IGNORECASE)


def _file_version(path: Path) -> tuple[str, int, int]:
    stat = Path(path).stat()
    return str(Path(path).resolve()), stat.st_mtime_ns, stat.st_size


@lru_cache(maxsize=8)
def _entry_texts(path: str, mtime_ns: int, size: int) -> dict[str, tuple[int, str]]:
    """Each entry's key -> (first line, its text), in file order, without parsing the fields."""
    text = Path(path).read_text(encoding="utf-8")
    starts = [m.start() for m in _BLOCK_START.finditer(text)] + [len(text)]
    blocks: dict[str, tuple[int, str]] = {}
    line = text.count("\n", 0, starts[0]) + 1
    for start, end in zip(starts, starts[1:]):
        head = _ENTRY_HEAD.match(text, start)
        if head and head.group(1).lower() not in _NOT_ENTRIES:
            blocks.setdefault(head.group(2), (line, text[start:end]))
        line += text.count("\n", start, end)
    return blocks


@lru_cache(maxsize=4096)
def _entry(path: str, mtime_ns: int, size: int, key: str) -> Entry:
    line, text = _entry_texts(path, mtime_ns, size)[key]
    parsed = bibtexparser.parse_string(text).entries[0]
    return Entry(key=parsed.key, entry_type=parsed.entry_type.lower(), line=line,
                 fields={f.key.lower(): str(f.value).strip() for f in parsed.fields})


def bibliography_keys(path: Path = BIBLIOGRAPHY) -> set[str]:
    """The set of keys in the bibliography (re-read whenever the file changes)."""
    if not Path(path).exists():
        return set()
    return set(_entry_texts(*_file_version(path)))


def load_bibliography(path: Path = BIBLIOGRAPHY) -> list[Entry]:
    """The entries in file order, without checking them (see ``check_bibliography``)."""
    return _parse(Path(path))[0]


def reviewed_papers(path: Path = BIBLIOGRAPHY) -> list[Entry]:
    """The entries marked ``role = {reviewed}``, in file order."""
    version = _file_version(path)
    candidates = [key for key, (_, text) in _entry_texts(*version).items() if _REVIEWED_FIELD.search(text)]
    return [e for e in (_entry(*version, key) for key in candidates) if e.get("role") == REVIEWED_ROLE]


def citation_overlap(path: Path = BIBLIOGRAPHY) -> pd.DataFrame:
    """Works cited by more than one reviewed paper: key, title and the citing papers."""
    rows = [
        {"key": e.key, "title": e.get("title").replace("{", "").replace("}", ""), "cited_by": ", ".join(e.reviewed_in)}
        for e in load_bibliography(path)
        if len(e.reviewed_in) > 1
    ]
    return pd.DataFrame(rows, columns=["key", "title", "cited_by"]).sort_values("key", ignore_index=True)


def source_flow(reference_lists: pd.DataFrame, path: Path = BIBLIOGRAPHY) -> pd.DataFrame:
    """The flow of sources into this review, as it really happened, every count computed from the data.

    No database was searched and nothing was screened out, so the flow is not a PRISMA screening
    funnel: the five papers were chosen, their reference lists were transcribed item by item,
    duplicates were merged into distinct works, and the bibliography holds the papers, every distinct
    work and the sources this book adds. ``flows_into`` names the box each box feeds (empty for the
    bibliography); a box with ``flows_into`` = "(annotation)" is a fact about the box above it, not a step.

    ``reference_lists`` is the ``reference_lists`` table: one row per item of a reviewed paper's
    printed reference list (citing, position, cited).
    """
    entries = load_bibliography(path)
    reviewed = [e.key for e in entries if e.get("role") == REVIEWED_ROLE]
    per_work = Counter(reference_lists.drop_duplicates(["citing", "cited"])["cited"])
    cited_keys = set(per_work)
    added = [e.key for e in entries if e.key not in cited_keys and e.key not in reviewed]
    missing = sorted(cited_keys - {e.key for e in entries})
    if missing:
        raise ValueError(f"data/reference_lists.csv: column 'cited' names works that are not in "
                         f"{relative(Path(path))}: {missing}")
    bibliography_step = "Entries in references.bib"
    steps = [
        ("Papers chosen for review (no database search, nothing screened out)", len(reviewed), bibliography_step),
        ("Items in their printed reference lists (transcribed, none excluded)", len(reference_lists),
         "Distinct works after merging duplicate items"),
        ("Distinct works after merging duplicate items", len(per_work), bibliography_step),
        ("of which cited by two or more reviewed papers", sum(1 for c in per_work.values() if c > 1), "(annotation)"),
        ("Sources this book adds (industry facts, methods, stronger evidence)", len(added), bibliography_step),
        (bibliography_step, len(entries), ""),
    ]
    return pd.DataFrame(steps, columns=["step", "count", "flows_into"])


def _surname(author_field: str) -> str:
    first = author_field.split(" and ")[0].strip()
    if first.startswith("{") and first.endswith("}") and "." not in first:
        # A braced name without initials is a corporate author ({Starbucks Corporation}): keep it whole.
        # Braced names with initials are author lists the source printed garbled, kept as printed.
        return first.strip("{}").strip()
    first = first.strip("{}")
    surname = first.split(",")[0] if "," in first else first.split()[-1]
    return surname.replace("{", "").replace("}", "").strip()


def citation_label(key: str, path: Path = BIBLIOGRAPHY) -> str:
    """A short author-year label for charts and tooltips, e.g. 'Syamsir et al. (n.d.)'."""
    version = _file_version(path)
    if key not in _entry_texts(*version):
        raise KeyError(f"'{key}' is not a key in {relative(Path(path))}")
    entry = _entry(*version, key)
    authors = [a for a in entry.get("author").split(" and ") if a.strip()]
    if authors and authors[-1].strip() == "others":  # BibTeX's way of printing "et al."
        authors = authors[:-1] + ["", ""]
    if not authors:
        name = entry.get("title").strip("{}")[:40]
    elif len(authors) == 1:
        name = _surname(authors[0])
    elif len(authors) == 2:
        name = f"{_surname(authors[0])} & {_surname(authors[1])}"
    else:
        name = f"{_surname(authors[0])} et al."
    return f"{name} ({entry.get('year') or 'n.d.'})"
