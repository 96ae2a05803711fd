"""One definition of a place's counts: `report`'s headline agrees with `orgs` and `activities`."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ngocoord.cli import app
from ngocoord.load.dataset import load_dataset
from ngocoord.domain.counts import place_counts
from tests.conftest import activity, org, write_dataset


@pytest.fixture
def data(tmp_path):
    return write_dataset(tmp_path / "data", [org("org-a"), org("org-b"), org("org-c"), org("donor-d", type="donor")], [
        activity("in-erbil", organization="org-a", partners=["org-b"], donors=["donor-d"]),
        activity("in-duhok", organization="org-b", locations=[{"area": "G2D1"}]),
        activity("in-baghdad", organization="org-c", locations=[{"area": "G3"}]),
        activity("whole-country", organization="org-c", locations=[{"area": "IQ"}]),
        activity("whole-kri", organization="org-c", locations=[{"area": "kri"}]),
    ])


def run(*args):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def test_place_counts(data):
    ds = load_dataset(data)
    kri = place_counts(ds, "kri")
    assert kri.activities == ("in-duhok", "in-erbil", "whole-kri")
    assert kri.organizations == ("org-a", "org-b", "org-c")   # never the donor
    assert kri.wider == ("whole-country",) and kri.countrywide == ("whole-country",)
    erbil = place_counts(ds, "G1")
    assert erbil.activities == ("in-erbil",)
    assert erbil.wider == ("whole-country", "whole-kri") and erbil.countrywide == ("whole-country",)
    everything = place_counts(ds, None)
    assert len(everything.activities) == 5 and len(everything.organizations) == 4


@pytest.mark.parametrize("region", ["kri", "Erbil", "Baghdad"])
def test_report_headline_agrees_with_orgs_and_activities(data, region):
    orgs = json.loads(run("orgs", "--region", region, "--data", str(data), "--format", "json").stdout)["organizations"]
    acts = json.loads(run("activities", "--region", region, "--data", str(data), "--format", "json").stdout)["activities"]
    md = run("report", "--region", region, "--as-of", "2026-06-01", "--data", str(data)).stdout
    n_orgs, n_acts = len(orgs), len(acts)
    assert (f"{n_orgs} organization{'s' if n_orgs != 1 else ''}, "
            f"{n_acts} activit{'ies' if n_acts != 1 else 'y'} ({n_acts} active)") in md
    assert "Apart from these:" in md and "## Recorded for a wider area" in md


def test_countrywide_activities_are_shown_apart(data):
    md = run("report", "--region", "kri", "--as-of", "2026-06-01", "--data", str(data)).stdout
    assert "3 organizations, 3 activities (3 active)" in md
    assert "Apart from these: 1 activity country-wide." in md
    erbil = run("report", "--region", "Erbil", "--as-of", "2026-06-01", "--data", str(data)).stdout
    assert "Apart from these: 2 activities recorded for a wider area (1 of them country-wide)." in erbil
    assert "| whole country | Org C | Iraq |" in erbil and "| whole kri | Org C | Kurdistan Region of Iraq |" in erbil
