"""Duplicated services: pairs of activities delivering the same service to the same people in the same place.

Two activities form a pair when they share a service, share a population group (an activity
naming none serves the general population, which matches every group), one of A's areas lies
within one of B's (or the reverse), and both are active on the day — or, `all_time`, their
periods intersect (an open end runs forever) and neither is cancelled.

Never all pairs: see `_meetings`. `make_pair` states the definition for one pair; the property
test checks that the bucketed search finds exactly what comparing all pairs finds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterator

from ngocoord.memory import without_gc
from ngocoord.model import Activity, active_on

SAME_ORGANIZATION = "same-organization"
DOUBLE_REPORTING = "double-reporting"
OVERLAP = "overlap"


@dataclass(slots=True)
class Pair:
    a: Activity                      # a.id < b.id
    b: Activity
    kind: str
    services: tuple[str, ...]
    populations: tuple[str, ...]     # shared groups; () when both serve the general population
    areas: tuple[str, ...]           # where they meet: the inner area of each nested pair of locations
    start: dt.date | None            # the period both run (None: open)
    end: dt.date | None
    coordinated: bool                # the forum knows and agreed (coordinated_with, either direction)

    @property
    def ids(self) -> tuple[str, str]:
        return (self.a.id, self.b.id)

    def to_json(self, with_coordinated: bool = False) -> dict:
        out = {
            "activities": [self.a.id, self.b.id],
            "organizations": [self.a.organization, self.b.organization],
            "kind": self.kind,
            "services": list(self.services),
            "populations": list(self.populations),
            "areas": list(self.areas),
            "period": {"start": _iso(self.start), "end": _iso(self.end)},
        }
        if with_coordinated:
            out["coordinated"] = self.coordinated
        return out


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def pair_kind(a: Activity, b: Activity) -> str:
    if a.organization == b.organization:
        return SAME_ORGANIZATION
    if a.organization in b.partners or b.organization in a.partners:
        return DOUBLE_REPORTING
    return OVERLAP


def shared_populations(a: Activity, b: Activity) -> tuple[str, ...] | None:
    """The groups both serve; () when both serve the general population; None when they serve different groups."""
    if not a.population:
        return tuple(sorted(set(b.population)))
    if not b.population:
        return tuple(sorted(set(a.population)))
    shared = set(a.population) & set(b.population)
    return tuple(sorted(shared)) if shared else None


def meeting_areas(cl, a: Activity, b: Activity) -> tuple[str, ...]:
    """The inner area of every pair of locations where one lies within the other."""
    found = set()
    for la in {loc.area for loc in a.locations}:
        for lb in {loc.area for loc in b.locations}:
            if cl.lies_within(la, lb):
                found.add(la)
            elif cl.lies_within(lb, la):
                found.add(lb)
    return tuple(sorted(found))


def common_period(a: Activity, b: Activity) -> tuple[dt.date | None, dt.date | None]:
    """The days both run: the later start and the earlier end (None: open)."""
    start = a.start if b.start is None else b.start if a.start is None else max(a.start, b.start)
    end = a.end if b.end is None else b.end if a.end is None else min(a.end, b.end)
    return start, end


def periods_intersect(a: Activity, b: Activity) -> bool:
    start, end = common_period(a, b)
    return start is None or end is None or start <= end


def is_coordinated(a: Activity, b: Activity) -> bool:
    return b.id in a.coordinated_with or a.id in b.coordinated_with


def make_pair(cl, a: Activity, b: Activity, *, as_of: dt.date, all_time: bool) -> Pair | None:
    """The pair a and b form, or None: the SPEC's definition, applied to one pair."""
    if a.id > b.id:
        a, b = b, a
    services = tuple(sorted(set(a.services) & set(b.services)))
    if not services:
        return None
    populations = shared_populations(a, b)
    if populations is None:
        return None
    if all_time:
        if a.status == "cancelled" or b.status == "cancelled" or not periods_intersect(a, b):
            return None
    elif not (active_on(a, as_of) and active_on(b, as_of)):
        return None
    areas = meeting_areas(cl, a, b)
    if not areas:
        return None
    start, end = common_period(a, b)
    return Pair(a, b, pair_kind(a, b), services, populations, areas, start, end, is_coordinated(a, b))


