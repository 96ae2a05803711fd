from __future__ import annotations

from ngocoord.cli import DataOpt, FormatOpt, TableFormat, command, dataset_for, emit, parse_day, usage_errors
from ngocoord.commands._options import (ActiveOnOpt, AreaOpt, PopulationOpt, RegionOpt, SearchOpt, SectorOpt,
                                        SensitiveOpt, ServiceOpt, StatusOpt, many, published)


@command()
def activities(
    region: RegionOpt = None,
    area: AreaOpt = None,
    sector: SectorOpt = None,
    service: ServiceOpt = None,
    population: PopulationOpt = None,
    org: many("--org", "Only activities this organization leads or partners in (id, name or acronym).", "ORG") = None,
    status: StatusOpt = None,
    active_on: ActiveOnOpt = None,
    type: many("--type", "Only activities delivered (led or partnered) by an organization of this type.", "TYPE") = None,
    search: SearchOpt = None,
    include_sensitive: SensitiveOpt = False,
    data: DataOpt = None,
    format: FormatOpt = TableFormat.table,
) -> None:
    """Who does what where: the activities matching every filter given."""
    from ngocoord.analysis.queries import filter_activities
    from ngocoord.render.records import ActivityList

    with usage_errors():
        ds = published(dataset_for(data), include_sensitive)
        day = parse_day(active_on, "--active-on") if active_on else None
        found = filter_activities(ds, region=region, area=area, sector=sector, service=service, population=population,
                                  org=org, status=status, active_on=day, search=search, type=type)
    emit(ActivityList(ds, found), format)
