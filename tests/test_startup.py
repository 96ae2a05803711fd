"""What a command imports decides how fast it starts: `--help` and a warm query must not load
the heavy libraries they do not use (issue 6: under 0.3 s on the bundled dataset)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def imported(args: list[str], cache: Path) -> set[str]:
    """The modules a run of `ngocoord ARGS` imports, from Python's own -X importtime report."""
    env = dict(os.environ, XDG_CACHE_HOME=str(cache), PYTHONPATH=str(REPO))
    env.pop("NGOCOORD_NO_CACHE", None)
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "ngocoord", *args],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}


def test_help_imports_no_heavy_library(tmp_path):
    modules = imported(["--help"], tmp_path)
    assert not modules & {"yaml", "jsonschema", "jsonschema_rs", "rich", "pydantic", "rapidfuzz", "sqlite3", "ruamel"}


@pytest.mark.parametrize("args", [["gaps", "--region", "kri", "--format", "json"], ["lint", "--format", "json"]])
def test_a_warm_run_reads_the_cache_without_parser_validator_or_pydantic(tmp_path, args):
    argv = [*args, "--data", str(REPO / "data")]
    imported(argv, tmp_path)  # fills the cache
    modules = imported(argv, tmp_path)
    # typer 0.29 coerces every option through pydantic (0.13 s a run): pyproject keeps typer below it
    assert "pydantic" not in modules
    assert not modules & {"jsonschema", "jsonschema_rs", "ruamel", "rich"}


def test_each_command_runs_with_only_its_own_module_imported():
    """The command line imports only the module of the command it runs (ngocoord.cli._invoked):
    every command must still be found, with the same help as in the full app."""
    from typer.testing import CliRunner

    from ngocoord.cli import app  # every command
    import typer.main

    names = sorted(typer.main.get_command(app).commands)
    assert {"lint", "gaps", "duplicates", "import", "new", "report"} <= set(names)
    env = dict(os.environ, PYTHONPATH=str(REPO), COLUMNS="100")
    for name in names:
        alone = subprocess.run([sys.executable, "-m", "ngocoord", name, "--help"], capture_output=True, text=True,
                               env=env, timeout=120)
        full = CliRunner().invoke(app, [name, "--help"], env={"COLUMNS": "100"}, prog_name="ngocoord")
        assert alone.returncode == 0, (name, alone.stderr)
        assert alone.stdout.startswith(f"Usage: python -m ngocoord {name} ") and full.stdout.startswith(f"Usage: ngocoord {name} ")
        assert set(re.findall(r"--[a-z-]+", alone.stdout)) == set(re.findall(r"--[a-z-]+", full.stdout)), name
