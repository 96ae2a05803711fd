"""Read one YAML file into plain data, or into located problems: never an exception.

The fast path is libyaml's C parser with PyYAML's safe constructor, changed in three ways:
duplicate keys are recorded (PyYAML silently keeps the last one), timestamps stay strings
(so `2023-02-30` is a bad date we can report, not a crash), and anchors/aliases are refused
(no alias bombs). Line and column of a key or value are found only when a problem needs
them, by composing the file again (`Located.locate`).

Before libyaml sees the text, three cheap guards (ngocoord.load.yamltext) refuse what could hurt the
process: files over MAX_BYTES, characters YAML forbids (located exactly), and nesting deeper than
MAX_DEPTH (libyaml's composer recurses in C: a file nested ~30,000 deep would crash the interpreter,
not raise).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from ngocoord.problems import Problem
from ngocoord.load.yamltext import (FORBIDDEN_CHAR, MAX_BYTES, MAX_DEPTH, BaseLoader, decode, explain_error,
                               forbidden_character, problem, reading_of, too_deep, too_large)


_TAB_INDENT = re.compile(r"^ *\t", re.MULTILINE)
# a line (as str.splitlines splits them) holding something other than blanks and a comment
_CONTENT_LINE = re.compile("(?:^|[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\r])\\s*[^\\s#]", re.MULTILINE)


class _Refused(ConstructorError):
    """Something a data file must not contain (alias, custom tag, merge key)."""


_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_TIMESTAMP, _MERGE = "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:merge"
_INTERNED = 32  # values up to this long are interned
# explicit tags that name a plain value, and how the value is read (PyYAML's own readers)
_TYPED = {"tag:yaml.org,2002:int": SafeConstructor.construct_yaml_int,
          "tag:yaml.org,2002:float": SafeConstructor.construct_yaml_float,
          "tag:yaml.org,2002:bool": SafeConstructor.construct_yaml_bool,
          "tag:yaml.org,2002:null": SafeConstructor.construct_yaml_null}


class _Loader(BaseLoader):
    """libyaml's parser and composer, with YAML 1.1's implicit types (PyYAML's resolver, looked up
    once per first character). Nodes are turned into data by _Builder, not by PyYAML's constructor."""

    _by_first: dict[str, list] = {}

    def resolve(self, kind, value, implicit):
        if kind is ScalarNode:
            if implicit[0]:
                first = value[:1]
                resolvers = self._by_first.get(first)
                if resolvers is None:
                    resolvers = self._by_first[first] = (self.yaml_implicit_resolvers.get(first, [])
                                                         + self.yaml_implicit_resolvers.get(None, []))
                for tag, regexp in resolvers:
                    if regexp.match(value):
                        return tag
            return _STR
        return _SEQ if kind is SequenceNode else _MAP

    def descend_resolver(self, current_node, current_index):
        pass  # no path resolvers: nothing to track

    def ascend_resolver(self):
        pass


