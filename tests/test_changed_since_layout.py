"""lint --changed-since REF when the dataset folder is not inside its repository's work tree (a
.git file pointing at a repository whose core.worktree is another folder): the files git names
are that other folder's, and none of them is taken for a dataset file of the same name."""

from __future__ import annotations

import json
import subprocess

import pytest
from typer.testing import CliRunner

from conftest import activity, dump, org, write_dataset
from ngocoord.cli import app

pytestmark = [pytest.mark.requires("git"), pytest.mark.usefixtures("plain_git")]
runner = CliRunner()


def git(*args):
    done = subprocess.run(["git", *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_changes_in_the_work_tree_elsewhere_are_not_the_datasets(tmp_path, monkeypatch):
    work_tree, git_dir = tmp_path / "elsewhere", tmp_path / "repo.git"
    write_dataset(work_tree, [org("org-a")], [activity("act-1")])
    data = write_dataset(tmp_path / "data", [org("org-a")], [activity("act-1")])
    git("init", "-q", "-b", "main", f"--separate-git-dir={git_dir}", str(work_tree))
    git("-C", str(work_tree), "add", "-A")
    git("-C", str(work_tree), "commit", "-q", "-m", "dataset")
    git("--git-dir", str(git_dir), "config", "core.worktree", str(work_tree))
    (data / ".git").write_text(f"gitdir: {git_dir}\n", encoding="utf-8")
    assert git("-C", str(data), "rev-parse", "--show-toplevel").strip() == str(work_tree)
    # the same new name in both folders: git sees the work tree's, the dataset has its own (broken)
    (work_tree / "activities" / "new-one.yaml").write_text(dump("activity", activity("new-one")), encoding="utf-8")
    (data / "activities" / "new-one.yaml").write_text("id: new-one\ntitle: [unclosed\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["lint", "--format", "json", "--as-of", "2026-07-01", "--data", "data",
                                 "--changed-since", "main"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"problems": [], "summary": {"files": 0, "errors": 0, "warnings": 0}}
