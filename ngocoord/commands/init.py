from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ngocoord.cli import command, usage_errors


@command()
def init(
    folder: Annotated[Path, typer.Argument(help="Folder for the new dataset: it must be empty or not exist yet.", show_default=False)],
    country: Annotated[str, typer.Option("--country", help="The forum's country: ISO 3166 alpha-3 (SOM) or alpha-2 (SO) code, or its name, in any case.", show_default=False)],
    name: Annotated[Optional[str], typer.Option("--name", help="The forum's name, for the README (default: 'NGO coordination forum, COUNTRY').", show_default=False)] = None,
) -> None:
    """Start a dataset for a forum in any country: its areas with P-codes, sectors, services, populations, CI and pre-commit."""
    from ngocoord.write.forum import init_forum

    with usage_errors():
        made = init_forum(folder, country, name)
    if made.areas == 0:
        typer.echo(f"warning: the global P-code list shipped with ngocoord has no areas for {made.country.name}: "
                   "areas.yaml lists only the country; add its COD with 'ngocoord codes update-areas FILE'", err=True)
    typer.echo(f"Wrote a dataset for {made.country.name} ({made.country.alpha_3}) in {folder}: "
               f"{made.areas} areas with P-codes, {made.files} files.\n"
               f"Next: cd {folder} && ngocoord import SHEET.xlsx --dry-run", err=True)
