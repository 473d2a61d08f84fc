#!/usr/bin/env bash
# tests/audit_presets.sh PROVSIM -- runs every preset in configs/ under
# --audit (the model's invariants and the limiter quotas after every
# event): 2 replications each; the bench-* presets with one replication
# and their first rollout cut to 20,000 users, to keep the suite fast.
# Prints one line per preset; exit 1 if any run fails. ctest: audit_presets.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
prov=${1:?usage: audit_presets.sh PATH/TO/provsim}
fails=0 n=0
for f in "$here"/configs/*.json; do
  b=$(basename "$f" .json)
  case $b in
    *.schema) continue ;; # the JSON Schema, not a scenario
    bench-*) args=(--reps 1 --set 'workload.rollouts[0].users=20000') ;;
    *) args=(--reps 2) ;;
  esac
  n=$((n + 1))
  start=$(date +%s%N)
  err=$("$prov" run "$f" --audit --jobs 1 "${args[@]}" 2>&1 >/dev/null)
  rc=$?
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  if [ $rc -ne 0 ]; then
    printf 'FAIL %s: exit %d: %s\n' "$b" "$rc" "${err:0:400}"
    fails=$((fails + 1))
  else
    printf 'ok   %s (%s %s, %d ms)\n' "$b" "${args[0]}" "${args[1]}" "$ms"
  fi
done
printf 'audit: %d presets, %d failed\n' "$n" "$fails"
[ "$fails" -eq 0 ]
