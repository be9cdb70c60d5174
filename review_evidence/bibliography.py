"""Read and check the shared bibliography, ``references.bib``.

The book cites every claim through this one file, so it is checked as strictly as the data:
parse errors, duplicate keys or DOIs, missing required fields, malformed DOIs and unknown
``reviewed_in`` keys are reported with the file, the line and the field.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import re
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import bibtexparser
import pandas as pd
from bibtexparser.middlewares import RemoveEnclosingMiddleware, ResolveStringReferencesMiddleware
from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names
from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock

from .paths import BIBLIOGRAPHY, REPO_ROOT, relative
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


#: BibTeX's predefined macros: the month abbreviations (``month = dec``), kept as written.
MONTH_MACROS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}
_BLOCK_HEAD = re.compile(r"@\s*(\w+)\s*[{(]\s*([^,\s{}()]*)")
#: Parsed once per version of a file, kept beside the build so that each notebook kernel reads the
#: result instead of parsing the whole bibliography again (the benchmark's 10x build found that
#: cost growing with notebooks x entries).
_DISK_CACHE = REPO_ROOT / "_build" / ".bibliography_cache"
_PARSER_VERSION = f"bibtexparser {bibtexparser.__version__}, review_evidence 3"


@contextmanager
def _quiet_parser():
    """bibtexparser logs each block it cannot parse; every such block is reported as a Problem instead."""
    logger = logging.getLogger("bibtexparser")
    previous = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(previous)


def _decode(file: str, data: bytes) -> tuple[str | None, list[Problem]]:
    try:
        return data.decode("utf-8"), []  # pragma: no mutate (codec names ignore case)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            Problem(
                file,
                line,
                None,
                f"byte {exc.start} (byte {column} of the line) is 0x{data[exc.start]:02x}, "
                f"which is not valid UTF-8; save the file as UTF-8",
                "line",
            )
        ]


def _block_key(raw: str) -> str:
    head = _BLOCK_HEAD.match(raw)  # bibtexparser's raw block starts at its '@', indented or not
    return head.group(2) if head and head.group(2) else "?"


def _raw_value_problem(where: str, name: str, raw: str, macros: set[str]) -> str | None:
    """A field value that is neither braced, quoted, a number, nor one macro BibTeX can expand here."""
    value = raw.strip()
    if value[:1] in '{"' or value.isdigit():
        return None
    if "#" in value:
        return f"{where}: field '{name}' joins values with '#' ({value}); write the value out in braces"
    if value.lower() in macros or value.lower() in MONTH_MACROS:
        return None
    return f"{where}: field '{name}' uses the macro '{value}', which no @string defines; write the value in braces"


def _parse_text(file: str, text: str) -> tuple[tuple[Entry, ...], tuple[Problem, ...]]:
    with _quiet_parser():
        library = bibtexparser.parse_string(text, parse_stack=[])
    problems = []
    for block in library.failed_blocks:
        line = block.start_line + 1
        key = _block_key(block.raw)  # the key as written, however the block failed
        if isinstance(block, DuplicateBlockKeyBlock):
            problems.append(
                Problem(
                    file,
                    line,
                    "key",
                    f"duplicate key '{block.key}' (first used on line {block.previous_block.start_line + 1})",
                    "line",
                )
            )
        elif isinstance(block, DuplicateFieldKeyBlock):
            names = ", ".join(sorted(block.duplicate_keys))
            problems.append(Problem(file, line, None, f"entry '{key}': the field {names!r} is given twice", "line"))
        else:
            # bibtexparser 2 fails a block only with a ParserStateException, which has both an abort_reason
            # and an end_index; the fallbacks keep a failure of another kind (none today) in its own words.
            reason = " ".join((getattr(block.error, "abort_reason", "") or str(block.error)).split())
            end = getattr(block.error, "end_index", None)
            stopped = f" (parsing stopped on line {text.count(chr(10), 0, end) + 1})" if isinstance(end, int) else ""
            problems.append(Problem(file, line, None, f"entry '{key}' could not be parsed: {reason}{stopped}", "line"))
    macros = {s.key.lower() for s in library.strings}
    for entry in library.entries:
        # bibtexparser compares field names as written; BibTeX (and pybtex, which the build uses) ignores case
        names = Counter(f.key.lower() for f in entry.fields)
        twice = ", ".join(sorted(name for name, count in names.items() if count > 1))
        if twice:
            problems.append(
                Problem(
                    file, entry.start_line + 1, None, f"entry '{entry.key}': the field {twice!r} is given twice", "line"
                )
            )
        for field_ in entry.fields:
            problem = _raw_value_problem(f"entry '{entry.key}'", field_.key.lower(), str(field_.value), macros)
            if problem:
                problems.append(Problem(file, field_.start_line + 1, field_.key.lower(), problem, "line"))
    # in place or on a copy, the entries are the same (in place saves a copy of the library)
    library = ResolveStringReferencesMiddleware(allow_inplace_modification=True).transform(library)  # pragma: no mutate
    library = RemoveEnclosingMiddleware(allow_inplace_modification=True).transform(library)  # pragma: no mutate
    entries = tuple(
        Entry(
            key=e.key,
            entry_type=e.entry_type.lower(),
            line=e.start_line + 1,
            fields={f.key.lower(): str(f.value).strip() for f in e.fields},
        )
        for e in library.entries
    )
    return entries, tuple(problems)


@lru_cache(maxsize=8)
def _parse_cached(path: str, mtime_ns: int, size: int) -> tuple[tuple[Entry, ...], tuple[Problem, ...]]:
    file = relative(Path(path))
    data = Path(path).read_bytes()
    if not Path(path).resolve().is_relative_to(REPO_ROOT):  # a test's scratch file: not worth keeping
        text, problems = _decode(file, data)
        return ((), tuple(problems)) if text is None else _parse_text(file, text)
    digest = hashlib.sha256(_PARSER_VERSION.encode() + b"\0" + file.encode() + b"\0" + data).hexdigest()
    cached = _DISK_CACHE / f"{digest}.pickle"
    try:
        return pickle.loads(cached.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        pass
    text, problems = _decode(file, data)
    result = ((), tuple(problems)) if text is None else _parse_text(file, text)
    try:  # a cache that cannot be written (read-only checkout) only costs time
        _DISK_CACHE.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(pickle.dumps(result))
        os.replace(partial, cached)
    except OSError:
        pass
    return result


def _parse(path: Path) -> tuple[list[Entry], list[Problem]]:
    """The file's entries and the problems that stop it from being read, parsed once per version of the file."""
    if not Path(path).exists():
        return [], [Problem(relative(path), None, None, "file not found")]
    stat = Path(path).stat()
    entries, problems = _parse_cached(str(Path(path).resolve()), stat.st_mtime_ns, stat.st_size)
    return list(entries), list(problems)


