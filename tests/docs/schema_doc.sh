#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# schema_doc.sh -- docs/schema.md documents every table and view of a new
# store (a row "| `name` |" in its Tables or Views list) with every column,
# names no table or view the store lacks, says what documents.sha256 hashes
# (checked against a real ingest), and states the schema version the store
# has.  The
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
# and each of its columns (generated ones too, such as cases.year), named
# in backticks on its row; `<field>_line` stands for the line of each field
sqlite3 -batch "$tmp/s.db" "SELECT m.name, p.name FROM sqlite_schema m, pragma_table_xinfo(m.name) p
  WHERE m.type IN ('table', 'view') AND p.hidden <> 1 AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
  AND m.name NOT IN ('search_data', 'search_idx', 'search_docsize', 'search_config', 'search_content')
  ORDER BY m.name, p.cid" >"$tmp/columns"
[ "$(wc -l <"$tmp/columns")" -ge 100 ] && ok "they have $(wc -l <"$tmp/columns" | tr -d ' ') columns" \
  || notok "they have columns"
undocumented=""
while IFS='|' read -r name col; do
  row=$(grep "^| \`$name\` |" "$doc")
  case "$row" in
    *"\`$col\`"*) ;;
    *"\`<field>_line\`"*) case "$col" in *_line) case "$row" in *"\`${col%_line}\`"*) continue ;; esac ;; esac
      undocumented="$undocumented $name.$col" ;;
    *) undocumented="$undocumented $name.$col" ;;
  esac
done <"$tmp/columns"
[ -z "$undocumented" ] && ok "docs/schema.md names every column of every table and view" \
  || { notok "docs/schema.md names every column of every table and view"; echo "#   not named:$undocumented"; }
# the document's identity, as ingest computes it (the hash of the bytes, or
# with options the hash of that hash and the options)
f="$tmp/one.txt"
cp "$SRCDIR/tests/golden/decision_page/upheld_two_payments.txt" "$f"
"$OMBUDS" --db "$tmp/id.db" ingest --quiet "$f" >/dev/null 2>&1
plain=$(sha256sum "$f" | cut -d' ' -f1)
stored=$(sqlite3 -batch "$tmp/id.db" "SELECT sha256 FROM documents")
[ "$stored" = "$plain" ] && ok "documents.sha256 without options: the SHA-256 of the file's bytes" \
  || notok "documents.sha256 without options: the SHA-256 of the file's bytes ($stored, want $plain)"
"$OMBUDS" --db "$tmp/id.db" ingest --quiet --authority "Kent County Council" "$f" >/dev/null 2>&1
want=$(printf '%s\nformat=\nauthority=%s' "$plain" "Kent County Council" | sha256sum | cut -d' ' -f1)
stored=$(sqlite3 -batch "$tmp/id.db" "SELECT sha256 FROM documents")
[ "$stored" = "$want" ] && ok "with --authority: the SHA-256 of the bytes' hash, format= and authority= lines" \
  || notok "with --authority: the SHA-256 of the bytes' hash, format= and authority= lines ($stored, want $want)"
grep -q 'format=<--format, or empty when not given>' "$doc" && grep -q 'authority=<--authority, or empty' "$doc" \
  && ok "docs/schema.md says what documents.sha256 hashes with options" \
  || notok "docs/schema.md says what documents.sha256 hashes with options"
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
