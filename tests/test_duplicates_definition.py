"""duplicates: the SPEC's definition of a pair, edge by edge, on activities built by hand.

make_pair applies the definition to one pair; pair_kind, shared_populations, meeting_areas,
common_period, periods_intersect and is_coordinated state its parts. Every expected value below is
worked out from the SPEC (Semantics, "Duplicated service") and the tiny codelists:
kri = Erbil G1 (G1D1 Erbil, G1D2 Soran) + Duhok G2 (G2D1 Zakho); federal = Baghdad G3 (G3D1); all in IQ.
"""

from __future__ import annotations

import datetime as dt

from conftest import TINY_CODELISTS
from ngocoord.analysis.duplicates import (DOUBLE_REPORTING, OVERLAP, SAME_ORGANIZATION, Pair, common_period,
                                          is_coordinated, make_pair, meeting_areas, pair_kind, periods_intersect,
                                          shared_populations)
from ngocoord.codelists import Codelists
from ngocoord.model import Activity, Location

CL = Codelists.from_data({key: [(d, "x", i) for i, d in enumerate(entries)]
                          for f in TINY_CODELISTS.values() for key, entries in f.items()})
PSY = "psychosocial-support"
EDU = "education-in-detention"
DAY = dt.date(2026, 7, 1)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def act(id: str, *, org: str = "org-a", services=("legal-aid",), areas=("G1D1",), population=(), status="ongoing",
        start=None, end=None, partners=(), coordinated_with=()) -> Activity:
    return Activity(id=id, title=id, organization=org, sector="protection", services=tuple(services),
                    locations=tuple(Location(a) for a in areas), status=status, last_reviewed=DAY,
                    partners=tuple(partners), population=tuple(population),
                    start=d(start) if start else None, end=d(end) if end else None,
                    coordinated_with=tuple(coordinated_with))


def on_day(a, b, day=DAY):
    return make_pair(CL, a, b, as_of=day, all_time=False)


def all_time(a, b):
    return make_pair(CL, a, b, as_of=DAY, all_time=True)


# --- make_pair: the whole pair ------------------------------------------------------------------------

def test_a_pair_holds_every_part_of_the_definition():
    a = act("x1", org="org-a", services=[PSY, "legal-aid"], areas=["G1"], population=["women", "juveniles"],
            start="2026-02-01", end="2026-12-31")
    b = act("x2", org="org-b", services=["legal-aid", EDU, PSY], areas=["G1D2", "G3D1"], population=["women"],
            start="2026-01-01", end="2026-09-30", coordinated_with=["x1"])
    assert on_day(a, b) == Pair(a, b, OVERLAP, ("legal-aid", PSY), ("women",), ("G1D2",),
                                d("2026-02-01"), d("2026-09-30"), True)


def test_the_activity_with_the_smaller_id_comes_first_whichever_is_given_first():
    a, b = act("x1", org="org-b"), act("x2", org="org-a")
    pair = on_day(b, a)
    assert pair.ids == ("x1", "x2")
    assert pair.a is a and pair.b is b
    assert pair.to_json()["organizations"] == ["org-b", "org-a"]
    assert all_time(b, a).ids == ("x1", "x2")


def test_no_shared_service_no_pair():
    assert on_day(act("x1", services=["legal-aid"]), act("x2", services=[PSY])) is None
    assert all_time(act("x1", services=["legal-aid", EDU]), act("x2", services=[PSY])) is None


def test_a_sector_level_activity_pairs_with_nothing():
    assert on_day(act("x1", services=[]), act("x2")) is None
    assert on_day(act("x1"), act("x2", services=[])) is None
    assert on_day(act("x1", services=[]), act("x2", services=[])) is None


def test_only_the_shared_services_are_named_in_order():
    pair = on_day(act("x1", services=[PSY, "legal-aid"]), act("x2", services=[EDU, "legal-aid", PSY]))
    assert pair.services == ("legal-aid", PSY)
    assert on_day(act("x1", services=[PSY, EDU]), act("x2", services=[PSY, "legal-aid"])).services == (PSY,)


def test_different_population_groups_no_pair():
    assert on_day(act("x1", population=["women"]), act("x2", population=["juveniles", "prisoners"])) is None


def test_the_general_population_matches_every_group():
    assert on_day(act("x1"), act("x2")).populations == ()
    assert on_day(act("x1"), act("x2", population=["women", "juveniles"])).populations == ("juveniles", "women")
    assert on_day(act("x1", population=["prisoners"]), act("x2")).populations == ("prisoners",)
    pair = on_day(act("x1", population=["women", "prisoners"]), act("x2", population=["prisoners", "juveniles", "women"]))
    assert pair.populations == ("prisoners", "women")


