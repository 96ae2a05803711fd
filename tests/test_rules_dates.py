"""date-order, status-dates (ongoing but ended; completed but ends later) and stale, on a fixed --as-of day."""

import pytest

from tests.lintcase import A, act_2, lint_files, ORG_C


CASES = {
    "end-before-start": (act_2("status: ongoing", "status: completed", "start: 2022-12\nend: 2022-11-30\n"), [
        f"{A}:12:6: error date-order: the end (2022-11-30) is before the start (2022-12) (check both dates)"]),
    "ongoing-but-ended": (act_2(extra="start: 2025\nend: 2026-06\n"), [
        f"{A}:9:9: warning status-dates: the status is ongoing but the activity ended on 2026-06 "
        "(set status: completed, or correct the end date)"]),
    "completed-but-ends-later": (act_2("status: ongoing", "status: completed", "end: 2026-07-02\n"), [
        f"{A}:9:9: warning status-dates: the status is completed but the end date 2026-07-02 is still to come "
        "(set status: ongoing, or correct the end date)"]),
    "stale-organization": ({"organizations/org-c.yaml": ORG_C.replace("2026-06-01", "2025-06-30")}, [
        "data/organizations/org-c.yaml:5:16: warning stale: last reviewed on 2025-06-30, more than a year ago "
        "(check the entry and update last_reviewed)"]),
    "stale-activity": (act_2("last_reviewed: 2026-06-01", "last_reviewed: 2024"), [
        f"{A}:10:16: warning stale: last reviewed on 2024, more than a year ago (check the entry and update last_reviewed)"]),
}

CLEAN = {
    "same-partial-month": act_2("status: ongoing", "status: completed", "start: 2022-12\nend: 2022-12\n"),
    "ongoing-ends-today": act_2(extra="end: 2026-07-01\n"),
    "ongoing-ends-this-month": act_2(extra="end: 2026-07\n"),
    "completed-ended-today": act_2("status: ongoing", "status: completed", "end: 2026-07-01\n"),
    "completed-without-end": act_2("status: ongoing", "status: completed"),
    "reviewed-exactly-365-days-ago": {"organizations/org-c.yaml": ORG_C.replace("2026-06-01", "2025-07-01")},
    "reviewed-this-year-partial": act_2("last_reviewed: 2026-06-01", "last_reviewed: 2025-07"),
}


@pytest.mark.parametrize("name", CASES)
def test_date_rules(tmp_path, name):
    files, expected = CASES[name]
    assert lint_files(tmp_path, files) == expected


@pytest.mark.parametrize("name", CLEAN)
def test_date_rules_clean(tmp_path, name):
    assert lint_files(tmp_path, CLEAN[name]) == []


def test_as_of_decides_status_dates_and_stale(tmp_path):
    files = act_2(extra="end: 2026-06\n")
    assert lint_files(tmp_path / "a", files, as_of="2026-06-30") == []
    assert [p.split(": ")[1] for p in lint_files(tmp_path / "b", files, as_of="2026-07-01")] == ["warning status-dates"]
    later = lint_files(tmp_path / "c", files, as_of="2027-06-02")  # everything was reviewed on 2026-06-01
    assert sorted(p.split(": ")[1] for p in later) == ["warning stale"] * 4 + ["warning status-dates"]
