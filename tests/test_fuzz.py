"""Fuzzing: real data files, mutated byte by byte and with YAML syntax, through the loader and lint.

Whatever the bytes, nothing raises, and a file that is rejected carries at least one problem
located inside it (line >= 1 and at most one past its last line, column >= 1 and at most one
past its longest line). A short run is part of the suite; a long one:

    NGOCOORD_FUZZ=long python3 -m pytest tests/test_fuzz.py --hypothesis-seed=1 -q   (or NGOCOORD_FUZZ=5000)
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ngocoord.cli import app
from ngocoord.load.dataset import document_from_bytes
from ngocoord.load.yamlload import parse
from tests.conftest import REPO, activity, org, write_dataset

LONG = os.environ.get("NGOCOORD_FUZZ", "") != ""  # "long": 20,000 examples a test; or a number
EXAMPLES = (20_000 if os.environ["NGOCOORD_FUZZ"] == "long" else int(os.environ["NGOCOORD_FUZZ"])) if LONG else 60
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None if LONG else settings.default.database,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])

SEEDS = [(p.read_bytes(), "organization" if p.parent.name == "organizations" else "activity")
         for folder in ("organizations", "activities") for p in sorted((REPO / "data" / folder).glob("*.yaml"))[:6]]
SEEDS += [((REPO / "data" / "codelists" / f"{kind}.yaml").read_bytes(), kind) for kind in ("sectors", "populations", "org-types")]
SYNTAX = ["-", "- ", ":", ": ", "[", "]", "{", "}", ",", "#", "&a ", "*a", "!", "!!python/object:os.system ", "|", ">",
          "'", '"', "%", "@", "`", "? ", "\t", "\n", "\r", "\r\n", "---\n", "...\n", "<<: ", "\ufeff", "\u2028",
          "\x85", "\x00", "\x07", "  ", "\\", "\"\\x", "\"\\e[2J\"", "\"\\x1b\"", "~", "null", "yes", "1:", "2023-02-30",
          "1e999", "0x1F", "99999999999999999999", "é", "💥", "!!int ", "!!float ", "!!bool ", "!!null ", "!!str ",
          "!!binary ", "!!set ", "!!omap ", "!!map ", "!!seq ", "!!timestamp "]


@st.composite
def mutated(draw):
    """A real file with a few random edits: bytes changed, YAML syntax inserted, cut, lines repeated."""
    raw, kind = draw(st.sampled_from(SEEDS))
    data = bytearray(raw)
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["byte", "syntax", "delete", "truncate", "duplicate-line", "indent"]))
        at = draw(st.integers(0, len(data)))
        if op == "byte":
            data[at:at + 1] = bytes([draw(st.integers(0, 255))])
        elif op == "syntax":
            data[at:at] = draw(st.sampled_from(SYNTAX)).encode()
        elif op == "delete":
            del data[at:at + draw(st.integers(1, 40))]
        elif op == "truncate":
            del data[at:]
        elif op == "duplicate-line":
            start = data.rfind(b"\n", 0, at) + 1
            end = data.find(b"\n", at)
            end = len(data) if end < 0 else end + 1
            data[start:start] = data[start:end]
        else:
            start = data.rfind(b"\n", 0, at) + 1
            data[start:start] = b" " * draw(st.integers(1, 5))
    return bytes(data), kind


def bounds(raw: bytes) -> tuple[int, int]:
    """The last line a problem may point at (one past the end), and the last column."""
    text = raw.decode("utf-8", "replace")
    lines = max(raw.count(b"\n"), len(text.splitlines())) + 1
    width = max((len(ln) for ln in text.splitlines()), default=0) + 1
    return lines, max(width, len(max(raw.split(b"\n"), key=len)) + 1)


def assert_located(problems, raw: bytes):
    last_line, last_col = bounds(raw)
    for p in problems:
        assert 1 <= p.line <= last_line and 1 <= p.column <= last_col, (p, last_line, last_col)


@FUZZ
@given(mutated())
def test_parse_never_raises_and_locates_what_it_rejects(sample):
    raw, _ = sample
    parsed = parse("fuzz.yaml", raw)
    if parsed.data is None:
        assert parsed.problems
    else:
        assert isinstance(parsed.data, dict)
    assert_located(parsed.problems, raw)


@FUZZ
@given(mutated())
def test_document_never_raises_and_explains_rejection(sample):
    raw, kind = sample
    doc = document_from_bytes(raw, kind, "fuzz.yaml")
    if not doc.valid:
        assert any(p.severity == "error" for p in doc.problems), doc.problems
    assert_located(doc.problems, raw)


@pytest.fixture(scope="module")
def dataset_dir():
    folder = Path(tempfile.mkdtemp(prefix="ngocoord-fuzz-"))
    root = write_dataset(folder / "data", [org("org-a")], [activity("act-1")])
    yield root
    shutil.rmtree(folder)


runner = CliRunner()


@FUZZ
@given(sample=mutated())
def test_lint_never_crashes_and_reports_each_rejected_file(dataset_dir, sample):
    raw, kind = sample
    folder = {"organization": "organizations", "activity": "activities"}.get(kind, "codelists")
    target = dataset_dir / folder / ("fuzzed.yaml" if folder != "codelists" else f"{kind}.yaml")
    before = target.read_bytes() if target.exists() else None
    target.write_bytes(raw)
    try:
        result = runner.invoke(app, ["lint", "--data", str(dataset_dir), "--format", "json", "--as-of", "2026-07-01"])
    finally:
        if folder == "codelists":
            target.write_bytes(before)
    assert result.exit_code in (0, 1), (result.exception, result.stderr)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    problems = [p for p in json.loads(result.stdout)["problems"] if p["path"] == str(target)]
    last_line, last_col = bounds(raw)
    for p in problems:
        assert 1 <= p["line"] <= last_line and 1 <= p["column"] <= last_col, p
    if not document_from_bytes(raw, kind, str(target)).valid:
        assert any(p["severity"] == "error" for p in problems) and result.exit_code == 1
