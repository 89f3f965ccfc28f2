#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# sqlext.sh -- the SQLite extension ombuds.so (core/lib/sqlext.c) as users
# load it: by the real sqlite3 shell (.load), by sqlite-utils
# (--load-extension) and by Python's sqlite3 module (check_ext.py).  On a
# store built from samples/, pounds(), median(), percentile() and metric
# functions must give the figures computed here from the raw rows (read
# without the extension, counted in Python), and the same rows as `ombuds
# sql`; bad arguments are SQL errors naming the function; a copy outside the
# build tree finds its plugins only through the loader's search path.
: "${OMBUDS:?}" "${SRCDIR:?}" "${BUILDDIR:?}"
n=0; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ok() { n=$((n+1)); echo "ok $n - $1"; }
notok() { n=$((n+1)); fail=$((fail+1)); echo "not ok $n - $1"; }
skip() { n=$((n+1)); echo "ok $n # SKIP $1"; }
check() { if [ "$2" = "$3" ]; then ok "$1"; else notok "$1"; echo "#   want: $2" | head -20; echo "#    got: $3" | head -20; fi; }
contains() { case "$3" in *"$2"*) ok "$1" ;; *) notok "$1"; echo "#   want to contain: $2"; echo "$3" | sed 's/^/#    got: /' | head -10 ;; esac; }

ext="$BUILDDIR/core/lib/.libs/ombuds.so"
sqlite3=$(command -v sqlite3)
python=""
# Python's sqlite3 module may be built without extension loading (pyenv's
# default); take the first python3 whose module can load one.
for p in "${PYTHON3:-}" python3 /usr/bin/python3; do
  [ -n "$p" ] && command -v "$p" >/dev/null 2>&1 || continue
  if "$p" -c 'import sqlite3, sys; sys.exit(not hasattr(sqlite3.Connection, "enable_load_extension"))' 2>/dev/null; then
    python=$(command -v "$p"); break
  fi
done
anypy=$(command -v python3 || command -v /usr/bin/python3)
if [ ! -f "$ext" ] || [ -z "$sqlite3" ] || [ -z "$anypy" ]; then
  echo "1..0 # SKIP needs $ext, the sqlite3 shell and python3"; exit 0
fi
# An ASan build's extension needs the sanitizer runtimes loaded first in the
# client process (client CMD...); the clients' own leaks are not ours to report.
asan=$(ldd "$ext" | awk '/libasan|libubsan/ { printf "%s%s", sep, $3; sep = " " }')
client() {
  if [ -n "$asan" ]; then LD_PRELOAD="$asan" ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" "$@"
  else "$@"; fi
}

db="$tmp/s.db"
"$OMBUDS" --db "$db" ingest --quiet "$SRCDIR/samples" >/dev/null 2>&1
check "a store from samples/" 0 "$?"
# the raw rows, read by the shell with no extension loaded
"$sqlite3" -batch "$db" "SELECT payment_pence FROM case_totals WHERE payment_pence > 0" >"$tmp/pays"
"$sqlite3" -batch -separator '	' "$db" \
  "SELECT coalesce(category, ''), coalesce(year, ''), outcome FROM cases" >"$tmp/outcomes"
"$sqlite3" -batch -separator '	' "$db" \
  "SELECT coalesce(c.year, ''), r.amount_pence FROM remedies r JOIN cases c ON c.id = r.case_id
   AND r.document_id = c.remedy_document_id WHERE r.kind = 'payment' AND r.amount_pence IS NOT NULL" >"$tmp/payments"
check "the samples have cases with payments" 1 "$([ "$(wc -l <"$tmp/pays")" -ge 3 ] && echo 1)"

