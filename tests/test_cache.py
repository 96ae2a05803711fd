"""The cache of parsed files (ngocoord.load.cache): a hit gives exactly what parsing gives, a damaged
cache is ignored and rebuilt, --no-cache writes nothing, concurrent runs do not corrupt it, and
the Rust validity oracle agrees with jsonschema on every fixture."""

from __future__ import annotations

import datetime as dt
import json
import marshal
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ngocoord.load import cache, dataset, schemas
from ngocoord.cli import app
from ngocoord.load.dataset import load_dataset
from ngocoord.load.yamlload import parse
from tests.conftest import REPO, activity, org, write_dataset
from tests.lintcase import ACT_HEADER, ORG_HEADER

AS_OF = "2026-07-01"
runner = CliRunner()

BROKEN = {
    "activities/bad-yaml.yaml": ACT_HEADER + "id: bad-yaml\ntitle: [unclosed\n",
    "activities/dup-key.yaml": ACT_HEADER + "id: dup-key\ntitle: One\ntitle: Two\norganization: org-a\nsector: protection\n"
                                            "services: [legal-aid]\nlocations:\n  - area: G1D1\nstatus: ongoing\nlast_reviewed: 2026-06-01\n",
    "activities/schema-error.yaml": ACT_HEADER + "id: schema-error\ntitle: T\norganization: org-a\nsector: protection\n"
                                                 "services: legal-aid\nlocations: []\nstatus: going\nlast_reviewed: 2026-02-30\n",
    "activities/no-header.yaml": "id: no-header\ntitle: Legal aid\norganization: org-zz\nsector: protection\n"
                                 "services: [legal-aid]\nlocations:\n  - area: G1D1\nstatus: ongoing\nlast_reviewed: 2020-06-01\n",
    "activities/bom.yaml": b"\xef\xbb\xbf" + (ACT_HEADER + "id: bom\n").encode(),
    "activities/latin1.yaml": (ACT_HEADER + "id: latin1\ntitle: caf").encode() + b"\xe9\n",
    "activities/empty.yaml": "",
    "organizations/Bad Name.yaml": ORG_HEADER + "id: bad-name\nname: X\ntype: nngo\nlast_reviewed: 2026-01-01\n",
}


@pytest.fixture
def messy(tmp_path):
    """A small dataset in which most kinds of load, schema and rule problem occur."""
    root = write_dataset(tmp_path / "data", [org("org-a"), org("org-b", type="ingo")],
                         [activity("act-1"), activity("act-2", title="Legal aid for prisoners in Erbil")])
    for name, content in BROKEN.items():
        target = root / name
        target.write_bytes(content if isinstance(content, bytes) else content.encode())
    return root


def snapshot(root: Path) -> list[tuple]:
    """Everything a command can see of a loaded dataset, positions of problems and of keys included."""
    ds = load_dataset(root, as_of=dt.date.fromisoformat(AS_OF))
    out = []
    for d in ds.documents:
        places = [d.at(k) for k in [(), ("id",), ("title",), ("locations", 0, "area")]] if d.located else []
        out.append((d.path, d.kind, d.data, d.problems, d.valid, d.located is not None, places))
    return out


def lint_json(root: Path, *extra: str) -> dict:
    result = runner.invoke(app, ["lint", "--data", str(root), "--format", "json", "--as-of", AS_OF, *extra])
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)


def entries(folder: Path) -> int:
    with sqlite3.connect(folder / "ngocoord" / cache.FILE_NAME) as db:
        return db.execute("SELECT count(*) FROM entries").fetchone()[0]


def cache_home() -> Path:
    return Path(os.environ["XDG_CACHE_HOME"])


def test_cache_hit_gives_what_parsing_gives(messy, monkeypatch):
    monkeypatch.setenv("NGOCOORD_NO_CACHE", "1")
    uncached = snapshot(messy)
    monkeypatch.delenv("NGOCOORD_NO_CACHE")
    cold = snapshot(messy)
    assert entries(cache_home()) == len(list(messy.rglob("*.yaml")))

    def must_not_parse(*args):
        raise AssertionError("a cached file was parsed again")

    monkeypatch.setattr(dataset, "document_from_bytes", must_not_parse)
    warm = snapshot(messy)
    with sqlite3.connect(cache_home() / "ngocoord" / cache.FILE_NAME) as db:
        db.execute("DELETE FROM snapshots")  # each file's entry, not the dataset snapshot (tests/test_snapshot.py)
    from_entries = snapshot(messy)
    assert uncached == cold == warm == from_entries
    assert any(problems for _, _, _, problems, _, _, _ in warm)  # the fixture does have problems


