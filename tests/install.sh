#!/usr/bin/env bash
# tests/install.sh BUILD SRC -- `cmake --install BUILD --prefix TMP` puts
# every file where GNUInstallDirs says, the installed program runs from
# there, and the bash completion completes commands, options, presets,
# metric names and key paths. ctest install_tree; exit 77 (skipped)
# without a man page (help2man missing at configure time).
set -uo pipefail
build=${1:?usage: install.sh BUILD SRC} src=${2:?}
[ -f "$build/provsim.1" ] || { echo "install_tree: no man page (help2man not found): skipped"; exit 77; }
prefix=$(mktemp -d "${TMPDIR:-/tmp}/provsim-install.XXXXXX")
trap 'rm -rf "$prefix"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
cmake --install "$build" --prefix "$prefix" >/dev/null || { echo "FAIL: cmake --install"; exit 1; }
bindir=$(cmake -L -N "$build" 2>/dev/null | sed -n 's/^CMAKE_INSTALL_BINDIR:PATH=//p')
for f in "${bindir:-bin}/provsim" share/man/man1/provsim.1 share/bash-completion/completions/provsim \
         share/provsim/configs/scenario.schema.json; do
  [ -f "$prefix/$f" ] || fail "not installed: $f"
done
for f in "$src"/configs/*.json; do
  [ -f "$prefix/share/provsim/configs/$(basename "$f")" ] || fail "preset not installed: $(basename "$f")"
done
prov=$prefix/${bindir:-bin}/provsim
[ -x "$prov" ] || { echo "FAIL: no installed program"; exit 1; }
# the installed presets are the compiled-in ones (init may point "$schema"
# at an installed schema instead of configs/'s)
for p in $("$prov" --complete presets); do
  cmp -s <("$prov" init --preset "$p" - | grep -v '"\$schema"') \
         <(grep -v '"\$schema"' "$prefix/share/provsim/configs/$p.json") ||
    fail "installed $p.json differs from provsim init --preset $p"
done
"$prov" validate "$prefix/share/provsim/configs/default.json" >/dev/null || fail "installed default.json does not validate"

# completion: source it, complete like bash would, look at COMPREPLY
comp=$prefix/share/bash-completion/completions/provsim
complete_words() { # words of the command line, the last one being completed
  COMP_WORDS=("$prov" "$@")
  COMP_CWORD=$(($# ))
  COMPREPLY=()
  _provsim
  printf '%s\n' "${COMPREPLY[@]}"
}
# shellcheck disable=SC1090
source "$comp" || fail "the completion does not source"
want() { # what, word that must be among the completions, words...
  local what=$1 w=$2
  shift 2
  grep -qxF -- "$w" <<<"$(complete_words "$@")" || fail "completion of \"$*\" lacks $w ($what)"
}
want subcommand run ""
want subcommand init i
want option --precision run --pre
want option --vary sweep x.json --va
want option --emit-slurm sweep x.json --emit
want 'task source' slurm sweep x.json --tasks s
want option --preset init --
want preset slack-after-hours init --preset sl
want preset default init --preset ""
want 'key path' 'workload.rollouts[0].batch_size=' run --set workload.rollouts
want 'key path' 'client.retry.max_attempts=' run --set client.retry.m
mwant() { # metric names complete after an option that takes one
  local m
  m=$("$prov" --complete metrics | head -1)
  [ -n "$m" ] || { fail "provsim --complete metrics is empty"; return; }
  grep -qxF -- "$m" <<<"$(complete_words sweep x.json --metric "")" || fail "metric $m not completed"
}
mwant
echo "install_tree: installed into a temporary prefix; $fails problems"
[ "$fails" -eq 0 ]
