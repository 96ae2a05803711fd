"""ngocoord export: the 3W table as CSV, HXL, JSON records and SQLite."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest
from typer.testing import CliRunner

from conftest import activity, org, write_dataset
from ngocoord.cli import app
from ngocoord.render.export import COLUMN_NAMES, COLUMNS

runner = CliRunner()


@pytest.fixture
def three_w(tmp_path):
    return write_dataset(tmp_path / "data", [
        org("org-a", name="Org A"), org("org-b", name="=HYPERLINK(\"http://x\")", type="ingo"),
        org("donor-x", name="Donor X", type="donor"),
    ], [
        activity("act-1", title="Legal aid in Erbil", partners=["org-b"], donors=["donor-x"],
                 services=["legal-aid", "psychosocial-support"], population=["women", "prisoners"],
                 locations=[{"area": "G1D1", "site": "Erbil women's prison"}, {"area": "G2"}],
                 start="2025-01", end="2026-12", beneficiaries={"targeted": 120, "reached": 45}),
        activity("act-2", title="-2 cells", organization="org-b", sector="education",
                 services=["education-in-detention"], locations=[{"area": "G1D2", "site": "Soran prison"},
                                                                  {"area": "G1D1", "site": "Secret site"}],
                 sensitive=True),
        activity("act-3", title="Nationwide", locations=[{"area": "kri"}], status="planned"),
    ])


def export(root, *args):
    return runner.invoke(app, ["export", "--data", str(root), *args])


def test_csv_rows_one_per_activity_and_location(three_w):
    result = export(three_w)
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == list(COLUMN_NAMES)
    assert rows[1] == ["act-1", "Legal aid in Erbil", "org-a", "Org A", "nngo", "'=HYPERLINK(\"http://x\")", "org-b",
                       "Donor X", "donor-x", "protection", "Protection", "legal-aid; psychosocial-support",
                       "women; prisoners", "G1", "Erbil", "G1D1", "Erbil", "G1D1", "Erbil women's prison", "ongoing",
                       "2025-01", "2026-12", "120", "45", "no"]
    assert rows[2][13:19] == ["G2", "Duhok", "", "", "G2", ""]
    # sensitive: both districts coarsened to one governorate row, sites dropped, formula-like title neutralised
    assert [r[:2] + r[13:19] for r in rows if r[0] == "act-2"] == [
        ["act-2", "'-2 cells", "G1", "Erbil", "", "", "G1", ""]]
    # a region location has no admin1/admin2
    assert [r[13:19] for r in rows if r[0] == "act-3"] == [["", "", "", "", "kri", ""]]
    assert len(rows) == 5


def test_include_sensitive_keeps_places_and_warns(three_w):
    result = export(three_w, "--include-sensitive")
    assert result.exit_code == 0
    assert result.stderr == ("warning: --include-sensitive: the exact places of 1 sensitive activity are included; "
                             "do not publish this output\n")
    rows = [r for r in csv.reader(io.StringIO(result.stdout)) if r[0] == "act-2"]
    assert [r[15:19] for r in rows] == [["G1D2", "Soran", "G1D2", "Soran prison"],
                                        ["G1D1", "Erbil", "G1D1", "Secret site"]]


def test_json_records(three_w):
    result = export(three_w, "--format", "json")
    records = json.loads(result.stdout)
    assert result.stderr == ""
    assert [r["activity_id"] for r in records] == ["act-1", "act-1", "act-2", "act-3"]
    assert records[0]["services"] == ["legal-aid", "psychosocial-support"]
    assert records[0]["targeted"] == 120 and records[0]["sensitive"] is False
    assert records[2]["site"] is None and records[2]["admin2_code"] is None
    assert records[2]["activity_title"] == "-2 cells"  # JSON is for programs: no spreadsheet quoting
    assert "Secret site" not in result.stdout and "Soran" not in result.stdout


def test_hxl_read_by_libhxl(three_w, tmp_path):
    import hxl  # the test extra installs it: a missing reader must fail here, not skip
    out = tmp_path / "3w.csv"
    assert export(three_w, "--format", "hxl", "--output", str(out)).exit_code == 0
    source = hxl.data(str(out), hxl.InputOptions(allow_local=True))
    tags = [c.display_tag for c in source.columns]
    assert tags == [tag for _c, tag in COLUMNS]
    for needed in ("#org", "#sector", "#activity", "#adm1+code", "#adm2+code", "#status", "#date+start",
                   "#date+end", "#targeted", "#reached"):
        assert any(hxl.TagPattern.parse(needed).match(c) for c in source.columns), needed
    rows = list(source)
    assert [r.get("#activity+code") for r in rows] == ["act-1", "act-1", "act-2", "act-3"]
    assert rows[0].get("#org+impl") == "'=HYPERLINK(\"http://x\")"
    assert rows[0].get("#org+funder+name") == "Donor X"
    assert rows[0].get("#adm1+name") == "Erbil" and rows[0].get("#adm2+code") == "G1D1"
    assert rows[0].get("#targeted") == "120"
    assert rows[0].get("#sector") == "protection"


def test_sqlite(three_w, tmp_path):
    db = tmp_path / "3w.sqlite"
    result = export(three_w, "--format", "sqlite", "--output", str(db))
    assert result.exit_code == 0, result.output
    con = sqlite3.connect(db)
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"organizations", "activities", "locations", "activity_services", "activity_partners", "activity_donors",
            "activity_populations", "areas", "regions", "region_members", "sectors", "services", "populations",
            "org_types", "sources", "three_w"} <= tables
    assert con.execute("SELECT id, name, type FROM organizations ORDER BY id").fetchall() == [
        ("donor-x", "Donor X", "donor"), ("org-a", "Org A", "nngo"), ("org-b", '=HYPERLINK("http://x")', "ingo")]
    assert con.execute("SELECT activity, area, site, admin1, admin2 FROM locations ORDER BY activity, area").fetchall() == [
        ("act-1", "G1D1", "Erbil women's prison", "G1", "G1D1"), ("act-1", "G2", None, "G2", None),
        ("act-2", "G1", None, "G1", None), ("act-3", "kri", None, None, None)]
    # a question a coordinator would ask: which organizations deliver protection in Erbil?
    assert con.execute("""SELECT DISTINCT o.name FROM activities a JOIN locations l ON l.activity = a.id
                          JOIN organizations o ON o.id = a.organization
                          WHERE a.sector = 'protection' AND l.admin1 = 'G1'""").fetchall() == [("Org A",)]
    assert con.execute("SELECT count(*) FROM areas").fetchone() == (8,)
    assert con.execute("SELECT targeted, reached, sensitive FROM activities WHERE id='act-1'").fetchone() == (120, 45, 0)
    assert con.execute("SELECT count(*) FROM three_w").fetchone() == (4,)


def test_sqlite_needs_output(three_w):
    result = export(three_w, "--format", "sqlite")
    assert result.exit_code == 2
    assert result.stderr == "ngocoord: error: --format sqlite needs --output FILE\n"


@pytest.mark.parametrize("fmt", ["csv", "sqlite"])
def test_output_never_overwritten_without_force(three_w, tmp_path, fmt):
    out = tmp_path / "out"
    out.write_text("keep me")
    result = export(three_w, "--format", fmt, "--output", str(out))
    assert result.exit_code == 2
    assert result.stderr == f"ngocoord: error: {out} already exists; pass --force to replace it\n"
    assert out.read_text() == "keep me"
    assert export(three_w, "--format", fmt, "--output", str(out), "--force").exit_code == 0
    assert out.read_bytes() != b"keep me"


def test_unwritable_output_is_a_usage_error(three_w, tmp_path):
    result = export(three_w, "--output", str(tmp_path / "missing" / "x.csv"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"ngocoord: error: cannot write {tmp_path / 'missing' / 'x.csv'}")
