#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# money_tables.sh -- issue 16 through the program as people run it: money is
# pounds in tables and whole pence in CSV and JSON (fields named *_pence, the
# names export uses); a totals line only in tables; tables fitted to a
# narrow terminal (a pty from script(1)) keep references, dates, authorities
# and amounts whole; a trend needs two years.  Expected values are computed
# from the program's own CSV, never written in here.
: "${OMBUDS:?}" "${SRCDIR:?}"
n=0; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ok() { n=$((n+1)); echo "ok $n - $1"; }
notok() { n=$((n+1)); fail=$((fail+1)); echo "not ok $n - $1"; }
check() { if [ "$2" = "$3" ]; then ok "$1"; else notok "$1"; echo "#   want: $2"; echo "#    got: $3"; fi; }
contains() { case "$3" in *"$2"*) ok "$1" ;; *) notok "$1"; echo "#   want to contain: $2"; echo "$3" | sed 's/^/#    got: /' | head -20 ;; esac; }
lacks() { case "$3" in *"$2"*) notok "$1"; echo "#   should not contain: $2" ;; *) ok "$1" ;; esac; }
db="$tmp/t.db"
unset COLUMNS # the narrow tests set the width themselves
# widest: the longest line on standard input in display columns (UTF-8
# continuation bytes take none)
widest() { LC_ALL=C sed 's/[\x80-\xbf]//g' | LC_ALL=C awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }'; }
cp "$SRCDIR"/tests/golden/decision_page/*.txt "$tmp/"
"$OMBUDS" --db "$db" ingest "$tmp"/*.txt >/dev/null 2>&1
check "the decision fixtures ingest" 0 $?

# ---- cases: one name per figure, no fake total row in machine formats
csv=$("$OMBUDS" --db "$db" cases --format csv | tr -d '\r')
check "cases CSV header uses export's names" \
  "ref,decision_date,authority,category,subcategory,outcome,payment_total_pence,n_remedies,n_improvements" \
  "$(echo "$csv" | head -1)"
rows=$(echo "$csv" | tail -n +2 | wc -l)
cases=$("$OMBUDS" --db "$db" sql --format csv "SELECT count(*) FROM cases" | tail -1 | tr -d '\r')
check "cases CSV has one row per case, no total row" "$cases" "$rows"
lacks "cases CSV has no 'total' record" "total," "$csv"
json=$("$OMBUDS" --db "$db" cases --format json)
lacks "cases JSON has no fake case {\"ref\":\"total\"}" '"ref":"total"' "$json"
contains "cases JSON gives payments as integer pence" '"payment_total_pence":' "$json"
bad=$(echo "$json" | grep -o '"payment_total_pence":[^,}]*' | grep -c '[.]')
check "no fractional pence in cases JSON" 0 "$bad"

# ---- tables: pounds, and the total line computed from the CSV
sum=$(echo "$csv" | tail -n +2 | awk -F, '{print $(NF-2)}' | awk '{s+=$1} END {printf "%d", s}')
want=$(awk -v p="$sum" 'BEGIN { s = sprintf("%d", p / 100); o = ""; while (length(s) > 3) { o = "," substr(s, length(s) - 2) o; s = substr(s, 1, length(s) - 3) } printf "\302\243%s%s.%02d", s, o, p % 100 }')
table=$("$OMBUDS" --db "$db" cases --format table)
contains "cases table shows the total in pounds ($want)" "$want" "$(echo "$table" | grep '^total')"
contains "cases table heads the money column without _pence" "payment_total " "$(echo "$table" | head -1)"
lacks "cases table shows no pence column name" "payment_total_pence" "$table"

# ---- a narrow terminal: identifiers whole, long text shrinks
narrow=$(script -qc "stty cols 70; '$OMBUDS' --db '$db' cases" /dev/null | tr -d '\r')
missing=0
for field in 1 2 3; do
  for v in $(echo "$csv" | tail -n +2 | cut -d, -f$field | sort -u | tr ' ' '_'); do
    v=$(echo "$v" | tr '_' ' ')
    case "$narrow" in *"$v"*) ;; *) missing=$((missing+1)); echo "# cut: $v" ;; esac
  done
done
check "at 70 columns every reference, decision date and authority is whole" 0 "$missing"
lacks "at 70 columns no value is cut with an ellipsis" "$(printf '\342\200\246')" "$(echo "$narrow" | grep -v '^ref ')"
wide=$(echo "$narrow" | widest)
[ "$wide" -le 70 ] && ok "at 70 columns no line is wider than the terminal ($wide; rows folded: the identifiers alone are wider)" ||
  notok "at 70 columns no line is wider than the terminal ($wide)"
check "at 70 columns each case is one folded record" "$cases" "$(echo "$narrow" | grep -c '^-\[ row ')"
contains "at 70 columns the total is a folded record of its own, in pounds ($want)" "payment_total  : $want" \
  "$(echo "$narrow" | sed -n '/^-\[ total \]/,$p')"
# COLUMNS, as psql and ls read it: wide enough for the identifiers, the text
# columns wrap at spaces and a row takes several lines
wrapped=$(COLUMNS=150 script -qc "'$OMBUDS' --db '$db' cases" /dev/null | tr -d '\r')
wide=$(echo "$wrapped" | widest)
[ "$wide" -le 150 ] && ok "COLUMNS=150: no line is wider ($wide)" || notok "COLUMNS=150: no line is wider ($wide)"
lines=$(echo "$wrapped" | grep -c '^[0-9][0-9] [0-9][0-9][0-9] [0-9][0-9][0-9]  ')
check "COLUMNS=150: one first line per case, not folded" "$cases" "$lines"
cont=$(echo "$wrapped" | grep -c '^            ')
if [ "$cont" -gt 0 ]; then ok "COLUMNS=150: long text wraps onto continuation lines ($cont)"; else notok "COLUMNS=150: long text wraps onto continuation lines"; fi
piped=$(COLUMNS=40 "$OMBUDS" --db "$db" cases --format table)
check "a pipe ignores COLUMNS: the same table as without it" "$table" "$piped"

# ---- metrics: pence rounded to the penny in CSV, pounds in tables
mcsv=$("$OMBUDS" --db "$db" metric remedy_per_category --by category --format csv 2>/dev/null | tr -d '\r')
frac=$(echo "$mcsv" | tail -n +2 | awk -F, '{for (i = 5; i <= NF; i++) if ($i ~ /\./) c++} END {print c + 0}')
check "metric CSV: no fractional pence (means and medians to the penny)" 0 "$frac"
mtab=$("$OMBUDS" --db "$db" metric remedy_per_category --by category --format table 2>/dev/null)
contains "metric table: money in pounds" "$(printf '\302\243')" "$mtab"
contains "metric table: headed mean, not mean_pence" " mean " "$(echo "$mtab" | head -1)"
# a trend needs two years with cases in the group
one_year_trends=$(echo "$mcsv" | tail -n +2 | awk -F, '{y[$1]++; t[$1]=$NF} END {for (g in y) if (y[g] < 2 && t[g] != "") c++; print c + 0}')
check "metric: a group with one year has no trend" 0 "$one_year_trends"
two=$(echo "$mcsv" | tail -n +2 | awk -F, '{y[$1]++; t[$1]=$NF} END {for (g in y) if (y[g] >= 2 && t[g] != "") c++; print c + 0}')
[ "$two" -gt 0 ] && ok "metric: groups with two years have a trend ($two)" || notok "metric: groups with two years have a trend"

# ---- charts: words, coverage in the footnote, nothing drawn when empty
"$OMBUDS" --db "$db" metric remedy_per_category --by category --chart "$tmp/r.svg" >/dev/null 2>&1
svg=$(cat "$tmp/r.svg" 2>/dev/null)
contains "chart subtitle in words with the unit" "Redress paid, $(printf '\302\243'), by year" "$svg"
used=$("$OMBUDS" --db "$db" metric remedy_per_category --by category 2>&1 | sed -n 's/^coverage: \([0-9]*\) cases used.*/\1/p')
contains "chart footnote states the coverage the table states ($used used)" "Coverage: $used cases used" "$svg"
out=$("$OMBUDS" --db "$db" metric uphold_rate --value upheld_per_100k --chart "$tmp/empty.svg" 2>&1); rc=$?
[ "$rc" -ne 0 ] && ok "a chart with nothing to draw fails ($rc)" || notok "a chart with nothing to draw fails"
[ ! -e "$tmp/empty.svg" ] && ok "and no chart file is written" || notok "and no chart file is written"
contains "and the command says why" "nothing to draw" "$out"

