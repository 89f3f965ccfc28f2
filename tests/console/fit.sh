#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# fit.sh -- tables fitted to the console's window (issue 16), through the
# real console in tmux windows 80 and 60 columns wide: a query with a long
# summary column and a metric table (remedy_per_category, whose amounts
# alone are wider than either window, so its rows fold), and `ombuds metric`
# in a 60-column terminal.  For each: no line of output is wider than the
# window (tmux joins the lines the terminal wrapped, so a line too wide shows
# as one), every reference, date, category and amount is on the screen
# whole, and wrapped text put back together is the whole text.  What should
# be there comes from the program through a pipe, where values are never
# fitted.  Skips when tmux is not installed.
: "${OMBUDS:?}" "${SRCDIR:?}"
. "$SRCDIR/tests/console/tmux.sh"

tmp=$(mktemp -d)
export OMBUDS_DB="$tmp/test.db" NO_COLOR=1 OMBUDS_HISTFILE=/dev/null
unset COLUMNS
"$OMBUDS" ingest --quiet "$SRCDIR"/tests/golden/decision_page/*.txt >/dev/null 2>&1
if ! command -v tmux >/dev/null 2>&1; then
  rm -rf "$tmp"
  echo "ok 1 # SKIP tmux is not installed"; echo "1..1"; exit 0
fi
trap 'tmux -L "$sock" kill-server >/dev/null 2>&1; rm -rf "$tmp"' EXIT
ROWS=50

query='db:query("SELECT ref, decision_date, summary FROM cases WHERE summary IS NOT NULL ORDER BY ref")'
metric='ombuds.metrics.remedy_per_category()'
# what the screen must show whole, and the summaries, through a pipe
"$OMBUDS" -e "for r in $query:rows() do print(r.ref); print(r.decision_date) end" | grep -v '^nil$' >"$tmp/ids"
"$OMBUDS" -e "for r in $query:rows() do print(r.ref .. '|' .. (r.summary:gsub('%s+', ' '))) end" >"$tmp/summaries"
"$OMBUDS" -e "local t = $metric
for _, r in ipairs(t:rows()) do
  print(r.category)
  for _, c in ipairs(t:columns()) do if c:find('_pence') and r[c] then print(ombuds.pounds(r[c])) end end
end" | sort -u >"$tmp/amounts"
"$OMBUDS" -e "io.write(($metric):text())" | grep -E '^(coverage|note): ' | tr '\n' ' ' | tr -s ' ' >"$tmp/meta"
[ "$(wc -l <"$tmp/summaries")" -ge 5 ] && [ "$(wc -l <"$tmp/amounts")" -ge 5 ] && [ -s "$tmp/meta" ] ||
  echo "Bail out! the fixtures should give summaries, amounts and notes"

# widest: the longest line on standard input in display columns (UTF-8
# continuation bytes take none)
widest() { LC_ALL=C sed 's/[\x80-\xbf]//g' | LC_ALL=C awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }'; }
# the pane, lines the terminal wrapped joined into one
pane() { T capture-pane -p -J -t "$s" -S -3000; }
# what the console printed: the pane after the banner, typed lines (the
# prompt's) left out
output() { pane | sed -n '/^ombuds> /,$p' | grep -v '^ombuds> '; }
# run CODE: types it and waits for the prompt to come back, then types a
# marker and waits for its value.  Nothing is typed while CODE runs: the
# terminal would echo typed-ahead keys into the middle of the output (under
# valgrind a metric takes seconds), and the echo of the marker could end the
# wait before the last rows were printed.
prompt_is_last() { [ "$(pane | sed "s/ *$//" | grep -v "^$" | tail -1)" = "ombuds>" ]; }
run() {
  type_ "$1"; press Enter; wait_until prompt_is_last || echo "# the prompt did not come back"
  type_ '"end-of-" .. "output"'; press Enter; wait_for '"end-of-output"' exact
}
# whole WHAT FILE: every line of FILE is somewhere on the screen whole
whole() {
  missing=0
  while IFS= read -r v; do
    [ -z "$v" ] && continue
    grep -qF -- "$v" "$tmp/out" || { missing=$((missing+1)); echo "#   not whole: $v"; }
  done <"$2"
  check "$1" 0 "$missing"
}
fits() {
  w=$(widest <"$tmp/out")
  if [ "$w" -le "$COLS" ]; then ok "$1 ($w columns)"; else notok "$1"; echo "#   widest line: $w"; fi
}
# meta_back: the coverage and notes under the table, put back on one line
meta_back() { sed -n '/^coverage: /,$p' "$tmp/out" | grep -v '^"end-of-output"$' | sed 's/^ *//' | tr '\n' ' ' | tr -s ' '; }

for COLS in 80 60; do
  start "q$COLS"
  run "$query"
  output >"$tmp/out"
  fits "console at $COLS columns: a query with a long summary column fits the window"
  whole "console at $COLS columns: every reference and decision date whole" "$tmp/ids"
  # put each row's summary back together: its column starts where the
  # header says, continuation lines are blank up to there
  off=$(grep -m1 '^ref ' "$tmp/out" | awk '{ print index($0, "summary") }')
  awk -v off="$off" '
    /^ref / { on = 1; next } /^-/ && on == 1 { on = 2; next } /^\(/ { on = 0 }
    on == 2 && off > 0 {
      t = substr($0, off); sub(/^ +/, "", t)
      if (substr($0, 1, 1) != " ") { if (row != "") print row; row = substr($0, 1, 10) "|" t }
      else row = row " " t
    }
    END { if (row != "") print row }' "$tmp/out" >"$tmp/back"
  check "console at $COLS columns: each wrapped summary put back together is the whole text" \
    "$(cat "$tmp/summaries")" "$(cat "$tmp/back")"
  cont=$(grep -c '^                      ' "$tmp/out")
  if [ "$cont" -gt 0 ]; then ok "console at $COLS columns: summaries wrap onto lines of their own ($cont)"
  else notok "console at $COLS columns: summaries wrap onto lines of their own"; fi
  if grep -q "$(printf '\342\200\246')" "$tmp/out"; then notok "console at $COLS columns: nothing cut with an ellipsis"
  else ok "console at $COLS columns: nothing cut with an ellipsis"; fi
  press C-d

  start "m$COLS"
  run "$metric"
  output >"$tmp/out"
  fits "console at $COLS columns: a metric table fits the window"
  whole "console at $COLS columns: every category and amount of the metric whole" "$tmp/amounts"
  check "console at $COLS columns: its rows are folded, one record per row" \
    "$("$OMBUDS" -e "print(#$metric)")" "$(grep -c '^-\[ row ' "$tmp/out")"
  check "console at $COLS columns: the coverage and notes wrapped put back together are whole" \
    "$(cat "$tmp/meta")" "$(meta_back)"
  press C-d
done

COLS=60
s=cli60
T new-session -d -s "$s" -x "$COLS" -y "$ROWS" "'$OMBUDS' metric remedy_per_category; echo '[done]'; sleep 60"
wait_for "[done]" exact
pane | grep -v '^\[done\]$' >"$tmp/out"
fits "ombuds metric in a 60-column terminal fits it"
whole "ombuds metric in a 60-column terminal: every category and amount whole" "$tmp/amounts"
echo "1..$n"
[ $fail -eq 0 ]
