#!/usr/bin/env bash
# Mutation testing of the modules that decide what users are told: coverage, duplicates,
# staleness, the published view, changed files and the cache. pyproject.toml names them in
# passes ([tool.ngocoord.mutation.PASS]: the modules, and the test files that decide them).
#
#   bench/mutate.sh                                  every pass
#   bench/mutate.sh cache                            one pass
#   bench/mutate.sh cache 'ngocoord.load.cache.*'    only the mutants whose names match, in that pass
#
# Each pass works in a copy of the checkout (bench/out/mutation/PASS, kept between runs so that
# mutmut only retries what changed), never in the work tree. For each mutant mutmut runs only the
# pass's tests that reach the mutated function. Afterwards it lists every mutant that no test
# killed, with its diff, in bench/out/mutation/survivors.txt, and exits 1 if one of them is not
# explained in bench/mutation-survivors.md (each explained survivor is a line "- `NAME`: why").
# JOBS (default 2) is how many mutants run at once.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=${MUTATE_DIR:-$here/bench/out/mutation}
python=${PYTHON:-python3}
all=$("$python" -c 'import sys, tomllib; print(*tomllib.load(open(sys.argv[1], "rb"))["tool"]["ngocoord"]["mutation"])' \
  "$here/pyproject.toml")
passes=$all
if [ $# -gt 0 ]; then
  passes=$1; shift
  case " $all " in *" $passes "*) ;; *) echo "no pass '$passes'; the passes are: $all" >&2; exit 2 ;; esac
fi
mkdir -p "$out"
: > "$out/survivors.list"
for pass in $passes; do
  work=$out/$pass
  mkdir -p "$work"
  echo "== pass $pass"
  # the checkout as it is now: tracked and new files, not ignored ones
  (cd "$here" && git ls-files -z --cached --others --exclude-standard \
    | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
    | tar --null -T - -cf -) | tar -xf - -C "$work"
  (cd "$work" && "$python" - "$pass" <<'PY'
import json, re, sys, tomllib
from pathlib import Path

# mutmut's configuration for this pass: its modules. Its tests are picked by tests/conftest.py from
# NGOCOORD_MUTATION_TESTS, so that a new test file leaves mutmut's configuration as it was
config = Path("pyproject.toml")
settings = tomllib.loads(config.read_text(encoding="utf-8"))["tool"]["ngocoord"]["mutation"][sys.argv[1]]
config.write_text(config.read_text(encoding="utf-8").replace(
    "[tool.mutmut]\n",
    f"[tool.mutmut]\nonly_mutate = {json.dumps(settings['modules'])}\n"
    'pytest_add_cli_args_test_selection = ["tests"]\n', 1), encoding="utf-8")
# mutmut leaves decorated functions alone, and every lint rule is registered by @rule(...): in the
# copy, register the rules of the mutated modules after their definition instead (the same call),
# so that their bodies are mutated too
for name in settings["modules"]:
    path = Path(name)
    text = path.read_text(encoding="utf-8")
    registered = re.findall(r"^@(rule\(.*\))\ndef (\w+)\(", text, re.M)
    if registered:
        text = re.sub(r"^@rule\(.*\)\n(?=def )", "", text, flags=re.M)
        path.write_text(text + "".join(f"\n{fn} = {call}({fn})" for call, fn in registered) + "\n", encoding="utf-8")
PY
  )
  NGOCOORD_MUTATION_TESTS=$("$python" -c 'import sys, tomllib
print(*tomllib.load(open(sys.argv[1], "rb"))["tool"]["ngocoord"]["mutation"][sys.argv[2]]["tests"])' "$here/pyproject.toml" "$pass")
  export NGOCOORD_MUTATION_TESTS
  (cd "$work" && "$python" -m mutmut run --max-children "${JOBS:-2}" "$@")
  # every mutant no test killed: survived, or reached by no test ("no tests"), or ... (a timeout
  # counts as killed; "not checked": outside the mutants asked for, when some were named)
  (cd "$work" && "$python" -m mutmut results | sed -n 's/^ *\([^ :]*\): \(.*\)$/\1 \2/p' \
    | grep -v -e ' timeout$' -e ' not checked$' | sed "s/^/$pass /") >> "$out/survivors.list" || true
done
: > "$out/survivors.txt"
unexplained=0
while read -r pass name status; do
  { echo "## $name ($status)"; (cd "$out/$pass" && "$python" -m mutmut show "$name"); echo; } >> "$out/survivors.txt"
  if ! grep -q "^- \`$name\`" "$here/bench/mutation-survivors.md" 2>/dev/null; then
    echo "$status, with no reason in bench/mutation-survivors.md: $name"
    unexplained=$((unexplained + 1))
  fi
done < "$out/survivors.list"
echo "$(wc -l < "$out/survivors.list") mutants not killed ($unexplained unexplained); their diffs: $out/survivors.txt"
[ "$unexplained" -eq 0 ]
