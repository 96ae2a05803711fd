from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

import typer

from ngocoord.cli import AsOfOpt, DataOpt, at_ref, command, dataset_for, emit, parse_day, usage_errors
from ngocoord.commands._options import ForceOpt, OutputOpt, write_output


class ReportFormat(str, Enum):
    markdown = "markdown"
    html = "html"


@command()
def report(
    region: Annotated[Optional[str], typer.Option("--region", help="Region, governorate or other area (code, P-code, ISO code, name or alias). Default: the whole country.", show_default=False)] = None,
    format: Annotated[ReportFormat, typer.Option("--format", help="markdown, or html (one self-contained file that opens offline).")] = ReportFormat.markdown,
    output: OutputOpt = None,
    force: ForceOpt = False,
    include_sensitive: Annotated[bool, typer.Option("--include-sensitive", help="Show the districts and sites of sensitive activities. Do not publish the result.")] = False,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
) -> None:
    """A report for coordinators and donors: overview, coverage gaps, duplicated services, stale records, activities per governorate."""
    from ngocoord.render.report import build_report, render

    with usage_errors():
        day = parse_day(as_of)
        ds = dataset_for(data, as_of)
        result = build_report(ds, region=region, as_of=day, include_sensitive=include_sensitive)
        from ngocoord.analysis.history import gap_history

        result.gap_history = gap_history(ds.root, result.region, level=result.coverage.level, day=day, rev=at_ref() or "HEAD")
    if include_sensitive:
        typer.echo("warning: --include-sensitive: the report shows the exact places of sensitive activities; "
                   "do not publish it", err=True)
    text = render(result, format.value)
    if output is None:
        emit(text)
    else:
        write_output(output, text, force)
