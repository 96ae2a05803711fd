"""The report as Markdown: headings and tables, every value from the data escaped."""

from __future__ import annotations

from ngocoord.render.tabular import cell_text, md_escape
from ngocoord.report.data import MAX_ROWS, Report, beyond


def as_markdown(columns, rows) -> str:
    if not rows:
        return "None.\n"
    lines = ["| " + " | ".join(md_escape(c) for c in columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(md_escape(cell_text(v)) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _cell_mark(count: int, gap: bool, thin: bool) -> str:
    return f"{count} gap" if gap else f"{count} thin" if thin else str(count)


def coverage_table(report: Report) -> str:
    cov = report.coverage
    gaps, thin = set(cov.gaps), set(cov.thin)
    columns = [report.unit, *[cov.column_names[c] for c in cov.columns]]
    rows = [[r.name, *[_cell_mark(r.counts[c], (r.area, c) in gaps, (r.area, c) in thin) for c in cov.columns]]
            for r in cov.rows]
    return as_markdown(columns, rows)


def n(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else many or one + 's'}"


def _note(text: str) -> list[str]:
    return [md_escape(text), ""] if text else []


def render(report: Report) -> str:
    t = report.totals
    out = [f"# {md_escape(report.title)}", "",
           f"As of {report.as_of.isoformat()}. Region: {md_escape(report.region_name)} ({md_escape(report.region)}). "
           f"{n(t['organizations'], 'organization')}, {n(t['activities'], 'activity', 'activities')} "
           f"({t['active']} active), {n(t['gaps'], 'coverage gap')}, {n(t['thin'], 'thin cell')}, "
           f"{n(t['duplicates'], 'duplicated service')}, {n(t['stale'], 'stale record')}.", ""]
    if report.include_sensitive:
        out += ["> **Contains the exact places of sensitive activities. Do not publish.**", ""]
    out += ["## Overview", "", "### Organizations by type", "",
            as_markdown(["type", "organizations"], report.organizations_by_type),
            "### Activities by status", "", as_markdown(["status", "activities"], report.activities_by_status),
            "### Activities by sector", "",
            as_markdown(["sector", "activities", f"active on {report.as_of.isoformat()}"], report.activities_by_sector),
            "## Coverage", "",
            f"Delivering organizations (lead and partners) of activities active on {report.as_of.isoformat()}, "
            f"per {report.unit} and sector. A gap has fewer than {report.coverage.min_orgs}; "
            f"a thin cell exactly {report.coverage.min_orgs}.", "",
            coverage_table(report)]
    if report.unlocated:
        out += [f"Active activities located only above {report.unit} level (covering no cell): "
                + "; ".join(md_escape(u) for u in report.unlocated) + ".", ""]
    if report.gap_history:
        out += ["### Gap cells over time", "", as_markdown(["period end", "gap cells", "commit"],
                [[p.end.isoformat(), p.gaps, p.commit[:12]] for p in report.gap_history[-MAX_ROWS:]])]
    out += ["## Duplicated services", ""]
    if report.duplicates:
        out.append(as_markdown(
            ["activities", "organizations", "kind", "services", "populations", "areas", "period"],
            [[" / ".join(d.titles), " / ".join(d.organizations), d.kind, d.services, d.populations, d.areas, d.period]
             for d in report.duplicates[:MAX_ROWS]]))
        out += _note(beyond(report.duplicates, "pairs", f"ngocoord duplicates --region {report.region} "
                                                         f"--as-of {report.as_of.isoformat()} --format csv", total=report.totals["duplicates"]))
    else:
        out += ["No two active activities deliver the same service to the same people in the same place.", ""]
    if report.not_compared:
        out += [f"{report.not_compared} active sector-level activit{'y' if report.not_compared == 1 else 'ies'} "
                "(no service given) could not be compared: pairs form only through a shared service.", ""]
    out += ["## Stale records", "", f"Last reviewed more than a year before {report.as_of.isoformat()}.", ""]
    out.append(as_markdown(["kind", "id", "name", "last reviewed", "days ago"],
                           [[s.kind, s.id, s.name, s.last_reviewed.isoformat(), s.days] for s in report.stale[:MAX_ROWS]])
               if report.stale else "None.\n")
    out += _note(beyond(report.stale, "stale records", f"ngocoord lint --as-of {report.as_of.isoformat()}"))
    out += [f"## Activities by {report.unit}", ""]
    for section in report.areas:
        if not section.activities:
            continue
        out += [f"### {md_escape(section.name)}", ""]
        out.append(as_markdown(["activity", "organization", "sector", "services", "where", "status", "period"],
                               [[a.title, a.organization, a.sector, a.services, a.places,
                                 a.status + (" (active)" if a.active else ""), a.period] for a in section.activities[:MAX_ROWS]]))
        out += _note(beyond(section.activities, "activities", f"ngocoord activities --area {section.area} --format csv"))
    empty = [s.name for s in report.areas if not s.activities]
    if empty:
        out += ["No activity recorded in: " + ", ".join(md_escape(n) for n in empty) + ".", ""]
    return "\n".join(out).rstrip("\n") + "\n"
