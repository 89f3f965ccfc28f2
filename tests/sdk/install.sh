#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# install.sh -- the plugin SDK from the outside: `make install DESTDIR=...`
# into a temporary prefix, then build docs/examples/myformat.c exactly as a
# third party would (cc -shared -fPIC $(pkg-config --cflags ombuds)), drop it
# into ~/.local/lib/ombuds/plugins and into OMBUDS_PLUGIN_PATH, ingest a
# document of its format and check the cases; then `ombuds new-plugin` writes
# a plugin that builds with its own Makefile and passes its own test.
: "${OMBUDS:?}" "${SRCDIR:?}" "${BUILDDIR:?}"
n=0; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ok() { n=$((n+1)); echo "ok $n - $1"; }
notok() { n=$((n+1)); fail=$((fail+1)); echo "not ok $n - $1"; }
check() { if [ "$2" = "$3" ]; then ok "$1"; else notok "$1"; echo "#   want: $2"; echo "#    got: $3"; fi; }
command -v cc >/dev/null && command -v pkg-config >/dev/null || { echo "1..0 # SKIP cc or pkg-config missing"; exit 0; }

dest="$tmp/dest"
if make -C "$BUILDDIR" install DESTDIR="$dest" >"$tmp/install.log" 2>&1; then ok "make install DESTDIR=..."
else notok "make install DESTDIR=..."; tail -5 "$tmp/install.log" | sed 's/^/# /'; echo "1..$n"; exit 1; fi
pc=$(find "$dest" -name ombuds.pc | head -1)
hdr=$(find "$dest" -path '*/include/ombuds/plugin.h' | head -1)
[ -n "$pc" ] && ok "ombuds.pc installed" || notok "ombuds.pc installed"
[ -n "$hdr" ] && ok "ombuds/plugin.h installed" || notok "ombuds/plugin.h installed"
export PKG_CONFIG_PATH="$(dirname "$pc")" PKG_CONFIG_SYSROOT_DIR="$dest"
cflags=$(echo $(pkg-config --cflags ombuds))
check "pkg-config --cflags points at the installed header" "-I$(dirname "$(dirname "$hdr")")" "$cflags"
plugindir=$(pkg-config --variable=plugindir ombuds)   # the sysroot is already applied
plugindir=${plugindir#$dest}
[ -f "$dest$plugindir/decision_page.so" ] && ok "plugindir variable names where plugins are installed" || notok "plugindir variable ($plugindir)"
bin=$(find "$dest" -path '*/bin/ombuds' | head -1)
# the SQLite extension sits beside the plugins (DESTDIR moved them, hence
# OMBUDS_PLUGIN_PATH); an ASan build's needs the sanitizer runtime preloaded
# (tests/sqlext/sqlext.sh does that), so is left to that test here
ext="$dest$plugindir/ombuds.so"
[ -f "$ext" ] && ok "the SQLite extension ombuds.so is installed in the plugin directory" \
  || notok "the SQLite extension ombuds.so is installed in the plugin directory"
if command -v sqlite3 >/dev/null && [ -f "$ext" ] && ! ldd "$ext" | grep -q libasan; then
  out=$(OMBUDS_PLUGIN_PATH="$dest$plugindir" HOME="$tmp" sqlite3 -batch :memory: ".load ${ext%.so}" \
    "SELECT pounds(123450), is_upheld('upheld')" 2>&1)
  check "the installed extension loads into sqlite3 with the installed metric plugins" "£1,234.50|1" "$out"
  out=$(OMBUDS_PLUGIN_PATH="$dest$plugindir" HOME="$tmp" "$bin" plugins 2>&1)
  case "$out" in *ombuds.so*) notok "installed ombuds does not take ombuds.so for a plugin"; echo "$out" | tail -3 | sed 's/^/# /' ;;
    *) ok "installed ombuds does not take ombuds.so for a plugin" ;; esac
fi

# the decoders are modules of their own, opened on the first file of a kind
for k in pdf html docx; do
  [ -f "$dest$plugindir/decoders/decode_$k.so" ] && ok "the $k decoder is installed in decoders/" \
    || notok "the $k decoder is installed in decoders/"
done
if [ -n "$bin" ]; then
  # DESTDIR moved the decoders from where the program looks; it says so
  out=$(HOME="$tmp" OMBUDS_DECODER_DIR="$tmp/nowhere" "$bin" decode "$SRCDIR/tests/decode/same/decision/decision.pdf" 2>&1)
  case "$out" in *"pdf decoder is not installed"*nowhere/decode_pdf.so*) ok "a missing decoder is named in the error" ;;
    *) notok "a missing decoder is named in the error"; echo "# $out" | head -3 ;; esac
  for f in decision.pdf decision.html; do
    want=$("$OMBUDS" decode "$SRCDIR/tests/decode/same/decision/$f" 2>&1)
    got=$(HOME="$tmp" OMBUDS_DECODER_DIR="$dest$plugindir/decoders" "$bin" decode "$SRCDIR/tests/decode/same/decision/$f" 2>&1)
    check "the installed program decodes $f with the installed decoder" "$want" "$got"
  done
  # a command that reads no PDF never loads poppler (start-up time)
  if LD_DEBUG=libs "$OMBUDS" --version 2>&1 | grep -q 'libpoppler\|libxml2\|libzip'; then
    notok "ombuds --version loads no decoder library"
  else ok "ombuds --version loads no decoder library"; fi
