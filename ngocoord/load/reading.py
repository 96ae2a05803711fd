"""Find the dataset and read its files' bytes: never following a link out of it, never opening a
pipe or a device, never reading more than a record's limit. What cannot be read is a Document
holding the problem that says why."""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ngocoord.codelists import FILES as CODELIST_FILES
from ngocoord.load.documents import Document
from ngocoord.domain.kinds import RECORD_DIRS, is_data_name
from ngocoord.domain.limits import MAX_FILE_BYTES
from ngocoord.problems import ERROR, Problem, UsageError
from ngocoord.resources import bundled_data_dir


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(name: str) -> str:
    """A file name as it may be printed: control characters (a terminal would obey ESC sequences,
    a newline would forge an output line) shown as \\xNN escapes."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", name) if _CONTROL.search(name) else name


def display_path(path: Path) -> str:
    """Relative to the current directory when inside it (as CI annotations need), else absolute."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive
        return printable(str(path))
    return printable(str(path) if rel.startswith("..") else rel)


def find_data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """--data, else $NGOCOORD_DATA, else the nearest data/ upwards, else the bundled dataset."""
    for given, origin in ((explicit, "--data"), (os.environ.get("NGOCOORD_DATA") or None, "NGOCOORD_DATA")):
        if given is None:
            continue
        path = Path(given)
        if not path.exists():
            raise UsageError(f"{origin}: {given} does not exist")
        if not path.is_dir():
            raise UsageError(f"{origin}: {given} is not a directory")
        if not (path / "organizations").is_dir():
            inner = path / "data"
            hint = (f": it looks like a repository, whose dataset is {inner}; did you mean {origin}"
                    f"{' ' if origin == '--data' else '='}{inner}?" if (inner / "organizations").is_dir() else "")
            raise UsageError(f"{origin}: {given} is not a dataset (it has no organizations/ folder){hint}")
        return path
    here = Path.cwd()
    for folder in (here, *here.parents):
        candidate = folder / "data"
        if (candidate / "organizations").is_dir():
            return candidate
    bundled = bundled_data_dir()
    if bundled is None:
        raise UsageError("no dataset found: pass --data DIR (a folder with organizations/, activities/, codelists/)")
    return bundled


def root_for(paths: list[Path], data: str | os.PathLike | None) -> Path:
    """The dataset that files named on the command line belong to: --data (or where find_data_dir
    looks) when given or when no path is; else the nearest folder above the first path that holds
    organizations/ (or the path's own data/ folder)."""
    if data is not None or not paths:
        return find_data_dir(data)
    start = paths[0].absolute()
    for folder in (start, *start.parents):
        if (folder / "organizations").is_dir():
            return find_data_dir(folder)
        if (folder / "data" / "organizations").is_dir() and folder == start:
            return find_data_dir(folder / "data")
    return find_data_dir(None)


def dataset_files(root: Path) -> list[tuple[Path, str]]:
    """(file, kind) for every data file, codelists first, in a stable order."""
    return [(Path(folder, name), kind) for folder, name, kind in dataset_names(root)]


def dataset_names(root: Path) -> list[tuple[str, str, str]]:
    """(folder, file name, kind) for every data file, as dataset_files orders them: plain strings,
    as the reader wants them (a Path per file costs more than reading a small file)."""
    files = []
    codelists = root / "codelists"
    if leaves_dataset(root, codelists):  # the folder itself, as a file the reader refuses (read_source)
        files.append((str(root), "codelists", FOLDER))
    else:
        for name, (kind, _keys) in CODELIST_FILES.items():
            if (codelists / name).exists() or (codelists / name).is_symlink():
                files.append((str(codelists), name, kind))
    for folder, kind in RECORD_DIRS.items():
        base = root / folder
        if leaves_dataset(root, base):
            files.append((str(root), folder, FOLDER))
        elif base.is_dir():
            where = str(base)
            files.extend((where, n, kind) for n in sorted(os.listdir(base)) if is_data_name(n))  # as sorted(base.iterdir())
    return files


FOLDER = "folder"  # the kind of a dataset folder that is a link leading out of the dataset: never read


def leaves_dataset(root: Path, folder: Path) -> bool:
    """Whether this folder of the dataset is a link to a place outside it (or a link that leads
    nowhere): nothing in it may be read, printed or rewritten."""
    if not folder.is_symlink():
        return False
    try:
        return not folder.resolve(strict=True).is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a loop, or a link to nothing
        return True


def dataset_folder(root: Path, name: str) -> Path:
    """root/name, where files of the dataset are written (new, import); UsageError when that folder
    is a link leading out of the dataset."""
    folder = root / name
    if leaves_dataset(root, folder):
        raise UsageError(f"{display_path(folder)} is a link to a place outside the dataset; nothing is written "
                         "through it (replace the link with the folder itself)")
    return folder


