from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

import typer

from ngocoord.cli import DataOpt, FormatOpt, TableFormat, app, dataset_for, emit, print_rich, usage_errors


class CodeList(str, Enum):
    areas = "areas"
    sectors = "sectors"
    services = "services"
    populations = "populations"
    org_types = "org-types"


@app.command()
def codes(
    which: Annotated[CodeList, typer.Argument(help="Which codelist to list.")],
    region: Annotated[Optional[str], typer.Option("--region", help="Areas: only those in this region or area.", show_default=False)] = None,
    sector: Annotated[Optional[str], typer.Option("--sector", help="Services: only this sector's.", show_default=False)] = None,
    data: DataOpt = None,
    format: FormatOpt = TableFormat.table,
) -> None:
    """List the valid codes, so you can find the right one for a data file."""
    from ngocoord.query import codes_table
    from ngocoord.render import tabular

    with usage_errors():
        ds = dataset_for(data)
        columns, rows = codes_table(ds.codelists, which.value, region=region, sector=sector)
    if format is TableFormat.json:
        emit(tabular.as_json({which.value.replace("-", "_"): [dict(zip(columns, r)) for r in rows]}))
    elif format is TableFormat.csv:
        emit(tabular.as_csv(columns, rows))
    elif format is TableFormat.markdown:
        emit(tabular.as_markdown(columns, rows))
    else:
        print_rich(tabular.as_table(columns, rows, title=f"{which.value} ({len(rows)})"))
