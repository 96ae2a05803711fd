"""analysis.gaps.coverage called directly (the API the CLI and the report share): it refuses what it
cannot answer with a clear message, and a service counts only under its activity's sector."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import activity, org, write_dataset
from ngocoord.analysis.gaps import coverage
from ngocoord.load.dataset import load_dataset
from ngocoord.problems import UsageError

DAY = dt.date(2026, 7, 1)


@pytest.fixture
def ds(tmp_path):
    return load_dataset(write_dataset(tmp_path / "data", [org("org-a"), org("org-b")], [
        activity("protection-work", organization="org-a", locations=[{"area": "G1D1"}]),
        # an education activity that lists a protection service (lint's service-sector error)
        activity("miscoded", organization="org-b", sector="education", services=["legal-aid"],
                 locations=[{"area": "G1D1"}]),
    ]), as_of=DAY)


def test_a_service_counts_only_under_its_activitys_sector(ds):
    cov = coverage(ds, "kri", sector="protection", as_of=DAY)
    assert [(r.area, r.counts) for r in cov.rows] == [
        ("G1", {"legal-aid": 1, "psychosocial-support": 0}), ("G2", {"legal-aid": 0, "psychosocial-support": 0})]
    by_sector = coverage(ds, "kri", as_of=DAY)
    assert by_sector.rows[0].counts == {"protection": 1, "education": 1, "justice": 0}


@pytest.mark.parametrize("args, message", [
    ({"region": "nowhere"}, "unknown place 'nowhere'"),
    ({"region": "kri", "sector": "health"}, "unknown sector 'health'"),
    ({"region": "kri", "min_orgs": 0}, "--min-orgs must be at least 1"),
    ({"region": "G1D1", "level": 1}, "there are no level-1 areas within Erbil (G1D1)"),
])
def test_what_it_cannot_answer_is_a_usage_error(ds, args, message):
    with pytest.raises(UsageError) as error:
        coverage(ds, as_of=DAY, **args)
    assert str(error.value) == message


def test_an_activity_in_two_places_counts_in_both(tmp_path):
    ds = load_dataset(write_dataset(tmp_path / "data", [org("org-a")], [
        activity("two-places", locations=[{"area": "G1D1"}, {"area": "G2D1"}])]), as_of=DAY)
    cov = coverage(ds, "kri", sector="protection", as_of=DAY)
    assert cov.sector == "protection"
    assert [(r.area, r.counts["legal-aid"]) for r in cov.rows] == [("G1", 1), ("G2", 1)]


def test_unlocated_when_one_place_touches_the_region_and_another_lies_outside(tmp_path):
    """Located at the governorate: no district of it can be counted, so it is listed as unlocated,
    whatever its other places outside the region."""
    ds = load_dataset(write_dataset(tmp_path / "data", [org("org-a")], [
        activity("governorate-wide", locations=[{"area": "G1"}, {"area": "G3D1"}])]), as_of=DAY)
    cov = coverage(ds, "G1", level=2, as_of=DAY)
    assert cov.unlocated == ["governorate-wide"]
    assert [r.counts["protection"] for r in cov.rows] == [0, 0]
