"""The one way ngocoord runs git: no shell, every revision checked before use, `--` before
paths, and a failure turned into one clear usage error (lint --changed-since, --at, diff, history).

git is run in a repository the user chose (the one holding the dataset), on revisions they
typed: a revision starting with '-' would be read as an option (`--output=FILE` writes a file),
so every revision is refused or resolved to a commit id first, and only ids reach other commands.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from ngocoord.problems import UsageError


class GitError(UsageError):
    """git is missing, the folder is not in a repository, or a revision does not exist."""


def _environment() -> dict:
    env = dict(os.environ)
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_NAMESPACE"):
        env.pop(name, None)  # the repository is the one holding the dataset, whatever the caller's shell set
    env["GIT_TERMINAL_PROMPT"] = "0"
    env["LC_ALL"] = "C"
    return env


def run_git(cwd: str | Path, *args: str, data: bytes | None = None, what: str = "git") -> bytes:
    """git's standard output; GitError with git's own last line of complaint when it fails."""
    try:
        done = subprocess.run(["git", "-C", str(cwd), *args], input=data, capture_output=True, env=_environment(),
                              stdin=None if data is not None else subprocess.DEVNULL)
    except FileNotFoundError:
        raise GitError(f"{what} needs git, which is not installed") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"{what}: {reason[-1] if reason else 'git failed'}")
    return done.stdout


class Repo:
    """A git repository, and the dataset folder's place inside it."""

    def __init__(self, top: Path, what: str = "git"):
        self.top = top
        self.what = what

    @classmethod
    def holding(cls, folder: Path, what: str = "git") -> "Repo":
        """The repository that holds `folder`; GitError when there is none."""
        try:
            out = run_git(folder, "rev-parse", "--show-toplevel", what=what)
        except GitError as e:
            if "not a git repository" in str(e):
                raise GitError(f"{what}: {folder} is not in a git repository") from None
            raise
        return cls(Path(out.decode("utf-8", "surrogateescape").rstrip("\n")), what)

    def git(self, *args: str, data: bytes | None = None) -> bytes:
        return run_git(self.top, *args, data=data, what=self.what)

    def prefix_of(self, folder: Path) -> str:
        """`folder` relative to the repository's top, as git names paths ('' or 'data/')."""
        try:
            inside = folder.resolve().relative_to(self.top.resolve()).as_posix()
        except ValueError:
            raise GitError(f"{self.what}: {folder} is not inside the repository {self.top}") from None
        return "" if inside == "." else inside + "/"

    def commit(self, rev: str) -> str:
        """The commit id that `rev` names; GitError naming the revision when it names none."""
        if not rev.strip() or rev.startswith("-") or not rev.isprintable():  # printed raw, a newline forges a line
            raise GitError(f"{self.what}: {rev!r} is not a git revision")
        try:
            out = self.git("rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
        except GitError:
            out = b""
        if not out.strip():
            raise GitError(f"{self.what}: unknown revision {rev!r} (not a commit of {self.top})")
        return out.decode().strip()

    def merge_base(self, a: str, b: str) -> str:
        out = self.git("merge-base", self.commit(a), self.commit(b)).decode().strip()
        if not out:
            raise GitError(f"{self.what}: {a} and {b} have no common ancestor")
        return out

    def default_branch(self) -> str:
        """The branch a pull request merges into: origin's HEAD, else main, else master."""
        try:
            out = self.git("symbolic-ref", "--quiet", "refs/remotes/origin/HEAD").decode().strip()
            if out:
                return out.removeprefix("refs/remotes/")
        except GitError:
            pass
        for name in ("origin/main", "main", "origin/master", "master"):
            try:
                self.commit(name)
                return name
            except GitError:
                continue
        raise GitError(f"{self.what}: no default branch (origin/HEAD, main or master) to compare with; name one")

    def tree(self, commit: str, prefix: str = "") -> list[tuple[str, str, str, str]]:
        """(mode, type, object id, path) of every file under `prefix` at `commit`, recursively."""
        listing = self.git("ls-tree", "-r", "-z", "--full-tree", commit, "--", prefix or ".")
        out = []
        for entry in listing.split(b"\0"):
            if entry:
                meta, name = entry.decode("utf-8", "surrogateescape").split("\t", 1)
                mode, kind, oid = meta.split()
                out.append((mode, kind, oid, name))
        return out

    def blobs(self, ids: list[str]) -> dict[str, bytes]:
        """Many blobs' contents in one git process (git cat-file --batch)."""
        if not ids:
            return {}
        out = self.git("cat-file", "--batch", data="".join(f"{i}\n" for i in ids).encode())
        found, pos = {}, 0
        for i in ids:
            header_end = out.index(b"\n", pos)
            header = out[pos:header_end].split()
            if len(header) < 3 or header[1] == b"missing":
                raise GitError(f"{self.what}: git object {i} is missing from the repository")
            size = int(header[2])
            found[i] = out[header_end + 1: header_end + 1 + size]
            pos = header_end + 1 + size + 1
        return found

    def names(self, *args: str) -> list[str]:
        """File names a git command prints with -z (any character, unquoted)."""
        out = self.git(*args).decode("utf-8", "surrogateescape")
        return [n for n in out.split("\0") if n]

    def changed_since(self, rev: str) -> set[str]:
        """Files added, modified or renamed since where HEAD left `rev` (their merge base): committed,
        staged, modified in the work tree, or new and not ignored. Paths from the top."""
        self.commit(rev)  # refuses what names no commit; git's own errors then name the revision as given
        committed = self.names("diff", "-z", "--name-only", "--diff-filter=ACMR", f"{rev}...HEAD", "--")
        dirty = self.names("diff", "-z", "--name-only", "--diff-filter=ACMR", "HEAD", "--")
        untracked = self.names("ls-files", "-z", "--others", "--exclude-standard")
        return {*committed, *dirty, *untracked}

    def history(self, rev: str, prefix: str = "") -> list[tuple[str, int]]:
        """(commit id, committer time) of the commits along `rev`'s first parent (the branch's own
        history: a merge counts once, when it lands) whose tree holds `prefix`, newest first."""
        out = self.git("log", "--first-parent", "--format=%H %ct", self.commit(rev), "--").decode()
        commits = [(c, int(t)) for c, t in (line.split() for line in out.splitlines() if line)]
        if not prefix or not commits:
            return commits
        folder = prefix.rstrip("/")
        found = self.git("cat-file", "--batch-check", data="".join(f"{c}:{folder}\n" for c, _ in commits).encode())
        holds = [not line.endswith(b" missing") and b" tree " in line for line in found.splitlines()]
        return [c for c, held in zip(commits, holds) if held]
