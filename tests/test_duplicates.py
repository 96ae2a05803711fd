"""duplicates: every pair worked out by hand on a small dataset, and a property test against all pairs.

Places (tiny codelists): kri = Erbil G1 (G1D1 Erbil, G1D2 Soran) + Duhok G2 (G2D1 Zakho); Baghdad G3 (G3D1).

  d01  org-a                   legal-aid                     G1D1  women               start 2026
  d02  org-a                   legal-aid, psychosocial       G1    (general)           end 2026-12
  d03  org-b + partner org-c   legal-aid                     G1D2  prisoners
  d04  org-c                   legal-aid                     G1D2  prisoners, juveniles
  d05  org-d                   legal-aid                     G1D1  juveniles
  d06  org-d                   psychosocial                  G2D1  (general)
  d07  org-a                   psychosocial                  G2    (general)           completed, 2025
  d08  org-b                   legal-aid                     G3D1  (general)
  d09  org-c                   legal-aid                     G1D1  women               coordinated_with d01
  d10  org-e                   legal-aid                     G1D1  (general)           cancelled
  d11  org-b                   legal-aid                     G1D1  women               completed, 2020-01..2020-06
"""

import datetime as dt
import itertools
import json
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ngocoord.analysis.duplicates import duplicates_json, find_duplicates, make_pair
from ngocoord.cli import app
from ngocoord.codelists import Codelists
from ngocoord.load.dataset import load_dataset
from ngocoord.model import STATUSES, Activity, Location
from tests.conftest import TINY_CODELISTS, activity, org, write_dataset

runner = CliRunner()
JULY_1 = dt.date(2026, 7, 1)
PSY = "psychosocial-support"

ORGS = [org(i) for i in ("org-a", "org-b", "org-c", "org-d", "org-e")]
ACTIVITIES = [
    activity("d01", organization="org-a", locations=[{"area": "G1D1"}], population=["women"], start="2026"),
    activity("d02", organization="org-a", services=["legal-aid", PSY], locations=[{"area": "G1"}], end="2026-12"),
    activity("d03", organization="org-b", partners=["org-c"], locations=[{"area": "G1D2"}], population=["prisoners"]),
    activity("d04", organization="org-c", locations=[{"area": "G1D2"}], population=["prisoners", "juveniles"]),
    activity("d05", organization="org-d", locations=[{"area": "G1D1"}], population=["juveniles"]),
    activity("d06", organization="org-d", services=[PSY], locations=[{"area": "G2D1"}]),
    activity("d07", organization="org-a", services=[PSY], locations=[{"area": "G2"}], status="completed",
             start="2025", end="2025"),
    activity("d08", organization="org-b", locations=[{"area": "G3D1"}]),
    activity("d09", organization="org-c", locations=[{"area": "G1D1"}], population=["women"], coordinated_with=["d01"]),
    activity("d10", organization="org-e", locations=[{"area": "G1D1"}], status="cancelled"),
    activity("d11", organization="org-b", locations=[{"area": "G1D1"}], population=["women"], status="completed",
             start="2020-01", end="2020-06"),
]


def pair(a, b, orgs, kind, populations, areas, start=None, end=None, services=("legal-aid",)):
    return {"activities": [a, b], "organizations": list(orgs), "kind": kind, "services": list(services),
            "populations": list(populations), "areas": list(areas), "period": {"start": start, "end": end}}


