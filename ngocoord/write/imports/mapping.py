"""A cell's text to the code it means: the profile's `values`, then the codelists' codes, names,
aliases and `names` in other languages, compared as names. Places by P-code, or by name within
the coarser place the same row names.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from functools import cache, lru_cache

from ngocoord.domain.names import name_key
from ngocoord.problems import UsageError
from ngocoord.model import STATUSES

IGNORE = object()   # the profile maps the text to null: the cell is ignored
_CODE_LIKE = re.compile(r"^[A-Za-z]{2,3}\d{2,}$")
_KINDS = {"sector": "sectors", "services": "services", "population": "populations",
          "organization_type": "org_types"}


@cache
def _words() -> dict:
    from ngocoord.write.imports.columns import header_words

    words = header_words()
    return {"status": {name_key(k): v for k, v in words["status_words"].items()},
            "yes": {name_key(str(w)) for w in words["yes_words"]}, "no": {name_key(str(w)) for w in words["no_words"]}}


class Mapper:
    """Looks cells up, remembering each answer: a 50,000-row sheet holds a few hundred distinct texts."""

    def __init__(self, codelists, values: dict):
        self.cl = codelists
        self.values = {f: {name_key(str(k)): v for k, v in m.items()} for f, m in values.items()}
        self._index: dict[str, dict[str, str | None]] = {}
        for fld, kind in _KINDS.items():
            index: dict[str, str | None] = {}
            for e in getattr(codelists, kind).values():
                index[name_key(e.code)] = e.code
            for e in getattr(codelists, kind).values():
                for n in (e.name, *e.aliases, *(e.raw.get("names") or {}).values()):
                    key = name_key(str(n))
                    if index.get(key, e.code) != e.code:
                        index[key] = None           # two entries share the name: it names neither
                    else:
                        index.setdefault(key, e.code)
            self._index[fld] = index
        self._places: dict[str, set[str]] = {}
        self._codes = {name_key(c): c for c in (*codelists.areas, *codelists.regions)}
        for e in (*codelists.areas.values(), *codelists.regions.values()):
            for n in (e.code, e.name, *e.aliases, *(e.raw.get("names") or {}).values()):
                self._places.setdefault(name_key(str(n)), set()).add(e.code)
        self._area_cache: dict[tuple, tuple[str | None, list[str]]] = {}

    def profile_value(self, fld: str, text: str):
        """The profile's answer for the text: a code, IGNORE, or None when it says nothing."""
        table = self.values.get(fld)
        if not table:
            return None
        key = name_key(text)
        if key not in table:
            return None
        return IGNORE if table[key] is None else str(table[key])

    def code(self, fld: str, text: str):
        """sector / services / population / organization_type: the code, IGNORE, or None (unknown)."""
        found = self.profile_value(fld, text)
        if found is not None:
            return found
        return self._index[fld].get(name_key(text))

    def status(self, text: str):
        found = self.profile_value("status", text)
        if found is not None:
            return found
        key = name_key(text)
        if key in STATUSES:
            return key
        return _words()["status"].get(key)

    def yes_no(self, text: str):
        found = self.profile_value("sensitive", text)
        if found is not None:
            return found if found is IGNORE else name_key(found) in _words()["yes"]
        key = name_key(text)
        return True if key in _words()["yes"] else False if key in _words()["no"] else None

    # places ---------------------------------------------------------------------------------

    def _candidates(self, text: str) -> set[str]:
        found = self.profile_value("area", text)
        if found is IGNORE:
            return set()
        if found is not None:
            return {found}
        key = name_key(text)
        if key in self._codes:
            return {self._codes[key]}
        named = self._places.get(key)
        if named:
            return set(named)
        if _CODE_LIKE.match(text.strip()):   # a P-code finer than the codelist: its nearest area by prefix
            upper = text.strip().upper()
            for cut in range(len(upper) - 1, 2, -1):
                code = self._codes.get(name_key(upper[:cut]))
                if code and code in self.cl.areas:
                    return {code}
        return set()

    def area(self, texts: tuple[str, ...], levels: tuple = ()) -> tuple[str | None, list[str]]:
        """The area the row's place cells (finest first) name, and the cells that named nothing
        although a coarser cell did (their text): the row is placed at the finest cell that resolves
        within the coarser ones."""
        if (texts, levels) in self._area_cache:
            return self._area_cache[(texts, levels)]
        cl = self.cl
        chosen: str | None = None
        missed: list[str] = []
        filled = [(t, levels[i] if i < len(levels) else None) for i, t in enumerate(texts) if t.strip()]
        level = (lambda c: cl.areas[c].level if c in cl.areas else -1)
        for position, (text, wanted) in enumerate(reversed(filled)):     # coarsest first
            cands = self._candidates(text)
            if wanted is not None and cands and not any(level(c) == wanted for c in cands):
                cands = self._namesakes(cands, wanted) or cands
            if chosen is not None:
                inside = {c for c in cands if c != chosen and cl.lies_within(c, chosen)}
                if not inside and chosen in cands:
                    continue            # names the same place as a coarser cell (a P-code beside its name)
                cands = inside
            if not cands:
                if chosen is not None or position < len(filled) - 1:
                    missed.append(text)
                continue
            coarsest_cell = position == 0 and len(filled) > 1
            if wanted is not None and any(level(c) == wanted for c in cands):
                cands = {c for c in cands if level(c) == wanted}   # a District column names a district
            best = (min if coarsest_cell or len(filled) == 1 else max)(level(c) for c in cands)
            at_best = sorted(c for c in cands if level(c) == best)
            if len(at_best) == 1:
                chosen = at_best[0]
            else:
                missed.append(text)
        if chosen is None:
            missed = [t for t, _level in filled]
        result = (chosen, missed)
        self._area_cache[(texts, levels)] = result
        return result

    def _namesakes(self, cands: set[str], wanted: int) -> set[str]:
        """'Dahuk' in a District column: the district named like the governorate it names (Duhok
        district of Duhok governorate), as many 3W sheets write a governorate's central district."""
        found = set()
        for c in cands:
            entry = self.cl.areas.get(c)
            if entry is None or (entry.level or 0) >= wanted:
                continue
            names = {name_key(n) for n in (entry.name, *entry.aliases)}
            found |= {child.code for child in self.cl.areas.values()
                      if child.parent == c and child.level == wanted and name_key(child.name) in names}
        return found

    def suggest(self, fld: str, text: str) -> str | None:
        """The closest code for an unmapped text (for --suggest-profile and 'did you mean')."""
        from rapidfuzz import fuzz, process

        if fld == "area":
            choices = self._places
        elif fld in self._index:
            choices = self._index[fld]
        elif fld == "status":
            choices = {**{s: s for s in STATUSES}, **_words()["status"]}
        else:
            return None
        best = process.extractOne(name_key(text), list(choices), scorer=fuzz.ratio,
                                  score_cutoff=60 if fld == "status" else 75)
        if not best:
            return None
        found = choices[best[0]]
        if isinstance(found, set):
            found = sorted(found, key=lambda c: (self.cl.areas[c].level if c in self.cl.areas else -1, c))[0]
        return found


