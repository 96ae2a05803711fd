"""ngocoord.render.report.data gathers every fact a report shows: the values it builds are checked
here exactly, on one small dataset typed by hand (a country, a governorate and two district
reports), plus the small pure helpers (the tile map, periods, the overview order, the duplicate
pairs on the raw data) and a few facts a coordinator reads in `ngocoord report`'s HTML."""

from __future__ import annotations

import dataclasses
import datetime as dt
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from conftest import activity, org, write_dataset
from ngocoord.cli import app
from ngocoord.load.dataset import load_dataset
from ngocoord.render.report import data
from ngocoord.render.report.data import (WITHHELD, _period, build_report, duplicate_rows, overview, place_tiles,
                                         tile_layout, tiles)

runner = CliRunner()
DAY = dt.date(2026, 6, 1)

ORGS = [org("org-a", name="Org A"), org("org-b", name="Org B", type="ingo"), org("org-c", name="Org C", type="ingo"),
        org("old-donor", name="Old Donor", type="donor", last_reviewed="2024-01-01"),
        org("old-idle", name="Old Idle", last_reviewed="2023-01-01"),          # stale, in no activity
        org("odd-net", name="Odd Network", type="network")]                    # a type the codelists lack
ACTIVITIES = [
    activity("act-1", title="Legal aid in Erbil", partners=["org-b"], population=["prisoners"],
             locations=[{"area": "G1D1", "site": "Central prison"}], start="2025-01",
             sources=[{"title": "Report", "url": "https://example.org/1"}]),
    activity("act-2", title="Legal aid too", organization="org-c", population=["prisoners"],
             locations=[{"area": "G1D1"}, {"area": "G1D2"}], start="2025-03", end="2026-12",
             sources=[{"title": "No link"}, {"title": "New", "url": "https://example.org/2"}]),
    activity("act-3", title="Classes", sector="education", services=["education-in-detention"], sensitive=True,
             locations=[{"area": "G2D1", "site": "Secret place"}]),
    activity("act-4", title="Classes in Zakho", organization="org-b", sector="education",
             services=["education-in-detention"], locations=[{"area": "G2D1"}]),
    activity("act-5", title="Everywhere in KRI", organization="org-b", locations=[{"area": "kri"}, {"area": "Z9"}]),
    activity("act-6", title="Old training", organization="org-b", sector="justice", status="completed",
             services=["correctional-staff-training"], locations=[{"area": "G3"}], donors=["old-donor"],
             end="2025-12", last_reviewed="2024-01-01"),
    activity("act-7", title="Shelter", organization="org-c", services=[], locations=[{"area": "G3D1"}],
             last_reviewed="2025-05-01"),
    activity("act-8", title="Ghost work", organization="ghost", sector="health", services=["x-ray"],
             status="suspended", locations=[{"area": "G3"}]),
    activity("act-9", title="Countrywide", organization="odd-net", locations=[{"area": "IQ"}]),
    activity("act-10", title="Cancelled plan", status="cancelled", start="2025-02", end="2025-02",
             locations=[{"area": "G1D2"}]),
    activity("act-11", title="Future plan", status="planned", start="2027-01", locations=[{"area": "G1D2"}]),
]


@pytest.fixture
def root(tmp_path):
    return write_dataset(tmp_path / "data", ORGS, ACTIVITIES)


@pytest.fixture
def ds(root):
    return load_dataset(root)


def plain(items):
    return [dataclasses.astuple(x) for x in items]


# (id, title, organization, sector, services, places, status, active, period, source url)
ACT_1 = ("act-1", "Legal aid in Erbil", "Org A", "Protection", ["Legal aid"], ["Erbil, Central prison"], "ongoing",
         True, "2025-01 – …", "https://example.org/1")
ACT_2 = ("act-2", "Legal aid too", "Org C", "Protection", ["Legal aid"], ["Erbil", "Soran"], "ongoing", True,
         "2025-03 – 2026-12", "https://example.org/2")
