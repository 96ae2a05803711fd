"""Coverage gaps: how many organizations deliver each sector (or service) in each area of a region.

A cell counts the distinct delivering organizations (lead plus partners, never donors) of the
activities active on the day, with that sector/service, and with a location lying within the
cell's area. An activity located only at a coarser level than the rows (a governorate when the
rows are districts, a region when they are governorates) covers no cell: it is `unlocated`.
A sector-level activity (no services) counts in its sector's column and in no service column: with
service columns it is listed as `unspecified`.

A cell is *stale* when every activity counted in it was last reviewed more than a year before
the day (ngocoord.domain.staleness): the count may no longer describe what happens there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ngocoord.domain.staleness import is_stale
from ngocoord.model import Activity, active_on, delivering_orgs
from ngocoord.problems import UsageError


@dataclass(slots=True)
class CoverageRow:
    area: str
    name: str
    counts: dict[str, int]


@dataclass(slots=True)
class Coverage:
    region: str
    as_of: dt.date
    level: int
    min_orgs: int
    sector: str | None
    columns: list[str]
    column_names: dict[str, str]
    rows: list[CoverageRow]
    gaps: list[tuple[str, str]] = field(default_factory=list)      # (area, column) below min_orgs
    thin: list[tuple[str, str]] = field(default_factory=list)      # (area, column) at exactly min_orgs
    unlocated: list[str] = field(default_factory=list)             # activity ids covering no cell
    unspecified: list[str] = field(default_factory=list)           # sector-level activities (service columns only)
    stale: list[tuple[str, str]] = field(default_factory=list)     # (area, column) counted only from stale records
    counted: list[str] = field(default_factory=list)               # activity ids counted in some cell
    counted_stale: list[str] = field(default_factory=list)         # those of them last reviewed over a year ago

    def to_json(self) -> dict:
        return {
            "region": self.region,
            "as_of": self.as_of.isoformat(),
            "level": self.level,
            "columns": list(self.columns),
            "rows": [{"area": r.area, "name": r.name, "counts": dict(r.counts)} for r in self.rows],
            "gaps": [{"area": a, "column": c} for a, c in self.gaps],
            "thin": [{"area": a, "column": c} for a, c in self.thin],
            "unlocated": list(self.unlocated),
            **({"unspecified": list(self.unspecified)} if self.sector is not None else {}),
            "stale": [{"area": a, "column": c} for a, c in self.stale],
        }


def _columns_of(activity: Activity, sector: str | None) -> tuple[str, ...]:
    if sector is None:
        return (activity.sector,)
    return activity.services if activity.sector == sector else ()


def rows_level(cl, place: str, level: int | None) -> int:
    """The admin level of the rows for `place`: as asked, or by default governorates (level 1, so a
    governorate is its own row); for a place finer than that (a district given as the region), one
    level finer when the codelists have such areas inside it, else the place itself as the only row.
    A level asked for that has no area inside the place is a UsageError that says which --level to use."""
    entry = cl.areas.get(place)
    own = entry.level if entry is not None and entry.level is not None else None
    if level is None:
        if own is None or own <= 1:
            return 1
        return own + 1 if cl.areas_within(place, own + 1) else own
    if cl.areas_within(place, level):
        return level
    # the levels `gaps --level` offers (SPEC: 1|2); finer areas are the default rows of a district
    usable = sorted({a.level for a in cl.areas.values() if a.level in (1, 2) and cl.lies_within(a.code, place)})
    kind = {1: "a governorate", 2: "a district"}.get(own, f"a level-{own} area") if own is not None else "a region"
    name = cl.place(place).name if cl.place(place) else place
    raise UsageError(f"{name} ({place}) is {kind}: it holds no level-{level} areas; "
                     + (f"use --level {' or --level '.join(map(str, usable))}, or leave --level out" if usable
                        else "leave --level out"))


def coverage(ds, region: str, *, sector: str | None = None, level: int = 1, as_of: dt.date,
             min_orgs: int = 1) -> Coverage:
    """The coverage matrix of `region` (a place code) at admin `level` on day `as_of`."""
    cl = ds.codelists
    if not cl.is_place(region):
        raise UsageError(f"unknown place '{region}'")
    if sector is not None and sector not in cl.sectors:
        raise UsageError(f"unknown sector '{sector}'")
    if min_orgs < 1:
        raise UsageError("--min-orgs must be at least 1")
    areas = cl.areas_within(region, level)
    if not areas:
        raise UsageError(f"there are no level-{level} areas within {cl.place(region).name} ({region})")
    if sector is None:
        column_names = {s.code: s.name for s in cl.sectors.values()}
    else:
        column_names = {s.code: s.name for s in cl.services.values() if s.sector == sector}
    columns = list(column_names)
    row_codes = {a.code for a in areas}
    orgs: dict[tuple[str, str], set[str]] = {}
    fresh: set[tuple[str, str]] = set()   # cells with at least one activity reviewed within the year
    unlocated, unspecified, counted, counted_stale = [], [], [], []
    for activity in ds.activities.values():
        wanted = [c for c in _columns_of(activity, sector) if c in column_names]
        if not wanted or not active_on(activity, as_of):
            if sector is not None and activity.sector == sector and not activity.services \
                    and active_on(activity, as_of) and _touches(cl, activity, region):
                unspecified.append(activity.id)
            continue
        cells = set()
        touches = False
        for loc in activity.locations:
            inside = cl.containers(loc.area) & row_codes
            cells |= inside
            touches = touches or bool(inside) or cl.lies_within(loc.area, region) or cl.lies_within(region, loc.area)
        if not cells:
            if touches:
                unlocated.append(activity.id)
            continue
        delivering = delivering_orgs(activity)
        current = not is_stale(activity.last_reviewed, as_of)
        counted.append(activity.id)
        if not current:
            counted_stale.append(activity.id)
        for area in cells:
            for column in wanted:
                orgs.setdefault((area, column), set()).update(delivering)
                if current:
                    fresh.add((area, column))
    rows, gaps, thin = [], [], []
    for a in areas:
        counts = {c: len(orgs.get((a.code, c), ())) for c in columns}
        rows.append(CoverageRow(a.code, a.name, counts))
        gaps += [(a.code, c) for c in columns if counts[c] < min_orgs]
        thin += [(a.code, c) for c in columns if counts[c] == min_orgs]
    stale = [(a.code, c) for a in areas for c in columns if (a.code, c) in orgs and (a.code, c) not in fresh]
    return Coverage(region, as_of, level, min_orgs, sector, columns, column_names, rows, gaps, thin, sorted(unlocated),
                    sorted(unspecified), stale, sorted(counted), sorted(counted_stale))


def _touches(cl, activity: Activity, region: str) -> bool:
    return any(cl.lies_within(loc.area, region) or cl.lies_within(region, loc.area) for loc in activity.locations)
