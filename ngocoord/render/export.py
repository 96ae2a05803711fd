"""The dataset as a 3W table (who does what where): one row per activity and location.

The same rows become CSV (spreadsheet-safe), HXL (CSV with a hashtag row, per the Humanitarian
Exchange Language), JSON records, or a SQLite database with the records and every codelist.

Sensitive activities (`sensitive: true`) are coarsened to their governorate and lose their site,
unless the caller asks for exact places.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ngocoord.codelists import Codelists

# (column, HXL hashtag): the 3W columns in order. HXL: #org+impl = implementing partner,
# #org+funder = donor, +code = a machine-readable identifier, +name = the readable name.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("activity_id", "#activity+code"),
    ("activity_title", "#activity+name"),
    ("organization_id", "#org+code"),
    ("organization_name", "#org+name"),
    ("organization_type", "#org+type"),
    ("partners", "#org+impl+name"),
    ("partner_ids", "#org+impl+code"),
    ("donors", "#org+funder+name"),
    ("donor_ids", "#org+funder+code"),
    ("sector_code", "#sector+code"),
    ("sector_name", "#sector+name"),
    ("services", "#service+code"),
    ("population", "#beneficiary+code"),
    ("admin1_code", "#adm1+code"),
    ("admin1_name", "#adm1+name"),
    ("admin2_code", "#adm2+code"),
    ("admin2_name", "#adm2+name"),
    ("area_code", "#loc+code"),
    ("site", "#loc+name"),
    ("status", "#status"),
    ("start", "#date+start"),
    ("end", "#date+end"),
    ("targeted", "#targeted"),
    ("reached", "#reached"),
    ("sensitive", "#meta+sensitive"),
)
COLUMN_NAMES = tuple(c for c, _tag in COLUMNS)
LIST_COLUMNS = frozenset({"partners", "partner_ids", "donors", "donor_ids", "services", "population"})
LIST_SEPARATOR = "; "


@dataclass(frozen=True, slots=True)
class Place:
    area: str
    site: str | None


def shown_places(cl: Codelists, activity, include_sensitive: bool) -> list[Place]:
    """The activity's locations as they may be published (ngocoord.domain.published): a sensitive
    one at governorate level, no site."""
    from ngocoord.domain.published import shown_locations

    return list(dict.fromkeys(Place(loc.area, loc.site) for loc in shown_locations(cl, activity, include_sensitive)))


def admin_of(cl: Codelists, area: str, level: int) -> str | None:
    """The area at admin `level` that `area` lies in (itself included), or None when it is coarser."""
    for code in cl.ancestors(area):
        if cl.areas[code].level == level:
            return code
    return None


def _name(cl_dict, code: str | None) -> str | None:
    if code is None:
        return None
    entry = cl_dict.get(code)
    return entry.name if entry else code


def only_activities(ds, *, region=None, sector=None, org=None, include_sensitive: bool = False):
    """The dataset with only the activities the filters select (as `activities` selects them). A
    sensitive activity is placed by its published location (its governorate) unless
    `include_sensitive`: which rows a district's export holds must not tell where it works."""
    import dataclasses

    from ngocoord.analysis.queries import filter_activities
    from ngocoord.domain.published import published_view

    view = published_view(ds, include_sensitive)
    chosen = {a.id for a in filter_activities(view, region=region, sector=sector, org=org)}
    return dataclasses.replace(ds, activities={k: a for k, a in ds.activities.items() if k in chosen})


def three_w_rows(ds, *, include_sensitive: bool = False) -> list[dict[str, Any]]:
    """One dict per activity and (publishable) location, keys as in COLUMNS; lists stay lists."""
    cl = ds.codelists
    orgs = ds.organizations

    def org_name(oid: str) -> str:
        return orgs[oid].name if oid in orgs else oid

    rows = []
    for act in sorted(ds.activities.values(), key=lambda a: a.id):
        lead = orgs.get(act.organization)
        beneficiaries = act.raw.get("beneficiaries") or {}
        for place in shown_places(cl, act, include_sensitive):
            adm1, adm2 = admin_of(cl, place.area, 1), admin_of(cl, place.area, 2)
            rows.append({
                "activity_id": act.id,
                "activity_title": act.title,
                "organization_id": act.organization,
                "organization_name": org_name(act.organization),
                "organization_type": lead.type if lead else None,
                "partners": [org_name(p) for p in act.partners],
                "partner_ids": list(act.partners),
                "donors": [org_name(d) for d in act.donors],
                "donor_ids": list(act.donors),
                "sector_code": act.sector,
                "sector_name": _name(cl.sectors, act.sector),
                "services": list(act.services),
                "population": list(act.population),
                "admin1_code": adm1,
                "admin1_name": _name(cl.areas, adm1),
                "admin2_code": adm2,
                "admin2_name": _name(cl.areas, adm2),
                "area_code": place.area,
                "site": place.site,
                "status": act.status,
                "start": act.raw.get("start"),
                "end": act.raw.get("end"),
                "targeted": beneficiaries.get("targeted"),
                "reached": beneficiaries.get("reached"),
                "sensitive": act.sensitive,
            })
    return rows


