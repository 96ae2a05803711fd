"""Creating a record: values as typed by a contributor -> a checked record -> a new canonical file.

Codes may be given by code, name or alias (`Erbil`, `Hawler`, `IQG11`), organizations by id,
acronym or name; they are stored as codes and ids. Anything unknown is refused with a
"did you mean". The record is checked by the same schema and rules as `ngocoord lint` before
its file is written, and an existing file is never replaced.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import yaml

from ngocoord.atomic import WouldOverwrite, write_atomic
from ngocoord.load.canonical import ACTIVITY_KEYS, ORGANIZATION_KEYS, canonical_text
from ngocoord.load.dataset import Dataset, build_dataset, dataset_folder, display_path, document_from_bytes
from ngocoord.model import STATUSES, parse_status
from ngocoord.domain.dates import is_date, is_real_date
from ngocoord.domain.slugs import MAX_LENGTH, is_slug, slugify
from ngocoord.problems import ERROR, Problem, UsageError
from ngocoord.suggest import did_you_mean

KINDS = {"organization": ("organizations", ORGANIZATION_KEYS), "activity": ("activities", ACTIVITY_KEYS)}

# required keys, in the order they are asked for; each is named after its command-line option
REQUIRED = {
    "organization": ("id", "name", "type"),
    "activity": ("id", "title", "organization", "sector", "services", "locations", "status"),
}
OPTION = {"services": "--service", "locations": "--area", "partners": "--partner", "donors": "--donor",
          "population": "--population", "member_of": "--member-of", "counterparts": "--counterpart",
          "coordinated_with": "--coordinated-with", "last_reviewed": "--last-reviewed"}


def option_name(key: str) -> str:
    return OPTION.get(key, f"--{key.replace('_', '-')}")


@dataclass(frozen=True, slots=True)
class Created:
    path: Path
    text: str
    warnings: list[Problem]


# --- one value at a time: text as typed -> what is stored ---------------------------------

def slug(text: str, what: str = "id") -> str:
    value = text.strip()
    if not is_slug(value) or not 2 <= len(value) <= MAX_LENGTH:
        suggestion = slugify(value)
        hint = f": try '{suggestion}'" if len(suggestion) >= 2 else ""
        raise UsageError(f"'{value}' is not a valid {what} (lowercase letters, digits and single hyphens, "
                         f"2 to {MAX_LENGTH} characters){hint}")
    return value


def suggested_id(text: str) -> str:
    return slugify(text)


def day(text: str, option: str) -> str | int:
    value = str(text).strip()
    if not is_date(value):
        raise UsageError(f"{option} '{value}' is not a date: write YYYY-MM-DD, YYYY-MM or YYYY")
    if not is_real_date(value):
        raise UsageError(f"{option} '{value}' is not a real date: check the day and month")
    return value


def text(value: str, option: str) -> str:
    if not value or not value.strip():
        raise UsageError(f"{option} is empty")
    return value.strip()


def country(value: str) -> str:
    import pycountry

    try:
        return pycountry.countries.lookup(value.strip()).alpha_2
    except LookupError:
        hint = did_you_mean(value, [c.name for c in pycountry.countries] + [c.alpha_2 for c in pycountry.countries])
        raise UsageError(f"unknown country '{value}'" + (f": {hint}" if hint else "")
                         + "; write the two-letter ISO code, e.g. IQ, NO, US") from None


def url(value: str, option: str) -> str:
    if not re.match(r"^https?://\S+$", value.strip()):
        raise UsageError(f"{option} '{value}' is not a web address: it must start with https:// (or http://)")
    return value.strip()


def email(value: str, org_id: str, names: tuple[str, ...] = ()) -> str:
    from ngocoord.rules.personal_data import is_role_address

    value = value.strip()
    if not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", value):
        raise UsageError(f"--email '{value}' is not an e-mail address")
    if not is_role_address(value, org_id, names):
        raise UsageError(f"--email '{value}' looks like a person's address: the dataset is public, "
                         "so give a role address of the organization (info@..., coordination@...)")
    return value


def organization_id(ds: Dataset, value: str, option: str) -> str:
    """An organization named by id, acronym or name (any case), to its id."""
    from ngocoord.domain.lookup import find_organization, organizations_hint

    found = find_organization(ds, value)
    if found is not None:
        return found
    hint = organizations_hint(ds, value)
    raise UsageError(f"{option}: there is no organization '{value}'" + (f": {hint}" if hint else "")
                     + "; run 'ngocoord orgs' to list them, or add it first with 'ngocoord new organization'")


def activity_id(ds: Dataset, value: str) -> str:
    if value.strip() in ds.activities:
        return value.strip()
    hint = did_you_mean(value, ds.activities)
    raise UsageError(f"--coordinated-with: there is no activity '{value}'" + (f": {hint}" if hint else ""))


def location(ds: Dataset, value: str) -> dict:
    """AREA or AREA:SITE, e.g. 'Erbil' or 'Erbil:Erbil central prison' -> {area: IQG11, site: ...}."""
    area, _, site = value.partition(":")
    record = {"area": ds.codelists.resolve_place(area)}
    if site.strip():
        record["site"] = site.strip()
    return record


def _unique(values: list) -> list:
    out = []
    for v in values:
        if v not in out:
            out.append(v)
    return out


# --- the record -------------------------------------------------------------------------------

def _orgs(option):
    return lambda ds, values, r: _unique([organization_id(ds, v, option) for v in values])


def _services(ds, values, r):
    cl = ds.codelists
    found = _unique([cl.resolve("services", v) for v in values])
    for s in found:
        if r.get("sector") and cl.services[s].sector != r["sector"]:
            raise UsageError(f"--service '{s}' belongs to the sector '{cl.services[s].sector}', not '{r['sector']}': "
                             f"run 'ngocoord codes services --sector {r['sector']}'")
    return found


# key -> (dataset, value as given, record so far) -> value as stored; applied in canonical key order
RESOLVE: dict[str, Callable[[Dataset, Any, dict], Any]] = {
    "id": lambda ds, v, r: slug(v),
    "name": lambda ds, v, r: text(v, "--name"),
    "title": lambda ds, v, r: text(v, "--title"),
    "acronym": lambda ds, v, r: text(v, "--acronym"),
    "names": lambda ds, v, r: {lang: text(n, f"--names {lang}") for lang, n in v.items()},
    "type": lambda ds, v, r: ds.codelists.resolve("org_types", v),
    "country": lambda ds, v, r: country(v),
    "website": lambda ds, v, r: url(v, "--website"),
    "email": lambda ds, v, r: email(v, r.get("id", ""), (r.get("name", ""), r.get("acronym", ""))),
    "member_of": _orgs("--member-of"),
    "organization": lambda ds, v, r: organization_id(ds, v, "--organization"),
    "partners": _orgs("--partner"),
    "donors": _orgs("--donor"),
    "sector": lambda ds, v, r: ds.codelists.resolve("sectors", v),
    "services": _services,
    "population": lambda ds, v, r: _unique([ds.codelists.resolve("populations", x) for x in v]),
    "locations": lambda ds, v, r: _unique([location(ds, x) for x in v]),
    "status": lambda ds, v, r: parse_status(v),
    "start": lambda ds, v, r: day(v, "--start"),
    "end": lambda ds, v, r: day(v, "--end"),
    "beneficiaries": lambda ds, v, r: dict(v),
    "counterparts": lambda ds, v, r: _unique([text(x, "--counterpart") for x in v]),
    "sensitive": lambda ds, v, r: True,
    "last_reviewed": lambda ds, v, r: day(v, "--last-reviewed"),
    "sources": lambda ds, v, r: [_source(x) for x in v],
    "coordinated_with": lambda ds, v, r: _unique([activity_id(ds, x) for x in v]),
    "notes": lambda ds, v, r: text(v, "--notes"),
    "description": lambda ds, v, r: text(v, "--description"),
}


def resolve(ds: Dataset, key: str, value: Any, record_so_far: dict) -> Any:
    """One value as typed -> as stored (codes, ids); raises UsageError with a "did you mean"."""
    return RESOLVE[key](ds, value, record_so_far)


def build_record(kind: str, given: dict[str, Any], ds: Dataset, *, today: dt.date | None = None) -> dict:
    """The record for the values given (as typed), with codes and ids resolved. Raises UsageError
    (MissingFields when required keys are absent).

    `given` maps record keys to text (lists of text for list keys); `sources` is a list of
    {title, url?, date?, supports?}; `beneficiaries` {targeted?, reached?}; `names` {language: name};
    `sensitive` a bool.
    """
    g = {k: v for k, v in given.items() if v not in (None, [], {}, "", False)}
    missing = [k for k in REQUIRED[kind] if k not in g]
    g.setdefault("last_reviewed", (today or dt.date.today()).isoformat())
    unknown = set(g) - set(KINDS[kind][1])
    if unknown:
        raise UsageError(f"an {kind} has no field {', '.join(sorted(unknown))}")
    record: dict[str, Any] = {}
    mistakes = []
    for key in KINDS[kind][1]:   # every option is checked before stopping: one run shows every mistake
        if key in g:
            try:
                record[key] = resolve(ds, key, g[key], record)
            except UsageError as e:
                mistakes.append(str(e))
    if missing:
        raise MissingFields(missing, mistakes)
    if mistakes:
        raise UsageErrors(mistakes)
    return record


def _source(s: dict) -> dict:
    out = {"title": text(s.get("title") or "", "--source-title")}
    if s.get("url"):
        out["url"] = url(s["url"], "--source-url")
    if s.get("date"):
        out["date"] = day(s["date"], "--source-date")
    if s.get("supports"):
        out["supports"] = text(s["supports"], "--source-supports")
    return out


class UsageErrors(UsageError):
    """Several mistakes in the options, each said on its own line (as the CLI prints a usage error)."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("\nngocoord: error: ".join(messages))


