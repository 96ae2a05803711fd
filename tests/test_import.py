"""ngocoord import: a 3W table (CSV or XLSX) into YAML files that lint clean."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from conftest import activity, org, write_dataset
from ngocoord.cli import app
from ngocoord.dataset import load_dataset
from ngocoord.yamlload import parse

runner = CliRunner()


@pytest.fixture
def empty(tmp_path):
    return write_dataset(tmp_path / "target", [org("org-a", name="Org A", acronym="OA")], [])


def run(*args):
    return runner.invoke(app, [*args])


def load_yaml(path):
    return parse(str(path), path.read_bytes()).data   # ngocoord's loader: dates stay text


COMMON = (
    "Organization,Org type,Partner,Sector,Activity,Service,Population,Governorate,District,Site,Status,"
    "Start date,End date,Targeted,Reached\n"
    "OA,,New Partner,Protection,Legal counselling,Legal aid,Women,Arbil,Soran,Soran prison,Ongoing,"
    "2025-01-05,2026-12,\"1,200\",300\n"
    "OA,,New Partner,Protection,Legal counselling,Legal aid,Women,Hawler,Erbil,,Ongoing,2025-01-05,2026-12,\"1,200\",300\n"
    "Brand-new NGO,INGO,,education,Classes,Education in detention,,Duhok,,,completed,2024,2024,,\n"
)


def test_common_headers_names_and_aliases(empty, tmp_path):
    table = tmp_path / "3w 2025.csv"
    table.write_text(COMMON, encoding="utf-8")
    result = run("import", str(table), "--data", str(empty), "--default-org-type", "National NGO")
    assert result.exit_code == 0, result.output
    assert result.stderr == ("wrote 2 organization and 2 activity files from 3w 2025.csv; "
                             "run 'ngocoord lint' to check them\n")
    assert sorted(p.name for p in (empty / "activities").iterdir()) == [
        "brand-new-ngo-classes.yaml", "org-a-legal-counselling.yaml"]
    text = (empty / "activities" / "org-a-legal-counselling.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=../../schemas/activity.schema.json\n")
    record = load_yaml(empty / "activities" / "org-a-legal-counselling.yaml")
    today = record["last_reviewed"]
    assert record == {
        "id": "org-a-legal-counselling", "title": "Legal counselling", "organization": "org-a",
        "partners": ["new-partner"], "sector": "protection", "services": ["legal-aid"], "population": ["women"],
        "locations": [{"area": "G1D2", "site": "Soran prison"}, {"area": "G1D1"}],
        "status": "ongoing", "start": "2025-01-05", "end": "2026-12",
        "beneficiaries": {"targeted": 1200, "reached": 300}, "last_reviewed": today,
        "sources": [{"title": "3W table 3w 2025.csv, imported with ngocoord import", "date": today}]}
    assert load_yaml(empty / "organizations" / "new-partner.yaml")["type"] == "nngo"
    assert load_yaml(empty / "organizations" / "brand-new-ngo.yaml")["type"] == "ingo"
    assert load_yaml(empty / "activities" / "brand-new-ngo-classes.yaml")["locations"] == [{"area": "G2"}]
    lint = run("lint", "--data", str(empty), "--as-of", "2026-06-01")
    assert lint.exit_code == 0, lint.output
    assert lint.stdout.endswith("0 errors, 0 warnings\n")
    written = [str(empty / "activities" / n) for n in ("brand-new-ngo-classes.yaml", "org-a-legal-counselling.yaml")]
    written += [str(empty / "organizations" / n) for n in ("brand-new-ngo.yaml", "new-partner.yaml")]
    fmt = run("fmt", "--check", "--data", str(empty), *written)
    assert fmt.exit_code == 0, fmt.output


def test_every_unmapped_value_reported_with_row_and_suggestion(empty, tmp_path):
    table = tmp_path / "bad.csv"
    table.write_text(
        "Organisation,Cluster,Activity,Service,Governorate,District,Status,Start\n"
        "OA,Protecton,Legal aid,Legal aid,Erbil,Soran,ongoing,2025\n"
        "OA,Protection,Legal aid 2,Legal aid,Erbill,,ongoing,05/01/2025\n"
        "OA,Protection,Legal aid 3,Legal aid,Erbil,Zakho,runing,2025\n"
        "Unknown Org,Protection,Legal aid 4,Legal aide,Erbil,,ongoing,2025\n", encoding="utf-8")
    result = run("import", str(table), "--data", str(empty))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "bad.csv:2:2: error import: unknown sector 'Protecton' (column 'Cluster') "
        "(did you mean 'Protection'? See 'ngocoord codes sectors')",
        "bad.csv:3:5: error import: unknown governorate 'Erbill' (column 'Governorate') (did you mean 'Erbil'?)",
        "bad.csv:3:8: error import: start date '05/01/2025' is not YYYY-MM-DD, YYYY-MM or YYYY (column 'Start')",
        "bad.csv:4:6: error import: unknown district 'Zakho' in Erbil (column 'District') "
        "(Zakho is a district of Duhok: check the governorate)",
        "bad.csv:4:7: error import: unknown status 'runing' (column 'Status') "
        "(one of: planned, ongoing, completed, suspended, cancelled)",
        "bad.csv:5:1: error import: organization 'Unknown Org' is not in the dataset and its type is unknown "
        "(column 'Organisation') (pass --default-org-type TYPE or add an 'Organization type' column; "
        "see 'ngocoord codes org-types')",
        "bad.csv:5:4: error import: unknown service 'Legal aide' (column 'Service') "
        "(did you mean 'Legal aid'? See 'ngocoord codes services')",
        "nothing written; it would write 0 organization and 0 activity files: fix the 7 value(s) above, "
        "or pass --skip-invalid",
    ]
    assert list((empty / "activities").iterdir()) == []


def test_skip_invalid_writes_the_good_rows(empty, tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("Org,Sector,Activity,Service,Admin1,Status\nOA,Protection,Good,legal-aid,Duhok,ongoing\n"
                     "OA,Nope,Bad,legal-aid,Duhok,ongoing\n", encoding="utf-8")
    result = run("import", str(table), "--data", str(empty), "--skip-invalid")
    assert result.exit_code == 1
    assert [p.name for p in (empty / "activities").iterdir()] == ["org-a-good.yaml"]


def test_dry_run_writes_nothing(empty, tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("Org,Sector,Activity,Service,Admin1,Status\nOA,Protection,Good,legal-aid,Duhok,ongoing\n")
    result = run("import", str(table), "--data", str(empty), "--dry-run")
    assert result.exit_code == 0
    assert result.stdout == f"{empty / 'activities' / 'org-a-good.yaml'}\n"
    assert result.stderr == "would write 0 organization and 1 activity files (dry run)\n"
    assert list((empty / "activities").iterdir()) == []


def test_never_overwrites(empty, tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("Org,Sector,Activity,Service,Admin1,Status\nOA,Protection,Good,legal-aid,Duhok,ongoing\n")
    target = empty / "activities" / "org-a-good.yaml"
    target.write_text("# mine\n")
    result = run("import", str(table), "--data", str(empty))
    assert "warning import: activity 'org-a-good' already exists (org-a-good.yaml); it was not overwritten" in result.stderr
    assert target.read_text() == "# mine\n"


def test_xlsx_with_hxl_tags(empty, tmp_path):
    import openpyxl  # a dependency of ngocoord: missing, it must fail here, not skip
    import datetime as dt

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["3W Iraq, prepared by the forum"])
    sheet.append(["Who", "Lead id", "Cluster", "What", "Services", "Gov", "Status", "From", "Reached"])
    sheet.append(["#org+name", "#org+code", "#sector+cluster", "#activity", "#service", "#adm1+code", "#status",
                  "#date+start", "#reached"])
    sheet.append(["Org A", "org-a", "Education", "Classes in Karkh", "education-in-detention", "G3", "ongoing",
                  dt.datetime(2025, 3, 1), 40.0])
    path = tmp_path / "3w.xlsx"
    book.save(path)
    result = run("import", str(path), "--data", str(empty))
    assert result.exit_code == 0, result.output
    record = load_yaml(empty / "activities" / "org-a-classes-in-karkh.yaml")
    assert (record["title"], record["locations"], record["start"], record["beneficiaries"]) == (
        "Classes in Karkh", [{"area": "G3"}], "2025-03-01", {"reached": 40})


def test_not_a_table_is_a_usage_error(empty, tmp_path):
    bad = tmp_path / "x.csv"
    bad.write_bytes(b"\xff\xfe\x00 binary")
    result = run("import", str(bad), "--data", str(empty))
    assert result.exit_code == 2
    assert result.stderr == f"ngocoord: error: {bad} is not UTF-8 text (byte 0): save it as CSV UTF-8\n"
    result = run("import", str(tmp_path / "missing.csv"), "--data", str(empty))
    assert (result.exit_code, result.stderr) == (2, f"ngocoord: error: {tmp_path / 'missing.csv'}: no such file\n")


ROUND_TRIP_KEYS = ("id", "title", "organization", "partners", "donors", "sector", "services", "population",
                   "locations", "status", "start", "end", "beneficiaries", "sensitive")


@pytest.mark.parametrize("fmt", ["csv", "hxl"])
def test_round_trip_export_then_import(tmp_path, fmt):
    source = write_dataset(tmp_path / "source", [
        org("org-a", name="Org A"), org("org-b", name="Org B", type="ingo"), org("donor-x", name="Donor X", type="donor"),
    ], [
        activity("act-1", title="Legal aid, Erbil", organization="org-a", partners=["org-b"], donors=["donor-x"],
                 services=["legal-aid", "psychosocial-support"], population=["women", "prisoners"],
                 locations=[{"area": "G1D1", "site": "=Erbil prison"}, {"area": "G2"}, {"area": "kri"}],
                 start="2025-01", end="2026-12-31", beneficiaries={"targeted": 120, "reached": 45}),
        activity("act-2", organization="org-b", sector="education", services=["education-in-detention"],
                 locations=[{"area": "G3D1", "site": "Karkh"}], status="completed", start="2024", sensitive=True),
        activity("act-3", organization="org-a", status="planned", locations=[{"area": "IQ"}]),
    ])
    exported = tmp_path / "3w.csv"
    result = run("export", "--data", str(source), "--format", fmt, "--include-sensitive", "--output", str(exported))
    assert result.exit_code == 0
    target = write_dataset(tmp_path / "target")
    result = run("import", str(exported), "--data", str(target), "--default-org-type", "donor")
    assert result.exit_code == 0, result.output
    before, after = load_dataset(source), load_dataset(target)
    assert sorted(after.activities) == ["act-1", "act-2", "act-3"]
    for aid, act in before.activities.items():
        assert {k: act.raw.get(k) for k in ROUND_TRIP_KEYS} == {k: after.activities[aid].raw.get(k) for k in ROUND_TRIP_KEYS}
    assert {o.id: (o.name, o.type) for o in after.organizations.values()} == {
        "org-a": ("Org A", "nngo"), "org-b": ("Org B", "ingo"), "donor-x": ("Donor X", "donor")}
    assert run("lint", "--data", str(target)).exit_code == 0


def test_never_writes_into_the_dataset_bundled_in_the_package(tmp_path):
    bundled = write_dataset(tmp_path / "site-packages" / "ngocoord" / "_bundled" / "data")
    table = tmp_path / "t.csv"
    table.write_text("Org,Sector,Activity,Service,Admin1,Status\nOA,Protection,Good,legal-aid,Duhok,ongoing\n")
    result = run("import", str(table), "--data", str(bundled))
    assert result.exit_code == 2
    assert result.stderr == ("ngocoord: error: no dataset folder to import into: pass --data DIR "
                             "(a folder with organizations/, activities/, codelists/)\n")
