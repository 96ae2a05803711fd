"""Typed records built once from validated data, each remembering the file it came from."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

STATUSES = ("planned", "ongoing", "completed", "suspended", "cancelled")


def parse_status(text: str) -> str:
    """A status typed by a person (any case) to its code; UsageError with a suggestion otherwise."""
    from ngocoord.problems import UsageError
    from ngocoord.suggest import did_you_mean

    wanted = text.strip().casefold()
    if wanted in STATUSES:
        return wanted
    hint = did_you_mean(text, STATUSES)
    raise UsageError(f"unknown status '{text}'" + (f": {hint}" if hint else "") + f"; choose one of {', '.join(STATUSES)}")


def date_text(value: Any) -> str | None:
    """A date as loaded (string, or int for an unquoted year) to its ISO text."""
    return None if value is None else str(value)


def first_day(value: Any) -> dt.date | None:
    """A partial date means its first day when it starts something."""
    return None if value is None else _first_day(str(value))


def last_day(value: Any) -> dt.date | None:
    """A partial date means its last day when it ends something."""
    return None if value is None else _last_day(str(value))


@lru_cache(maxsize=4096)  # a dataset holds a few thousand distinct dates across 100k records
def _first_day(text: str) -> dt.date:
    parts = [int(p) for p in text.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


@lru_cache(maxsize=4096)
def _last_day(text: str) -> dt.date:
    parts = [int(p) for p in text.split("-")]
    year, month = parts[0], parts[1] if len(parts) > 1 else 12
    day = parts[2] if len(parts) > 2 else calendar.monthrange(year, month)[1]
    return dt.date(year, month, day)


def normalized(data: dict) -> dict:
    """The record as loaded, with dates as ISO strings (a bare year is read by YAML as a number).
    A valid record holds dates only at start, end, last_reviewed and sources[].date (the schemas
    allow no other keys); a record with none to change is returned as it is, not copied."""
    get = data.get
    sources = get("sources") or ()
    if (type(get("start")) is not int and type(get("end")) is not int and type(get("last_reviewed")) is not int
            and not any(type(s) is dict and type(s.get("date")) is int for s in sources)):
        return data  # the common case, checked without a call per key (bool is not int by type)
    out = {k: (date_text(v) if k in _DATE_KEYS and type(v) is int else v) for k, v in data.items()}
    if sources:
        out["sources"] = [({**s, "date": date_text(s["date"])} if type(s) is dict and type(s.get("date")) is int else s)
                          for s in sources]
    return out


_DATE_KEYS = ("start", "end", "last_reviewed")


class Location(NamedTuple):
    """Where an activity works: an area code, and a site within it when one is named."""

    area: str
    site: str | None = None


@dataclass(slots=True)
class Organization:
    id: str
    name: str
    type: str
    last_reviewed: dt.date
    acronym: str | None = None
    country: str | None = None
    member_of: tuple[str, ...] = ()
    path: str = ""
    raw: dict = field(default_factory=dict, repr=False)

    @classmethod
    def from_data(cls, data: dict, path: str) -> "Organization":
        return cls(id=data["id"], name=data["name"], type=data["type"], last_reviewed=last_day(data["last_reviewed"]),
                   acronym=data.get("acronym"), country=data.get("country"),
                   member_of=tuple(data.get("member_of") or ()), path=path, raw=normalized(data))


@dataclass(slots=True)
class Activity:
    id: str
    title: str
    organization: str
    sector: str
    services: tuple[str, ...]
    locations: tuple[Location, ...]
    status: str
    last_reviewed: dt.date
    partners: tuple[str, ...] = ()
    donors: tuple[str, ...] = ()
    population: tuple[str, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None
    sensitive: bool = False
    coordinated_with: tuple[str, ...] = ()
    path: str = ""
    _raw: Any = field(default=None, repr=False, compare=False)  # the record as loaded, or the Document holding it

    @property
    def raw(self) -> dict:
        """The record as loaded (dates as text), fetched from its document when first asked for."""
        raw = self._raw
        if type(raw) is not dict:
            raw = self._raw = {} if raw is None else normalized(raw.data)
        return raw

    @classmethod
    def from_data(cls, data: dict, path: str) -> "Activity":
        return cls.from_record(record_of(data), path, normalized(data))

    @classmethod
    def from_record(cls, record: tuple, path: str, raw: Any) -> "Activity":
        """From record_of's tuple; `raw` is the record as loaded, or the Document that gives it when
        first asked for (dataset.Document.data)."""
        (id_, title, organization, sector, services, locations, status, last_reviewed, partners, donors,
         population, start, end, sensitive, coordinated_with) = record
        return cls(id_, title, organization, sector, services, tuple([Location(*loc) for loc in locations]), status,
                   last_day(last_reviewed), partners, donors, population, first_day(start), last_day(end),
                   sensitive, coordinated_with, path, raw)


RECORD_FIELDS = 15
_TEXT = (0, 1, 2, 3, 6)            # id, title, organization, sector, status
_TEXTS = (4, 8, 9, 10, 14)         # services, partners, donors, population, coordinated_with
_DATES = ((7, last_day), (11, first_day), (12, last_day))  # last_reviewed, start, end


def is_record(record: Any) -> bool:
    """Whether a tuple read back (from the snapshot) has exactly the types record_of makes, with
    dates that are real: anything else must be a miss, never a crash later."""
    if type(record) is not tuple or len(record) != RECORD_FIELDS:
        return False
    if not all(type(record[i]) is str for i in _TEXT) or type(record[13]) is not bool:
        return False
    if not all(type(record[i]) is tuple and all(type(x) is str for x in record[i]) for i in _TEXTS):
        return False
    locations = record[5]
    if type(locations) is not tuple or not locations or not all(
            type(loc) is tuple and len(loc) == 2 and type(loc[0]) is str and (loc[1] is None or type(loc[1]) is str)
            for loc in locations):
        return False
    for i, read in _DATES:
        value = record[i]
        if value is None and i != 7:
            continue
        if type(value) not in (str, int):
            return False
        try:
            read(value)
        except (ValueError, TypeError, IndexError):
            return False
    return True


def record_of(data: dict) -> tuple:
    """A valid activity's fields, in Activity's order, as plain values (dates as loaded): what the
    snapshot keeps so that a query builds 10k activities without touching their data."""
    get = data.get
    return (data["id"], data["title"], data["organization"], data["sector"], tuple(data["services"]),
            tuple([(loc["area"], loc.get("site")) for loc in data["locations"]]), data["status"],
            data["last_reviewed"], tuple(get("partners") or ()), tuple(get("donors") or ()),
            tuple(get("population") or ()), get("start"), get("end"), bool(get("sensitive", False)),
            tuple(get("coordinated_with") or ()))


def delivering_orgs(activity: Activity) -> tuple[str, ...]:
    """The lead organization and its implementing partners (never the donors)."""
    return tuple(dict.fromkeys((activity.organization, *activity.partners)))


def active_on(activity: Activity, day: dt.date) -> bool:
    """Ongoing, and the day falls within its start and end where they are given."""
    return (activity.status == "ongoing"
            and (activity.start is None or activity.start <= day)
            and (activity.end is None or activity.end >= day))