# ---- coverage broken down by reason, under the table and in the chart
# A copy of the store with one case's decision date and another's council
# removed (by the sqlite3 shell, as a user editing a store would).
cp "$db" "$tmp/u.db"
sqlite3 "$tmp/u.db" "UPDATE cases SET decision_date = NULL WHERE id = (SELECT min(id) FROM cases);
  UPDATE cases SET authority = NULL WHERE id = (SELECT max(id) FROM cases)"
all=$("$OMBUDS" --db "$tmp/u.db" sql --format csv "SELECT count(*) FROM cases" | tail -1 | tr -d '\r')
cov=$("$OMBUDS" --db "$tmp/u.db" metric uphold_rate --by authority --chart "$tmp/u.svg" 2>/dev/null | grep '^coverage:')
contains "uphold_rate table: cases with no decision date counted by name" "1 lacking a decision date" "$cov"
contains "uphold_rate table: cases with no authority counted by name" "1 lacking an authority" "$cov"
contains "uphold_rate table: cases with no decided outcome counted by name" "lacking an upheld or not-upheld outcome" "$cov"
sum=$(echo "$cov" | sed 's/^coverage: \([0-9]*\) cases* used; \([0-9]*\) left out.*/\1 \2/' | awk '{print $1 + $2}')
check "used + left out = every case in the store" "$all" "$sum"
contains "the chart's footnote says the same" "Coverage: ${cov#coverage: }" "$(cat "$tmp/u.svg")"
"$OMBUDS" --db "$tmp/u.db" metric remedy_per_category --by category --chart "$tmp/r2.svg" >/dev/null 2>&1
contains "a line chart says how many undated cases it does not draw" "Not drawn: 1 case with no decision date" \
  "$(cat "$tmp/r2.svg")"

