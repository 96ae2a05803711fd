"""Which column holds which field: the profile's `columns`, or HXL hashtags and the usual headers.

A profile names a column by its header text, its HXL hashtag (#org+name) or its letter (C).
Without one, a column's meaning comes from its hashtag, else from its header
(imports/headers.yaml: English and French variants, a data file, not code).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

import yaml

from ngocoord.domain.names import name_key
from ngocoord.write.imports.readers import column_letter
from ngocoord.problems import UsageError

FIELDS = ("id", "title", "description", "organization", "organization_acronym", "organization_type", "partners",
          "donors", "sector", "services", "population", "area", "site", "status", "start", "end", "targeted",
          "reached", "sensitive")
LIST_FIELDS = frozenset({"partners", "donors", "services", "population"})
HASHTAG = re.compile(r"^\s*#[A-Za-z][A-Za-z0-9_]*(\s*\+\s*[A-Za-z][A-Za-z0-9_]*)*\s*$")
LETTERS = re.compile(r"^[A-Z]{1,3}$")
HEADER_ROWS = 25
PLACE_LEVELS = {2: 2, 3: 2, 4: 1, 5: 1}   # place ranks in headers.yaml -> the admin level they name   # header and hashtag rows are looked for among the first rows


@cache
def header_words() -> dict:
    from importlib import resources

    return yaml.safe_load(resources.files("ngocoord.write.imports").joinpath("headers.yaml").read_text(encoding="utf-8"))


@cache
def _header_field() -> dict[str, tuple[str, int]]:
    """header key -> (field, preference: lower wins); place groups are fields area/0, area/1, ..."""
    words = header_words()
    out: dict[str, tuple[str, int]] = {}
    for fld, headers in words["fields"].items():
        for i, h in enumerate(headers):
            out.setdefault(name_key(str(h)), (fld, i))
    for rank, headers in enumerate(words["places"]):
        for i, h in enumerate(headers):
            out.setdefault(name_key(str(h)), (f"area/{rank}", i))
    return out


def field_for_tag(tag: str) -> str | None:
    """The meaning of an HXL hashtag with its attributes (#org+impl+name -> partners)."""
    parts = [p.strip().lower() for p in tag.strip().lstrip("#").split("+")]
    name, attrs = parts[0], set(parts[1:])
    code = bool(attrs & {"code", "id", "pcode"})
    if name == "org":
        if attrs & {"impl", "partner"}:
            return "partners"
        if attrs & {"funder", "donor"}:
            return "donors"
        if "type" in attrs:
            return "organization_type"
        if "acronym" in attrs:
            return "organization_acronym"
        return "organization"
    if name == "activity":
        return "id" if code else "title"
    if name == "loc":
        return "area/0" if code else "site"
    if name in ("adm1", "adm2", "adm3"):   # the rank of the places in headers.yaml, finest first
        return "area/" + str({"adm3": 1, "adm2": 2, "adm1": 4}[name] + (0 if code or name == "adm3" else 1))
    if name == "date":
        return "start" if "start" in attrs else "end" if "end" in attrs else None
    if name == "meta" and "sensitive" in attrs:
        return "sensitive"
    return {"sector": "sector", "subsector": "services", "service": "services", "beneficiary": "population",
            "status": "status", "targeted": "targeted", "reached": "reached"}.get(name)


def _is_tag_row(cells: list[str]) -> bool:
    filled = [c for c in cells if c.strip()]
    return bool(filled) and all(HASHTAG.match(c) for c in filled)


@dataclass
class Layout:
    headers: list[str]                      # header text by column ('' when none)
    tags: list[str]                         # HXL hashtag by column ('' when none)
    first_data: int                         # index in the sheet's rows where the data starts
    columns: dict[str, list[int]] = field(default_factory=dict)   # field -> column indexes (area: finest first)
    ignored: list[str] = field(default_factory=list)

    def place_level(self, index: int) -> int | None:
        """The admin level a place column's header or hashtag announces (District: 2), if any."""
        rank = None
        if index < len(self.tags) and self.tags[index]:
            found = field_for_tag(self.tags[index]) or ""
            rank = int(found[5:]) if found.startswith("area/") else None
        if rank is None and index < len(self.headers) and self.headers[index]:
            found = _header_field().get(name_key(self.headers[index]), ("", 0))[0]
            rank = int(found[5:]) if found.startswith("area/") else None
        return PLACE_LEVELS.get(rank)

    def label(self, index: int) -> str:
        text = self.headers[index] if index < len(self.headers) and self.headers[index] else (
            self.tags[index] if index < len(self.tags) else "")
        return f"{column_letter(index)} ({text})" if text else column_letter(index)

    def name(self, index: int) -> str:
        """How a profile names the column: its header, else its hashtag, else its letter."""
        for names in (self.headers, self.tags):
            if index < len(names) and names[index].strip():
                return names[index].strip()
        return column_letter(index)


def find_header(rows: list[tuple[int, list[str]]], extra_headers=()) -> tuple[int, int | None]:
    """(index of the header row, index of the hashtag row or None) among the first rows."""
    head = rows[:HEADER_ROWS]
    tag_row = next((i for i, (_n, cells) in enumerate(head) if _is_tag_row(cells)), None)
    known = set(_header_field()) | {name_key(h) for h in extra_headers}
    best, best_score = None, 0
    for i, (_n, cells) in enumerate(head):
        if i == tag_row:
            continue
        score = sum(1 for c in cells if c.strip() and name_key(c) in known)
        if score > best_score:
            best, best_score = i, score
    if best is None:
        if tag_row is not None:
            best = tag_row - 1 if tag_row > 0 else tag_row
        else:
            best = 0
    return best, tag_row


def layout(rows: list[tuple[int, list[str]]], profile_columns: dict | None, overrides: dict | None = None) -> Layout:
    """The sheet's layout: header row, hashtag row, and which column holds each field (the
    profile's columns, else those detected; `overrides` (--column) change single fields)."""
    both = {**(profile_columns or {}), **{k: v for k, v in (overrides or {}).items() if v}}
    wanted_headers = [h for v in both.values() for h in ([v] if isinstance(v, str) else v or [])]
    header_at, tag_at = find_header(rows, wanted_headers)
    width = max((len(c) for _n, c in rows[:HEADER_ROWS]), default=0)
    headers = [c.strip() for c in rows[header_at][1]] if rows else []
    headers += [""] * (width - len(headers))
    tags = [c.strip() for c in rows[tag_at][1]] if tag_at is not None else []
    tags += [""] * (width - len(tags))
    if tag_at == header_at:
        headers = [""] * width
    first_data = max(header_at, tag_at if tag_at is not None else -1) + 1
    lay = Layout(headers, tags, first_data)
    if profile_columns:
        for fld, ref in profile_columns.items():
            refs = [ref] if isinstance(ref, str) else list(ref or [])
            lay.columns[fld] = [_column_of(lay, r, fld) for r in refs]
    else:
        _detect(lay)
    for fld, ref in (overrides or {}).items():
        if ref:
            lay.columns[fld] = [_column_of(lay, r, fld) for r in ([ref] if isinstance(ref, str) else ref)]
        else:
            lay.columns.pop(fld, None)
    used = {i for idx in lay.columns.values() for i in idx}
    lay.ignored = [lay.label(i) for i in range(width) if i not in used and (headers[i] or tags[i])]
    return lay


def _detect(lay: Layout) -> None:
    best: dict[str, tuple[int, int]] = {}            # field -> (preference, column)
    for i in range(len(lay.headers)):
        found = field_for_tag(lay.tags[i]) if lay.tags[i] else None
        pref = -1
        if found is None and lay.headers[i]:
            found, pref = _header_field().get(name_key(lay.headers[i]), (None, 0))
        if found is None:
            continue
        if found.startswith("area/"):
            lay.columns.setdefault("area", []).append((int(found[5:]), pref, i))
        elif found not in best or (pref, i) < best[found]:
            best[found] = (pref, i)
    for fld, (_pref, i) in best.items():
        lay.columns[fld] = [i]
    if "area" in lay.columns:
        lay.columns["area"] = [i for _rank, _pref, i in sorted(lay.columns["area"])]


def _column_of(lay: Layout, ref: str, fld: str) -> int:
    ref = str(ref).strip()
    if ref.startswith("#"):
        wanted = [p.strip().lower() for p in ref.lstrip("#").split("+")]
        for i, tag in enumerate(lay.tags):
            parts = [p.strip().lower() for p in tag.lstrip("#").split("+")] if tag else []
            if parts and parts[0] == wanted[0] and set(wanted[1:]) <= set(parts[1:]):
                return i
    else:
        key = name_key(ref)
        for i, h in enumerate(lay.headers):
            if h and name_key(h) == key:
                return i
        if LETTERS.match(ref):
            index = 0
            for ch in ref:
                index = index * 26 + ord(ch) - 64
            return index - 1
    from ngocoord.suggest import did_you_mean

    names = [h for h in lay.headers if h] + [t for t in lay.tags if t]
    hint = did_you_mean(ref, names)
    raise UsageError(f"columns.{fld}: the sheet has no column {ref!r}" + (f": {hint}" if hint else "")
                     + f"; its columns: {', '.join(repr(n) for n in names)}")
