#!/usr/bin/env bash
# tests/csv_nulls.sh PROVSIM SRC -- with one replication a CI does not exist:
# the JSON says null and the CSV an empty cell (never "nan"), in sweep.csv
# and compare.csv; sweep.csv carries sd, min and max beside mean and the CI,
# equal to sweep.json's. ctest csv_nulls.
set -uo pipefail
prov=${1:?usage: csv_nulls.sh PROVSIM SRC} src=${2:?}
work=$(mktemp -d "${TMPDIR:-/tmp}/provsim-nulls.XXXXXX")
trap 'rm -rf "$work"' EXIT
cfg=$src/configs/default.json
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
"$prov" sweep "$cfg" --vary client.workers=5,10 --reps 1 --jobs 1 --out "$work/sw" >/dev/null || fail "sweep"
"$prov" sweep "$cfg" --vary client.workers=5,10 --reps 3 --jobs 1 --out "$work/sw3" >/dev/null || fail "sweep --reps 3"
"$prov" compare "$cfg" "$src/configs/slack-after-hours.json" --reps 1 --jobs 1 --out "$work/c" >/dev/null || fail "compare"
for f in "$work/sw/sweep.csv" "$work/c/compare.csv" "$work/sw3/sweep.csv"; do
  grep -qiE '(^|,)(nan|-?inf)(,|$)' "$f" && fail "$f has nan or inf cells"
done
col() { # file, column name: the column's values, one a line
  awk -F, -v name="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next }
                        { print (c ? $c : "NO-COLUMN") }' "$1"
}
[ "$(col "$work/sw/sweep.csv" clear_time_s_ci95_lo | sort -u)" == "" ] || fail "sweep.csv: 1 replication, ci95_lo not empty"
[ "$(col "$work/sw/sweep.csv" clear_time_s_sd | sort -u)" == "0" ] || fail "sweep.csv: 1 replication, sd not 0 (as in sweep.json)"
[ "$(col "$work/sw/sweep.csv" clear_time_s_min)" == "$(col "$work/sw/sweep.csv" clear_time_s_mean)" ] ||
  fail "sweep.csv: 1 replication, min differs from mean"
# compare.csv's names hold commas: look at the row ends, mean,,,diff_mean,,
rows=$(($(wc -l < "$work/c/compare.csv") - 1))
[ "$(grep -cE ',-?[0-9][0-9.e+-]*,,,-?[0-9][0-9.e+-]*,,$' "$work/c/compare.csv")" == "$rows" ] ||
  fail "compare.csv: 1 replication, the CI cells are not all empty"
grep -q '"ci95_lo":[[:space:]]*null' "$work/sw/sweep.json" || fail "sweep.json: no null CI"
# with 3 replications every statistic is a number, and sweep.csv's sd, min
# and max are sweep.json's, digit for digit
for st in sd ci95_lo min max; do
  csv=$(col "$work/sw3/sweep.csv" "clear_time_s_$st" | tr '\n' ' ')
  json=$(tr -d ' \t\n' < "$work/sw3/sweep.json" | grep -oE "\"clear_time_s\":\{[^}]*\}" |
         grep -oE "\"$st\":[^,}]*" | cut -d: -f2 | tr '\n' ' ')
  [ -n "$json" ] && [ "$csv" == "$json" ] || fail "sweep.csv clear_time_s_$st \"$csv\" is not sweep.json's \"$json\""
done
echo "csv_nulls: $fails problems"
[ "$fails" -eq 0 ]
