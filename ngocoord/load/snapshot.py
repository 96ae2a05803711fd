"""The dataset as the last run loaded it, so that a run on unchanged files reads none of them.

The per-file cache (ngocoord.load.cache) is keyed by content, so a warm run still reads and hashes
every file; on 10k files that, and one lookup per file, cost more than the query itself. A
snapshot stores, for one dataset, what loading found in every file, beside each file's content
key and its stat signature (size, modification and change times in nanoseconds, inode, device),
the way git's index does. A file whose signature is unchanged is taken from the snapshot
without being opened; any other file is read, and parsed only if its content is new (the
per-file cache still serves a file seen before, e.g. after switching branches back). A folder
whose names and signatures are all unchanged is recognised by comparing two tuples.

What is kept of a file is its problems, its data marshalled on its own (unmarshalled only when
something asks for it: see documents.Document.data) and, for an activity, the compact record a
query needs (model.record_of), so that `gaps` over 10k activities never touches their data.

The change time (ctime) cannot be set by a program, only by the kernel on each write, so
restoring a file's modification time (`touch -d`) does not hide an edit. A file changed within
RACY_NS of the scan could share its timestamps with a later edit of the same size (timestamps
are coarser than nanoseconds on many file systems): it is not stored, so it is read again until
it is older (git's "racily clean" entries).

The snapshot is one row of the cache database per dataset folder, written by one version of
the program (another version ignores it), and rewritten only when a file read this run can be
kept, or a stored file has gone or changed. It is checked by a checksum (ngocoord.load.cache) and by
its shape: anything unexpected in it makes the whole snapshot, or the one file's entry, a miss.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from pathlib import Path

from ngocoord.load.documents import Document, snapshot_entry
from ngocoord.load.reading import Source, dataset_names, printable, read_source, shown_prefixes

RACY_NS = 2_000_000_000  # FAT keeps 2-second modification times; ext4, APFS and NTFS are far finer


def _row_key(root: Path) -> bytes:
    return hashlib.blake2b(str(root.resolve()).encode("utf-8", "surrogatepass"), digest_size=20,
                           person=b"ngocoord-snap").digest()


class _Folder:
    """One folder's part of a snapshot: parallel tuples, so that an unchanged folder is recognised
    by two tuple comparisons (its names, its signatures) instead of one lookup per file."""

    __slots__ = ("names", "kinds", "signatures", "keys", "entries", "_by_name")

    def __init__(self, names, kinds, signatures, keys, entries):
        self.names, self.kinds, self.signatures, self.keys, self.entries = names, kinds, signatures, keys, entries
        self._by_name = None

    def row(self, name: str) -> int | None:
        if self._by_name is None:
            self._by_name = {n: i for i, n in enumerate(self.names)}
        return self._by_name.get(name)


def _previous(store, root: Path) -> dict[str, _Folder]:
    """Folder -> its part of the stored snapshot; {} when there is none, another version of the
    program wrote it, or it is not what this module writes. Signatures need no check: one that is
    not a tuple of five integers never equals a file's. Entries are checked as they are used."""
    from ngocoord.load.cache import fingerprint

    value = store.get_snapshot(_row_key(root)) if store else None
    if type(value) is not tuple or len(value) != 2 or value[0] != fingerprint() or type(value[1]) is not dict:
        return {}
    folders = {}
    for folder, part in value[1].items():
        if type(folder) is not str or type(part) is not tuple or len(part) != 5 \
                or not all(type(x) is tuple and len(x) == len(part[0]) for x in part):
            return {}
        if not all(type(k) is bytes for k in part[3]):
            return {}
        folders[folder] = _Folder(*part)
    return folders


