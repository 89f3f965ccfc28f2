#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# seeds_press.sh -- ingests the real press release (seed 004) into a fresh
# store and checks what press_release recorded: events against Bury
# Metropolitan Borough Council dated by the article (11 January 2024), the
# promised date kept in the event text, and no case (the release gives no
# reference).  Skips when ../shared/seeds is not there.
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
check "no case is created" 0 "$(sql "SELECT count(*) FROM cases")"
check "no event is attached to a case" 0 "$(sql "SELECT count(*) FROM events WHERE case_id IS NOT NULL")"
bury=$(sql "SELECT count(*) FROM events WHERE authority = 'Bury Metropolitan Borough Council' AND date = '2024-01-11'")
check "every event is against Bury MBC and dated 2024-01-11" "$(sql "SELECT count(*) FROM events")" "$bury"
[ "$bury" -ge 5 ] 2>/dev/null && ok "at least five events ($bury)" || notok "at least five events (got $bury)"
check "the article date is kept as written" "11 January 2024" \
  "$(sql "SELECT DISTINCT date_text FROM events")"
for type in "remedy late" "public report issued" "recommendations agreed" "recommendations accepted" \
            "new date promised" "remedy carried out"; do
  c=$(sql "SELECT count(*) FROM events WHERE type = '$type'")
  [ "${c:-0}" -ge 1 ] 2>/dev/null && ok "an event of type '$type'" || notok "an event of type '$type'"
done
contains "the promised date is in the event text" "by the end of May 2024:" \
  "$(sql "SELECT text FROM events WHERE type = 'new date promised'")"
contains "the agreement is dated in its text" "in 2022:" \
  "$(sql "SELECT text FROM events WHERE type = 'recommendations agreed'")"
check "the report event points at its line" 5 "$(sql "SELECT line FROM events WHERE type = 'public report issued'")"
check "the quoted speech adds no events" 0 \
  "$(sql "SELECT count(*) FROM events WHERE text LIKE '%threat of publicly%' OR text LIKE '%at no time%'")"
check "the article date is a document note" "2024-01-11" \
  "$(sql "SELECT value FROM document_notes WHERE key = 'article_date'")"
out=$("$OMBUDS" ingest "$seed" 2>&1)
contains "a second ingest changes nothing" "unchanged" "$out"
check "and adds no events" "$(sql "SELECT count(*) FROM events")" "$bury"
echo "1..$n"
[ $fail -eq 0 ]
