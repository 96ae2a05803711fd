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
from ngocoord.dataset import Dataset, build_dataset
from ngocoord.documents import DeferredLocated, Document, document_entry, document_from_bytes, document_from_entry
from ngocoord.domain import kinds
from ngocoord.gitrepo import GitError, Repo
from ngocoord.reading import Source, display_path, printable

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
    """Positions in a file version: the blob is fetched and composed only if a problem needs a line."""

    __slots__ = ("repo", "oid")

    def __init__(self, repo: Repo, oid: str, path: str):
        super().__init__(path, path)
        self.repo, self.oid = repo, oid

    def _real(self):
        from ngocoord.yamlload import Located, decode

        if self._located is None:
            try:
                raw = self.repo.blobs([self.oid])[self.oid]
            except GitError:
                raw = b""
            text, _ = decode(self.path, raw)
            self._located = Located(self.path, text or "")
        return self._located


def blob_key(oid: str, kind: str) -> bytes:
    from ngocoord.cache import fingerprint

    h = hashlib.blake2b(oid.encode("ascii"), digest_size=20, person=b"ngocoord-blob")
    h.update(b"\0" + kind.encode() + b"\0" + fingerprint())
    return h.digest()


class GitData:
    """Datasets of one dataset folder at any of its repository's commits."""

    def __init__(self, root: Path, what: str = "--at"):
        from ngocoord import cache

        self.root = root
        self.repo = Repo.holding(root, what)
        self.prefix = self.repo.prefix_of(root)
        self.store = cache.store()
        self._docs: dict[tuple[str, str, str], Document] = {}
        self._shown: dict[str, str] = {}
        self.parsed = 0  # blobs parsed in this run (the others came from the cache or the run's memory)

    def commit(self, rev: str) -> str:
        return self.repo.commit(rev)

    def files(self, commit: str) -> list[tuple[str, str, str]]:
        """(path shown, kind, blob id) of every dataset file at `commit`, in the loader's order."""
        found = []
        for mode, kind_of_object, oid, name in self.repo.tree(commit, self.prefix):
            if kind_of_object != "blob" or mode == "120000" or not name.startswith(self.prefix):
                continue  # a link is not followed: what it pointed at is not part of the commit
            relative = name[len(self.prefix):]
            kind = kind_of(relative)
            if kind is not None:
                found.append((relative, kind, oid))
        if not found:
            raise GitError(f"{self.repo.what}: there is no dataset in {self.prefix or './'} at commit {commit[:12]}")
        found.sort(key=_order)
        return [(self._show(relative), kind, oid) for relative, kind, oid in found]

    def _show(self, relative: str) -> str:
        folder, name = relative.split("/")
        prefix = self._shown.get(folder)
        if prefix is None:
            shown = display_path(self.root / folder)
            prefix = self._shown[folder] = "" if shown == "." else shown + os.sep
        return prefix + printable(name)

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
        from ngocoord.dataset import PARALLEL_MIN, _cpus, _parse_in_parallel

        contents = self.repo.blobs(list(dict.fromkeys(oid for _, _, oid in unparsed)))
        workers = min(_cpus(), 8)
        if len(unparsed) >= PARALLEL_MIN and workers > 1:
            sources = [Source(shown, kind, shown, raw=contents[oid]) for shown, kind, oid in unparsed]
            entries = _parse_in_parallel(sources, workers)
        else:
            entries = [document_entry(document_from_bytes(contents[oid], kind, shown)) for shown, kind, oid in unparsed]
        self.parsed += len(unparsed)
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
        return self.dataset_of(self.files(commit), as_of=as_of)

    def dataset_of(self, files: list[tuple[str, str, str]], *, as_of: dt.date | None = None) -> Dataset:
        from ngocoord.memory import without_gc

        with without_gc():
            return build_dataset(self.root, self.documents(files), as_of=as_of)

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
