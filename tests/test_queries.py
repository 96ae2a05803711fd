"""orgs, activities, show: the 3W queries on a small dataset (tiny codelists), every answer by hand.

  q1  org-a + partner org-b, donor donor-x  protection legal-aid        G1D1 (Erbil central prison)  prisoners  ongoing from 2026-01
  q2  org-b                                 education                  G2D1 (Zakho)                 juveniles  completed 2024-2025
  q3  org-c                                 justice                    G3 (Baghdad)                            ongoing, "Karkh" in description
  q4  org-c                                 protection psychosocial    kri (region)                            planned
"""

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from ngocoord.analysis.queries import filter_activities, filter_organizations
from ngocoord.cli import app
from ngocoord.load.dataset import load_dataset
from ngocoord.problems import UsageError
from tests.conftest import activity, org, write_dataset

runner = CliRunner()

ORGS = [org("org-a", name="Alpha Aid", acronym="AA"), org("org-b", name="Beta International", type="ingo"),
        org("org-c", name="Gamma"), org("donor-x", name="Donor X", type="donor")]
ACTIVITIES = [
    activity("q1", title="Legal aid in prison", organization="org-a", partners=["org-b"], donors=["donor-x"],
             locations=[{"area": "G1D1", "site": "Erbil central prison"}], population=["prisoners"], start="2026-01"),
    activity("q2", organization="org-b", sector="education", services=["education-in-detention"],
             locations=[{"area": "G2D1"}], population=["juveniles"], status="completed", start="2024", end="2025"),
    activity("q3", organization="org-c", sector="justice", services=["correctional-staff-training"],
             locations=[{"area": "G3"}], description="Training for Karkh staff"),
    activity("q4", organization="org-c", services=["psychosocial-support"], locations=[{"area": "kri"}], status="planned"),
]


@pytest.fixture
def data(tmp_path):
    return write_dataset(tmp_path / "data", ORGS, ACTIVITIES)


@pytest.fixture
def ds(data):
    return load_dataset(data)


def ids(records):
    return [r.id for r in records]


@pytest.mark.parametrize("filters, expected", [
    ({}, ["q1", "q2", "q3", "q4"]),
    ({"region": "kri"}, ["q1", "q2", "q4"]),          # a district, a district, the region itself
    ({"region": "Baghdad"}, ["q3"]),
    ({"area": "Zakho"}, ["q2"]),
    ({"area": "Erbil"}, ["q1"]),                       # the governorate: its district lies within it
    ({"area": "G1D2"}, []),
    ({"sector": "protection"}, ["q1", "q4"]),
    ({"service": "Legal aid"}, ["q1"]),
    ({"population": "juveniles"}, ["q2"]),
    ({"population": "women"}, []),                     # activities naming no group are not listed for a group
    ({"org": "org-b"}, ["q1", "q2"]),                  # partner in q1, lead of q2
    ({"org": "beta international"}, ["q1", "q2"]),
    ({"org": "donor-x"}, []),                          # a donor delivers nothing
    ({"status": "Completed"}, ["q2"]),
    ({"active_on": dt.date(2026, 7, 1)}, ["q1", "q3"]),
    ({"active_on": dt.date(2025, 12, 31)}, ["q3"]),  # q1 starts 2026-01-01; q2 is completed
    ({"search": "PRISON"}, ["q1"]),                    # title and site
    ({"search": "karkh"}, ["q3"]),                     # description
    ({"type": "ingo"}, ["q1", "q2"]),                  # org-b delivers both
    ({"region": "kri", "sector": "protection", "status": "planned"}, ["q4"]),
])
def test_filter_activities(ds, filters, expected):
    assert ids(filter_activities(ds, **filters)) == expected


@pytest.mark.parametrize("filters, expected", [
    ({}, ["donor-x", "org-a", "org-b", "org-c"]),
    ({"region": "kri"}, ["org-a", "org-b", "org-c"]),  # never donor-x, which only funds q1
    ({"sector": "education"}, ["org-b"]),
    ({"service": "correctional-staff-training"}, ["org-c"]),
    ({"active_on": dt.date(2025, 12, 31)}, ["org-c"]),
    ({"type": "National NGO"}, ["org-a", "org-c"]),
    ({"search": "alpha"}, ["org-a"]),
    ({"area": "Erbil", "type": "ingo"}, ["org-b"]),
    ({"population": "prisoners"}, ["org-a", "org-b"]),
])
def test_filter_organizations(ds, filters, expected):
    assert ids(filter_organizations(ds, **filters)) == expected


@pytest.mark.parametrize("filters, message", [
    ({"region": "Kurdistn"}, "unknown place 'Kurdistn'"),
    ({"status": "finished"}, "unknown status 'finished'"),
    ({"org": "org-z"}, "unknown organization 'org-z'"),
    ({"service": "legal ayd"}, "unknown service 'legal ayd': did you mean 'legal-aid'?"),
])
def test_unknown_filter_values(ds, filters, message):
    with pytest.raises(UsageError, match="^" + message.replace("?", r"\?")):
        filter_activities(ds, **filters)


def run(data, *args):
    return runner.invoke(app, [*args, "--data", str(data)])


