from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, List, Optional

import typer

from ngocoord.cli import DataOpt, command, dataset_for, emit, fail, usage_errors


class ImportFormat(str, Enum):
    table = "table"
    json = "json"


PROBLEMS_SHOWN = 20


@command("import")
def import_3w(
    file: Annotated[Path, typer.Argument(help="A 3W / 4W sheet: CSV (UTF-8, UTF-16), XLSX, XLS or ODS.", show_default=False)],
    profile: Annotated[Optional[Path], typer.Option("--profile", metavar="FILE", help="The import profile for this sheet's layout (see --suggest-profile).", show_default=False)] = None,
    column: Annotated[Optional[List[str]], typer.Option("--column", metavar="FIELD=HEADER", help="Read FIELD from this column (header, #hashtag or letter); repeatable.", show_default=False)] = None,
    set_: Annotated[Optional[List[str]], typer.Option("--set", metavar="FIELD=VALUE", help="Value of a field the sheet does not carry, e.g. status=ongoing; repeatable.", show_default=False)] = None,
    sheet: Annotated[Optional[str], typer.Option("--sheet", metavar="NAME", help="The workbook sheet to read (default: the first with an organization column).", show_default=False)] = None,
    encoding: Annotated[Optional[str], typer.Option("--encoding", metavar="NAME", help="Text encoding of a CSV that is neither UTF-8 nor UTF-16 (e.g. cp1252).", show_default=False)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what each record would become; write nothing.")] = False,
    skip_invalid: Annotated[bool, typer.Option("--skip-invalid", help="Write the rows that map, leave out (and list) those that do not.")] = False,
    suggest: Annotated[bool, typer.Option("--suggest-profile", help="Print a starting profile for this sheet: its columns, and every unmapped value with a guess.")] = False,
    default_org_type: Annotated[Optional[str], typer.Option("--default-org-type", metavar="TYPE", help="Same as --set organization_type=TYPE.", show_default=False, hidden=True)] = None,
    format: Annotated[ImportFormat, typer.Option("--format", help="table for people, json for programs.")] = ImportFormat.table,
    data: DataOpt = None,
) -> None:
    """Bring a 3W round into the dataset: create and update activities (and the organizations they need).

    Rows update the activity with the same id, or the same organization, sector and title; only
    the fields the sheet carries change, so importing a sheet twice changes nothing. Rows that
    cannot be mapped are listed with row, column and a 'did you mean'; then nothing is written
    unless --skip-invalid."""
    from ngocoord.write.imports.plan import plan_import
    from ngocoord.write.imports.profile import Profile, load_profile, with_overrides
    from ngocoord.write.imports.render import summary

    if not file.is_file():
        fail(f"{file}: no such file")
    with usage_errors():
        prof = load_profile(profile) if profile else Profile()
        sets = list(set_ or []) + ([f"organization_type={default_org_type}"] if default_org_type else [])
        prof = with_overrides(prof, list(column or []), sets)
        ds = dataset_for(data)
        if "_bundled" in ds.root.parts and not (dry_run or suggest):
            fail("no dataset folder to import into: pass --data DIR (a folder with organizations/, activities/, codelists/)")
        plan = plan_import(ds, file, prof, sheet=sheet, encoding=encoding)
    if suggest:
        from ngocoord.write.imports.mapping import Mapper
        from ngocoord.write.imports.suggest import suggest_profile

        emit(suggest_profile(plan, Mapper(ds.codelists, prof.values), prof.defaults))
        return
    _show(plan, format, dry_run)
    if plan.problems and not skip_invalid:
        typer.echo(summary(plan, written=False) + f"; nothing written: fix the {len(plan.failed_rows)} row(s) above "
                   "(or map their values in a profile: --suggest-profile), or pass --skip-invalid", err=True)
        raise typer.Exit(1)
    if dry_run:
        typer.echo(summary(plan, written=False) + " (dry run: nothing written)", err=True)
        return
    from ngocoord.write.imports.write import write_plan

    with usage_errors():
        write_plan(plan)
    typer.echo(summary(plan, written=True) + "; run 'ngocoord lint' to check them", err=True)


def _show(plan, format: ImportFormat, dry_run: bool) -> None:
    """JSON on stdout; or the problems on stderr and, for a dry run, each record's changes on stdout."""
    from ngocoord.write.imports.render import dry_run_lines, problem_lines
    from ngocoord.render.tabular import as_json

    if format is ImportFormat.json:
        emit(as_json(plan.to_json()))
        return
    for line in problem_lines(plan, PROBLEMS_SHOWN):
        typer.echo(line, err=True)
    for line in dry_run_lines(plan) if dry_run else ():
        emit(line + "\n")
