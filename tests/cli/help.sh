#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# help.sh -- every command takes --help and -h (usage, its options, one
# example; exit 0, no store needed or created); the top-level --help names
# every command; every option any --help shows is in ombuds(1), and every
# command of ombuds(1) is in the top-level --help.
: "${OMBUDS:?}" "${SRCDIR:?}"
n=0; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export OMBUDS_DB="$tmp/none.db"
ok() { n=$((n+1)); echo "ok $n - $1"; }
notok() { n=$((n+1)); fail=$((fail+1)); echo "not ok $n - $1"; }
check() { if [ "$2" = "$3" ]; then ok "$1"; else notok "$1"; echo "#   want: $2"; echo "#    got: $3"; fi; }
contains() { case "$3" in *"$2"*) ok "$1" ;; *) notok "$1"; echo "#   want to contain: $2"; echo "$3" | sed 's/^/#    got: /' | head -5 ;; esac; }
man="$SRCDIR/docs/ombuds.1"
# the man page's text with roff's \- as a plain hyphen
mantext=$(sed 's/\\-/-/g; s/\\f[BIR]//g' "$man")

top=$("$OMBUDS" --help); rc=$?
check "ombuds --help exits 0" 0 "$rc"
commands="ingest forget plugins sql cases export parse decode authorities metric report new-plugin run"
for c in $commands; do
  contains "top-level --help names $c" "  $c" "$top"
  for h in --help -h; do
    out=$("$OMBUDS" "$c" "$h" 2>&1); rc=$?
    check "$c $h exits 0" 0 "$rc"
    contains "$c $h gives the usage" "usage: ombuds" "$out"
  done
  out=$("$OMBUDS" "$c" --help 2>&1)
  case "$c" in metric|report|run) ;; *) contains "$c --help gives an example" "example:" "$out" ;; esac
  # every option the help names is documented in ombuds(1)
  for opt in $(echo "$out" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
    case "$mantext" in *"$opt"*) ok "$c $opt is in ombuds(1)" ;; *) notok "$c $opt is in ombuds(1)" ;; esac
  done
  case "$mantext" in *".B $c"*) ok "ombuds(1) has $c" ;; *) notok "ombuds(1) has $c" ;; esac
done
for opt in $(echo "$top" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
  case "$mantext" in *"$opt"*) ok "top-level $opt is in ombuds(1)" ;; *) notok "top-level $opt is in ombuds(1)" ;; esac
done
# and the other way: every command and option the man page lists is in --help
for opt in $(echo "$mantext" | grep '^\.B ' | grep -o -- '--[a-z][a-z-]*' | sort -u); do
  all="$top$(for c in $commands; do "$OMBUDS" "$c" --help 2>&1; done)"
  case "$all" in *"$opt"*) ok "ombuds(1)'s $opt is in a --help" ;; *) notok "ombuds(1)'s $opt is in a --help" ;; esac
done
if [ -e "$OMBUDS_DB" ]; then notok "no --help created a store"; else ok "no --help created a store"; fi
out=$("$OMBUDS" plugins --help)
case "$out" in *"source  "*) notok "plugins --help does not list plugins" ;; *) ok "plugins --help does not list plugins" ;; esac
echo "1..$n"
[ "$fail" -eq 0 ]
