"""ngocoord report: Markdown and self-contained HTML, escaped, sensitive places withheld."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from conftest import activity, org, write_dataset
from ngocoord.cli import app
from ngocoord.render.report.data import place_tiles
from ngocoord.render.report.html import link

runner = CliRunner()
DAY = "2026-06-01"


@pytest.fixture
def ds(tmp_path):
    return write_dataset(tmp_path / "data", [
        org("org-a", name="Org A"), org("org-b", name="B & <Partners>", type="ingo"),
        org("old-donor", name="Old Donor", type="donor", last_reviewed="2024-01-01"),
    ], [
        activity("act-1", title="Legal aid in Erbil", partners=["org-b"],
                 locations=[{"area": "G1D1", "site": "Central prison"}], start="2025-01",
                 sources=[{"title": "Report", "url": "https://example.org/a?x=1&y=2"}]),
        activity("act-2", title="<script>alert(1)</script>", organization="org-b", locations=[{"area": "G1"}],
                 sources=[{"title": "Odd link", "url": 'https://example.org/?q="><b>x</b>'}]),
        activity("act-3", title="Classes", sector="education", services=["education-in-detention"], sensitive=True,
                 locations=[{"area": "G2D1", "site": "Secret place"}]),
        activity("act-4", title="Old training", organization="org-b", sector="justice", status="completed",
                 services=["correctional-staff-training"], locations=[{"area": "G3"}], donors=["old-donor"],
                 last_reviewed="2024-01-01"),
        activity("act-5", title="Everywhere", organization="org-b", locations=[{"area": "kri"}]),
    ])


def report(root, *args):
    return runner.invoke(app, ["report", "--data", str(root), "--as-of", DAY, *args])


EXPECTED_MARKDOWN = """\
# Who does what where: Iraq

As of 2026-06-01. Region: Iraq (IQ). 3 organizations, 5 activities (4 active), 7 coverage gaps, 1 thin cell, 3 duplicated services, 2 stale records. All 3 activities counted in the coverage were reviewed within the year.

## Overview

### Organizations by type

| type | organizations |
|---|---|
| Donor | 1 |
| International NGO | 1 |
| National NGO | 1 |

### Activities by status

| status | activities |
|---|---|
| ongoing | 4 |
| completed | 1 |

### Activities by sector

| sector | activities | active on 2026-06-01 |
|---|---|---|
| Protection | 3 | 3 |
| Education | 1 | 1 |
| Justice and corrections | 1 | 0 |

## Coverage

Delivering organizations (lead and partners) of activities active on 2026-06-01, per governorate and sector. A gap has fewer than 1; a thin cell exactly 1; (stale): every record counted in the cell was last reviewed more than a year before 2026-06-01.

| governorate | Protection | Education | Justice and corrections |
|---|---|---|---|
| Erbil | 2 | 0 gap | 0 gap |
| Duhok | 0 gap | 1 thin | 0 gap |
| Baghdad | 0 gap | 0 gap | 0 gap |

Active activities located only above governorate level (covering no cell): Everywhere.

## Duplicated services

| activities | organizations | kind | services | populations | areas | period |
|---|---|---|---|---|---|---|
| Legal aid in Erbil / &lt;script&gt;alert(1)&lt;/script&gt; | Org A / B &amp; &lt;Partners&gt; | double-reporting | Legal aid | general population | Erbil | 2025-01-01 – … |
| Legal aid in Erbil / Everywhere | Org A / B &amp; &lt;Partners&gt; | double-reporting | Legal aid | general population | Erbil | 2025-01-01 – … |
| &lt;script&gt;alert(1)&lt;/script&gt; / Everywhere | B &amp; &lt;Partners&gt; / B &amp; &lt;Partners&gt; | same-organization | Legal aid | general population | Erbil |  |

## Stale records

Last reviewed more than a year before 2026-06-01.

| kind | id | name | last reviewed | days ago |
|---|---|---|---|---|
| activity | act-4 | Old training | 2024-01-01 | 882 |
| organization | old-donor | Old Donor | 2024-01-01 | 882 |

## Activities by governorate

### Erbil

