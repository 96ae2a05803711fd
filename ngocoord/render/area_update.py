"""What `ngocoord codes update-areas` changes, as text for people and JSON for programs."""

from __future__ import annotations

import json

from ngocoord.area_update import AreaChange, AreaUpdate


def _line(c: AreaChange) -> str:
    where = f"level {c.level}, in {c.parent}" if c.parent else f"level {c.level}"
    if c.change == "renamed":
        kept = "the old name is kept as an alias" if c.alias_kept else "the old name is not kept as an alias: another place has it"
        return f"  renamed  {c.code}  {c.old_name} -> {c.name} ({kept})"
    if c.change == "moved":
        return f"  moved    {c.code}  {c.name}: from {c.old_parent} to {c.parent} (level {c.level})"
    return f"  {c.change:<8} {c.code}  {c.name} ({where})"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def as_text(update: AreaUpdate, written: bool, dry_run: bool) -> str:
    counts = ", ".join(f"{len(update.of(k))} {k}" for k in ("added", "renamed", "moved", "removed"))
    lines = [f"{update.shown}: {counts}, {update.unchanged} unchanged", *(_line(c) for c in update.changes)]
    if update.problems:
        lines += [p.text() for p in update.problems]
        lines.append(f"{_count(len(update.problems), 'use')} of removed areas: nothing was written")
    elif dry_run:
        lines.append("dry run: nothing was written")
    elif written:
        lines.append(f"wrote {update.shown}")
    else:
        lines.append("already up to date: nothing to write")
    return "\n".join(lines) + "\n"


def as_json(update: AreaUpdate, written: bool) -> str:
    return json.dumps(update.as_dict(written), ensure_ascii=False, indent=2) + "\n"
