from __future__ import annotations

from ngocoord.cli import DataOpt, FormatOpt, TableFormat, command, dataset_for, emit, parse_day, usage_errors
from ngocoord.commands._options import (ActiveOnOpt, AreaOpt, PopulationOpt, RegionOpt, SearchOpt, SectorOpt,
                                        SensitiveOpt, ServiceOpt, StatusOpt, TypeOpt, published)


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
    include_sensitive: SensitiveOpt = False,
    data: DataOpt = None,
    format: FormatOpt = TableFormat.table,
) -> None:
    """Who does what where: the organizations matching every filter (place, sector, service, population,
    status and date filters match the activities they lead or partner in)."""
    from ngocoord.analysis.queries import filter_activities, filter_organizations, is_given
    from ngocoord.render.records import OrganizationList

    with usage_errors():
        ds = published(dataset_for(data), include_sensitive)
        day = parse_day(active_on, "--active-on") if active_on else None
        by_activity = dict(region=region, area=area, sector=sector, service=service, population=population,
                           status=status, active_on=day)
        found = filter_organizations(ds, type=type, search=search, **by_activity)
        # the counts are of the activities the filters select (all of them when none is given)
        counted = filter_activities(ds, **by_activity) if any(is_given(v) for v in by_activity.values()) else None
    emit(OrganizationList(ds, found, counted), format)
