"""unsourced-activity and source-without-supports: reported by `lint --strict` only, exactly located."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ngocoord.cli import app
from ngocoord.check.lint import lint
from tests.conftest import activity, org, write_dataset
from tests.lintcase import A, ACT_2, AS_OF, O, ORG_C

SOURCED = """\
sources:
  - title: Annual report 2025
    url: https://example.org/report-2025
    date: 2026-01
    supports: Says Org A gives legal aid in Soran since 2025.
"""


def dataset(root: Path, files: dict[str, str]) -> Path:
    """Base records that satisfy the strict rules, plus `files` (path under data/ -> text)."""
    good = {"title": "Site", "url": "https://example.org", "date": "2026", "supports": "Says what it does."}
    data = write_dataset(root / "data", [org("org-a", sources=[good]), org("org-b", type="ingo", sources=[good])],
                         [activity("act-1", sources=[good])])
    for rel, text in files.items():
        (data / rel).write_text(text, encoding="utf-8")
    return data


def problems(root: Path, files: dict[str, str], *, strict: bool = True) -> list[str]:
    dataset(root, files)
    here = os.getcwd()
    os.chdir(root)
    try:
        result = lint(Path("data"), as_of=dt.date.fromisoformat(AS_OF), strict=strict)
    finally:
        os.chdir(here)
    return [p.text() for p in result.problems]


CASES = {
    "activity-without-sources": ({"activities/act-2.yaml": ACT_2}, [
        f"{A}:2:5: warning unsourced-activity: the activity cites no source "
        "(add the public page or report it rests on, with its url)"]),
    "activity-sources-without-url": ({"activities/act-2.yaml": ACT_2 + "sources:\n  - title: A talk\n    supports: Says so.\n"}, [
        f"{A}:12:3: warning unsourced-activity: no source has a url (add the public page or report it rests on, with its url)"]),
    "activity-source-without-supports": ({"activities/act-2.yaml": ACT_2 + "sources:\n  - title: Annual report\n    url: https://example.org/r\n"}, [
        f"{A}:12:5: warning source-without-supports: the source 'Annual report' does not say what it supports "
        "(add 'supports:' saying, in your own words, what this source states)"]),
    "organization-second-source-without-supports": (
        {"organizations/org-c.yaml": ORG_C + SOURCED + "  - title: Wikipedia\n    url: https://en.wikipedia.org/wiki/X\n"}, [
        f"{O}:11:5: warning source-without-supports: the source 'Wikipedia' does not say what it supports "
        "(add 'supports:' saying, in your own words, what this source states)"]),
}


@pytest.mark.parametrize("name", CASES)
def test_strict_source_rules(tmp_path, name):
    files, expected = CASES[name]
    assert problems(tmp_path, files) == expected


def test_not_reported_without_strict(tmp_path):
    files, _ = CASES["activity-without-sources"]
    assert problems(tmp_path, files, strict=False) == []


def test_a_sourced_activity_is_clean(tmp_path):
    assert problems(tmp_path, {"activities/act-2.yaml": ACT_2 + SOURCED}) == []


def test_an_organization_need_not_have_a_source(tmp_path):
    assert problems(tmp_path, {"organizations/org-c.yaml": ORG_C}) == []


def test_cli_strict_reports_and_fails(tmp_path, monkeypatch):
    data = dataset(tmp_path, {"activities/act-2.yaml": ACT_2})
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    plain = runner.invoke(app, ["lint", "data", "--as-of", AS_OF, "--format", "json"])
    assert plain.exit_code == 0, plain.output
    assert json.loads(plain.stdout)["summary"] == {"files": 9, "errors": 0, "warnings": 0}
    strict = runner.invoke(app, ["lint", str(data.relative_to(tmp_path)), "--strict", "--as-of", AS_OF, "--format", "json"])
    assert strict.exit_code == 1
    found = json.loads(strict.stdout)["problems"]
    assert [(p["path"], p["line"], p["rule"]) for p in found] == [(A, 2, "unsourced-activity")]


def test_explain_says_it_is_strict_only():
    result = CliRunner().invoke(app, ["lint", "--explain", "unsourced-activity"])
    assert result.exit_code == 0
    assert result.stdout.startswith("unsourced-activity (warning)\n\n(--strict only) No source of this activity has a web address")
