"""Who does what where: activities and organizations matching the 3W filters.

Places, sectors, services, populations and organization types may be given by code, name or
alias (any case): each is resolved through the codelists, so an unknown one is a UsageError
with a "did you mean". An activity is in a place when one of its locations lies within it; an
organization matches the activity filters when it leads or partners in an activity that does.
"""

from __future__ import annotations

import datetime as dt

from ngocoord.domain.counts import located_in
from ngocoord.model import Activity, Organization, active_on, delivering_orgs, parse_status
from ngocoord.problems import UsageError


def resolve_org(ds, text: str) -> str:
    """An organization named by id, acronym or name (any case) to its id (ngocoord.domain.lookup)."""
    from ngocoord.domain.lookup import find_organization, organizations_hint

    found = find_organization(ds, text)
    if found is not None:
        return found
    hint = organizations_hint(ds, text)
    raise UsageError(f"unknown organization '{text}'" + (f": {hint}" if hint else "") + "; run 'ngocoord orgs'")


def _in_place(cl, activity: Activity, place: str) -> bool:
    return located_in(cl, activity, place)


def _activity_text(a: Activity) -> str:
    raw = a.raw
    parts = [a.id, a.title, raw.get("description") or "", *(loc.site or "" for loc in a.locations),
             *(raw.get("counterparts") or ())]
    return "\n".join(parts).casefold()


def _organization_text(o: Organization) -> str:
    names = o.raw.get("names") or {}
    return "\n".join([o.id, o.name, o.acronym or "", *map(str, names.values()), o.raw.get("notes") or ""]).casefold()


def _given(value) -> list[str]:
    """A filter's values: None (not given), one text, or the texts of a repeated option."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else [v for v in value if v is not None]


def is_given(value) -> bool:
    return isinstance(value, dt.date) or bool(_given(value))


def filter_activities(ds, *, region=None, area=None, sector=None, service=None, population=None, org=None,
                      status=None, active_on: dt.date | None = None, search=None, type=None) -> list[Activity]:
    """Activities matching every filter given, sorted by id. A filter given several values (a
    repeated option) matches *any of* them: `--population a --population b`.

    `org`: the organization leads or partners in it; `type`: one of its delivering organizations has
    this type; `population`: it names this group or a narrower one (populations.yaml `covers`);
    activities for the general population name none.
    """
    cl = ds.codelists
    regions = [cl.resolve_place(p) for p in _given(region)]
    areas = [cl.resolve_place(p) for p in _given(area)]
    sectors = {cl.resolve("sectors", s) for s in _given(sector)}
    services = {cl.resolve("services", s) for s in _given(service)}
    populations = set().union(*(cl.population_group(cl.resolve("populations", p)) for p in _given(population)))
    orgs = {resolve_org(ds, o) for o in _given(org)}
    statuses = {parse_status(s) for s in _given(status)}
    types = {cl.resolve("org_types", t) for t in _given(type)}
    needles = [s.strip().casefold() for s in _given(search)]
    day = active_on

    def keep(a: Activity) -> bool:
        return ((not regions or any(_in_place(cl, a, p) for p in regions))
                and (not areas or any(_in_place(cl, a, p) for p in areas))
                and (not sectors or a.sector in sectors)
                and (not services or not services.isdisjoint(a.services))
                and (not populations or not populations.isdisjoint(a.population))
                and (not orgs or not orgs.isdisjoint(delivering_orgs(a)))
                and (not statuses or a.status in statuses)
                and (day is None or _active(a, day))
                and (not types or any(_org_type(ds, o) in types for o in delivering_orgs(a)))
                and (not needles or any(n in _activity_text(a) for n in needles)))

    return sorted((a for a in ds.activities.values() if keep(a)), key=lambda a: a.id)


def _active(a: Activity, day: dt.date) -> bool:
    return active_on(a, day)


def _org_type(ds, org_id: str) -> str | None:
    o = ds.organizations.get(org_id)
    return o.type if o else None


def filter_organizations(ds, *, region=None, area=None, sector=None, service=None, population=None, status=None,
                         active_on: dt.date | None = None, type=None, search=None) -> list[Organization]:
    """Organizations matching every filter, sorted by id; activity filters match through the activities they deliver."""
    cl = ds.codelists
    types = {cl.resolve("org_types", t) for t in _given(type)}
    needles = [s.strip().casefold() for s in _given(search)]
    activity_filters = dict(region=region, area=area, sector=sector, service=service, population=population,
                            status=status, active_on=active_on)
    allowed = None
    if any(is_given(v) for v in activity_filters.values()):
        allowed = {o for a in filter_activities(ds, **activity_filters) for o in delivering_orgs(a)}
    return sorted((o for o in ds.organizations.values()
                   if (allowed is None or o.id in allowed)
                   and (not types or o.type in types)
                   and (not needles or any(n in _organization_text(o) for n in needles))), key=lambda o: o.id)


def roles_of(ds, org_id: str) -> list[tuple[Activity, str]]:
    """The activities an organization leads or partners in (and funds), with its role, sorted by id."""
    out = []
    for a in sorted(ds.activities.values(), key=lambda a: a.id):
        if a.organization == org_id:
            out.append((a, "lead"))
        elif org_id in a.partners:
            out.append((a, "partner"))
        elif org_id in a.donors:
            out.append((a, "donor"))
    return out
