"""The report as Markdown: headings and tables, every value from the data escaped."""

from __future__ import annotations

from ngocoord.render.tabular import cell_text, md_escape
from ngocoord.render.report.data import MAX_ROWS, Report, beyond


def as_markdown(columns, rows) -> str:
    if not rows:
        return "None.\n"
    lines = ["| " + " | ".join(md_escape(c) for c in columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(md_escape(cell_text(v)) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _cell_mark(count: int, gap: bool, thin: bool, stale: bool = False) -> str:
    text = f"{count} gap" if gap else f"{count} thin" if thin else str(count)
    return text + " (stale)" if stale else text


def coverage_table(report: Report) -> str:
    cov = report.coverage
    gaps, thin, stale = set(cov.gaps), set(cov.thin), set(cov.stale)
    columns = [report.unit, *[cov.column_names[c] for c in cov.columns]]
    rows = [[r.name, *[_cell_mark(r.counts[c], (r.area, c) in gaps, (r.area, c) in thin, (r.area, c) in stale)
                       for c in cov.columns]]
            for r in cov.rows]
    return as_markdown(columns, rows)


def headline(report: Report) -> str:
    """The report's first sentence: the counts (as `orgs` and `activities` count them) and how far
    the counted records can be trusted."""
    t = report.totals
    text = (f"{n(t['organizations'], 'organization')}, {n(t['activities'], 'activity', 'activities')} "
            f"({t['active']} active), {n(t['gaps'], 'coverage gap')}, {n(t['thin'], 'thin cell')}, "
            f"{n(t['duplicates'], 'duplicated service')}, {n(t['stale'], 'stale record')}.")
    if t["wider"]:
        where = ("country-wide" if t["countrywide"] == t["wider"]
                 else f"recorded for a wider area ({t['countrywide']} of them country-wide)")
        text += f" Apart from these: {n(t['wider'], 'activity', 'activities')} {where}."
    if t["counted"] and not t["counted_stale"]:
        text += (f" {'The' if t['counted'] == 1 else 'All'} {n(t['counted'], 'activity', 'activities')} counted in the "
                 f"coverage {'was' if t['counted'] == 1 else 'were'} reviewed within the year.")
    elif t["counted"]:
        rest = (f" ({n(t['stale_cells'], 'cell')} {'rests' if t['stale_cells'] == 1 else 'rest'} "
                "only on such records)")
        if t["counted_stale"] == t["counted"]:
            text += (f" {'The' if t['counted'] == 1 else 'All'} {n(t['counted'], 'activity', 'activities')} counted "
                     f"in the coverage {'was' if t['counted'] == 1 else 'were'} last reviewed more than a year ago{rest}.")
        else:
            text += (f" Of the {n(t['counted'], 'activity', 'activities')} counted in the coverage, "
                     f"{t['counted_stale']} {'was' if t['counted_stale'] == 1 else 'were'} last reviewed more than a "
                     f"year ago{rest}.")
    else:
        text += " No activity active on that day is counted in the coverage."
    return text


def n(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else many or one + 's'}"


def _note(text: str) -> list[str]:
    return [md_escape(text), ""] if text else []


def render(report: Report) -> str:
    t = report.totals
    out = [f"# {md_escape(report.title)}", "",
           f"As of {report.as_of.isoformat()}. Region: {md_escape(report.region_name)} ({md_escape(report.region)}). "
           + headline(report), ""]
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
            f"a thin cell exactly {report.coverage.min_orgs}; (stale): every record counted in the cell was last "
            f"reviewed more than a year before {report.as_of.isoformat()}.", "",
            coverage_table(report)]
    if report.unlocated:
        out += [f"Active activities located only above {report.unit} level (covering no cell): "
                + "; ".join(md_escape(u) for u in report.unlocated) + ".", ""]
    out += _gap_history(report) + _wider(report)
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


def _gap_history(report: Report) -> list[str]:
    if not report.gap_history:
        return []
    return ["### Gap cells over time", "", as_markdown(["period end", "gap cells", "commit"],
            [[p.end.isoformat(), p.gaps, p.commit[:12]] for p in report.gap_history[-MAX_ROWS:]])]


def _wider(report: Report) -> list[str]:
    if not report.wider:
        return []
    return (["## Recorded for a wider area", "",
             f"Activities recorded only for an area that holds {md_escape(report.region_name)} (such as the whole "
             "country): they are not counted above, nor in any area's coverage.", "",
             as_markdown(["activity", "organization", "recorded for"],
                         [[title, org, places] for _id, title, org, places in report.wider[:MAX_ROWS]])]
            + _note(beyond(report.wider, "activities", "ngocoord activities --format csv")))
