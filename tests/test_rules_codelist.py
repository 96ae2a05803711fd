"""The codelist rule: each kind of inconsistency inside data/codelists/ is located and explained."""

import copy

import pytest

from tests.conftest import TINY_CODELISTS
from tests.lintcase import ACT_2, lint_files


def changed(mutate):
    lists = copy.deepcopy(TINY_CODELISTS)
    mutate(lists)
    return lists


AREAS, SECTORS, SERVICES = "data/codelists/areas.yaml", "data/codelists/sectors.yaml", "data/codelists/services.yaml"

CASES = {
    "code-listed-twice": (lambda c: c["sectors"]["sectors"].append({"code": "education", "name": "Schooling"}), [
        f"{SECTORS}:5:9: error codelist: the code 'education' is listed 2 times "
        "(each code is listed once: remove the extra entry, or give it another code)",
        f"{SECTORS}:9:9: error codelist: the code 'education' is listed 2 times "
        "(each code is listed once: remove the extra entry, or give it another code)"]),
    "unknown-parent": (lambda c: c["areas"]["areas"].append({"code": "G9D1", "name": "Nowhere", "level": 2, "parent": "G9"}), [
        f"{AREAS}:43:11: error codelist: the parent 'G9' of G9D1 is not an area "
        "(correct the parent code, or add the parent area to the list)"]),
    "level-not-below-parent": (lambda c: c["areas"]["areas"].append({"code": "G1D3", "name": "Shaqlawa", "level": 1, "parent": "G1"}), [
        f"{AREAS}:42:10: error codelist: G1D3 has level 1 but its parent G1 has level 1 "
        "(an area's level is one more than its parent's: 2)"]),
    "region-member-not-an-area": (lambda c: c["areas"]["regions"][0]["members"].append("G7"), [
        f"{AREAS}:46:5: error codelist: the region member 'G7' is not an area (list governorate codes from the areas list)"]),
    "service-in-unknown-sector": (lambda c: c["services"]["services"].append({"code": "x-ray", "name": "X-ray", "sector": "health"}), [
        f"{SERVICES}:17:11: error codelist: the sector 'health' of service x-ray is not in sectors.yaml "
        "(correct the service's sector, or add the sector to sectors.yaml)"]),
    "alias-names-two-places": (lambda c: c["areas"]["areas"][2]["aliases"].append("Arbil"), [
        f"{AREAS}:20:5: error codelist: the alias 'Arbil' already names G1 (an alias must name one place)"]),
}


@pytest.mark.parametrize("name", CASES)
def test_codelist_inconsistency(tmp_path, name):
    mutate, expected = CASES[name]
    assert lint_files(tmp_path, {}, codelists=changed(mutate)) == expected


def test_tiny_codelists_are_consistent(tmp_path):
    assert lint_files(tmp_path, {"activities/act-2.yaml": ACT_2}) == []


def test_codelist_schema_error_is_located_and_not_repeated_in_every_record(tmp_path):
    problems = lint_files(tmp_path, {}, codelists=changed(lambda c: c["sectors"]["sectors"].append({"code": "health"})))
    assert problems == [f"{SECTORS}:9:3: error schema: sectors[3] is missing the required key 'name' (add a line 'name: …')"]
