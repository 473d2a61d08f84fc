#!/usr/bin/env bash
# tests/fuzz/run.sh TARGET SECONDS [extra libFuzzer options...]
#
# Builds the libFuzzer target fuzz_TARGET (TARGET: scenario, parse, tasks,
# oktalog, accesslog or btresult) with
# clang, ASan and UBSan in build-fuzz/, and runs it for SECONDS. The seed
# corpus is configs/ (for parse and tasks, tests/fuzz/seeds/TARGET/); it is copied into
# the work corpus tests/fuzz/corpus/TARGET/ (not in git), which grows across runs.
# The log readers' seeds are tests/fuzz/seeds/oktalog/ and seeds/accesslog/ and
# the hand-written logs of tests/logs/ (each with a selector byte 0 in front).
# Crashing inputs land in tests/fuzz/artifacts/TARGET/; once fixed, copy each into
# tests/fuzz/regressions/TARGET/, which ctest replays (fuzz_TARGET_replay).
#
# Environment: FUZZ_BUILD (build dir, default build-fuzz), FUZZ_JOBS
# (parallel fuzzing processes, default 1).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ $# -lt 2 ]; then
  echo "usage: tests/fuzz/run.sh scenario|parse|tasks|oktalog|accesslog|btresult SECONDS [libFuzzer options...]" >&2
  exit 2
fi
target=$1 secs=$2
shift 2
case $target in
  scenario|parse|tasks|oktalog|accesslog|btresult) ;;
  *) echo "tests/fuzz/run.sh: unknown target \"$target\" (scenario, parse, tasks, oktalog, accesslog or btresult)" >&2; exit 2 ;;
esac
build=${FUZZ_BUILD:-build-fuzz}
jobs=${FUZZ_JOBS:-1}
command -v clang >/dev/null || { echo "tests/fuzz/run.sh: needs clang (apt-get install clang)" >&2; exit 1; }

# -Werror off: a clang-only warning in a module must not stop a fuzz run
CC=clang cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPROVSIM_FUZZ=ON \
  -DPROVSIM_WERROR=OFF -DBUILD_TESTING=OFF >/dev/null
cmake --build "$build" --target "fuzz_$target" -j2 >/dev/null

corpus=tests/fuzz/corpus/$target
artifacts=tests/fuzz/artifacts/$target
mkdir -p "$corpus" "$artifacts"
if [ "$target" = parse ]; then
  cp -n tests/fuzz/seeds/parse/* "$corpus"/
  # configs as --set text: selector byte 0 then the file (mostly refused,
  # but its key names seed the paths)
  for f in configs/*.json; do
    [ -e "$corpus/cfg-$(basename "$f")" ] || { printf '\0'; cat "$f"; } > "$corpus/cfg-$(basename "$f")"
  done
elif [ "$target" = tasks ] || [ "$target" = oktalog ] || [ "$target" = accesslog ] || [ "$target" = btresult ]; then
  cp -n tests/fuzz/seeds/"$target"/* "$corpus"/
else
  cp -n configs/*.json "$corpus"/
fi
cp -n tests/fuzz/regressions/"$target"/* "$corpus"/ 2>/dev/null || true

par=()
if [ "$jobs" -gt 1 ]; then
  par=(-jobs="$jobs" -workers="$jobs") # each writes fuzz-N.log in the current directory
fi
dict=tests/fuzz/$target.dict
[ -e "$dict" ] || dict=tests/fuzz/scenario.dict
exec "$build/tests/fuzz/fuzz_$target" "$corpus" \
  -dict="$dict" -max_total_time="$secs" -max_len=16384 -timeout=10 \
  -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/" "${par[@]}" "$@"
