"""lint --changed-since REF: report what a change is responsible for, and nothing older.

A pull request must not be blocked by problems that were already in the dataset. So:
- the files changed since REF (committed, staged, modified or new) get every check;
- a file that did not change gets a problem only when the change caused it: the problem is
  there now and was not there at REF. A deleted or renamed organization that unchanged
  activities still name, an id that a new file duplicates, a code removed from a codelist
  that unchanged records use: each is reported where it shows, because of the change.

"At REF" means the dataset as it was where the branch left REF (their merge base), read
straight from git, so nothing in the work tree is touched.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ngocoord import rules
from ngocoord.load.dataset import Dataset, display_path, load_dataset
from ngocoord.problems import LintResult, Problem, UsageError


def changed_files(root: Path, ref: str) -> set[str]:
    """Data files changed (added, modified, renamed) since REF, as git sees them (ngocoord.load.gitrepo)."""
    from ngocoord.load.gitrepo import Repo

    repo = Repo.holding(root, what=f"--changed-since {ref}")
    names = repo.changed_since(ref)
    try:  # shown as the loader shows them (root / name inside it), even when root is reached through a link
        prefix = repo.prefix_of(root)
    except UsageError:
        prefix = None
    return {display_path(root / n[len(prefix):] if prefix is not None and n.startswith(prefix) else repo.top / n)
            for n in names}


def _missing_history(root: Path) -> str:
    """Why git may not find REF or where the branch left it: a shallow clone (GitHub's default checkout)."""
    from ngocoord.load.gitrepo import Repo

    try:
        shallow = Repo.holding(root).git("rev-parse", "--is-shallow-repository").strip() == b"true"
    except UsageError:
        return ""
    return (" (this clone is shallow and lacks the history to compare with: fetch it "
            "('git fetch --unshallow', or fetch-depth: 0 in actions/checkout))") if shallow else ""


def dataset_at(root: Path, ref: str, *, as_of: dt.date) -> Dataset:
    """The dataset in `root` as it was at the merge base of REF and HEAD, shown under today's paths."""
    from ngocoord.load.gitdata import GitData

    data = GitData(root, what=f"--changed-since {ref}")
    try:
        return data.dataset(data.repo.merge_base(ref, "HEAD"), as_of=as_of)
    finally:
        data.close()


def _same(p: Problem) -> tuple:
    """A problem, whatever line it sits on and whatever its hint suggests today."""
    return (p.path, p.rule, p.message)


def lint_changed(root: Path, selected: set[str] | None, ref: str, *, as_of: dt.date, strict: bool = False):
    """Problems of the files changed since REF, and problems the change caused in other files."""
    try:
        changed = changed_files(root, ref)
    except UsageError as e:
        raise UsageError(f"{e}{_missing_history(root)}") from None
    ds = load_dataset(root, as_of=as_of)
    changed &= {d.path for d in ds.documents}  # a README or a script is neither checked nor counted
    chosen = changed if selected is None else selected & changed
    now = list(rules.run(ds, strict=strict))
    own = [p for d in ds.documents if d.path in chosen for p in d.problems] + [p for p in now if p.path in chosen]
    elsewhere = [p for p in now if p.path not in chosen and (selected is None or p.path in selected)]
    if elsewhere:
        before = {_same(p) for p in rules.run(dataset_at(root, ref, as_of=ds.as_of), strict=strict)}
        own += [p for p in elsewhere if _same(p) not in before]
    return LintResult(sorted(set(own)), len(chosen | {p.path for p in own}))
