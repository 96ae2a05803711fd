"""The cache's failure paths, with real files and real SQLite: a database damaged while in use, a
full disk, a writer holding the lock, a cache folder that is a link, that cannot be made private,
or that does not exist yet, a cache file of another user, and the one warning a user sees."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ngocoord.cli import app
from ngocoord.load import cache
from ngocoord.load.cache import FILE_NAME, SECRET_NAME, Store
from tests.conftest import activity, org, write_dataset

runner = CliRunner()
AS_OF = "2026-07-01"
KEYS = [bytes([i]) * 20 for i in range(40)]


@pytest.fixture
def root(tmp_path):
    return write_dataset(tmp_path / "data", [org("org-a")], [activity("act-1"), activity("act-2", services=["lega-aid"])])


@pytest.fixture(autouse=True)
def fresh_process(monkeypatch):
    """As in a new process: nothing warned yet, no database size checked yet."""
    monkeypatch.setattr(cache, "_warned", set())
    monkeypatch.setattr(cache, "_size_checked", set())


def folder() -> Path:
    return Path(os.environ["XDG_CACHE_HOME"]) / "ngocoord"


def lint(root, *extra):
    result = runner.invoke(app, ["lint", "--data", str(root), "--format", "json", "--as-of", AS_OF, *extra])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    return result


def filled(path: Path) -> None:
    """A database of 40 entries of 3,000 characters each, closed (so written into the main file)."""
    store = Store(path)
    store.put_many([(k, {"text": "x" * 3000, "n": i}) for i, k in enumerate(KEYS)])
    store.close()
    cache._size_checked.clear()  # as a new run would see it


def damage_all_but_the_first_page(db: Path) -> None:
    size = db.stat().st_size
    with open(db, "r+b") as f:
        f.seek(4096)
        f.write(b"\xff" * (size - 4096))


def test_a_database_damaged_while_in_use_is_dropped_and_not_used_again_in_that_run(tmp_path):
    filled(tmp_path)
    store = Store(tmp_path)
    assert store.get(KEYS[0]) == {"text": "x" * 3000, "n": 0}  # open and sound
    damage_all_but_the_first_page(tmp_path / FILE_NAME)
    assert store.get_many(KEYS) == {}
    assert sorted(p.name for p in tmp_path.iterdir()) == [SECRET_NAME]  # the next run rebuilds it
    store.put(KEYS[1], "later")  # this run no longer uses the cache: nothing is written
    assert store.get(KEYS[1]) is None
    store.put_snapshot(b"s" * 20, ("fp", {}))
    assert store.get_snapshot(b"s" * 20) is None
    assert sorted(p.name for p in tmp_path.iterdir()) == [SECRET_NAME]
    store.close()
    assert Store(tmp_path).get(KEYS[1]) is None  # a new run starts afresh
    fresh = Store(tmp_path)
    fresh.put(KEYS[1], "again")
    assert fresh.get(KEYS[1]) == "again"
    fresh.close()


def test_a_snapshot_read_from_a_damaged_database_is_a_miss_and_drops_it(tmp_path):
    filled(tmp_path)
    store = Store(tmp_path)
    store.put_snapshot(b"s" * 20, ("fp", {"a": 1}))
    store.close()
    store = Store(tmp_path)
    assert store.get_snapshot(b"s" * 20) == ("fp", {"a": 1})
    store.close()
    store = Store(tmp_path)
    store._connect()
    damage_all_but_the_first_page(tmp_path / FILE_NAME)
    assert store.get_snapshot(b"s" * 20) is None
    assert sorted(p.name for p in tmp_path.iterdir()) == [SECRET_NAME]
    store.close()


def test_a_full_disk_skips_the_write_and_leaves_the_database_free_for_others(tmp_path):
    filled(tmp_path)
    store = Store(tmp_path)
    db = store._connect()
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count={pages}")  # SQLite's own "database or disk is full"
    store.put(b"big" * 7, "y" * 100_000)
    assert store.get(b"big" * 7) is None
    assert store.get(KEYS[3]) == {"text": "x" * 3000, "n": 3}  # what was there is still there
    other = sqlite3.connect(tmp_path / FILE_NAME, timeout=0)
    other.execute("BEGIN IMMEDIATE")  # no transaction was left open: another run can write
    other.execute("ROLLBACK")
    other.close()
    db.execute(f"PRAGMA max_page_count={pages + 100}")  # room again: the same store writes
    store.put(b"big" * 7, "y" * 100_000)
    assert store.get(b"big" * 7) == "y" * 100_000
    store.close()


def test_a_writer_holding_the_lock_makes_the_write_skipped_not_an_error(tmp_path):
    filled(tmp_path)
    store = Store(tmp_path)
    store._connect().execute("PRAGMA busy_timeout=50")  # instead of waiting 10 s
    other = sqlite3.connect(tmp_path / FILE_NAME, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    store.put(b"new" * 7, 1)
    other.execute("ROLLBACK")
    other.close()
    assert store.get(b"new" * 7) is None
    assert store.get(KEYS[0])["n"] == 0  # the database was not thrown away
    store.put(b"new" * 7, 2)
    assert store.get(b"new" * 7) == 2
    store.close()


def test_a_run_waits_up_to_ten_seconds_for_another_runs_write(tmp_path):
    store = Store(tmp_path)
    assert store._connect().execute("PRAGMA busy_timeout").fetchone() == (10_000,)
    store.close()


def test_a_snapshot_written_by_a_store_opened_for_it_is_read_back(tmp_path):
    first = Store(tmp_path)
    first.put_snapshot(b"s" * 20, ("fp", {"activities": ((), (), (), (), ())}))
    first.close()
    again = Store(tmp_path)
    assert again.get_snapshot(b"s" * 20) == ("fp", {"activities": ((), (), (), (), ())})
    again.close()


def test_more_keys_than_one_query_takes_are_all_found(tmp_path):
    keys = [i.to_bytes(20, "big") for i in range(1200)]
    store = Store(tmp_path)
    store.put_many([(k, i) for i, k in enumerate(keys)])
    found = store.get_many(keys)
    assert len(found) == 1200
    assert [found[k] for k in keys] == list(range(1200))
    store.close()


def test_a_database_at_exactly_the_size_limit_is_kept(tmp_path, monkeypatch):
    filled(tmp_path)
    monkeypatch.setattr(cache, "MAX_BYTES", (tmp_path / FILE_NAME).stat().st_size)
    assert Store(tmp_path).get(KEYS[0])["n"] == 0


def test_the_size_limit_is_checked_once_per_process_never_under_an_open_connection(tmp_path, monkeypatch):
    filled(tmp_path)
    monkeypatch.setattr(cache, "MAX_BYTES", 1)
    first = Store(tmp_path)
    assert first.get(KEYS[0]) is None  # past the limit: thrown away, started afresh
    first.put(b"mine" * 5, "kept")
    second = Store(tmp_path)  # the same run opens the cache again, while the first is open
    assert second.get(b"mine" * 5) == "kept"
    first.close()
    second.close()


def test_a_damaged_cache_is_rebuilt_by_the_run_that_finds_it(root):
    lint(root)
    (folder() / FILE_NAME).write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    expected = lint(root, "--no-cache").stdout
    assert lint(root).stdout == expected
    with sqlite3.connect(folder() / FILE_NAME) as db:
        assert db.execute("SELECT count(*) FROM entries").fetchone()[0] == 9  # 5 codelists, 3 records and the lint result


def test_a_cache_folder_that_does_not_exist_yet_is_made_with_its_parents(root, tmp_path, monkeypatch):
    home = tmp_path / "new-home" / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    lint(root)
    assert stat.S_IMODE((home / "ngocoord").stat().st_mode) == 0o700
    assert (home / "ngocoord" / FILE_NAME).is_file()


def test_cache_files_are_private_from_the_start(root, monkeypatch):
    lint(root)
    assert sorted(p.name for p in folder().iterdir()) == [FILE_NAME, SECRET_NAME]
    for p in folder().iterdir():
        assert stat.S_IMODE(p.lstat().st_mode) == 0o600, p.name


def refuse_chmod(monkeypatch):
    """A file system where changing a mode is refused (some network and FAT mounts): what is made
    private must be made so when it is created."""
    def refused(*args, **kwargs):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "chmod", refused)
    monkeypatch.setattr(os, "fchmod", refused)


def test_a_new_cache_needs_no_mode_change_to_be_private(root, monkeypatch):
    refuse_chmod(monkeypatch)
    result = lint(root)
    assert result.stderr == ""
    assert stat.S_IMODE(folder().stat().st_mode) == 0o700
    for p in folder().iterdir():
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, p.name
    result = lint(root)  # and a warm run neither
    assert result.stderr == ""
    with sqlite3.connect(folder() / FILE_NAME) as db:
        assert db.execute("SELECT count(*) FROM entries").fetchone()[0] == 9


def test_a_folder_that_cannot_be_made_private_is_not_used_with_one_warning(root, monkeypatch):
    expected = lint(root, "--no-cache").stdout
    folder().mkdir(mode=0o755)
    folder().chmod(0o755)
    refuse_chmod(monkeypatch)
    result = lint(root)
    assert result.stdout == expected
    assert result.stderr == (f"warning: the cache folder {folder()} cannot be made private (mode 700); "
                             "running without the cache\n")
    assert list(folder().iterdir()) == []
    assert lint(root).stderr == ""  # once per process


def test_a_cache_folder_that_is_a_link_is_not_used_with_one_warning(root, tmp_path):
    expected = lint(root, "--no-cache").stdout
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    folder().symlink_to(elsewhere)
    result = lint(root)
    assert result.stdout == expected
    assert result.stderr == (f"warning: the cache folder {folder()} is not a folder (a link or a file); "
                             "running without the cache\n")
    assert list(elsewhere.iterdir()) == []
    for command in (["gaps", "--region", "kri", "--as-of", AS_OF], ["activities"]):
        again = runner.invoke(app, [*command, "--data", str(root)])
        assert again.exit_code == 0 and again.stderr == "", again.output
    assert list(elsewhere.iterdir()) == []


def test_a_cache_file_that_is_a_link_leaves_its_target_as_it_was(root, tmp_path):
    precious = tmp_path / "precious.txt"
    precious.write_text("not a database\n")
    precious.chmod(0o644)
    folder().mkdir(mode=0o700)
    (folder() / FILE_NAME).symlink_to(precious)
    expected = lint(root, "--no-cache").stdout
    assert lint(root).stdout == expected
    assert precious.read_text() == "not a database\n"
    assert stat.S_IMODE(precious.stat().st_mode) == 0o644
    assert (folder() / FILE_NAME).is_symlink()


@pytest.mark.parametrize("suffix", ["-wal", "-shm"])
def test_a_companion_file_that_is_a_link_leaves_its_target_as_it_was(root, tmp_path, suffix):
    lint(root)
    precious = tmp_path / "precious.bin"
    precious.write_bytes(b"\0" * 40_000)
    precious.chmod(0o644)
    (folder() / f"{FILE_NAME}{suffix}").symlink_to(precious)
    expected = lint(root, "--no-cache").stdout
    (root / "activities" / "act-3.yaml").write_text((root / "activities" / "act-1.yaml").read_text()
                                                   .replace("act-1", "act-3"))
    expected = lint(root, "--no-cache").stdout
    assert lint(root).stdout == expected
    assert precious.read_bytes() == b"\0" * 40_000
    assert stat.S_IMODE(precious.stat().st_mode) == 0o644


def test_companion_files_left_open_to_others_are_made_private(root):
    """An older version, or another tool, left SQLite's write-ahead log and shared memory readable
    by others while a run had them open (an empty one SQLite itself fixes: this one holds data)."""
    lint(root)
    other = sqlite3.connect(folder() / FILE_NAME, isolation_level=None)
    other.execute("PRAGMA journal_mode=WAL")
    other.execute("INSERT INTO entries (key, value) VALUES (?, ?)", (b"k" * 20, b"v" * 5000))
    for suffix in ("-wal", "-shm"):
        assert (folder() / f"{FILE_NAME}{suffix}").stat().st_size > 0
        (folder() / f"{FILE_NAME}{suffix}").chmod(0o644)
    store = Store()
    assert store.get(b"k" * 20) is None  # not signed: not believed, but the store is open
    for suffix in ("-wal", "-shm"):
        assert stat.S_IMODE((folder() / f"{FILE_NAME}{suffix}").stat().st_mode) == 0o600, suffix
    store.close()
    other.close()


root_only = pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")


@root_only
def test_a_cache_file_of_another_user_is_not_used_nor_changed(root):
    lint(root)
    db = folder() / FILE_NAME
    before = db.read_bytes()
    db.chmod(0o644)
    os.chown(db, 65534, 65534)
    (root / "activities" / "act-1.yaml").write_text((root / "activities" / "act-1.yaml").read_text() + "# edited\n")
    expected = lint(root, "--no-cache").stdout
    assert lint(root).stdout == expected
    assert db.read_bytes() == before
    assert (db.stat().st_uid, stat.S_IMODE(db.stat().st_mode)) == (65534, 0o644)


def secret_replaced(make) -> bytes:
    """The user's secret file replaced by what `make(path)` leaves there; returns the database's bytes."""
    path = folder() / SECRET_NAME
    path.unlink()
    make(path)
    return (folder() / FILE_NAME).read_bytes()


@pytest.mark.parametrize("kind", ["readable-by-others", "link", "too-short", "too-long", "empty",
                                  pytest.param("of-another-user", marks=root_only)])
def test_a_secret_this_user_did_not_keep_private_is_never_used(root, tmp_path, kind):
    lint(root)
    elsewhere = tmp_path / "known-secret"
    elsewhere.write_bytes(b"k" * 32)
    elsewhere.chmod(0o600)

    def make(path: Path) -> None:
        if kind == "link":
            path.symlink_to(elsewhere)
            return
        path.write_bytes({"too-short": b"k" * 31, "too-long": b"k" * 33, "empty": b""}.get(kind, b"k" * 32))
        path.chmod(0o644 if kind == "readable-by-others" else 0o600)
        if kind == "of-another-user":
            os.chown(path, 65534, 65534)

    before = secret_replaced(make)
    (root / "activities" / "act-1.yaml").write_text((root / "activities" / "act-1.yaml").read_text() + "# edited\n")
    expected = lint(root, "--no-cache").stdout
    assert lint(root).stdout == expected
    assert (folder() / FILE_NAME).read_bytes() == before  # nothing read or written with that key
    assert elsewhere.read_bytes() == b"k" * 32


@root_only
def test_a_cache_folder_of_another_user_is_warned_about_once(root):
    expected = lint(root, "--no-cache").stdout
    folder().mkdir(mode=0o700)
    os.chown(folder(), 65534, 65534)
    message = f"warning: the cache folder {folder()} belongs to another user; running without the cache\n"
    first = lint(root)
    assert (first.stdout, first.stderr) == (expected, message)
    assert lint(root).stderr == ""
    assert list(folder().iterdir()) == []


def test_a_write_refused_by_a_table_of_another_shape_leaves_no_transaction_open(tmp_path):
    """A cache made by another version with other columns: the write is refused by SQLite, skipped,
    and rolled back, so the database stays free for the other runs that share it."""
    store = Store(tmp_path)
    store._connect()
    store.close()
    with sqlite3.connect(tmp_path / FILE_NAME) as db:
        db.execute("DROP TABLE entries")
        db.execute("CREATE TABLE entries (key BLOB PRIMARY KEY, data BLOB) WITHOUT ROWID")
    db.close()
    store = Store(tmp_path)
    store.put(b"k" * 20, "value")  # "table entries has no column named value": skipped
    other = sqlite3.connect(tmp_path / FILE_NAME, timeout=0, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("ROLLBACK")
    other.close()
    store.put_snapshot(b"s" * 20, ("fp", {}))  # the same store still writes what it can
    assert store.get_snapshot(b"s" * 20) == ("fp", {})
    store.close()
