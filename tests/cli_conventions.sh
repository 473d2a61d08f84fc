#!/usr/bin/env bash
# tests/cli_conventions.sh PROVSIM SRC -- the GNU conventions every command
# follows, and standard input and output: --opt=value is --opt value, an
# unambiguous prefix is the option, -- ends the options, -h is --help; a
# scenario "-" is read from standard input (run, validate, sweep, compare);
# --series - and --trace - write on standard output. Each case compares two
# spellings that must give the same bytes. ctest cli_conventions.
set -uo pipefail
prov=${1:?usage: cli_conventions.sh PROVSIM SRC} src=${2:?}
prov=$(cd "$(dirname "$prov")" && pwd)/$(basename "$prov")
src=$(cd "$src" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/provsim-conv.XXXXXX")
trap 'rm -rf "$work"' EXIT
cfg=$src/configs/default.json
fails=0 n=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
same() { # name, command A, command B: same stdout, both exit 0
  n=$((n + 1))
  local a b
  a=$(eval "$2" 2>"$work/ea") || { fail "$1: \"$2\" exits $?: $(cat "$work/ea")"; return; }
  b=$(eval "$3" 2>"$work/eb") || { fail "$1: \"$3\" exits $?: $(cat "$work/eb")"; return; }
  [ -n "$a" ] || { fail "$1: \"$2\" printed nothing"; return; }
  [ "$a" == "$b" ] || fail "$1: \"$2\" and \"$3\" differ"
}
P=$prov
q='--reps 2 --jobs 1 --format json'
same "--opt=value" "$P run $cfg --reps=2 --jobs=1 --format=json" "$P run $cfg $q"
same "prefix" "$P run $cfg --rep 2 --jo 1 --form json" "$P run $cfg $q"
same "--set=" "$P run $cfg $q --set='client.workers=5'" "$P run $cfg $q --set client.workers=5"
# the provenance names the source as given ("-" is standard input): all else the same
same "stdin run" "$P run - $q < $cfg | grep -v '\"source\":'" "$P run $cfg $q | grep -v '\"source\":'"
same "stdin run, -- first" "$P run $q -- - < $cfg | grep -v '\"source\":'" \
  "$P run $cfg $q | grep -v '\"source\":'"
same "stdin validate" "$P validate - < $cfg" "$P validate $cfg | sed 's|^$cfg:|standard input:|'"
# (a scenario changed by --set is labelled from what it simulates, so both sides set it)
same "validate --set" "$P validate $cfg --set client.workers=7 && $P run $cfg $q --set client.workers=7" \
  "$P validate $cfg --set=client.workers=7 && $P run $cfg $q --set=client.workers=7"
same "-h" "$P run -h" "$P run --help"
same "--he" "$P sweep --he" "$P sweep --help"
same "help wins" "$P compare --bogus -h" "$P compare --help"
for c in validate plot report presets init; do
  same "$c -h" "$P $c -h" "$P $c --help"
done
# a file whose name starts with a dash, after --
cp "$cfg" "$work/-x.json"
same "-- file" "cd $work && $P validate -- -x.json | sed 's|-x.json||'" "$P validate $cfg | sed 's|$cfg||'"
# --series - and --trace -: the CSV on stdout, byte for byte the file; the summary on stderr
"$P" run "$cfg" --reps 1 --series "$work/s.csv" > "$work/summary.txt" || fail "run --series FILE"
"$P" run "$cfg" --reps 1 --series - > "$work/s-stdout.csv" 2> "$work/summary-err.txt" || fail "run --series -"
cmp -s "$work/s.csv" "$work/s-stdout.csv" || fail "--series - differs from --series FILE"
cmp -s "$work/summary.txt" "$work/summary-err.txt" || fail "with --series -, the summary on stderr differs"
"$P" run "$cfg" --reps 1 --set horizon=12h --trace "$work/t.csv" > /dev/null || fail "run --trace FILE"
"$P" run "$cfg" --reps 1 --set horizon=12h --trace - 2>/dev/null | cmp -s "$work/t.csv" - || fail "--trace - differs from --trace FILE"
n=$((n + 3))
# sweep and compare read "-" too
"$P" sweep - --vary client.workers=5,10 --reps 2 --out "$work/sw1" < "$cfg" > /dev/null || fail "sweep -"
"$P" sweep "$cfg" --vary=client.workers=5,10 --rep=2 --out="$work/sw2" > /dev/null || fail "sweep FILE"
cmp -s "$work/sw1/sweep.csv" "$work/sw2/sweep.csv" || fail "sweep - and sweep FILE: sweep.csv differs"
"$P" compare - "$src/configs/slack-after-hours.json" --reps 2 --out "$work/c1" < "$cfg" > /dev/null || fail "compare -"
"$P" compare "$cfg" "$src/configs/slack-after-hours.json" --reps 2 --out "$work/c2" > /dev/null || fail "compare FILES"
cmp -s "$work/c1/compare.csv" "$work/c2/compare.csv" || fail "compare - and compare FILE: compare.csv differs"
n=$((n + 2))
echo "cli_conventions: $n cases, $fails failed"
[ "$fails" -eq 0 ]
