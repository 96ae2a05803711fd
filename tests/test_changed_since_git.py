"""lint --changed-since REF against every way git can hold a change, one real repository per case.

Each repository starts on main with a dataset holding one old problem (old-bad-partner names an
organization that does not exist); the contribution branch leaves main there. What a case changes
carries a problem of its own, of a kind that only shows when the changed file itself is checked
(a YAML syntax error, a schema error, an id that disagrees with the file name), so nothing but
the changed-file set can make it appear.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from conftest import activity, dump, org, write_dataset
from ngocoord.cli import app

pytestmark = [pytest.mark.requires("git"), pytest.mark.usefixtures("plain_git")]
runner = CliRunner()

BROKEN_YAML = "id: uses-b\ntitle: [unclosed\n"
OLD_PROBLEM = ("data/activities/old-bad-partner.yaml", "unknown-reference")


def git(repo, *args):
    import subprocess

    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def repo(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    write_dataset(repo / "data", [org("org-a"), org("org-b")],
                  [activity("uses-b", organization="org-b"), activity("old-bad-partner", partners=["nobody"])])
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "dataset")
    git(repo, "checkout", "-q", "-b", "contribution")
    monkeypatch.chdir(repo)
    return repo


def commit(repo, message="change"):
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def path_of(repo, name):
    folder = "organizations" if name.startswith("org-") else "activities"
    return repo / "data" / folder / f"{name}.yaml"


def lint(*args):
    result = runner.invoke(app, ["lint", "--format", "json", "--as-of", "2026-07-01", "--changed-since", "main", *args])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def found(report):
    return [(p["path"], p["rule"]) for p in report["problems"]]


def test_the_old_problem_is_there_but_not_the_branchs(repo):
    result = runner.invoke(app, ["lint", "--format", "json", "--as-of", "2026-07-01"])
    assert found(json.loads(result.stdout)) == [OLD_PROBLEM]
    assert lint() == {"problems": [], "summary": {"files": 0, "errors": 0, "warnings": 0}}


def test_an_uncommitted_edit_of_a_tracked_file_is_checked(repo):
    path_of(repo, "uses-b").write_text(BROKEN_YAML, encoding="utf-8")
    report = lint()
    assert found(report) == [("data/activities/uses-b.yaml", "yaml-syntax")]
    assert report["summary"] == {"files": 1, "errors": 1, "warnings": 0}


def test_a_staged_but_uncommitted_edit_is_checked(repo):
    path_of(repo, "uses-b").write_text(BROKEN_YAML, encoding="utf-8")
    git(repo, "add", "data/activities/uses-b.yaml")
    assert found(lint()) == [("data/activities/uses-b.yaml", "yaml-syntax")]


def test_a_staged_new_file_is_checked(repo):
    path_of(repo, "staged-new").write_text(dump("activity", activity("staged-new", budget=5)), encoding="utf-8")
    git(repo, "add", "data/activities/staged-new.yaml")
    assert found(lint()) == [("data/activities/staged-new.yaml", "schema")]


def test_an_untracked_file_is_checked(repo):
    path_of(repo, "untracked").write_text(BROKEN_YAML.replace("uses-b", "untracked"), encoding="utf-8")
    report = lint()
    assert found(report) == [("data/activities/untracked.yaml", "yaml-syntax")]
    assert report["summary"] == {"files": 1, "errors": 1, "warnings": 0}


def test_an_ignored_file_is_not_checked(repo):
    (repo / ".gitignore").write_text("scratch-*.yaml\n", encoding="utf-8")
    path_of(repo, "scratch-notes").write_text(BROKEN_YAML, encoding="utf-8")
    assert lint()["problems"] == []


def test_a_file_changed_on_main_after_the_branch_left_is_not_the_branchs_change(repo):
    """The diff is taken from where the branch left main (REF...HEAD), not from main's tip (REF..HEAD):
    main edited old-bad-partner after the split, so main's tip and the branch differ in it,
    but the branch never touched it and its old problem is not the branch's to fix."""
    git(repo, "checkout", "-q", "main")
    path = path_of(repo, "old-bad-partner")
    path.write_text(path.read_text(encoding="utf-8").replace("title: old bad partner", "title: renamed on main"),
                    encoding="utf-8")
    commit(repo, "main moves on")
    git(repo, "checkout", "-q", "contribution")
    path_of(repo, "branch-work").write_text(dump("activity", activity("branch-work")), encoding="utf-8")
    commit(repo, "branch work")
    assert lint() == {"problems": [], "summary": {"files": 1, "errors": 0, "warnings": 0}}


def test_a_renamed_file_is_checked_under_its_new_name(repo):
    git(repo, "mv", "data/activities/uses-b.yaml", "data/activities/uses-b-moved.yaml")
    commit(repo, "rename without changing the id")
    report = lint()
    assert found(report) == [("data/activities/uses-b-moved.yaml", "id-mismatch")]
    assert report["summary"] == {"files": 1, "errors": 1, "warnings": 0}


