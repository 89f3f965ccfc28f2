#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# report.sh -- end-to-end tests of `ombuds report` (scripts/council_report.lua):
# the figures on seed 002 ingested for Somerset Council (34 annex rows,
# £71,276.50 of redress, the cases said to be undated) and on a corpus from
# ../shared/bench/make-corpus (every council's headline figures against
# truth.tsv, check_report.py); the errors (bad --year, bad --from, unknown
# authority with a hint, an authority or period with no decisions); that
# `ombuds run scripts/council_report.lua` writes the same file; and, in
# headless Chromium, the report of the samples/ store checked in the
# rendered page (browser_check.py), with a screenshot of its first page and
# a PDF print left in the build directory (tests/report/).  Parts whose
# inputs are missing (seeds, make-corpus, Chromium) skip saying why.
: "${OMBUDS:?}" "${SRCDIR:?}" "${BUILDDIR:?}"
n=0; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
art="$BUILDDIR/tests/report"; mkdir -p "$art"
ok() { n=$((n+1)); echo "ok $n - $1"; }
notok() { n=$((n+1)); fail=$((fail+1)); echo "not ok $n - $1"; }
skip() { n=$((n+1)); echo "ok $n # SKIP $1"; }
check() { if [ "$2" = "$3" ]; then ok "$1"; else notok "$1"; echo "#   want: $2"; echo "#    got: $3"; fi; }
contains() { case "$3" in *"$2"*) ok "$1" ;; *) notok "$1"; echo "#   want to contain: $2"; echo "$3" | sed 's/^/#    got: /' | head -10 ;; esac; }
python=$(command -v python3)
# the value of data-figure NAME for PERIOD in FILE, or of the text of the element
fig() { sed -n "s/.*data-figure=\"$2\" data-period=\"$3\" data-value=\"\([^\"]*\)\".*/\1/p" "$1" | head -1; }
figtext() { tr '\n' ' ' <"$1" | sed -n "s/.*data-figure=\"$2\" data-period=\"$3\" data-value=\"[^\"]*\">\([^<]*\)<.*/\1/p" | head -1; }

# ---- the samples store: errors and the two ways of running it ----
export OMBUDS_DB="$tmp/samples.db"
"$OMBUDS" ingest --quiet "$SRCDIR/samples" >/dev/null 2>&1
cd "$tmp" || exit 1

out=$("$OMBUDS" report --authority "Medway Council" --year 20x3 2>&1); rc=$?
check "a bad --year is a usage error" 2 "$rc"
contains "that says what a year looks like" '--year expects a year such as 2023, not "20x3"' "$out"
out=$("$OMBUDS" report --authority "Medway Council" --from 2023-02-30 --to 2023-12-31 2>&1); rc=$?
check "a --from that is no date is a usage error" 2 "$rc"
contains "naming the value" '--from expects a date such as 2023-04-01, not "2023-02-30"' "$out"
out=$("$OMBUDS" report --authority "Medway Council" --from 2024-01-01 --to 2023-01-01 2>&1); rc=$?
check "--from after --to is refused" 2 "$rc"
out=$("$OMBUDS" report --authority "Medway Council" --from 2024-01-01 2>&1); rc=$?
check "--from without --to is refused" 2 "$rc"
out=$("$OMBUDS" report --authority "Medway" 2>&1); rc=$?
check "an unknown authority is a usage error" 2 "$rc"
contains "with a hint" 'no authority called "Medway" in the register or the store; did you mean Medway Council?' "$out"
out=$("$OMBUDS" report 2>&1); rc=$?
check "--authority is required" 2 "$rc"
out=$("$OMBUDS" report --authority "Kent CC" 2>&1); rc=$?
check "an authority with no decisions still gets a report" 0 "$rc"
contains "and is told so" "no decisions about Kent County Council in the store" "$out"
contains "the page says so plainly" "There were no ombudsman decisions about Kent County Council" \
  "$(cat "$tmp"/report-kent-county-council-all.html 2>/dev/null)"
