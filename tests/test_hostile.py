"""Hostile input: every kind of broken or malicious file, all in ONE dataset.

Each file gets its exact located problem; none makes the tool crash, run code, read outside
the dataset or hang; the good files' problems are still reported; analysis commands skip the
bad files with one warning and go on.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import tracemalloc

import pytest
from typer.testing import CliRunner

from ngocoord.cli import app
from ngocoord.load.yamlload import MAX_DEPTH, parse
from tests.conftest import activity, dump, org, unavailable, write_dataset

runner = CliRunner()
AS_OF = "2026-07-01"
ACT = "# yaml-language-server: $schema=../../schemas/activity.schema.json\n"
ORG = "# yaml-language-server: $schema=../../schemas/organization.schema.json\n"


def act_text(id: str, extra: str = "") -> str:
    """A valid activity as text (line 1 the header, id on line 2, last_reviewed on line 9), plus extra lines."""
    return ACT + (f"id: {id}\ntitle: Legal aid\norganization: org-a\nsector: protection\nservices: [legal-aid]\n"
                  f"locations: [{{area: G1D1}}]\nstatus: ongoing\nlast_reviewed: 2026-06-01\n{extra}")


BOMB = "\n".join([ACT.rstrip(), "id: alias-bomb", "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
                 + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]) + "\n"
DEEP_FLOW = ACT + "id: deep-flow\ntitle: " + "[" * 20_000 + "]" * 20_000 + "\n"
DEEP_COMPACT = ACT + "id: deep-compact\ndescription:\n" + "- " * 20_000 + "x\n"
# indentation nesting as deep as fits under the size limit (1 space a level: 1,400 levels ~ 1 MB)
DEEP_INDENT = ACT + "id: deep-indent\ndescription:\n" + "".join(" " * i + "k:\n" for i in range(1, 1400))

# file -> (its bytes, the exact problem it must get: line, column, rule, message)
HOSTILE: dict[str, tuple[bytes, tuple[int, int, str, str]]] = {
    "broken-yaml.yaml": (act_text("broken-yaml", "description: [unclosed\nnotes: x\n").encode(),
                         (10, 14, "yaml-syntax", "the list opened here with '[' is not closed properly")),
    "tab-indent.yaml": ((ACT + "id: tab-indent\nlocations:\n\t- area: G1D1\n").encode(),
                        (4, 1, "yaml-syntax", "a tab character is used for indentation")),
    "duplicate-key.yaml": (act_text("duplicate-key", "status: completed\n").encode(),
                           (10, 1, "duplicate-key", "the key 'status' appears twice in the same mapping; YAML would keep only the last")),
    "byte-order-mark.yaml": (b"\xef\xbb\xbf" + act_text("byte-order-mark").encode(),
                             (1, 1, "encoding", "the file starts with a byte-order mark")),
    "windows-1256.yaml": (act_text("windows-1256", "description: ").encode() + "محامون\n".encode("cp1256"),
                          (10, 14, "encoding", "byte 0xe3 is not UTF-8")),
    "nul-byte.yaml": (act_text("nul-byte", "description: a\x00b\n").encode(),
                      (10, 15, "encoding", "the file contains a NUL byte: it is not a text file")),
    "empty.yaml": (b"", (1, 1, "yaml-syntax", "the file is empty")),
    "comments-only.yaml": (b"# just a comment\n\n   # and another\n", (1, 1, "yaml-syntax", "the file is empty")),
    "two-documents.yaml": (act_text("two-documents", "---\nid: other\n").encode(),
                           (10, 1, "yaml-syntax", "the file holds more than one YAML document (a second '---')")),
    "top-level-list.yaml": (b"- id: top-level-list\n- title: x\n",
                            (1, 1, "yaml-syntax", "the file must be a mapping of keys and values, but it is a list")),
    "top-level-scalar.yaml": (b"just some words\n",
                              (1, 1, "yaml-syntax", "the file must be a mapping of keys and values, but it is a single value ('just some words')")),
    "python-tag.yaml": (b"", (2, 5, "yaml-syntax", "the tag !!python/object/apply:os.system is not allowed: data files hold plain values only")),
    "python-tag-root.yaml": (b"", (1, 1, "yaml-syntax", "the tag !!python/object/apply:subprocess.call is not allowed: data files hold plain values only")),
    "alias-bomb.yaml": (BOMB.encode(), (3, 4, "yaml-syntax", "anchors and aliases (& and *) are not allowed: write the value out in full")),
    "merge-key.yaml": (act_text("merge-key", "<<: {notes: x}\n").encode(),
                       (10, 1, "yaml-syntax", "merge keys (<<) are not allowed: write the keys out in full")),
    "huge.yaml": (act_text("huge", "description: " + "x" * (30 * 1024 * 1024) + "\n").encode(),
                  (1, 1, "file-too-large", "the file is 31,457,516 bytes; a record is at most 1,048,576")),
    "deep-flow.yaml": (DEEP_FLOW.encode(), (3, 107, "yaml-syntax", f"the data is nested more than {MAX_DEPTH} levels deep: this is not a record")),
    "deep-compact.yaml": (DEEP_COMPACT.encode(), (4, 199, "yaml-syntax", f"the data is nested more than {MAX_DEPTH} levels deep: this is not a record")),
    "deep-indent.yaml": (DEEP_INDENT.encode(), (103, 101, "yaml-syntax", f"the data is nested more than {MAX_DEPTH} levels deep: this is not a record")),
    "impossible-date.yaml": (act_text("impossible-date", "start: 2023-02-30\n").encode(),
                             (10, 8, "schema", "start: 2023-02-30 is not a real date")),
    "non-string-keys.yaml": (act_text("non-string-keys", "1: x\nyes: x\nnull: x\n").encode(),
                             (11, 1, "schema", "YAML reads the key 'yes' as true, not as a word")),
    "control-character.yaml": (act_text("control-character", "description: bell\x07here\n").encode(),
                               (10, 18, "yaml-syntax", "the character U+0007 is a control character, which YAML does not allow")),
    "Not An Id.yaml": (act_text("not-an-id").encode(), (2, 1, "id-mismatch", "the file name 'Not An Id' is not a valid id")),
    "huge-number.yaml": (act_text("huge-number", "beneficiaries: {targeted: 1000000000000000000000000000000}\n").encode(),
                         (10, 27, "schema", "beneficiaries.targeted must be at most 1000000000, not 1000000000000000000000000000000")),
    "escaped-control.yaml": (act_text("escaped-control", 'description: "\\e[2J\\e]8;;http://evil.example\\e\\\\x"\n').encode(),
                             (10, 14, "yaml-syntax", "the value holds the control character U+001B "
                                                     "(written as an escape such as \\e or \\x1b), which is not allowed")),
}
TERMINAL_NAME = "x\x1b[2J\x1b[1Ay\nz.yaml"  # an ESC sequence (clear the screen, go up a line) and a newline
ORG_HOSTILE = {
    "123.yaml": ((ORG + "id: 123\nname: Numbers\ntype: nngo\nlast_reviewed: 2026-06-01\n").encode(),
                 (2, 5, "schema", "id must be text, not a whole number")),
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A dataset of good files, one good-but-flawed file, and every hostile file."""
    base = tmp_path_factory.mktemp("hostile")
    root = write_dataset(base / "data", [org("org-a"), org("org-b", type="ingo")],
                         [activity("act-good"), activity("act-flawed", services=["lega-aid"])])
    pwned = base / "pwned"
    files = dict(HOSTILE)
    files["python-tag.yaml"] = ((ACT + f'id: !!python/object/apply:os.system ["touch {pwned}"]\n').encode(), files["python-tag.yaml"][1])
    files["python-tag-root.yaml"] = (f'!!python/object/apply:subprocess.call [["touch", "{pwned}"]]\n'.encode(), files["python-tag-root.yaml"][1])
    for name, (raw, _) in files.items():
        (root / "activities" / name).write_bytes(raw)
    for name, (raw, _) in ORG_HOSTILE.items():
        (root / "organizations" / name).write_bytes(raw)
    secret = base / "outside" / "secret-target.yaml"
    secret.parent.mkdir()
    secret.write_text("id: leaked-secret\npassword: hunter2\n")
    (root / "activities" / "symlink-out.yaml").symlink_to(secret)
    (root / "activities" / "symlink-loop.yaml").symlink_to(root / "activities" / "symlink-loop.yaml")
    (root / "elsewhere").mkdir()
    (root / "elsewhere" / "act-linked.yaml").write_text(dump("activity", activity("act-linked")))
    (root / "activities" / "act-linked.yaml").symlink_to(root / "elsewhere" / "act-linked.yaml")  # inside: followed
    (root / "activities" / "folder.yaml").mkdir()
    os.mkfifo(root / "activities" / "named-pipe.yaml")  # reading it would wait for a writer forever
    (root / "activities" / TERMINAL_NAME).write_text(dump("activity", activity("terminal-name")))
    (root / "activities" / "long-line.yaml").write_text(act_text("long-line", "description: " + "words " * 150_000 + "\n"))
    return root, pwned, secret


