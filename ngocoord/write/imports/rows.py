"""One row of a sheet mapped to codes and ids, or the problems that stop it: the organizations it
names (found by any of their names, or planned as new ones), its sector, services, population,
place, status, dates, people counts and sensitivity, each through the profile and the codelists.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ngocoord.domain.formulas import FORMULA_START
from ngocoord.domain.names import name_key
from ngocoord.domain.organizations import organization_index, split_name_acronym
from ngocoord.domain.slugs import is_slug
from ngocoord.domain.slugs import slugify as _slugify
from ngocoord.write.imports.columns import FIELDS, Layout
from ngocoord.write.imports.mapping import IGNORE, Mapper, checked_defaults, date_value, whole_number
from ngocoord.write.imports.profile import Profile

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
NO_TITLE = "no title: add a title column, or a template in defaults.title, e.g. \"{sector} – {organization}\""


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str          # letter and header, e.g. "C (Cluster)"; "" when no column
    field: str
    value: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "field": self.field, "value": self.value,
                "message": self.message}

    def text(self, source: str) -> str:
        where = f", column {self.column}" if self.column else ""
        value = f" {self.value!r}" if self.value else ""
        return f"{source}: row {self.row}{where}: {self.field}{value}: {self.message}"


def unformula(text: str) -> str:
    """Undo the quote that a safe export puts before a formula-like cell."""
    if text[:1] != "'":
        return text
    return text[1:] if text[1:2] and text[1:].startswith(FORMULA_START) else text


@lru_cache(maxsize=65536)
def slugify(text: str, limit: int = 60) -> str:
    """domain.slugs.slugify, remembered: a sheet names the same organizations and titles again and again."""
    return _slugify(text, limit)


_LIST_SEPARATORS = re.compile(r"[;,\n]")


def split_list(text: str) -> list[str]:
    if not text:
        return []
    return [p.strip() for p in _LIST_SEPARATORS.split(text) if p.strip()]


class RowMapper:
    def __init__(self, ds, profile: Profile, lay: Layout, source: str, today: dt.date):
        self.ds, self.cl, self.profile, self.lay, self.today = ds, ds.codelists, profile, lay, today
        self.source = source
        self.mapper = Mapper(ds.codelists, profile.values)
        self.orgs = organization_index(ds.organizations)
        self.problems: list[RowProblem] = []
        self.unmapped: dict[str, Counter] = {f: Counter() for f in FIELDS}
        self.new_orgs: dict[str, dict] = {}            # id -> record
        self.new_org_rows: dict[str, list[int]] = {}
        self.skipped: list[int] = []                    # rows the profile says to ignore (values: null)
        self.taken_orgs = set(ds.organizations) | stems(ds.root / "organizations")
        self.area_levels = tuple(lay.place_level(i) for i in lay.columns.get("area") or ())
        self._columns = [(f, tuple(idx)) for f, idx in lay.columns.items()]
        self._found_orgs: dict[tuple, str] = {}        # (text, acronym, type) -> id, for rows naming one again
        self.defaults = checked_defaults(self.mapper, profile.defaults)

    # setup ----------------------------------------------------------------------------------

    def problem(self, row: int, fld: str, value: str, message: str, column: int | None = None) -> None:
        if column is None:
            cols = self.lay.columns.get(fld) or []
            column = cols[0] if cols else None
        self.problems.append(RowProblem(row, self.lay.label(column) if column is not None else "", fld, value, message))

    # organizations --------------------------------------------------------------------------

    def organization(self, row: int, fld: str, text: str, acronym: str | None, org_type: str | None) -> str | None:
        key = (fld, text, acronym, org_type)
        if key in self._found_orgs:
            return self._found_orgs[key]
        found = self._organization(row, fld, text, acronym, org_type)
        if found is not None:
            self._found_orgs[key] = found
        return found

    def _organization(self, row: int, fld: str, text: str, acronym: str | None, org_type: str | None) -> str | None:
        found = self.mapper.profile_value("organization", text)
        if found is IGNORE:
            return None
        if found is not None:
            if found not in self.ds.organizations and found not in self.new_orgs:
                self.problem(row, fld, text, f"the profile maps it to {found!r}, which is not an organization id")
                return None
            return found
        oid = self.orgs.find(text, acronym)
        if oid:
            return oid
        ambiguous = self.orgs.ambiguous(text)
        if ambiguous:
            self.problem(row, fld, text, f"names several organizations ({', '.join(ambiguous)}): "
                         f"map it in the profile, values.{'organization' if fld == 'organization' else fld}")
            return None
        name, in_brackets = split_name_acronym(text)
        acronym = in_brackets or (acronym if acronym and name_key(acronym) != name_key(name) else None)
        if not org_type:
            option = {"organization": "organization_type", "partners": "partner_type", "donors": "donor_type"}[fld]
            self.problem(row, fld, text, f"a new organization, and no type for it: add an organization type column, "
                         f"or set defaults.{option} in the profile (or --set {option}=TYPE)")
            return None
        oid = unique(next((s for s in (slugify(acronym or ""), slugify(name)) if len(s) >= 2 and is_slug(s)),
                           f"organization-row-{row}"), self.taken_orgs)
        self.taken_orgs.add(oid)
        record = {"id": oid, "name": name}
        if acronym:
            record["acronym"] = acronym
        record["type"] = org_type
        record["last_reviewed"] = self.today.isoformat()
        record["sources"] = [self.source_entry()]
        self.new_orgs[oid] = record
        self.new_org_rows[oid] = [row]
        self.orgs.add(record)
        return oid

    def source_entry(self) -> dict:
        return {"title": f"3W sheet {self.source}", "date": self.today.isoformat()}

    # one row --------------------------------------------------------------------------------

    def cells(self, cells: list[str]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        width = len(cells)
        for fld, idx in self._columns:
            if fld == "area":
                out[fld] = tuple(unformula(cells[i].strip()) if i < width else "" for i in idx)
            elif len(idx) == 1:
                i = idx[0]
                out[fld] = unformula(cells[i].strip()) if i < width else ""
            else:
                out[fld] = next((t for t in (unformula(cells[i].strip()) if i < width else "" for i in idx) if t), "")
        return out

    def _control_characters(self, number: int, cells: list[str]) -> bool:
        if not CONTROL.search("\n".join(cells)):    # one search a row: the common, clean row
            return False
        found = False
        for fld, idx in self._columns:
            for i in idx:
                if i < len(cells) and CONTROL.search(cells[i]):
                    bad = CONTROL.search(cells[i]).group()
                    self.problem(number, fld, cells[i][:60],
                                 f"the cell holds the control character U+{ord(bad):04X}: retype the cell", i)
                    found = True
        return found

    def row(self, number: int, cells: list[str]) -> dict | None:
        """The row's fields mapped to codes and ids, or None (its problems recorded, or the
        profile ignores it)."""
        before = len(self.problems)
        if self._control_characters(number, cells):
            return None
        v = self.cells(cells)
        rec: dict[str, Any] = {"row": number}
        if not self._who(number, v, rec, before) or not self._what(number, v, rec):
            return None
        rec["area"] = self._area(number, v)
        rec["site"] = v.get("site") or None
        self._when(number, v, rec)
        self._how_many(number, v, rec)
        if len(self.problems) > before:
            return None
        rec["title"] = v.get("title") or self._template(self.defaults.get("title"), rec, v)
        if not rec["title"]:
            self.problem(number, "title", "", NO_TITLE)
            return None
        rec["_carried"] = frozenset(self.lay.columns)
        return rec

    def _organization_type(self, number: int, v: dict) -> str | None:
        type_text = v.get("organization_type", "")
        org_type = self.mapper.code("organization_type", type_text) if type_text else None
        if type_text and org_type is None:
            self.unmapped["organization_type"][type_text] += 1
            self.problem(number, "organization_type", type_text, "unknown organization type"
                         + _hint(self.mapper.suggest("organization_type", type_text), "see 'ngocoord codes org-types'"))
        return (org_type if org_type is not IGNORE else None) or self.defaults.get("organization_type")

    def _who(self, number: int, v: dict, rec: dict, before: int) -> bool:
        """The lead organization, partners and donors; False when the profile ignores the row."""
        d = self.defaults
        org_type = self._organization_type(number, v)
        org_text = v.get("organization") or v.get("organization_acronym") or str(d.get("organization", "") or "")
        if not org_text:
            self.problem(number, "organization", "", "no organization given")
        else:
            rec["organization"] = self.organization(number, "organization", org_text,
                                                    v.get("organization_acronym") or None, org_type)
            if rec["organization"] is None and len(self.problems) == before:
                self.skipped.append(number)   # the profile says: ignore this organization's rows
                return False
        for role, type_key in (("partners", "partner_type"), ("donors", "donor_type")):
            found = [self.organization(number, role, name, None, d.get(type_key)) for name in split_list(v.get(role, ""))]
            rec[role] = list(dict.fromkeys(o for o in found if o and o != rec.get("organization")))
        return True

    def _what(self, number: int, v: dict, rec: dict) -> bool:
        """Sector, services, population, id and description; False when the profile ignores the row."""
        d = self.defaults
        sector_text = v.get("sector", "")
        sector = self.mapper.code("sector", sector_text) if sector_text else d.get("sector")
        if sector is IGNORE:
            self.skipped.append(number)
            return False
        if sector_text and sector is None:
            self.unmapped["sector"][sector_text] += 1
            self.problem(number, "sector", sector_text, "unknown sector"
                         + _hint(self.mapper.suggest("sector", sector_text), "see 'ngocoord codes sectors'"))
        elif not sector:
            self.problem(number, "sector", "", "no sector given: add a sector column or defaults.sector")
        rec["sector"] = sector
        rec["services"] = self._codes(number, "services", v, d, sector)
        rec["population"] = self._codes(number, "population", v, d, None)
        rec["description"] = v.get("description") or d.get("description") or None
        rec["id"] = v.get("id", "")
        if rec["id"] and not is_slug(rec["id"]):
            self.problem(number, "id", rec["id"], "not an id: lower-case letters, digits and single hyphens")
        if not v.get("title") and not d.get("title"):
            self.problem(number, "title", "", NO_TITLE)
        return True

    def _when(self, number: int, v: dict, rec: dict) -> None:
        """Status, start and end."""
        d = self.defaults
        status_text = v.get("status", "")
        status = self.mapper.status(status_text) if status_text else None
        if status_text and status is None:
            self.unmapped["status"][status_text] += 1
            self.problem(number, "status", status_text, "unknown status"
                         + _hint(self.mapper.suggest("status", status_text), "one of planned, ongoing, completed, "
                                 "suspended, cancelled; or map it in values.status"))
        rec["status"] = (status if status is not IGNORE else None) or d.get("status")
        if not rec["status"] and not status_text:
            self.problem(number, "status", "", "no status given: add a status column, or defaults.status "
                         "(or --set status=ongoing)")
        for fld in ("start", "end"):
            text = v.get(fld, "")
            day = date_value(text) if text else None
            if text and day is None:
                self.problem(number, fld, text, "not a date: write YYYY-MM-DD, YYYY-MM or YYYY")
            rec[fld] = day or (d.get(fld) if not text else None)
        if rec["start"] and rec["end"] and rec["end"] < rec["start"][:len(rec["end"])]:
            self.problem(number, "end", rec["end"], f"ends before it starts ({rec['start']})")

    def _how_many(self, number: int, v: dict, rec: dict) -> None:
        """People targeted and reached, and whether the places are sensitive."""
        d = self.defaults
        for fld in ("targeted", "reached"):
            text = v.get(fld, "")
            number_value = whole_number(text) if text else None
            if text and number_value is None:
                self.problem(number, fld, text, "not a whole number of people")
            rec[fld] = number_value if text else d.get(fld)
        sens_text = v.get("sensitive", "")
        sensitive = self.mapper.yes_no(sens_text) if sens_text else None
        if sens_text and sensitive is None:
            self.problem(number, "sensitive", sens_text, "write yes or no")
        rec["sensitive"] = (sensitive if sensitive is not IGNORE else None) if sens_text else d.get("sensitive")

    def _codes(self, number: int, fld: str, v: dict, d: dict, sector: str | None) -> list[str]:
        text = v.get(fld, "")
        if not text:
            return list(d.get(fld) or [])
        codes = []
        for part in split_list(text) or [text]:
            code = self.mapper.code(fld, part)
            if code is IGNORE:
                continue
            if code is None:
                self.unmapped[fld][part] += 1
                kind = {"services": "service", "population": "population group"}[fld]
                self.problem(number, fld, part, f"unknown {kind}"
                             + _hint(self.mapper.suggest(fld, part), f"see 'ngocoord codes {fld if fld == 'services' else 'populations'}'"))
                continue
            if fld == "services" and sector and self.cl.services[code].sector != sector:
                self.problem(number, fld, part, f"the service {code!r} belongs to the sector "
                             f"{self.cl.services[code].sector!r}, not {sector!r}")
                continue
            codes.append(code)
        return list(dict.fromkeys(codes))

    def _area(self, number: int, v: dict) -> str | None:
        texts = v.get("area") or ()
        if not any(t.strip() for t in texts):
            area = self.defaults.get("area")
            if not area:
                self.problem(number, "area", "", "no place given: fill in a district, governorate or P-code column")
            return area
        area, missed = self.mapper.area(tuple(texts), self.area_levels)
        for text in missed:
            self.unmapped["area"][text] += 1
        if area is None:
            shown = " / ".join(t for t in texts if t.strip())
            guess = self.mapper.suggest("area", missed[0]) if missed else None
            cols = self.lay.columns.get("area") or []
            column = next((i for i, t in zip(cols, texts) if missed and t == missed[0]), None)
            self.problem(number, "area", shown, "unknown place" + _hint(
                f"{guess} ({self.cl.areas[guess].name})" if guess in self.cl.areas else guess,
                "see 'ngocoord codes areas'; or map it in values.area"), column)
        return area

    def _template(self, template, rec: dict, v: dict) -> str:
        if not template:
            return ""
        org = rec.get("organization")
        org_rec = self.ds.organizations.get(org)
        org_name = org_rec.name if org_rec else self.new_orgs.get(org, {}).get("name", org or "")
        org_acr = (org_rec.acronym if org_rec else self.new_orgs.get(org, {}).get("acronym")) or org_name
        names = {
            "organization": org_name, "organization_acronym": org_acr,
            "sector": self.cl.sectors[rec["sector"]].name if rec.get("sector") in self.cl.sectors else "",
            "services": ", ".join(self.cl.services[s].name for s in rec.get("services") or ()),
            "population": ", ".join(self.cl.populations[p].name for p in rec.get("population") or ()),
            "area": self.cl.place(rec["area"]).name if rec.get("area") and self.cl.place(rec["area"]) else "",
        }
        values = {f: (names[f] if f in names else str(rec.get(f) or v.get(f) or "")) for f in FIELDS}
        return " ".join(str(template).format_map(values).split())


def _hint(guess, tail: str = "") -> str:
    parts = []
    if guess:
        parts.append(f"did you mean {guess!r}?")
    if tail:
        parts.append(tail)
    return (" (" + "; ".join(parts) + ")") if parts else ""


def stems(folder: Path) -> set[str]:
    try:
        return {p.stem for p in folder.glob("*.yaml")}
    except OSError:
        return set()


def unique(slug: str, taken: set[str]) -> str:
    slug = slug[:60].rstrip("-")
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate
