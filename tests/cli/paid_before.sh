#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# paid_before.sh -- money the council paid before the decision (issue 15):
# a decision page saying the council refunded £1,242.60 before the
# complaint came to the ombudsman is stored with remedies.paid_before = 1,
# exported with "paid_before": true, counted in the case's total, and seen
# from Lua as remedies[i].paid_before; a remedy agreed in the decision is not.
: "${OMBUDS:?}" "${SRCDIR:?}"
n=0; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ok() { n=$((n+1)); echo "ok $n - $1"; }
notok() { n=$((n+1)); fail=$((fail+1)); echo "not ok $n - $1"; }
check() { if [ "$2" = "$3" ]; then ok "$1"; else notok "$1"; echo "#   want: $2"; echo "#    got: $3"; fi; }
db="$tmp/p.db"
"$OMBUDS" --db "$db" ingest "$SRCDIR/tests/real/decision_page/sheffield_20-000-997.txt" \
  "$SRCDIR/tests/real/decision_page/havering_24-000-099.txt" >/dev/null 2>&1
check "the store marks the refund made before the decision" "payment|124260|1" \
  "$("$OMBUDS" --db "$db" sql --format csv "SELECT r.kind, r.amount_pence, r.paid_before FROM remedies r JOIN cases c ON c.id = r.case_id WHERE c.ref = '20 000 997' AND r.kind = 'payment'" | tail -1 | tr ',' '|' | tr -d '\r')"
out=$("$OMBUDS" --db "$db" export --format jsonl)
case "$out" in *'"amount_pence":124260,"purposes":["quantifiable loss"],"text":'*'"paid_before":true}'*) ok "export: paid_before true on it" ;;
  *) notok "export: paid_before true on it"; echo "# $out" | head -3 ;; esac
case "$out" in *'"payment_total_pence":124260'*) ok "it counts in the case's total" ;; *) notok "it counts in the case's total" ;; esac
check "havering: the £100 offered at stage two is paid before, the new £250 is not" "10000:1 25000:0" \
  "$("$OMBUDS" --db "$db" sql --format csv "SELECT group_concat(amount_pence || ':' || paid_before, ' ') FROM (SELECT r.amount_pence, r.paid_before FROM remedies r JOIN cases c ON c.id = r.case_id WHERE c.ref = '24 000 099' AND r.kind = 'payment' ORDER BY r.id)" | tail -1 | tr -d '\r')"
check "Lua: db:case(ref).remedies[i].paid_before" "payment 124260 true" \
  "$("$OMBUDS" --db "$db" -e 'for _, r in ipairs(db:case("20 000 997").remedies) do if r.kind == "payment" then print(r.kind, r.amount_pence, r.paid_before) end end' 2>&1 | tr '\t' ' ')"
echo "1..$n"
[ $fail -eq 0 ]
