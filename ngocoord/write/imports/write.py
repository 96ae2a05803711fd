"""Writing a plan: organizations first (so no activity ever names a missing one), then activities,
each file whole or not at all (atomic.write_atomic). A run that is killed and started again
finds what it wrote already in the dataset and ends as one uninterrupted run would."""

from __future__ import annotations

import re

import yaml

from ngocoord.write.imports.plan import Change, Plan
from ngocoord.load.schemas import schema_header


def file_text(change: Change) -> str:
    """The record in fmt's canonical form, so that `ngocoord fmt --check` passes on what import writes.

    A new record whose every text is a plain YAML scalar is written directly in that form (fmt's
    round trip through ruamel costs 50 ms a file: a 4,000-row sheet makes 600 files); anything
    else goes through fmt's own canonical_text."""
    if change.action == "create":
        fast = _plain_text(change.data)
        if fast is not None:
            return schema_header(change.kind) + "\n" + fast
    from ngocoord.load.canonical import canonical_text

    dumped = yaml.safe_dump(change.data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
    return canonical_text(schema_header(change.kind) + "\n" + dumped, change.kind)


_DATE_KEYS = frozenset({"start", "end", "last_reviewed", "date"})
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _plain(value, key: str = "") -> str | None:
    """The value as a plain scalar, or None when YAML needs it quoted (or it is not a scalar)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if not isinstance(value, str) or not value or len(value) > 80:
        return None
    if key in _DATE_KEYS:
        return value if _DATE.match(value) else None
    dumped = yaml.safe_dump(value, allow_unicode=True, width=10**6)
    return value if dumped in (value + "\n...\n", value + "\n") else None


def _plain_text(data: dict) -> str | None:
    lines = []
    for key, value in data.items():
        if isinstance(value, list) and value and all(not isinstance(v, (dict, list)) for v in value):
            items = [_plain(v) for v in value]
            if None in items or any(("," in i or "[" in i or "]" in i) for i in items):
                return None
            lines.append(f"{key}: [{', '.join(items)}]")
        elif isinstance(value, list) and value and all(isinstance(v, dict) and v for v in value):
            lines.append(f"{key}:")
            for item in value:
                for i, (k, v) in enumerate(item.items()):
                    text = _plain(v, k)
                    if text is None:
                        return None
                    lines.append(f"  {'- ' if i == 0 else '  '}{k}: {text}")
        elif isinstance(value, dict) and value:
            lines.append(f"{key}:")
            for k, v in value.items():
                text = _plain(v, k)
                if text is None:
                    return None
                lines.append(f"  {k}: {text}")
        else:
            text = _plain(value, key)
            if text is None:
                return None
            lines.append(f"{key}: {text}")
    return "\n".join(lines) + "\n"


def write_plan(plan: Plan) -> list[Change]:
    """Write every planned file; returns the changes written."""
    from ngocoord.atomic import WouldOverwrite, write_atomic
    from ngocoord.load.reading import dataset_folder

    folders = {kind: dataset_folder(plan.root, kind) for kind in ("organizations", "activities")}   # never through a link out
    written = []
    for change in [*plan.organizations, *plan.created, *plan.updated]:
        change.path = folders["organizations" if change.kind == "organization" else "activities"] / f"{change.id}.yaml"
        change.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            write_atomic(change.path, file_text(change), overwrite=change.action == "update")
        except WouldOverwrite:   # appeared since the plan was made: never clobber it
            continue
        written.append(change)
    return written