| activity | organization | sector | services | where | status | period |
|---|---|---|---|---|---|---|
| &lt;script&gt;alert(1)&lt;/script&gt; | B &amp; &lt;Partners&gt; | Protection | Legal aid | whole governorate | ongoing (active) |  |
| Legal aid in Erbil | Org A | Protection | Legal aid | Erbil, Central prison | ongoing (active) | 2025-01 – … |

### Duhok

| activity | organization | sector | services | where | status | period |
|---|---|---|---|---|---|---|
| Classes | Org A | Education | Education in detention | withheld (sensitive) | ongoing (active) |  |

### Baghdad

| activity | organization | sector | services | where | status | period |
|---|---|---|---|---|---|---|
| Old training | B &amp; &lt;Partners&gt; | Justice and corrections | Training of correctional staff | whole governorate | completed |  |
"""


def test_markdown_report(ds):
    result = report(ds)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout == EXPECTED_MARKDOWN


def test_region_by_alias(ds):
    result = report(ds, "--region", "KRI")
    assert result.exit_code == 0
    assert result.stdout.startswith("# Who does what where: Kurdistan Region of Iraq\n\nAs of 2026-06-01. "
                                    "Region: Kurdistan Region of Iraq (kri). 2 organizations, 4 activities (4 active)")
    matrix = result.stdout.split("## Coverage")[1].split("## Duplicated")[0]
    assert "| Erbil | 2 | 0 gap | 0 gap |" in matrix and "| Duhok | 0 gap | 1 thin | 0 gap |" in matrix
    assert "Baghdad" not in matrix


def test_unknown_region_is_a_usage_error(ds):
    result = report(ds, "--region", "Erbill")
    assert result.exit_code == 2
    assert result.stderr.startswith("ngocoord: error: unknown place 'Erbill': did you mean 'Erbil'")


def test_html_is_self_contained_and_escaped(ds):
    result = report(ds, "--format", "html")
    assert result.exit_code == 0, result.output
    page = result.stdout
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    # nothing to fetch: no external resource of any kind, and a policy that forbids it
    assert not re.search(r"<(link|img|iframe|object|embed)\b|\bsrc=|@import|url\(", page)
    assert "default-src 'none'" in page
    assert "<script>alert(1)</script>" not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 3   # duplicates (2) and Erbil's table
    assert "B &amp; &lt;Partners&gt;" in page
    assert '<a href="https://example.org/a?x=1&amp;y=2" rel="noopener noreferrer">Legal aid in Erbil</a>' in page
    assert 'href="https://example.org/?q=&quot;&gt;&lt;b&gt;x&lt;/b&gt;"' in page
    assert "<b>x</b>" not in page
    # the tile map: one tile per governorate, shaded and labelled with its count of active organizations
    tiles = re.findall(r'<g class="tile" tabindex="0" data-name="([^"]*)" data-orgs="(\d+)" data-sectors="([^"]*)">', page)
    assert tiles == [("Erbil", "2", "Protection"), ("Duhok", "1", "Education"), ("Baghdad", "0", "none")]
    assert page.count("<table class=\"sortable") == 8


def test_sensitive_places_withheld_unless_asked(ds):
    for fmt in ("markdown", "html"):
        result = report(ds, "--format", fmt)
        assert "Secret place" not in result.stdout and "Zakho" not in result.stdout
        assert "withheld (sensitive)" in result.stdout
        assert result.stderr == ""
    result = report(ds, "--format", "html", "--include-sensitive")
    assert result.exit_code == 0
    assert "Zakho, Secret place" in result.stdout and "Do not publish it." in result.stdout
    assert result.stderr == ("warning: --include-sensitive: the report shows the exact places of sensitive "
                             "activities; do not publish it\n")


def test_output_file_never_overwritten_without_force(ds, tmp_path):
    out = tmp_path / "report.html"
    assert report(ds, "--format", "html", "--output", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    out.write_text("mine")
    result = report(ds, "--output", str(out))
    assert result.exit_code == 2
    assert result.stderr == f"ngocoord: error: {out} already exists; pass --force to replace it\n"
    assert out.read_text() == "mine"
    assert report(ds, "--output", str(out), "--force").exit_code == 0
    assert out.read_text(encoding="utf-8") == EXPECTED_MARKDOWN


def test_tile_layout_from_the_dataset(ds):
    (ds / "codelists" / "tile-map.yaml").write_text("tiles:\n  G3: [1, 0]\n  G1: [0, 1]\n")
    page = report(ds, "--format", "html").stdout
    positions = re.findall(r'data-name="([^"]*)".*?<rect x="(\d+)" y="(\d+)"', page)
    assert positions == [("Erbil", "70", "0"), ("Duhok", "0", "140"), ("Baghdad", "0", "70")]


def test_place_tiles_falls_back_to_code_order():
    assert place_tiles(["a", "b", "c"], {}) == {"a": (0, 0), "b": (0, 1), "c": (0, 2)}
    assert place_tiles(["a", "b", "c"], {"b": (0, 0)}) == {"b": (0, 0), "a": (1, 0), "c": (1, 1)}
    # two areas on one tile: the layout is ignored rather than hiding one of them
    assert place_tiles(["a", "b"], {"a": (0, 0), "b": (0, 0)}) == {"a": (0, 0), "b": (0, 1)}


def test_links_only_to_web_addresses():
    assert link("javascript:alert(1)", "x") == "x"
    assert link("data:text/html,<b>", "<t>") == "&lt;t&gt;"
    assert link("HTTPS://example.org", "t") == '<a href="HTTPS://example.org" rel="noopener noreferrer">t</a>'


def test_stale_records_listed(ds):
    stale = report(ds).stdout.split("## Stale records")[1].split("##")[0]
    assert "| activity | act-4 | Old training | 2024-01-01 | 882 |" in stale
    assert "| organization | old-donor | Old Donor | 2024-01-01 | 882 |" in stale


def test_no_district_figure_reveals_a_sensitive_activity(ds):
    hidden = report(ds, "--region", "Zakho").stdout
    assert "| district | Protection | Education | Justice and corrections |\n|---|---|---|---|\n" \
           "| Zakho | 0 gap | 0 gap | 0 gap |" in hidden
    assert "No activity recorded in: Zakho." in hidden
    shown = report(ds, "--region", "Zakho", "--include-sensitive").stdout
    assert "| Zakho | 0 gap | 1 thin | 0 gap |" in shown
    assert "| Classes | Org A | Education | Education in detention | Secret place | ongoing (active) |  |" in shown


def test_long_tables_are_cut_and_say_how_many_more(ds, monkeypatch):
    import ngocoord.render.report.data as data
    import ngocoord.render.report.html as html
    import ngocoord.render.report.markdown as markdown

    for module in (data, html, markdown):
        monkeypatch.setattr(module, "MAX_ROWS", 1)
    text = report(ds).stdout
    dups = text.split("## Duplicated services")[1].split("##")[0]
    assert dups.count("double-reporting") + dups.count("same-organization") == 1
    assert "3 duplicated services" in text   # counted in full, though only the shown row is built
    assert ("…and 2 more pairs; for all of them run: ngocoord duplicates --region IQ --as-of 2026-06-01 "
            "--format csv") in dups
    assert "…and 1 more activities; for all of them run: ngocoord activities --area G1 --format csv" in text
    page = report(ds, "--format", "html").stdout
    assert '<p class="note">…and 1 more stale records; for all of them run: ngocoord lint --as-of 2026-06-01</p>' in page


def test_country_report_counts_every_organization_a_region_report_those_working_there(tmp_path):
    root = write_dataset(tmp_path / "data", [org("org-a"), org("idle-network", type="ingo")],
                         [activity("act-1", locations=[{"area": "G3"}])])
    country = runner.invoke(app, ["report", "--data", str(root), "--as-of", DAY]).stdout
    assert "Region: Iraq (IQ). 2 organizations, 1 activity (1 active)" in country
    assert "| International NGO | 1 |" in country
    region = runner.invoke(app, ["report", "--data", str(root), "--as-of", DAY, "--region", "federal"]).stdout
    assert "Region: Federal Iraq (federal). 1 organization, 1 activity (1 active)" in region
