"""From a sheet to a plan: which activities to create or update, which organizations they need,
and every row that could not be mapped, with why. Nothing is written here.

rows -> one mapped Row each (or its problems) -> groups of rows (one activity each, its places
the group's places) -> matched with the dataset's activities (by id, else by organization,
sector and title compared as names) -> the records to create, to update (only the fields the
sheet carries), and the organizations the written activities name that do not exist yet.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ngocoord.domain.names import name_key
from ngocoord.domain.organizations import organization_index, split_name_acronym
from ngocoord.imports.columns import FIELDS, LIST_FIELDS, Layout, layout
from ngocoord.imports.mapping import IGNORE, Mapper, date_value, whole_number
from ngocoord.imports.profile import Profile
from ngocoord.imports.readers import Sheet, read_sheet
from ngocoord.problems import UsageError
from ngocoord.domain.formulas import FORMULA_START
from ngocoord.domain.slugs import is_slug
from ngocoord.domain.slugs import slugify as _slugify

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ACTIVITY_KEYS = ("id", "title", "organization", "partners", "donors", "sector", "services", "population",
                 "locations", "status", "start", "end", "beneficiaries", "counterparts", "sensitive",
                 "last_reviewed", "sources", "coordinated_with", "description")


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


@dataclass
class Change:
    kind: str            # organization or activity
    id: str
    action: str          # create, update
    data: dict
    rows: list[int]
    changes: list[tuple[str, Any, Any]] = field(default_factory=list)   # (key, before, after) for an update
    path: Path | None = None


@dataclass
class Plan:
    source: str
    sheet: str | None
    rows: int
    layout: Layout
    created: list[Change]
    updated: list[Change]
    unchanged: int
    organizations: list[Change]
    problems: list[RowProblem]
    unmapped: dict[str, Counter]
    imported_rows: int
    skipped: list[int] = field(default_factory=list)
    root: Path | None = None                  # the dataset folder the plan writes into

    @property
    def failed_rows(self) -> list[int]:
        return sorted({p.row for p in self.problems})

    def to_json(self) -> dict:
        return {"rows": self.rows,
                "activities": {"created": [c.id for c in self.created], "updated": [c.id for c in self.updated],
                               "unchanged": self.unchanged},
                "organizations": {"created": [c.id for c in self.organizations]},
                "problems": [p.as_dict() for p in self.problems],
                "unmapped": {f: dict(c.most_common()) for f, c in self.unmapped.items() if c},
                "skipped": list(self.skipped)}


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


def _has_organization(rows: list[tuple[int, list[str]]]) -> bool:
    lay = layout(rows, None)
    return "organization" in lay.columns


def read(path: Path, profile: Profile, sheet: str | None = None, encoding: str | None = None) -> tuple[Sheet, Layout]:
    wanted = None if profile.columns or profile.overrides.get("organization") else _has_organization
    data = read_sheet(path, sheet or profile.sheet, encoding or profile.encoding, wanted)
    if not data.rows:
        raise UsageError(f"{path} holds no table")
    return data, layout(data.rows, profile.columns or None, profile.overrides)


class _Planner:
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
        self.taken_orgs = set(ds.organizations) | _stems(ds.root / "organizations")
        self.area_levels = tuple(lay.place_level(i) for i in lay.columns.get("area") or ())
        self._columns = [(f, tuple(idx)) for f, idx in lay.columns.items()]
        self._found_orgs: dict[tuple, str] = {}        # (text, acronym, type) -> id, for rows naming one again
        self.defaults = self._check_defaults(profile.defaults)

    # setup ----------------------------------------------------------------------------------

    def _check_defaults(self, defaults: dict) -> dict:
        out = dict(defaults)
        for fld, value in defaults.items():
            if isinstance(value, str) and "{" in value:
                try:
                    names = [n for _t, n, _f, _c in string.Formatter().parse(value) if n is not None]
                except ValueError as e:
                    raise UsageError(f"defaults.{fld}: {value!r} is not a template ({e}); write fields as {{sector}}") from None
                unknown = [n for n in names if n not in FIELDS]
                if unknown:
                    raise UsageError(f"defaults.{fld}: unknown field {{{unknown[0]}}} in {value!r}; fields: {', '.join(FIELDS)}")
                continue
            text = str(value)
            if fld in ("sector", "organization_type", "partner_type", "donor_type"):
                kind = "sector" if fld == "sector" else "organization_type"
                code = self.mapper.code(kind, text)
                if not code or code is IGNORE:
                    raise UsageError(f"defaults.{fld}: unknown {kind.replace('_', ' ')} {text!r}"
                                     + _hint(self.mapper.suggest(kind, text)))
                out[fld] = code
            elif fld in ("services", "population"):
                codes = [self.mapper.code(fld, t) for t in split_list(text)]
                if not all(codes) or IGNORE in codes:
                    raise UsageError(f"defaults.{fld}: unknown code in {text!r}")
                out[fld] = codes
            elif fld == "status":
                status = self.mapper.status(text)
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
                area, _missed = self.mapper.area((text,))
                if area is None:
                    raise UsageError(f"defaults.area: unknown place {text!r}" + _hint(self.mapper.suggest("area", text)))
                out[fld] = area
        return out

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
        oid = _unique(next((s for s in (slugify(acronym or ""), slugify(name)) if len(s) >= 2 and is_slug(s)),
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
        before = len(self.problems)
        if self._control_characters(number, cells):
            return None
        v = self.cells(cells)
        d = self.defaults
        rec: dict[str, Any] = {"row": number}
        # what the organization is called, for titles
        type_text = v.get("organization_type", "")
        org_type = None
        if type_text:
            org_type = self.mapper.code("organization_type", type_text)
            if org_type is None:
                self.unmapped["organization_type"][type_text] += 1
                self.problem(number, "organization_type", type_text, "unknown organization type"
                             + _hint(self.mapper.suggest("organization_type", type_text), "see 'ngocoord codes org-types'"))
            elif org_type is IGNORE:
                org_type = None
        org_type = org_type or d.get("organization_type")
        org_text = v.get("organization") or v.get("organization_acronym") or str(d.get("organization", "") or "")
        if not org_text:
            self.problem(number, "organization", "", "no organization given")
        else:
            rec["organization"] = self.organization(number, "organization", org_text,
                                                    v.get("organization_acronym") or None, org_type)
            if rec["organization"] is None and len(self.problems) == before:
                self.skipped.append(number)   # the profile says: ignore this organization's rows
                return None
        for role, type_key in (("partners", "partner_type"), ("donors", "donor_type")):
            found = []
            for name in split_list(v.get(role, "")):
                oid = self.organization(number, role, name, None, d.get(type_key))
                if oid and oid != rec.get("organization"):
                    found.append(oid)
            rec[role] = list(dict.fromkeys(found))
        sector_text = v.get("sector", "")
        sector = None
        if sector_text:
            sector = self.mapper.code("sector", sector_text)
            if sector is IGNORE:
                self.skipped.append(number)
                return None
            if sector is None:
                self.unmapped["sector"][sector_text] += 1
                self.problem(number, "sector", sector_text, "unknown sector"
                             + _hint(self.mapper.suggest("sector", sector_text), "see 'ngocoord codes sectors'"))
        else:
            sector = d.get("sector")
            if not sector:
                self.problem(number, "sector", "", "no sector given: add a sector column or defaults.sector")
        rec["sector"] = sector
        rec["services"] = self._codes(number, "services", v, d, sector)
        rec["population"] = self._codes(number, "population", v, d, None)
        rec["area"] = self._area(number, v)
        rec["site"] = v.get("site") or None
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
        rec["description"] = v.get("description") or d.get("description") or None
        rec["id"] = v.get("id", "")
        if rec["id"] and not is_slug(rec["id"]):
            self.problem(number, "id", rec["id"], "not an id: lower-case letters, digits and single hyphens")
        if not v.get("title") and not d.get("title"):
            self.problem(number, "title", "", "no title: add a title column, or a template in defaults.title, "
                         "e.g. \"{sector} – {organization}\"")
        if len(self.problems) > before:
            return None
        rec["title"] = v.get("title") or self._template(d.get("title"), rec, v)
        if not rec["title"]:
            self.problem(number, "title", "", "no title: add a title column, or a template in defaults.title, "
                         "e.g. \"{sector} – {organization}\"")
            return None
        rec["_carried"] = frozenset(f for f in self.lay.columns)
        return rec

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


def _stems(folder: Path) -> set[str]:
    try:
        return {p.stem for p in folder.glob("*.yaml")}
    except OSError:
        return set()


def _unique(slug: str, taken: set[str]) -> str:
    slug = slug[:60].rstrip("-")
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


def _activity_slug(rec: dict) -> str:
    """A new activity's id: its organization and title ('acted-wash'), the organization once."""
    title, org = slugify(rec["title"]), rec["organization"]
    words = title.split("-")
    if org in words or f"-{org}-" in f"-{title}-":
        words = [w for w in f"-{title}-".replace(f"-{org}-", "-").split("-") if w]
    slug = slugify("-".join([org, *words]))
    return slug if len(slug) >= 2 else f"activity-row-{rec['rows'][0]}"


