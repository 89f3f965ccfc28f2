#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# detect.sh -- choosing the plugin when probes do not settle it (issue 15,
# core/lib/ingest_detect.c): a decision page that two plugins' probes rate
# equally is read, by the plugin that reads the most of it; a decision whose
# probes all stay under the threshold is still read; text with a number
# that looks like a reference but no decision vocabulary is refused as before.
: "${OMBUDS:?}" "${SRCDIR:?}"
d="$SRCDIR/tests/fixtures/detect"
n=0; fail=0
ok() { n=$((n+1)); echo "ok $n - $1"; }
notok() { n=$((n+1)); fail=$((fail+1)); echo "not ok $n - $1"; }
check() { if [ "$2" = "$3" ]; then ok "$1"; else notok "$1"; echo "#   want: $2"; echo "#    got: $3"; fi; }

out=$("$OMBUDS" parse "$d/tie_decision_page.txt" 2>&1); rc=$?
check "a page two probes rate equally (decision_page 40, minutes 40) is read" 0 "$rc"
check "... by the decision page plugin" "decision_page" "$(printf '%s\n' "$out" | sed -n 's/^plugin: //p')"
check "... with its reference" "22 004 577" "$(printf '%s\n' "$out" | sed -n 's/^  ref: \(.*\) @.*/\1/p')"
check "... its authority" "Kent County Council" "$(printf '%s\n' "$out" | sed -n 's/^  authority: \(.*\) @.*/\1/p')"
check "... and its outcome" "upheld" "$(printf '%s\n' "$out" | sed -n 's/^  outcome: \(.*\) @.*/\1/p')"

out=$("$OMBUDS" parse "$d/low_probe_decision.txt" 2>&1); rc=$?
check "a decision no probe recognises (reference and decision words) is read" 0 "$rc"
check "... by the decision page plugin" "decision_page" "$(printf '%s\n' "$out" | sed -n 's/^plugin: //p')"
check "... with its reference" "22 004 577" "$(printf '%s\n' "$out" | sed -n 's/^  ref: \(.*\) @.*/\1/p')"

out=$("$OMBUDS" parse "$d/unknown_with_ref.txt" 2>&1); rc=$?
check "a text with a reference-like number and no decision words is refused" 1 "$rc"
case "$out" in *"unknown_with_ref.txt: no plugin recognises this document (candidates:"*"--format NAME"*)
  ok "the refusal is the precise one, listing the probe scores" ;;
  *) notok "the refusal is the precise one, listing the probe scores"; echo "# $out" ;; esac
echo "1..$n"
[ $fail -eq 0 ]
