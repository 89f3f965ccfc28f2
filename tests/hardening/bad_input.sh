#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bad_input.sh -- the bad-input matrix: one test per kind of bad input, each
# asserting the exact outcome (the error with file and line, or the values
# stored), and never a crash (a signal would show as a status above 128).
: "${OMBUDS:?}" "${SRCDIR:?}"
n=0; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export OMBUDS_DB="$tmp/bad.db"
ok() { n=$((n+1)); echo "ok $n - $1"; }
notok() { n=$((n+1)); fail=$((fail+1)); echo "not ok $n - $1"; }
check() { if [ "$2" = "$3" ]; then ok "$1"; else notok "$1"; echo "#   want: $2"; echo "#    got: $3"; fi; }
contains() { case "$3" in *"$2"*) ok "$1" ;; *) notok "$1"; echo "#   want to contain: $2"; echo "$3" | head -5 | sed 's/^/#    got: /' ;; esac; }
sql() { "$OMBUDS" sql --format csv "$1" | tail -n +2 | tr -d '\r'; }
# ingest FILE: sets $out and $rc; a crash fails the matrix row at once
ingest() { out=$("$OMBUDS" ingest "$@" 2>&1); rc=$?; [ $rc -lt 128 ] || notok "ombuds crashed (status $rc) on $*"; }
page() { # page REF DATE AGREED-ACTION-LINE
  printf 'Wiltshire Council (%s)\n\nCategory : Housing > Homelessness\n\nDecision : Upheld\n\nDecision date : %s\n\nSummary: The Council was slow to house Ms W.\n\nAgreed action\n\n  1. %s\n\nBack to top\n' "$1" "$2" "$3"
}

# empty file
: > "$tmp/empty.txt"; ingest "$tmp/empty.txt"
check "empty file: status 1" 1 "$rc"; contains "empty file: message" "empty.txt: empty file" "$out"
# binary files: an image and a compressed file
printf '\211PNG\r\n\032\n\0\0\0\rIHDR\0\0\0\1' > "$tmp/logo.png"; ingest "$tmp/logo.png"
contains "image: refused as not text, with its line" "logo.png:3: NUL byte at offset 8: not a text document" "$out"
printf 'some text to squeeze\n' | gzip > "$tmp/notes.txt.gz"; ingest "$tmp/notes.txt.gz"
check "compressed file: status 1" 1 "$rc"; contains "compressed file: not a text document" "not a text document" "$out"
# invalid UTF-8 that is not Windows-1252 either (0x81 is undefined there)
printf 'Wiltshire Council (23 100 001)\n\nCategory : Housing\n\xe2\x28\x81 broken\n' > "$tmp/badutf8.txt"; ingest "$tmp/badutf8.txt"
check "invalid UTF-8: status 1" 1 "$rc"
contains "invalid UTF-8: file, line and byte" "badutf8.txt:4: byte 0xE2 is neither UTF-8 nor Windows-1252 text" "$out"
# Windows-1252 text: converted, and it says so
page "23 100 002" "2 May 2023" "The Council will pay Ms W $(printf '\243')250 for her distress." > "$tmp/cp1252.txt"; ingest "$tmp/cp1252.txt"
check "Windows-1252: stored" 0 "$rc"; contains "Windows-1252: says it converted" "cp1252.txt:1: converted from Windows-1252" "$out"
check "Windows-1252: £ read as money" 25000 "$(sql "SELECT amount_pence FROM remedies r JOIN cases c ON c.id = r.case_id WHERE c.ref = '23 100 002'")"
# UTF-16 with a byte-order mark
page "23 100 003" "3 May 2023" "The Council will pay Ms W £300 for her time and trouble." | iconv -f UTF-8 -t UTF-16 > "$tmp/utf16.txt"
ingest "$tmp/utf16.txt"
check "UTF-16: stored" 0 "$rc"; contains "UTF-16: says it converted" "converted from UTF-16" "$out"
check "UTF-16: values read" "2023-05-03,30000" "$(sql "SELECT c.decision_date, t.payment_pence FROM cases c JOIN case_totals t ON t.case_id = c.id WHERE c.ref = '23 100 003'")"
# a single line of 100 MB (10 MB under valgrind)
size=100; [ -n "${VALGRIND:-}" ] && size=10
head -c $((size * 1024 * 1024)) /dev/zero | tr '\0' 'x' > "$tmp/oneline.txt"; ingest "$tmp/oneline.txt"
check "one ${size} MB line: status 1" 1 "$rc"; contains "one ${size} MB line: refused as unrecognised" "oneline.txt: no plugin recognises this document" "$out"
# NUL bytes inside text
printf 'Wiltshire Council (23 100 004)\n\nCategory : Housing\0\n' > "$tmp/nul.txt"; ingest "$tmp/nul.txt"
contains "NUL byte: file and line" "nul.txt:3: NUL byte at offset" "$out"
# a document cut off in the middle of a case
page "23 100 005" "5 May 2023" "The Council will pay Ms W £400 for her distress." | head -c 100 > "$tmp/cut.txt"; ingest "$tmp/cut.txt"
check "cut-off page: stored" 0 "$rc"
check "cut-off page: what is there is kept, nothing invented" "Wiltshire Council,Housing,Homelessness,upheld,,0" \
  "$(sql "SELECT c.authority, c.category, c.subcategory, c.outcome, coalesce(c.decision_date, ''), t.n_remedies FROM cases c JOIN case_totals t ON t.case_id = c.id WHERE c.ref = '23 100 005'")"