def _readable(path: Path) -> list[Entry]:
    """The entries, or DataValidationError naming each entry that could not be read.

    Every reader goes through here, so a broken entry is an error that names it, never a crash
    inside a chapter and never a paper silently missing from a count.
    """
    entries, problems = _parse(Path(path))
    if problems:
        raise DataValidationError(problems)
    return entries


def bibliography_problems(path: Path = BIBLIOGRAPHY) -> list[Problem]:
    """Every problem in the bibliography, each naming the file, the line and the field."""
    entries, problems = _parse(Path(path))
    if problems:  # the checks below would only echo an entry that could not be read
        return problems
    file = relative(Path(path))
    reviewed = {e.key for e in entries if e.get("role") == REVIEWED_ROLE}
    doi_first_seen: dict[str, str] = {}
    for entry in entries:
        where = f"entry '{entry.key}'"
        required = REQUIRED_FIELDS.get(entry.entry_type)
        if required is None:
            problems.append(
                Problem(
                    file,
                    entry.line,
                    "type",
                    f"{where}: entry type @{entry.entry_type} is not one the book uses ({', '.join(REQUIRED_FIELDS)})",
                    "line",
                )
            )
            required = ()
        for name in required:
            options = name.split("|")
            if not any(entry.get(o) for o in options):
                problems.append(
                    Problem(
                        file,
                        entry.line,
                        name,
                        f"{where}: @{entry.entry_type} needs '{name.replace('|', ' or ')}'",
                        "line",
                    )
                )
        year = entry.get("year")
        if year and not YEAR_PATTERN.match(year):
            problems.append(
                Problem(file, entry.line, "year", f"{where}: year {year!r} is neither four digits nor 'n.d.'", "line")
            )
        doi = entry.get("doi")
        if doi:
            if not DOI_PATTERN.match(doi):
                problems.append(
                    Problem(
                        file,
                        entry.line,
                        "doi",
                        f"{where}: DOI {doi!r} is not of the form 10.NNNN/suffix (no URL prefix)",
                        "line",
                    )
                )
            normalised = doi.lower()  # pragma: no mutate (upper() would fold case just the same)
            if normalised in doi_first_seen:
                problems.append(
                    Problem(
                        file,
                        entry.line,
                        "doi",
                        f"{where}: DOI {doi} is also used by '{doi_first_seen[normalised]}'",
                        "line",
                    )
                )
            else:
                doi_first_seen[normalised] = entry.key
        for citing in entry.reviewed_in:
            if citing not in reviewed:
                problems.append(
                    Problem(
                        file,
                        entry.line,
                        "reviewed_in",
                        f"{where}: '{citing}' is not one of the reviewed papers (role = {{reviewed}})",
                        "line",
                    )
                )
    return problems


