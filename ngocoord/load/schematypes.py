"""Does data read back from the snapshot have the types its schema allows? A check of types and
keys only (no patterns, no ranges), cheap enough for every warm run, so that a forged or damaged
row is a miss rather than a crash later; the full validation ran when the file was read."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from ngocoord.resources import schema_dir

_TYPES = {"string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,),
          "array": (list, tuple), "object": (dict,), "null": (type(None),)}


@cache
def _schema(kind: str) -> dict:
    return json.loads((schema_dir() / f"{kind}.schema.json").read_text(encoding="utf-8"))


def has_schema_types(kind: str, value: Any) -> bool:
    root = _schema(kind)
    return _fits(value, root, root)


def _fits(value: Any, part: dict, root: dict) -> bool:
    if "$ref" in part:
        name = part["$ref"].rpartition("/")[2]
        if not _fits(value, root["$defs"][name], root):
            return False
    for choice in ("anyOf", "oneOf"):
        if choice in part and not any(_fits(value, p, root) for p in part[choice]):
            return False
    wanted = part.get("type")
    if wanted is not None:
        names = [wanted] if isinstance(wanted, str) else wanted
        if not any(type(value) in _TYPES[n] and not (n in ("integer", "number") and type(value) is bool)
                   for n in names):
            return False
    if type(value) is dict:
        return _fits_object(value, part, root)
    if type(value) in (list, tuple) and "items" in part:
        return all(_fits(v, part["items"], root) for v in value)
    return True


def _fits_object(value: dict, part: dict, root: dict) -> bool:
    properties = part.get("properties", {})
    if any(key not in value for key in part.get("required", ())):
        return False
    extra = part.get("additionalProperties", True)
    for key, v in value.items():
        if type(key) is not str:
            return False
        if key in properties:
            if not _fits(v, properties[key], root):
                return False
        elif extra is False or (isinstance(extra, dict) and not _fits(v, extra, root)):
            return False
    return True
