"""duplicates: which sector-level activities (no service) are counted as 'not compared', and how
duplicates_json and Pair.to_json carry that count, the dates and the `coordinated` flag.

A search on a day considers the activities active that day; an all-time search every one that is not
cancelled; `--sector` only that sector's. Dataset (all in G1D1, day 2026-07-01):

  s-active   protection  no service   ongoing
  s-done     protection  no service   completed
  s-later    protection  no service   ongoing, start 2027
  s-cancel   protection  no service   cancelled
  s-edu      education   no service   ongoing
  a-svc      protection  legal-aid    ongoing
  a-svc2     protection  legal-aid    ongoing, org-b (pairs with a-svc)
"""

from __future__ import annotations

import datetime as dt
import json

from typer.testing import CliRunner

from conftest import activity, org, write_dataset
from ngocoord.analysis.duplicates import Pair, duplicates_json, not_compared
from ngocoord.cli import app
from ngocoord.load.dataset import load_dataset
from ngocoord.model import Activity, Location

runner = CliRunner()
DAY = dt.date(2026, 7, 1)


def sector_level(id: str, **fields) -> dict:
    record = activity(id, **fields)
    del record["services"]
    return record


ACTIVITIES = [
    sector_level("s-active"),
    sector_level("s-done", status="completed", start="2025-01-01", end="2025-12-31"),
    sector_level("s-later", start="2027-01-01"),
    sector_level("s-cancel", status="cancelled"),
    sector_level("s-edu", sector="education"),
    activity("a-svc"),
    activity("a-svc2", organization="org-b"),
]


def dataset(tmp_path):
    return write_dataset(tmp_path / "data", [org("org-a"), org("org-b")], ACTIVITIES)


def test_on_a_day_only_the_active_sector_level_activities_of_any_sector(tmp_path):
    ds = load_dataset(dataset(tmp_path))
    assert not_compared(ds, as_of=DAY) == ["s-active", "s-edu"]


def test_on_a_day_with_a_sector_only_that_sectors(tmp_path):
    ds = load_dataset(dataset(tmp_path))
    assert not_compared(ds, sector="protection", as_of=DAY) == ["s-active"]
    assert not_compared(ds, sector="education", as_of=DAY) == ["s-edu"]
    assert not_compared(ds, sector="justice", as_of=DAY) == []


def test_all_time_every_one_not_cancelled(tmp_path):
    ds = load_dataset(dataset(tmp_path))
    assert not_compared(ds, as_of=DAY, all_time=True) == ["s-active", "s-done", "s-edu", "s-later"]
    assert not_compared(ds, sector="protection", as_of=DAY, all_time=True) == ["s-active", "s-done", "s-later"]


def test_the_command_counts_them_on_the_day_and_all_time(tmp_path):
    data = dataset(tmp_path)
    args = ["duplicates", "--data", str(data), "--format", "json"]
    on_day = json.loads(runner.invoke(app, [*args, "--as-of", "2026-07-01"]).stdout)
    assert on_day["not_compared"] == 2
    assert [p["activities"] for p in on_day["pairs"]] == [["a-svc", "a-svc2"]]
    assert json.loads(runner.invoke(app, [*args, "--all-time"]).stdout)["not_compared"] == 4
    assert json.loads(runner.invoke(app, [*args, "--all-time", "--sector", "education"]).stdout) == {
        "as_of": None, "pairs": [], "not_compared": 1}


# --- duplicates_json and Pair.to_json, on pairs built by hand --------------------------------------------

def act(id: str, organization: str) -> Activity:
    return Activity(id=id, title=id, organization=organization, sector="protection", services=("legal-aid",),
                    locations=(Location("G1D1"),), status="ongoing", last_reviewed=DAY)


PLAIN = Pair(act("x1", "org-a"), act("x2", "org-b"), "overlap", ("legal-aid",), (), ("G1D1",),
             dt.date(2026, 2, 3), dt.date(2026, 11, 30), False)
AGREED = Pair(act("x1", "org-a"), act("x3", "org-c"), "overlap", ("legal-aid",), ("women",), ("G1D1",),
              None, None, True)
PLAIN_JSON = {"activities": ["x1", "x2"], "organizations": ["org-a", "org-b"], "kind": "overlap",
              "services": ["legal-aid"], "populations": [], "areas": ["G1D1"],
              "period": {"start": "2026-02-03", "end": "2026-11-30"}}
AGREED_JSON = {"activities": ["x1", "x3"], "organizations": ["org-a", "org-c"], "kind": "overlap",
               "services": ["legal-aid"], "populations": ["women"], "areas": ["G1D1"],
               "period": {"start": None, "end": None}}


def test_a_pair_gives_both_dates_and_its_flag_only_when_asked():
    assert PLAIN.to_json() == PLAIN_JSON
    assert PLAIN.to_json(True) == {**PLAIN_JSON, "coordinated": False}
    assert AGREED.to_json(False) == AGREED_JSON
    assert AGREED.to_json(with_coordinated=True) == {**AGREED_JSON, "coordinated": True}


def test_the_not_compared_count_appears_only_when_given():
    assert duplicates_json([PLAIN], DAY) == {"as_of": "2026-07-01", "pairs": [PLAIN_JSON]}
    assert duplicates_json([PLAIN], DAY, not_compared=["s1", "s2", "s3"]) == {
        "as_of": "2026-07-01", "pairs": [PLAIN_JSON], "not_compared": 3}
    assert duplicates_json([], None, not_compared=[]) == {"as_of": None, "pairs": [], "not_compared": 0}


def test_the_flag_follows_include_coordinated_when_it_is_given():
    assert duplicates_json([PLAIN, AGREED], DAY, include_coordinated=False)["pairs"] == [PLAIN_JSON, AGREED_JSON]
    assert duplicates_json([PLAIN], DAY, include_coordinated=True)["pairs"] == [{**PLAIN_JSON, "coordinated": False}]


def test_by_default_the_flag_shows_only_when_some_pair_is_coordinated():
    assert duplicates_json([PLAIN], DAY)["pairs"] == [PLAIN_JSON]
    assert duplicates_json([PLAIN, AGREED], DAY)["pairs"] == [{**PLAIN_JSON, "coordinated": False},
                                                              {**AGREED_JSON, "coordinated": True}]
