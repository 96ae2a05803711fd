"""'Did you mean …?' for a mistyped code, id, key or place."""

from __future__ import annotations

from typing import Any, Iterable, Mapping


def closest(word: str, choices: Iterable[str], limit: int = 3, cutoff: float = 70) -> list[str]:
    from rapidfuzz import fuzz, process, utils  # imported here: only needed when something is wrong

    choices = list(dict.fromkeys(choices))
    found = process.extract(word, choices, scorer=fuzz.WRatio, processor=utils.default_process,
                            limit=limit, score_cutoff=cutoff)
    return [c for c, _score, _i in found]


def _either(quoted: list[str]) -> str:
    return "did you mean " + (f"{', '.join(quoted[:-1])} or {quoted[-1]}" if len(quoted) > 1 else quoted[0]) + "?"


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    found = closest(word, choices)
    return _either([f"'{c}'" for c in found]) if found else ""


def _plain(text: str) -> str:
    return text.casefold().replace("-", " ").replace("_", " ")


def did_you_mean_code(word: str, entries: Mapping[str, Any]) -> str:
    """The closest codes of a codelist (matched by code, name or alias), each named once:
    "did you mean 'legal-aid' or 'mediation' (Family mediation)?"."""
    from rapidfuzz import fuzz

    names = {n: e.code for e in entries.values() for n in (e.code, e.name, *e.aliases)}
    near = sorted(closest(word, names, limit=5), key=lambda n: -fuzz.ratio(word, n))
    codes = list(dict.fromkeys(names[n] for n in near))[:3]
    listed = [f"'{c}'" if _plain(entries[c].name) == _plain(c) else f"'{c}' ({entries[c].name})" for c in codes]
    return _either(listed) if listed else ""
