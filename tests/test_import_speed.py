"""Issue 14's budget: a 50,000-row 3W sheet imports (dry run) in under 10 s of CPU and 500 MB.

CPU time, not wall time: the test machine is shared, and a loaded machine stretches wall time
without the import doing more work (bench/run.py measures both)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

import synth  # noqa: E402  (bench/synth.py: seeded synthetic data)


def test_a_50000_row_sheet_dry_run_within_budget(tmp_path):
    sheet = synth.sheet(tmp_path / "sheet.csv", 50_000, seed=14)
    proc = subprocess.Popen([sys.executable, "-m", "ngocoord", "import", str(sheet), "--data", str(REPO / "data"),
                             "--dry-run", "--set", "organization_type=nngo"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=dict(os.environ, COLUMNS="120"))
    _, status, usage = os.wait4(proc.pid, 0)
    stderr = proc.stderr.read().decode()
    proc.stderr.close()
    assert os.waitstatus_to_exitcode(status) == 0, stderr
    assert "sheet.csv: 50000 rows, 50000 mapped;" in stderr
    assert usage.ru_utime + usage.ru_stime < 10
    assert usage.ru_maxrss * 1024 < 500 * 2**20
