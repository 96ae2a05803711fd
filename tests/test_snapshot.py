"""The dataset snapshot (ngocoord.load.snapshot): a run on unchanged files reads none of them, and
any change a file can undergo (new bytes of the same size, restored modification time, added,
removed, renamed, replaced by a link) is seen; a damaged snapshot is ignored."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ngocoord.load import cache, snapshot
from ngocoord.cli import app
from ngocoord.load.dataset import load_dataset
from tests.conftest import activity, dump, org, write_dataset

AS_OF = "2026-07-01"
runner = CliRunner()


@pytest.fixture
def root(tmp_path, monkeypatch):
    """A small dataset whose files count as settled: the racy-file guard is tested on its own."""
    monkeypatch.setattr(snapshot, "RACY_NS", 0)
    return write_dataset(tmp_path / "data", [org("org-a"), org("org-b", type="ingo")],
                         [activity("act-1"), activity("act-2", title="Legal aid for prisoners in Erbil",
                                                      organization="org-b")])


def seen(root: Path) -> list[tuple]:
    """What commands see of the loaded dataset: every document and every record."""
    ds = load_dataset(root, as_of=dt.date.fromisoformat(AS_OF))
    return [(d.path, d.kind, d.data, d.problems, d.valid) for d in ds.documents] + [sorted(ds.activities)]


def lint(root: Path, *extra: str) -> dict:
    result = runner.invoke(app, ["lint", "--data", str(root), "--format", "json", "--as-of", AS_OF, *extra])
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)


def rows() -> list[tuple]:
    with sqlite3.connect(Path(os.environ["XDG_CACHE_HOME"]) / "ngocoord" / cache.FILE_NAME) as db:
        return db.execute("SELECT key, value FROM snapshots").fetchall()


def no_reading(monkeypatch):
    def refuse(path, *args):
        raise AssertionError(f"{path} was read, though the snapshot knows it")

    monkeypatch.setattr(snapshot, "read_source", refuse)


def test_a_warm_run_reads_no_file_and_sees_what_parsing_sees(root, monkeypatch):
    monkeypatch.setenv("NGOCOORD_NO_CACHE", "1")
    uncached = seen(root)
    monkeypatch.delenv("NGOCOORD_NO_CACHE")
    assert seen(root) == uncached
    assert len(rows()) == 1
    no_reading(monkeypatch)
    assert seen(root) == uncached


def test_an_edit_keeping_size_and_modification_time_is_seen(root):
    seen(root)
    target = root / "activities" / "act-1.yaml"
    before = target.stat()
    text = target.read_text(encoding="utf-8")
    changed = text.replace("status: ongoing", "status: planned")
    assert len(changed) == len(text)
    target.write_text(changed, encoding="utf-8")
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `touch -d` would: only ctime tells
    statuses = {a.id: a.status for a in load_dataset(root, as_of=dt.date.fromisoformat(AS_OF)).activities.values()}
    assert statuses["act-1"] == "planned"


def test_added_removed_and_renamed_files_are_seen(root):
    expected_before = lint(root, "--no-cache")
    assert lint(root) == expected_before
    (root / "activities" / "act-3.yaml").write_text(dump("activity", activity("act-3", organization="org-zz")))
    (root / "activities" / "act-2.yaml").unlink()
    (root / "organizations" / "org-b.yaml").rename(root / "organizations" / "org-c.yaml")
    after = lint(root)
    assert after == lint(root, "--no-cache") != expected_before
    assert {p["rule"] for p in after["problems"]} >= {"unknown-reference", "id-mismatch"}


def test_a_file_replaced_by_a_link_is_seen(root, tmp_path):
    lint(root)
    outside = tmp_path / "outside.yaml"
    target = root / "activities" / "act-1.yaml"
    outside.write_bytes(target.read_bytes())
    target.unlink()
    target.symlink_to(outside)
    found = lint(root)
    assert found == lint(root, "--no-cache")
    assert any(p["rule"] == "symlink" for p in found["problems"])


def test_a_file_written_just_now_is_read_again_until_it_is_older(root, monkeypatch):
    monkeypatch.setattr(snapshot, "RACY_NS", 10**18)  # every file is "just written"
    expected = seen(root)
    assert seen(root) == expected
    assert rows() == []  # no file was trusted by its timestamps: nothing to store
    monkeypatch.setattr(snapshot, "RACY_NS", 0)
    seen(root)
    (key, value), = rows()
    assert b"act-1.yaml" in value


def test_a_file_just_edited_does_not_make_every_run_rewrite_the_snapshot(root, monkeypatch):
    seen(root)
    target = root / "activities" / "act-1.yaml"
    target.write_text(target.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    monkeypatch.setattr(snapshot, "RACY_NS", 10**18)  # the edit is recent: act-1 is not trusted by its timestamps
    writes, put = [], cache.Store.put_snapshot
    monkeypatch.setattr(cache.Store, "put_snapshot", lambda self, key, value: (writes.append(key), put(self, key, value)))
    seen(root)  # the stale row of act-1 is dropped
    seen(root)
    seen(root)
    assert len(writes) == 1


def test_another_folder_with_the_same_files_has_its_own_snapshot(root, tmp_path):
    seen(root)
    twin = write_dataset(tmp_path / "twin", [org("org-a")], [activity("act-9")])
    assert [d[0] for d in seen(twin)[:-1]][-1].endswith("act-9.yaml")
    assert len(rows()) == 2


@pytest.mark.parametrize("damage", ["garbage", "bad-checksum", "right-checksum-wrong-shape", "bad-entry", "bad-key",
                                    "bad-data"])
def test_a_damaged_snapshot_is_ignored(root, monkeypatch, damage):
    monkeypatch.setenv("NGOCOORD_NO_CACHE", "1")
    expected = seen(root)
    monkeypatch.delenv("NGOCOORD_NO_CACHE")
    seen(root)
    (key, value), = rows()
    store = cache.Store()
    if damage == "garbage":
        blob = os.urandom(200)
    elif damage == "bad-checksum":
        blob = value[:-1] + bytes([value[-1] ^ 1])
    elif damage == "right-checksum-wrong-shape":
        store.put_snapshot(key, (cache.fingerprint(), ("not a row",)))
        blob = None
    else:  # one folder's last file: (names, kinds, signatures, keys, entries)
        fingerprint, folders = store.get_snapshot(key)
        folder = next(f for f in folders if f.endswith("activities"))
        columns = [list(c) for c in folders[folder]]
        if damage == "bad-entry":
            columns[4][-1] = ("not", "an", "entry")
        elif damage == "bad-data":  # the record's data, kept marshalled until asked for
            columns[4][-1] = (b"not marshal", *columns[4][-1][1:])
        else:
            columns[3][-1] = "not bytes"
        folders[folder] = tuple(map(tuple, columns))
        store.put_snapshot(key, (fingerprint, folders))
        blob = None
    if blob is not None:
        with sqlite3.connect(store.path) as db:
            db.execute("UPDATE snapshots SET value = ?", (blob,))
    store.close()
    assert seen(root) == expected
    assert seen(root) == expected  # and the snapshot written again is sound


def test_a_query_builds_activities_without_unmarshalling_their_data(root, monkeypatch):
    seen(root)
    import marshal

    loads = marshal.loads
    calls = []
    monkeypatch.setattr(marshal, "loads", lambda blob: (calls.append(1), loads(blob))[1])
    ds = load_dataset(root, as_of=dt.date.fromisoformat(AS_OF))
    before = len(calls)
    assert sorted(ds.activities) == ["act-1", "act-2"] and ds.activities["act-1"].status == "ongoing"
    assert len(calls) == before  # records came from the snapshot's compact rows
    assert ds.activities["act-2"].raw["title"] == "Legal aid for prisoners in Erbil"
    assert len(calls) == before + 1  # the data of the one activity asked for


def test_no_cache_writes_no_snapshot(root):
    lint(root, "--no-cache")
    runner.invoke(app, ["gaps", "--region", "kri", "--data", str(root), "--no-cache"])
    assert not (Path(os.environ["XDG_CACHE_HOME"]) / "ngocoord").exists()
