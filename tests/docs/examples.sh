#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# examples.sh -- runs every example in the documentation, so the docs cannot
# drift from the code.  Fenced blocks marked ```sh in README.md and docs/*.md
# run with bash -e; blocks marked ```lua run with `ombuds run`, ```sql with
# `ombuds sql`.  Both run in a
# scratch directory holding a copy of samples/ and an ombuds.db made from it,
# with `ombuds` on PATH.  (Blocks marked ```console or ```text are shown, not
# run: the quick start, which installs packages, and transcripts.)  The path
# of the installed SQLite extension is replaced by the build tree's.
: "${OMBUDS:?}" "${SRCDIR:?}"
n=0; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin"; ln -s "$OMBUDS" "$tmp/bin/ombuds"
export PATH="$tmp/bin:$PATH"
# examples that build plugins use pkg-config; point it at the source tree's header
mkdir -p "$tmp/pc"
printf 'Name: ombuds\nDescription: ombuds plugin headers (source tree)\nVersion: 0\nCflags: -I%s/core\n' "$SRCDIR" > "$tmp/pc/ombuds.pc"
export PKG_CONFIG_PATH="$tmp/pc${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
unset OMBUDS_DB

# extract FILE: writes each runnable block to $tmp/blocks/<file>-<n>.<sh|lua>
mkdir -p "$tmp/blocks"
for doc in "$SRCDIR/README.md" "$SRCDIR"/docs/*.md; do
  [ -f "$doc" ] || continue
  awk -v out="$tmp/blocks/$(basename "$doc" .md)" '
    /^```(sh|lua|sql)[ \t]*$/ { lang = substr($0, 4); gsub(/[ \t]/, "", lang); k++; f = sprintf("%s-%02d.%s", out, k, lang); printf "" > f; inblock = 1; next }
    /^```/ && inblock { inblock = 0; close(f); next }
    inblock { print >> f }' "$doc"
done

# The SQLite extension examples name its installed path; run them with the
# build tree's copy, and with a python3 whose sqlite3 module can load it.
ext="${BUILDDIR:-}/core/lib/.libs/ombuds"
asan=""
if [ -f "$ext.so" ]; then
  for block in "$tmp"/blocks/*; do sed -i "s#/usr/local/lib/ombuds/ombuds#$ext#g" "$block"; done
  # an ASan build's extension needs the sanitizer runtimes preloaded into
  # the client (tests/sqlext/sqlext.sh does the same)
  asan=$(ldd "$ext.so" | awk '/libasan|libubsan/ { printf "%s%s", sep, $3; sep = ":" }')
fi
can_load='import sqlite3, sys; sys.exit(not hasattr(sqlite3.Connection, "enable_load_extension"))'
if ! python3 -c "$can_load" 2>/dev/null && /usr/bin/python3 -c "$can_load" 2>/dev/null; then
  ln -s /usr/bin/python3 "$tmp/bin/python3"
fi

for block in "$tmp"/blocks/*; do
  [ -f "$block" ] || continue
  name=$(basename "$block")
  work="$tmp/work/$name"; mkdir -p "$work"
  cp -r "$SRCDIR/samples" "$work/samples"
  cp -r "$SRCDIR/docs/examples" "$work/examples"
  cp -r "$SRCDIR/scripts" "$work/scripts"
  (cd "$work" && ombuds ingest --quiet samples >/dev/null 2>&1)
  case "$name" in
    *.sh)  pre=""
           if [ -n "$asan" ] && grep -qF "$ext" "$block"; then
             pre="env LD_PRELOAD=$asan ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
           fi
           (cd "$work" && $pre bash -e "$block") >"$tmp/out" 2>&1; rc=$? ;;
    *.lua) (cd "$work" && ombuds run "$block") >"$tmp/out" 2>&1; rc=$? ;;
    *.sql) (cd "$work" && ombuds sql -- "$(cat "$block")") >"$tmp/out" 2>&1; rc=$? ;;
  esac
  n=$((n+1))
  if [ $rc -eq 0 ]; then echo "ok $n - example $name runs"
  else fail=$((fail+1)); echo "not ok $n - example $name runs (status $rc)"; sed 's/^/#   /' "$block" | head -8; tail -5 "$tmp/out" | sed 's/^/# > /'; fi
done
echo "1..$n"
[ $fail -eq 0 ]
