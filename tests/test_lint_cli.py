"""lint through the CLI: exit codes, formats, and the shipped dataset."""

import json

from typer.testing import CliRunner

from ngocoord.cli import app
from tests.conftest import REPO, activity, org, write_dataset

runner = CliRunner()


def test_shipped_dataset_has_no_errors():
    result = runner.invoke(app, ["lint", "--data", str(REPO / "data"), "--format", "json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)["summary"]
    assert summary["errors"] == 0 and summary["files"] > 60


def test_clean_dataset_exit_0(tiny):
    result = runner.invoke(app, ["lint", "--data", str(tiny), "--as-of", "2026-07-01"])
    assert result.exit_code == 0
    assert result.stdout.strip().endswith("8 files checked: 0 errors, 0 warnings")


def test_error_exit_1_and_located_message(tmp_path):
    root = write_dataset(tmp_path, [org("org-a")], [activity("act-1", sector="protection", services=["legal-aid", "lega-aid"])])
    result = runner.invoke(app, ["lint", "--data", str(root), "--as-of", "2026-07-01"])
    assert result.exit_code == 1
    line = [ln for ln in result.stdout.splitlines() if "unknown-code" in ln][0]
    # line 1 is the schema header; services' second item is on line 8
    assert line == f"{root}/activities/act-1.yaml:8:3: error unknown-code: unknown service 'lega-aid' (did you mean 'legal-aid'?)"


def test_missing_data_dir_is_usage_error(tmp_path):
    result = runner.invoke(app, ["lint", "--data", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr and "Traceback" not in result.output


def test_folder_without_organizations_is_usage_error(tmp_path):
    result = runner.invoke(app, ["lint", "--data", str(tmp_path)])
    assert result.exit_code == 2
    assert "no organizations/ folder" in result.stderr
