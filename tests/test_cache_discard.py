"""A cache that must go goes whole: the database and SQLite's write-ahead log and shared memory."""

from __future__ import annotations

from ngocoord.load.cache import FILE_NAME, Store


def test_discarding_removes_the_database_and_its_companions(tmp_path):
    store = Store(tmp_path)
    files = [tmp_path / f"{FILE_NAME}{suffix}" for suffix in ("", "-wal", "-shm")]
    for f in files:
        f.write_bytes(b"left over")
    (tmp_path / "unrelated.db").write_bytes(b"not ours")
    store._discard()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["unrelated.db"]


def test_discarding_what_is_already_gone_is_no_error(tmp_path):
    Store(tmp_path)._discard()
    assert list(tmp_path.iterdir()) == []
