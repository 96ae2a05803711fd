"""write_atomic: a file is replaced whole or not at all, never overwritten unasked, keeps its mode,
and leaves no temporary file behind when a write fails."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from ngocoord import atomic
from ngocoord.atomic import WouldOverwrite, write_atomic


def listing(folder):
    return sorted(p.name for p in folder.iterdir())


def test_creates_a_new_file_with_the_umask_mode(tmp_path):
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "new.yaml", "id: a\n")
    finally:
        os.umask(old)
    assert (tmp_path / "new.yaml").read_text() == "id: a\n"
    assert (tmp_path / "new.yaml").stat().st_mode & 0o777 == 0o640
    assert listing(tmp_path) == ["new.yaml"]


def test_writes_bytes_as_given(tmp_path):
    write_atomic(tmp_path / "x.bin", b"\x00\xff")
    assert (tmp_path / "x.bin").read_bytes() == b"\x00\xff"


def test_refuses_to_overwrite_unless_asked(tmp_path):
    target = tmp_path / "a.yaml"
    target.write_text("old\n")
    with pytest.raises(WouldOverwrite, match="a.yaml already exists"):
        write_atomic(target, "new\n")
    assert target.read_text() == "old\n"
    assert listing(tmp_path) == ["a.yaml"]


def test_refuses_to_write_through_a_symlink_unless_asked(tmp_path):
    (tmp_path / "elsewhere").write_text("precious\n")
    (tmp_path / "link.yaml").symlink_to(tmp_path / "elsewhere")
    (tmp_path / "dangling.yaml").symlink_to(tmp_path / "nowhere")
    for name in ("link.yaml", "dangling.yaml"):
        with pytest.raises(WouldOverwrite):
            write_atomic(tmp_path / name, "new\n")
    assert (tmp_path / "elsewhere").read_text() == "precious\n" and not (tmp_path / "nowhere").exists()


def test_overwrite_replaces_and_keeps_the_mode(tmp_path):
    target = tmp_path / "a.yaml"
    target.write_text("old\n")
    target.chmod(0o600)
    inode = target.stat().st_ino
    write_atomic(target, "new\n", overwrite=True)
    assert target.read_text() == "new\n"
    assert target.stat().st_mode & 0o7777 == 0o600
    assert target.stat().st_ino != inode  # a new file renamed over the old one, not the old one truncated
    assert listing(tmp_path) == ["a.yaml"]


def test_a_failure_mid_write_keeps_the_old_content_and_no_temp_file(tmp_path, monkeypatch):
    target = tmp_path / "a.yaml"
    target.write_text("old\n")

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        write_atomic(target, "new\n" * 1000, overwrite=True)
    assert target.read_text() == "old\n"
    assert listing(tmp_path) == ["a.yaml"]


def test_a_file_appearing_meanwhile_is_not_clobbered(tmp_path, monkeypatch):
    """Another process creates the target between the check and the rename: it wins, we refuse."""
    target = tmp_path / "a.yaml"
    real_fsync = os.fsync

    def someone_else_writes(fd):
        target.write_text("theirs\n")
        real_fsync(fd)

    monkeypatch.setattr(atomic.os, "fsync", someone_else_writes)
    with pytest.raises(WouldOverwrite):
        write_atomic(target, "ours\n")
    assert target.read_text() == "theirs\n"
    assert listing(tmp_path) == ["a.yaml"]


def test_killed_during_a_large_write_leaves_the_old_file_whole(tmp_path):
    """SIGKILL a process in the middle of writing 200 MB over a file: the file is the old one,
    or (had the write finished) the complete new one, never a mix or a truncation."""
    target = tmp_path / "big.csv"
    old = "old content\n" * 1000
    target.write_text(old)
    code = ("import sys; from ngocoord.atomic import write_atomic; print('go', flush=True); "
            f"write_atomic({str(target)!r}, b'n' * 200_000_000, overwrite=True); print('done', flush=True)")
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline() == "go\n"
    deadline = time.monotonic() + 20
    while not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")] and time.monotonic() < deadline:
        time.sleep(0.005)  # wait until the temporary file exists: the write is under way
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    content = target.read_bytes()
    assert content == old.encode() or content == b"n" * 200_000_000
    assert content == old.encode(), "the child finished before being killed: the test did not interrupt it"


@pytest.mark.parametrize("command", [["export", "--format", "csv"], ["export", "--format", "sqlite"],
                                     ["report", "--format", "html", "--as-of", "2026-07-01"]],
                         ids=["export-csv", "export-sqlite", "report-html"])
def test_commands_writing_output_refuse_then_replace_keeping_the_mode(tiny, tmp_path, command):
    from typer.testing import CliRunner

    from ngocoord.cli import app

    runner = CliRunner()
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "out.file"
    target.write_text("keep me\n")
    target.chmod(0o640)
    refused = runner.invoke(app, [*command, "--data", str(tiny), "--output", str(target)])
    assert refused.exit_code == 2 and "already exists" in refused.stderr
    assert target.read_text() == "keep me\n"
    replaced = runner.invoke(app, [*command, "--data", str(tiny), "--output", str(target), "--force"])
    assert replaced.exit_code == 0, replaced.stderr
    assert target.read_bytes() != b"keep me\n" and target.stat().st_mode & 0o777 == 0o640
    assert listing(tmp_path / "out") == ["out.file"]
