"""Stale cells (SPEC, *Stale cells*): a count resting only on records reviewed over a year ago is marked."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from ngocoord.cli import app
from tests.conftest import activity, org, write_dataset

DAY = "2026-06-01"


def _ds(tmp_path):
    return write_dataset(tmp_path / "data", [org("org-a"), org("org-b"), org("org-c")], [
        # Erbil protection: one old record and one fresh one -> not stale
        activity("old-erbil", organization="org-a", last_reviewed="2024-01-01"),
        activity("new-erbil", organization="org-b", last_reviewed="2026-01-01"),
        # Duhok protection: only an old record -> stale; a partial date means its last day
        activity("old-duhok", organization="org-a", locations=[{"area": "G2D1"}], last_reviewed="2025-05"),
        # Duhok education: reviewed exactly 365 days before the day -> not stale
        activity("edge-duhok", organization="org-c", sector="education", services=["education-in-detention"],
                 locations=[{"area": "G2"}], last_reviewed="2025-06-01"),
    ])


def run(*args):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def test_json_lists_stale_cells(tmp_path):
    data = _ds(tmp_path)
    out = json.loads(run("gaps", "--region", "kri", "--as-of", DAY, "--data", str(data), "--format", "json").stdout)
    assert out["stale"] == [{"area": "G2", "column": "protection"}]
    assert out["rows"][1]["counts"]["protection"] == 1


def test_table_csv_and_markdown_mark_stale_cells(tmp_path):
    data = _ds(tmp_path)
    md = run("gaps", "--region", "kri", "--as-of", DAY, "--data", str(data), "--format", "markdown").stdout
    assert "| G2 | Duhok | 1 (thin, stale) | 1 (thin) | 0 (gap) |" in md
    assert "| G1 | Erbil | 2 | 0 (gap) | 0 (gap) |" in md
    assert "(1 cell)" in md.split("stale:")[1]
    table = run("gaps", "--region", "kri", "--as-of", DAY, "--data", str(data)).stdout
    assert "1~?" in table and "1~ " in table   # no colour in a pipe: thin is '~', stale '?'
    csv = run("gaps", "--region", "kri", "--as-of", DAY, "--data", str(data), "--format", "csv").stdout
    assert "G2,Duhok,1,1,0" in csv   # CSV keeps plain numbers


def test_stale_uses_the_one_staleness_rule(tmp_path):
    from ngocoord.analysis.gaps import coverage
    from ngocoord.load.dataset import load_dataset
    import datetime as dt

    ds = load_dataset(_ds(tmp_path))
    # 2025-05 means 2025-05-31: 366 days before 2026-06-01 is stale, 365 days is not
    assert coverage(ds, "kri", as_of=dt.date(2026, 5, 31)).stale == []
    assert coverage(ds, "kri", as_of=dt.date(2026, 6, 1)).stale == [("G2", "protection")]
    cov = coverage(ds, "kri", as_of=dt.date(2026, 6, 1))
    assert cov.counted == ["edge-duhok", "new-erbil", "old-duhok", "old-erbil"]
    assert cov.counted_stale == ["old-duhok", "old-erbil"]


def test_report_headline_says_how_many_counted_records_are_stale(tmp_path):
    data = _ds(tmp_path)
    md = run("report", "--region", "kri", "--as-of", DAY, "--data", str(data)).stdout
    assert ("Of the 4 activities counted in the coverage, 2 were last reviewed more than a year ago "
            "(1 cell rests only on such records).") in md
    assert "| Duhok | 1 thin (stale) | 1 thin | 0 gap |" in md
    html = run("report", "--region", "kri", "--as-of", DAY, "--data", str(data), "--format", "html").stdout
    assert 'class="num thin stale"' in html and "of 4 counted in the coverage are stale" in html