def test_on_a_day_both_must_be_active():
    assert on_day(act("x1", status="completed"), act("x2")) is None
    assert on_day(act("x1"), act("x2", status="planned")) is None
    assert on_day(act("x1", status="suspended"), act("x2", status="cancelled")) is None
    assert on_day(act("x1", start="2026-07-02"), act("x2")) is None
    assert on_day(act("x1"), act("x2", end="2026-06-30")) is None
    assert on_day(act("x1", start="2026-07-01"), act("x2", end="2026-07-01")).ids == ("x1", "x2")


def test_on_a_day_the_period_is_the_common_one_with_open_ends():
    assert (on_day(act("x1", start="2026-01-01"), act("x2", end="2026-12-31")).start,
            on_day(act("x1", start="2026-01-01"), act("x2", end="2026-12-31")).end) == (d("2026-01-01"), d("2026-12-31"))
    pair = on_day(act("x1"), act("x2"))
    assert (pair.start, pair.end) == (None, None)


def test_all_time_neither_may_be_cancelled():
    assert all_time(act("x1", status="cancelled"), act("x2")) is None
    assert all_time(act("x1"), act("x2", status="cancelled")) is None
    assert all_time(act("x1", status="cancelled"), act("x2", status="cancelled")) is None
    assert all_time(act("x1", status="cancelled", start="2026-01-01"), act("x2", start="2026-01-01")) is None
    assert all_time(act("x1", start="2026-01-01"), act("x2", status="cancelled", start="2026-01-01")) is None


def test_all_time_any_other_status_pairs_when_periods_intersect():
    pair = all_time(act("x1", status="completed", start="2020-01-01", end="2020-06-30"),
                    act("x2", status="planned", start="2020-03-01"))
    assert (pair.ids, pair.start, pair.end) == (("x1", "x2"), d("2020-03-01"), d("2020-06-30"))
    assert all_time(act("x1", status="suspended"), act("x2", status="ongoing")).ids == ("x1", "x2")


def test_all_time_periods_that_miss_each_other_no_pair():
    assert all_time(act("x1", start="2020-01-01", end="2020-06-30"), act("x2", start="2020-07-01")) is None
    assert all_time(act("x1", start="2021-01-01"), act("x2", end="2020-12-31")) is None
    assert all_time(act("x1", end="2019-12-31"), act("x2", start="2020-01-01", end="2020-12-31")) is None


def test_all_time_periods_sharing_one_day_pair_on_that_day():
    pair = all_time(act("x1", start="2020-01-01", end="2020-06-30"), act("x2", start="2020-06-30", end="2020-12-31"))
    assert (pair.start, pair.end) == (d("2020-06-30"), d("2020-06-30"))


def test_no_place_within_the_other_no_pair():
    assert on_day(act("x1", areas=["G1D1"]), act("x2", areas=["G1D2"])) is None
    assert on_day(act("x1", areas=["G1"]), act("x2", areas=["G2D1", "G3"])) is None
    assert all_time(act("x1", areas=["kri"]), act("x2", areas=["G3D1"])) is None


def test_they_meet_in_the_inner_area_whichever_holds_it():
    assert on_day(act("x1", areas=["G1D1"]), act("x2", areas=["G1"])).areas == ("G1D1",)
    assert on_day(act("x1", areas=["G1"]), act("x2", areas=["G1D1"])).areas == ("G1D1",)
    assert on_day(act("x1", areas=["kri"]), act("x2", areas=["G2D1"])).areas == ("G2D1",)
    assert on_day(act("x1", areas=["G3"]), act("x2", areas=["IQ"])).areas == ("G3",)
    assert on_day(act("x1", areas=["G1D2"]), act("x2", areas=["G1D2"])).areas == ("G1D2",)


def test_every_place_they_meet_is_named_once_in_order():
    a = act("x1", areas=["G1", "G3D1", "G2D1"])
    b = act("x2", areas=["G1D2", "G1D1", "G3", "G1D1"])
    assert on_day(a, b).areas == ("G1D1", "G1D2", "G3D1")


