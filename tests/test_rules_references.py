"""unknown-reference: every organization or activity id a record names has a file; a close id is suggested."""

import pytest

from tests.lintcase import ACT_2, ORG_C, lint_files

A = "data/activities/act-2.yaml"


def act_2(old="", new="", extra=""):
    return {"activities/act-2.yaml": ACT_2.replace(old, new) + extra}


CASES = {
    "lead-organization": (act_2("organization: org-a", "organization: org-aa"), [
        f"{A}:4:15: error unknown-reference: there is no organization with the id 'org-aa' (did you mean 'org-a' or 'org-b'?)"]),
    "nothing-close": (act_2("organization: org-a", "organization: zzzzqq"), [
        f"{A}:4:15: error unknown-reference: there is no organization with the id 'zzzzqq' "
        "(check the spelling, or add data/organizations/zzzzqq.yaml first)"]),
    "partner": (act_2(extra="partners: [org-a, orgb]\n"), [
        f"{A}:11:19: error unknown-reference: there is no organization with the id 'orgb' (did you mean 'org-b'?)"]),
    "donor": (act_2(extra="donors:\n  - org-bee\n"), [
        f"{A}:12:5: error unknown-reference: there is no organization with the id 'org-bee' (did you mean 'org-b' or 'org-a'?)"]),
    "member-of": ({"organizations/org-c.yaml": ORG_C + "member_of: [org-network]\n"}, [
        "data/organizations/org-c.yaml:6:13: error unknown-reference: there is no organization with the id 'org-network' "
        "(did you mean 'org-a' or 'org-b'?)"]),
    "coordinated-with": (act_2(extra="coordinated_with: [act-11]\n"), [
        f"{A}:11:20: error unknown-reference: there is no activity with the id 'act-11' (did you mean 'act-1'?)"]),
    "coordinated-with-nothing-close": (act_2(extra="coordinated_with: [legal-aid-soran]\n"), [
        f"{A}:11:20: error unknown-reference: there is no activity with the id 'legal-aid-soran' "
        "(check the spelling, or add data/activities/legal-aid-soran.yaml first)"]),
}


@pytest.mark.parametrize("name", CASES)
def test_unknown_reference(tmp_path, name):
    files, expected = CASES[name]
    assert lint_files(tmp_path, files) == expected


def test_every_kind_of_reference_that_exists_is_clean(tmp_path):
    files = {"organizations/org-c.yaml": ORG_C + "member_of: [org-a]\n",
             **act_2(extra="partners: [org-b]\ndonors: [org-c]\ncoordinated_with: [act-1]\n")}
    assert lint_files(tmp_path, files) == []


def test_a_reference_to_an_invalid_file_is_still_unknown(tmp_path):
    """Only valid records count: naming an organization whose file is broken is reported too."""
    problems = lint_files(tmp_path, {"organizations/org-c.yaml": ORG_C.replace("type: nngo\n", ""),
                                     **act_2(extra="partners: [org-c]\n")})
    assert problems[0] == (f"{A}:11:12: error unknown-reference: there is no organization with the id 'org-c' "
                           "(did you mean 'org-a' or 'org-b'?)")
