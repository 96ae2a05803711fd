"""Records built from validated data: dates given as a bare year become ISO text."""

from ngocoord.model import Activity, Organization, normalized

ACTIVITY = {"id": "a", "title": "T", "organization": "o", "sector": "protection", "services": ["legal-aid"],
            "locations": [{"area": "IQG01"}], "status": "ongoing", "last_reviewed": "2026-01-02",
            "sources": [{"title": "S", "date": "2025-03"}]}


def test_a_record_without_bare_years_is_kept_as_loaded():
    assert normalized(ACTIVITY) is ACTIVITY


def test_bare_years_become_text_wherever_a_date_may_be():
    data = {**ACTIVITY, "start": 2019, "end": 2027, "last_reviewed": 2026,
            "sources": [{"title": "S", "date": 2024}, {"title": "T", "date": "2025-03"}]}
    out = normalized(data)
    assert (out["start"], out["end"], out["last_reviewed"]) == ("2019", "2027", "2026")
    assert out["sources"] == [{"title": "S", "date": "2024"}, {"title": "T", "date": "2025-03"}]
    assert data["start"] == 2019 and data["sources"][0]["date"] == 2024  # what was loaded is not changed


def test_records_read_partial_dates_as_periods():
    act = Activity.from_data({**ACTIVITY, "start": 2019, "end": "2027-02"}, "a.yaml")
    assert (str(act.start), str(act.end)) == ("2019-01-01", "2027-02-28")
    assert act.raw["start"] == "2019"
    org = Organization.from_data({"id": "o", "name": "O", "type": "ngo", "last_reviewed": 2025}, "o.yaml")
    assert str(org.last_reviewed) == "2025-12-31" and org.raw["last_reviewed"] == "2025"
