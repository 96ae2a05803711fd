"""ngocoord codes update-areas: a newer COD brought into areas.yaml; renamed areas keep their old
name as an alias; a removed area still in use stops everything; aliases, names, regions and
comments are kept."""

from __future__ import annotations

import csv
import json
import shutil

import pytest
import yaml
from typer.testing import CliRunner

from ngocoord.cli import app
from ngocoord.write.area_update import plan_update
from ngocoord.load.pcodes import read_pcode_file
from ngocoord.problems import UsageError
from tests.conftest import REPO, activity, dump, org, write_dataset

runner = CliRunner()

AREAS_YAML = """\
# yaml-language-server: $schema=../../schemas/areas.schema.json
# Test areas: a header comment that must stay.

areas:
  - {code: IQ, name: Iraq, level: 0}

  # Governorates
  - {code: G1, name: Erbil, level: 1, parent: IQ, aliases: [Arbil, Hawler, IQ-AR], names: {ar: "أربيل"}}
  - {code: G2, name: Duhok, level: 1, parent: IQ, aliases: [Dahuk]}

  # Districts of Erbil
  - {code: G1D1, name: Erbil, level: 2, parent: G1}
  - {code: G1D2, name: Soran, level: 2, parent: G1}
  - {code: G1D3, name: Koya, level: 2, parent: G1}

  # Districts of Duhok
  - {code: G2D1, name: Zakho, level: 2, parent: G2}
regions:
  # the Kurdistan Region
  - {code: kri, name: Kurdistan Region of Iraq, members: [G1, G2], aliases: [KRI]}
"""

# the COD of AREAS_YAML, in the global list's layout
GLOBAL = [["Location", "Admin Level", "P-Code", "Name", "Parent P-Code", "Valid from date"],
          ["IRQ", "1", "G1", "Erbil", "IRQ", "2024-01-01"],
          ["IRQ", "1", "G2", "Duhok", "IRQ", "2024-01-01"],
          ["IRQ", "2", "G1D1", "Erbil", "G1", "2024-01-01"],
          ["IRQ", "2", "G1D2", "Soran", "G1", "2024-01-01"],
          ["IRQ", "2", "G1D3", "Koya", "G1", "2024-01-01"],
          ["IRQ", "2", "G2D1", "Zakho", "G2", "2024-01-01"],
          ["SYR", "1", "SY01", "Damascus", "SYR", "2024-01-01"]]


def newer_cod(*, rename=("G1D2", "Soran City"), add=("G2D2", "Amedi", "G2"), remove="G1D3") -> list[list[str]]:
    rows = [list(r) for r in GLOBAL if r[2] != remove]
    for r in rows:
        if r[2] == rename[0]:
            r[3] = rename[1]
    return [*rows, ["IRQ", "2", add[0], add[1], add[2], "2025-01-01"]]


def write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


@pytest.fixture
def forum(tmp_path):
    root = write_dataset(tmp_path / "data", [org("org-a")], [activity("act-1", locations=[{"area": "G1D1"}])])
    (root / "codelists" / "areas.yaml").write_text(AREAS_YAML, encoding="utf-8")
    return root


def update(root, cod, *args):
    return runner.invoke(app, ["codes", "update-areas", str(cod), "--data", str(root), *args])


def test_renamed_added_and_removed_unused(forum, tmp_path):
    result = update(forum, write_csv(tmp_path / "cod.csv", newer_cod()))
    assert result.exit_code == 0, result.output
    shown = forum / "codelists" / "areas.yaml"
    assert result.stdout == (f"{shown}: 1 added, 1 renamed, 0 moved, 1 removed, 4 unchanged\n"
                             "  added    G2D2  Amedi (level 2, in G2)\n"
                             "  renamed  G1D2  Soran -> Soran City (the old name is kept as an alias)\n"
                             "  removed  G1D3  Koya (level 2, in G1)\n"
                             f"wrote {shown}\n")
    assert shown.read_text(encoding="utf-8") == AREAS_YAML.replace(
        "  - {code: G1D2, name: Soran, level: 2, parent: G1}\n  - {code: G1D3, name: Koya, level: 2, parent: G1}\n",
        "  - {code: G1D2, name: Soran City, level: 2, parent: G1, aliases: [Soran]}\n").replace(
        "  - {code: G2D1, name: Zakho, level: 2, parent: G2}\n",
        "  - {code: G2D1, name: Zakho, level: 2, parent: G2}\n  - {code: G2D2, name: Amedi, level: 2, parent: G2}\n")
    lint = runner.invoke(app, ["lint", "--data", str(forum), "--no-cache"])
    assert lint.exit_code == 0, lint.stdout
    again = update(forum, tmp_path / "cod.csv")
    assert again.exit_code == 0
    assert again.stdout.endswith("0 added, 0 renamed, 0 moved, 0 removed, 6 unchanged\nalready up to date: nothing to write\n")


