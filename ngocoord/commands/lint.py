from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import Annotated, List, Optional

import typer

from ngocoord.cli import AsOfOpt, DataOpt, at_ref, command, emit, fail, parse_day, usage_errors


class LintFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"


@command()
def lint(
    paths: Annotated[Optional[List[Path]], typer.Argument(help="Files or folders to check (default: the whole dataset).", show_default=False)] = None,
    data: DataOpt = None,
    format: Annotated[Optional[LintFormat], typer.Option("--format", help="text, json or github (default: text; github under GitHub Actions).", show_default=False)] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Also run the strict rules (sources with a url and 'supports'), and exit 1 on warnings too.")] = False,
    changed_since: Annotated[Optional[str], typer.Option("--changed-since", metavar="REF", help="Check only files changed since this git ref (cross-file rules still see everything).", show_default=False)] = None,
    as_of: AsOfOpt = None,
    explain: Annotated[Optional[str], typer.Option("--explain", metavar="RULE", help="Explain a rule and exit.", show_default=False)] = None,
) -> None:
    """Check every record against its schema and every cross-file rule."""
    from ngocoord.dataset import root_for
    from ngocoord.lint import lint as run_lint
    from ngocoord.render import problems as render
    from ngocoord.rules import all_rules

    if explain is not None:
        rules = all_rules()
        if explain not in rules:
            from ngocoord.suggest import did_you_mean

            suggestion = did_you_mean(explain, sorted(rules))
            fail(f"unknown rule '{explain}'" + (f": {suggestion}" if suggestion else ".")
                 + f" The rules are: {', '.join(sorted(rules))}.")
        r = rules[explain]
        emit(f"{r.name} ({r.severity})\n\n{r.doc}\n")
        return
    with usage_errors():
        root = root_for(list(paths or []), data)
        result = run_lint(root, list(paths or []), as_of=parse_day(as_of), changed_since=changed_since, strict=strict,
                          at=at_ref())
    on_actions = os.environ.get("GITHUB_ACTIONS") == "true"
    chosen = format.value if format else ("github" if on_actions else "text")
    emit({"text": render.as_text, "json": render.as_json, "github": render.as_github}[chosen](result))
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if on_actions and format is None and summary_file:
        try:
            with open(summary_file, "a", encoding="utf-8") as f:
                f.write(render.as_markdown_summary(result))
        except OSError as e:
            typer.echo(f"warning: could not write the job summary ({e.strerror})", err=True)
    if result.errors or (strict and result.warnings):
        raise typer.Exit(1)
