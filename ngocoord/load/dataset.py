"""Load the dataset: its files' Documents (through the snapshot and the cache) into typed records.

load: files (ngocoord.load.reading) -> Documents (ngocoord.load.documents: data or problems, per file)
-> Codelists and records (valid files only).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ngocoord.codelists import FILES as CODELIST_FILES
from ngocoord.codelists import Codelists
from ngocoord.load.documents import (HEADER, Document, document_entry, document_from_bytes, document_from_entry,
                                document_from_snapshot)
from ngocoord.domain.kinds import RECORD_DIRS
from ngocoord.domain.limits import MAX_FILE_BYTES
from ngocoord.domain.slugs import SLUG
from ngocoord.model import Activity, Organization
from ngocoord.load.reading import (FOLDER, Source, chosen_files, dataset_files, dataset_folder, dataset_names, display_path,
                              find_data_dir, printable, read_source, root_for, shown_prefixes)

# what callers have always imported from here
__all__ = ["CODELIST_FILES", "FOLDER", "HEADER", "MAX_FILE_BYTES", "RECORD_DIRS", "SLUG", "Dataset", "Document", "Source",
           "build_dataset", "chosen_files", "dataset_files", "dataset_folder", "dataset_names", "display_path", "document_from_bytes", "find_data_dir",
           "load_dataset", "load_documents", "printable", "read_source", "root_for", "shown_prefixes"]


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

    def invalid_files(self) -> int:
        return sum(1 for d in self.documents if not d.valid)


PARALLEL_MIN = 400  # below this many files to parse, starting worker processes costs more than it saves


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
    remembered. `store` is the open cache (ngocoord.load.cache.Store), None for no cache."""
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


def load_dataset(root: Path, *, as_of: dt.date | None = None, scan=None) -> Dataset:
    """Every file of the dataset, through the snapshot of unchanged files and the cache of files
    seen before (ngocoord.load.snapshot, ngocoord.load.cache). `scan` is one already made (lint makes
    one to key its own cache); it is closed here."""
    from ngocoord.load import snapshot
    from ngocoord.memory import without_gc

    with without_gc():
        scan = scan or snapshot.scan(root)
        try:
            documents = load_documents(scan.sources, scan.store)
            scan.save(documents)
        finally:
            scan.close()
        return build_dataset(root, documents, as_of=as_of)


def build_dataset(root: Path, documents: list[Document], *, as_of: dt.date | None = None,
                  built: dict | None = None) -> Dataset:
    """The records of the valid documents. `built` remembers, across calls, the record built from
    each document (by its identity) and the codelists built from each set of codelist documents:
    states of a dataset's history share most documents (ngocoord.load.gitdata), and so their records."""
    lists: dict[str, list[tuple[dict, str, int]]] = {}
    organizations: dict[str, Organization] = {}
    activities: dict[str, Activity] = {}
    built = {} if built is None else built
    codelist_docs = []
    for doc in documents:
        if not doc.valid:
            continue
        if doc.kind == "organization":
            org = built.get(id(doc))
            if org is None:
                org = built[id(doc)] = Organization.from_data(doc.data, doc.path)
            organizations.setdefault(org.id, org)
        elif doc.kind == "activity":
            act = built.get(id(doc))
            if act is None:
                act = Activity.from_record(doc.record, doc.path, doc) if doc.record is not None else Activity.from_data(doc.data, doc.path)
                built[id(doc)] = act
            activities.setdefault(act.id, act)
        else:
            codelist_docs.append(doc)
    which = ("codelists", *map(id, codelist_docs))
    codelists = built.get(which)
    if codelists is None:
        for doc in codelist_docs:
            for key in CODELIST_FILES[f"{doc.kind}.yaml"][1]:
                lists.setdefault(key, []).extend((d, doc.path, i) for i, d in enumerate(doc.data.get(key) or ()))
        codelists = built[which] = Codelists.from_data(lists)
    return Dataset(root, documents, codelists, organizations, activities, as_of or dt.date.today())