def test_a_removed_district_still_used_names_the_record_and_writes_nothing(forum, tmp_path):
    (forum / "activities" / "act-2.yaml").write_text(dump("activity", activity("act-2", locations=[{"area": "G1D1"}, {"area": "G1D3"}])),
                                                     encoding="utf-8")
    before = (forum / "codelists" / "areas.yaml").read_bytes()
    result = update(forum, write_csv(tmp_path / "cod.csv", newer_cod()))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-2:] == [
        f"{forum / 'activities' / 'act-2.yaml'}:10:9: error area-removed: activity act-2 is located in G1D3 (Koya), "
        "which the new COD no longer has (move it to the area that replaces it (run 'ngocoord codes areas'), then run "
        "update-areas again)",
        "1 use of removed areas: nothing was written"]
    assert (forum / "codelists" / "areas.yaml").read_bytes() == before


def test_a_removed_governorate_in_a_region_is_named_too(forum, tmp_path):
    rows = [r for r in GLOBAL if r[2] not in ("G2", "G2D1")]
    result = update(forum, write_csv(tmp_path / "cod.csv", rows), "--format", "json")
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    assert out["written"] is False
    assert [c["code"] for c in out["removed"]] == ["G2", "G2D1"]
    assert [p["message"] for p in out["problems"]] == [
        "the region kri lists G2 (Duhok), which the new COD no longer has "
        "(replace the member in the region, then run update-areas again)"]


def test_dry_run_shows_the_changes_and_writes_nothing(forum, tmp_path):
    before = (forum / "codelists" / "areas.yaml").read_bytes()
    result = update(forum, write_csv(tmp_path / "cod.csv", newer_cod()), "--dry-run", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "path": str(forum / "codelists" / "areas.yaml"), "written": False,
        "added": [{"change": "added", "code": "G2D2", "name": "Amedi", "level": 2, "parent": "G2"}],
        "renamed": [{"change": "renamed", "code": "G1D2", "name": "Soran City", "level": 2, "parent": "G1",
                     "old_name": "Soran", "alias_kept": True}],
        "moved": [],
        "removed": [{"change": "removed", "code": "G1D3", "name": "Koya", "level": 2, "parent": "G1"}],
        "unchanged": 4, "problems": []}
    assert (forum / "codelists" / "areas.yaml").read_bytes() == before
    text = update(forum, tmp_path / "cod.csv", "--dry-run")
    assert text.stdout.endswith("dry run: nothing was written\n")


def test_a_moved_district_and_an_old_name_that_is_another_places_alias(forum, tmp_path):
    rows = newer_cod(rename=("G1D1", "Hawler"), add=("G1D4", "Shaqlawa", "G1"), remove=None)
    for r in rows:
        if r[2] == "G1D3":
            r[4] = "G2"
    rows[1][3] = "Arbil"  # the governorate takes one of its aliases as its name
    result = update(forum, write_csv(tmp_path / "cod.csv", rows))
    assert result.exit_code == 0, result.output
    text = (forum / "codelists" / "areas.yaml").read_text(encoding="utf-8")
    assert "  - {code: G1, name: Arbil, level: 1, parent: IQ, aliases: [Hawler, IQ-AR, Erbil], names: {ar: \"أربيل\"}}\n" in text
    # 'Erbil' is now the governorate's alias: the district cannot keep it
    assert "  - {code: G1D1, name: Hawler, level: 2, parent: G1}\n" in text
    assert "  - {code: G1D3, name: Koya, level: 2, parent: G2}\n" in text
    assert "renamed  G1D1  Erbil -> Hawler (the old name is not kept as an alias: another place has it)" in result.stdout
    assert "moved    G1D3  Koya: from G1 to G2 (level 2)" in result.stdout
    assert runner.invoke(app, ["lint", "--data", str(forum), "--no-cache"]).exit_code == 0


