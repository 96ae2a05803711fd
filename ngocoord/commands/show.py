from __future__ import annotations

from typing import Annotated

import typer

from ngocoord.cli import DataOpt, FormatOpt, TableFormat, command, dataset_for, emit, fail, print_rich, usage_errors


@command()
def show(
    id: Annotated[str, typer.Argument(help="An organization's id, acronym or name, or an activity's id (any case).", metavar="ID")],
    data: DataOpt = None,
    format: FormatOpt = TableFormat.table,
) -> None:
    """One organization (with the activities it leads, partners in or funds) or one activity, with names resolved."""
    from ngocoord.analysis.queries import roles_of
    from ngocoord.render import records, tabular

    with usage_errors():
        ds = dataset_for(data)
    from ngocoord.domain.lookup import find_activity, find_organization

    org_id, act_id = find_organization(ds, id), find_activity(ds, id)
    org, act = ds.organizations.get(org_id or ""), ds.activities.get(act_id or "")
    if org is None and act is None:
        from ngocoord.domain.lookup import organizations_hint
        from ngocoord.suggest import did_you_mean

        hint = organizations_hint(ds, id) or did_you_mean(id, ds.activities)
        fail(f"no organization or activity is named '{id}'" + (f": {hint}" if hint else "")
             + "; run 'ngocoord orgs' or 'ngocoord activities'")
    id = (org or act).id
    parts = []  # (title, fields, roles or None)
    if org is not None:
        parts.append((f"organization {org.id}", records.organization_fields(ds, org), roles_of(ds, org.id)))
    if act is not None:
        parts.append((f"activity {act.id}", records.activity_fields(ds, act), None))
    if format is TableFormat.json:
        payload = {}
        if org is not None:
            payload["organization"] = org.raw
            payload["activities"] = [{"id": a.id, "role": role, "title": a.title, "status": a.status}
                                     for a, role in roles_of(ds, org.id)]
        if act is not None:
            payload["activity"] = act.raw
            payload["names"] = _names(ds, act)
        emit(tabular.as_json(payload))
        return
    for title, fields, roles in parts:
        if format is TableFormat.csv:
            emit(tabular.as_csv(["field", "value"], [[k, v] for k, v in fields]))
            if roles:
                emit("\n" + tabular.as_csv(*records.role_rows(roles)))
        elif format is TableFormat.markdown:
            emit(records.fields_markdown(fields, title))
            if roles:
                emit("\n" + tabular.as_markdown(*records.role_rows(roles)))
        else:
            print_rich(records.fields_table(fields, title))
            if roles:
                print_rich(tabular.as_table(*records.role_rows(roles), title=f"activities of {id} ({len(roles)})"))


def _names(ds, act) -> dict:
    """Every code and id the activity refers to, with its name."""
    cl = ds.codelists
    names = {}
    for o in (act.organization, *act.partners, *act.donors):
        if o in ds.organizations:
            names[o] = ds.organizations[o].name
    for code, entries in ((act.sector, cl.sectors), *((s, cl.services) for s in act.services),
                          *((p, cl.populations) for p in act.population)):
        if code in entries:
            names[code] = entries[code].name
    for loc in act.locations:
        if cl.place(loc.area):
            names[loc.area] = cl.place(loc.area).name
    return names
