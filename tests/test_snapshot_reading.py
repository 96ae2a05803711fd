"""Which files a run reads with a snapshot (ngocoord.load.snapshot): an unchanged folder is taken
whole, a changed one file by file, and only what can be kept is kept (not a file just written or
dated in the future, not a failed one); a snapshot written by another version or of another shape is
not used at all; and the scan survives a vanished file, a system without folder descriptors, a
working folder inside another dataset and a folder name that is not UTF-8."""

from __future__ import annotations

import datetime as dt
import marshal
import os
import sqlite3
import time
import types
from pathlib import Path

import pytest

from ngocoord.load import cache, reading, snapshot
from ngocoord.load.dataset import load_dataset
from tests.conftest import activity, dump, org, unavailable, write_dataset

AS_OF = dt.date(2026, 7, 1)
CODELISTS = ["areas", "org-types", "populations", "sectors", "services"]


@pytest.fixture
def settled(monkeypatch):
    monkeypatch.setattr(snapshot, "RACY_NS", 0)  # files just written count as settled


@pytest.fixture
def root(tmp_path, settled):
    return write_dataset(tmp_path / "data", [org("org-a"), org("org-b", type="ingo")],
                         [activity("act-1"), activity("act-2", organization="org-b"), activity("act-3")])


def reads(monkeypatch) -> list[str]:
    """The files the next runs read from disk, as 'folder/name'."""
    seen, read = [], snapshot.read_source

    def spy(path, *args):
        seen.append("/".join(Path(path).parts[-2:]))
        return read(path, *args)

    monkeypatch.setattr(snapshot, "read_source", spy)
    return seen


def statuses(root: Path) -> dict[str, str]:
    return {a.id: a.status for a in load_dataset(root, as_of=AS_OF).activities.values()}


def edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def stored_names() -> list[str]:
    store = cache.Store()
    with sqlite3.connect(store.path) as db:
        (key,), = db.execute("SELECT key FROM snapshots").fetchall()
    _, folders = store.get_snapshot(key)
    store.close()
    return sorted(f"{Path(folder).name}/{name}" for folder, part in folders.items() for name in part[0])


ALL = sorted([f"activities/act-{i}.yaml" for i in (1, 2, 3)] + [f"codelists/{c}.yaml" for c in CODELISTS]
             + ["organizations/org-a.yaml", "organizations/org-b.yaml"])


def test_an_unchanged_folder_is_taken_whole_and_a_changed_one_file_by_file(root, monkeypatch):
    statuses(root)
    assert stored_names() == ALL
    edit(root / "activities" / "act-2.yaml", "status: ongoing", "status: planned")
    looked_up, row = [], snapshot._Folder.row
    monkeypatch.setattr(snapshot._Folder, "row", lambda self, name: (looked_up.append(name), row(self, name))[1])
    read = reads(monkeypatch)
    assert statuses(root) == {"act-1": "ongoing", "act-2": "planned", "act-3": "ongoing"}
    assert read == ["activities/act-2.yaml"]
    assert stored_names() == ALL
    del read[:], looked_up[:]
    assert statuses(root)["act-2"] == "planned"
    assert read == [] and looked_up == []


def test_a_renamed_file_of_the_same_bytes_is_read_and_the_others_are_not(root, monkeypatch):
    statuses(root)
    (root / "activities" / "act-3.yaml").rename(root / "activities" / "act-0.yaml")
    read = reads(monkeypatch)
    load_dataset(root, as_of=AS_OF)
    assert read == ["activities/act-0.yaml"]


def test_what_cannot_be_kept_is_read_every_run_and_the_rest_is_not(root, tmp_path, monkeypatch):
    big = root / "activities" / "act-0-big.yaml"  # first in its folder, past the size limit
    with open(big, "wb") as f:
        f.truncate(2 * 1024 * 1024)
    (tmp_path / "outside.yaml").write_text(dump("activity", activity("act-9")))
    (root / "activities" / "act-5-link.yaml").symlink_to(tmp_path / "outside.yaml")
    (root / "activities" / "act-6\x1b[31m.yaml").write_text(dump("activity", activity("act-6")))
    first = [(d.path, d.problems) for d in load_dataset(root, as_of=AS_OF).documents]
    read = reads(monkeypatch)
    again = [(d.path, d.problems) for d in load_dataset(root, as_of=AS_OF).documents]
    assert again == first
    assert read == ["activities/act-0-big.yaml", "activities/act-5-link.yaml"]
    shown = [path for path, _ in again if "act-6" in path]
    assert shown == [str(Path("data", "activities", "act-6\\x1b[31m.yaml"))] or \
        shown[0].endswith(os.sep + "act-6\\x1b[31m.yaml"), shown


