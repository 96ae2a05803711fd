"""Possible duplicates: two files that may describe the same organization or the same activity."""

import re
import unicodedata
from collections import defaultdict
from functools import cache

from ngocoord.problems import WARNING
from ngocoord.rules import Finding, rule, words

SIMILARITY = 92


@cache
def _stop_words() -> frozenset[str]:
    return frozenset(words("name_stop_words"))


def normalized_name(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    stop = _stop_words()
    kept = [w for w in re.split(r"[^a-z0-9]+", text) if w and w not in stop]
    return " ".join(sorted(kept))


def _pairs_by_similarity(items, key_fn, block_fn):
    """Pairs of items whose keys are equal or nearly so, comparing only items in the same block."""
    from rapidfuzz import fuzz

    blocks = defaultdict(list)
    for item in items:
        blocks[block_fn(item)].append(item)
    for block in blocks.values():
        for i, a in enumerate(block):
            for b in block[i + 1:]:
                if fuzz.ratio(key_fn(a), key_fn(b)) >= SIMILARITY:
                    yield a, b


@rule("possible-duplicate-organization", WARNING)
def possible_duplicate_organization(ds):
    """Two organization files may be the same organization: their names are (nearly) the same
    once case, accents, punctuation and words like 'Organization' are ignored, or one's acronym
    is the other's. If they are the same, keep one file and point every activity at its id."""
    docs = list(ds.docs("organization"))
    seen = set()
    by_acronym = defaultdict(list)
    for doc in docs:
        if doc.data.get("acronym"):
            by_acronym[doc.data["acronym"].casefold()].append(doc)
    pairs = [(a, b, ("acronym",), f"has the same acronym as '{a.data['id']}' ({a.path})")
             for group in by_acronym.values() for i, a in enumerate(group) for b in group[i + 1:]]
    pairs += [(a, b, ("name",), f"has (nearly) the same name as '{a.data['id']}' ({a.path})")
              for a, b in _pairs_by_similarity(docs, lambda d: normalized_name(d.data["name"]),
                                                lambda d: normalized_name(d.data["name"])[:3])]
    for a, b, keys, why in pairs:
        if (a.path, b.path) in seen:
            continue
        seen.add((a.path, b.path))
        yield Finding(b, keys, f"this organization {why}: it may be the same one",
                      "if it is, keep one file and point every activity at its id; if not, make the names tell them apart")


@rule("possible-duplicate-activity", WARNING)
def possible_duplicate_activity(ds):
    """Two activity files of the same lead organization and sector have (nearly) the same title
    and share a location: the same activity may have been entered twice. If so, keep one; if they
    are different phases, say so in the titles (and dates)."""
    docs = list(ds.docs("activity"))
    for a, b in _pairs_by_similarity(docs, lambda d: normalized_name(d.data["title"]),
                                     lambda d: (d.data["organization"], d.data["sector"])):
        if {loc["area"] for loc in a.data["locations"]} & {loc["area"] for loc in b.data["locations"]}:
            yield Finding(b, ("title",), f"this activity has (nearly) the same title, organization, sector and place "
                                         f"as '{a.data['id']}' ({a.path}): it may be the same one",
                          "if it is, keep one file; if they are different phases or projects, make the titles tell them apart")