out=$("$OMBUDS" report --authority "medway council" --year 2019 --out none.html 2>&1); rc=$?
check "a period with no decisions gets a report" 0 "$rc"
contains "saying there were none in 2019" "no ombudsman decisions about Medway Council in the period 2019" \
  "$(cat none.html)"

out=$("$OMBUDS" report --authority "Medway Council" 2>&1); rc=$?
check "ombuds report writes the default file" "0 report-medway-council-2023.html" "$rc $(ls report-medway-council-2*.html 2>/dev/null)"
"$OMBUDS" run "$SRCDIR/scripts/council_report.lua" --authority "Medway Council" --out run.html >/dev/null 2>&1
check "ombuds run scripts/council_report.lua makes the same report" "" \
  "$(diff report-medway-council-2023.html run.html)"
mkdir mine && cp "$SRCDIR/scripts/council_report.lua" "$SRCDIR/scripts/html.lua" mine/
sed -i 's/"figure", {class = "chart-figure"}/"figure", {class = "chart-figure", ["data-copy"] = "mine"}/' mine/html.lua
"$OMBUDS" run mine/council_report.lua --authority "Medway Council" --out mine.html >/dev/null 2>&1
check "a copied report uses the html.lua beside it" "$(grep -o '<figure' run.html | wc -l | tr -d ' ') yes" \
  "$(grep -o 'data-copy="mine"' mine.html | wc -l | tr -d ' ') $(grep -q '<figure' run.html && echo yes)"
f=report-medway-council-2023.html
check "Medway 2023: four upheld cases" 4 "$(fig $f upheld current)"
check "Medway 2023: £2,995.00 of redress" "299500 £2,995.00" "$(fig $f redress current) $(figtext $f redress current)"
check "three undated annex cases are placed in 2023 by the annex's title" 3 \
  "$(grep -o 'reported in a document of 2023' $f | wc -l | tr -d ' ')"
check "one h1" 1 "$(grep -o '<h1' $f | wc -l | tr -d ' ')"
check "no script element, no external address" "0 0" \
  "$(grep -ci '<script' $f) $(grep -Eo '(src|href)="(https?:)?//' $f | wc -l | tr -d ' ')"
check "every table header has a scope" 0 "$(grep -o '<th[ >][^>]*>' $f | grep -vc scope | tr -d ' ')"
check "every chart has a title and a description" "$(grep -o '<svg' $f | wc -l) $(grep -o '<svg' $f | wc -l)" \
  "$(grep -o '<title id=' $f | wc -l) $(grep -o '<desc id=' $f | wc -l)"
contains "a print style sheet for A4 that repeats table headers" "thead { display: table-header-group; }" \
  "$(grep -A12 '@page { size: A4' $f)"
contains "each annex row links to its document and line" 'href="#doc-' "$(grep -o 'class="annex-row".*' $f | head -c 2000)"

# samples/press_release-late-remedies.txt: Dudley's case 22 013 701 paid late
# with a public report, and a second, unreferenced complaint late with a new
# date promised (two events on one date, one remedy)
"$OMBUDS" report --authority "Dudley MBC" --out dudley.html >/dev/null 2>&1
check "Dudley 2024: two remedies late or outstanding" "2 2" \
  "$(fig dudley.html late current) $(figtext dudley.html late current)"
check "Dudley 2024: the compliance section lists the public report with its date" 1 \
  "$(tr '\n' ' ' <dudley.html | grep -o 'id="compliance".*</table>' | grep -c '6 March 2024</th><td>22 013 701</td><td>public report')"
contains "Dudley: the two undated complaints are placed by the press release's date" \
  "2 cases give no decision date and are counted in this period" "$(cat dudley.html)"

# ---- seed 002 for Somerset Council: undated, reported whole ----
seed002=$(ls "$SEEDS"/002_*.txt 2>/dev/null | head -1)
if [ -z "$seed002" ]; then
  skip "seed 002 checks need ../shared/seeds"
