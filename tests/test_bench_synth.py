"""bench/synth.py makes valid, deterministic data on the real codelists."""

from __future__ import annotations

import json
import sys

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
