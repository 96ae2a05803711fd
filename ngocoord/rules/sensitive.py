"""Sensitivity: an activity that may reveal a protected place says whether it is sensitive."""

from ngocoord.problems import WARNING
from ngocoord.rules import Finding, rule


def _sensitive_populations(cl) -> set[str]:
    return {code for code, entry in cl.populations.items() if entry.raw.get("sensitive") is True}


@rule("sensitive-unset", WARNING)
def sensitive_unset(ds):
    """The activity serves a population marked `sensitive: true` in populations.yaml (detainees,
    prisoners, victims of trafficking, survivors of GBV) or names a `site`, and says nothing about
    `sensitive`. A sensitive activity is published at its governorate only, without its site;
    an activity that does not say is published with its exact places. Decide, and write
    `sensitive: true` (keep the exact places out of published outputs) or `sensitive: false`
    (they may be published)."""
    protected = _sensitive_populations(ds.codelists)
    for doc in ds.docs("activity"):
        d = doc.data
        if "sensitive" in d:
            continue
        groups = [p for p in d.get("population") or () if p in protected]
        sites = [i for i, loc in enumerate(d["locations"]) if loc.get("site")]
        if groups:
            i = list(d["population"]).index(groups[0])
            yield Finding(doc, ("population", i), f"it serves {', '.join(groups)} (a sensitive population) and does "
                          "not say whether it is sensitive", "add 'sensitive: true' to keep its exact places out of "
                          "published outputs, or 'sensitive: false'")
        elif sites:
            yield Finding(doc, ("locations", sites[0], "site"), f"it names the site "
                          f"'{d['locations'][sites[0]]['site']}' and does not say whether it is sensitive",
                          "add 'sensitive: true' to keep the site out of published outputs, or 'sensitive: false'")
