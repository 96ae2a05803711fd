"""The cache is never trusted: hostile entries (a pickle that would run a command, a malformed
code object that makes marshal raise SystemError), a cache file that is a link, and the cache
folder's permissions. (tests/test_cache.py covers garbage, truncated and empty cache files.)"""

from __future__ import annotations

import json
import os
import pickle
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
# marshal.loads of this (a mutated code object, found by fuzzing cache.loads) raises SystemError
BAD_CODE_OBJECT = bytes.fromhex(
    "630000000000df0000000000000100000000000000f30c0000009700640084005a00640153002902630100000000000000000000000200"
    "000003000000f30e00000097007c00670164017a050000530029024ee903000000a9002901da01787301000000207204000000da016672"
    "0500000001000000730d0000008000d8090a880388418905801cf3000000004e29017205000000720300000072060000007204000000fa"
    "083c6d6f64756c653e720700000001000000731e000000f003010101f00201010ef00001010ef00001010ef00001010ef00001010e7206"
    "000000")


class RunsACommand:
    """Unpickling this would run `touch <path>`: the cache must never unpickle anything."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (os.system, (f"touch {self.path}",))


@pytest.fixture
def root(tmp_path):
    return write_dataset(tmp_path / "data", [org("org-a"), org("org-b", type="ingo")],
                         [activity("act-1"), activity("act-2", services=["lega-aid"])])


def lint(root, *extra):
    result = runner.invoke(app, ["lint", "--data", str(root), "--format", "json", "--as-of", AS_OF, *extra])
    assert result.exit_code in (0, 1), result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return json.loads(result.stdout)


def db_path() -> Path:
    return Path(os.environ["XDG_CACHE_HOME"]) / "ngocoord" / cache.FILE_NAME


def poison(value: bytes) -> int:
    with sqlite3.connect(db_path()) as db:
        db.execute("UPDATE snapshots SET value = ?", (value,))  # the dataset snapshot too (ngocoord.load.snapshot)
        return db.execute("UPDATE entries SET value = ?", (value,)).rowcount


def test_marshal_system_error_is_a_miss():
    with pytest.raises(SystemError):
        import marshal

        marshal.loads(BAD_CODE_OBJECT)
    assert cache.loads(BAD_CODE_OBJECT) is None


@pytest.mark.parametrize("hostile", ["pickle", "bad-code-object"])
def test_hostile_entries_are_ignored_and_nothing_runs(root, tmp_path, hostile):
    expected = lint(root, "--no-cache")
    lint(root)  # fill the cache: one entry per file, and one for the whole lint run
    marker = tmp_path / "pwned"
    assert poison(pickle.dumps(RunsACommand(marker)) if hostile == "pickle" else BAD_CODE_OBJECT) > 0
    assert lint(root) == expected
    assert not marker.exists()
    for command in (["codes", "sectors"], ["activities"], ["gaps", "--region", "kri", "--as-of", AS_OF]):
        result = runner.invoke(app, [*command, "--data", str(root), "--format", "json"])
        assert result.exit_code == 0 and result.exception is None, (command, result.stderr)
    assert not marker.exists()


def test_a_cache_file_that_is_a_link_never_damages_its_target(root, tmp_path):
    precious = tmp_path / "precious.txt"
    precious.write_text("not a database\n")
    db_path().parent.mkdir(parents=True)
    db_path().symlink_to(precious)
    expected = lint(root, "--no-cache")
    assert lint(root) == expected
    assert precious.read_text() == "not a database\n"


def test_cache_folder_is_private(root):
    lint(root)
    assert stat.S_IMODE(db_path().parent.stat().st_mode) == 0o700
