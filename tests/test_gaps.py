"""gaps: the coverage matrix, every count worked out by hand on a small dataset (tiny codelists).

Places: kri = Erbil (G1: districts G1D1 Erbil, G1D2 Soran) + Duhok (G2: G2D1 Zakho); federal = Baghdad (G3: G3D1).
Columns without --sector: protection, education, justice. Services of protection: legal-aid, psychosocial-support.

On 2026-07-01:
  a1  org-a + partner org-b, donor donor-x   legal-aid   G1D1   start 2026-07 (first day: 07-01)  active
  a2  org-b                                  psychosocial G1D1  end 2026-06 (last day: 06-30)     not active
  a3  org-c                                  legal-aid   G1 (governorate only)                    active
  a4  org-d                                  education   kri (region only)                        active
  a5  org-c                                  legal-aid   G2D1   completed                         not active
  a6  org-d                                  legal-aid   G3D1   (outside kri)                     active
  a7  org-a                                  justice     IQ (country only)                        active
  a8  org-d                                  legal-aid   G2     start 2027                        not active
  a9  org-d                                  legal-aid   G2D1   planned                           not active
  a10 org-b + partner org-a                  legal-aid   G1D2                                     active
"""

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from ngocoord.analysis.gaps import coverage
from ngocoord.cli import app
from ngocoord.load.dataset import load_dataset
from tests.conftest import activity, org, write_dataset

runner = CliRunner()
JULY_1 = dt.date(2026, 7, 1)
JUNE_30 = dt.date(2026, 6, 30)

ORGS = [org("org-a"), org("org-b"), org("org-c"), org("org-d"), org("donor-x", type="donor")]
ACTIVITIES = [
    activity("a1", organization="org-a", partners=["org-b"], donors=["donor-x"], locations=[{"area": "G1D1"}], start="2026-07"),
    activity("a2", organization="org-b", services=["psychosocial-support"], locations=[{"area": "G1D1"}],
             start="2025", end="2026-06"),
    activity("a3", organization="org-c", locations=[{"area": "G1"}]),
    activity("a4", organization="org-d", sector="education", services=["education-in-detention"], locations=[{"area": "kri"}]),
    activity("a5", organization="org-c", locations=[{"area": "G2D1"}], status="completed", start="2024", end="2025"),
    activity("a6", organization="org-d", locations=[{"area": "G3D1"}]),
    activity("a7", organization="org-a", sector="justice", services=["correctional-staff-training"], locations=[{"area": "IQ"}]),
    activity("a8", organization="org-d", locations=[{"area": "G2"}], start="2027"),
    activity("a9", organization="org-d", locations=[{"area": "G2D1"}], status="planned"),
    activity("a10", organization="org-b", partners=["org-a"], locations=[{"area": "G1D2", "site": "Soran prison"}]),
]


@pytest.fixture
def data(tmp_path):
    return write_dataset(tmp_path / "data", ORGS, ACTIVITIES)


@pytest.fixture
def ds(data):
    return load_dataset(data)


