"""export.as_csv: the HXL hashtag row only when asked for."""

from __future__ import annotations

from ngocoord.render.export import COLUMN_NAMES, COLUMNS, as_csv


def test_plain_csv_has_a_header_and_no_hashtag_row():
    assert as_csv([]) == ",".join(COLUMN_NAMES) + "\n"


def test_hxl_puts_the_hashtags_under_the_header():
    assert as_csv([], hxl=True) == ",".join(COLUMN_NAMES) + "\n" + ",".join(tag for _, tag in COLUMNS) + "\n"
