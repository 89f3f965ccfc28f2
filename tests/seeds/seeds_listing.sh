#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# seeds_listing.sh -- ingests the real service-improvement pages in
# ../shared/seeds (seed 000, list form: si_listing; seed 001, detail form:
# si_detail) into a fresh store and checks the figures read from them by hand,
# then checks that a listing and a decision page for the same case merge into
# one case.  The parsers' field-by-field behaviour is covered by the golden
# tests (tests/golden/si_listing, tests/golden/si_detail); this is the
# end-to-end check on real documents.  Skips when the seeds are absent.
: "${OMBUDS:?}" "${SRCDIR:?}"
n=0; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ok() { n=$((n+1)); echo "ok $n - $1"; }
notok() { n=$((n+1)); fail=$((fail+1)); echo "not ok $n - $1"; }
# check NAME WANT GOT
check() { if [ "$2" = "$3" ]; then ok "$1"; else notok "$1"; echo "#   want: $2"; echo "#    got: $3"; fi; }
sql() { "$OMBUDS" sql --format csv "$@" | tail -n +2 | tr -d '\r'; }
# one row per line joined with commas
sqlrow() { sql "$@" | paste -sd, -; }

TOTAL=21
seed000=$(ls "$SEEDS"/000_*.txt 2>/dev/null | head -1)
seed001=$(ls "$SEEDS"/001_*.txt 2>/dev/null | head -1)
if [ ! -d "$SEEDS" ] || [ -z "$seed000" ] || [ -z "$seed001" ]; then
  i=0; while [ $i -lt $TOTAL ]; do i=$((i+1)); echo "ok $i # SKIP no seeds at $SEEDS"; done
  echo "1..$TOTAL"; exit 0
fi

# ---- seed 000: list form, one page of a paged listing ----
export OMBUDS_DB="$tmp/s000.db"
"$OMBUDS" ingest "$seed000" >"$tmp/out" 2>&1; rc=$?
check "seed 000 ingests" 0 "$rc"
check "seed 000 is read by si_listing" "si_listing" "$(sql "SELECT plugin FROM documents")"
check "seed 000 gives 10 cases" 10 "$(sql "SELECT count(*) FROM cases")"
check "seed 000 cases are all Worcestershire's" "Worcestershire County Council" \
  "$(sql "SELECT DISTINCT authority FROM cases")"
check "seed 000 gives 17 improvements" 17 "$(sql "SELECT count(*) FROM case_improvements")"
check "seed 000 improvements per case in page order" "2,1,1,2,2,1,1,3,2,2" \
  "$(sqlrow "SELECT (SELECT count(*) FROM improvements i WHERE i.case_id = s.case_id AND i.document_id = s.document_id)
             FROM case_sources s ORDER BY s.line")"
check "seed 000 first case read in full" "22 004 577|Education|Special educational needs" \
  "$(sql "SELECT ref || '|' || category || '|' || subcategory FROM cases c JOIN case_sources s ON s.case_id = c.id
          ORDER BY s.line LIMIT 1")"
check "seed 000 multi-action bullet split" "identify the lessons learnt" \
  "$(sql "SELECT substr(text, 1, 27) FROM improvements i JOIN cases c ON c.id = i.case_id
          WHERE c.ref = '21 001 400' ORDER BY i.line LIMIT 1")"
check "seed 000 listing marked partial, 10 shown of 52" "listing_partial=yes,listing_shown=10,listing_total=52" \
  "$(sqlrow "SELECT key || '=' || value FROM document_notes WHERE key LIKE 'listing_%' ORDER BY key")"

# ---- seed 001: detail form ----
export OMBUDS_DB="$tmp/s001.db"
"$OMBUDS" ingest "$seed001" >"$tmp/out" 2>&1; rc=$?
check "seed 001 ingests" 0 "$rc"
check "seed 001 is read by si_detail" "si_detail" "$(sql "SELECT plugin FROM documents")"
check "seed 001 gives one case" 1 "$(sql "SELECT count(*) FROM cases")"
check "seed 001 case fields" "20 004 844|Cumbria County Council|Education|2021-10-07" \
  "$(sql "SELECT ref || '|' || authority || '|' || category || '|' || decision_date FROM cases")"
check "seed 001 gives 5 improvements" 5 "$(sql "SELECT count(*) FROM case_improvements")"
check "seed 001 summary names an apology" 1 "$(sql "SELECT count(*) FROM case_remedies WHERE kind = 'apology'")"
check "seed 001 summary names a payment of unknown amount" 1 \
  "$(sql "SELECT count(*) FROM case_remedies WHERE kind = 'payment' AND amount_pence IS NULL")"
check "seed 001 summary names a service (the final plan)" 1 \
  "$(sql "SELECT count(*) FROM case_remedies WHERE kind = 'service'")"
check "seed 001 period and counter noted" \
  "listing_partial=no,listing_shown=1,listing_total=1,period_end=2022-03-31,period_start=2021-04-01" \
  "$(sqlrow "SELECT key || '=' || value FROM document_notes ORDER BY key")"

# ---- a listing and a decision page for the same case merge ----
export OMBUDS_DB="$tmp/merge.db"
"$OMBUDS" ingest "$seed000" >"$tmp/out" 2>&1 && "$OMBUDS" ingest "$SRCDIR/tests/fixtures/decision_22-004-577.txt" >>"$tmp/out" 2>&1
check "listing then decision page ingest" 0 "$?"
check "one case 22 004 577 with two sources" "1|2" \
  "$(sql "SELECT count(DISTINCT c.id) || '|' || count(*) FROM cases c JOIN case_sources s ON s.case_id = c.id
          WHERE c.ref = '22 004 577'")"
check "merged case takes the decision page's outcome and keeps 10 cases" "upheld|10" \
  "$(sql "SELECT outcome || '|' || (SELECT count(*) FROM cases) FROM cases WHERE ref = '22 004 577'")"

echo "1..$n"
[ $n -eq $TOTAL ] || { echo "# planned $TOTAL tests but ran $n"; exit 1; }
[ $fail -eq 0 ]
