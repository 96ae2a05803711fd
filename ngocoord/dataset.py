"""Find the dataset, read every file into a Document, and build the typed records.

load: files -> Documents (data or problems, per file) -> Codelists and records (valid files only).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from ngocoord.codelists import FILES as CODELIST_FILES
from ngocoord.codelists import Codelists
from ngocoord.model import RECORD_FIELDS, Activity, Organization
from ngocoord.problems import ERROR, WARNING, Problem, UsageError
from ngocoord.resources import bundled_data_dir

if TYPE_CHECKING:
    from ngocoord.yamlload import Located

RECORD_DIRS = {"organizations": "organization", "activities": "activity"}
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
HEADER = re.compile(r"^#\s*yaml-language-server:\s*\$schema=\S+", re.MULTILINE)


@dataclass(slots=True)
class Document:
    """One data file: what it holds, or why it could not be read, and where everything is in it.

    A document from the snapshot (ngocoord.snapshot) keeps its data marshalled until something
    asks for it: a query over 10k activities reads their records (`record`), not their data."""

    path: str            # as shown to the user
    kind: str            # organization, activity, or a codelist kind
    _data: dict | None = None
    problems: list[Problem] = field(default_factory=list)
    located: Located | None = None
    valid: bool = False  # loaded and passed its schema
    record: tuple | None = field(default=None, repr=False, compare=False)  # an activity's fields (model.record_of)
    _blob: bytes | None = field(default=None, repr=False, compare=False)   # its data, marshalled

    @property
    def data(self) -> dict | None:
        if self._blob is not None:
            self._data, self._blob = self._unmarshal(self._blob), None
        return self._data

    @data.setter
    def data(self, value: dict | None) -> None:
        self._data, self._blob = value, None

    def _unmarshal(self, blob: bytes) -> dict | None:
        import marshal

        try:
            value = marshal.loads(blob)
        except Exception:  # checksummed with its snapshot, so not expected: read the file again
            value = None
        if type(value) is dict:
            return value
        if not isinstance(self.located, DeferredLocated):
            return None
        try:
            with open(self.located.file, "rb") as f:
                return document_from_bytes(f.read(), self.kind, self.path).data
        except OSError:
            return None

    @property
    def stem(self) -> str:
        return os.path.splitext(os.path.basename(self.path))[0]  # Path(self.path).stem, without making a Path

    def at(self, keys: tuple = (), *, at_key: bool = False) -> tuple[int, int]:
        return self.located.locate(keys, at_key=at_key) if self.located else (1, 1)


@dataclass
class Dataset:
    root: Path
    documents: list[Document]
    codelists: Codelists
    organizations: dict[str, Organization]
    activities: dict[str, Activity]
    as_of: dt.date = field(default_factory=dt.date.today)

    def docs(self, *kinds: str, valid: bool = True) -> Iterable[Document]:
        return (d for d in self.documents if (not kinds or d.kind in kinds) and (d.valid or not valid))

    def load_problems(self) -> list[Problem]:
        return [p for d in self.documents for p in d.problems]

    def invalid_files(self) -> int:
        return sum(1 for d in self.documents if not d.valid)


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


def dataset_files(root: Path) -> list[tuple[Path, str]]:
    """(file, kind) for every data file, codelists first, in a stable order."""
    return [(Path(folder, name), kind) for folder, name, kind in dataset_names(root)]


def dataset_names(root: Path) -> list[tuple[str, str, str]]:
    """(folder, file name, kind) for every data file, as dataset_files orders them: plain strings,
    as the reader wants them (a Path per file costs more than reading a small file)."""
    files = []
    codelists = root / "codelists"
    for name, (kind, _keys) in CODELIST_FILES.items():
        if (codelists / name).exists() or (codelists / name).is_symlink():
            files.append((str(codelists), name, kind))
    for folder, kind in RECORD_DIRS.items():
        base = root / folder
        if base.is_dir():
            where = str(base)
            files.extend((where, n, kind) for n in sorted(os.listdir(base)) if _is_data_name(n))  # as sorted(base.iterdir())
    return files


def _is_data_name(name: str) -> bool:
    """os.path.splitext(name)[1] in ('.yaml', '.yml'), without splitting every name: the extension
    is what follows the last dot, unless only dots come before it ('.yaml' has no extension)."""
    for ext in (".yaml", ".yml"):
        if name.endswith(ext):
            return name[:-len(ext)].lstrip(".") != ""
    return False


@dataclass(slots=True)
class Source:
    """One data file's bytes as read, or the Document saying why they could not be read. A file
    the snapshot (ngocoord.snapshot) knows unchanged is not read: it comes with its key and
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
            from ngocoord.cache import file_key

            self.known_key = file_key(self.raw, self.kind)
        return self.known_key