def sensitive_count(ds) -> int:
    return sum(1 for a in ds.activities.values() if a.sensitive)


def _flat(row: dict[str, Any]) -> list[Any]:
    return [LIST_SEPARATOR.join(row[c]) if c in LIST_COLUMNS else row[c] for c in COLUMN_NAMES]


def as_csv(rows: list[dict[str, Any]], *, hxl: bool = False) -> str:
    """CSV with formula-like cells neutralised; with `hxl`, the hashtag row follows the header."""
    from ngocoord.render import tabular

    text = tabular.as_csv(COLUMN_NAMES, [_flat(r) for r in rows])
    if not hxl:
        return text
    header, _, body = text.partition("\n")
    return header + "\n" + ",".join(tag for _c, tag in COLUMNS) + "\n" + body


def as_xlsx(rows: list[dict[str, Any]], *, hxl: bool = False) -> bytes:
    """An XLSX workbook of the 3W table. Every text cell is stored as text, never as a formula:
    a title such as '=HYPERLINK(...)' stays the text it is (openpyxl would otherwise write it as
    a formula that the spreadsheet runs)."""
    import io

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("3W")

    def cells(values):
        out = []
        for value in values:
            if isinstance(value, bool):
                value = "yes" if value else "no"
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"     # text, even when it starts with '=': neutralised
            out.append(cell)
        return out

    sheet.append(cells(COLUMN_NAMES))
    if hxl:
        sheet.append(cells([tag for _c, tag in COLUMNS]))
    for row in rows:
        sheet.append(cells(_flat(row)))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def as_json(rows: list[dict[str, Any]]) -> str:
    from ngocoord.render import tabular

    return tabular.as_json(rows)


# --- SQLite ----------------------------------------------------------------------------------

_SCHEMA = """
CREATE TABLE org_types (code TEXT PRIMARY KEY, name TEXT NOT NULL, iati_code TEXT);
CREATE TABLE sectors (code TEXT PRIMARY KEY, name TEXT NOT NULL, aliases TEXT);
CREATE TABLE services (code TEXT PRIMARY KEY, name TEXT NOT NULL, sector TEXT REFERENCES sectors(code), description TEXT);
CREATE TABLE populations (code TEXT PRIMARY KEY, name TEXT NOT NULL, aliases TEXT);
CREATE TABLE areas (code TEXT PRIMARY KEY, name TEXT NOT NULL, level INTEGER, parent TEXT REFERENCES areas(code), aliases TEXT);
CREATE TABLE regions (code TEXT PRIMARY KEY, name TEXT NOT NULL, aliases TEXT);
CREATE TABLE region_members (region TEXT NOT NULL REFERENCES regions(code), area TEXT NOT NULL REFERENCES areas(code),
                             PRIMARY KEY (region, area));
CREATE TABLE organizations (id TEXT PRIMARY KEY, name TEXT NOT NULL, acronym TEXT, type TEXT REFERENCES org_types(code),
                            country TEXT, website TEXT, email TEXT, last_reviewed TEXT, notes TEXT);
CREATE TABLE organization_memberships (organization TEXT NOT NULL REFERENCES organizations(id),
                                       member_of TEXT NOT NULL REFERENCES organizations(id), PRIMARY KEY (organization, member_of));
CREATE TABLE activities (id TEXT PRIMARY KEY, title TEXT NOT NULL, organization TEXT NOT NULL REFERENCES organizations(id),
                         sector TEXT NOT NULL REFERENCES sectors(code), status TEXT NOT NULL, start TEXT, "end" TEXT,
                         targeted INTEGER, reached INTEGER, sensitive INTEGER NOT NULL, last_reviewed TEXT, description TEXT);
CREATE TABLE locations (activity TEXT NOT NULL REFERENCES activities(id), area TEXT NOT NULL, site TEXT,
                        admin1 TEXT REFERENCES areas(code), admin2 TEXT REFERENCES areas(code));
CREATE TABLE activity_services (activity TEXT NOT NULL REFERENCES activities(id), service TEXT NOT NULL REFERENCES services(code),
                                PRIMARY KEY (activity, service));
CREATE TABLE activity_populations (activity TEXT NOT NULL REFERENCES activities(id),
                                   population TEXT NOT NULL REFERENCES populations(code), PRIMARY KEY (activity, population));
CREATE TABLE activity_partners (activity TEXT NOT NULL REFERENCES activities(id),
                                organization TEXT NOT NULL REFERENCES organizations(id), PRIMARY KEY (activity, organization));
CREATE TABLE activity_donors (activity TEXT NOT NULL REFERENCES activities(id),
                              organization TEXT NOT NULL REFERENCES organizations(id), PRIMARY KEY (activity, organization));
CREATE TABLE activity_counterparts (activity TEXT NOT NULL REFERENCES activities(id), counterpart TEXT NOT NULL);
CREATE TABLE sources (record_kind TEXT NOT NULL, record_id TEXT NOT NULL, title TEXT NOT NULL, url TEXT, date TEXT);
CREATE TABLE three_w ({three_w});
CREATE INDEX locations_activity ON locations(activity);
CREATE INDEX locations_admin1 ON locations(admin1);
CREATE INDEX activities_organization ON activities(organization);
"""


