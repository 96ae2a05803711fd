"""Where may this activity be shown? The one answer for every command (SPEC, *Published view*).

An activity marked `sensitive` is shown at the governorate that holds each of its locations,
without `site`, unless `--include-sensitive` is given: by every command, analysis included, so
that no output, and no comparison of two outputs, reveals a finer place. Commands take the
published view of the dataset before they filter, count or pair anything.
"""

from __future__ import annotations

import dataclasses

from ngocoord.model import Activity, Location


def shown_locations(cl, activity: Activity, include_sensitive: bool = False) -> tuple[Location, ...]:
    """The activity's locations as they may be shown: a sensitive one's at their governorates (a
    location coarser than a governorate stays as it is), without site, each once."""
    if not activity.sensitive or include_sensitive:
        return activity.locations
    return tuple(dict.fromkeys(Location(cl.governorate_of(loc.area) or loc.area) for loc in activity.locations))


def published_activity(cl, activity: Activity) -> Activity:
    """The activity as it may be shown, its data included (`show --format json` prints it)."""
    if not activity.sensitive:
        return activity
    places = shown_locations(cl, activity)
    raw = {**activity.raw, "locations": [{"area": p.area} for p in places]}
    return dataclasses.replace(activity, locations=places, _raw=raw)


def published_view(ds, include_sensitive: bool = False):
    """The dataset as every command shows it: sensitive activities at their governorates, no site;
    the dataset itself with include_sensitive."""
    if include_sensitive or not any(a.sensitive for a in ds.activities.values()):
        return ds
    cl = ds.codelists
    return dataclasses.replace(ds, activities={k: published_activity(cl, a) for k, a in ds.activities.items()})
