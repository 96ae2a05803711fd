"""fmt --changed-since: CI checks the form of the files a pull request changes, as lint does."""

from __future__ import annotations

import subprocess

import pytest
from typer.testing import CliRunner

from ngocoord.load.canonical import fmt as run_fmt
from ngocoord.cli import app
from tests.conftest import activity, org, write_dataset

pytestmark = pytest.mark.requires("git")


def git(repo, *args):
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
                   capture_output=True, text=True, check=True)


def test_only_the_changed_files_are_checked(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    data = write_dataset(repo / "data", [org("org-a")], [activity("old")])   # PyYAML's form: not canonical
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "old")
    write_dataset(repo / "data", [], [activity("new")])
    monkeypatch.chdir(repo)
    runner = CliRunner()
    changed = runner.invoke(app, ["fmt", "--check", "--data", "data", "--changed-since", "main"])
    assert changed.exit_code == 1
    assert changed.stdout == ("data/activities/new.yaml:1:1: error fmt: the file is not in the canonical form "
                              "(run 'ngocoord fmt data/activities/new.yaml')\n"
                              "1 file: 1 not canonical, 0 already canonical\n")
    run_fmt(data, [data / "activities" / "new.yaml"])
    clean = runner.invoke(app, ["fmt", "--check", "--data", "data", "--changed-since", "main"])
    assert clean.exit_code == 0 and clean.stdout == "1 file: 0 not canonical, 1 already canonical\n"
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "new")
    nothing = runner.invoke(app, ["fmt", "--check", "--data", "data", "--changed-since", "HEAD"])
    assert nothing.exit_code == 0 and nothing.stdout == "0 files: 0 not canonical, 0 already canonical\n"
    whole = runner.invoke(app, ["fmt", "--check", "--data", "data"])
    assert whole.exit_code == 1 and "old.yaml" in whole.stdout


def test_a_bad_ref_is_a_usage_error(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    write_dataset(repo / "data", [org("org-a")])
    git(repo, "init", "-q", "-b", "main")
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(app, ["fmt", "--check", "--data", "data", "--changed-since", "--output=x"])
    assert result.exit_code == 2 and "is not a git revision" in result.stderr
