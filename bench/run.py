"""Benchmark ngocoord on seeded synthetic datasets and against check-jsonschema (issue 6).

    python bench/run.py [--sizes 1000,10000,100000] [--repeat 3] [--out bench/out]

For each size it generates a dataset with bench/synth.py (kept in --out, reused when it is
complete), then times each command as a subprocess and prints the medians as a Markdown
table, with each command's peak memory (max resident set of the process, its workers
included as the largest of them) and check-jsonschema's time on the same activity files in
the same run. A command that does not exist yet is reported as "not available"; the others
still run. Caches: "cold" runs get a fresh, empty $XDG_CACHE_HOME each time; "warm" runs
share one that a first, untimed run filled.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402  (beside this file)

AS_OF = ["--as-of", synth.AS_OF]
ARG_BUDGET = 100_000  # characters of file names per check-jsonschema call, as xargs would batch them

# (label, arguments after `ngocoord`, cache: "cold" | "warm" | "touched")
PER_SIZE = [
    ("lint (cold cache)", ["lint", *AS_OF], "cold"),
    ("lint (warm cache)", ["lint", *AS_OF], "warm"),
    ("lint (warm, 1 file changed)", ["lint", *AS_OF], "touched"),
    ("gaps --region kri", ["gaps", "--region", "kri", *AS_OF], "warm"),
    ("duplicates", ["duplicates", *AS_OF], "warm"),
    ("activities --service legal-aid", ["activities", "--service", "legal-aid", "--format", "json"], "warm"),
    ("report", ["report", *AS_OF], "warm"),
]
# issue 11: one activity entered COPIES times (same organization, title, place, service): lint must give
# one warning for them (target: under 5 s and 300 MB) and duplicates stream their 4,498,500 pairs in any
# format (target: under 10 s, memory bounded by what it prints)
COPIES = 3000
ON_COPIES = [
    ("lint (cold cache)", ["lint", *AS_OF], "cold"),
    ("lint (warm cache)", ["lint", *AS_OF], "warm"),
    *[(f"duplicates --format {f}", ["duplicates", *AS_OF, "--format", f], "warm") for f in ("table", "csv", "json", "markdown")],
]
ONCE = [
    ("ngocoord --help", ["--help"], "warm"),
    ("lint, bundled dataset (cold cache)", ["lint", "--data", str(REPO / "data")], "cold"),
    ("lint, bundled dataset (warm cache)", ["lint", "--data", str(REPO / "data")], "warm"),
]


def machine() -> dict:
    model = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "?"
    return {"cpus": os.cpu_count(), "cpu": model, "python": platform.python_version(),
            "system": f"{platform.system()} {platform.release()}", "load": load}


class Timer:
    """Runs one command as a child process: wall time, exit code, and its peak memory (wait4)."""

    def __init__(self, python: str):
        self.python = python

    def run(self, args: list[str], env: dict) -> tuple[float, int, int, str, float]:
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            start = time.perf_counter()
            proc = subprocess.Popen(args, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
            _, status, usage = os.wait4(proc.pid, 0)
            elapsed = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            err.seek(0)
            tail = err.read().decode("utf-8", "replace").strip().splitlines()
        cpu = usage.ru_utime + usage.ru_stime  # the child's and its waited-for workers' CPU time
        return elapsed, proc.returncode, usage.ru_maxrss * 1024, (tail[-1] if tail else ""), cpu

    def ngocoord(self, argv: list[str], env: dict) -> tuple[float, int, int, str, float]:
        return self.run([self.python, "-m", "ngocoord", *argv], env)


def available(timer: Timer, command: str, env: dict) -> bool:
    code = timer.ngocoord([command, "--help"], env)[1]
    return code == 0


def fresh_env(cache: Path, data: Path | None) -> dict:
    env = dict(os.environ, XDG_CACHE_HOME=str(cache), COLUMNS="120")
    env.pop("NGOCOORD_NO_CACHE", None)
    env.pop("GITHUB_ACTIONS", None)
    if data is not None:
        env["NGOCOORD_DATA"] = str(data)
    return env


def measure(timer: Timer, argv: list[str], mode: str, data: Path | None, repeat: int, scratch: Path) -> dict:
    """Median time and peak memory of `repeat` runs, caches prepared as `mode` says."""
    times, cpus, peak, failure = [], [], 0, ""
    warm = scratch / "warm-cache"
    if mode in ("warm", "touched"):
        timer.ngocoord(argv, fresh_env(warm, data))  # fill the cache; not timed
    touched = None
    if mode == "touched":  # one activity file gets a new comment line before each run
        files = sorted((data / "activities").glob("*.yaml"))
        touched = files[len(files) // 2]
    original = touched.read_bytes() if touched else None
    try:
        for i in range(repeat):
            if mode == "cold":
                cache = Path(tempfile.mkdtemp(dir=scratch, prefix="cold-"))
            else:
                cache = warm
            if touched:
                touched.write_bytes(original + f"# benchmark edit {time.time_ns()}\n".encode())
            elapsed, code, rss, tail, cpu = timer.ngocoord(argv, fresh_env(cache, data))
            if mode == "cold":
                shutil.rmtree(cache, ignore_errors=True)
            if code not in (0, 1):
                failure = f"failed (exit {code}: {tail[:80]})"
                break
            times.append(elapsed)
            cpus.append(cpu)
            peak = max(peak, rss)
    finally:
        if touched:
            touched.write_bytes(original)
    if failure:
        return {"status": failure}
    return {"status": "ok", "median": statistics.median(times), "times": times, "cpu": statistics.median(cpus), "peak": peak}


def check_jsonschema(timer: Timer, files: list[Path], repeat: int) -> dict:
    exe = shutil.which("check-jsonschema")
    if exe is None:
        return {"status": "not available"}
    batches, batch, size = [], [], 0
    for f in files:
        if batch and size + len(str(f)) + 1 > ARG_BUDGET:
            batches.append(batch)
            batch, size = [], 0
        batch.append(str(f))
        size += len(str(f)) + 1
    if batch:
        batches.append(batch)
    schema = str(REPO / "schemas" / "activity.schema.json")
    times, cpus, peak = [], [], 0
    for _ in range(repeat):
        total = total_cpu = 0.0
        for b in batches:
            elapsed, code, rss, tail, cpu = timer.run([exe, "--schemafile", schema, *b], dict(os.environ))
            if code != 0:
                return {"status": f"failed (exit {code}: {tail[:80]})"}
            total += elapsed
            total_cpu += cpu
            peak = max(peak, rss)
        times.append(total)
        cpus.append(total_cpu)
    return {"status": "ok", "median": statistics.median(times), "times": times, "cpu": statistics.median(cpus),
            "peak": peak, "calls": len(batches)}


def dataset(out: Path, size: int, seed: int) -> Path:
    folder = out / f"synth-v{synth.VERSION}-{size}-seed{seed}"
    done = folder / ".complete"
    if not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        print(f"generating {size} activities in {folder} ...", file=sys.stderr, flush=True)
        synth.generate(folder, size, seed=seed)
        done.write_text("ok\n")
    return folder


def copies_dataset(out: Path, count: int) -> Path:
    folder = out / f"copies-v{synth.VERSION}-{count}"
    done = folder / ".complete"
    if not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        print(f"generating {count} copies of one activity in {folder} ...", file=sys.stderr, flush=True)
        synth.copies(folder, count)
        done.write_text("ok\n")
    return folder


def cell(result: dict | None) -> str:
    if result is None:
        return ""
    if result["status"] != "ok":
        return result["status"]
    return f"{result['median']:.2f} s ({result['cpu']:.2f} s CPU), {result['peak'] / 2**20:.0f} MiB"


def table(sizes: list[int], results: dict, once: dict) -> str:
    head = "| command | " + " | ".join(f"{n:,} activities" for n in sizes) + " |"
    lines = [head, "|---" * (len(sizes) + 1) + "|"]
    compared = any("check-jsonschema (activity files)" in results[n] for n in sizes)
    for label in [p[0] for p in PER_SIZE] + (["check-jsonschema (activity files)"] if compared else []):
        lines.append(f"| {label} | " + " | ".join(cell(results[n].get(label)) for n in sizes) + " |")
    lines += ["", "| command | time, peak memory |", "|---|---|"]
    lines += [f"| {label} | {cell(r)} |" for label, r in once.items()]
    return "\n".join(lines)


def ratios(sizes: list[int], results: dict) -> list[str]:
    out = []
    for n in sizes:
        cj = results[n].get("check-jsonschema (activity files)")
        for label in ("lint (cold cache)", "lint (warm cache)", "lint (warm, 1 file changed)"):
            r = results[n].get(label)
            if cj and r and cj["status"] == "ok" and r["status"] == "ok":
                out.append(f"- {n:,}: {label} is 1/{cj['median'] / r['median']:.1f} of check-jsonschema's time "
                           f"(1/{cj['cpu'] / r['cpu']:.1f} of its CPU time)")
    if len(sizes) > 1:
        for small, big in zip(sizes, sizes[1:]):
            for label in [p[0] for p in PER_SIZE]:
                a, b = results[small].get(label), results[big].get(label)
                if a and b and a["status"] == "ok" and b["status"] == "ok":
                    factor = big / small
                    out.append(f"- {label}: {big:,} takes {b['median'] / a['median']:.2f}x the {small:,} time, "
                               f"{b['cpu'] / a['cpu']:.2f}x its CPU time (linear: {factor:.0f}x)")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="activity counts, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--out", type=Path, default=HERE / "out", help="where datasets and results-SIZES.json go")
    parser.add_argument("--no-check-jsonschema", action="store_true", help="skip the comparison")
    parser.add_argument("--copies", type=int, default=COPIES,
                        help=f"also time lint and duplicates on this many copies of one activity (default {COPIES}; 0: skip)")
    parser.add_argument("--copies-only", action="store_true", help="time only the copies case")
    parser.add_argument("--check-jsonschema-sizes", default=None,
                        help="compare with check-jsonschema at these sizes only (default: every size; "
                             "at 100,000 it takes about 5 minutes a run)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    compare_at = None if args.check_jsonschema_sizes is None else \
        {int(s) for s in args.check_jsonschema_sizes.split(",") if s.strip()}
    args.out.mkdir(parents=True, exist_ok=True)
    timer = Timer(sys.executable)
    info = machine()
    print(f"machine: {info['cpus']} CPUs, {info['cpu']}, Python {info['python']}, {info['system']}, "
          f"load average at start {info['load']}", file=sys.stderr)
    results: dict[int, dict] = {}
    with tempfile.TemporaryDirectory(prefix="ngocoord-bench-") as tmp:
        scratch = Path(tmp)
        probe = fresh_env(scratch / "probe", None)
        have = {cmd: available(timer, cmd, probe) for cmd in {p[1][0] for p in PER_SIZE + ONCE if p[1][0] != "--help"}}
        once = {}
        copies = {}
        if args.copies:
            data = copies_dataset(args.out, args.copies)
            for label, argv, mode in ON_COPIES:
                copies[label] = measure(timer, argv, mode, data, args.repeat, scratch)
                print(f"  {args.copies} copies: {label}: {cell(copies[label])}", file=sys.stderr, flush=True)
            shutil.rmtree(scratch / "warm-cache", ignore_errors=True)
        if args.copies_only:
            sizes = []
        for label, argv, mode in ([] if args.copies_only else ONCE):
            if argv[0] != "--help" and not have[argv[0]]:
                once[label] = {"status": "not available"}
                continue
            once[label] = measure(timer, argv, mode, None, args.repeat, scratch)
            print(f"  {label}: {cell(once[label])}", file=sys.stderr, flush=True)
        for n in sizes:
            data = dataset(args.out, n, args.seed)
            results[n] = {}
            for label, argv, mode in PER_SIZE:
                if not have[argv[0]]:
                    results[n][label] = {"status": "not available"}
                else:
                    results[n][label] = measure(timer, argv, mode, data, args.repeat, scratch)
                print(f"  {n}: {label}: {cell(results[n][label])}", file=sys.stderr, flush=True)
            shutil.rmtree(scratch / "warm-cache", ignore_errors=True)
            if not args.no_check_jsonschema and (compare_at is None or n in compare_at):
                files = sorted((data / "activities").glob("*.yaml"))
                results[n]["check-jsonschema (activity files)"] = check_jsonschema(timer, files, args.repeat)
                print(f"  {n}: check-jsonschema: {cell(results[n]['check-jsonschema (activity files)'])}", file=sys.stderr, flush=True)
    report = [f"Machine: {info['cpus']} CPUs ({info['cpu']}), Python {info['python']}, {info['system']}; "
              f"load average at start {info['load']}. Medians of {args.repeat} runs; peak memory is the "
              f"largest resident set of the process (or of one of its workers); CPU is user + system time "
              f"of the process and its workers.", ""]
    if sizes:
        report += [table(sizes, results, once), ""]
    if copies:
        report += [f"| {args.copies:,} copies of one activity | time (CPU), peak memory |", "|---|---|"]
        report += [f"| {label} | {cell(r)} |" for label, r in copies.items()] + [""]
    report += ratios(sizes, results)
    text = "\n".join(report)
    print(text)
    name = "-".join(map(str, sizes)) or f"copies-{args.copies}"
    (args.out / f"results-{name}.json").write_text(json.dumps({"machine": info, "repeat": args.repeat, "sizes": results,
                                                         "once": once, "copies": copies}, indent=2) + "\n")


if __name__ == "__main__":
    main()
