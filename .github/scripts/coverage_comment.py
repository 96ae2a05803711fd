"""What a pull request does to coordination, as one sticky comment on it (SPEC, *What changed*).

Two steps, in two workflows, so that a fork's code never runs where a token can write:

    compute --base REF --pr N --out DIR
        In the pull request's own workflow (read-only token): `ngocoord diff` from where the pull
        request leaves REF to its head, as Markdown, into DIR/comment.md (uploaded as an artifact)
        and into the job summary ($GITHUB_STEP_SUMMARY). DIR/pr-number says which pull request.

    post --dir DIR --repo OWNER/NAME --head-sha SHA
        In a workflow_run job of the default branch (may write to pull requests): reads only the
        artifact's text, checks that pull request N really has head SHA (the run that made the
        artifact says which commit it ran on), and creates the comment or updates the one it
        posted before (found by its marker), so each pull request has one comment, kept current.
        $GITHUB_TOKEN authenticates; $GITHUB_API_URL (set by GitHub Actions) is the API to call.

Only the standard library: the posting job installs nothing and runs nothing of the pull request.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

MARKER = "<!-- ngocoord: coverage diff -->"
MAX_CHARS = 60_000  # GitHub refuses a comment over 65,536 characters
BOT = "github-actions[bot]"


def fail(message: str) -> None:
    print(f"coverage_comment: {message}", file=sys.stderr)
    raise SystemExit(1)


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], capture_output=True, text=True)
    if done.returncode != 0:
        fail(f"git {args[0]}: {(done.stderr.strip().splitlines() or ['failed'])[-1]}")
    return done.stdout.strip()


def compute(base: str, pr: str, out: Path) -> None:
    if not re.fullmatch(r"[0-9]{1,10}", pr):
        fail(f"--pr {pr!r} is not a pull request number")
    if base.startswith("-"):
        fail(f"--base {base!r} is not a git revision")
    merge_base = _git("merge-base", "--end-of-options", base, "HEAD")
    done = subprocess.run([sys.executable, "-m", "ngocoord", "diff", merge_base, "HEAD", "--format", "markdown"],
                          capture_output=True, text=True)
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["failed"])[-1]
        text = f"### What this change does to coordination\n\n`ngocoord diff` could not compare the data: {reason}\n"
    else:
        text = done.stdout
    out.mkdir(parents=True, exist_ok=True)
    (out / "comment.md").write_text(text, encoding="utf-8")
    (out / "pr-number").write_text(pr + "\n", encoding="utf-8")
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as f:
            f.write(text)
    sys.stdout.write(text)
    if done.returncode != 0:
        raise SystemExit(1)


class GitHub:
    def __init__(self, repo: str, token: str, api: str):
        self.repo, self.token, self.api = repo, token, api.rstrip("/")

    def call(self, method: str, path: str, body: dict | None = None):
        request = urllib.request.Request(
            f"{self.api}/repos/{self.repo}/{path}", method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {self.token}", "Accept": "application/vnd.github+json",
                     "X-GitHub-Api-Version": "2022-11-28", "Content-Type": "application/json",
                     "User-Agent": "ngocoord-coverage-comment"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as e:
            fail(f"{method} {path}: GitHub answered {e.code} {e.reason}")
        except (urllib.error.URLError, OSError) as e:
            fail(f"{method} {path}: {e}")


def comment_body(raw: bytes) -> str:
    """The artifact's text, as a comment: decoded, without our marker (the poster alone sets it), cut to size."""
    text = raw.decode("utf-8", "replace").replace(MARKER, "")
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS] + "\n\n… (cut: run `ngocoord diff` for the whole comparison)\n"
    return f"{MARKER}\n{text}"


def post(folder: Path, repo: str, head_sha: str) -> None:
    token = os.environ.get("GITHUB_TOKEN") or fail("GITHUB_TOKEN is not set")
    if not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", repo):
        fail(f"--repo {repo!r} is not OWNER/NAME")
    if not re.fullmatch(r"[0-9a-f]{40}([0-9a-f]{24})?", head_sha):
        fail(f"--head-sha {head_sha!r} is not a commit id")
    try:
        number = (folder / "pr-number").read_text(encoding="ascii").strip()
        raw = (folder / "comment.md").read_bytes()
    except (OSError, UnicodeDecodeError) as e:
        fail(f"the artifact is incomplete: {e}")
    if not re.fullmatch(r"[0-9]{1,10}", number):
        fail("the artifact names no pull request")
    github = GitHub(repo, token, os.environ.get("GITHUB_API_URL") or "https://api.github.com")
    pull = github.call("GET", f"pulls/{number}")
    if not isinstance(pull, dict) or (pull.get("head") or {}).get("sha") != head_sha:
        fail(f"pull request {number} is not at {head_sha[:12]} (pushed again since, or not the one that ran): not posted")
    body = comment_body(raw)
    for page in range(1, 101):
        comments = github.call("GET", f"issues/{number}/comments?per_page=100&page={page}")
        if not isinstance(comments, list) or not comments:
            break
        for c in comments:
            if isinstance(c, dict) and (c.get("user") or {}).get("login") == BOT and MARKER in str(c.get("body", "")):
                github.call("PATCH", f"issues/comments/{int(c['id'])}", {"body": body})
                print(f"updated comment {c['id']} on pull request {number}")
                return
    created = github.call("POST", f"issues/{number}/comments", {"body": body})
    print(f"created comment {(created or {}).get('id')} on pull request {number}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    steps = parser.add_subparsers(dest="step", required=True)
    c = steps.add_parser("compute")
    c.add_argument("--base", required=True)
    c.add_argument("--pr", required=True)
    c.add_argument("--out", required=True, type=Path)
    p = steps.add_parser("post")
    p.add_argument("--dir", required=True, type=Path)
    p.add_argument("--repo", required=True)
    p.add_argument("--head-sha", required=True)
    args = parser.parse_args(argv)
    if args.step == "compute":
        compute(args.base, args.pr, args.out)
    else:
        post(args.dir, args.repo, args.head_sha)


if __name__ == "__main__":
    main()
