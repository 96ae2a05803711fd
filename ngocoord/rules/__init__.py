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

from ngocoord.problems import Problem


@dataclass(frozen=True, slots=True)
class Finding:
    doc: "object"          # ngocoord.documents.Document
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
    strict=True (`lint --strict`)."""
    for r in all_rules().values():
        if r.check is None or (r.strict and not strict):
            continue
        for f in r.check(dataset):
            if selected is not None and f.doc.path not in selected:
                continue
            line, col = f.doc.at(f.keys)
            yield Problem(f.doc.path, line, col, r.severity, r.name, f.message, f.hint)
