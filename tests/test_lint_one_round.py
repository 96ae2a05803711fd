"""One lint run shows every mistake of a file; --select, --ignore and grouping keep CI readable."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from ngocoord.cli import app
from tests.conftest import activity, dump, org, write_dataset

runner = CliRunner()
AS_OF = "2026-06-01"

FLAWED = """\
id: act-1
titel: Legal aid
organization: org-a
partners: [org-z]
sector: protecton
services: [legal-aid]
locations:
  - area: G1D1
sensitve: true
status: ongoing
last_reviewed: 2026-05-01
description: call Ahmed on +964 750 123 4567
"""


def lint(data, *args):
    return runner.invoke(app, ["lint", "--data", str(data), "--as-of", AS_OF, *args], catch_exceptions=False)


def test_a_file_with_schema_errors_still_gets_every_other_problem(tmp_path):
    data = write_dataset(tmp_path / "data", [org("org-a")])
    (data / "activities" / "act-1.yaml").write_text(
        "# yaml-language-server: $schema=../../schemas/activity.schema.json\n" + FLAWED, encoding="utf-8")
    result = lint(data, "--format", "json")
    found = sorted((p["line"], p["rule"], p["message"]) for p in json.loads(result.stdout)["problems"])
    assert found == [
        (2, "schema", "the record is missing the required key 'title' (add a line 'title: …')"),
        (3, "schema", "unknown key 'titel' (did you mean 'title'?)"),
        (5, "unknown-reference", "there is no organization with the id 'org-z' (did you mean 'org-a'?)"),
        (6, "unknown-code", "unknown sector 'protecton' (did you mean 'protection'?)"),
        (10, "schema", "unknown key 'sensitve' (did you mean 'sensitive'?)"),
        (13, "personal-data", "description contains a phone number (+xxx xxx xxx xx67) (remove it: the dataset is "
                              "public and keeps no phone numbers)"),
    ]
    text = lint(data).stdout
    path = str(data / "activities" / "act-1.yaml")
    assert (f"{path}: note: not compared with the other files until its schema errors are fixed (duplicate-id, "
            "possible-duplicate-organization, possible-duplicate-activity)") in text.splitlines()
    assert text.endswith("7 files checked: 5 errors, 1 warning\n")


def test_a_value_of_the_wrong_type_is_reported_once(tmp_path):
    data = write_dataset(tmp_path / "data", [org("org-a")], [activity("act-1", services="legal-aid")])
    problems = json.loads(lint(data, "--format", "json").stdout)["problems"]
    assert [p["rule"] for p in problems] == ["schema"]


def _many_stale(tmp_path):
    old = [activity(f"act-{i:02}", last_reviewed="2020-01-01") for i in range(12)]
    return write_dataset(tmp_path / "data", [org("org-a")], [*old, activity("mine", services=["lega-aid"])])


def test_a_rule_firing_more_than_ten_times_is_one_line_unless_all(tmp_path):
    data = _many_stale(tmp_path)
    lines = lint(data).stdout.splitlines()
    first = data / "activities" / "act-00.yaml"
    assert lines == [
        f"{data / 'activities' / 'mine.yaml'}:7:3: error unknown-code: unknown service 'lega-aid' (did you mean 'legal-aid'?)",
        f"stale: 12 warnings in 12 files (first: {first}:11:16); list them with --all, or leave them out with --ignore stale",
        "19 files checked: 1 error, 12 warnings",
    ]
    assert len(lint(data, "--all").stdout.splitlines()) == 14


def test_select_and_ignore(tmp_path):
    data = _many_stale(tmp_path)
    ignored = lint(data, "--ignore", "stale")
    assert ignored.exit_code == 1 and ignored.stdout.endswith("19 files checked: 1 error, 0 warnings\n")
    selected = lint(data, "--select", "stale", "--format", "json")
    assert selected.exit_code == 0   # the error is not selected
    assert {p["rule"] for p in json.loads(selected.stdout)["problems"]} == {"stale"}
    both = lint(data, "--select", "stale,unknown-code", "--ignore", "stale", "--format", "json")
    assert [p["rule"] for p in json.loads(both.stdout)["problems"]] == ["unknown-code"]
    assert lint(data, "--ignore", "stale", "--strict").exit_code == 1


def test_unknown_rule_name_is_a_usage_error(tmp_path):
    data = _many_stale(tmp_path)
    result = runner.invoke(app, ["lint", "--data", str(data), "--select", "stal"])
    assert result.exit_code == 2
    assert "--select: unknown rule 'stal': did you mean 'stale'" in result.stderr


def test_plurals_in_the_summaries(tmp_path):
    from ngocoord.check.lint import LintResult
    from ngocoord.problems import Problem
    from ngocoord.render.problems import as_markdown_summary, as_text

    one = LintResult([Problem("a.yaml", 1, 1, "error", "schema", "bad")], 1)
    assert as_text(one).endswith("1 file checked: 1 error, 0 warnings\n")
    assert as_markdown_summary(one).startswith("### ngocoord lint: 1 error, 0 warnings in 1 file\n")
