"""Find the dataset, read every file into a Document, and build the typed records.

load: files -> Documents (data or problems, per file) -> Codelists and records (valid files only).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ngocoord import schemas
from ngocoord.codelists import FILES as CODELIST_FILES
from ngocoord.codelists import Codelists
from ngocoord.model import Activity, Organization
from ngocoord.problems import ERROR, WARNING, Problem, UsageError
from ngocoord.resources import bundled_data_dir
from ngocoord.yamlload import Located, parse

RECORD_DIRS = {"organizations": "organization", "activities": "activity"}
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
HEADER = re.compile(r"^#\s*yaml-language-server:\s*\$schema=\S+", re.MULTILINE)


@dataclass(slots=True)
class Document:
    """One data file: what it holds, or why it could not be read, and where everything is in it."""

    path: str            # as shown to the user
    kind: str            # organization, activity, or a codelist kind
    data: dict | None = None
    problems: list[Problem] = field(default_factory=list)
    located: Located | None = None
    valid: bool = False  # loaded and passed its schema

    @property
    def stem(self) -> str:
        return Path(self.path).stem

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


def display_path(path: Path) -> str:
    """Relative to the current directory when inside it (as CI annotations need), else absolute."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive
        return str(path)
    return str(path) if rel.startswith("..") else rel


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
            raise UsageError(f"{origin}: {given} is not a dataset (it has no organizations/ folder)")
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
    files = []
    codelists = root / "codelists"
    for name, (kind, _keys) in CODELIST_FILES.items():
        if (codelists / name).exists() or (codelists / name).is_symlink():
            files.append((codelists / name, kind))
    for folder, kind in RECORD_DIRS.items():
        base = root / folder
        if base.is_dir():
            for p in sorted(base.iterdir()):
                if p.suffix in (".yaml", ".yml"):
                    files.append((p, kind))
    return files


def read_document(path: Path, kind: str, root: Path, shown: str | None = None) -> Document:
    """One file to a Document: never raises for anything the file holds."""
    shown = shown or display_path(path)
    doc = Document(shown, kind)
    if path.is_symlink():
        try:
            inside = path.resolve().is_relative_to(root.resolve())
        except (OSError, RuntimeError):
            inside = False
        if not inside:
            doc.problems.append(Problem(shown, 1, 1, ERROR, "symlink",
                                        "this file is a link to a place outside the dataset; it was not read",
                                        "replace the link with the file itself"))
            return doc
    try:
        raw = path.read_bytes()
    except OSError as e:
        reason = (e.strerror or str(e)).lower()
        doc.problems.append(Problem(shown, 1, 1, ERROR, "unreadable", f"the file cannot be read: {reason}",
                                    "make it a plain file that you are allowed to read, or remove it"))
        return doc
    return document_from_bytes(raw, kind, shown)


def document_from_bytes(raw: bytes, kind: str, shown: str) -> Document:
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


def load_dataset(root: Path, *, as_of: dt.date | None = None) -> Dataset:
    documents = [read_document(path, kind, root) for path, kind in dataset_files(root)]
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
            activities.setdefault(doc.data["id"], Activity.from_data(doc.data, doc.path))
        else:
            for key in CODELIST_FILES[f"{doc.kind}.yaml"][1]:
                lists.setdefault(key, []).extend((d, doc.path, i) for i, d in enumerate(doc.data.get(key) or ()))
    return Dataset(root, documents, Codelists.from_data(lists), organizations, activities, as_of or dt.date.today())


def records_as_data(records: Iterable[Any]) -> list[dict]:
    return [r.raw for r in records]
