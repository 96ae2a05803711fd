"""ngocoord init: a lint-clean dataset for every country of the global P-code list, its areas
exactly that country's rows; unknown countries and non-empty folders refused; nothing half-written."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from ngocoord.cli import app
from ngocoord.load.dataset import load_dataset
from ngocoord.write.forum import find_country, init_forum
from ngocoord.check.lint import lint_dataset
from ngocoord.load.pcodes import BUNDLED
from tests.conftest import REPO, unavailable

runner = CliRunner()
DAY = dt.date(2026, 6, 1)
# shared/ lies beside the checkout (or beside its worktrees' folder)
SHARED_COPY = next((p for p in (REPO.parent / "shared", REPO.parent.parent / "shared")
                    if (p / "reference" / "global-pcodes-adm-1-2.csv").exists()), REPO.parent / "shared") \
    / "reference" / "global-pcodes-adm-1-2.csv"


def _rows_by_country() -> dict[str, list[dict]]:
    """The bundled list read here with the csv module alone, not through ngocoord.load.pcodes."""
    with gzip.open(BUNDLED, "rt", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    by_country: dict[str, list[dict]] = {}
    for r in rows:
        by_country.setdefault(r["Location"], []).append(r)
    return by_country


ROWS = _rows_by_country()


@pytest.fixture(scope="module")
def forums(tmp_path_factory):
    return tmp_path_factory.mktemp("forums")


@pytest.mark.parametrize("alpha_3", sorted(ROWS))
def test_every_country_lints_clean_with_exactly_its_rows(forums, alpha_3):
    made = init_forum(forums / alpha_3, alpha_3, today=DAY)
    ds = load_dataset(made.root / "data", as_of=DAY)
    assert lint_dataset(ds).problems == []
    alpha_2 = made.country.alpha_2
    areas = {code: (e.level, e.parent, e.name) for code, e in ds.codelists.areas.items()}
    expected = {r["P-Code"]: (int(r["Admin Level"]), alpha_2 if r["Admin Level"] == "1" else r["Parent P-Code"],
                              r["Name"] or r["P-Code"]) for r in ROWS[alpha_3]}
    assert areas.pop(alpha_2) == (0, None, made.country.name)
    assert areas == expected
    assert made.areas == len(expected)


def test_iraq_has_the_bundled_datasets_governorates_and_districts(tmp_path):
    init_forum(tmp_path / "forum", "IRQ", today=DAY)
    made = yaml.safe_load((tmp_path / "forum/data/codelists/areas.yaml").read_text(encoding="utf-8"))["areas"]
    bundled = yaml.safe_load((REPO / "data/codelists/areas.yaml").read_text(encoding="utf-8"))["areas"]

    def facts(areas, level):
        return {(a["code"], a["name"], a.get("parent")) for a in areas if a["level"] == level}

    assert len(facts(made, 1)) == 18 and len(facts(made, 2)) == 101
    for level in (0, 1, 2):
        assert facts(made, level) == facts(bundled, level)


def test_the_bundled_list_is_the_reference_copy_unchanged():
    if not SHARED_COPY.exists():
        pytest.skip("the shared reference folder is not beside this checkout")
    with gzip.open(BUNDLED, "rb") as f:
        assert f.read() == SHARED_COPY.read_bytes()
    assert (BUNDLED.parent / "LICENSE-global-pcodes.txt").read_text(encoding="utf-8").count(
        "Copyright (c) 2016 Michael Rans") == 1


def test_areas_yaml_cites_its_source_in_the_header(tmp_path):
    init_forum(tmp_path / "forum", "TCD", today=DAY)
    text = (tmp_path / "forum/data/codelists/areas.yaml").read_text(encoding="utf-8")
    header = text.split("\nareas:")[0]
    assert header.startswith("# yaml-language-server: $schema=../../schemas/areas.schema.json\n")
    for fact in ("OCHA-DAP/hdx-python-country", "fixtures-download-global-pcodes-adm-1-2.csv", "commit b40de354",
                 "MIT licence", "Chad's rows are valid from", "on 2026-06-01"):
        assert fact in header


@pytest.mark.parametrize("given", ["SOM", "som", "SO", "so", "Somalia", "SOMALIA", " somalia "])
def test_the_country_by_either_code_or_name_in_any_case(given):
    assert (find_country(given).alpha_3, find_country(given).alpha_2, find_country(given).name) == ("SOM", "SO", "Somalia")


@pytest.mark.parametrize(("given", "alpha_3"), [("cote d'ivoire", "CIV"), ("Côte d’Ivoire", "CIV"), ("bolivia", "BOL"),
                                                 ("Iran", "IRN"), ("Congo, The Democratic Republic of the", "COD")])
def test_names_without_accents_and_common_names(given, alpha_3):
    assert find_country(given).alpha_3 == alpha_3


def test_through_the_cli_the_new_forum_lints_and_is_canonical(tmp_path):
    result = runner.invoke(app, ["init", str(tmp_path / "forum"), "--country", "somalia", "--name", "Somalia NGO Consortium"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr.startswith(f"Wrote a dataset for Somalia (SOM) in {tmp_path / 'forum'}: 92 areas with P-codes")
    root = tmp_path / "forum"
    assert sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) == sorted([
        ".github/workflows/lint.yml", ".gitignore", ".pre-commit-config.yaml", "README.md", "requirements.txt",
        "data/activities/.gitkeep", "data/organizations/.gitkeep",
        *(f"data/codelists/{n}.yaml" for n in ("areas", "sectors", "services", "populations", "org-types")),
        *(f"schemas/{p.name}" for p in (REPO / "schemas").glob("*.schema.json"))])
    assert (root / "README.md").read_text(encoding="utf-8").startswith("# Somalia NGO Consortium\n")
    lint = runner.invoke(app, ["lint", "--data", str(root / "data"), "--format", "json", "--no-cache"])
    assert lint.exit_code == 0
    assert json.loads(lint.stdout) == {"problems": [], "summary": {"files": 5, "errors": 0, "warnings": 0}}
    fmt = runner.invoke(app, ["fmt", "--check", "--data", str(root / "data"), "--no-cache"])
    assert fmt.exit_code == 0, fmt.output


def test_an_unknown_country_is_refused_with_close_names(tmp_path):
    result = runner.invoke(app, ["init", str(tmp_path / "forum"), "--country", "Somalai"])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == "ngocoord: error: unknown country 'Somalai': did you mean 'Somalia' (SOM)?\n"
    assert not (tmp_path / "forum").exists()
    far = runner.invoke(app, ["init", str(tmp_path / "forum"), "--country", "XQZ"])
    assert far.exit_code == 2
    assert far.stderr == ("ngocoord: error: unknown country 'XQZ': give its ISO 3166 code (e.g. SOM or SO) "
                          "or its English name\n")


def test_a_non_empty_folder_is_refused_and_left_alone(tmp_path):
    (tmp_path / "forum").mkdir()
    (tmp_path / "forum" / "notes.txt").write_text("mine", encoding="utf-8")
    result = runner.invoke(app, ["init", str(tmp_path / "forum"), "--country", "TCD"])
    assert result.exit_code == 2
    assert result.stderr == (f"ngocoord: error: {tmp_path / 'forum'} is not empty: init writes a new dataset only "
                             "into an empty or new folder\n")
    assert [p.name for p in (tmp_path / "forum").iterdir()] == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["forum"]  # no temporary folder left behind


def test_a_file_is_refused(tmp_path):
    (tmp_path / "forum").write_text("", encoding="utf-8")
    result = runner.invoke(app, ["init", str(tmp_path / "forum"), "--country", "TCD"])
    assert result.exit_code == 2
    assert result.stderr == f"ngocoord: error: {tmp_path / 'forum'} exists and is not a folder\n"


def test_an_empty_folder_is_filled(tmp_path):
    (tmp_path / "forum").mkdir()
    result = runner.invoke(app, ["init", str(tmp_path / "forum"), "--country", "ETH"])
    assert result.exit_code == 0
    assert (tmp_path / "forum/data/codelists/areas.yaml").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["forum"]


def test_an_interrupted_init_leaves_nothing(tmp_path, monkeypatch):
    written = []
    real = Path.write_bytes

    def failing(self, data):
        written.append(self)
        if len(written) == 5:
            raise KeyboardInterrupt
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing)
    with pytest.raises(KeyboardInterrupt):
        init_forum(tmp_path / "forum", "SOM", today=DAY)
    assert list(tmp_path.iterdir()) == []


def test_a_country_without_p_codes_gets_the_country_alone(tmp_path):
    result = runner.invoke(app, ["init", str(tmp_path / "forum"), "--country", "FR"])
    assert result.exit_code == 0
    assert result.stderr.startswith("warning: the global P-code list shipped with ngocoord has no areas for France: "
                                    "areas.yaml lists only the country; add its COD with 'ngocoord codes update-areas FILE'\n")
    areas = yaml.safe_load((tmp_path / "forum/data/codelists/areas.yaml").read_text(encoding="utf-8"))
    assert areas == {"areas": [{"code": "FR", "name": "France", "level": 0, "aliases": ["FRA", "French Republic"]}],
                     "regions": []}
    assert lint_dataset(load_dataset(tmp_path / "forum/data", as_of=DAY)).problems == []


def test_sectors_answer_to_french_spanish_and_arabic_names(tmp_path):
    made = init_forum(tmp_path / "forum", "TCD", today=DAY)
    cl = load_dataset(made.root / "data", as_of=DAY).codelists
    for text, code in (("Santé", "health"), ("Protección", "protection"), ("الحماية", "protection"),
                       ("Sécurité alimentaire", "food-security"), ("Seguridad alimentaria", "food-security"),
                       ("الأمن الغذائي", "food-security"), ("Eau, hygiène et assainissement", "wash"),
                       ("Agua, saneamiento e higiene", "wash"), ("Abris / NFI", "shelter"), ("Relèvement Précoce", "early-recovery"),
                       ("Logistique", "logistics"), ("Nutrición", "nutrition"), ("Educación", "education"),
                       ("Télécommunications d'urgence", "etc"), ("Coordination et gestion des camps", "cccm")):
        assert cl.resolve("sectors", text) == code
    assert {s.sector for s in cl.services.values()} <= set(cl.sectors)
    assert {o.iati_code for o in cl.org_types.values()} == {"10", "11", "15", "21", "22", "23", "40", "60", "70", "80", "90"}


def test_sensitive_populations(tmp_path):
    init_forum(tmp_path / "forum", "ETH", today=DAY)
    populations = yaml.safe_load((tmp_path / "forum/data/codelists/populations.yaml").read_text(encoding="utf-8"))
    assert {p["code"] for p in populations["populations"] if p.get("sensitive")} == {
        "detainees", "prisoners", "victims-of-trafficking", "gbv-survivors"}


def test_the_workflow_is_this_repositorys_but_installs_from_requirements(tmp_path):
    init_forum(tmp_path / "forum", "SOM", today=DAY)
    ours = yaml.safe_load((REPO / ".github/workflows/lint.yml").read_text(encoding="utf-8"))
    theirs = yaml.safe_load((tmp_path / "forum/.github/workflows/lint.yml").read_text(encoding="utf-8"))
    install = [{"name": "Install ngocoord (the version requirements.txt names)", "run": "python -m pip install -r requirements.txt"}]
    steps = ours["jobs"]["lint"]["steps"]
    assert theirs["jobs"]["lint"]["steps"] == [install[0] if s.get("name") == "Install ngocoord" else s for s in steps]
    assert {k: v for k, v in theirs.items() if k != "jobs"} == {k: v for k, v in ours.items() if k != "jobs"}
    requirement = (tmp_path / "forum/requirements.txt").read_text(encoding="utf-8").splitlines()[-1]
    from ngocoord import __version__
    assert requirement == f"ngocoord>={__version__}"
    done = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                           str(tmp_path / "forum/.github/workflows/lint.yml")], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_pre_commit_hooks_are_this_repositorys_run_locally(tmp_path):
    init_forum(tmp_path / "forum", "SOM", today=DAY)
    ours = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    config = yaml.safe_load((tmp_path / "forum/.pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert [r["repo"] for r in config["repos"]] == ["local"]
    hooks = config["repos"][0]["hooks"]
    assert [h["id"] for h in hooks] == list(ours)
    for h in hooks:
        assert {k: h[k] for k in ("entry", "files", "require_serial", "name")} == \
               {k: ours[h["id"]][k] for k in ("entry", "files", "require_serial", "name")}
        assert h["language"] == "system"  # the ngocoord installed from requirements.txt


def test_init_takes_under_two_seconds(tmp_path):
    started = time.perf_counter()
    init_forum(tmp_path / "forum", "BRA", today=DAY)  # the longest list: 5,599 areas
    assert time.perf_counter() - started < 2.0


def test_the_command_runs_from_an_installed_package(tmp_path):
    exe = Path(sys.executable).parent / "ngocoord"
    if not exe.exists():
        unavailable("the ngocoord command is not installed beside this Python")
    env = {**os.environ, "NGOCOORD_NO_CACHE": "1"}
    done = subprocess.run([str(exe), "init", "forum", "--country", "SOM"], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    lint = subprocess.run([str(exe), "lint"], cwd=tmp_path / "forum", capture_output=True, text=True, env=env)
    assert lint.returncode == 0 and lint.stdout == "5 files checked: 0 errors, 0 warnings\n", lint.stdout + lint.stderr


def test_the_pre_commit_hooks_run_in_the_new_repository(tmp_path):
    exe = Path(sys.executable).parent / "ngocoord"
    pre_commit = [sys.executable, "-m", "pre_commit"]
    if shutil.which("git") is None or not exe.exists() or subprocess.run([*pre_commit, "--version"], capture_output=True).returncode:
        unavailable("needs git, pre-commit and the ngocoord command")
    init_forum(tmp_path / "forum", "TCD", today=DAY)
    repo = tmp_path / "forum"
    env = {**os.environ, "PATH": f"{exe.parent}{os.pathsep}{os.environ.get('PATH', '')}", "PRE_COMMIT_HOME": str(tmp_path / "pc"),
           "NGOCOORD_NO_CACHE": "1", "GIT_AUTHOR_NAME": "C", "GIT_AUTHOR_EMAIL": "c@example.org",
           "GIT_COMMITTER_NAME": "C", "GIT_COMMITTER_EMAIL": "c@example.org"}
    env.pop("GITHUB_ACTIONS", None)

    def run(*args):
        return subprocess.run(list(args), cwd=repo, capture_output=True, text=True, env=env)

    run("git", "init", "-q")
    run("git", "add", ".")
    clean = run(*pre_commit, "run", "--all-files")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    (repo / "data/organizations/new-ngo.yaml").write_text(
        "# yaml-language-server: $schema=../../schemas/organization.schema.json\n"
        "id: new-ngo\nname: New NGO\ntype: nngoo\nlast_reviewed: 2026-05-01\n", encoding="utf-8")
    run("git", "add", ".")
    broken = run(*pre_commit, "run", "--all-files")
    assert broken.returncode == 1
    assert ("data/organizations/new-ngo.yaml:4:7: error unknown-code: unknown organization type 'nngoo' "
            "(did you mean 'nngo' (National NGO)?)\n") in broken.stdout


@pytest.mark.parametrize("alpha_3", ["JAM", "HUN", "LBR", "CIV"])  # areas without names; names YAML must quote
def test_every_codelist_is_in_fmts_canonical_form(tmp_path, alpha_3):
    from ngocoord.load.canonical import canonical_text

    init_forum(tmp_path / "forum", alpha_3, today=DAY)
    for path in sorted((tmp_path / "forum/data/codelists").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert canonical_text(text, path.stem) == text, path.name


def test_a_folder_inside_a_file_is_a_usage_error(tmp_path):
    (tmp_path / "notes.txt").write_text("", encoding="utf-8")
    result = runner.invoke(app, ["init", str(tmp_path / "notes.txt" / "forum"), "--country", "SOM"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"ngocoord: error: cannot write {tmp_path / 'notes.txt' / 'forum'}: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
