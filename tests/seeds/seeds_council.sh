#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# seeds_council.sh -- ingests the real council documents in ../shared/seeds
# into fresh stores and checks the figures read from them by hand: seed 002
# (annex table of 34 upheld cases, annex_table) and seed 003 (executive
# minutes accepting two ombudsman reports, minutes), the latter with and
# without --authority.  Field-by-field behaviour is covered by the golden
# tests (tests/golden/annex_table, tests/golden/minutes).  Skips when the
# seeds are absent.
: "${OMBUDS:?}" "${SRCDIR:?}"
n=0; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ok() { n=$((n+1)); echo "ok $n - $1"; }
notok() { n=$((n+1)); fail=$((fail+1)); echo "not ok $n - $1"; }
# check NAME WANT GOT
check() { if [ "$2" = "$3" ]; then ok "$1"; else notok "$1"; echo "#   want: $2"; echo "#    got: $3"; fi; }
contains() { case "$3" in *"$2"*) ok "$1" ;; *) notok "$1"; echo "#   want to contain: $2"; echo "$3" | sed 's/^/#    got: /' ;; esac; }
sql() { "$OMBUDS" sql --format csv "$@" | tail -n +2 | tr -d '\r'; }
sqlrow() { sql "$@" | paste -sd, -; }

TOTAL=25
seed002=$(ls "$SEEDS"/002_*.txt 2>/dev/null | head -1)
seed003=$(ls "$SEEDS"/003_*.txt 2>/dev/null | head -1)
if [ ! -d "$SEEDS" ] || [ -z "$seed002" ] || [ -z "$seed003" ]; then
  i=0; while [ $i -lt $TOTAL ]; do i=$((i+1)); echo "ok $i # SKIP no seeds at $SEEDS"; done
  echo "1..$TOTAL"; exit 0
fi

# ---- seed 002: the annex table ----
export OMBUDS_DB="$tmp/s002.db"
out=$("$OMBUDS" ingest "$seed002" 2>&1); rc=$?
check "seed 002 ingests" 0 "$rc"
contains "seed 002 is read by annex_table" "annex_table, 34 cases" "$out"
contains "seed 002 warns that the council is unknown" "give one with --authority NAME" "$out"
check "34 cases" 34 "$(sql "SELECT count(*) FROM cases")"
check "every case has a reference" 34 "$(sql "SELECT count(*) FROM cases WHERE ref IS NOT NULL")"
check "financial redress totals £71,276.50" 7127650 "$(sql "SELECT sum(payment_pence) FROM case_totals")"
check "25 cases with an apology" 25 "$(sql "SELECT count(*) FROM case_totals WHERE apology")"
check "20 cases with a service improvement" 20 "$(sql "SELECT count(DISTINCT case_id) FROM case_improvements")"
check "every case is upheld" 34 "$(sql "SELECT count(*) FROM cases WHERE outcome = 'upheld'")"
check "row 29 (23 003 197) totals £3,236.50" 323650 \
  "$(sql "SELECT payment_pence FROM case_totals JOIN cases c ON c.id = case_id WHERE c.ref = '23 003 197'")"
check "row 10 (22 012 023) totals £1,640" 164000 \
  "$(sql "SELECT payment_pence FROM case_totals JOIN cases c ON c.id = case_id WHERE c.ref = '22 012 023'")"
check "row 10 is £700, a £500 quantifiable loss and a £440 reimbursement" \
  '70000,50000:[quantifiable loss],44000:[quantifiable loss]' \
  "$(sqlrow "SELECT r.amount_pence || CASE WHEN r.amount_pence = 70000 THEN '' ELSE ':' || replace(r.purposes, '\"', '') END
             FROM case_remedies r JOIN cases c ON c.id = r.case_id
             WHERE c.ref = '22 012 023' AND r.kind = 'payment' ORDER BY r.id")"
check "row 25's £1700 is one payment with two purposes" \
  '170000:[avoidable distress;time and trouble;loss of service]' \
  "$(sqlrow "SELECT r.amount_pence || ':' || replace(replace(r.purposes, '\"', ''), ',', ';') FROM case_remedies r JOIN cases c ON c.id = r.case_id
             WHERE c.ref = '23 000 771' AND r.kind = 'payment'")"
check "row 5's improvement ends inside row 6's lines" 1 \
  "$(sql "SELECT count(*) FROM case_improvements i JOIN cases c ON c.id = i.case_id
          WHERE c.ref = '22 009 052' AND i.text LIKE '%need to be aware of this information.'")"
check "row 6 does not start with row 5's words" 0 \
  "$(sql "SELECT count(*) FROM case_improvements i JOIN cases c ON c.id = i.case_id
          WHERE c.ref = '22 010 056' AND i.text LIKE 'aware of%'")"
check "row 4's subject continues after the page break" \
  "Adult Social Care – Care provision; support; and complaint handling" \
  "$(sql "SELECT replace(council_subject, ',', ';') FROM cases WHERE ref = '21 005 436'")"

# ---- seed 003: minutes, the council not named ----
export OMBUDS_DB="$tmp/s003.db"
out=$("$OMBUDS" ingest "$seed003" 2>&1); rc=$?
check "seed 003 ingests" 0 "$rc"
contains "seed 003 is read by minutes" "(minutes" "$out"
contains "seed 003 warns that the council is unknown" "do not name the council" "$out"
check "no case is made without a reference" 0 "$(sql "SELECT count(*) FROM cases")"
check "one 'report accepted by council' event on the meeting date, authority left empty" \
  "report accepted by council,2025-02-26," \
  "$(sqlrow "SELECT type, date, authority FROM events")"
check "two final reports among the supporting documents" 2 \
  "$(sql "SELECT count(*) FROM document_notes WHERE key = 'supporting_document' AND value LIKE '%Final Report'")"

# ---- seed 003 again, the council given by the user ----
export OMBUDS_DB="$tmp/s003a.db"
out=$("$OMBUDS" ingest --authority "Somerset Council" "$seed003" 2>&1); rc=$?
check "seed 003 ingests with --authority" 0 "$rc"
check "the event is recorded against Somerset Council, with the resolution" \
  "Somerset Council,2025-02-26,1" \
  "$(sqlrow "SELECT authority, date, text LIKE '1. Accept the findings of the LGSCO reports%' FROM events
             WHERE type = 'report accepted by council'")"
case "$out" in *"do not name the council"*) notok "no warning about the council when it is given"
  echo "$out" | sed 's/^/#    got: /' ;; *) ok "no warning about the council when it is given" ;; esac

echo "1..$n"
[ $fail -eq 0 ]
