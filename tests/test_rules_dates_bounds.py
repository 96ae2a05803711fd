"""The edges of date-order, status-dates and stale, linted on 2026-07-01: a one-day activity, partial
and bare-year dates, the day before and after --as-of, every status, the 365th and 366th day since a
review, records that broke their schema, and the severity each rule gives (lint's exit code)."""

import json

import pytest
from typer.testing import CliRunner

from ngocoord.cli import app
from tests.lintcase import A, ACT_2, O, act_2, lint_files, org_c

runner = CliRunner()

# act-2 with `extra` lines 11 and 12 (after last_reviewed, line 10): start then end
def dated(status, start=None, end=None):
    extra = (f"start: {start}\n" if start else "") + (f"end: {end}\n" if end else "")
    return act_2("status: ongoing", f"status: {status}", extra)


# date-order: the end of the period an end date names is compared with the start of the start date's period
ORDER = {
    "a one-day activity": (dated("completed", "2022-12-01", "2022-12-01"), []),
    "an end the day before the start": (dated("completed", "2022-12-02", "2022-12-01"), [
        f"{A}:12:6: error date-order: the end (2022-12-01) is before the start (2022-12-02) (check both dates)"]),
    "a year that ends before the start year": (dated("completed", "2023", "2022"), [
        f"{A}:12:6: error date-order: the end (2022) is before the start (2023) (check both dates)"]),
    "an end month inside the start year": (dated("completed", "2022", "2022-01"), []),
    "an end day inside the start month": (dated("completed", "2022-12", "2022-12-01"), []),
    "an end month before the start day": (dated("completed", "2022-12-15", "2022-11"), [
        f"{A}:12:6: error date-order: the end (2022-11) is before the start (2022-12-15) (check both dates)"]),
    "a start without an end": (dated("ongoing", start="2022-12-15"), []),
    "an end without a start": (dated("completed", end="2022-11-30"), []),
}


@pytest.mark.parametrize("case", ORDER)
def test_date_order_compares_whole_periods(tmp_path, case):
    files, expected = ORDER[case]
    assert lint_files(tmp_path, files) == expected


def ongoing_ended(end):
    return (f"{A}:9:9: warning status-dates: the status is ongoing but the activity ended on {end} "
            "(set status: completed, or correct the end date)")


def completed_to_come(end):
    return (f"{A}:9:9: warning status-dates: the status is completed but the end date {end} is still to come "
            "(set status: ongoing, or correct the end date)")


# status-dates, checked on 2026-07-01 (the end line is 11: no start)
STATUS = {
    "ongoing, ended yesterday": (dated("ongoing", end="2026-06-30"), [ongoing_ended("2026-06-30")]),
    "ongoing, ended last month": (dated("ongoing", end="2026-06"), [ongoing_ended("2026-06")]),
    "ongoing, ended last year (a bare year)": (dated("ongoing", end="2025"), [ongoing_ended("2025")]),
    "ongoing, ends today": (dated("ongoing", end="2026-07-01"), []),
    "ongoing, ends tomorrow": (dated("ongoing", end="2026-07-02"), []),
    "ongoing, ends this year": (dated("ongoing", end="2026"), []),
    "completed, ended yesterday": (dated("completed", end="2026-06-30"), []),
    "completed, ended last month": (dated("completed", end="2026-06"), []),
    "completed, ended today": (dated("completed", end="2026-07-01"), []),
    "completed, ends tomorrow": (dated("completed", end="2026-07-02"), [completed_to_come("2026-07-02")]),
    "completed, ends at the end of this month": (dated("completed", end="2026-07"), [completed_to_come("2026-07")]),
    "completed, ends next year": (dated("completed", end="2027"), [completed_to_come("2027")]),
    "planned, ended yesterday": (dated("planned", end="2026-06-30"), []),
    "planned, ends tomorrow": (dated("planned", end="2026-07-02"), []),
    "suspended, ended yesterday": (dated("suspended", end="2026-06-30"), []),
    "suspended, ends tomorrow": (dated("suspended", end="2026-07-02"), []),
    "cancelled, ended yesterday": (dated("cancelled", end="2026-06-30"), []),
    "cancelled, ends tomorrow": (dated("cancelled", end="2026-07-02"), []),
    "ongoing, no end": (dated("ongoing"), []),
    "cancelled, no end": (dated("cancelled"), []),
}


@pytest.mark.parametrize("case", STATUS)
def test_status_dates_on_each_side_of_the_day(tmp_path, case):
    files, expected = STATUS[case]
    assert lint_files(tmp_path, files) == expected


def test_an_activity_without_an_end_does_not_end_the_status_check(tmp_path):
    """act-1 (from the base dataset) and act-2 have no end; act-3, checked after them, does."""
    act_3 = ACT_2.replace("act-2", "act-3").replace("Legal aid in Soran", "Mobile court sessions") + "end: 2026-06-30\n"
    files = {**dated("ongoing"), "activities/act-3.yaml": act_3}
    assert lint_files(tmp_path, files) == [
        "data/activities/act-3.yaml:9:9: warning status-dates: the status is ongoing but the activity ended on "
        "2026-06-30 (set status: completed, or correct the end date)"]