class MissingFields(UsageErrors):
    def __init__(self, keys: list[str], mistakes: list[str] = ()):
        self.keys, self.mistakes = keys, list(mistakes)
        super().__init__([*self.mistakes, "missing required field" + ("s" if len(keys) > 1 else "") + ": "
                          + ", ".join(option_name(k) for k in keys)])


def render(kind: str, record: dict) -> str:
    """The record as the text of its file: schema header, canonical form."""
    dumped = yaml.safe_dump(record, sort_keys=False, allow_unicode=True, width=1_000_000, default_flow_style=False)
    return canonical_text(dumped, kind)


def target(root: Path, kind: str, record_id: str) -> Path:
    return dataset_folder(root, KINDS[kind][0]) / f"{record_id}.yaml"


def check(ds: Dataset, kind: str, path: Path, content: str) -> list[Problem]:
    """Every lint problem the new file would have, given the rest of the dataset."""
    from ngocoord import rules

    shown = display_path(path)
    doc = document_from_bytes(content.encode("utf-8"), kind, shown)
    others = [d for d in ds.documents if d.path != shown]
    trial = build_dataset(ds.root, [*others, doc], as_of=ds.as_of)
    problems = list(doc.problems) + list(rules.run(trial, selected={shown}))
    return sorted(set(problems))


