#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# authority_names.sh -- the register matches authority names by a key that
# ignores case, "&" against "and", a missing "and", punctuation and spacing
# (authorities.h, OMB_NAME_KEY_SQL), so data/authorities.tsv needs no such
# spellings; a council it does not know stays as written and is listed by
# `ombuds authorities --unmatched`.
: "${OMBUDS:?}" "${SRCDIR:?}"
d="$SRCDIR/tests/fixtures/authority_names"
n=0; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ok() { n=$((n+1)); echo "ok $n - $1"; }
notok() { n=$((n+1)); fail=$((fail+1)); echo "not ok $n - $1"; }
check() { if [ "$2" = "$3" ]; then ok "$1"; else notok "$1"; echo "#   want: $2"; echo "#    got: $3"; fi; }
db="$tmp/a.db"
"$OMBUDS" --db "$db" ingest "$d" >/dev/null 2>&1
auth() { "$OMBUDS" --db "$db" sql --format csv "SELECT authority FROM cases WHERE ref = '$1'" | tail -1 | tr -d '\r"'; }
check "'Brighton & Hove City Council' is the register's name" "Brighton and Hove City Council" "$(auth '22 006 058')"
check "'Brighton Hove City Council' (no 'and') too" "Brighton and Hove City Council" "$(auth '22 006 059')"
check "'Bournemouth Christchurch and Poole Council' (no commas)" "Bournemouth, Christchurch and Poole Council" "$(auth '21 016 311')"
check "'REDCAR  &  CLEVELAND   Council' (case, spaces)" "Redcar and Cleveland Borough Council" "$(auth '22 006 060')"
check "an unknown council stays as written" "Borsetshire County Council" "$(auth '22 006 061')"
check "and is the only unmatched name" "Borsetshire County Council" \
  "$("$OMBUDS" --db "$db" sql --format csv "SELECT group_concat(name, '|') FROM unmatched_authorities" | tail -1 | tr -d '\r"')"
echo "1..$n"
[ $fail -eq 0 ]
