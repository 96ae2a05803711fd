"""Sources: every record rests on public documents that anyone can open and check (SPEC, *Records*).

These rules are `strict`: a record without a web address or without `supports` is valid, but not
yet good enough to be trusted, so only `ngocoord lint --strict` reports them.
"""

from __future__ import annotations

from ngocoord.problems import WARNING
from ngocoord.rules import Finding, rule


@rule("unsourced-activity", WARNING, strict=True)
def unsourced_activity(ds):
    """(--strict only) No source of this activity has a web address ('url'), so nobody can check
    who does what, where and when. Add the public page or report the activity rests on under
    'sources', with its title, url, date and, in 'supports', what it states."""
    for doc in ds.docs("activity"):
        sources = doc.data.get("sources") or []
        if not any(s.get("url") for s in sources):
            keys = ("sources",) if "sources" in doc.data else ("id",)
            what = "no source has a url" if sources else "the activity cites no source"
            yield Finding(doc, keys, what, "add the public page or report it rests on, with its url")


@rule("source-without-supports", WARNING, strict=True)
def source_without_supports(ds):
    """(--strict only) A source of an organization or activity does not say, under 'supports', what
    it states that the record rests on. In your own words, in at most 300 characters, write who
    does what, where and when according to that source (never copy its sentences), so that a
    reviewer knows what to look for in it."""
    for doc in ds.docs("organization", "activity"):
        for i, source in enumerate(doc.data.get("sources") or []):
            if not source.get("supports"):
                yield Finding(doc, ("sources", i), f"the source '{source.get('title', '')}' does not say what it supports",
                              "add 'supports:' saying, in your own words, what this source states")