def test_activities_json_is_records_as_loaded(data):
    result = run(data, "activities", "--region", "KRI", "--sector", "protection", "--format", "json")
    assert result.exit_code == 0
    out = json.loads(result.stdout)
    assert [a["id"] for a in out["activities"]] == ["q1", "q4"]
    assert out["activities"][0]["start"] == "2026-01" and out["activities"][0]["donors"] == ["donor-x"]


def test_activities_csv_and_markdown(data):
    csv = run(data, "activities", "--org", "org-b", "--format", "csv").stdout
    assert csv == ("id,organization,partners,sector,services,areas,status,start,end\n"
                   "q1,org-a,org-b,protection,legal-aid,G1D1,ongoing,2026-01,\n"
                   "q2,org-b,,education,education-in-detention,G2D1,completed,2024,2025\n")
    md = run(data, "activities", "--active-on", "2026-07-01", "--format", "markdown").stdout
    assert md == ("| activity | organizations | services | where | status | period |\n|---|---|---|---|---|---|\n"
                  "| q1 | org-a, org-b (partner) | legal-aid | Erbil (G1D1) | ongoing | 2026-01 – … |\n"
                  "| q3 | org-c | correctional-staff-training | Baghdad (G3) | ongoing |  |\n")


def test_orgs_formats(data):
    assert json.loads(run(data, "orgs", "--type", "ingo", "--format", "json").stdout) == {"organizations": [
        {"id": "org-b", "name": "Beta International", "type": "ingo", "last_reviewed": "2026-06-01"}]}
    assert run(data, "orgs", "--region", "kri", "--format", "csv").stdout == (
        "id,name,acronym,type,country,leads,partner_in\n"
        "org-a,Alpha Aid,AA,nngo,,1,0\norg-b,Beta International,,ingo,,1,1\norg-c,Gamma,,nngo,,1,0\n")  # q3 is in Baghdad
    assert run(data, "orgs", "--format", "csv").stdout.splitlines()[-1] == "org-c,Gamma,,nngo,,2,0"
    table = run(data, "orgs", "--search", "gamma").stdout
    assert "1 organization" in table and "org-c" in table and "Gamma" in table


@pytest.mark.parametrize("args, message", [
    (["activities", "--status", "finished"], "unknown status 'finished'; choose one of planned, ongoing, completed, suspended, cancelled"),
    (["activities", "--active-on", "yesterday"], "--active-on 'yesterday' is not a date"),
    (["orgs", "--region", "Kurdistn"], "unknown place 'Kurdistn'"),
    (["orgs", "--type", "charity"], "unknown org type 'charity'; run 'ngocoord codes org-types'"),
    (["activities", "--status", "ongoin"], "unknown status 'ongoin': did you mean 'ongoing'?"),
])
def test_usage_errors_exit_2(data, args, message):
    result = run(data, *args)
    assert result.exit_code == 2
    assert message in result.stderr and result.stdout == ""


def test_show_organization(data):
    out = json.loads(run(data, "show", "org-b", "--format", "json").stdout)
    assert out["organization"]["name"] == "Beta International"
    assert out["activities"] == [{"id": "q1", "role": "partner", "title": "Legal aid in prison", "status": "ongoing"},
                                 {"id": "q2", "role": "lead", "title": "q2", "status": "completed"}]
    donor = json.loads(run(data, "show", "donor-x", "--format", "json").stdout)
    assert donor["activities"] == [{"id": "q1", "role": "donor", "title": "Legal aid in prison", "status": "ongoing"}]
    table = runner.invoke(app, ["show", "org-b", "--data", str(data)], env={"COLUMNS": "120"}).stdout
    assert "International NGO (ingo)" in table and "activities of org-b (2)" in table and "partner" in table


def test_show_activity_resolves_names(data):
    out = json.loads(run(data, "show", "q1", "--format", "json").stdout)
    assert out["activity"]["id"] == "q1"
    assert out["names"] == {"org-a": "Alpha Aid", "org-b": "Beta International", "donor-x": "Donor X",
                            "protection": "Protection", "legal-aid": "Legal aid", "prisoners": "Prisoners",
                            "G1D1": "Erbil"}
    md = run(data, "show", "q1", "--format", "markdown").stdout
    for row in ("| organization | Alpha Aid (org-a) |", "| partners | Beta International (org-b) |",
                "| donors | Donor X (donor-x) |", "| sector | Protection (protection) |",
                "| services | Legal aid (legal-aid) |", "| locations | Erbil (G1D1) — Erbil central prison |",
                "| start | 2026-01 |"):
        assert row in md
    assert "| population | general population |" in run(data, "show", "q3", "--format", "markdown").stdout


def test_show_unknown_id(data):
    result = run(data, "show", "org-q")
    assert result.exit_code == 2
    assert result.stderr.startswith("ngocoord: error: no organization or activity is named 'org-q': did you mean")
    assert result.stdout == ""


def test_shipped_dataset_queries():
    from tests.conftest import REPO

    result = runner.invoke(app, ["activities", "--data", str(REPO / "data"), "--org", "NCCI", "--format", "json"])
    assert result.exit_code == 0
    assert "mcc-ncci-ngo-needs-questionnaire" in [a["id"] for a in json.loads(result.stdout)["activities"]]
