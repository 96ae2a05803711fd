"""sensitive-unset: an activity serving a sensitive population, or naming a site, says whether it is sensitive."""

import pytest

from tests.conftest import TINY_CODELISTS
from tests.lintcase import A, act_2, lint_files

CODELISTS = {**TINY_CODELISTS, "populations": {"populations": [
    {"code": "prisoners", "name": "Prisoners", "sensitive": True}, {"code": "women", "name": "Women"},
    {"code": "juveniles", "name": "Juveniles"}]}}

CASES = {
    "sensitive-population": (act_2(extra="population: [women, prisoners]\n"), [
        f"{A}:11:21: warning sensitive-unset: it serves prisoners (a sensitive population) and does not say whether "
        "it is sensitive (add 'sensitive: true' to keep its exact places out of published outputs, or 'sensitive: false')"]),
    "site": (act_2("  - area: G1D2", "  - area: G1D2\n    site: Soran prison"), [
        f"{A}:9:11: warning sensitive-unset: it names the site 'Soran prison' and does not say whether it is "
        "sensitive (add 'sensitive: true' to keep the site out of published outputs, or 'sensitive: false')"]),
}

CLEAN = {
    "said-true": act_2(extra="population: [prisoners]\nsensitive: true\n"),
    "said-false": act_2("  - area: G1D2", "  - area: G1D2\n    site: Soran market", "sensitive: false\n"),
    "not-a-sensitive-population": act_2(extra="population: [women]\n"),
}


@pytest.mark.parametrize("name", CASES)
def test_warns(tmp_path, name):
    files, expected = CASES[name]
    assert lint_files(tmp_path, files, codelists=CODELISTS) == expected


@pytest.mark.parametrize("name", CLEAN)
def test_clean(tmp_path, name):
    assert lint_files(tmp_path, CLEAN[name], codelists=CODELISTS) == []
