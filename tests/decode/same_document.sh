#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# same_document.sh -- one document, every format: each folder of
# tests/decode/same/ holds one decision page, listing, council annex or set
# of minutes as .txt and as the saved page (.html), the printed or exported
# PDF (.pdf) and the Word file (.docx) that fit its family (made by
# make_fixtures.py with Chromium, cairo and python-docx).  Every format must
# give field for field the same `ombuds export` as the text, once the
# `sources` (which name the file) are set aside; the text's own export is
# checked against values read from it by hand, so the comparison is never of
# two empty stores.  PDF sources must carry the page, others none.
: "${OMBUDS:?}" "${SRCDIR:?}"
n=0; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ok() { n=$((n+1)); echo "ok $n - $1"; }
notok() { n=$((n+1)); fail=$((fail+1)); echo "not ok $n - $1"; }
check() { if [ "$2" = "$3" ]; then ok "$1"; else notok "$1"; echo "#   want: $2"; echo "#    got: $3"; fi; }
contains() { case "$3" in *"$2"*) ok "$1" ;; *) notok "$1"; echo "#   want to contain: $2"; echo "$3" | head -5 | sed 's/^/#    got: /' ;; esac; }
same="$SRCDIR/tests/decode/same"

# export FILE: ingests FILE into a store of its own, prints the export
export_of() {
  db="$tmp/$(basename "$1").db"; rm -f "$db"
  OMBUDS_DB="$db" "$OMBUDS" ingest "$1" >"$tmp/ingest.out" 2>&1 || { cat "$tmp/ingest.out"; return 1; }
  OMBUDS_DB="$db" "$OMBUDS" export
}
strip_sources() { sed -E 's/"sources":\[[^]]*\],//'; }

for fam in decision listing annex minutes; do
  txt="$same/$fam/$fam.txt"
  export_of "$txt" >"$tmp/$fam.txt.jsonl"; check "$fam.txt ingests" 0 "$?"
  strip_sources <"$tmp/$fam.txt.jsonl" >"$tmp/$fam.want"
  for f in "$same/$fam/$fam".html "$same/$fam/$fam".pdf "$same/$fam/$fam".docx; do
    [ -f "$f" ] || continue
    name=$(basename "$f")
    if export_of "$f" >"$tmp/$name.jsonl"; then ok "$name ingests"; else notok "$name ingests"; continue; fi
    strip_sources <"$tmp/$name.jsonl" >"$tmp/$name.got"
    if cmp -s "$tmp/$fam.want" "$tmp/$name.got"; then ok "$name gives the same export as $fam.txt"
    else notok "$name gives the same export as $fam.txt"
      diff "$tmp/$fam.want" "$tmp/$name.got" | tr ',' '\n' | head -20 | sed 's/^/# /'; fi
    case "$name" in
      *.pdf) contains "$name: its sources name the page" '"page":1' "$(cat "$tmp/$name.jsonl")" ;;
      *) contains "$name: its sources have no page" '"page":null' "$(cat "$tmp/$name.jsonl")" ;;
    esac
  done
done

# what the text versions hold, read by hand
d="$tmp/decision.txt.jsonl"
contains "decision: the reference" '"ref":"23 004 118"' "$(cat "$d")"
contains "decision: upheld on 12 March 2024" '"outcome":"upheld","decision_date":"2024-03-12"' "$(cat "$d")"
contains "decision: £640 and £250 paid" '"payment_total_pence":89000' "$(cat "$d")"
contains "decision: the improvement" 'remind its transport team that a written notice must be sent' "$(cat "$d")"
check "listing: three cases" 3 "$(wc -l <"$tmp/listing.txt.jsonl" | tr -d ' ')"
contains "listing: 22 014 033 is about homelessness" '"ref":"22 014 033","refs_as_written":["22 014 033"],"authority":"Norfolk County Council","category":"Housing","subcategory":"Homelessness"' "$(cat "$tmp/listing.txt.jsonl")"
check "annex: 32 cases" 32 "$(wc -l <"$tmp/annex.txt.jsonl" | tr -d ' ')"
check "annex: 9 cases without an improvement (N/A)" 9 "$(grep -c '"improvements":\[\]' "$tmp/annex.txt.jsonl")"
contains "annex: row 3 (22 011 285) pays £250 and £125" '"ref":"22 011 285"' "$(grep '"payment_total_pence":37500' "$tmp/annex.txt.jsonl")"
contains "minutes: the report on 23 005 571 accepted on 17 January 2024" \
  '"ref":"23 005 571"' "$(grep '"type":"report accepted by council","date":"2024-01-17"' "$tmp/minutes.txt.jsonl")"
# the PDF annex is printed on three pages, and its cases say which
check "annex.pdf: cases on pages 1, 2 and 3" "1 2 3" \
  "$(grep -o '"page":[0-9]*' "$tmp/annex.pdf.jsonl" | sort -u | sed 's/.*://' | sort -n | paste -sd' ' -)"
echo "1..$n"
[ $fail -eq 0 ]
