"""Organizations and activities for people: rows for the 3W lists, and one record with its codes resolved to names."""

from __future__ import annotations

from typing import Any

from ngocoord.render import tabular
from ngocoord.render.output import Result


def named(entries: dict, code: str) -> str:
    """'Name (code)' when the code is known, else the code alone."""
    entry = entries.get(code)
    return f"{entry.name} ({code})" if entry is not None and entry.name != code else code


def place_name(cl, code: str) -> str:
    place = cl.place(code)
    return f"{place.name} ({code})" if place is not None else code


def activity_rows(ds, activities, *, readable: bool) -> tuple[list[str], list[list]]:
    """One row per activity: codes only for programs (CSV); for people, fewer, narrower columns with place names."""
    cl = ds.codelists
    if not readable:
        columns = ["id", "organization", "partners", "sector", "services", "areas", "status", "start", "end"]
        return columns, [[a.id, a.organization, list(a.partners), a.sector, list(a.services),
                          list(dict.fromkeys(loc.area for loc in a.locations)), a.status,
                          a.raw.get("start") or "", a.raw.get("end") or ""] for a in activities]
    columns = ["activity", "organizations", "services", "where", "status", "period"]
    rows = []
    for a in activities:
        where = list(dict.fromkeys(place_name(cl, loc.area) for loc in a.locations))
        period = f"{a.raw.get('start') or '…'} – {a.raw.get('end') or '…'}" if a.start or a.end else ""
        rows.append([a.id, [a.organization, *(f"{p} (partner)" for p in a.partners)], list(a.services), where, a.status, period])
    return columns, rows


def organization_rows(ds, organizations, activities=None) -> tuple[list[str], list[list]]:
    """One row per organization, with how many of `activities` (default: all) it leads and partners in."""
    leads: dict[str, int] = {}
    partners: dict[str, int] = {}
    for a in ds.activities.values() if activities is None else activities:
        leads[a.organization] = leads.get(a.organization, 0) + 1
        for p in set(a.partners) - {a.organization}:
            partners[p] = partners.get(p, 0) + 1
    columns = ["id", "name", "acronym", "type", "country", "leads", "partner_in"]
    rows = [[o.id, o.name, o.acronym or "", o.type, o.country or "", leads.get(o.id, 0), partners.get(o.id, 0)]
            for o in organizations]
    return columns, rows


def _orgs(ds, ids) -> list[str]:
    return [f"{ds.organizations[i].name} ({i})" if i in ds.organizations else i for i in ids]


def _sources(raw: dict) -> list[str]:
    out = []
    for s in raw.get("sources") or ():
        extra = ", ".join(str(s[k]) for k in ("date", "url") if s.get(k))
        out.append(f"{s.get('title', '')}" + (f" ({extra})" if extra else ""))
    return out


def activity_fields(ds, a) -> list[tuple[str, Any]]:
    """(field, value) of one activity, codes and ids resolved to names, in the order of the SPEC's table."""
    cl, raw = ds.codelists, a.raw
    locations = [place_name(cl, loc.area) + (f" — {loc.site}" if loc.site else "") for loc in a.locations]
    beneficiaries = raw.get("beneficiaries") or {}
    fields = [
        ("id", a.id), ("title", a.title), ("organization", _orgs(ds, [a.organization])),
        ("partners", _orgs(ds, a.partners)), ("donors", _orgs(ds, a.donors)),
        ("sector", named(cl.sectors, a.sector)), ("services", [named(cl.services, s) for s in a.services]),
        ("population", [named(cl.populations, p) for p in a.population] or "general population"),
        ("locations", locations), ("status", a.status), ("start", raw.get("start")), ("end", raw.get("end")),
        ("beneficiaries", ", ".join(f"{k} {v}" for k, v in beneficiaries.items())),
        ("counterparts", list(raw.get("counterparts") or ())), ("sensitive", a.sensitive),
        ("coordinated_with", list(a.coordinated_with)), ("last_reviewed", raw.get("last_reviewed")),
        ("sources", _sources(raw)), ("description", raw.get("description")), ("file", a.path),
    ]
    return [(k, v) for k, v in fields if v not in (None, "", [], ())]


def organization_fields(ds, o) -> list[tuple[str, Any]]:
    cl, raw = ds.codelists, o.raw
    names = raw.get("names") or {}
    fields = [
        ("id", o.id), ("name", o.name), ("acronym", o.acronym),
        ("names", [f"{lang}: {n}" for lang, n in names.items()]), ("type", named(cl.org_types, o.type)),
        ("country", o.country), ("website", raw.get("website")), ("email", raw.get("email")),
        ("member_of", _orgs(ds, o.member_of)), ("last_reviewed", raw.get("last_reviewed")),
        ("sources", _sources(raw)), ("notes", raw.get("notes")), ("file", o.path),
    ]
    return [(k, v) for k, v in fields if v not in (None, "", [], ())]


def role_rows(roles) -> tuple[list[str], list[list]]:
    return (["activity", "role", "status", "sector", "title"],
            [[a.id, role, a.status, a.sector, a.title] for a, role in roles])


