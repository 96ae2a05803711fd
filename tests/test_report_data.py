"""ngocoord.render.report.data's small decisions, as pure functions: which links a report may show, when a
cut table says how much it left out, and which country a report covers by default."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from ngocoord.problems import UsageError
from ngocoord.render.report.data import MAX_ROWS, _safe_url, beyond, default_region


@pytest.mark.parametrize("url", ["http://example.org/report", "https://example.org/a?b=c", "HTTPS://EXAMPLE.ORG/",
                                 "Http://example.org"])
def test_web_links_are_shown(url):
    assert _safe_url(url) == url


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
                                 "file:///etc/passwd", "ftp://example.org", "example.org", "", " https://x.org",
                                 None, 42, ["https://example.org"]])
def test_anything_else_is_not_a_link(url):
    assert _safe_url(url) is None


def test_a_table_that_fits_has_no_note():
    assert beyond(list(range(MAX_ROWS)), "activities", "ngocoord activities") == ""
    assert beyond([], "activities", "ngocoord activities", total=MAX_ROWS) == ""


def test_a_cut_table_says_how_many_rows_it_left_out():
    assert beyond(list(range(MAX_ROWS + 1)), "activities", "ngocoord activities --region kri") == \
        "…and 1 more activities; for all of them run: ngocoord activities --region kri"
    assert beyond([], "pairs", "ngocoord duplicates", total=MAX_ROWS + 25) == \
        "…and 25 more pairs; for all of them run: ngocoord duplicates"


def codelists(*levels):
    return SimpleNamespace(areas={f"A{i}": SimpleNamespace(code=f"A{i}", level=level) for i, level in enumerate(levels)})


def test_the_default_region_is_the_one_country():
    assert default_region(codelists(1, 0, 2)) == "A1"


@pytest.mark.parametrize("levels", [(1, 2), (0, 1, 0)])
def test_no_country_or_two_countries_need_a_region(levels):
    with pytest.raises(UsageError) as error:
        default_region(codelists(*levels))
    assert str(error.value) == "the codelists do not name one country (level 0 area): pass --region"
