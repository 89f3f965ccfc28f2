#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# regress.sh -- replays every input on which a plugin's fuzz target once
# crashed (tests/fuzz/regressions/fuzz_plugin_<plugin>/*) through the real
# program: `ombuds parse --format <plugin>` and `ombuds ingest --format
# <plugin>` into a fresh store.  Either may refuse the document (status 1) but
# never crash: a signal, or a sanitizer's or valgrind's report, fails the test.
# The normaliser, remedy and decoder targets are replayed by the
# tests/fuzz/replay_* programs; the fuzzing itself is `make fuzz` (docs/testing.md).
: "${OMBUDS:?}" "${SRCDIR:?}"
n=0; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ok() { n=$((n+1)); echo "ok $n - $1"; }
notok() { n=$((n+1)); fail=$((fail+1)); echo "not ok $n - $1"; }
# survives NAME STATUS ERRFILE: status 0 or 1 and no sanitizer report
survives() {
  if { [ "$2" -eq 0 ] || [ "$2" -eq 1 ]; } && ! grep -q -e 'ERROR: AddressSanitizer' -e 'runtime error:' "$3"; then
    ok "$1"
  else
    notok "$1 (exit status $2)"; head -20 "$3" | sed 's/^/#   /'
  fi
}
for dir in "$SRCDIR"/tests/fuzz/regressions/fuzz_plugin_*; do
  [ -d "$dir" ] || continue
  plugin=${dir##*/fuzz_plugin_}
  # the fuzz target names the document like this (csv_export probes the suffix)
  case $plugin in csv_export) doc="$tmp/document.csv" ;; *) doc="$tmp/document.txt" ;; esac
  for f in "$dir"/*; do
    [ -f "$f" ] || continue
    cp "$f" "$doc"
    "$OMBUDS" parse --format "$plugin" "$doc" >/dev/null 2>"$tmp/err"
    survives "parse --format $plugin ${f##*/}" $? "$tmp/err"
    rm -f "$tmp/store.db"*
    "$OMBUDS" --db "$tmp/store.db" ingest --quiet --format "$plugin" "$doc" >/dev/null 2>"$tmp/err"
    survives "ingest --format $plugin ${f##*/}" $? "$tmp/err"
  done
done
# Found by fuzz_plugin_decision_page: a file edited and ingested a third time
# at the same path failed with "database disk image is malformed", because
# the replacement's search rows reused ids the full-text index thought it had
# (core/store.c, insert_search).  Every version must store, and be searchable.
fx="$SRCDIR/tests/golden/decision_page"
i=0
for v in upheld_two_payments no_amounts waiver_and_total upheld_two_payments; do
  i=$((i+1)); cp "$fx/$v.txt" "$tmp/edited.txt"
  out=$("$OMBUDS" --db "$tmp/replace.db" ingest "$tmp/edited.txt" 2>&1); rc=$?
  if [ $rc -eq 0 ]; then ok "version $i of one path stores"; else notok "version $i of one path stores"; echo "$out" | sed 's/^/#   /'; fi
done
# the index answers as it does for a store that only ever saw the last version
cp "$fx/upheld_two_payments.txt" "$tmp/edited.txt"
"$OMBUDS" --db "$tmp/clean.db" ingest "$tmp/edited.txt" >/dev/null 2>&1
q="SELECT count(*) FROM search WHERE search MATCH 'council OR pay OR apologise'"
want=$("$OMBUDS" --db "$tmp/clean.db" sql --format csv "$q" 2>&1 | tail -n 1 | tr -d '\r')
got=$("$OMBUDS" --db "$tmp/replace.db" sql --format csv "$q" 2>&1 | tail -n 1 | tr -d '\r')
if [ "$got" = "$want" ] && [ "${want:-0}" -gt 0 ] 2>/dev/null; then ok "the search index holds the last version only"
else notok "the search index holds the last version only"; echo "#   want: $want"; echo "#    got: $got"; fi
echo "1..$n"
exit 0