def _aliases(entry) -> str | None:
    return LIST_SEPARATOR.join(entry.aliases) or None


def as_sqlite(ds, path: str, *, include_sensitive: bool = False) -> None:
    """Write a fresh SQLite database at `path` (which must not exist): records, codelists and the 3W table."""
    import sqlite3

    cl = ds.codelists
    three_w = ", ".join(f'"{c}" {"INTEGER" if c in ("targeted", "reached", "sensitive") else "TEXT"}'
                        for c in COLUMN_NAMES)
    con = sqlite3.connect(path)
    try:
        con.executescript(_SCHEMA.replace("{three_w}", three_w))
        ins = con.executemany
        ins("INSERT INTO org_types VALUES (?,?,?)", [(t.code, t.name, t.iati_code) for t in cl.org_types.values()])
        ins("INSERT INTO sectors VALUES (?,?,?)", [(s.code, s.name, _aliases(s)) for s in cl.sectors.values()])
        ins("INSERT INTO services VALUES (?,?,?,?)",
            [(s.code, s.name, s.sector, s.description) for s in cl.services.values()])
        ins("INSERT INTO populations VALUES (?,?,?)", [(p.code, p.name, _aliases(p)) for p in cl.populations.values()])
        ins("INSERT INTO areas VALUES (?,?,?,?,?)",
            [(a.code, a.name, a.level, a.parent, _aliases(a)) for a in cl.areas.values()])
        ins("INSERT INTO regions VALUES (?,?,?)", [(r.code, r.name, _aliases(r)) for r in cl.regions.values()])
        ins("INSERT OR IGNORE INTO region_members VALUES (?,?)",
            [(r.code, m) for r in cl.regions.values() for m in r.members])
        orgs = sorted(ds.organizations.values(), key=lambda o: o.id)
        ins("INSERT INTO organizations VALUES (?,?,?,?,?,?,?,?,?)",
            [(o.id, o.name, o.acronym, o.type, o.country, o.raw.get("website"), o.raw.get("email"),
              o.raw.get("last_reviewed"), o.raw.get("notes")) for o in orgs])
        ins("INSERT OR IGNORE INTO organization_memberships VALUES (?,?)", [(o.id, m) for o in orgs for m in o.member_of])
        acts = sorted(ds.activities.values(), key=lambda a: a.id)
        ins("INSERT INTO activities VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [(a.id, a.title, a.organization, a.sector, a.status, a.raw.get("start"), a.raw.get("end"),
              (a.raw.get("beneficiaries") or {}).get("targeted"), (a.raw.get("beneficiaries") or {}).get("reached"),
              int(a.sensitive), a.raw.get("last_reviewed"), a.raw.get("description")) for a in acts])
        ins("INSERT INTO locations VALUES (?,?,?,?,?)",
            [(a.id, p.area, p.site, admin_of(cl, p.area, 1), admin_of(cl, p.area, 2))
             for a in acts for p in shown_places(cl, a, include_sensitive)])
        for table, attr in (("activity_services", "services"), ("activity_populations", "population"),
                            ("activity_partners", "partners"), ("activity_donors", "donors")):
            ins(f"INSERT OR IGNORE INTO {table} VALUES (?,?)", [(a.id, v) for a in acts for v in getattr(a, attr)])
        ins("INSERT INTO activity_counterparts VALUES (?,?)",
            [(a.id, c) for a in acts for c in a.raw.get("counterparts") or ()])
        ins("INSERT INTO sources VALUES (?,?,?,?,?)",
            [(kind, r.id, s.get("title"), s.get("url"), s.get("date"))
             for kind, records in (("organization", orgs), ("activity", acts))
             for r in records for s in r.raw.get("sources") or ()])
        ins(f"INSERT INTO three_w VALUES ({','.join('?' * len(COLUMN_NAMES))})",
            [[int(v) if isinstance(v, bool) else v for v in _flat(r)]
             for r in three_w_rows(ds, include_sensitive=include_sensitive)])
        con.commit()
    finally:
        con.close()