# ---- charts people read: a title in words, one-year series labelled,
# series told apart by marker shape, bars ranked by value
svg=$(cat "$tmp/r2.svg")
contains "chart title in words from the figure and grouping" \
  "font-weight=\"bold\" fill=\"#222\">Redress paid, $(printf '\302\243'), by category and year<" "$svg"
contains "the year axis is named" "Year of decision" "$svg"
one=$("$OMBUDS" --db "$tmp/u.db" metric remedy_per_category --by category --format csv 2>/dev/null | tr -d '\r' |
  awk -F, 'NR > 1 && $2 != "" {y[$1]++; v[$1] = $5} END {for (g in y) if (y[g] == 1) {print v[g]; exit}}')
if [ -n "$one" ]; then
  label=$("$OMBUDS" --db "$db" -e "io.write(ombuds.pounds($one))" | sed 's/\.00$//')
  contains "a series with one year is labelled with its value ($label)" "text-anchor=\"end\">$label</text>" "$svg"
else
  notok "the fixtures should give a category with one year"
fi
shapes=$(echo "$svg" | grep -o '<g fill="#[0-9a-f]*" stroke="#fff" stroke-width="1"><\(circle\|rect\|polygon\)' |
  sed 's/.*<//' | sort -u | tr '\n' ' ')
check "series have different marker shapes" "circle polygon rect " "$shapes"
"$OMBUDS" --db "$tmp/u.db" metric improvement_themes --chart "$tmp/bars.svg" >/dev/null 2>&1
vals=$(grep -o '<rect x="[^"]*" y="[^"]*" width="[^"]*" height="[^"]*" fill="#4e79a7"><title>[^<]*' "$tmp/bars.svg" |
  sed 's/.*: //' | tr -d ',')
check "bars are sorted largest first" "$(echo "$vals" | sort -rn)" "$vals"
[ "$(echo "$vals" | wc -l)" -gt 2 ] && ok "with several bars" || notok "with several bars"

# ---- scripts use the metrics' definitions: uphold rate = upheld / decided
"$OMBUDS" --db "$db" run "$SRCDIR/scripts/league_table.lua" --csv "$tmp/league.csv" >/dev/null 2>&1
check "league_table.lua runs" 0 $?
metric=$("$OMBUDS" --db "$db" metric uphold_rate --by authority --format csv 2>/dev/null | tr -d '\r' |
  awk -F, 'NR > 1 {d[$1] += $4; u[$1] += $5} END {for (a in d) if (d[a] > 0) printf "%s=%.0f%%\n", a, 100 * u[a] / d[a]; else printf "%s=\n", a}' | sort)
league=$(tr -d '\r' <"$tmp/league.csv" | awk -F, 'NR > 1 {print $1 "=" $5}' | sort)
check "league_table.lua's uphold rate is the metric's (upheld / decided) for every council" "$metric" "$league"

# ---- piped script output: long improvement texts wrapped, nothing cut
rf=$("$OMBUDS" --db "$db" run "$SRCDIR/scripts/repeat_findings.lua" 1 | cat)
longest=$(echo "$rf" | awk '{ if (length($0) > m) m = length($0) } END {print m + 0}')
[ "$longest" -le 100 ] && ok "repeat_findings.lua piped: no line longer than 100 ($longest)" ||
  notok "repeat_findings.lua piped: no line longer than 100 ($longest)"
want=$("$OMBUDS" --db "$db" sql --format csv "SELECT i.text FROM case_improvements i JOIN cases c ON c.id = i.case_id
  WHERE c.outcome = 'upheld'" | tail -n +2 | wc -w)
got=$(echo "$rf" | awk '/^      agreed: / {sub(/^      agreed: /, ""); on = 1; print; next}
  /^              / && on {print; next} {on = 0}' | wc -w)
[ "$want" -gt 0 ] && check "and every word of every agreed improvement is there ($want)" "$want" "$got" ||
  notok "the fixtures should have improvements on upheld cases"

# ---- scripts and the console print money one way
check "ombuds.pounds: thousands, pence, rounding, sign" "£71,276.50 £2,735.52 -£1.05" \
  "$("$OMBUDS" --db "$db" -e 'io.write(ombuds.pounds(7127650), " ", ombuds.pounds(273551.612903226), " ", ombuds.pounds(-105))')"
s19=$("$OMBUDS" --db "$db" run "$SRCDIR/scripts/section19.lua" 2>&1)
bad=$(echo "$s19" | grep -c '£[0-9]\{4,\}')
check "section19.lua prints pounds with thousands separators (no £385957.00)" 0 "$bad"

echo "1..$n"
[ "$fail" -eq 0 ]