_linted: dict = {}


def lint_json(root):
    """lint --format json on the dataset (run once per dataset: the corpus holds a 30 MB file)."""
    if root not in _linted:
        result = runner.invoke(app, ["lint", "--data", str(root), "--format", "json", "--as-of", AS_OF])
        _linted[root] = result, json.loads(result.stdout)["problems"]
    return _linted[root]


def test_no_traceback_and_exit_1(hostile):
    root, _, _ = hostile
    result, problems = lint_json(root)
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("name", sorted(HOSTILE) + sorted(ORG_HOSTILE))
def test_each_hostile_file_gets_its_exact_problem(hostile, name):
    root, _, _ = hostile
    folder = "organizations" if name in ORG_HOSTILE else "activities"
    line, column, rule, message = {**HOSTILE, **ORG_HOSTILE}[name][1]
    _, problems = lint_json(root)
    mine = [(p["line"], p["column"], p["rule"], p["message"]) for p in problems if p["path"] == f"{root}/{folder}/{name}"]
    assert any(found[:3] == (line, column, rule) and (found[3] == message or found[3].startswith(message + " ("))
               for found in mine), mine


def test_every_bad_file_is_reported_as_an_error(hostile):
    root, _, _ = hostile
    _, problems = lint_json(root)
    in_error = {p["path"].rsplit("/", 1)[1] for p in problems if p["severity"] == "error"}
    expected_bad = set(HOSTILE) | set(ORG_HOSTILE) | {"symlink-out.yaml", "symlink-loop.yaml", "folder.yaml", "named-pipe.yaml"}
    assert expected_bad <= in_error
    assert {"act-good.yaml", "act-linked.yaml", "long-line.yaml"}.isdisjoint(in_error)  # a 900 kB line is fine


