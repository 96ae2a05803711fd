"""lint: every file's load and schema problems, then every rule, as one sorted list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ngocoord import rules
from ngocoord.load.dataset import Dataset, chosen_files, display_path, load_dataset, printable
from ngocoord.problems import LintResult, Problem, UsageError


def only_rules(result: LintResult, select: set[str] | None, ignore: set[str] | None) -> LintResult:
    """The result with only the problems of the `select`ed rules (None: all), less the `ignore`d ones
    (as ruff's --select and --ignore); the summary and the exit code follow what is kept."""
    if select is None and not ignore:
        return result
    kept = [p for p in result.problems if (select is None or p.rule in select) and p.rule not in (ignore or ())]
    return LintResult(kept, result.files)


def lint_dataset(ds: Dataset, selected: set[str] | None = None, *, strict: bool = False) -> LintResult:
    problems = [p for d in ds.documents if selected is None or d.path in selected for p in d.problems]
    problems += rules.run(ds, selected=selected, strict=strict)
    files = len(ds.documents) if selected is None else len(selected)
    return LintResult(sorted(set(problems)), files)


def selected_paths(root: Path, paths: list[Path]) -> set[str] | None:
    """The files named on the command line, as shown in problems; None means the whole dataset."""
    chosen = chosen_files(root, paths)
    return None if chosen is None else {display_path(f) for f, _ in chosen}


def check_revision(ref: str) -> None:
    """A --changed-since value git may be given (lint and fmt), else a UsageError."""
    if not ref.strip():  # '' must not quietly mean "everything"
        raise UsageError("--changed-since needs a git revision (a branch, tag or commit, such as origin/main)")
    if ref.startswith("-"):  # git would take it for an option (--output=FILE writes a file)
        raise UsageError(f"--changed-since {ref!r} is not a git revision")
    if not ref.isprintable():  # no revision holds one; printed raw, a newline forges a line
        raise UsageError(f"--changed-since '{printable(ref)}' is not a git revision")


def lint(root: Path, paths: list[Path] | None = None, *, as_of: dt.date | None = None,
         changed_since: str | None = None, strict: bool = False, at: str | None = None) -> LintResult:
    selected = selected_paths(root, list(paths or []))
    if changed_since is not None:
        check_revision(changed_since)
    if at is not None:  # the dataset as it was at a commit (ngocoord.load.gitdata)
        from ngocoord.load.gitdata import dataset_at

        if changed_since:
            raise UsageError("--at and --changed-since exclude each other: give one")
        return lint_dataset(dataset_at(root, at, as_of=as_of or dt.date.today()), selected, strict=strict)
    if changed_since:  # the changed files, and what the change broke elsewhere (ngocoord.check.changes)
        from ngocoord.check.changes import lint_changed

        return lint_changed(root, selected, changed_since, as_of=as_of or dt.date.today(), strict=strict)
    return cached_lint(root, selected, as_of or dt.date.today(), strict=strict)


def cached_lint(root: Path, selected: set[str] | None, as_of: dt.date, *, strict: bool = False) -> LintResult:
    """lint_dataset, remembered in the cache under everything it depends on: each file's path and
    content, the selection, the day and the program (ngocoord.load.cache.fingerprint)."""
    from ngocoord.load import cache, snapshot

    scan = snapshot.scan(root)
    store, key = scan.store, None
    if store:
        chosen = "\n".join(sorted(selected)) if selected is not None else "*"
        parts = [as_of.isoformat(), chosen] + (["strict"] if strict else [])
        for s in scan.sources:
            parts += [s.shown, s.kind, s.key() if s.failed is None else repr(s.failed.problems)]
        key = cache.combined_key("lint", parts)
        found = _result_from_entry(store.get(key))
        if found is not None:
            scan.close()
            return found
    ds = load_dataset(root, as_of=as_of, scan=scan)  # closes the scan's cache
    result = lint_dataset(ds, selected, strict=strict)
    if key is not None:
        store.put(key, (result.files, tuple(_fields(p) for p in result.problems)))
        store.close()
    return result


def _fields(p: Problem) -> tuple:
    return (p.path, p.line, p.column, p.severity, p.rule, p.message, p.hint)


def _result_from_entry(entry) -> LintResult | None:
    if type(entry) is not tuple or len(entry) != 2 or type(entry[0]) is not int or type(entry[1]) is not tuple:
        return None
    problems = []
    for p in entry[1]:
        if type(p) is not tuple or len(p) != 7 or type(p[1]) is not int or type(p[2]) is not int \
                or not all(type(p[i]) is str for i in (0, 3, 4, 5, 6)):
            return None
        problems.append(Problem(*p))
    return LintResult(problems, entry[0])