ACT_10 = ("act-10", "Cancelled plan", "Org A", "Protection", ["Legal aid"], ["Soran"], "cancelled", False, "2025-02", None)
ACT_11 = ("act-11", "Future plan", "Org A", "Protection", ["Legal aid"], ["Soran"], "planned", False, "2027-01 – …", None)
ACT_4 = ("act-4", "Classes in Zakho", "Org B", "Education", ["Education in detention"], ["Zakho"], "ongoing", True, "", None)
ERBIL_PAIRS = [
    (("act-1", "act-2"), ("Legal aid in Erbil", "Legal aid too"), ("Org A", "Org C"), "overlap", ["Legal aid"],
     ["Prisoners"], ["Erbil"], "2025-03-01 – 2026-12-31"),
    (("act-1", "act-5"), ("Legal aid in Erbil", "Everywhere in KRI"), ("Org A", "Org B"), "double-reporting",
     ["Legal aid"], ["Prisoners"], ["Erbil"], "2025-01-01 – …"),
    (("act-1", "act-9"), ("Legal aid in Erbil", "Countrywide"), ("Org A", "Odd Network"), "overlap", ["Legal aid"],
     ["Prisoners"], ["Erbil"], "2025-01-01 – …"),
]
SORAN_PAIRS = [
    (("act-2", "act-5"), ("Legal aid too", "Everywhere in KRI"), ("Org C", "Org B"), "overlap", ["Legal aid"],
     ["Prisoners"], ["Erbil", "Soran"], "2025-03-01 – 2026-12-31"),
    (("act-2", "act-9"), ("Legal aid too", "Countrywide"), ("Org C", "Odd Network"), "overlap", ["Legal aid"],
     ["Prisoners"], ["Erbil", "Soran"], "2025-03-01 – 2026-12-31"),
]
KRI_PAIR = (("act-5", "act-9"), ("Everywhere in KRI", "Countrywide"), ("Org B", "Odd Network"), "overlap",
            ["Legal aid"], ["general population"], ["Kurdistan Region of Iraq"], "")
WIDER = [("act-5", "Everywhere in KRI", "Org B", ["Kurdistan Region of Iraq", "Z9"]),
         ("act-9", "Countrywide", "Odd Network", ["Iraq"])]


def classes_pair(where):
    return (("act-3", "act-4"), ("Classes", "Classes in Zakho"), ("Org A", "Org B"), "overlap",
            ["Education in detention"], ["general population"], [where], "")


def country_sections(classes_places):
    return [
        ("G1", "Erbil", [ACT_1, ACT_2, ACT_10, ACT_11]),
        ("G2", "Duhok", [("act-3", "Classes", "Org A", "Education", ["Education in detention"], classes_places,
                          "ongoing", True, "", None), ACT_4]),
        ("G3", "Baghdad", [  # active first, then by sector name, organization, title
            ("act-7", "Shelter", "Org C", "Protection", [], ["Karkh"], "ongoing", True, "", None),
            ("act-6", "Old training", "Org B", "Justice and corrections", ["Training of correctional staff"],
             ["whole governorate"], "completed", False, "… – 2025-12", None),
            ("act-8", "Ghost work", "ghost", "health", ["x-ray"], ["whole governorate"], "suspended", False, "", None)]),
    ]


COUNTRY_TOTALS = {"organizations": 6, "activities": 11, "active": 7, "gaps": 6, "thin": 1, "duplicates": 7, "stale": 4,
                  "counted": 5, "counted_stale": 1, "stale_cells": 1, "wider": 0, "countrywide": 0}
COUNTRY_STALE = [("organization", "old-idle", "Old Idle", dt.date(2023, 1, 1), 1247),
                 ("activity", "act-6", "Old training", dt.date(2024, 1, 1), 882),
                 ("organization", "old-donor", "Old Donor", dt.date(2024, 1, 1), 882),
                 ("activity", "act-7", "Shelter", dt.date(2025, 5, 1), 396)]


