#!/usr/bin/env bash
# Mutation testing of the modules that decide what users are told: coverage, duplicates,
# staleness, the published view, changed files and the cache (pyproject.toml [tool.mutmut]).
#
#   bench/mutate.sh                          every mutant of those modules
#   bench/mutate.sh 'ngocoord.lint.*'        only the mutants whose names match
#
# It works in a copy of the checkout (bench/out/mutation, kept between runs so that mutmut only
# retries what changed), never in the work tree. For each mutant mutmut runs only the tests that
# reach the mutated function. Afterwards it lists every surviving mutant with its diff in
# bench/out/mutation/survivors.txt, and exits 1 if one of them is not explained in
# bench/mutation-survivors.md (each explained survivor is a line there starting with its name).
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
"$python" -m mutmut run --max-children "${JOBS:-2}" "$@"
"$python" -m mutmut results | sed -n 's/^ *\([^ :]*\): survived$/\1/p' | sort > survivors.list
: > survivors.txt
unexplained=0
while IFS= read -r name; do
  "$python" -m mutmut show "$name" >> survivors.txt
  if ! grep -q "^- \`$name\`" "$here/bench/mutation-survivors.md" 2>/dev/null; then
    echo "survived, with no reason in bench/mutation-survivors.md: $name"
    unexplained=$((unexplained + 1))
  fi
done < survivors.list
echo "$(wc -l < survivors.list) surviving mutants ($unexplained unexplained); diffs in $work/survivors.txt"
[ "$unexplained" -eq 0 ]
