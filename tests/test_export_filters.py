"""export --region, --sector and --org select activities as `activities` does, never revealing a
sensitive activity's district."""

from __future__ import annotations

import csv
import io

import pytest
from typer.testing import CliRunner

from ngocoord.cli import app
from tests.conftest import activity, org, write_dataset

runner = CliRunner()


@pytest.fixture
def data(tmp_path):
    return write_dataset(tmp_path / "data", [org("org-a"), org("org-b", name="Beta Relief", acronym="BR")], [
        activity("erbil-legal", organization="org-a"),
        activity("duhok-school", organization="org-b", sector="education", services=["education-in-detention"],
                 locations=[{"area": "G2D1"}]),
        activity("secret", organization="org-b", sensitive=True, locations=[{"area": "G1D2", "site": "Prison"}]),
        activity("baghdad-legal", organization="org-a", partners=["org-b"], locations=[{"area": "G3"}]),
    ])


def exported(data, *args):
    result = runner.invoke(app, ["export", "--data", str(data), *args])
    assert result.exit_code == 0, result.stderr
    return sorted({row["activity_id"] for row in csv.DictReader(io.StringIO(result.stdout))})


def test_region(data):
    assert exported(data, "--region", "kri") == ["duhok-school", "erbil-legal", "secret"]
    assert exported(data, "--region", "Duhok", "--region", "Baghdad") == ["baghdad-legal", "duhok-school"]


def test_sector_and_org(data):
    assert exported(data, "--sector", "education") == ["duhok-school"]
    assert exported(data, "--org", "BR") == ["baghdad-legal", "duhok-school", "secret"]
    assert exported(data, "--org", "Beta Relief", "--sector", "protection") == ["baghdad-legal", "secret"]


def test_a_district_filter_does_not_reveal_a_sensitive_activity(data):
    # 'secret' is in Soran (G1D2) but published at Erbil governorate: a Soran export must not hold it
    assert exported(data, "--region", "Soran") == []
    assert exported(data, "--region", "Soran", "--include-sensitive") == ["secret"]


def test_unknown_filter_value_is_a_usage_error(data):
    result = runner.invoke(app, ["export", "--data", str(data), "--org", "nobody"])
    assert result.exit_code == 2 and result.stderr.startswith("ngocoord: error: unknown organization 'nobody'")


def test_data_pointed_at_a_repository_suggests_its_data_folder(tmp_path):
    write_dataset(tmp_path / "repo" / "data", [org("org-a")])
    result = runner.invoke(app, ["orgs", "--data", str(tmp_path / "repo")])
    assert result.exit_code == 2
    assert result.stderr == (f"ngocoord: error: --data: {tmp_path / 'repo'} is not a dataset (it has no organizations/ "
                             f"folder): it looks like a repository, whose dataset is {tmp_path / 'repo' / 'data'}; "
                             f"did you mean --data {tmp_path / 'repo' / 'data'}?\n")
    elsewhere = runner.invoke(app, ["orgs", "--data", str(tmp_path)])
    assert elsewhere.stderr == f"ngocoord: error: --data: {tmp_path} is not a dataset (it has no organizations/ folder)\n"
