"""The schema rule: each kind of schema error gets a plain message at the offending key or value,
and YAML's implicit conversions (NO -> false, yes -> true, 123 -> number, null) are explained."""

import pytest

from tests.lintcase import A, act_2, lint_files, O, org_c


CASES = {
    "missing-required-key": (org_c("type: nngo\n", ""), [
        f"{O}:2:1: error schema: the record is missing the required key 'type' (add a line 'type: …')"]),
    "unknown-key-typo": (org_c(extra="acronyn: OC\n"), [
        f"{O}:6:1: error schema: unknown key 'acronyn' (did you mean 'acronym'?)"]),
    "unknown-key-listed": (org_c(extra="budget: 5\n"), [
        f"{O}:6:1: error schema: unknown key 'budget' (allowed keys: id, name, acronym, names, type, country, website, "
        "email, member_of, last_reviewed, sources, notes)"]),
    "unknown-nested-key": (act_2(extra="beneficiaries:\n  targetted: 5\n"), [
        f"{A}:12:3: error schema: unknown key 'targetted' in beneficiaries (did you mean 'targeted'?)"]),
    "wrong-type-list": (act_2("services: [legal-aid]", "services: legal-aid"), [
        f"{A}:6:11: error schema: services must be a list, not text "
        "(write a list: [a, b] on one line, or each item on its own line starting with '- ')"]),
    "wrong-type-mapping": (act_2("  - area: G1D2", "  - G1D2"), [
        f"{A}:8:5: error schema: locations[0] must be a mapping, not text (write it as 'key: value' lines, starting with 'area: …')"]),
    "wrong-type-boolean": (act_2(extra="sensitive: maybe\n"), [
        f"{A}:11:12: error schema: sensitive must be true or false, not text (write true or false)"]),
    "negative-number": (act_2(extra="beneficiaries:\n  targeted: -3\n"), [
        f"{A}:12:13: error schema: beneficiaries.targeted must be 0 or more, not -3"]),
    "bad-date": (act_2(extra="start: 12/2022\n"), [
        f"{A}:11:8: error schema: start: '12/2022' is not a date (write YYYY-MM-DD, YYYY-MM or YYYY, e.g. 2022-12-04)"]),
    "bad-month": (act_2(extra="start: 2022-13\n"), [
        f"{A}:11:8: error schema: start: '2022-13' is not a date (write YYYY-MM-DD, YYYY-MM or YYYY, e.g. 2022-12-04)"]),
    "impossible-date": (act_2(extra="start: 2023-02-30\n"), [
        f"{A}:11:8: error schema: start: 2023-02-30 is not a real date (check the day and month)"]),
    "bad-id": (org_c("id: org-c", "id: Org_C"), [
        f"{O}:2:5: error schema: id: 'Org_C' is not a valid id "
        "(use lowercase letters, digits and single hyphens, e.g. 'public-aid-organization')"]),
    "bad-enum": (act_2("status: ongoing", "status: ongong"), [
        f"{A}:9:9: error schema: status: 'ongong' is not one of planned, ongoing, completed, suspended, cancelled (did you mean 'ongoing'?)"]),
    "empty-list": (act_2("locations:\n  - area: G1D2", "locations: []"), [
        f"{A}:7:12: error schema: locations needs at least 1 item (add one, e.g. on the next line '  - …'; or remove the key if it is optional)"]),
    "empty-text": (org_c("name: Org C", "name: ''"), [
        f"{O}:3:7: error schema: name is empty (write a value or remove the key)"]),
    "no-value": (act_2("title: Legal aid in Soran", "title:"), [
        f"{A}:3:1: error schema: title has no value (write the value after 'title:' on the same line)"]),
    "yaml-no-is-false": (org_c(extra="country: NO\n"), [
        f"{O}:6:10: error schema: country must be text, not true/false (YAML reads the unquoted NO as false: put it in quotes, \"NO\")"]),
    "yaml-yes-is-true": (org_c("name: Org C", "name: yes"), [
        f"{O}:3:7: error schema: name must be text, not true/false (YAML reads the unquoted yes as true: put it in quotes, \"yes\")"]),
    "yaml-123-is-a-number": (org_c("id: org-c", "id: 123"), [
        f"{O}:2:5: error schema: id must be text, not a whole number (YAML reads the unquoted 123 as a number: put it in quotes, \"123\")"]),
    "yaml-null-is-no-value": (act_2("title: Legal aid in Soran", "title: null"), [
        f"{A}:3:8: error schema: title must be text, not empty (YAML reads the unquoted null as 'no value': put it in quotes, \"null\")"]),
    "country-lowercase": (org_c(extra="country: iq\n"), [
        f"{O}:6:10: error schema: country: 'iq' is not a two-letter country code "
        "(write the ISO 3166-1 code in capitals and in quotes, e.g. \"IQ\" for Iraq, \"NO\" for Norway)"]),
    "website": (org_c(extra="website: www.example.org\n"), [
        f"{O}:6:10: error schema: website: 'www.example.org' is not a web address (write the full address, starting with https://)"]),
    "email": (org_c(extra="email: info(at)example.org\n"), [
        f"{O}:6:8: error schema: email: 'info(at)example.org' is not an e-mail address "
        "(write a role address of the organization, such as info@example.org)"]),
    "language-code": (org_c(extra="names:\n  Arabic: منظمة\n"), [
        f"{O}:7:3: error schema: names: 'Arabic' is not a language code "
        "(use a code such as ar (Arabic), ckb (Sorani Kurdish), kmr (Kurmanji Kurdish) or en (English))"]),
    "source-key-typo": (org_c(extra="sources:\n  - titel: Annual report\n"), [
        f"{O}:7:5: error schema: sources[0] is missing the required key 'title' (add a line 'title: …')",
        f"{O}:7:5: error schema: unknown key 'titel' in sources[0] (did you mean 'title'?)"]),
    "name-instead-of-code": (act_2("sector: protection", "sector: Justice and corrections"), [
        f"{A}:5:9: error schema: sector: 'Justice and corrections' is not a code "
        "(write the code, not the name; run 'ngocoord codes sectors' to find it)"]),
    "key-not-a-word": (org_c(extra="1: x\n"), [
        f"{O}:6:1: error schema: YAML reads the key '1' as the number 1, not as a word "
        "(keys are words such as 'name'; put the key in quotes if it must be kept)"]),
    "key-yes": (org_c(extra="yes: x\n"), [
        f"{O}:6:1: error schema: YAML reads the key 'yes' as true, not as a word "
        "(keys are words such as 'name'; put the key in quotes if it must be kept)"]),
}