class _Builder:
    """Nodes to plain data: dicts with text keys, lists, text, numbers, booleans and None.

    Duplicate keys are recorded (PyYAML silently keeps the last one), keys YAML reads as something
    other than text (`yes:`, `1:`) are recorded and dropped, timestamps stay text (so 2023-02-30 is
    a bad date we report, not a crash), and anchors, aliases, merge keys and every tag that does not
    name a plain value are refused. Walking the nodes here is about 3x faster than PyYAML's
    constructor, whose generic machinery (a generator and a state table per node) this data never uses."""

    __slots__ = ("loader", "seen", "duplicates", "odd_keys")

    def __init__(self, loader: _Loader):
        self.loader = loader
        self.seen: set = set()
        self.duplicates: list[tuple[Any, Any]] = []
        self.odd_keys: list[tuple[str, Any, Any]] = []  # (as written, as YAML reads it, where)

    def build(self, node) -> Any:
        if node in self.seen:  # the composer gives an alias the very node of its anchor (nodes hash by identity)
            raise _Refused(None, None, "anchors and aliases (& and *) are not allowed: write the value out in full", node.start_mark)
        self.seen.add(node)
        kind, tag = type(node), node.tag
        if kind is ScalarNode:
            if tag == _STR or tag == _TIMESTAMP:
                value = node.value
                if node.style == '"' and (bad := FORBIDDEN_CHAR.search(value)):  # "\e[2J", "\x1b": a terminal would obey them
                    raise _Refused(None, None, f"the value holds the control character U+{ord(bad.group()):04X} "
                                   "(written as an escape such as \\e or \\x1b), which is not allowed", node.start_mark)
                # codes, dates and statuses recur across records: one object each, stored once in a snapshot
                return sys.intern(value) if len(value) <= _INTERNED else value
            read = _TYPED.get(tag)
            if read is None:
                self._refuse_misfit(node, tag)
            if tag != self.loader.resolve(ScalarNode, node.value, (True, False)):  # !!int abc, !!bool maybe
                raise _Refused(None, None, f"'{node.value}' is not a value of the type {_short(tag)}", node.start_mark)
            try:
                return read(self.loader, node)
            except ValueError:  # int() refuses more than sys.get_int_max_str_digits() digits (4,300)
                raise _Refused(None, None, f"the number is {len(node.value):,} characters long: too long to be read as a number "
                               "(put it in quotes if it is text)", node.start_mark) from None
        if kind is MappingNode:
            if tag != _MAP:
                self._refuse_misfit(node, tag)
            mapping: dict = {}
            for key_node, value_node in node.value:
                if key_node.tag == _MERGE:
                    raise _Refused(None, None, "merge keys (<<) are not allowed: write the keys out in full", key_node.start_mark)
                if type(key_node) is not ScalarNode:
                    raise _Refused(None, None, "a key must be a plain word, not a list or mapping", key_node.start_mark)
                key = self.build(key_node)
                if type(key) is not str:  # yes: -> True, 1: -> 1, null: -> None; and True == 1 would merge them
                    self.odd_keys.append((key_node.value, key, key_node.start_mark))
                    continue
                key = sys.intern(key)  # one object per key name: the cache stores each once, and loads faster
                if key in mapping:
                    self.duplicates.append((key, key_node.start_mark))
                mapping[key] = self.build(value_node)
            return mapping
        if tag != _SEQ:
            self._refuse_misfit(node, tag)
        return [self.build(item) for item in node.value]

    @staticmethod
    def _refuse_misfit(node, tag: str):
        """A tag this node cannot take: one that names no plain value, or a type that does not fit (!!str {a: 1})."""
        if tag in _TYPED or tag in (_STR, _TIMESTAMP, _MAP, _SEQ):
            wanted = {_MAP: "mapping", _SEQ: "list"}.get(tag, "single value")
            found = {MappingNode: "mapping", SequenceNode: "list"}.get(type(node), "single value")
            raise _Refused(None, None, f"the tag {_short(tag)} wants a {wanted}, but this is a {found}", node.start_mark)
        raise _Refused(None, None, f"the tag {_short(tag)} is not allowed: data files hold plain values only", node.start_mark)