def test_a_cod_table_with_hxl_tags(forum, tmp_path):
    rows = [["ADM0_EN", "ADM0_PCODE", "ADM1_EN", "ADM1_PCODE", "ADM2_EN", "ADM2_PCODE"],
            ["#country+name", "#country+code", "#adm1+name", "#adm1+code", "#adm2+name", "#adm2+code"],
            ["Iraq", "IQ", "Erbil", "G1", "Erbil", "G1D1"], ["Iraq", "IQ", "Erbil", "G1", "Soran", "G1D2"],
            ["Iraq", "IQ", "Erbil", "G1", "Koya", "G1D3"], ["Iraq", "IQ", "Duhok", "G2", "Zakho", "G2D1"],
            ["Iraq", "IQ", "Duhok", "G2", "Amedi", "G2D2"]]
    result = update(forum, write_csv(tmp_path / "cod.csv", rows), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["added"] == [{"change": "added", "code": "G2D2", "name": "Amedi", "level": 2, "parent": "G2"}]


def test_a_cod_table_by_its_headers_alone(tmp_path):
    path = write_csv(tmp_path / "cod.csv", [["ADM1_EN", "ADM1_PCODE", "ADM2_EN", "ADM2_PCODE"], ["Bay", "SO24", "Baidoa", "SO2401"]])
    assert [(a.code, a.name, a.level, a.parent) for a in read_pcode_file(path)] == [
        ("SO24", "Bay", 1, ""), ("SO2401", "Baidoa", 2, "SO24")]


def test_the_bundled_iraq_dataset_keeps_its_regions_names_and_comments(tmp_path):
    root = tmp_path / "data"
    shutil.copytree(REPO / "data", root)
    before = (root / "codelists" / "areas.yaml").read_text(encoding="utf-8")
    rows = [["Location", "Admin Level", "P-Code", "Name", "Parent P-Code"]]
    for a in yaml.safe_load(before)["areas"]:
        if a["level"]:
            rows.append(["IRQ", str(a["level"]), a["code"], a["name"], a["parent"] if a["level"] == 2 else "IRQ"])
    rows.append(["IRQ", "1", "IQG19", "Halabja", "IRQ"])
    result = update(root, write_csv(tmp_path / "cod.csv", rows))
    assert result.exit_code == 0, result.output
    after = (root / "codelists" / "areas.yaml").read_text(encoding="utf-8")
    assert after == before.replace("  - {code: IQG18, name: Wassit, level: 1, parent: IQ, aliases: [Wasit, IQ-WA], names: {ar: \"واسط\"}}\n",
                                   "  - {code: IQG18, name: Wassit, level: 1, parent: IQ, aliases: [Wasit, IQ-WA], names: {ar: \"واسط\"}}\n"
                                   "  - {code: IQG19, name: Halabja, level: 1, parent: IQ}\n")


@pytest.mark.parametrize(("rows", "message"), [
    ([["a", "b"], ["1", "2"]], "has no P-code columns"),
    ([GLOBAL[0], ["IRQ", "3", "G1D1X", "Somewhere", "G1D1"]], "cod.csv:2: the admin level '3' is not 1 or 2"),
    ([GLOBAL[0], ["IRQ", "1", "G 1", "Erbil", "IRQ"]], "cod.csv:2: the P-code 'G 1' is not a code"),
    ([GLOBAL[0], ["IRQ", "1", "G1", "Erbil", "IRQ"], ["IRQ", "1", "G1", "Duhok", "IRQ"]], "the P-code G1 is given twice"),
    ([GLOBAL[0], ["SYR", "1", "SY01", "Damascus", "SYR"]], "the COD has no rows for Iraq (IRQ)"),
])
def test_a_file_that_is_no_cod_for_this_country_is_a_usage_error(forum, tmp_path, rows, message):
    before = (forum / "codelists" / "areas.yaml").read_bytes()
    result = update(forum, write_csv(tmp_path / "cod.csv", rows))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("ngocoord: error: ") and message in result.stderr and len(result.stderr.splitlines()) == 1
    assert (forum / "codelists" / "areas.yaml").read_bytes() == before


def test_unreadable_files_are_usage_errors(forum, tmp_path):
    missing = update(forum, tmp_path / "nope.csv")
    assert missing.exit_code == 2 and missing.stderr == f"ngocoord: error: {tmp_path / 'nope.csv'} does not exist\n"
    (tmp_path / "latin1.csv").write_bytes("Location,Admin Level,P-Code,Name,Parent P-Code\nIRQ,1,G1,Erbîl,IRQ\n".encode("latin-1"))
    latin = update(forum, tmp_path / "latin1.csv")
    assert latin.exit_code == 2 and "is not UTF-8 text" in latin.stderr


def test_a_broken_areas_yaml_is_not_rewritten(forum, tmp_path):
    (forum / "codelists" / "areas.yaml").write_text("areas: [\n", encoding="utf-8")
    result = update(forum, write_csv(tmp_path / "cod.csv", newer_cod()))
    assert result.exit_code == 2 and "has problems: fix them first" in result.stderr
    assert (forum / "codelists" / "areas.yaml").read_text(encoding="utf-8") == "areas: [\n"


def test_the_lists_still_work_beside_update_areas(forum):
    result = runner.invoke(app, ["codes", "areas", "--data", str(forum), "--region", "kri", "--format", "csv"])
    assert result.exit_code == 0 and result.stdout.startswith("code,name,level,parent,aliases\nkri,")
    wrong = runner.invoke(app, ["codes", "sectors", "--data", str(forum), "--region", "kri"])
    assert wrong.exit_code == 2
    assert wrong.stderr == "ngocoord: error: --region narrows areas only: run 'ngocoord codes areas --region kri'\n"


def test_never_writes_into_the_installed_package(tmp_path):
    with pytest.raises(UsageError, match="no dataset folder to update"):
        plan_update(tmp_path / "_bundled" / "data", [])


def test_a_cod_whose_area_lies_in_an_unknown_parent_is_refused(forum, tmp_path):
    rows = [*GLOBAL, ["IRQ", "2", "G9D1", "Somewhere", "G9", "2025-01-01"]]
    result = update(forum, write_csv(tmp_path / "cod.csv", rows))
    assert result.exit_code == 2
    assert result.stderr == (f"ngocoord: error: the COD puts G9D1 (Somewhere) in G9, which is neither in the COD nor in "
                             f"{forum / 'codelists' / 'areas.yaml'}: check that the file is a complete COD for Iraq\n")


def test_a_removed_areas_own_comment_goes_with_it_and_no_other_is_lost(forum, tmp_path):
    areas = forum / "codelists" / "areas.yaml"
    areas.write_text(AREAS_YAML.replace("  - {code: G1D3, name: Koya, level: 2, parent: G1}\n",
                                        "  - {code: G1D3, name: Koya, level: 2, parent: G1}  # merged into Erbil in 2024\n"),
                     encoding="utf-8")
    result = update(forum, write_csv(tmp_path / "cod.csv", newer_cod()))
    assert result.exit_code == 0, result.output
    text = areas.read_text(encoding="utf-8")
    assert "merged into Erbil" not in text and "Koya" not in text
    for comment in ("# Test areas: a header comment that must stay.", "# Governorates", "# Districts of Erbil",
                    "# Districts of Duhok", "# the Kurdistan Region"):
        assert comment in text


def test_a_comment_ruamel_cannot_keep_stops_the_update(forum, tmp_path):
    areas = forum / "codelists" / "areas.yaml"
    original = AREAS_YAML.replace("  - {code: G1, name: Erbil, level: 1, parent: IQ, aliases: [Arbil, Hawler, IQ-AR], names: {ar: \"أربيل\"}}\n",
                                  "  - {code: G1, name: Erbil, level: 1, parent: IQ, aliases: [Arbil, Hawler, IQ-AR, # Kurdish\n"
                                  "      Kurdish name], names: {ar: \"أربيل\"}}\n")
    areas.write_text(original, encoding="utf-8")
    result = update(forum, write_csv(tmp_path / "cod.csv", newer_cod()))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"ngocoord: error: {areas}:8: update-areas would lose the comment '# Kurdish'")
    assert areas.read_text(encoding="utf-8") == original


def test_removing_a_groups_only_area_keeps_its_heading(forum, tmp_path):
    result = update(forum, write_csv(tmp_path / "cod.csv", [r for r in GLOBAL if r[2] != "G2D1"]))
    assert result.exit_code == 0, result.output
    assert (forum / "codelists" / "areas.yaml").read_text(encoding="utf-8") == AREAS_YAML.replace(
        "  - {code: G2D1, name: Zakho, level: 2, parent: G2}\n", "")
    fmt = runner.invoke(app, ["fmt", "--check", str(forum / "codelists" / "areas.yaml"), "--data", str(forum), "--no-cache"])
    assert fmt.exit_code == 0, fmt.output