def test_a_file_written_now_with_an_old_date_is_not_kept(tmp_path, monkeypatch):
    """As `tar x` or `git checkout` of an old commit leave files: an old modification time, a change
    time of now. The change time tells the file is racily clean: it is read again next run."""
    root = write_dataset(tmp_path / "data", [org("org-a")], [activity("act-1")])
    old = time.time_ns() - 10 * 365 * 24 * 3600 * 10**9
    for p in root.rglob("*.yaml"):
        os.utime(p, ns=(old, old))
    load_dataset(root, as_of=AS_OF)
    read = reads(monkeypatch)
    load_dataset(root, as_of=AS_OF)
    assert len(read) == 7  # 5 codelists, 1 organization, 1 activity: none trusted by its timestamps


def test_a_file_dated_in_the_future_is_not_kept(root, monkeypatch):
    future = time.time_ns() + 10 * 365 * 24 * 3600 * 10**9  # a clock ahead, an archive from one
    os.utime(root / "activities" / "act-1.yaml", ns=(future, future))
    load_dataset(root, as_of=AS_OF)
    assert "activities/act-1.yaml" not in stored_names()
    read = reads(monkeypatch)
    load_dataset(root, as_of=AS_OF)
    assert read == ["activities/act-1.yaml"]


def test_a_file_changed_exactly_the_racy_interval_before_the_scan_is_not_kept(root, monkeypatch):
    newest = root / "activities" / "act-1.yaml"
    edit(newest, "status: ongoing", "status: planned")
    st = newest.stat()
    monkeypatch.setattr(snapshot, "RACY_NS", 1_000)
    monkeypatch.setattr(snapshot, "time", types.SimpleNamespace(time_ns=lambda: max(st.st_mtime_ns, st.st_ctime_ns) + 1_000))
    load_dataset(root, as_of=AS_OF)
    assert "activities/act-1.yaml" not in stored_names()
    assert "activities/act-2.yaml" in stored_names()


def test_a_snapshot_of_another_version_of_the_program_is_not_used(root, monkeypatch):
    statuses(root)
    monkeypatch.setattr(cache, "fingerprint", lambda: b"another version!")
    read = reads(monkeypatch)
    statuses(root)
    assert sorted(read) == ALL


def rewrite_snapshot(change) -> None:
    """The dataset's snapshot replaced by change(fingerprint, folders), signed with the user's secret."""
    store = cache.Store()
    with sqlite3.connect(store.path) as db:
        (key,), = db.execute("SELECT key FROM snapshots").fetchall()
    fingerprint, folders = store.get_snapshot(key)
    store.put_snapshot(key, change(fingerprint, folders))
    store.close()


def _activities(folders):
    return next(f for f in folders if f.endswith("activities"))


def _columns(folders, change):
    name = _activities(folders)
    return {**folders, name: change(folders[name])}


SHAPES = {
    "a-list": lambda fp, folders: [fp, folders],
    "one-item": lambda fp, folders: (fp,),
    "three-items": lambda fp, folders: (fp, folders, "more"),
    "folders-a-list": lambda fp, folders: (fp, list(folders.items())),
    "four-columns": lambda fp, folders: (fp, _columns(folders, lambda part: part[:4])),
    "six-columns": lambda fp, folders: (fp, _columns(folders, lambda part: (*part, part[0]))),
    "a-column-short": lambda fp, folders: (fp, _columns(folders, lambda part: (*part[:4], part[4][:-1]))),
    "a-column-a-list": lambda fp, folders: (fp, _columns(folders, lambda part: (*part[:4], list(part[4])))),
    "a-part-a-list": lambda fp, folders: (fp, _columns(folders, list)),
    "a-key-not-bytes": lambda fp, folders: (fp, _columns(folders, lambda part: (*part[:3], ("k",) * len(part[0]), part[4]))),
    "a-folder-not-text": lambda fp, folders: (fp, {**folders, 7: next(iter(folders.values()))}),
}


@pytest.mark.parametrize("change", SHAPES.values(), ids=SHAPES.keys())
def test_a_snapshot_of_another_shape_is_not_used_at_all(root, monkeypatch, change):
    expected = [(d.path, d.data, d.problems) for d in load_dataset(root, as_of=AS_OF).documents]
    rewrite_snapshot(change)
    read = reads(monkeypatch)
    assert [(d.path, d.data, d.problems) for d in load_dataset(root, as_of=AS_OF).documents] == expected
    assert sorted(read) == ALL


def test_a_dataset_scanned_from_inside_another_dataset_sees_its_own_files(root, tmp_path, monkeypatch):
    twin = write_dataset(tmp_path / "twin", [org("org-a")], [activity(f"act-{i}") for i in (1, 2, 3)])
    monkeypatch.chdir(twin / "activities")  # same names here: a stat relative to the wrong folder would match
    statuses(root)
    edit(root / "activities" / "act-1.yaml", "status: ongoing", "status: planned")
    assert statuses(root)["act-1"] == "planned"


