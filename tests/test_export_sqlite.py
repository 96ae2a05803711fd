"""export --format sqlite: every table of the database, row by row and column by column, and the
schema a user's SQL relies on (table names, column names, declared types).

The fixture gives every column a value somewhere and leaves it out somewhere else, so a column
filled from the wrong field, or never filled, shows; values are compared with their Python types,
so a number stored as text (or text as a number) shows too."""

from __future__ import annotations

import copy
import dataclasses
import sqlite3

import pytest
from typer.testing import CliRunner

from conftest import TINY_CODELISTS, activity, org, write_dataset
from ngocoord.cli import app
from ngocoord.load.dataset import load_dataset
from ngocoord.render.export import as_sqlite

runner = CliRunner()


def codelists():
    lists = copy.deepcopy(TINY_CODELISTS)
    sectors = lists["sectors"]["sectors"]
    sectors[0]["aliases"] = ["PRO", "Protection cluster"]
    lists["services"]["services"][0]["description"] = "Advice and representation before courts"
    lists["populations"]["populations"][1]["aliases"] = ["Female"]
    return lists


@pytest.fixture(scope="module")
def rich(tmp_path_factory):
    return write_dataset(tmp_path_factory.mktemp("rich") / "data", [
        org("aid-net", name="Aid Network", type="ingo", acronym="AN", country="NO", website="https://aid.example",
            email="info@aid.example", notes="A network of NGOs", last_reviewed="2026-05-01",
            sources=[{"title": "Annual report 2025", "url": "https://aid.example/report", "date": "2025-03-01"}]),
        org("donor-x", name="Donor X", type="donor", member_of=["aid-net", "org-a"]),
        org("org-a", name="Org A", member_of=["aid-net"], sources=[{"title": "Registration list"}]),
    ], [
        activity("act-1", title="Legal aid in Erbil", partners=["aid-net"], donors=["donor-x"],
                 services=["legal-aid", "psychosocial-support"], population=["women", "prisoners"],
                 locations=[{"area": "G1D1", "site": "Erbil women's prison"}, {"area": "G2"}],
                 start="2025-01", end="2026-12", beneficiaries={"targeted": 120, "reached": 45},
                 counterparts=["Ministry of Justice", "Directorate of Reform"],
                 description="Lawyers visit the prison weekly.",
                 sources=[{"title": "Project sheet", "url": "https://org-a.example/p1"}]),
        activity("act-2", title="=1+1", organization="aid-net", sector="education", partners=["org-a"],
                 services=["education-in-detention"], population=["juveniles"], status="suspended",
                 locations=[{"area": "G1D2", "site": "Soran prison"}, {"area": "G1D1", "site": "Secret site"}],
                 sensitive=True, beneficiaries={"reached": 30}, last_reviewed="2026-04-01"),
        activity("act-3", title="Nationwide", organization="donor-x", services=[], locations=[{"area": "kri"}],
                 status="planned", start="2026-01", beneficiaries={"targeted": 5000},
                 sources=[{"title": "Call for proposals", "date": "2026-01-15"}]),
    ], codelists=codelists())


def export(root, db, *flags):
    result = runner.invoke(app, ["export", "--data", str(root), "--format", "sqlite", "--output", str(db), *flags])
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture(scope="module")
def databases(rich, tmp_path_factory):
    """(published, exact): the rich dataset exported once without and once with --include-sensitive."""
    out = tmp_path_factory.mktemp("db")
    with pytest.MonkeyPatch.context() as mp:  # a private cache, as conftest.private_cache gives each test
        mp.setenv("XDG_CACHE_HOME", str(out / "cache"))
        return export(rich, out / "published.sqlite"), export(rich, out / "exact.sqlite", "--include-sensitive")


@pytest.fixture
def published(databases):
    return sqlite3.connect(databases[0])


@pytest.fixture
def exact(databases):
    return sqlite3.connect(databases[1])


def table(con, name):
    return con.execute(f"SELECT * FROM {name} ORDER BY rowid").fetchall()


