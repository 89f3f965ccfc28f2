#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# cli.sh -- end-to-end tests of the ombuds command line on fixture documents:
# ingest (new, unchanged, updated, failed), sql, cases, export and plugins,
# checking the stored values and the exact messages.
: "${OMBUDS:?}" "${SRCDIR:?}"
n=0; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export OMBUDS_DB="$tmp/test.db"
ok() { n=$((n+1)); echo "ok $n - $1"; }
notok() { n=$((n+1)); fail=$((fail+1)); echo "not ok $n - $1"; }
# check NAME WANT GOT
check() { if [ "$2" = "$3" ]; then ok "$1"; else notok "$1"; echo "#   want: $2"; echo "#    got: $3"; fi; }
contains() { case "$3" in *"$2"*) ok "$1" ;; *) notok "$1"; echo "#   want to contain: $2"; echo "$3" | sed 's/^/#    got: /' ;; esac; }
sql() { "$OMBUDS" sql --format csv "$@" | tail -n +2 | tr -d '\r'; }

fx="$SRCDIR/tests/golden/decision_page"
cp "$fx"/*.txt "$tmp/"
out=$("$OMBUDS" ingest "$tmp"/*.txt 2>&1); rc=$?
check "ingest of the decision fixtures succeeds" 0 "$rc"
contains "summary line" "0 updated, 0 unchanged, 0 failed" "$out"
out=$("$OMBUDS" ingest "$tmp"/*.txt 2>&1); rc=$?
check "second ingest succeeds" 0 "$rc"
contains "second ingest says unchanged" "0 new, 0 updated" "$out"
contains "each file unchanged" "unchanged" "$out"

echo "not a decision at all" > "$tmp/plain.txt"
out=$("$OMBUDS" ingest "$tmp/plain.txt" 2>&1); rc=$?
check "unrecognised file fails with status 1" 1 "$rc"
contains "unrecognised file names the file and says --format" "plain.txt: no plugin recognises this document" "$out"
contains "and lists candidates" "name one with --format NAME" "$out"

: > "$tmp/empty.txt"
out=$("$OMBUDS" ingest "$tmp/empty.txt" 2>&1)
contains "empty file is refused" "empty.txt: empty file" "$out"

out=$("$OMBUDS" sql "DELETE FROM cases" 2>&1); rc=$?
check "sql refuses writes" 2 "$rc"
contains "sql says why" "only queries that read" "$out"

out=$("$OMBUDS" plugins 2>&1)
contains "plugins lists decision_page" "decision_page" "$out"

# provenance: every stored value points back to its document and line
got=$(sql "SELECT c.ref, c.authority, d.plugin, s.line FROM cases c JOIN case_sources s ON s.case_id = c.id
           JOIN documents d ON d.id = s.document_id WHERE c.ref = '22 001 239'")
check "case 22 001 239 with its source line" "22 001 239,Hampshire County Council,decision_page,4" "$got"
got=$(sql "SELECT f.value, f.line FROM facts f JOIN cases c ON c.id = f.case_id WHERE c.ref = '22 001 239'
           AND f.field = 'decision_date'")
check "decision date fact with its line" "2023-01-20,10" "$got"
got=$(sql "SELECT kind, amount_pence, purposes, line FROM case_remedies r JOIN cases c ON c.id = r.case_id
           WHERE c.ref = '22 001 239' ORDER BY r.id")
check "remedies with amounts, purposes and lines" 'apology,,[],36
payment,50000,"[""avoidable distress"",""uncertainty""]",37
payment,273650,"[""quantifiable loss""]",38' "$got"
got=$(sql "SELECT count(*), min(line), max(line) FROM case_improvements i JOIN cases c ON c.id = i.case_id
           WHERE c.ref = '22 001 239'")
check "two improvements with their lines" "2,39,41" "$got"

# full-text search covers summaries and improvements (indexed per batch)
got=$(sql "SELECT DISTINCT c.ref FROM search JOIN search_text t ON t.id = search.rowid JOIN cases c ON c.id = t.case_id
           WHERE search MATCH 'direct payment recipients' ORDER BY 1")
check "full-text search finds the improvement" "22 001 239" "$got"
got=$(sql "SELECT t.kind FROM search JOIN search_text t ON t.id = search.rowid WHERE search MATCH 'warning AND budget'")
check "full-text search finds the summary" "summary" "$got"

# export: the documented keys, one case per line
"$OMBUDS" export --out "$tmp/all.jsonl"; rc=$?
check "export succeeds" 0 "$rc"
lines=$(wc -l < "$tmp/all.jsonl" | tr -d ' ')
cases=$(sql "SELECT count(*) FROM cases")
check "one JSON line per case" "$cases" "$lines"
keys=$(grep '"22 001 239"' "$tmp/all.jsonl" | python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); print(",".join(k for k in ["ref","refs_as_written","authority","category","subcategory","outcome","decision_date","summary","remedies","improvements","events","sources"] if k in d), d["remedies"][1]["amount_pence"], d["remedies"][1]["purposes"][0], d["sources"][0]["plugin"], d["sources"][0]["line"], len(d["sources"][0]["sha256"]))' 2>&1)
check "export keys and nested values" "ref,refs_as_written,authority,category,subcategory,outcome,decision_date,summary,remedies,improvements,events,sources 50000 avoidable distress decision_page 4 64" "$keys"
got=$("$OMBUDS" export --format csv --authority "hampshire county council" | tr -d '\r' | head -1)
check "CSV export header" "ref,refs_as_written,authority,category,subcategory,outcome,decision_date,summary,payment_total_pence,n_remedies,n_improvements,n_events,n_sources" "$got"
got=$("$OMBUDS" export --format csv --authority "Hampshire County Council" | tr -d '\r' | tail -n +2 | wc -l | tr -d ' ')
check "CSV export filtered by authority" 1 "$got"
out=$("$OMBUDS" export --year 20x3 2>&1); rc=$?
check "bad --year is a usage error" 2 "$rc"
contains "bad --year says what was expected" "expects a year such as 2023" "$out"

# a new version of a document at the same path replaces what the old one said
sed 's/Hampshire County Council (22 001 239)/Hampshire County Council (22 001 240)/' "$tmp/upheld_two_payments.txt" > "$tmp/v2"
mv "$tmp/v2" "$tmp/upheld_two_payments.txt"
out=$("$OMBUDS" ingest "$tmp/upheld_two_payments.txt" 2>&1)
contains "changed file is updated" "updated" "$out"
check "old case gone" 0 "$(sql "SELECT count(*) FROM cases WHERE ref = '22 001 239'")"
check "new case present" 1 "$(sql "SELECT count(*) FROM cases WHERE ref = '22 001 240'")"

# a plugin failing half way leaves nothing of the document (and bad plugins
# in the same directory are reported, one line each, without stopping the others)
printf 'FAILMIDWAY\nline two\nFAIL HERE\n' > "$tmp/fail.txt"
before=$(sql "SELECT count(*) FROM cases")
out=$("$OMBUDS" --plugin-dir "$OMBUDS_TEST_PLUGINS" ingest "$tmp/fail.txt" 2>&1); rc=$?
check "failing parse exits 1" 1 "$rc"
contains "error names file, line and plugin" "fail.txt:3: plugin 'fail_midway': expected no \"FAIL HERE\" line" "$out"
check "no case of the failed document stored" "$before" "$(sql "SELECT count(*) FROM cases")"
check "no document row for it" 0 "$(sql "SELECT count(*) FROM documents WHERE path LIKE '%fail.txt'")"
contains "wrong-ABI plugin reported" "was built for plugin ABI 42; this ombuds provides 1" "$out"
contains "plugin without descriptor reported" "no 'ombuds_plugin' descriptor" "$out"

# encodings
printf 'Kent County Council (23 000 111)\n\nCategory : Education > School transport\n\nDecision : Upheld\n\nDecision date : 3 March 2023\n\nSummary: A fare was refunded.\n\nAgreed action\n\n  1. The Council will pay Mr K \243120 for his time and trouble.\n\nBack to top\n' > "$tmp/cp1252.txt"
out=$("$OMBUDS" ingest "$tmp/cp1252.txt" 2>&1); rc=$?
check "Windows-1252 document ingested" 0 "$rc"
contains "conversion is reported" "converted from Windows-1252" "$out"
check "pound sign read after conversion" 12000 "$(sql "SELECT t.payment_pence FROM case_totals t JOIN cases c ON c.id = t.case_id WHERE c.ref = '23 000 111'")"
printf 'Kent County Council (23 000 112)\n\nCategory : Education > School transport\n\nDecision : Not upheld\n\nDecision date : 4 March 2023\n\nSummary: No fault.\n' | iconv -f UTF-8 -t UTF-16 > "$tmp/utf16.txt"
out=$("$OMBUDS" ingest "$tmp/utf16.txt" 2>&1); rc=$?
check "UTF-16 document with BOM ingested" 0 "$rc"
contains "UTF-16 conversion is reported" "converted from UTF-16" "$out"
printf 'Kent County Council (23 000 113)\nCategory : Education\0\n' > "$tmp/nul.txt"
out=$("$OMBUDS" ingest "$tmp/nul.txt" 2>&1); rc=$?
check "NUL byte refused" 1 "$rc"
contains "NUL byte named with its line" "nul.txt:2: NUL byte at offset" "$out"
printf '\211PNG\r\n\032\n\0\0\0\rIHDR' > "$tmp/image.png"
out=$("$OMBUDS" ingest "$tmp/image.png" 2>&1)
contains "binary file refused" "image.png:" "$out"
contains "binary file says it is not text" "not a text document" "$out"

# directories: recursion, unreadable files, symlink loops
mkdir -p "$tmp/tree/sub"
cp "$fx/upheld_two_payments.txt" "$tmp/tree/sub/a.txt"
ln -s .. "$tmp/tree/sub/loop"
ln -s /nonexistent "$tmp/tree/broken.txt"
out=$("$OMBUDS" ingest "$tmp/tree" 2>&1); rc=$?
contains "directory walk finds nested files" "a.txt" "$out"
contains "broken symlink reported" "broken.txt: broken symbolic link" "$out"
check "symlink loop not followed, broken link counted as failed" 1 "$rc"

# the authority register: population figures, names it does not know
printf 'authority,population,year\nHampshire CC,1400000,2021\n"Kent County Council",1576100,2021\n' > "$tmp/pop.csv"
out=$("$OMBUDS" authorities --load-population "$tmp/pop.csv" 2>&1); rc=$?
check "population CSV loads" 0 "$rc"
contains "and says how many" "loaded 2 population figures" "$out"
check "a spelling is stored under the canonical name" "Hampshire County Council,1400000" \
  "$(sql "SELECT authority, population FROM authority_population WHERE authority LIKE 'Hampshire%'")"
printf 'authority,population\nHampshire Cnty Council,1400000\n' > "$tmp/pop2.csv"
out=$("$OMBUDS" authorities --load-population "$tmp/pop2.csv" 2>&1); rc=$?
check "an unknown name in a population CSV is refused" 1 "$rc"
contains "naming the file, line and name" "pop2.csv:2: authority \"Hampshire Cnty Council\" is not in the register" "$out"
check "nothing of the refused file loaded" 0 "$(sql "SELECT count(*) FROM authority_population WHERE authority LIKE '%Cnty%'")"

out=$("$OMBUDS" ingest --batch 0 "$tmp/plain.txt" 2>&1); rc=$?
check "ingest --batch 0 is a usage error" 2 "$rc"
contains "that names the expected range" "--batch 0: expected a number of documents from 1 to 1000000" "$out"
out=$("$OMBUDS" --db "$tmp/batch1.db" ingest --batch 1 "$fx"/*.txt 2>&1); rc=$?
check "ingest --batch 1 (one thread, a transaction per document) still works" 0 "$rc"
"$OMBUDS" --db "$tmp/batchN.db" ingest "$fx"/*.txt >/dev/null 2>&1
q="SELECT count(*), sum(amount_pence) FROM remedies"
check "and stores what a batched ingest stores" \
  "$("$OMBUDS" --db "$tmp/batchN.db" sql --format csv "$q" | tail -n +2 | tr -d '\r')" \
  "$("$OMBUDS" --db "$tmp/batch1.db" sql --format csv "$q" | tail -n +2 | tr -d '\r')"

out=$("$OMBUDS" --db "$tmp/dry.db" ingest --dry-run "$fx"/*.txt "$tmp/plain.txt" 2>&1); rc=$?
check "ingest --dry-run with a bad file exits 1" 1 "$rc"
contains "a dry run reports each document checked, with its cases" "checked   $fx/closed_initial_enquiries.txt (decision_page, 1 case)" "$out"
contains "and the bad file failed" "plain.txt: no plugin recognises this document" "$out"
contains "and a summary that says nothing was stored" "checked, 0 unchanged, 1 failed;" "$out"
contains "in those words" "dry run, nothing stored" "$out"
check "a dry run creates no store" "" "$(ls "$tmp"/dry.db* 2>/dev/null)"
out=$("$OMBUDS" --db "$tmp/batch1.db" ingest --dry-run "$fx"/*.txt 2>&1); rc=$?
contains "against an existing store, stored documents are unchanged" "0 checked, $(ls "$fx"/*.txt | wc -l) unchanged, 0 failed" "$out"

# a directory is ingested in name order (the walk in several passes, as a
# million-file directory is read, is tests/unit/test_ingest_walk.c)
mkdir -p "$tmp/passes"; cp "$fx"/*.txt "$tmp/passes/"
want=$(ls "$tmp/passes" | LC_ALL=C sort | sed "s#^#$tmp/passes/#")
out=$("$OMBUDS" --db "$tmp/passes.db" ingest "$tmp/passes" 2>&1)
check "a directory: every file, once, in name order" "$want" "$(printf '%s\n' "$out" | awk '$1 == "new" {print $2}')"
out=$("$OMBUDS" --db "$tmp/passes.db" ingest --dry-run "$tmp/passes" 2>&1)
contains "the directory again: all unchanged" "0 checked, $(ls "$fx"/*.txt | wc -l) unchanged, 0 failed" "$out"

out=$("$OMBUDS" --version)
contains "version" "ombuds 0.1.0" "$out"
echo "1..$n"
[ $fail -eq 0 ]
