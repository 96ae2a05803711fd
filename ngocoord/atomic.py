"""Writing files so that nothing is ever lost: a temporary file beside the target, then a rename.

An interrupted write leaves the old file (or no file) in place, never half of one. A file is
replaced only when the caller says so, and a replaced file keeps its permissions.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


class WouldOverwrite(Exception):
    """The target exists and overwriting was not asked for."""


class NotRegularFile(OSError):
    """The target exists and is not a regular file: a link, a device, a FIFO, a socket or a folder.
    Nothing replaces it, even when overwriting is asked for (`--force` must not turn /dev/sda or
    a link's target into a plain file)."""

    def __init__(self, path: Path):
        super().__init__(0, "it is not a regular file (a link, a device, a pipe or a folder): "
                            "only regular files and new paths are written")
        self.filename = str(path)


def check_writable(target: Path) -> None:
    """Raise NotRegularFile unless the target is a new path or a regular file (a link is refused)."""
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(info.st_mode):
        raise NotRegularFile(target)


def write_atomic(path: str | os.PathLike, content: str | bytes, *, overwrite: bool = False) -> None:
    target = Path(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    if not overwrite and (target.exists() or target.is_symlink()):
        raise WouldOverwrite(f"{target} already exists")
    check_writable(target)
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    directory = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        if overwrite:
            os.replace(tmp, target)
        else:
            try:
                os.link(tmp, target)  # fails if the target appeared meanwhile: never clobber
            except FileExistsError:
                raise WouldOverwrite(f"{target} already exists") from None
            except OSError:  # file systems without hard links
                if target.exists():
                    raise WouldOverwrite(f"{target} already exists") from None
                os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
