from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, List, Optional

import typer

from ngocoord.cli import DataOpt, command, dataset_for, emit, fail, usage_errors


class ExportFormat(str, Enum):
    csv = "csv"
    hxl = "hxl"
    json = "json"
    sqlite = "sqlite"


OutputOpt = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file (default: standard output).", show_default=False)]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace the --output file if it exists.")]
SensitiveOpt = Annotated[bool, typer.Option("--include-sensitive", help="Keep the exact places (district, site) of sensitive activities. Do not publish the result.")]


def warn_sensitive(count: int) -> None:
    typer.echo(f"warning: --include-sensitive: the exact places of {count} sensitive "
               f"activit{'y' if count == 1 else 'ies'} are included; do not publish this output", err=True)


def write_output(output: Path, content: str | bytes, force: bool) -> None:
    from ngocoord.atomic import WouldOverwrite, write_atomic

    try:
        write_atomic(output, content, overwrite=force)
    except WouldOverwrite:
        fail(f"{output} already exists; pass --force to replace it")
    except OSError as e:
        fail(f"cannot write {output}: {e.strerror or e}")


@command()
def export(
    format: Annotated[ExportFormat, typer.Option("--format", help="csv, hxl (CSV with HXL hashtags), json (records) or sqlite (needs --output).")] = ExportFormat.csv,
    output: OutputOpt = None,
    force: ForceOpt = False,
    include_sensitive: SensitiveOpt = False,
    region: Annotated[Optional[List[str]], typer.Option("--region", metavar="PLACE", help="Only activities with a location in this region, governorate or district (code, P-code, ISO code, name or alias); repeat for any of several.", show_default=False)] = None,
    sector: Annotated[Optional[List[str]], typer.Option("--sector", metavar="SECTOR", help="Only this sector (code or name); repeat for any of several.", show_default=False)] = None,
    org: Annotated[Optional[List[str]], typer.Option("--org", metavar="ORG", help="Only activities this organization leads or partners in (id, acronym or name); repeat for any of several.", show_default=False)] = None,
    data: DataOpt = None,
) -> None:
    """Export a 3W table (who does what where): one row per activity and location."""
    from ngocoord import export as exp

    if format is ExportFormat.sqlite and output is None:
        fail("--format sqlite needs --output FILE")
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
    text = exp.as_json(rows) if format is ExportFormat.json else exp.as_csv(rows, hxl=format is ExportFormat.hxl)
    if output is None:
        emit(text)
    else:
        write_output(output, text, force)


def _export_sqlite(ds, output: Path, force: bool, include_sensitive: bool) -> None:
    import tempfile

    from ngocoord import export as exp

    if output.exists() and not force:
        fail(f"{output} already exists; pass --force to replace it")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "export.sqlite"
        exp.as_sqlite(ds, str(db), include_sensitive=include_sensitive)
        write_output(output, db.read_bytes(), force)
