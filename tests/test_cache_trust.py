"""A cache row is believed only when this user's program wrote it, and only when it has exactly the
shape and types the program writes (issue 11, defects 6 and 7); the cache folder is private."""

from __future__ import annotations

import hashlib
import marshal
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ngocoord.load import cache
from ngocoord.cli import app
from tests.conftest import activity, org, write_dataset

runner = CliRunner()
AS_OF = "2026-07-01"
QUERIES = [["activities", "--format", "json"], ["gaps", "--region", "kri", "--as-of", AS_OF, "--format", "json"],
           ["orgs", "--format", "json"], ["duplicates", "--as-of", AS_OF, "--format", "json"]]


@pytest.fixture
def root(tmp_path, monkeypatch):
    from ngocoord.load import snapshot

    monkeypatch.setattr(snapshot, "RACY_NS", 0)  # files just written are stored in the snapshot
    return write_dataset(tmp_path / "data", [org("org-a"), org("org-b", type="ingo")],
                         [activity("act-1", start=2024), activity("act-2", organization="org-b")])


def folder() -> Path:
    return Path(os.environ["XDG_CACHE_HOME"]) / "ngocoord"


def outputs(root, *extra):
    results = [runner.invoke(app, [*q, "--data", str(root), *extra]) for q in QUERIES]
    for q, r in zip(QUERIES, results):
        assert r.exit_code == 0 and r.exception is None, (q, r.output)
    return [r.stdout for r in results]


def forge(change) -> None:
    """Rewrite the dataset's snapshot with `change` applied, signed with the user's own secret
    (as if the program had written it): only its types can give it away."""
    store = cache.Store()
    with sqlite3.connect(store.path) as db:
        (key,), = db.execute("SELECT key FROM snapshots").fetchall()
    fingerprint, folders = store.get_snapshot(key)
    name = next(f for f in folders if f.endswith(change[0]))
    columns = [list(c) for c in folders[name]]
    columns[4][-1] = change[1](columns[4][-1])
    folders[name] = tuple(map(tuple, columns))
    store.put_snapshot(key, (fingerprint, folders))
    store.close()


def _record(i, value):
    return lambda entry: (*entry[:4], (*entry[4][:i], value, *entry[4][i + 1:]))


def _data(key, value):
    return lambda entry: (marshal.dumps({**marshal.loads(entry[0]), key: value}), *entry[1:])


FORGED = {
    "locations-a-number": ("activities", _record(5, 5)),
    "id-a-list": ("activities", _record(0, ["act-2"])),
    "year-12345": ("activities", _record(11, 12345)),
    "last-reviewed-not-a-date": ("activities", _record(7, "2026-13-45")),
    "site-a-number": ("activities", _record(5, (("G1D1", 7),))),
    "org-id-a-list": ("organizations", _data("id", ["org-b"])),
    "org-name-a-number": ("organizations", _data("name", 12345)),
}


@pytest.mark.parametrize("forgery", FORGED.values(), ids=FORGED.keys())
def test_a_forged_snapshot_row_is_a_miss(root, forgery):
    expected = outputs(root, "--no-cache")
    assert outputs(root) == expected  # fills the cache and its snapshot
    forge(forgery)
    assert outputs(root) == expected
    assert outputs(root) == expected  # and what is stored again is sound


def test_a_row_not_signed_with_the_users_secret_is_never_believed(root):
    expected = outputs(root, "--no-cache")
    outputs(root)
    store = cache.Store()
    with sqlite3.connect(store.path) as db:
        (key, blob), = db.execute("SELECT key, value FROM snapshots").fetchall()
        body = blob[16:]
        forged = body.replace(b"act 1", b"EVIL!")  # same length: still a well-formed snapshot
        assert forged != body
        for checksum in (hashlib.blake2b(forged, digest_size=16, person=b"ngocoord-value").digest(),  # unkeyed
                         hashlib.blake2b(forged, digest_size=16, key=b"x" * 32, person=b"ngocoord-value").digest()):
            db.execute("UPDATE snapshots SET value = ?", (checksum + forged,))
            db.commit()
            got = outputs(root)
            assert got == expected and "EVIL!" not in "".join(got)
    store.close()


def test_an_entry_not_signed_with_the_users_secret_is_never_believed(tmp_path):
    root = write_dataset(tmp_path / "bad", [org("org-a")], [activity("act-1", services=["lega-aid"])])
    expected = runner.invoke(app, ["lint", "--data", str(root), "--as-of", AS_OF, "--format", "json"]).stdout
    assert '"errors": 1' in expected
    clean = marshal.dumps((7, ()))  # "7 files checked, no problem": what a forger would want lint to say
    for forged in (clean, hashlib.blake2b(clean, digest_size=16, person=b"ngocoord-value").digest() + clean):
        with sqlite3.connect(folder() / cache.FILE_NAME) as db:
            db.execute("UPDATE entries SET value = ?", (forged,))
            db.execute("DELETE FROM snapshots")
        assert runner.invoke(app, ["lint", "--data", str(root), "--as-of", AS_OF, "--format", "json"]).stdout == expected


def test_cache_folder_700_and_files_600_even_when_the_folder_existed_open(root):
    folder().mkdir(parents=True)
    folder().chmod(0o755)
    (folder() / cache.FILE_NAME).touch(mode=0o644)
    (folder() / cache.FILE_NAME).chmod(0o644)
    outputs(root)
    runner.invoke(app, ["lint", "--data", str(root), "--as-of", AS_OF])
    assert stat.S_IMODE(folder().stat().st_mode) == 0o700
    names = sorted(p.name for p in folder().iterdir())
    assert {cache.FILE_NAME, cache.SECRET_NAME} <= set(names)
    for p in folder().iterdir():
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, p.name


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a folder to another user needs root")
def test_a_cache_folder_of_another_user_is_not_used(root):
    expected = outputs(root, "--no-cache")
    folder().mkdir(parents=True, mode=0o777)
    folder().chmod(0o777)
    os.chown(folder(), 65534, 65534)
    result = runner.invoke(app, ["activities", "--format", "json", "--data", str(root)])
    assert result.exit_code == 0 and result.stdout == expected[0]
    assert result.stderr == f"warning: the cache folder {folder()} belongs to another user; running without the cache\n"
    assert list(folder().iterdir()) == []
    assert stat.S_IMODE(folder().stat().st_mode) == 0o777  # not ours to change


def test_an_entry_whose_body_was_changed_under_its_checksum_is_never_believed(tmp_path):
    """The checksum covers the body: a row keeping the user's own checksum over another body is a miss."""
    store = cache.Store()
    store.put(b"k" * 20, (7, ()))
    assert store.get_many([b"k" * 20]) == {b"k" * 20: (7, ())}
    store.close()
    with sqlite3.connect(folder() / cache.FILE_NAME) as db:
        (value,), = db.execute("SELECT value FROM entries").fetchall()
        db.execute("UPDATE entries SET value = ?", (value[:16] + marshal.dumps((0, ())),))
    store = cache.Store()
    assert store.get_many([b"k" * 20]) == {}
    store.close()
