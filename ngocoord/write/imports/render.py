"""An import plan for people: what each record becomes, and one summary line."""

from __future__ import annotations

from typing import Iterator


def _rows(rows: list[int]) -> str:
    shown = ", ".join(str(r) for r in rows[:8])
    return f"row{'s' if len(rows) > 1 else ''} {shown}" + (f" and {len(rows) - 8} more" if len(rows) > 8 else "")


def _short(value) -> str:
    text = "—" if value is None else str(value) if not isinstance(value, (list, dict)) else _compact(value)
    return text if len(text) <= 80 else text[:77] + "…"


def _compact(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_compact(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_compact(v)}" for k, v in value.items()) + "}"
    return str(value)


def dry_run_lines(plan) -> Iterator[str]:
    for c in plan.organizations:
        yield f"create organization {c.id}: {c.data['name']} ({c.data['type']}) — {_rows(c.rows)}"
    for c in plan.created:
        places = len(c.data["locations"])
        yield (f"create activity {c.id}: {c.data['title']!r}, {c.data['sector']}, {places} place"
               f"{'s' if places != 1 else ''} — {_rows(c.rows)}")
    for c in plan.updated:
        yield f"update activity {c.id} — {_rows(c.rows)}"
        for key, before, after in c.changes:
            yield f"    {key}: {_short(before)} -> {_short(after)}"


def summary(plan, *, written: bool) -> str:
    verb = "" if written else "would be "
    failed = len(plan.failed_rows)
    rows = f"{plan.rows} rows, {plan.imported_rows} mapped" + (f", {failed} with problems" if failed else "") + (
        f", {len(plan.skipped)} ignored by the profile" if plan.skipped else "")
    return (f"{plan.source}: {rows}; activities: {len(plan.created)} {verb}created, {len(plan.updated)} {verb}updated, "
            f"{plan.unchanged} unchanged; organizations: {len(plan.organizations)} {verb}created")


def problem_lines(plan, shown: int) -> Iterator[str]:
    """Every problem, or, when there are more than `shown`, the first ones and then the same
    problems counted: 4,146 rows saying "no status given" is one thing to fix, not 4,146."""
    for p in plan.problems[:shown]:
        yield p.text(plan.source)
    rest = plan.problems[shown:]
    if not rest:
        return
    counts: dict[tuple, list] = {}
    for p in plan.problems:
        counts.setdefault((p.field, p.value, p.message), []).append(p.row)
    yield f"… {len(rest)} more problems (--format json lists them all); by kind:"
    for (fld, value, message), rows in sorted(counts.items(), key=lambda kv: -len(kv[1]))[:15]:
        what = f"{fld} {value!r}" if value else fld
        yield f"  {len(rows)} row{'s' if len(rows) != 1 else ''} (first {rows[0]}): {what}: {message}"
