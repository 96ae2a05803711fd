"""The pull-request comment: the workflows' script run here against a repository built in the test,
and a local stand-in for GitHub's API (127.0.0.1 only), and the workflows' security properties."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml

import gitcase
from conftest import REPO, activity, org, write_dataset

SCRIPT = REPO / ".github" / "scripts" / "coverage_comment.py"
WORKFLOWS = REPO / ".github" / "workflows"
HEAD_SHA = "a" * 40
needs_git = pytest.mark.requires("git")


def script(*args: str, cwd, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})})


@pytest.fixture
def pull_request(tmp_path):
    """main with a gap in Duhok x protection; a pull request adding legal aid there (as checked out by Actions)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    gitcase.git(repo, "init", "-q", "-b", "main")
    write_dataset(repo / "data", [org("org-a"), org("org-c")], [activity("act-1", organization="org-a")])
    gitcase.commit(repo, "2026-01-10", "dataset")
    gitcase.git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    gitcase.git(repo, "checkout", "-q", "-b", "pr")
    gitcase.write(repo, "activity", activity("act-3", organization="org-c", locations=[{"area": "G2D1"}]))
    gitcase.commit(repo, "2026-01-11", "legal aid in Duhok")
    return repo


@needs_git
def test_compute_writes_the_comment_the_artifact_and_the_job_summary(pull_request, tmp_path):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    out = tmp_path / "artifact"
    done = script("compute", "--base", "origin/main", "--pr", "12", "--out", str(out), cwd=pull_request,
                  env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert done.returncode == 0, done.stderr
    text = (out / "comment.md").read_text(encoding="utf-8")
    assert (out / "pr-number").read_text() == "12\n"
    assert summary.read_text(encoding="utf-8") == "earlier step\n" + text
    assert text.startswith("### What this change does to coordination\n")
    assert "| records | 1 | 0 | 0 |" in text and "| coverage gaps | 1 | 0 | 1 |" in text
    assert "- Duhok (G2) × Protection" in text and "- activity act-3" in text


@needs_git
@pytest.mark.parametrize("args, message", [
    (["--base", "origin/main", "--pr", "12; rm -rf /"], "is not a pull request number"),
    (["--base=--output=x", "--pr", "12"], "is not a git revision"),
    (["--base", "origin/nothing", "--pr", "12"], "git merge-base:"),
])
def test_compute_refuses_what_it_cannot_trust(pull_request, tmp_path, args, message):
    done = script("compute", *args, "--out", str(tmp_path / "artifact"), cwd=pull_request)
    assert done.returncode == 1 and message in done.stderr and "Traceback" not in done.stderr


class FakeGitHub(BaseHTTPRequestHandler):
    """Pull request 12 at HEAD_SHA, its comments kept in memory; every request recorded."""

    state: dict = {}

    def log_message(self, *args):
        pass

    def _answer(self, code: int, payload) -> None:
        body = json.dumps(payload).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _record(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length)) if length else None
        self.state["requests"].append((self.command, self.path, body, self.headers.get("Authorization")))
        return body

    def do_GET(self):
        self._record()
        if self.path == "/repos/forum/data/pulls/12":
            return self._answer(200, {"number": 12, "head": {"sha": HEAD_SHA}})
        if self.path.startswith("/repos/forum/data/issues/12/comments"):
            page = int(self.path.rsplit("page=", 1)[1])
            return self._answer(200, self.state["comments"] if page == 1 else [])
        self._answer(404, {"message": "Not Found"})

    def do_POST(self):
        body = self._record()
        comment = {"id": 100 + len(self.state["comments"]), "user": {"login": "github-actions[bot]"}, "body": body["body"]}
        self.state["comments"].append(comment)
        self._answer(201, comment)

    def do_PATCH(self):
        body = self._record()
        wanted = int(self.path.rsplit("/", 1)[1])
        for c in self.state["comments"]:
            if c["id"] == wanted:
                c["body"] = body["body"]
        self._answer(200, {"id": wanted})


@pytest.fixture
def github():
    FakeGitHub.state = {"requests": [], "comments": [
        {"id": 7, "user": {"login": "someone"}, "body": "<!-- ngocoord: coverage diff --> a person quoting the marker"}]}
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeGitHub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", FakeGitHub.state
    server.shutdown()
    server.server_close()


def artifact(folder, text: str, number: str = "12"):
    folder.mkdir(exist_ok=True)
    (folder / "comment.md").write_text(text, encoding="utf-8")
    (folder / "pr-number").write_text(number + "\n", encoding="utf-8")
    return folder


