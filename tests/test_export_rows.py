"""export.three_w_rows and its helpers, called as functions: every key of every row, typed by hand.

What the CLI tests cannot reach: the defaults (no argument means the published view), the rows'
order whatever order the records were read in, and records whose references lead nowhere (an
unknown organization or sector keeps its code where the name would go). Also only_activities
(a district filter never finds a sensitive activity by its exact place) and sensitive_count."""

from __future__ import annotations

import dataclasses

import pytest

from conftest import activity, org, write_dataset
from ngocoord.load.dataset import load_dataset
from ngocoord.render.export import admin_of, only_activities, sensitive_count, three_w_rows


@pytest.fixture
def ds(tmp_path):
    return load_dataset(write_dataset(tmp_path / "data", [org("org-a", name="Org A"), org("org-b", name="Beta Relief", type="ingo")], [
        # references that lead nowhere: lead organization, a partner, the donor, the sector
        activity("act-10", organization="org-gone", partners=["org-b", "org-ghost"], donors=["donor-ghost"],
                 sector="shelter", services=[], locations=[{"area": "G3D1"}], status="completed", start="2024",
                 end="2024-12-31"),
        activity("act-9", sensitive=True, population=["women"], beneficiaries={"targeted": 10, "reached": 0},
                 locations=[{"area": "G2D1", "site": "Zakho shelter"}, {"area": "G2", "site": "Duhok office"}]),
        activity("act-open", organization="org-b", locations=[{"area": "G1D1"}]),
    ]))


ACT_10 = {
    "activity_id": "act-10", "activity_title": "act 10", "organization_id": "org-gone", "organization_name": "org-gone",
    "organization_type": None, "partners": ["Beta Relief", "org-ghost"], "partner_ids": ["org-b", "org-ghost"],
    "donors": ["donor-ghost"], "donor_ids": ["donor-ghost"], "sector_code": "shelter", "sector_name": "shelter",
    "services": [], "population": [], "admin1_code": "G3", "admin1_name": "Baghdad", "admin2_code": "G3D1",
    "admin2_name": "Karkh", "area_code": "G3D1", "site": None, "status": "completed", "start": "2024",
    "end": "2024-12-31", "targeted": None, "reached": None, "sensitive": False,
}
ACT_9 = {
    "activity_id": "act-9", "activity_title": "act 9", "organization_id": "org-a", "organization_name": "Org A",
    "organization_type": "nngo", "partners": [], "partner_ids": [], "donors": [], "donor_ids": [],
    "sector_code": "protection", "sector_name": "Protection", "services": ["legal-aid"], "population": ["women"],
    "status": "ongoing", "start": None, "end": None, "targeted": 10, "reached": 0, "sensitive": True,
}
ACT_9_PUBLISHED = [{**ACT_9, "admin1_code": "G2", "admin1_name": "Duhok", "admin2_code": None, "admin2_name": None,
                    "area_code": "G2", "site": None}]
ACT_9_EXACT = [
    {**ACT_9, "admin1_code": "G2", "admin1_name": "Duhok", "admin2_code": "G2D1", "admin2_name": "Zakho",
     "area_code": "G2D1", "site": "Zakho shelter"},
    {**ACT_9, "admin1_code": "G2", "admin1_name": "Duhok", "admin2_code": None, "admin2_name": None,
     "area_code": "G2", "site": "Duhok office"},
]
ACT_OPEN = {
    "activity_id": "act-open", "activity_title": "act open", "organization_id": "org-b",
    "organization_name": "Beta Relief", "organization_type": "ingo", "partners": [], "partner_ids": [], "donors": [],
    "donor_ids": [], "sector_code": "protection", "sector_name": "Protection", "services": ["legal-aid"],
    "population": [], "admin1_code": "G1", "admin1_name": "Erbil", "admin2_code": "G1D1", "admin2_name": "Erbil",
    "area_code": "G1D1", "site": None, "status": "ongoing", "start": None, "end": None, "targeted": None,
    "reached": None, "sensitive": False,
}


def test_rows_by_default_show_a_sensitive_activity_at_its_governorate_once(ds):
    assert three_w_rows(ds) == [ACT_10, *ACT_9_PUBLISHED, ACT_OPEN]


def test_rows_with_include_sensitive_show_every_exact_place(ds):
    assert three_w_rows(ds, include_sensitive=True) == [ACT_10, *ACT_9_EXACT, ACT_OPEN]


def test_rows_come_in_activity_id_order_whatever_order_they_were_read_in(ds):
    shuffled = dataclasses.replace(ds, activities=dict(reversed(ds.activities.items())))
    assert list(shuffled.activities) == ["act-open", "act-9", "act-10"]
    assert [r["activity_id"] for r in three_w_rows(shuffled)] == ["act-10", "act-9", "act-open"]


def test_admin_of_is_the_area_at_that_level_or_none_when_coarser(ds):
    cl = ds.codelists
    assert [admin_of(cl, "G2D1", 1), admin_of(cl, "G2D1", 2), admin_of(cl, "G2", 1), admin_of(cl, "G2", 2)] == [
        "G2", "G2D1", "G2", None]
    assert [admin_of(cl, "kri", 1), admin_of(cl, "nowhere", 1)] == [None, None]


def test_only_activities_finds_a_sensitive_activity_by_its_published_place(ds):
    assert list(only_activities(ds, region=["G2D1"]).activities) == []
    assert list(only_activities(ds, region=["G2"]).activities) == ["act-9"]
    exact = only_activities(ds, region=["G2D1"], include_sensitive=True)
    assert list(exact.activities) == ["act-9"]
    # the records themselves are kept: the caller decides how to show them
    assert exact.activities["act-9"] is ds.activities["act-9"]


def test_only_activities_applies_each_filter(ds):
    assert list(only_activities(ds, sector=["protection"]).activities) == ["act-9", "act-open"]
    assert list(only_activities(ds, org=["org-b"]).activities) == ["act-10", "act-open"]
    assert list(only_activities(ds, org=["org-b"], region=["G1"]).activities) == ["act-open"]


def test_sensitive_count(ds):
    assert sensitive_count(ds) == 1
    assert sensitive_count(dataclasses.replace(ds, activities={})) == 0