def test_file_names_are_printed_without_control_characters(hostile):
    root, _, _ = hostile
    text = runner.invoke(app, ["lint", "--data", str(root), "--as-of", AS_OF, "--all"]).stdout
    shown = f"{root}/activities/x\\x1b[2J\\x1b[1Ay\\x0az.yaml"
    assert f"{shown}:2:1: error id-mismatch: the file name 'x\\x1b[2J\\x1b[1Ay\\x0az' is not a valid id" in text
    assert "\x1b" not in text
    assert [line for line in text.splitlines() if not line.startswith(str(root))] == [text.splitlines()[-1]]  # the summary


def test_good_files_problems_still_reported(hostile):
    root, _, _ = hostile
    _, problems = lint_json(root)
    assert {"path": f"{root}/activities/act-flawed.yaml", "line": 7, "column": 3, "severity": "error",
            "rule": "unknown-code", "message": "unknown service 'lega-aid' (did you mean 'legal-aid'?)"} in problems


def test_custom_tags_never_run_anything(hostile):
    root, pwned, _ = hostile
    lint_json(root)
    runner.invoke(app, ["codes", "sectors", "--data", str(root)])
    assert not pwned.exists()


def test_symlink_leaving_the_dataset_is_not_followed_and_its_target_never_shown(hostile):
    root, _, secret = hostile
    result, problems = lint_json(root)
    text = runner.invoke(app, ["lint", "--data", str(root), "--as-of", AS_OF]).stdout
    assert {"path": f"{root}/activities/symlink-out.yaml", "line": 1, "column": 1, "severity": "error", "rule": "symlink",
            "message": "this file is a link to a place outside the dataset; it was not read "
                       "(replace the link with the file itself)"} in problems
    for output in (result.stdout, result.stderr, text):
        assert "secret-target" not in output and "outside" + os.sep not in output
        assert "hunter2" not in output and "leaked-secret" not in output