D01_D02 = pair("d01", "d02", ("org-a", "org-a"), "same-organization", ["women"], ["G1D1"], "2026-01-01", "2026-12-31")
D01_D09 = pair("d01", "d09", ("org-a", "org-c"), "overlap", ["women"], ["G1D1"], "2026-01-01")
D02_D03 = pair("d02", "d03", ("org-a", "org-b"), "overlap", ["prisoners"], ["G1D2"], None, "2026-12-31")
D02_D04 = pair("d02", "d04", ("org-a", "org-c"), "overlap", ["juveniles", "prisoners"], ["G1D2"], None, "2026-12-31")
D02_D05 = pair("d02", "d05", ("org-a", "org-d"), "overlap", ["juveniles"], ["G1D1"], None, "2026-12-31")
D02_D09 = pair("d02", "d09", ("org-a", "org-c"), "overlap", ["women"], ["G1D1"], None, "2026-12-31")
D02_D11 = pair("d02", "d11", ("org-a", "org-b"), "overlap", ["women"], ["G1D1"], "2020-01-01", "2020-06-30")
D03_D04 = pair("d03", "d04", ("org-b", "org-c"), "double-reporting", ["prisoners"], ["G1D2"])  # org-c is d03's partner
D06_D07 = pair("d06", "d07", ("org-d", "org-a"), "overlap", [], ["G2D1"], "2025-01-01", "2025-12-31", services=[PSY])
D09_D11 = pair("d09", "d11", ("org-c", "org-b"), "overlap", ["women"], ["G1D1"], "2020-01-01", "2020-06-30")


@pytest.fixture
def data(tmp_path):
    return write_dataset(tmp_path / "data", ORGS, ACTIVITIES)


