"""The domain layer: one answer to each question (ids, dates, file kinds, formulas), which the
loader, lint, fmt, new and import all call."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ngocoord.domain.dates import is_date, is_real_date
from ngocoord.domain.formulas import safe_cell
from ngocoord.domain.kinds import is_data_name, kind_of
from ngocoord.domain.slugs import MAX_LENGTH, is_slug, slugify


@pytest.mark.parametrize("text, date, real", [
    ("2024", True, True), ("2024-05", True, True), ("2024-05-31", True, True),
    ("2023-02-30", True, False), ("2024-02-29", True, True), ("2023-04-31", True, False),
    ("2024-13", False, True), ("2024-00-10", False, False), ("2024-5-1", False, True),
    ("24-05-01", False, True), ("2024-05-01T00:00", False, True), ("", False, True),
])
def test_dates(text, date, real):
    assert is_date(text) is date
    assert is_real_date(text) is real


@pytest.mark.parametrize("text, slug", [
    ("Legal Aid", "legal-aid"),
    ("Médecins du Monde", "medecins-du-monde"),
    ("  --Al-Amal / Hope!  ", "al-amal-hope"),
    ("منظمة", ""),  # nothing Latin to keep: the caller asks for an id
    ("word-" * 20, "-".join(["word"] * 12)),  # cut at a hyphen, at most 64
    ("x" * 70, "x" * 64),
])
def test_slugify(text, slug):
    assert slugify(text) == slug


@given(st.text())
def test_a_slug_made_from_any_name_is_a_valid_id_or_nothing(text):
    made = slugify(text)
    assert made == "" or (is_slug(made) and len(made) <= MAX_LENGTH)


@pytest.mark.parametrize("text, ok", [("org-a", True), ("a1-b2-c3", True), ("Org-a", False), ("org--a", False),
                                      ("-org", False), ("org_a", False), ("", False)])
def test_is_slug(text, ok):
    assert is_slug(text) is ok


@pytest.mark.parametrize("folder, name, kind", [
    ("organizations", "org-a.yaml", "organization"), ("activities", "act-1.yml", "activity"),
    ("codelists", "areas.yaml", "areas"), ("codelists", "org-types.yaml", "org-types"),
    ("codelists", "other.yaml", None), ("activities", ".yaml", None), ("activities", "act.yaml.bak", None),
    ("notes", "org-a.yaml", None),
])
def test_kind_of(folder, name, kind):
    assert kind_of(folder, name) == kind


def test_data_names():
    assert [n for n in ("a.yaml", "a.yml", ".yaml", "..yml", ".a.yaml", "a.json") if is_data_name(n)] == \
        ["a.yaml", "a.yml", ".a.yaml"]


@pytest.mark.parametrize("value, safe", [("=1+1", "'=1+1"), ("+964 750", "'+964 750"), ("-x", "'-x"), ("@a", "'@a"),
                                         ("\tx", "'\tx"), ("plain", "plain"), (5, 5), (None, None)])
def test_safe_cell(value, safe):
    assert safe_cell(value) == safe
