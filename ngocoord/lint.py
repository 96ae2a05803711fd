"""lint: every file's load and schema problems, then every rule, as one sorted list."""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ngocoord import rules
from ngocoord.dataset import Dataset, display_path, load_dataset
from ngocoord.problems import ERROR, WARNING, Problem, UsageError


@dataclass
class LintResult:
    problems: list[Problem]
    files: int

    @property
    def errors(self) -> int:
        return sum(p.severity == ERROR for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.severity == WARNING for p in self.problems)

    def summary(self) -> dict:
        return {"files": self.files, "errors": self.errors, "warnings": self.warnings}


def only_rules(result: LintResult, select: set[str] | None, ignore: set[str] | None) -> LintResult:
    """The result with only the problems of the `select`ed rules (None: all), less the `ignore`d ones
    (as ruff's --select and --ignore); the summary and the exit code follow what is kept."""
    if select is None and not ignore:
        return result
    kept = [p for p in result.problems if (select is None or p.rule in select) and p.rule not in (ignore or ())]
    return LintResult(kept, result.files)


def lint_dataset(ds: Dataset, selected: set[str] | None = None) -> LintResult:
    problems = [p for d in ds.documents if selected is None or d.path in selected for p in d.problems]
    problems += rules.run(ds, selected=selected)
    files = len(ds.documents) if selected is None else len(selected)
    return LintResult(sorted(set(problems)), files)


def selected_paths(root: Path, paths: list[Path]) -> set[str] | None:
    """The files named on the command line, as shown in problems; None means the whole dataset."""
    if not paths:
        return None
    chosen: set[str] = set()
    for p in paths:
        if not p.exists() and not p.is_symlink():
            raise UsageError(f"{p} does not exist")
        if p.is_dir():
            if p.resolve() == root.resolve():
                return None
            chosen |= {display_path(f) for f in sorted(p.rglob("*")) if f.suffix in (".yaml", ".yml")}
        else:
            chosen.add(display_path(p))
    return chosen


def changed_files(root: Path, ref: str) -> set[str]:
    """Data files changed (added, modified, renamed) since REF, as git sees them."""
    try:
        top = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=True).stdout.strip()
        out = subprocess.run(["git", "-C", top, "diff", "-z", "--name-only", "--diff-filter=ACMR", f"{ref}...HEAD", "--"],
                             capture_output=True, text=True, check=True).stdout
        untracked = subprocess.run(["git", "-C", top, "ls-files", "-z", "--others", "--exclude-standard"],
                                   capture_output=True, text=True, check=True).stdout
        dirty = subprocess.run(["git", "-C", top, "diff", "-z", "--name-only", "--diff-filter=ACMR", "HEAD", "--"],
                               capture_output=True, text=True, check=True).stdout
    except FileNotFoundError:
        raise UsageError("--changed-since needs git, which is not installed") from None
    except subprocess.CalledProcessError as e:
        reason = (e.stderr or "").strip().splitlines()
        raise UsageError(f"--changed-since {ref}: {reason[-1] if reason else 'git failed'}") from None
    names = {n for n in (out + untracked + dirty).split("\0") if n}  # -z: names with any character, unquoted
    try:  # shown as the loader shows them (root / name inside it), even when root is reached through a link
        inside = root.resolve().relative_to(Path(top).resolve()).as_posix()
    except ValueError:
        inside = None
    prefix = "" if inside == "." else f"{inside}/"
    return {display_path(root / n[len(prefix):] if inside is not None and n.startswith(prefix) else Path(top) / n)
            for n in names}


def lint(root: Path, paths: list[Path] | None = None, *, as_of: dt.date | None = None,
         changed_since: str | None = None) -> LintResult:
    selected = selected_paths(root, list(paths or []))
    if changed_since and changed_since.startswith("-"):  # git would take it for an option (--output=FILE writes a file)
        raise UsageError(f"--changed-since {changed_since!r} is not a git revision")
    if changed_since:  # the changed files, and what the change broke elsewhere (ngocoord.changes)
        from ngocoord.changes import lint_changed

        return lint_changed(root, selected, changed_since, as_of=as_of or dt.date.today())
    return cached_lint(root, selected, as_of or dt.date.today())


def cached_lint(root: Path, selected: set[str] | None, as_of: dt.date) -> LintResult:
    """lint_dataset, remembered in the cache under everything it depends on: each file's path and
    content, the selection, the day and the program (ngocoord.cache.fingerprint)."""
    from ngocoord import cache, snapshot

    scan = snapshot.scan(root)
    store, key = scan.store, None
    if store:
        chosen = "\n".join(sorted(selected)) if selected is not None else "*"
        parts = [as_of.isoformat(), chosen]
        for s in scan.sources:
            parts += [s.shown, s.kind, s.key() if s.failed is None else repr(s.failed.problems)]
        key = cache.combined_key("lint", parts)
        found = _result_from_entry(store.get(key))
        if found is not None:
            scan.close()
            return found
    ds = load_dataset(root, as_of=as_of, scan=scan)  # closes the scan's cache
    result = lint_dataset(ds, selected)
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
