#!/usr/bin/env bash
# Mutation testing of the modules that decide what users are told: coverage, duplicates,
# staleness, the published view, changed files and the cache (pyproject.toml [tool.mutmut]).
#
#   bench/mutate.sh                          every mutant of those modules
#   bench/mutate.sh 'ngocoord.check.lint.*'        only the mutants whose names match
#
# It works in a copy of the checkout (bench/out/mutation, kept between runs so that mutmut only
# retries what changed), never in the work tree. For each mutant mutmut runs only the tests that
# reach the mutated function. Afterwards it lists every mutant that no test killed, with its diff,
# in bench/out/mutation/survivors.txt, and exits 1 if one of them is not explained in
# bench/mutation-survivors.md (each explained survivor is a line there: "- `NAME`: why").
# JOBS (default 2) is how many mutants run at once.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=${MUTATE_DIR:-$here/bench/out/mutation}
python=${PYTHON:-python3}
mkdir -p "$work"
# the checkout as it is now: tracked and new files, not ignored ones
(cd "$here" && git ls-files -z --cached --others --exclude-standard \
  | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
  | tar --null -T - -cf -) | tar -xf - -C "$work"
cd "$work"
# mutmut leaves decorated functions alone, and every lint rule is registered by @rule(...): in the
# copy, register the rules of the mutated modules after their definition instead (the same call),
# so that their bodies are mutated too
"$python" - <<'PY'
import re, tomllib
from pathlib import Path

for name in tomllib.loads(Path("pyproject.toml").read_text())["tool"]["mutmut"]["only_mutate"]:
    path = Path(name)
    text = path.read_text(encoding="utf-8")
    registered = re.findall(r"^@(rule\(.*\))\ndef (\w+)\(", text, re.M)
    if registered:
        text = re.sub(r"^@rule\(.*\)\n(?=def )", "", text, flags=re.M)
        path.write_text(text + "".join(f"\n{fn} = {call}({fn})" for call, fn in registered) + "\n", encoding="utf-8")
PY
"$python" -m mutmut run --max-children "${JOBS:-2}" "$@"
# every mutant no test killed: survived, or reached by no test ("no tests"), or ... (a timeout counts as killed)
# ("not checked": outside the mutants asked for, when some were named)
"$python" -m mutmut results | sed -n 's/^ *\([^ :]*\): \(.*\)$/\1 \2/p' | grep -v -e ' timeout$' -e ' not checked$' \
  | sort > survivors.list || true
: > survivors.txt
unexplained=0
while read -r name status; do
  { echo "## $name ($status)"; "$python" -m mutmut show "$name"; echo; } >> survivors.txt
  if ! grep -q "^- \`$name\`" "$here/bench/mutation-survivors.md" 2>/dev/null; then
    echo "$status, with no reason in bench/mutation-survivors.md: $name"
    unexplained=$((unexplained + 1))
  fi
done < survivors.list
echo "$(wc -l < survivors.list) mutants not killed ($unexplained unexplained); their diffs: $work/survivors.txt"
[ "$unexplained" -eq 0 ]
