"""duplicates: the search over a whole dataset, with groups of copies (activities identical in all a pair
depends on), coordinated pairs, sector-level copies, the region and sector filters, all time, and the
order of pairs — every pair worked out by hand, through the pure functions and `ngocoord duplicates`.

Day 2026-07-01; all ongoing unless said. kri = Erbil G1 (G1D1, G1D2) + Duhok G2.

  a00          org-f  legal-aid                G1D1  women      coordinated_with a04
  a01 a04 a06  org-a  legal-aid                G1D1  women      start 2026-01-01      (copies: group A)
  a02          org-e  legal-aid                G1D1  juveniles
  a03 a05      org-b  legal-aid                G1    (general)  end 2026-12-31        (copies: group B)
  a07          org-c  legal-aid                G1D1  women      coordinated_with a04
  a08          org-a  legal-aid, psychosocial  G1D2  prisoners
  a09          org-d  psychosocial             kri   (general)
  a10 a11      org-a  (no service)             G1D1  (general)                        (sector-level copies)
  a12          org-g  legal-aid                G1D1  women      completed 2020-01-01..2020-12-31
  a13 a14      org-h  legal-aid                G1D1  women      cancelled                 (cancelled copies)
  a15 a16 a17  org-h  legal-aid                G3D1  (general)                        (copies: group C, in Baghdad)
  a18          org-i  legal-aid                G3D1  (general)
  a19 a20      org-j  legal-aid                G2D1  (general)                        (copies meeting no one else)
"""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace

from typer.testing import CliRunner

from conftest import TINY_CODELISTS, org, write_dataset
from ngocoord.analysis.duplicates import duplicate_blocks, find_duplicates, iter_duplicates
from ngocoord.cli import app
from ngocoord.codelists import Codelists
from ngocoord.model import Activity, Location

runner = CliRunner()
CL = Codelists.from_data({key: [(d, "x", i) for i, d in enumerate(entries)]
                          for f in TINY_CODELISTS.values() for key, entries in f.items()})
DAY = dt.date(2026, 7, 1)
PSY = "psychosocial-support"
JAN, DEC = "2026-01-01", "2026-12-31"

A = dict(organization="org-a", services=["legal-aid"], locations=[{"area": "G1D1"}], population=["women"], start=JAN)
B = dict(organization="org-b", services=["legal-aid"], locations=[{"area": "G1"}], end=DEC)
C = dict(organization="org-h", services=["legal-aid"], locations=[{"area": "G3D1"}])
D = dict(organization="org-j", services=["legal-aid"], locations=[{"area": "G2D1"}])
CANCELLED = dict(organization="org-h", services=["legal-aid"], locations=[{"area": "G1D1"}], population=["women"],
                 status="cancelled")
SECTOR_LEVEL = dict(organization="org-a", services=[], locations=[{"area": "G1D1"}])
RECORDS = {
    "a00": dict(organization="org-f", services=["legal-aid"], locations=[{"area": "G1D1"}], population=["women"],
                coordinated_with=["a04"]),
    "a01": A, "a04": A, "a06": A,
    "a02": dict(organization="org-e", services=["legal-aid"], locations=[{"area": "G1D1"}], population=["juveniles"]),
    "a03": B, "a05": B,
    "a07": dict(organization="org-c", services=["legal-aid"], locations=[{"area": "G1D1"}], population=["women"],
                coordinated_with=["a04"]),
    "a08": dict(organization="org-a", services=["legal-aid", PSY], locations=[{"area": "G1D2"}],
                population=["prisoners"]),
    "a09": dict(organization="org-d", services=[PSY], locations=[{"area": "kri"}]),
    "a10": SECTOR_LEVEL, "a11": SECTOR_LEVEL,
    "a12": dict(organization="org-g", services=["legal-aid"], locations=[{"area": "G1D1"}], population=["women"],
                status="completed", start="2020-01-01", end="2020-12-31"),
    "a13": CANCELLED, "a14": CANCELLED,
    "a15": C, "a16": C, "a17": C,
    "a18": dict(organization="org-i", services=["legal-aid"], locations=[{"area": "G3D1"}]),
    "a19": D, "a20": D,
}
ORGS = {"a00": "org-f", "a01": "org-a", "a02": "org-e", "a03": "org-b", "a04": "org-a", "a05": "org-b", "a06": "org-a",
        "a07": "org-c", "a08": "org-a", "a09": "org-d", "a12": "org-g", "a15": "org-h", "a16": "org-h",
        "a17": "org-h", "a18": "org-i", "a19": "org-j", "a20": "org-j"}