def dup(data, *args):
    result = runner.invoke(app, ["duplicates", "--data", str(data), "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_pairs_active_on_a_day(data):
    # d01-d09 is coordinated (hidden); d07 completed; d08 in Baghdad; d10 cancelled; d11 completed
    assert dup(data, "--as-of", "2026-07-01") == {
        "as_of": "2026-07-01", "pairs": [D01_D02, D02_D03, D02_D04, D02_D05, D02_D09, D03_D04],
        "not_compared": 0}


def test_as_of_on_both_sides_of_start_and_end(data):
    # 2025-12-31: d01 (start 2026) not yet started
    assert dup(data, "--as-of", "2025-12-31")["pairs"] == [D02_D03, D02_D04, D02_D05, D02_D09, D03_D04]
    # 2026-12-31: d02 (end 2026-12) on its last day; 2027-01-01: ended
    assert len(dup(data, "--as-of", "2026-12-31")["pairs"]) == 6
    assert dup(data, "--as-of", "2027-01-01")["pairs"] == [D03_D04]


def test_coordinated_pairs_shown_on_request(data):
    out = dup(data, "--as-of", "2026-07-01", "--include-coordinated")
    assert [p["activities"] for p in out["pairs"]] == [["d01", "d02"], ["d01", "d09"], ["d02", "d03"], ["d02", "d04"],
                                                       ["d02", "d05"], ["d02", "d09"], ["d03", "d04"]]
    assert [p["coordinated"] for p in out["pairs"]] == [False, True, False, False, False, False, False]
    assert out["pairs"][1] == {**D01_D09, "coordinated": True}


def test_all_time(data):
    # periods intersect, cancelled d10 never pairs; completed ones do: d06-d07, d02-d11, d09-d11
    assert dup(data, "--all-time") == {
        "as_of": None,
        "pairs": [D01_D02, D02_D03, D02_D04, D02_D05, D02_D09, D02_D11, D03_D04, D06_D07, D09_D11],
        "not_compared": 0}


def test_region_and_sector_filters(data):
    assert dup(data, "--all-time", "--region", "Dahuk")["pairs"] == [D06_D07]
    assert len(dup(data, "--as-of", "2026-07-01", "--region", "KRI")["pairs"]) == 6
    assert dup(data, "--as-of", "2026-07-01", "--region", "federal")["pairs"] == []
    assert dup(data, "--as-of", "2026-07-01", "--region", "Soran")["pairs"] == [D02_D03, D02_D04, D03_D04]
    assert dup(data, "--as-of", "2026-07-01", "--sector", "education")["pairs"] == []
    assert len(dup(data, "--as-of", "2026-07-01", "--sector", "Protection")["pairs"]) == 6


def test_usage_errors(data):
    result = runner.invoke(app, ["duplicates", "--data", str(data), "--region", "Erbill"])
    assert result.exit_code == 2 and "did you mean 'Erbil'" in result.stderr
    result = runner.invoke(app, ["duplicates", "--data", str(data), "--all-time", "--as-of", "2026-01-01"])
    assert result.exit_code == 2 and "exclude each other" in result.stderr


def test_csv_and_markdown(data):
    args = ["duplicates", "--data", str(data), "--as-of", "2027-01-01", "--format"]
    assert runner.invoke(app, [*args, "csv"]).stdout == (
        "activity_a,activity_b,organization_a,organization_b,kind,services,populations,areas,start,end\n"
        "d03,d04,org-b,org-c,double-reporting,legal-aid,prisoners,G1D2,,\n")
    assert runner.invoke(app, [*args, "markdown"]).stdout == (
        "1 duplicate pair active on 2027-01-01: 1 double-reporting\n\n"
        "| activities (lead organization) | kind | services | populations | where | period |\n"
        "|---|---|---|---|---|---|\n"
        "| d03 (org-b) / d04 (org-c) | double-reporting | legal-aid | prisoners | Soran (G1D2) | open |\n")


def test_table(data):
    result = runner.invoke(app, ["duplicates", "--data", str(data), "--as-of", "2027-01-01", "--include-coordinated"],
                           env={"COLUMNS": "120"})
    assert result.exit_code == 0
    assert "2 duplicate pairs active on 2027-01-01: 1 double-reporting, 1 overlap" in result.stdout
    assert "d01 (org-a)" in result.stdout and "d09 (org-c)" in result.stdout and "yes" in result.stdout


def test_duplicates_json_api(data):
    ds = load_dataset(data)
    pairs = find_duplicates(ds, as_of=dt.date(2027, 1, 1))
    assert duplicates_json(pairs, dt.date(2027, 1, 1)) == {"as_of": "2027-01-01", "pairs": [D03_D04]}
    assert duplicates_json(pairs, None, include_coordinated=True)["pairs"] == [{**D03_D04, "coordinated": False}]


# --- property: the bucketed search finds exactly the pairs an all-pairs comparison finds -------------------

CL = Codelists.from_data({key: [(d, "x", i) for i, d in enumerate(entries)]
                          for f in TINY_CODELISTS.values() for key, entries in f.items()})
PLACES = ["IQ", "G1", "G2", "G3", "G1D1", "G1D2", "G2D1", "G3D1", "kri", "federal"]
SERVICES = ["legal-aid", PSY, "education-in-detention"]
POPULATIONS = ["prisoners", "women", "juveniles"]
ORG_IDS = ["o1", "o2", "o3", "o4"]


def within(a, b):
    """Within, from the SPEC, by hand: same, descendant, or a governorate (or its district) in a region's members."""
    parents = {"G1": "IQ", "G2": "IQ", "G3": "IQ", "G1D1": "G1", "G1D2": "G1", "G2D1": "G2", "G3D1": "G3"}
    members = {"kri": {"G1", "G2"}, "federal": {"G3"}}
    chain = [a]
    while chain[-1] in parents:
        chain.append(parents[chain[-1]])
    if b in chain:
        return True
    if b in members:
        return bool(members[b] & set(chain))
    return a in members and b == "IQ"  # a region lies within the country that holds all its members


def reference(activities, day, all_time, include_coordinated):
    """All pairs, each checked against the SPEC's definition."""
    found = []
    for a, b in itertools.combinations(sorted(activities, key=lambda x: x.id), 2):
        services = sorted(set(a.services) & set(b.services))
        if not a.population or not b.population:
            pops = sorted(set(a.population) | set(b.population))
        else:
            pops = sorted(set(a.population) & set(b.population))
            if not pops:
                continue
        areas = sorted({la if within(la, lb) else lb for la in (l.area for l in a.locations)
                        for lb in (l.area for l in b.locations) if within(la, lb) or within(lb, la)})
        if all_time:
            lo = max([d for d in (a.start, b.start) if d] or [dt.date.min])
            hi = min([d for d in (a.end, b.end) if d] or [dt.date.max])
            when = "cancelled" not in (a.status, b.status) and lo <= hi
        else:
            when = all(x.status == "ongoing" and (x.start is None or x.start <= day) and (x.end is None or x.end >= day)
                       for x in (a, b))
        coordinated = a.id in b.coordinated_with or b.id in a.coordinated_with
        if not (services and areas and when) or (coordinated and not include_coordinated):
            continue
        kind = ("same-organization" if a.organization == b.organization else
                "double-reporting" if a.organization in b.partners or b.organization in a.partners else "overlap")
        found.append(((a.id, b.id), kind, tuple(services), tuple(pops), tuple(areas), coordinated))
    return found


DAYS = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2024, 12, 31))