def create(ds: Dataset, kind: str, record: dict) -> Created:
    """Write the new record's file; refuse if it exists or would not pass lint."""
    path = target(ds.root, kind, record["id"])
    if path.exists() or path.is_symlink():
        raise UsageError(f"{display_path(path)} already exists: edit it instead (ngocoord new never replaces a file)")
    existing = ds.organizations if kind == "organization" else ds.activities
    if record["id"] in existing:
        raise UsageError(f"the {kind} id '{record['id']}' is already used by {existing[record['id']].path}")
    content = render(kind, record)
    problems = check(ds, kind, path, content)
    errors = [p for p in problems if p.severity == ERROR]
    if errors:
        raise UsageError("the new file would not pass lint: " + "; ".join(
            f"{p.rule}: {p.message}" + (f" ({p.hint})" if p.hint else "") for p in errors))
    try:
        write_atomic(path, content)
    except WouldOverwrite:
        raise UsageError(f"{display_path(path)} already exists: edit it instead (ngocoord new never replaces a file)") from None
    except OSError as e:
        raise UsageError(f"cannot write {display_path(path)}: {e.strerror or e}") from None
    return Created(path, content, [p for p in problems if p.severity != ERROR])


# --- what to ask for, in a terminal ----------------------------------------------------------

def choices(ds: Dataset, kind: str, key: str, record_so_far: dict) -> list[tuple[str, str]]:
    """(code, name) pairs to show when asking for `key`; empty when the list is too long to show."""
    cl = ds.codelists
    if key == "type":
        return [(e.code, e.name) for e in cl.org_types.values()]
    if key == "sector":
        return [(e.code, e.name) for e in cl.sectors.values()]
    if key == "services":
        sector = record_so_far.get("sector")
        return [(e.code, e.name) for e in cl.services.values() if sector is None or e.sector == sector]
    if key == "status":
        return [(s, "") for s in STATUSES]
    if key == "locations":
        return [(e.code, e.name) for e in [*cl.regions.values(), *(a for a in cl.areas.values() if (a.level or 0) <= 1)]]
    if key == "organization":
        return [(oid, str(o.raw.get("acronym") or o.raw.get("name"))) for oid, o in sorted(ds.organizations.items())]
    return []


def split_list(text: str) -> list[str]:
    """A list typed at a prompt: items separated by ',' (';' too, as older versions asked)."""
    return [v.strip() for v in text.replace(";", ",").split(",") if v.strip()]


# parse one prompted answer into the value build_record expects: every list splits on ','
ANSWER: dict[str, Callable[[str], Any]] = {key: split_list for key in (
    "services", "locations", "partners", "donors", "population", "member_of", "counterparts", "coordinated_with")}
