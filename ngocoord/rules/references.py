"""References between records: every id a record names must exist."""

from ngocoord.problems import ERROR
from ngocoord.rules import Finding, rule
from ngocoord.suggest import did_you_mean


def _known(ds, kind):
    """Ids that have a file. A file that fails to load or validate still names its record (by its id,
    or else its file name): its own problems are reported there, not again at every reference to it."""
    known = set()
    for doc in ds.docs(kind, valid=False):
        ident = doc.data.get("id") if isinstance(doc.data, dict) else None
        known.add(ident if isinstance(ident, str) else doc.stem)
    return known


@rule("unknown-reference", ERROR)
def unknown_reference(ds):
    """A record names an organization or activity id that has no file: the lead organization,
    a partner, a donor, a network in member_of, or an activity in coordinated_with. Check the
    spelling (the message suggests close ids), or add the missing organization's file first."""
    orgs, activities = _known(ds, "organization"), _known(ds, "activity")
    for doc in ds.docs("organization", "activity"):
        d = doc.data
        refs = [(("organization",), d["organization"], orgs, "organization")] if doc.kind == "activity" else []
        for key, known, label in (("partners", orgs, "organization"), ("donors", orgs, "organization"),
                                  ("member_of", orgs, "organization"), ("coordinated_with", activities, "activity")):
            refs += [((key, i), v, known, label) for i, v in enumerate(d.get(key) or ())]
        for keys, value, known, label in refs:
            if value not in known:
                folder = "activities" if label == "activity" else "organizations"
                hint = did_you_mean(value, sorted(known - {d["id"]})) or f"check the spelling, or add data/{folder}/{value}.yaml first"
                yield Finding(doc, keys, f"there is no {label} with the id '{value}'", hint)