def gaps_json(data, *args):
    result = runner.invoke(app, ["gaps", "--data", str(data), "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_sectors_by_governorate(data):
    # G1 protection: a1 (org-a, org-b; never donor-x) + a3 (org-c) + a10 (org-b, org-a again) = 3 organizations
    assert gaps_json(data, "--region", "kri", "--as-of", "2026-07-01") == {
        "region": "kri", "as_of": "2026-07-01", "level": 1,
        "columns": ["protection", "education", "justice"],
        "rows": [{"area": "G1", "name": "Erbil", "counts": {"protection": 3, "education": 0, "justice": 0}},
                 {"area": "G2", "name": "Duhok", "counts": {"protection": 0, "education": 0, "justice": 0}}],
        "gaps": [{"area": "G1", "column": "education"}, {"area": "G1", "column": "justice"},
                 {"area": "G2", "column": "protection"}, {"area": "G2", "column": "education"},
                 {"area": "G2", "column": "justice"}],
        "thin": [],
        "unlocated": ["a4", "a7"],  # region-level and country-level locations cover no governorate
        "stale": [],
    }


def test_services_on_both_sides_of_a_start_and_an_end(ds):
    july = coverage(ds, "kri", sector="protection", as_of=JULY_1)
    assert july.columns == ["legal-aid", "psychosocial-support"]
    assert july.column_names == {"legal-aid": "Legal aid", "psychosocial-support": "Psychosocial support"}
    assert [r.counts for r in july.rows] == [{"legal-aid": 3, "psychosocial-support": 0},
                                             {"legal-aid": 0, "psychosocial-support": 0}]
    # 2026-06-30: a1 (starts 2026-07) not yet, a2 (ends 2026-06) still on its last day
    june = coverage(ds, "kri", sector="protection", as_of=JUNE_30)
    assert [r.counts for r in june.rows] == [{"legal-aid": 3, "psychosocial-support": 1},   # org-c, org-b+org-a | org-b
                                             {"legal-aid": 0, "psychosocial-support": 0}]
    assert june.thin == [("G1", "psychosocial-support")]
    assert june.gaps == [("G2", "legal-aid"), ("G2", "psychosocial-support")]
    assert june.unlocated == []  # a4 (education) and a7 (justice) are not protection
    # by district, a1's start shows: Erbil district has org-a + org-b from 2026-07-01, nobody the day before
    assert coverage(ds, "G1", sector="protection", level=2, as_of=JULY_1).rows[0].counts["legal-aid"] == 2
    assert coverage(ds, "G1", sector="protection", level=2, as_of=JUNE_30).rows[0].counts == {
        "legal-aid": 0, "psychosocial-support": 1}


def test_open_start_and_end(ds):
    # a3 and a10 have no dates at all: active on any day while ongoing
    far = coverage(ds, "G1", sector="protection", as_of=dt.date(1990, 1, 1))
    assert far.rows[0].counts == {"legal-aid": 3, "psychosocial-support": 0}  # org-c; org-b + org-a
    later = coverage(ds, "G2", as_of=dt.date(2027, 1, 1))  # a8 starts 2027 (first day: 2027-01-01)
    assert later.rows[0].counts == {"protection": 1, "education": 0, "justice": 0}
    assert coverage(ds, "G2", as_of=dt.date(2026, 12, 31)).rows[0].counts["protection"] == 0


def test_districts_and_governorate_level_locations(ds):
    cov = coverage(ds, "kri", sector="protection", level=2, as_of=JULY_1)
    assert [(r.area, r.name, r.counts["legal-aid"]) for r in cov.rows] == [
        ("G1D1", "Erbil", 2),   # a1: org-a, org-b
        ("G1D2", "Soran", 2),   # a10: org-b, org-a
        ("G2D1", "Zakho", 0)]   # a5 completed, a9 planned, a8 (G2) not started and governorate-level anyway
    assert cov.unlocated == ["a3"]  # located only at Erbil governorate: counts in no district
    assert coverage(ds, "kri", level=2, as_of=JULY_1).unlocated == ["a3", "a4", "a7"]


def test_min_orgs_makes_gaps_and_thin_cells(ds):
    three = coverage(ds, "kri", as_of=JULY_1, min_orgs=3)
    assert three.thin == [("G1", "protection")]
    assert len(three.gaps) == 5
    four = coverage(ds, "kri", as_of=JULY_1, min_orgs=4)
    assert four.thin == [] and ("G1", "protection") in four.gaps and len(four.gaps) == 6


def test_place_named_by_alias_iso_code_or_name_any_case(data):
    for name in ("Arbil", "iq-ar", "ERBIL", "G1"):
        out = gaps_json(data, "--region", name, "--as-of", "2026-07-01")
        assert out["region"] == "G1" and [r["area"] for r in out["rows"]] == ["G1"]
    assert gaps_json(data, "--region", "Kurdistan Region of Iraq", "--as-of", "2026-07-01")["region"] == "kri"
    out = gaps_json(data, "--region", "kri", "--sector", "PROTECTION", "--as-of", "2026-07-01")
    assert out["columns"] == ["legal-aid", "psychosocial-support"]


def test_federal_region(data):
    out = gaps_json(data, "--region", "federal", "--level", "2", "--as-of", "2026-07-01")
    assert out["rows"] == [{"area": "G3D1", "name": "Karkh", "counts": {"protection": 1, "education": 0, "justice": 0}}]
    assert out["thin"] == [{"area": "G3D1", "column": "protection"}]
    assert out["unlocated"] == ["a7"]  # IQ contains federal; kri (a4) does not


@pytest.mark.parametrize("args, message", [
    (["--region", "Erbill"], "unknown place 'Erbill': did you mean 'Erbil'"),
    (["--region", "kri", "--sector", "protecton"], "unknown sector 'protecton': did you mean 'protection'"),
    (["--region", "kri", "--as-of", "2026-13-01"], "--as-of '2026-13-01' is not a date"),
])
def test_usage_errors_exit_2(data, args, message):
    result = runner.invoke(app, ["gaps", "--data", str(data), *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == "" and "Traceback" not in result.output


@pytest.mark.parametrize("level, message", [
    ("3", "Invalid value for '--level': 3 is not in the range 1<=x<=2."),
    ("0", "Invalid value for '--level': 0 is not in the range 1<=x<=2."),
    # click's and typer's wording for this type changed between releases: both are theirs, not ours
    ("two", ("Invalid value for '--level': 'two' is not a valid int range.",
             "Invalid value for '--level': 'two' is not a valid integer range.")),
])
def test_level_out_of_range_is_usage_error(data, level, message):
    result = runner.invoke(app, ["gaps", "--data", str(data), "--region", "kri", "--level", level])
    assert result.exit_code == 2
    assert result.stdout == "" and "Traceback" not in result.output
    assert result.stderr.splitlines()[-1] in {f"Error: {m}" for m in ((message,) if isinstance(message, str) else message)}
    assert "Try 'ngocoord gaps --help' for help." in result.stderr


def test_csv_and_markdown(data):
    args = ["gaps", "--data", str(data), "--region", "kri", "--as-of", "2026-07-01", "--format"]
    csv = runner.invoke(app, [*args, "csv"]).stdout
    assert csv == "area,name,protection,education,justice\nG1,Erbil,3,0,0\nG2,Duhok,0,0,0\n"
    md = runner.invoke(app, [*args, "markdown", "--min-orgs", "3"]).stdout
    assert "| G1 | Erbil | 3 (thin) | 0 (gap) | 0 (gap) |" in md
    assert "| G2 | Duhok | 0 (gap) | 0 (gap) | 0 (gap) |" in md
    assert "gap: fewer than 3 organizations (5 cells)   thin: exactly 3 (1 cell)" in md
    assert md.rstrip().endswith(": a4, a7")


def test_table_has_legend_colours_and_unlocated_line(data):
    result = runner.invoke(app, ["gaps", "--data", str(data), "--region", "kri", "--as-of", "2026-07-01"],
                           env={"FORCE_COLOR": "1", "COLUMNS": "100"}, color=True)
    assert result.exit_code == 0
    out = result.stdout
    assert "Coverage of Kurdistan Region of Iraq by" in out and "governorates and sectors on 2026-07-01" in out
    assert "\x1b[1;37;41m" in out  # a red gap cell
    assert "gap" in out and "thin" in out and "0 organizations (5 cells)" in out
    assert "unlocated (2, located only at a coarser level than a governorate, counted in no cell): a4, a7" in out


def test_bad_file_is_skipped_with_one_warning(data):
    (data / "activities" / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    result = runner.invoke(app, ["gaps", "--data", str(data), "--region", "kri", "--as-of", "2026-07-01", "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["rows"][0]["counts"]["protection"] == 3
    assert result.stderr.count("\n") == 1 and "1 file could not be loaded" in result.stderr


def test_shipped_dataset(tmp_path):
    from tests.conftest import REPO

    out = gaps_json(REPO / "data", "--region", "kri", "--as-of", "2022-12-31")
    assert [r["area"] for r in out["rows"]] == ["IQG06", "IQG09", "IQG11"]


def test_a_district_has_no_governorates(data):
    result = runner.invoke(app, ["gaps", "--data", str(data), "--region", "Soran", "--level", "1"])
    assert result.exit_code == 2
    assert result.stderr == ("ngocoord: error: Soran (G1D2) is a district: it holds no level-1 areas; "
                             "use --level 2, or leave --level out\n")
    # without --level, a district is shown one level finer when the codelists have one, else as itself
    assert gaps_json(data, "--region", "Soran", "--as-of", "2026-07-01") == gaps_json(
        data, "--region", "Soran", "--level", "2", "--as-of", "2026-07-01")
    out = gaps_json(data, "--region", "Soran", "--level", "2", "--as-of", "2026-07-01")
    assert out["rows"] == [{"area": "G1D2", "name": "Soran", "counts": {"protection": 2, "education": 0, "justice": 0}}]  # a10: org-b, org-a
    assert out["unlocated"] == ["a3", "a4", "a7"]  # Erbil governorate, the region and the country all contain Soran
