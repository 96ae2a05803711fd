"""Shared fixtures: small hand-built datasets written to a temporary folder."""

from __future__ import annotations

import fnmatch
import os
import shutil
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent

# A tiny codelist set, independent of the shipped one, so tests state every fact they rely on.
TINY_CODELISTS = {
    "areas": {
        "areas": [
            {"code": "IQ", "name": "Iraq", "level": 0},
            {"code": "G1", "name": "Erbil", "level": 1, "parent": "IQ", "aliases": ["Arbil", "Hawler", "IQ-AR"]},
            {"code": "G2", "name": "Duhok", "level": 1, "parent": "IQ", "aliases": ["Dahuk"]},
            {"code": "G3", "name": "Baghdad", "level": 1, "parent": "IQ"},
            {"code": "G1D1", "name": "Erbil", "level": 2, "parent": "G1"},
            {"code": "G1D2", "name": "Soran", "level": 2, "parent": "G1"},
            {"code": "G2D1", "name": "Zakho", "level": 2, "parent": "G2"},
            {"code": "G3D1", "name": "Karkh", "level": 2, "parent": "G3"},
        ],
        "regions": [
            {"code": "kri", "name": "Kurdistan Region of Iraq", "members": ["G1", "G2"], "aliases": ["KRI"]},
            {"code": "federal", "name": "Federal Iraq", "members": ["G3"]},
        ],
    },
    "sectors": {"sectors": [{"code": "protection", "name": "Protection"}, {"code": "education", "name": "Education"},
                            {"code": "justice", "name": "Justice and corrections"}]},
    "services": {"services": [
        {"code": "legal-aid", "name": "Legal aid", "sector": "protection"},
        {"code": "psychosocial-support", "name": "Psychosocial support", "sector": "protection"},
        {"code": "education-in-detention", "name": "Education in detention", "sector": "education"},
        {"code": "correctional-staff-training", "name": "Training of correctional staff", "sector": "justice"},
    ]},
    "populations": {"populations": [{"code": "prisoners", "name": "Prisoners"}, {"code": "women", "name": "Women"},
                                    {"code": "juveniles", "name": "Juveniles"}]},
    "org-types": {"org_types": [{"code": "ingo", "name": "International NGO", "iati_code": "21"},
                                {"code": "nngo", "name": "National NGO", "iati_code": "22"},
                                {"code": "donor", "name": "Donor", "iati_code": "90"}]},
}


def org(id: str, **fields) -> dict:
    return {"id": id, "name": fields.pop("name", id.replace("-", " ").title()), "type": fields.pop("type", "nngo"),
            "last_reviewed": fields.pop("last_reviewed", "2026-06-01"), **fields}


def activity(id: str, **fields) -> dict:
    return {"id": id, "title": fields.pop("title", id.replace("-", " ")), "organization": fields.pop("organization", "org-a"),
            "sector": fields.pop("sector", "protection"), "services": fields.pop("services", ["legal-aid"]),
            "locations": fields.pop("locations", [{"area": "G1D1"}]), "status": fields.pop("status", "ongoing"),
            "last_reviewed": fields.pop("last_reviewed", "2026-06-01"), **fields}


def dump(kind: str, data) -> str:
    header = f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json\n"
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def write_dataset(root: Path, organizations=(), activities=(), codelists=None) -> Path:
    """A dataset folder with these records (dicts) and the tiny codelists (or the ones given)."""
    for sub in ("organizations", "activities", "codelists"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    for name, content in (codelists or TINY_CODELISTS).items():
        (root / "codelists" / f"{name}.yaml").write_text(dump(name, content), encoding="utf-8")
    for record in organizations:
        (root / "organizations" / f"{record['id']}.yaml").write_text(dump("organization", record), encoding="utf-8")
    for record in activities:
        (root / "activities" / f"{record['id']}.yaml").write_text(dump("activity", record), encoding="utf-8")
    return root


def pytest_configure(config):
    config.addinivalue_line("markers", "requires(*tools): the test drives these programs (a|b: either one); "
                                       "without them it skips, but under CI, which installs them, it fails")


def pytest_ignore_collect(collection_path, config):
    """A mutation pass (bench/mutate.sh) runs its own test files only: NGOCOORD_MUTATION_TESTS holds
    their name patterns. (The set is chosen here, not on the command line, so that a new test file
    does not change mutmut's configuration, which would make it test every mutant again.)"""
    patterns = os.environ.get("NGOCOORD_MUTATION_TESTS")
    if patterns and collection_path.suffix == ".py" and collection_path.name.startswith("test_"):
        if not any(fnmatch.fnmatch(collection_path.name, pattern) for pattern in patterns.split()):
            return True
    return None


def unavailable(reason: str):
    """Skip for a missing tool or service, except under CI (.ci/run and GitHub set CI), which
    guarantees them: there the test fails, so coverage never vanishes as a quiet skip."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}, and CI must run this test (.ci/run and .github/workflows/tests.yml install it)",
                    pytrace=False)
    pytest.skip(reason)


def pytest_runtest_setup(item):
    for mark in item.iter_markers("requires"):
        missing = [tool for tool in mark.args if not any(shutil.which(name) for name in tool.split("|"))]
        if missing:
            unavailable(f"{' and '.join(missing)} not found on PATH")


@pytest.fixture
def plain_git(monkeypatch, tmp_path_factory):
    """No user or system git configuration, and a fixed author: the same git behaviour on every
    machine (a test file that runs git takes it with `pytest.mark.usefixtures("plain_git")`)."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path_factory.mktemp("gitconfig") / "none"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name, value in (("NAME", "CI"), ("EMAIL", "ci@example.org")):
        monkeypatch.setenv(f"GIT_AUTHOR_{name}", value)
        monkeypatch.setenv(f"GIT_COMMITTER_{name}", value)


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch):
    """Every test gets its own empty cache directory: tests never read or write the user's cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
    monkeypatch.delenv("NGOCOORD_NO_CACHE", raising=False)


@pytest.fixture
def tiny(tmp_path):
    """A valid small dataset: two organizations and one activity."""
    return write_dataset(tmp_path / "data", [org("org-a"), org("org-b", type="ingo")], [activity("act-1")])
