from __future__ import annotations

from typing import Annotated

import typer

from ngocoord.cli import DataOpt, FormatOpt, TableFormat, command, dataset_for, emit, fail, usage_errors
from ngocoord.commands._options import SensitiveOpt, published


@command()
def show(
    id: Annotated[str, typer.Argument(help="An organization's id, acronym or name, or an activity's id (any case).", metavar="ID")],
    include_sensitive: SensitiveOpt = False,
    data: DataOpt = None,
    format: FormatOpt = TableFormat.table,
) -> None:
    """One organization (with the activities it leads, partners in or funds) or one activity, with names resolved."""
    from ngocoord.analysis.queries import roles_of
    from ngocoord.render.records import RecordView

    with usage_errors():
        ds = published(dataset_for(data), include_sensitive)
    from ngocoord.domain.lookup import find_activity, find_organization

    org_id, act_id = find_organization(ds, id), find_activity(ds, id)
    org, act = ds.organizations.get(org_id or ""), ds.activities.get(act_id or "")
    if org is None and act is None:
        from ngocoord.domain.lookup import organizations_hint
        from ngocoord.suggest import did_you_mean

        hint = organizations_hint(ds, id) or did_you_mean(id, ds.activities)
        fail(f"no organization or activity is named '{id}'" + (f": {hint}" if hint else "")
             + "; run 'ngocoord orgs' or 'ngocoord activities'")
    emit(RecordView(ds, org, act, roles_of(ds, org.id) if org is not None else None), format)
