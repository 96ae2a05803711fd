"""personal-data: phone numbers and people's e-mail addresses found exactly; dates, years, counts,
P-codes, identifiers and URLs never mistaken for them."""

from __future__ import annotations

import pytest

from ngocoord.rules.personal_data import emails, is_role_address, phones
from tests.lintcase import A, ACT_2, lint_files, O, ORG_C


@pytest.mark.parametrize("text, found", [
    ("Call +964 750 123 4567 for help", ["+964 750 123 4567"]),
    ("+9647501234567", ["+9647501234567"]),
    ("phone 00964-770-1234567", ["00964-770-1234567"]),
    ("call 0750 123 4567", ["0750 123 4567"]),
    ("07701234567", ["07701234567"]),
    ("0770-123-4567.", ["0770-123-4567"]),
    ("Tel: (0750) 123-4567", ["(0750) 123-4567"]),
    ("Erbil office +964 66 222 3344", ["+964 66 222 3344"]),
    ("London +44 20 7946 0958, Washington +1 (202) 555-0143", ["+44 20 7946 0958", "+1 (202) 555-0143"]),
    ("0044 20 7946 0958", ["0044 20 7946 0958"]),
])
def test_phone_numbers_found(text, found):
    assert list(phones(text)) == found


@pytest.mark.parametrize("text", [
    "2023-02-30", "from 2019-2023", "2019 – 2023", "2023/02/28", "28.02.2023", "reached 12,000 people",
    "1 200 000 beneficiaries", "12 345 678 people", "targeted 3400 of 15000", "IQG11Q02", "IQG06Q05 and IQG11Q02",
    "https://example.org/news/+964750123456", "www.example.org/07501234567", "version 1.2.3.4",
    "ISBN 978-3-16-148410-0", "GB-COH-12345678", "XM-DAC-41114-PROJECT-00012345", "Resolution 2379 (2017)",
    "Law No. 28 of 2012", "+25% since 2021", "doc 0750/2023",
])
def test_no_false_phone_numbers(text):
    assert list(phones(text)) == []


@pytest.mark.parametrize("address, org_id, names, role", [
    ("info@example.org", "", (), True),
    ("coordination.erbil@example.org", "", (), True),
    ("hr@example.org", "", (), True),
    ("jobs@example.org", "", (), True),
    ("harikar.ngo@gmail.com", "harikar", ("Harikar",), True),
    ("bintalrafidain2004@yahoo.com", "bint-al-rafidain", ("Bint Al-Rafidain Organization",), True),
    ("alamal.iraq@yahoo.com", "al-amal", ("Al-Amal Association",), True),
    ("john.smith@gmail.com", "", (), False),
    ("john.smith.drc@drc.ngo", "drc", ("Danish Refugee Council", "DRC"), False),
    ("ismail.ahmed@example.org", "", (), False),  # 'mail' inside a name is not a role
    ("christopher@example.org", "", (), False),   # nor 'hr'
    ("ahmed1990@example.org", "", (), False),
])
def test_role_addresses(address, org_id, names, role):
    assert is_role_address(address, org_id, names) is role


def test_emails_in_text():
    assert emails("write to john.smith@gmail.com or info@org.org. mailto:a@b.co; not @handle or a@b") == [
        "john.smith@gmail.com", "info@org.org", "a@b.co"]


HINT_PHONE = "(remove it: the dataset is public and keeps no phone numbers)"
HINT_MAIL = "(remove it: the dataset is public; put the organization's role address in 'email')"


def test_org_email_must_be_a_role_address(tmp_path):
    files = {"organizations/org-c.yaml": ORG_C + "email: ahmed.ali@yahoo.com\n"}
    assert lint_files(tmp_path, files) == [
        f"{O}:6:8: warning personal-data: 'a***@y***.com' looks like a person's address "
        "(use a role address of the organization, such as info@… or coordination@…)"]


def test_org_email_named_after_the_organization_is_fine(tmp_path):
    files = {"organizations/org-c.yaml": ORG_C + "email: orgc.iraq@gmail.com\n"}
    assert lint_files(tmp_path, files) == []


def test_free_text_fields(tmp_path):
    files = {"activities/act-2.yaml": ACT_2 + (
        "description: Ask Ahmed on 0750 123 4567 or ahmed.ali@gmail.com; the office is info@org-a.org.\n"
        "counterparts: [Directorate of Prisons (+964 66 222 3344)]\n")}
    assert lint_files(tmp_path, files) == [
        f"{A}:11:14: warning personal-data: description contains a person's e-mail address (a***@g***.com) {HINT_MAIL}",
        f"{A}:11:14: warning personal-data: description contains a phone number (xxxx xxx xx67) {HINT_PHONE}",
        f"{A}:12:16: warning personal-data: counterparts contains a phone number (+xxx xx xxx xx44) {HINT_PHONE}",
    ]


def test_site_and_sources_titles_checked_but_not_source_urls(tmp_path):
    files = {"activities/act-2.yaml": ACT_2.replace("  - area: G1D2\n", "  - area: G1D2\n    site: Soran prison, ask for 07701234567\n") + (
        "sources:\n  - title: Report 2023-02-28 by john.doe@example.org\n"
        "    url: https://example.org/report/07701234567?contact=john.doe@example.org\n    date: 2023-02-28\n")}
    assert lint_files(tmp_path, files) == [
        f"{A}:9:11: warning personal-data: locations contains a phone number (xxxxxxxxx67) {HINT_PHONE}",
        f"{A}:13:12: warning personal-data: sources contains a person's e-mail address (j***@e***.org) {HINT_MAIL}",
    ]


def test_dates_counts_pcodes_and_urls_are_not_personal_data(tmp_path):
    files = {"activities/act-2.yaml": ACT_2 + (
        "start: 2019-01\nend: 2026-12-31\nbeneficiaries: {targeted: 15000000, reached: 12345678}\n"
        "description: Between 2019-2023 it reached 12,000 people (1 200 000 overall) in IQG11Q02; see "
        "https://example.org/a/+964750123456 and Law No. 28 of 2012.\n")}
    assert lint_files(tmp_path, files) == []
