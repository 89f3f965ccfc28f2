#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# seed002_pdf.sh -- seed 002 (a council annex table, text taken from a PDF)
# printed back into a 3-page PDF with cairo (print_tsv.py: cells wrapped in
# their columns, header repeated on each page), then ingested: the decode
# layer must rebuild the columns from the characters' positions well enough
# that annex_table reads exactly what it reads from the text (34 cases,
# £71,276.50, 25 apologies, 20 cases with improvements; the figures
# tests/seeds/seeds_council.sh checks), and each case records its page.
# Skips when the seeds or python3-cairo are absent.
: "${OMBUDS:?}" "${SRCDIR:?}"
n=0; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ok() { n=$((n+1)); echo "ok $n - $1"; }
notok() { n=$((n+1)); fail=$((fail+1)); echo "not ok $n - $1"; }
check() { if [ "$2" = "$3" ]; then ok "$1"; else notok "$1"; echo "#   want: $2"; echo "#    got: $3"; fi; }
sql() { "$OMBUDS" sql --format csv "$@" | tail -n +2 | tr -d '\r'; }

TOTAL=9
skip() { i=0; while [ $i -lt $TOTAL ]; do i=$((i+1)); echo "ok $i # SKIP $1"; done; echo "1..$TOTAL"; exit 0; }
seed002=$(ls "${SEEDS:-/nonexistent}"/002_*.txt 2>/dev/null | head -1)
[ -n "$seed002" ] || skip "no seeds at ${SEEDS:-(unset)}"
py=
for p in python3 /usr/bin/python3; do
  if "$p" -c 'import cairo' 2>/dev/null; then py=$p; break; fi
done
[ -n "$py" ] || skip "python3-cairo is not installed"

"$py" "$SRCDIR/tests/decode/print_tsv.py" "$seed002" "$tmp/annex.pdf" --pages 3
check "seed 002 printed as a PDF" 0 "$?"
pages=$("$OMBUDS" decode "$tmp/annex.pdf" | tr -cd '\f' | wc -c)
check "the PDF has 3 pages (2 form feeds in ombuds decode)" 2 "$pages"
export OMBUDS_DB="$tmp/s.db"
out=$("$OMBUDS" ingest "$tmp/annex.pdf" 2>&1); rc=$?
check "the PDF ingests" 0 "$rc"
case "$out" in *"annex_table, 34 cases"*) ok "read by annex_table" ;; *) notok "read by annex_table"; echo "$out" | sed 's/^/# /' ;; esac
check "34 cases" 34 "$(sql "SELECT count(*) FROM cases WHERE ref IS NOT NULL")"
check "financial redress totals £71,276.50" 7127650 "$(sql "SELECT sum(payment_pence) FROM case_totals")"
check "25 cases with an apology" 25 "$(sql "SELECT count(*) FROM case_totals WHERE apology")"
check "20 cases with a service improvement" 20 "$(sql "SELECT count(DISTINCT case_id) FROM case_improvements")"
check "every case records its page, on all 3 pages" "3" \
  "$(sql "SELECT count(DISTINCT page) FROM case_sources WHERE page BETWEEN 1 AND 3 HAVING count(*) = 34")"
echo "1..$n"
[ $fail -eq 0 ]