def test_lint_output_is_the_same_without_cache_cold_and_warm(messy):
    uncached = lint_json(messy, "--no-cache")
    cold = lint_json(messy)
    warm = lint_json(messy)
    assert uncached == cold == warm
    rules = {p["rule"] for p in warm["problems"]}
    assert {"yaml-syntax", "duplicate-key", "schema", "schema-header", "encoding", "unknown-reference"} <= rules


def test_a_changed_file_is_parsed_again(messy):
    before = lint_json(messy)
    (messy / "activities" / "act-1.yaml").write_text(ACT_HEADER + "id: act-1\n", encoding="utf-8")
    after = lint_json(messy)
    assert after != before
    assert after == lint_json(messy, "--no-cache")


def test_cache_is_keyed_by_content_not_by_name(messy):
    lint_json(messy)
    copy = (messy / "activities" / "act-1.yaml").read_bytes()
    (messy / "activities" / "act-3.yaml").write_bytes(copy.replace(b"act-1", b"act-3"))
    (messy / "activities" / "act-4.yaml").write_bytes(copy)  # same bytes as act-1: same entry, its own path
    assert lint_json(messy) == lint_json(messy, "--no-cache")


def test_parallel_parsing_gives_what_serial_parsing_gives(messy, monkeypatch):
    monkeypatch.setenv("NGOCOORD_NO_CACHE", "1")
    serial = snapshot(messy)
    monkeypatch.setattr(dataset, "PARALLEL_MIN", 1)
    monkeypatch.setattr(dataset, "_cpus", lambda: 2)
    assert snapshot(messy) == serial


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "directory-in-the-way-of-wal"])
def test_damaged_cache_file_is_ignored_and_rebuilt(messy, damage):
    expected = lint_json(messy, "--no-cache")
    lint_json(messy)
    db = cache_home() / "ngocoord" / cache.FILE_NAME
    if damage == "garbage":
        db.write_bytes(os.urandom(5000))
    elif damage == "truncated":
        db.write_bytes(db.read_bytes()[: db.stat().st_size // 3])
    elif damage == "empty":
        db.write_bytes(b"")
    else:
        db.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    assert lint_json(messy) == expected
    assert lint_json(messy) == expected
    assert entries(cache_home()) > 0  # rebuilt


@pytest.mark.parametrize("value", [
    b"not marshal at all",
    marshal.dumps(compile("1", "x", "eval")),             # a code object: never plain data
    marshal.dumps(({"id": "act-1"}, True, True, (("1", 1, "error", "schema", "m", ""),))),  # wrong field type
    marshal.dumps(({"id": {1, 2}}, True, True, ())),       # a set
    marshal.dumps((None, True, True, ())),                 # valid without data
    marshal.dumps([1, 2, 3]),
    marshal.dumps(({"id": "x"}, True, True, ()))[:-3],    # truncated entry
])
def test_damaged_entries_are_ignored(messy, value):
    expected = snapshot(messy)
    with sqlite3.connect(cache_home() / "ngocoord" / cache.FILE_NAME) as db:
        db.execute("UPDATE entries SET value = ?", (value,))
        db.execute("DELETE FROM snapshots")  # or the snapshot would answer, and no entry be read
    assert snapshot(messy) == expected
    assert lint_json(messy) == lint_json(messy, "--no-cache")


@pytest.mark.parametrize("command", [["lint"], ["gaps", "--region", "kri"], ["duplicates"], ["activities"]])
def test_no_cache_writes_nothing(messy, command):
    result = runner.invoke(app, [*command, "--data", str(messy), "--no-cache"])
    assert result.exit_code in (0, 1), result.stderr
    assert not (cache_home() / "ngocoord").exists()
    assert "NGOCOORD_NO_CACHE" not in os.environ  # the option lasts as long as the command
    runner.invoke(app, [*command, "--data", str(messy)])
    assert (cache_home() / "ngocoord" / cache.FILE_NAME).exists()


def test_cache_past_its_size_limit_starts_afresh(messy, monkeypatch):
    lint_json(messy)
    (messy / "activities" / "act-1.yaml").write_text(ACT_HEADER + "id: act-1\n", encoding="utf-8")
    lint_json(messy)
    files = len(list(messy.rglob("*.yaml")))
    assert entries(cache_home()) == files + 1 + 2  # a second act-1, and two lint results
    monkeypatch.setattr(cache, "MAX_BYTES", 1)
    monkeypatch.setattr(cache, "_size_checked", set())
    expected = lint_json(messy, "--no-cache")
    assert lint_json(messy) == expected
    assert entries(cache_home()) == files + 1  # only what this run wrote: the files and its result


def test_cache_directory_that_cannot_be_made_is_no_cache(messy, monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # ngocoord/ cannot be made inside a file
    assert lint_json(messy) == lint_json(messy, "--no-cache")


def test_relative_xdg_cache_home_is_ignored(monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/dir")
    assert cache.cache_dir() == Path.home() / ".cache" / "ngocoord"


def test_concurrent_runs_do_not_corrupt_the_cache(tmp_path):
    root = write_dataset(tmp_path / "data", [org("org-a"), org("org-b", type="ingo")],
                         [activity(f"act-{i}", title=f"Legal aid number {i} in Erbil") for i in range(60)])
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "shared-cache"), PYTHONPATH=str(REPO))
    command = [sys.executable, "-m", "ngocoord", "lint", "--data", str(root), "--format", "json", "--as-of", AS_OF]
    outputs = []
    for _ in range(3):  # several rounds of two processes writing the same entries at once
        procs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) for _ in range(2)]
        outputs += [p.communicate(timeout=120) for p in procs]
    assert all(not err for _, err in outputs), outputs[0][1]
    assert len({out for out, _ in outputs}) == 1
    with sqlite3.connect(tmp_path / "shared-cache" / "ngocoord" / cache.FILE_NAME) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT count(*) FROM entries").fetchone()[0] >= 62


