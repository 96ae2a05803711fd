"""Lookups a new user tries: show by acronym or name, --member-of by a partial name, places by a
word or any alias, a district given as the region."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ngocoord.cli import app
from ngocoord.load.dataset import load_dataset
from ngocoord.domain.lookup import find_organization, place_suggestions
from tests.conftest import REPO, activity, org, write_dataset

runner = CliRunner()


@pytest.fixture
def data(tmp_path):
    return write_dataset(tmp_path / "data", [
        org("ncci", name="NGO Coordination Committee for Iraq", acronym="NCCI", type="ingo"),
        org("kngo-committee", name="Kurdistan NGO Committee"),
        org("org-a", name="Alpha Aid"),
    ], [activity("act-1", organization="ncci")])


@pytest.mark.parametrize("text", ["ncci", "NCCI", "Ncci", "NGO Coordination Committee for Iraq",
                                  "ngo coordination committee for iraq", "NGO Coordination Committee", "ngo coord comm"])
def test_find_organization(data, text):
    assert find_organization(load_dataset(data), text) == "ncci"


@pytest.mark.parametrize("text", ["Committee", "NGO Committee", "nothing like it"])
def test_find_organization_refuses_what_is_not_one(data, text):
    # one word, or words held by two names, picks no organization
    assert find_organization(load_dataset(data), text) is None


@pytest.mark.parametrize("text", ["NCCI", "ncci", "NGO Coordination Committee for Iraq", "ACT-1"])
def test_show_by_id_in_any_case_acronym_or_name(data, text):
    result = runner.invoke(app, ["show", text, "--data", str(data), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert out.get("organization", out.get("activity"))["id"] == ("act-1" if text == "ACT-1" else "ncci")


def test_show_unknown_suggests_by_name(data):
    result = runner.invoke(app, ["show", "alpha", "--data", str(data)])
    assert result.exit_code == 2
    assert result.stderr.startswith("ngocoord: error: no organization or activity is named 'alpha': "
                                    "did you mean 'org-a' (Alpha Aid)?")


def test_member_of_by_a_partial_name(data):
    result = runner.invoke(app, ["new", "organization", "--data", str(data), "--id", "new-org", "--name", "New Org",
                                 "--type", "nngo", "--member-of", "NGO Coordination Committee"])
    assert result.exit_code == 0, result.stderr
    assert "member_of: [ncci]" in (data / "organizations" / "new-org.yaml").read_text(encoding="utf-8")


def test_org_filter_takes_the_same_names(data):
    result = runner.invoke(app, ["activities", "--org", "ngo coordination committee", "--data", str(data),
                                 "--format", "json"])
    assert [a["id"] for a in json.loads(result.stdout)["activities"]] == ["act-1"]


@pytest.mark.parametrize("text,first", [("suli", "IQG06"), ("kurdistn", "kri"), ("Kurdistan", "kri"),
                                        ("slemani", "IQG06"), ("zakh", "IQG09Q04")])
def test_place_suggestions_on_word_prefixes_and_every_alias(text, first):
    cl = load_dataset(REPO / "data").codelists
    assert place_suggestions(cl, text)[0] == first


def test_unknown_region_suggests_on_words():
    result = runner.invoke(app, ["gaps", "--data", str(REPO / "data"), "--region", "kurdistn"])
    assert result.exit_code == 2
    assert result.stderr == ("ngocoord: error: unknown place 'kurdistn': did you mean 'Kurdistan Region of Iraq' (kri)?; "
                             "run 'ngocoord codes areas'\n")
    suli = runner.invoke(app, ["gaps", "--data", str(REPO / "data"), "--region", "suli"])
    assert suli.stderr.startswith("ngocoord: error: unknown place 'suli': did you mean 'Al-Sulaymaniyah' (IQG06)")


def test_a_district_as_the_region(data):
    result = runner.invoke(app, ["gaps", "--data", str(data), "--region", "Zakho", "--as-of", "2026-06-01",
                                 "--format", "json"])
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["level"] == 2 and [r["area"] for r in out["rows"]] == ["G2D1"]
    told = runner.invoke(app, ["gaps", "--data", str(data), "--region", "Zakho", "--level", "1"])
    assert told.exit_code == 2
    assert told.stderr == ("ngocoord: error: Zakho (G2D1) is a district: it holds no level-1 areas; "
                           "use --level 2, or leave --level out\n")