fi

mkdir -p "$tmp/plugins"
if cc -shared -fPIC $cflags "$SRCDIR/docs/examples/myformat.c" -o "$tmp/plugins/myformat.so" 2>"$tmp/cc.log"; then
  ok "the example plugin builds against the installed SDK"
else notok "the example plugin builds against the installed SDK"; sed 's/^/# /' "$tmp/cc.log"; fi

# dropped into OMBUDS_PLUGIN_PATH
out=$(OMBUDS_PLUGIN_PATH="$tmp/plugins:$dest$plugindir" "$bin" --db "$tmp/a.db" ingest "$SRCDIR/docs/examples/myformat-register.txt" 2>&1); rc=$?
check "installed ombuds ingests the example's format" 0 "$rc"
case "$out" in *"(myformat, 2 cases"*) ok "read by the example plugin" ;; *) notok "read by the example plugin"; echo "# $out" ;; esac
got=$("$bin" --db "$tmp/a.db" sql --format csv "SELECT c.ref, c.authority, c.outcome, c.decision_date, t.payment_pence, t.apology FROM cases c JOIN case_totals t ON t.case_id = c.id ORDER BY c.ref" | tail -n +2 | tr -d '\r')
check "its cases, normalised by the core" "22 004 577,Somerset Council,upheld,2023-03-12,25000,1
23 001 972,Cumberland Council,not upheld,2023-07-01,0," "$got"
# dropped into ~/.local/lib/ombuds/plugins
mkdir -p "$tmp/home/.local/lib/ombuds/plugins"; cp "$tmp/plugins/myformat.so" "$tmp/home/.local/lib/ombuds/plugins/"
out=$(HOME="$tmp/home" OMBUDS_PLUGIN_PATH= "$bin" plugins 2>&1)
case "$out" in *myformat*"$tmp/home/.local/lib/ombuds/plugins/myformat.so"*) ok "found in ~/.local/lib/ombuds/plugins" ;;
  *) notok "found in ~/.local/lib/ombuds/plugins"; echo "$out" | sed 's/^/# /' ;; esac
man=$(find "$dest" -name ombuds.1 | head -1)
[ -n "$man" ] && ok "man page ombuds(1) installed" || notok "man page ombuds(1) installed"

# ombuds new-plugin: a starting plugin that builds and passes its own test
out=$("$OMBUDS" new-plugin council_register --kind source --dir "$tmp" 2>&1); rc=$?
check "new-plugin writes a plugin" 0 "$rc"
for f in council_register.c Makefile sample.txt sample.expected test.sh; do
  [ -f "$tmp/council_register/$f" ] && ok "new-plugin wrote $f" || notok "new-plugin wrote $f"
done
if make -C "$tmp/council_register" >"$tmp/np.log" 2>&1; then ok "its Makefile builds it with pkg-config"
else notok "its Makefile builds it with pkg-config"; tail -5 "$tmp/np.log" | sed 's/^/# /'; fi
out=$(OMBUDS="$OMBUDS" make -C "$tmp/council_register" check 2>&1); rc=$?
check "its own test passes" 0 "$rc"
out=$("$OMBUDS" new-plugin council_totals --kind metric --dir "$tmp" 2>&1); rc=$?
check "new-plugin --kind metric writes a plugin" 0 "$rc"
if make -C "$tmp/council_totals" >"$tmp/npm.log" 2>&1; then ok "the metric plugin builds with pkg-config"
else notok "the metric plugin builds with pkg-config"; tail -5 "$tmp/npm.log" | sed 's/^/# /'; fi
out=$(OMBUDS="$OMBUDS" make -C "$tmp/council_totals" check 2>&1); rc=$?
check "the metric plugin's own test passes" 0 "$rc"
[ $rc -eq 0 ] || echo "$out" | tail -3 | sed 's/^/# /'
out=$("$OMBUDS" new-plugin council_register --dir "$tmp" 2>&1); rc=$?
check "new-plugin never overwrites" 1 "$rc"
out=$("$OMBUDS" new-plugin "Bad Name" 2>&1); rc=$?
check "new-plugin refuses a bad name" 2 "$rc"
echo "1..$n"
[ $fail -eq 0 ]
