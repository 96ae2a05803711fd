"""A content-keyed cache of what loading a file found, so unchanged files are not parsed again.

Entries live in one SQLite database, `$XDG_CACHE_HOME/ngocoord/cache.sqlite3` (default
`~/.cache/ngocoord`), in WAL mode so that concurrent runs read and write it safely. A key is
a hash of the file's bytes, its kind and the code fingerprint (package version, the schemas
and the package's own source files), so an entry can never be stale: a changed file, schema
or program simply has a different key. Values are `marshal` dumps checked to be plain data
(dicts, lists, text, numbers), never pickles: a corrupted, truncated or hostile cache is
ignored entry by entry, or thrown away and rebuilt when SQLite cannot read it at all. Every
value, entries and dataset snapshots (ngocoord.load.snapshot) alike, carries a checksum keyed with a
random per-user secret kept beside the database (`secret`, mode 0600): a row written by anyone
who cannot read that secret is never believed. Snapshots are also checked by their shape and
types, so anything unexpected is a miss. The folder is kept at mode 0700 and its files at 0600;
a folder that belongs to another user is not used (with a warning).
Entries for files that have since changed are never read again; when the database passes
MAX_BYTES it is thrown away and rebuilt, which costs one cold run.

`NGOCOORD_NO_CACHE=1` (what every command's `--no-cache` sets) turns the cache off: nothing
is read and nothing is written.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import stat
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
    package = Path(__file__).resolve().parent.parent
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
    if not isinstance(blob, (bytes, memoryview)):
        return None
    try:
        value = marshal.loads(blob)
    except Exception:  # a malformed blob raises what it provokes: EOFError, ValueError, SystemError (a bad code object)...
        return None
    return value if is_plain(value) else None


_DIGEST = 16
SECRET_NAME = "secret"
_SECRET_BYTES = 32


def _checksum(blob: bytes | memoryview, secret: bytes) -> bytes:
    """A keyed checksum: only someone who can read the user's secret can write a row that passes it."""
    return hashlib.blake2b(blob, digest_size=_DIGEST, key=secret, person=b"ngocoord-value").digest()


_warned: set[str] = set()


def _warn(message: str) -> None:
    """Once per process: a run opens the cache more than once. Through click, as the commands
    write to stderr (click 8.2.0's test runner does not capture a bare sys.stderr apart)."""
    import click

    if message not in _warned:
        _warned.add(message)
        click.echo(f"warning: {message}; running without the cache", err=True)


def _private_folder(folder: Path) -> bool:
    """Make the cache folder private (0700), creating it if needed. A folder that is a link, not a
    folder, or belongs to another user is not used (with a warning): it holds exact places."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(folder)
    except OSError:
        return False  # cannot be made: silently no cache, as before
    if not stat.S_ISDIR(info.st_mode):
        _warn(f"the cache folder {folder} is not a folder (a link or a file)")
        return False
    if info.st_uid != os.geteuid():
        _warn(f"the cache folder {folder} belongs to another user")
        return False
    if stat.S_IMODE(info.st_mode) != 0o700:
        try:
            os.chmod(folder, 0o700)
        except OSError:
            _warn(f"the cache folder {folder} cannot be made private (mode 700)")
            return False
    return True


def _private_file(path: Path) -> None:
    """Create the file if needed, readable and writable by its owner only (0600), never through a link.
    SQLite gives its -wal and -shm files the mode of the database file."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
            raise OSError(f"{path} is not a file of this user")
        if stat.S_IMODE(info.st_mode) != 0o600:
            os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def _read_secret(folder: Path) -> bytes:
    """The user's secret key for the cache's checksums, made once (random) in the private folder."""
    path = folder / SECRET_NAME
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except FileExistsError:
        pass
    else:
        try:
            os.write(fd, os.urandom(_SECRET_BYTES))
            os.fsync(fd)
        finally:
            os.close(fd)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or stat.S_IMODE(info.st_mode) & 0o077:
            raise OSError(f"{path} is not a private file of this user")
        secret = os.read(fd, _SECRET_BYTES + 1)
    finally:
        os.close(fd)
    if len(secret) != _SECRET_BYTES:
        raise OSError(f"{path} is not a secret this program wrote")
    return secret


_size_checked: set[Path] = set()


class Store:
    """The cache database; every failure makes it behave as an empty cache, never an error."""

    def __init__(self, folder: Path | None = None):
        self.folder = folder or cache_dir()
        self.path = self.folder / FILE_NAME
        self._db = None
        self._broken = False
        self._secret = b""

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
        if not _private_folder(self.folder):  # it holds exact places: the user's alone
            self._broken = True
            return None
        for attempt in (1, 2):
            try:
                self._secret = _read_secret(self.folder)
                for suffix in ("", "-wal", "-shm"):
                    if suffix == "" or os.path.lexists(f"{self.path}{suffix}"):
                        _private_file(Path(f"{self.path}{suffix}"))
                db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute("CREATE TABLE IF NOT EXISTS entries (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID")
                # one large row per dataset folder (ngocoord.load.snapshot): a rowid table suits large values
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
                    value = loads(self._verified(blob))
                    if value is not None:
                        found[key] = value
        except sqlite3.DatabaseError:
            self._failed()
            return {}
        return found

    def get(self, key: bytes) -> Any:
        return self.get_many([key]).get(key)

    def put_many(self, items: Iterable[tuple[bytes, Any]]) -> None:
        if self._connect() is None:
            return
        self._write("INSERT OR REPLACE INTO entries (key, value) VALUES (?, ?)",
                    [(k, self._signed(blob)) for k, v in items if (blob := dumps(v)) is not None])

    def _signed(self, blob: bytes) -> bytes:
        return _checksum(blob, self._secret) + blob

    def _verified(self, blob: Any) -> memoryview | None:
        """The body of a value whose keyed checksum holds, else None (written by someone else, or damaged)."""
        if not isinstance(blob, bytes) or len(blob) < _DIGEST:
            return None
        body = memoryview(blob)[_DIGEST:]  # not a copy of megabytes
        return body if _checksum(body, self._secret) == blob[:_DIGEST] else None

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
        """The snapshot stored under `key` (see ngocoord.load.snapshot), or None. It is checked by its
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
        body = self._verified(row[0] if row else None)
        if body is None:
            return None
        try:
            return marshal.loads(body)
        except Exception:  # as loads(): whatever a malformed blob provokes
            return None

    def put_snapshot(self, key: bytes, value: Any) -> None:
        blob = dumps(value)
        if blob is not None and self._connect() is not None:
            self._write("INSERT OR REPLACE INTO snapshots (key, value) VALUES (?, ?)", [(key, self._signed(blob))])

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def store() -> Store | None:
    """The user's cache, or None when --no-cache (NGOCOORD_NO_CACHE) is in force."""
    return Store() if enabled() else None