else
  export OMBUDS_DB="$tmp/s002.db"
  "$OMBUDS" ingest --quiet --authority "Somerset Council" "$seed002" >/dev/null 2>&1
  out=$("$OMBUDS" report --authority "Somerset Council" --out s002.html 2>&1); rc=$?
  check "seed 002: the report is written" 0 "$rc"
  check "seed 002: the annex has 34 rows" 34 "$(grep -o 'class="annex-row"' s002.html | wc -l | tr -d ' ')"
  check "seed 002: undated rows keep the annex's own order (rows 1-4 and 34)" \
    "22 013 701,22 016 944,23 003 116,21 005 436,23 008 642" \
    "$(grep -o 'data-ref="[^"]*"' s002.html | sed 's/data-ref="//; s/"//' | sed -n '1,4p;34p' | paste -sd, -)"
  check "seed 002: total redress is £71,276.50" "7127650 £71,276.50" \
    "$(fig s002.html redress current) $(figtext s002.html redress current)"
  check "seed 002: the annex adds up to the same" 7127650 "$(fig s002.html annex_total current)"
  contains "seed 002: the report says the cases are undated" "The 34 cases in this report are undated" "$(cat s002.html)"
  check "seed 002: the default file names the whole store" "report-somerset-council-all.html" \
    "$("$OMBUDS" report --authority "Somerset Council" >/dev/null 2>&1; ls report-somerset-council-*.html)"
  contains "seed 002: recurring themes cannot be dated" "undated" "$(tr '\n' ' ' <s002.html | grep -o 'id="themes".*' | head -c 3000)"
fi

# ---- a synthetic corpus: every council's headline figures against truth.tsv ----
make_corpus="$SRCDIR/../shared/bench/make-corpus"
if [ -z "$python" ] || [ ! -x "$make_corpus" ]; then
  skip "corpus checks need python3 and ../shared/bench/make-corpus"
else
  "$python" "$make_corpus" --cases "${OMBUDS_REPORT_CASES:-300}" --out "$tmp/corpus" --seed 11 >/dev/null
  export OMBUDS_DB="$tmp/corpus.db"
  # decision pages, and the annexes and listings that repeat some of them
  "$OMBUDS" ingest --quiet "$tmp/corpus/decisions" "$tmp/corpus/annex" >/dev/null 2>&1
  mkdir -p "$tmp/cr"
  # under valgrind a sample of five councils keeps the run short
  sample=""; [ -n "$VALGRIND" ] && sample=5
  REPORT_SAMPLE=$sample CHECK_REPORT_COUNT="$tmp/count" "$python" "$SRCDIR/tests/report/check_report.py" "$OMBUDS" "$OMBUDS_DB" \
    "$tmp/corpus" "$SRCDIR" "$tmp/cr" "$n" || fail=$((fail+1))
  n=$(cat "$tmp/count" 2>/dev/null || echo "$n")
fi

# ---- in a real browser ----
chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}
if [ -z "$chromium" ]; then
  skip "no Chromium found (install the Debian package chromium, or set CHROMIUM=/path/to/chrome)"
elif [ -z "$python" ]; then
  skip "the browser check needs python3"
else
  export OMBUDS_DB="$tmp/samples.db"
  "$OMBUDS" report --authority "Medway Council" --out "$art/report.html" >/dev/null
  rows=$(grep -o 'class="annex-row"' "$art/report.html" | wc -l | tr -d ' ')
  CHECK_BROWSER_COUNT="$tmp/count" "$python" "$SRCDIR/tests/report/browser_check.py" "$chromium" \
    "$art/report.html" "$art/report-first-page.png" "$art/report-print.pdf" "$n" "$rows" || fail=$((fail+1))
  n=$(cat "$tmp/count" 2>/dev/null || echo "$n")
  # the check must see what it looks for: a page that fetches an image fails it
  sed 's|</main>|<img src="http://127.0.0.1:9/x.png" alt="x"></main>|' "$art/report.html" >"$tmp/fetching.html"
  out=$(CHECK_BROWSER_COUNT= "$python" "$SRCDIR/tests/report/browser_check.py" "$chromium" "$tmp/fetching.html" \
    "$tmp/f.png" "$tmp/f.pdf" 0 "$rows" 2>&1)
  contains "the browser check catches a page that fetches from another address" \
    "not ok 9 - no request but the report itself" "$out"
fi
echo "1..$n"
[ $fail -eq 0 ]
