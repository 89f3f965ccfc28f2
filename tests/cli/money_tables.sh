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

# improvement_themes too: 7 of the 10 fixture cases agreed a service
# improvement (counted by hand); take the date from Kent's 21 013 337 and
# the council from Hampshire's 22 001 239, both with improvements.
cp "$db" "$tmp/i.db"
sqlite3 "$tmp/i.db" "UPDATE cases SET decision_date = NULL WHERE ref = '21 013 337';
  UPDATE cases SET authority = NULL WHERE ref = '22 001 239'"
it=$("$OMBUDS" --db "$tmp/i.db" metric improvement_themes 2>&1)
contains "improvement_themes: cases with no improvement counted by name" \
  "coverage: 7 cases used; 3 left out for lacking a service improvement" "$it"
contains "improvement_themes: counted cases lacking a date or council are named in a note" \
  "note: of the cases counted, 1 without a decision date (in no first_year or last_year); 1 without an authority (in no n_authorities)" "$it"
contains "improvement_themes by year: each reason with its count" \
  "coverage: 6 cases used; 4 left out: 3 lacking a service improvement, 1 lacking a decision date (among cases with improvements)" \
  "$("$OMBUDS" --db "$tmp/i.db" metric improvement_themes --by year 2>&1)"
it=$("$OMBUDS" --db "$tmp/i.db" metric improvement_themes --by authority --chart "$tmp/it.svg" 2>&1)
contains "improvement_themes by authority: each reason with its count" \
  "coverage: 6 cases used; 4 left out: 3 lacking a service improvement, 1 lacking an authority (among cases with improvements)" "$it"
contains "and the chart's footnote says the same" "6 cases used; 4 left out: 3 lacking a service improvement, 1 lacking an authority" \
  "$(cat "$tmp/it.svg")"

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

# the terminal chart ranks its bars too; by hand from the fixtures: 6
# improvements no subject rule matched, 5 procedure reviews, 4 reminders
term=$("$OMBUDS" --db "$db" metric improvement_themes --chart - 2>/dev/null | sed -n '/^n_improvements$/,$p' | tail -n +2)
tvals=$(echo "$term" | sed -E 's/^.*[^ ] {2,}([0-9,]+)  .*$/\1/')
check "terminal bars are sorted largest first" "$(echo "$tvals" | sort -rn)" "$tvals"
check "the largest three, counted by hand" "6 5 4" "$(echo "$tvals" | head -3 | tr '\n' ' ' | sed 's/ $//')"
contains "and the first is what no subject rule matched" "subject / (matched nothing)" "$(echo "$term" | head -1)"
# one-year series whose values are close: move Housing's 2022 case (£100) to
# a category of its own in 2023 and Highways' (£0) to 2023, beside
# Environmental services' £250 in 2023; their labels stack 13px apart
cp "$db" "$tmp/o.db"
sqlite3 "$tmp/o.db" "UPDATE cases SET category = 'Planning', decision_date = '2023-05-02' WHERE ref = '22 007 415';
  UPDATE cases SET decision_date = '2023-02-01' WHERE ref = '22 010 861'"
"$OMBUDS" --db "$tmp/o.db" metric remedy_per_category --by category --chart "$tmp/o.svg" >/dev/null 2>&1
ys=$(for v in '£250' '£100' '£0'; do
  grep "font-size=\"11\" text-anchor=\"end\">$v</text>" "$tmp/o.svg" | sed 's/.* y="\([0-9.]*\)".*/\1/'; done)
check "three one-year labels in 2023 (£250, £100, £0)" 3 "$(echo "$ys" | grep -c .)"
gaps=$(echo "$ys" | awk 'NR > 1 && $1 - p < 13 {c++} {p = $1} END {print c + 0}')
check "stacked in value order, no two closer than 13px" 0 "$gaps"
xs=$(grep 'font-size="11" text-anchor="end">' "$tmp/o.svg" | sed 's/.* x="\([0-9.]*\)".*/\1/' | sort -u | wc -l)
check "in one column" 1 "$xs"

