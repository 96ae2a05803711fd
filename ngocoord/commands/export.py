from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from ngocoord.cli import DataOpt, command, dataset_for, emit, fail, usage_errors
from ngocoord.commands._options import ForceOpt, OutputOpt, SensitiveOpt, warn_sensitive, write_output


class ExportFormat(str, Enum):
    csv = "csv"
    hxl = "hxl"
    json = "json"
    sqlite = "sqlite"


@command()
def export(
    format: Annotated[ExportFormat, typer.Option("--format", help="csv, hxl (CSV with HXL hashtags), json (records) or sqlite (needs --output).")] = ExportFormat.csv,
    output: OutputOpt = None,
    force: ForceOpt = False,
    include_sensitive: SensitiveOpt = False,
    data: DataOpt = None,
) -> None:
    """Export a 3W table (who does what where): one row per activity and location."""
    from ngocoord import export as exp

    if format is ExportFormat.sqlite and output is None:
        fail("--format sqlite needs --output FILE")
    with usage_errors():
        ds = dataset_for(data)
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
