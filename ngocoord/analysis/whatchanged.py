"""What a change does to coordination: two states of the dataset compared (SPEC, *What changed*).

Records (organizations, activities, and codelist entries: a new district is a record too) added,
removed and changed with the fields that changed; coverage cells that closed (a gap before, not
now), opened (not a gap before, a gap now: a new area nobody covers included) or became thin;
duplicate pairs that appeared or went away. Both states are read in the published view, so no
comparison reveals a finer place of a sensitive activity than its governorate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ngocoord.analysis.duplicates import Pair, find_duplicates
from ngocoord.analysis.gaps import Coverage, coverage
from ngocoord.domain.published import published_activity, published_view

# codelist kind (Codelists attribute) -> the kind a record of it has in the diff
CODELIST_KINDS = (("areas", "area"), ("regions", "region"), ("sectors", "sector"), ("services", "service"),
                  ("populations", "population"), ("org_types", "org-type"))


@dataclass(slots=True)
class RecordChange:
    kind: str
    id: str
    fields: tuple[str, ...] = ()

    def to_json(self, with_fields: bool = False) -> dict:
        out = {"kind": self.kind, "id": self.id}
        if with_fields:
            out["fields"] = list(self.fields)
        return out


@dataclass(slots=True)
class Change:
    base: str
    head: str
    as_of: dt.date
    region: str
    level: int
    sector: str | None
    added: list[RecordChange] = field(default_factory=list)
    removed: list[RecordChange] = field(default_factory=list)
    changed: list[RecordChange] = field(default_factory=list)
    closed: list[tuple[str, str]] = field(default_factory=list)
    opened: list[tuple[str, str]] = field(default_factory=list)
    thin: list[tuple[str, str]] = field(default_factory=list)
    pairs_added: list[Pair] = field(default_factory=list)
    pairs_removed: list[Pair] = field(default_factory=list)
    before: Coverage | None = None
    after: Coverage | None = None

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.closed or self.opened or self.thin
                    or self.pairs_added or self.pairs_removed)

    def to_json(self) -> dict:
        cells = lambda found: [{"area": a, "column": c} for a, c in found]  # noqa: E731
        return {
            "base": self.base,
            "head": self.head,
            "as_of": self.as_of.isoformat(),
            "records": {"added": [r.to_json() for r in self.added], "removed": [r.to_json() for r in self.removed],
                        "changed": [r.to_json(True) for r in self.changed]},
            "coverage": {"closed": cells(self.closed), "opened": cells(self.opened), "thin": cells(self.thin)},
            "duplicates": {"added": [p.to_json() for p in self.pairs_added],
                           "removed": [p.to_json() for p in self.pairs_removed]},
        }


def changed_fields(old: dict, new: dict) -> tuple[str, ...]:
    """The keys whose values differ, in the order the records hold them (new keys after old ones)."""
    keys = dict.fromkeys([*old, *new])
    return tuple(k for k in keys if old.get(k) != new.get(k))


def _compare(kind: str, old: dict, new: dict, same, record, out: Change, record_new=None) -> None:
    for key in sorted(new.keys() - old.keys()):
        out.added.append(RecordChange(kind, key))
    for key in sorted(old.keys() - new.keys()):
        out.removed.append(RecordChange(kind, key))
    for key in sorted(old.keys() & new.keys()):
        a, b = old[key], new[key]
        if same(a, b):
            continue
        fields = changed_fields(record(a), (record_new or record)(b))
        if fields:
            out.changed.append(RecordChange(kind, key, fields))


def _same_activity(a, b) -> bool:
    # the same loaded document (one file version, from git or the snapshot) needs no comparison
    return a._raw is b._raw and a._raw is not None


def compare(old, new, *, region: str, as_of: dt.date, level: int = 1, sector: str | None = None,
            base: str = "", head: str = "") -> Change:
    """What changed from dataset `old` to dataset `new`, both read in the published view."""
    out = Change(base, head, as_of, region, level, sector)
    for attr, kind in CODELIST_KINDS:
        _compare(kind, getattr(old.codelists, attr), getattr(new.codelists, attr), lambda a, b: a.raw == b.raw,
                 lambda e: e.raw, out)
    _compare("organization", old.organizations, new.organizations, lambda a, b: a.raw == b.raw, lambda o: o.raw, out)
    _compare("activity", old.activities, new.activities, _same_activity,
             lambda a: published_activity(old.codelists, a).raw, out,
             lambda b: published_activity(new.codelists, b).raw)
    order = {kind: i for i, kind in enumerate(["organization", "activity", *(k for _, k in CODELIST_KINDS)])}
    for found in (out.added, out.removed, out.changed):
        found.sort(key=lambda r: (order[r.kind], r.id))

    old_view, new_view = published_view(old), published_view(new)
    out.before = _coverage(old_view, region, level, sector, as_of)
    out.after = _coverage(new_view, region, level, sector, as_of)
    before_gaps, after_gaps = set(out.before.gaps), set(out.after.gaps)
    before_thin, after_thin = set(out.before.thin), set(out.after.thin)
    cells = [(r.area, c) for r in out.after.rows for c in out.after.columns]
    known = {(r.area, c) for r in out.before.rows for c in out.before.columns}
    out.closed = [cell for cell in cells if cell in before_gaps and cell not in after_gaps]
    out.opened = [cell for cell in cells if cell in after_gaps and (cell not in before_gaps or cell not in known)]
    out.thin = [cell for cell in cells if cell in after_thin and cell not in before_thin]

    codelists_changed = any(r.kind not in ("organization", "activity") for r in (*out.added, *out.removed, *out.changed))
    touched = _touched(old, new)
    if codelists_changed or touched is None:
        before_pairs = {p.ids: p for p in _pairs(old_view, region, as_of)}
        after_pairs = {p.ids: p for p in _pairs(new_view, region, as_of)}
    else:  # a pair of two untouched activities is the same on both sides: look only at the touched ones
        before_pairs = {p.ids: p for p in pairs_involving(old_view, touched, region=region, as_of=as_of)}
        after_pairs = {p.ids: p for p in pairs_involving(new_view, touched, region=region, as_of=as_of)}
    out.pairs_added = [p for ids, p in after_pairs.items() if ids not in before_pairs]
    out.pairs_removed = [p for ids, p in before_pairs.items() if ids not in after_pairs]
    return out


INCREMENTAL_SHARE = 0.2  # above this share of activities touched, comparing every pair costs less


def _touched(old, new) -> set[str] | None:
    """Ids of the activities that differ between the two states (added, removed or changed), or None
    when most of them do. States read from git share unchanged records (gitdata): an identical
    object is an unchanged record; otherwise the records are compared."""
    ids = old.activities.keys() | new.activities.keys()
    touched = set()
    limit = INCREMENTAL_SHARE * len(ids)
    for i in ids:
        a, b = old.activities.get(i), new.activities.get(i)
        if a is b:
            continue
        if a is None or b is None or a != b:
            touched.add(i)
            if len(touched) > limit:
                return None
    return touched


def pairs_involving(ds, ids: set[str], *, region: str, as_of: dt.date, sector: str | None = None) -> list[Pair]:
    """The pairs find_duplicates(ds, region=region, sector=sector, as_of=as_of) finds that hold one of
    `ids`: each such activity is compared (make_pair, the definition) with the active ones sharing a
    service."""
    from ngocoord.analysis.duplicates import make_pair
    from ngocoord.model import active_on

    cl = ds.codelists
    if not cl.is_place(region):
        return []
    # two activities meet only where one's area lies within the other's: in one governorate, or
    # where one is located above every governorate (the country, a region)
    governorate: dict[str, str | None] = {}

    def key(area: str) -> str | None:
        if area not in governorate:
            governorate[area] = cl.governorate_of(area)
        return governorate[area]

    wanted = {s for i in ids if (x := ds.activities.get(i)) is not None for s in x.services}
    by_service: dict[str, list] = {}
    by_place: dict[tuple[str, str], list] = {}
    for a in ds.activities.values():
        if not wanted.isdisjoint(a.services) and active_on(a, as_of) and (sector is None or a.sector == sector):
            places = {key(loc.area) for loc in a.locations}
            for service in wanted.intersection(a.services):
                by_service.setdefault(service, []).append(a)
                for g in places:
                    by_place.setdefault((service, g), []).append(a)
    found: dict[tuple[str, str], Pair] = {}
    for i in sorted(ids):
        x = ds.activities.get(i)
        if x is None or not active_on(x, as_of) or (sector is not None and x.sector != sector):
            continue
        places = {key(loc.area) for loc in x.locations}
        for service in set(x.services):
            if None in places:
                candidates = by_service.get(service, ())
            else:
                candidates = {id(y): y for g in (*places, None) for y in by_place.get((service, g), ())}.values()
            for y in candidates:
                pair_key = (x.id, y.id) if x.id < y.id else (y.id, x.id)
                if y is x or pair_key in found:
                    continue
                pair = make_pair(cl, x, y, as_of=as_of, all_time=False)
                if pair is not None and not pair.coordinated and any(cl.lies_within(z, region) for z in pair.areas):
                    found[pair_key] = pair
    return [found[k] for k in sorted(found)]


def _pairs(ds, region: str, as_of: dt.date) -> list[Pair]:
    """The pairs meeting within the region; none when the region did not exist yet."""
    if not ds.codelists.is_place(region):
        return []
    return find_duplicates(ds, region=region, as_of=as_of)


def _coverage(ds, region: str, level: int, sector: str | None, as_of: dt.date) -> Coverage:
    cl = ds.codelists
    if not cl.is_place(region) or (sector is not None and sector not in cl.sectors) or not cl.areas_within(region, level):
        # the place or sector did not exist yet: no cells then, so every gap now has opened
        return Coverage(region, as_of, level, 1, sector, [], {}, [])
    return coverage(ds, region, sector=sector, level=level, as_of=as_of)
