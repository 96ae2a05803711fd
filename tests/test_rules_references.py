"""unknown-reference: every organization or activity id a record names has a file; a close id is suggested."""

import pytest

from tests.lintcase import A, act_2, lint_files, ORG_C


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


def test_a_broken_organization_file_is_not_reported_again_at_every_reference(tmp_path):
    """The organization exists, its file is broken: that file's problem is reported once, there."""
    problems = lint_files(tmp_path, {"organizations/org-c.yaml": ORG_C.replace("type: nngo\n", ""),
                                     **act_2(extra="partners: [org-c]\n")})
    assert [p for p in problems if "unknown-reference" in p] == []
    assert any("org-c.yaml" in p and "error schema: the record is missing the required key 'type'" in p for p in problems)
