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
import subprocess
from pathlib import Path

from ngocoord import rules
from ngocoord.dataset import Dataset, build_dataset, display_path, document_from_bytes, load_dataset
from ngocoord.domain import kinds
from ngocoord.problems import LintResult, Problem, UsageError


def _git(top: str, *args: str, data: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", "-C", top, *args], input=data, capture_output=True, check=True)
    except FileNotFoundError:
        raise UsageError("--changed-since needs git, which is not installed") from None
    except subprocess.CalledProcessError as e:
        reason = e.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"--changed-since: {reason[-1] if reason else 'git failed'}") from None
    return done.stdout


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


def _kind(relative: str) -> str | None:
    parts = relative.split("/")
    return kinds.kind_of(*parts) if len(parts) == 2 else None


def dataset_at(root: Path, ref: str, *, as_of: dt.date) -> Dataset:
    """The dataset in `root` as it was at the merge base of REF and HEAD, shown under today's paths."""
    top = _git(str(root), "rev-parse", "--show-toplevel").decode().strip()
    base = _git(top, "merge-base", ref, "HEAD").decode().strip()
    inside = root.resolve().relative_to(Path(top).resolve()).as_posix()
    prefix = "" if inside == "." else inside + "/"
    listing = _git(top, "ls-tree", "-r", "-z", base, "--", prefix or ".").split(b"\0")
    wanted = []
    for entry in filter(None, listing):
        meta, name = entry.decode("utf-8", "surrogateescape").split("\t", 1)
        mode, kind_of_object, blob = meta.split()
        kind = _kind(name[len(prefix):]) if name.startswith(prefix) else None
        if kind and kind_of_object == "blob" and mode != "120000":
            wanted.append((name, kind, blob))
    contents = _blobs(top, [blob for _, _, blob in wanted])
    # shown as load_dataset shows today's files (root / relative name), so that the same file compares equal
    documents = [document_from_bytes(contents[blob], kind, display_path(root / name[len(prefix):])) for name, kind, blob in wanted]
    documents.sort(key=lambda d: d.kind in kinds.RECORD_DIRS.values())  # codelists first, as the loader does
    return build_dataset(root, documents, as_of=as_of)


def _blobs(top: str, ids: list[str]) -> dict[str, bytes]:
    """Many blobs in one git process (git cat-file --batch)."""
    if not ids:
        return {}
    out = _git(top, "cat-file", "--batch", data="".join(f"{i}\n" for i in ids).encode())
    found, pos = {}, 0
    for i in ids:
        header_end = out.index(b"\n", pos)
        size = int(out[pos:header_end].split()[2])
        found[i] = out[header_end + 1: header_end + 1 + size]
        pos = header_end + 1 + size + 1
    return found


def _same(p: Problem) -> tuple:
    """A problem, whatever line it sits on and whatever its hint suggests today."""
    return (p.path, p.rule, p.message)


def lint_changed(root: Path, selected: set[str] | None, ref: str, *, as_of: dt.date, strict: bool = False):
    """Problems of the files changed since REF, and problems the change caused in other files."""
    changed = changed_files(root, ref)
    chosen = changed if selected is None else selected & changed
    ds = load_dataset(root, as_of=as_of)
    now = list(rules.run(ds, strict=strict))
    own = [p for d in ds.documents if d.path in chosen for p in d.problems] + [p for p in now if p.path in chosen]
    elsewhere = [p for p in now if p.path not in chosen and (selected is None or p.path in selected)]
    if elsewhere:
        before = {_same(p) for p in rules.run(dataset_at(root, ref, as_of=ds.as_of), strict=strict)}
        own += [p for p in elsewhere if _same(p) not in before]
    return LintResult(sorted(set(own)), len(chosen | {p.path for p in own}))