def check_country(r, *, include_sensitive, classes_places, classes_area):
    assert (r.title, r.region, r.region_name, r.as_of, r.include_sensitive) == \
        ("Who does what where: Iraq", "IQ", "Iraq", DAY, include_sensitive)
    assert r.organizations_by_type == [("International NGO", 2), ("National NGO", 2), ("Donor", 1), ("network", 1)]
    assert r.activities_by_status == [("planned", 1), ("ongoing", 7), ("completed", 1), ("suspended", 1),
                                      ("cancelled", 1)]
    assert r.activities_by_sector == [("Protection", 7, 5), ("Education", 2, 2), ("Justice and corrections", 1, 0)]
    assert r.totals == COUNTRY_TOTALS
    assert (r.coverage.level, [row.area for row in r.coverage.rows], r.unit) == (1, ["G1", "G2", "G3"], "governorate")
    assert plain(r.tiles) == [("G1", "Erbil", 0, 0, 3, ["Protection"]), ("G2", "Duhok", 0, 1, 2, ["Education"]),
                              ("G3", "Baghdad", 0, 2, 1, ["Protection"])]
    assert plain(r.duplicates) == ERBIL_PAIRS + SORAN_PAIRS + [classes_pair(classes_area), KRI_PAIR]
    assert plain(r.stale) == COUNTRY_STALE
    assert plain(r.areas) == country_sections(classes_places)
    assert r.unlocated == ["Everywhere in KRI", "Countrywide"]
    assert (r.not_compared, r.wider, r.gap_history) == (1, [], [])


def test_a_country_report_is_published_unless_asked(ds):
    check_country(build_report(ds, as_of=DAY), include_sensitive=False, classes_places=[WITHHELD],
                  classes_area="Duhok")


def test_a_country_report_with_sensitive_places_shows_the_district_and_site(ds):
    check_country(build_report(ds, as_of=DAY, include_sensitive=True), include_sensitive=True,
                  classes_places=["Zakho, Secret place"], classes_area="Zakho")


def test_a_governorate_report_counts_only_what_is_located_there(ds):
    r = build_report(ds, region="Arbil", as_of=DAY)
    assert (r.title, r.region, r.region_name) == ("Who does what where: Erbil", "G1", "Erbil")
    assert r.organizations_by_type == [("International NGO", 2), ("National NGO", 1)]
    assert r.activities_by_status == [("planned", 1), ("ongoing", 2), ("cancelled", 1)]
    assert r.activities_by_sector == [("Protection", 4, 2)]
    assert r.totals == {"organizations": 3, "activities": 4, "active": 2, "gaps": 2, "thin": 0, "duplicates": 5,
                        "stale": 0, "counted": 2, "counted_stale": 0, "stale_cells": 0, "wider": 2, "countrywide": 1}
    assert (r.coverage.level, r.unit) == (1, "governorate")
    assert plain(r.tiles) == [("G1", "Erbil", 0, 0, 3, ["Protection"])]
    assert plain(r.duplicates) == ERBIL_PAIRS + SORAN_PAIRS
    assert r.stale == []   # Old Idle and Old Donor deliver nothing in Erbil
    assert plain(r.areas) == [("G1", "Erbil", [ACT_1, ACT_2, ACT_10, ACT_11])]
    # located only at KRI and at the country: outside the governorate's activities, still named by title
    assert r.unlocated == ["Everywhere in KRI", "Countrywide"]
    assert (r.not_compared, r.wider) == (0, WIDER)


def test_a_district_report_has_one_row_and_no_pair_that_places_a_sensitive_activity_there(ds):
    r = build_report(ds, region="G2D1", as_of=DAY)
    assert (r.title, r.region, r.region_name) == ("Who does what where: Zakho", "G2D1", "Zakho")
    assert (r.coverage.level, [row.area for row in r.coverage.rows], r.unit) == (2, ["G2D1"], "district")
    assert r.totals == {"organizations": 1, "activities": 1, "active": 1, "gaps": 2, "thin": 1, "duplicates": 0,
                        "stale": 0, "counted": 1, "counted_stale": 0, "stale_cells": 0, "wider": 3, "countrywide": 1}
    assert r.duplicates == []
    assert plain(r.tiles) == [("G2D1", "Zakho", 0, 0, 1, ["Education"])]
    assert plain(r.areas) == [("G2D1", "Zakho", [ACT_4[:5] + (["whole district"],) + ACT_4[6:]])]
    assert r.wider == [("act-3", "Classes", "Org A", ["Duhok"])] + WIDER