# a store with a single year: every series is one labelled bar, ranked; by
# hand, moving the 2022 cases to 2023 gives Education £4,800 (£4,150 + £650)
cp "$db" "$tmp/y.db"
sqlite3 "$tmp/y.db" "UPDATE cases SET decision_date = '2023-06-01' WHERE decision_date < '2023'"
"$OMBUDS" --db "$tmp/y.db" metric remedy_per_category --by category --chart "$tmp/y.svg" >/dev/null 2>&1
ysvg=$(cat "$tmp/y.svg")
contains "one year: a bar labelled with its group and year" ">Education 2023</text>" "$ysvg"
contains "and its value" ">£4,800</text>" "$ysvg"
contains "the subtitle ends at the unit" ">Redress paid, £</text>" "$ysvg"
order=$(echo "$ysvg" | grep -o '<title>[^<]* 2023: [^<]*</title>' | sed 's/<title>\(.*\) 2023: .*/\1/' | paste -sd'|')
check "bars ranked by value" "Adult care services|Education|Housing|Environmental services|Highways and transport" "$order"

# ---- remedy_trend.lua: the metric's figures, trend and coverage.  By hand
# from the fixtures: Education paid £4,150.00 in 2022 (two cases) and
# £650.00 in 2023, a slope of -£3,500.00 a year; Housing £100.00 then
# £1,350.00, +£1,250.00; Adult care services only in 2023.
rt=$("$OMBUDS" --db "$db" run "$SRCDIR/scripts/remedy_trend.lua" 2>&1)
check "remedy_trend.lua runs" 0 $?
edu=$(echo "$rt" | sed -n '/^Education$/,/^$/p')
contains "remedy_trend.lua: Education 2022, two cases, £4,150.00" "2022          2      2     £4,150.00   £2,075.00" "$edu"
contains "remedy_trend.lua: Education falls by £3,500.00 a year" "trend: falling, -£3,500.00 a year" "$edu"
contains "remedy_trend.lua: Housing rises by £1,250.00 a year" "trend: rising, +£1,250.00 a year" \
  "$(echo "$rt" | sed -n '/^Housing$/,/^$/p')"
contains "remedy_trend.lua: one year is no trend" "trend: one year only" \
  "$(echo "$rt" | sed -n '/^Adult care services$/,/^$/p')"
mtrend=$(echo "$mcsv" | awk -F, '$1 == "Education" {print $NF; exit}')
check "and the metric's trend is the same (pence a year)" "-350000" "$mtrend"
mcov=$("$OMBUDS" --db "$db" metric remedy_per_category --by category 2>&1 | grep '^coverage:')
check "remedy_trend.lua prints the metric's coverage line" "$mcov" "$(echo "$rt" | grep '^coverage:')"
rt=$("$OMBUDS" --db "$tmp/u.db" run "$SRCDIR/scripts/remedy_trend.lua" 2>&1)
contains "remedy_trend.lua: a case with no decision date is shown, not dropped" "undated" "$rt"
check "remedy_trend.lua with CATEGORY keeps only that category" "Education" \
  "$("$OMBUDS" --db "$db" run "$SRCDIR/scripts/remedy_trend.lua" education | grep -v '^ \|^$\|^coverage')"

# ---- repeat_findings.lua: the metric's rows.  A second Hampshire decision,
# in 2024, agrees again to review its letters to direct payment recipients
# (written here from the 2023 fixture, with a longer improvement): by hand,
# the one repeat is Hampshire, direct payments and personal budgets, 2023 and
# 2024, one agreed improvement on that theme in each case.
cp "$db" "$tmp/r.db"
sed -e 's/22 001 239/23 004 512/' -e 's/20 Jan 2023/12 Mar 2024/' -e 's/Mrs B/Mr D/g' \
  -e 's/direct payment recipients about budget changes\./direct payment recipients about budget changes, so that each letter says in plain words what will change, from which date and why, how to ask for a review of the assessment, whom to call with questions, and how to complain to the Council and then to us if the person still disagrees./' \
  "$SRCDIR/tests/golden/decision_page/upheld_two_payments.txt" >"$tmp/repeat_2024.txt"
