from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

import typer

from ngocoord.cli import DataOpt, FormatOpt, TableFormat, command, dataset_for, emit, fail, print_rich, usage_errors


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
    from ngocoord.render import tabular

    if region is not None and which is not CodeList.areas:
        fail(f"--region narrows areas only: run 'ngocoord codes areas --region {region}'")
    if sector is not None and which is not CodeList.services:
        fail(f"--sector narrows services only: run 'ngocoord codes services --sector {sector}'")
    with usage_errors():
        ds = dataset_for(data)
        columns, rows = codes_table(ds.codelists, which.value, region=region, sector=sector)
    if format is TableFormat.json:
        emit(tabular.as_json({which.value.replace("-", "_"): [_as_record(ds.codelists, which.value, columns, r) for r in rows]}))
    elif format is TableFormat.csv:
        emit(tabular.as_csv(columns, rows))
    elif format is TableFormat.markdown:
        emit(tabular.as_markdown(columns, rows))
    else:
        print_rich(tabular.as_table(columns, rows, title=f"{which.value} ({len(rows)})"))


def _as_record(cl, which: str, columns: list[str], row: list) -> dict:
    """One row for programs: aliases as a list (an alias may hold a comma), absent values as null."""
    record = {c: (None if v == "" else v) for c, v in zip(columns, row)}
    if "aliases" in record:
        entry = cl.place(record["code"]) if which == "areas" else getattr(cl, which.replace("-", "_")).get(record["code"])
        record["aliases"] = list(entry.aliases) if entry else []
    return record
