"""The dataset as it was at a commit, read from git's objects: nothing is checked out, and the
work tree is never read or touched (`--at REF`, `diff`, `history`, `lint --changed-since`).

A file version is a git blob, named by its content's hash, so what loading a blob found is kept
in the cache under the blob's id (and the file's kind and the program's fingerprint): each
distinct version is parsed once, however many commits hold it and however often it is asked
for. Within one run, a blob's Document is kept too, so a history of 200 commits over 10,000
files builds each record once per name it had.

Paths are shown as the loader shows today's files (the dataset folder / the file's name in it),
so a command run `--at REF` prints exactly what it prints on a checkout of REF.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

from ngocoord.codelists import FILES as CODELIST_FILES
from ngocoord.load.dataset import Dataset, build_dataset
from ngocoord.load.documents import (DeferredLocated, Document, document_entry, document_from_bytes, document_from_entry,
                                     document_from_snapshot, snapshot_entry)
from ngocoord.domain import kinds
from ngocoord.load.gitrepo import GitError, Repo
from ngocoord.load.reading import Source, display_path, printable

_CODELIST_ORDER = {name: i for i, name in enumerate(CODELIST_FILES)}


def kind_of(relative: str) -> str | None:
    """The kind of a dataset file from its path inside the dataset folder; None for other files."""
    parts = relative.split("/")
    return kinds.kind_of(*parts) if len(parts) == 2 else None


def _order(entry: tuple[str, str, str, str]) -> tuple:
    """The loader's order (dataset.dataset_names): codelists in their fixed order, then organizations,
    then activities, each by name."""
    relative, kind = entry[0], entry[1]
    folder, name = relative.split("/")
    if folder == "codelists":
        return (0, _CODELIST_ORDER[name], "")
    return (1 if folder == "organizations" else 2, 0, name)


class BlobLocated(DeferredLocated):
    """Positions in a file version: the blob is fetched and composed only if a problem needs a line
    (as DeferredLocated does for a file, but never reading the work tree)."""

    __slots__ = ("repo", "oid")

    def __init__(self, repo: Repo, oid: str, path: str):
        super().__init__(None, path)
        self.repo, self.oid = repo, oid

    def read_bytes(self) -> bytes | None:
        try:
            return self.repo.blobs([self.oid])[self.oid]
        except GitError:
            return None


def blob_key(oid: str, kind: str) -> bytes:
    from ngocoord.load.cache import fingerprint

    h = hashlib.blake2b(oid.encode("ascii"), digest_size=20, person=b"ngocoord-blob")
    h.update(b"\0" + kind.encode() + b"\0" + fingerprint())
    return h.digest()


class GitData:
    """Datasets of one dataset folder at any of its repository's commits."""

    def __init__(self, root: Path, what: str = "--at"):
        from ngocoord.load import cache

        self.root = root
        self.repo = Repo.holding(root, what)
        self.prefix = self.repo.prefix_of(root)
        self.store = cache.store()
        self._docs: dict[tuple[str, str, str], Document] = {}
        self._shown: dict[str, str] = {}
        self._listing: tuple[str, dict[str, tuple[str, str]]] | None = None  # the last commit listed
        self._built: dict = {}  # records built from documents (dataset.build_dataset)
        self._order: dict[str, tuple[tuple, str]] = {}  # file -> (its place in the loader's order, path shown)

    def commit(self, rev: str) -> str:
        return self.repo.commit(rev)

    def files(self, commit: str) -> list[tuple[str, str, str]]:
        """(path shown, kind, blob id) of every dataset file at `commit`, in the loader's order. After
        the first commit, only what changed since the last one asked for is listed (git diff-tree)."""
        if self._listing is None or self._listing[0] != commit:
            if self._listing is None:
                listing = self._list(commit)
            else:
                listing = dict(self._listing[1])
                self._apply_changes(listing, self._listing[0], commit)
            self._listing = (commit, listing)
        listing = self._listing[1]
        if not listing:
            raise GitError(f"{self.repo.what}: there is no dataset in {self.prefix or './'} at commit {commit[:12]}")
        order = self._order
        ranked = []
        for relative, (kind, oid) in listing.items():
            place = order.get(relative)
            if place is None:
                place = order[relative] = (_order((relative, kind)), self._show(relative))
            ranked.append((place, kind, oid))
        ranked.sort()
        return [(shown, kind, oid) for (_, shown), kind, oid in ranked]

    def _wanted(self, mode: str, kind_of_object: str, name: str) -> str | None:
        """The kind of a dataset file named `name` (from the repository's top), None for anything else.
        A link is not followed: what it pointed at is not part of the commit."""
        if kind_of_object != "blob" or mode == "120000" or not name.startswith(self.prefix):
            return None
        return kind_of(name[len(self.prefix):])

    def _list(self, commit: str) -> dict[str, tuple[str, str]]:
        listing = {}
        for mode, kind_of_object, oid, name in self.repo.tree(commit, self.prefix):
            kind = self._wanted(mode, kind_of_object, name)
            if kind is not None:
                listing[name[len(self.prefix):]] = (kind, oid)
        return listing

    def _apply_changes(self, listing: dict, old: str, new: str) -> None:
        out = self.repo.git("diff-tree", "-r", "-z", "--no-renames", "--no-commit-id", old, new, "--",
                            self.prefix or ".").decode("utf-8", "surrogateescape").split("\0")
        for meta, name in zip(out[0::2], out[1::2]):
            if not meta.startswith(":"):
                continue
            _, new_mode, _, oid, status = meta[1:].split()
            relative = name[len(self.prefix):] if name.startswith(self.prefix) else None
            if relative is None:
                continue
            listing.pop(relative, None)
            kind = None if status == "D" else self._wanted(new_mode, "tree" if new_mode == "040000" else "blob", name)
            if kind is not None:
                listing[relative] = (kind, oid)

    def _show(self, relative: str) -> str:
        shown = self._shown.get(relative)
        if shown is None:
            folder, name = relative.split("/")
            prefix = self._shown.get(folder + "/")
            if prefix is None:
                at = display_path(self.root / folder)
                prefix = self._shown[folder + "/"] = "" if at == "." else at + os.sep
            shown = self._shown[relative] = prefix + (name if name.isprintable() else printable(name))
        return shown

    def documents(self, files: list[tuple[str, str, str]]) -> list[Document]:
        """Each file version's Document: from this run's memory, else the cache (by blob id), else parsed."""
        docs = self._docs
        missing = [(shown, kind, oid) for shown, kind, oid in files if (oid, kind, shown) not in docs]
        if missing:
            keys = {(oid, kind): blob_key(oid, kind) for _, kind, oid in missing}
            found = self.store.get_many(list(set(keys.values()))) if self.store else {}
            unparsed = []
            for shown, kind, oid in missing:
                entry = found.get(keys[(oid, kind)])
                doc = document_from_entry(Source(shown, kind, shown), entry) if entry is not None else None
                if doc is None:
                    unparsed.append((shown, kind, oid))
                else:
                    docs[(oid, kind, shown)] = self._finish(doc, oid)
            if unparsed:
                self._parse(unparsed, keys)
        return [docs[(oid, kind, shown)] for shown, kind, oid in files]

    def _parse(self, unparsed: list[tuple[str, str, str]], keys: dict) -> None:
        from ngocoord.load.dataset import PARALLEL_MIN, _cpus, _parse_in_parallel

        contents = self.repo.blobs(list(dict.fromkeys(oid for _, _, oid in unparsed)))
        workers = min(_cpus(), 8)
        if len(unparsed) >= PARALLEL_MIN and workers > 1:
            sources = [Source(shown, kind, shown, raw=contents[oid]) for shown, kind, oid in unparsed]
            entries = _parse_in_parallel(sources, workers)
        else:
            entries = [document_entry(document_from_bytes(contents[oid], kind, shown)) for shown, kind, oid in unparsed]
        for (shown, kind, oid), entry in zip(unparsed, entries):
            self._docs[(oid, kind, shown)] = self._finish(document_from_entry(Source(shown, kind, shown), entry), oid)
        if self.store:
            self.store.put_many((keys[(oid, kind)], entry) for (_, kind, oid), entry in zip(unparsed, entries))

    def _finish(self, doc: Document, oid: str) -> Document:
        from ngocoord.model import record_of

        if doc.located is not None:
            doc.located = BlobLocated(self.repo, oid, doc.path)
        if doc.valid and doc.kind == "activity":
            doc.record = record_of(doc.data)
        return doc

    def dataset(self, commit: str, *, as_of: dt.date | None = None) -> Dataset:
        from ngocoord.memory import without_gc

        with without_gc():
            first = self._listing is None
            from_row = first and self._from_tree_snapshot(commit)
            files = self.files(commit)
            docs = self.documents(files)
            if first and not from_row:
                self._save_tree_snapshot(commit, files, docs)
            return build_dataset(self.root, docs, as_of=as_of, built=self._built)

    def _tree_key(self, commit: str) -> bytes | None:
        from ngocoord.load.cache import fingerprint

        try:
            tree = self.repo.git("rev-parse", "--verify", "--quiet", f"{commit}:{self.prefix}").strip()
        except GitError:
            return None
        return hashlib.blake2b(tree + b"\0" + fingerprint(), digest_size=20, person=b"ngocoord-tree").digest()

    def _from_tree_snapshot(self, commit: str) -> bool:
        """Every file of the commit's dataset folder from one row: what a previous run loaded from the
        same tree (a commit's folder is named by its content, so the row can never be stale)."""
        key = self._tree_key(commit) if self.store else None
        value = self.store.get_snapshot(key) if key else None
        if type(value) is not tuple or len(value) != 4 or not all(type(v) is tuple for v in value) \
                or not len(value[0]) == len(value[1]) == len(value[2]) == len(value[3]):
            return False
        relatives, kinds, oids, entries = value
        listing, docs = {}, {}
        for relative, kind, oid, entry in zip(relatives, kinds, oids, entries):
            if type(relative) is not str or type(oid) is not str or kind_of(relative) != kind:
                return False
            shown = self._show(relative)
            doc = self._docs.get((oid, kind, shown)) or document_from_snapshot(Source(shown, kind, shown), entry)
            if doc is None:
                return False
            if doc.located is not None and not isinstance(doc.located, BlobLocated):
                doc.located = BlobLocated(self.repo, oid, shown)
            listing[relative] = (kind, oid)
            docs[(oid, kind, shown)] = doc
        self._docs.update(docs)
        self._listing = (commit, listing)
        return True

    def _save_tree_snapshot(self, commit: str, files: list[tuple[str, str, str]], docs: list[Document]) -> None:
        key = self._tree_key(commit) if self.store else None
        if key is None:
            return
        relatives = {self._show(r): r for r in self._listing[1]}
        rows = [(relatives[shown], kind, oid, snapshot_entry(doc)) for (shown, kind, oid), doc in zip(files, docs)]
        self.store.put_snapshot(key, tuple(map(tuple, zip(*rows))) if rows else ((), (), (), ()))

    def close(self) -> None:
        if self.store:
            self.store.close()


def dataset_at(root: Path, rev: str, *, as_of: dt.date | None = None, what: str = "--at") -> Dataset:
    """The dataset in `root` as it was at commit `rev`."""
    data = GitData(root, what)
    try:
        return data.dataset(data.commit(rev), as_of=as_of)
    finally:
        data.close()