def check_bibliography(path: Path = BIBLIOGRAPHY) -> list[Entry]:
    """The parsed entries, or DataValidationError listing every problem."""
    problems = bibliography_problems(path)
    if problems:
        raise DataValidationError(problems)
    return _parse(Path(path))[0]


def bibliography_keys(path: Path = BIBLIOGRAPHY) -> set[str]:
    """The set of keys in the bibliography (re-read whenever the file changes)."""
    if not Path(path).exists():
        return set()
    return {e.key for e in _readable(path)}


def load_bibliography(path: Path = BIBLIOGRAPHY) -> list[Entry]:
    """The entries in file order; DataValidationError if one cannot be read (see also ``check_bibliography``)."""
    return _readable(path)


def reviewed_papers(path: Path = BIBLIOGRAPHY) -> list[Entry]:
    """The entries marked ``role = {reviewed}``, in file order."""
    return [e for e in _readable(path) if e.get("role") == REVIEWED_ROLE]


@lru_cache(maxsize=8)
def _index(path: str, mtime_ns: int, size: int) -> dict[str, Entry]:
    return {e.key: e for e in _parse_cached(path, mtime_ns, size)[0]}


def _entry(path: Path, key: str) -> Entry:
    _readable(path)
    stat = Path(path).stat()
    entries = _index(str(Path(path).resolve()), stat.st_mtime_ns, stat.st_size)
    if key not in entries:
        raise KeyError(f"'{key}' is not a key in {relative(Path(path))}")
    return entries[key]


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
        raise ValueError(
            f"data/reference_lists.csv: column 'cited' names works that are not in {relative(Path(path))}: {missing}"
        )
    bibliography_step = "Entries in references.bib"
    steps = [
        ("Papers chosen for review (no database search, nothing screened out)", len(reviewed), bibliography_step),
        (
            "Items in their printed reference lists (transcribed, none excluded)",
            len(reference_lists),
            "Distinct works after merging duplicate items",
        ),
        ("Distinct works after merging duplicate items", len(per_work), bibliography_step),
        ("of which cited by two or more reviewed papers", sum(1 for c in per_work.values() if c > 1), "(annotation)"),
        ("Sources this book adds (industry facts, methods, stronger evidence)", len(added), bibliography_step),
        (bibliography_step, len(entries), ""),
    ]
    return pd.DataFrame(steps, columns=["step", "count", "flows_into"])


def _surname(name: str) -> str:
    """The "von Last" part of one BibTeX name ("De Keyser" of "De Keyser, A."), as bibtexparser splits it."""
    parts = parse_single_name_into_parts(name, strict=False)  # pragma: no mutate (None is as false as False)
    if not parts.first and not parts.von and len(parts.last) == 1 and parts.last[0].startswith("{"):
        braced = parts.last[0].strip("{}").strip()
        # A braced name without initials is a corporate author ({Starbucks Corporation}): kept whole.
        # One with initials is an author list the source printed garbled: its last printed surname.
        return braced.split()[-1] if "." in braced else braced
    return " ".join(parts.von + parts.last).replace("{", "").replace("}", "").strip()


def citation_label(key: str, path: Path = BIBLIOGRAPHY) -> str:
    """A short author-year label for charts and tooltips, e.g. 'Syamsir et al. (n.d.)'."""
    entry = _entry(path, key)
    authors = split_multiple_persons_names(entry.get("author"))
    others = bool(authors) and authors[-1].strip() == "others"  # BibTeX's way of printing "et al."
    if others:
        authors = authors[:-1]
    if not authors:
        name = entry.get("title").strip("{}")[:40]
    elif len(authors) > 2 or others:
        name = f"{_surname(authors[0])} et al."
    elif len(authors) == 1:
        name = _surname(authors[0])
    else:
        name = f"{_surname(authors[0])} & {_surname(authors[1])}"
    return f"{name} ({entry.get('year') or 'n.d.'})"
