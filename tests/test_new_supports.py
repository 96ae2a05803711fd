"""ngocoord new --source-supports: a contributor writes what each source states, and the file is
strict-clean (unsourced-activity, source-without-supports)."""

from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from conftest import activity, org, write_dataset
from ngocoord.cli import app

runner = CliRunner()
TODAY = dt.date.today().isoformat()
SUPPORTS = "Says ELAO's lawyers visited Erbil's women's prison weekly in 2025."


@pytest.fixture
def ds(tmp_path):
    sourced = [{"title": "Site", "url": "https://example.org", "date": "2026", "supports": "Says what they do."}]
    return write_dataset(tmp_path / "data", [org("org-a", sources=sourced)], [activity("act-1", sources=sourced)])


def new(root, *args):
    return runner.invoke(app, ["new", *args, "--data", str(root)])


def test_activity_with_supports_is_strict_clean(ds):
    result = new(ds, "activity", "--id", "elao-erbil", "--title", "Legal aid for women detainees", "--organization", "org-a",
                 "--sector", "protection", "--service", "legal-aid", "--area", "G1", "--status", "ongoing",
                 "--source-title", "ELAO annual report 2025", "--source-url", "https://example.org/ar-2025",
                 "--source-date", "2026-01", "--source-supports", SUPPORTS)
    assert result.exit_code == 0, result.output
    path = ds / "activities" / "elao-erbil.yaml"
    assert path.read_text(encoding="utf-8").endswith(
        f"last_reviewed: {TODAY}\nsources:\n  - title: ELAO annual report 2025\n    url: https://example.org/ar-2025\n"
        f"    date: 2026-01\n    supports: {SUPPORTS}\n")
    strict = runner.invoke(app, ["lint", str(path), "--strict", "--data", str(ds)])
    assert strict.stdout == "1 file checked: 0 errors, 0 warnings\n"
    assert strict.exit_code == 0


def test_supports_pairs_with_its_title(ds):
    result = new(ds, "organization", "--id", "elao", "--name", "ELAO", "--type", "nngo",
                 "--source-title", "A", "--source-title", "B", "--source-supports", "Says A.")
    assert result.exit_code == 0, result.output
    text = (ds / "organizations" / "elao.yaml").read_text(encoding="utf-8")
    assert "sources:\n  - title: A\n    supports: Says A.\n  - title: B\n" in text


def test_supports_without_a_title_is_refused(ds):
    result = new(ds, "organization", "--id", "elao", "--name", "ELAO", "--type", "nngo", "--source-supports", "Says A.")
    assert result.exit_code == 2
    assert "each --source-url, --source-date and --source-supports needs a --source-title before it" in result.output
    assert not (ds / "organizations" / "elao.yaml").exists()


def test_supports_over_300_characters_is_refused(ds):
    result = new(ds, "organization", "--id", "elao", "--name", "ELAO", "--type", "nngo",
                 "--source-title", "A", "--source-supports", "x" * 301)
    assert result.exit_code == 2
    assert "would not pass lint" in result.output and "supports" in result.output
    assert not (ds / "organizations" / "elao.yaml").exists()
