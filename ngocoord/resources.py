"""Where the schemas and the bundled dataset are: inside the installed package, or beside it in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_BUNDLED = _PACKAGE / "_bundled"
_CHECKOUT = _PACKAGE.parent


def schema_dir() -> Path:
    bundled = _BUNDLED / "schemas"
    return bundled if bundled.is_dir() else _CHECKOUT / "schemas"


def bundled_data_dir() -> Path | None:
    for candidate in (_BUNDLED / "data", _CHECKOUT / "data"):
        if (candidate / "organizations").is_dir():
            return candidate
    return None
