#!/usr/bin/env bash
# tests/bad/run.sh PROVSIM -- runs the bad-input corpus (cases.tsv) against a
# built provsim. Every case must exit with its code, say its message on
# stderr, print nothing on stdout, and leave no file behind (its working
# directory @OUT@ and the fixtures must be as before). Prints one line per
# failing case and a summary; exit 1 if any failed. ctest: bad_inputs.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
prov=${1:?usage: run.sh PATH/TO/provsim}
prov=$(cd "$(dirname "$prov")" && pwd)/$(basename "$prov")

work=$(mktemp -d "${TMPDIR:-/tmp}/provsim-bad.XXXXXX")
trap 'chmod -R u+rwx "$work" 2>/dev/null; rm -rf "$work"' EXIT
fix=$work/fix
mkdir -p "$fix"
truncate -s 17M "$fix/big.json"      # sparse: costs no disk
echo 'not a directory' > "$fix/file.txt"
echo '{}' > "$fix/noperm.json" && chmod 000 "$fix/noperm.json"
mkdir -p "$fix/oldsweep/journal" && echo '{}' > "$fix/oldsweep/journal/manifest.json"
mkdir -p "$fix/badtask/journal" && echo 'not json' > "$fix/badtask/journal/task-0000-of-0001.jsonl"
fix_before=$(ls -lAR "$fix" | sed 1d)

fails=0 runs=0 skips=0

fail() { # name, what
  printf 'FAIL %s: %s\n' "$1" "$2"
  fails=$((fails + 1))
}

# the valid bases must be valid, or every case that differs from them
# proves nothing
for f in "$here"/valid-*.json; do
  if ! out=$("$prov" validate "$f" 2>&1); then
    fail "$(basename "$f")" "a valid base does not validate: $out"
  fi
done

# every other scenario file here must be used by a case
for f in "$here"/*.json; do
  b=$(basename "$f")
  case $b in valid-*) continue ;; esac
  grep -q "@BAD@/$b" "$here/cases.tsv" || fail "$b" "not used by any case in cases.tsv"
done

while IFS=$'\t' read -r name code want args; do
  case $name in ''|'#'*) continue ;; esac
  if [[ $args == *@FIX@/noperm.json* && $(id -u) == 0 ]]; then
    skips=$((skips + 1)) # root reads a mode-000 file
    continue
  fi
  runs=$((runs + 1))
  out=$work/out.$runs
  mkdir "$out"
  sub() { local s=${1//@BAD@/$here}; s=${s//@FIX@/$fix}; printf '%s' "${s//@OUT@/$out}"; }
  args=$(sub "$args")
  want=$(sub "$want")
  eval "set -- $args"
  envs=()
  while [ $# -gt 0 ] && [[ $1 =~ ^[A-Z_][A-Z0-9_]*= ]]; do
    envs+=("$1")
    shift
  done
  (cd "$out" && env "${envs[@]}" "$prov" "$@" < /dev/null > "$work/stdout" 2> "$work/stderr")
  rc=$?
  err=$(cat "$work/stderr")
  if [ "$rc" != "$code" ]; then
    fail "$name" "expected exit $code, got $rc; stderr: ${err:0:300}"
  elif ! grep -qF -- "$want" "$work/stderr"; then
    fail "$name" "stderr lacks: $want
    stderr was: ${err:0:400}"
  elif [ -s "$work/stdout" ]; then
    fail "$name" "printed on stdout: $(head -c 200 "$work/stdout")"
  elif [ -n "$(ls -A "$out")" ]; then
    fail "$name" "left files behind: $(ls -A "$out" | tr '\n' ' ')"
  elif [ "$(ls -lAR "$fix" | sed 1d)" != "$fix_before" ]; then
    fail "$name" "changed the fixtures directory"
    fix_before=$(ls -lAR "$fix" | sed 1d)
  elif grep -qE 'AddressSanitizer|runtime error|LeakSanitizer' "$work/stderr"; then
    fail "$name" "sanitizer report: ${err:0:300}"
  fi
  rmdir "$out" 2>/dev/null || rm -rf "$out"
done < "$here/cases.tsv"

# the result directories here (backtest-*/) hold their one data file still:
# a refused report or plot writes nothing, not even a chart
for d in "$here"/backtest-*/; do
  left=$(ls -A "$d")
  [ "$left" = backtest.json ] || fail "$(basename "$d")" "holds more than backtest.json: $left"
done

printf 'bad inputs: %d cases run, %d failed, %d skipped (running as root)\n' \
  "$runs" "$fails" "$skips"
[ "$fails" -eq 0 ]