def _short(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!", 1)


def load_text(text: str) -> tuple[Any, _Builder]:
    """The data of one YAML document, and the builder that saw it (its duplicates and odd keys).
    Raises yaml.YAMLError (with a mark) for what cannot be read or is refused."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        builder = _Builder(loader)
        return (builder.build(node) if node is not None else None), builder
    finally:
        loader.dispose()


@dataclass(slots=True)
class Located:
    """A file's text and, when asked, the position of any key or value in it."""

    path: str
    text: str
    _root: Any = field(default=None, repr=False)

    def _tree(self):
        if self._root is None:
            try:
                self._root = yaml.compose(self.text, Loader=BaseLoader) or False
            except yaml.YAMLError:
                self._root = False
        return self._root

    def node(self, keys: tuple = ()) -> tuple[Any, Any]:
        """The (key node, value node) at `keys`, going as deep as the file allows."""
        key_node, node = None, self._tree()
        for k in keys:
            if isinstance(node, MappingNode):
                # the last of a duplicated key: the value YAML (and so every check) keeps
                found = [(kn, vn) for kn, vn in node.value if isinstance(kn, ScalarNode) and _same_key(kn, k)]
                if not found:
                    break
                key_node, node = found[-1]
            elif isinstance(node, SequenceNode) and isinstance(k, int) and 0 <= k < len(node.value):
                key_node, node = None, node.value[k]
            else:
                break
        return key_node, (node or None)

    def locate(self, keys: tuple = (), *, at_key: bool = False) -> tuple[int, int]:
        key_node, value_node = self.node(keys)
        target = key_node if (at_key and key_node is not None) else (value_node or key_node)
        if target is None:
            return 1, 1
        return target.start_mark.line + 1, target.start_mark.column + 1

    def plain_scalar(self, keys: tuple) -> str | None:
        """The text of an unquoted scalar at `keys`, to explain YAML's implicit conversions."""
        _, node = self.node(keys)
        if isinstance(node, ScalarNode) and not node.style:  # plain: None (Python parser) or '' (libyaml)
            return node.value
        return None


def _same_key(key_node: ScalarNode, key: Any) -> bool:
    """Whether this key node reads as `key`: `yes:` is the key True, `1:` the key 1, `null:` None."""
    if isinstance(key, str):
        return key_node.value == key
    if key_node.style:  # quoted: always text
        return False
    try:
        value, _ = load_text(key_node.value)
    except yaml.YAMLError:
        return False
    return type(value) is type(key) and repr(value) == repr(key)


@dataclass(slots=True)
class Parsed:
    data: Any
    problems: list[Problem]
    located: Located | None


def parse(path: str, raw: bytes) -> Parsed:
    """One file's bytes to its data (a mapping) or to the problems that stop it loading."""
    if len(raw) > MAX_BYTES:
        return Parsed(None, [too_large(path, len(raw))], None)
    text, problems = decode(path, raw)
    if text is None:
        return Parsed(None, problems, None)
    located = Located(path, text)
    refused = _refused_text(path, text, located)
    if refused is not None:
        return Parsed(None, problems + [refused], located)
    try:
        data, loader = load_text(text)
    except (yaml.YAMLError, RecursionError) as e:
        return Parsed(None, problems + [_unreadable(path, text, e)], located)
    for key, mark in loader.duplicates:
        problems.append(problem(path, mark.line + 1, mark.column + 1, "duplicate-key",
                                f"the key '{key}' appears twice in the same mapping; YAML would keep only the last",
                                "keep one and merge the values"))
    for written, key, mark in loader.odd_keys:
        problems.append(problem(path, mark.line + 1, mark.column + 1, "schema",
                                f"YAML reads the key '{written}' as {reading_of(key)}, not as a word",
                                "keys are words such as 'name'; put the key in quotes if it must be kept"))
    if loader.odd_keys:
        return Parsed(None, problems, located)
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single value ({data!r})"
        problems.append(problem(path, 1, 1, "yaml-syntax", f"the file must be a mapping of keys and values, but it is {kind}",
                                "start with 'id: …' on the first line, no '- '"))
        return Parsed(None, problems, located)
    return Parsed(data, problems, located)


def _refused_text(path: str, text: str, located: Located) -> Problem | None:
    """What the cheap guards refuse before libyaml sees the text: nothing in it, a forbidden
    character, or nesting that would crash libyaml's composer."""
    if not _CONTENT_LINE.search(text):  # blank, or comments only
        return problem(path, 1, 1, "yaml-syntax", "the file is empty", "write the record's keys, e.g. id: …")
    bad_char = forbidden_character(path, text)
    if bad_char is not None:
        return bad_char
    deep = too_deep(text)
    if deep is not None:
        located._root = False  # never compose it: that is what would crash
        return problem(path, deep.line + 1, deep.column + 1, "yaml-syntax",
                       f"the data is nested more than {MAX_DEPTH} levels deep: this is not a record",
                       "a record nests a few levels at most; check the brackets and the indentation")
    return None


def _unreadable(path: str, text: str, e: Exception) -> Problem:
    """The one problem of a text libyaml could not read (or refused), where it went wrong."""
    if isinstance(e, RecursionError):
        return problem(path, 1, 1, "yaml-syntax", "the file is nested too deeply to be a record")
    if not isinstance(e, yaml.MarkedYAMLError):  # reader errors (forbidden characters are caught before) and the like
        mark = getattr(e, "problem_mark", None) or getattr(e, "mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return problem(path, line, col, "yaml-syntax", (str(getattr(e, "reason", None) or e).splitlines() or ["not valid YAML"])[0])
    mark = e.problem_mark or e.context_mark
    if "end of stream" in str(e.problem) or "expected ',' or" in str(e.problem):  # point at what was left open
        mark = e.context_mark or mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    message, hint = explain_error(e)
    tab = _TAB_INDENT.search(text)
    if tab and tab.start() <= (mark.index if mark else 0) + 1:
        line = text.count("\n", 0, tab.start()) + 1
        col = tab.end() - tab.start()
        message, hint = "a tab character is used for indentation", "YAML needs spaces: replace the tab with spaces"
    return problem(path, line, col, "yaml-syntax", message, hint)