def test_the_kind_of_pair():
    assert on_day(act("x1", org="org-a"), act("x2", org="org-a")).kind == SAME_ORGANIZATION
    assert on_day(act("x1", org="org-a"), act("x2", org="org-b", partners=["org-a"])).kind == DOUBLE_REPORTING
    assert on_day(act("x1", org="org-a", partners=["org-b"]), act("x2", org="org-b")).kind == DOUBLE_REPORTING
    assert on_day(act("x1", org="org-a", partners=["org-c"]), act("x2", org="org-b", partners=["org-c"])).kind == OVERLAP


def test_coordinated_either_way():
    assert on_day(act("x1", coordinated_with=["x2"]), act("x2")).coordinated is True
    assert on_day(act("x1"), act("x2", coordinated_with=["x1"])).coordinated is True
    assert on_day(act("x1", coordinated_with=["x3"]), act("x2", coordinated_with=["x4"])).coordinated is False


# --- the parts -------------------------------------------------------------------------------------------

def test_pair_kind_in_both_directions():
    a, b, c = act("x1", org="org-a"), act("x2", org="org-b", partners=["org-a"]), act("x3", org="org-c")
    assert pair_kind(a, b) == pair_kind(b, a) == "double-reporting"
    assert pair_kind(a, c) == pair_kind(c, a) == "overlap"
    assert pair_kind(a, act("x4", org="org-a", partners=["org-b"])) == "same-organization"
    assert pair_kind(act("x5", org="org-b", partners=["org-c"]), act("x6", org="org-c", partners=["org-b"])) == (
        "double-reporting")


def test_shared_populations_in_both_directions():
    general, women = act("x1"), act("x2", population=["women", "prisoners", "women"])
    assert shared_populations(general, women) == shared_populations(women, general) == ("prisoners", "women")
    assert shared_populations(general, general) == ()
    assert shared_populations(women, act("x3", population=["juveniles"])) is None
    assert shared_populations(act("x3", population=["juveniles"]), women) is None
    assert shared_populations(women, act("x4", population=["juveniles", "women"])) == ("women",)


def test_meeting_areas_in_both_directions():
    a, b = act("x1", areas=["G1", "G2D1"]), act("x2", areas=["G1D2", "G2"])
    assert meeting_areas(CL, a, b) == meeting_areas(CL, b, a) == ("G1D2", "G2D1")
    assert meeting_areas(CL, a, act("x3", areas=["G3D1"])) == ()


def test_common_period_takes_the_later_start_and_the_earlier_end():
    open_ = act("x0")
    jan_jun = act("x1", start="2026-01-01", end="2026-06-30")
    mar_dec = act("x2", start="2026-03-01", end="2026-12-31")
    from_may = act("x3", start="2026-05-01")
    to_apr = act("x4", end="2026-04-30")
    assert common_period(jan_jun, mar_dec) == common_period(mar_dec, jan_jun) == (d("2026-03-01"), d("2026-06-30"))
    assert common_period(open_, open_) == (None, None)
    assert common_period(open_, jan_jun) == common_period(jan_jun, open_) == (d("2026-01-01"), d("2026-06-30"))
    assert common_period(from_may, to_apr) == common_period(to_apr, from_may) == (d("2026-05-01"), d("2026-04-30"))
    assert common_period(from_may, mar_dec) == common_period(mar_dec, from_may) == (d("2026-05-01"), d("2026-12-31"))
    assert common_period(to_apr, jan_jun) == common_period(jan_jun, to_apr) == (d("2026-01-01"), d("2026-04-30"))


def test_periods_intersect_when_the_common_period_is_open_or_not_empty():
    open_ = act("x0")
    jan_jun = act("x1", start="2026-01-01", end="2026-06-30")
    from_jun30 = act("x2", start="2026-06-30")
    from_jul = act("x3", start="2026-07-01")
    to_dec = act("x4", end="2025-12-31")
    assert periods_intersect(open_, open_) is True
    assert periods_intersect(from_jul, open_) is True
    assert periods_intersect(open_, to_dec) is True
    assert periods_intersect(from_jul, from_jun30) is True
    assert periods_intersect(to_dec, to_dec) is True
    assert periods_intersect(jan_jun, from_jun30) is True
    assert periods_intersect(jan_jun, from_jul) is False
    assert periods_intersect(from_jul, jan_jun) is False
    assert periods_intersect(to_dec, jan_jun) is False


def test_is_coordinated_either_way():
    a, b = act("x1", coordinated_with=["x2"]), act("x2")
    assert is_coordinated(a, b) and is_coordinated(b, a)
    assert not is_coordinated(act("x1"), act("x2", coordinated_with=["x3"]))
    assert not is_coordinated(act("x1", coordinated_with=["x3"]), act("x2"))
