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


def clusters(items, key_fn, block_fn, places_fn) -> list[list]:
    """Groups of items that may be copies of each other: in one block, with keys equal or nearly so,
    and sharing a place, linked transitively. Items with the same key are compared once as a group
    (not pair by pair), so 3,000 copies of one record cost 3,000 steps, not 4.5 million."""
    from rapidfuzz import fuzz

    blocks: dict = defaultdict(dict)
    for item in items:
        blocks[block_fn(item)].setdefault(key_fn(item), []).append(item)
    found = []
    for by_key in blocks.values():
        members = [item for group in by_key.values() for item in group]
        index = {id(item): i for i, item in enumerate(members)}
        parent = list(range(len(members)))

        def root(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        keys = list(by_key)
        for i, k1 in enumerate(keys):
            for k2 in keys[i:]:
                if k1 != k2 and fuzz.ratio(k1, k2) < SIMILARITY:
                    continue
                first_at: dict = {}  # place -> the first item seen there
                for item in (by_key[k1] if k1 == k2 else by_key[k1] + by_key[k2]):
                    me = index[id(item)]
                    for place in places_fn(item):
                        other = first_at.setdefault(place, me)
                        parent[root(me)] = root(other)
        groups: dict[int, list] = defaultdict(list)
        for i, item in enumerate(members):
            groups[root(i)].append(item)
        found += [group for group in groups.values() if len(group) > 1]
    return found


@rule("possible-duplicate-activity", WARNING)
def possible_duplicate_activity(ds):
    """Activity files of the same lead organization and sector that have (nearly) the same title
    and share a location: the same activity may have been entered twice (or many times). If so,
    keep one; if they are different phases, say so in the titles (and dates). Two such files get
    one warning on the second; a group of more gets one warning for the whole group, on its first."""
    docs = list(ds.docs("activity"))
    groups = clusters(docs, lambda d: normalized_name(d.data["title"]), lambda d: (d.data["organization"], d.data["sector"]),
                      lambda d: {loc["area"] for loc in d.data["locations"]})
    for group in groups:
        group.sort(key=lambda d: d.path)
        first = group[0]
        if len(group) == 2:
            yield Finding(group[1], ("title",), f"this activity has (nearly) the same title, organization, sector and place "
                                                f"as '{first.data['id']}' ({first.path}): it may be the same one",
                          "if it is, keep one file; if they are different phases or projects, make the titles tell them apart")
            continue
        others = ", ".join(f"'{d.data['id']}'" for d in group[1:4]) + (", …" if len(group) > 4 else "")
        yield Finding(first, ("title",), f"'{first.data['id']}' and {len(group) - 1:,} other activities look like copies "
                                         f"of each other: (nearly) the same title, organization, sector and place ({others})",
                      "keep one file for each activity; if they are different phases or projects, make the titles tell them apart")
