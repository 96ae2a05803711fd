"""Read one YAML file into plain data, or into located problems: never an exception.

The fast path is libyaml's C parser with PyYAML's safe constructor, changed in three ways:
duplicate keys are recorded (PyYAML silently keeps the last one), timestamps stay strings
(so `2023-02-30` is a bad date we can report, not a crash), and anchors/aliases are refused
(no alias bombs). Line and column of a key or value are found only when a problem needs
them, by composing the file again (`Located.locate`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from ngocoord.problems import ERROR, Problem

try:  # libyaml's C parser when present; the pure-Python one otherwise
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader

MAX_BYTES = 1024 * 1024
MAX_BRACKETS = 2000  # flow collections nested this deep are not a record; checked before parsing

_TAB_INDENT = re.compile(r"^ *\t", re.MULTILINE)


class _Refused(ConstructorError):
    """Something a data file must not contain (alias, custom tag, merge key)."""


class _Loader(_BaseLoader):
    def __init__(self, stream):
        super().__init__(stream)
        self.duplicates: list[tuple[Any, Any]] = []

    def construct_object(self, node, deep=False):
        if node in self.constructed_objects or node in self.recursive_objects:
            raise _Refused(None, None, "anchors and aliases (& and *) are not allowed: write the value out in full", node.start_mark)
        return super().construct_object(node, deep)

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, MappingNode):
            raise ConstructorError(None, None, f"expected a mapping, found {node.id}", node.start_mark)
        mapping: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Refused(None, None, "merge keys (<<) are not allowed: write the keys out in full", key_node.start_mark)
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, (list, dict)):
                raise _Refused(None, None, "a key must be a plain word, not a list or mapping", key_node.start_mark)
            if key in mapping:
                self.duplicates.append((key, key_node.start_mark))
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_undefined(self, node):
        raise _Refused(None, None, f"the tag {node.tag} is not allowed: data files hold plain values only", node.start_mark)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", SafeConstructor.construct_yaml_str)
_Loader.add_constructor(None, _Loader.construct_undefined)


@dataclass(slots=True)
class Located:
    """A file's text and, when asked, the position of any key or value in it."""

    path: str
    text: str
    _root: Any = field(default=None, repr=False)

    def _tree(self):
        if self._root is None:
            try:
                self._root = yaml.compose(self.text, Loader=_BaseLoader) or False
            except yaml.YAMLError:
                self._root = False
        return self._root

    def node(self, keys: tuple = ()) -> tuple[Any, Any]:
        """The (key node, value node) at `keys`, going as deep as the file allows."""
        key_node, node = None, self._tree()
        for k in keys:
            if isinstance(node, MappingNode):
                for kn, vn in node.value:
                    if isinstance(kn, ScalarNode) and kn.value == str(k):
                        key_node, node = kn, vn
                        break
                else:
                    break
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


@dataclass(slots=True)
class Parsed:
    data: Any
    problems: list[Problem]
    located: Located | None


def _problem(path: str, line: int, col: int, rule: str, message: str, hint: str = "") -> Problem:
    return Problem(path, line, col, ERROR, rule, message, hint)


def decode(path: str, raw: bytes) -> tuple[str | None, list[Problem]]:
    """Bytes to text, with a problem for each thing a contributor's editor got wrong."""
    problems = []
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(_problem(path, 1, 1, "encoding", "the file starts with a byte-order mark",
                                 "save it as UTF-8 without BOM"))
        raw = raw[3:]
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        col = nul - (raw.rfind(b"\n", 0, nul) + 1) + 1
        problems.append(_problem(path, line, col, "encoding", "the file contains a NUL byte: it is not a text file"))
        return None, problems
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        col = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        problems.append(_problem(path, line, col, "encoding", f"byte 0x{raw[e.start]:02x} is not UTF-8",
                                 "save the file as UTF-8"))
        return None, problems
    return text, problems


def _nesting_too_deep(text: str) -> bool:
    if text.count("[") + text.count("{") < MAX_BRACKETS:
        return False
    depth = deepest = 0
    for ch in text:
        if ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest >= MAX_BRACKETS


def _explain(err: yaml.MarkedYAMLError) -> tuple[str, str]:
    problem = err.problem or err.context or "not valid YAML"
    if "expected a single document" in f"{err.context} {err.problem}":
        return "the file holds more than one YAML document (a second '---')", "keep one record per file"
    if "'\\t'" in problem:
        return "a tab character is used for indentation", "YAML needs spaces: replace the tab with spaces"
    if problem.startswith("found undefined alias") or problem.startswith("found unknown"):
        return problem, ""
    if "mapping values are not allowed" in problem:
        return problem, "a value containing ': ' must be in quotes"
    return problem, ""


def parse(path: str, raw: bytes) -> Parsed:
    """One file's bytes to its data (a mapping) or to the problems that stop it loading."""
    if len(raw) > MAX_BYTES:
        return Parsed(None, [_problem(path, 1, 1, "file-too-large",
                                      f"the file is {len(raw):,} bytes; a record is at most {MAX_BYTES:,}",
                                      "a data file holds one record; split or trim it")], None)
    text, problems = decode(path, raw)
    if text is None:
        return Parsed(None, problems, None)
    located = Located(path, text)
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        problems.append(_problem(path, 1, 1, "yaml-syntax", "the file is empty", "write the record's keys, e.g. id: …"))
        return Parsed(None, problems, located)
    if _nesting_too_deep(text):
        problems.append(_problem(path, 1, 1, "yaml-syntax", f"brackets are nested {MAX_BRACKETS} or more deep: this is not a record"))
        return Parsed(None, problems, located)
    tab = _TAB_INDENT.search(text)
    loader = _Loader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message, hint = _explain(e)
        if tab and tab.start() <= (mark.index if mark else 0) + 1:
            line = text.count("\n", 0, tab.start()) + 1
            col = tab.end() - tab.start()
            message, hint = "a tab character is used for indentation", "YAML needs spaces: replace the tab with spaces"
        problems.append(_problem(path, line, col, "yaml-syntax", message, hint))
        return Parsed(None, problems, located)
    except yaml.YAMLError as e:  # reader errors: control characters and the like
        mark = getattr(e, "problem_mark", None) or getattr(e, "mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problems.append(_problem(path, line, col, "yaml-syntax", str(getattr(e, "reason", None) or e).splitlines()[0]))
        return Parsed(None, problems, located)
    except RecursionError:
        problems.append(_problem(path, 1, 1, "yaml-syntax", "the file is nested too deeply to be a record"))
        return Parsed(None, problems, located)
    finally:
        loader.dispose()
    for key, mark in loader.duplicates:
        problems.append(_problem(path, mark.line + 1, mark.column + 1, "duplicate-key",
                                 f"the key '{key}' appears twice in the same mapping; YAML would keep only the last",
                                 "keep one and merge the values"))
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single value ({data!r})"
        problems.append(_problem(path, 1, 1, "yaml-syntax", f"the file must be a mapping of keys and values, but it is {kind}",
                                 "start with 'id: …' on the first line, no '- '"))
        return Parsed(None, problems, located)
    return Parsed(data, problems, located)
