# SPDX-License-Identifier: GPL-3.0-or-later
# tmux.sh -- sourced by the console tests (console.sh, fit.sh): TAP counters
# and the driving of a real console through a pseudo-terminal, tmux on a
# private socket so nothing touches the user's own server.  The window is
# COLS x ROWS (120 x 60 unless the test sets them before `start`).
n=0; fail=0
ok() { n=$((n+1)); echo "ok $n - $1"; }
notok() { n=$((n+1)); fail=$((fail+1)); echo "not ok $n - $1"; }
check() { if [ "$2" = "$3" ]; then ok "$1"; else notok "$1"; echo "#   want: $2"; echo "#    got: $3"; fi; }

sock="ombuds-test-$$"
T() { tmux -L "$sock" "$@"; }
s=""
# start NAME [OPTIONS]: a console in session NAME, waiting for its prompt
start() {
  s=$1; shift
  T new-session -d -s "$s" -x "${COLS:-120}" -y "${ROWS:-60}" "'$OMBUDS' $*; echo '[console ended]'; sleep 60"
  wait_for "ombuds>" || echo "# the console did not start"
}
screen() { T capture-pane -p -t "$s" -S -300; }
type_() { T send-keys -t "$s" -l "$1"; sleep 0.2; }
press() { T send-keys -t "$s" "$@"; sleep 0.2; }
# wait_until COMMAND...: until COMMAND succeeds, up to 50 s (under valgrind
# the console takes seconds to print a table, and a screen captured before
# the end looked like a missing row)
wait_until() {
  i=0
  while [ $i -lt 250 ]; do
    "$@" && return 0
    sleep 0.2; i=$((i+1))
  done
  return 1
}
# on_screen TEXT [exact]: the screen has TEXT (a whole line when exact)
on_screen() {
  if [ -n "$2" ]; then screen | grep -qxF -- "$1"; else screen | grep -qF -- "$1"; fi
}
wait_for() { wait_until on_screen "$@"; }
expect() { if wait_for "$2" "$3"; then ok "$1"; else notok "$1"; echo "#   want on screen: $2"; screen | grep -v "^$" | sed "s/^/#   | /" | tail -15; fi; }