def post(folder, api, head=HEAD_SHA):
    return script("post", "--dir", str(folder), "--repo", "forum/data", "--head-sha", head, cwd=folder,
                  env={"GITHUB_TOKEN": "t0ken", "GITHUB_API_URL": api})


def test_post_creates_one_comment_then_updates_it(github, tmp_path):
    api, state = github
    first = post(artifact(tmp_path / "a", "### first push\n"), api)
    assert first.returncode == 0, first.stderr
    assert first.stdout == "created comment 101 on pull request 12\n"
    second = post(artifact(tmp_path / "b", "### second push\n"), api)
    assert second.stdout == "updated comment 101 on pull request 12\n"
    ours = [c for c in state["comments"] if c["id"] == 101]
    assert len(state["comments"]) == 2 and ours[0]["body"] == "<!-- ngocoord: coverage diff -->\n### second push\n"
    assert state["comments"][0]["body"].endswith("a person quoting the marker")  # never edits another's comment
    assert [(m, p.split("?")[0]) for m, p, _, _ in state["requests"]] == [
        ("GET", "/repos/forum/data/pulls/12"), ("GET", "/repos/forum/data/issues/12/comments"),
        ("GET", "/repos/forum/data/issues/12/comments"), ("POST", "/repos/forum/data/issues/12/comments"),
        ("GET", "/repos/forum/data/pulls/12"), ("GET", "/repos/forum/data/issues/12/comments"),
        ("PATCH", "/repos/forum/data/issues/comments/101")]
    assert {auth for *_, auth in state["requests"]} == {"Bearer t0ken"}


def test_post_refuses_an_artifact_for_another_commit_or_pull_request(github, tmp_path):
    api, state = github
    stale = post(artifact(tmp_path / "a", "text"), api, head="b" * 40)
    assert stale.returncode == 1 and "is not at bbbbbbbbbbbb" in stale.stderr
    forged = post(artifact(tmp_path / "b", "text", number="12/../../pulls/1"), api)
    assert forged.returncode == 1 and "names no pull request" in forged.stderr
    assert [m for m, *_ in state["requests"]] == ["GET"]  # nothing was posted


def test_post_keeps_the_marker_its_own_and_the_comment_within_githubs_limit(github, tmp_path):
    api, state = github
    done = post(artifact(tmp_path / "a", "<!-- ngocoord: coverage diff -->" + "x" * 70_000), api)
    assert done.returncode == 0, done.stderr
    body = state["comments"][-1]["body"]
    assert body.count("<!-- ngocoord: coverage diff -->") == 1 and len(body) < 65_536
    assert body.endswith("(cut: run `ngocoord diff` for the whole comparison)\n")


def _workflow(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def test_the_job_that_runs_pull_request_code_can_only_read():
    workflow = _workflow("coverage.yml")
    assert workflow[True] == {"pull_request": {"paths": ["data/**"]}}  # PyYAML reads the key `on` as True
    assert workflow["permissions"] == {"contents": "read"} and "permissions" not in workflow["jobs"]["diff"]
    runs = [s["run"] for s in workflow["jobs"]["diff"]["steps"] if "run" in s]
    assert runs[-1].startswith("python .github/scripts/coverage_comment.py compute ")
    assert "${{" not in "".join(runs)  # expressions reach scripts through the environment only


def test_the_job_that_may_write_runs_no_pull_request_code():
    workflow = _workflow("coverage-comment.yml")
    assert workflow[True] == {"workflow_run": {"workflows": ["Coverage diff"], "types": ["completed"]}}
    assert workflow["permissions"] == {}
    job = workflow["jobs"]["comment"]
    assert job["permissions"] == {"actions": "read", "contents": "read", "pull-requests": "write"}
    checkout = job["steps"][0]
    assert checkout["uses"].startswith("actions/checkout@") and set(checkout["with"]) == {"persist-credentials", "sparse-checkout"}
    assert [s["run"] for s in job["steps"] if "run" in s] == [
        'python3 .github/scripts/coverage_comment.py post --dir coverage-comment --repo "$REPOSITORY" --head-sha "$HEAD_SHA"']


def test_every_action_is_pinned_by_commit():
    for path in WORKFLOWS.glob("*.yml"):
        for job in yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"].values():
            for step in job["steps"]:
                if "uses" in step:
                    ref = step["uses"].split("@", 1)[1]
                    assert len(ref) == 40 and all(c in "0123456789abcdef" for c in ref), (path.name, step["uses"])


def test_zizmor_finds_nothing_medium_or_high():
    from pathlib import Path

    zizmor = str(Path(sys.executable).parent / "zizmor")  # the test extra installs it beside this Python
    done = subprocess.run([zizmor, "--offline", "--min-severity", "medium", "--format", "json", str(WORKFLOWS)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout) == []
