"""Is a record stale? One definition for lint, gaps, report and everything else (SPEC, *Stale cells*)."""

from __future__ import annotations

import datetime as dt

STALE_AFTER_DAYS = 365


def is_stale(reviewed: dt.date, day: dt.date) -> bool:
    """Last reviewed more than STALE_AFTER_DAYS before `day`. `reviewed` is the last day of a
    partial last_reviewed (model.last_day): a review in "2024-05" may have happened on 31 May."""
    return (day - reviewed).days > STALE_AFTER_DAYS


def days_since_review(reviewed: dt.date, day: dt.date) -> int:
    return (day - reviewed).days
