"""Which organization does this text name? The one answer, for import, `new` and every command.

An organization is named by its id, its name, its acronym, or a name in another language
(`names`), compared as names (domain.names.name_key). A cell written "Name (ACRONYM)" names the
organization called Name or known as ACRONYM. A text that two organizations could both claim
(two share an acronym) names neither: guessing would file one's work under the other.
"""

from __future__ import annotations

import re
from typing import Iterable

from ngocoord.domain.names import name_key

_WITH_ACRONYM = re.compile(r"^(?P<name>.*\S)\s*[(\[](?P<acronym>[^()\[\]]{1,20})[)\]]\s*$")


def split_name_acronym(text: str) -> tuple[str, str | None]:
    """'Agency for Technical Cooperation and Development (ACTED)' -> (the name, 'ACTED');
    'OXFAM (OXFAM)' -> ('OXFAM', None); a text without a final bracket -> (text, None)."""
    text = " ".join(text.split())
    m = _WITH_ACRONYM.match(text)
    if not m:
        return text, None
    name, acronym = m["name"].strip(" -–"), m["acronym"].strip()
    if not name or not acronym or name_key(name) == name_key(acronym):
        return (name or acronym), None
    return name, acronym


class OrganizationIndex:
    """Find organizations by any of their names; `add` makes a new one findable at once."""

    def __init__(self, organizations: Iterable[dict] = ()):
        self._by_key: dict[str, set[str]] = {}
        for o in organizations:
            self.add(o)

    def add(self, org: dict) -> None:
        names = (org.get("id"), org.get("name"), org.get("acronym"), *(org.get("names") or {}).values())
        for n in names:
            if n:
                self._by_key.setdefault(name_key(str(n)), set()).add(org["id"])

    def _one(self, text: str | None) -> str | None:
        if not text:
            return None
        found = self._by_key.get(name_key(text), ())
        return next(iter(found)) if len(found) == 1 else None

    def find(self, text: str, acronym: str | None = None) -> str | None:
        """The id of the one organization `text` (and, when given, `acronym`) names, else None."""
        found = self._one(text)
        if found:
            return found
        name, in_brackets = split_name_acronym(text)
        for candidate in (name, in_brackets, acronym):
            found = self._one(candidate)
            if found:
                return found
        return None

    def ambiguous(self, text: str) -> list[str]:
        """The organizations a text could name when it names more than one."""
        found = self._by_key.get(name_key(text), set())
        return sorted(found) if len(found) > 1 else []


def organization_index(organizations) -> OrganizationIndex:
    """The index of a dataset's organizations (ds.organizations: id -> Organization)."""
    return OrganizationIndex(o.raw or {"id": o.id, "name": o.name, "acronym": o.acronym}
                             for o in organizations.values())
