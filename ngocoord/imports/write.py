"""Writing a plan: organizations first (so no activity ever names a missing one), then activities,
each file whole or not at all (atomic.write_atomic). A run that is killed and started again
finds what it wrote already in the dataset and ends as one uninterrupted run would."""

from __future__ import annotations

import yaml

from ngocoord.imports.plan import Change, Plan
from ngocoord.schemas import schema_header


def file_text(change: Change) -> str:
    """The record in fmt's canonical form, so that `ngocoord fmt --check` passes on what import writes."""
    from ngocoord.canonical import canonical_text

    dumped = yaml.safe_dump(change.data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
    return canonical_text(schema_header(change.kind) + "\n" + dumped, change.kind)


def write_plan(plan: Plan) -> list[Change]:
    """Write every planned file; returns the changes written."""
    from ngocoord.atomic import WouldOverwrite, write_atomic

    written = []
    for change in [*plan.organizations, *plan.created, *plan.updated]:
        change.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            write_atomic(change.path, file_text(change), overwrite=change.action == "update")
        except WouldOverwrite:   # appeared since the plan was made: never clobber it
            continue
        written.append(change)
    return written