def test_a_file_that_vanishes_during_the_scan_hides_no_other(root, monkeypatch):
    names = reading.dataset_names

    def with_a_vanished_file(r):
        listed = list(names(r))
        folder = next(f for f, _, _ in listed if f.endswith("activities"))
        return [(folder, "act-0.yaml", "activity")] + listed

    monkeypatch.setattr(snapshot, "dataset_names", with_a_vanished_file)
    assert statuses(root) == {"act-1": "ongoing", "act-2": "ongoing", "act-3": "ongoing"}
    assert statuses(root) == {"act-1": "ongoing", "act-2": "ongoing", "act-3": "ongoing"}


def test_without_folder_descriptors_files_are_looked_at_one_by_one(root, monkeypatch):
    monkeypatch.setattr(os, "supports_dir_fd", set())  # as on a system whose stat takes none
    statuses(root)
    read = reads(monkeypatch)
    assert statuses(root)["act-1"] == "ongoing"
    assert read == []
    edit(root / "activities" / "act-1.yaml", "status: ongoing", "status: planned")
    assert statuses(root)["act-1"] == "planned"
    assert read == ["activities/act-1.yaml"]


def open_inside(folder: Path) -> list[str]:
    """What this process holds open inside `folder` (/proc/self/fd's links name each open file)."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:  # closed meanwhile (the listing's own descriptor)
            continue
        if target == str(folder) or target.startswith(f"{folder}{os.sep}"):
            found.append(target)
    return found


def test_a_scan_leaves_no_folder_open(root):
    """Counted by what is open inside the dataset, not by the number of open files, which other
    libraries and the garbage collector change at any time."""
    if not os.path.isdir("/proc/self/fd"):
        unavailable("no /proc/self/fd to see the open files (not Linux)")
    assert open_inside(root.resolve()) == []
    for _ in range(3):
        statuses(root)
    assert open_inside(root.resolve()) == []


def test_a_dataset_folder_whose_name_is_not_utf8_keeps_its_snapshot(tmp_path, settled, monkeypatch):
    parent = Path(os.fsdecode(os.path.join(os.fsencode(tmp_path), b"data-\xff")))
    root = write_dataset(parent, [org("org-a")], [activity("act-1")])
    statuses(root)
    read = reads(monkeypatch)
    assert statuses(root) == {"act-1": "ongoing"}
    assert read == []


def test_a_snapshot_entry_keeps_the_marshalled_data_it_was_given(root):
    statuses(root)
    store = cache.Store()
    with sqlite3.connect(store.path) as db:
        (key,), = db.execute("SELECT key FROM snapshots").fetchall()
    _, folders = store.get_snapshot(key)
    store.close()
    names, kinds, signatures, keys, entries = folders[_activities(folders)]
    assert names == ("act-1.yaml", "act-2.yaml", "act-3.yaml")
    assert kinds == ("activity",) * 3
    assert all(type(s) is tuple and len(s) == 5 for s in signatures)
    assert all(type(k) is bytes and len(k) == 20 for k in keys)
    assert marshal.loads(entries[1][0])["organization"] == "org-b"


def test_a_folder_that_cannot_be_opened_has_its_files_looked_at_by_path(root, tmp_path, monkeypatch):
    """A folder its user may enter but not list (mode 311) cannot be opened: each file is then looked
    at by its full path, never by its bare name (which would be relative to the working folder)."""
    twin = write_dataset(tmp_path / "twin", [org("org-a")], [activity(f"act-{i}") for i in (1, 2, 3)])
    monkeypatch.chdir(twin / "activities")
    opened = os.open

    def refuse_folders(path, flags, *args, **kwargs):
        if flags & getattr(os, "O_DIRECTORY", 0) and str(path).startswith(str(root)):
            raise PermissionError(13, "Permission denied", str(path))
        return opened(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse_folders)
    statuses(root)
    edit(root / "activities" / "act-1.yaml", "status: ongoing", "status: planned")
    read = reads(monkeypatch)
    assert statuses(root)["act-1"] == "planned"
    assert read == ["activities/act-1.yaml"]


def test_taking_signatures_in_the_background_raises_nothing(root, monkeypatch):
    """An exception in the thread that takes the files' signatures would print a traceback on the
    user's terminal ("Exception in thread ..."), even though the scan then takes them itself."""
    import threading

    raised = []
    monkeypatch.setattr(threading, "excepthook", lambda args: raised.append(repr(args.exc_value)))
    assert statuses(root) == statuses(root) == {"act-1": "ongoing", "act-2": "ongoing", "act-3": "ongoing"}
    assert raised == []
