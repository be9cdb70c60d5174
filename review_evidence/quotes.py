"""Check that quotes are verbatim in the seed texts and that a quote states the number it backs."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .paths import seeds_dir


def normalise_whitespace(text: str) -> str:
    """Collapse every run of whitespace (tabs, newlines, spaces) to one space."""
    return " ".join(text.split())


@lru_cache(maxsize=16)
def _seed_text(path: str) -> str:
    return normalise_whitespace(Path(path).read_text(encoding="utf-8"))


def seed_files(studies: pd.DataFrame, folder: Path | None = None) -> dict[str, Path]:
    """Map each reviewed paper's BibTeX key to its seed text file, from the ``studies`` table."""
    folder = folder or seeds_dir()
    return {row.source: folder / row.seed_file for row in studies.itertuples()}


def quote_in_seed(quote: str, seed: Path) -> bool:
    """Whether ``quote`` occurs in the seed text, ignoring differences in whitespace only."""
    return normalise_whitespace(quote) in _seed_text(str(seed))


def number_spellings(value: float) -> list[str]:
    """The ways a paper may print ``value``: 9, 9.0, 0.72, .72, 57.7, 1,094.85, -0.33, −.33 ..."""
    # every number of decimals (up to four) that prints the value exactly, trailing zeros included
    spellings = {text for decimals in range(5) if float(text := f"{abs(value):.{decimals}f}") == abs(value)}
    for text in list(spellings):
        if text.startswith("0."):
            spellings.add(text[1:])
        whole, _, fraction = text.partition(".")
        # thousands grouped with commas (a no-op below 1,000)
        spellings.add(f"{int(whole):,}" + (f".{fraction}" if fraction else ""))
    if value < 0:
        spellings = {f"{sign}{s}" for s in spellings for sign in ("-", "−", "–")}
    return sorted(spellings, key=len, reverse=True)


def quote_states_number(quote: str, value: float) -> bool:
    """Whether ``quote`` prints ``value`` as a whole number token (so 9 does not match 19 or 9.5)."""
    for spelling in number_spellings(value):
        pattern = rf"(?<![\d.,]){re.escape(spelling)}(?![\d]|[.,]\d)"
        if value >= 0:
            pattern = rf"(?<![-−–\d.,]){re.escape(spelling)}(?![\d]|[.,]\d)"
        if re.search(pattern, quote):
            return True
    return False
