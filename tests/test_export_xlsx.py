"""export --format xlsx: the 3W table as a workbook, read back with openpyxl. One sheet, '3W'; a
header row (and, from export.as_xlsx(hxl=True), the HXL hashtag row); every cell with its value
and type: text stays text even when it looks like a formula, numbers stay numbers, yes/no for
booleans, empty where a field is absent. The file needs --output and is never overwritten
without --force."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from conftest import activity, org, write_dataset
from ngocoord.cli import app
from ngocoord.render.export import COLUMN_NAMES, COLUMNS, as_xlsx

runner = CliRunner()


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return write_dataset(tmp_path_factory.mktemp("xlsx") / "data", [
        org("org-a", name="Org A"), org("org-b", name="=HYPERLINK(\"http://x\")", type="ingo"),
        org("donor-x", name="Donor X", type="donor"),
    ], [
        activity("act-1", title="Legal aid in Erbil", partners=["org-b"], donors=["donor-x"],
                 services=["legal-aid", "psychosocial-support"], population=["women", "prisoners"],
                 locations=[{"area": "G1D1", "site": "Erbil women's prison"}], start="2025-01", end="2026-12",
                 beneficiaries={"targeted": 120, "reached": 45}),
        activity("act-2", title="=1+1", organization="org-b", sector="education", services=["education-in-detention"],
                 locations=[{"area": "G1D2", "site": "Soran prison"}], sensitive=True, status="planned"),
    ])


def export(root, *args):
    return runner.invoke(app, ["export", "--data", str(root), "--format", "xlsx", *args])


@pytest.fixture(scope="module")
def exported(data, tmp_path_factory):
    """The export of `data` (result, workbook bytes), made once for the tests that only read it."""
    out = tmp_path_factory.mktemp("out") / "3w.xlsx"
    with pytest.MonkeyPatch.context() as mp:  # a private cache, as conftest.private_cache gives each test
        mp.setenv("XDG_CACHE_HOME", str(out.parent / "cache"))
        result = export(data, "--output", str(out))
    assert result.exit_code == 0, result.output
    return result, out.read_bytes()


def sheet_of(content: bytes):
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["3W"]
    return book["3W"]


def values(sheet):
    return [[c.value for c in row] for row in sheet.iter_rows()]


def types(sheet):
    return ["".join(c.data_type[0] for c in row) for row in sheet.iter_rows()]


ACT_1 = ["act-1", "Legal aid in Erbil", "org-a", "Org A", "nngo", "=HYPERLINK(\"http://x\")", "org-b", "Donor X",
         "donor-x", "protection", "Protection", "legal-aid; psychosocial-support", "women; prisoners", "G1", "Erbil",
         "G1D1", "Erbil", "G1D1", "Erbil women's prison", "ongoing", "2025-01", "2026-12", 120, 45, "no"]
# sensitive: at its governorate, no district, no site
ACT_2 = ["act-2", "=1+1", "org-b", "=HYPERLINK(\"http://x\")", "ingo", None, None, None, None, "education",
         "Education", "education-in-detention", None, "G1", "Erbil", None, None, "G1", None, "planned", None, None,
         None, None, "yes"]
# data types, one letter a cell: s = text, i = empty text (an empty list), n = number or no value; never f (formula)
TYPES = ["s" * 25, "s" * 22 + "nns", "sssss" + "iiii" + "sss" + "i" + "ss" + "nn" + "s" + "n" + "s" + "nnnn" + "s"]


def test_the_workbook_holds_the_header_and_one_row_per_activity_and_place(exported):
    result, content = exported
    assert result.stdout == "" and result.stderr == ""
    sheet = sheet_of(content)
    assert values(sheet) == [list(COLUMN_NAMES), ACT_1, ACT_2]


def test_text_stays_text_even_when_it_looks_like_a_formula(exported):
    sheet = sheet_of(exported[1])
    assert sheet["B3"].value == "=1+1" and sheet["B3"].data_type == "s"
    assert sheet["F2"].value == "=HYPERLINK(\"http://x\")" and sheet["F2"].data_type == "s"
    assert sheet["W2"].value == 120 and sheet["W2"].data_type == "n"
    assert types(sheet) == TYPES


def test_empty_fields_are_empty_cells(exported):
    sheet = sheet_of(exported[1])
    # act-2 has no partners, donors, population, district, site, dates or numbers
    row = {name: sheet.cell(3, i + 1) for i, name in enumerate(COLUMN_NAMES)}
    assert [name for name, c in row.items() if c.value is None] == [
        "partners", "partner_ids", "donors", "donor_ids", "population", "admin2_code", "admin2_name", "site",
        "start", "end", "targeted", "reached"]


def test_include_sensitive_gives_the_exact_place(data, tmp_path):
    out = tmp_path / "3w.xlsx"
    result = export(data, "--output", str(out), "--include-sensitive")
    assert result.exit_code == 0, result.output
    assert values(sheet_of(out.read_bytes()))[2][13:19] == ["G1", "Erbil", "G1D2", "Soran", "G1D2", "Soran prison"]


def test_as_xlsx_adds_the_hxl_row_only_when_asked():
    assert values(sheet_of(as_xlsx([]))) == [list(COLUMN_NAMES)]
    with_tags = sheet_of(as_xlsx([], hxl=True))
    assert values(with_tags) == [list(COLUMN_NAMES), [tag for _c, tag in COLUMNS]]
    assert types(with_tags) == ["s" * 25, "s" * 25]


def test_xlsx_needs_output(data):
    result = export(data)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "ngocoord: error: --format xlsx needs --output FILE\n"


def test_an_existing_file_is_replaced_only_with_force(data, tmp_path):
    out = tmp_path / "3w.xlsx"
    out.write_bytes(b"keep me")
    result = export(data, "--output", str(out))
    assert result.exit_code == 2
    assert result.stderr == f"ngocoord: error: {out} already exists; pass --force to replace it\n"
    assert out.read_bytes() == b"keep me"
    assert export(data, "--output", str(out), "--force").exit_code == 0
    assert values(sheet_of(out.read_bytes()))[1][0] == "act-1"
