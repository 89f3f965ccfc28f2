#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# crash.sh -- crash safety and concurrency of the store.
# 1. `ombuds ingest` of 2,000 documents is killed with SIGKILL at random
#    moments; after each kill the store passes PRAGMA integrity_check, every
#    document recorded as ingested is complete, and re-running the ingest
#    finishes the rest and leaves exactly the store a clean run leaves.
# 2. Two ingests into the same store at once both finish (one waits).
# 3. A reader during an ingest always sees whole documents.
# 4. A full disk (file size limit) and an unwritable store give clear errors
#    and leave nothing half-written.
# 5. A document whose write fails inside a batch (documents are written
#    without a savepoint each, so the batch is rolled back) fails alone: the
#    batch's other documents are written again and stored.
: "${OMBUDS:?}" "${SRCDIR:?}"
# Under valgrind this would take an hour and prove nothing about memory that
# the other tests do not: it tests crash safety, so it runs in the other builds.
if [ -n "${VALGRIND:-}" ]; then echo "1..0 # SKIP crash and concurrency tests do not run under valgrind"; exit 0; fi
n=0; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ok() { n=$((n+1)); echo "ok $n - $1"; }
notok() { n=$((n+1)); fail=$((fail+1)); echo "not ok $n - $1"; }
check() { if [ "$2" = "$3" ]; then ok "$1"; else notok "$1"; echo "#   want: $2"; echo "#    got: $3"; fi; }
sql() { "$OMBUDS" --db "$1" sql --format csv "$2" | tail -n +2 | tr -d '\r'; }
# a store's content without ids or times, for comparing two stores
content() {
  sql "$1" "SELECT c.ref, c.authority, c.category, c.outcome, c.decision_date, t.payment_pence, t.n_remedies,
            (SELECT count(*) FROM case_improvements i WHERE i.case_id = c.id),
            (SELECT group_concat(d.path, ';') FROM case_sources s JOIN documents d ON d.id = s.document_id
             WHERE s.case_id = c.id)
            FROM cases c JOIN case_totals t ON t.case_id = c.id ORDER BY c.ref"
}
# documents whose stored cases do not match what they recorded: must be none
partial() {
  sql "$1" "SELECT count(*) FROM documents d WHERE d.n_cases <> (SELECT count(*) FROM case_sources s WHERE s.document_id = d.id)"
}

# the corpus: decision pages written from one template
mkdir -p "$tmp/docs" "$tmp/docs2"
for i in $(seq 1 2000); do
  ref=$(printf '21 %03d %03d' $((i / 1000)) $((i % 1000)))
  dir="$tmp/docs"; [ $i -gt 1800 ] && dir="$tmp/docs2"
  printf '%s (%s)\n\nCategory : Education > School transport\n\nDecision : Upheld\n\nDecision date : %d Mar 2022\n\nSummary: The Council delayed a transport decision for child %d.\n\nAgreed action\n\n  1. The Council will apologise to Mrs T.\n  2. The Council will pay Mrs T \302\243%d for her time and trouble.\n  3. The Council will remind staff of the appeal timescales.\n\nBack to top\n' \
    "Kent County Council" "$ref" $(( (i % 28) + 1 )) "$i" $(( (i % 50) * 10 + 100 )) > "$dir/d$i.txt"
done

# the clean run
"$OMBUDS" --db "$tmp/clean.db" ingest --quiet "$tmp/docs" >/dev/null 2>&1
check "clean run stores 1800 cases" 1800 "$(sql "$tmp/clean.db" "SELECT count(*) FROM cases")"

# killed runs
for k in 1 2 3 4 5; do
  "$OMBUDS" --db "$tmp/killed.db" ingest --quiet "$tmp/docs" >/dev/null 2>&1 &
  pid=$!
  # on a loaded machine the first run may not have made the store yet;
  # killed then, it leaves no store to check: wait until it is there
  for _ in $(seq 1 100); do [ "$(sql "$tmp/killed.db" "SELECT 1" 2>/dev/null)" = 1 ] && break; sleep 0.1; done
  sleep "0.$(( (RANDOM % 7) + 2 ))"
  kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
  check "after kill $k: integrity_check ok" ok "$(sql "$tmp/killed.db" "PRAGMA integrity_check" | head -3)"
  check "after kill $k: no partial document" 0 "$(partial "$tmp/killed.db")"
