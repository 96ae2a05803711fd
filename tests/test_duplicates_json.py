"""duplicates_json and Pair.to_json: the `coordinated` flag appears exactly when it tells something."""

from __future__ import annotations

import datetime as dt

from conftest import write_dataset
from ngocoord.analysis.duplicates import duplicates_json, find_duplicates
from ngocoord.load.dataset import load_dataset
from test_duplicates import ACTIVITIES, D01_D09, ORGS

DAY = dt.date(2026, 7, 1)


def test_by_default_every_pair_is_flagged_when_one_is_coordinated(tmp_path):
    ds = load_dataset(write_dataset(tmp_path / "data", ORGS, ACTIVITIES))
    pairs = find_duplicates(ds, as_of=DAY, include_coordinated=True)
    out = duplicates_json(pairs, DAY)["pairs"]
    assert [p["coordinated"] for p in out] == [False, True, False, False, False, False, False]
    assert out[1] == {**D01_D09, "coordinated": True}


def test_a_pair_alone_carries_no_flag_unless_asked(tmp_path):
    ds = load_dataset(write_dataset(tmp_path / "data", ORGS, ACTIVITIES))
    coordinated = [p for p in find_duplicates(ds, as_of=DAY, include_coordinated=True) if p.coordinated]
    assert [p.to_json() for p in coordinated] == [D01_D09]
    assert [p.to_json(True) for p in coordinated] == [{**D01_D09, "coordinated": True}]
