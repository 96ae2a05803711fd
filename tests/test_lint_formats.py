"""ngocoord lint as users and CI see it: text, json, github (escaped), the GitHub Actions defaults and
job summary, --strict, --as-of, --explain, a single PATH, and the exit codes 0/1/2."""

import json

import pytest
from typer.testing import CliRunner

from ngocoord.cli import app
from tests.conftest import activity, org, write_dataset

runner = CliRunner()
NOT_ON_ACTIONS = {"GITHUB_ACTIONS": "", "GITHUB_STEP_SUMMARY": "", "NGOCOORD_DATA": ""}

ERROR = "data/activities/act-1.yaml:8:3: error unknown-code: unknown service 'lega-aid' (did you mean 'legal-aid'?)"
WARNING = ("data/organizations/org-b.yaml:5:16: warning stale: last reviewed on 2024-01-01, more than a year ago "
           "(check the entry and update last_reviewed)")


@pytest.fixture
def mixed(tmp_path, monkeypatch):
    """One error (a mistyped service) and one warning (a stale organization); paths shown as data/..."""
    monkeypatch.chdir(tmp_path)
    write_dataset(tmp_path / "data", [org("org-a"), org("org-b", type="ingo", last_reviewed="2024-01-01")],
                  [activity("act-1", services=["legal-aid", "lega-aid"])])
    return tmp_path / "data"


def lint(*args, env=None):
    return runner.invoke(app, ["lint", "--data", "data", "--as-of", "2026-07-01", *args], env={**NOT_ON_ACTIONS, **(env or {})})


def test_text(mixed):
    result = lint()
    assert result.exit_code == 1 and result.stderr == ""
    assert result.stdout == f"{ERROR}\n{WARNING}\n8 files checked: 1 error, 1 warning\n"


def test_json_has_exactly_the_spec_shape(mixed):
    result = lint("--format", "json")
    assert result.exit_code == 1 and result.stderr == ""
    assert json.loads(result.stdout) == {
        "problems": [
            {"path": "data/activities/act-1.yaml", "line": 8, "column": 3, "severity": "error", "rule": "unknown-code",
             "message": "unknown service 'lega-aid' (did you mean 'legal-aid'?)"},
            {"path": "data/organizations/org-b.yaml", "line": 5, "column": 16, "severity": "warning", "rule": "stale",
             "message": "last reviewed on 2024-01-01, more than a year ago (check the entry and update last_reviewed)"}],
        "summary": {"files": 8, "errors": 1, "warnings": 1}}


def test_github_workflow_commands(mixed):
    result = lint("--format", "github")
    assert result.exit_code == 1
    assert result.stdout == (
        "::error file=data/activities/act-1.yaml,line=8,col=3,title=unknown-code::"
        "unknown service 'lega-aid' (did you mean 'legal-aid'?)\n"
        "::warning file=data/organizations/org-b.yaml,line=5,col=16,title=stale::"
        "last reviewed on 2024-01-01, more than a year ago (check the entry and update last_reviewed)\n")


def test_github_escapes_properties_and_data(tmp_path, monkeypatch):
    """A path with ',' and ':' and a message with '%' and a line break stay one well-formed command each."""
    monkeypatch.chdir(tmp_path)
    root = write_dataset(tmp_path / "data", [org("org-a")], [])
    (root / "organizations" / "a,b:c.yaml").write_text(
        "# yaml-language-server: $schema=../../schemas/organization.schema.json\n"
        "id: org-c\nname: C\ntype: nngo\nlast_reviewed: 2026-06-01\n'100%': x\n", encoding="utf-8")
    (root / "activities" / "act-1.yaml").write_text(
        "# yaml-language-server: $schema=../../schemas/activity.schema.json\n"
        "id: act-1\ntitle: T\norganization: org-a\nsector: protection\nservices: [legal-aid]\n"
        "locations: [{area: G1}]\nstatus: \"on\\ngoing\"\nlast_reviewed: 2026-06-01\n", encoding="utf-8")
    result = lint("--format", "github")
    assert result.stdout.splitlines() == [
        "::error file=data/activities/act-1.yaml,line=8,col=9,title=schema::status: 'on%0Agoing' is not one of "
        "planned, ongoing, completed, suspended, cancelled (did you mean 'ongoing'?)",
        "::error file=data/organizations/a%2Cb%3Ac.yaml,line=2,col=1,title=id-mismatch::the file name 'a,b:c' is not "
        "a valid id (use lowercase letters, digits and single hyphens, e.g. public-aid-organization.yaml)",
        "::error file=data/organizations/a%2Cb%3Ac.yaml,line=6,col=1,title=schema::unknown key '100%25' "
        "(allowed keys: id, name, acronym, names, type, country, website, email, member_of, last_reviewed, sources, notes)",
    ]


