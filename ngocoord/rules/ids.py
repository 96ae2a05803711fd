"""Ids: each file's id equals its name, and no two files share one."""

from collections import defaultdict

from ngocoord.domain.slugs import SLUG
from ngocoord.problems import ERROR
from ngocoord.rules import Finding, rule


@rule("id-mismatch", ERROR)
def id_mismatch(ds):
    """The id inside a file must equal the file's name without '.yaml', and the name must be a
    valid id (lowercase letters, digits and single hyphens). Rename the file, or fix the id."""
    for doc in ds.docs("organization", "activity", valid=False):
        if doc.path.endswith(".yml"):
            yield Finding(doc, (), "the file name ends in '.yml'", f"rename it to {doc.stem}.yaml")
        if not SLUG.match(doc.stem):
            yield Finding(doc, (), f"the file name '{doc.stem}' is not a valid id",
                          "use lowercase letters, digits and single hyphens, e.g. public-aid-organization.yaml")
        elif doc.valid and doc.data["id"] != doc.stem:
            yield Finding(doc, ("id",), f"the id '{doc.data['id']}' does not match the file name '{doc.stem}'",
                          f"write 'id: {doc.stem}' or rename the file to {doc.data['id']}.yaml")


@rule("duplicate-id", ERROR)
def duplicate_id(ds):
    """Two files of the same kind have the same id. Ids identify records across the dataset, so each
    must be unique: keep one file, or give the other a different id (and file name)."""
    seen = defaultdict(list)
    for doc in ds.docs("organization", "activity"):
        seen[(doc.kind, doc.data["id"])].append(doc)
    for (kind, ident), docs in seen.items():
        for doc in docs[1:] if len(docs) > 1 else ():
            yield Finding(doc, ("id",), f"the {kind} id '{ident}' is also used by {docs[0].path}", "give one of them a different id and file name, or keep only one")
        if len(docs) > 1:
            yield Finding(docs[0], ("id",), f"the {kind} id '{ident}' is also used by {docs[1].path}", "give one of them a different id and file name, or keep only one")
