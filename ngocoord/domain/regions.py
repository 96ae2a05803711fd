"""Which place does a command mean when the user names none? The whole country: one answer for
report, diff and history."""

from __future__ import annotations

from ngocoord.problems import UsageError


def default_region(cl) -> str:
    """The whole country: the one level-0 area."""
    countries = [a.code for a in cl.areas.values() if a.level == 0]
    if len(countries) != 1:
        raise UsageError("the codelists do not name one country (level 0 area): pass --region")
    return countries[0]