def _signatures(folder: str, names: list[str]) -> list[tuple | None]:
    """Each file's stat signature (size, mtime and ctime in ns, inode, device); None when it is not
    a regular file (a link, a pipe, a folder) or cannot be looked at."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except (OSError, NotImplementedError):
        fd = None
    try:
        if fd is not None and os.stat in os.supports_dir_fd:
            try:  # the common case in one pass, looked up relative to the open folder
                found = [os.stat(n, dir_fd=fd, follow_symlinks=False) for n in names]
            except OSError:  # one vanished or cannot be looked at: take them one by one
                found = None
        else:
            found = None
        if found is None:
            found = []
            for n in names:
                try:
                    found.append(os.lstat(os.path.join(folder, n)))
                except OSError:
                    found.append(None)
        regular = stat.S_ISREG
        return [(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)
                if st is not None and regular(st.st_mode) else None for st in found]
    finally:
        if fd is not None:
            os.close(fd)


class Scan:
    """Every data file of a dataset as a Source: unchanged ones with their key and what loading
    found (from the snapshot, not read), the others read from disk. Holds the cache open
    (None for --no-cache) until close()."""

    def __init__(self, root: Path):
        from ngocoord.load import cache

        self.root = root
        self.store = cache.store()
        self.started = time.time_ns()
        self.signatures: dict[int, tuple] = {}  # id(source) -> its stat signature, for files read
        groups: dict[str, list[tuple[str, str]]] = {}
        for folder, name, kind in dataset_names(root):
            groups.setdefault(folder, []).append((name, kind))
        # the files' signatures are taken while the snapshot is read: stat and SQLite both wait on
        # the system with the interpreter lock released (10k files: 0.03 s and 0.05 s, overlapped)
        import threading

        signatures: dict[str, list] = {}
        taker = threading.Thread(target=lambda: signatures.update(
            {f: _signatures(f, [n for n, _ in files]) for f, files in groups.items()}))
        taker.start()
        try:
            self.previous = _previous(self.store, root)
        finally:
            taker.join()
        self.sources = self._scan(groups, signatures)

    def _scan(self, groups: dict[str, list[tuple[str, str]]], taken: dict[str, list]) -> list[Source]:
        prefixes = shown_prefixes([(folder, "", "") for folder in groups])
        sources = []
        for folder, files in groups.items():
            names = [n for n, _ in files]
            kinds = [k for _, k in files]
            signatures = taken[folder] if folder in taken else _signatures(folder, names)  # (had the thread failed)
            before = self.previous.get(folder)
            prefix = prefixes[folder]
            shown = [prefix + (n if n.isprintable() else printable(n)) for n in names]
            if before is not None and tuple(names) == before.names and tuple(kinds) == before.kinds \
                    and tuple(signatures) == before.signatures:  # the whole folder as it was: nothing to read
                join = os.path.join
                sources += [Source(join(folder, n), k, sh, None, None, key, entry)  # positional: 10k of them
                            for n, k, sh, key, entry in zip(names, kinds, shown, before.keys, before.entries)]
                continue
            for name, kind, signature, sh in zip(names, kinds, signatures, shown):
                i = before.row(name) if before is not None and signature is not None else None
                path = os.path.join(folder, name)
                if i is not None and before.signatures[i] == signature and before.kinds[i] == kind:
                    sources.append(Source(path, kind, sh, known_key=before.keys[i], entry=before.entries[i]))
                    continue
                source = read_source(path, kind, self.root, sh)
                if signature is not None:
                    self.signatures[id(source)] = signature  # taken before reading: a later edit changes it
                sources.append(source)
        return sources

    def _storable(self, source: Source) -> bool:
        """Read this run and worth a row: not a link, a pipe, an unreadable or oversized file (looked
        at again every run), and not racily clean (an edit now could keep its timestamps)."""
        signature = self.signatures.get(id(source))
        return source.failed is None and signature is not None and max(signature[1], signature[2]) < self.started - RACY_NS

    def save(self, documents: list[Document]) -> None:
        """Store what this run loaded as the dataset's snapshot, unless that is what it holds."""
        if self.store is None:
            return
        storable = self._storable
        reused = sum(1 for s in self.sources if s.entry is not None)
        fresh = [s for s in self.sources if s.entry is None and id(s) in self.signatures and storable(s)]
        if not fresh and reused == sum(len(f.names) for f in self.previous.values()):
            return  # nothing to add and nothing gone: what is stored is still true
        folders: dict[str, tuple[list, list, list, list, list]] = {}
        for source, doc in zip(self.sources, documents):
            folder, name = os.path.split(source.path)
            if source.entry is not None:  # unchanged
                before = self.previous[folder]
                row = (name, source.kind, before.signatures[before.row(name)], source.known_key, source.entry)
            elif storable(source):
                row = (name, source.kind, self.signatures[id(source)], source.key(), snapshot_entry(doc))
            else:
                continue
            columns = folders.setdefault(folder, ([], [], [], [], []))
            for column, value in zip(columns, row):
                column.append(value)
        from ngocoord.load.cache import fingerprint

        value = {folder: tuple(map(tuple, columns)) for folder, columns in folders.items()}
        self.store.put_snapshot(_row_key(self.root), (fingerprint(), value))

    def close(self) -> None:
        if self.store is not None:
            self.store.close()


def scan(root: Path) -> Scan:
    from ngocoord.memory import without_gc

    with without_gc():
        return Scan(root)
