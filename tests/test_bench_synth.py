"""bench/synth.py makes valid, deterministic data on the real codelists."""

from __future__ import annotations

import json
import sys

import yaml

from typer.testing import CliRunner

from ngocoord.cli import app
from tests.conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
import synth  # noqa: E402


def test_synthetic_dataset_lints_clean(tmp_path):
    root = synth.generate(tmp_path / "synth", 120, seed=6)
    assert len(list((root / "activities").glob("*.yaml"))) == 120
    assert len(list((root / "organizations").glob("*.yaml"))) == 6
    assert sorted(p.name for p in (root / "codelists").iterdir()) == sorted(p.name for p in (REPO / "data" / "codelists").iterdir())
    result = CliRunner().invoke(app, ["lint", "--data", str(root), "--format", "json", "--as-of", synth.AS_OF])
    assert result.exit_code == 0, result.stdout
    assert json.loads(result.stdout) == {"problems": [], "summary": {"files": 131, "errors": 0, "warnings": 0}}


def test_same_seed_same_bytes(tmp_path):
    a = synth.generate(tmp_path / "a", 30, seed=1)
    b = synth.generate(tmp_path / "b", 30, seed=1)
    c = synth.generate(tmp_path / "c", 30, seed=2)
    files = sorted(p.relative_to(a) for p in a.rglob("*.yaml"))
    assert files == sorted(p.relative_to(b) for p in b.rglob("*.yaml"))
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)
    assert any((a / f).read_bytes() != (c / f).read_bytes() for f in files if (c / f).exists())


def test_a_larger_dataset_gets_a_larger_map_that_lints_clean(tmp_path, monkeypatch):
    monkeypatch.setattr(synth, "DENSITY", 1)  # 300 activities then want 300 districts: more than the real 101
    root = synth.generate(tmp_path / "synth", 300, seed=6)
    areas = yaml.safe_load((root / "codelists" / "areas.yaml").read_text(encoding="utf-8"))
    levels = [a["level"] for a in areas["areas"]]
    assert levels.count(2) == 300 and levels.count(1) == 50  # 6 districts per governorate
    federal = next(r for r in areas["regions"] if r["code"] == "federal")
    assert "IQG50" in federal["members"] and len(federal["members"]) == 15 + 32
    result = CliRunner().invoke(app, ["lint", "--data", str(root), "--format", "json", "--as-of", synth.AS_OF])
    assert result.exit_code == 0, result.stdout
    assert json.loads(result.stdout)["summary"] == {"files": 300 + 15 + 5, "errors": 0, "warnings": 0}
