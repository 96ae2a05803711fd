"""The codelists themselves: codes unique, parents and members known, services in known sectors."""

from collections import Counter

from ngocoord.problems import ERROR
from ngocoord.rules import Finding, rule

_LISTS = {"areas": ("areas", "regions"), "sectors": ("sectors",), "services": ("services",),
          "populations": ("populations",), "org-types": ("org_types",)}


@rule("codelist", ERROR)
def codelist(ds):
    """A codelist (data/codelists/*.yaml) is inconsistent: a code listed twice, an area whose
    parent is not in the list, a region member that is not an area, a service whose sector is
    not in sectors.yaml, a population covering a group that is not in populations.yaml, or an
    alias that names two different places."""
    cl = ds.codelists
    alias_owner: dict[str, str] = {}
    for doc in ds.docs(*_LISTS):
        for key in _LISTS[doc.kind]:
            entries = doc.data.get(key) or []
            counts = Counter(str(e["code"]) for e in entries)
            for i, e in enumerate(entries):
                code = str(e["code"])
                if counts[code] > 1:
                    yield Finding(doc, (key, i, "code"), f"the code '{code}' is listed {counts[code]} times",
                                  "each code is listed once: remove the extra entry, or give it another code")
                parent = cl.areas.get(e.get("parent")) if key == "areas" and e.get("parent") is not None else None
                if key == "areas" and e.get("parent") is not None and parent is None:
                    yield Finding(doc, (key, i, "parent"), f"the parent '{e['parent']}' of {code} is not an area",
                                  "correct the parent code, or add the parent area to the list")
                elif parent is not None and parent.level is not None and e.get("level") != parent.level + 1:
                    yield Finding(doc, (key, i, "level"), f"{code} has level {e.get('level')} but its parent {parent.code} "
                                                          f"has level {parent.level}",
                                  f"an area's level is one more than its parent's: {parent.level + 1}")
                if key == "regions":
                    for j, m in enumerate(e["members"]):
                        if m not in cl.areas:
                            yield Finding(doc, (key, i, "members", j), f"the region member '{m}' is not an area",
                                          "list governorate codes from the areas list")
                if key == "services" and cl.sectors and e["sector"] not in cl.sectors:
                    yield Finding(doc, (key, i, "sector"), f"the sector '{e['sector']}' of service {code} is not in sectors.yaml",
                                  "correct the service's sector, or add the sector to sectors.yaml")
                if key == "populations":
                    for j, narrower in enumerate(e.get("covers") or ()):
                        if narrower not in cl.populations or narrower == code:
                            yield Finding(doc, (key, i, "covers", j),
                                          f"the population '{code}' covers '{narrower}', which is "
                                          + ("itself" if narrower == code else "not in populations.yaml"),
                                          "list the codes of narrower groups from populations.yaml")
                if key in ("areas", "regions"):
                    for j, alias in enumerate(e.get("aliases") or ()):
                        owner = alias_owner.setdefault(alias.casefold(), code)
                        if owner != code:
                            yield Finding(doc, (key, i, "aliases", j), f"the alias '{alias}' already names {owner}",
                                          "an alias must name one place")
