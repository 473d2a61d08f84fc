#!/usr/bin/env bash
# tests/signals.sh PROVSIM SRC -- SIGINT and SIGTERM in the middle of a long
# run --out DIR --series --trace and a long compare --out DIR: every
# temporary file is removed, the exit status is 130 (SIGINT) or 143
# (SIGTERM), and stderr says what was removed and kept. ctest signals.
set -uo pipefail
prov=${1:?usage: signals.sh PROVSIM SRC} src=${2:?}
work=$(mktemp -d "${TMPDIR:-/tmp}/provsim-sig.XXXXXX")
trap 'rm -rf "$work"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
big=$src/configs/bench-1m.json # about 0.7 s per replication: 40 are long enough

# case name, signal, expected exit, directory, provsim arguments...
interrupt() {
  local name=$1 sig=$2 want=$3 dir=$4
  shift 4
  mkdir -p "$dir"
  "$prov" "$@" > "$work/$name.out" 2> "$work/$name.err" &
  local pid=$! waited=0
  # until the outputs are open (their temporary files exist), at most 20 s
  until [ -n "$(find "$dir" -name '*.tmp*' 2>/dev/null | head -1)" ] || [ $waited -ge 200 ]; do
    sleep 0.1
    waited=$((waited + 1))
  done
  [ $waited -lt 200 ] || fail "$name: no temporary file appeared in $dir"
  sleep 0.3
  kill -s "$sig" "$pid"
  wait "$pid"
  local rc=$?
  [ "$rc" -eq "$want" ] || fail "$name: exit $rc, expected $want"
  local left
  left=$(find "$dir" -name '*.tmp*')
  [ -z "$left" ] || fail "$name: temporary files left: $left"
  grep -qE "provsim: (interrupted \(SIGINT\)|terminated \(SIGTERM\)): removed [1-9][0-9]* unfinished file" "$work/$name.err" ||
    fail "$name: stderr does not say what was removed: $(cat "$work/$name.err")"
  grep -q "none kept\|kept the complete ones" "$work/$name.err" || fail "$name: stderr does not say what was kept"
  echo "$name: exit $rc; $(tail -1 "$work/$name.err")"
}
interrupt run-int INT 130 "$work/r1" run "$big" --reps 40 --jobs 1 --out "$work/r1/out" \
  --series "$work/r1/s.csv" --trace "$work/r1/t.csv"
interrupt run-term TERM 143 "$work/r2" run "$big" --reps 40 --jobs 1 --series "$work/r2/s.csv"
interrupt compare-term TERM 143 "$work/c1" compare "$big" "$big" --reps 40 --jobs 1 --out "$work/c1/out"
interrupt compare-int INT 130 "$work/c2" compare "$big" "$big" --reps 40 --jobs 1 --out "$work/c2/out"
echo "signals: $fails problems"
[ "$fails" -eq 0 ]
