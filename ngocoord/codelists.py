"""The dataset's codelists: areas and regions, sectors, services, populations, organization types.

Nothing here knows a place or a sector by name: it all comes from data/codelists/.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from ngocoord.problems import UsageError
from ngocoord.suggest import did_you_mean_code

# file name -> (schema kind, top-level keys it holds)
FILES = {
    "areas.yaml": ("areas", ("areas", "regions")),
    "sectors.yaml": ("sectors", ("sectors",)),
    "services.yaml": ("services", ("services",)),
    "populations.yaml": ("populations", ("populations",)),
    "org-types.yaml": ("org-types", ("org_types",)),
}


@dataclass(slots=True)
class Entry:
    code: str
    name: str
    aliases: tuple[str, ...] = ()
    level: int | None = None     # areas
    parent: str | None = None    # areas
    members: tuple[str, ...] = ()  # regions
    sector: str | None = None    # services
    iati_code: str | None = None  # org types
    description: str | None = None
    path: str = ""
    index: int = 0               # position in its list, to locate it in the file
    raw: dict = field(default_factory=dict, repr=False)

    @classmethod
    def from_data(cls, d: dict, path: str, index: int) -> "Entry":
        return cls(code=str(d["code"]), name=str(d["name"]), aliases=tuple(str(a) for a in d.get("aliases") or ()),
                   level=d.get("level"), parent=d.get("parent"), members=tuple(d.get("members") or ()),
                   sector=d.get("sector"), iati_code=d.get("iati_code"), description=d.get("description"),
                   path=path, index=index, raw=d)


@dataclass
class Codelists:
    areas: dict[str, Entry] = field(default_factory=dict)
    regions: dict[str, Entry] = field(default_factory=dict)
    sectors: dict[str, Entry] = field(default_factory=dict)
    services: dict[str, Entry] = field(default_factory=dict)
    populations: dict[str, Entry] = field(default_factory=dict)
    org_types: dict[str, Entry] = field(default_factory=dict)
    _containers: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)

    @classmethod
    def from_data(cls, lists: dict[str, list[tuple[dict, str, int]]]) -> "Codelists":
        cl = cls()
        for key, target in (("areas", cl.areas), ("regions", cl.regions), ("sectors", cl.sectors),
                            ("services", cl.services), ("populations", cl.populations), ("org_types", cl.org_types)):
            for d, path, i in lists.get(key, ()):
                target.setdefault(str(d["code"]), Entry.from_data(d, path, i))
        cl._index_containment()
        return cl

    # --- places -----------------------------------------------------------------------------

    def place(self, code: str) -> Entry | None:
        return self.areas.get(code) or self.regions.get(code)

    def is_place(self, code: str) -> bool:
        return code in self.areas or code in self.regions

    def ancestors(self, code: str) -> list[str]:
        """The area itself and every area above it, nearest first (stops at a loop or a gap)."""
        chain, seen = [], set()
        while code in self.areas and code not in seen:
            seen.add(code)
            chain.append(code)
            code = self.areas[code].parent
        return chain

    def _index_containment(self) -> None:
        member_of: dict[str, set[str]] = {}
        for region in self.regions.values():
            for m in region.members:
                member_of.setdefault(m, set()).add(region.code)
        for code in self.areas:
            chain = self.ancestors(code)
            within = set(chain)
            for a in chain:
                within |= member_of.get(a, set())
            self._containers[code] = frozenset(within)
        for region in self.regions.values():
            member_sets = [self._containers.get(m, frozenset({m})) for m in region.members]
            common = frozenset.intersection(*member_sets) if member_sets else frozenset()
            common -= set(region.members)  # a one-governorate region still lies within no governorate
            self._containers[region.code] = common | {region.code}

    def containers(self, code: str) -> frozenset[str]:
        """Every area or region that `code` lies within, itself included."""
        return self._containers.get(code, frozenset({code}))

    def lies_within(self, area: str, other: str) -> bool:
        """A lies within B when A is B or a descendant of B; a governorate lies within a region that lists it."""
        return other in self.containers(area)

    def governorate_of(self, code: str) -> str | None:
        for a in self.ancestors(code):
            if self.areas[a].level == 1:
                return a
        return None

    def areas_within(self, code: str, level: int) -> list[Entry]:
        """The areas of `level` lying within `code`, in codelist order."""
        return [a for a in self.areas.values() if a.level == level and self.lies_within(a.code, code)]

    def resolve_place(self, text: str) -> str:
        """A place named on the command line (code, P-code, ISO code, name or alias, any case) to its code."""
        found = self._lookup(text, list(self.regions.values()) + sorted(self.areas.values(), key=lambda e: e.level or 0))
        if found:
            return found
        from ngocoord.domain.lookup import place_suggestions

        picks = [f"'{self.place(c).name}' ({c})" if self.place(c).name != c else f"'{c}'"
                 for c in place_suggestions(self, text)]
        hint = ("did you mean " + (f"{', '.join(picks[:-1])} or {picks[-1]}" if len(picks) > 1 else picks[0]) + "?"
                if picks else "")
        raise UsageError(f"unknown place '{text}'" + _suffix(hint) + "; run 'ngocoord codes areas'")

    # --- other codes ------------------------------------------------------------------------

    def population_group(self, code: str) -> frozenset[str]:
        """The population and every narrower group it covers (populations.yaml `covers`, followed
        through: detainees covers prisoners, which may cover more)."""
        found, todo = set(), [code]
        while todo:
            c = todo.pop()
            if c in found:
                continue
            found.add(c)
            entry = self.populations.get(c)
            todo += [str(x) for x in (entry.raw.get("covers") or ())] if entry is not None else []
        return frozenset(found)

    def resolve(self, kind: str, text: str) -> str:
        """A sector, service, population or org type named by code, name or alias, to its code."""
        entries = getattr(self, kind)
        found = self._lookup(text, entries.values())
        if found:
            return found
        label = kind.rstrip("s").replace("_", " ")
        raise UsageError(f"unknown {label} '{text}'" + _suffix(did_you_mean_code(text, entries))
                         + f"; run 'ngocoord codes {kind.replace('_', '-')}'")

    @staticmethod
    def _lookup(text: str, entries: Iterable[Entry]) -> str | None:
        wanted = text.strip().casefold()
        entries = list(entries)
        for e in entries:
            if e.code.casefold() == wanted:
                return e.code
        for e in entries:  # coarsest first: 'Erbil' is the governorate before the district
            if wanted in (n.casefold() for n in (e.name, *e.aliases, *e.raw.get("names", {}).values())):
                return e.code
        return None


def _suffix(hint: str) -> str:
    return f": {hint}" if hint else ""
