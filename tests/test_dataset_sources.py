"""The shipped dataset (data/) is sourced: every web address is well formed, every source says what
it supports, and every record cites at least one source with a url, a date and `supports`."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from typer.testing import CliRunner

from ngocoord.cli import app

DATA = Path(__file__).resolve().parent.parent / "data"
RECORDS = sorted((DATA / "organizations").glob("*.yaml")) + sorted((DATA / "activities").glob("*.yaml"))
HOST = re.compile(r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}\.?$", re.IGNORECASE)


def record(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def urls(rec: dict):
    if rec.get("website"):
        yield "website", rec["website"]
    for i, s in enumerate(rec.get("sources") or []):
        if "url" in s:
            yield f"sources[{i}].url", s["url"]


def well_formed(url: str) -> bool:
    parts = urlsplit(url)
    return (parts.scheme in ("http", "https") and HOST.match(parts.hostname or "") is not None
            and not re.search(r"\s", url) and parts.port is None and not parts.username and not parts.password)


@pytest.mark.parametrize("url, ok", [
    ("https://www.unodc.org/romena/en/Stories/2022/December/x.html", True),
    ("http://dhrd.nl/EN/?p=17", True),
    ("https://www.ncciraq.org/en/archive/op-eds/itemlist/tag/Civil%20Society?start=10", True),
    ("https://issuu.com./kirkuk-center/docs/x", True),   # a fully qualified host name keeps its final dot
    ("ftp://example.org/x", False),
    ("https://example/x", False),
    ("https://exa mple.org/x", False),
    ("https:///x", False),
    ("https://user:pw@example.org/", False),
    ("www.example.org", False),
])
def test_well_formed(url, ok):
    assert well_formed(url) is ok


def test_the_dataset_is_not_empty():
    assert len(RECORDS) > 100


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_record_is_sourced(path):
    rec = record(path)
    bad = [f"{where}: {url}" for where, url in urls(rec) if not well_formed(url)]
    assert bad == [], f"{path.name}: malformed urls"
    sources = rec.get("sources") or []
    assert [s["title"] for s in sources if not (s.get("supports") or "").strip()] == [], f"{path.name}: sources without supports"
    assert all(len(s["supports"]) <= 300 for s in sources)
    assert any(s.get("url") and s.get("date") and s.get("supports") for s in sources), \
        f"{path.name}: no source with url, date and supports"


def test_strict_lint_finds_no_unsourced_record(monkeypatch):
    monkeypatch.chdir(DATA.parent)
    result = CliRunner().invoke(app, ["lint", "data", "--strict", "--format", "json", "--as-of", "2026-12-01"])
    rules = {p["rule"] for p in json.loads(result.stdout)["problems"]}
    assert json.loads(result.stdout)["summary"]["errors"] == 0
    assert rules & {"unsourced-activity", "source-without-supports"} == set()
