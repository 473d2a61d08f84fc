#!/bin/sh
# man/mkman.sh PROVSIM HELP2MAN OUT -- writes the man page provsim(1) to OUT
# with help2man, from the program's own help texts: the top-level --help and
# --version, then one subsection per subcommand (the commands of
# `provsim --complete commands`) holding its --help verbatim. Run by the
# build (target manpage); ctest man_page checks the result lists every
# subcommand and option.
set -eu
prov=$1 h2m=$2 out=$3
inc=$(mktemp "${TMPDIR:-/tmp}/provsim-man.XXXXXX")
trap 'rm -f "$inc" "$out.tmp"' EXIT
roff() { # help text -> roff: backslashes, leading dots and quotes, minus signs
  sed -e 's/\\/\\e/g' -e "s/^\\([.']\\)/\\\\\\&\\1/" -e 's/-/\\-/g'
}
{
  cat <<'TXT'
[COMMANDS]
Each command and its options, as its \fB\-\-help\fR prints them.
TXT
  for c in $("$prov" --complete commands); do
    printf '.SS "provsim %s"\n.nf\n' "$c"
    "$prov" "$c" --help | roff
    printf '.fi\n'
  done
  cat <<'TXT'
[FILES]
.TP
.I share/provsim/configs/*.json
the presets (also compiled into the program: \fBprovsim presets\fR)
.TP
.I share/provsim/configs/scenario.schema.json
the JSON Schema (draft 2020\-12) of scenario files, which each preset names
in its "$schema" key so that editors check and complete keys
.TP
.I share/bash\-completion/completions/provsim
bash completion: commands, options, presets, metric names, key paths
[SEE ALSO]
The README of the source distribution: the scenario keys, the metrics and
the model rules.
TXT
} > "$inc"
"$h2m" --no-info --no-discard-stderr --section=1 \
  --name="simulate SCIM provisioning backlogs under API rate limits" \
  --include="$inc" --output="$out.tmp" "$prov"
mv "$out.tmp" "$out"