def test_a_renamed_file_with_an_old_problem_brings_it_along(repo):
    """A renamed file is a changed file: every check runs on it, the old problem included."""
    git(repo, "mv", "data/activities/old-bad-partner.yaml", "data/activities/still-bad-partner.yaml")
    path = path_of(repo, "still-bad-partner")
    path.write_text(path.read_text(encoding="utf-8").replace("id: old-bad-partner", "id: still-bad-partner"),
                    encoding="utf-8")
    commit(repo)
    assert found(lint()) == [("data/activities/still-bad-partner.yaml", "unknown-reference")]


@pytest.mark.parametrize("committed", [True, False])
def test_a_deleted_file_is_no_changed_file(repo, committed):
    path_of(repo, "old-bad-partner").unlink()
    if committed:
        commit(repo, "delete")
    assert lint() == {"problems": [], "summary": {"files": 0, "errors": 0, "warnings": 0}}


def test_deleting_what_others_name_is_reported_where_it_is_named(repo):
    path_of(repo, "org-b").unlink()  # uncommitted: the work tree is what is checked
    assert found(lint()) == [("data/activities/uses-b.yaml", "unknown-reference")]


def test_a_merge_of_main_into_the_branch_brings_none_of_mains_changes(repo):
    git(repo, "checkout", "-q", "main")
    path_of(repo, "on-main").write_text(BROKEN_YAML.replace("uses-b", "on-main"), encoding="utf-8")
    path = path_of(repo, "old-bad-partner")
    path.write_text(path.read_text(encoding="utf-8").replace("title: old bad partner", "title: edited on main"),
                    encoding="utf-8")
    commit(repo, "main moves on, with a broken file of its own")
    git(repo, "checkout", "-q", "contribution")
    path_of(repo, "branch-work").write_text(dump("activity", activity("branch-work", budget=1)), encoding="utf-8")
    commit(repo, "branch work")
    git(repo, "merge", "-q", "--no-edit", "--no-ff", "main")
    assert len(git(repo, "rev-list", "--parents", "-n", "1", "HEAD").split()) == 3  # HEAD is a merge commit
    report = lint()
    assert found(report) == [("data/activities/branch-work.yaml", "schema")]
    assert report["summary"] == {"files": 1, "errors": 1, "warnings": 0}


def test_a_merged_feature_branch_counts_as_the_branchs_change(repo):
    git(repo, "checkout", "-q", "-b", "feature")
    path_of(repo, "feature-work").write_text(BROKEN_YAML.replace("uses-b", "feature-work"), encoding="utf-8")
    commit(repo, "feature")
    git(repo, "checkout", "-q", "contribution")
    path_of(repo, "branch-work").write_text(dump("activity", activity("branch-work")), encoding="utf-8")
    commit(repo, "branch work")
    git(repo, "merge", "-q", "--no-edit", "--no-ff", "feature")
    assert found(lint()) == [("data/activities/feature-work.yaml", "yaml-syntax")]


def shallow_clone(repo, tmp_path, monkeypatch):
    """A clone of the branch's tip alone, as actions/checkout makes by default (fetch-depth: 1)."""
    path_of(repo, "branch-work").write_text(dump("activity", activity("branch-work")), encoding="utf-8")
    commit(repo, "branch work")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "contribution", f"file://{repo}", str(clone))
    assert git(clone, "rev-parse", "--is-shallow-repository").strip() == "true"
    monkeypatch.chdir(clone)
    return clone


def usage_error(ref):
    result = runner.invoke(app, ["lint", "--changed-since", ref])
    assert result.exit_code == 2, result.output
    assert result.stdout == "" and "Traceback" not in result.output
    assert result.stderr.count("\n") == 1
    return result.stderr


HINT = ("this clone is shallow and lacks the history to compare with: fetch it "
        "('git fetch --unshallow', or fetch-depth: 0 in actions/checkout)")


def test_a_shallow_clone_without_the_base_branch_says_the_history_is_missing(repo, tmp_path, monkeypatch):
    shallow_clone(repo, tmp_path, monkeypatch)
    message = usage_error("origin/main")
    assert message.startswith("ngocoord: error: --changed-since origin/main: ")
    assert message.endswith(f" ({HINT})\n")


def test_a_shallow_clone_with_a_shallow_base_branch_says_the_history_is_missing(repo, tmp_path, monkeypatch):
    clone = shallow_clone(repo, tmp_path, monkeypatch)
    git(clone, "fetch", "-q", "--depth", "1", "origin", "main:refs/remotes/origin/main")
    message = usage_error("origin/main")
    assert message == f"ngocoord: error: --changed-since origin/main: fatal: origin/main...HEAD: no merge base ({HINT})\n"


