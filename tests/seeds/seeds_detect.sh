#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# seeds_detect.sh -- format detection over the real seed documents: with no
# --format, each seed is read by its own family's plugin, all five ingest
# together, and an unrelated text file is refused with a clear message.
: "${OMBUDS:?}" "${SEEDS:=}"
n=0; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ok() { n=$((n+1)); echo "ok $n - $1"; }
notok() { n=$((n+1)); fail=$((fail+1)); echo "not ok $n - $1"; }
check() { if [ "$2" = "$3" ]; then ok "$1"; else notok "$1"; echo "#   want: $2"; echo "#    got: $3"; fi; }
if [ ! -d "$SEEDS" ]; then echo "1..0 # SKIP the seeds ($SEEDS) are not here"; exit 0; fi
for pair in 000:si_listing 001:si_detail 002:annex_table 003:minutes 004:press_release; do
  seed=${pair%%:*}; want=${pair#*:}
  f=$(ls "$SEEDS"/${seed}_*.txt)
  got=$("$OMBUDS" parse "$f" 2>/dev/null | sed -n 's/^plugin: //p')
  check "seed $seed is detected as $want" "$want" "$got"
done
out=$(OMBUDS_DB="$tmp/s.db" "$OMBUDS" ingest "$SEEDS"/0*.txt 2>&1); rc=$?
check "all five seeds ingest with no --format" 0 "$rc"
got=$(OMBUDS_DB="$tmp/s.db" "$OMBUDS" sql --format csv "SELECT group_concat(plugin, ' ') FROM (SELECT plugin FROM documents ORDER BY path)" | tail -1 | tr -d '\r')
check "each seed stored by its plugin" "si_listing si_detail annex_table minutes press_release" "$got"
printf 'Shopping list\nmilk\nbread\n' > "$tmp/list.txt"
out=$("$OMBUDS" parse "$tmp/list.txt" 2>&1); rc=$?
check "an unrelated text file is refused" 1 "$rc"
case "$out" in *"list.txt: no plugin recognises this document"*"--format NAME"*) ok "the refusal names the file and --format" ;;
  *) notok "the refusal names the file and --format"; echo "# $out" ;; esac
echo "1..$n"
[ $fail -eq 0 ]