done
"$OMBUDS" --db "$tmp/killed.db" ingest --quiet "$tmp/docs" >/dev/null 2>&1
check "re-run after kills finishes" 1800 "$(sql "$tmp/killed.db" "SELECT count(*) FROM cases")"
# the first killed run was filling an empty store, which leaves the full-text
# index to its end: the next read-write open indexed what it had committed
check "after the kills, every listed text is in the full-text index" 0 \
  "$(sql "$tmp/killed.db" "SELECT count(*) FROM search_rows r WHERE NOT EXISTS (SELECT 1 FROM search_docsize d WHERE d.id = r.text_id)")"
check "and the index holds nothing else" 0 \
  "$(sql "$tmp/killed.db" "SELECT count(*) FROM search_docsize d WHERE NOT EXISTS (SELECT 1 FROM search_rows r WHERE r.text_id = d.id)")"
check "and a search finds every summary" 1800 \
  "$(sql "$tmp/killed.db" "SELECT count(*) FROM search_hits WHERE search MATCH 'transport' AND kind = 'summary'")"
if [ "$(content "$tmp/killed.db")" = "$(content "$tmp/clean.db")" ]; then ok "killed-then-resumed store equals the clean store"
else notok "killed-then-resumed store equals the clean store"; diff <(content "$tmp/killed.db") <(content "$tmp/clean.db") | head -5 | sed 's/^/# /'; fi

# two writers at once
"$OMBUDS" --db "$tmp/two.db" ingest --quiet "$tmp/docs" >/dev/null 2>"$tmp/e1" & p1=$!
"$OMBUDS" --db "$tmp/two.db" ingest --quiet "$tmp/docs2" >/dev/null 2>"$tmp/e2" & p2=$!
wait $p1; r1=$?; wait $p2; r2=$?
check "first concurrent ingest succeeds" 0 "$r1"
check "second concurrent ingest succeeds" 0 "$r2"
check "both ingests stored everything" 2000 "$(sql "$tmp/two.db" "SELECT count(*) FROM cases")"
# each text indexed once: a writer that began while the other committed
# must not index the other's texts again
check "both ingests: every text listed once for search" 4000 "$(sql "$tmp/two.db" "SELECT count(*) FROM search_rows")"
check "both ingests: the search index is sound" ok \
  "$(sqlite3 "$tmp/two.db" "INSERT INTO search(search) VALUES ('integrity-check')" 2>&1 || echo broken; echo ok)"

# a reader during an ingest
"$OMBUDS" --db "$tmp/read.db" ingest --quiet "$tmp/docs" >/dev/null 2>&1 & pw=$!
bad=0; reads=0
while kill -0 $pw 2>/dev/null; do
  p=$(partial "$tmp/read.db" 2>/dev/null) || continue
  [ -n "$p" ] || continue
  reads=$((reads + 1)); [ "$p" = 0 ] || bad=$((bad + 1))
done
wait $pw
check "reader never saw a partial document ($reads reads)" 0 "$bad"

# a full disk: a file size limit makes writes fail with EFBIG
cp "$tmp/clean.db" "$tmp/full.db"
rm -f "$tmp/full.db-wal" "$tmp/full.db-shm"
out=$( (trap "" XFSZ; ulimit -f 100; "$OMBUDS" --db "$tmp/full.db" ingest --quiet "$tmp/docs2" 2>&1) ); rc=$?
if [ $rc -ne 0 ]; then ok "ingest on a full disk fails ($rc)"; else notok "ingest on a full disk fails"; fi
case "$out" in *"full"*|*"disk"*|*"I/O"*) ok "the error says the disk is full" ;; *) notok "the error says the disk is full"; echo "$out" | tail -3 | sed 's/^/# /' ;; esac
check "after the full disk: integrity_check ok" ok "$(sql "$tmp/full.db" "PRAGMA integrity_check")"
check "after the full disk: no partial document" 0 "$(partial "$tmp/full.db")"

