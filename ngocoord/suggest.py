"""'Did you mean …?' for a mistyped code, id, key or place."""

from __future__ import annotations

from typing import Iterable


def closest(word: str, choices: Iterable[str], limit: int = 3, cutoff: float = 70) -> list[str]:
    from rapidfuzz import fuzz, process, utils  # imported here: only needed when something is wrong

    choices = list(dict.fromkeys(choices))
    found = process.extract(word, choices, scorer=fuzz.WRatio, processor=utils.default_process,
                            limit=limit, score_cutoff=cutoff)
    return [c for c, _score, _i in found]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    found = closest(word, choices)
    if not found:
        return ""
    quoted = [f"'{c}'" for c in found]
    return "did you mean " + (f"{', '.join(quoted[:-1])} or {quoted[-1]}" if len(quoted) > 1 else quoted[0]) + "?"
