"""Issue 11, defect 13: where a duplicated key's schema error points, an empty --changed-since,
and a revision holding a newline."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ngocoord.cli import app
from tests.conftest import activity, dump, org, write_dataset

runner = CliRunner()
AS_OF = "2026-07-01"


def test_a_duplicated_keys_schema_error_points_at_the_value_kept(tmp_path):
    root = write_dataset(tmp_path / "data", [org("org-a")], [])
    text = dump("activity", activity("act-1")).replace("status: ongoing\n", "status: ongoing\nnotes: x\nstatus: bogus\n")
    (root / "activities" / "act-1.yaml").write_text(text, encoding="utf-8")
    lines = text.splitlines()
    kept = lines.index("status: bogus") + 1
    result = runner.invoke(app, ["lint", "--data", str(root), "--format", "json", "--as-of", AS_OF])
    found = {(p["rule"], p["line"], p["column"]) for p in json.loads(result.stdout)["problems"]}
    assert ("duplicate-key", kept, 1) in found
    assert ("schema", kept, 9) in found
    assert not any(rule == "schema" and line == kept - 2 for rule, line, _ in found)


def test_an_empty_changed_since_is_a_usage_error(tiny):
    for ref in ("", "  "):
        result = runner.invoke(app, ["lint", "--data", str(tiny), "--changed-since", ref])
        assert result.exit_code == 2
        assert result.stderr == ("ngocoord: error: --changed-since needs a git revision (a branch, tag or commit, "
                                 "such as origin/main)\n")


@pytest.mark.parametrize("ref", ["main\nfake.yaml:1:1: error forged: line", "main\x1b[2J", "main\r"])
def test_a_revision_with_a_control_character_is_refused_escaped(tiny, ref):
    result = runner.invoke(app, ["lint", "--data", str(tiny), "--changed-since", ref])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "\x1b" not in result.stderr and "\r" not in result.stderr
    escaped = ref.replace("\n", "\\x0a").replace("\x1b", "\\x1b").replace("\r", "\\x0d")
    assert result.stderr == f"ngocoord: error: --changed-since '{escaped}' is not a git revision\n"
