"""A spreadsheet runs a cell that starts with = + - @ (or a tab or CR) as a formula. CSV and XLSX
outputs neutralise such cells with a leading quote; import takes that quote off again."""

from __future__ import annotations

from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value, as text a spreadsheet will not run when it starts like a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
