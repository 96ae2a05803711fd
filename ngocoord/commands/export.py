from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, List, Optional

import typer

from ngocoord.cli import DataOpt, command, dataset_for, fail, usage_errors
from ngocoord.commands._options import STDOUT, ForceOpt, OutputOpt, SensitiveOpt, check_output, warn_sensitive, write_output


class ExportFormat(str, Enum):
    csv = "csv"
    hxl = "hxl"
    json = "json"
    sqlite = "sqlite"
    xlsx = "xlsx"


@command()
def export(
    format: Annotated[ExportFormat, typer.Option("--format", help="csv, hxl (CSV with HXL hashtags), xlsx (needs --output), json (records) or sqlite (needs --output).")] = ExportFormat.csv,
    output: OutputOpt = None,
    force: ForceOpt = False,
    include_sensitive: SensitiveOpt = False,
    region: Annotated[Optional[List[str]], typer.Option("--region", metavar="PLACE", help="Only activities with a location in this region, governorate or district (code, P-code, ISO code, name or alias); repeat for any of several.", show_default=False)] = None,
    sector: Annotated[Optional[List[str]], typer.Option("--sector", metavar="SECTOR", help="Only this sector (code or name); repeat for any of several.", show_default=False)] = None,
    org: Annotated[Optional[List[str]], typer.Option("--org", metavar="ORG", help="Only activities this organization leads or partners in (id, acronym or name); repeat for any of several.", show_default=False)] = None,
    data: DataOpt = None,
) -> None:
    """Export a 3W table (who does what where): one row per activity and location."""
    from ngocoord.render import export as exp

    if format in (ExportFormat.sqlite, ExportFormat.xlsx) and output is None:
        fail(f"--format {format.value} needs --output FILE")
    with usage_errors():
        ds = dataset_for(data)
        if region or sector or org:
            ds = exp.only_activities(ds, region=region, sector=sector, org=org, include_sensitive=include_sensitive)
    if include_sensitive:
        warn_sensitive(exp.sensitive_count(ds))
    if format is ExportFormat.sqlite:
        _export_sqlite(ds, output, force, include_sensitive)
        return
    rows = exp.three_w_rows(ds, include_sensitive=include_sensitive)
    if format is ExportFormat.xlsx:
        write_output(output, exp.as_xlsx(rows), force)
        return
    text = exp.as_json(rows) if format is ExportFormat.json else exp.as_csv(rows, hxl=format is ExportFormat.hxl)
    write_output(output or STDOUT, text, force)


def _export_sqlite(ds, output: Path, force: bool, include_sensitive: bool) -> None:
    import tempfile

    from ngocoord.render import export as exp

    check_output(output, force)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "export.sqlite"
        exp.as_sqlite(ds, str(db), include_sensitive=include_sensitive)
        write_output(output, db.read_bytes(), force)