def chosen_files(root: Path, paths: list[Path]) -> list[tuple[Path, str]] | None:
    """(file, kind) of the dataset's files that the paths given on the command line name (a file of
    the dataset, the dataset, or one of its folders), in the dataset's order; None for the whole
    dataset. UsageError for a path that is not one: a file the loader would never read must not
    come out as checked."""
    if not paths:
        return None
    names = dataset_names(root)

    def where(folder: str | Path, name: str) -> tuple[str, str]:  # the folder's real place, not the file's
        return os.path.realpath(folder), name

    index = {where(folder, name): i for i, (folder, name, _) in enumerate(names)}
    chosen: set[int] = set()
    for p in paths:
        if not p.exists() and not p.is_symlink():
            raise UsageError(f"{p} does not exist")
        i = index.get(where(p.parent, p.name))
        if i is not None:  # a file of the dataset, or one of its folders that leads out of it
            chosen.add(i)
        elif p.is_dir() and os.path.realpath(p) == os.path.realpath(root):
            return None
        elif p.is_dir() and where(p.parent, p.name) in {where(root, f) for f in ("codelists", *RECORD_DIRS)}:
            real = os.path.realpath(p)
            chosen |= {i for i, (folder, _, _) in enumerate(names) if os.path.realpath(folder) == real}
        else:
            raise UsageError(f"{printable(str(p))} is not a data file (organizations/*.yaml, activities/*.yaml "
                             f"or codelists/*.yaml of the dataset {display_path(root)})")
    return [(Path(names[i][0], names[i][1]), names[i][2]) for i in sorted(chosen)]


@dataclass(slots=True)
class Source:
    """One data file's bytes as read, or the Document saying why they could not be read. A file
    the snapshot (ngocoord.load.snapshot) knows unchanged is not read: it comes with its key and
    the entry of what loading it found."""

    path: str | Path
    kind: str
    shown: str
    raw: bytes | None = None
    failed: Document | None = None
    known_key: bytes | None = None
    entry: Any = None

    def key(self) -> bytes:
        if self.known_key is None:
            from ngocoord.load.cache import file_key

            self.known_key = file_key(self.raw, self.kind)
        return self.known_key


def read_source(path: str | Path, kind: str, root: Path, shown: str | None = None) -> Source:
    shown = shown or display_path(Path(path))
    source = Source(path, kind, shown)
    if kind == FOLDER:  # listed only when it leads out of the dataset (dataset_names)
        source.failed = Document(shown, kind, problems=[Problem(
            shown, 1, 1, ERROR, "symlink", "this folder is a link to a place outside the dataset; nothing in it was read",
            "replace the link with the folder itself")])
        return source
    try:  # the common case: a plain file, not a link
        source.raw = _read_no_follow(path)
        return source
    except _TooLarge as e:
        from ngocoord.load.yamlload import too_large

        source.failed = Document(shown, kind, problems=[too_large(shown, e.size)])
        return source
    except OSError:
        pass  # a link, or unreadable: find out below, and say which
    doc = Document(shown, kind)
    path = Path(path)
    if path.is_symlink():
        try:
            inside = path.resolve().is_relative_to(root.resolve())
        except (OSError, RuntimeError):
            inside = False
        if not inside:
            doc.problems.append(Problem(shown, 1, 1, ERROR, "symlink",
                                        "this file is a link to a place outside the dataset; it was not read",
                                        "replace the link with the file itself"))
            source.failed = doc
            return source
    try:
        if path.exists() and not path.is_file() and not path.is_dir():
            raise OSError(0, "it is a pipe, a socket or a device, not a file")  # reading a pipe would never end
        source.raw = path.read_bytes()
    except OSError as e:
        reason = (e.strerror or str(e)).lower()
        doc.problems.append(Problem(shown, 1, 1, ERROR, "unreadable", f"the file cannot be read: {reason}",
                                    "make it a plain file that you are allowed to read, or remove it"))
        source.failed = doc
    return source


# O_NONBLOCK: opening a named pipe must not wait for a writer (it is refused below, not read)
_NO_FOLLOW = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)


class _TooLarge(OSError):
    def __init__(self, size: int):
        super().__init__(f"{size} bytes")
        self.size = size


def _read_no_follow(path: str | Path) -> bytes:
    """The file's bytes; OSError when it is a link (where O_NOFOLLOW exists), not a regular file,
    or cannot be read; _TooLarge (without reading it) when it is over the loader's limit."""
    if not _NO_FOLLOW & getattr(os, "O_NOFOLLOW", 0) and os.path.islink(path):
        raise OSError("a link")
    fd = os.open(path, _NO_FOLLOW)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError("not a regular file")
        if info.st_size > MAX_FILE_BYTES:
            raise _TooLarge(info.st_size)
        # ask for what fstat says, plus one byte to see a file that grew since: os.read allocates
        # the whole size asked for, and a fixed 1 MiB per file cost more than reading it
        chunks, size = [], 0
        while chunk := os.read(fd, info.st_size + 1 if not chunks else 1 << 16):
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_FILE_BYTES:  # it grew past the limit while being read
                raise _TooLarge(size)
        return b"".join(chunks)
    finally:
        os.close(fd)


def shown_prefixes(names: list[tuple[str, str, str]]) -> dict[str, str]:
    """What goes before a file name of each folder to show its path (relpath, once per folder)."""
    prefixes = {}
    for folder, _, _ in names:
        if folder not in prefixes:
            shown = display_path(Path(folder))
            prefixes[folder] = "" if shown == "." else shown + os.sep
    return prefixes