def test_a_district_report_lists_the_pairs_meeting_in_it(ds):
    r = build_report(ds, region="G1D2", as_of=DAY)
    assert (r.coverage.level, r.unit) == (2, "district")
    assert plain(r.duplicates) == SORAN_PAIRS
    assert r.totals["duplicates"] == 2


def test_with_sensitive_places_a_district_report_shows_the_pair_there(ds):
    r = build_report(ds, region="G2D1", as_of=DAY, include_sensitive=True)
    assert plain(r.duplicates) == [classes_pair("Zakho")]
    assert [a.id for a in r.areas[0].activities] == ["act-3", "act-4"]


def test_only_the_first_max_rows_pairs_are_built_all_are_counted(ds, monkeypatch):
    monkeypatch.setattr(data, "MAX_ROWS", 2)
    rows, count = duplicate_rows(ds, "IQ", DAY, False)
    assert (plain(rows), count) == (ERBIL_PAIRS[:2], 7)


def test_a_pair_with_a_sensitive_activity_meets_at_its_governorate_even_on_the_raw_data(ds):
    """duplicate_rows itself hides the district of a pair holding a sensitive activity, whatever view it is given."""
    assert plain(duplicate_rows(ds, "IQ", DAY, False)[0])[5] == classes_pair("Duhok")
    assert plain(duplicate_rows(ds, "IQ", DAY, True)[0])[5] == classes_pair("Zakho")
    assert duplicate_rows(ds, "G2D1", DAY, False) == ([], 0)
    assert plain(duplicate_rows(ds, "G2D1", DAY, True)[0]) == [classes_pair("Zakho")]


def test_codes_missing_from_the_codelists_are_shown_as_written(tmp_path):
    root = write_dataset(tmp_path / "data", [org("org-a")], [
        activity(f"act-{i}", sector="health", services=["x-ray"], population=["aliens"],
                 locations=[{"area": "G3"}, {"area": "Z9"}]) for i in (1, 2)])
    ds = load_dataset(root)
    rows, count = duplicate_rows(ds, "IQ", DAY, False)
    assert (plain(rows), count) == ([(("act-1", "act-2"), ("act 1", "act 2"), ("Org A", "Org A"), "same-organization",
                                      ["x-ray"], ["aliens"], ["Baghdad", "Z9"], "")], 1)
    assert plain(tiles(ds.codelists, list(ds.activities.values()), ["G3"], None)) == \
        [("G3", "Baghdad", 0, 0, 1, ["health"])]


def test_the_overview_orders_by_count_then_name():
    cl = SimpleNamespace(org_types={"ingo": SimpleNamespace(name="International NGO"),
                                    "donor": SimpleNamespace(name="Donor")},
                         sectors={c: SimpleNamespace(code=c, name=n) for c, n in
                                  (("wash", "WASH"), ("protection", "Protection"), ("education", "Education"),
                                   ("food", "Food"))})
    orgs = {o: SimpleNamespace(type=t) for o, t in (("o1", "zz-type"), ("o2", "ingo"), ("o3", "donor"),
                                                    ("o4", "ingo"), ("o5", "donor"), ("o6", "ingo"))}
    acts = [SimpleNamespace(status=s, sector=c) for s, c in
            (("ongoing", "protection"), ("ongoing", "protection"), ("completed", "protection"),
             ("ongoing", "education"), ("ongoing", "wash"), ("ongoing", "food"), ("planned", "food"))]
    active = [a for a in acts if a.status == "ongoing"]
    # a list, not a set: the order of ties is then the test's, never a hash's
    by_type, by_status, by_sector = overview(cl, orgs, ["o1", "o5", "o3", "o2", "o4", "o6", "gone"], acts, active)
    assert by_type == [("International NGO", 3), ("Donor", 2), ("zz-type", 1)]
    assert by_status == [("planned", 1), ("ongoing", 5), ("completed", 1)]
    # most active first; then most in all; then by name
    assert by_sector == [("Protection", 3, 2), ("Food", 2, 1), ("Education", 1, 1), ("WASH", 1, 1)]


