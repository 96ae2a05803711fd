"""What several commands share: options and how their output is written. Not a command (its name
starts with '_', so ngocoord.cli registers nothing from it); commands import it, never each other."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, List, Optional

import typer

from ngocoord.cli import fail


def opt(name: str, help: str, metavar: str = "TEXT"):
    return Annotated[Optional[str], typer.Option(name, help=help, metavar=metavar, show_default=False)]


def many(name: str, help: str, metavar: str = "TEXT"):
    """A filter that may be repeated: any of its values matches."""
    return Annotated[Optional[List[str]], typer.Option(name, help=help + " Repeat for any of several.", metavar=metavar,
                                                       show_default=False)]


RegionOpt = many("--region", "Only in this region (code, P-code, ISO code, name or alias): a location lies within it.", "PLACE")
AreaOpt = many("--area", "Only in this governorate or district (code, name or alias).", "PLACE")
SectorOpt = many("--sector", "Only this sector (code or name).", "SECTOR")
ServiceOpt = many("--service", "Only this service (code or name).", "SERVICE")
PopulationOpt = many("--population", "Only activities naming this population group or a narrower one it covers (general-population activities name none).", "GROUP")
StatusOpt = many("--status", "planned, ongoing, completed, suspended or cancelled.", "STATUS")
ActiveOnOpt = opt("--active-on", "Only activities active on this day (ongoing, and the day within start and end), YYYY-MM-DD.", "DATE")
TypeOpt = many("--type", "Organization type (code or name).", "TYPE")
SearchOpt = many("--search", "Text to find in ids, titles, names, descriptions (any case).", "TEXT")


OutputOpt = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file, a new path or a regular file ('-': standard output, the default).", show_default=False)]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace the --output file if it exists (only ever a regular file).")]
STDOUT = Path("-")
SensitiveOpt = Annotated[bool, typer.Option("--include-sensitive", help="Keep the exact places (district, site) of sensitive activities. Do not publish the result.")]


def warn_sensitive(count: int) -> None:
    typer.echo(f"warning: --include-sensitive: the exact places of {count} sensitive "
               f"activit{'y' if count == 1 else 'ies'} are included; do not publish this output", err=True)


def write_output(output: Path, content: str | bytes, force: bool) -> None:
    """Write to a new path or a regular file (replaced only with force), or to standard output for '-'."""
    import sys

    from ngocoord.atomic import WouldOverwrite, write_atomic

    if output == STDOUT:
        sys.stdout.flush()
        sys.stdout.buffer.write(content if isinstance(content, bytes) else content.encode("utf-8"))
        sys.stdout.buffer.flush()
        return
    try:
        write_atomic(output, content, overwrite=force)
    except WouldOverwrite:
        fail(f"{output} already exists; pass --force to replace it")
    except OSError as e:
        fail(f"cannot write {output}: {e.strerror or e}")


def check_output(output: Path, force: bool) -> None:
    """Refuse (exit 2) an --output that write_output would refuse, before any work is done."""
    from ngocoord.atomic import check_writable

    if output == STDOUT:
        return
    if (output.exists() or output.is_symlink()) and not force:
        fail(f"{output} already exists; pass --force to replace it")
    try:
        check_writable(output)
    except OSError as e:
        fail(f"cannot write {output}: {e.strerror}")


def published(ds, include_sensitive: bool):
    """The dataset as a command may show it (ngocoord.domain.published); with --include-sensitive,
    the exact places, and a warning on stderr."""
    from ngocoord.domain.published import published_view

    if include_sensitive:
        warn_sensitive(sum(1 for a in ds.activities.values() if a.sensitive))
    return published_view(ds, include_sensitive)
