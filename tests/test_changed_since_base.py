"""lint --changed-since REF judges the base (where the branch left REF) as the work tree is judged:
on the same --as-of day, with the same --strict, under the same option's name in its errors."""

from __future__ import annotations

import datetime as dt
import json
import subprocess

import pytest
from typer.testing import CliRunner

from conftest import activity, dump, org, write_dataset
from ngocoord.check.changes import dataset_at, lint_changed
from ngocoord.cli import app
from ngocoord.problems import UsageError

pytestmark = [pytest.mark.requires("git"), pytest.mark.usefixtures("plain_git")]
runner = CliRunner()
DAY = dt.date(2026, 7, 1)


def git(repo, *args):
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def commit(repo, message="change"):
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """main: org-a, org-b, and uses-b (which names org-b); none cites a source. Then a branch."""
    repo = tmp_path / "repo"
    write_dataset(repo / "data", [org("org-a"), org("org-b")], [activity("uses-b", organization="org-b")])
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "dataset")
    git(repo, "checkout", "-q", "-b", "contribution")
    monkeypatch.chdir(repo)
    return repo


def add_activity(repo, record):
    (repo / "data" / "activities" / f"{record['id']}.yaml").write_text(dump("activity", record), encoding="utf-8")


def lint(*args):
    result = runner.invoke(app, ["lint", "--format", "json", "--changed-since", "main", *args])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def found(report):
    return [(p["path"], p["rule"]) for p in report["problems"]]


def test_records_already_stale_at_the_base_on_the_day_of_the_check_are_old(repo):
    """On 2099-01-01 every record reviewed in 2026 is stale, at the base as much as now: the base is
    judged on the --as-of day, not today, or each unchanged record would be blamed on the branch."""
    add_activity(repo, activity("new-one", last_reviewed="2098-12-01"))
    (repo / "data" / "organizations" / "org-b.yaml").unlink()  # a change that breaks uses-b elsewhere
    report = lint("--as-of", "2099-01-01")
    assert found(report) == [("data/activities/uses-b.yaml", "unknown-reference")]
    assert report["summary"] == {"files": 2, "errors": 1, "warnings": 0}


def test_strict_warnings_of_unchanged_records_are_old_and_those_of_changed_ones_are_new(repo):
    add_activity(repo, activity("new-one"))
    (repo / "data" / "organizations" / "org-b.yaml").unlink()
    report = lint("--as-of", "2026-07-01", "--strict")
    assert found(report) == [("data/activities/new-one.yaml", "unsourced-activity"),
                             ("data/activities/uses-b.yaml", "unknown-reference")]
    assert report["summary"] == {"files": 2, "errors": 1, "warnings": 1}


def test_lint_changed_is_not_strict_unless_asked(repo):
    add_activity(repo, activity("new-one", partners=["nobody"]))
    result = lint_changed(repo / "data", None, "main", as_of=DAY)
    assert [(p.path, p.rule) for p in result.problems] == [("data/activities/new-one.yaml", "unknown-reference")]
    assert result.files == 1


def test_the_base_dataset_names_the_option_in_its_errors(repo):
    with pytest.raises(UsageError) as raised:
        dataset_at(repo / "data", "no-such-branch", as_of=DAY)
    assert str(raised.value) == f"--changed-since no-such-branch: unknown revision 'no-such-branch' (not a commit of {repo})"


def test_the_base_dataset_is_the_one_where_the_branch_left(repo):
    add_activity(repo, activity("branch-work"))
    commit(repo, "branch work")
    git(repo, "checkout", "-q", "main")
    add_activity(repo, activity("on-main"))
    commit(repo, "main moves on")
    git(repo, "checkout", "-q", "contribution")
    base = dataset_at(repo / "data", "main", as_of=DAY)
    assert [d.path for d in base.documents if d.kind == "activity"] == ["data/activities/uses-b.yaml"]
    assert base.as_of == DAY


def test_a_changed_record_is_judged_on_the_day_of_the_check(repo):
    add_activity(repo, activity("new-one", last_reviewed="2026-06-01"))
    report = lint("--as-of", "2099-01-01")
    assert found(report) == [("data/activities/new-one.yaml", "stale")]
    assert report["summary"] == {"files": 1, "errors": 0, "warnings": 1}
