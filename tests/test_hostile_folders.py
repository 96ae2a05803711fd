"""Hostile datasets beyond single files (issue 11): a dataset folder that is a link leading out
of the dataset, a number too long for Python to read, and paths on the command line that are not
files of the dataset."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ngocoord.cli import app
from ngocoord.load.yamlload import parse
from tests.conftest import activity, org, write_dataset

runner = CliRunner()
AS_OF = "2026-07-01"


@pytest.fixture
def linked_out(tmp_path):
    """A dataset whose activities/ folder was moved elsewhere and linked back."""
    root = write_dataset(tmp_path / "data", [org("org-a")], [activity("act-1", description="SECRET-OUTSIDE")])
    outside = tmp_path / "elsewhere"
    (root / "activities").rename(outside)
    (root / "activities").symlink_to(outside, target_is_directory=True)
    return root, outside


def test_a_folder_linking_out_of_the_dataset_is_a_located_problem(linked_out):
    root, _ = linked_out
    result = runner.invoke(app, ["lint", "--data", str(root), "--format", "json", "--as-of", AS_OF])
    assert result.exit_code == 1
    problems = json.loads(result.stdout)["problems"]
    assert {"path": f"{root}/activities", "line": 1, "column": 1, "severity": "error", "rule": "symlink",
            "message": "this folder is a link to a place outside the dataset; nothing in it was read "
                       "(replace the link with the folder itself)"} in problems
    assert not any("act-1" in p["path"] for p in problems)


@pytest.mark.parametrize("command", [["show", "act-1"], ["activities"], ["export", "--format", "json"],
                                     ["report"], ["duplicates"], ["gaps", "--region", "kri"], ["lint"]])
def test_no_command_reads_or_prints_what_a_folder_link_leads_to(linked_out, command):
    root, _ = linked_out
    for cache in ([], ["--no-cache"]):
        result = runner.invoke(app, [*command, "--data", str(root), "--as-of", AS_OF, *cache]
                               if command[0] in ("report", "duplicates", "gaps", "lint") else [*command, "--data", str(root), *cache])
        assert "Traceback" not in result.output and result.exit_code in (0, 1, 2), result.output
        assert "SECRET-OUTSIDE" not in result.output and "act 1" not in result.output, command


def test_fmt_never_rewrites_through_a_folder_link(linked_out):
    root, outside = linked_out
    before = (outside / "act-1.yaml").read_bytes()
    (outside / "act-1.yaml").write_bytes(before + b"notes:   spaced\n")  # not canonical: fmt would rewrite it
    before = (outside / "act-1.yaml").read_bytes()
    whole = runner.invoke(app, ["fmt", "--data", str(root)])
    assert f"{root}/activities:1:1: error symlink: this folder is a link to a place outside the dataset; " \
           "fmt rewrites nothing in it (replace the link with the folder itself)" in whole.stdout
    assert whole.exit_code == 1
    for path in (root / "activities", root / "activities" / "act-1.yaml"):
        named = runner.invoke(app, ["fmt", "--data", str(root), str(path)])
        assert named.exit_code in (1, 2) and "formatted " not in named.stdout
    assert (outside / "act-1.yaml").read_bytes() == before


def test_new_writes_nothing_through_a_folder_link(linked_out):
    root, outside = linked_out
    result = runner.invoke(app, ["new", "activity", "--data", str(root), "--id", "act-2", "--title", "Legal aid",
                                 "--organization", "org-a", "--sector", "protection", "--service", "legal-aid",
                                 "--area", "G1D1", "--status", "ongoing"])
    assert result.exit_code == 2
    assert result.stderr == (f"ngocoord: error: {root}/activities is a link to a place outside the dataset; nothing "
                             "is written through it (replace the link with the folder itself)\n")
    assert sorted(p.name for p in outside.iterdir()) == ["act-1.yaml"]


def test_a_folder_link_that_stays_inside_the_dataset_is_read(tmp_path):
    root = write_dataset(tmp_path / "data", [org("org-a")], [activity("act-1")])
    (root / "activities").rename(root / "acts")
    (root / "activities").symlink_to("acts", target_is_directory=True)
    result = runner.invoke(app, ["lint", "--data", str(root), "--as-of", AS_OF])
    assert result.exit_code == 0, result.stdout
    assert result.stdout == "7 files checked: 0 errors, 0 warnings\n"


LONG = "9" * 4301


@pytest.mark.parametrize("cache", [[], ["--no-cache"]])
def test_a_number_too_long_for_python_is_a_located_problem(tmp_path, cache):
    root = write_dataset(tmp_path / "data", [org("org-a"), org("org-b")], [activity("act-1", organization="org-x")])
    path = root / "organizations" / "org-b.yaml"
    path.write_text(path.read_text(encoding="utf-8") + f"notes: {LONG}\n", encoding="utf-8")
    for _ in range(2):  # cold, then from the cache
        result = runner.invoke(app, ["lint", "--data", str(root), "--as-of", AS_OF, *cache])
        assert result.exit_code == 1
        assert result.stdout.splitlines() == [
            f"{root}/activities/act-1.yaml:4:15: error unknown-reference: there is no organization with the id 'org-x' (did you mean 'org-a' or 'org-b'?)",  # still checked
            f"{path}:6:8: error yaml-syntax: the number is 4,301 characters long: too long to be read as a number "
            "(put it in quotes if it is text)",
            "8 files checked: 2 errors, 0 warnings"]
    for command in (["orgs"], ["export", "--format", "csv"], ["report", "--as-of", AS_OF], ["fmt", "--check"]):
        result = runner.invoke(app, [*command, "--data", str(root), *cache])
        assert result.exit_code in (0, 1) and "internal error" not in result.output, (command, result.output)
    assert "org-a" in runner.invoke(app, ["orgs", "--data", str(root), "--format", "json", *cache]).stdout


def test_long_numbers_in_every_form_are_refused_not_raised():
    for text in (f"a: {LONG}", f"a: -{LONG}", f"a: !!int {LONG}", f"a: [{LONG}]", f"a: {{b: {LONG}}}"):
        parsed = parse("x.yaml", text.encode())
        assert parsed.data is None and [p.rule for p in parsed.problems] == ["yaml-syntax"], text
    assert parse("x.yaml", f"a: '{LONG}'".encode()).data == {"a": LONG}
    assert parse("x.yaml", ("a: " + "9" * 4300).encode()).data == {"a": int("9" * 4300)}


@pytest.mark.parametrize("name", ["activities/bad.YAML", "activities/sub/bad.yaml", "organizations/.yaml",
                                  "notes.yaml", "OUTSIDE"])
def test_lint_of_a_path_that_is_not_a_dataset_file_is_a_usage_error(tmp_path, name):
    root = write_dataset(tmp_path / "data", [org("org-a")], [activity("act-1")])
    path = tmp_path / "hostname" if name == "OUTSIDE" else root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("id: : [\n", encoding="utf-8")
    result = runner.invoke(app, ["lint", "--data", str(root), str(path)])
    assert result.exit_code == 2
    assert result.stderr == (f"ngocoord: error: {path} is not a data file (organizations/*.yaml, activities/*.yaml "
                             f"or codelists/*.yaml of the dataset {root})\n")
    assert result.stdout == ""


def test_lint_of_dataset_files_and_folders_still_works(tmp_path, monkeypatch):
    root = write_dataset(tmp_path / "data", [org("org-a")], [activity("act-1", organization="org-x")])
    for paths, files in ([[root / "activities" / "act-1.yaml"], 1], [[root / "activities"], 1],
                         [[root / "organizations", root / "codelists"], 6], [[root], 7]):
        result = runner.invoke(app, ["lint", "--data", str(root), *map(str, paths), "--as-of", AS_OF])
        assert result.stdout.splitlines()[-1].startswith(f"{files} file{'s' if files > 1 else ''} checked"), (paths, result.stdout)
    monkeypatch.chdir(tmp_path)
    relative = runner.invoke(app, ["lint", "data/activities/act-1.yaml", "--as-of", AS_OF])
    assert relative.stdout.splitlines() == ["data/activities/act-1.yaml:4:15: error unknown-reference: there is no organization with the id 'org-x' (did you mean 'org-a'?)",
                                            "1 file checked: 1 error, 0 warnings"]
