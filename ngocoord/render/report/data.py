"""Everything a report shows, gathered once from the dataset: plain values, no markup.

The coverage matrix and the duplicate pairs come from ngocoord.analysis; this module only
counts, groups, and hides what must not be published (the exact places of sensitive activities).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ngocoord.domain.regions import default_region
from ngocoord.domain.counts import place_counts
from ngocoord.domain.staleness import days_since_review, is_stale
from ngocoord.model import STATUSES, Activity, active_on, delivering_orgs
from ngocoord.problems import UsageError

MAX_ROWS = 300    # per table: a report stays readable (and light on a phone); the rest is counted


def beyond(rows: list, what: str, command: str, total: int | None = None) -> str:
    """The note under a table cut at MAX_ROWS, or ''. `total` when only the shown rows were kept."""
    extra = (len(rows) if total is None else total) - MAX_ROWS
    return f"…and {extra} more {what}; for all of them run: {command}" if extra > 0 else ""
WITHHELD = "withheld (sensitive)"


@dataclass(slots=True)
class Tile:
    area: str
    name: str
    row: int
    col: int
    organizations: int               # distinct delivering organizations of active activities located within it
    sectors: list[str]               # names of the sectors those activities belong to


@dataclass(slots=True)
class AreaActivity:
    id: str
    title: str
    organization: str                # name
    sector: str                      # name
    services: list[str]              # names
    places: list[str]                # district/site text, or WITHHELD
    status: str
    active: bool
    period: str
    source_url: str | None


@dataclass(slots=True)
class AreaSection:
    area: str
    name: str
    activities: list[AreaActivity]


@dataclass(slots=True)
class DuplicateRow:
    activities: tuple[str, str]
    titles: tuple[str, str]
    organizations: tuple[str, str]   # names
    kind: str
    services: list[str]              # names
    populations: list[str]           # names ("general population" when none)
    areas: list[str]                 # names (governorate when a sensitive activity is involved)
    period: str


@dataclass(slots=True)
class StaleRecord:
    kind: str                        # organization or activity
    id: str
    name: str
    last_reviewed: dt.date
    days: int


@dataclass
class Report:
    title: str
    region: str
    region_name: str
    as_of: dt.date
    include_sensitive: bool
    organizations_by_type: list[tuple[str, int]]            # (type name, count)
    activities_by_status: list[tuple[str, int]]
    activities_by_sector: list[tuple[str, int, int]]        # (sector name, all, active on as_of)
    totals: dict[str, int]
    coverage: object                                        # analysis.gaps.Coverage
    tiles: list[Tile]
    duplicates: list[DuplicateRow]
    stale: list[StaleRecord]
    areas: list[AreaSection]
    unlocated: list[str] = field(default_factory=list)      # titles of active activities covering no governorate
    gap_history: list = field(default_factory=list)         # history.Period per period end, when the data has a git history
    not_compared: int = 0                                   # active sector-level activities: no service to compare
    wider: list[tuple[str, str, str, list[str]]] = field(default_factory=list)  # (id, title, organization, places)
                                                            # of activities recorded only for an area holding the region

    @property
    def unit(self) -> str:
        """What a row of the matrix is: a governorate, or (for a district's report) a district."""
        return "governorate" if self.coverage.level == 1 else "district"


def tile_layout(root: Path | None) -> dict[str, tuple[int, int]]:
    """[row, column] per area from codelists/tile-map.yaml when the dataset has one (else empty)."""
    from ngocoord.load.yamlload import parse

    path = root / "codelists" / "tile-map.yaml" if root else None
    if path is None or not path.is_file():
        return {}
    try:
        parsed = parse(str(path), path.read_bytes())
    except OSError:
        return {}
    tiles = (parsed.data or {}).get("tiles") if isinstance(parsed.data, dict) else None
    if not isinstance(tiles, dict):
        return {}
    return {str(code): (pos[0], pos[1]) for code, pos in tiles.items()
            if isinstance(pos, list) and len(pos) == 2 and all(isinstance(p, int) and 0 <= p < 100 for p in pos)}


def place_tiles(codes: list[str], layout: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """Tiles from the layout; areas it does not place go on rows below, in code order, six a row."""
    placed = {c: layout[c] for c in codes if c in layout}
    taken = set(placed.values())
    if len(taken) < len(placed):   # a layout placing two areas on one tile is ignored
        placed, taken = {}, set()
    row = max([r for r, _c in placed.values()], default=-1) + 1
    col = 0
    for code in codes:
        if code in placed:
            continue
        placed[code] = (row, col)
        col += 1
        if col == 6:
            row, col = row + 1, 0
    return placed


def _period(start, end) -> str:
    if start is None and end is None:
        return ""
    if start == end:
        return str(start)
    return f"{start or '…'} – {end or '…'}"


def _safe_url(url) -> str | None:
    return url if isinstance(url, str) and url.lower().startswith(("http://", "https://")) else None


def publishable_view(ds):
    """The dataset as a report may show it: sensitive activities located at their governorates only
    (ngocoord.domain.published). Every count (coverage, map, areas) is made on this view, so that
    no figure for a district can reveal where a sensitive activity takes place."""
    from ngocoord.domain.published import published_view

    return published_view(ds)


def build_report(ds, *, region: str | None = None, as_of: dt.date, include_sensitive: bool = False,
                 root: Path | None = None) -> Report:
    from ngocoord.analysis.gaps import coverage

    cl = ds.codelists
    chosen = cl.resolve_place(region) if region else None
    region = chosen or default_region(cl)
    region_name = cl.place(region).name
    if not include_sensitive:
        ds = publishable_view(ds)
    orgs = ds.organizations
    # as `orgs --region` and `activities --region` count (on the published view: a district's counts
    # must not tell that a sensitive activity is there)
    counts = place_counts(ds, chosen)

    acts = [ds.activities[i] for i in counts.activities]
    active = [a for a in acts if active_on(a, as_of)]
    involved = set(counts.organizations)

    place = cl.areas.get(region)
    level = max(1, place.level or 0) if place else 1   # a district's report has one row: the district
    cov = coverage(ds, region, level=level, as_of=as_of)
    governorates = [r.area for r in cov.rows]
    duplicates, duplicate_count = duplicate_rows(ds, region, as_of, include_sensitive)
    stale = stale_records(orgs, involved, acts, as_of)
    totals = {"organizations": len(involved), "activities": len(acts), "active": len(active),
              "gaps": len(cov.gaps), "thin": len(cov.thin), "duplicates": duplicate_count, "stale": len(stale),
              "counted": len(cov.counted), "counted_stale": len(cov.counted_stale), "stale_cells": len(cov.stale),
              "wider": len(counts.wider), "countrywide": len(counts.countrywide)}
    # an unlocated activity lies at a coarser level than the region (the country, KRI): not among `acts`
    unlocated = [ds.activities[i].title for i in cov.unlocated]
    return Report(f"Who does what where: {region_name}", region, region_name, as_of, include_sensitive,
                  *overview(cl, orgs, involved, acts, active), totals, cov,
                  tiles(cl, active, governorates, root or ds.root), duplicates, stale,
                  area_sections(ds, acts, governorates, as_of, include_sensitive), unlocated,
                  not_compared=sum(1 for a in active if not a.services), wider=wider_rows(ds, counts.wider))


def wider_rows(ds, ids) -> list[tuple[str, str, str, list[str]]]:
    """(id, title, organization, places) of the activities recorded only for an area holding the
    region (on the published view: a sensitive one at its governorate)."""
    cl, out = ds.codelists, []
    for i in ids:
        a = ds.activities[i]
        places = list(dict.fromkeys(cl.place(loc.area).name if cl.place(loc.area) else loc.area for loc in a.locations))
        out.append((a.id, a.title, _org_name(ds.organizations, a.organization), places))
    return out


def _org_name(orgs: dict, oid: str) -> str:
    return orgs[oid].name if oid in orgs else oid


def overview(cl, orgs: dict, involved: set[str], acts: list[Activity], active: list[Activity]) -> tuple[list, list, list]:
    """Organizations by type, activities by status, and activities (all, active) by sector."""
    types = Counter(orgs[o].type for o in involved if o in orgs)
    by_type = sorted(((cl.org_types[t].name if t in cl.org_types else t, n) for t, n in types.items()),
                     key=lambda x: (-x[1], x[0]))
    statuses = Counter(a.status for a in acts)
    by_status = [(s, statuses[s]) for s in STATUSES if statuses[s]]
    all_sec, active_sec = Counter(a.sector for a in acts), Counter(a.sector for a in active)
    by_sector = sorted(((s.name, all_sec[s.code], active_sec[s.code]) for s in cl.sectors.values() if all_sec[s.code]),
                       key=lambda x: (-x[2], -x[1], x[0]))
    return by_type, by_status, by_sector


def tiles(cl, active: list[Activity], governorates: list[str], root: Path | None) -> list[Tile]:
    """The map: per area, the delivering organizations and sectors of the activities active within it."""
    tile_orgs: dict[str, set[str]] = {g: set() for g in governorates}
    tile_sectors: dict[str, set[str]] = {g: set() for g in governorates}
    for a in active:
        for loc in a.locations:
            for g in cl.containers(loc.area) & tile_orgs.keys():
                tile_orgs[g].update(delivering_orgs(a))
                tile_sectors[g].add(a.sector)
    positions = place_tiles(governorates, tile_layout(root))
    return [Tile(g, cl.areas[g].name, *positions[g], len(tile_orgs[g]),
                 sorted(cl.sectors[s].name if s in cl.sectors else s for s in tile_sectors[g])) for g in governorates]


def duplicate_rows(ds, region: str, as_of: dt.date, include_sensitive: bool) -> tuple[list[DuplicateRow], int]:
    """The first MAX_ROWS duplicate pairs meeting in the region, and how many there are.

    Pairs are found on the published view: found on exact places, a pair missing from the
    report would tell which district a sensitive activity is not in."""
    from ngocoord.analysis.duplicates import find_duplicates

    cl = ds.codelists

    def shown_area(code: str, sensitive: bool) -> str:
        if sensitive and not include_sensitive:
            code = cl.governorate_of(code) or code
        return cl.place(code).name if cl.place(code) else code

    rows, count = [], 0
    for p in find_duplicates(ds, as_of=as_of):
        hide = p.a.sensitive or p.b.sensitive
        if not any(cl.lies_within(cl.governorate_of(x) or x if hide and not include_sensitive else x, region)
                   for x in p.areas):
            continue
        count += 1
        if len(rows) >= MAX_ROWS:   # only the shown rows are built: a large dataset has millions of pairs
            continue
        rows.append(DuplicateRow(
            p.ids, (p.a.title, p.b.title), (_org_name(ds.organizations, p.a.organization),
                                            _org_name(ds.organizations, p.b.organization)), p.kind,
            [cl.services[s].name if s in cl.services else s for s in p.services],
            [cl.populations[x].name if x in cl.populations else x for x in p.populations] or ["general population"],
            list(dict.fromkeys(shown_area(x, hide) for x in p.areas)), _period(p.start, p.end)))
    return rows, count


def stale_records(orgs: dict, involved: set[str], acts: list[Activity], as_of: dt.date) -> list[StaleRecord]:
    """The organizations involved and the activities not reviewed for a year, oldest first."""
    stale = [StaleRecord("organization", o.id, o.name, o.last_reviewed, days_since_review(o.last_reviewed, as_of))
             for o in sorted(orgs.values(), key=lambda o: o.id) if o.id in involved and is_stale(o.last_reviewed, as_of)]
    stale += [StaleRecord("activity", a.id, a.title, a.last_reviewed, days_since_review(a.last_reviewed, as_of))
              for a in acts if is_stale(a.last_reviewed, as_of)]
    stale.sort(key=lambda s: (-s.days, s.kind, s.id))
    return stale


def area_sections(ds, acts: list[Activity], governorates: list[str], as_of: dt.date,
                  include_sensitive: bool) -> list[AreaSection]:
    """Per area, the activities located within it, active ones first."""
    cl = ds.codelists
    located: dict[str, list[tuple[Activity, list]]] = {g: [] for g in governorates}  # one pass, not one per area
    for a in acts:
        inside_of: dict[str, list] = {}
        for loc in a.locations:
            for g in cl.containers(loc.area) & located.keys():
                inside_of.setdefault(g, []).append(loc)
        for g, inside in inside_of.items():
            located[g].append((a, inside))
    sections = []
    for g in governorates:
        rows = [_area_activity(ds, a, g, inside, as_of, include_sensitive) for a, inside in located[g]]
        rows.sort(key=lambda r: (not r.active, r.sector, r.organization, r.title))
        sections.append(AreaSection(g, cl.areas[g].name, rows))
    return sections


def _area_activity(ds, a: Activity, area: str, inside: list, as_of: dt.date, include_sensitive: bool) -> AreaActivity:
    cl = ds.codelists
    if a.sensitive and not include_sensitive:
        places = [WITHHELD]
    else:
        whole = "whole district" if cl.areas[area].level == 2 else "whole governorate"   # the section's area
        places = list(dict.fromkeys(
            ", ".join(x for x in ((cl.areas[loc.area].name if loc.area != area else ""), loc.site or "") if x)
            or whole for loc in inside))
    first_url = next((_safe_url(s.get("url")) for s in a.raw.get("sources") or () if _safe_url(s.get("url"))), None)
    return AreaActivity(a.id, a.title, _org_name(ds.organizations, a.organization),
                        cl.sectors[a.sector].name if a.sector in cl.sectors else a.sector,
                        [cl.services[s].name if s in cl.services else s for s in a.services],
                        places, a.status, active_on(a, as_of), _period(a.raw.get("start"), a.raw.get("end")), first_url)
