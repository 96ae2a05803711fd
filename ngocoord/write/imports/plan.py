"""From a sheet to a plan: which activities to create or update, which organizations they need,
and every row that could not be mapped, with why. Nothing is written here.

rows -> one mapped Row each (or its problems) -> groups of rows (one activity each, its places
the group's places) -> matched with the dataset's activities (by id, else by organization,
sector and title compared as names) -> the records to create, to update (only the fields the
sheet carries), and the organizations the written activities name that do not exist yet.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ngocoord.domain.names import name_key
from ngocoord.write.imports.columns import Layout, layout
from ngocoord.write.imports.profile import Profile
from ngocoord.write.imports.readers import Sheet, read_sheet
from ngocoord.write.imports.rows import RowMapper, RowProblem, slugify, stems, unique
from ngocoord.problems import UsageError

ACTIVITY_KEYS = ("id", "title", "organization", "partners", "donors", "sector", "services", "population",
                 "locations", "status", "start", "end", "beneficiaries", "counterparts", "sensitive",
                 "last_reviewed", "sources", "coordinated_with", "description")


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


def _has_organization(rows: list[tuple[int, list[str]]]) -> bool:
    lay = layout(rows, None)
    return "organization" in lay.columns


def read(path: Path, profile: Profile, sheet: str | None = None, encoding: str | None = None) -> tuple[Sheet, Layout]:
    wanted = None if profile.columns or profile.overrides.get("organization") else _has_organization
    data = read_sheet(path, sheet or profile.sheet, encoding or profile.encoding, wanted)
    if not data.rows:
        raise UsageError(f"{path} holds no table")
    return data, layout(data.rows, profile.columns or None, profile.overrides)


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
    planner = RowMapper(ds, profile, lay, source, today)
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
    taken = set(by_id) | stems(ds.root / "activities")
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
        aid = rec["id"] or unique(_activity_slug(rec), taken)
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
