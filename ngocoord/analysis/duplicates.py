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
    shape: object = None             # shared by the pairs of two groups of copies (see iter_duplicates): renderers cache by it

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
        return list(iter_duplicates(ds, region=region, sector=sector, as_of=as_of, all_time=all_time,
                                    include_coordinated=include_coordinated))


def iter_duplicates(ds, *, region: str | None = None, sector: str | None = None, as_of: dt.date,
                    all_time: bool = False, include_coordinated: bool = False) -> Iterator[Pair]:
    """The duplicate pairs one at a time, in order, holding none of them: 3,000 copies of one activity
    make 4,498,500 pairs, which `report` counts (see duplicate_blocks)."""
    for a, shape, others, coordinated in duplicate_blocks(ds, region=region, sector=sector, as_of=as_of,
                                                          all_time=all_time, include_coordinated=include_coordinated):
        kind, services, populations, areas, start, end = shape
        for b, flag in zip(others, coordinated):
            yield Pair(a, b, kind, services, populations, areas, start, end, flag, shape)


class _NotCoordinated:
    """[False] * n without making the list: the pairs of two groups of copies are never coordinated."""

    def __iter__(self):
        while True:
            yield False


NOT_COORDINATED = _NotCoordinated()


def duplicate_blocks(ds, *, region: str | None = None, sector: str | None = None, as_of: dt.date,
                     all_time: bool = False, include_coordinated: bool = False):
    """The duplicate pairs, in order, as blocks (a, shape, [b…], coordinated flags): every pair of a
    block is (a, b) and holds `shape` (kind, services, populations, areas, start, end). Nothing is
    held but the block being made.

    Activities identical in everything a pair depends on (lead organization, partners, services,
    populations, places, dates, status, sensitivity; never one with coordinated_with) are copies:
    they are searched as one group (its first member stands for it), and every pair of two groups,
    or of a group with itself, is the same pair but for its ids. So the search costs as many steps
    as there are groups, and a block of pairs costs one step, however many copies it holds."""
    import bisect

    cl = ds.codelists
    pool = _pool(ds, region=region, sector=sector, as_of=as_of, all_time=all_time)
    groups: dict[tuple, list[Activity]] = {}
    for a in pool:
        groups.setdefault(_copy_key(a), []).append(a)
    group_of = {a.id: members for members in groups.values() for a in members}
    ids_of = {members[0].id: [a.id for a in members] for members in groups.values()}
    meets = _group_meetings(ds, groups)
    shapes: dict[tuple[str, str], tuple | None] = {}

    def shape_of(head: str, other: str):
        key = (head, other) if head <= other else (other, head)
        if key not in shapes:
            shapes[key] = _shape(cl, group_of[key[0]][0], group_of[key[1]][0], meets[head][other], region, all_time)
        return shapes[key]

    for x in pool:
        head = group_of[x.id][0].id
        slices = []
        for other in meets.get(head, ()):
            shape = shape_of(head, other)
            if shape is None:
                continue
            start = bisect.bisect_right(ids_of[other], x.id)
            if start < len(ids_of[other]):
                slices.append((group_of[other][start:], shape))
        for shape, others in _in_id_order(slices):
            if not x.coordinated_with and not any(y.coordinated_with for y in others[:1]) and len(group_of[others[0].id]) > 1:
                yield x, shape, others, NOT_COORDINATED  # groups of copies never have coordinated_with
                continue
            flags = [is_coordinated(x, y) for y in others]
            if not include_coordinated:
                others = [y for y, flag in zip(others, flags) if not flag]
                flags = [False] * len(others)
            if others:
                yield x, shape, others, flags


def _pool(ds, *, region: str | None, sector: str | None, as_of: dt.date, all_time: bool) -> list[Activity]:
    """The activities that may form pairs, in id order: active on the day (or, all time, not cancelled)."""
    if all_time:
        pool = [a for a in ds.activities.values() if a.status != "cancelled"]
    else:
        pool = [a for a in ds.activities.values() if active_on(a, as_of)]
    if sector is not None:
        pool = [a for a in pool if a.sector == sector]
    if region is not None:
        pool = _may_meet_within(ds.codelists, pool, region)
    pool.sort(key=lambda a: a.id)
    return pool


def _group_meetings(ds, groups: dict[tuple, list[Activity]]) -> dict[str, dict[str, set[str]]]:
    """First member's id -> the groups it meets (by their first member's id) -> where."""
    meets: dict[str, dict[str, set[str]]] = {}
    for a, b, areas in _meetings(ds, [members[0] for members in groups.values()]):
        meets.setdefault(a.id, {})[b.id] = areas
        meets.setdefault(b.id, {})[a.id] = areas
    for members in groups.values():
        if len(members) > 1 and members[0].services:  # copies meet each other wherever they are
            meets.setdefault(members[0].id, {})[members[0].id] = {loc.area for loc in members[0].locations}
    return meets


def _in_id_order(slices: list[tuple[list[Activity], tuple]]) -> list[tuple[tuple, list[Activity]]]:
    """Slices of groups (members, shape) as blocks (shape, members) with every member in id order:
    several groups' members are merged into one order and cut where the group changes."""
    import heapq

    if len(slices) == 1:
        return [slices[0][::-1]]
    blocks: list[tuple[tuple, list[Activity], int]] = []
    for _, y, i in heapq.merge(*[[(y.id, y, i) for y in ys] for i, (ys, _) in enumerate(slices)]):
        if blocks and blocks[-1][2] == i:
            blocks[-1][1].append(y)
        else:
            blocks.append((slices[i][1], [y], i))
    return [(shape, ys) for shape, ys, _ in blocks]


def _copy_key(a: Activity) -> tuple:
    """What a pair of `a` depends on besides its id: activities with the same key are copies."""
    if a.coordinated_with:
        return ("coordinated", a.id)
    return (a.organization, a.partners, tuple(sorted(set(a.services))), tuple(sorted(set(a.population))),
            tuple(sorted({loc.area for loc in a.locations})), a.start, a.end, a.status, a.sensitive)


def _shape(cl, a: Activity, b: Activity, areas: set[str], region: str | None, all_time: bool) -> tuple | None:
    """What every pair of a copy of a and a copy of b holds (kind, services, populations, areas,
    period), or None when they form no pair."""
    populations = shared_populations(a, b)
    if populations is None or (all_time and not periods_intersect(a, b)):
        return None
    if region is not None and not any(cl.lies_within(x, region) for x in areas):
        return None
    start, end = common_period(a, b)
    return (pair_kind(a, b), tuple(sorted(set(a.services) & set(b.services))), populations, tuple(sorted(areas)),
            start, end)


def duplicates_json(pairs: list[Pair], as_of: dt.date | None, *, include_coordinated: bool | None = None) -> dict:
    """The SPEC's JSON: {"as_of", "pairs"}; `as_of` is null for an all-time search.

    Each pair carries `coordinated` when include_coordinated is set (by default: when any pair is coordinated)."""
    with_flag = any(p.coordinated for p in pairs) if include_coordinated is None else include_coordinated
    with without_gc():
        return {"as_of": _iso(as_of), "pairs": [p.to_json(with_flag) for p in pairs]}