def test_symlink_loop_folder_and_pipe_named_like_a_file(hostile):
    root, _, _ = hostile
    _, problems = lint_json(root)
    found = {p["path"].rsplit("/", 1)[1]: (p["line"], p["column"], p["rule"], p["message"]) for p in problems
             if p["severity"] == "error"}
    hint = " (make it a plain file that you are allowed to read, or remove it)"
    assert found["symlink-loop.yaml"][:3] == (1, 1, "symlink")
    assert found["folder.yaml"] == (1, 1, "unreadable", "the file cannot be read: is a directory" + hint)
    assert found["named-pipe.yaml"] == (1, 1, "unreadable", "the file cannot be read: it is a pipe, a socket or a device, not a file" + hint)


def test_oversized_files_are_not_read(tmp_path):
    """A 10 GiB (sparse) file is refused from its size alone: reading it would take the memory."""
    from ngocoord.load import dataset, yamlload

    assert dataset.MAX_FILE_BYTES == yamlload.MAX_BYTES
    root = write_dataset(tmp_path / "data", [org("org-a")], [activity("act-1")])
    with open(root / "activities" / "sparse.yaml", "wb") as f:
        f.truncate(10 * 1024 ** 3)
    started = time.perf_counter()
    result = runner.invoke(app, ["lint", "--data", str(root), "--as-of", AS_OF])
    assert time.perf_counter() - started < 2
    assert result.exit_code == 1
    assert f"{root}/activities/sparse.yaml:1:1: error file-too-large: the file is 10,737,418,240 bytes; " \
           "a record is at most 1,048,576 (a data file holds one record; split or trim it)" in result.stdout


def test_alias_bomb_refused_fast_in_bounded_memory():
    tracemalloc.start()
    started = time.perf_counter()
    parsed = parse("bomb.yaml", BOMB.encode())
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert parsed.data is None and parsed.problems[0].rule == "yaml-syntax"
    assert elapsed < 2 and peak < 5_000_000


@pytest.mark.parametrize("text", ["- " * 100_000 + "x\n", "? " * 100_000 + "x\n", "a: " + "[" * 500_000 + "\n",
                                  "".join(" " * i + "k:\n" for i in range(1400))],
                         ids=["compact-sequences", "complex-keys", "brackets", "indentation"])
