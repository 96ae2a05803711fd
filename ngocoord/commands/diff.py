from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

import typer

from ngocoord.cli import AsOfOpt, DataOpt, command, emit, parse_day, usage_errors


class DiffFormat(str, Enum):
    table = "table"
    markdown = "markdown"
    json = "json"


@command()
def diff(
    base: Annotated[Optional[str], typer.Argument(metavar="[BASE]", help="Commit to compare from (default: the merge base with the default branch).", show_default=False)] = None,
    head: Annotated[Optional[str], typer.Argument(metavar="[HEAD]", help="Commit to compare to (default: the working tree, as it is now).", show_default=False)] = None,
    region: Annotated[Optional[str], typer.Option("--region", metavar="PLACE", help="Cells and pairs within this place (default: the whole country).", show_default=False)] = None,
    sector: Annotated[Optional[str], typer.Option("--sector", metavar="SECTOR", help="Coverage columns are this sector's services (default: the sectors).", show_default=False)] = None,
    level: Annotated[int, typer.Option("--level", metavar="1|2", min=1, max=2, help="Coverage rows: 1 governorates, 2 districts.")] = 1,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
    format: Annotated[DiffFormat, typer.Option("--format", help="table for people, markdown for a pull request's comment, json for programs.")] = DiffFormat.table,
) -> None:
    """What a change does to coordination: records added, removed and changed; gaps closed, opened or thin; duplicate pairs that appeared or went away."""
    from ngocoord.analysis.history import compare_states
    from ngocoord.render import whatchanged as render

    with usage_errors():
        change, region_name = compare_states(data, base, head, region=region, sector=sector, level=level,
                                             as_of=parse_day(as_of))
    emit(render.ChangeResult(change, region_name), format)