def test_overview_ties_go_by_name():
    orgs = {o: SimpleNamespace(type=t) for o, t in (("o1", "ingo"), ("o2", "donor"))}
    cl = SimpleNamespace(org_types={"ingo": SimpleNamespace(name="International NGO"),
                                    "donor": SimpleNamespace(name="Donor")}, sectors={})
    assert overview(cl, orgs, ["o1", "o2"], [], [])[0] == [("Donor", 1), ("International NGO", 1)]


@pytest.mark.parametrize(("start", "end", "shown"), [
    (None, None, ""), ("2025-01", "2025-01", "2025-01"), ("2025-01", None, "2025-01 – …"),
    (None, "2026-12", "… – 2026-12"), ("2025-01", "2026-12", "2025-01 – 2026-12"),
    (dt.date(2025, 1, 1), dt.date(2025, 1, 1), "2025-01-01")])
def test_a_period_is_written_with_its_open_ends(start, end, shown):
    assert _period(start, end) == shown


def test_the_tile_layout_keeps_only_two_small_whole_numbers(tmp_path):
    (tmp_path / "codelists").mkdir()
    (tmp_path / "codelists" / "tile-map.yaml").write_text(
        "tiles:\n  G1: [0, 1]\n  G2: [99, 0]\n  G3: [1, 0, 5]\n  G4: [-1, 0]\n  G5: [0, 100]\n  G6: [2.5, 0]\n"
        "  G7: '0, 1'\n  G8: [3]\n")
    assert tile_layout(tmp_path) == {"G1": (0, 1), "G2": (99, 0)}


def test_no_dataset_folder_or_no_tile_map_means_no_layout(tmp_path):
    assert tile_layout(None) == {}
    assert tile_layout(tmp_path) == {}
    (tmp_path / "codelists" / "tile-map.yaml").mkdir(parents=True)   # not a file
    assert tile_layout(tmp_path) == {}


def test_unplaced_tiles_go_six_a_row():
    codes = ["a", "b", "c", "d", "e", "f", "g", "h"]
    assert place_tiles(codes, {}) == {"a": (0, 0), "b": (0, 1), "c": (0, 2), "d": (0, 3), "e": (0, 4), "f": (0, 5),
                                      "g": (1, 0), "h": (1, 1)}
    # a layout wider than six still wraps the rest at six
    assert place_tiles(codes, {"a": (0, 6)}) == {"a": (0, 6), "b": (1, 0), "c": (1, 1), "d": (1, 2), "e": (1, 3),
                                                 "f": (1, 4), "g": (1, 5), "h": (2, 0)}


def report(root, *args):
    return runner.invoke(app, ["report", "--data", str(root), "--as-of", DAY.isoformat(), *args])


def test_the_html_report_says_how_many_pairs_it_left_out(root, monkeypatch):
    import ngocoord.render.report.html as html

    for module in (data, html):
        monkeypatch.setattr(module, "MAX_ROWS", 2)
    page = report(root, "--format", "html").stdout
    assert "…and 5 more pairs; for all of them run: ngocoord duplicates --region IQ --as-of 2026-06-01" in page


def test_the_html_report_lists_a_stale_organization_that_delivers_nothing(root):
    page = report(root, "--format", "html").stdout
    assert "Old Idle" in page and "1247" in page
    assert "Old Idle" not in report(root, "--format", "html", "--region", "G1").stdout


def test_the_html_report_never_names_a_sensitive_activitys_district(tmp_path):
    root = write_dataset(tmp_path / "data", [org("org-a"), org("org-b", type="ingo")], [
        activity("act-1", sensitive=True, locations=[{"area": "G2D1", "site": "Secret place"}]),
        activity("act-2", organization="org-b", locations=[{"area": "G2"}])])
    page = report(root, "--format", "html").stdout
    assert "Duhok" in page and "Zakho" not in page and "Secret place" not in page
    shown = report(root, "--format", "html", "--include-sensitive").stdout
    assert "Zakho" in shown and "Secret place" in shown
