"""Load, validate, chart and audit the evidence behind the personalization review book."""

from .bibliography import bibliography_keys, check_bibliography, load_bibliography
from .tables import load_printed_table, load_table, table_names
from .validation import DataValidationError, Problem

__all__ = [
    "DataValidationError",
    "Problem",
    "bibliography_keys",
    "check_bibliography",
    "load_bibliography",
    "load_printed_table",
    "load_table",
    "table_names",
]
