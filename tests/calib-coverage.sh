#!/usr/bin/env bash
# Coverage of calibrate's 95% intervals (not part of the test suite: it
# runs calibrate N times per case). For each case, N logs are written by
# provsim-mklogs from a scenario with known parameters, replications
# FIRST+1..FIRST+N (independent of each other, of the fit's replications
# 0..reps-1 and of the bootstrap's), each calibrated; for every fitted
# value it prints how many of the N intervals hold the known value, that
# share with its Wilson 95% confidence interval, how many intervals
# reached the grid's end (not identified), and the median fitted value
# and interval width. Cases:
#   limit   tests/calib/known-limit.json, System Log + JSON access log:
#           rate 8/s, burst 20, jitter 10 s
#   okta    the same scenario, System Log alone: rate, burst, workers 4,
#           jitter
#   workers tests/calib/known-workers.json, System Log (CSV) alone:
#           workers 3
#   tests/calib-coverage.sh [BUILD_DIR [N [FIRST [CASE...]]]]
#       (default build 20 1000 limit okta workers)
# With CALIB_COVERAGE_KEEP=DIR set, each case's fits are kept in
# DIR/CASE.fits, a line per fitted value: replication, key, value, lo, hi,
# not identified (1) or not (0).
# A value printed with 4 significant digits is compared as printed.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
n=${2:-20}
first=${3:-1000}
shift $(($# < 3 ? $# : 3))
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(limit okta workers)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run_case() {
    local c=$1 known args truth
    case $c in
    limit) known=tests/calib/known-limit.json
        truth="server.limits[0].rate=8 server.limits[0].burst=20 client.retry.jitter=10" ;;
    okta) known=tests/calib/known-limit.json
        truth="server.limits[0].rate=8 server.limits[0].burst=20 client.workers=4 client.retry.jitter=10" ;;
    workers) known=tests/calib/known-workers.json truth="client.workers=3" ;;
    *) echo "calib-coverage.sh: unknown case $c" >&2; exit 2 ;;
    esac
    : >"$tmp/$c.fits"
    for k in $(seq 1 "$n"); do
        local rep=$((first + k))
        case $c in
        limit) "$build/tests/provsim-mklogs" "$known" --okta "$tmp/o.jsonl" --access "$tmp/a.jsonl" \
                --noise --rep "$rep"
            args=(--okta-log "$tmp/o.jsonl" --access-log "$tmp/a.jsonl") ;;
        okta) "$build/tests/provsim-mklogs" "$known" --okta "$tmp/o.jsonl" --noise --rep "$rep"
            args=(--okta-log "$tmp/o.jsonl") ;;
        workers) "$build/tests/provsim-mklogs" "$known" --okta "$tmp/o.csv" --okta-format csv \
                --noise --rep "$rep"
            args=(--okta-log "$tmp/o.csv") ;;
        esac
        "$build/provsim" calibrate "${args[@]}" --app Slack --base "$known" --out "$tmp/cal.json" \
            >"$tmp/out.txt"
        # "  KEY   VALUE UNIT (LO-HI[, ...])" -> "KEY VALUE LO HI EDGE"
        awk -v rep="$rep" '/^  [a-z.\[\]0-9]+ +[0-9.e+]+[^(]*\([0-9.e+]+-[0-9.e+]+/ {
                key = $1; val = $2
                s = $0; sub(/^[^(]*\(/, "", s); split(s, p, /[-,)]/)
                edge = index($0, "NOT IDENTIFIED") || index($0, "at the grid") ? 1 : 0
                print rep, key, val, p[1], p[2], edge }' "$tmp/out.txt" >>"$tmp/$c.fits"
    done
    echo "case $c: $n logs (replications $((first + 1))-$((first + n))) of $known"
    for t in $truth; do
        local key=${t%=*} val=${t#*=}
        awk -v key="$key" -v truth="$val" -v n="$n" '
            $2 == key { m++; cov += ($4 <= truth && truth <= $5); edge += $6
                        v[m] = $3; w[m] = $5 - $4 }
            function median(a, k,   i, j, t) {
                for (i = 2; i <= k; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--)
                    a[j + 1] = a[j]; a[j + 1] = t }
                return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2 }
            END {
                if (!m) { printf "  %-24s not fitted\n", key; exit }
                p = cov / m; z = 1.959964; d = 1 + z * z / m
                c = (p + z * z / (2 * m)) / d; h = z * sqrt(p * (1 - p) / m + z * z / (4 * m * m)) / d
                printf "  %-24s known %-4s covered %d/%d = %.0f%% (Wilson 95%% CI %.0f-%.0f%%); " \
                       "not identified %d; median fit %.4g, median width %.3g\n",
                       key, truth, cov, m, 100 * p, 100 * (c - h), 100 * (c + h), edge,
                       median(v, m), median(w, m) }' "$tmp/$c.fits"
    done
}

for c in "${cases[@]}"; do
    run_case "$c"
    [ -z "${CALIB_COVERAGE_KEEP:-}" ] || cp "$tmp/$c.fits" "$CALIB_COVERAGE_KEEP/"
done
