"""The canonical form of a data file, and `fmt`: rewrite files into it without losing anything.

Canonical form:
- the schema header (`# yaml-language-server: $schema=...`) at the top;
- keys in the order of the SPEC's tables (organizations, activities; inside sources, locations
  and beneficiaries too); codelist entries keep their order, their keys go code, name, level,
  parent, members, sector, iati_code, aliases, names, description; unknown keys follow the
  known ones in their own order;
- lists of plain values in flow style `[a, b]` (unless a comment sits inside the list: the
  comment wins and the list stays one item a line); lists of mappings one item a line
  (`- area: IQG11`), and in records every mapping written out key by key;
- dates in date fields unquoted: `2022-12-04`, `2022-12`, `2022`; `country` in double quotes;
- two spaces of indentation, list dashes indented under their key, no line folding.

Comments move with the key they stand above; a comment at the end of a line stays on it.
Every value is kept: the property test in tests/test_fmt.py checks it on generated records.

ruamel.yaml (round-trip mode) does the rewriting: PyYAML drops comments. Files are first read
with ngocoord's own loader, so a file that lint cannot read is reported, never rewritten.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from ngocoord.atomic import write_atomic
from ngocoord.codelists import FILES as CODELIST_FILES
from ngocoord.load.dataset import FOLDER, HEADER, chosen_files, dataset_files, display_path
from ngocoord.domain import kinds
from ngocoord.domain.dates import is_date, is_real_date
from ngocoord.problems import ERROR, Problem
from ngocoord.load.schemas import date_fields, schema_header
from ngocoord.load.yamlcomments import Comments, lost_comment
from ngocoord.load.yamlload import parse

ORGANIZATION_KEYS = ("id", "name", "acronym", "names", "type", "country", "website", "email", "member_of",
                     "last_reviewed", "sources", "notes")
ACTIVITY_KEYS = ("id", "title", "organization", "partners", "donors", "sector", "services", "population",
                 "locations", "status", "start", "end", "beneficiaries", "counterparts", "sensitive",
                 "last_reviewed", "sources", "coordinated_with", "description")
SOURCE_KEYS = ("title", "url", "date", "supports")
LOCATION_KEYS = ("area", "site")
BENEFICIARY_KEYS = ("targeted", "reached")
ENTRY_KEYS = ("code", "name", "level", "parent", "members", "sector", "iati_code", "aliases", "names", "description")
RECORD_KEYS = {"organization": ORGANIZATION_KEYS, "activity": ACTIVITY_KEYS}
NESTED_KEYS = {"sources": SOURCE_KEYS, "locations": LOCATION_KEYS}

UNREADABLE = {"yaml-syntax", "encoding", "duplicate-key", "file-too-large", "symlink", "unreadable"}


@dataclass(frozen=True, slots=True)
class Formatted:
    """What fmt found for one file: its canonical text, or why it could not be read."""

    path: str
    original: str | None
    text: str | None
    problem: Problem | None = None

    @property
    def changed(self) -> bool:
        return self.problem is None and self.text != self.original


# --- which files, which kind ------------------------------------------------------------------

def kind_of(path: Path) -> str | None:
    """organization, activity or a codelist kind, from where the file sits in a dataset."""
    return kinds.kind_of(path.parent.name, path.name)


def files_to_format(root: Path, paths: list[Path]) -> list[tuple[Path, str]]:
    """(file, kind) for the paths given (files or folders of the dataset), or the whole dataset."""
    chosen = chosen_files(root, paths)
    return dataset_files(root) if chosen is None else chosen


# --- the canonical text -----------------------------------------------------------------------

def _yaml():
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 1_000_000          # never fold a long line
    y.indent(mapping=2, sequence=4, offset=2)
    y.constructor.add_constructor("tag:yaml.org,2002:timestamp", _construct_date_text)
    y.representer.add_representer(DateText, _represent_date_text)
    return y


class DateText(str):
    """An unquoted date, kept as its text (2023-02-30 is a mistake lint reports, not a crash)."""


def _construct_date_text(constructor, node):
    return DateText(node.value)


def _represent_date_text(representer, data):
    return representer.represent_scalar("tag:yaml.org,2002:timestamp", str(data))


def canonical_text(text: str, kind: str) -> str:
    """The canonical form of one file's text. The text must be YAML that ngocoord's loader reads."""
    y = _yaml()
    root = y.load(text)
    if root is None:
        return text
    comments = Comments()
    trailing = comments.detach(root, 0)
    _restyle(root, kind, comments)
    comments.attach(root, 0, top=True)
    if trailing and len(root):
        comments.append_after(root, list(root)[-1], trailing, 0)
    out = io.StringIO()
    y.dump(root, out)
    result = out.getvalue()
    if not HEADER.search(result[:2000]):
        result = schema_header(kind) + "\n" + result
    return result


def _restyle(root, kind: str, comments: "Comments") -> None:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    if not isinstance(root, CommentedMap):
        return
    if kind in RECORD_KEYS:
        _order(root, RECORD_KEYS[kind])
        for key, nested_order in NESTED_KEYS.items():
            if isinstance(root.get(key), CommentedSeq):
                for item in root[key]:
                    if isinstance(item, CommentedMap):
                        _order(item, nested_order)
        if isinstance(root.get("beneficiaries"), CommentedMap):
            _order(root["beneficiaries"], BENEFICIARY_KEYS)
        if isinstance(root.get("country"), str):
            root["country"] = DoubleQuotedScalarString(root["country"])
        for keys in date_fields(kind):
            _unquote_date(root, keys[0])
        for source in root.get("sources") if isinstance(root.get("sources"), list) else ():
            if isinstance(source, CommentedMap):
                _unquote_date(source, "date")
        _style_lists(root, comments, block_mappings=True)
    else:
        _order(root, CODELIST_FILES[f"{kind}.yaml"][1] if f"{kind}.yaml" in CODELIST_FILES else ())
        for value in root.values():
            if isinstance(value, CommentedSeq):
                for entry in value:
                    if isinstance(entry, CommentedMap):
                        _order(entry, ENTRY_KEYS)
        _style_lists(root, comments, block_mappings=False)


def _order(mapping, keys: tuple[str, ...]) -> None:
    rank = {k: i for i, k in enumerate(keys)}
    wanted = sorted(mapping, key=lambda k: (rank.get(k, len(rank)), list(mapping).index(k)))
    for k in wanted:
        mapping.move_to_end(k)


def _unquote_date(mapping, key: str) -> None:
    value = mapping.get(key)
    if not isinstance(value, str) or isinstance(value, DateText) or not is_date(value):
        return
    if len(value) == 10:
        if not is_real_date(value):
            return  # not a real day: leave it as written for lint to report
        _replace(mapping, key, DateText(value))
    elif len(value) == 4:
        _replace(mapping, key, int(value))
    else:
        _replace(mapping, key, str(value))


def _replace(mapping, key, value) -> None:
    """Set a value without ruamel carrying the old value's quotes over to it."""
    from ruamel.yaml.compat import ordereddict

    ordereddict.__setitem__(mapping, key, value)


