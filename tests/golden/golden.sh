#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# golden.sh -- parser golden tests.  For every fixture tests/golden/PLUGIN/NAME
# (.txt or .csv) with NAME.expected beside it, `ombuds parse --format PLUGIN`
# must print exactly the expected dump (every field of every case, checked by
# reading the fixture), and `ombuds parse` without --format must choose the
# same plugin.  A NAME.error file instead holds the expected error message.
# Set GOLDEN_UPDATE=1 to rewrite the expected files (then review the diff).
: "${OMBUDS:?OMBUDS must point at the ombuds program}"
: "${SRCDIR:?SRCDIR must point at the source tree}"
n=0; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ok() { n=$((n+1)); echo "ok $n - $1"; }
notok() { n=$((n+1)); fail=$((fail+1)); echo "not ok $n - $1"; }
for dir in "$SRCDIR"/tests/golden/*/; do
  plugin=$(basename "$dir")
  for f in "$dir"*.txt "$dir"*.csv; do
    [ -e "$f" ] || continue
    base=${f%.*}; name=$(basename "$f")
    if [ -f "$base.error" ]; then
      "$OMBUDS" parse --format "$plugin" "$f" >"$tmp/out" 2>"$tmp/err"; rc=$?
      want=$(cat "$base.error")
      if [ $rc -ne 0 ] && grep -qF "$want" "$tmp/err"; then ok "$plugin/$name fails as expected"
      else notok "$plugin/$name should fail with: $want"; sed 's/^/# /' "$tmp/err"; fi
      continue
    fi
    [ -f "$base.expected" ] || { [ -n "$GOLDEN_UPDATE" ] || { notok "$plugin/$name has no .expected file"; continue; }; }
    (cd "$dir" && "$OMBUDS" parse --format "$plugin" "$name") >"$tmp/out" 2>"$tmp/err"
    if [ -n "$GOLDEN_UPDATE" ]; then cp "$tmp/out" "$base.expected"; fi
    if diff -u "$base.expected" "$tmp/out" >"$tmp/diff"; then ok "$plugin/$name matches its golden dump"
    else notok "$plugin/$name differs from its golden dump"; sed 's/^/# /' "$tmp/diff" | head -40; sed 's/^/# /' "$tmp/err"; fi
    chosen=$( (cd "$dir" && "$OMBUDS" parse "$name" 2>&1) | sed -n 's/^plugin: //p')
    if [ "$chosen" = "$plugin" ]; then ok "$plugin/$name is detected as $plugin"
    else notok "$plugin/$name detected as '${chosen:-nothing}', expected $plugin"
      (cd "$dir" && "$OMBUDS" parse "$name" 2>&1 | tail -2 | sed 's/^/# /'); fi
  done
done
echo "1..$n"
[ $fail -eq 0 ]
