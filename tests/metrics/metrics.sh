#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# metrics.sh -- end-to-end tests of `ombuds metric`: on a corpus from
# ../shared/bench/make-corpus (600 cases in `make check` for speed; set
# OMBUDS_CORPUS_CASES=10000 for the full check) every metric agrees with
# the figure computed from its truth.tsv (check_truth.py); output formats,
# argument errors, terminal charts (ASCII on a pipe) and SVG charts that
# parse as XML; and on seed 002, when a plugin reads it, redress by the
# council's own subjects adds up to £71,276.50.
: "${OMBUDS:?}" "${SRCDIR:?}"
n=0; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export OMBUDS_DB="$tmp/corpus.db"
ok() { n=$((n+1)); echo "ok $n - $1"; }
notok() { n=$((n+1)); fail=$((fail+1)); echo "not ok $n - $1"; }
skip() { n=$((n+1)); echo "ok $n # SKIP $1"; }
check() { if [ "$2" = "$3" ]; then ok "$1"; else notok "$1"; echo "#   want: $2"; echo "#    got: $3"; fi; }
contains() { case "$3" in *"$2"*) ok "$1" ;; *) notok "$1"; echo "#   want to contain: $2"; echo "$3" | sed 's/^/#    got: /' | head -20 ;; esac; }

make_corpus="$SRCDIR/../shared/bench/make-corpus"
cases=${OMBUDS_CORPUS_CASES:-600}
python=$(command -v python3)

out=$("$OMBUDS" metric 2>&1)
contains "metric with no name lists the functions" "remedy_per_category        t(s)" "$out"
contains "and their documentation" "uphold_share(category, year)" "$out"

if [ -z "$python" ] || [ ! -x "$make_corpus" ]; then
  skip "corpus checks need python3 and ../shared/bench/make-corpus"
else
  "$python" "$make_corpus" --cases "$cases" --out "$tmp/corpus" --seed 7 >/dev/null
  out=$("$OMBUDS" ingest --quiet "$tmp/corpus/decisions" 2>&1); rc=$?
  check "ingest the $cases-case corpus's decision pages" 0 "$rc"
  contains "every case stored" "$cases cases stored" "$out"
  CHECK_TRUTH_COUNT="$tmp/count" "$python" "$SRCDIR/tests/metrics/check_truth.py" "$OMBUDS" "$OMBUDS_DB" \
    "$tmp/corpus" "$n" "$make_corpus" || fail=$((fail+1))
  n=$(cat "$tmp/count" 2>/dev/null || echo "$n")

  out=$("$OMBUDS" metric remedy_per_category --by year --format csv 2>"$tmp/err")
  check "CSV header" "year,n_cases,n_with_payment,total_pence,mean_pence,median_pence,p90_pence,change_pence,trend_pence_per_year" \
    "$(echo "$out" | head -1 | tr -d '\r')"
  contains "CSV keeps coverage off stdout" "coverage:" "$(cat "$tmp/err")"
  out=$("$OMBUDS" metric remedy_per_category --by year 2>&1)
  contains "table shows coverage under the rows" "coverage: $cases cases used" "$out"

  out=$("$OMBUDS" metric remedy_per_category --by colour 2>&1); rc=$?
  check "an unknown grouping fails" 1 "$rc"
  contains "and says what is accepted" "cannot group by \"colour\"; expected category" "$out"
  out=$("$OMBUDS" metric uphold_share Education 20x3 2>&1); rc=$?
  check "a bad argument is a usage error" 2 "$rc"
  contains "naming function, argument and type" "uphold_share: argument 2 (year): expected an integer (i, 32-bit), got \"20x3\"" "$out"
  out=$("$OMBUDS" metric uphold_share 2>&1)
  contains "a missing argument is named" "argument 2 (year) (an integer (i, 32-bit)) is missing" "$out"
  out=$("$OMBUDS" metric no_such_metric 2>&1); rc=$?
  check "unknown metric" 2 "$rc"
  out=$("$OMBUDS" metric pounds 7127650 --format csv | tail -1 | tr -d '\r')
  check "a scalar metric prints like a one-cell query (CSV quotes the comma)" '"£71,276.50"' "$out"
  out=$("$OMBUDS" metric is_decided "not upheld" --format json | tr -d '\n')
  check "a boolean metric as JSON" '[{"is_decided":1}]' "$out"

  out=$(NO_COLOR=1 "$OMBUDS" metric remedy_per_category --chart - 2>&1)
  contains "terminal chart: one sparkline per category" "total_pence by year" "$out"
  nonascii=$(printf '%s\n' "$out" | sed -n '/total_pence by year/,$p' | LC_ALL=C grep -c '[^ -~]')
  check "on a pipe the chart is plain ASCII" 0 "$nonascii"
  out=$("$OMBUDS" metric improvement_themes --chart - 2>&1)
  contains "bars when there is no year axis" "action / reminder to staff" "$out"

  k=0
  for m in "remedy_per_category --by category" "uphold_rate --by year" "improvement_themes"; do
    k=$((k+1)); name=chart$k
    "$OMBUDS" metric $m --chart "$tmp/$name.svg" >/dev/null 2>"$tmp/err"
    if "$python" -c "import sys, xml.etree.ElementTree as E; r = E.parse(sys.argv[1]).getroot(); sys.exit(0 if r.tag.endswith('svg') else 1)" "$tmp/$name.svg" 2>/dev/null; then
      ok "SVG chart for $m is well-formed XML"
    else
      notok "SVG chart for $m is well-formed XML"
    fi
  done
  contains "line chart for a metric over years" "<polyline" "$(cat "$tmp/chart1.svg")"
  contains "bar chart otherwise" "<rect x=" "$(cat "$tmp/chart3.svg")"
  if command -v rsvg-convert >/dev/null 2>&1; then
    rsvg-convert "$tmp/chart1.svg" -o "$tmp/chart.png" 2>"$tmp/err"
    check "rsvg-convert renders the line chart" 0 "$?"
  else
    skip "rsvg-convert not installed (apt-get install librsvg2-bin)"
  fi
fi

# Seed 002: a council annex; needs the plugin that reads it (annex_table).
seed002=$(ls "$SEEDS"/002_*.txt 2>/dev/null | head -1)
if [ -z "$seed002" ]; then
  skip "seed 002 needs ../shared/seeds"
elif ! "$OMBUDS" parse "$seed002" >/dev/null 2>&1; then
  skip "no plugin recognises seed 002 yet"
elif [ -z "$python" ]; then
  skip "seed 002 check needs python3"
else
  export OMBUDS_DB="$tmp/seed002.db"
  "$OMBUDS" ingest --quiet "$seed002" >/dev/null 2>&1
  total=$("$OMBUDS" metric remedy_per_category --by subject --format json 2>/dev/null |
    "$python" -c 'import json, sys; print(sum(r["total_pence"] for r in json.load(sys.stdin)))')
  check "seed 002: redress by council subject adds up to £71,276.50" 7127650 "$total"
fi
echo "1..$n"
[ $fail -eq 0 ]
