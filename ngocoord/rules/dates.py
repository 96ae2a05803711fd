"""Dates: an activity ends after it starts, its status agrees with its dates, entries stay fresh."""

from ngocoord.domain.staleness import is_stale
from ngocoord.model import first_day, last_day
from ngocoord.problems import ERROR, WARNING
from ngocoord.rules import Finding, rule

@rule("date-order", ERROR)
def date_order(ds):
    """An activity's 'end' is before its 'start'. A partial date counts as its whole month or
    year: start 2022-12 and end 2022-12 is fine."""
    for doc in ds.docs("activity"):
        start, end = first_day(doc.data.get("start")), last_day(doc.data.get("end"))
        if start and end and end < start:
            yield Finding(doc, ("end",), f"the end ({doc.data['end']}) is before the start ({doc.data['start']})",
                          "check both dates")


@rule("status-dates", WARNING)
def status_dates(ds):
    """The status disagrees with the dates on the day of the check (--as-of, default today): an
    activity still 'ongoing' after its end date, or 'completed' with an end date still to come.
    Update the status (or the end date)."""
    for doc in ds.docs("activity"):
        status, end = doc.data["status"], last_day(doc.data.get("end"))
        if end is None:
            continue
        if status == "ongoing" and end < ds.as_of:
            yield Finding(doc, ("status",), f"the status is ongoing but the activity ended on {doc.data['end']}",
                          "set status: completed, or correct the end date")
        elif status == "completed" and end > ds.as_of:
            yield Finding(doc, ("status",), f"the status is completed but the end date {doc.data['end']} is still to come",
                          "set status: ongoing, or correct the end date")


@rule("stale", WARNING)
def stale(ds):
    """'last_reviewed' is more than a year old: the entry may be out of date. Check it with the
    organization, correct what changed, and set last_reviewed to the day you checked."""
    for doc in ds.docs("organization", "activity"):
        if is_stale(last_day(doc.data["last_reviewed"]), ds.as_of):
            yield Finding(doc, ("last_reviewed",), f"last reviewed on {doc.data['last_reviewed']}, more than a year ago",
                          "check the entry and update last_reviewed")
