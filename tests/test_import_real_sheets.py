"""The real 3W sheets in ../shared/real-3w/ (see its README), each with its profile under
tests/profiles/, imported into a dataset made by `ngocoord init --country` for its country:
at least 95% of the rows go in, the others are listed with a reason, lint finds no error,
and importing the same sheet again changes nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import unavailable
from ngocoord.cli import app

REPO = Path(__file__).resolve().parent.parent
# ../shared/real-3w from the project's root (a worktree further down finds it among its parents)
SHEETS = next((p / "shared" / "real-3w" for p in REPO.parents if (p / "shared" / "real-3w").is_dir()),
              REPO.parent / "shared" / "real-3w")
PROFILES = Path(__file__).resolve().parent / "profiles"
runner = CliRunner()

# sheet, profile, countries (the dataset's), a day within the round (for lint's status and dates)
CASES = {
    "som": ("som_3w_2025_jan_apr.xlsx", "som_3w_2025.yaml", ["SOM"], "2025-03-01"),
    "tcd": ("tcd_3w_2025_apr.xlsx", "tcd_3w_2025.yaml", ["TCD"], "2025-04-15"),
    "eth": ("eth_4w_2025_aug.csv", "eth_4w_2025.yaml", ["ETH"], "2025-08-15"),
    # libhxl's example spans three countries: a regional forum's dataset holds all three
    "libhxl-csv": ("libhxl_input-valid.csv", "libhxl_3w.yaml", ["COL", "PAN", "VEN"], "2025-01-01"),
    "libhxl-xlsx": ("libhxl_input-merged.xlsx", "libhxl_3w.yaml", ["COL", "PAN", "VEN"], "2025-01-01"),
}


def dataset_for(tmp_path: Path, countries: list[str]) -> Path:
    """`ngocoord init` for the first country; the others' areas added to the same areas.yaml."""
    first = tmp_path / "forum"
    result = runner.invoke(app, ["init", str(first), "--country", countries[0]])
    assert result.exit_code == 0, result.output
    data = first / "data"
    areas = data / "codelists" / "areas.yaml"
    for other in countries[1:]:
        result = runner.invoke(app, ["init", str(tmp_path / other), "--country", other])
        assert result.exit_code == 0, result.output
        theirs = (tmp_path / other / "data" / "codelists" / "areas.yaml").read_text(encoding="utf-8")
        entries = [line for line in theirs.splitlines() if line.startswith("  - {code:")]
        text = areas.read_text(encoding="utf-8")
        head, sep, tail = text.partition("\nregions:")
        areas.write_text(head.rstrip("\n") + "\n" + "\n".join(entries) + "\n" + sep + tail, encoding="utf-8")
    return data


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.yaml"))}


@pytest.mark.parametrize("case", CASES)
def test_real_sheet(tmp_path, case):
    sheet, profile, countries, day = CASES[case]
    path = SHEETS / sheet
    if not path.is_file():
        unavailable(f"{path} is not here (the shared real-3w folder)")
    data = dataset_for(tmp_path, countries)
    args = ["import", str(path), "--data", str(data), "--profile", str(PROFILES / profile), "--skip-invalid",
            "--format", "json"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    out = json.loads(first.stdout)
    failed = {p["row"] for p in out["problems"]}
    assert out["rows"] - len(failed) - len(out["skipped"]) >= 0.95 * out["rows"]
    for p in out["problems"]:   # the rest are listed, each with its reason
        assert p["row"] and p["field"] and p["message"]
    assert out["activities"]["created"] and not out["activities"]["updated"]
    lint = runner.invoke(app, ["lint", "--data", str(data), "--as-of", day, "--format", "json"])
    assert lint.exit_code == 0, lint.stdout[:2000]
    assert json.loads(lint.stdout)["summary"]["errors"] == 0
    before = files(data)
    again = runner.invoke(app, args)
    assert again.exit_code == 0, again.output
    out2 = json.loads(again.stdout)
    assert out2["activities"] == {"created": [], "updated": [], "unchanged": len(out["activities"]["created"])}
    assert out2["organizations"] == {"created": []}
    assert files(data) == before
    gaps = runner.invoke(app, ["gaps", "--data", str(data), "--region", countries[0], "--as-of", day, "--format", "json"])
    assert gaps.exit_code == 0, gaps.output
    assert any(n for row in json.loads(gaps.stdout)["rows"] for n in row["counts"].values())


def test_the_readme_worked_example_shows_the_real_suggested_profile(tmp_path):
    path = SHEETS / "tcd_3w_2025_apr.xlsx"
    if not path.is_file():
        unavailable(f"{path} is not here (the shared real-3w folder)")
    data = dataset_for(tmp_path, ["TCD"])
    result = runner.invoke(app, ["import", str(path), "--data", str(data), "--suggest-profile"])
    assert result.exit_code == 0, result.output
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = readme[readme.index("#### Bring in a 3W round"):]
    shown = re.search(r"```yaml\n(.*?)```", example, re.S).group(1)
    suggested = "".join(line + "\n" for line in result.stdout.splitlines() if not line.startswith("#"))
    assert shown == suggested
