"""ngocoord import: sheets (CSV, XLSX, ODS) mapped through profiles, headers and codelists into
records that lint clean; rounds update what they match and change nothing twice."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from conftest import activity, org, write_dataset
from ngocoord.cli import app
from ngocoord.load.yamlload import parse

runner = CliRunner()
TODAY = dt.date.today().isoformat()


@pytest.fixture
def empty(tmp_path):
    return write_dataset(tmp_path / "target", [org("org-a", name="Org A", acronym="OA")], [])


def run(*args):
    return runner.invoke(app, [*args])


def load_yaml(path):
    return parse(str(path), path.read_bytes()).data   # ngocoord's loader: dates stay text


def files(root):
    return {p.relative_to(root).as_posix(): p.read_text() for p in sorted(root.rglob("*.yaml"))
            if "codelists" not in p.parts}


COMMON = (
    "Organization,Org type,Partners,Sector,Activity,Service,Population,Governorate,District,Site,Status,"
    "Start date,End date,Targeted,Reached\n"
    "OA,,New Partner,Protection,Legal counselling,Legal aid,Women,Arbil,Soran,Soran prison,Ongoing,"
    "2025-01-05,2026-12,\"1,200\",300\n"
    "OA,,New Partner,Protection,Legal counselling,Legal aid,Women,Hawler,Erbil,,Ongoing,2025-01-05,2026-12,\"1,200\",300\n"
    "Brand-new NGO (BNN),INGO,,education,Classes,Education in detention,,Duhok,,,completed,2024,2024,,\n"
)


def test_common_headers_names_and_aliases(empty, tmp_path):
    table = tmp_path / "3w 2025.csv"
    table.write_text(COMMON, encoding="utf-8")
    result = run("import", str(table), "--data", str(empty), "--set", "partner_type=National NGO")
    assert result.exit_code == 0, result.output
    assert result.stderr == ("3w 2025.csv: 3 rows, 3 mapped; activities: 2 created, 0 updated, 0 unchanged; "
                             "organizations: 2 created; run 'ngocoord lint' to check them\n")
    assert sorted(p.name for p in (empty / "activities").iterdir()) == ["bnn-classes.yaml", "org-a-legal-counselling.yaml"]
    record = load_yaml(empty / "activities" / "org-a-legal-counselling.yaml")
    assert record == {
        "id": "org-a-legal-counselling", "title": "Legal counselling", "organization": "org-a",
        "partners": ["new-partner"], "sector": "protection", "services": ["legal-aid"], "population": ["women"],
        "locations": [{"area": "G1D2", "site": "Soran prison"}, {"area": "G1D1"}],
        "status": "ongoing", "start": "2025-01-05", "end": "2026-12",
        "beneficiaries": {"targeted": 1200, "reached": 300}, "last_reviewed": TODAY,
        "sources": [{"title": "3W sheet 3w 2025.csv", "date": TODAY}]}
    assert load_yaml(empty / "organizations" / "new-partner.yaml")["type"] == "nngo"
    # "Name (ACRONYM)" is split: the id comes from the acronym, never 'bnn-bnn'
    new = load_yaml(empty / "organizations" / "bnn.yaml")
    assert (new["name"], new["acronym"], new["type"]) == ("Brand-new NGO", "BNN", "ingo")
    lint = run("lint", "--data", str(empty), "--as-of", "2026-06-01")
    assert lint.exit_code == 0, lint.output
    # the site (a prison) was imported without saying whether it is sensitive: lint asks
    assert lint.stdout.endswith("0 errors, 1 warning\n") and "warning sensitive-unset: it names the site" in lint.stdout
    written = [str(p) for p in (*(empty / "activities").iterdir(), empty / "organizations" / "bnn.yaml")]
    assert run("fmt", "--check", "--data", str(empty), *written).exit_code == 0


def test_importing_twice_changes_nothing(empty, tmp_path):
    table = tmp_path / "t.csv"
    table.write_text(COMMON, encoding="utf-8")
    assert run("import", str(table), "--data", str(empty), "--set", "partner_type=nngo").exit_code == 0
    before = files(empty)
    again = run("import", str(table), "--data", str(empty), "--set", "partner_type=nngo", "--format", "json")
    assert again.exit_code == 0, again.output
    out = json.loads(again.stdout)
    assert (out["activities"], out["organizations"]) == (
        {"created": [], "updated": [], "unchanged": 2}, {"created": []})
    assert files(empty) == before


def test_a_round_updates_only_the_fields_the_sheet_carries(tmp_path):
    data = write_dataset(tmp_path / "data", [org("org-a", name="Org A")], [
        activity("legal-erbil", title="Legal  Aid in ERBIL", organization="org-a", population=["women"],
                 start="2024-01", description="kept as it is", locations=[{"area": "G1D1", "site": "Erbil prison"}])])
    table = tmp_path / "round2.csv"
    table.write_text("Organization,Cluster,Activity,District,Status\n"
                     "Org A,Protection,legal aid in erbil,Erbil,completed\n"
                     "Org A,Protection,legal aid in erbil,Soran,completed\n", encoding="utf-8")
    dry = run("import", str(table), "--data", str(data), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert dry.stdout.splitlines() == [
        "update activity legal-erbil — rows 2, 3",
        "    locations: [{area: G1D1, site: Erbil prison}] -> [{area: G1D1}, {area: G1D2}]",
        "    status: ongoing -> completed",
    ]
    assert run("import", str(table), "--data", str(data)).exit_code == 0
    record = load_yaml(data / "activities" / "legal-erbil.yaml")
    assert (record["title"], record["status"], record["locations"], record["population"], record["start"],
            record["description"], record["services"]) == (
        "Legal  Aid in ERBIL", "completed", [{"area": "G1D1"}, {"area": "G1D2"}], ["women"], "2024-01",
        "kept as it is", ["legal-aid"])
    assert record["last_reviewed"] == TODAY
    assert record["sources"] == [{"title": "3W sheet round2.csv", "date": TODAY}]


def test_unmapped_values_reported_with_row_column_and_suggestion(empty, tmp_path):
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
        "bad.csv: row 2, column B (Cluster): sector 'Protecton': unknown sector (did you mean 'protection'?; "
        "see 'ngocoord codes sectors')",
        "bad.csv: row 3, column E (Governorate): area 'Erbill': unknown place (did you mean 'G1 (Erbil)'?; "
        "see 'ngocoord codes areas'; or map it in values.area)",
        "bad.csv: row 3, column H (Start): start '05/01/2025': not a date: write YYYY-MM-DD, YYYY-MM or YYYY",
        "bad.csv: row 4, column G (Status): status 'runing': unknown status (did you mean 'ongoing'?; one of "
        "planned, ongoing, completed, suspended, cancelled; or map it in values.status)",
        "bad.csv: row 5, column A (Organisation): organization 'Unknown Org': a new organization, and no type for it: "
        "add an organization type column, or set defaults.organization_type in the profile "
        "(or --set organization_type=TYPE)",
        "bad.csv: row 5, column D (Service): services 'Legal aide': unknown service (did you mean 'legal-aid'?; "
        "see 'ngocoord codes services')",
        "bad.csv: 4 rows, 0 mapped, 4 with problems; activities: 0 would be created, 0 would be updated, "
        "0 unchanged; organizations: 0 would be created; nothing written: fix the 4 row(s) above (or map their "
        "values in a profile: --suggest-profile), or pass --skip-invalid",
    ]
    assert list((empty / "activities").iterdir()) == []
    out = json.loads(run("import", str(table), "--data", str(empty), "--format", "json").stdout)
    assert out["problems"][0] == {"row": 2, "column": "B (Cluster)", "field": "sector", "value": "Protecton",
                                  "message": "unknown sector (did you mean 'protection'?; see 'ngocoord codes sectors')"}
    # Zakho lies in Duhok, not in the Erbil the row names: the row is placed in Erbil, Zakho is unmapped
    assert out["unmapped"] == {"sector": {"Protecton": 1}, "services": {"Legal aide": 1}, "area": {"Erbill": 1, "Zakho": 1},
                               "status": {"runing": 1}}


def test_skip_invalid_writes_the_good_rows_and_only_the_organizations_they_need(empty, tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("Org,Sector,Activity,Admin1,Status,Partner\nOA,Protection,Good,Duhok,ongoing,\n"
                     "OA,Nope,Bad,Duhok,ongoing,Partner Of A Bad Row\n", encoding="utf-8")
    result = run("import", str(table), "--data", str(empty), "--skip-invalid", "--set", "partner_type=nngo")
    assert result.exit_code == 0, result.output
    assert [p.name for p in (empty / "activities").iterdir()] == ["org-a-good.yaml"]
    assert [p.name for p in (empty / "organizations").iterdir()] == ["org-a.yaml"]


def test_control_characters_make_a_row_problem(empty, tmp_path):
    table = tmp_path / "t.csv"
    table.write_bytes(b"Org,Sector,Activity,Admin1,Status\nOA,Protection,Bad\x1b[31m,Duhok,ongoing\n"
                      b"OA,Protection,Good,Duhok,ongoing\n")
    result = run("import", str(table), "--data", str(empty), "--skip-invalid")
    assert "t.csv: row 2, column C (Activity): title 'Bad\\x1b[31m': the cell holds the control character U+001B" in result.stderr
    assert [p.name for p in (empty / "activities").iterdir()] == ["org-a-good.yaml"]
    assert run("lint", "--data", str(empty), "--as-of", "2026-06-01").exit_code == 0


@pytest.mark.parametrize("encoding,options", [("utf-8-sig", []), ("utf-16", []), ("cp1252", ["--encoding", "cp1252"])])
def test_csv_encodings(empty, tmp_path, encoding, options):
    table = tmp_path / "t.csv"
    table.write_bytes("Organisation;Secteur;Activité;Région;Statut\nOA;Protection;Aide juridique à Zakho;Duhok;En cours\n"
                      .encode(encoding))
    result = run("import", str(table), "--data", str(empty), *options)
    assert result.exit_code == 0, result.output
    record = load_yaml(empty / "activities" / "org-a-aide-juridique-a-zakho.yaml")
    assert (record["title"], record["status"], record["locations"]) == ("Aide juridique à Zakho", "ongoing", [{"area": "G2"}])


def test_not_utf8_without_encoding_is_a_usage_error(empty, tmp_path):
    table = tmp_path / "t.csv"
    table.write_bytes("Organisation,Secteur\nOA,Santé\n".encode("cp1252"))
    result = run("import", str(table), "--data", str(empty))
    assert (result.exit_code, result.stderr) == (2, f"ngocoord: error: {table} is not UTF-8 text (byte 28): pass its "
                                                    "encoding, e.g. --encoding cp1252, or save it as 'CSV UTF-8'\n")
    assert run("import", str(tmp_path / "missing.csv"), "--data", str(empty)).exit_code == 2


def test_xlsx_with_title_rows_and_hxl_tags(empty, tmp_path):
    import openpyxl  # a dependency of ngocoord: missing, it must fail here, not skip
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


def _ods(path, rows):
    """A minimal OpenDocument spreadsheet, written by hand (no library writes ODS)."""
    import zipfile
    from xml.sax.saxutils import escape

    body = "".join("<table:table-row>" + "".join(
        f'<table:table-cell office:value-type="string"><text:p>{escape(c)}</text:p></table:table-cell>' for c in row)
        + "</table:table-row>" for row in rows)
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f'<office:body><office:spreadsheet><table:table table:name="3W">{body}</table:table>'
               '</office:spreadsheet></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '</manifest:manifest>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", manifest)


def test_ods(empty, tmp_path):
    path = tmp_path / "3w.ods"
    _ods(path, [["Organization", "Cluster", "Activity", "District", "Status"],
                ["Org A", "Protection", "Legal aid", "Zakho", "ongoing"]])
    result = run("import", str(path), "--data", str(empty))
    assert result.exit_code == 0, result.output
    assert load_yaml(empty / "activities" / "org-a-legal-aid.yaml")["locations"] == [{"area": "G2D1"}]


def test_places_by_name_within_the_parent_named_in_the_row(empty, tmp_path):
    # 'Erbil' is a governorate and a district of it; the district column means the district
    table = tmp_path / "t.csv"
    table.write_text("Org,Sector,Activity,Governorate,District,Status\n"
                     "OA,Protection,A,Erbil,Erbil,ongoing\nOA,Protection,B,Erbil,,ongoing\n"
                     "OA,Protection,C,,G2D1,ongoing\n", encoding="utf-8")
    assert run("import", str(table), "--data", str(empty)).exit_code == 0
    places = {t: load_yaml(empty / "activities" / f"org-a-{t}.yaml")["locations"] for t in "abc"}
    assert places == {"a": [{"area": "G1D1"}], "b": [{"area": "G1"}], "c": [{"area": "G2D1"}]}


def test_no_profile_no_status_column_needs_a_default(empty, tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("Org,Cluster,Governorate\nOA,Protection,Erbil\n", encoding="utf-8")
    result = run("import", str(table), "--data", str(empty))
    assert result.exit_code == 1
    assert "no status given" in result.stderr and "no title" not in result.stderr.split("no status")[0]
    result = run("import", str(table), "--data", str(empty), "--set", "status=ongoing",
                 "--set", "title={sector} – {organization}")
    assert result.exit_code == 0, result.output
    record = load_yaml(empty / "activities" / "org-a-protection.yaml")
    assert (record["title"], record["status"], "services" in record) == ("Protection – Org A", "ongoing", False)


def test_profile_columns_values_defaults_and_overrides(empty, tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("Agence,Secteur,Lieu,Remarque\nOA,Santé publique,Dahuk,x\nOA,Autre,Dahuk,y\n", encoding="utf-8")
    profile = tmp_path / "p.yaml"
    profile.write_text("columns:\n  organization: Agence\n  sector: B\n  area: [Lieu]\n"
                       "values:\n  sector: {santé publique: education, autre: null}\n"
                       "defaults:\n  status: planned\n  title: '{sector} by {organization_acronym} in {area}'\n",
                       encoding="utf-8")
    result = run("import", str(table), "--data", str(empty), "--profile", str(profile), "--set", "start=2025-02")
    assert result.exit_code == 0, result.output
    assert "1 ignored by the profile" in result.stderr
    record = load_yaml(empty / "activities" / "org-a-education-by-oa-in-duhok.yaml")
    assert (record["title"], record["sector"], record["status"], record["start"]) == (
        "Education by OA in Duhok", "education", "planned", "2025-02")
    result = run("import", str(table), "--data", str(empty), "--profile", str(profile), "--column", "title=Remarque",
                 "--dry-run", "--format", "json")
    assert json.loads(result.stdout)["activities"]["created"] == ["org-a-x"]


def test_profile_errors_are_located(empty, tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("Org,Cluster\nOA,Protection\n", encoding="utf-8")
    profile = tmp_path / "p.yaml"
    profile.write_text("columns:\n  organisation: Org\ndefaults:\n  status: ongoing\n", encoding="utf-8")
    result = run("import", str(table), "--data", str(empty), "--profile", str(profile))
    assert result.exit_code == 2
    assert result.stderr == (f"ngocoord: error: the profile has problems:\n{profile}:2:3: error schema: unknown key "
                             "'organisation' in columns (did you mean 'organization', 'organization_acronym' or 'organization_type'?)\n")
    profile.write_text("columns:\n  organization: Agency\n", encoding="utf-8")
    result = run("import", str(table), "--data", str(empty), "--profile", str(profile))
    assert (result.exit_code, result.stderr) == (2, "ngocoord: error: columns.organization: the sheet has no column "
                                                    "'Agency'; its columns: 'Org', 'Cluster'\n")
    result = run("import", str(table), "--data", str(empty), "--set", "colour=red")
    assert result.exit_code == 2 and "--set: unknown field 'colour'" in result.stderr


def test_suggest_profile_lists_columns_and_unmapped_values_with_counts(empty, tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("Partner,Cluster,Region,District\nOA,Protecton,Erbil,Soran\nOA,Protecton,Erbil,Soran\n"
                     "OA,Nothing like it,Erbil,Sorann\n", encoding="utf-8")
    result = run("import", str(table), "--data", str(empty), "--suggest-profile")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert '  organization: "Partner"\n  sector: "Cluster"\n  area: ["District", "Region"]\n' in text
    assert '    "Protecton": "protection"   # 2 rows\n' in text
    assert '    "Nothing like it": null   # 1 row, no close code\n' in text
    assert '    "Sorann": "G1D2"   # 1 row\n' in text
    assert '  status: "ongoing"' in text
    suggested = tmp_path / "suggested.yaml"
    suggested.write_text(text, encoding="utf-8")
    result = run("import", str(table), "--data", str(empty), "--profile", str(suggested), "--dry-run",
                 "--set", "organization_type=nngo")
    assert result.exit_code == 0, result.output     # null: the row is left out, and the summary says so
    assert "3 rows, 2 mapped, 1 ignored by the profile" in result.stderr


def test_a_killed_import_run_again_ends_as_one_uninterrupted_run(tmp_path, monkeypatch):
    import ngocoord.atomic

    rows = "".join(f"Org {i % 7},Protection,Activity {i},Erbil,ongoing\n" for i in range(40))
    table = tmp_path / "t.csv"
    table.write_text("Organization,Cluster,Activity,Governorate,Status\n" + rows, encoding="utf-8")
    whole = write_dataset(tmp_path / "whole", [], [])
    assert run("import", str(table), "--data", str(whole), "--set", "organization_type=nngo").exit_code == 0
    killed = write_dataset(tmp_path / "killed", [], [])
    real = ngocoord.atomic.write_atomic
    calls = []

    def dies_after_ten(*args, **kwargs):
        if len(calls) == 10:
            raise KeyboardInterrupt
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(ngocoord.atomic, "write_atomic", dies_after_ten)
    interrupted = run("import", str(table), "--data", str(killed), "--set", "organization_type=nngo")
    assert interrupted.exit_code != 0
    monkeypatch.setattr(ngocoord.atomic, "write_atomic", real)
    assert 0 < len(files(killed)) < len(files(whole))
    assert run("import", str(table), "--data", str(killed), "--set", "organization_type=nngo").exit_code == 0
    assert files(killed) == files(whole)
    assert not list(killed.rglob(".*.tmp"))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_edit_import_changes_exactly_the_edited_records(tmp_path, fmt):
    data = write_dataset(tmp_path / "data", [org("org-a", name="Org A"), org("org-b", name="Org B", type="ingo")], [
        activity("act-1", title="=Legal aid, Erbil", organization="org-a", partners=["org-b"],
                 services=["legal-aid", "psychosocial-support"], population=["women", "prisoners"],
                 locations=[{"area": "G1D1", "site": "Erbil prison"}, {"area": "G2"}], start="2025-01",
                 end="2026-12-31", beneficiaries={"targeted": 120, "reached": 45}, last_reviewed="2026-01-01"),
        activity("act-2", organization="org-b", sector="education", services=["education-in-detention"],
                 locations=[{"area": "G3D1", "site": "Karkh"}], status="completed", start="2024", sensitive=True,
                 last_reviewed="2026-01-01"),
        activity("act-3", organization="org-a", status="planned", locations=[{"area": "IQ"}], last_reviewed="2026-01-01"),
    ])
    exported = tmp_path / f"3w.{fmt}"
    assert run("export", "--data", str(data), "--format", fmt, "--output", str(exported)).exit_code == 0
    before = files(data)
    same = run("import", str(exported), "--data", str(data), "--format", "json")
    assert same.exit_code == 0, same.output
    assert json.loads(same.stdout)["activities"] == {"created": [], "updated": [], "unchanged": 3}
    assert files(data) == before
    if fmt == "csv":
        text = exported.read_text(encoding="utf-8")
        edited = text.replace(",planned,", ",ongoing,")
        assert edited != text
        exported.write_text(edited, encoding="utf-8")
    else:
        import openpyxl

        book = openpyxl.load_workbook(exported)
        sheet = book.active
        assert sheet["B2"].value == "=Legal aid, Erbil" and sheet["B2"].data_type == "s"   # text, not a formula
        status = [c.value for c in sheet[1]].index("status") + 1
        for row in sheet.iter_rows(min_row=2):
            if row[0].value == "act-3":
                row[status - 1].value = "ongoing"
        book.save(exported)
    result = run("import", str(exported), "--data", str(data), "--format", "json")
    assert json.loads(result.stdout)["activities"] == {"created": [], "updated": ["act-3"], "unchanged": 2}
    after = files(data)
    assert {k for k in after if after[k] != before[k]} == {"activities/act-3.yaml"}
    assert "status: ongoing" in after["activities/act-3.yaml"]


def test_huge_declared_dimensions_cost_nothing(tmp_path):
    """A 1.8 KB XLSX declaring A1:XFD1048576, with one cell at row 1,048,576: read by its real cells."""
    import subprocess
    import sys
    import zipfile

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="3W" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData><row r="1048576"><c r="A1048576" t="inlineStr"><is><t>Organization</t></is></c></row></sheetData></worksheet>')
    assert path.stat().st_size < 2000
    # the child's own peak (VmHWM): ru_maxrss would count the forked pytest process it was exec'd from
    probe = ("import time; from pathlib import Path; t = time.perf_counter()\n"
             "from ngocoord.write.imports.readers import read_sheet\n"
             f"sheet = read_sheet(Path({str(path)!r}))\n"
             "peak = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
             "print(sheet.rows, time.perf_counter() - t, int(peak) // 1024)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    rows, seconds, megabytes = out.stdout.rsplit(" ", 2)
    assert rows == "[(1048576, ['Organization'])]"
    assert float(seconds) < 2 and int(megabytes) < 200


def test_limits_are_usage_errors(empty, tmp_path, monkeypatch):
    import ngocoord.write.imports.readers as readers

    table = tmp_path / "t.csv"
    table.write_text("Organization,Cluster\n" + "OA,Protection\n" * 30, encoding="utf-8")
    monkeypatch.setattr(readers, "MAX_CELLS", 50)
    result = run("import", str(table), "--data", str(empty))
    assert (result.exit_code, result.stderr) == (2, f"ngocoord: error: {table} holds more than 50 cells (52); split the sheet\n")
    monkeypatch.setattr(readers, "MAX_BYTES", 100)
    result = run("import", str(table), "--data", str(empty))
    assert result.exit_code == 2 and "import reads sheets of at most 0 MB" in result.stderr


def test_never_writes_into_the_dataset_bundled_in_the_package(tmp_path):
    bundled = write_dataset(tmp_path / "site-packages" / "ngocoord" / "_bundled" / "data")
    table = tmp_path / "t.csv"
    table.write_text("Org,Sector,Activity,Admin1,Status\nOA,Protection,Good,Duhok,ongoing\n")
    result = run("import", str(table), "--data", str(bundled))
    assert result.exit_code == 2
    assert result.stderr == ("ngocoord: error: no dataset folder to import into: pass --data DIR "
                             "(a folder with organizations/, activities/, codelists/)\n")


@pytest.mark.parametrize("data", [
    {"id": "a-b", "title": "Food security – AADSOM", "organization": "a", "partners": ["b", "c"], "sector": "wash",
     "locations": [{"area": "SO2001", "site": "Camp 3 (north)"}, {"area": "SO20"}], "status": "ongoing",
     "start": "2025-01", "end": "2025-04-30", "beneficiaries": {"targeted": 1200, "reached": 0}, "sensitive": True,
     "last_reviewed": "2026-12-03", "sources": [{"title": "3W sheet som.xlsx (3W Opérationnelle)", "date": "2026-12-03"}]},
    {"id": "x", "title": "Legal aid: Erbil", "organization": "a", "sector": "protection", "locations": [{"area": "G1"}],
     "status": "ongoing", "last_reviewed": "2026-12-03"},
    {"id": "y", "title": "2025", "organization": "a", "sector": "protection", "locations": [{"area": "G1"}],
     "status": "ongoing", "last_reviewed": "2026-12-03", "description": "yes"},
])
def test_written_files_are_in_fmts_canonical_form(data):
    import yaml

    from ngocoord.load.canonical import canonical_text
    from ngocoord.write.imports.plan import Change
    from ngocoord.write.imports.write import file_text
    from ngocoord.load.schemas import schema_header

    text = file_text(Change("activity", data["id"], "create", data, [2]))
    dumped = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
    assert text == canonical_text(schema_header("activity") + "\n" + dumped, "activity")
    assert parse("x.yaml", text.encode()).data == data


def test_the_profile_sets_sensitive_by_default_or_by_column(empty, tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("Org,Sector,Activity,Governorate,District,Site,Status,Sensitive\n"
                     "OA,Protection,Visits,Erbil,Soran,Soran prison,ongoing,\n"
                     "OA,Protection,Market,Erbil,Soran,Soran market,ongoing,non\n", encoding="utf-8")
    assert run("import", str(table), "--data", str(empty), "--set", "sensitive=true").exit_code == 0
    assert load_yaml(empty / "activities" / "org-a-visits.yaml")["sensitive"] is True
    assert load_yaml(empty / "activities" / "org-a-market.yaml")["sensitive"] is False
    lint = run("lint", "--data", str(empty), "--as-of", "2026-06-01")
    assert lint.stdout.endswith("0 errors, 0 warnings\n"), lint.stdout
    exported = run("export", "--data", str(empty)).stdout
    assert "Soran prison" not in exported and "Soran market" in exported


def test_iraq_spellings_of_the_bundled_codelists(tmp_path):
    """Older and English spellings of 3W sheets map to today's P-codes (data/codelists/areas.yaml)."""
    import shutil

    from conftest import REPO

    data = tmp_path / "data"
    shutil.copytree(REPO / "data" / "codelists", data / "codelists")
    (data / "organizations").mkdir()
    (data / "activities").mkdir()
    table = tmp_path / "iraq-3w-2015.csv"
    table.write_text("Agency,Cluster,Governorate,District\n" + "".join(
        f"Org {i},Protection,{gov},{district}\n" for i, (gov, district) in enumerate([
            ("Dahuk", "Dahuk"), ("Dohuk", "Semel"), ("Ninewa", "Tilkaif"), ("Ninewa", "Mosul"),
            ("Sulaymaniyah", "Al-Sulaymaniya"), ("Arbil", "Erbil")])), encoding="utf-8")
    result = run("import", str(table), "--data", str(data), "--set", "status=completed", "--set", "organization_type=ingo",
                 "--set", "title={sector} in {area}", "--format", "json", "--dry-run")
    assert result.exit_code == 0, result.output
    from ngocoord.load.dataset import load_dataset

    plan = json.loads(result.stdout)
    assert plan["unmapped"] == {} and plan["problems"] == []
    assert len(plan["activities"]["created"]) == 6
    result = run("import", str(table), "--data", str(data), "--set", "status=completed", "--set", "organization_type=ingo",
                 "--set", "title={sector} in {area}")
    places = sorted(loc.area for a in load_dataset(data).activities.values() for loc in a.locations)
    assert places == ["IQG06Q01", "IQG09Q02", "IQG09Q03", "IQG11Q02", "IQG15Q05", "IQG15Q09"]


def test_never_writes_through_a_link_leading_out_of_the_dataset(empty, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (empty / "activities").rmdir()
    (empty / "activities").symlink_to(outside)
    table = tmp_path / "t.csv"
    table.write_text("Org,Sector,Activity,Admin1,Status\nOA,Protection,Good,Duhok,ongoing\n", encoding="utf-8")
    result = run("import", str(table), "--data", str(empty))
    assert result.exit_code == 2
    assert "is a link to a place outside the dataset; nothing is written through it" in result.stderr
    assert list(outside.iterdir()) == []
