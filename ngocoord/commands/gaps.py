from __future__ import annotations

from typing import Annotated, Optional

import typer

from ngocoord.cli import AsOfOpt, DataOpt, FormatOpt, TableFormat, command, dataset_for, emit, parse_day, usage_errors
from ngocoord.commands._options import SensitiveOpt, published


@command()
def gaps(
    region: Annotated[str, typer.Option("--region", metavar="PLACE", help="Region, governorate or district: code, P-code, ISO code, name or alias.")],
    sector: Annotated[Optional[str], typer.Option("--sector", metavar="SECTOR", help="Columns are this sector's services (default: columns are the sectors).", show_default=False)] = None,
    level: Annotated[Optional[int], typer.Option("--level", metavar="1|2", min=1, max=2, help="Rows: 1 governorates, 2 districts (default: governorates; for a governorate or district given as --region, the level below it, or the district itself).", show_default=False)] = None,
    min_orgs: Annotated[int, typer.Option("--min-orgs", metavar="N", min=1, help="A cell with fewer organizations is a gap; exactly this many is thin.")] = 1,
    as_of: AsOfOpt = None,
    include_sensitive: SensitiveOpt = False,
    data: DataOpt = None,
    format: FormatOpt = TableFormat.table,
) -> None:
    """Coverage matrix: how many organizations deliver each sector (or service) in each area, gaps in red."""
    from ngocoord.analysis.gaps import coverage
    from ngocoord.render.coverage import CoverageView

    with usage_errors():
        ds = published(dataset_for(data, as_of), include_sensitive)
        cl = ds.codelists
        place = cl.resolve_place(region)
        sector_code = cl.resolve("sectors", sector) if sector else None
        from ngocoord.analysis.gaps import rows_level

        cov = coverage(ds, place, sector=sector_code, level=rows_level(cl, place, level), as_of=parse_day(as_of), min_orgs=min_orgs)
    place_name = cl.place(place).name
    sector_name = cl.sectors[sector_code].name if sector_code else None
    emit(CoverageView(cov, place_name, sector_name), format)
