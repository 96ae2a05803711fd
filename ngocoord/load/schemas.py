"""The JSON Schemas that ship with the package, compiled once, and their errors in plain words."""

from __future__ import annotations

import json
from functools import cache
from typing import Any, Iterator

from ngocoord.domain.dates import is_real_date
from ngocoord.problems import ERROR, Problem
from ngocoord.resources import schema_dir
from ngocoord.suggest import did_you_mean
from ngocoord.load.yamlload import Located

KINDS = ("organization", "activity", "areas", "sectors", "services", "populations", "org-types")

_YAML_IMPLICIT = (bool, type(None), int, float)


@cache
def schema(kind: str) -> dict:
    return json.loads((schema_dir() / f"{kind}.schema.json").read_text(encoding="utf-8"))


@cache
def validator(kind: str):
    from jsonschema import Draft202012Validator  # imported here: it is slow to import

    return Draft202012Validator(schema(kind))


@cache
def _fast_validator(kind: str):
    try:
        import jsonschema_rs
    except ImportError:  # optional speed-up: jsonschema alone gives the same answers
        return None
    try:
        return jsonschema_rs.validator_for(schema(kind))
    except Exception:  # a schema it cannot compile: use jsonschema for everything
        return None


def fast_valid(kind: str, data: Any) -> bool:
    """True when the Rust validator (jsonschema-rs, ~50x faster) accepts the record. It is only
    an oracle for valid records: anything it rejects is checked again by jsonschema, which has
    the last word and the messages (tests/test_cache.py checks both agree on every fixture)."""
    fast = _fast_validator(kind)
    if fast is None:
        return False
    try:
        return fast.is_valid(data)
    except Exception:  # a value it cannot take (a huge integer, ...): let jsonschema decide
        return False


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


# which codelist a record key takes its codes from, to point at 'ngocoord codes <list>'
_CODELIST_OF = {"type": "org-types", "sector": "sectors", "services": "services", "population": "populations",
                "locations": "areas"}

_TYPE_HINTS = {
    "array": "write a list: [a, b] on one line, or each item on its own line starting with '- '",
    "object": "write it as 'key: value' lines, indented under it",
    "boolean": "write true or false",
    "integer": "write a whole number, without quotes or commas",
}


def _is_date_schema(s: dict) -> bool:
    return "anyOf" in s and any("pattern" in a and "[0-9]{4}" in a["pattern"] for a in s["anyOf"])


def _key_label(keys: tuple) -> str:
    out = ""
    for k in keys:
        out += f"[{k}]" if isinstance(k, int) else (f".{k}" if out else str(k))
    return out or "the file"


def explain_each(error, located: Located | None) -> list[tuple[tuple, bool, str, str]]:
    """explain() for each problem of one jsonschema error: every unknown key of a mapping, not the first."""
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = error.schema.get("properties", {})
        extra = [k for k in error.instance if k not in allowed]
        if len(extra) > 1:
            return [explain(error, located, key=k) for k in extra]
    return [explain(error, located)]


def explain(error, located: Located | None, key=None) -> tuple[tuple, bool, str, str]:
    """(where, at_key, message, hint) for one jsonschema error (`key`: which unknown key, when several)."""
    keys = tuple(error.absolute_path)
    label = _key_label(keys)
    v, s, inst = error.validator, error.schema, error.instance
    if v == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return keys, True, f"{'the record' if not keys else label} is missing the required key '{missing}'", f"add a line '{missing}: …'"
    if v == "additionalProperties":
        allowed = list(s.get("properties", {}))
        extra = [k for k in inst if k not in allowed]
        key = key if key is not None else extra[0] if extra else "?"
        hint = did_you_mean(str(key), allowed) or f"allowed keys: {', '.join(allowed)}"
        return keys + (key,), True, f"unknown key '{key}'" + (f" in {label}" if keys else ""), hint
    if v in ("type", "anyOf") and (v == "type" or _is_date_schema(s)):
        return _explain_type(keys, label, s, inst, located)
    if v == "pattern":
        return _explain_pattern(keys, label, s, inst, "propertyNames" in error.schema_path)
    if v == "enum":
        options = [str(o) for o in s["enum"]]
        return keys, False, f"{label}: '{inst}' is not one of {', '.join(options)}", did_you_mean(str(inst), options)
    if v == "minItems":
        return keys, False, f"{label} needs at least {s['minItems']} item{'s' if s['minItems'] > 1 else ''}", \
            "add one, e.g. on the next line '  - …'; or remove the key if it is optional"
    if v == "uniqueItems":
        return keys, False, f"{label} lists the same item more than once", "remove the repeated item"
    if v == "minLength":
        return keys, False, f"{label} is empty", "write a value or remove the key"
    if v in ("minimum", "maximum"):
        bound = f"{s[v]} or more" if v == "minimum" else f"at most {s[v]}"
        return keys, False, f"{label} must be {bound}, not {inst}", ""
    if v in ("maxLength", "minLength"):
        return keys, False, f"{label} is too {'long' if v == 'maxLength' else 'short'}", ""
    return keys, False, f"{label}: {error.message}", ""