# an amount that would overflow
page "23 100 006" "6 May 2023" "The Council will pay Ms W £99999999999999999999 for her distress." > "$tmp/huge.txt"; ingest "$tmp/huge.txt"
contains "overflowing amount: refused with its line" 'huge.txt:13: expected an amount such as "£500", found "£99999999999999999999"' "$out"
check "overflowing amount: never stored wrapped" "" "$(sql "SELECT amount_pence FROM remedies r JOIN cases c ON c.id = r.case_id WHERE c.ref = '23 100 006' AND amount_pence IS NOT NULL")"
# references that are almost right
page "22 004 57" "7 May 2023" "The Council will apologise." > "$tmp/ref7.txt"; ingest "$tmp/ref7.txt"
check "seven-digit reference: status 1" 1 "$rc"
contains "seven-digit reference: says what was expected" 'ref7.txt:1: plugin '"'"'decision_page'"'"': expected a heading line such as "Hampshire County Council (22 001 239)"' "$out"
page "2200457" "7 May 2023" "The Council will apologise." > "$tmp/ref7b.txt"; ingest "$tmp/ref7b.txt"
check "2200457: refused" 1 "$rc"
# impossible dates
page "23 100 007" "31 Feb 2023" "The Council will apologise." > "$tmp/feb31.txt"; ingest "$tmp/feb31.txt"
contains "31 Feb 2023: warned with its line" 'feb31.txt:7: expected a date such as "20 Jan 2023", found "31 Feb 2023"' "$out"
check "31 Feb 2023: date left unknown, case kept" "23 100 007," "$(sql "SELECT ref, coalesce(decision_date, '') FROM cases WHERE ref = '23 100 007'")"
printf 'Service improvements\n\nWiltshire Council\n\nShowing 1 - 1 of 1 cases\n\n  \342\200\242 Wiltshire Council (23 100 008)\n\n    Category: Housing Date: 00-Jan-2021\n\n    Summary\n\n    The Council has agreed to apologise.\n' > "$tmp/jan00.txt"
ingest "$tmp/jan00.txt"
contains "00-Jan-2021: warned" 'found "00-Jan-2021"' "$out"
check "00-Jan-2021: date left unknown" "" "$(sql "SELECT coalesce(decision_date, '') FROM cases WHERE ref = '23 100 008'")"
# a case repeated within one document with different values
printf 'Case ref,Authority,Category,Service improvement\n23 100 009,Wiltshire Council,Housing,Review the allocation letters\n23 100 009,Swindon Borough Council,Housing,Train the housing officers\n' > "$tmp/repeat.csv"
ingest "$tmp/repeat.csv"
check "repeated case: stored" 0 "$rc"
check "repeated case: one case" 1 "$(sql "SELECT count(*) FROM cases WHERE ref = '23 100 009'")"
contains "repeated case: the disagreement is reported with its line" "repeat.csv:3:" "$out"
check "repeated case: both improvements kept" 2 "$(sql "SELECT count(*) FROM improvements i JOIN cases c ON c.id = i.case_id WHERE c.ref = '23 100 009'")"
# a directory with a FIFO, a broken link and a symlink loop
mkdir -p "$tmp/dir/sub"; mkfifo "$tmp/dir/pipe"; ln -s nowhere "$tmp/dir/broken.txt"; ln -s .. "$tmp/dir/sub/up"
cp "$tmp/cp1252.txt" "$tmp/dir/sub/ok.txt"
ingest "$tmp/dir"
check "awkward directory: status 1 (two entries failed)" 1 "$rc"
contains "FIFO reported, not read" "pipe: not a regular file or directory" "$out"
contains "broken link reported" "broken.txt: broken symbolic link" "$out"
contains "the loop is not followed and the walk finishes" "3 files: 1 new, 0 updated, 0 unchanged, 2 failed" "$out"
# a plugin whose parse fails half way, and a plugin built for another ABI
printf 'FAILMIDWAY\nsecond line\nFAIL HERE\n' > "$tmp/midway.txt"
before=$(sql "SELECT count(*) FROM cases")
out=$("$OMBUDS" --plugin-dir "$OMBUDS_TEST_PLUGINS" ingest "$tmp/midway.txt" 2>&1); rc=$?
check "failing plugin: status 1" 1 "$rc"
contains "failing plugin: file, line and plugin named" "midway.txt:3: plugin 'fail_midway': expected no \"FAIL HERE\" line" "$out"
check "failing plugin: the document rolled back" "$before" "$(sql "SELECT count(*) FROM cases")"
contains "plugin for another ABI: refused by name and file" "bad_abi.so: plugin 'future_format' was built for plugin ABI 42; this ombuds provides 1" "$out"
check "after all of it: integrity_check" ok "$(sql "PRAGMA integrity_check")"
echo "1..$n"
[ $fail -eq 0 ]