_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %Y", "%b %Y", "%Y/%m/%d", "%d.%m.%Y")


@lru_cache(maxsize=8192)
def date_value(text: str) -> str | None:
    """A date cell to YYYY-MM-DD, YYYY-MM or YYYY; None when it is not a date (or is impossible)."""
    text = text.strip()
    if " " in text and _DATE.match(text.split(" ")[0]):
        text = text.split(" ")[0]          # a spreadsheet's "2023-01-05 00:00:00"
    m = _DATE.match(text)
    if m:
        year, month, day = m.groups()
        try:
            dt.date(int(year), int(month or 1), int(day or 1))
        except ValueError:
            return None
        return year + (f"-{int(month):02d}" if month else "") + (f"-{int(day):02d}" if day else "")
    for fmt in _FORMATS:
        try:
            parsed = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return parsed.strftime("%Y-%m") if "%d" not in fmt else parsed.isoformat()
    return None


def whole_number(text: str) -> int | None:
    cleaned = text.replace(",", "").replace(" ", "").replace("\u00a0", "")
    if cleaned.endswith(".0"):
        cleaned = cleaned[:-2]
    return int(cleaned) if cleaned.isdigit() and len(cleaned) < 16 else None


def checked_defaults(mapper: "Mapper", defaults: dict) -> dict:
    """The profile's defaults (and --set), each checked and mapped to its code once; templates are
    checked to name only fields. UsageError for a value that names nothing."""
    out = dict(defaults)
    for fld, value in defaults.items():
        if isinstance(value, str) and "{" in value:
            try:
                names = [n for _t, n, _f, _c in string.Formatter().parse(value) if n is not None]
            except ValueError as e:
                raise UsageError(f"defaults.{fld}: {value!r} is not a template ({e}); write fields as {{sector}}") from None
            from ngocoord.write.imports.columns import FIELDS

            unknown = [n for n in names if n not in FIELDS]
            if unknown:
                raise UsageError(f"defaults.{fld}: unknown field {{{unknown[0]}}} in {value!r}; fields: {', '.join(FIELDS)}")
            continue
        text = str(value)
        if fld in ("sector", "organization_type", "partner_type", "donor_type"):
            kind = "sector" if fld == "sector" else "organization_type"
            code = mapper.code(kind, text)
            if not code or code is IGNORE:
                raise UsageError(f"defaults.{fld}: unknown {kind.replace('_', ' ')} {text!r}"
                                 + _did_you_mean(mapper.suggest(kind, text)))
            out[fld] = code
        elif fld in ("services", "population"):
            codes = [mapper.code(fld, t) for t in [p.strip() for p in re.split(r"[;,]", text) if p.strip()]]
            if not all(codes) or IGNORE in codes:
                raise UsageError(f"defaults.{fld}: unknown code in {text!r}")
            out[fld] = codes
        elif fld == "status":
            status = mapper.status(text)
            if not status or status is IGNORE:
                raise UsageError(f"defaults.status: {text!r} is not a status; one of planned, ongoing, "
                                 "completed, suspended, cancelled")
            out[fld] = status
        elif fld in ("start", "end"):
            day = date_value(text)
            if day is None:
                raise UsageError(f"defaults.{fld}: {text!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
            out[fld] = day
        elif fld == "area":
            area, _missed = mapper.area((text,))
            if area is None:
                raise UsageError(f"defaults.area: unknown place {text!r}" + _did_you_mean(mapper.suggest("area", text)))
            out[fld] = area
    return out


def _did_you_mean(guess) -> str:
    return f" (did you mean {guess!r}?)" if guess else ""
