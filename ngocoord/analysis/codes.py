"""Queries over the records: who does what where, and the codelists a contributor picks from."""

from __future__ import annotations

from ngocoord.codelists import Codelists


def codes_table(cl: Codelists, which: str, *, region: str | None = None, sector: str | None = None):
    """(columns, rows) listing one codelist; areas can be narrowed to a region, services to a sector."""
    if which == "areas":
        within = cl.resolve_place(region) if region else None
        rows = [[r.code, r.name, "region", "", ", ".join(r.aliases)] for r in cl.regions.values()
                if within is None or r.code == within]
        rows += [[a.code, a.name, a.level, a.parent or "", ", ".join(a.aliases)] for a in cl.areas.values()
                 if within is None or cl.lies_within(a.code, within)]
        return ["code", "name", "level", "parent", "aliases"], rows
    if which == "services":
        wanted = cl.resolve("sectors", sector) if sector else None
        return ["code", "name", "sector", "description"], [
            [s.code, s.name, s.sector, s.description or ""] for s in cl.services.values() if wanted in (None, s.sector)]
    if which == "org-types":
        return ["code", "name", "iati_code"], [[t.code, t.name, t.iati_code] for t in cl.org_types.values()]
    entries = getattr(cl, which)
    return ["code", "name", "aliases"], [[e.code, e.name, ", ".join(e.aliases)] for e in entries.values()]
