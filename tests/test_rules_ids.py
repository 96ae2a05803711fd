"""id-mismatch and duplicate-id: a file's id is its name, and ids are unique."""

import pytest

from tests.lintcase import ACT_2, ORG_C, lint_files

CASES = {
    "id-differs-from-file-name": ({"organizations/org-c.yaml": ORG_C.replace("id: org-c", "id: org-d")}, [
        "data/organizations/org-c.yaml:2:5: error id-mismatch: the id 'org-d' does not match the file name 'org-c' "
        "(write 'id: org-c' or rename the file to org-d.yaml)"]),
    "file-name-not-an-id": ({"organizations/Org_C.yaml": ORG_C}, [
        "data/organizations/Org_C.yaml:2:1: error id-mismatch: the file name 'Org_C' is not a valid id "
        "(use lowercase letters, digits and single hyphens, e.g. public-aid-organization.yaml)"]),
    "yml-extension": ({"organizations/org-c.yml": ORG_C}, [
        "data/organizations/org-c.yml:2:1: error id-mismatch: the file name ends in '.yml' (rename it to org-c.yaml)"]),
    "activity-id-differs": ({"activities/act-2.yaml": ACT_2.replace("id: act-2", "id: act-3")}, [
        "data/activities/act-2.yaml:2:5: error id-mismatch: the id 'act-3' does not match the file name 'act-2' "
        "(write 'id: act-2' or rename the file to act-3.yaml)"]),
    "duplicate-id": ({"organizations/org-c.yaml": ORG_C.replace("id: org-c", "id: org-a")}, [
        "data/organizations/org-a.yaml:2:5: error duplicate-id: the organization id 'org-a' is also used by "
        "data/organizations/org-c.yaml (give one of them a different id and file name, or keep only one)",
        "data/organizations/org-c.yaml:2:5: error duplicate-id: the organization id 'org-a' is also used by "
        "data/organizations/org-a.yaml (give one of them a different id and file name, or keep only one)",
        "data/organizations/org-c.yaml:2:5: error id-mismatch: the id 'org-a' does not match the file name 'org-c' "
        "(write 'id: org-c' or rename the file to org-a.yaml)"]),
    "same-stem-yaml-and-yml": ({"organizations/org-c.yaml": ORG_C, "organizations/org-c.yml": ORG_C}, [
        "data/organizations/org-c.yaml:2:5: error duplicate-id: the organization id 'org-c' is also used by "
        "data/organizations/org-c.yml (give one of them a different id and file name, or keep only one)",
        "data/organizations/org-c.yml:2:1: error id-mismatch: the file name ends in '.yml' (rename it to org-c.yaml)",
        "data/organizations/org-c.yml:2:5: error duplicate-id: the organization id 'org-c' is also used by "
        "data/organizations/org-c.yaml (give one of them a different id and file name, or keep only one)",
        "data/organizations/org-c.yml:3:7: warning possible-duplicate-organization: this organization has (nearly) the same name "
        "as 'org-c' (data/organizations/org-c.yaml): it may be the same one "
        "(if it is, keep one file and point every activity at its id; if not, make the names tell them apart)"]),
}


@pytest.mark.parametrize("name", CASES)
def test_id_rules(tmp_path, name):
    files, expected = CASES[name]
    assert lint_files(tmp_path, files) == expected


def test_same_id_in_two_kinds_is_allowed(tmp_path):
    """An organization and an activity may share an id: they live in different folders."""
    assert lint_files(tmp_path, {"organizations/act-1.yaml": ORG_C.replace("org-c", "act-1")}) == []


def test_matching_ids_are_clean(tmp_path):
    assert lint_files(tmp_path, {"organizations/org-c.yaml": ORG_C, "activities/act-2.yaml": ACT_2}) == []