SCHEMA = {
    "org_types": [("code", "TEXT"), ("name", "TEXT"), ("iati_code", "TEXT")],
    "sectors": [("code", "TEXT"), ("name", "TEXT"), ("aliases", "TEXT")],
    "services": [("code", "TEXT"), ("name", "TEXT"), ("sector", "TEXT"), ("description", "TEXT")],
    "populations": [("code", "TEXT"), ("name", "TEXT"), ("aliases", "TEXT")],
    "areas": [("code", "TEXT"), ("name", "TEXT"), ("level", "INTEGER"), ("parent", "TEXT"), ("aliases", "TEXT")],
    "regions": [("code", "TEXT"), ("name", "TEXT"), ("aliases", "TEXT")],
    "region_members": [("region", "TEXT"), ("area", "TEXT")],
    "organizations": [("id", "TEXT"), ("name", "TEXT"), ("acronym", "TEXT"), ("type", "TEXT"), ("country", "TEXT"),
                      ("website", "TEXT"), ("email", "TEXT"), ("last_reviewed", "TEXT"), ("notes", "TEXT")],
    "organization_memberships": [("organization", "TEXT"), ("member_of", "TEXT")],
    "activities": [("id", "TEXT"), ("title", "TEXT"), ("organization", "TEXT"), ("sector", "TEXT"), ("status", "TEXT"),
                   ("start", "TEXT"), ("end", "TEXT"), ("targeted", "INTEGER"), ("reached", "INTEGER"),
                   ("sensitive", "INTEGER"), ("last_reviewed", "TEXT"), ("description", "TEXT")],
    "locations": [("activity", "TEXT"), ("area", "TEXT"), ("site", "TEXT"), ("admin1", "TEXT"), ("admin2", "TEXT")],
    "activity_services": [("activity", "TEXT"), ("service", "TEXT")],
    "activity_populations": [("activity", "TEXT"), ("population", "TEXT")],
    "activity_partners": [("activity", "TEXT"), ("organization", "TEXT")],
    "activity_donors": [("activity", "TEXT"), ("organization", "TEXT")],
    "activity_counterparts": [("activity", "TEXT"), ("counterpart", "TEXT")],
    "sources": [("record_kind", "TEXT"), ("record_id", "TEXT"), ("title", "TEXT"), ("url", "TEXT"), ("date", "TEXT")],
    "three_w": [("activity_id", "TEXT"), ("activity_title", "TEXT"), ("organization_id", "TEXT"),
                ("organization_name", "TEXT"), ("organization_type", "TEXT"), ("partners", "TEXT"),
                ("partner_ids", "TEXT"), ("donors", "TEXT"), ("donor_ids", "TEXT"), ("sector_code", "TEXT"),
                ("sector_name", "TEXT"), ("services", "TEXT"), ("population", "TEXT"), ("admin1_code", "TEXT"),
                ("admin1_name", "TEXT"), ("admin2_code", "TEXT"), ("admin2_name", "TEXT"), ("area_code", "TEXT"),
                ("site", "TEXT"), ("status", "TEXT"), ("start", "TEXT"), ("end", "TEXT"), ("targeted", "INTEGER"),
                ("reached", "INTEGER"), ("sensitive", "INTEGER")],
}

CODELIST_TABLES = {
    "org_types": [("ingo", "International NGO", "21"), ("nngo", "National NGO", "22"), ("donor", "Donor", "90")],
    "sectors": [("protection", "Protection", "PRO; Protection cluster"), ("education", "Education", None),
                ("justice", "Justice and corrections", None)],
    "services": [("legal-aid", "Legal aid", "protection", "Advice and representation before courts"),
                 ("psychosocial-support", "Psychosocial support", "protection", None),
                 ("education-in-detention", "Education in detention", "education", None),
                 ("correctional-staff-training", "Training of correctional staff", "justice", None)],
    "populations": [("prisoners", "Prisoners", None), ("women", "Women", "Female"), ("juveniles", "Juveniles", None)],
    "areas": [("IQ", "Iraq", 0, None, None), ("G1", "Erbil", 1, "IQ", "Arbil; Hawler; IQ-AR"),
              ("G2", "Duhok", 1, "IQ", "Dahuk"), ("G3", "Baghdad", 1, "IQ", None), ("G1D1", "Erbil", 2, "G1", None),
              ("G1D2", "Soran", 2, "G1", None), ("G2D1", "Zakho", 2, "G2", None), ("G3D1", "Karkh", 2, "G3", None)],
    "regions": [("kri", "Kurdistan Region of Iraq", "KRI"), ("federal", "Federal Iraq", None)],
    "region_members": [("kri", "G1"), ("kri", "G2"), ("federal", "G3")],
}

RECORD_TABLES = {
    "organizations": [
        ("aid-net", "Aid Network", "AN", "ingo", "NO", "https://aid.example", "info@aid.example", "2026-05-01",
         "A network of NGOs"),
        ("donor-x", "Donor X", None, "donor", None, None, None, "2026-06-01", None),
        ("org-a", "Org A", None, "nngo", None, None, None, "2026-06-01", None)],
    "organization_memberships": [("donor-x", "aid-net"), ("donor-x", "org-a"), ("org-a", "aid-net")],
    "activities": [
        ("act-1", "Legal aid in Erbil", "org-a", "protection", "ongoing", "2025-01", "2026-12", 120, 45, 0, "2026-06-01",
         "Lawyers visit the prison weekly."),
        ("act-2", "=1+1", "aid-net", "education", "suspended", None, None, None, 30, 1, "2026-04-01", None),
        ("act-3", "Nationwide", "donor-x", "protection", "planned", "2026-01", None, 5000, None, 0, "2026-06-01", None)],
    "activity_services": [("act-1", "legal-aid"), ("act-1", "psychosocial-support"), ("act-2", "education-in-detention")],
    "activity_populations": [("act-1", "women"), ("act-1", "prisoners"), ("act-2", "juveniles")],
    "activity_partners": [("act-1", "aid-net"), ("act-2", "org-a")],
    "activity_donors": [("act-1", "donor-x")],
    "activity_counterparts": [("act-1", "Ministry of Justice"), ("act-1", "Directorate of Reform")],
    "sources": [("organization", "aid-net", "Annual report 2025", "https://aid.example/report", "2025-03-01"),
                ("organization", "org-a", "Registration list", None, None),
                ("activity", "act-1", "Project sheet", "https://org-a.example/p1", None),
                ("activity", "act-3", "Call for proposals", None, "2026-01-15")],
}