def test_github_actions_defaults_to_workflow_commands_and_writes_the_summary(mixed, tmp_path):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    result = lint(env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    assert result.stdout.startswith("::error file=data/activities/act-1.yaml,line=8,col=3,title=unknown-code::")
    assert summary.read_text(encoding="utf-8") == (
        "earlier step\n"
        "### ngocoord lint: 1 error, 1 warning in 8 files\n\n"
        "| file | line | severity | rule | message |\n|---|---|---|---|---|\n"
        "| `data/activities/act-1.yaml` | 8 | error | `unknown-code` | unknown service 'lega-aid' (did you mean 'legal-aid'?) |\n"
        "| `data/organizations/org-b.yaml` | 5 | warning | `stale` | last reviewed on 2024-01-01, more than a year ago "
        "(check the entry and update last_reviewed) |\n")


def test_github_actions_with_an_explicit_format_writes_no_summary(mixed, tmp_path):
    summary = tmp_path / "summary.md"
    result = lint("--format", "text", env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    assert result.stdout.splitlines()[0] == ERROR and not summary.exists()


def test_github_actions_clean_summary(tmp_path, monkeypatch, tiny):
    monkeypatch.chdir(tiny.parent)
    summary = tmp_path / "summary.md"
    result = runner.invoke(app, ["lint", "--data", "data", "--as-of", "2026-07-01"],
                           env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 0 and result.stdout == ""
    assert summary.read_text(encoding="utf-8") == "### ngocoord lint: 0 errors, 0 warnings in 8 files\n\nNo problems found.\n"


def test_strict_fails_on_warnings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    sourced = [{"title": "Report", "url": "https://example.org/r", "date": "2026", "supports": "Says what act-1 does."}]
    write_dataset(tmp_path / "data", [org("org-a", last_reviewed="2024-01-01")], [activity("act-1", sources=sourced)])
    assert lint().exit_code == 0
    strict = lint("--strict")
    assert strict.exit_code == 1
    assert strict.stdout.endswith("7 files checked: 0 errors, 1 warning\n")


def test_as_of_decides_stale_and_status_dates(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_dataset(tmp_path / "data", [org("org-a", last_reviewed="2025-01-15")],
                  [activity("act-1", end="2025-06", last_reviewed="2025-01-15")])

    def rules_on(day):
        out = runner.invoke(app, ["lint", "--data", "data", "--as-of", day, "--format", "json"], env=NOT_ON_ACTIONS)
        return [(p["path"], p["rule"]) for p in json.loads(out.stdout)["problems"]]

    assert rules_on("2025-06-30") == []
    assert rules_on("2025-07-01") == [("data/activities/act-1.yaml", "status-dates")]
    assert rules_on("2026-01-16") == [("data/activities/act-1.yaml", "status-dates"), ("data/activities/act-1.yaml", "stale"),
                                      ("data/organizations/org-a.yaml", "stale")]


def test_explain_a_rule(mixed):
    result = runner.invoke(app, ["lint", "--explain", "stale"])
    assert result.exit_code == 0
    assert result.stdout == ("stale (warning)\n\n'last_reviewed' is more than a year old: the entry may be out of date. "
                             "Check it with the\norganization, correct what changed, and set last_reviewed to the day you checked.\n")


def test_explain_a_loader_rule():
    result = runner.invoke(app, ["lint", "--explain", "duplicate-key"])
    assert result.exit_code == 0 and result.stdout.startswith("duplicate-key (error)\n\nThe same key appears twice")


def test_explain_unknown_rule_suggests():
    result = runner.invoke(app, ["lint", "--explain", "stal"])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("ngocoord: error: unknown rule 'stal': did you mean 'stale' or 'status-dates'? The rules are: codelist, ")
    assert len(result.stderr.splitlines()) == 1


def test_lint_one_file(mixed):
    result = runner.invoke(app, ["lint", "data/organizations/org-b.yaml", "--as-of", "2026-07-01"], env=NOT_ON_ACTIONS)
    assert result.exit_code == 0
    assert result.stdout == f"{WARNING}\n1 file checked: 0 errors, 1 warning\n"


def test_lint_one_file_still_sees_the_dataset(mixed):
    """A single activity file is checked against the organizations and codelists around it."""
    result = runner.invoke(app, ["lint", "data/activities/act-1.yaml", "--as-of", "2026-07-01"], env=NOT_ON_ACTIONS)
    assert result.exit_code == 1
    assert result.stdout == f"{ERROR}\n1 file checked: 1 error, 0 warnings\n"


def test_lint_a_folder(mixed):
    result = runner.invoke(app, ["lint", "data/activities", "--as-of", "2026-07-01"], env=NOT_ON_ACTIONS)
    assert result.exit_code == 1 and result.stdout == f"{ERROR}\n1 file checked: 1 error, 0 warnings\n"


@pytest.mark.parametrize("args, message", [
    (["data/organizations/nope.yaml"], "ngocoord: error: data/organizations/nope.yaml does not exist"),
    (["--as-of", "2026-13-01"], "ngocoord: error: --as-of '2026-13-01' is not a date: write YYYY-MM-DD"),
    (["--data", "missing"], "ngocoord: error: --data: missing does not exist"),
])
def test_usage_errors_exit_2(mixed, args, message):
    result = runner.invoke(app, ["lint", *args], env=NOT_ON_ACTIONS)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == message + "\n"


def test_unknown_format_exit_2(mixed):
    result = lint("--format", "xml")
    assert result.exit_code == 2 and "xml" in result.stderr and result.stdout == ""


def test_exit_0_clean(tiny, monkeypatch):
    monkeypatch.chdir(tiny.parent)
    result = runner.invoke(app, ["lint", "--as-of", "2026-07-01", "--format", "json"], env=NOT_ON_ACTIONS)
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"problems": [], "summary": {"files": 8, "errors": 0, "warnings": 0}}
