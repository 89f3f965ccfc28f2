#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# luaplugin.sh -- source-format plugins written in Lua are held to the same
# rules as C ones: listed by `ombuds plugins`, chosen by probe, one
# transaction per document (a parse that fails half way stores nothing),
# provenance by line, and errors that name the plugin's file and line.
: "${OMBUDS:?}" "${SRCDIR:?}"
n=0; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export OMBUDS_DB="$tmp/l.db"
ok() { n=$((n+1)); echo "ok $n - $1"; }
notok() { n=$((n+1)); fail=$((fail+1)); echo "not ok $n - $1"; }
check() { if [ "$2" = "$3" ]; then ok "$1"; else notok "$1"; echo "#   want: $2"; echo "#    got: $3"; fi; }
contains() { case "$3" in *"$2"*) ok "$1" ;; *) notok "$1"; echo "#   want to contain: $2"; echo "$3" | head -5 | sed 's/^/#    got: /' ;; esac; }
sql() { "$OMBUDS" sql --format csv "$1" | tail -n +2 | tr -d '\r'; }
mkdir -p "$tmp/plugins"

# a small register format: "REG;ref;authority;date;remedy" lines
cat > "$tmp/plugins/register_demo.lua" <<'LUA'
return {
  name = "register_demo", version = "2", description = "test register",
  probe = function(text) return text:sub(1, 9) == "REGISTER\n" and 95 or 0 end,
  parse = function(text, emit, doc)
    local n = 0
    for line in text:gmatch("[^\n]*") do
      n = n + 1
      if line == "FAIL" then error("expected no FAIL line") end
      if line == "BADEMIT" then emit{ ref = 12 } end
      local ref, auth, date, remedy = line:match("^REG;([^;]*);([^;]*);([^;]*);(.*)$")
      if ref then
        emit{ ref = ref, authority = auth, decision_date = date, remedy_text = remedy, line = n,
              improvements = { { text = "Remind staff of the duty", line = n } } }
      end
    end
  end,
}
LUA
printf 'return {' > "$tmp/plugins/broken.lua"

out=$("$OMBUDS" --plugin-dir "$tmp/plugins" plugins 2>&1)
contains "a Lua plugin is listed" "register_demo    source  2" "$out"
contains "a broken Lua plugin is one error line naming its file" "broken.lua: Lua plugin does not load:" "$out"

printf 'REGISTER\nREG;22004577;Somerset Council;12 March 2023;apology and \302\243250 for her distress\n' > "$tmp/ok.txt"
out=$("$OMBUDS" --plugin-dir "$tmp/plugins" ingest "$tmp/ok.txt" 2>&1); rc=$?
check "a document of its format ingests" 0 "$rc"
contains "chosen by its probe" "(register_demo, 1 case" "$out"
check "values normalised by the core" "22 004 577,Somerset Council,2023-03-12,25000,1" \
  "$(sql "SELECT c.ref, c.authority, c.decision_date, t.payment_pence, t.apology FROM cases c JOIN case_totals t ON t.case_id = c.id")"
check "provenance: the case's line" "register_demo,2" "$(sql "SELECT d.plugin, s.line FROM case_sources s JOIN documents d ON d.id = s.document_id")"
check "improvement with its line" "Remind staff of the duty,2" "$(sql "SELECT text, line FROM improvements")"

printf 'REGISTER\nREG;22004578;Somerset Council;12 March 2023;apology\nFAIL\n' > "$tmp/fail.txt"
out=$("$OMBUDS" --plugin-dir "$tmp/plugins" ingest "$tmp/fail.txt" 2>&1); rc=$?
check "a failing Lua parse fails the file" 1 "$rc"
contains "the error names the plugin file and line" "register_demo.lua:8: expected no FAIL line" "$out"
check "nothing of the failed document stored" 0 "$(sql "SELECT count(*) FROM cases WHERE ref = '22 004 578'")"

printf 'REGISTER\nBADEMIT\n' > "$tmp/bad.txt"
out=$("$OMBUDS" --plugin-dir "$tmp/plugins" ingest "$tmp/bad.txt" 2>&1); rc=$?
check "a wrong emit table fails the file" 1 "$rc"
contains "and says which field is wrong" "emit: field 'ref' must be a string" "$out"

# the shipped Lua plugin
out=$("$OMBUDS" ingest "$SRCDIR/samples/decision_list-devon.txt" 2>&1); rc=$?
check "the shipped decision_list plugin reads its sample" 0 "$rc"
contains "chosen as decision_list" "(decision_list, 2 cases)" "$out"
check "category filled in from the sub-category" "Children's care services,Child protection,upheld,2024-01-12" \
  "$(sql "SELECT category, subcategory, outcome, decision_date FROM cases WHERE ref = '23 005 377'")"
echo "1..$n"
[ $fail -eq 0 ]
