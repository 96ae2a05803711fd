"""Which record or place does this text name? One answer for `show`, the filters, `new` and every
option that takes a place: ids in any case, acronyms, names and aliases; and, when nothing matches,
suggestions that also look at the words of long names ("suli" -> Al-Sulaymaniyah, by its alias
Sulaimaniyah; "kurdistn" -> Kurdistan Region of Iraq).
"""

from __future__ import annotations

import re
from typing import Iterable

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def organization_names(o) -> list[str]:
    """Every way a person may name an organization: id, acronym, name, and its names in other languages."""
    names = (o.raw.get("names") or {}) if isinstance(o.raw, dict) else {}
    return [n for n in (o.id, o.acronym, o.name, *map(str, names.values())) if n]


def _full_names(o) -> list[str]:
    names = (o.raw.get("names") or {}) if isinstance(o.raw, dict) else {}
    return [o.name, *map(str, names.values())]


def find_organization(ds, text: str) -> str | None:
    """The id of the organization `text` names: its id, acronym, name or a name in another language,
    compared as names (domain.organizations: case, accents and spacing aside; "Name (ACRONYM)" split;
    a name two organizations share names neither); or else the only organization whose name holds every word of `text` (as whole words or
    their beginnings: "NGO Coordination Committee" names the NGO Coordination Committee for Iraq)."""
    from ngocoord.domain.organizations import organization_index

    wanted = text.strip()
    if not wanted:
        return None
    orgs = ds.organizations
    if wanted in orgs:
        return wanted
    found = organization_index(orgs).find(wanted)  # by any name, as import matches a sheet's cells
    if found:
        return found
    partial = [o.id for o in orgs.values() if _holds_words(_full_names(o), wanted)]
    return partial[0] if len(partial) == 1 else None


def find_activity(ds, text: str) -> str | None:
    """The id of the activity whose id is `text` in any case."""
    wanted = text.strip()
    if wanted in ds.activities:
        return wanted
    folded = wanted.casefold()
    return next((a for a in ds.activities if a.casefold() == folded), None)


def _holds_words(names: Iterable[str], wanted: str) -> bool:
    asked = words(wanted)
    if len(asked) < 2:   # one word is too little to pick an organization by part of its name
        return False
    for name in names:
        have = words(name)
        if all(any(w.startswith(a) for w in have) for a in asked):
            return True
    return False


def organization_suggestions(ds, text: str, limit: int = 3) -> list[str]:
    """Ids of the organizations closest to `text`, by any of their names or the words in them."""
    entries = {o.id: organization_names(o) for o in ds.organizations.values()}
    return _closest(text, entries, limit)


def organizations_hint(ds, text: str) -> str:
    """"did you mean 'ncci' (NGO Coordination Committee for Iraq) or …?" for an unknown organization, or ''."""
    picks = [f"'{i}'" if words(ds.organizations[i].name) == words(i) else f"'{i}' ({ds.organizations[i].name})"
             for i in organization_suggestions(ds, text)]
    if not picks:
        return ""
    return "did you mean " + (f"{', '.join(picks[:-1])} or {picks[-1]}" if len(picks) > 1 else picks[0]) + "?"


def place_suggestions(cl, text: str, limit: int = 3) -> list[str]:
    """Codes of the places closest to `text` (coarsest first among equals), by code, name, any alias,
    a name in another language, or a word of any of them."""
    places = [*cl.regions.values(), *sorted(cl.areas.values(), key=lambda e: e.level or 0)]
    entries = {e.code: [e.code, e.name, *e.aliases, *map(str, (e.raw.get("names") or {}).values())] for e in places}
    return _closest(text, entries, limit)


def _closest(text: str, entries: dict[str, list[str]], limit: int) -> list[str]:
    """Keys whose names start with `text` or have a word that does, then the nearest by spelling
    (a whole name, or one of its words)."""
    from rapidfuzz import fuzz

    wanted = text.strip().casefold()
    if not wanted:
        return []
    scored: dict[str, float] = {}
    for key, names in entries.items():
        best = 0.0
        for name in names:
            folded = name.casefold()
            if len(wanted) >= 2 and (folded.startswith(wanted) or any(w.startswith(wanted) for w in words(name))):
                best = max(best, 100.0)
                continue
            best = max(best, fuzz.ratio(wanted, folded), *(fuzz.ratio(wanted, w) for w in words(name) if len(w) >= 3))
            if len(wanted) >= 4:   # the beginning of a word, mistyped: "suli" for "Sulaimaniyah"
                best = max(best, *(fuzz.ratio(wanted, w[:len(wanted)]) for w in words(name)
                                   if len(w) > len(wanted) and w[0] == wanted[0]), 0)
        if best >= 75:
            scored[key] = best
    order = {key: i for i, key in enumerate(entries)}
    return sorted(scored, key=lambda k: (-scored[k], order[k]))[:limit]
