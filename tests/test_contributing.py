"""CONTRIBUTING.md tells the truth: every rule is explained, and the worked example runs as shown."""

from __future__ import annotations

import datetime as dt
import re
import shlex
import shutil

from typer.testing import CliRunner

from conftest import REPO
from ngocoord.cli import app
from ngocoord.rules import all_rules

GUIDE = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
SHOWN_DAY = "2026-11-24"  # the day the example's output was captured
runner = CliRunner()


def _section(title: str) -> str:
    start = GUIDE.index(f"\n### {title}\n")
    end = GUIDE.find("\n### ", start + 1)
    return GUIDE[start:end if end > 0 else None]


def test_every_rule_is_explained_under_its_severity():
    rules = all_rules()
    errors, warnings = _section("Errors"), _section("Warnings")
    for name, rule in rules.items():
        heading = f"\n#### `{name}`\n"
        assert heading in (errors if rule.severity == "error" else warnings), f"{name} ({rule.severity}) is not explained"
    explained = set(re.findall(r"^#### `([a-z-]+)`$", GUIDE, re.M))
    assert explained == set(rules) | {"fmt"}


def _console(after: str) -> tuple[list[str], str]:
    """The commands and output of the first console block after `after`."""
    block = GUIDE[GUIDE.index(after):]
    block = block[block.index("```console\n") + len("```console\n"):]
    block = block[:block.index("```")]
    commands, output, current = [], [], None
    for line in block.splitlines():
        if line.startswith("$ "):
            current = line[2:]
        elif current is not None and line.startswith("    "):
            current += " " + line.strip()
        else:
            output.append(line)
            continue
        if current.endswith("\\"):
            current = current[:-1].rstrip()
            continue
        commands.append(current)
        current = None
    return commands, "".join(f"{line}\n" for line in output)


def _yaml_after(marker: str) -> str:
    block = GUIDE[GUIDE.index(marker):]
    block = block[block.index("```yaml\n") + len("```yaml\n"):]
    return block[:block.index("```")]


def _run(command: str):
    args = shlex.split(command)
    assert args[0] == "ngocoord"
    return runner.invoke(app, args[1:])


def test_the_worked_example_runs_as_shown(tmp_path, monkeypatch):
    shutil.copytree(REPO / "data", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NGOCOORD_DATA", raising=False)
    today = dt.date.today().isoformat()
    for step, written in (("### 2. Create the organization", "data/organizations/example-legal-aid.yaml"),
                          ("### 3. Create an activity", "data/activities/example-legal-aid-erbil-prison.yaml")):
        (command,), shown = _console(step)
        result = _run(command)
        assert result.exit_code == 0, result.output
        assert result.stdout == shown
        expected = _yaml_after(step if "organization" in written else "The file it wrote:")
        assert (tmp_path / written).read_text(encoding="utf-8") == expected.replace(SHOWN_DAY, today)
    (command,), shown = _console("### 4. Check")
    assert _run(command).stdout == shown
    mistakes = "data/activities/example-psychosocial-duhok.yaml"
    (tmp_path / mistakes).write_text(_yaml_after(f"with a few mistakes, `{mistakes}`"), encoding="utf-8")
    (command,), shown = _console(f"with a few mistakes, `{mistakes}`")
    result = _run(command + " --as-of " + SHOWN_DAY)
    assert result.exit_code == 1
    assert result.stdout == shown


def test_the_missing_fields_example_is_exact(tmp_path, monkeypatch):
    shutil.copytree(REPO / "data", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    (command,), shown = _console("When it cannot ask")
    result = _run(command)
    assert result.exit_code == 2
    assert result.stderr == shown
