"""One data file as loaded: its data, or the problems that stop it loading, and where every key
and value is in it. Built from the file's bytes (parsed and validated), or from what the cache or
the snapshot kept of it."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ngocoord.model import is_record
from ngocoord.problems import WARNING, Problem

if TYPE_CHECKING:
    from ngocoord.load.yamlload import Located

class FileOf(Protocol):
    """Where a document's file is, its kind and how its path is shown (a reading.Source)."""

    path: str | Path
    kind: str
    shown: str


HEADER = re.compile(r"^#\s*yaml-language-server:\s*\$schema=\S+", re.MULTILINE)


@dataclass(slots=True)
class Document:
    """One data file: what it holds, or why it could not be read, and where everything is in it.

    A document from the snapshot (ngocoord.load.snapshot) keeps its data marshalled until something
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

    def _sound(self, value: dict) -> bool:
        """Whether data read back from the snapshot is what a valid file of its kind gives: plain
        data with the types its schema allows (a forged row must be a miss, never a crash later).
        Types only: the full validation, and its import, would cost every warm run."""
        from ngocoord.load.cache import is_plain
        from ngocoord.load.schematypes import has_schema_types

        return is_plain(value) and (not self.valid or has_schema_types(self.kind, value))

    def _unmarshal(self, blob: bytes) -> dict | None:
        import marshal

        try:
            value = marshal.loads(blob)
        except Exception:  # checksummed with its snapshot, so not expected: read the file again
            value = None
        if type(value) is dict and self._sound(value):
            return value
        raw = self.located.read_bytes() if isinstance(self.located, DeferredLocated) else None
        return None if raw is None else document_from_bytes(raw, self.kind, self.path).data

    @property
    def stem(self) -> str:
        return os.path.splitext(os.path.basename(self.path))[0]  # Path(self.path).stem, without making a Path

    def at(self, keys: tuple = (), *, at_key: bool = False) -> tuple[int, int]:
        return self.located.locate(keys, at_key=at_key) if self.located else (1, 1)


def document_from_bytes(raw: bytes, kind: str, shown: str) -> Document:
    from ngocoord.load import schemas  # here, with yamlload: a run that finds every file in the cache needs neither
    from ngocoord.load.yamlload import parse

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


class DeferredLocated:
    """Positions in a file whose load result came from the cache or a worker: the file is read
    and composed again only if a problem needs a line and column."""

    __slots__ = ("file", "path", "_located")

    def __init__(self, file: str | Path | None, path: str):
        self.file, self.path, self._located = file, path, None

    def read_bytes(self) -> bytes | None:
        """The file's bytes again, or None when it can no longer be read."""
        try:
            with open(self.file, "rb") as f:
                return f.read()
        except OSError:
            return None

    def _real(self) -> Located:
        from ngocoord.load.yamlload import Located, decode

        if self._located is None:
            text, _ = decode(self.path, self.read_bytes() or b"")
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


def document_from_entry(source: FileOf, entry: Any) -> Document | None:
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


def document_from_snapshot(source: FileOf, entry: Any) -> Document | None:
    """The Document a snapshot entry describes, or None when the entry is not one."""
    if type(entry) is not tuple or len(entry) != 5:
        return None
    blob, valid, has_text, problems, record = entry
    if not (blob is None or type(blob) is bytes) or (valid and blob is None) \
            or not (record is None or is_record(record)) or (valid and source.kind == "activity" and record is None):
        return None
    doc = document_from_entry(source, (None, False, has_text, problems))  # checks the problems; data stays marshalled
    if doc is None:
        return None
    doc.valid, doc.record, doc._blob = valid, record, blob
    return doc
