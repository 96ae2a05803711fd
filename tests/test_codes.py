"""ngocoord codes: every list, narrowed by --region or --sector, in every format; mistakes exit 2."""

import json

import pytest
from typer.testing import CliRunner

from ngocoord.cli import app
from tests.conftest import REPO

runner = CliRunner()


def codes(tiny, *args):
    return runner.invoke(app, ["codes", *args, "--data", str(tiny)])


def test_areas_json_in_a_region_by_alias(tiny):
    result = codes(tiny, "areas", "--region", "KRI", "--format", "json")
    assert result.exit_code == 0 and result.stderr == ""
    assert json.loads(result.stdout) == {"areas": [
        {"code": "kri", "name": "Kurdistan Region of Iraq", "level": "region", "parent": None, "aliases": ["KRI"]},
        {"code": "G1", "name": "Erbil", "level": 1, "parent": "IQ", "aliases": ["Arbil", "Hawler", "IQ-AR"]},
        {"code": "G2", "name": "Duhok", "level": 1, "parent": "IQ", "aliases": ["Dahuk"]},
        {"code": "G1D1", "name": "Erbil", "level": 2, "parent": "G1", "aliases": []},
        {"code": "G1D2", "name": "Soran", "level": 2, "parent": "G1", "aliases": []},
        {"code": "G2D1", "name": "Zakho", "level": 2, "parent": "G2", "aliases": []},
    ]}


@pytest.mark.parametrize("place", ["G1", "Erbil", "arbil", "HAWLER", "IQ-AR"])
def test_areas_csv_within_a_governorate_named_any_way(tiny, place):
    result = codes(tiny, "areas", "--region", place, "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout == ('code,name,level,parent,aliases\n'
                             'G1,Erbil,1,IQ,"Arbil, Hawler, IQ-AR"\n'
                             'G1D1,Erbil,2,G1,\n'
                             'G1D2,Soran,2,G1,\n')


def test_all_areas_markdown(tiny):
    result = codes(tiny, "areas", "--format", "markdown")
    lines = result.stdout.splitlines()
    assert lines[0] == "| code | name | level | parent | aliases |"
    assert lines[2:5] == ["| kri | Kurdistan Region of Iraq | region |  | KRI |",
                          "| federal | Federal Iraq | region |  |  |",
                          "| IQ | Iraq | 0 |  |  |"]
    assert len(lines) == 2 + 2 + 8


def test_services_of_one_sector_every_format(tiny):
    as_json = codes(tiny, "services", "--sector", "protection", "--format", "json")
    assert json.loads(as_json.stdout) == {"services": [
        {"code": "legal-aid", "name": "Legal aid", "sector": "protection", "description": None},
        {"code": "psychosocial-support", "name": "Psychosocial support", "sector": "protection", "description": None}]}
    as_csv = codes(tiny, "services", "--sector", "Protection", "--format", "csv")
    assert as_csv.stdout == ("code,name,sector,description\nlegal-aid,Legal aid,protection,\n"
                             "psychosocial-support,Psychosocial support,protection,\n")
    as_md = codes(tiny, "services", "--sector", "justice", "--format", "markdown")
    assert as_md.stdout.splitlines()[2] == "| correctional-staff-training | Training of correctional staff | justice |  |"
    table = codes(tiny, "services", "--sector", "education")
    assert table.exit_code == 0 and "education-in-detention" in table.stdout and "legal-aid" not in table.stdout
    assert "services (1)" in table.stdout


