"""A non-editable install works from any directory: the wheel carries the schemas and the bundled
dataset, and the installed `ngocoord` finds them with no checkout nearby.

This builds a real wheel (pip fetches the build backend, hatchling, as any user's pip would) and
installs it into a fresh virtual environment. It takes about 30 seconds and runs in CI like every
other test.
"""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO


def run(args, cwd, env=None, timeout=600):
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(wheel, venv, clean environment): the project built as a wheel and installed into a new venv."""
    work = tmp_path_factory.mktemp("install")
    built = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", work / "dist", REPO], cwd=work)
    assert built.returncode == 0, built.stdout + built.stderr
    wheels = sorted((work / "dist").glob("ngocoord-*.whl"))
    assert len(wheels) == 1, wheels
    venv = work / "venv"
    made = run([sys.executable, "-m", "venv", "--system-site-packages", venv], cwd=work)
    assert made.returncode == 0, made.stderr
    # The dependencies already installed for this interpreter (a venv's own, too) are reused, not downloaded.
    purelib = run([venv / "bin/python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=work).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], *site.getsitepackages()}
    Path(purelib, "_reuse_test_dependencies.pth").write_text("\n".join(sorted(ours)) + "\n", encoding="utf-8")
    # --ignore-installed: where ngocoord is already installed among the reused packages (as in CI's
    # venv), pip would call it satisfied and install nothing; the wheel must land in this venv.
    pip = run([venv / "bin/python", "-m", "pip", "install", "--no-deps", "--ignore-installed", "--quiet", wheels[0]], cwd=work)
    assert pip.returncode == 0, pip.stdout + pip.stderr
    env = {k: v for k, v in os.environ.items() if k not in ("NGOCOORD_DATA", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "PYTHONPATH")}
    env["XDG_CACHE_HOME"] = str(work / "cache")
    return wheels[0], venv, env


@pytest.fixture
def elsewhere(tmp_path):
    """A directory with no dataset in it or above it."""
    assert not any((p / "data" / "organizations").is_dir() for p in (tmp_path, *tmp_path.parents))
    return tmp_path


def test_wheel_carries_schemas_and_dataset(installed):
    wheel, _venv, _env = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    schemas = {n.rsplit("/", 1)[1] for n in names if n.startswith("ngocoord/_bundled/schemas/") and n.endswith(".json")}
    assert {"organization.schema.json", "activity.schema.json", "areas.schema.json", "sectors.schema.json",
            "services.schema.json", "populations.schema.json", "org-types.schema.json"} <= schemas
    for folder in ("organizations", "activities", "codelists"):
        shipped = {f"ngocoord/_bundled/data/{folder}/{f.name}" for f in (REPO / "data" / folder).glob("*.yaml")}
        assert shipped and shipped <= names, folder
    assert "ngocoord/cli.py" in names


def test_installed_package_is_the_wheel_not_the_checkout(installed, elsewhere):
    _wheel, venv, env = installed
    result = run([venv / "bin/python", "-c", "import ngocoord, ngocoord.resources as r; print(ngocoord.__file__); print(r.schema_dir())"],
                 cwd=elsewhere, env=env)
    module, schemas = result.stdout.split()
    assert module.startswith(str(venv)) and schemas.startswith(str(venv)) and schemas.endswith("_bundled/schemas"), result.stdout


def test_lint_from_any_directory_uses_the_bundled_dataset(installed, elsewhere):
    _wheel, venv, env = installed
    result = run([venv / "bin/ngocoord", "lint", "--format", "json"], cwd=elsewhere, env=env)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr
    report = json.loads(result.stdout)
    assert report["summary"]["errors"] == 0
    from ngocoord.load.dataset import dataset_files

    assert report["summary"]["files"] == len(dataset_files(REPO / "data"))
    assert all("/_bundled/data/" in p["path"] for p in report["problems"])
    text = run([venv / "bin/ngocoord", "lint"], cwd=elsewhere, env=env)
    assert text.returncode == 0 and text.stdout.splitlines()[-1].endswith(" warnings") and text.stderr == ""


def test_codes_from_any_directory(installed, elsewhere):
    _wheel, venv, env = installed
    result = run([venv / "bin/ngocoord", "codes", "areas", "--region", "kri", "--format", "json"], cwd=elsewhere, env=env)
    assert result.returncode == 0, result.stderr
    areas = json.loads(result.stdout)["areas"]
    codes = [a["code"] for a in areas]
    assert codes[0] == "kri"
    assert {"IQG06", "IQG09", "IQG11"} <= set(codes) and "IQG13" not in codes  # Baghdad is not in the KRI
    assert all(c == "kri" or c[:5] in ("IQG06", "IQG09", "IQG11") for c in codes)


def test_unknown_region_is_a_usage_error_from_the_install(installed, elsewhere):
    _wheel, venv, env = installed
    result = run([venv / "bin/ngocoord", "codes", "areas", "--region", "kurdistn"], cwd=elsewhere, env=env)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("ngocoord: error: unknown place 'kurdistn'") and "did you mean" in result.stderr
    assert "Traceback" not in result.stderr


def test_init_from_the_install_uses_the_p_code_list_in_the_wheel(installed, elsewhere):
    wheel, venv, env = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"ngocoord/reference/global-pcodes-adm-1-2.csv.gz", "ngocoord/reference/LICENSE-global-pcodes.txt",
            "ngocoord/forum_files/lint.yml", "ngocoord/forum_files/codelists/sectors.yaml"} <= names
    # what init adds to the wheel: the compressed P-code list and the new forum's files, well under 1 MB
    added = sum(i.compress_size for i in zipfile.ZipFile(wheel).infolist()
                if i.filename.startswith(("ngocoord/reference/", "ngocoord/forum_files/")))
    assert added < 400_000
    made = run([venv / "bin/ngocoord", "init", "forum", "--country", "ETH"], cwd=elsewhere, env=env)
    assert made.returncode == 0, made.stderr
    assert made.stderr.startswith("Wrote a dataset for Ethiopia (ETH) in forum: ")
    lint = run([venv / "bin/ngocoord", "lint"], cwd=elsewhere / "forum", env=env)
    assert lint.returncode == 0 and lint.stdout == "5 files checked: 0 errors, 0 warnings\n", lint.stdout + lint.stderr