def _meetings(ds, activities: list[Activity]) -> Iterator[tuple[Activity, Activity, set[str]]]:
    """(a, b, the areas where they meet) for every pair sharing a service with one's area within the other's,
    in the order of their ids.

    Each activity is indexed twice per service: under its own areas (`at`) and under every area they lie
    within (`inside`). An activity then meets, for each of its own areas, those whose own area lies
    within it (`inside`: theirs is the inner area) and those whose own area contains it (`at`, looked
    up for each container of its own area: its own area is the inner one). Each pair is gathered
    whole from its first activity, so nothing is kept across activities, and the work grows with
    the pairs found, not n².
    """
    lookup = ds.codelists.containers
    activities = sorted(activities, key=lambda a: a.id)
    by_id = {a.id: a for a in activities}
    keyed = [(a, a.id, set(a.services), {loc.area for loc in a.locations}) for a in activities]
    # area -> the areas holding it (itself included) where some activity is located: a pair meets only
    # in one of its own areas, so the others (often the country and its regions) index nothing
    owned = {own for _, _, _, owns in keyed for own in owns}
    holders = {own: frozenset(lookup(own)) & owned for own in owned}
    at: dict[str, dict[str, list[str]]] = {}                    # service -> area -> ids located there
    inside: dict[str, dict[str, list[tuple[str, str]]]] = {}    # service -> area -> (id, own area) within it
    for _, me, services, owns in keyed:
        for service in services:
            at_service, inside_service = at.setdefault(service, {}), inside.setdefault(service, {})
            for own in owns:
                at_service.setdefault(own, []).append(me)
                for area in holders[own]:
                    inside_service.setdefault(area, []).append((me, own))
    for act, me, services, owns in keyed:
        met: dict[str, set[str]] = {}
        for service in services:
            at_service, inside_service = at[service], inside[service]
            for own in owns:
                for other, inner in inside_service.get(own, ()):
                    if other > me:
                        met.setdefault(other, set()).add(inner)
                for area in holders[own]:
                    for other in at_service.get(area, ()):
                        if other > me:
                            met.setdefault(other, set()).add(own)
        for other in sorted(met):
            yield act, by_id[other], met[other]


def _may_meet_within(cl, activities: list[Activity], region: str) -> list[Activity]:
    """Those that can be in a pair meeting within `region`: where two meet is one's own area, lying
    within the region, and the other's area holds it; so each has an area that holds (or is) an area
    within the region."""
    inside = [code for code in (*cl.areas, *cl.regions) if cl.lies_within(code, region)]
    holding = set().union(*(cl.containers(code) for code in inside)) if inside else set()
    return [a for a in activities if any(loc.area in holding for loc in a.locations)]


def find_duplicates(ds, *, region: str | None = None, sector: str | None = None, as_of: dt.date,
                    all_time: bool = False, include_coordinated: bool = False) -> list[Pair]:
    """The duplicate pairs, sorted; `region` keeps pairs meeting in an area within it, `sector` its activities."""
    with without_gc():
        return _find(ds, region, sector, as_of, all_time, include_coordinated)


def _find(ds, region, sector, as_of, all_time, include_coordinated) -> list[Pair]:
    cl = ds.codelists
    if all_time:
        pool = [a for a in ds.activities.values() if a.status != "cancelled"]
    else:
        pool = [a for a in ds.activities.values() if active_on(a, as_of)]
    if sector is not None:
        pool = [a for a in pool if a.sector == sector]
    if region is not None:
        pool = _may_meet_within(cl, pool, region)
    pairs = []
    for a, b, areas in _meetings(ds, pool):
        populations = shared_populations(a, b)
        if populations is None or (all_time and not periods_intersect(a, b)):
            continue
        coordinated = is_coordinated(a, b)
        if coordinated and not include_coordinated:
            continue
        if region is not None and not any(cl.lies_within(x, region) for x in areas):
            continue
        start, end = common_period(a, b)
        pairs.append(Pair(a, b, pair_kind(a, b), tuple(sorted(set(a.services) & set(b.services))), populations,
                          tuple(sorted(areas)), start, end, coordinated))
    return pairs


def duplicates_json(pairs: list[Pair], as_of: dt.date | None, *, include_coordinated: bool | None = None) -> dict:
    """The SPEC's JSON: {"as_of", "pairs"}; `as_of` is null for an all-time search.

    Each pair carries `coordinated` when include_coordinated is set (by default: when any pair is coordinated)."""
    with_flag = any(p.coordinated for p in pairs) if include_coordinated is None else include_coordinated
    with without_gc():
        return {"as_of": _iso(as_of), "pairs": [p.to_json(with_flag) for p in pairs]}
