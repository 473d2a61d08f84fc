#!/usr/bin/env bash
# tests/report_pdf.sh PROVSIM [MKLOGS] -- prints each kind of report.html (a
# run, a compare of one file's two sides, a sweep over one axis and, given
# provsim-mklogs, a backtest of tests/calib/known-limit.json against the
# System Log one of its replications leaves) to PDF with
# headless Chromium, as a reader would, and checks the printout:
#   - pdftotext: every finding and every chart caption of the HTML is in
#     the PDF's text (whitespace aside: the PDF wraps lines);
#   - pdftoppm: every page has content (more than 0.5% of its pixels dark;
#     a page with only the footer line has 0.1%),
#     so no page comes out blank;
#   - the HTML embeds each chart as SVG with a PNG fallback.
# Needs chromium, pdftotext and pdftoppm (Debian: chromium, poppler-utils)
# and gnuplot. Without them it skips (exit 77, ctest SKIP_RETURN_CODE),
# except under CI (CI set), where .ci/run installs them and a skip would
# hide a broken install: there it fails. ctest: report_pdf.
set -uo pipefail
prov=${1:?usage: report_pdf.sh PATH/TO/provsim [PATH/TO/provsim-mklogs]}
mklogs=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
scn=$here/../configs/default.json

missing=()
for tool in chromium pdftotext pdftoppm gnuplot; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "report_pdf: not on PATH: ${missing[*]} (apt-get install chromium poppler-utils gnuplot-nox)"
  if [ -n "${CI:-}" ]; then
    echo "report_pdf: CI is set, so this is a failure, not a skip"
    exit 1
  fi
  exit 77
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/provsim-pdf.XXXXXX")
trap 'rm -rf "$work"' EXIT
fails=0
fail() {
  echo "FAIL $1: $2"
  fails=$((fails + 1))
}

# one line per item, entities undone, whitespace collapsed
unhtml() { sed -e 's/<[^>]*>//g' -e "s/&#39;/'/g" -e 's/&quot;/"/g' -e 's/&lt;/</g' \
  -e 's/&gt;/>/g' -e 's/&amp;/\&/g' | tr -s ' \t' '  ' | sed -e 's/^ //' -e 's/ $//'; }

# the dark pixels (< 200 of 255) of a binary PGM file
dark_pixels() {
  local f=$1 hdr
  hdr=$(head -c 64 "$f" | head -n 3 | wc -c) # "P5\nW H\n255\n"
  tail -c +$((hdr + 1)) "$f" | od -An -tu1 -v | tr -s ' ' '\n' | awk '$1 != "" && $1 < 200 { n++ } END { print n + 0 }'
}

check() { # name dir
  local name=$1 dir=$2 html=$2/report.html pdf=$2/report.pdf
  if ! "$prov" report "$dir" >"$work/$name.out" 2>&1; then
    fail "$name" "provsim report failed: $(cat "$work/$name.out")"
    return
  fi
  local ncharts nsvg
  ncharts=$(grep -c '<figcaption>' "$html")
  nsvg=$(grep -c '<source type="image/svg+xml" srcset="data:image/svg+xml;base64,' "$html")
  [ "$ncharts" -ge 2 ] || fail "$name" "only $ncharts charts in report.html"
  [ "$nsvg" -eq "$ncharts" ] || fail "$name" "$nsvg SVG sources for $ncharts charts"
  grep -q '<img alt="[^"]*" src="data:image/png;base64,' "$html" || fail "$name" "no PNG fallback"
  if ! timeout 180 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
      --no-pdf-header-footer --user-data-dir="$work/chrome-$name" \
      --print-to-pdf="$pdf" "file://$html" >"$work/$name.chrome" 2>&1 || [ ! -s "$pdf" ]; then
    fail "$name" "chromium printed no PDF: $(tail -3 "$work/$name.chrome")"
    return
  fi
  local text pages
  text=$(pdftotext -layout "$pdf" - | tr -s ' \t\n' '   ')
  pages=$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
  # the findings (the <li> of the findings list) and the captions
  local items n=0
  items=$(sed -n '/<ul class="findings">/,/<\/ul>/p' "$html" | grep '<li>' | unhtml
    grep '<figcaption>' "$html" | unhtml)
  while IFS= read -r item; do
    [ -n "$item" ] || continue
    n=$((n + 1))
    # pdftotext -layout may put two spaces where one was: compare collapsed
    case $text in
      *"$item"*) ;;
      *) fail "$name" "not in the PDF's text: $item" ;;
    esac
  done <<<"$items"
  [ "$n" -ge 3 ] || fail "$name" "only $n findings and captions to look for"
  # every page has content
  pdftoppm -r 24 -gray "$pdf" "$work/$name-page"
  local k=0 p px total
  for p in "$work/$name-page"-*.pgm; do
    k=$((k + 1))
    px=$(dark_pixels "$p")
    total=$(head -n 2 "$p" | tail -n 1 | awk '{ print $1 * $2 }')
    if [ $((px * 200)) -le "$total" ]; then
      fail "$name" "page $k of $pages is blank ($px of $total pixels dark)"
    fi
  done
  [ "$k" = "$pages" ] || fail "$name" "pdftoppm drew $k pages, pdfinfo says $pages"
  echo "$name: $pages pages, $n findings and captions found, $ncharts charts as SVG + PNG"
}

"$prov" run "$scn" --reps 2 --out "$work/run" --plot >/dev/null || fail run "provsim run failed"
check run "$work/run"
"$prov" compare "$scn" --reps 2 --side 'business hours' --side 'after hours' \
  --set 'workload.rollouts[0].at=19:00' --out "$work/compare" --plot >/dev/null ||
  fail compare "provsim compare failed"
check compare "$work/compare"
"$prov" sweep "$scn" --vary 'workload.rollouts[0].batch_size=250,500,1000' --reps 2 \
  --out "$work/sweep" --plot >/dev/null || fail sweep "provsim sweep failed"
check sweep "$work/sweep"
if [ -n "$mklogs" ]; then
  "$mklogs" "$here/calib/known-limit.json" --okta "$work/okta.jsonl" >/dev/null &&
    "$prov" backtest "$here/calib/known-limit.json" --okta-log "$work/okta.jsonl" --reps 5 \
      --out "$work/backtest" --plot >/dev/null || fail backtest "provsim backtest failed"
  check backtest "$work/backtest"
fi

if [ "$fails" -gt 0 ]; then
  echo "report_pdf: $fails failures"
  exit 1
fi
echo "report_pdf: every report printed with its findings, captions and no blank page"
