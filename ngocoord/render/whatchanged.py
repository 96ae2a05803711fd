"""What a change does (ngocoord.analysis.whatchanged.Change) as text, Markdown (a pull request's
comment) or JSON. Every value from the data is escaped for the format it goes into."""

from __future__ import annotations

from ngocoord.render import tabular
from ngocoord.render.output import Result

LIST_MAX = 50  # rows of one list in a comment: GitHub cuts a comment at 65,536 characters


def _md(text: str) -> str:
    """Data as literal Markdown in a comment: no link, emphasis, HTML, table break or @mention
    (render.tabular.md_escape, the one escaper)."""
    return tabular.md_escape(text)


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _cell_name(change, area: str, column: str) -> str:
    for cov in (change.after, change.before):
        if cov is None:
            continue
        names = {r.area: r.name for r in cov.rows}
        if area in names:
            return f"{names[area]} ({area}) × {cov.column_names.get(column, column)}"
    return f"{area} × {column}"


def _pair_text(p) -> str:
    return (f"{p.a.id} ({p.a.organization}) and {p.b.id} ({p.b.organization}): {p.kind}, "
            f"{', '.join(p.services)} in {', '.join(p.areas)}")


def _label(ref: str | None) -> str:
    return "the working tree" if ref is None else ref[:12]


def headline(change) -> str:
    return (f"{_count(len(change.added), 'record')} added, {len(change.removed)} removed, {len(change.changed)} changed; "
            f"{_count(len(change.closed), 'gap')} closed, {len(change.opened)} opened, "
            f"{_count(len(change.thin), 'cell')} became thin; "
            f"{_count(len(change.pairs_added), 'duplicate pair')} appeared, {len(change.pairs_removed)} went away")


def scope(change, region_name: str) -> str:
    what = "governorates" if change.level == 1 else "districts"
    columns = f"services of {change.sector}" if change.sector else "sectors"
    return (f"from {_label(change.base)} to {_label(change.head)}, as of {change.as_of.isoformat()}, "
            f"in {region_name} ({what} × {columns})")


def as_text(change, region_name: str) -> str:
    lines = [f"What changed {scope(change, region_name)}", headline(change)]
    sections = [
        ("Records added", [f"{r.kind} {r.id}" for r in change.added]),
        ("Records removed", [f"{r.kind} {r.id}" for r in change.removed]),
        ("Records changed", [f"{r.kind} {r.id}: {', '.join(r.fields)}" for r in change.changed]),
        ("Gaps closed", [_cell_name(change, *c) for c in change.closed]),
        ("Gaps opened", [_cell_name(change, *c) for c in change.opened]),
        ("Became thin (one organization)", [_cell_name(change, *c) for c in change.thin]),
        ("Duplicate pairs appeared", [_pair_text(p) for p in change.pairs_added]),
        ("Duplicate pairs went away", [_pair_text(p) for p in change.pairs_removed]),
    ]
    for title, items in sections:
        if items:
            lines += ["", f"{title}:"] + [f"  {tabular.cell_text(i)}" for i in items]
    return "\n".join(lines) + "\n"


def _md_list(title: str, items: list[str]) -> list[str]:
    if not items:
        return []
    shown = [f"- {_md(i)}" for i in items[:LIST_MAX]]
    if len(items) > LIST_MAX:
        shown.append(f"- … and {len(items) - LIST_MAX} more (run `ngocoord diff` for all of them)")
    return ["", f"**{title}**", "", *shown]


def as_markdown(change, region_name: str) -> str:
    lines = ["### What this change does to coordination", "",
             _md(f"Compared {scope(change, region_name)}.")]
    if change.empty:
        return "\n".join(lines + ["", "No record, coverage cell or duplicate pair changed."]) + "\n"
    lines += ["", "| | added | removed | changed |", "|---|---|---|---|",
              f"| records | {len(change.added)} | {len(change.removed)} | {len(change.changed)} |",
              "", "| | closed | opened | became thin |", "|---|---|---|---|",
              f"| coverage gaps | {len(change.closed)} | {len(change.opened)} | {len(change.thin)} |",
              "", "| | appeared | went away |", "|---|---|---|",
              f"| duplicate pairs | {len(change.pairs_added)} | {len(change.pairs_removed)} |"]
    lines += _md_list("Gaps closed", [_cell_name(change, *c) for c in change.closed])
    lines += _md_list("Gaps opened", [_cell_name(change, *c) for c in change.opened])
    lines += _md_list("Became thin (one organization)", [_cell_name(change, *c) for c in change.thin])
    lines += _md_list("Duplicate pairs appeared", [_pair_text(p) for p in change.pairs_added])
    lines += _md_list("Duplicate pairs went away", [_pair_text(p) for p in change.pairs_removed])
    lines += _md_list("Records added", [f"{r.kind} {r.id}" for r in change.added])
    lines += _md_list("Records removed", [f"{r.kind} {r.id}" for r in change.removed])
    lines += _md_list("Records changed", [f"{r.kind} {r.id}: {', '.join(r.fields)}" for r in change.changed])
    return "\n".join(lines) + "\n"


class ChangeResult(Result):
    """analysis.whatchanged.Change for the output registry (render.output): its own table (text),
    Markdown (a pull request's comment) and JSON."""

    def __init__(self, change, region_name: str):
        self.change, self.region_name = change, region_name
        self.title = f"What changed {scope(change, region_name)}"

    def as_table(self) -> list[str]:
        return [as_text(self.change, self.region_name)]

    def as_markdown(self) -> list[str]:
        return [as_markdown(self.change, self.region_name)]

    def to_json(self) -> dict:
        return self.change.to_json()