# What the pairs of two groups hold: (kind, services, populations, areas, start, end), worked out by hand.
LA = ("legal-aid",)
AB = ("overlap", LA, ("women",), ("G1D1",), JAN, DEC)                # A's G1D1 lies within B's G1
AA = ("same-organization", LA, ("women",), ("G1D1",), JAN, None)
BB = ("same-organization", LA, (), ("G1",), None, DEC)
A_ALONE = ("overlap", LA, ("women",), ("G1D1",), JAN, None)          # A with a00 or a07 (open)
B_ALONE = ("overlap", LA, ("women",), ("G1D1",), None, DEC)          # B with a00 or a07
B8 = ("overlap", LA, ("prisoners",), ("G1D2",), None, DEC)            # only legal-aid is shared
B2 = ("overlap", LA, ("juveniles",), ("G1D1",), None, DEC)
OPEN = ("overlap", LA, ("women",), ("G1D1",), None, None)             # a00 with a07
P89 = ("overlap", (PSY,), ("prisoners",), ("G1D2",), None, None)      # a08's G1D2 lies within a09's kri
CC = ("same-organization", LA, (), ("G3D1",), None, None)
C18 = ("overlap", LA, (), ("G3D1",), None, None)
IN_2020 = ("overlap", LA, ("women",), ("G1D1",), "2020-01-01", "2020-12-31")  # a12, all time only

IN_ERBIL = [
    ("a00", "a01", A_ALONE), ("a00", "a03", B_ALONE), ("a00", "a05", B_ALONE), ("a00", "a06", A_ALONE),
    ("a00", "a07", OPEN),
    ("a01", "a03", AB), ("a01", "a04", AA), ("a01", "a05", AB), ("a01", "a06", AA), ("a01", "a07", A_ALONE),
    ("a02", "a03", B2), ("a02", "a05", B2),
    ("a03", "a04", AB), ("a03", "a05", BB), ("a03", "a06", AB), ("a03", "a07", B_ALONE), ("a03", "a08", B8),
    ("a04", "a05", AB), ("a04", "a06", AA),
    ("a05", "a06", AB), ("a05", "a07", B_ALONE), ("a05", "a08", B8),
    ("a06", "a07", A_ALONE),
    ("a08", "a09", P89),
]
IN_BAGHDAD = [("a15", "a16", CC), ("a15", "a17", CC), ("a15", "a18", C18), ("a16", "a17", CC), ("a16", "a18", C18),
              ("a17", "a18", C18)]
IN_DUHOK = [("a19", "a20", ("same-organization", LA, (), ("G2D1",), None, None))]
ON_THE_DAY = IN_ERBIL + IN_BAGHDAD + IN_DUHOK
COORDINATED = [("a00", "a04", A_ALONE), ("a04", "a07", A_ALONE)]
ALL_TIME_MORE = [("a00", "a12", IN_2020), ("a03", "a12", IN_2020), ("a05", "a12", IN_2020), ("a07", "a12", IN_2020)]


def expected(rows, coordinated=()):
    """(a, b, shape, coordinated) in the order of ids."""
    return sorted([(a, b, shape, False) for a, b, shape in rows] + [(a, b, shape, True) for a, b, shape in coordinated])


def to_activity(id: str, r: dict) -> Activity:
    day = lambda key: dt.date.fromisoformat(r[key]) if key in r else None  # noqa: E731
    return Activity(id=id, title=id, organization=r["organization"], sector="protection",
                    services=tuple(r["services"]), locations=tuple(Location(x["area"]) for x in r["locations"]),
                    status=r.get("status", "ongoing"), last_reviewed=DAY, population=tuple(r.get("population", ())),
                    start=day("start"), end=day("end"), coordinated_with=tuple(r.get("coordinated_with", ())))


def dataset(order=sorted):
    """The activities, given to the search in `order` of their ids (the search must not depend on it)."""
    return SimpleNamespace(codelists=CL, activities={i: to_activity(i, RECORDS[i]) for i in order(RECORDS)})


def iso(day):
    return day.isoformat() if day else None


def found(pairs):
    return [(p.a.id, p.b.id, (p.kind, p.services, p.populations, p.areas, iso(p.start), iso(p.end)), p.coordinated)
            for p in pairs]


def test_copies_pair_with_each_other_and_with_every_other_group_in_the_order_of_ids():
    assert found(find_duplicates(dataset(), as_of=DAY)) == expected(ON_THE_DAY)


def test_coordinated_pairs_are_flagged_when_asked_even_with_a_group_of_copies():
    assert found(find_duplicates(dataset(), as_of=DAY, include_coordinated=True)) == expected(ON_THE_DAY, COORDINATED)