def read_source(path: str | Path, kind: str, root: Path, shown: str | None = None) -> Source:
    shown = shown or display_path(Path(path))
    source = Source(path, kind, shown)
    try:  # the common case: a plain file, not a link
        source.raw = _read_no_follow(path)
        return source
    except _TooLarge as e:
        from ngocoord.yamlload import too_large

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


MAX_FILE_BYTES = 1024 * 1024  # a record is a few KiB; the loader (yamlload) applies the same limit to bytes given to it
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


def document_from_bytes(raw: bytes, kind: str, shown: str) -> Document:
    from ngocoord import schemas  # here, with yamlload: a run that finds every file in the cache needs neither
    from ngocoord.yamlload import parse

    doc = Document(shown, kind)
    parsed = parse(shown, raw)
    doc.problems.extend(parsed.problems)
    doc.located = parsed.located
    if parsed.located is not None and parsed.data is not None and not HEADER.search(parsed.located.text[:2000]):
        doc.problems.append(Problem(shown, 1, 1, WARNING, "schema-header",
                                    "the first line does not point editors at the schema",
                                    f"add '{schemas.schema_header(kind)}' as the first line, or run 'ngocoord fmt'"))
    if parsed.data is None:
        return doc
    doc.data = parsed.data
    problems = schemas.validate(kind, parsed.data, shown, parsed.located)
    doc.problems.extend(problems)
    doc.valid = not problems and not any(p.rule == "duplicate-key" for p in doc.problems)
    return doc


PARALLEL_MIN = 400  # below this many files to parse, starting worker processes costs more than it saves


class DeferredLocated:
    """Positions in a file whose load result came from the cache or a worker: the file is read
    and composed again only if a problem needs a line and column."""

    __slots__ = ("file", "path", "_located")

    def __init__(self, file: str | Path, path: str):
        self.file, self.path, self._located = file, path, None

    def _real(self) -> Located:
        from ngocoord.yamlload import Located, decode

        if self._located is None:
            try:
                with open(self.file, "rb") as f:
                    raw = f.read()
            except OSError:
                raw = b""
            text, _ = decode(self.path, raw)
            self._located = Located(self.path, text or "")
        return self._located

    @property
    def text(self) -> str:
        return self._real().text

    def node(self, keys: tuple = ()):
        return self._real().node(keys)

    def locate(self, keys: tuple = (), *, at_key: bool = False) -> tuple[int, int]:
        return self._real().locate(keys, at_key=at_key)

    def plain_scalar(self, keys: tuple):
        return self._real().plain_scalar(keys)


def document_entry(doc: Document) -> tuple:
    """What loading found, without the path (the cache is keyed by content, not by name)."""
    problems = tuple((p.line, p.column, p.severity, p.rule, p.message, p.hint) for p in doc.problems)
    return (doc.data, doc.valid, doc.located is not None, problems)


def document_from_entry(source: Source, entry: Any) -> Document | None:
    """The Document a cache entry describes, or None when the entry is not one."""
    if type(entry) is not tuple or len(entry) != 4:
        return None
    data, valid, has_text, problems = entry
    if not (data is None or type(data) is dict) or type(valid) is not bool or type(has_text) is not bool \
            or type(problems) is not tuple or (valid and data is None):
        return None
    shown = source.shown
    out = []
    for p in problems:
        if type(p) is not tuple or len(p) != 6 or type(p[0]) is not int or type(p[1]) is not int \
                or not all(type(x) is str for x in p[2:]):
            return None
        out.append(Problem(shown, *p))
    located = DeferredLocated(source.path, shown) if has_text else None
    return Document(shown, source.kind, data, out, located, valid)


def snapshot_entry(doc: Document) -> tuple:
    """What the snapshot keeps of a document: its data marshalled (unmarshalled only when asked
    for), and an activity's record."""
    import marshal

    from ngocoord.model import record_of

    data, valid, has_text, problems = document_entry(doc)
    record = record_of(data) if valid and doc.kind == "activity" else None
    return (None if data is None else marshal.dumps(data), valid, has_text, problems, record)


