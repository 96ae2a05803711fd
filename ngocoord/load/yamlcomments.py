"""Comments across fmt's rewrite: ruamel.yaml keeps a full-line comment with the value before it,
fmt moves it with the key or item after it (the one it describes); and a check, after the
rewrite, that no comment was lost."""

from __future__ import annotations

class Comments:
    """Comment lines, taken out of the tree before it is rearranged and put back after.

    ruamel.yaml keeps a full-line comment with the value *before* it; ngocoord moves it with the
    key or item *after* it (the one it describes). A comment at the end of a line stays there.
    """

    def __init__(self) -> None:
        self.pre: dict[tuple[int, object], list[str]] = {}
        self.nodes: dict[int, object] = {}  # keeps ids valid while the tree is rearranged

    def has_pre(self, node) -> bool:
        return any(nid == id(node) and lines for (nid, _k), lines in self.pre.items())

    def detach(self, node, indent: int) -> list[str]:
        """(indent: the column of node's keys or dashes; what is nested sits two columns right.)
        Record the lines in front of every key/item but the first; return the lines after the node."""
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        self.nodes[id(node)] = node
        tail: list[str] = []
        for i, k in enumerate(keys):
            if i:
                self.pre[(id(node), k)] = tail
            value = node[k]
            if _is_block(value):
                tail = self.detach(value, indent + 2)
            else:
                tail = _split_slot(node, k)
        return tail

    def attach(self, node, indent: int, *, top: bool = False) -> None:
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        for i, k in enumerate(keys):
            value = node[k]
            if _is_block(value):
                self.attach(value, indent + 2)
            if i + 1 < len(keys):
                lines = self.pre.pop((id(node), keys[i + 1]), [])
                if lines:
                    self.append_after(node, k, lines, indent)
        for key in [key for key in self.pre if key[0] == id(node)]:
            # a key that came first after reordering: its lines go above it at the top of the
            # file, or after the mapping inside a list (nothing is dropped)
            lines = self.pre.pop(key)
            if not lines:
                continue
            if top:
                node.ca.comment = node.ca.comment or [None, []]
                node.ca.comment[1] = (node.ca.comment[1] or []) + [_token("".join(_reindent(x, 0) for x in lines))]
            elif keys:
                self.append_after(node, keys[-1], lines, indent)

    def append_after(self, container, key, lines: list[str], indent: int) -> None:
        holder, slot_key, pos = _last_slot(container, key)
        slots = holder.ca.items.setdefault(slot_key, [None, None, None, None])
        text = "".join(_reindent(line, indent) for line in lines)
        token = slots[pos]
        if token is None:
            slots[pos] = _token("\n" + text)
        else:
            eol, _rest = _split(token.value)
            token.value = eol + text


def _is_block(value) -> bool:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    return isinstance(value, (CommentedMap, CommentedSeq)) and len(value) > 0 and not value.fa.flow_style()


def _last_slot(container, key):
    """Where ruamel keeps the comments that follow container[key]: (holder, key, position)."""
    value = container[key]
    if _is_block(value):
        last = list(value)[-1] if isinstance(value, dict) else len(value) - 1
        return _last_slot(value, last)
    return container, key, (2 if isinstance(container, dict) else 0)


def _split(value: str) -> tuple[str, str]:
    """A comment token's text: (the end of the value's own line, the full lines after it)."""
    cut = value.find("\n")
    if cut < 0:
        return value, ""
    return value[: cut + 1], value[cut + 1:]


def _split_slot(container, key) -> list[str]:
    pos = 2 if isinstance(container, dict) else 0
    slots = container.ca.items.get(key)
    token = slots[pos] if slots else None
    if token is None:
        return []
    eol, rest = _split(token.value)
    if not rest:
        return []
    if eol == "\n" and not any(t is not None for i, t in enumerate(slots) if i != pos):
        slots[pos] = None
    else:
        token.value = eol
    if slots[pos] is None and not any(slots):
        del container.ca.items[key]
    return rest.splitlines(keepends=True)


def _reindent(line: str, indent: int) -> str:
    stripped = line.lstrip(" ")
    if not stripped.strip():
        return "\n"
    return " " * indent + stripped if stripped.startswith("#") else line


def _token(text: str):
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    return CommentToken(text, CommentMark(0), None)


def comments(text: str) -> list[tuple[int, int, str]]:
    """(line, column, text) of every comment, found the way YAML finds them: a '#' at the start of a line or
    after a blank, outside a quoted value (a quote opens one only where a value can begin)."""
    found = []
    quote = None
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), 1):
        previous = " "  # the last character that is not blank, or a blank at the start of the line
        at_blank = True
        i = 0
        while i < len(line):
            c = line[i]
            if quote is not None:
                if c == quote:
                    if quote == "'" and line[i + 1:i + 2] == "'":  # '' is a quote inside single quotes
                        i += 2
                        continue
                    quote = None
                elif c == "\\" and quote == '"':
                    i += 1
            elif c == "#" and at_blank:
                found.append((number, i + 1, line[i:].rstrip()))
                break
            elif c in "'\"" and previous in " :-[{,?":
                quote = c
            at_blank = c in " \t"
            if not at_blank:
                previous = c
            i += 1
    return found


def lost_comment(before: str, after: str) -> tuple[int, int, str] | None:
    """The first comment of `before` that `after` no longer holds (line, column, text), or None."""
    from collections import Counter

    left = Counter(text for _, _, text in comments(after))
    for line, column, text in comments(before):
        if left[text] > 0:
            left[text] -= 1
        else:
            return line, column, text
    return None