# an unwritable store
out=$("$OMBUDS" --db /proc/ombuds-test.db ingest "$tmp/docs2/d1999.txt" 2>&1); rc=$?
check "unwritable store path: exit status 3" 3 "$rc"
case "$out" in *"/proc/ombuds-test.db: cannot open store"*) ok "unwritable store named in the error" ;; *) notok "unwritable store named in the error"; echo "# $out" ;; esac
cp "$tmp/clean.db" "$tmp/ro.db"; rm -f "$tmp/ro.db-wal" "$tmp/ro.db-shm"
if chattr +i "$tmp/ro.db" 2>/dev/null; then
  out=$("$OMBUDS" --db "$tmp/ro.db" ingest "$tmp/docs2/d1999.txt" 2>&1); rc=$?
  chattr -i "$tmp/ro.db"
  [ $rc -ne 0 ] && ok "read-only store refuses the ingest" || notok "read-only store refuses the ingest"
  case "$out" in *"ro.db"*) ok "read-only store named in the error" ;; *) notok "read-only store named in the error"; echo "# $out" ;; esac
  check "read-only store unchanged" 1800 "$(sql "$tmp/ro.db" "SELECT count(*) FROM cases")"
else
  for t in 1 2 3; do n=$((n+1)); echo "ok $n # SKIP chattr +i is not available here"; done
fi
# a write that fails mid-batch: a trigger refuses one document's row
if command -v sqlite3 >/dev/null 2>&1; then
  mkdir -p "$tmp/poison"
  for i in $(seq 1 9); do cp "$tmp/docs2/d18$((i + 10)).txt" "$tmp/poison/a$i.txt"; done
  cp "$tmp/docs2/d1830.txt" "$tmp/poison/b-poison.txt"
  for i in $(seq 1 5); do cp "$tmp/docs2/d18$((i + 40)).txt" "$tmp/poison/c$i.txt"; done
  "$OMBUDS" --db "$tmp/poison.db" ingest --quiet "$tmp/poison/a1.txt" >/dev/null 2>&1
  sqlite3 "$tmp/poison.db" "CREATE TRIGGER poison BEFORE INSERT ON document_rows WHEN new.name LIKE '%b-poison%'
    BEGIN SELECT RAISE(ABORT, 'refused by the test trigger'); END;"
  out=$("$OMBUDS" --db "$tmp/poison.db" ingest --batch 100 "$tmp/poison" 2>&1); rc=$?
  check "a write failing mid-batch: exit status 3 (the store refused it)" 3 "$rc"
  case "$out" in *"failed    $tmp/poison/b-poison.txt"*"refused by the test trigger"*) ok "the failing document is named with SQLite's reason" ;;
    *) notok "the failing document is named with SQLite's reason"; echo "$out" | sed 's/^/# /' ;; esac
  check "the batch's documents before it are stored" 9 "$(sql "$tmp/poison.db" "SELECT count(*) FROM documents WHERE path LIKE '%/poison/a%'")"
  check "and reported as such" 8 "$(printf '%s\n' "$out" | grep -c '^new ')"
  check "nothing of the failing document is stored" 0 "$(sql "$tmp/poison.db" "SELECT count(*) FROM documents WHERE path LIKE '%b-poison.txt'")"
  check "after the failed batch: integrity_check ok" ok "$(sql "$tmp/poison.db" "PRAGMA integrity_check")"
  check "after the failed batch: no partial document" 0 "$(partial "$tmp/poison.db")"
  check "after the failed batch: the search index is sound" ok \
    "$(sqlite3 "$tmp/poison.db" "INSERT INTO search(search) VALUES ('integrity-check')" 2>&1 || echo broken; echo ok)"
else
  for t in 1 2 3 4 5 6 7 8; do n=$((n+1)); echo "ok $n # SKIP the sqlite3 shell is not installed"; done
fi
echo "1..$n"
[ $fail -eq 0 ]