def _explain_type(keys: tuple, label: str, s: dict, inst: Any, located: Located | None) -> tuple[tuple, bool, str, str]:
    """A value of the wrong type (or not a date): what YAML made of it, and how to write it."""
    if _is_date_schema(s):
        wanted, hint = "a date", "write YYYY-MM-DD, YYYY-MM or YYYY, e.g. 2022-12-04"
        if isinstance(inst, str):
            return keys, False, f"{label}: '{inst}' is not a date", hint
    else:
        wanted, hint = _wanted(s), ""
    got = _type_name(inst)
    plain = located.plain_scalar(keys) if located else None
    if inst is None and plain == "":
        return keys, True, f"{label} has no value", f"write the value after '{keys[-1] if keys else label}:' on the same line"
    if plain is not None and "string" in str(s.get("type", "string")) and isinstance(inst, _YAML_IMPLICIT):
        read_as = "a number" if isinstance(inst, (int, float)) and not isinstance(inst, bool) else \
            {True: "true", False: "false", None: "'no value'"}[inst]
        hint = f"YAML reads the unquoted {plain} as {read_as}: put it in quotes, \"{plain}\""
    elif s.get("type") == "object" and s.get("required"):
        hint = f"write it as 'key: value' lines, starting with '{s['required'][0]}: …'"
    elif not hint:
        hint = _TYPE_HINTS.get(s.get("type"), "")
    return keys, False, f"{label} must be {wanted}, not {got}", hint


def _explain_pattern(keys: tuple, label: str, s: dict, inst: Any, names_a_key: bool) -> tuple[tuple, bool, str, str]:
    """A text that does not match its pattern: a language code, an address, a country, an id, a code."""
    if names_a_key:
        return keys + (inst,), True, f"{label}: '{inst}' is not a language code", \
            "use a code such as ar (Arabic), ckb (Sorani Kurdish), kmr (Kurmanji Kurdish) or en (English)"
    if s.get("pattern") == "\\S":
        return keys, False, f"{label} is empty", "write a value or remove the key"
    if s.get("pattern", "").startswith("^https?"):
        return keys, False, f"{label}: '{inst}' is not a web address", "write the full address, starting with https://"
    if "@" in s.get("pattern", ""):
        return keys, False, f"{label}: '{inst}' is not an e-mail address", \
            "write a role address of the organization, such as info@example.org"
    if s.get("pattern") == "^[A-Z]{2}$":
        return keys, False, f"{label}: '{inst}' is not a two-letter country code", \
            "write the ISO 3166-1 code in capitals and in quotes, e.g. \"IQ\" for Iraq, \"NO\" for Norway"
    desc = s.get("description", "")
    if "identifier" in desc.lower() or s.get("pattern", "").startswith("^[a-z0-9]+(-"):
        return keys, False, f"{label}: '{inst}' is not a valid id", "use lowercase letters, digits and single hyphens, e.g. 'public-aid-organization'"
    if s.get("pattern", "").startswith("^[A-Za-z0-9]"):
        listing = _CODELIST_OF.get(str(keys[0]) if keys else "", "")
        return keys, False, f"{label}: '{inst}' is not a code", \
            f"write the code, not the name; run 'ngocoord codes{' ' + listing if listing else ''}' to find it"
    first = desc.split(". ")[0].rstrip(".") if desc else f"must match {s.get('pattern')}"
    return keys, False, f"{label}: '{inst}' is not valid", first


def validate(kind: str, data: Any, path: str, located: Located | None) -> list[Problem]:
    """Problems of one record against its schema, plus what a schema cannot say (real dates)."""
    problems = []
    if not fast_valid(kind, data):  # the common, valid record skips all of this
        for keys in _string_keys(data):
            line, col = located.locate(keys, at_key=True) if located else (1, 1)
            problems.append(Problem(path, line, col, ERROR, "schema", f"the key {keys[-1]!r} is not a word",
                                    "keys are words such as 'name'; put the key in quotes if it must be kept"))
        if problems:
            return problems
        for error in validator(kind).iter_errors(data):
            for keys, at_key, message, hint in explain_each(error, located):
                line, col = located.locate(keys, at_key=at_key) if located else (1, 1)
                problems.append(Problem(path, line, col, ERROR, "schema", message, hint))
    if not problems:
        problems.extend(_impossible_dates(kind, data, path, located))
    return sorted(set(problems))


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
        if not is_real_date(text):
            line, col = located.locate(keys) if located else (1, 1)
            yield Problem(path, line, col, ERROR, "schema", f"{_key_label(keys)}: {text} is not a real date",
                          "check the day and month")
