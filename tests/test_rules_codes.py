"""unknown-code (sector, service, population, area, org type, country), service-sector, and one
personal-data case: each gets its place, its message and a "did you mean" when a code is close."""

import pytest

from tests.lintcase import A, act_2, lint_files, O, org_c


CASES = {
    "sector": (act_2("sector: protection", "sector: protecton"), [
        f"{A}:5:9: error unknown-code: unknown sector 'protecton' (did you mean 'protection'?)"]),
    "sector-name-instead-of-code": (act_2("sector: protection", "sector: Justice"), [
        f"{A}:5:9: error unknown-code: unknown sector 'Justice' (did you mean 'justice' (Justice and corrections)?)"]),
    "service": (act_2("[legal-aid]", "[legal-aide]"), [
        f"{A}:6:12: error unknown-code: unknown service 'legal-aide' (did you mean 'legal-aid'?)"]),
    "population": (act_2(extra="population: [women, prisoner]\n"), [
        f"{A}:11:21: error unknown-code: unknown population group 'prisoner' (did you mean 'prisoners'?)"]),
    "area-code": (act_2("area: G1D2", "area: G1D9"), [
        f"{A}:8:11: error unknown-code: unknown area 'G1D9' (did you mean 'G1D1' (Erbil), 'G1D2' (Soran) or 'G1' (Erbil)?)"]),
    "area-alias-instead-of-code": (act_2("area: G1D2", "area: Hawler"), [
        f"{A}:8:11: error unknown-code: unknown area 'Hawler' (write the code 'G1' (Erbil), not its name)"]),
    "area-nothing-close": (act_2("area: G1D2", "area: Qqqqqq"), [
        f"{A}:8:11: error unknown-code: unknown area 'Qqqqqq' (run 'ngocoord codes areas' to see the valid codes)"]),
    "org-type": (org_c("type: nngo", "type: ngo"), [
        f"{O}:4:7: error unknown-code: unknown organization type 'ngo' "
        "(did you mean 'ingo' (International NGO) or 'nngo' (National NGO)?)"]),
    "country": (org_c(extra='country: "XK"\n'), [
        f"{O}:6:10: error unknown-code: 'XK' is not an ISO 3166-1 country code "
        "(write the two-letter ISO 3166-1 code of the country of the headquarters, e.g. \"IQ\" for Iraq)"]),
    "country-uk": (org_c(extra='country: "UK"\n'), [
        f"{O}:6:10: error unknown-code: 'UK' is not an ISO 3166-1 country code (did you mean 'GB' (the ISO code of United Kingdom)?)"]),
    "service-of-another-sector": (act_2("[legal-aid]", "[legal-aid, education-in-detention]"), [
        f"{A}:6:23: error service-sector: the service 'education-in-detention' belongs to the sector 'education', not 'protection' "
        "(use a protection service, or put this work in a separate education activity)"]),
    "personal-email": (org_c(extra="email: john.smith@gmail.com\n"), [
        f"{O}:6:8: warning personal-data: 'j***@g***.com' looks like a person's address "
        "(use a role address of the organization, such as info@… or coordination@…)"]),
}


@pytest.mark.parametrize("name", CASES)
def test_code_rules(tmp_path, name):
    files, expected = CASES[name]
    assert lint_files(tmp_path, files) == expected


def test_every_kind_of_code_clean(tmp_path):
    files = {**org_c(extra='country: "NO"\nemail: info@example.org\n'),
             **act_2("locations:\n  - area: G1D2\n", "locations:\n  - area: G1D2\n  - area: G1\n  - area: kri\n  - area: IQ\n",
                     "population: [women, juveniles]\n")}
    assert lint_files(tmp_path, files) == []


def test_unknown_sector_does_not_also_report_service_sector(tmp_path):
    assert [p.split(": ")[1] for p in lint_files(tmp_path, act_2("sector: protection", "sector: educaton"))] == ["error unknown-code"]


def test_shipped_codelists_suggest_pcodes(tmp_path):
    """With the real codelists, a mistyped district P-code gets the nearest real ones."""
    import yaml

    from tests.conftest import REPO

    real = {f.stem: yaml.safe_load(f.read_text(encoding="utf-8")) for f in (REPO / "data/codelists").glob("*.yaml")}
    problems = lint_files(tmp_path, act_2("area: G1D2", "area: IQG11Q9"), activities=[], codelists=real)
    assert problems == [f"{A}:8:11: error unknown-code: unknown area 'IQG11Q9' "
                        "(did you mean 'IQG11' (Erbil), 'IQG11Q01' (Al-Zibar) or 'IQG11Q02' (Erbil)?)"]
