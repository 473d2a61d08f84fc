#!/usr/bin/env bash
# The seed-fixed reference outputs beyond `run --format json` (those are
# tests/reference/<preset>.json): the text summary, the --series and --trace
# CSVs, a small sweep's and a compare's files and the report.md of a run, a
# compare and a sweep directory. One line per output file in CASES below.
#
#   tests/reference/outputs.sh PROVSIM_BINARY OUTDIR
#
# writes every file into OUTDIR (which must be empty or absent).
# tests/refresh-references.sh calls it with OUTDIR = tests/reference/out;
# ctest reference_outputs calls it with a temporary OUTDIR and compares the
# two trees byte for byte (diff -r).
set -euo pipefail
bin=$1
out=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out"
cd "$out"
c=$src/configs
# Commands run in OUTDIR, so paths the outputs record are relative to it.
cp "$c/slack-business-hours.json" "$c/slack-after-hours.json" "$c/miro.json" .
# text summaries of two presets
"$bin" run slack-business-hours.json --reps 3 --jobs 1 >run-slack-business-hours.txt
"$bin" run miro.json --reps 2 --jobs 2 >run-miro.txt
# series and trace of replication 0
"$bin" run miro.json --reps 1 --series series-miro.csv --trace trace-miro.csv >/dev/null
"$bin" run slack-business-hours.json --reps 1 --set horizon=12h \
    --series series-slack.csv --trace trace-slack.csv >/dev/null
# a run directory and its report
"$bin" run slack-after-hours.json --reps 2 --out run-dir >/dev/null
"$bin" report run-dir >/dev/null
# a small sweep
"$bin" sweep slack-business-hours.json --vary 'workload.rollouts[0].batch_size=250,1000' \
    --vary 'workload.rollouts[0].at=06:00,10:00' --reps 2 --jobs 2 --out sweep-dir \
    >sweep-stdout.txt
"$bin" report sweep-dir >/dev/null
# a compare
"$bin" compare slack-business-hours.json slack-after-hours.json --reps 3 --out compare-dir \
    >compare-stdout.txt
"$bin" report compare-dir >/dev/null
rm -f slack-business-hours.json slack-after-hours.json miro.json
# The traces are megabytes: keep their first lines and a digest of the whole.
for t in trace-*.csv; do
    sha256sum "$t" >"$t.sha256"
    head -n 200 "$t" >"$t.head"
    rm "$t"
done
# Charts and report.html (which embeds them) are gnuplot's bytes, not ours;
# the lock is empty. Keep the data and the Markdown.
find . \( -name '*.png' -o -name '*.svg' -o -name 'report.html' -o -name lock \) -delete