def document_from_snapshot(source: Source, entry: Any) -> Document | None:
    """The Document a snapshot entry describes, or None when the entry is not one."""
    if type(entry) is not tuple or len(entry) != 5:
        return None
    blob, valid, has_text, problems, record = entry
    if not (blob is None or type(blob) is bytes) or (valid and blob is None) \
            or not (record is None or (type(record) is tuple and len(record) == RECORD_FIELDS)):
        return None
    doc = document_from_entry(source, (None, False, has_text, problems))  # checks the problems; data stays marshalled
    if doc is None:
        return None
    doc.valid, doc.record, doc._blob = valid, record, blob
    return doc


def _entry_from_bytes(job: tuple[bytes, str, str]) -> tuple:
    return document_entry(document_from_bytes(*job))


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _parse_in_parallel(sources: list[Source], workers: int) -> list[tuple]:
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    jobs = [(s.raw, s.kind, s.shown) for s in sources]
    with context.Pool(workers) as pool:
        return pool.map(_entry_from_bytes, jobs, chunksize=max(16, len(jobs) // (workers * 8)))


def load_documents(sources: list[Source], store=None) -> list[Document]:
    """Each source to its Document: from its snapshot entry, or from the cache when its bytes were
    seen before, else parsed and validated (in worker processes when there are many) and
    remembered. `store` is the open cache (ngocoord.cache.Store), None for no cache."""
    docs: dict[int, Document] = {}
    for i, s in enumerate(sources):
        if s.entry is not None:
            doc = document_from_snapshot(s, s.entry)
            if doc is None:  # a damaged snapshot row: read the file after all (its folder is in the root)
                s = sources[i] = read_source(s.path, s.kind, Path(s.path).parent.parent, s.shown)
            else:
                docs[id(s)] = doc
    readable = [s for s in sources if s.failed is None and id(s) not in docs]
    found = store.get_many(list({s.key() for s in readable})) if store and readable else {}
    for s in readable:
        entry = found.get(s.key())
        doc = document_from_entry(s, entry) if entry is not None else None
        if doc is not None:
            docs[id(s)] = doc
    misses = [s for s in readable if id(s) not in docs]
    workers = min(_cpus(), 8)
    if len(misses) >= PARALLEL_MIN and workers > 1:
        entries = _parse_in_parallel(misses, workers)
        for s, entry in zip(misses, entries):
            docs[id(s)] = document_from_entry(s, entry)
    else:
        for s in misses:
            docs[id(s)] = document_from_bytes(s.raw, s.kind, s.shown)
    if store and misses:
        store.put_many((s.key(), document_entry(docs[id(s)])) for s in misses)
    return [s.failed or docs[id(s)] for s in sources]


def shown_prefixes(names: list[tuple[str, str, str]]) -> dict[str, str]:
    """What goes before a file name of each folder to show its path (relpath, once per folder)."""
    prefixes = {}
    for folder, _, _ in names:
        if folder not in prefixes:
            shown = display_path(Path(folder))
            prefixes[folder] = "" if shown == "." else shown + os.sep
    return prefixes


def load_dataset(root: Path, *, as_of: dt.date | None = None, scan=None) -> Dataset:
    """Every file of the dataset, through the snapshot of unchanged files and the cache of files
    seen before (ngocoord.snapshot, ngocoord.cache). `scan` is one already made (lint makes
    one to key its own cache); it is closed here."""
    from ngocoord import snapshot
    from ngocoord.memory import without_gc

    with without_gc():
        scan = scan or snapshot.scan(root)
        try:
            documents = load_documents(scan.sources, scan.store)
            scan.save(documents)
        finally:
            scan.close()
        return build_dataset(root, documents, as_of=as_of)


def build_dataset(root: Path, documents: list[Document], *, as_of: dt.date | None = None) -> Dataset:
    lists: dict[str, list[tuple[dict, str, int]]] = {}
    organizations: dict[str, Organization] = {}
    activities: dict[str, Activity] = {}
    for doc in documents:
        if not doc.valid:
            continue
        if doc.kind == "organization":
            organizations.setdefault(doc.data["id"], Organization.from_data(doc.data, doc.path))
        elif doc.kind == "activity":
            act = Activity.from_record(doc.record, doc.path, doc) if doc.record is not None else Activity.from_data(doc.data, doc.path)
            activities.setdefault(act.id, act)
        else:
            for key in CODELIST_FILES[f"{doc.kind}.yaml"][1]:
                lists.setdefault(key, []).extend((d, doc.path, i) for i, d in enumerate(doc.data.get(key) or ()))
    return Dataset(root, documents, Codelists.from_data(lists), organizations, activities, as_of or dt.date.today())