# expected figures, computed here rather than by SQL: "name<TAB>value" lines
"$anypy" - "$tmp" >"$tmp/want" <<'EOF'
import sys
d = sys.argv[1]
pays = sorted(int(x) for x in open(d + "/pays").read().split())
def pounds(p):
    sign = "-" if p < 0 else ""
    return "%s£%s.%02d" % (sign, format(abs(p) // 100, ","), abs(p) % 100)
def pct(a, p):  # linear interpolation between the two nearest ranks
    ix = p * (len(a) - 1) / 100.0
    lo = int(ix)
    v = float(a[lo])
    if ix > lo and lo + 1 < len(a): v += (a[lo + 1] - a[lo]) * (ix - lo)
    return v
groups = {}
for line in open(d + "/outcomes"):
    cat, year, outcome = line.rstrip("\n").split("\t")
    if not cat or not year: continue
    g = groups.setdefault((cat, int(year)), [0, 0])
    g[0] += outcome == "upheld"
    g[1] += outcome in ("upheld", "not upheld")
by_year = {}
for line in open(d + "/payments"):
    year, amount = line.rstrip("\n").split("\t")
    by_year[year] = by_year.get(year, 0) + int(amount)
print("total\t" + pounds(sum(pays)))
print("median\t%.2f" % pct(pays, 50))
print("p90\t%.2f" % pct(pays, 90))
print("p25\t%.2f" % pct(pays, 25))
print("negative\t" + pounds(-1200))
print("big\t" + pounds(123456789))
print("year2024\t%d" % by_year.get("2024", 0))
print("alltotal\t%d" % sum(by_year.values()))
print("shares\t" + ";".join("%s,%d,%.6f" % (c, y, u / n) for (c, y), (u, n) in sorted(groups.items()) if n))
EOF
want() { awk -F'\t' -v k="$1" '$1 == k { print $2 }' "$tmp/want"; }
check "nine expected figures, none empty" 9 "$(awk -F'\t' '$2 != ""' "$tmp/want" | wc -l | tr -d ' ')"
sed 's/^/# expected: /' "$tmp/want"

# ---- the sqlite3 shell ------------------------------------------------------------
q() { client "$sqlite3" -batch -bail "$db" ".load ${ext%.so}" "$@" 2>&1; }
out=$(q "SELECT pounds(sum(payment_pence)) FROM case_totals WHERE payment_pence > 0")
check "sqlite3 .load: pounds(sum(...)) is the total in pounds" "$(want total)" "$out"
out=$(q "SELECT printf('%.2f', median(payment_pence)) FROM case_totals WHERE payment_pence > 0")
check "sqlite3: median() of paying cases" "$(want median)" "$out"
out=$(q "SELECT printf('%.2f', percentile(payment_pence, 90)), printf('%.2f', percentile(payment_pence, 25))
         FROM case_totals WHERE payment_pence > 0")
check "sqlite3: percentile() at 90 and 25, linearly interpolated" "$(want p90)|$(want p25)" "$out"
out=$(q "SELECT pounds(-1200), quote(pounds(NULL)), pounds(123456789), pounds(0)")
check "sqlite3: pounds() of a negative amount, NULL, millions and nothing" "$(want negative)|NULL|$(want big)|£0.00" "$out"
out=$(q "SELECT remedy_total(NULL, 2024)")
check "sqlite3: the metric function remedy_total(NULL, 2024)" "$(want year2024)" "$out"
out=$(q "SELECT group_concat(category || ',' || year || ',' || printf('%.6f', s), ';') FROM
         (SELECT category, year, uphold_share(category, year) AS s FROM cases
          WHERE category IS NOT NULL AND year IS NOT NULL GROUP BY 1, 2 HAVING s IS NOT NULL ORDER BY 1, 2)")
check "sqlite3: uphold_share() for every category and year" "$(want shares)" "$out"
out=$(q "SELECT sum(value->>'total_pence') FROM json_each(remedy_per_category('year'))")
check "sqlite3: a table metric as JSON adds up to every payment" "$(want alltotal)" "$out"

# the functions the extension adds are those `ombuds metric` lists, with
# median and percentile
"$OMBUDS" metric 2>/dev/null | awk 'NR > 1 && $2 ~ /^[vbiIdst]\(/ { print $1 }' >"$tmp/fns"
printf 'median\npercentile\n' >>"$tmp/fns"
"$sqlite3" -batch "$db" "SELECT DISTINCT name FROM pragma_function_list" | sort >"$tmp/builtin"
q "SELECT DISTINCT name FROM pragma_function_list" | sort | comm -13 "$tmp/builtin" - >"$tmp/added"
check "the extension adds exactly the functions ombuds metric lists, with median and percentile" \
  "$(sort "$tmp/fns" | tr '\n' ' ')" "$(tr '\n' ' ' <"$tmp/added")"
check "and they are more than a handful" 1 "$([ "$(wc -l <"$tmp/added")" -ge 10 ] && echo 1)"

# the same query through `ombuds sql` gives the same rows
sql="SELECT category, year, pounds(remedy_total(category, year)) AS paid, uphold_share(category, year) AS share,
     median(t.payment_pence) AS median FROM cases c JOIN case_totals t ON t.case_id = c.id GROUP BY 1, 2 ORDER BY 1, 2"
q -csv -header "$sql" >"$tmp/shell.csv"
"$OMBUDS" --db "$db" sql --format csv "$sql" >"$tmp/ombuds.csv" 2>&1
same=$("$anypy" -c 'import csv, sys; a, b = (list(csv.reader(open(f, newline="", encoding="utf-8"))) for f in sys.argv[1:]); print(int(a == b and len(a) > 3))' \
  "$tmp/shell.csv" "$tmp/ombuds.csv")
check "sqlite3 and ombuds sql give the same rows for pounds, a metric and median" 1 "$same"
[ "$same" = 1 ] || { sed 's/^/#  shell: /' "$tmp/shell.csv" | head -5; sed 's/^/# ombuds: /' "$tmp/ombuds.csv" | head -5; }

out=$(q "SELECT pounds('abc')"); rc=$?
check "sqlite3: pounds('abc') is an error" 1 "$rc"
contains "naming the function, the argument and the type wanted" \
  'pounds(): argument 1 (pence): expected an integer (I, 64-bit), got text "abc"' "$out"
out=$(q "SELECT pounds(12.5)"); rc=$?
check "sqlite3: fractional pence are refused, not rounded" 1 "$rc"
out=$(q "SELECT percentile(payment_pence, 150) FROM case_totals"); rc=$?
contains "sqlite3: percentile() with p out of range says so" "p must be a number from 0 to 100" "$out"
out=$(q "SELECT median(x) FROM (SELECT 'abc' AS x)"); rc=$?
contains "sqlite3: median() of text says so" 'median(): expected a number to aggregate, got text "abc"' "$out"
out=$(client "$sqlite3" -batch -bail "$tmp/empty.db" ".load ${ext%.so}" "SELECT pounds(250), median(x) FROM (SELECT 1 AS x)" 2>&1)
check "a database that is not a store: pounds() and median() still work" "£2.50|1.0" "$out"
out=$(client "$sqlite3" -batch -bail "$tmp/empty.db" ".load ${ext%.so}" "SELECT remedy_total(NULL, 2024)" 2>&1)
contains "and a metric says what it could not read" "remedy_total: SQL error: no such table: cases" "$out"

# ---- a copy of the extension away from the build tree ------------------------------
# With only one plugin on OMBUDS_PLUGIN_PATH, only its functions appear (the
# loader's search path, not the build tree); ombuds.so beside the plugins, as
# in an installed $(pkglibdir), is not taken for one.
mkdir -p "$tmp/lib"
# the installed plugin directory, which every copy also searches
installed=$(PKG_CONFIG_PATH="$BUILDDIR" pkg-config --variable=plugindir ombuds 2>/dev/null)
ls "$installed"/*.so >/dev/null 2>&1 || installed=""
cp "$ext" "$tmp/lib/ombuds.so"
cp "$BUILDDIR/plugins/metric/uphold_rate/.libs/uphold_rate.so" "$tmp/lib/"
copy() { client env OMBUDS_PLUGIN_PATH="$tmp/lib" HOME="$tmp" "$sqlite3" -batch "$db" ".load $tmp/lib/ombuds" "$@" 2>&1; }
out="$(copy "SELECT is_upheld('upheld')") / $(copy "SELECT pounds(1)")"
case "$out" in
  "1 / "*"no such function: pounds"*) ok "a copy elsewhere loads the plugins on OMBUDS_PLUGIN_PATH, and only those" ;;
  *) if [ -n "$installed" ]; then skip "plugins are installed in $installed, which the copy also reads"
     else notok "a copy elsewhere loads only OMBUDS_PLUGIN_PATH's plugins"; echo "$out" | sed 's/^/#  /'; fi ;;
esac
out=$(OMBUDS_PLUGIN_PATH="$tmp/lib" HOME="$tmp" "$OMBUDS" plugins 2>&1)
case "$out" in *ombuds.so*) notok "ombuds plugins does not take ombuds.so for a plugin"; echo "$out" | sed 's/^/#  /' ;;
  *) ok "ombuds plugins does not take ombuds.so for a plugin" ;; esac
# the build tree's copy with no search path at all finds the build tree's plugins
out=$(client env -u OMBUDS_PLUGIN_PATH HOME="$tmp" "$sqlite3" -batch "$db" ".load ${ext%.so}" "SELECT pounds(250)" 2>&1)
if [ -z "$installed" ]; then check "from the build tree, without OMBUDS_PLUGIN_PATH, the build tree's plugins" "£2.50" "$out"
else skip "plugins are installed in $installed, which would answer too"; fi
rm "$tmp/lib/uphold_rate.so"
out=$(client env OMBUDS_PLUGIN_PATH="$tmp/lib" HOME="$tmp" "$sqlite3" -batch "$db" ".load $tmp/lib/ombuds" "SELECT 1" 2>&1); rc=$?
case "$out" in
  *"no metric plugins found"*) check "with no metric plugin anywhere the load fails" 1 "$rc"
    contains "saying where it looked" "looked in \$OMBUDS_PLUGIN_PATH, ~/.local/lib/ombuds/plugins and" "$out" ;;
  *) if [ -n "$installed" ]; then skip "plugins are installed in $installed (no-plugin error not reachable)"
       skip "plugins are installed in $installed"
     else notok "with no metric plugin anywhere the load fails (status $rc)"; echo "$out" | sed 's/^/#  /'; fi ;;
esac

# ---- sqlite-utils -------------------------------------------------------------------
if command -v sqlite-utils >/dev/null 2>&1; then
  out=$(client sqlite-utils query "$db" "SELECT pounds(sum(payment_pence)) AS paid, printf('%.2f', median(payment_pence)) AS median,
        printf('%.2f', percentile(payment_pence, 90)) AS p90 FROM case_totals WHERE payment_pence > 0" \
        --load-extension "$ext" --csv --no-headers 2>&1 | tr -d '\r')
  check "sqlite-utils --load-extension: pounds, median, percentile" "\"$(want total)\",$(want median),$(want p90)" "$out"
  out=$(client sqlite-utils query "$db" "SELECT remedy_total(NULL, 2024) AS paid" --load-extension "$ext" --csv --no-headers 2>&1 | tr -d '\r')
  check "sqlite-utils: a metric function" "$(want year2024)" "$out"
  out=$(client sqlite-utils query "$db" "SELECT pounds('abc')" --load-extension "$ext" 2>&1); rc=$?
  check "sqlite-utils: pounds('abc') fails" 1 "$rc"
  contains "with the function's message" 'pounds(): argument 1 (pence): expected an integer' "$out"
else
  skip "sqlite-utils is not installed (apt-get install sqlite-utils)"
fi

# ---- Python's sqlite3 module ----------------------------------------------------------
if [ -n "$python" ]; then
  client "$python" "$SRCDIR/tests/sqlext/check_ext.py" "$ext" "$db" "$tmp/want" "$n" >"$tmp/py.tap" 2>&1
  cat "$tmp/py.tap"
  n=$(grep -c '^\(not \)\{0,1\}ok ' "$tmp/py.tap" | awk -v n="$n" '{ print n + $1 }')
  fail=$((fail + $(grep -c '^not ok ' "$tmp/py.tap")))
  grep -q '^ok ' "$tmp/py.tap" || { fail=$((fail+1)); n=$((n+1)); echo "not ok $n - check_ext.py ran"; }
else
  skip "no python3 whose sqlite3 module can load extensions"
fi

echo "1..$n"
[ $fail -eq 0 ]
