from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

import typer

from ngocoord.cli import DataOpt, FormatOpt, TableFormat, command, dataset_for, emit, fail, usage_errors


class CodeList(str, Enum):
    areas = "areas"
    sectors = "sectors"
    services = "services"
    populations = "populations"
    org_types = "org-types"


@command()
def codes(
    which: Annotated[CodeList, typer.Argument(help="Which codelist to list.")],
    region: Annotated[Optional[str], typer.Option("--region", help="Areas: only those in this region or area.", show_default=False)] = None,
    sector: Annotated[Optional[str], typer.Option("--sector", help="Services: only this sector's.", show_default=False)] = None,
    data: DataOpt = None,
    format: FormatOpt = TableFormat.table,
) -> None:
    """List the valid codes, so you can find the right one for a data file."""
    from ngocoord.query import codes_table
    from ngocoord.render.records import CodelistView

    if region is not None and which is not CodeList.areas:
        fail(f"--region narrows areas only: run 'ngocoord codes areas --region {region}'")
    if sector is not None and which is not CodeList.services:
        fail(f"--sector narrows services only: run 'ngocoord codes services --sector {sector}'")
    with usage_errors():
        ds = dataset_for(data)
        columns, rows = codes_table(ds.codelists, which.value, region=region, sector=sector)
    emit(CodelistView(ds.codelists, which.value, columns, rows), format)
