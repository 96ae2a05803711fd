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


def _rule_names(values: list[str] | None, option: str) -> set[str] | None:
    """Rule names given to --select/--ignore (repeated or comma-separated); an unknown one is a usage error."""
    from ngocoord.problems import UsageError
    from ngocoord.rules import all_rules

    if not values:
        return None
    names = {n.strip() for v in values for n in v.split(",") if n.strip()}
    known = all_rules()
    for n in sorted(names):
        if n not in known:
            from ngocoord.suggest import did_you_mean

            hint = did_you_mean(n, sorted(known))
            raise UsageError(f"{option}: unknown rule '{n}'" + (f": {hint}" if hint else "")
                             + "; 'ngocoord lint --explain RULE' explains one")
    return names


@command()
def lint(
    paths: Annotated[Optional[List[Path]], typer.Argument(help="Files or folders to check (default: the whole dataset).", show_default=False)] = None,
    data: DataOpt = None,
    format: Annotated[Optional[LintFormat], typer.Option("--format", help="text, json or github (default: text; github under GitHub Actions).", show_default=False)] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Also run the strict rules (sources with a url and 'supports'), and exit 1 on warnings too.")] = False,
    changed_since: Annotated[Optional[str], typer.Option("--changed-since", metavar="REF", help="Check only files changed since this git ref (cross-file rules still see everything).", show_default=False)] = None,
    as_of: AsOfOpt = None,
    explain: Annotated[Optional[str], typer.Option("--explain", metavar="RULE", help="Explain a rule and exit.", show_default=False)] = None,
    select: Annotated[Optional[List[str]], typer.Option("--select", metavar="RULE", help="Report only these rules (repeat, or separate with commas).", show_default=False)] = None,
    ignore: Annotated[Optional[List[str]], typer.Option("--ignore", metavar="RULE", help="Do not report these rules (repeat, or separate with commas).", show_default=False)] = None,
    all_: Annotated[bool, typer.Option("--all", help="List every problem: do not group a rule that fires more than 10 times into one line.")] = False,
) -> None:
    """Check every record against its schema and every cross-file rule."""
    from ngocoord.load.dataset import root_for
    from ngocoord.check.lint import lint as run_lint
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
        from ngocoord.check.lint import only_rules

        selected_rules, ignored_rules = _rule_names(select, "--select"), _rule_names(ignore, "--ignore")
        root = root_for(list(paths or []), data)
        result = run_lint(root, list(paths or []), as_of=parse_day(as_of), changed_since=changed_since, strict=strict,
                          at=at_ref())
        result = only_rules(result, selected_rules, ignored_rules)
    on_actions = os.environ.get("GITHUB_ACTIONS") == "true"
    chosen = format.value if format else ("github" if on_actions else "text")
    if chosen == "text":
        emit(render.as_text(result, group=not all_))
    else:
        emit({"json": render.as_json, "github": render.as_github}[chosen](result))
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if on_actions and format is None and summary_file:
        try:
            with open(summary_file, "a", encoding="utf-8") as f:
                f.write(render.as_markdown_summary(result))
        except OSError as e:
            typer.echo(f"warning: could not write the job summary ({e.strerror})", err=True)
    if result.errors or (strict and result.warnings):
        raise typer.Exit(1)
