"""lint --changed-since REF PATH...: of what the change is responsible for, only what is in the
files named; a named file that did not change shows only the problems the change caused in it."""

from __future__ import annotations

import json
import subprocess

import pytest
from typer.testing import CliRunner

from conftest import activity, dump, org, write_dataset
from ngocoord.cli import app

pytestmark = [pytest.mark.requires("git"), pytest.mark.usefixtures("plain_git")]
runner = CliRunner()


def git(repo, *args):
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """main: two activities name org-b, one names a partner that does not exist (an old problem).
    The branch deletes org-b, adds new-one (unknown partner) and edits edited (unknown partner)."""
    repo = tmp_path / "repo"
    write_dataset(repo / "data", [org("org-a"), org("org-b")],
                  [activity("uses-b", organization="org-b"), activity("uses-b-too", organization="org-b"),
                   activity("old-bad", partners=["nobody"]), activity("edited")])
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "dataset")
    git(repo, "checkout", "-q", "-b", "contribution")
    (repo / "data" / "organizations" / "org-b.yaml").unlink()
    for record in (activity("new-one", partners=["nobody-new"]), activity("edited", partners=["nobody-edited"])):
        (repo / "data" / "activities" / f"{record['id']}.yaml").write_text(dump("activity", record), encoding="utf-8")
    monkeypatch.chdir(repo)
    return repo


def lint(*args):
    result = runner.invoke(app, ["lint", "--format", "json", "--as-of", "2026-07-01", "--changed-since", "main", *args])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def found(report):
    """Each problem without the hint that ends its message."""
    return [(p["path"], p["rule"], p["message"].split(" (")[0]) for p in report["problems"]]


def test_without_paths_every_changed_file_and_every_file_the_change_broke(repo):
    report = lint()
    assert found(report) == [
        ("data/activities/edited.yaml", "unknown-reference", "there is no organization with the id 'nobody-edited'"),
        ("data/activities/new-one.yaml", "unknown-reference", "there is no organization with the id 'nobody-new'"),
        ("data/activities/uses-b-too.yaml", "unknown-reference", "there is no organization with the id 'org-b'"),
        ("data/activities/uses-b.yaml", "unknown-reference", "there is no organization with the id 'org-b'"),
    ]
    assert report["summary"] == {"files": 4, "errors": 4, "warnings": 0}


def test_named_files_keep_their_own_share_and_nothing_else(repo):
    """new-one changed: all its problems. uses-b did not: only what the change broke in it.
    old-bad did not either, and its problem is old. edited and uses-b-too are not named."""
    report = lint("data/activities/new-one.yaml", "data/activities/uses-b.yaml", "data/activities/old-bad.yaml")
    assert found(report) == [
        ("data/activities/new-one.yaml", "unknown-reference", "there is no organization with the id 'nobody-new'"),
        ("data/activities/uses-b.yaml", "unknown-reference", "there is no organization with the id 'org-b'"),
    ]
    assert report["summary"] == {"files": 2, "errors": 2, "warnings": 0}


def test_a_named_file_that_did_not_change_and_was_not_broken_has_nothing(repo):
    assert lint("data/activities/old-bad.yaml") == {"problems": [], "summary": {"files": 0, "errors": 0, "warnings": 0}}