def test_the_order_of_the_dataset_does_not_matter():
    assert found(find_duplicates(dataset(order=lambda ids: sorted(ids, reverse=True)), as_of=DAY)) == (
        expected(ON_THE_DAY))


def test_all_time_adds_the_pairs_of_the_completed_activity():
    assert found(find_duplicates(dataset(), as_of=DAY, all_time=True)) == expected(ON_THE_DAY + ALL_TIME_MORE)
    assert found(iter_duplicates(dataset(), as_of=DAY, all_time=True, include_coordinated=True)) == (
        expected(ON_THE_DAY + ALL_TIME_MORE, COORDINATED))


def test_a_region_keeps_the_pairs_meeting_within_it():
    # Soran (G1D2): a08 meets B and a09 there; B's copies meet in G1, which is not within Soran
    assert found(find_duplicates(dataset(), region="G1D2", as_of=DAY)) == expected(
        [("a03", "a08", B8), ("a05", "a08", B8), ("a08", "a09", P89)])
    assert found(find_duplicates(dataset(), region="G1", as_of=DAY)) == expected(IN_ERBIL)
    assert found(find_duplicates(dataset(), region="G2", as_of=DAY)) == expected(IN_DUHOK)
    assert found(find_duplicates(dataset(), region="federal", as_of=DAY, all_time=True)) == expected(IN_BAGHDAD)


def test_a_sector_keeps_its_activities():
    assert found(find_duplicates(dataset(), sector="protection", as_of=DAY)) == expected(ON_THE_DAY)
    assert found(find_duplicates(dataset(), sector="education", as_of=DAY)) == []


def test_by_default_a_search_is_on_the_day_without_coordinated_pairs():
    ds = dataset()
    assert found(iter_duplicates(ds, as_of=DAY)) == expected(ON_THE_DAY)
    pairs = [(a.id, b.id, flag) for a, shape, others, flags in duplicate_blocks(ds, as_of=DAY)
             for b, flag in zip(others, flags)]
    assert pairs == [(a, b, False) for a, b, _ in sorted(ON_THE_DAY)]


def test_every_pair_of_two_groups_shares_one_shape():
    pairs = find_duplicates(dataset(), as_of=DAY)
    for p in pairs:
        assert p.shape == (p.kind, p.services, p.populations, p.areas, p.start, p.end)
    a_with_b = [p for p in pairs if {p.a.id, p.b.id} in ({"a01", "a03"}, {"a01", "a05"}, {"a03", "a04"},
                                                         {"a03", "a06"}, {"a04", "a05"}, {"a05", "a06"})]
    assert len(a_with_b) == 6
    assert all(p.shape is a_with_b[0].shape for p in a_with_b)


# --- through the command ----------------------------------------------------------------------------------

def as_json(rows, coordinated=None):
    out = []
    for a, b, (kind, services, populations, areas, start, end), flag in rows:
        pair = {"activities": [a, b], "organizations": [ORGS[a], ORGS[b]], "kind": kind, "services": list(services),
                "populations": list(populations), "areas": list(areas), "period": {"start": start, "end": end}}
        out.append({**pair, "coordinated": flag} if coordinated else pair)
    return out


def records():
    return [{"id": i, "title": i, "sector": "protection", "status": "ongoing", "last_reviewed": "2026-06-01",
             **{k: v for k, v in r.items() if v != []}} for i, r in RECORDS.items()]


def dup(tmp_path, *args):
    data = tmp_path / "data"
    if not data.exists():
        write_dataset(data, [org(o) for o in sorted(set(ORGS.values()))], records())
    result = runner.invoke(app, ["duplicates", "--data", str(data), "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_command_lists_every_pair_of_copies(tmp_path):
    assert dup(tmp_path, "--as-of", "2026-07-01") == {
        "as_of": "2026-07-01", "not_compared": 2, "pairs": as_json(expected(ON_THE_DAY))}


def test_the_command_flags_coordinated_pairs_on_request(tmp_path):
    out = dup(tmp_path, "--as-of", "2026-07-01", "--include-coordinated")
    assert out["pairs"] == as_json(expected(ON_THE_DAY, COORDINATED), coordinated=True)


def test_the_command_all_time_and_in_a_region(tmp_path):
    assert dup(tmp_path, "--all-time") == {
        "as_of": None, "not_compared": 2, "pairs": as_json(expected(ON_THE_DAY + ALL_TIME_MORE))}
    assert dup(tmp_path, "--as-of", "2026-07-01", "--region", "Soran")["pairs"] == as_json(expected(
        [("a03", "a08", B8), ("a05", "a08", B8), ("a08", "a09", P89)]))
