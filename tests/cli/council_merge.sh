#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# council_merge.sh -- a council annex row and the ombudsman's decision page
# for the same case become one case with two sources, and the decision page's
# values (rank 90) are the ones shown over the annex's (rank 50), whichever
# is ingested first; what only the annex says (the council's own subject)
# is kept.  Also checks that minutes citing a case reference attach their
# event to that case.  Uses fixtures only (tests/golden, tests/fixtures).
: "${OMBUDS:?}" "${SRCDIR:?}"
n=0; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ok() { n=$((n+1)); echo "ok $n - $1"; }
notok() { n=$((n+1)); fail=$((fail+1)); echo "not ok $n - $1"; }
check() { if [ "$2" = "$3" ]; then ok "$1"; else notok "$1"; echo "#   want: $2"; echo "#    got: $3"; fi; }
sql() { "$OMBUDS" sql --format csv "$@" | tail -n +2 | tr -d '\r'; }
sqlrow() { sql "$@" | paste -sd, -; }

annex="$SRCDIR/tests/golden/annex_table/tab_wrapped.txt"
page="$SRCDIR/tests/fixtures/decision-23106180.txt"
ref="23 106 180"
for order in "annex first" "page first"; do
  export OMBUDS_DB="$tmp/merge-${order% *}.db"
  if [ "$order" = "annex first" ]; then set -- "$annex" "$page"; else set -- "$page" "$annex"; fi
  "$OMBUDS" ingest --quiet "$1" >/dev/null 2>&1 && "$OMBUDS" ingest --quiet "$2" >/dev/null 2>&1
  check "$order: ingests succeed" 0 "$?"
  check "$order: one case for $ref" 1 "$(sql "SELECT count(*) FROM cases WHERE ref = '$ref'")"
  check "$order: two sources, one per document" "annex_table,decision_page" \
    "$(sqlrow "SELECT d.plugin FROM case_sources s JOIN documents d ON d.id = s.document_id
               JOIN cases c ON c.id = s.case_id WHERE c.ref = '$ref' ORDER BY d.plugin")"
  check "$order: the decision page's category, date and authority are shown" \
    "Education,School transport,2024-02-02,Medway Council,upheld" \
    "$(sqlrow "SELECT category, subcategory, decision_date, authority, outcome FROM cases WHERE ref = '$ref'")"
  check "$order: the decision page's remedies are shown (£450 + £820)" "127000,1" \
    "$(sqlrow "SELECT payment_pence, apology FROM case_totals t JOIN cases c ON c.id = t.case_id WHERE c.ref = '$ref'")"
  check "$order: the decision page's improvement is shown" 1 \
    "$(sql "SELECT count(*) FROM case_improvements i JOIN cases c ON c.id = i.case_id WHERE c.ref = '$ref'")"
  check "$order: the annex's own subject is kept" "Home to school transport – eligibility and appeal" \
    "$(sql "SELECT council_subject FROM cases WHERE ref = '$ref'")"
  check "$order: the annex's other rows are cases of their own" 4 "$(sql "SELECT count(*) FROM cases")"
done

# minutes citing a reference put their event on that case, never a new
# unreferenced one
export OMBUDS_DB="$tmp/minutes.db"
"$OMBUDS" ingest --quiet "$SRCDIR/tests/golden/minutes/resolved_refs.txt" >/dev/null 2>&1
check "minutes with a case reference ingest" 0 "$?"
check "the event is on case 19 019 179, dated with the meeting" "report accepted by council,2019-07-09" \
  "$(sqlrow "SELECT e.type, e.date FROM events e JOIN cases c ON c.id = e.case_id WHERE c.ref = '19 019 179'")"
check "no unreferenced case and no authority-only event" "1,0" \
  "$(sqlrow "SELECT count(*), (SELECT count(*) FROM events WHERE case_id IS NULL) FROM cases")"

echo "1..$n"
[ $fail -eq 0 ]
