"""The pre-commit hooks (.pre-commit-hooks.yaml), run by the real pre-commit tool in a contributor's repository.

pre-commit installs ngocoord from a git repository made of the source under test (a checkout or an
sdist alike) into its own environment (from PyPI: it needs the network once per test session) and
runs the hooks as a contributor's `git commit` would.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import REPO, activity, org, unavailable, write_dataset

PRE_COMMIT = [sys.executable, "-m", "pre_commit"]
OFFLINE = re.compile(r"Failed to establish a new connection|Temporary failure in name resolution|"
                     r"No matching distribution found|Could not find a version|Network is unreachable", re.I)

# what pip needs to build ngocoord, and the hooks' definition
SOURCE = ["ngocoord", "schemas", "data", "pyproject.toml", "README.md", ".pre-commit-hooks.yaml"]

pytestmark = pytest.mark.requires("git")


def run(cwd, *args, env=None, check=False):
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, env=env, check=check)


def commit(repo, env, message):
    """git commit, as a contributor runs it; the hooks' report (git prints it on stderr) and the exit code."""
    done = run(repo, "git", "commit", "-m", message, env=env)
    return done.returncode, done.stdout + done.stderr


@pytest.fixture(scope="session")
def hooks_env(tmp_path_factory):
    """A PRE_COMMIT_HOME with ngocoord's hooks installed from the source under test, committed to a
    repository of its own: the tests never depend on what this checkout has committed, or on it being one."""
    home = tmp_path_factory.mktemp("pre-commit-home")
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "GIT_AUTHOR_NAME": "Contributor", "GIT_AUTHOR_EMAIL": "c@example.org",
           "GIT_COMMITTER_NAME": "Contributor", "GIT_COMMITTER_EMAIL": "c@example.org", "GIT_CONFIG_NOSYSTEM": "1"}
    env.pop("GITHUB_ACTIONS", None)
    source = tmp_path_factory.mktemp("ngocoord-source")
    for name in SOURCE:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "_bundled"))
        else:
            shutil.copy2(REPO / name, source / name)
    run(source, "git", "init", "-q", check=True)
    run(source, "git", "add", ".", check=True)
    run(source, "git", "commit", "-q", "-m", "ngocoord under test", env=env, check=True)
    head = run(source, "git", "rev-parse", "HEAD", check=True).stdout.strip()
    config = (f"repos:\n  - repo: {source}\n    rev: {head}\n    hooks:\n"
              "      - id: ngocoord-lint\n      - id: ngocoord-fmt\n")
    probe = tmp_path_factory.mktemp("probe")
    run(probe, "git", "init", "-q", check=True)
    (probe / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    installed = run(probe, *PRE_COMMIT, "install-hooks", env=env)
    if installed.returncode != 0:
        log = (home / "pre-commit.log").read_text(encoding="utf-8", errors="replace") if (home / "pre-commit.log").exists() else ""
        if OFFLINE.search(installed.stdout + installed.stderr + log):
            unavailable("pre-commit could not install ngocoord's hooks: PyPI is not reachable")
        raise AssertionError(f"pre-commit install-hooks failed:\n{installed.stdout}\n{installed.stderr}\n{log[-3000:]}")
    return env, config


@pytest.fixture
def contributor(tmp_path, hooks_env):
    """A contributor's repository: a small canonical dataset, committed, with the hooks installed."""
    from ngocoord.load.canonical import fmt

    env, config = hooks_env
    repo = tmp_path / "dataset"
    write_dataset(repo / "data", [org("org-a")], [activity("act-1")])
    fmt(repo / "data")
    (repo / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    run(repo, "git", "init", "-q", "-b", "main", check=True)
    run(repo, "git", "add", ".", check=True)
    run(repo, "git", "commit", "-q", "-m", "dataset", env=env, check=True)
    run(repo, *PRE_COMMIT, "install", env=env, check=True)
    return repo, env


def test_a_clean_record_commits(contributor):
    repo, env = contributor
    (repo / "data" / "activities" / "act-2.yaml").write_text(
        (repo / "data" / "activities" / "act-1.yaml").read_text(encoding="utf-8").replace("act-1", "act-2")
        .replace("title: act 1", "title: Legal aid for women"), encoding="utf-8")
    run(repo, "git", "add", ".", check=True)
    code, out = commit(repo, env, "add act-2")
    assert code == 0, out
    assert re.search(r"ngocoord lint\.+Passed", out)
    assert re.search(r"ngocoord fmt --check\.+Passed", out)


def test_a_record_with_a_mistake_is_stopped_with_its_line(contributor):
    repo, env = contributor
    path = repo / "data" / "activities" / "act-2.yaml"
    path.write_text(
        "# yaml-language-server: $schema=../../schemas/activity.schema.json\n"
        "id: act-2\ntitle: Legal aid\norganization: org-b\nsector: protection\nservices: [legal-aid]\n"
        "locations:\n  - area: G1\nstatus: ongoing\nlast_reviewed: 2026-06-01\n", encoding="utf-8")
    run(repo, "git", "add", ".", check=True)
    code, out = commit(repo, env, "add act-2")
    assert code == 1, out
    assert re.search(r"ngocoord lint\.+Failed", out)
    assert ("data/activities/act-2.yaml:4:15: error unknown-reference: there is no organization with the id 'org-b' "
            "(did you mean 'org-a'?)") in out
    assert "1 file checked: 1 error, 0 warnings" in out
    assert run(repo, "git", "rev-list", "--count", "HEAD").stdout.strip() == "1"


def test_a_file_not_in_canonical_form_is_stopped(contributor):
    repo, env = contributor
    path = repo / "data" / "organizations" / "org-a.yaml"
    path.write_text("name: Org A\nid: org-a\ntype: nngo\nlast_reviewed: 2026-06-01\n", encoding="utf-8")
    run(repo, "git", "add", ".", check=True)
    code, out = commit(repo, env, "edit org-a")
    assert code == 1, out
    assert re.search(r"ngocoord fmt --check\.+Failed", out)
    assert ("data/organizations/org-a.yaml:1:1: error fmt: the file is not in the canonical form "
            "(run 'ngocoord fmt data/organizations/org-a.yaml')") in out
    # lint only warns about the missing header (pre-commit shows a passing hook's output only with -v)
    assert re.search(r"ngocoord lint\.+Passed", out)


def test_files_outside_the_dataset_are_not_checked(contributor):
    repo, env = contributor
    (repo / "README.md").write_text("# Our dataset\n", encoding="utf-8")
    run(repo, "git", "add", ".", check=True)
    code, out = commit(repo, env, "readme")
    assert code == 0, out
    assert re.search(r"ngocoord lint\.+\(no files to check\)Skipped", out)