@st.composite
def activities(draw):
    n = draw(st.integers(0, 14))
    out = []
    for i in range(n):
        start = draw(st.none() | DAYS)
        end = draw(st.none() | DAYS)
        if start and end and end < start:
            start, end = end, start
        lead = draw(st.sampled_from(ORG_IDS))
        out.append(Activity(
            id=f"a{i:02d}", title="t", organization=lead, sector="protection",
            services=tuple(draw(st.lists(st.sampled_from(SERVICES), min_size=1, max_size=2, unique=True))),
            locations=tuple(Location(p) for p in draw(st.lists(st.sampled_from(PLACES), min_size=1, max_size=3))),
            status=draw(st.sampled_from(STATUSES)), last_reviewed=dt.date(2024, 1, 1),
            partners=tuple(draw(st.lists(st.sampled_from(ORG_IDS), max_size=2, unique=True))),
            population=tuple(draw(st.lists(st.sampled_from(POPULATIONS), max_size=2, unique=True))),
            start=start, end=end,
            coordinated_with=tuple(draw(st.lists(st.sampled_from([f"a{j:02d}" for j in range(n)]), max_size=1)))))
    return out


def as_tuples(pairs):
    return [(p.ids, p.kind, p.services, p.populations, p.areas, p.coordinated) for p in pairs]


@settings(max_examples=300, deadline=None)
@given(activities(), DAYS, st.booleans(), st.booleans(), st.none() | st.sampled_from(PLACES))
def test_bucketed_search_equals_all_pairs(acts, day, all_time, include_coordinated, region):
    ds = SimpleNamespace(codelists=CL, activities={a.id: a for a in acts})
    got = find_duplicates(ds, as_of=day, all_time=all_time, include_coordinated=include_coordinated, region=region)
    expected = [p for p in reference(acts, day, all_time, include_coordinated)
                if region is None or any(within(x, region) for x in p[4])]
    assert as_tuples(got) == expected
    if region is not None:
        return
    one_by_one = [make_pair(CL, a, b, as_of=day, all_time=all_time)
                  for a, b in itertools.combinations(sorted(acts, key=lambda x: x.id), 2)]
    assert as_tuples(got) == as_tuples(p for p in one_by_one if p and (include_coordinated or not p.coordinated))


def test_table_shows_at_most_table_max_pairs(data, monkeypatch):
    from ngocoord.render import duplicates as render

    monkeypatch.setattr(render, "TABLE_MAX", 2)
    result = runner.invoke(app, ["duplicates", "--data", str(data), "--as-of", "2026-07-01"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    assert "6 duplicate pairs active on 2026-07-01" in result.stdout
    assert "d03 (org-b)" in result.stdout and "d04 (org-c)" not in result.stdout  # d01-d02, d02-d03 shown
    assert result.stdout.endswith("… and 4 more pairs: use --format csv or json for all of them, or narrow with --region / --sector\n")
