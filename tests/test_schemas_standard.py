"""The schemas work with any standard validator: every shipped file, and generated records with
dates written unquoted, validate with the real check-jsonschema CLI; and the schemas themselves
are valid JSON Schema 2020-12 documents written for people (with $id, title, descriptions)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ngocoord.load.dataset import document_from_bytes
from tests.conftest import REPO, activity, dump, org

SCHEMAS = REPO / "schemas"
KINDS = {"organizations": "organization", "activities": "activity"}
CODELISTS = {"areas": "areas", "sectors": "sectors", "services": "services", "populations": "populations",
             "org-types": "org-types"}


def check_jsonschema(schema: str, files: list[Path]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--schemafile", str(SCHEMAS / f"{schema}.schema.json"),
                           *map(str, files)], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("folder", KINDS)
def test_every_shipped_record_validates_with_check_jsonschema(folder):
    files = sorted((REPO / "data" / folder).glob("*.yaml"))
    assert len(files) >= 20
    result = check_jsonschema(KINDS[folder], files)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


@pytest.mark.parametrize("name", CODELISTS)
def test_every_shipped_codelist_validates_with_check_jsonschema(name):
    result = check_jsonschema(CODELISTS[name], [REPO / "data" / "codelists" / f"{name}.yaml"])
    assert result.returncode == 0, result.stdout + result.stderr


GENERATED = {
    "organizations/full-org.yaml": ("organization", org(
        "full-org", name="Full Organization", acronym="FO", names={"ar": "منظمة", "ckb": "ڕێکخراو"}, type="ingo",
        country="NO", website="https://example.org", email="info@example.org", member_of=["org-a"],
        sources=[{"title": "Annual report", "url": "https://example.org/report", "date": "2022-12-04"}], notes="Notes.")),
    "organizations/year-only.yaml": ("organization", org("year-only", last_reviewed="2022")),
    "activities/full-activity.yaml": ("activity", activity(
        "full-activity", partners=["org-b"], donors=["org-c"], population=["prisoners", "women"],
        locations=[{"area": "G1D1", "site": "Central prison"}, {"area": "kri"}], start="2022-12", end="2023-06-30",
        beneficiaries={"targeted": 100, "reached": 0}, counterparts=["Ministry of Justice"], sensitive=True,
        sources=[{"title": "Report", "date": "2022"}], coordinated_with=["act-1"], description="Free legal aid.",
        last_reviewed="2022-12-04")),
    "activities/minimal-activity.yaml": ("activity", activity("minimal-activity", start="2021", end="2022")),
}


def _unquote_dates(text: str) -> str:
    """Write dates the way contributors do: 2022-12-04, not '2022-12-04' (safe_dump quotes them)."""
    import re

    return re.sub(r"'(\d{4}(-\d{2}){0,2})'", r"\1", text)


def test_generated_records_with_unquoted_dates_validate_in_both(tmp_path):
    for rel, (kind, record) in GENERATED.items():
        target = tmp_path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_unquote_dates(dump(kind, record)), encoding="utf-8")
    text = (tmp_path / "activities/full-activity.yaml").read_text(encoding="utf-8")
    assert "\nstart: 2022-12\n" in text and "\nlast_reviewed: 2022-12-04\n" in text and "date: 2022\n" in text
    for folder, kind in KINDS.items():
        files = sorted((tmp_path / folder).glob("*.yaml"))
        result = check_jsonschema(kind, files)
        assert result.returncode == 0, result.stdout + result.stderr
        for f in files:
            doc = document_from_bytes(f.read_bytes(), kind, f.name)
            assert doc.valid and doc.problems == [], doc.problems


BROKEN = {
    "unknown-key": ("organization", "id: org-c\nname: C\ntype: nngo\nlast_reviewed: 2022-12-04\nbudget: 5\n"),
    "missing-key": ("organization", "id: org-c\nname: C\nlast_reviewed: 2022-12-04\n"),
    "bad-date": ("organization", "id: org-c\nname: C\ntype: nngo\nlast_reviewed: 12/2022\n"),
    "bad-month": ("organization", "id: org-c\nname: C\ntype: nngo\nlast_reviewed: 2022-13\n"),
    "empty-services": ("activity", "id: a-b\ntitle: T\norganization: o\nsector: s\nservices: []\nlocations: [{area: G1}]\n"
                                   "status: ongoing\nlast_reviewed: 2022\n"),
    "bad-status": ("activity", "id: a-b\ntitle: T\norganization: o\nsector: s\nservices: [x]\nlocations: [{area: G1}]\n"
                               "status: done\nlast_reviewed: 2022\n"),
}


def test_both_validators_refuse_the_same_broken_records(tmp_path):
    for kind in ("organization", "activity"):
        names = [n for n, (k, _t) in BROKEN.items() if k == kind]
        for n in names:
            (tmp_path / f"{n}.yaml").write_text(BROKEN[n][1], encoding="utf-8")
        result = check_jsonschema(kind, [tmp_path / f"{n}.yaml" for n in names])
        assert result.returncode == 1
        for n in names:
            assert f"{n}.yaml::$" in result.stdout, (n, result.stdout)
            problems = document_from_bytes((tmp_path / f"{n}.yaml").read_bytes(), kind, n).problems
            assert {p.rule for p in problems} == {"schema-header", "schema"}, problems


def test_unquoted_no_is_text_for_yaml_1_2_but_false_for_ngocoord(tmp_path):
    """check-jsonschema reads YAML 1.2, where NO is text; PyYAML (and many editors) read YAML 1.1,
    where it is false. ngocoord refuses it, so a file it accepts means the same to both."""
    f = tmp_path / "org-c.yaml"
    f.write_text("id: org-c\nname: C\ntype: nngo\ncountry: NO\nlast_reviewed: 2022\n", encoding="utf-8")
    assert check_jsonschema("organization", [f]).returncode == 0
    problems = document_from_bytes(f.read_bytes(), "organization", "org-c.yaml").problems
    assert [p.message for p in problems if p.rule == "schema"] == ["country must be text, not true/false"]
    f.write_text(f.read_text(encoding="utf-8").replace("NO", '"NO"'), encoding="utf-8")
    assert check_jsonschema("organization", [f]).returncode == 0
    assert [p.rule for p in document_from_bytes(f.read_bytes(), "organization", "org-c.yaml").problems] == ["schema-header"]


SCHEMA_FILES = sorted(SCHEMAS.glob("*.schema.json"))


def test_all_eight_schemas_are_there():
    assert [f.name for f in SCHEMA_FILES] == ["activity.schema.json", "areas.schema.json",
                                              "import-profile.schema.json", "org-types.schema.json",
                                              "organization.schema.json", "populations.schema.json",
                                              "sectors.schema.json", "services.schema.json"]


def test_schemas_are_valid_2020_12_by_check_jsonschema():
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--check-metaschema", *map(str, SCHEMA_FILES)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def _objects(node, where="#"):
    """Every sub-schema that declares properties, with where it is."""
    if isinstance(node, dict):
        if "properties" in node:
            yield where, node
        for k, v in node.items():
            yield from _objects(v, f"{where}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _objects(v, f"{where}/{i}")


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_schema_is_written_for_people(path):
    from jsonschema import Draft202012Validator

    schema = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"urn:ngocoord:schema:{path.name.removesuffix('.schema.json')}"
    assert schema["title"] and len(schema["description"]) > 20
    defs = schema.get("$defs", {})
    for where, obj in _objects(schema):
        assert obj.get("additionalProperties") is False, f"{where} allows unknown keys"
        for key, prop in obj["properties"].items():
            described = prop.get("description") or defs.get(prop.get("$ref", "").rsplit("/", 1)[-1], {}).get("description")
            assert described, f"{path.name}: {where}/properties/{key} has no description"


def test_data_files_point_at_their_schema():
    """The editor header of each shipped file names the schema that check-jsonschema uses above."""
    files = [(f, kind) for folder, kind in KINDS.items() for f in sorted((REPO / "data" / folder).glob("*.yaml"))]
    files += [(REPO / "data" / "codelists" / f"{name}.yaml", kind) for name, kind in CODELISTS.items()]
    for f, kind in files:
        first = f.read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json", f
        assert isinstance(yaml.safe_load(f.read_text(encoding="utf-8")), dict)
