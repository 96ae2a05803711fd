"""gaps: which admin level the rows are at (analysis.gaps.rows_level), and the exact usage error
for a --level the place holds no areas of, for each kind of place: region, governorate, district,
an area of any other level.

Codelists: the tiny ones of conftest, changed so that
  - Soran (G1D2) holds two level-3 areas: Sidakan (G1D2S1) and Mergasur (G1D2S2);
  - Baghdad (G3) holds no district, so Federal Iraq (federal = G3) holds none either;
  - Zakho (G2D1) and Erbil district (G1D1) hold nothing below them.
"""

from __future__ import annotations

import copy
import json

import pytest
from typer.testing import CliRunner

from conftest import TINY_CODELISTS, activity, org, write_dataset
from ngocoord.analysis.gaps import rows_level
from ngocoord.cli import app
from ngocoord.codelists import Codelists
from ngocoord.problems import UsageError

runner = CliRunner()

LEVEL3 = copy.deepcopy(TINY_CODELISTS)
LEVEL3["areas"]["areas"] = [a for a in LEVEL3["areas"]["areas"] if a["code"] != "G3D1"] + [
    {"code": "G1D2S1", "name": "Sidakan", "level": 3, "parent": "G1D2"},
    {"code": "G1D2S2", "name": "Mergasur", "level": 3, "parent": "G1D2"},
]

COUNTRY_ONLY = copy.deepcopy(TINY_CODELISTS)
COUNTRY_ONLY["areas"] = {"areas": [{"code": "IQ", "name": "Iraq", "level": 0}]}


def codelists(lists: dict) -> Codelists:
    areas = lists["areas"]
    return Codelists.from_data({"areas": [(d, "areas.yaml", i) for i, d in enumerate(areas["areas"])],
                                "regions": [(d, "areas.yaml", i) for i, d in enumerate(areas.get("regions", []))]})


@pytest.fixture
def data(tmp_path):
    return write_dataset(tmp_path / "data", [org("org-a"), org("org-b")], [
        activity("in-sidakan", organization="org-a", locations=[{"area": "G1D2S1"}], last_reviewed="2026-06-01"),
        activity("in-soran", organization="org-b", locations=[{"area": "G1D2"}], last_reviewed="2026-06-01"),
    ], codelists=LEVEL3)


def gaps(data, *args):
    return runner.invoke(app, ["gaps", "--data", str(data), "--as-of", "2026-07-01", *args])


def gaps_json(data, *args):
    result = gaps(data, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("place, level", [
    ("kri", 1),       # a region: its governorates
    ("IQ", 1),        # the country: its governorates
    ("G1", 1),        # a governorate is its own row, though it holds districts
    ("G3", 1),        # a governorate without districts too
    ("G2D1", 2),      # a district with nothing below it is its own row
    ("G1D2", 3),      # a district holding level-3 areas: those
    ("G1D2S1", 3),    # a level-3 area with nothing below it is its own row
])
def test_without_level_the_rows_are_governorates_or_the_level_below_a_finer_place(place, level):
    assert rows_level(codelists(LEVEL3), place, None) == level


@pytest.mark.parametrize("place, level", [("kri", 2), ("G1", 2), ("G1D2", 3), ("G1D2", 2), ("G1D2S1", 3)])
def test_a_level_the_place_holds_is_kept(place, level):
    assert rows_level(codelists(LEVEL3), place, level) == level


def test_a_district_holding_level_3_areas_is_shown_by_them(data):
    out = gaps_json(data, "--region", "Soran")
    assert out["level"] == 3
    assert out["rows"] == [
        {"area": "G1D2S1", "name": "Sidakan", "counts": {"protection": 1, "education": 0, "justice": 0}},
        {"area": "G1D2S2", "name": "Mergasur", "counts": {"protection": 0, "education": 0, "justice": 0}},
    ]
    assert out["unlocated"] == ["in-soran"]  # located at Soran itself: coarser than its level-3 areas


def test_a_district_without_finer_areas_is_its_own_row(data):
    out = gaps_json(data, "--region", "Zakho")
    assert out["level"] == 2
    assert out["rows"] == [{"area": "G2D1", "name": "Zakho", "counts": {"protection": 0, "education": 0, "justice": 0}}]


def test_a_governorate_is_its_own_row_by_default(data):
    out = gaps_json(data, "--region", "G1")
    assert out["level"] == 1
    assert out["rows"] == [{"area": "G1", "name": "Erbil", "counts": {"protection": 2, "education": 0, "justice": 0}}]


@pytest.mark.parametrize("args, message", [
    (["--region", "Baghdad", "--level", "2"],
     "Baghdad (G3) is a governorate: it holds no level-2 areas; use --level 1, or leave --level out"),
    (["--region", "federal", "--level", "2"],
     "Federal Iraq (federal) is a region: it holds no level-2 areas; use --level 1, or leave --level out"),
    (["--region", "Soran", "--level", "1"],
     "Soran (G1D2) is a district: it holds no level-1 areas; use --level 2, or leave --level out"),
    (["--region", "Zakho", "--level", "1"],
     "Zakho (G2D1) is a district: it holds no level-1 areas; use --level 2, or leave --level out"),
    (["--region", "Sidakan", "--level", "2"],
     "Sidakan (G1D2S1) is a level-3 area: it holds no level-2 areas; leave --level out"),
])
def test_a_level_the_place_does_not_hold_says_which_to_use(data, args, message):
    result = gaps(data, *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"ngocoord: error: {message}\n"


def test_the_advice_works_every_level_it_suggests_is_accepted(data):
    """A district holding level-3 areas is advised --level 2 only: the command offers --level 1|2
    (it used to advise --level 3 too, which the command then refused)."""
    for args, message in [(["--region", "Soran", "--level", "1"], "use --level 2,"),
                          (["--region", "Sidakan", "--level", "2"], "; leave --level out")]:
        refused = gaps(data, *args)
        assert refused.exit_code == 2 and message in refused.stderr
        region = args[1]
        followed = gaps(data, "--region", region, *(["--level", "2"] if "use --level 2" in message else []))
        assert followed.exit_code == 0, followed.output


def test_a_country_without_governorates_can_only_leave_level_out(tmp_path):
    data = write_dataset(tmp_path / "data", [org("org-a")], [activity("a1", locations=[{"area": "IQ"}])],
                         codelists=COUNTRY_ONLY)
    result = gaps(data, "--region", "Iraq", "--level", "1")
    assert result.exit_code == 2
    assert result.stderr == ("ngocoord: error: Iraq (IQ) is a level-0 area: it holds no level-1 areas; "
                             "leave --level out\n")


@pytest.mark.parametrize("place, level, message", [
    ("G1", 3, "Erbil (G1) is a governorate: it holds no level-3 areas; use --level 1 or --level 2, or leave --level out"),
    ("kri", 3, "Kurdistan Region of Iraq (kri) is a region: it holds no level-3 areas; "
               "use --level 1 or --level 2, or leave --level out"),
    # a code that names no place (the CLI resolves places first; coverage() refuses it too)
    ("nowhere", 1, "nowhere (nowhere) is a region: it holds no level-1 areas; leave --level out"),
])
def test_rows_level_called_directly_names_every_usable_level(place, level, message):
    with pytest.raises(UsageError) as error:
        rows_level(codelists(TINY_CODELISTS), place, level)
    assert str(error.value) == message
