"""Sensitive activities: without --include-sensitive, export and report say no more about a
sensitive activity's place than its governorate. Proved by comparison: the output for a dataset
whose sensitive activity sits at a district and a site is byte for byte the output for the same
dataset with that activity placed at the governorate only."""

from __future__ import annotations

import json
import sqlite3

import pytest
from typer.testing import CliRunner

from ngocoord.cli import app
from tests.conftest import activity, org, write_dataset

runner = CliRunner()
AS_OF = "2026-07-01"
SITE = "Soran women's prison, block C"

OTHERS = [activity("act-open", locations=[{"area": "G1D1", "site": "Erbil courthouse"}], start="2025-01", population=["prisoners"]),
          activity("act-duhok", organization="org-b", locations=[{"area": "G2D1"}], start="2025-01")]


def dataset(root, locations):
    secret = activity("act-secret", organization="org-b", sensitive=True, population=["women"], start="2025-01",
                      title="Legal aid for women detainees", locations=locations)
    return write_dataset(root, [org("org-a"), org("org-b", type="ingo")], [*OTHERS, secret])


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """(exact, coarse): the sensitive activity at Soran district and Zakho district with sites, or at their governorates."""
    base = tmp_path_factory.mktemp("sensitive")
    exact = dataset(base / "exact" / "data", [{"area": "G1D2", "site": SITE}, {"area": "G2D1", "site": "Zakho shelter"}])
    coarse = dataset(base / "coarse" / "data", [{"area": "G1"}, {"area": "G2"}])
    return exact, coarse


def run(root, *args):
    result = runner.invoke(app, [*args, "--data", str(root)])
    assert result.exit_code == 0, result.stderr
    return result


OUTPUTS = [
    ("export", "--format", "csv"), ("export", "--format", "hxl"), ("export", "--format", "json"),
    ("report", "--format", "markdown", "--as-of", AS_OF), ("report", "--format", "html", "--as-of", AS_OF),
    ("report", "--format", "markdown", "--as-of", AS_OF, "--region", "G1"),
    ("report", "--format", "html", "--as-of", AS_OF, "--region", "kri"),
]


@pytest.mark.parametrize("args", OUTPUTS, ids=[" ".join(a[:3] + a[5:]) for a in OUTPUTS])
def test_without_the_flag_a_sensitive_place_is_its_governorate(pair, args):
    exact, coarse = pair
    shown = run(exact, *args)
    assert shown.stdout.replace(str(exact), "") == run(coarse, *args).stdout.replace(str(coarse), "")
    assert "Soran" not in shown.stdout or args[-1] == "G1"  # the G1 report lists Soran as an (empty) row
    assert SITE not in shown.stdout and "Zakho shelter" not in shown.stdout and "G1D2" not in shown.stdout
    assert shown.stderr == ""


def sqlite_rows(root, path, *flags):
    run(root, "export", "--format", "sqlite", "--output", str(path), *flags)
    with sqlite3.connect(path) as db:
        tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {t: db.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall() for t in tables}


def test_sqlite_export_coarsens_too(pair, tmp_path):
    exact, coarse = pair
    shown = sqlite_rows(exact, tmp_path / "exact.sqlite")
    assert shown == sqlite_rows(coarse, tmp_path / "coarse.sqlite")
    assert SITE not in repr(shown)
    assert "G1D2" not in repr({t: rows for t, rows in shown.items() if t != "areas"})  # the codelist table lists every area


@pytest.mark.parametrize("args", [("export", "--format", "csv"), ("export", "--format", "hxl"), ("export", "--format", "json"),
                                  ("report", "--format", "markdown", "--as-of", AS_OF),
                                  ("report", "--format", "html", "--as-of", AS_OF)])
def test_include_sensitive_shows_the_place_and_warns(pair, args):
    exact, _ = pair
    result = run(exact, *args, "--include-sensitive")
    text = result.stdout.replace("&#x27;", "'").replace("\\'", "'")
    assert SITE in text and "Soran" in text and "Zakho shelter" in text
    assert result.stderr.startswith("warning: --include-sensitive: ") and result.stderr.count("\n") == 1
    assert "do not publish" in result.stderr.lower()


def test_include_sensitive_sqlite_keeps_the_site(pair, tmp_path):
    exact, _ = pair
    result = run(exact, "export", "--format", "sqlite", "--output", str(tmp_path / "x.sqlite"), "--include-sensitive")
    assert result.stderr.startswith("warning: --include-sensitive: ")
    with sqlite3.connect(tmp_path / "x.sqlite") as db:
        tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        dump = repr([db.execute(f'SELECT * FROM "{t}"').fetchall() for t in tables])
    assert SITE.replace("'", "\\'") in dump or SITE in dump


def test_json_export_of_sensitive_rows(pair):
    exact, _ = pair
    rows = json.loads(run(exact, "export", "--format", "json").stdout)
    rows = rows if isinstance(rows, list) else next(v for v in rows.values() if isinstance(v, list))
    secret = [r for r in rows if r.get("activity_id", r.get("id")) == "act-secret"]
    assert len(secret) == 2
    assert {(r["admin1_code"], r["admin2_code"], r["site"]) for r in secret} == {("G1", None, None), ("G2", None, None)}


def test_duplicates_in_the_report_do_not_reveal_a_district_by_elimination(tmp_path):
    """act-open (Erbil district) and the sensitive activity (Soran district) serve the same people:
    seen at governorate level they are a duplicated pair, and the report must say so either way."""
    open_act = activity("act-open", locations=[{"area": "G1D1"}], start="2025-01")
    secret = dict(organization="org-b", sensitive=True, population=["women"], start="2025-01")
    exact = write_dataset(tmp_path / "exact", [org("org-a"), org("org-b")],
                          [open_act, activity("act-secret", locations=[{"area": "G1D2"}], **secret)])
    coarse = write_dataset(tmp_path / "coarse", [org("org-a"), org("org-b")],
                           [open_act, activity("act-secret", locations=[{"area": "G1"}], **secret)])
    args = ("report", "--format", "markdown", "--as-of", AS_OF, "--region", "G1")
    assert run(exact, *args).stdout.replace(str(exact), "") == run(coarse, *args).stdout.replace(str(coarse), "")
