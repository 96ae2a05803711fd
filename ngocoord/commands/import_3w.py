from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ngocoord.cli import DataOpt, command, dataset_for, emit, fail, usage_errors


@command("import")
def import_3w(
    file: Annotated[Path, typer.Argument(help="A 3W table: CSV or XLSX, with HXL hashtags or common column headers.", show_default=False)],
    data: DataOpt = None,
    default_org_type: Annotated[Optional[str], typer.Option("--default-org-type", metavar="TYPE", help="Type of the organizations the table names that are not in the dataset yet (see 'ngocoord codes org-types').", show_default=False)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be written; write nothing.")] = False,
    skip_invalid: Annotated[bool, typer.Option("--skip-invalid", help="Write the rows that map cleanly even when others do not.")] = False,
) -> None:
    """Bring a 3W table into the dataset: one YAML file per new organization and per activity.

    Names are mapped to codes through the codelists' names and aliases. Every value that cannot
    be mapped is reported with its row; then nothing is written (unless --skip-invalid). Existing
    files are never overwritten."""
    from ngocoord.importer import plan_import, write_plan

    if not file.is_file():
        fail(f"{file}: no such file")
    with usage_errors():
        ds = dataset_for(data)
        if "_bundled" in ds.root.parts:   # the copy inside the installed package is not a place to write
            fail("no dataset folder to import into: pass --data DIR (a folder with organizations/, activities/, codelists/)")
        plan = plan_import(ds, file, default_org_type=default_org_type)
    for p in plan.problems:
        typer.echo(p.text(), err=True)
    if plan.ignored_columns:
        typer.echo("note: columns not imported: " + ", ".join(repr(c) for c in plan.ignored_columns), err=True)
    blocked = bool(plan.errors) and not skip_invalid
    orgs = [f for f in plan.files if f.kind == "organization"]
    acts = [f for f in plan.files if f.kind == "activity"]
    if dry_run or blocked:
        verb = "would write" if not blocked else "nothing written; it would write"
        for f in plan.files if dry_run else []:
            emit(f"{f.path}\n")
        summary = f"{verb} {len(orgs)} organization and {len(acts)} activity files"
        if blocked:
            typer.echo(f"{summary}: fix the {len(plan.errors)} value(s) above, or pass --skip-invalid", err=True)
            raise typer.Exit(1)
        typer.echo(f"{summary} (dry run)", err=True)
        return
    with usage_errors():
        written = write_plan(plan)
    for path in written:
        emit(f"{path}\n")
    typer.echo(f"wrote {sum(1 for f in orgs if f.path in written)} organization and "
               f"{sum(1 for f in acts if f.path in written)} activity files from {plan.source}; "
               "run 'ngocoord lint' to check them", err=True)
    if plan.errors:
        raise typer.Exit(1)
