from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from ngocoord.cli import DataOpt, FormatOpt, TableFormat, add_typer, dataset_for, emit, fail, usage_errors

codes = typer.Typer(
    name="codes",
    help="List the valid codes, so you can find the right one for a data file; bring areas.yaml up to a newer COD.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
add_typer(codes)

RegionOpt = Annotated[Optional[str], typer.Option("--region", help="Areas: only those in this region or area.", show_default=False)]
SectorOpt = Annotated[Optional[str], typer.Option("--sector", help="Services: only this sector's.", show_default=False)]
# on the lists they do not narrow, the options are accepted (and refused with a pointer to the right list)
HiddenRegionOpt = Annotated[Optional[str], typer.Option("--region", hidden=True)]
HiddenSectorOpt = Annotated[Optional[str], typer.Option("--sector", hidden=True)]


@codes.command("areas")
def areas(region: RegionOpt = None, sector: HiddenSectorOpt = None, data: DataOpt = None,
          format: FormatOpt = TableFormat.table) -> None:
    """The places: the country, its admin 1 and admin 2 areas (P-codes), and the regions."""
    _list("areas", region, sector, data, format)


@codes.command("sectors")
def sectors(region: HiddenRegionOpt = None, sector: HiddenSectorOpt = None, data: DataOpt = None,
            format: FormatOpt = TableFormat.table) -> None:
    """The sectors (clusters)."""
    _list("sectors", region, sector, data, format)


@codes.command("services")
def services(sector: SectorOpt = None, region: HiddenRegionOpt = None, data: DataOpt = None,
             format: FormatOpt = TableFormat.table) -> None:
    """The services, each with its sector."""
    _list("services", region, sector, data, format)


@codes.command("populations")
def populations(region: HiddenRegionOpt = None, sector: HiddenSectorOpt = None, data: DataOpt = None,
                format: FormatOpt = TableFormat.table) -> None:
    """The population groups."""
    _list("populations", region, sector, data, format)


@codes.command("org-types")
def org_types(region: HiddenRegionOpt = None, sector: HiddenSectorOpt = None, data: DataOpt = None,
              format: FormatOpt = TableFormat.table) -> None:
    """The organization types, with their IATI codes."""
    _list("org-types", region, sector, data, format)


def _list(which: str, region: str | None, sector: str | None, data: Path | None, format: TableFormat) -> None:
    from ngocoord.analysis.codes import codes_table
    from ngocoord.render.records import CodelistView

    if region is not None and which != "areas":
        fail(f"--region narrows areas only: run 'ngocoord codes areas --region {region}'")
    if sector is not None and which != "services":
        fail(f"--sector narrows services only: run 'ngocoord codes services --sector {sector}'")
    with usage_errors():
        ds = dataset_for(data)
        columns, rows = codes_table(ds.codelists, which, region=region, sector=sector)
    emit(CodelistView(ds.codelists, which, columns, rows), format)


class UpdateFormat(str, Enum):
    table = "table"
    json = "json"


@codes.command("update-areas")
def update_areas(
    file: Annotated[Path, typer.Argument(help="A newer COD: a CSV with P-code columns, HXL-tagged or in the global P-code list's layout.", show_default=False)],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the changes; write nothing.")] = False,
    data: DataOpt = None,
    format: Annotated[UpdateFormat, typer.Option("--format", help="table for people, json for programs.")] = UpdateFormat.table,
) -> None:
    """Bring areas.yaml up to a newer COD: add new areas, keep renamed areas' old names as aliases.

    A removed area that a record still uses is an error naming the records, and nothing is
    written. Aliases, names in other languages, regions and comments are kept."""
    from ngocoord.write.area_update import plan_update, write_update
    from ngocoord.load.dataset import find_data_dir
    from ngocoord.load.pcodes import read_pcode_file
    from ngocoord.render.area_update import AreaUpdateView

    with usage_errors():
        cod = read_pcode_file(file)
        update = plan_update(find_data_dir(data), cod)
    written = not dry_run and not update.problems and bool(update.changes)
    if written:
        write_update(update)
    emit(AreaUpdateView(update, written=written, dry_run=dry_run), format)
    if update.problems:
        raise typer.Exit(1)
