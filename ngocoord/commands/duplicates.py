from __future__ import annotations

from typing import Annotated, Optional

import typer

from ngocoord.cli import AsOfOpt, DataOpt, FormatOpt, TableFormat, command, dataset_for, emit, fail, parse_day, usage_errors
from ngocoord.commands._options import SensitiveOpt, published


@command()
def duplicates(
    region: Annotated[Optional[str], typer.Option("--region", metavar="PLACE", help="Only pairs meeting in an area within this place (code, P-code, ISO code, name or alias).", show_default=False)] = None,
    sector: Annotated[Optional[str], typer.Option("--sector", metavar="SECTOR", help="Only this sector's activities.", show_default=False)] = None,
    as_of: AsOfOpt = None,
    all_time: Annotated[bool, typer.Option("--all-time", help="Pairs whose periods intersect at any time (never cancelled ones), instead of both active on --as-of.")] = False,
    include_coordinated: Annotated[bool, typer.Option("--include-coordinated", help="Also list pairs the forum marked as coordinated (coordinated_with).")] = False,
    include_sensitive: SensitiveOpt = False,
    data: DataOpt = None,
    format: FormatOpt = TableFormat.table,
) -> None:
    """Duplicated services: activities delivering the same service to the same people in the same place."""
    from ngocoord.analysis.duplicates import duplicate_blocks
    from ngocoord.render.duplicates import PairList

    if all_time and as_of is not None:
        fail("--as-of and --all-time exclude each other: give one")
    with usage_errors():
        ds = published(dataset_for(data, as_of), include_sensitive)
        cl = ds.codelists
        place = cl.resolve_place(region) if region else None
        sector_code = cl.resolve("sectors", sector) if sector else None
        day = parse_day(as_of)
        def pairs():  # afresh for each pass a format makes (a count for the title, then the rows): none is held
            return duplicate_blocks(ds, region=place, sector=sector_code, as_of=day, all_time=all_time,
                                    include_coordinated=include_coordinated)

        next(pairs(), None)  # a usage error (unknown place) shows now, not midway through the output
    emit(PairList(pairs, cl, day, all_time=all_time, include_coordinated=include_coordinated), format)
