"""How many organizations and activities a place has: one answer for `orgs`, `activities` and `report`.

An activity is *in* a place when one of its locations lies within it (`orgs --region`,
`activities --region` select the same). An activity recorded only for a wider area that holds
the place (the whole country, a region holding a governorate) is not in the place: it is
counted apart as *wider*, so that a country-wide activity is not counted inside every region.
"""

from __future__ import annotations

from dataclasses import dataclass

from ngocoord.model import Activity, delivering_orgs


def located_in(cl, activity: Activity, place: str) -> bool:
    """One of the activity's locations lies within `place`."""
    return any(cl.lies_within(loc.area, place) for loc in activity.locations)


def recorded_wider(cl, activity: Activity, place: str) -> bool:
    """Not located in `place`, but recorded for an area that holds it (e.g. the whole country)."""
    return not located_in(cl, activity, place) and any(cl.lies_within(place, loc.area) for loc in activity.locations)


@dataclass(frozen=True, slots=True)
class PlaceCounts:
    activities: tuple[str, ...]        # ids of the activities in the place, sorted
    organizations: tuple[str, ...]     # ids of their delivering organizations (lead and partners), sorted
    wider: tuple[str, ...]             # ids of the activities recorded only for a wider area, sorted
    countrywide: tuple[str, ...]       # those of `wider` recorded for the whole country (a level-0 area)


def place_counts(ds, place: str | None) -> PlaceCounts:
    """The activities and delivering organizations in `place` (None: the whole dataset, every
    organization included), and apart from them those recorded for a wider area."""
    cl = ds.codelists
    if place is None:
        return PlaceCounts(tuple(sorted(ds.activities)), tuple(sorted(ds.organizations)), (), ())
    inside = sorted(a.id for a in ds.activities.values() if located_in(cl, a, place))
    orgs = sorted({o for i in inside for o in delivering_orgs(ds.activities[i]) if o in ds.organizations})
    wider = sorted(a.id for a in ds.activities.values() if recorded_wider(cl, a, place))
    countrywide = [i for i in wider if any((cl.areas.get(loc.area) is not None and cl.areas[loc.area].level == 0)
                                           for loc in ds.activities[i].locations)]
    return PlaceCounts(tuple(inside), tuple(orgs), tuple(wider), tuple(countrywide))
