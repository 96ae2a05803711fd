"""--output writes only regular files or new paths, '-' is standard output, and anything else
is a usage error (issue 11, defect 5): `--force` once replaced a FIFO, a device or a link."""

from __future__ import annotations

import os
import sqlite3

import pytest
from typer.testing import CliRunner

from ngocoord.atomic import NotRegularFile, write_atomic
from ngocoord.cli import app

runner = CliRunner()
COMMANDS = {"export-csv": ["export", "--format", "csv"], "export-json": ["export", "--format", "json"],
            "export-sqlite": ["export", "--format", "sqlite"], "report": ["report", "--as-of", "2026-07-01"]}


def _specials(tmp_path):
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me\n")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    (tmp_path / "link").symlink_to(precious)
    (tmp_path / "folder").mkdir()
    return precious, {"fifo": fifo, "link": tmp_path / "link", "folder": tmp_path / "folder"}


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
def test_force_never_replaces_what_is_not_a_regular_file(tiny, tmp_path, command):
    precious, specials = _specials(tmp_path)
    for name, path in specials.items():
        result = runner.invoke(app, [*command, "--data", str(tiny), "--output", str(path), "--force"])
        assert result.exit_code == 2, (name, result.output)
        assert result.stderr == (f"ngocoord: error: cannot write {path}: it is not a regular file (a link, a device, "
                                 "a pipe or a folder): only regular files and new paths are written\n"), name
    assert (specials["fifo"].lstat().st_mode & 0o170000) == 0o010000  # still a FIFO
    assert specials["link"].is_symlink() and specials["folder"].is_dir()
    assert precious.read_text() == "keep me\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "fifo", "folder", "link", "precious.txt"]  # no temporary left


def test_a_device_is_refused_before_anything_is_written(tmp_path):
    with pytest.raises(NotRegularFile):
        write_atomic("/dev/null", "x", overwrite=True)
    assert (os.stat("/dev/null").st_mode & 0o170000) == 0o020000  # still a character device


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
def test_dash_writes_standard_output(tiny, tmp_path, command):
    result = runner.invoke(app, [*command, "--data", str(tiny), "-o", "-"])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "-").exists() and not os.path.exists("-")
    if command[-1] == "sqlite":
        db = tmp_path / "got.sqlite"
        db.write_bytes(result.stdout_bytes)
        assert sqlite3.connect(db).execute("SELECT activity_id FROM three_w").fetchall() == [("act-1",)]
    elif command[0] == "export":
        plain = runner.invoke(app, [*command, "--data", str(tiny)])
        assert result.stdout == plain.stdout and "act-1" in result.stdout
    else:
        assert result.stdout.startswith("# ")
