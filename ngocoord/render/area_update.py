"""What `ngocoord codes update-areas` changes: a summary for people, JSON for programs."""

from __future__ import annotations

from ngocoord.write.area_update import AreaChange, AreaUpdate
from ngocoord.render.output import Result

KINDS = ("added", "renamed", "moved", "removed")


class AreaUpdateView(Result):
    """The changes, the uses of removed areas that stop them, and what was done."""

    def __init__(self, update: AreaUpdate, *, written: bool, dry_run: bool):
        self.update, self.written, self.dry_run = update, written, dry_run
        self.title = f"{update.shown}: " + ", ".join(f"{len(update.of(k))} {k}" for k in KINDS) + f", {update.unchanged} unchanged"

    def rows(self):
        return ["change", "code", "name", "level", "parent", "old_name", "old_parent"], \
            [[c.change, c.code, c.name, c.level, c.parent or "", c.old_name or "", c.old_parent or ""] for c in self.update.changes]

    def to_json(self) -> dict:
        return self.update.as_dict(self.written)

    def as_table(self) -> list[str]:
        lines = [self.title, *(_line(c) for c in self.update.changes)]
        if self.update.problems:
            n = len(self.update.problems)
            lines += [p.text() for p in self.update.problems]
            lines.append(f"{n} use{'' if n == 1 else 's'} of removed areas: nothing was written")
        elif self.dry_run:
            lines.append("dry run: nothing was written")
        elif self.written:
            lines.append(f"wrote {self.update.shown}")
        else:
            lines.append("already up to date: nothing to write")
        return ["\n".join(lines) + "\n"]


def _line(c: AreaChange) -> str:
    if c.change == "renamed":
        kept = "the old name is kept as an alias" if c.alias_kept else "the old name is not kept as an alias: another place has it"
        return f"  renamed  {c.code}  {c.old_name} -> {c.name} ({kept})"
    if c.change == "moved":
        return f"  moved    {c.code}  {c.name}: from {c.old_parent} to {c.parent} (level {c.level})"
    where = f"level {c.level}, in {c.parent}" if c.parent else f"level {c.level}"
    return f"  {c.change:<8} {c.code}  {c.name} ({where})"
