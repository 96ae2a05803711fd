"""lint's remembered results (lint.cached_lint): a second run is answered from the cache, and an
entry of any other shape is never taken for a result."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import activity, org, write_dataset
from ngocoord.check import lint as lint_module
from ngocoord.check.lint import _result_from_entry, cached_lint
from ngocoord.problems import Problem

DAY = dt.date(2026, 7, 1)
PROBLEM = ("data/activities/a.yaml", 3, 5, "error", "schema", "bad", "fix it")


def test_a_second_run_is_answered_from_the_cache(tmp_path, monkeypatch):
    root = write_dataset(tmp_path / "data", [org("org-a")], [activity("act-1", partners=["nobody"])])
    first = cached_lint(root, None, DAY)
    assert [p.rule for p in first.problems] == ["unknown-reference"]

    def no_loading(*args, **kwargs):
        raise AssertionError("the dataset was loaded again")

    monkeypatch.setattr(lint_module, "load_dataset", no_loading)
    second = cached_lint(root, None, DAY)
    assert (second.problems, second.files) == (first.problems, first.files)


def test_a_well_formed_entry_is_a_result():
    result = _result_from_entry((4, (PROBLEM,)))
    assert (result.files, result.problems) == (4, [Problem(*PROBLEM)])


@pytest.mark.parametrize("entry", [
    None, [4, ()], (4,), (4, (), ()), ("4", ()), (4, []), (4, [PROBLEM]), (4.0, ()),
    (4, (PROBLEM[:6],)), (4, (list(PROBLEM),)), (4, (("p", "3", 5, "error", "schema", "bad", "fix it"),)),
    (4, ((1, 3, 5, "error", "schema", "bad", "fix it"),)),
    *[(4, (PROBLEM[:i] + (None,) + PROBLEM[i + 1:],)) for i in (3, 4, 5, 6)],  # a field that is not text
])
def test_an_entry_of_another_shape_is_no_result(entry):
    assert _result_from_entry(entry) is None
