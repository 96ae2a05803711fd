"""Lint rules. Each rule is a function in a module of this package, registered with @rule.

A rule yields Findings (document, keys, message, hint); `run` turns them into Problems with
the rule's name, severity and the exact line and column of the key or value. Adding a rule is
adding a function: nothing else changes.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Callable, Iterator

from ngocoord.problems import ERROR, Problem

RECORD_KINDS = ("organization", "activity")
# The rules that compare whole records with each other: they cannot check a record that failed
# its schema (lint says so for such a file). Every other rule checks it too.
COMPARING_RULES = ("duplicate-id", "possible-duplicate-organization", "possible-duplicate-activity")


def comparing_rules() -> list[str]:
    """The rules that cannot check a record that failed its schema, as registered."""
    return [name for name in COMPARING_RULES if name in all_rules()]


@dataclass(frozen=True, slots=True)
class Finding:
    doc: "object"          # ngocoord.load.documents.Document
    keys: tuple = ()
    message: str = ""
    hint: str = ""


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    severity: str
    doc: str
    check: Callable | None  # None: the loader reports it (syntax, encoding, schema, ...)
    strict: bool = False    # reported only by `lint --strict` (a record that is valid but not yet good enough)


RULES: dict[str, Rule] = {}


def rule(name: str, severity: str, *, strict: bool = False):
    def register(fn):
        RULES[name] = Rule(name, severity, inspect.cleandoc(fn.__doc__ or ""), fn, strict)
        return fn
    return register


def loader_rule(name: str, severity: str, doc: str) -> None:
    RULES[name] = Rule(name, severity, inspect.cleandoc(doc), None)


_loaded = False


@cache
def words(name: str) -> tuple[str, ...]:
    """A list of words from rules/words.yaml (every group of it, in order): data, not code."""
    import yaml

    with open(Path(__file__).with_name("words.yaml"), encoding="utf-8") as f:
        groups = yaml.safe_load(f)[name]
    return tuple(w for group in groups.values() for w in group)


def all_rules() -> dict[str, Rule]:
    """Every rule, by name: the modules of this package register them when imported."""
    global _loaded
    if not _loaded:
        for info in pkgutil.iter_modules(__path__):
            importlib.import_module(f"{__name__}.{info.name}")
        _loaded = True
    return RULES


def run(dataset, *, selected: set[str] | None = None, strict: bool = False) -> Iterator[Problem]:
    """Every rule's problems. With `selected` (paths), record rules look only at those files and
    dataset rules report only the problems located in them. Rules declared `strict` run only with
    strict=True (`lint --strict`). A record that failed its schema is still checked by every rule
    that can check it (one run shows all of a file's problems)."""
    for r in all_rules().values():
        if r.check is None or (r.strict and not strict):
            continue
        for f in r.check(dataset):
            if selected is not None and f.doc.path not in selected:
                continue
            line, col = f.doc.at(f.keys)
            yield Problem(f.doc.path, line, col, r.severity, r.name, f.message, f.hint)
    invalid = [d for d in dataset.documents if d.kind in RECORD_KINDS and not d.valid and type(d.data) is dict
               and (selected is None or d.path in selected)]
    for doc in invalid:
        yield from _on_invalid_record(dataset, doc, strict)


class _OneRecord:
    """The dataset as a rule sees it when checking one record that failed its schema: that record is
    the only one checked, and every file still names its record (for references)."""

    def __init__(self, dataset, doc):
        self._dataset, self._doc = dataset, doc

    def __getattr__(self, name):
        return getattr(self._dataset, name)

    def docs(self, *kinds: str, valid: bool = True):
        if not valid:
            yield from self._dataset.docs(*kinds, valid=False)
            return
        yield from (d for d in self._dataset.docs(*kinds) if d.kind not in RECORD_KINDS)
        if not kinds or self._doc.kind in kinds:
            yield self._doc


def _on_invalid_record(dataset, doc, strict: bool = False) -> Iterator[Problem]:
    """The rules that can look at a record whose keys or values broke its schema; a rule that finds
    a key missing or of the wrong type there simply has nothing to say about it."""
    view = _OneRecord(dataset, doc)
    broken_lines = {p.line for p in doc.problems if p.severity == ERROR}   # said already: a value of the wrong type
    for r in all_rules().values():
        if r.check is None or r.name in COMPARING_RULES or (r.strict and not strict):
            continue
        try:
            findings = [f for f in r.check(view) if f.doc is doc]
        except (KeyError, IndexError, TypeError, AttributeError, ValueError):
            findings = [f for f in _tolerant(r.check(view)) if f.doc is doc]
        for f in findings:
            line, col = doc.at(f.keys)
            if line in broken_lines:
                continue
            yield Problem(doc.path, line, col, r.severity, r.name, f.message, f.hint)


def _tolerant(findings):
    """The findings a rule yields before it stumbles on a missing or malformed key."""
    try:
        yield from findings
    except (KeyError, IndexError, TypeError, AttributeError, ValueError):
        return
