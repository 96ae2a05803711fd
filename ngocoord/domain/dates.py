"""Is this a date, and is it a real one? The one answer for the schemas, fmt, new and import.

Dates are written YYYY-MM-DD, YYYY-MM or YYYY (SPEC, *Dates*); the pattern is the one the JSON
schemas use. A pattern cannot know that 2023-02-30 is not a day: `is_real_date` does."""

from __future__ import annotations

import datetime as dt
import re

DATE = re.compile(r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$")


def is_date(text: str) -> bool:
    """Written as a date: YYYY, YYYY-MM or YYYY-MM-DD with a month 01-12 and a day 01-31."""
    return DATE.match(text) is not None


def is_real_date(text: str) -> bool:
    """Whether a day (a ten-character YYYY-MM-DD) is one of the calendar's: not 2023-02-30 or
    2023-04-31. Anything shorter names no day (a year, a month) and is not checked here: call
    is_date for the form."""
    if len(text) != 10:
        return True
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True
