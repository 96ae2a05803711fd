"""ngocoord's node walker (yamlload._Builder) reads every value as PyYAML's own safe constructor
does, on real files, mutated ones and generated documents: the same mapping, with the same types.
Where they differ it is on purpose: what the walker refuses (anchors, aliases, tags, merge keys,
control characters) or records (duplicate keys, keys that are not words)."""

from __future__ import annotations

import yaml
from hypothesis import given
from hypothesis import strategies as st

from ngocoord.load.yamlload import load_text
from tests.test_fuzz import FUZZ, SEEDS, mutated

try:
    from yaml import CSafeLoader as _Base
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Base


class Reference(_Base):
    """PyYAML's safe loader; timestamps stay text, as ngocoord keeps them."""


Reference.add_constructor("tag:yaml.org,2002:timestamp", yaml.constructor.SafeConstructor.construct_yaml_str)


def typed(value):
    """The value with every scalar's type made part of it (True == 1 in Python, not here)."""
    if isinstance(value, dict):
        return {"dict": sorted((typed(k), typed(v)) for k, v in value.items())}
    if isinstance(value, list):
        return {"list": [typed(v) for v in value]}
    return (type(value).__name__, repr(value))


def compare(text: str) -> None:
    try:
        ours, builder = load_text(text)
    except yaml.YAMLError:
        ours, builder = None, None
    try:
        theirs = yaml.load(text, Loader=Reference)
    except (yaml.YAMLError, ValueError, KeyError, TypeError, RecursionError):  # PyYAML raises these for !!int abc
        # (a key that is not a word rejects the file: its value is never read)
        assert builder is None or builder.odd_keys, f"read what PyYAML cannot: {text!r}"
        return
    if builder is not None and not builder.duplicates and not builder.odd_keys:
        assert typed(ours) == typed(theirs), text
    refused_on_purpose = any(c in text for c in "&*!\\") or "<<" in text
    if not refused_on_purpose:
        assert builder is not None, f"refused what PyYAML reads: {text!r}"


@FUZZ
@given(mutated())
def test_mutated_files_read_as_pyyaml_reads_them(case):
    raw, _ = case
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return
    if "\x00" in text or len(text) > 20_000:
        return
    compare(text)


def test_real_files_read_as_pyyaml_reads_them():
    for raw, _ in SEEDS:
        compare(raw.decode("utf-8"))


SCALARS = st.sampled_from(["a", "yes", "No", "on", "~", "null", "", "12", "012", "0x1F", "1_000", "1:30", "-.inf", ".NaN",
                           "3.5e2", "2023-02-30", "2023-01-01 10:00:00", "'quoted'", '"dq"', "true", "y", "=", "0b101",
                           "+12", "-0", "1e3", "!!str 12", "!!int 12", "!!bool yes", "!!float 1", "!!null ~"])


@st.composite
def documents(draw, depth=0):
    """Small YAML documents in block and flow style, with the scalars YAML 1.1 reads as non-text."""
    kind = draw(st.sampled_from(["map", "list", "flow"] if depth < 3 else ["scalar"]))
    pad = "  " * depth
    if kind == "scalar":
        return draw(SCALARS)
    if kind == "flow":
        return "[" + ", ".join(draw(st.lists(SCALARS.filter(lambda s: s and s[0] not in "!'\""), max_size=3))) + "]"
    lines = []
    for i in range(draw(st.integers(1, 3))):
        inner = draw(documents(depth + 1))
        key = draw(st.sampled_from([f"k{i}", "yes", "1", "null", f"'k{i}'"]))
        head = f"{pad}{key}:" if kind == "map" else f"{pad}-"
        if "\n" in inner or inner.lstrip().startswith(("-", "k", "yes", "1:", "null:", "'")) and ":" in inner:
            lines.append(f"{head}\n{inner}")
        else:
            lines.append(f"{head} {inner}")
    return "\n".join(lines)


@FUZZ
@given(documents())
def test_generated_documents_read_as_pyyaml_reads_them(text):
    compare(text + "\n")
