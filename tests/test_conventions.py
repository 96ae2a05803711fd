"""Conventions a new user expects: --version, -h, shell completion, words never cut, marks without colour."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from ngocoord import __version__
from ngocoord.cli import app
from ngocoord.render.tabular import FitTable, fit_widths
from tests.conftest import REPO, activity, org, write_dataset

runner = CliRunner()


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout == f"ngocoord {__version__}\n"


def test_short_help_everywhere():
    assert runner.invoke(app, ["-h"]).stdout == runner.invoke(app, ["--help"]).stdout
    gaps = runner.invoke(app, ["gaps", "-h"])
    assert gaps.exit_code == 0 and gaps.stdout.startswith("Usage: ")


def test_shell_completion_is_on():
    help_text = runner.invoke(app, ["--help"]).stdout
    assert "--install-completion" in help_text and "--show-completion" in help_text
    env = dict(os.environ, PYTHONPATH=str(REPO), _NGOCOORD_COMPLETE="complete_bash", COMP_WORDS="ngocoord ga",
               COMP_CWORD="1")
    done = subprocess.run([sys.executable, "-c", "import sys; sys.argv[0] = 'ngocoord'; from ngocoord.cli import main; main()"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert "gaps" in done.stdout.split()


def test_fit_widths():
    assert fit_widths([10, 20], [5, 8], 40) == [10, 20]          # all fits
    assert fit_widths([10, 20], [5, 8], 24) == [10, 14]          # the widest narrows first
    assert fit_widths([30, 30], [25, 25], 40) == [25, 25]        # never below the longest word
    assert sum(fit_widths([40, 35, 12], [10, 12, 3], 60)) == 60


CODES = ["law-enforcement-officers", "heartland-alliance", "trafficking-victim-assistance"]


@pytest.mark.parametrize("width", [40, 60, 80, 100])
def test_a_table_never_cuts_a_word(width):
    from rich.console import Console

    rows = [[f"activity-{i}-{CODES[i % 3]}", f"{CODES[(i + 1) % 3]}\n{CODES[(i + 2) % 3]}",
             "Training of prison staff in the rights of detainees and in the rules " * (i % 2 + 1)] for i in range(4)]
    console = Console(width=width, record=True, color_system=None, file=open(os.devnull, "w"))
    console.print(FitTable(["activity", "who", "about"], rows, "4 activities"), crop=False)
    text = console.export_text()
    words = set(re.findall(r"[\w-]+", text))
    for code in CODES + [r[0] for r in rows]:
        assert code in words, (code, text)


def test_activities_at_80_columns_in_a_pipe_keep_codes_whole(tmp_path):
    data = write_dataset(tmp_path / "data", [org("heartland-alliance")], [
        activity("heartland-anti-trafficking-victim-assistance", organization="heartland-alliance",
                 population=["prisoners"], locations=[{"area": "G1D1"}, {"area": "kri"}, {"area": "G3"}]),
    ])
    out = runner.invoke(app, ["activities", "--data", str(data)], env={"COLUMNS": "80"}).stdout
    assert "heartland-anti-trafficking-victim-assistance" in out and "heartland-alliance" in out
    assert all(len(line.rstrip()) <= 80 for line in out.splitlines())


def test_no_color_marks_gap_and_thin_in_text(tmp_path):
    data = write_dataset(tmp_path / "data", [org("org-a")], [activity("a1")])
    args = ["gaps", "--data", str(data), "--region", "kri", "--as-of", "2026-06-01"]
    out = runner.invoke(app, args, env={"NO_COLOR": "1", "FORCE_COLOR": "1"}).stdout   # a terminal, without colour
    out = re.sub(r"\x1b\[[0-9;]*m", "", out)   # bold stays: only colour goes
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines() if line.strip().startswith(("Protection", "Education"))}
    assert rows == {"Protection": ["1~", "0!"], "Education": ["0!", "0!"]}   # Erbil, Duhok
    assert "gap !" in out and "thin ~" in out
    coloured = runner.invoke(app, args, env={"FORCE_COLOR": "1", "NO_COLOR": ""}).stdout
    assert "\x1b[" in coloured and "0!" not in coloured   # colour says it


def test_a_wide_matrix_never_cuts_a_count():
    """13 numbered sectors do not fit 80 columns: the table may run wider, but every count (and its
    mark) is printed whole; before, rich squeezed the columns and printed 14 as 1."""
    import datetime as dt

    from rich.console import Console

    from ngocoord.analysis.gaps import Coverage, CoverageRow
    from ngocoord.render.coverage import as_table

    columns = [f"sector-{i}" for i in range(1, 14)]
    rows = [CoverageRow(f"A{n}", f"Area with a long name {n}", {c: 10 + i for i, c in enumerate(columns)}) for n in range(14)]  # more areas than sectors: areas run down the page
    cov = Coverage("R", dt.date(2025, 3, 1), 1, 1, None, columns, {c: c for c in columns}, rows, [], [], [], [], [], [], [])
    console = Console(width=80, record=True, color_system=None, soft_wrap=False)
    console.print(as_table(cov, "Region", text_marks=True), crop=False)
    lines = console.export_text().splitlines()
    row = next(line for line in lines if "Area with a long name 0" in line)
    assert row.split()[-13:] == [str(10 + i) for i in range(13)]
