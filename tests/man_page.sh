#!/usr/bin/env bash
# tests/man_page.sh PROVSIM MANPAGE -- the man page provsim(1) lists every
# subcommand of `provsim --help` and every option of each `provsim CMD
# --help` (the lists come from the help texts, never a copy), and renders
# without warnings. ctest man_page; exit 77 (skipped) without a man page
# (help2man missing at configure time).
set -uo pipefail
prov=${1:?usage: man_page.sh PROVSIM MANPAGE} man=${2:?}
[ -f "$man" ] || { echo "man_page: no $man (help2man not found at configure time): skipped"; exit 77; }
# the roff source with its escapes undone: \- is -, \(aq is '
text=$(sed -e 's/\\-/-/g' -e "s/\\\\(aq/'/g" -e 's/\\&//g' "$man")
# the top level: every option of provsim --help
fails=0
need() { # word, where it comes from
  if ! grep -qF -- "$1" <<<"$text"; then
    echo "FAIL: the man page lacks \"$1\" ($2)"
    fails=$((fails + 1))
  fi
}
# subcommands: the indented first words of the "commands:" block of --help
cmds=$("$prov" --help | sed -n '/^commands:/,/^$/p' | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p;s/^  \([a-z][a-z-]*\)$/\1/p')
[ -n "$cmds" ] || { echo "FAIL: no commands found in provsim --help"; exit 1; }
n=0
for c in $cmds; do
  # the subcommand's own section: from its .SS heading to the next heading
  sect=$(awk -v h=".SS \"provsim $c\"" '$0 == h { on = 1; next } on && /^\.S[SH] / { exit } on' "$man" |
         sed -e 's/\\-/-/g' -e "s/\\\\(aq/'/g" -e 's/\\&//g')
  if [ -z "$sect" ]; then
    echo "FAIL: the man page has no section .SS \"provsim $c\" (a subcommand in provsim --help)"
    fails=$((fails + 1))
    continue
  fi
  help=$("$prov" "$c" --help) || { echo "FAIL: provsim $c --help exits $?"; fails=$((fails + 1)); continue; }
  for o in $(grep -oE -- '(^|[][ ,|(])--?[a-zA-Z][a-z-]*' <<<"$help" | grep -oE -- '--?[a-zA-Z][a-z-]*' | sort -u); do
    if ! grep -qF -- "$o" <<<"$sect"; then
      echo "FAIL: the man page's section on provsim $c lacks \"$o\" (an option in provsim $c --help)"
      fails=$((fails + 1))
    fi
    n=$((n + 1))
  done
done
for o in --help --version; do need "$o" "provsim --help"; done
if command -v groff >/dev/null; then
  warn=$(groff -man -ww -z "$man" 2>&1)
  [ -z "$warn" ] || { echo "FAIL: groff warns: $warn"; fails=$((fails + 1)); }
fi
echo "man_page: $(wc -w <<<"$cmds") subcommands, $n options checked, $fails missing"
[ "$fails" -eq 0 ]
