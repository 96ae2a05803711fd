"""domain.organizations: which organization does this text name? (one answer, issue 12)"""

import pytest

from ngocoord.domain.names import name_key
from ngocoord.domain.organizations import OrganizationIndex, split_name_acronym


@pytest.mark.parametrize("text,expected", [
    ("Agency for Technical Cooperation and Development (ACTED)", ("Agency for Technical Cooperation and Development", "ACTED")),
    ("OXFAM (OXFAM)", ("OXFAM", None)),
    ("Oxfam", ("Oxfam", None)),
    ("  Save the  Children [SCI] ", ("Save the Children", "SCI")),
    ("(ACF)", ("(ACF)", None)),
])
def test_split_name_acronym(text, expected):
    assert split_name_acronym(text) == expected


def test_names_compare_without_case_accents_or_punctuation():
    assert name_key("Ceel  Barde") == name_key("ceel-barde") == name_key("Céel Barde") == "ceel barde"


def test_found_by_id_name_acronym_other_names_and_name_with_acronym():
    index = OrganizationIndex([
        {"id": "acf", "name": "Action Contre la Faim", "acronym": "ACF", "names": {"en": "Action Against Hunger"}},
        {"id": "nrc", "name": "Norwegian Refugee Council", "acronym": "NRC"},
    ])
    for text in ("acf", "ACTION CONTRE LA FAIM", "Action-contre-la-faim", "Action Against Hunger", "Action contre la faim (ACF)",
                 "Something else (ACF)"):
        assert index.find(text) == "acf", text
    assert index.find("Unknown", acronym="NRC") == "nrc"
    assert index.find("Unknown NGO") is None


def test_a_text_two_organizations_could_claim_names_neither():
    index = OrganizationIndex([{"id": "a", "name": "Alpha Relief", "acronym": "AR"},
                               {"id": "b", "name": "Beta Rescue", "acronym": "AR"}])
    assert index.find("AR") is None
    assert index.ambiguous("ar") == ["a", "b"]
    assert index.find("Alpha Relief (AR)") == "a"