def activity_key(organization: str, sector: str, title: str) -> tuple[str, str, str]:
    """How a row finds the activity it updates when it has no id: same organization, sector and
    title, the title compared without case and spacing."""
    return (organization, sector, name_key(title))


def _group_key(rec: dict, group_by: tuple[str, ...]):
    parts = []
    for fld in group_by:
        value = rec.get(fld)
        if fld == "title":
            value = name_key(value or "")
        elif isinstance(value, list):
            value = tuple(sorted(value))
        parts.append(value)
    return tuple(parts)


def _merge(rows: list[dict]) -> dict:
    """One activity from the rows of a group: places and lists joined, the first value of each
    other field, the earliest start and the latest end; people counted once when every row repeats
    the activity's figure, else summed over its places."""
    first = dict(rows[0])
    for fld in ("partners", "donors", "services", "population"):
        first[fld] = list(dict.fromkeys(x for r in rows for x in r[fld]))
    for fld in ("status", "description", "sensitive", "id"):
        first[fld] = next((r[fld] for r in rows if r[fld] not in (None, "")), first[fld])
    starts = [r["start"] for r in rows if r["start"]]
    ends = [r["end"] for r in rows if r["end"]]
    first["start"] = min(starts) if starts else None
    first["end"] = max(ends) if ends else None
    for fld in ("targeted", "reached"):
        figures = [r[fld] for r in rows if r[fld] is not None]
        first[fld] = (figures[0] if len(set(figures)) == 1 else sum(figures)) if figures else None
    locations = []
    for r in rows:
        loc = {"area": r["area"], **({"site": r["site"]} if r["site"] else {})}
        if loc not in locations:
            locations.append(loc)
    first["locations"] = locations
    first["rows"] = [r["row"] for r in rows]
    return first


