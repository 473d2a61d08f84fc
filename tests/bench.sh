#!/usr/bin/env bash
# Speed benchmark (not part of the test suite): runs configs/bench-1m.json,
# configs/bench-okta-1m.json (the same rollout with Okta's two-request
# recipe) and configs/bench-200k.json several times on a Release build and
# prints the median wall time, requests per second (this client's and other
# clients' requests: a unit that does not change when events are merged),
# events per second and peak memory of each.
#   tests/bench.sh [RUNS]      (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build-release -j"$(nproc)" --target provsim >/dev/null
for scn in configs/bench-1m.json configs/bench-okta-1m.json configs/bench-200k.json; do
  for _ in $(seq "$runs"); do
    build-release/provsim run "$scn" --jobs 1 --perf --format json
  done | python3 -c '
import json, statistics, sys
text = sys.stdin.read()
dec, i, perfs = json.JSONDecoder(), 0, []
while i < len(text):
    while i < len(text) and text[i].isspace(): i += 1
    if i >= len(text): break
    obj, i = dec.raw_decode(text, i)
    perfs.append(obj["perf"])
jobs = obj["metrics"]["jobs"]["mean"]
reqs = obj["metrics"]["attempts"]["mean"] + obj["metrics"]["other_clients_requests"]["mean"]
med = lambda k: statistics.median(p[k] for p in perfs)
wall, eps, rss = med("wall_s"), med("events_per_s"), med("peak_rss_bytes")
print("%s: %d runs, median wall %.1f ms, %.2f M requests/s (%d requests), %.2f M events/s (%d events), peak memory %.1f MiB = %.0f bytes/job"
      % (sys.argv[1], len(perfs), wall * 1e3, reqs / wall / 1e6, reqs, eps / 1e6, perfs[0]["events"], rss / 2**20, rss / jobs))
' "$scn"
done
