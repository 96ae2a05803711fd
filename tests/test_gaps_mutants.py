"""gaps: the corners of the coverage matrix the other gaps tests leave open, each worked out by hand
on the tiny codelists (kri = Erbil G1 [districts G1D1, G1D2] + Duhok G2 [G2D1]; federal = Baghdad
G3 [G3D1]; the country IQ holds them all). Day: 2026-07-01.
"""

from __future__ import annotations

import datetime as dt
import json

from typer.testing import CliRunner

from conftest import activity, org, write_dataset
from ngocoord.analysis.gaps import Coverage, CoverageRow, coverage
from ngocoord.cli import app
from ngocoord.load.dataset import load_dataset

DAY = dt.date(2026, 7, 1)


def load(tmp_path, activities, orgs=(org("org-a"), org("org-b"), org("org-c"))):
    return load_dataset(write_dataset(tmp_path / "data", list(orgs), activities), as_of=DAY)


def test_unspecified_lists_sector_level_work_inside_the_region_or_at_a_place_holding_it(tmp_path):
    """A sector-level activity (no services) is unspecified for the region when one of its places
    lies within the region (G1D1, G2) or holds the region (IQ), and not when it lies elsewhere (G3D1)."""
    ds = load(tmp_path, [
        activity("in-district", services=[], locations=[{"area": "G1D1"}]),
        activity("in-governorate", services=[], locations=[{"area": "G2"}]),
        activity("country-wide", services=[], locations=[{"area": "IQ"}]),
        activity("elsewhere", services=[], locations=[{"area": "G3D1"}]),
        activity("other-sector", sector="education", services=[], locations=[{"area": "G1D1"}]),
    ])
    cov = coverage(ds, "kri", sector="protection", as_of=DAY)
    assert cov.unspecified == ["country-wide", "in-district", "in-governorate"]
    assert cov.unlocated == []
    assert [r.counts for r in cov.rows] == [{"legal-aid": 0, "psychosocial-support": 0}] * 2


def test_unspecified_for_a_district_includes_work_at_its_governorate(tmp_path):
    ds = load(tmp_path, [
        activity("governorate-wide", services=[], locations=[{"area": "G1"}]),
        activity("next-district", services=[], locations=[{"area": "G1D2"}]),
    ])
    cov = coverage(ds, "G1D1", sector="protection", level=2, as_of=DAY)
    assert cov.unspecified == ["governorate-wide"]


# kri by protection services on 2026-07-01:
#   fresh-legal   org-a             legal-aid     G1D1   reviewed 2026-06-01           counted in G1
#   old-psych     org-b + org-c     psychosocial  G2D1   reviewed 2025-06-30 (366 d)   counted in G2, stale
#   sector-only   org-c             (no service)  G1     active since 2026-01          unspecified
#   region-wide   org-a             legal-aid     kri                                  unlocated
#   finished      org-b             legal-aid     G2D1   completed                     nowhere
#   finished-sl   org-b             (no service)  G2D1   completed                     nowhere
#   teaching      org-c             education     G1D1   other sector                  nowhere
#   far-away      org-b             legal-aid     G3D1   outside kri                   nowhere
MATRIX = [
    activity("fresh-legal", organization="org-a", locations=[{"area": "G1D1"}], last_reviewed="2026-06-01"),
    activity("old-psych", organization="org-b", partners=["org-c"], services=["psychosocial-support"],
             locations=[{"area": "G2D1"}], last_reviewed="2025-06-30"),
    activity("sector-only", organization="org-c", services=[], locations=[{"area": "G1"}], start="2026-01"),
    activity("region-wide", organization="org-a", locations=[{"area": "kri"}]),
    activity("finished", organization="org-b", locations=[{"area": "G2D1"}], status="completed", end="2026-03"),
    activity("finished-sl", organization="org-b", services=[], locations=[{"area": "G2D1"}], status="completed",
             end="2026-03"),
    activity("teaching", organization="org-c", sector="education", services=["education-in-detention"],
             locations=[{"area": "G1D1"}]),
    activity("far-away", organization="org-b", locations=[{"area": "G3D1"}]),
]