@pytest.mark.parametrize("name", CASES)
def test_schema_error_is_explained_at_its_place(tmp_path, name):
    files, expected = CASES[name]
    assert lint_files(tmp_path, files) == expected


CLEAN = {
    "quoted-no": org_c(extra='country: "NO"\n'),
    "quoted-yes": org_c("name: Org C", 'name: "yes"'),
    "all-optional-keys": org_c(extra="acronym: OC\nnames:\n  ar: منظمة\n  ckb: ڕێکخراو\nwebsite: https://example.org\n"
                                     "email: info@example.org\nmember_of: [org-a]\nnotes: A note.\n"
                                     "sources:\n  - title: Annual report\n    url: https://example.org/r\n    date: 2022\n"),
    "dates-partial-and-quoted": act_2("status: ongoing", "status: completed", extra="start: 2022\nend: \"2022-12\"\nbeneficiaries: {targeted: 0, reached: 10}\n"
                                            "sensitive: true\ncounterparts: [Ministry of Justice]\n"
                                            "description: Free legal aid.\n"),
}


@pytest.mark.parametrize("name", CLEAN)
def test_valid_counterpart_has_no_problem(tmp_path, name):
    assert lint_files(tmp_path, CLEAN[name]) == []


def test_schema_errors_do_not_stop_other_files(tmp_path):
    problems = lint_files(tmp_path, {**org_c("type: nngo\n", ""), **act_2("status: ongoing", "status: done")})
    assert [p.split(":")[0] for p in problems] == [A, O]
