#!/usr/bin/env bash
# tests/valgrind.sh [BUILD_DIR] -- runs provsim under valgrind's memcheck on
# a few representative small runs: no invalid reads or writes, no use of
# uninitialised values, no definite or indirect leaks, on the success paths
# and on the error paths (a bad input frees what it loaded). Run by
# tests/run-all.sh after the release ctest; about a minute on 2 cores.
# Prints one line per run; on a failure, the valgrind report. Exit 1 if any
# run fails.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
prov=$build/provsim
command -v valgrind >/dev/null || { echo "valgrind.sh: valgrind is not installed" >&2; exit 1; }
[ -x "$prov" ] || { echo "valgrind.sh: no $prov (build first)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/provsim-vg.XXXXXX")
trap 'rm -rf "$work"' EXIT
fails=0 n=0

# check NAME EXPECTED_EXIT ARGS... : valgrind's own errors exit 99
check() {
  local name=$1 want=$2
  shift 2
  n=$((n + 1))
  local log=$work/$name.log start=$(date +%s)
  valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
    --show-leak-kinds=definite,indirect --track-origins=yes --log-file="$log" \
    "$@" > "$work/stdout" 2> "$work/stderr"
  local rc=$? secs=$(( $(date +%s) - start ))
  if [ $rc -eq 99 ] || [ $rc -ne "$want" ]; then
    printf 'FAIL %s: exit %d (expected %d)\n' "$name" "$rc" "$want"
    sed -n '/ERROR SUMMARY\|Invalid\|uninitialised\|definitely lost\|indirectly lost/,+12p' "$log" | head -60
    tail -5 "$work/stderr"
    fails=$((fails + 1))
  else
    printf 'ok   %s (%ds, %s)\n' "$name" "$secs" "$(grep -o 'ERROR SUMMARY: [0-9]* errors' "$log")"
  fi
}

check default-2reps 0 "$prov" run --reps 2 --jobs 2
check pause-all 0 "$prov" run "$root/configs/entra-id-github-emu-pause.json" --reps 2 --jobs 1
check set-overrides-outputs 0 "$prov" run --reps 1 --jobs 1 \
  --set 'workload.rollouts[0].batch_size=250' \
  --set 'client.retry={"policy": "exponential", "base": "1s", "cap": "5m", "max_attempts": 8}' \
  --set 'server.error_rate=0.01' --format json \
  --series "$work/series.csv" --trace "$work/trace.csv"
check audit-sliding-window 0 "$prov" run "$root/configs/retry-storm.json" --reps 1 --jobs 1 --audit \
  --set 'server.limits=[{"type": "sliding_window", "limit": 100, "window": "1m"}, {"type": "concurrency", "limit": 4, "retry_after": "2s"}]'
check validate-preset 0 "$prov" validate "$root/configs/slack-business-hours.json"
check bad-syntax 2 "$prov" validate "$root/tests/bad/syn-truncated.json"
check bad-value 2 "$prov" run "$root/tests/bad/unknown-batchsize.json"
check bad-set-path 2 "$prov" run --set 'server.limit[0].rate=1'
check bad-output 2 "$prov" run --reps 1 --series "$work/no-such-dir/x.csv"
check bad-memory 2 "$prov" run "$root/tests/bad/valid-100m-users.json" --max-memory 1G
printf 'valgrind: %d runs, %d failed\n' "$n" "$fails"
[ "$fails" -eq 0 ]
