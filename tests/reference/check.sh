#!/usr/bin/env bash
# ctest reference_outputs: regenerates the outputs of tests/reference/outputs.sh
# with PROVSIM_BINARY and compares them byte for byte with tests/reference/out.
#   tests/reference/check.sh PROVSIM_BINARY
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$here/outputs.sh" "$1" "$tmp/out"
if ! diff -r "$here/out" "$tmp/out"; then
    echo "reference outputs differ (tests/refresh-references.sh regenerates them after an intended change)" >&2
    exit 1
fi
echo "reference outputs: $(find "$here/out" -type f | wc -l) files identical"
