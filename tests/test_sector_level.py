"""Sector-level activities (no `services`): valid, counted in sector columns, listed as `unspecified`
in service columns, never paired as duplicates, and counted as 'not compared'."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from conftest import activity, org, write_dataset
from ngocoord.cli import app

runner = CliRunner()


def sector_level(id: str, **fields) -> dict:
    record = activity(id, **fields)
    del record["services"]
    return record


def dataset(tmp_path):
    return write_dataset(tmp_path / "data", [org("org-a"), org("org-b")], [
        sector_level("s1", organization="org-a", locations=[{"area": "G1D1"}]),
        sector_level("s2", organization="org-b", locations=[{"area": "G1D1"}]),
        activity("a1", organization="org-b", services=["legal-aid"], locations=[{"area": "G1D1"}]),
        {**activity("e1", sector="education", services=[]), "organization": "org-a"},
    ])


def run(*args):
    result = runner.invoke(app, [*args])
    return result


def test_lint_accepts_absent_and_empty_services(tmp_path):
    data = dataset(tmp_path)
    result = run("lint", "--data", str(data), str(data))
    assert result.exit_code == 0, result.output


def test_sector_columns_count_them(tmp_path):
    data = dataset(tmp_path)
    out = json.loads(run("gaps", "--data", str(data), "--region", "kri", "--as-of", "2026-07-01",
                         "--format", "json").stdout)
    assert out["rows"][0]["counts"] == {"protection": 2, "education": 1, "justice": 0}
    assert "unspecified" not in out


def test_service_columns_list_them_as_unspecified(tmp_path):
    data = dataset(tmp_path)
    args = ["gaps", "--data", str(data), "--region", "kri", "--sector", "protection", "--as-of", "2026-07-01"]
    out = json.loads(run(*args, "--format", "json").stdout)
    assert out["rows"][0]["counts"] == {"legal-aid": 1, "psychosocial-support": 0}
    assert out["unspecified"] == ["s1", "s2"]
    table = run(*args).stdout
    assert "sector level only: 2 active activities name no service" in table
    assert "sector level only: 2 active" in run(*args, "--format", "markdown").stdout


def test_never_paired_and_counted_as_not_compared(tmp_path):
    data = dataset(tmp_path)
    args = ["duplicates", "--data", str(data), "--as-of", "2026-07-01"]
    out = json.loads(run(*args, "--format", "json").stdout)
    assert out == {"as_of": "2026-07-01", "pairs": [], "not_compared": 3}
    assert run(*args).stdout.strip() == ("0 duplicate pairs active on 2026-07-01; 3 sector-level activities "
                                         "(no service) could not be compared")
    protection = json.loads(run(*args, "--sector", "protection", "--format", "json").stdout)
    assert protection["not_compared"] == 2


def test_report_says_how_many_could_not_be_compared(tmp_path):
    data = dataset(tmp_path)
    for fmt in ("markdown", "html"):
        out = run("report", "--data", str(data), "--region", "kri", "--as-of", "2026-07-01", "--format", fmt).stdout
        assert "3 active sector-level activities (no service given) could not be compared" in out