@pytest.mark.parametrize("which, expected", [
    ("sectors", {"sectors": [{"code": "protection", "name": "Protection", "aliases": []},
                             {"code": "education", "name": "Education", "aliases": []},
                             {"code": "justice", "name": "Justice and corrections", "aliases": []}]}),
    ("populations", {"populations": [{"code": "prisoners", "name": "Prisoners", "aliases": []},
                                     {"code": "women", "name": "Women", "aliases": []},
                                     {"code": "juveniles", "name": "Juveniles", "aliases": []}]}),
    ("org-types", {"org_types": [{"code": "ingo", "name": "International NGO", "iati_code": "21"},
                                 {"code": "nngo", "name": "National NGO", "iati_code": "22"},
                                 {"code": "donor", "name": "Donor", "iati_code": "90"}]}),
])
def test_other_lists_json(tiny, which, expected):
    result = codes(tiny, which, "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout) == expected


TABLES = {
    "areas": (["code", "name", "level", "parent", "aliases"], [
        ["kri", "Kurdistan Region of Iraq", "region", "", "KRI"], ["federal", "Federal Iraq", "region", "", ""],
        ["IQ", "Iraq", "0", "", ""], ["G1", "Erbil", "1", "IQ", "Arbil, Hawler, IQ-AR"], ["G2", "Duhok", "1", "IQ", "Dahuk"],
        ["G3", "Baghdad", "1", "IQ", ""], ["G1D1", "Erbil", "2", "G1", ""], ["G1D2", "Soran", "2", "G1", ""],
        ["G2D1", "Zakho", "2", "G2", ""], ["G3D1", "Karkh", "2", "G3", ""]]),
    "sectors": (["code", "name", "aliases"], [
        ["protection", "Protection", ""], ["education", "Education", ""], ["justice", "Justice and corrections", ""]]),
    "services": (["code", "name", "sector", "description"], [
        ["legal-aid", "Legal aid", "protection", ""], ["psychosocial-support", "Psychosocial support", "protection", ""],
        ["education-in-detention", "Education in detention", "education", ""],
        ["correctional-staff-training", "Training of correctional staff", "justice", ""]]),
    "populations": (["code", "name", "aliases"], [["prisoners", "Prisoners", ""], ["women", "Women", ""],
                                                  ["juveniles", "Juveniles", ""]]),
    "org-types": (["code", "name", "iati_code"], [["ingo", "International NGO", "21"], ["nngo", "National NGO", "22"],
                                                 ["donor", "Donor", "90"]]),
}


def table_cells(text):
    """A terminal table as its title, header and rows of cells (whatever characters draw the box)."""
    lines = text.splitlines()
    cells = lambda line, bar: [c.strip() for c in line.strip().strip(bar).split(bar)]  # noqa: E731
    return (lines[0].strip(), [cells(line, "┃") for line in lines if line.startswith("┃")],
            [cells(line, "│") for line in lines if line.startswith("│")])


@pytest.mark.parametrize("which", ["areas", "sectors", "services", "populations", "org-types"])
def test_every_list_as_a_table(tiny, which):
    result = runner.invoke(app, ["codes", which, "--data", str(tiny)], env={"COLUMNS": "200"})
    assert result.exit_code == 0 and result.stderr == ""
    header, rows = TABLES[which]
    assert table_cells(result.stdout) == (f"{which} ({len(rows)})", [header], rows)


@pytest.mark.parametrize("args, message", [
    (["areas", "--region", "Erbill"], "ngocoord: error: unknown place 'Erbill': did you mean 'Erbil'"),
    (["areas", "--region", "kurdistan regon"], "ngocoord: error: unknown place 'kurdistan regon': did you mean 'Kurdistan Region of Iraq'"),
    (["services", "--sector", "protecton"], "ngocoord: error: unknown sector 'protecton': did you mean 'protection'"),
    (["sectors", "--region", "kri"], "ngocoord: error: --region narrows areas only: run 'ngocoord codes areas --region kri'"),
    (["areas", "--sector", "protection"], "ngocoord: error: --sector narrows services only: run 'ngocoord codes services --sector protection'"),
])
def test_mistakes_are_usage_errors(tiny, args, message):
    result = codes(tiny, *args)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(message) and len(result.stderr.splitlines()) == 1


def test_unknown_list_is_a_usage_error(tiny):
    result = codes(tiny, "places")
    assert result.exit_code == 2 and "places" in result.stderr


def test_shipped_kri_areas():
    """The real codelists: the KRI is Erbil, Duhok and Sulaymaniyah (Halabja is a district of Sulaymaniyah in the COD)."""
    result = runner.invoke(app, ["codes", "areas", "--region", "kri", "--format", "json", "--data", str(REPO / "data")])
    areas = json.loads(result.stdout)["areas"]
    governorates = {a["code"]: a["name"] for a in areas if a["level"] == 1}
    assert governorates == {"IQG06": "Al-Sulaymaniyah", "IQG09": "Duhok", "IQG11": "Erbil"}
    assert any(a["code"] == "IQG06Q05" and "Halabja" in a["aliases"] for a in areas)
    assert all(a["parent"] in governorates for a in areas if a["level"] == 2)


def test_a_misspelt_place_suggests_each_place_once_and_only_close_names():
    """'Kurdstan' is close to three names of one region: suggest it once, not three times."""
    result = runner.invoke(app, ["codes", "areas", "--data", str(REPO / "data"), "--region", "Kurdstan"])
    assert result.exit_code == 2
    assert result.stderr == "ngocoord: error: unknown place 'Kurdstan': did you mean 'Kurdistan Region of Iraq' (kri)?; run 'ngocoord codes areas'\n"
