"""diff and history count pairs only where something changed; on a synthetic history (bench/synth.py)
they must find exactly what finding every pair of every state finds."""

from __future__ import annotations

import datetime as dt
import json
import sys

import pytest
from typer.testing import CliRunner

import ngocoord.analysis.whatchanged as whatchanged
from conftest import REPO
from ngocoord.cli import app

sys.path.insert(0, str(REPO / "bench"))
import synth  # noqa: E402

pytestmark = pytest.mark.requires("git")
runner = CliRunner()


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """400 activities on the real map, then 29 commits of rewrites, additions and removals, 2 weeks apart."""
    return synth.history(tmp_path_factory.mktemp("synthetic") / "repo", 400, commits=30, every_days=14)


def _run(*args: str) -> dict:
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("base, head", [("HEAD~1", "HEAD"), ("HEAD~6", "HEAD~2"), ("HEAD~29", "HEAD")])
@pytest.mark.parametrize("region", ["IQ", "kri", "IQG11"])
def test_diff_finds_the_pairs_comparing_every_pair_finds(synthetic, monkeypatch, base, head, region):
    monkeypatch.chdir(synthetic)
    args = ("diff", base, head, "--region", region, "--as-of", synth.AS_OF)
    incremental = _run(*args)
    monkeypatch.setattr(whatchanged, "INCREMENTAL_SHARE", -1)  # every state's pairs, all of them
    full = _run(*args)
    assert incremental == full
    if (base, region) == ("HEAD~29", "IQ"):
        assert full["duplicates"]["added"] and full["duplicates"]["removed"]  # the check compares something


@pytest.mark.parametrize("extra", [[], ["--sector", "protection"], ["--region", "kri", "--every", "quarter"]])
def test_history_counts_the_pairs_finding_every_pair_counts(synthetic, monkeypatch, extra):
    monkeypatch.chdir(synthetic)
    args = ("history", "--to", "2025-09-30", *extra)
    incremental = _run(*args)
    monkeypatch.setattr(whatchanged, "INCREMENTAL_SHARE", -1)
    full = _run(*args)
    assert incremental == full
    if not extra:  # the check compares counts that change from period to period
        assert len({p["duplicate_pairs"] for p in full["periods"]}) > 3


def test_at_and_history_agree_with_the_commands_run_on_each_state(synthetic, monkeypatch):
    monkeypatch.chdir(synthetic)
    periods = _run("history", "--region", "kri", "--to", "2025-03-31")["periods"]
    for p in periods:
        gaps = _run("gaps", "--region", "kri", "--as-of", p["end"], "--at", p["commit"])
        pairs = _run("duplicates", "--region", "kri", "--as-of", p["end"], "--at", p["commit"])
        assert p["gaps"] == len(gaps["gaps"]) and p["thin"] == len(gaps["thin"])
        assert p["duplicate_pairs"] == len(pairs["pairs"])
    assert [p["end"] for p in periods] == ["2024-07-31", "2024-08-31", "2024-09-30", "2024-10-31", "2024-11-30",
                                           "2024-12-31", "2025-01-31", "2025-02-28", "2025-03-31"]
    assert dt.date.fromisoformat(periods[0]["end"]) >= dt.date.fromisoformat(synth.HISTORY_START)
