from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

import typer

from ngocoord.cli import DataOpt, FormatOpt, TableFormat, command, emit, parse_day, usage_errors


class Every(str, Enum):
    month = "month"
    quarter = "quarter"
    year = "year"


@command()
def history(
    region: Annotated[Optional[str], typer.Option("--region", metavar="PLACE", help="Count within this place (default: the whole country).", show_default=False)] = None,
    sector: Annotated[Optional[str], typer.Option("--sector", metavar="SECTOR", help="Only this sector: its activities, and its services as coverage columns.", show_default=False)] = None,
    start: Annotated[Optional[str], typer.Option("--from", metavar="YYYY-MM-DD", help="First period: the one holding this day (default: the first commit of the dataset).", show_default=False)] = None,
    stop: Annotated[Optional[str], typer.Option("--to", metavar="YYYY-MM-DD", help="Last period: the one holding this day, counted on this day (default: today).", show_default=False)] = None,
    every: Annotated[Every, typer.Option("--every", help="Length of a period.")] = Every.month,
    data: DataOpt = None,
    format: FormatOpt = TableFormat.table,
) -> None:
    """Coverage over time, from the dataset's git history: at each period's end, active activities, delivering organizations, gap / thin / covered cells and duplicate pairs."""
    from ngocoord.analysis.history import history as run
    from ngocoord.render import history as render

    with usage_errors():
        first = parse_day(start, "--from") if start else None
        last = parse_day(stop, "--to") if stop else None
        with render.progress() as advance:
            result = run(data, region=region, sector=sector, start=first, stop=last, every=every.value, progress=advance)
    emit(render.HistoryResult(result), format)