def test_warm_run_does_not_import_jsonschema(tiny, tmp_path):
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"), PYTHONPATH=str(REPO))
    script = ("import sys, datetime\nfrom pathlib import Path\nfrom ngocoord.load.dataset import load_dataset\n"
              f"ds = load_dataset(Path({str(tiny)!r}))\nprint(len(ds.activities), 'jsonschema' in sys.modules)\n")
    first = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    second = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    assert first.stdout.split()[0] == second.stdout.split()[0] == "1"
    assert second.stdout.split()[1] == "False"


def _fixture_records():
    """(kind, data) of every record the schema tests use and of the real dataset."""
    from tests import test_rules_schema

    texts = []
    for files, *_ in list(test_rules_schema.CASES.values()) + [(f,) for f in test_rules_schema.CLEAN.values()]:
        texts += list(files.items())
    texts += list(BROKEN.items())
    texts += [(str(p.relative_to(REPO / "data")), p.read_bytes()) for p in (REPO / "data").rglob("*.yaml")
              if p.parent.name in ("organizations", "activities")]
    records = []
    for name, text in texts:
        kind = "organization" if name.startswith("organizations/") else "activity"
        parsed = parse(name, text if isinstance(text, bytes) else text.encode())
        if isinstance(parsed.data, dict):
            records.append((kind, parsed.data))
    return records


def _edge_records():
    base = dict(activity("edge"), last_reviewed="2026-01-01")
    return [("activity", e) for e in [
        {**base, "id": "trailing-newline\n"}, {**base, "id": "A"}, {**base, "id": "x" * 65},
        {**base, "services": ["legal-aid", "legal-aid"]}, {**base, "population": [1, True]},
        {**base, "beneficiaries": {"targeted": 2**70}}, {**base, "beneficiaries": {"targeted": 1.0}},
        {**base, "beneficiaries": {"targeted": -1}}, {**base, "beneficiaries": {"targeted": True}},
        {**base, "start": "2022-13-01"}, {**base, "start": 2022}, {**base, "start": "２０２２"},
        {**base, "title": ""}, {**base, "title": " "}, {**base, "title": None}, {**base, "sensitive": "yes"},
        {**base, "locations": [{"area": "G1", "site": 5}]}, {**base, "status": "Ongoing"},
        {**base, "sources": [{"title": "t", "url": "ftp://x"}]}, {**base, "sources": [{"url": "https://x"}]},
    ]]


def test_rust_oracle_agrees_with_jsonschema_on_every_fixture():
    records = _fixture_records()
    assert len(records) > 60
    assert sum(not schemas.validator(kind).is_valid(data) for kind, data in records) > 20
    disagree = [(kind, data) for kind, data in records
                if schemas.fast_valid(kind, data) != schemas.validator(kind).is_valid(data)]
    assert disagree == []


def test_rust_oracle_never_accepts_what_jsonschema_rejects():
    """Where they differ (Python's `$` also matches before a final newline), the oracle is the
    stricter one, and what it rejects jsonschema checks again: the problems are jsonschema's."""
    for kind, data in _fixture_records() + _edge_records():
        if schemas.fast_valid(kind, data):
            assert schemas.validator(kind).is_valid(data), data


def test_problems_are_the_same_with_and_without_the_oracle(monkeypatch):
    records = _fixture_records() + _edge_records()
    with_oracle = [schemas.validate(kind, data, "f.yaml", None) for kind, data in records]
    monkeypatch.setattr(schemas, "fast_valid", lambda kind, data: False)
    assert [schemas.validate(kind, data, "f.yaml", None) for kind, data in records] == with_oracle
