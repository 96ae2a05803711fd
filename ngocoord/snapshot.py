"""The dataset as the last run loaded it, so that a run on unchanged files reads none of them.

The per-file cache (ngocoord.cache) is keyed by content, so a warm run still reads and hashes
every file; on 10k files that, and one lookup per file, cost more than the query itself. A
snapshot stores, for one dataset folder, what loading found for every file, beside each
file's content key and its stat signature (size, modification and change times in
nanoseconds, inode, device), the way git's index does. A file whose signature is unchanged is
taken from the snapshot without being opened; any other file is read, and parsed only if its
content is new (the per-file cache still serves a file seen before, e.g. after switching
branches back).

The change time (ctime) cannot be set by a program, only by the kernel on each write, so
restoring a file's modification time (`touch -d`) does not hide an edit. A file modified
within RACY_NS of the scan could share its timestamps with a later edit of the same size
(timestamps are coarser than nanoseconds on many file systems): it is stored without a
signature, so it is read again until it is older (git's "racily clean" entries).

The snapshot lives in the cache database, one row per dataset folder, written by one version
of the program (another version ignores it), and is rewritten when any file was read. Like every cache entry it is checked to be plain
data, and anything unexpected in it makes the whole snapshot a miss.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from pathlib import Path

from ngocoord.dataset import Document, Source, dataset_names, document_entry, printable, read_source, shown_prefixes

RACY_NS = 2_000_000_000  # FAT keeps 2-second modification times; ext4, APFS and NTFS are far finer


def _row_key(root: Path) -> bytes:
    return hashlib.blake2b(str(root.resolve()).encode("utf-8", "surrogatepass"), digest_size=20,
                           person=b"ngocoord-snap").digest()


def _previous(store, root: Path) -> dict[tuple[str, str], tuple]:
    """(folder, name) -> (kind, signature, key, entry) from the stored snapshot; {} when there is
    none, another version of the program wrote it, or it is not what this module writes."""
    from ngocoord.cache import fingerprint

    value = store.get_snapshot(_row_key(root)) if store else None
    if type(value) is not tuple or len(value) != 2 or value[0] != fingerprint() or type(value[1]) is not tuple:
        return {}
    rows = {}
    for row in value[1]:
        if type(row) is not tuple or len(row) != 6:
            return {}
        folder, name, kind, signature, key, entry = row
        if not (type(folder) is str and type(name) is str and type(kind) is str and type(key) is bytes
                and type(signature) is tuple and len(signature) == 5 and all(type(x) is int for x in signature)):
            return {}
        rows[(folder, name)] = (kind, signature, key, entry)
    return rows


class Scan:
    """Every data file of a folder as a Source: unchanged ones with their key and what loading
    found (from the snapshot, not read), the others read from disk. Holds the cache open
    (None for --no-cache) until close()."""

    def __init__(self, root: Path):
        from ngocoord import cache

        self.root = root
        self.store = cache.store()
        self.started = time.time_ns()
        self.previous = _previous(self.store, root)
        self.signatures: dict[int, tuple] = {}  # id(source) -> its stat signature, for files read
        self.sources = self._scan()

    def _scan(self) -> list[Source]:
        names = dataset_names(self.root)
        prefixes = shown_prefixes(names)
        previous, signatures, root = self.previous, self.signatures, self.root
        join, lstat, is_regular = os.path.join, os.lstat, stat.S_ISREG
        sources = []
        for folder, name, kind in names:
            path = join(folder, name)
            try:
                st = lstat(path)
            except OSError:
                st = None
            signature = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev) \
                if st is not None and is_regular(st.st_mode) else None
            shown = prefixes[folder] + (name if name.isprintable() else printable(name))
            before = previous.get((folder, name))
            if before is not None and signature is not None and before[1] == signature and before[0] == kind:
                sources.append(Source(path, kind, shown, known_key=before[2], entry=before[3]))
                continue
            source = read_source(path, kind, root, shown)
            if signature is not None:
                signatures[id(source)] = signature  # taken before reading: a later edit changes it
            sources.append(source)
        return sources

    def save(self, documents: list[Document]) -> None:
        """Store what this run loaded as the folder's snapshot, unless that is what it holds."""
        if self.store is None:
            return
        reused = sum(1 for s in self.sources if s.entry is not None)
        if reused == len(self.previous) and not self.signatures:
            return  # every file as it was, none gone, none new
        rows = []
        for source, doc in zip(self.sources, documents):
            folder, name = os.path.split(source.path)
            if source.entry is not None:  # unchanged: its row as it was
                rows.append((folder, name, *self.previous[(folder, name)]))
                continue
            signature = self.signatures.get(id(source))
            if source.failed is not None or signature is None:
                continue  # a link, a pipe, an unreadable or oversized file: looked at again every run
            if max(signature[1], signature[2]) >= self.started - RACY_NS:
                continue  # racily clean: an edit now could keep these timestamps; read it next time
            rows.append((folder, name, source.kind, signature, source.key(), document_entry(doc)))
        from ngocoord.cache import fingerprint

        self.store.put_snapshot(_row_key(self.root), (fingerprint(), tuple(rows)))

    def close(self) -> None:
        if self.store is not None:
            self.store.close()


def scan(root: Path) -> Scan:
    from ngocoord.memory import without_gc

    with without_gc():
        return Scan(root)
