"""The JSON Schemas that ship with the package, compiled once, and their errors in plain words."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from typing import Any, Iterator

from ngocoord.problems import ERROR, Problem
from ngocoord.resources import schema_dir
from ngocoord.suggest import did_you_mean
from ngocoord.yamlload import Located

KINDS = ("organization", "activity", "areas", "sectors", "services", "populations", "org-types")

_YAML_IMPLICIT = (bool, type(None), int, float)


@cache
def schema(kind: str) -> dict:
    return json.loads((schema_dir() / f"{kind}.schema.json").read_text(encoding="utf-8"))


@cache
def validator(kind: str):
    from jsonschema import Draft202012Validator  # imported here: it is slow to import

    return Draft202012Validator(schema(kind))


def schema_header(kind: str) -> str:
    """The editor comment that points a data file at its schema (relative, works offline)."""
    return f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json"


def _string_keys(data: Any, keys: tuple = ()) -> Iterator[tuple]:
    if isinstance(data, dict):
        for k, v in data.items():
            if not isinstance(k, str):
                yield keys + (k,)
            else:
                yield from _string_keys(v, keys + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _string_keys(v, keys + (i,))


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "empty"
    return {str: "text", int: "a whole number", float: "a number", list: "a list", dict: "a mapping"}.get(type(value), type(value).__name__)


def _wanted(schema_part: dict) -> str:
    t = schema_part.get("type")
    if isinstance(t, list):
        return " or ".join(_type_name_for(x) for x in t)
    return _type_name_for(t)


def _type_name_for(t: str | None) -> str:
    return {"string": "text", "integer": "a whole number", "number": "a number", "array": "a list",
            "object": "a mapping", "boolean": "true or false"}.get(t or "", str(t))


def _is_date_schema(s: dict) -> bool:
    return "anyOf" in s and any("pattern" in a and "[0-9]{4}" in a["pattern"] for a in s["anyOf"])


def _key_label(keys: tuple) -> str:
    out = ""
    for k in keys:
        out += f"[{k}]" if isinstance(k, int) else (f".{k}" if out else str(k))
    return out or "the file"


def explain(error, located: Located | None) -> tuple[tuple, bool, str, str]:
    """(where, at_key, message, hint) for one jsonschema error."""
    keys = tuple(error.absolute_path)
    label = _key_label(keys)
    v, s, inst = error.validator, error.schema, error.instance
    if v == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return keys, True, f"{'the record' if not keys else label} is missing the required key '{missing}'", f"add a line '{missing}: …'"
    if v == "additionalProperties":
        allowed = list(s.get("properties", {}))
        extra = [k for k in inst if k not in allowed]
        key = extra[0] if extra else "?"
        hint = did_you_mean(str(key), allowed) or f"allowed keys: {', '.join(allowed)}"
        return keys + (key,), True, f"unknown key '{key}'" + (f" in {label}" if keys else ""), hint
    if v in ("type", "anyOf") and (v == "type" or _is_date_schema(s)):
        if _is_date_schema(s):
            wanted, hint = "a date", "write YYYY-MM-DD, YYYY-MM or YYYY, e.g. 2022-12-04"
            if isinstance(inst, str):
                return keys, False, f"{label}: '{inst}' is not a date", hint
        else:
            wanted, hint = _wanted(s), ""
        got = _type_name(inst)
        plain = located.plain_scalar(keys) if located else None
        if plain is not None and "string" in str(s.get("type", "string")) and isinstance(inst, _YAML_IMPLICIT):
            read_as = {True: "true", False: "false", None: "empty"}.get(inst, "a number") if not isinstance(inst, float) else "a number"
            hint = f"YAML reads the unquoted {plain} as {read_as}: put it in quotes, \"{plain}\""
        return keys, False, f"{label} must be {wanted}, not {got}", hint
    if v == "pattern":
        desc = s.get("description", "")
        if "identifier" in desc.lower() or s.get("pattern", "").startswith("^[a-z0-9]+(-"):
            return keys, False, f"{label}: '{inst}' is not a valid id", "use lowercase letters, digits and single hyphens, e.g. 'public-aid-organization'"
        if s.get("pattern", "").startswith("^[A-Za-z0-9]"):
            return keys, False, f"{label}: '{inst}' is not a valid code", "codes use letters, digits, '.', '_' and '-'; run 'ngocoord codes' to list them"
        first = desc.split(". ")[0].rstrip(".") if desc else f"must match {s.get('pattern')}"
        return keys, False, f"{label}: '{inst}' is not valid", first
    if v == "enum":
        options = [str(o) for o in s["enum"]]
        return keys, False, f"{label}: '{inst}' is not one of {', '.join(options)}", did_you_mean(str(inst), options)
    if v == "minItems":
        return keys, False, f"{label} needs at least {s['minItems']} item{'s' if s['minItems'] > 1 else ''}", ""
    if v == "uniqueItems":
        return keys, False, f"{label} lists the same item more than once", "remove the repeated item"
    if v == "minLength":
        return keys, False, f"{label} is empty", "write a value or remove the key"
    if v in ("minimum", "maximum"):
        return keys, False, f"{label}: {inst} is {'below' if v == 'minimum' else 'above'} {s[v]}", ""
    if v in ("maxLength", "minLength"):
        return keys, False, f"{label} is too {'long' if v == 'maxLength' else 'short'}", ""
    return keys, False, f"{label}: {error.message}", ""


def validate(kind: str, data: Any, path: str, located: Located | None) -> list[Problem]:
    """Problems of one record against its schema, plus what a schema cannot say (real dates)."""
    problems = []
    for keys in _string_keys(data):
        line, col = located.locate(keys, at_key=True) if located else (1, 1)
        problems.append(Problem(path, line, col, ERROR, "schema", f"the key {keys[-1]!r} is not a word",
                                "keys are words such as 'name'; put the key in quotes if it must be kept"))
    if problems:
        return problems
    for error in validator(kind).iter_errors(data):
        keys, at_key, message, hint = explain(error, located)
        line, col = located.locate(keys, at_key=at_key) if located else (1, 1)
        problems.append(Problem(path, line, col, ERROR, "schema", message, hint))
    if not problems:
        problems.extend(_impossible_dates(kind, data, path, located))
    return sorted(problems)


def date_fields(kind: str) -> tuple[tuple, ...]:
    return {"organization": (("last_reviewed",),), "activity": (("start",), ("end",), ("last_reviewed",))}.get(kind, ())


def _impossible_dates(kind: str, data: dict, path: str, located: Located | None) -> Iterator[Problem]:
    candidates = [k for k in date_fields(kind) if k[0] in data]
    candidates += [("sources", i, "date") for i, s in enumerate(data.get("sources") or []) if "date" in s]
    for keys in candidates:
        value = data
        for k in keys:
            value = value[k]
        text = str(value)
        if len(text) == 10:
            try:
                dt.date.fromisoformat(text)
            except ValueError:
                line, col = located.locate(keys) if located else (1, 1)
                yield Problem(path, line, col, ERROR, "schema", f"{_key_label(keys)}: {text} is not a real date",
                              "check the day and month")
