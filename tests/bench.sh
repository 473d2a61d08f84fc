#!/usr/bin/env bash
# Speed benchmark (not part of the test suite). Builds this checkout and a
# base commit (default 5ace781, main as of 2026-11-28, before the fidelity,
# honest-answers and speed work) from git, both Release, and runs each
# benchmark RUNS times with the two binaries in turn (new, base, new, base,
# ...: absolute times on shared machines drift between runs and days, a
# ratio of neighbours much less). For each benchmark it prints, as medians:
#   requests/s  requests simulated per second of the replications' wall
#               time: this client's and other clients' requests, and for the
#               new build also those of the rollout-free replications of the
#               harm metrics (work it does that the base did not have); the
#               unit does not change when events are merged or split
#   events/s    events processed per second (the same two kinds of
#               replication)
#   bytes/job   peak resident memory of the process / jobs of the run
# and the ratio new/base of each (the median of the run-by-run ratios).
# Each build runs its own copy of the benchmark file (the base's has no
# "$schema" key, which it would refuse); bench-okta-1m.json is new, so it
# has no base and is compared with bench-1m instead.
#   tests/bench.sh [RUNS [BASE_COMMIT]]      (default 5, 5ace781)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
base=${2:-5ace781}
root=$(pwd)
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build-release -j"$(nproc)" --target provsim >/dev/null

basedir=build-release/bench-base-$base
if [ ! -x "$basedir/build/provsim" ]; then
    rm -rf "$basedir"
    git worktree prune
    git worktree add --detach "$basedir" "$base" >/dev/null 2>&1
    cmake -S "$basedir" -B "$basedir/build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
    cmake --build "$basedir/build" -j"$(nproc)" --target provsim >/dev/null
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for b in bench-1m bench-okta-1m bench-200k; do
    for i in $(seq "$runs"); do
        build-release/provsim run "configs/$b.json" --jobs 1 --perf --format json >"$out/$b.new.$i.json"
        if [ -f "$basedir/configs/$b.json" ]; then
            (cd "$basedir" && build/provsim run "configs/$b.json" --jobs 1 --perf --format json) \
                >"$out/$b.base.$i.json"
        fi
    done
done

python3 - "$out" "$runs" "$base" <<'EOF'
import json, os, statistics, sys
out, runs, base = sys.argv[1], int(sys.argv[2]), sys.argv[3]

def figures(path):
    o = json.load(open(path))
    p, m = o["perf"], o["metrics"]
    wall = p["wall_s"]
    # the base's perf object has no request counts: its requests are the
    # metrics' (one replication; it had no rollout-free replications)
    if "requests" in p:
        req = p["requests"] + p["rollout_free_requests"]
    else:
        req = m["attempts"]["mean"] + m["other_clients_requests"]["mean"]
    ev = p["events"] + p.get("rollout_free_events", 0)
    jobs = m["jobs"]["mean"]
    return {"req_s": req / wall, "ev_s": ev / wall, "bytes_job": p["peak_rss_bytes"] / jobs,
            "wall": wall}

med = statistics.median
rows = {}
print("%-14s %28s %28s %22s" % ("benchmark", "requests/s: now  base  ratio",
                                "events/s: now  base  ratio", "bytes/job: now  base"))
for b in ("bench-1m", "bench-okta-1m", "bench-200k"):
    new = [figures(os.path.join(out, "%s.new.%d.json" % (b, i))) for i in range(1, runs + 1)]
    has_base = os.path.exists(os.path.join(out, "%s.base.1.json" % b))
    old = [figures(os.path.join(out, "%s.base.%d.json" % (b, i))) for i in range(1, runs + 1)] \
        if has_base else None
    rows[b] = new
    def col(k, scale, fmt):
        n = med(f[k] for f in new) / scale
        if not old:
            return (fmt % n) + "      -      -"
        o = med(f[k] for f in old) / scale
        r = med(a[k] / c[k] for a, c in zip(new, old))
        return (fmt % n) + " " + (fmt % o) + " %5.2fx" % r
    bj = "%6.1f" % med(f["bytes_job"] for f in new)
    bj += " %6.1f" % med(f["bytes_job"] for f in old) if old else "      -"
    print("%-14s %28s %28s %22s" % (b, col("req_s", 1e6, "%5.2fM"), col("ev_s", 1e6, "%5.2fM"), bj))
okta = med(a["req_s"] / c["req_s"] for a, c in zip(rows["bench-okta-1m"], rows["bench-1m"]))
print("bench-okta-1m / bench-1m requests/s (now): %.2f (median of %d run pairs; base %s, %d runs each)"
      % (okta, runs, base, runs))
EOF
