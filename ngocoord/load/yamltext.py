"""A YAML file's text before libyaml sees it, and what to say when libyaml cannot read it.

Bytes are decoded with a problem for each thing a contributor's editor got wrong; cheap guards
find what would hurt the process (characters YAML forbids, nesting deeper than MAX_DEPTH); and
libyaml's errors are turned into a message and a hint a contributor can act on.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import yaml

from ngocoord.domain.limits import MAX_FILE_BYTES
from ngocoord.problems import ERROR, Problem

try:  # libyaml's C parser when present; the pure-Python one otherwise
    from yaml import CSafeLoader as BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as BaseLoader

MAX_BYTES = MAX_FILE_BYTES  # one limit, with the file reader (ngocoord.domain.limits)
MAX_DEPTH = 100  # a record nests 4 levels; libyaml's C composer crashes somewhere past 20,000

# YAML 1.1 printable characters: tab, LF, CR, x20-x7E, x85, xA0-xD7FF, xE000-xFFFD, astral planes
FORBIDDEN_CHAR = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def problem(path: str, line: int, col: int, rule: str, message: str, hint: str = "") -> Problem:
    return Problem(path, line, col, ERROR, rule, message, hint)


def decode(path: str, raw: bytes) -> tuple[str | None, list[Problem]]:
    """Bytes to text, with a problem for each thing a contributor's editor got wrong."""
    problems = []
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(problem(path, 1, 1, "encoding", "the file starts with a byte-order mark",
                                 "save it as UTF-8 without BOM"))
        raw = raw[3:]
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        col = nul - (raw.rfind(b"\n", 0, nul) + 1) + 1
        problems.append(problem(path, line, col, "encoding", "the file contains a NUL byte: it is not a text file",
                                 "save it from a text editor as plain UTF-8"))
        return None, problems
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        col = len(raw[raw.rfind(b"\n", 0, e.start) + 1:e.start].decode("utf-8", "replace")) + 1
        problems.append(problem(path, line, col, "encoding", f"byte 0x{raw[e.start]:02x} is not UTF-8",
                                 "save the file as UTF-8"))
        return None, problems
    return text, problems


def _position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a character index."""
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def forbidden_character(path: str, text: str) -> Problem | None:
    """A character YAML does not allow (control characters, most often pasted from a word processor)."""
    m = FORBIDDEN_CHAR.search(text)
    if m is None:
        return None
    line, col = _position(text, m.start())
    return problem(path, line, col, "yaml-syntax",
                    f"the character U+{ord(m.group()):04X} is a control character, which YAML does not allow",
                    "delete it (it is invisible in most editors; retype the text around it)")


@lru_cache(maxsize=None)
def _prefix_of_width(width: int) -> re.Pattern:
    """A line whose indentation-and-indicators prefix is at least `width` characters wide."""
    return re.compile(r"^(?:[ \t]|[-?:](?=[ \t]|$)){%d}" % width, re.MULTILINE)


def _shallow(text: str) -> bool:
    """Whether the text surely nests at most MAX_DEPTH deep, by a cheap upper bound. Nested block
    collections start at strictly greater columns (a sequence under a key may share its column
    once), and a block collection starts within a line's indentation-and-indicators prefix: so
    block nesting is at most 2 x (widest prefix + 1) + 1. A flow collection needs a bracket, and
    can hold one implicit single-pair mapping ([a: [b: …]]): 2 more per bracket."""
    brackets = 2 * (text.count("[") + text.count("{"))
    room = (MAX_DEPTH - 1 - brackets) // 2  # a prefix this wide could reach past MAX_DEPTH
    return room > 0 and not _prefix_of_width(room).search(text)  # one search, not a match per line


def too_deep(text: str) -> yaml.Mark | None:
    """Where the text nests deeper than MAX_DEPTH, found from libyaml's events (which never recurse)."""
    if _shallow(text):
        return None
    try:
        return _deeper_than_max(text, BaseLoader)
    except yaml.YAMLError as e:
        if "nesting depth" not in str(getattr(e, "problem", "")):
            return None  # the parse proper reports it, and never got deeper than this
    # the libyaml in PyYAML 6.0.4's wheels refuses 1,000 nested brackets while it scans ahead,
    # before any event of them: PyYAML's own parser, iterative and without that limit, finds where
    # the data passes MAX_DEPTH, so the message is ours whichever libyaml is installed
    try:
        return _deeper_than_max(text, yaml.SafeLoader)
    except yaml.YAMLError:
        return None


def _deeper_than_max(text: str, loader) -> yaml.Mark | None:
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                return event.start_mark
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    return None


def reading_of(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if value is None:
        return "nothing (null)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return f"a {type(value).__name__} value"


def explain_error(err: yaml.MarkedYAMLError) -> tuple[str, str]:
    problem = err.problem or err.context or "not valid YAML"
    if "expected a single document" in f"{err.context} {err.problem}":
        return "the file holds more than one YAML document (a second '---')", "keep one record per file"
    if "'\\t'" in problem:
        return "a tab character is used for indentation", "YAML needs spaces: replace the tab with spaces"
    if problem.startswith("found undefined alias") or problem.startswith("found unknown"):
        return problem, ""
    if "mapping values are not allowed" in problem:
        return ("a ':' here is not expected: the value holds ': ', or the line is indented too far",
                "put the value in quotes, or start the key in the same column as the keys around it")
    if "quoted scalar" in str(err.context) and "end of stream" in problem:
        return "the quote opened here is never closed", "add the closing quote at the end of the value"
    if "could not find expected ':'" in problem:
        return "this line is not 'key: value'", "add ': ' after the key, or join this line to the one above"
    if "cannot start any token" in problem:
        return "a value starts with a character YAML reserves (such as @, ` or %)", "put the value in quotes"
    if "did not find expected ',' or" in problem:
        return (f"the {'list' if ']' in problem else 'mapping'} opened here with "
                f"'{'[' if ']' in problem else '{'}' is not closed properly",
                f"close it with '{']' if ']' in problem else '}'}', and put values that contain commas in quotes")
    if "did not find expected key" in problem or "did not find expected '-'" in problem or "expected <block end>" in problem:
        return "the indentation is wrong here", "keys of one mapping, and the '- ' items of one list, start in the same column"
    return problem, ""


def too_large(path: str, size: int) -> Problem:
    return problem(path, 1, 1, "file-too-large", f"the file is {size:,} bytes; a record is at most {MAX_BYTES:,}",
                    "a data file holds one record; split or trim it")
