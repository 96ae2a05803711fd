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


def test_every_test_that_may_skip_is_listed_in_contributing():
    """Only a tool or service CI guarantees is a reason to skip, and CONTRIBUTING.md lists each such test."""
    import re

    tests = sorted((REPO / "tests").glob("test_*.py"))
    skipping = r"pytest\.mark\.requires\(|\bunavailable\(|pytest\.skip\(|skipif\(|importorskip\("
    may_skip = {f"tests/{p.name}" for p in tests if re.search(skipping, p.read_text(encoding="utf-8"))}
    may_skip.discard("tests/test_required_tools.py")  # the marker's own tests
    guide = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    table = guide[guide.index("## For developers: the tests that may skip"):]
    listed = set(re.findall(r"^\| (`tests/.*?) \|", table, re.M))
    assert {name for row in listed for name in re.findall(r"`(tests/[\w.]+)`", row)} == may_skip
    # a Python package the test extra installs is never a reason to skip
    assert [p.name for p in tests if "importorskip(" in p.read_text(encoding="utf-8")] == ["test_required_tools.py"]