def stale_line(path, line, reviewed):
    return (f"{path}:{line}:16: warning stale: last reviewed on {reviewed}, more than a year ago "
            "(check the entry and update last_reviewed)")


# stale, on 2026-07-01: more than 365 days after the last day the review date names
STALE = {
    "an organization reviewed 366 days ago": (org_c("2026-06-01", "2025-06-30"), [stale_line(O, 5, "2025-06-30")]),
    "an organization reviewed 365 days ago": (org_c("2026-06-01", "2025-07-01"), []),
    "an activity reviewed 366 days ago": (act_2("2026-06-01", "2025-06-30"), [stale_line(A, 10, "2025-06-30")]),
    "an activity reviewed 365 days ago": (act_2("2026-06-01", "2025-07-01"), []),
    "an activity reviewed in a month that ended 366 days ago": (act_2("2026-06-01", "2025-06"),
                                                                 [stale_line(A, 10, "2025-06")]),
    "an organization reviewed in a month that ended 365 days ago": (org_c("2026-06-01", "2025-07"), []),
    "an organization reviewed last year (a bare year)": (org_c("2026-06-01", "2025"), []),
    "an organization reviewed the year before (a bare year)": (org_c("2026-06-01", "2024"), [stale_line(O, 5, "2024")]),
    "an activity reviewed today": (act_2("2026-06-01", "2026-07-01"), []),
}


@pytest.mark.parametrize("case", STALE)
def test_stale_from_the_366th_day(tmp_path, case):
    files, expected = STALE[case]
    assert lint_files(tmp_path, files) == expected


def test_stale_checks_organizations_and_activities_alike(tmp_path):
    files = {**org_c("2026-06-01", "2025-01-15"), **act_2("2026-06-01", "2025-02")}
    assert lint_files(tmp_path, files) == [stale_line(A, 10, "2025-02"), stale_line(O, 5, "2025-01-15")]


def test_a_later_as_of_day_makes_a_review_stale(tmp_path):
    """Reviewed on 2026-06-01: 365 days later (2027-06-01) still fresh, 366 days later stale."""
    files = org_c()
    assert lint_files(tmp_path / "a", files, as_of="2027-06-01") == []
    later = lint_files(tmp_path / "b", files, as_of="2027-06-02")
    assert stale_line(O, 5, "2026-06-01") in later


def test_an_activity_that_broke_its_schema_still_gets_date_order(tmp_path):
    """No status (required): the schema reports it; date-order still speaks; status-dates has nothing to say."""
    text = ACT_2.replace("status: ongoing\n", "") + "start: 2026-07-02\nend: 2026-06-30\n"
    problems = lint_files(tmp_path, {"activities/act-2.yaml": text})
    dates = [p for p in problems if " schema: " not in p]
    assert dates == [f"{A}:11:6: error date-order: the end (2026-06-30) is before the start (2026-07-02) (check both dates)"]
    assert len(problems) == 2


def test_a_record_without_last_reviewed_is_not_called_stale(tmp_path):
    problems = lint_files(tmp_path, org_c("last_reviewed: 2026-06-01\n", ""))
    assert [p for p in problems if " stale: " in p] == []
    assert len(problems) == 1 and " error schema: " in problems[0]


def lint_json(root, monkeypatch):
    """`ngocoord lint --format json` on root/data, as a user runs it from root."""
    monkeypatch.chdir(root)
    return runner.invoke(app, ["lint", "--data", "data", "--as-of", "2026-07-01", "--format", "json"],
                         env={"GITHUB_ACTIONS": "", "GITHUB_STEP_SUMMARY": "", "NGOCOORD_DATA": ""})


def test_date_order_is_an_error_and_fails_lint(tmp_path, monkeypatch):
    lint_files(tmp_path, dated("completed", "2022-12-02", "2022-12-01"))
    result = lint_json(tmp_path, monkeypatch)
    assert result.exit_code == 1
    assert json.loads(result.stdout)["problems"] == [
        {"path": A, "line": 12, "column": 6, "severity": "error", "rule": "date-order",
         "message": "the end (2022-12-01) is before the start (2022-12-02) (check both dates)"}]


def test_status_dates_and_stale_are_warnings_and_pass_lint(tmp_path, monkeypatch):
    lint_files(tmp_path, {**dated("ongoing", end="2026-06-30"), **org_c("2026-06-01", "2025-06-30")})
    result = lint_json(tmp_path, monkeypatch)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["problems"] == [
        {"path": A, "line": 9, "column": 9, "severity": "warning", "rule": "status-dates",
         "message": "the status is ongoing but the activity ended on 2026-06-30 "
                    "(set status: completed, or correct the end date)"},
        {"path": O, "line": 5, "column": 16, "severity": "warning", "rule": "stale",
         "message": "last reviewed on 2025-06-30, more than a year ago (check the entry and update last_reviewed)"}]
    assert json.loads(result.stdout)["summary"]["warnings"] == 2
