#!/usr/bin/env bash
# Speed of a sweep split into tasks (not part of the test suite): one
# sweep of configs/bench-200k.json over four rollout sizes (50,000 to
# 200,000 users: cells of unequal cost), REPS replications a cell, run RUNS times each as
#   one process, --jobs 1
#   one process, --jobs 2 (cells on two threads)
#   2 tasks (--task 0/1 --tasks 2, --jobs 1 each) at once, then --merge
# and prints each run's whole-process wall time (/usr/bin/time -v, the
# two tasks and the merge as one shell command), its CPU time and the
# machine's load average, then the medians, and checks
# the merged sweep.csv is the single process's.
#   tests/bench-tasks.sh [RUNS] [REPS]      (default 3 and 8)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3} reps=${2:-8}
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build-release -j2 --target provsim >/dev/null
prov=$PWD/build-release/provsim
scn=$PWD/configs/bench-200k.json
work=$(mktemp -d "${TMPDIR:-/tmp}/provsim-bench-tasks.XXXXXX")
trap 'rm -rf "$work"' EXIT
args=("$scn" --vary 'workload.rollouts[0].users=50000..200000/50000' --reps "$reps")

wall() { # the "Elapsed (wall clock)" of /usr/bin/time -v in seconds
  sed -n 's/.*Elapsed (wall clock) time.*: //p' "$1" |
    awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }'
}
cpu() { # user + system seconds, children included
  awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$1"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

declare -A times
for r in $(seq "$runs"); do
  for how in jobs1 jobs2 tasks2; do
    d=$work/$how-$r
    case $how in
      jobs1) /usr/bin/time -v -o "$work/t" "$prov" sweep "${args[@]}" --jobs 1 --out "$d" >/dev/null ;;
      jobs2) /usr/bin/time -v -o "$work/t" "$prov" sweep "${args[@]}" --jobs 2 --out "$d" >/dev/null ;;
      tasks2)
        /usr/bin/time -v -o "$work/t" bash -c '
          p=$1 d=$2; shift 2
          "$p" sweep "$@" --jobs 1 --out "$d" --task 0 --tasks 2 >/dev/null & a=$!
          "$p" sweep "$@" --jobs 1 --out "$d" --task 1 --tasks 2 >/dev/null & b=$!
          wait $a && wait $b && "$p" sweep --merge "$d" >/dev/null' _ "$prov" "$d" "${args[@]}"
        cmp "$work/jobs1-$r/sweep.csv" "$d/sweep.csv"
        ;;
    esac
    t=$(wall "$work/t")
    times[$how]+="$t "
    echo "run $r $how: wall $t s, cpu $(cpu "$work/t") s, load average $(cut -d' ' -f1 /proc/loadavg)"
  done
done
for how in jobs1 jobs2 tasks2; do
  m=$(tr ' ' '\n' <<<"${times[$how]}" | grep . | median)
  printf '%-7s median %s s (runs: %s)\n' "$how" "$m" "${times[$how]% }"
done
