"""Codes: every sector, service, population, area, org type and country must be in its list."""

from functools import cache

from ngocoord.problems import ERROR
from ngocoord.rules import Finding, rule


@cache
def _countries() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_2 for c in pycountry.countries)


_NOT_ISO = {"UK": "GB", "EL": "GR"}  # codes people use that ISO 3166-1 assigns otherwise


def _country_hint(value: str) -> str:
    if value in _NOT_ISO:
        import pycountry

        code = _NOT_ISO[value]
        return f"did you mean '{code}' (the ISO code of {pycountry.countries.get(alpha_2=code).name})?"
    return "write the two-letter ISO 3166-1 code of the country of the headquarters, e.g. \"IQ\" for Iraq"


def _hint(value, entries, list_name):
    text = str(value).casefold()
    for e in entries.values():  # a name or alias written where the code belongs
        if text in (n.casefold() for n in (e.name, *e.aliases)):
            return f"write the code '{e.code}' ({e.name}), not its name"
    from ngocoord.suggest import did_you_mean_code

    return did_you_mean_code(str(value), entries) or f"run 'ngocoord codes {list_name}' to see the valid codes"


def _check(doc, keys, value, entries, label, list_name):
    if value not in entries:
        return Finding(doc, keys, f"unknown {label} '{value}'", _hint(value, entries, list_name))
    return None


@rule("unknown-code", ERROR)
def unknown_code(ds):
    """A code is not in the dataset's codelists (data/codelists/): a sector, service, population,
    location area, organization type or country. Codes are short and exact (IQG11, legal-aid);
    names and other spellings are not codes. 'ngocoord codes areas' (sectors, services,
    populations, org-types) lists them; the message suggests the closest ones."""
    cl = ds.codelists
    places = {**cl.areas, **cl.regions}
    # a codelist file that failed to load is reported itself; checking codes against it would flood the report
    broken = {d.kind for d in ds.documents if d.kind not in ("organization", "activity") and not d.valid}
    for doc in ds.docs("organization", "activity"):
        d = doc.data
        found = []
        if doc.kind == "organization":
            if "org-types" not in broken:
                found.append(_check(doc, ("type",), d["type"], cl.org_types, "organization type", "org-types"))
            if "country" in d and d["country"] not in _countries():
                found.append(Finding(doc, ("country",), f"'{d['country']}' is not an ISO 3166-1 country code",
                                     _country_hint(d["country"])))
        else:
            if "sectors" not in broken:
                found.append(_check(doc, ("sector",), d["sector"], cl.sectors, "sector", "sectors"))
            if "services" not in broken:
                found += [_check(doc, ("services", i), s, cl.services, "service", "services") for i, s in enumerate(d.get("services") or ())]
            if "populations" not in broken:
                found += [_check(doc, ("population", i), p, cl.populations, "population group", "populations")
                          for i, p in enumerate(d.get("population") or ())]
            if "areas" not in broken:
                found += [_check(doc, ("locations", i, "area"), loc["area"], places, "area", "areas")
                          for i, loc in enumerate(d["locations"])]
        yield from (f for f in found if f)


@rule("service-sector", ERROR)
def service_sector(ds):
    """Each service belongs to one sector (services.yaml says which). An activity's services must
    all belong to its sector: legal-aid is protection, not education. Split work that spans two
    sectors into two activities."""
    cl = ds.codelists
    for doc in ds.docs("activity"):
        sector = doc.data["sector"]
        for i, s in enumerate(doc.data.get("services") or ()):
            entry = cl.services.get(s)
            if entry and sector in cl.sectors and entry.sector != sector:
                yield Finding(doc, ("services", i), f"the service '{s}' belongs to the sector '{entry.sector}', not '{sector}'",
                              f"use a {sector} service, or put this work in a separate {entry.sector} activity")
