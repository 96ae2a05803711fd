from __future__ import annotations

from typing import Annotated, List, Optional

import typer

from ngocoord.cli import DataOpt, FormatOpt, TableFormat, command, dataset_for, emit, parse_day, print_rich, usage_errors


def _opt(name: str, help: str, metavar: str = "TEXT"):
    return Annotated[Optional[str], typer.Option(name, help=help, metavar=metavar, show_default=False)]


def _many(name: str, help: str, metavar: str = "TEXT"):
    """A filter that may be repeated: any of its values matches."""
    return Annotated[Optional[List[str]], typer.Option(name, help=help + " Repeat for any of several.", metavar=metavar,
                                                       show_default=False)]


RegionOpt = _many("--region", "Only in this region (code, P-code, ISO code, name or alias): a location lies within it.", "PLACE")
AreaOpt = _many("--area", "Only in this governorate or district (code, name or alias).", "PLACE")
SectorOpt = _many("--sector", "Only this sector (code or name).", "SECTOR")
ServiceOpt = _many("--service", "Only this service (code or name).", "SERVICE")
PopulationOpt = _many("--population", "Only activities naming this population group or a narrower one it covers (general-population activities name none).", "GROUP")
StatusOpt = _many("--status", "planned, ongoing, completed, suspended or cancelled.", "STATUS")
ActiveOnOpt = _opt("--active-on", "Only activities active on this day (ongoing, and the day within start and end), YYYY-MM-DD.", "DATE")
TypeOpt = _many("--type", "Organization type (code or name).", "TYPE")
SearchOpt = _many("--search", "Text to find in ids, titles, names, descriptions (any case).", "TEXT")


@command()
def activities(
    region: RegionOpt = None,
    area: AreaOpt = None,
    sector: SectorOpt = None,
    service: ServiceOpt = None,
    population: PopulationOpt = None,
    org: _many("--org", "Only activities this organization leads or partners in (id, name or acronym).", "ORG") = None,
    status: StatusOpt = None,
    active_on: ActiveOnOpt = None,
    type: _many("--type", "Only activities delivered (led or partnered) by an organization of this type.", "TYPE") = None,
    search: SearchOpt = None,
    data: DataOpt = None,
    format: FormatOpt = TableFormat.table,
) -> None:
    """Who does what where: the activities matching every filter given."""
    from ngocoord.analysis.queries import filter_activities
    from ngocoord.render import records, tabular

    with usage_errors():
        ds = dataset_for(data)
        day = parse_day(active_on, "--active-on") if active_on else None
        found = filter_activities(ds, region=region, area=area, sector=sector, service=service, population=population,
                                  org=org, status=status, active_on=day, search=search, type=type)
    if format is TableFormat.json:
        emit(tabular.as_json({"activities": [a.raw for a in found]}))
    elif format is TableFormat.csv:
        emit(tabular.as_csv(*records.activity_rows(ds, found, readable=False)))
    elif format is TableFormat.markdown:
        emit(tabular.as_markdown(*records.activity_rows(ds, found, readable=True)))
    else:
        print_rich(tabular.as_table(*records.one_per_line(*records.activity_rows(ds, found, readable=True)),
                                    title=f"{len(found)} activit{'y' if len(found) == 1 else 'ies'}"))
