#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# run.sh -- runs the Lua API tests: builds a store in a temporary directory
# from the decision-page fixtures, then runs each tests/lua/test_*.lua with
# `ombuds run` against it, numbering the TAP lines of all files as one
# stream.  A file that dies without reporting a failure counts as one.
: "${OMBUDS:?}" "${SRCDIR:?}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export OMBUDS_DB="$tmp/test.db" OMBUDS_TEST_TMP="$tmp" OMBUDS_FIXTURES="$SRCDIR/tests/golden/decision_page"
export OMBUDS_LUA_PATH="$SRCDIR/tests/lua"
if ! "$OMBUDS" ingest --quiet "$OMBUDS_FIXTURES"/*.txt >"$tmp/ingest.log" 2>&1; then
  echo "not ok 1 - the fixtures ingest"; sed 's/^/# /' "$tmp/ingest.log"; echo "1..1"; exit 1
fi
n=0; fail=0
for t in "$SRCDIR"/tests/lua/test_*.lua; do
  name=$(basename "$t")
  ${OMBUDS_WRAPPER:-} "$OMBUDS" run "$t" >"$tmp/out" 2>"$tmp/err"; rc=$?
  bad=$(grep -c '^not ok' "$tmp/out")
  while IFS= read -r line; do
    case "$line" in
      "ok "*) n=$((n+1)); echo "ok $n - $name: ${line#* - }" ;;
      "not ok "*) n=$((n+1)); fail=$((fail+1)); echo "not ok $n - $name: ${line#* - }" ;;
      *) echo "$line" ;;
    esac
  done <"$tmp/out"
  if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
    n=$((n+1)); fail=$((fail+1)); echo "not ok $n - $name exited with status $rc"
    sed 's/^/#   /' "$tmp/err"
  fi
done
echo "1..$n"
[ "$fail" -eq 0 ]