def test_deep_nesting_never_crashes_the_interpreter(text):
    """libyaml's composer recurses in C: past ~30,000 levels it crashes the process (SIGSEGV)
    instead of raising, so run each case in a child process and require a clean answer."""
    code = ("import sys; from ngocoord.load.yamlload import parse; p = parse('x.yaml', sys.stdin.buffer.read()); "
            "print(p.problems[0].rule, p.problems[0].message)")
    done = subprocess.run([sys.executable, "-c", code], input=text.encode(), capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()[-500:]
    assert done.stdout.decode() == f"yaml-syntax the data is nested more than {MAX_DEPTH} levels deep: this is not a record\n"


def test_unreadable_file(tmp_path):
    """chmod 000 stops every user but root. CI runs as root: there lint runs without the two
    capabilities that let root read any file (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), as any user would."""
    root = write_dataset(tmp_path / "data", [org("org-a")], [activity("act-1")])
    (root / "activities" / "act-1.yaml").chmod(0)
    command = [sys.executable, "-m", "ngocoord", "lint", "--data", str(root), "--format", "json", "--as-of", AS_OF]
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            unavailable("setpriv (util-linux) not found: as root, only dropping capabilities makes a file unreadable")
        drop = "-dac_override,-dac_read_search"
        command = ["setpriv", f"--bounding-set={drop}", f"--inh-caps={drop}", *command]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["problems"] == [
        {"path": f"{root}/activities/act-1.yaml", "line": 1, "column": 1, "severity": "error", "rule": "unreadable",
         "message": "the file cannot be read: permission denied "
                    "(make it a plain file that you are allowed to read, or remove it)"}]


def test_a_link_to_a_file_that_is_gone_is_unreadable(tmp_path):
    root = write_dataset(tmp_path / "data", [org("org-a")], [activity("act-1")])
    (root / "activities" / "act-2.yaml").symlink_to(root / "activities" / "moved-away.yaml")
    result, problems = lint_json(root)
    assert result.exit_code == 1
    assert [(p["path"], p["line"], p["column"], p["rule"], p["message"]) for p in problems] == [
        (f"{root}/activities/act-2.yaml", 1, 1, "unreadable", "the file cannot be read: no such file or directory "
                                                               "(make it a plain file that you are allowed to read, or remove it)")]


def test_analysis_commands_skip_bad_files_with_one_warning(hostile, tmp_path):
    root, _, _ = hostile
    still_load = {"byte-order-mark.yaml", "Not An Id.yaml"}  # and the file named with control characters  # their records are sound: lint flags them, analysis uses them
    bad = len(HOSTILE) + len(ORG_HOSTILE) - len(still_load) + 4  # + symlink-out, symlink-loop, folder, named pipe
    warning = f"warning: {bad} files could not be loaded and were skipped; run 'ngocoord lint' for details\n"
    commands = [["codes", "sectors"], ["gaps", "--region", "kri", "--as-of", AS_OF],
                ["duplicates", "--as-of", AS_OF], ["activities", "--active-on", AS_OF], ["orgs"]]
    known = {c.name or c.callback.__name__ for c in app.registered_commands}
    known |= {g.name or g.typer_instance.info.name for g in app.registered_groups}  # codes is a group of commands
    ran = []
    for command in commands:
        if command[0] not in known:  # commands that land later join the check
            continue
        result = runner.invoke(app, [*command, "--data", str(root), "--format", "json"])
        assert result.exit_code == 0, (command, result.stderr)
        assert result.stderr == warning, command
        json.loads(result.stdout)
        ran.append(command[0])
    assert "codes" in ran
    sqlite = runner.invoke(app, ["export", "--format", "sqlite", "--data", str(root), "--output", str(tmp_path / "3w.sqlite")])
    assert sqlite.exit_code == 0 and sqlite.stderr == warning  # an int too large for SQLite never reaches it


def test_changed_since_is_never_taken_for_a_git_option(tiny, tmp_path):
    """'--changed-since=--output=FILE' reached git as an option and made it write FILE...HEAD."""
    target = tmp_path / "written-by-git"
    result = runner.invoke(app, ["lint", "--data", str(tiny), f"--changed-since=--output={target}"])
    assert result.exit_code == 2
    assert result.stderr == f"ngocoord: error: --changed-since '--output={target}' is not a git revision\n"
    assert list(tmp_path.glob("written-by-git*")) == []
