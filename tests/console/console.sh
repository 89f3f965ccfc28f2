#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# console.sh -- drives the real console through a pseudo-terminal (tmux on a
# private socket): expression printing, multi-line input, Tab completion of
# a global, a method and a column, an error followed by a working command,
# Ctrl-C during a long query and at the prompt, Ctrl-D, the history file
# written and read back, --no-history; and piped standard input.  Skips
# when tmux is not installed.
: "${OMBUDS:?}" "${SRCDIR:?}"
. "$SRCDIR/tests/console/tmux.sh"

tmp=$(mktemp -d)
export OMBUDS_DB="$tmp/test.db" XDG_STATE_HOME="$tmp/state" NO_COLOR=1
unset OMBUDS_HISTFILE
"$OMBUDS" ingest --quiet "$SRCDIR"/tests/golden/decision_page/*.txt >/dev/null 2>&1
out=$(echo 'print(db:count() > 0)' | "$OMBUDS" 2>&1)
check "piped standard input runs as a script" "true" "$out"

if ! command -v tmux >/dev/null 2>&1; then
  rm -rf "$tmp"
  n=$((n+1)); echo "ok $n # SKIP tmux is not installed"; echo "1..$n"; exit 0
fi
trap 'tmux -L "$sock" kill-server >/dev/null 2>&1; rm -rf "$tmp"' EXIT

start a
type_ '1 + 2'; press Enter
expect "an expression prints its value" "3" exact
type_ 'for i = 1, 2 do'; press Enter
expect "an open for asks for more" "   ...>" exact
type_ "print('row' .. i)"; press Enter
type_ 'end'; press Enter
expect "a multi-line statement runs" "row2" exact
type_ "t = {1, 'two', k = {v = true}}"; press Enter
type_ 't'; press Enter
expect "a table prints as a constructor" '{1, "two", k = {v = true}}' exact
type_ 'collectgarb'; press Tab
type_ '"count") > 0'; press Enter
expect "Tab completes a global" 'ombuds> collectgarbage("count") > 0'
expect "and the completed line runs" "true" exact
type_ 'db:cou'; press Tab
type_ ')'; press Enter
expect "Tab completes a method through the metatable" "ombuds> db:count()"
type_ 'db:query("SELECT outc'; press Tab
type_ ' FROM cases WHERE ref = ?", "22 001 239")'; press Enter
expect "Tab completes a column name inside a query" 'ombuds> db:query("SELECT outcome FROM cases WHERE ref = ?", "22 001 239")'
expect "a query result prints as a table" "(1 row)" exact
type_ 'error("kaput")'; press Enter
expect "an error prints its message" "stdin:1: kaput" exact
expect "and a short traceback" "stack traceback:" exact
type_ '40 + 2'; press Enter
expect "the prompt goes on after an error" "42" exact
type_ 'db:query("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c")'
press Enter; sleep 1; press C-c
expect "Ctrl-C stops a long query" "interrupted!"
type_ '"after"'; press Enter
expect "and the console goes on" '"after"' exact
type_ 'if true then'; press Enter; press C-c
type_ '6 * 7 + 1'; press Enter
expect "Ctrl-C at the prompt drops the unfinished statement" "43" exact
press C-d
expect "Ctrl-D leaves" "[console ended]" exact

hist="$tmp/state/ombuds/history"
if [ -f "$hist" ]; then ok "the history file is written under XDG_STATE_HOME"; else notok "the history file is written under XDG_STATE_HOME"; fi
if grep -qxF '1 + 2' "$hist" 2>/dev/null; then ok "it holds a one-line entry"; else notok "it holds a one-line entry"; fi
if grep -qxF "print('row' .. i)" "$hist" 2>/dev/null; then ok "and the lines of a multi-line one"; else notok "and the lines of a multi-line one"; fi

start b
press Up
expect "history is read back: Up recalls the last entry" 'ombuds> 6 * 7 + 1' exact
press C-u
press C-r; type_ "row' .."; press Enter
expect "a multi-line entry comes back whole and runs" "row2" exact
press C-d
wait_for "[console ended]" exact

start c --no-history
type_ 'nohist = 1'; press Enter
press C-d
wait_for "[console ended]" exact
if grep -q nohist "$hist"; then notok "--no-history writes nothing"; else ok "--no-history writes nothing"; fi
echo "1..$n"
[ $fail -eq 0 ]
