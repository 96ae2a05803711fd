"""A test that needs a tool CI installs never passes CI as a skip (tests/conftest.py, `requires`)."""

from __future__ import annotations

import pytest

from conftest import REPO

pytest_plugins = ["pytester"]

NEEDS = '''
import pytest

@pytest.mark.requires("no-such-tool-for-ngocoord")
def test_needs_a_missing_tool():
    pass

@pytest.mark.requires("no-such-tool-for-ngocoord|sh")
def test_either_one_will_do():
    pass

@pytest.mark.requires("sh")
def test_needs_a_present_tool():
    pass
'''


@pytest.fixture
def suite(pytester):
    pytester.makeconftest((REPO / "tests" / "conftest.py").read_text(encoding="utf-8"))
    pytester.makepyfile(test_needs=NEEDS)
    return pytester


def test_a_missing_tool_skips_on_a_developers_machine(suite, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    result = suite.runpytest("-rs", "-p", "no:randomly")
    result.assert_outcomes(passed=2, skipped=1)
    result.stdout.fnmatch_lines(["SKIPPED * no-such-tool-for-ngocoord not found on PATH"])


def test_a_missing_tool_fails_under_ci(suite, monkeypatch):
    monkeypatch.setenv("CI", "true")
    result = suite.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*no-such-tool-for-ngocoord not found on PATH, and CI must run this test "
                                 "(.ci/run and .github/workflows/tests.yml install it)"])