def test_every_field_of_a_service_matrix(tmp_path):
    cov = coverage(load(tmp_path, MATRIX), "kri", sector="protection", as_of=DAY)
    assert cov == Coverage(
        region="kri", as_of=DAY, level=1, min_orgs=1, sector="protection",
        columns=["legal-aid", "psychosocial-support"],
        column_names={"legal-aid": "Legal aid", "psychosocial-support": "Psychosocial support"},
        rows=[CoverageRow("G1", "Erbil", {"legal-aid": 1, "psychosocial-support": 0}),
              CoverageRow("G2", "Duhok", {"legal-aid": 0, "psychosocial-support": 2})],
        gaps=[("G1", "psychosocial-support"), ("G2", "legal-aid")],
        thin=[("G1", "legal-aid")],
        unlocated=["region-wide"], unspecified=["sector-only"],
        stale=[("G2", "psychosocial-support")],
        counted=["fresh-legal", "old-psych"], counted_stale=["old-psych"])


def test_every_field_of_a_sector_matrix_with_min_orgs(tmp_path):
    cov = coverage(load(tmp_path, MATRIX), "kri", as_of=DAY, min_orgs=2)
    assert cov == Coverage(
        region="kri", as_of=DAY, level=1, min_orgs=2, sector=None,
        columns=["protection", "education", "justice"],
        column_names={"protection": "Protection", "education": "Education", "justice": "Justice and corrections"},
        rows=[CoverageRow("G1", "Erbil", {"protection": 2, "education": 1, "justice": 0}),
              CoverageRow("G2", "Duhok", {"protection": 2, "education": 0, "justice": 0})],
        gaps=[("G1", "education"), ("G1", "justice"), ("G2", "education"), ("G2", "justice")],
        thin=[("G1", "protection"), ("G2", "protection")],
        unlocated=["region-wide"], unspecified=[],
        stale=[("G2", "protection")],
        counted=["fresh-legal", "old-psych", "sector-only", "teaching"], counted_stale=["old-psych"])


def test_min_orgs_defaults_to_one(tmp_path):
    cov = coverage(load(tmp_path, MATRIX), "kri", as_of=DAY)
    assert cov.min_orgs == 1
    assert cov.gaps == [("G1", "justice"), ("G2", "education"), ("G2", "justice")]
    assert cov.thin == [("G1", "education")]


def test_the_json_of_a_service_matrix(tmp_path):
    data = write_dataset(tmp_path / "data", [org("org-a"), org("org-b"), org("org-c")], MATRIX)
    result = CliRunner().invoke(app, ["gaps", "--data", str(data), "--region", "KRI", "--sector", "protection",
                                      "--as-of", "2026-07-01", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "region": "kri", "as_of": "2026-07-01", "level": 1,
        "columns": ["legal-aid", "psychosocial-support"],
        "rows": [{"area": "G1", "name": "Erbil", "counts": {"legal-aid": 1, "psychosocial-support": 0}},
                 {"area": "G2", "name": "Duhok", "counts": {"legal-aid": 0, "psychosocial-support": 2}}],
        "gaps": [{"area": "G1", "column": "psychosocial-support"}, {"area": "G2", "column": "legal-aid"}],
        "thin": [{"area": "G1", "column": "legal-aid"}],
        "unlocated": ["region-wide"],
        "unspecified": ["sector-only"],
        "stale": [{"area": "G2", "column": "psychosocial-support"}],
    }


def test_the_json_of_a_sector_matrix_has_no_unspecified_key(tmp_path):
    cov = coverage(load(tmp_path, MATRIX), "kri", as_of=DAY)
    assert "unspecified" not in cov.to_json()
    assert list(cov.to_json()) == ["region", "as_of", "level", "columns", "rows", "gaps", "thin", "unlocated", "stale"]
