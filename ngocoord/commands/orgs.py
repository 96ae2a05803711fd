from __future__ import annotations

from ngocoord.cli import DataOpt, FormatOpt, TableFormat, command, dataset_for, emit, parse_day, print_rich, usage_errors
from ngocoord.commands.activities import (ActiveOnOpt, AreaOpt, PopulationOpt, RegionOpt, SearchOpt, SectorOpt,
                                          ServiceOpt, StatusOpt, TypeOpt)


@command()
def orgs(
    region: RegionOpt = None,
    area: AreaOpt = None,
    sector: SectorOpt = None,
    service: ServiceOpt = None,
    population: PopulationOpt = None,
    status: StatusOpt = None,
    active_on: ActiveOnOpt = None,
    type: TypeOpt = None,
    search: SearchOpt = None,
    data: DataOpt = None,
    format: FormatOpt = TableFormat.table,
) -> None:
    """Who does what where: the organizations matching every filter (place, sector, service, population,
    status and date filters match the activities they lead or partner in)."""
    from ngocoord.analysis.queries import filter_activities, filter_organizations, is_given
    from ngocoord.render import records, tabular

    with usage_errors():
        ds = dataset_for(data)
        day = parse_day(active_on, "--active-on") if active_on else None
        by_activity = dict(region=region, area=area, sector=sector, service=service, population=population,
                           status=status, active_on=day)
        found = filter_organizations(ds, type=type, search=search, **by_activity)
        # the counts are of the activities the filters select (all of them when none is given)
        counted = filter_activities(ds, **by_activity) if any(is_given(v) for v in by_activity.values()) else None
    if format is TableFormat.json:
        emit(tabular.as_json({"organizations": [o.raw for o in found]}))
    elif format is TableFormat.csv:
        emit(tabular.as_csv(*records.organization_rows(ds, found, counted)))
    elif format is TableFormat.markdown:
        emit(tabular.as_markdown(*records.organization_rows(ds, found, counted)))
    else:
        print_rich(tabular.as_table(*records.organization_rows(ds, found, counted),
                                    title=f"{len(found)} organization{'' if len(found) == 1 else 's'}"))
