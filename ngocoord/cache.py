"""A content-keyed cache of what loading a file found, so unchanged files are not parsed again.

Entries live in one SQLite database, `$XDG_CACHE_HOME/ngocoord/cache.sqlite3` (default
`~/.cache/ngocoord`), in WAL mode so that concurrent runs read and write it safely. A key is
a hash of the file's bytes, its kind and the code fingerprint (package version, the schemas
and the package's own source files), so an entry can never be stale: a changed file, schema
or program simply has a different key. Values are `marshal` dumps checked to be plain data
(dicts, lists, text, numbers), never pickles: a corrupted, truncated or hostile cache is
ignored entry by entry, or thrown away and rebuilt when SQLite cannot read it at all. The
dataset snapshots (ngocoord.snapshot) are checked by a checksum and by their shape instead.
Entries for files that have since changed are never read again; when the database passes
MAX_BYTES it is thrown away and rebuilt, which costs one cold run.

`NGOCOORD_NO_CACHE=1` (what every command's `--no-cache` sets) turns the cache off: nothing
is read and nothing is written.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from functools import cache
from pathlib import Path
from typing import Any, Iterable

NO_CACHE_ENV = "NGOCOORD_NO_CACHE"
FILE_NAME = "cache.sqlite3"
MAX_BYTES = 1 << 30  # old entries are never read again; past this size the cache starts afresh
_PLAIN = frozenset({str, int, float, bool, type(None)})


def enabled() -> bool:
    return os.environ.get(NO_CACHE_ENV, "") in ("", "0")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or ""
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache"
    return root / "ngocoord"


@cache
def fingerprint() -> bytes:
    """What, besides a file's bytes, decides what loading it finds: this program and its schemas."""
    from ngocoord import __version__
    from ngocoord.resources import schema_dir

    h = hashlib.blake2b(__version__.encode(), digest_size=16)
    for p in sorted(schema_dir().glob("*.json")):
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    package = Path(__file__).resolve().parent
    for p in sorted(package.rglob("*.py")):
        st = p.stat()
        h.update(f"{p.relative_to(package)}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return h.digest()


def file_key(raw: bytes, kind: str) -> bytes:
    h = hashlib.blake2b(raw, digest_size=20, person=b"ngocoord-file")
    h.update(kind.encode() + b"\0" + fingerprint())
    return h.digest()


def combined_key(label: str, parts: Iterable[bytes | str]) -> bytes:
    """One key for a whole run (e.g. lint): the label, the fingerprint, and every part in order."""
    h = hashlib.blake2b(label.encode() + b"\0" + fingerprint(), digest_size=20, person=b"ngocoord-run")
    for part in parts:
        h.update(part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.digest()


def is_plain(value: Any) -> bool:
    """Data as YAML gives it: mappings, lists (and tuples, as entries use), text, numbers,
    booleans and None, and nothing else (no code, no sets, no bytes)."""
    stack = [value]
    pop, extend = stack.pop, stack.extend
    while stack:
        v = pop()
        t = type(v)
        if t is dict:
            for k in v:
                if type(k) not in _PLAIN:
                    return False
            extend(v.values())
        elif t is list or t is tuple:
            extend(v)
        elif t not in _PLAIN:
            return False
    return True


def dumps(value: Any) -> bytes | None:
    """The entry for a plain value, or None when it cannot be stored exactly."""
    try:
        return marshal.dumps(value)
    except (ValueError, RecursionError):
        return None


def loads(blob: Any) -> Any:
    """The value of an entry, or None when the entry is not something this cache wrote."""
    if not isinstance(blob, bytes):
        return None
    try:
        value = marshal.loads(blob)
    except Exception:  # a malformed blob raises what it provokes: EOFError, ValueError, SystemError (a bad code object)...
        return None
    return value if is_plain(value) else None


_DIGEST = 16


def _checksum(blob: bytes | memoryview) -> bytes:
    return hashlib.blake2b(blob, digest_size=_DIGEST, person=b"ngocoord-value").digest()


_size_checked: set[Path] = set()


class Store:
    """The cache database; every failure makes it behave as an empty cache, never an error."""

    def __init__(self, folder: Path | None = None):
        self.folder = folder or cache_dir()
        self.path = self.folder / FILE_NAME
        self._db = None
        self._broken = False

    def _connect(self):
        if self._db is not None or self._broken:
            return self._db
        import sqlite3

        if self.path not in _size_checked:  # once per process: never under a connection still open
            _size_checked.add(self.path)
            try:
                if self.path.stat().st_size > MAX_BYTES:
                    self._discard()
            except OSError:
                pass
        for attempt in (1, 2):
            try:
                self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # it holds exact places: the user's alone
                db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute("CREATE TABLE IF NOT EXISTS entries (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID")
                # one large row per dataset folder (ngocoord.snapshot): a rowid table suits large values
                db.execute("CREATE TABLE IF NOT EXISTS snapshots (key BLOB PRIMARY KEY, value BLOB NOT NULL)")
                self._db = db
                return db
            except sqlite3.DatabaseError:  # not a database, or damaged beyond reading: start afresh
                if attempt == 1:
                    self._discard()
            except OSError:
                break
        self._broken = True
        return None

    def _discard(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            try:
                os.unlink(f"{self.path}{suffix}")
            except OSError:
                pass

    def _failed(self) -> None:
        """A damaged database found in use: drop it so the next run rebuilds it, and stop using it."""
        import sqlite3

        try:
            self._db.close()
        except sqlite3.Error:
            pass
        self._db = None
        self._broken = True
        self._discard()

    def get_many(self, keys: list[bytes]) -> dict[bytes, Any]:
        """The decoded values of the keys that have a usable entry."""
        import sqlite3

        db = self._connect()
        found: dict[bytes, Any] = {}
        if db is None or not keys:
            return found
        try:
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                rows = db.execute(f"SELECT key, value FROM entries WHERE key IN ({','.join('?' * len(chunk))})", chunk)
                for key, blob in rows:
                    value = loads(blob)
                    if value is not None:
                        found[key] = value
        except sqlite3.DatabaseError:
            self._failed()
            return {}
        return found

    def get(self, key: bytes) -> Any:
        return self.get_many([key]).get(key)

    def put_many(self, items: Iterable[tuple[bytes, Any]]) -> None:
        self._write("INSERT OR REPLACE INTO entries (key, value) VALUES (?, ?)",
                    [(k, blob) for k, v in items if (blob := dumps(v)) is not None])

    def put(self, key: bytes, value: Any) -> None:
        self.put_many([(key, value)])

    def _write(self, sql: str, rows: list[tuple[bytes, bytes]]) -> None:
        """Store (key, encoded value) rows in one transaction; a failure skips the write, never raises."""
        import sqlite3

        if not rows:
            return
        db = self._connect()
        if db is None:
            return
        try:
            db.execute("BEGIN IMMEDIATE")
            db.executemany(sql, rows)
            db.execute("COMMIT")
        except sqlite3.OperationalError:  # busy for too long, disk full, read-only: skip this write
            try:
                db.execute("ROLLBACK")
            except sqlite3.Error:
                pass
        except sqlite3.DatabaseError:
            self._failed()

    def get_snapshot(self, key: bytes) -> Any:
        """The snapshot stored under `key` (see ngocoord.snapshot), or None. It is checked by its
        checksum, not walked by is_plain: walking 10k records cost as much as reading them."""
        import sqlite3

        db = self._connect()
        if db is None:
            return None
        try:
            row = db.execute("SELECT value FROM snapshots WHERE key = ?", (key,)).fetchone()
        except sqlite3.DatabaseError:
            self._failed()
            return None
        blob = row[0] if row else None
        if not isinstance(blob, bytes) or len(blob) < _DIGEST:
            return None
        body = memoryview(blob)[_DIGEST:]  # not a copy of megabytes
        if _checksum(body) != blob[:_DIGEST]:
            return None
        try:
            return marshal.loads(body)
        except Exception:  # as loads(): whatever a malformed blob provokes
            return None

    def put_snapshot(self, key: bytes, value: Any) -> None:
        blob = dumps(value)
        if blob is not None:
            self._write("INSERT OR REPLACE INTO snapshots (key, value) VALUES (?, ?)", [(key, _checksum(blob) + blob)])

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def store() -> Store | None:
    """The user's cache, or None when --no-cache (NGOCOORD_NO_CACHE) is in force."""
    return Store() if enabled() else None
