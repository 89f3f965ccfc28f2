#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# bad_formats.sh -- files that are not what they seem: a truncated, an
# encrypted and a scanned PDF, a PDF of 10,000 empty pages (made here with
# cairo when python3-cairo is present), a .docx ZIP bomb, a ZIP that is not a
# .docx, an old binary .doc, and saved pages cut short or garbled.  Each must
# fail with one line naming the file and what was expected, a non-zero exit
# status, and nothing stored; a page cut in its body keeps what is readable.
# The files are made by make_fixtures.py.
: "${OMBUDS:?}" "${SRCDIR:?}"
n=0; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ok() { n=$((n+1)); echo "ok $n - $1"; }
notok() { n=$((n+1)); fail=$((fail+1)); echo "not ok $n - $1"; }
check() { if [ "$2" = "$3" ]; then ok "$1"; else notok "$1"; echo "#   want: $2"; echo "#    got: $3"; fi; }
bad="$SRCDIR/tests/decode/bad"

# refused FILE MESSAGE: ingest fails with MESSAGE, stores nothing; decode
# fails with one line naming the file
refused() {
  f=$1; want=$2; name=$(basename "$f")
  db="$tmp/$name.db"; rm -f "$db"
  OMBUDS_DB="$db" "$OMBUDS" ingest "$f" >"$tmp/out" 2>&1; rc=$?
  if [ $rc -ne 0 ]; then ok "$name: ingest exits non-zero"; else notok "$name: ingest exits non-zero"; fi
  line=$(grep "^failed" "$tmp/out")
  case "$line" in
    "failed    $f: $want"*) ok "$name: $want" ;;
    *) notok "$name: $want"; sed 's/^/# /' "$tmp/out" ;;
  esac
  check "$name: nothing stored" "0,0" \
    "$(OMBUDS_DB="$db" "$OMBUDS" sql --format csv "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM cases)" | tail -1 | tr -d '\r')"
  "$OMBUDS" decode "$f" >"$tmp/dout" 2>"$tmp/derr"; rc=$?
  if [ $rc -ne 0 ] && [ "$(wc -l <"$tmp/derr" | tr -d ' ')" = 1 ] && grep -qF "ombuds decode: $f: $want" "$tmp/derr"
  then ok "$name: ombuds decode says so in one line"
  else notok "$name: ombuds decode says so in one line"; sed 's/^/# /' "$tmp/derr"; fi
}

refused "$bad/truncated.pdf" "truncated PDF: it does not end with the %%EOF marker"
refused "$bad/encrypted.pdf" "encrypted PDF: it needs a password to open"
refused "$bad/scanned.pdf" "no text layer (a scanned PDF?): run OCR first, e.g. ocrmypdf"
refused "$bad/bomb.docx" "refused Word document: word/document.xml would expand to 209715221 bytes"
refused "$bad/photos.docx" "not a Word document: the ZIP has no word/document.xml"
refused "$bad/old.doc" "old binary Word document (.doc): save it as .docx or PDF"
refused "$bad/truncated_head.html" "no readable text in this HTML page (expected a saved web page with its body"

# garbage inside <html>: decoded (libxml2 recovers) but recognised by no plugin
db="$tmp/malformed.db"
OMBUDS_DB="$db" "$OMBUDS" ingest "$bad/malformed.html" >"$tmp/out" 2>&1; rc=$?
if [ $rc -ne 0 ] && grep -q "^failed    $bad/malformed.html: no plugin recognises this document" "$tmp/out"
then ok "malformed.html: recognised by no plugin, one line"; else notok "malformed.html: recognised by no plugin, one line"; sed 's/^/# /' "$tmp/out"; fi
check "malformed.html: nothing stored" 0 "$(OMBUDS_DB="$db" "$OMBUDS" sql --format csv "SELECT count(*) FROM documents" | tail -1 | tr -d '\r')"

# a page cut short in its body: the heading, labels and summary are there
db="$tmp/cut.db"
OMBUDS_DB="$db" "$OMBUDS" ingest "$bad/truncated_body.html" >"$tmp/out" 2>&1
check "truncated_body.html: the readable part gives its case" "23 004 118,upheld,2024-03-12" \
  "$(OMBUDS_DB="$db" "$OMBUDS" sql --format csv "SELECT ref, outcome, decision_date FROM cases" | tail -1 | tr -d '\r')"

# 10,000 empty pages: refused as a scan, quickly and in bounded memory
py=
for p in python3 /usr/bin/python3; do
  if "$p" -c 'import cairo' 2>/dev/null; then py=$p; break; fi
done
if [ -n "$py" ]; then
  "$py" -c '
import cairo, sys
s = cairo.PDFSurface(sys.argv[1], 200, 200)
c = cairo.Context(s)
for i in range(10000):
    c.show_page()
s.finish()' "$tmp/empty.pdf"
  # a minute of CPU is far beyond what it needs (0.3 s: the first 50 empty
  # pages already say "scan"); no address-space limit, which a sanitizer
  # build could not start under
  ( ulimit -t 60 2>/dev/null; OMBUDS_DB="$tmp/empty.db" "$OMBUDS" ingest "$tmp/empty.pdf" ) >"$tmp/out" 2>&1; rc=$?
  check "10,000 empty pages: ingest fails with status 1" 1 "$rc"
  if grep -q "^failed    $tmp/empty.pdf: no text layer (a scanned PDF?)" "$tmp/out"; then ok "10,000 empty pages: refused as having no text"
  else notok "10,000 empty pages: refused as having no text"; sed 's/^/# /' "$tmp/out"; fi
else
  ok "10,000 empty pages # SKIP python3-cairo is not installed"
  ok "10,000 empty pages # SKIP python3-cairo is not installed"
fi
echo "1..$n"
[ $fail -eq 0 ]
