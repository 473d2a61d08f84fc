#!/usr/bin/env bash
# Regenerates the seed-fixed reference outputs:
#  - tests/reference/<preset>.json: `provsim run configs/<preset>.json
#    --format json` plus the preset's extra arguments from
#    tests/reference/args.txt, for every configs/*.json except bench-*.json;
#    tests/test_presets.c compares the program's output with these byte for
#    byte;
#  - tests/reference/out/: text summaries, series and trace CSVs, a sweep's,
#    a compare's and a run's result directories with their report.md
#    (tests/reference/outputs.sh); ctest reference_outputs compares them.
#
# Run it after an intended change to the model, the scenario loader or the
# JSON writer (or to a preset), review `git diff tests/reference`, and commit
# the new references with the change that explains them:
#
#   tests/refresh-references.sh [PROVSIM_BINARY]
#
# Without an argument it builds build/provsim (Release) first.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${1:-}
if [ -z "$bin" ]; then
    cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build build -j"$(nproc 2>/dev/null || echo 2)" --target provsim >/dev/null
    bin=build/provsim
fi

args_for() { # extra arguments of preset $1 from args.txt
    awk -v f="$1" '$1 == f { $1 = ""; sub(/^ +/, ""); print; exit }' tests/reference/args.txt
}

rm -f tests/reference/*.json
for cfg in configs/*.json; do
    name=$(basename "$cfg")
    case "$name" in bench-*|*.schema.json) continue ;; esac
    # shellcheck disable=SC2046 # the extra arguments are words
    "$bin" run "$cfg" --format json $(args_for "$name") >"tests/reference/$name"
    echo "tests/reference/$name  ($cfg $(args_for "$name"))"
done

rm -rf tests/reference/out
tests/reference/outputs.sh "$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")" tests/reference/out
echo "tests/reference/out/  ($(find tests/reference/out -type f | wc -l) files, tests/reference/outputs.sh)"
