"""Bring an existing 3W table (CSV or XLSX) into the dataset: one YAML file per organization and activity.

read the table -> find each column's meaning (HXL hashtags, else common header names) -> map every
value to a code through the codelists' names and aliases -> group rows into activities -> plan the
files. Every value that cannot be mapped is a Problem with its row, column and a "did you mean".
Nothing is written while planning; existing files are never overwritten.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ngocoord.domain.dates import DATE
from ngocoord.domain.formulas import FORMULA_START
from ngocoord.domain.slugs import is_slug, slugify
from ngocoord.model import STATUSES
from ngocoord.problems import ERROR, WARNING, Problem, UsageError
from ngocoord.schemas import schema_header

RULE = "import"

# --- the columns --------------------------------------------------------------------------------

# field -> header names (compared without case, spaces, '_', '-', '.', '/', '#', '(' ')')
HEADERS: dict[str, tuple[str, ...]] = {
    "activity_id": ("activity id", "activity code", "project id", "project code"),
    "title": ("activity", "activity title", "activity name", "title", "project", "project title", "project name",
              "activity description"),
    "org_id": ("organization id", "organisation id", "org id", "organization code", "organisation code", "org code"),
    "org": ("organization", "organisation", "org", "organization name", "organisation name", "org name", "agency",
            "lead organization", "lead organisation", "implementing organization", "implementing organisation",
            "reporting organization", "reporting organisation", "ngo", "actor"),
    "org_type": ("organization type", "organisation type", "org type", "type of organization", "agency type"),
    "partner": ("partner", "partners", "implementing partner", "implementing partners", "partner name",
                "partner names"),
    "partner_id": ("partner id", "partner ids"),
    "donor": ("donor", "donors", "funder", "funders", "funding organization", "donor name", "donor names"),
    "donor_id": ("donor id", "donor ids"),
    "sector_code": ("sector code", "cluster code"),
    "sector": ("sector", "cluster", "sector name", "cluster name"),
    "service": ("service", "services", "service type", "activity type"),
    "population": ("population", "populations", "population group", "beneficiary", "beneficiaries",
                   "beneficiary type", "target group", "target population"),
    "admin1_code": ("admin1 code", "adm1 code", "admin1 pcode", "adm1 pcode", "governorate code", "governorate pcode"),
    "admin1": ("governorate", "admin1", "adm1", "admin1 name", "adm1 name", "governorate name", "province"),
    "admin2_code": ("admin2 code", "adm2 code", "admin2 pcode", "adm2 pcode", "district code", "district pcode"),
    "admin2": ("district", "admin2", "adm2", "admin2 name", "adm2 name", "district name", "qada"),
    "area": ("area", "area code", "location code"),
    "site": ("site", "location", "site name", "location name", "facility", "place"),
    "status": ("status", "activity status", "project status"),
    "start": ("start", "start date", "from", "date start"),
    "end": ("end", "end date", "to", "date end"),
    "targeted": ("targeted", "target", "beneficiaries targeted", "people targeted", "target beneficiaries"),
    "reached": ("reached", "beneficiaries reached", "people reached"),
    "sensitive": ("sensitive",),
}
_HEADER_FIELD = {re.sub(r"[\s_\-./#()]+", "", h): f for f, names in HEADERS.items() for h in names}
_HEADER_FIELD.update({re.sub(r"[\s_\-./#()]+", "", c): f for c, f in (
    ("activity_title", "title"), ("organization_name", "org"), ("organization_type", "org_type"),
    ("partner_ids", "partner_id"), ("donor_ids", "donor_id"), ("sector_name", "sector"),
    ("admin1_name", "admin1"), ("admin2_name", "admin2"), ("area_code", "area"))})

HASHTAG = re.compile(r"^\s*#[A-Za-z][A-Za-z0-9_]*(\s*\+\s*[A-Za-z][A-Za-z0-9_]*)*\s*$")
_CODE_ATTRS = {"code", "id", "pcode"}


def field_for_tag(tag: str) -> str | None:
    """The meaning of an HXL hashtag with its attributes (#org+impl+name -> partner)."""
    parts = [p.strip().lower() for p in tag.strip().lstrip("#").split("+")]
    name, attrs = parts[0], set(parts[1:])
    code = bool(attrs & _CODE_ATTRS)
    if name == "org":
        if attrs & {"impl", "partner"}:
            return "partner_id" if code else "partner"
        if attrs & {"funder", "donor"}:
            return "donor_id" if code else "donor"
        if "type" in attrs:
            return "org_type"
        return "org_id" if code else "org"
    if name == "activity":
        return "activity_id" if code else "title"
    if name == "sector":
        return "sector_code" if code else "sector"
    if name in ("adm1", "adm2"):
        return f"admin{name[-1]}_code" if code else f"admin{name[-1]}"
    if name == "loc":
        return "area" if code else "site"
    if name == "date":
        return "start" if "start" in attrs else "end" if "end" in attrs else None
    if name == "meta" and "sensitive" in attrs:
        return "sensitive"
    return {"subsector": "service", "service": "service", "beneficiary": "population", "status": "status",
            "targeted": "targeted", "reached": "reached"}.get(name)


def field_for_header(header: str) -> str | None:
    return _HEADER_FIELD.get(re.sub(r"[\s_\-./#()]+", "", header.strip().casefold()))


# --- reading the file ---------------------------------------------------------------------------

@dataclass
class Table:
    path: Path
    columns: dict[int, str]            # column index -> field
    labels: dict[int, str]             # column index -> header (or hashtag) as written
    rows: list[tuple[int, list[str]]]  # (row number in the file, cells)
    ignored: list[str] = field(default_factory=list)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_cells(path: Path) -> list[list[str]]:
    """Every row of the file's first sheet as text cells."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            import openpyxl  # imported here: only XLSX needs it
        except ImportError:  # pragma: no cover - it is a dependency
            raise UsageError("reading XLSX needs the openpyxl package: pip install openpyxl") from None
        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as e:  # openpyxl raises many kinds for a broken file
            raise UsageError(f"{path} is not a readable XLSX workbook ({type(e).__name__}: {e})") from None
        try:
            sheet = book.worksheets[0]
            return [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        except Exception as e:  # a damaged sheet inside a readable workbook
            raise UsageError(f"{path}: the first sheet cannot be read ({type(e).__name__}: {e})") from None
        finally:
            book.close()
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise UsageError(f"cannot read {path}: {e.strerror or e}") from None
    if raw[:4] == b"PK\x03\x04":
        raise UsageError(f"{path} looks like a spreadsheet workbook: give it the .xlsx extension")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise UsageError(f"{path} is not UTF-8 text (byte {e.start}): save it as CSV UTF-8") from None
    sample = text[:20000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        return [row for row in reader]
    except csv.Error as e:
        raise UsageError(f"{path}:{reader.line_num}: not a readable CSV table ({e})") from None


def read_table(path: Path) -> Table:
    cells = [r for r in read_cells(path)]
    tag_row = next((i for i, r in enumerate(cells[:25])
                    if any(c.strip() for c in r) and all(HASHTAG.match(c) for c in r if c.strip())), None)
    if tag_row is not None:
        tags = cells[tag_row]
        headers = cells[tag_row - 1] if tag_row > 0 else [""] * len(tags)
        data_from = tag_row + 1
    else:
        header_row = next((i for i, r in enumerate(cells) if any(c.strip() for c in r)), None)
        if header_row is None:
            raise UsageError(f"{path} holds no table")
        tags, headers, data_from = [], cells[header_row], header_row + 1
    columns, labels, ignored = {}, {}, []
    for i in range(max(len(tags), len(headers))):
        tag = tags[i].strip() if i < len(tags) else ""
        header = headers[i].strip() if i < len(headers) else ""
        found = (field_for_tag(tag) if tag else None) or (field_for_header(header) if header else None)
        label = tag or header
        if found is None:
            if label:
                ignored.append(label)
            continue
        if found in columns.values():
            ignored.append(label)
            continue
        columns[i], labels[i] = found, label
    if "org" not in columns.values() and "org_id" not in columns.values():
        raise UsageError(f"{path}: no organization column (a header such as 'Organization', or the HXL tag #org)")
    rows = [(n + 1, r) for n, r in enumerate(cells) if n >= data_from and any(c.strip() for c in r)]
    return Table(path, columns, labels, rows, ignored)


# --- mapping values -----------------------------------------------------------------------------

def unformula(text: str) -> str:
    """Undo the quote that a safe export puts before a formula-like cell."""
    return text[1:] if text.startswith("'") and text[1:2] and text[1:].startswith(FORMULA_START) else text


def split_list(text: str, *, commas: bool) -> list[str]:
    parts = re.split(r"[;\n|,]" if commas else r"[;\n|]", text)
    return [p.strip() for p in parts if p.strip()]


STATUS_WORDS = {"active": "ongoing", "on-going": "ongoing", "on going": "ongoing", "in progress": "ongoing",
                "implementation": "ongoing", "complete": "completed", "closed": "completed", "finished": "completed",
                "pipeline": "planned", "canceled": "cancelled", "on hold": "suspended"}
YES = {"yes", "y", "true", "1", "x"}
NO = {"no", "n", "false", "0", ""}


@dataclass
class PlannedFile:
    kind: str          # organization or activity
    id: str
    path: Path
    data: dict
    rows: list[int]

    def text(self) -> str:
        """The file in fmt's canonical form, so that `ngocoord fmt --check` passes on what import writes."""
        from ngocoord.canonical import canonical_text

        dumped = yaml.safe_dump(self.data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
        return canonical_text(schema_header(self.kind) + "\n" + dumped, self.kind)


@dataclass
class ImportPlan:
    source: str
    files: list[PlannedFile]
    problems: list[Problem]
    existing: list[PlannedFile]    # would overwrite: skipped
    ignored_columns: list[str]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]


def suggest(text: str, entries) -> str:
    """'did you mean' naming each close entry once, by its name."""
    from ngocoord.suggest import closest

    entries = list(entries)
    by_name = {n: e for e in entries for n in (e.name, e.code, *e.aliases)}
    found = list(dict.fromkeys(by_name[n].name for n in closest(text, by_name)))
    return "did you mean " + " or ".join(f"'{n}'" for n in found) + "?" if found else ""


class _Planner:
    def __init__(self, ds, table: Table, default_org_type: str | None, today: dt.date):
        self.ds, self.cl, self.table, self.today = ds, ds.codelists, table, today
        self.shown = table.path.name
        self.default_org_type = default_org_type
        self.problems: list[Problem] = []
        self.new_orgs: dict[str, PlannedFile] = {}
        self.untyped: set[str] = set()
        self.org_names: dict[str, str] = {}     # casefolded name / acronym / id -> id
        for o in ds.organizations.values():
            for n in (o.id, o.name, o.acronym):
                if n:
                    self.org_names.setdefault(n.casefold(), o.id)
        self.col_of = {f: i for i, f in table.columns.items()}
        self.lead_types: dict[str, str] = {}    # casefolded lead id / name -> org type cell, for partners and donors
        for _n, cells in table.rows:
            v = self.values(cells)
            if v.get("org_type"):
                for key in (v.get("org_id"), v.get("org")):
                    if key:
                        self.lead_types.setdefault(key.casefold(), v["org_type"])

    def problem(self, row: int, fld: str, message: str, hint: str = "", severity: str = ERROR) -> None:
        column = self.col_of.get(fld, -1) + 1
        label = self.table.labels.get(self.col_of.get(fld, -1))
        where = f" (column {label!r})" if label else ""
        self.problems.append(Problem(self.shown, row, max(column, 1), severity, RULE, message + where, hint))

    def resolve(self, row: int, fld: str, kind: str, text: str) -> str | None:
        try:
            return self.cl.resolve(kind, text)
        except UsageError:
            label = kind.rstrip("s").replace("_", " ")
            hint = suggest(text, getattr(self.cl, kind).values())
            self.problem(row, fld, f"unknown {label} {text!r}",
                         (hint + " See" if hint else "see") + f" 'ngocoord codes {kind.replace('_', '-')}'")
            return None

    # organizations ---------------------------------------------------------------------------

    def organization(self, row: int, fld: str, name: str, oid: str, org_type: str | None) -> str | None:
        """The id of the organization named (or identified) in a cell; a new one is planned when unknown."""
        for key in (oid, name):
            if key and key.casefold() in self.org_names:
                return self.org_names[key.casefold()]
        new_id = oid or slugify(name)
        if not new_id or not is_slug(new_id) or len(new_id) < 2:
            self.problem(row, fld, f"cannot make an organization id from {name or oid!r}",
                         "add an organization id column (HXL #org+code) with a slug such as 'my-ngo'")
            return None
        if org_type is None:
            typed = self.lead_types.get(oid.casefold()) or self.lead_types.get(name.casefold())
            org_type = self.resolve(row, fld, "org_types", typed) if typed else None
        type_code = org_type or self.default_org_type
        if type_code is None:
            if new_id in self.untyped:   # said once, at its first row
                return None
            self.untyped.add(new_id)
            self.problem(row, fld, f"organization {name or oid!r} is not in the dataset and its type is unknown",
                         "pass --default-org-type TYPE or add an 'Organization type' column; "
                         "see 'ngocoord codes org-types'")
            return None
        record = {"id": new_id, "name": name or new_id, "type": type_code,
                  "last_reviewed": self.today.isoformat(), "sources": [self.source_entry()]}
        self.new_orgs[new_id] = PlannedFile("organization", new_id, self.ds.root / "organizations" / f"{new_id}.yaml",
                                            record, [row])
        for n in (new_id, name):
            if n:
                self.org_names[n.casefold()] = new_id
        return new_id

    def source_entry(self) -> dict:
        return {"title": f"3W table {self.table.path.name}, imported with ngocoord import",
                "date": self.today.isoformat()}

    # places ----------------------------------------------------------------------------------

    def _area_named(self, text: str, level: int, within: str | None) -> str | None:
        wanted = text.strip().casefold()
        for e in self.cl.areas.values():
            if e.level != level or (within and not self.cl.lies_within(e.code, within)):
                continue
            if wanted in (n.casefold() for n in (e.code, e.name, *e.aliases, *e.raw.get("names", {}).values())):
                return e.code
        return None

    def area(self, row: int, v: dict[str, str]) -> str | None:
        if v.get("area"):
            try:
                return self.cl.resolve_place(v["area"])
            except UsageError as e:
                self.problem(row, "area", str(e).split("; run")[0], "run 'ngocoord codes areas'")
                return None
        adm1 = None
        for fld in ("admin1_code", "admin1"):
            if v.get(fld):
                adm1 = self._area_named(v[fld], 1, None)
                if adm1 is None:
                    self.problem(row, fld, f"unknown governorate {v[fld]!r}",
                                 suggest(v[fld], (e for e in self.cl.areas.values() if e.level == 1)))
                    return None
                break
        for fld in ("admin2_code", "admin2"):
            if v.get(fld):
                adm2 = self._area_named(v[fld], 2, adm1)
                if adm2 is None:
                    inside = f" in {self.cl.areas[adm1].name}" if adm1 else ""
                    elsewhere = self._area_named(v[fld], 2, None) if adm1 else None
                    if elsewhere:
                        gov = self.cl.areas[self.cl.governorate_of(elsewhere)].name
                        hint = f"{v[fld]} is a district of {gov}: check the governorate"
                    else:
                        hint = suggest(v[fld], (e for e in self.cl.areas.values()
                                                if e.level == 2 and (adm1 is None or e.parent == adm1)))
                    self.problem(row, fld, f"unknown district {v[fld]!r}{inside}", hint)
                    return None
                return adm2
        if adm1:
            return adm1
        self.problem(row, "admin1", "no place given", "fill in a governorate (or district, or area code) column")
        return None

    # one row ---------------------------------------------------------------------------------

    def values(self, cells: list[str]) -> dict[str, str]:
        return {f: unformula(cells[i].strip()) for i, f in self.table.columns.items() if i < len(cells)}

    def row(self, row: int, v: dict[str, str]) -> dict | None:
        before = len(self.problems)
        rec: dict[str, Any] = {}
        org_type = self.resolve(row, "org_type", "org_types", v["org_type"]) if v.get("org_type") else None
        if not v.get("org") and not v.get("org_id"):
            self.problem(row, "org", "no organization given")
        else:
            rec["organization"] = self.organization(row, "org", v.get("org", ""), v.get("org_id", ""), org_type)
        for role in ("partner", "donor"):
            names = split_list(v.get(role, ""), commas=False)
            ids = split_list(v.get(f"{role}_id", ""), commas=True)
            if ids and names and len(ids) != len(names):
                self.problem(row, f"{role}_id", f"{len(names)} {role} names but {len(ids)} {role} ids")
                ids = []
            pairs = list(zip(names, ids)) if ids and names else [(n, "") for n in names] or [("", i) for i in ids]
            found = [self.organization(row, role, n, i, None) for n, i in pairs]
            rec[f"{role}s"] = list(dict.fromkeys(f for f in found if f))
        sector_text = v.get("sector_code") or v.get("sector")
        sector = self.resolve(row, "sector_code" if v.get("sector_code") else "sector", "sectors", sector_text) \
            if sector_text else None
        if not sector_text:
            self.problem(row, "sector", "no sector given", "see 'ngocoord codes sectors'")
        rec["sector"] = sector
        services = []
        for s in split_list(v.get("service", ""), commas=True):
            code = self.resolve(row, "service", "services", s)
            if code and sector and self.cl.services[code].sector != sector:
                self.problem(row, "service", f"service {code!r} belongs to sector "
                             f"{self.cl.services[code].sector!r}, not {sector!r}",
                             f"see 'ngocoord codes services --sector {sector}'")
            elif code:
                services.append(code)
        if not v.get("service"):
            self.problem(row, "service", "no service given",
                         "add a Service column" + (f"; see 'ngocoord codes services --sector {sector}'" if sector else ""))
        rec["services"] = list(dict.fromkeys(services))
        rec["population"] = list(dict.fromkeys(
            p for p in (self.resolve(row, "population", "populations", t)
                        for t in split_list(v.get("population", ""), commas=True)) if p))
        rec["area"] = self.area(row, v)
        rec["site"] = v.get("site") or None
        status = (v.get("status") or "").strip().casefold()
        status = STATUS_WORDS.get(status, status)
        if status not in STATUSES:
            self.problem(row, "status", f"unknown status {v.get('status', '')!r}" if status else "no status given",
                         f"one of: {', '.join(STATUSES)}")
        rec["status"] = status
        for fld in ("start", "end"):
            text = (v.get(fld) or "").strip()
            if text and " " in text and DATE.match(text.split(" ")[0]):
                text = text.split(" ")[0]  # a spreadsheet's "2023-01-05 00:00:00"
            if text and not DATE.match(text):
                self.problem(row, fld, f"{fld} date {text!r} is not YYYY-MM-DD, YYYY-MM or YYYY")
            rec[fld] = text or None
        for fld in ("targeted", "reached"):
            text = (v.get(fld) or "").replace(",", "").replace(" ", "")
            if text.endswith(".0"):
                text = text[:-2]
            if text and not text.isdigit():
                self.problem(row, fld, f"{fld} {v[fld]!r} is not a whole number")
            rec[fld] = int(text) if text.isdigit() else None
        sensitive = (v.get("sensitive") or "").strip().casefold()
        if sensitive not in YES | NO:
            self.problem(row, "sensitive", f"sensitive {v['sensitive']!r} is not yes or no")
        rec["sensitive"] = sensitive in YES
        rec["id"] = v.get("activity_id") or ""
        rec["title"] = v.get("title") or ""
        if not rec["title"]:
            self.problem(row, "title", "no activity title given")
        return rec if len(self.problems) == before else None


def activity_record(rec: dict, locations: list[dict], today: dt.date, source: dict) -> dict:
    """The activity's YAML content, keys in the SPEC's order."""
    out: dict[str, Any] = {"id": rec["id"], "title": rec["title"], "organization": rec["organization"]}
    for key in ("partners", "donors"):
        if rec[key]:
            out[key] = rec[key]
    out["sector"] = rec["sector"]
    out["services"] = rec["services"]
    if rec["population"]:
        out["population"] = rec["population"]
    out["locations"] = locations
    out["status"] = rec["status"]
    for key in ("start", "end"):
        if rec[key]:
            out[key] = rec[key]
    beneficiaries = {k: rec[k] for k in ("targeted", "reached") if rec[k] is not None}
    if beneficiaries:
        out["beneficiaries"] = beneficiaries
    if rec["sensitive"]:
        out["sensitive"] = True
    out["last_reviewed"] = today.isoformat()
    out["sources"] = [source]
    return out


_SAME_ACTIVITY = ("organization", "title", "partners", "donors", "sector", "services", "population", "status",
                  "start", "end", "targeted", "reached", "sensitive")


def plan_import(ds, path: Path, *, default_org_type: str | None = None, today: dt.date | None = None) -> ImportPlan:
    """What importing `path` into `ds` would write, and every value that could not be mapped."""
    today = today or dt.date.today()
    table = read_table(path)
    if default_org_type is not None:
        default_org_type = ds.codelists.resolve("org_types", default_org_type)
    planner = _Planner(ds, table, default_org_type, today)
    groups: dict[Any, tuple[dict, list[dict], list[int]]] = {}
    for number, cells in table.rows:
        rec = planner.row(number, planner.values(cells))
        if rec is None:
            continue
        key = rec["id"] or tuple(str(rec[k]) for k in _SAME_ACTIVITY)
        if key in groups:
            first, locations, rows = groups[key]
            if rec["id"] and any(first[k] != rec[k] for k in _SAME_ACTIVITY):
                planner.problem(number, "activity_id", f"activity {rec['id']!r} differs from its row {rows[0]}",
                                "rows of one activity may differ only in their place")
                continue
        else:
            first, locations, rows = groups.setdefault(key, (rec, [], []))
        location = {"area": rec["area"], **({"site": rec["site"]} if rec["site"] else {})}
        if location not in locations:
            locations.append(location)
        rows.append(number)
    files = list(planner.new_orgs.values())
    taken = set(ds.activities)
    for rec, locations, rows in groups.values():
        aid = rec["id"] or _unique(slugify(f"{rec['organization']}-{rec['title']}") or f"activity-row-{rows[0]}", taken)
        if not is_slug(aid):
            planner.problem(rows[0], "activity_id", f"activity id {aid!r} is not a slug",
                            "use lower-case letters, digits and single hyphens")
            continue
        taken.add(aid)
        rec = {**rec, "id": aid}
        files.append(PlannedFile("activity", aid, ds.root / "activities" / f"{aid}.yaml",
                                 activity_record(rec, locations, today, planner.source_entry()), rows))
    existing = [f for f in files if f.path.exists() or f.path.is_symlink()
                or (f.kind == "activity" and f.id in ds.activities)]
    for f in existing:
        planner.problem(f.rows[0], "activity_id" if f.kind == "activity" else "org",
                        f"{f.kind} {f.id!r} already exists ({f.path.name}); it was not overwritten",
                        severity=WARNING)
    kept = [f for f in files if f not in existing]
    return ImportPlan(table.path.name, kept, sorted(planner.problems), existing, table.ignored)


def _unique(slug: str, taken: set[str]) -> str:
    slug = slug[:60].rstrip("-")
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


def write_plan(plan: ImportPlan, *, files: list[PlannedFile] | None = None) -> list[Path]:
    """Write the planned files (never replacing one); returns the paths written."""
    from ngocoord.atomic import WouldOverwrite, write_atomic
    from ngocoord.dataset import dataset_folder

    files = plan.files if files is None else files
    for folder in {f.path.parent for f in files}:  # never through a link leading out of the dataset
        dataset_folder(folder.parent, folder.name)
    written = []
    for f in files:
        f.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            write_atomic(f.path, f.text())
        except WouldOverwrite:
            continue
        written.append(f.path)
    return written
