from __future__ import annotations

from typing import Annotated

import typer

from ngocoord.cli import DataOpt, FormatOpt, TableFormat, command, dataset_for, emit, fail, usage_errors
from ngocoord.commands._options import SensitiveOpt, published


@command()
def show(
    id: Annotated[str, typer.Argument(help="An organization's or activity's id.", metavar="ID")],
    include_sensitive: SensitiveOpt = False,
    data: DataOpt = None,
    format: FormatOpt = TableFormat.table,
) -> None:
    """One organization (with the activities it leads, partners in or funds) or one activity, with names resolved."""
    from ngocoord.analysis.queries import roles_of
    from ngocoord.render.records import RecordView

    with usage_errors():
        ds = published(dataset_for(data), include_sensitive)
    org, act = ds.organizations.get(id), ds.activities.get(id)
    if org is None and act is None:
        from ngocoord.suggest import did_you_mean

        hint = did_you_mean(id, [*ds.organizations, *ds.activities])
        fail(f"no organization or activity has the id '{id}'" + (f": {hint}" if hint else "")
             + "; run 'ngocoord orgs' or 'ngocoord activities'")
    emit(RecordView(ds, org, act, roles_of(ds, org.id) if org is not None else None), format)
