"""No Markdown output turns data into a link (issue 11, defect 11), checked with GitHub's own
renderer (cmark-gfm, through cmarkgfm) and its autolink extension: a bare www.example.org/login,
https://…, ftp://… or an address in a value stays text. And personal-data messages do not
re-quote the phone numbers and e-mail addresses they flag."""

from __future__ import annotations

import copy
import re

import cmarkgfm  # in the test extra: missing, this file must fail, not skip
import pytest
from typer.testing import CliRunner

from ngocoord.cli import app
from ngocoord.render.tabular import no_autolink
from ngocoord.rules.personal_data import mask_email, mask_phone
from tests.conftest import TINY_CODELISTS, activity, org, write_dataset

runner = CliRunner()
AS_OF = "2026-07-01"
BAIT = "see www.example.org/login, HTTPS://evil.example/x, ftp://evil.example and help@evil.example"


def links(markdown: str) -> list[str]:
    html = cmarkgfm.github_flavored_markdown_to_html(markdown)
    return re.findall(r"<a [^>]*>", html)


@pytest.fixture
def baited(tmp_path):
    codelists = copy.deepcopy(TINY_CODELISTS)
    codelists["sectors"]["sectors"][0]["name"] = "Protection " + BAIT
    codelists["areas"]["areas"][1]["name"] = "Erbil " + BAIT
    codelists["areas"]["areas"][4]["name"] = "Erbil district " + BAIT
    return write_dataset(tmp_path / "data", [org("org-a", name="Org " + BAIT), org("org-b", name="B")],
                         [activity("act-1", title="Legal aid " + BAIT, locations=[{"area": "G1D1", "site": BAIT}]),
                          activity("act-2", organization="org-b", title="Aid " + BAIT),
                          activity("act-3", sector="bad www.bad.example", title="x")], codelists=codelists)


COMMANDS = [["report", "--format", "markdown", "--as-of", AS_OF], ["gaps", "--region", "kri", "--format", "markdown"],
            ["duplicates", "--format", "markdown", "--as-of", AS_OF], ["activities", "--format", "markdown"],
            ["orgs", "--format", "markdown"], ["show", "act-1", "--format", "markdown"],
            ["show", "org-a", "--format", "markdown"], ["codes", "sectors", "--format", "markdown"]]


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c[:2]) for c in COMMANDS])
def test_markdown_outputs_carry_no_link(baited, command):
    result = runner.invoke(app, [*command, "--data", str(baited)])
    assert result.exit_code == 0, result.output
    assert "www" in result.stdout and links(result.stdout) == []


def test_the_github_job_summary_carries_no_link(baited, tmp_path):
    summary = tmp_path / "summary.md"
    runner.invoke(app, ["lint", "--data", str(baited), "--as-of", AS_OF],
                  env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    text = summary.read_text(encoding="utf-8")
    assert "bad www" in text and links(text) == []


def test_the_text_reads_the_same_once_rendered():
    html = cmarkgfm.github_flavored_markdown_to_html(no_autolink(BAIT))
    assert html.replace("\u2060", "") == f"<p>{BAIT}</p>\n"
    assert links(BAIT)  # the bait is a link when left alone


def test_personal_data_messages_mask_what_they_flag(tmp_path):
    root = write_dataset(tmp_path / "data", [org("org-a", email="ahmed.ali@gmail.com")],
                         [activity("act-1", description="call 0750 123 4567 or write to jane.doe@example.org")])
    result = runner.invoke(app, ["lint", "--data", str(root), "--as-of", AS_OF])
    messages = result.stdout.replace(str(root), "")  # the temporary folder's name may hold '123' itself
    for secret in ("ahmed.ali", "0750 123 4567", "123", "jane.doe"):
        assert secret not in messages
    assert "description contains a phone number (xxxx xxx xx67)" in result.stdout
    assert "description contains a person's e-mail address (j***@e***.org)" in result.stdout
    assert mask_email("jane.doe@mail.example.org") == "j***@m***.org"
    assert mask_phone("+964 750 123 4567") == "+xxx xxx xxx xx67"