def fields_table(fields, title: str):
    """A two-column rich table: field, value (lists one item a line); data never read as markup."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(title), box=box.SIMPLE, show_header=False)
    table.add_column("field", style="bold", no_wrap=True)
    table.add_column("value", overflow="fold")
    for key, value in fields:
        text = "\n".join(tabular.cell_text(v) for v in value) if isinstance(value, list) else tabular.cell_text(value)
        table.add_row(Text(key), Text(text))
    return table


def fields_markdown(fields, title: str) -> str:
    return f"**{tabular.md_escape(title)}**\n\n" + tabular.as_markdown(["field", "value"], [[k, v] for k, v in fields])


# --- the results of the query commands (ngocoord.render.output) ------------------------------

class ActivityList(Result):
    """`activities`: codes for programs (CSV), names and fewer columns for people."""

    def __init__(self, ds, activities):
        self.ds, self.activities = ds, activities
        self.title = f"{len(activities)} activit{'y' if len(activities) == 1 else 'ies'}"

    def rows(self):
        return activity_rows(self.ds, self.activities, readable=False)

    def readable_rows(self):
        return activity_rows(self.ds, self.activities, readable=True)

    def to_json(self) -> dict:
        return {"activities": [a.raw for a in self.activities]}


class OrganizationList(Result):
    """`orgs`: each organization with how many of `counted` (default: all activities) it leads and partners in."""

    def __init__(self, ds, organizations, counted=None):
        self.ds, self.organizations, self.counted = ds, organizations, counted
        self.title = f"{len(organizations)} organization{'' if len(organizations) == 1 else 's'}"

    def rows(self):
        return organization_rows(self.ds, self.organizations, self.counted)

    def to_json(self) -> dict:
        return {"organizations": [o.raw for o in self.organizations]}


class CodelistView(Result):
    """`codes`: one codelist's entries (codes_table's columns and rows)."""

    def __init__(self, cl, which: str, columns: list[str], rows: list[list]):
        self.cl, self.which, self.columns, self.entries = cl, which, columns, rows
        self.title = f"{which} ({len(rows)})"

    def rows(self):
        return self.columns, self.entries

    def to_json(self) -> dict:
        return {self.which.replace("-", "_"): [self._record(r) for r in self.entries]}

    def _record(self, row: list) -> dict:
        """One row for programs: aliases as a list (an alias may hold a comma), absent values as null."""
        record = {c: (None if v == "" else v) for c, v in zip(self.columns, row)}
        if "aliases" in record:
            entry = (self.cl.place(record["code"]) if self.which == "areas"
                     else getattr(self.cl, self.which.replace("-", "_")).get(record["code"]))
            record["aliases"] = list(entry.aliases) if entry else []
        return record


class RecordView(Result):
    """`show`: an organization (with its roles in activities) and/or an activity, names resolved."""

    def __init__(self, ds, org, act, roles):
        self.ds, self.org, self.act, self.roles = ds, org, act, roles
        self.parts = []  # (title, fields, roles or None)
        if org is not None:
            self.parts.append((f"organization {org.id}", organization_fields(ds, org), roles))
        if act is not None:
            self.parts.append((f"activity {act.id}", activity_fields(ds, act), None))

    def rows(self):
        return ["field", "value"], [[k, v] for _, fields, _ in self.parts for k, v in fields]

    def to_json(self) -> dict:
        payload = {}
        if self.org is not None:
            payload["organization"] = self.org.raw
            payload["activities"] = [{"id": a.id, "role": role, "title": a.title, "status": a.status}
                                     for a, role in self.roles]
        if self.act is not None:
            payload["activity"] = self.act.raw
            payload["names"] = names_of(self.ds, self.act)
        return payload

    def as_csv(self) -> list:
        return self._each(lambda fields, _title: tabular.as_csv(["field", "value"], [[k, v] for k, v in fields]),
                          lambda roles: "\n" + tabular.as_csv(*role_rows(roles)))

    def as_markdown(self) -> list:
        return self._each(fields_markdown, lambda roles: "\n" + tabular.as_markdown(*role_rows(roles)))

    def as_table(self) -> list:
        return self._each(fields_table, lambda roles: tabular.as_table(
            *role_rows(roles), title=f"activities of {self.org.id} ({len(roles)})"))

    def _each(self, show_fields, show_roles) -> list:
        """Each record's fields, then (for an organization) its activities, as parts."""
        out = []
        for title, fields, roles in self.parts:
            out.append(show_fields(fields, title))
            if roles:
                out.append(show_roles(roles))
        return out


def names_of(ds, act) -> dict:
    """Every code and id the activity refers to, with its name."""
    cl = ds.codelists
    names = {}
    for o in (act.organization, *act.partners, *act.donors):
        if o in ds.organizations:
            names[o] = ds.organizations[o].name
    for code, entries in ((act.sector, cl.sectors), *((s, cl.services) for s in act.services),
                          *((p, cl.populations) for p in act.population)):
        if code in entries:
            names[code] = entries[code].name
    for loc in act.locations:
        if cl.place(loc.area):
            names[loc.area] = cl.place(loc.area).name
    return names