def test_a_shallow_clone_works_once_the_history_is_fetched(repo, tmp_path, monkeypatch):
    clone = shallow_clone(repo, tmp_path, monkeypatch)
    git(clone, "fetch", "-q", "--unshallow", "origin", "main:refs/remotes/origin/main")
    result = runner.invoke(app, ["lint", "--format", "json", "--as-of", "2026-07-01", "--changed-since", "origin/main"])
    assert json.loads(result.stdout) == {"problems": [], "summary": {"files": 1, "errors": 0, "warnings": 0}}


def test_an_unknown_ref_in_a_full_clone_gets_no_shallow_hint(repo):
    assert usage_error("no-such-branch") == \
        f"ngocoord: error: --changed-since no-such-branch: unknown revision 'no-such-branch' (not a commit of {repo})\n"


def test_a_dataset_outside_any_repository_is_a_usage_error(tmp_path, monkeypatch):
    write_dataset(tmp_path / "data", [org("org-a")], [activity("act-1")])
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))  # never find a repository above
    assert usage_error("main") == f"ngocoord: error: --changed-since main: {tmp_path / 'data'} is not in a git repository\n"


def test_a_dataset_outside_the_repository_of_the_working_directory_is_a_usage_error(tmp_path, monkeypatch):
    """The repository is the dataset's, never the one the command happens to run in."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    git(elsewhere, "init", "-q", "-b", "main")
    git(elsewhere, "commit", "-q", "--allow-empty", "-m", "unrelated")
    data = write_dataset(tmp_path / "outside" / "data", [org("org-a")], [activity("act-1")])
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    result = runner.invoke(app, ["lint", "--data", str(data), "--changed-since", "main"])
    assert result.exit_code == 2
    assert result.stderr == f"ngocoord: error: --changed-since main: {data} is not in a git repository\n"


def test_old_problems_of_yml_files_stay_old(repo):
    """Record files may end in .yml: their problems at the base are old problems too."""
    git(repo, "checkout", "-q", "main")
    (repo / "data" / "activities" / "old-yml.yml").write_text(
        dump("activity", activity("old-yml", partners=["nobody-either"])), encoding="utf-8")
    commit(repo, "an activity in a .yml file")
    git(repo, "checkout", "-q", "contribution")
    git(repo, "merge", "-q", "--ff-only", "main")
    path_of(repo, "branch-work").write_text(dump("activity", activity("branch-work")), encoding="utf-8")
    full = runner.invoke(app, ["lint", "--format", "json", "--as-of", "2026-07-01"])
    assert ("data/activities/old-yml.yml", "unknown-reference") in found(json.loads(full.stdout))
    assert lint() == {"problems": [], "summary": {"files": 1, "errors": 0, "warnings": 0}}


def test_a_stray_file_among_the_codelists_at_the_base_is_ignored(repo):
    git(repo, "checkout", "-q", "main")
    (repo / "data" / "codelists" / "notes.yaml").write_text("about: these lists\n", encoding="utf-8")
    commit(repo, "notes")
    git(repo, "checkout", "-q", "contribution")
    git(repo, "merge", "-q", "--ff-only", "main")
    path_of(repo, "org-b").unlink()  # a change whose effect elsewhere is judged against the base
    assert found(lint()) == [("data/activities/uses-b.yaml", "unknown-reference")]


def test_without_git_the_option_says_so(tmp_path, monkeypatch):
    write_dataset(tmp_path / "data", [org("org-a")], [activity("act-1")])
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    assert usage_error("main") == "ngocoord: error: --changed-since main needs git, which is not installed\n"


def test_a_git_that_fails_without_a_word_is_reported_as_failing(tmp_path, monkeypatch):
    write_dataset(tmp_path / "data", [org("org-a")], [activity("act-1")])
    programs = tmp_path / "bin"
    programs.mkdir()
    (programs / "git").write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    (programs / "git").chmod(0o755)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", str(programs))
    assert usage_error("main") == "ngocoord: error: --changed-since main: git failed\n"


def test_a_dataset_that_is_the_repository_itself_reached_through_a_link(tmp_path, monkeypatch):
    repo = write_dataset(tmp_path / "repo", [org("org-a")], [activity("act-1")])
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "dataset")
    (repo / "activities" / "new-one.yaml").write_text(dump("activity", activity("new-one", budget=1)), encoding="utf-8")
    (tmp_path / "link").symlink_to(repo)
    monkeypatch.chdir(tmp_path)
    report = lint("--data", "link")
    assert found(report) == [("link/activities/new-one.yaml", "schema")]
    assert report["summary"] == {"files": 1, "errors": 1, "warnings": 0}


def test_files_outside_the_dataset_are_neither_checked_nor_counted(repo):
    """docs/ is as long as data/: a name cut by the wrong prefix would land on a dataset file."""
    (repo / "README.md").write_text("# The dataset\n", encoding="utf-8")
    (repo / "docs" / "activities").mkdir(parents=True)
    (repo / "docs" / "activities" / "old-bad-partner.yaml").write_text("an: example\n", encoding="utf-8")
    commit(repo, "documentation")
    assert lint() == {"problems": [], "summary": {"files": 0, "errors": 0, "warnings": 0}}