"$OMBUDS" --db "$tmp/r.db" ingest "$tmp/repeat_2024.txt" >/dev/null 2>&1
rf=$("$OMBUDS" --db "$tmp/r.db" run "$SRCDIR/scripts/repeat_findings.lua" | cat)
check "repeat_findings.lua: the one repeat, as the metric finds it" \
  "Hampshire County Council: 2 cases in 2023, 2024 on direct payments and personal budgets (subject)" \
  "$(echo "$rf" | grep -v '^ \|^coverage')"
check "with its two cases and dates" "22 001 239  2023-01-20|23 004 512  2024-03-12" \
  "$(echo "$rf" | sed -n 's/^  \([0-9].*\)/\1/p' | paste -sd'|')"
check "and in each, the improvement on that theme" 2 "$(echo "$rf" | grep -c '^      agreed: .*review its procedure')"
longest=$(echo "$rf" | awk '{ if (length($0) > m) m = length($0) } END {print m + 0}')
[ "$longest" -le 100 ] && ok "repeat_findings.lua piped: no line longer than 100 ($longest)" ||
  notok "repeat_findings.lua piped: no line longer than 100 ($longest)"
want=$(awk '/^ *7\. / {on = 0} /^ *6\. / {on = 1; sub(/^ *6\. /, "")} on' "$tmp/repeat_2024.txt" | wc -w)
got=$(echo "$rf" | sed -n '/^  23 004 512/,$p' | awk '/^      agreed: / {sub(/^      agreed: /, ""); on = 1; print; next}
  /^              / && on {print; next} {on = 0}' | wc -w)
check "and every word of the long improvement is there ($want)" "$want" "$got"
check "repeat_findings.lua prints the metric's coverage line" \
  "$("$OMBUDS" --db "$tmp/r.db" metric repeat_findings 2>&1 | grep '^coverage:')" "$(echo "$rf" | grep '^coverage:')"
contains "repeat_findings.lua 3: no theme recurs in three cases" "No council agreed to put right one theme in 3 or more" \
  "$("$OMBUDS" --db "$tmp/r.db" run "$SRCDIR/scripts/repeat_findings.lua" 3)"

# the league table says what it leaves out: in u.db (above) one of the 10
# cases has no council and one no date; six were decided in 2023, one of
# them the case with no council
check "league_table.lua: coverage under the table" "coverage: 9 cases used; 1 left out for lacking an authority" \
  "$("$OMBUDS" --db "$tmp/u.db" run "$SRCDIR/scripts/league_table.lua" | grep '^coverage:')"
check "league_table.lua 2023: the year's coverage, and the undated case named" \
  "coverage: 5 cases used; 1 left out for lacking an authority|note: 1 case without a decision date is in no year" \
  "$("$OMBUDS" --db "$tmp/u.db" run "$SRCDIR/scripts/league_table.lua" 2023 | grep '^coverage:\|^note:' | paste -sd'|')"

# ---- a script reads a metric's money as whole pence, as CSV gives it
check "MetricTable rows: a mean in pence is an integer (259325 for Adult care services 2023)" "integer 259325" \
  "$("$OMBUDS" --db "$db" -e 'local r = ombuds.metrics.remedy_per_category("category")[1]
io.write(math.type(r.mean_pence), " ", r.mean_pence)')"

# ---- scripts and the console print money one way
check "ombuds.pounds: thousands, pence, rounding, sign" "£71,276.50 £2,735.52 -£1.05" \
  "$("$OMBUDS" --db "$db" -e 'io.write(ombuds.pounds(7127650), " ", ombuds.pounds(273551.612903226), " ", ombuds.pounds(-105))')"
s19=$("$OMBUDS" --db "$db" run "$SRCDIR/scripts/section19.lua" 2>&1)
bad=$(echo "$s19" | grep -c '£[0-9]\{4,\}')
check "section19.lua prints pounds with thousands separators (no £385957.00)" 0 "$bad"

echo "1..$n"
[ "$fail" -eq 0 ]