# the published view: act-2 (sensitive) at its governorate only, without its sites
LOCATIONS = [("act-1", "G1D1", "Erbil women's prison", "G1", "G1D1"), ("act-1", "G2", None, "G2", None),
             ("act-2", "G1", None, "G1", None), ("act-3", "kri", None, None, None)]
LOCATIONS_EXACT = [("act-1", "G1D1", "Erbil women's prison", "G1", "G1D1"), ("act-1", "G2", None, "G2", None),
                   ("act-2", "G1D2", "Soran prison", "G1", "G1D2"), ("act-2", "G1D1", "Secret site", "G1", "G1D1"),
                   ("act-3", "kri", None, None, None)]

ACT_1 = ("act-1", "Legal aid in Erbil", "org-a", "Org A", "nngo", "Aid Network", "aid-net", "Donor X", "donor-x",
         "protection", "Protection", "legal-aid; psychosocial-support", "women; prisoners")
ACT_2 = ("act-2", "=1+1", "aid-net", "Aid Network", "ingo", "Org A", "org-a", "", "", "education", "Education",
         "education-in-detention", "juveniles")
THREE_W = [
    ACT_1 + ("G1", "Erbil", "G1D1", "Erbil", "G1D1", "Erbil women's prison", "ongoing", "2025-01", "2026-12", 120, 45, 0),
    ACT_1 + ("G2", "Duhok", None, None, "G2", None, "ongoing", "2025-01", "2026-12", 120, 45, 0),
    ACT_2 + ("G1", "Erbil", None, None, "G1", None, "suspended", None, None, None, 30, 1),
    ("act-3", "Nationwide", "donor-x", "Donor X", "donor", "", "", "", "", "protection", "Protection", "", "",
     None, None, None, None, "kri", None, "planned", "2026-01", None, 5000, None, 0),
]
THREE_W_EXACT = THREE_W[:2] + [
    ACT_2 + ("G1", "Erbil", "G1D2", "Soran", "G1D2", "Soran prison", "suspended", None, None, None, 30, 1),
    ACT_2 + ("G1", "Erbil", "G1D1", "Erbil", "G1D1", "Secret site", "suspended", None, None, None, 30, 1),
] + THREE_W[3:]


def test_the_schema_has_every_table_and_column_a_query_relies_on(published):
    tables = [r[0] for r in published.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")]
    assert tables == list(SCHEMA)
    assert {name: [(c[1], c[2]) for c in published.execute(f"PRAGMA table_info({name})")] for name in tables} == SCHEMA
    indexes = [r[0] for r in published.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")]
    assert sorted(indexes) == ["activities_organization", "locations_activity", "locations_admin1"]


def test_every_codelist_table_holds_every_entry_with_its_aliases_joined(published):
    assert {name: table(published, name) for name in CODELIST_TABLES} == CODELIST_TABLES


def test_every_record_table_holds_every_field_and_null_where_it_is_absent(published):
    assert {name: table(published, name) for name in RECORD_TABLES} == RECORD_TABLES


def test_locations_and_three_w_show_a_sensitive_activity_at_its_governorate(published):
    assert table(published, "locations") == LOCATIONS
    assert table(published, "three_w") == THREE_W
    # stored as numbers, so that SUM(targeted) and WHERE sensitive = 1 work
    assert published.execute("SELECT DISTINCT typeof(targeted), typeof(sensitive) FROM three_w "
                             "WHERE targeted IS NOT NULL").fetchall() == [("integer", "integer")]


def test_include_sensitive_keeps_the_exact_places_and_sites(exact):
    assert table(exact, "locations") == LOCATIONS_EXACT
    assert table(exact, "three_w") == THREE_W_EXACT
    assert table(exact, "activities") == RECORD_TABLES["activities"]


def test_as_sqlite_coarsens_by_default(rich, tmp_path):
    as_sqlite(load_dataset(rich), str(tmp_path / "3w.sqlite"))
    con = sqlite3.connect(tmp_path / "3w.sqlite")
    assert table(con, "locations") == LOCATIONS
    assert table(con, "three_w") == THREE_W


def test_records_are_written_in_id_order_whatever_order_they_were_read_in(rich, tmp_path):
    ds = load_dataset(rich)
    shuffled = dataclasses.replace(ds, organizations=dict(reversed(ds.organizations.items())),
                                   activities=dict(reversed(ds.activities.items())))
    assert list(shuffled.activities) == ["act-3", "act-2", "act-1"]
    as_sqlite(shuffled, str(tmp_path / "shuffled.sqlite"))
    con = sqlite3.connect(tmp_path / "shuffled.sqlite")
    assert {name: table(con, name) for name in RECORD_TABLES} == RECORD_TABLES
    assert table(con, "locations") == LOCATIONS
    assert table(con, "three_w") == THREE_W
