"""How lint runs (ngocoord.check.lint): the files named, --strict, --as-of and --at reach every way
of running it, the remembered result is taken only for the same files, day, strictness and file
contents, and a revision git would read as an option is refused by name."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess

import pytest
from typer.testing import CliRunner

from conftest import activity, dump, org, write_dataset
from ngocoord.check.lint import lint, lint_dataset
from ngocoord.cli import app
from ngocoord.load.dataset import load_dataset

runner = CliRunner()
DAY = dt.date(2026, 7, 1)


@pytest.fixture
def data(tmp_path, monkeypatch):
    """uses-b names org-b; bad-partner names an organization that does not exist; broken is no YAML.
    No activity cites a source (a --strict warning); all were reviewed on 2026-06-01."""
    root = write_dataset(tmp_path / "data", [org("org-a"), org("org-b")],
                         [activity("uses-b", organization="org-b"), activity("bad-partner", partners=["nobody"])])
    (root / "activities" / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return root


def run(*args):
    result = runner.invoke(app, ["lint", "--format", "json", "--data", "data", *args])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def found(report):
    return [(p["path"], p["rule"]) for p in report["problems"]]


WHOLE = [("data/activities/bad-partner.yaml", "unknown-reference"), ("data/activities/broken.yaml", "yaml-syntax")]


def test_the_whole_dataset(data):
    report = run("--as-of", "2026-07-01")
    assert found(report) == WHOLE
    assert report["summary"] == {"files": 10, "errors": 2, "warnings": 0}


def test_a_named_file_has_only_its_own_problems_and_counts_alone(data):
    report = run("--as-of", "2026-07-01", "data/activities/broken.yaml")
    assert found(report) == [("data/activities/broken.yaml", "yaml-syntax")]
    assert report["summary"] == {"files": 1, "errors": 1, "warnings": 0}
    report = run("--as-of", "2026-07-01", "data/activities/bad-partner.yaml")
    assert found(report) == [("data/activities/bad-partner.yaml", "unknown-reference")]
    assert report["summary"] == {"files": 1, "errors": 1, "warnings": 0}


def test_strict_and_as_of_reach_the_rules(data):
    report = run("--as-of", "2099-01-01", "--strict", "data/activities/uses-b.yaml")
    assert found(report) == [("data/activities/uses-b.yaml", "unsourced-activity"), ("data/activities/uses-b.yaml", "stale")]


def test_the_pure_functions_are_not_strict_unless_asked(data):
    assert [(p.path, p.rule) for p in lint(data, as_of=DAY).problems] == WHOLE
    assert [(p.path, p.rule) for p in lint_dataset(load_dataset(data, as_of=DAY)).problems] == WHOLE


def test_a_remembered_result_is_taken_only_for_the_same_files_strictness_and_day(data):
    assert found(run("--as-of", "2026-07-01")) == WHOLE
    assert found(run("--as-of", "2026-07-01", "data/activities/bad-partner.yaml")) == WHOLE[:1]
    assert found(run("--as-of", "2026-07-01", "--strict", "data/activities/uses-b.yaml")) == [
        ("data/activities/uses-b.yaml", "unsourced-activity")]
    assert found(run("--as-of", "2026-07-01", "data/activities/uses-b.yaml")) == []
    assert found(run("--as-of", "2099-01-01", "data/activities/uses-b.yaml")) == [("data/activities/uses-b.yaml", "stale")]
    assert found(run("--as-of", "2026-07-01")) == WHOLE


def test_a_remembered_result_is_not_taken_once_any_file_changed(data):
    assert found(run("--as-of", "2026-07-01")) == WHOLE
    (data / "organizations" / "org-b.yaml").write_text(dump("organization", org("org-c")), encoding="utf-8")
    assert found(run("--as-of", "2026-07-01")) == [
        ("data/activities/bad-partner.yaml", "unknown-reference"), ("data/activities/broken.yaml", "yaml-syntax"),
        ("data/activities/uses-b.yaml", "unknown-reference"), ("data/organizations/org-b.yaml", "id-mismatch")]


def test_a_remembered_result_is_not_taken_once_an_unread_file_fails_another_way(data, tmp_path):
    """A file that could not be read has no content to key on: its problems stand in for it."""
    link = data / "activities" / "linked.yaml"
    (tmp_path / "outside.yaml").write_text(dump("activity", activity("linked")), encoding="utf-8")
    link.symlink_to(tmp_path / "outside.yaml")
    assert ("data/activities/linked.yaml", "symlink") in found(run("--as-of", "2026-07-01"))
    link.unlink()
    link.symlink_to(data / "activities" / "gone.yaml")  # inside the dataset, but leads nowhere
    assert ("data/activities/linked.yaml", "unreadable") in found(run("--as-of", "2026-07-01"))


def test_a_revision_that_reads_as_an_option_is_refused_by_name(data):
    result = runner.invoke(app, ["lint", "--data", "data", "--changed-since=--output=x"])
    assert result.exit_code == 2
    assert result.stderr == "ngocoord: error: --changed-since '--output=x' is not a git revision\n"


@pytest.mark.requires("git")
def test_at_reads_the_commit_with_the_files_named_strict_and_the_day(data, tmp_path, monkeypatch):
    env = {**os.environ, "GIT_CONFIG_GLOBAL": str(tmp_path / "no-config"), "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "CI", "GIT_AUTHOR_EMAIL": "ci@example.org",
           "GIT_COMMITTER_NAME": "CI", "GIT_COMMITTER_EMAIL": "ci@example.org"}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "dataset"]):
        subprocess.run(["git", "-C", str(data), *args], check=True, capture_output=True, env=env)
    (data / "activities" / "uses-b.yaml").write_text(  # the work tree moves on; --at reads the commit
        dump("activity", activity("uses-b", organization="org-b", last_reviewed="2098-12-01")), encoding="utf-8")
    result = runner.invoke(app, ["lint", "--format", "json", "--data", "data", "--at", "main",
                                 "--as-of", "2099-01-01", "--strict", "data/activities/uses-b.yaml"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert found(report) == [("data/activities/uses-b.yaml", "unsourced-activity"), ("data/activities/uses-b.yaml", "stale")]
    assert report["summary"] == {"files": 1, "errors": 0, "warnings": 2}
    plain = json.loads(runner.invoke(app, ["lint", "--format", "json", "--data", "data", "--at", "main",
                                           "--as-of", "2026-07-01"]).stdout)
    assert found(plain) == WHOLE
    both = runner.invoke(app, ["lint", "--data", "data", "--at", "main", "--changed-since", "main"])
    assert both.exit_code == 2
    assert both.stderr == "ngocoord: error: --at and --changed-since exclude each other: give one\n"


def test_a_run_reads_the_folder_once_so_the_result_is_remembered_under_what_was_read(data, monkeypatch):
    """The cache key and the result come from the same scan: a file changed between two scans
    would otherwise leave a result remembered under the key of other contents."""
    from ngocoord.load import snapshot

    scans = []
    real_scan = snapshot.scan

    def counted(root):
        scans.append(root)
        return real_scan(root)

    monkeypatch.setattr(snapshot, "scan", counted)
    assert found(run("--as-of", "2026-07-01")) == WHOLE
    assert len(scans) == 1
