#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# schema_doc.sh -- docs/schema.md documents every table and view of a new
# store (a row "| `name` |" in its Tables or Views list), names no table or
# view the store lacks, and states the schema version the store has.  The
# FTS5 index's own shadow tables (search_data, ...) are SQLite's, not ours.
: "${OMBUDS:?}" "${SRCDIR:?}"
n=0; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ok() { n=$((n+1)); echo "ok $n - $1"; }
notok() { n=$((n+1)); fail=$((fail+1)); echo "not ok $n - $1"; }
command -v sqlite3 >/dev/null || { echo "1..0 # SKIP the sqlite3 shell is not installed"; exit 0; }
doc="$SRCDIR/docs/schema.md"

"$OMBUDS" --db "$tmp/s.db" ingest --quiet "$SRCDIR/samples" >/dev/null 2>&1
sqlite3 -batch "$tmp/s.db" "SELECT type, name FROM sqlite_schema WHERE type IN ('table', 'view')
  AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT IN ('search_data', 'search_idx', 'search_docsize',
  'search_config', 'search_content') ORDER BY name" >"$tmp/objects"
[ "$(wc -l <"$tmp/objects")" -ge 20 ] && ok "a new store has $(wc -l <"$tmp/objects" | tr -d ' ') tables and views" \
  || notok "a new store has tables and views"
while IFS='|' read -r type name; do
  if grep -q "^| \`$name\` |" "$doc"; then ok "docs/schema.md documents the $type $name"
  else notok "docs/schema.md documents the $type $name"; fi
done <"$tmp/objects"
# every documented name exists
sed -n 's/^| `\([a-z_]*\)` |.*/\1/p' "$doc" | sort -u >"$tmp/documented"
missing=$(cut -d'|' -f2 "$tmp/objects" | sort -u | comm -13 - "$tmp/documented" | tr '\n' ' ')
[ -z "$missing" ] && ok "every table or view docs/schema.md lists exists" \
  || { notok "every table or view docs/schema.md lists exists"; echo "#   not in a store: $missing"; }
v=$(sqlite3 -batch "$tmp/s.db" "PRAGMA user_version")
grep -q "currently \*\*$v\*\*" "$doc" && ok "docs/schema.md gives the schema version, $v" \
  || notok "docs/schema.md gives the schema version ($v)"
grep -q "^| $v | " "$doc" && ok "and says what version $v changed" || notok "and says what version $v changed"
echo "1..$n"
[ $fail -eq 0 ]