def _has_comments(node, comments: "Comments") -> bool:
    inner = any(any(t is not None for t in slot) for slot in node.ca.items.values())
    return inner or comments.has_pre(node)


def _style_lists(node, comments: "Comments", *, block_mappings: bool) -> None:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap):
        if block_mappings and len(node):
            node.fa.set_block_style()
        for value in node.values():
            _style_lists(value, comments, block_mappings=block_mappings)
    elif isinstance(node, CommentedSeq):
        scalars = all(not isinstance(v, (CommentedMap, CommentedSeq)) for v in node)
        if scalars and not _has_comments(node, comments):
            node.fa.set_flow_style()
        elif not scalars and len(node):
            node.fa.set_block_style()
        for value in node:
            _style_lists(value, comments, block_mappings=block_mappings)


# --- files ------------------------------------------------------------------------------------

def format_file(path: Path, kind: str, store=None) -> Formatted:
    """Read one file and compute its canonical text (nothing is written). With a cache `store`,
    a file already known to be canonical (by the hash of its bytes) is not formatted again."""
    shown = display_path(path)
    if kind == FOLDER:
        return Formatted(shown, None, None, Problem(shown, 1, 1, ERROR, "symlink",
                                                    "this folder is a link to a place outside the dataset; fmt rewrites nothing in it",
                                                    "replace the link with the folder itself"))
    if path.is_symlink():
        return Formatted(shown, None, None, Problem(shown, 1, 1, ERROR, "symlink",
                                                    "this file is a link; fmt does not rewrite links",
                                                    "replace the link with the file itself"))
    try:
        raw = path.read_bytes()
    except OSError as e:
        return Formatted(shown, None, None, Problem(shown, 1, 1, ERROR, "unreadable", f"the file cannot be read ({e.strerror or e})"))
    key = _cache_key(raw, kind) if store else None
    if key and store.get(key) is True:
        text = raw.decode("utf-8")
        return Formatted(shown, text, text)
    parsed = parse(shown, raw)
    refused = [p for p in parsed.problems if p.rule in UNREADABLE]
    if refused or parsed.data is None:
        first = refused[0] if refused else Problem(shown, 1, 1, ERROR, "yaml-syntax", "the file holds no data")
        return Formatted(shown, None, None, first)
    text = raw.decode("utf-8")
    try:
        result = canonical_text(text.replace("\r\n", "\n"), kind)
    except Exception as e:  # ruamel reads a little differently from libyaml: report, never rewrite
        return Formatted(shown, text, None, Problem(shown, 1, 1, ERROR, "yaml-syntax",
                                                    f"fmt cannot read this file ({type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''})",
                                                    "fix it by hand; 'ngocoord lint' shows what is wrong"))
    lost = lost_comment(text, result)
    if lost is not None:
        line, column, comment = lost
        return Formatted(shown, text, None, Problem(
            shown, line, column, ERROR, "fmt",
            f"fmt would lose the comment '{comment}': it sits where the canonical form has no place for it "
            "(inside a [flow list] or {mapping}, or after a '...' end marker); the file was left as it is",
            "move the comment onto a line of its own above the key it is about, then run fmt again"))
    if text.partition("\n")[0].endswith("\r"):  # one line ending for the whole file: the first line's
        result = result.replace("\n", "\r\n")
    if key and result == text:
        store.put(key, True)
    return Formatted(shown, text, result)


def _cache_key(raw: bytes, kind: str) -> bytes:
    from ngocoord.load import cache

    return cache.combined_key("fmt", [cache.file_key(raw, kind)])


def fmt(root: Path, paths: list[Path] | None = None, *, check: bool = False) -> list[Formatted]:
    """Format the files (all of the dataset by default); with check, write nothing."""
    from ngocoord.load import cache

    results = []
    store = cache.store()
    try:
        for path, kind in files_to_format(root, list(paths or [])):
            result = format_file(path, kind, store)
            if result.changed and not check:
                write_atomic(path, result.text, overwrite=True)
                if store:
                    store.put(_cache_key(result.text.encode("utf-8"), kind), True)
            results.append(result)
    finally:
        if store:
            store.close()
    return results
