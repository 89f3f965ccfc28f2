#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# seeds_press.sh -- ingests the real press release (seed 004) into a fresh
# store and checks what press_release recorded: the two complaints it
# describes against Bury Metropolitan Borough Council, one record of each
# kind per complaint (two late, two public reports), each dated by what the
# text says happened when (agreed in 2022, due by the end of May 2024, the
# rest reported on the article date), the subjects (SEND, home education)
# and the improvements agreed; and that `ombuds metric compliance` then says
# 2 complaints, 2 late, 2 public reports for Bury (issue 15).  Until issue 15
# the release gave events against the council alone, all dated by the
# article, and no cases.  Skips when ../shared/seeds is not there.
: "${OMBUDS:?}"
n=0; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export OMBUDS_DB="$tmp/seeds.db"
ok() { n=$((n+1)); echo "ok $n - $1"; }
notok() { n=$((n+1)); fail=$((fail+1)); echo "not ok $n - $1"; }
check() { if [ "$2" = "$3" ]; then ok "$1"; else notok "$1"; echo "#   want: $2"; echo "#    got: $3"; fi; }
contains() { case "$3" in *"$2"*) ok "$1" ;; *) notok "$1"; echo "#   want to contain: $2"; echo "$3" | sed 's/^/#    got: /' ;; esac; }
sql() { "$OMBUDS" sql --format csv "$@" | tail -n +2 | tr -d '\r'; }

seed=$(ls "${SEEDS:-/nonexistent}"/004_*.txt 2>/dev/null | head -1)
if [ -z "$seed" ]; then
  echo "ok 1 # SKIP seed 004 not found (SEEDS=${SEEDS:-unset})"
  echo "1..1"
  exit 0
fi

out=$("$OMBUDS" ingest "$seed" 2>&1); rc=$?
check "seed 004 is ingested" 0 "$rc"
check "it is read by press_release" "press_release" "$(sql "SELECT plugin FROM documents")"
check "one case per complaint: two" 2 "$(sql "SELECT count(*) FROM cases")"
check "both against Bury MBC" 2 "$(sql "SELECT count(*) FROM cases WHERE authority = 'Bury Metropolitan Borough Council'")"
check "every event belongs to a complaint" 0 "$(sql "SELECT count(*) FROM events WHERE case_id IS NULL")"
check "one late record per complaint" "1|1" \
  "$(sql "SELECT group_concat(n, '|') FROM (SELECT count(*) AS n FROM events WHERE type = 'remedy late' GROUP BY case_id)")"
check "one public report per complaint" "1|1" \
  "$(sql "SELECT group_concat(n, '|') FROM (SELECT count(*) AS n FROM events WHERE type = 'public report issued' GROUP BY case_id)")"
check "no kind of event twice for one complaint" 0 \
  "$(sql "SELECT count(*) FROM (SELECT 1 FROM events GROUP BY case_id, type HAVING count(*) > 1)")"
check "the late and report records carry the article date" "2024-01-11" \
  "$(sql "SELECT DISTINCT date FROM events WHERE type IN ('remedy late', 'public report issued')")"
check "the first complaint's agreement is dated 2022" "2022" \
  "$(sql "SELECT date FROM events WHERE type = 'recommendations agreed' AND date IS NOT NULL")"
contains "and its text keeps the phrase" "in 2022:" \
  "$(sql "SELECT text FROM events WHERE type = 'recommendations agreed' AND date = '2022'")"
check "the promise is dated by the end of May 2024" "2024-05" \
  "$(sql "SELECT date FROM events WHERE type = 'new date promised'")"
contains "with the phrase in its text" "by the end of May 2024:" \
  "$(sql "SELECT text FROM events WHERE type = 'new date promised'")"
check "the second complaint's undated agreement is left undated" 1 \
  "$(sql "SELECT count(*) FROM events WHERE type = 'recommendations agreed' AND date IS NULL")"
check "the fresh recommendations were accepted now, in both" "2024-01-11|2024-01-11" \
  "$(sql "SELECT group_concat(date, '|') FROM events WHERE type = 'recommendations accepted'")"
check "the second complaint's remedy was carried out" 1 "$(sql "SELECT count(*) FROM events WHERE type = 'remedy carried out'")"
check "the subjects: SEND, then home education" "Special educational needs|Elective home education" \
  "$(sql "SELECT group_concat(subcategory, '|') FROM (SELECT subcategory FROM cases ORDER BY id)")"
check "both are Education" "Education" "$(sql "SELECT DISTINCT category FROM cases")"
check "one improvement agreed in each" "1|1" \
  "$(sql "SELECT group_concat(n, '|') FROM (SELECT (SELECT count(*) FROM improvements i WHERE i.case_id = c.id) AS n FROM cases c ORDER BY c.id)")"
check "the report event points at its line" "5|5" \
  "$(sql "SELECT group_concat(line, '|') FROM events WHERE type = 'public report issued'")"
check "the quoted speech adds no events" 0 \
  "$(sql "SELECT count(*) FROM events WHERE text LIKE '%threat of publicly%' OR text LIKE '%at no time%'")"
check "the article date is a document note" "2024-01-11" \
  "$(sql "SELECT value FROM document_notes WHERE key = 'article_date'")"
m=$("$OMBUDS" metric compliance --format csv 2>/dev/null | tr -d '\r' | grep '^Bury Metropolitan Borough Council,2024,')
check "compliance: 2 complaints, 2 late, 2 public reports for Bury in 2024" "2,2,2" \
  "$(echo "$m" | awk -F, '{print $4","$5","$7}')"
n_ev=$(sql "SELECT count(*) FROM events")
out=$("$OMBUDS" ingest "$seed" 2>&1)
contains "a second ingest changes nothing" "unchanged" "$out"
check "and adds no events" "$n_ev" "$(sql "SELECT count(*) FROM events")"
echo "1..$n"
[ $fail -eq 0 ]
