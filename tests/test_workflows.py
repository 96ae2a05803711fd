"""The GitHub workflows: valid for GitHub, and their lint steps doing on a pull request what they promise."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
import yaml

from conftest import REPO, activity, org, write_dataset

WORKFLOWS = REPO / ".github" / "workflows"


def test_workflows_match_githubs_schema():
    files = sorted(str(p) for p in WORKFLOWS.glob("*.yml"))
    assert [os.path.basename(f) for f in files] == ["coverage-comment.yml", "coverage.yml", "lint.yml", "mutation.yml", "tests.yml"]
    done = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", *files],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == "ok -- validation done"


def _steps():
    workflow = yaml.safe_load((WORKFLOWS / "lint.yml").read_text(encoding="utf-8"))
    assert set(workflow[True]) == {"pull_request", "push", "workflow_dispatch"}  # PyYAML reads the key `on` as True
    assert workflow[True]["push"] == {"branches": ["main"]}
    steps = workflow["jobs"]["lint"]["steps"]
    assert steps[0] == {"uses": "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683",
                        "with": {"fetch-depth": 0, "persist-credentials": False}}
    return {s["name"]: s for s in steps if "run" in s}


def _run_step(step, cwd, env):
    """A step's script as the runner runs it: bash, with the step's env (expressions filled in)."""
    step_env = {k: v.replace("${{ github.base_ref }}", "main") for k, v in step.get("env", {}).items()}
    return subprocess.run(["bash", "-e", "-c", step["run"]], cwd=cwd, capture_output=True, text=True,
                          env={**env, **step_env})


def ngocoord_on_path(tmp_path) -> str:
    """A PATH whose `ngocoord` is the one under test, as `pip install .` puts it there on the runner."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    command = bin_dir / "ngocoord"
    command.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m ngocoord "$@"\n', encoding="utf-8")
    command.chmod(0o755)
    return f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"


@pytest.mark.requires("git")
def test_the_pull_request_step_annotates_the_change_and_writes_the_summary(tmp_path):
    repo = tmp_path / "repo"
    write_dataset(repo / "data", [org("org-a")], [activity("old", partners=["gone"])])
    git = lambda *a: subprocess.run(["git", "-C", str(repo), *a], capture_output=True, text=True, check=True)  # noqa: E731
    git("init", "-q", "-b", "main")
    git("-c", "user.name=CI", "-c", "user.email=ci@example.org", "commit", "-q", "--allow-empty", "-m", "start")
    git("add", ".")
    git("-c", "user.name=CI", "-c", "user.email=ci@example.org", "commit", "-q", "-m", "dataset")
    git("update-ref", "refs/remotes/origin/main", "HEAD")  # what checkout with fetch-depth 0 provides
    git("checkout", "-q", "-b", "pr")
    write_dataset(repo / "data", [], [activity("new", organization="org-x")])
    git("add", ".")
    git("-c", "user.name=CI", "-c", "user.email=ci@example.org", "commit", "-q", "-m", "new activity")
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    env = {**os.environ, "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary), "NO_COLOR": "1",
           "PATH": ngocoord_on_path(tmp_path)}
    env.pop("NGOCOORD_DATA", None)
    steps = _steps()

    done = _run_step(steps["Lint the files this pull request changes"], repo, env)
    assert done.returncode == 1
    assert done.stdout == ("::error file=data/activities/new.yaml,line=4,col=15,title=unknown-reference::"
                           "there is no organization with the id 'org-x' (did you mean 'org-a'?)\n")
    assert summary.read_text(encoding="utf-8") == (
        "earlier step\n### ngocoord lint: 1 error, 0 warnings in 1 file\n\n"
        "| file | line | severity | rule | message |\n|---|---|---|---|---|\n"
        "| `data/activities/new.yaml` | 4 | error | `unknown-reference` | there is no organization with the id 'org-x' (did you mean 'org-a'?) |\n")

    whole = _run_step(steps["Lint the whole dataset"], repo, env)
    assert whole.returncode == 1
    assert "title=unknown-reference::there is no organization with the id 'gone'" in whole.stdout  # main sees old problems too

    # the pull request's fmt step checks only the file it changes: old.yaml is not canonical either
    changed = _run_step(steps["Check that the changed files are in the canonical form (fix with 'ngocoord fmt')"], repo, env)
    assert changed.returncode == 1
    assert "file=data/activities/new.yaml" in changed.stdout and "old.yaml" not in changed.stdout
    assert changed.stdout.endswith("1 file: 1 not canonical, 0 already canonical\n")

    canonical = _run_step(steps["Check that every file is in the canonical form (fix with 'ngocoord fmt')"], repo, env)
    assert canonical.returncode == 1  # the fixture's files are written by PyYAML, not in canonical form
    assert canonical.stdout.startswith("::error file=data/activities/new.yaml,line=1,col=1,title=fmt::the file is not in the canonical form")


def test_every_action_is_pinned_to_a_commit():
    """A tag can be moved to other code after review; a commit cannot."""
    uses = [step["uses"] for path in sorted(WORKFLOWS.glob("*.yml"))
            for job in yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"].values()
            for step in job["steps"] if "uses" in step]
    assert len(uses) == 12
    assert [u for u in uses if not re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", u)] == []