def _activity_fields(rec: dict) -> dict:
    """The activity keys a merged group sets, None for a key to leave out."""
    beneficiaries = {k: rec[k] for k in ("targeted", "reached") if rec[k] is not None}
    return {"title": rec["title"], "organization": rec["organization"], "partners": rec["partners"] or None,
            "donors": rec["donors"] or None, "sector": rec["sector"], "services": rec["services"] or None,
            "population": rec["population"] or None, "locations": rec["locations"], "status": rec["status"],
            "start": rec["start"], "end": rec["end"], "beneficiaries": beneficiaries or None,
            "sensitive": rec["sensitive"], "description": rec["description"]}


# the activity keys each sheet field sets: an update changes only those of the fields the sheet carries
_KEYS_OF = {"title": ("title",), "organization": ("organization",), "partners": ("partners",),
            "donors": ("donors",), "sector": ("sector",), "services": ("services",),
            "population": ("population",), "area": ("locations",), "site": ("locations",),
            "status": ("status",), "start": ("start",), "end": ("end",), "targeted": ("beneficiaries",),
            "reached": ("beneficiaries",), "sensitive": ("sensitive",), "description": ("description",)}


def _ordered(data: dict) -> dict:
    return {k: data[k] for k in ACTIVITY_KEYS if k in data and data[k] is not None}


