"""lint --changed-since REF in a real git repository: a pull request sees its own problems only."""

from __future__ import annotations

import json
import subprocess

import pytest
import yaml
from typer.testing import CliRunner

from conftest import activity, dump, org, write_dataset
from ngocoord.cli import app

pytestmark = pytest.mark.requires("git")
runner = CliRunner()


def git(repo, *args):
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """main: a dataset with two old problems (an unknown partner, an unknown service); then a branch."""
    repo = tmp_path / "repo"
    write_dataset(repo / "data",
                  [org("org-a"), org("org-b"), org("network")],
                  [activity("uses-b", organization="org-b"),
                   activity("old-bad-partner", partners=["nobody"]),
                   activity("old-bad-service", services=["no-such-service"]),
                   activity("uses-counselling", services=["psychosocial-support"])])
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "ci@example.org")
    git(repo, "config", "user.name", "CI")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "dataset")
    git(repo, "checkout", "-q", "-b", "contribution")
    monkeypatch.chdir(repo)
    return repo


def lint(*args):
    result = runner.invoke(app, ["lint", "--format", "json", "--as-of", "2026-07-01", *args])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def problems(report):
    return [(p["path"], p["rule"], p["message"].split(" (")[0]) for p in report["problems"]]


def write(repo, kind, record):
    folder = "organizations" if kind == "organization" else "activities"
    (repo / "data" / folder / f"{record['id']}.yaml").write_text(dump(kind, record), encoding="utf-8")


def commit(repo, message="change"):
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def test_the_whole_dataset_has_old_problems(repo):
    assert problems(lint()) == [
        ("data/activities/old-bad-partner.yaml", "unknown-reference", "there is no organization with the id 'nobody'"),
        ("data/activities/old-bad-service.yaml", "unknown-code", "unknown service 'no-such-service'"),
    ]


def test_no_change_no_problem(repo):
    assert lint("--changed-since", "main") == {"problems": [], "summary": {"files": 0, "errors": 0, "warnings": 0}}


def test_a_new_activity_is_checked_and_old_problems_are_not_reported(repo):
    write(repo, "activity", activity("new-one", organization="org-c", services=["legal-aid"]))
    commit(repo)
    report = lint("--changed-since", "main")
    assert problems(report) == [
        ("data/activities/new-one.yaml", "unknown-reference", "there is no organization with the id 'org-c'")]
    assert report["summary"] == {"files": 1, "errors": 1, "warnings": 0}


def test_uncommitted_and_untracked_files_count_as_changed(repo):
    write(repo, "activity", activity("untracked", sector="education"))
    path = repo / "data" / "organizations" / "org-a.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "notes: call Jane on +964 750 123 4567\n", encoding="utf-8")
    assert [(p, r) for p, r, _ in problems(lint("--changed-since", "main"))] == [
        ("data/activities/untracked.yaml", "service-sector"),
        ("data/organizations/org-a.yaml", "personal-data"),
    ]


def test_a_duplicated_id_is_reported_at_the_new_file_and_the_old_one(repo):
    path = repo / "data" / "organizations" / "org-a-again.yaml"
    path.write_text(dump("organization", org("org-a")), encoding="utf-8")
    commit(repo)
    found = problems(lint("--changed-since", "main"))
    assert [(p, r) for p, r, _ in found] == [
        ("data/organizations/org-a-again.yaml", "duplicate-id"),
        ("data/organizations/org-a-again.yaml", "id-mismatch"),
        ("data/organizations/org-a.yaml", "duplicate-id"),
        ("data/organizations/org-a.yaml", "possible-duplicate-organization"),
    ]
    assert found[0][2] == "the organization id 'org-a' is also used by data/organizations/org-a.yaml"
    assert found[2][2] == "the organization id 'org-a' is also used by data/organizations/org-a-again.yaml"


def test_a_deleted_organization_is_reported_where_it_is_still_named(repo):
    (repo / "data" / "organizations" / "org-b.yaml").unlink()
    commit(repo, "org-b closed")
    report = lint("--changed-since", "main")
    assert problems(report) == [
        ("data/activities/uses-b.yaml", "unknown-reference", "there is no organization with the id 'org-b'")]
    assert report["summary"] == {"files": 1, "errors": 1, "warnings": 0}  # the file where the problem shows


def test_a_renamed_organization_is_reported_where_the_old_id_is_named(repo):
    git(repo, "mv", "data/organizations/org-b.yaml", "data/organizations/org-b-renamed.yaml")
    path = repo / "data" / "organizations" / "org-b-renamed.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("id: org-b", "id: org-b-renamed"), encoding="utf-8")
    commit(repo)
    assert problems(lint("--changed-since", "main")) == [
        ("data/activities/uses-b.yaml", "unknown-reference", "there is no organization with the id 'org-b'")]


def test_a_code_removed_from_a_codelist_is_reported_where_it_is_used(repo):
    path = repo / "data" / "codelists" / "services.yaml"
    services = yaml.safe_load(path.read_text(encoding="utf-8"))
    services["services"] = [s for s in services["services"] if s["code"] != "psychosocial-support"]
    path.write_text(dump("services", services), encoding="utf-8")
    commit(repo)
    assert problems(lint("--changed-since", "main")) == [
        ("data/activities/uses-counselling.yaml", "unknown-code", "unknown service 'psychosocial-support'")]


def test_fixing_an_old_problem_passes(repo):
    write(repo, "activity", activity("old-bad-partner", partners=["network"]))
    commit(repo)
    assert lint("--changed-since", "main")["summary"] == {"files": 1, "errors": 0, "warnings": 0}


def test_main_moving_on_does_not_count_as_the_branch_changing(repo):
    write(repo, "activity", activity("branch-work"))
    commit(repo)
    git(repo, "checkout", "-q", "main")
    write(repo, "activity", activity("on-main", organization="org-gone"))
    commit(repo, "main moves on")
    git(repo, "checkout", "-q", "contribution")
    assert lint("--changed-since", "main") == {"problems": [], "summary": {"files": 1, "errors": 0, "warnings": 0}}


def test_an_unknown_ref_is_a_usage_error(repo):
    result = runner.invoke(app, ["lint", "--changed-since", "no-such-branch"])
    assert result.exit_code == 2
    assert result.stderr.startswith("ngocoord: error: --changed-since no-such-branch: ")
    assert "\n" not in result.stderr.rstrip("\n")


def test_old_problems_stay_old_when_the_repository_is_reached_through_a_link(repo, tmp_path, monkeypatch):
    link = tmp_path / "link"
    link.symlink_to(repo)
    monkeypatch.chdir(tmp_path)
    write(repo, "activity", activity("new-one", budget=100))
    report = lint("--changed-since", "main", "--data", "link/data")
    assert [(p["path"], p["rule"]) for p in report["problems"]] == [("link/data/activities/new-one.yaml", "schema")]
    assert report["summary"] == {"files": 1, "errors": 1, "warnings": 0}
