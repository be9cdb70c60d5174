"""Tables as a reader sees them: one formatting function for every table the book shows.

``reader_table(frame)`` turns a data frame into a table for reading, not for debugging: no index
column, "—" (or a chosen phrase such as "not printed") where a value is missing, every cell whole,
no raw TeX or escaped dollars from the papers' text, bibliography keys shown as author-year labels,
and numbers right-aligned with the same number of decimals down a column. It draws with pandas'
``Styler`` and escapes every cell, so text from the data never becomes markup.

The result shows as HTML in the book and as plain text in the notebook's ``text/plain`` output, so
nbval compares the formatted values, and both renderings are the same from one run to the next.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping

import pandas as pd
from pandas.io.formats.style import Styler

from .bibliography import bibliography_keys, citation_label

#: Shown where a value is missing, unless the caller names a phrase for the column.
MISSING = "—"
#: Most decimals a number is shown with; more would only show floating-point noise.
MAX_DECIMALS = 4
#: A text column whose cells are all this short is a label column, kept on one line.
SHORT_TEXT = 20
#: A text column whose cells average this long holds sentences, and is given room to run.
LONG_TEXT = 50
#: TeX commands the papers' formulas use, as the characters a reader expects.
TEX_SYMBOLS = {
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "chi": "χ",
    "mu": "μ",
    "sigma": "σ",
    "rho": "ρ",
    "eta": "η",
    "times": "×",
    "cdot": "·",
    "pm": "±",
    "leq": "≤",
    "le": "≤",
    "geq": "≥",
    "ge": "≥",
    "approx": "≈",
    "neq": "≠",
    "ne": "≠",
    "infty": "∞",
    "%": "%",
    "$": "$",
    "&": "&",
    "_": "_",
}
# An inline formula: a dollar, no space after it, a short run holding a sign of mathematics, no space
# before the closing dollar. A price such as "$178" or a lone "$ sign" in a note is not one.
_FORMULA = re.compile(r"(?<!\\)\$(?=\S)([^$\n]{1,60}?[=<>\\^_][^$\n]{0,60}?)(?<=\S)(?<!\\)\$")
_COMMAND = re.compile(r"\\([A-Za-z]+|[%$&_])")
_NUMBER_LIKE = re.compile(r"^[−+-]?\d[\d,]*(\.\d+)?%?([–-][−+-]?\d[\d,]*(\.\d+)?%?)?$|^[−+-]?\.\d+$")
#: A number, or a range of two, written as text (as tables of printed values hold them): "9", "6–7", "95.79".
_PLAIN_NUMBERS = re.compile(r"^(-?\d+(?:\.\d+)?)(?:–(-?\d+(?:\.\d+)?))?$")
#: Words a column of numbers may hold in place of a number; they do not stop it being right-aligned.
NOT_A_NUMBER = {"not printed", "not stated", "not dated", "unknown", MISSING}
_SEPARATOR = re.compile(r"\s*[,;]\s*")


def plain_text(text: str) -> str:
    """``text`` with its TeX written out: ``$r = .16$`` → ``r = .16``, ``\\$43.20`` → ``$43.20``."""

    def formula(match: re.Match) -> str:
        inner = _COMMAND.sub(lambda m: TEX_SYMBOLS.get(m.group(1), m.group(1)), match.group(1))
        return inner.replace("{", "").replace("}", "")

    text = _FORMULA.sub(formula, text)
    return _COMMAND.sub(lambda m: TEX_SYMBOLS.get(m.group(1), m.group(0)), text)


def _decimals(value: float) -> int:
    shown = f"{value:.{MAX_DECIMALS}f}".rstrip("0")
    return len(shown.split(".")[1]) if "." in shown else 0


def _number(value: float, decimals: int) -> str:
    shown = f"{value:.{decimals}f}"  # no thousands separator: years (1980) and the papers' figures print without
    if float(value) == 0:  # no "−0.00" when rounding ate a tiny negative value
        shown = shown.lstrip("-")
    return shown.replace("-", "−")


def _is_missing(value) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or array in a cell is a value, not a missing one
        return False


def _citations(value, keys: set[str]) -> list[str] | None:
    """The bibliography keys ``value`` consists of (one, or a list separated by commas), else None."""
    if not isinstance(value, str):
        return None
    parts = _SEPARATOR.split(value.strip())
    return parts if all(part in keys for part in parts) else None


def _citation_column(values: pd.Series, keys: set[str]) -> bool:
    """True when most values are bibliography keys (a total row, "all", may hold a word instead)."""
    present = [v for v in values if not _is_missing(v)]
    return bool(present) and sum(_citations(v, keys) is not None for v in present) > len(present) / 2


def _same_decimals(shown: list[str]) -> list[str]:
    """Numbers written as text, given the same number of decimals (a range's two ends included)."""
    parsed = [_PLAIN_NUMBERS.match(s) for s in shown]
    numbers = [float(g) for m in parsed if m for g in m.groups() if g is not None]
    if not numbers:
        return shown
    decimals = max(_decimals(n) for n in numbers)
    return [
        s if not m else "–".join(_number(float(g), decimals) for g in m.groups() if g is not None)
        for s, m in zip(shown, parsed)
    ]


def _column_text(values: pd.Series, missing: str, keys: set[str]) -> tuple[list[str], bool]:
    """The column as the strings a reader sees, and whether it holds numbers (to right-align it)."""
    if pd.api.types.is_bool_dtype(values):
        return [missing if _is_missing(v) else ("yes" if v else "no") for v in values], False
    if pd.api.types.is_numeric_dtype(values):
        finite = [float(v) for v in values if not _is_missing(v) and math.isfinite(float(v))]
        whole = pd.api.types.is_integer_dtype(values)
        decimals = 0 if whole or not finite else max(_decimals(v) for v in finite)
        return [missing if _is_missing(v) else _number(float(v), decimals) for v in values], True
    if _citation_column(values, keys):
        return [
            missing
            if _is_missing(v)
            else str(v)
            if _citations(v, keys) is None
            else ", ".join(citation_label(k) for k in _citations(v, keys))
            for v in values
        ], False
    shown = [missing if _is_missing(v) else plain_text(str(v)) for v in values]
    present = [s for s, v in zip(shown, values) if not _is_missing(v) and s not in NOT_A_NUMBER]
    numeric = bool(present) and all(_NUMBER_LIKE.match(s.replace(" ", "")) for s in present)
    if numeric:
        shown = _same_decimals(shown)
    return shown, numeric


def _header(name) -> str:
    return plain_text(str(name).replace("_", " ")) if isinstance(name, str) else str(name)


def _without_index(frame: pd.DataFrame) -> pd.DataFrame:
    """The index as ordinary columns when it means something (a name, labels); dropped when it is a row count."""
    index = frame.index
    if isinstance(index, pd.MultiIndex) or index.name is not None or not pd.api.types.is_integer_dtype(index):
        # Row labels without a name (a correlation matrix's variables) get an empty heading, not "index".
        return frame.rename_axis(index=[n if n is not None else "" for n in index.names]).reset_index()
    return frame.reset_index(drop=True)


class ReaderTable:
    """A table formatted for reading: HTML through pandas' ``Styler``, and the same cells as plain text."""

    def __init__(self, shown: pd.DataFrame, numeric: list[str], caption: str | None):
        self.shown = shown
        self.numeric = numeric
        self.caption = caption

    def __len__(self) -> int:
        return len(self.shown)

    @property
    def styler(self) -> Styler:
        # A table's id comes from its content, so the HTML is the same on every run (nbval compares it).
        uuid = "reader-" + hashlib.sha1(self.shown.to_csv(index=False).encode()).hexdigest()[:12]
        styles = []
        for position, name in enumerate(self.shown.columns):
            lengths = [len(value) for value in self.shown[name]]
            cells = f"td.col{position}"
            if name in self.numeric:
                styles.append(
                    {
                        "selector": f"th.col_heading.col{position}, {cells}",
                        "props": "text-align: right; font-variant-numeric: tabular-nums;",
                    }
                )
                styles.append({"selector": cells, "props": "white-space: nowrap;"})
            elif lengths and max(lengths) <= SHORT_TEXT:
                styles.append({"selector": cells, "props": "white-space: nowrap;"})  # a label, kept on one line
            elif lengths and sum(lengths) / len(lengths) >= LONG_TEXT:
                # Sentences get room to run; the table then scrolls in its own box rather than growing tall.
                styles.append({"selector": cells, "props": "min-width: 18em;"})
        # No id on every cell: the table's CSS needs only column classes, and the page stays light.
        styler = (
            Styler(self.shown, uuid=uuid, cell_ids=False)
            .hide(axis="index")
            .format(escape="html")
            .set_table_styles(styles)
            .set_table_attributes('class="dataframe reader-table"')
        )
        if self.caption:
            styler = styler.set_caption(self.caption)
        return styler

    def to_html(self) -> str:
        return self.styler.to_html()

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        text = self.shown.to_string(index=False, max_colwidth=None, justify="left")
        return f"{self.caption}\n{text}" if self.caption else text


def reader_table(
    frame: pd.DataFrame,
    *,
    missing: str | Mapping[str, str] = MISSING,
    columns: Mapping[str, str] | None = None,
    caption: str | None = None,
) -> ReaderTable:
    """``frame`` as a table for readers (see the module docstring for what changes).

    ``missing`` is what an empty cell shows: one phrase for every column, or a phrase per column
    (others show "—"). ``columns`` renames columns for the reader, e.g. ``{"segment_number": "no."}``;
    other names have their underscores replaced by spaces. ``caption`` is printed above the table.
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"reader_table needs a pandas DataFrame, not {type(frame).__name__}")
    columns = dict(columns or {})
    unknown = [
        c
        for c in [*columns, *(missing if isinstance(missing, Mapping) else {})]
        if c not in frame.columns and c not in (frame.index.names or [])
    ]
    if unknown:
        raise KeyError(
            f"reader_table: no column named {', '.join(map(repr, unknown))} "
            f"(columns: {', '.join(map(str, frame.columns))})"
        )
    data = _without_index(frame)
    keys = bibliography_keys()
    shown, numeric = {}, []
    for position, name in enumerate(data.columns):
        phrase = missing.get(name, MISSING) if isinstance(missing, Mapping) else missing
        values, is_number = _column_text(data.iloc[:, position], phrase, keys)
        header = columns.get(name) or _header(name)
        if header in shown:
            raise ValueError(f"reader_table: two columns would both be shown as '{header}'")
        shown[header] = values
        if is_number:
            numeric.append(header)
    return ReaderTable(pd.DataFrame(shown, columns=list(shown), dtype=object), numeric, caption)
