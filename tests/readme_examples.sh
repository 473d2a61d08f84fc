#!/usr/bin/env bash
# tests/readme_examples.sh README.md PROVSIM -- runs every example block of
# the README marked as runnable, so a documented command cannot rot.
#
# A block is runnable when the line before its opening fence (blank lines
# aside) is exactly
#     <!-- runnable -->
# A ```sh block runs as a whole (bash -e: every command must succeed); a
# block of "$ command" lines followed by output runs its "$" lines only
# (the output shown is figures at the time of writing, not checked here).
# Each block runs in a new empty directory holding configs/ (the
# repository's) and build/provsim, with provsim first on PATH, so both the
# `provsim ...` and the `build/provsim ...` forms run the binary under test.
# Exit 1 if any block fails, or if no block is marked. ctest: readme_examples.
set -uo pipefail
readme=${1:?usage: readme_examples.sh README.md PROVSIM}
prov=${2:?usage: readme_examples.sh README.md PROVSIM}
prov=$(cd "$(dirname "$prov")" && pwd)/$(basename "$prov")
src=$(cd "$(dirname "$readme")" && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/provsim-readme.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The marked blocks, each written to work/block-N.sh; prints how many.
awk -v dir="$work" '
  /^<!-- runnable -->[ \t]*$/ { marked = 1; next }
  marked && /^[ \t]*$/ { next }
  marked && /^```/ { n++; inb = 1; marked = 0; out = dir "/block-" n ".sh"; start[n] = NR;
                     printf "" > out; next }
  marked { printf "line %d: <!-- runnable --> is not followed by a code block\n", NR > "/dev/stderr";
           bad = 1; marked = 0 }
  inb && /^```/ { inb = 0; close(out); next }
  inb { print >> out }
  END { print n + 0; if (bad) exit 1 }
' "$readme" >"$work/count" || exit 1
count=$(cat "$work/count")
if [ "$count" -eq 0 ]; then
  echo "readme_examples: no block of $readme is marked <!-- runnable -->"
  exit 1
fi

fails=0
for ((k = 1; k <= count; k++)); do
  blk=$work/block-$k.sh
  # "$ command" blocks: the commands only
  if grep -q '^\$ ' "$blk"; then
    sed -n 's/^\$ //p' "$blk" >"$blk.cmds"
    mv "$blk.cmds" "$blk"
  fi
  run=$work/run-$k
  mkdir -p "$run/build" "$run/bin"
  ln -s "$src/configs" "$run/configs"
  ln -s "$prov" "$run/build/provsim"
  ln -s "$prov" "$run/bin/provsim"
  start=$(date +%s)
  if (cd "$run" && PATH="$run/bin:$PATH" timeout 600 bash -e "$blk") >"$run.out" 2>&1; then
    echo "block $k: ok in $(($(date +%s) - start)) s: $(head -c 100 "$blk" | head -n 1)"
  else
    echo "FAIL block $k: $(head -n 1 "$blk")"
    sed 's/^/    /' "$blk"
    echo "  output (last 15 lines):"
    tail -n 15 "$run.out" | sed 's/^/    /'
    fails=$((fails + 1))
  fi
done
echo "readme_examples: $count runnable blocks, $fails failed"
[ "$fails" -eq 0 ]
