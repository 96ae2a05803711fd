from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, List, Optional

import typer

from ngocoord.cli import DataOpt, command, emit, usage_errors


@command()
def fmt(
    paths: Annotated[Optional[List[Path]], typer.Argument(metavar="PATH", help="Files or folders to format (default: the whole dataset).", show_default=False)] = None,
    data: DataOpt = None,
    check: Annotated[bool, typer.Option("--check", help="Change nothing; exit 1 if a file is not in the canonical form (for CI).")] = False,
    changed_since: Annotated[Optional[str], typer.Option("--changed-since", metavar="REF", help="Only the data files changed since this git ref (as lint --changed-since): a pull request is not held up by old files.", show_default=False)] = None,
) -> None:
    """Rewrite data files into the canonical form: key order, list and date style, schema header.

    Comments and every value are kept; running it twice changes nothing. A file that cannot be
    read as YAML is reported and left as it is.
    """
    from ngocoord.load.canonical import fmt as run_fmt
    from ngocoord.load.dataset import root_for
    from ngocoord.problems import ERROR, Problem

    with usage_errors():
        root = root_for(list(paths or []), data)
        chosen = list(paths or [])
        if changed_since is not None:
            chosen = _changed(root, chosen, changed_since)
        results = run_fmt(root, chosen, check=check) if chosen or changed_since is None else []
    problems = [r.problem for r in results if r.problem]
    changed = [r for r in results if r.changed]
    if check:
        problems += [Problem(r.path, 1, 1, ERROR, "fmt", "the file is not in the canonical form",
                             f"run 'ngocoord fmt {r.path}'") for r in changed]
    on_actions = os.environ.get("GITHUB_ACTIONS") == "true"
    lines = [_github(p) if on_actions else p.text() for p in sorted(problems)]
    if not check:
        lines = [f"formatted {r.path}" for r in changed] + lines
    unreadable = sum(1 for r in results if r.problem)
    canonical = len(results) - len(changed) - unreadable
    verb = "not canonical" if check else "reformatted"
    lines.append(f"{len(results)} file{'' if len(results) == 1 else 's'}: {len(changed)} {verb}, {canonical} already canonical"
                 + (f", {unreadable} not readable (left as they are)" if unreadable else ""))
    emit("\n".join(lines) + "\n")
    if problems:
        raise typer.Exit(1)


def _changed(root: Path, paths: list[Path], ref: str) -> list[Path]:
    """The YAML files of the dataset changed since REF (within `paths`, when given)."""
    from ngocoord.check.changes import changed_files
    from ngocoord.check.lint import check_revision, selected_paths

    check_revision(ref)
    within = selected_paths(root, paths)
    found = sorted(changed_files(root, ref))
    return [Path(f) for f in found if f.endswith((".yaml", ".yml")) and Path(f).is_file()
            and (within is None or f in within) and _inside(root, Path(f))]


def _inside(root: Path, path: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def _github(problem) -> str:
    from ngocoord.problems import LintResult
    from ngocoord.render.problems import as_github

    return as_github(LintResult([problem], 1)).rstrip("\n")
