#!/usr/bin/env bash
# ctest layering: every #include "layer/file.h" in the sources points at the
# file's own layer or one below it, and no source reaches another folder by
# a relative path. The build enforces the same rule (each layer's library
# sees only the include roots of the layers it links: CMakeLists.txt); this
# is the second line of defence, and it names the offending line.
#   tests/layering.sh [SOURCE_DIR]
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"
layers=(base engine models scenario logs run out plan calib cli) # lowest first
rank() { local i; for i in "${!layers[@]}"; do [ "${layers[$i]}" = "$1" ] && { echo "$i"; return; }; done; echo -1; }
bad=0
checked=0
for f in sim/*/*.[ch] models/*.[ch]; do
    case $f in models/*) own=models ;; *) own=${f#sim/}; own=${own%%/*} ;; esac
    r=$(rank "$own")
    if [ "$r" -lt 0 ]; then
        echo "$f: folder '$own' is not a layer (${layers[*]})"; bad=1; continue
    fi
    while IFS=: read -r line inc; do
        checked=$((checked + 1))
        target=$(sed -E 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"([^"]*)".*/\1/' <<<"$inc")
        case $target in
        */*) tl=${target%%/*} ;;
        *) echo "$f:$line: \"$target\": include with its layer (\"$own/$target\")"; bad=1; continue ;;
        esac
        case $target in *..*) echo "$f:$line: \"$target\": no relative paths between folders"; bad=1; continue ;; esac
        tr=$(rank "$tl")
        if [ "$tr" -lt 0 ]; then
            echo "$f:$line: \"$target\": '$tl' is not a layer"; bad=1
        elif [ "$tr" -gt "$r" ]; then
            echo "$f:$line: \"$target\": $own may not include $tl (layers, lowest first: ${layers[*]})"; bad=1
        fi
    done < <(grep -n -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" || true)
done
[ "$bad" = 0 ] && echo "layering: $checked includes, none upward"
exit "$bad"
