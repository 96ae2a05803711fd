"""ngocoord.report.data's small decisions, as pure functions: which links a report may show, and
when a cut table says how much it left out."""

from __future__ import annotations

import pytest

from ngocoord.report.data import MAX_ROWS, _safe_url, beyond


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
