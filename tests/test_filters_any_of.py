"""A repeated filter means *any of* its values; a broad population covers narrower ones."""

from __future__ import annotations

import copy
import json

import pytest
from typer.testing import CliRunner

from ngocoord.cli import app
from ngocoord.load.dataset import load_dataset
from ngocoord.check.lint import lint
from tests.conftest import TINY_CODELISTS, activity, org, write_dataset


def _codelists():
    cl = copy.deepcopy(TINY_CODELISTS)
    cl["populations"]["populations"] += [{"code": "detainees", "name": "Detainees", "covers": ["prisoners", "juveniles"]},
                                         {"code": "victims", "name": "Victims of trafficking"}]
    return cl


@pytest.fixture
def data(tmp_path):
    return write_dataset(tmp_path / "data", [org("org-a"), org("org-b", type="ingo"), org("org-c")], [
        activity("for-prisoners", organization="org-a", population=["prisoners"]),
        activity("for-victims", organization="org-b", population=["victims"], locations=[{"area": "G2"}],
                 status="completed"),
        activity("for-women", organization="org-c", population=["women"], sector="education",
                 services=["education-in-detention"], locations=[{"area": "G3"}]),
    ], codelists=_codelists())


def ids(data, command, *args):
    result = CliRunner().invoke(app, [command, *args, "--data", str(data), "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    key = "organizations" if command == "orgs" else "activities"
    return [r["id"] for r in json.loads(result.stdout)[key]]


@pytest.mark.parametrize("order", [("victims", "detainees"), ("detainees", "victims")])
def test_repeated_population_is_any_of_in_either_order(data, order):
    args = [x for p in order for x in ("--population", p)]
    assert ids(data, "orgs", *args) == ["org-a", "org-b"]
    assert ids(data, "activities", *args) == ["for-prisoners", "for-victims"]


def test_broad_population_finds_narrower_codes(data):
    assert ids(data, "activities", "--population", "detainees") == ["for-prisoners"]
    assert ids(data, "activities", "--population", "prisoners") == ["for-prisoners"]


@pytest.mark.parametrize("option,values,expected", [
    ("--region", ["Duhok", "Baghdad"], ["for-victims", "for-women"]),
    ("--area", ["G1", "G3"], ["for-prisoners", "for-women"]),
    ("--sector", ["education", "protection"], ["for-prisoners", "for-victims", "for-women"]),
    ("--service", ["legal-aid", "education-in-detention"], ["for-prisoners", "for-victims", "for-women"]),
    ("--org", ["org-a", "Org C"], ["for-prisoners", "for-women"]),
    ("--status", ["completed", "ongoing"], ["for-prisoners", "for-victims", "for-women"]),
    ("--type", ["ingo", "donor"], ["for-victims"]),
    ("--search", ["women", "victims"], ["for-victims", "for-women"]),
])
def test_every_repeatable_filter_is_any_of(data, option, values, expected):
    args = [x for v in values for x in (option, v)]
    assert ids(data, "activities", *args) == expected


def test_filters_of_different_kinds_still_all_apply(data):
    assert ids(data, "activities", "--region", "Duhok", "--region", "Baghdad", "--status", "ongoing") == ["for-women"]


def test_population_group_follows_covers(data):
    cl = load_dataset(data).codelists
    assert cl.population_group("detainees") == {"detainees", "prisoners", "juveniles"}
    assert cl.population_group("women") == {"women"}


def test_covers_naming_an_unknown_group_is_a_codelist_error(tmp_path):
    cl = _codelists()
    cl["populations"]["populations"][-2]["covers"] = ["prisoners", "inmates"]
    data = write_dataset(tmp_path / "data", [org("org-a")], [], codelists=cl)
    problems = [p for p in lint(data).problems if p.rule == "codelist"]
    assert [p.message for p in problems] == ["the population 'detainees' covers 'inmates', which is not in populations.yaml"]


def test_bundled_detainees_covers_prisoners():
    from tests.conftest import REPO

    cl = load_dataset(REPO / "data").codelists
    assert "prisoners" in cl.population_group("detainees")