def _updated(ds, existing, rec: dict, carried: frozenset[str], today: dt.date, source: dict) -> tuple[dict, list]:
    from ngocoord.domain.published import shown_locations

    before = {k: v for k, v in existing.raw.items()}
    after = dict(before)
    new = _activity_fields(rec)
    keys = {k for f in carried for k in _KEYS_OF.get(f, ())}
    for key in keys:
        value = new[key]
        if key == "title" and name_key(value or "") == name_key(before.get("title") or ""):
            value = before.get("title")          # the same title: its spelling in the dataset stays
        elif key == "beneficiaries":
            merged = dict(before.get("beneficiaries") or {})
            for part in ("targeted", "reached"):
                if part in carried:
                    if rec[part] is None:
                        merged.pop(part, None)
                    else:
                        merged[part] = rec[part]
            value = merged or None
        elif key == "locations" and existing.sensitive:
            published = [{"area": loc.area, **({"site": loc.site} if loc.site else {})}
                         for loc in shown_locations(ds.codelists, existing)]
            if _same_places(value, published):
                value = before.get("locations")     # the sheet shows the published view: keep the exact places
        elif key == "sensitive" and value is None:
            value = before.get("sensitive")
        elif key == "sensitive" and value is False and "sensitive" not in before:
            value = None
        if key in ("partners", "donors", "services", "population") and not value:
            value = None
        if value is None:
            after.pop(key, None)
        else:
            after[key] = value
    changes = [(k, before.get(k), after.get(k)) for k in ACTIVITY_KEYS if before.get(k) != after.get(k)]
    if changes:
        after["last_reviewed"] = today.isoformat()
        sources = list(after.get("sources") or [])
        if not any(isinstance(s, dict) and s.get("title") == source["title"] for s in sources):
            sources.append(source)
        after["sources"] = sources
    return _ordered(after), changes


def _same_places(a: list[dict], b: list[dict]) -> bool:
    key = (lambda locs: sorted((x["area"], x.get("site") or "") for x in locs))
    return key(a) == key(b)


def plan_import(ds, path: Path, profile: Profile, *, sheet: str | None = None, encoding: str | None = None,
                today: dt.date | None = None) -> Plan:
    """What importing the sheet `path` into `ds` with `profile` would create and update."""
    today = today or dt.date.today()
    data, lay = read(path, profile, sheet, encoding)
    source = path.name + (f" ({data.name})" if data.name and len(data.names) > 1 else "")
    planner = _Planner(ds, profile, lay, source, today)
    rows = data.rows[lay.first_data:]
    if "organization" not in lay.columns and not planner.defaults.get("organization"):
        raise UsageError(f"{path.name}: no organization column found; name it in the profile (columns: organization: "
                         f"HEADER) or with --column organization=HEADER; the sheet's columns: "
                         + ", ".join(repr(lay.name(i)) for i in range(len(lay.headers)) if lay.headers[i] or lay.tags[i]))
    groups: dict[Any, list[dict]] = {}
    for number, cells in rows:
        rec = planner.row(number, cells)
        if rec is None:
            continue
        key = ("id", rec["id"]) if rec["id"] else _group_key(rec, profile.group_by)
        groups.setdefault(key, []).append(rec)
    by_id = ds.activities
    by_key: dict[tuple, str] = {}
    for a in sorted(by_id.values(), key=lambda a: a.id):
        by_key.setdefault(activity_key(a.organization, a.sector, a.title), a.id)
    taken = set(by_id) | _stems(ds.root / "activities")
    source_entry = planner.source_entry()
    created, updated, unchanged, seen = [], [], 0, set()
    for recs in groups.values():
        rec = _merge(recs)
        carried = recs[0]["_carried"]
        target = rec["id"] if rec["id"] in by_id else None
        if target is None and not rec["id"]:
            target = by_key.get(activity_key(rec["organization"], rec["sector"], rec["title"]))
        if target is not None and target in seen:
            planner.problem(rec["rows"][0], "title", rec["title"], f"these rows and others both update {target!r}: "
                            "give them one title, or group them with group_by")
            continue
        if target is not None:
            seen.add(target)
            data_after, changes = _updated(ds, by_id[target], rec, carried, today, source_entry)
            if changes:
                updated.append(Change("activity", target, "update", data_after, rec["rows"], changes))
            else:
                unchanged += 1
            continue
        aid = rec["id"] or _unique(_activity_slug(rec), taken)
        taken.add(aid)
        seen.add(aid)
        record = {"id": aid, **_activity_fields(rec), "last_reviewed": today.isoformat(), "sources": [source_entry]}
        created.append(Change("activity", aid, "create", _ordered(record), rec["rows"]))
    needed = {o for c in created + updated for o in (c.data["organization"], *c.data.get("partners", ()),
                                                    *c.data.get("donors", ()))}
    organizations = [Change("organization", oid, "create", rec, planner.new_org_rows[oid])
                     for oid, rec in planner.new_orgs.items() if oid in needed]
    problems = sorted(planner.problems, key=lambda p: (p.row, p.column, p.field))
    failed = {p.row for p in problems}
    return Plan(path.name, data.name, len(rows), lay, created, updated, unchanged, organizations, problems,
                planner.unmapped, len(rows) - len(failed) - len(planner.skipped), planner.skipped, ds.root)
