#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""check_report.py -- the headline figures of `ombuds report` on a make-corpus
store against the same figures computed here from the corpus's truth.tsv:
for every council, its default period (the latest complete year with
decisions) and the year before it, plus one --from/--to period; decisions,
upheld, uphold rate (upheld / (upheld + not upheld)), cases with a payment,
total redress, cases with service improvements, remedies late (none in a
corpus of decision pages), and the pooled uphold rate of the authorities of
the same type (from data/authorities.tsv) with how many it covers.
$REPORT_SAMPLE=N checks only the N councils with the most cases (for slow runs).  Prints
TAP lines numbered from FIRST+1 and writes the last number to
$CHECK_REPORT_COUNT.  Usage: check_report.py OMBUDS DB CORPUS SRCDIR OUTDIR FIRST
"""
import csv, datetime, os, subprocess, sys
from collections import defaultdict
from html.parser import HTMLParser

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tap import Tap  # noqa: E402  (tests/tap.py)

ombuds, db, corpus, srcdir, outdir, n = sys.argv[1:6] + [int(sys.argv[6])]
tap = Tap(n, "CHECK_REPORT_COUNT")
ok = tap.ok


class Figures(HTMLParser):
    """Collects the cells carrying data-figure, with their text."""
    def __init__(self):
        super().__init__()
        self.figs, self.cur, self.depth = {}, None, 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self.cur is not None:
            self.depth += 1
        elif "data-figure" in a:
            self.cur = [(a["data-figure"], a.get("data-period")), a.get("data-value"), ""]
            self.depth = 1

    def handle_endtag(self, tag):
        if self.cur is not None:
            self.depth -= 1
            if self.depth == 0:
                self.figs[self.cur[0]] = (self.cur[1], self.cur[2])
                self.cur = None

    def handle_data(self, data):
        if self.cur is not None:
            self.cur[2] += data


def pounds(p):
    return f"£{p // 100:,}.{p % 100:02d}"


types = {}
for line in open(os.path.join(srcdir, "data", "authorities.tsv"), encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    f = line.rstrip("\n").split("\t")
    types[f[0]] = f[1]

truth = list(csv.DictReader(open(os.path.join(corpus, "truth.tsv"), encoding="utf-8"), delimiter="\t"))
by_auth = defaultdict(list)
for t in truth:
    by_auth[t["authority"]].append(t)


def expected(rows, lo, hi):
    rows = [t for t in rows if lo <= t["decision_date"] <= hi]
    up = sum(t["decision"] == "upheld" for t in rows)
    dec = sum(t["decision"] in ("upheld", "not upheld") for t in rows)
    return {"decisions": len(rows), "upheld": up, "rate": up / dec if dec else None,
            "paying": sum(int(t["remedy_total_pence"]) > 0 for t in rows),
            "redress": sum(int(t["remedy_total_pence"]) for t in rows),
            "improving": sum(int(t["n_service_improvements"]) > 0 for t in rows), "late": 0}


def peer(authority, lo, hi):
    typ = types.get(authority)
    rows = [t for t in truth if types.get(t["authority"]) == typ and lo <= t["decision_date"] <= hi
            and t["decision"] in ("upheld", "not upheld")]
    up = sum(t["decision"] == "upheld" for t in rows)
    return (up / len(rows) if rows else None), len({t["authority"] for t in rows})


def report(authority, *args):
    out = os.path.join(outdir, "r.html")
    p = subprocess.run([ombuds, "--db", db, "report", "--authority", authority, "--out", out, *args],
                       capture_output=True, text=True)
    if p.returncode != 0:
        return None, p.stderr
    f = Figures()
    f.feed(open(out, encoding="utf-8").read())
    return f.figs, p.stdout


def compare(authority, figs, period, want, label):
    bad = []
    for key, fig in (("decisions", "decisions"), ("upheld", "upheld"), ("paying", "paying"),
                     ("redress", "redress"), ("improving", "improving"), ("late", "late")):
        got = figs.get((fig, period))
        shown = pounds(want[key]) if key == "redress" else f"{want[key]:,}"
        if got is None or got[0] != str(want[key]) or got[1].strip() != shown:
            bad.append(f"{key}: want {want[key]} ({shown}), got {got}")
    got = figs.get(("uphold_rate", period))
    w = want["rate"]
    if got is None or (w is None and got[0] != "") or (w is not None and (not got[0] or abs(float(got[0]) - w) > 1e-6)) \
            or (w is not None and got[1].strip() != f"{100 * w:.1f}%"):
        bad.append(f"uphold rate: want {w}, got {got}")
    ok(not bad, f"{authority}, {label}: headline figures equal truth.tsv's", "\n".join(bad))


this_year = datetime.datetime.now(datetime.timezone.utc).year
# every council; under valgrind ($REPORT_SAMPLE=5) the five with the most cases
councils = sorted(by_auth)
sample = int(os.environ.get("REPORT_SAMPLE") or 0)
if sample:
    councils = sorted(sorted(by_auth, key=lambda a: (-len(by_auth[a]), a))[:sample])
for authority in councils:
    years = sorted({int(t["decision_date"][:4]) for t in by_auth[authority]})
    complete = [y for y in years if y < this_year]
    y = complete[-1] if complete else years[-1]
    figs, msg = report(authority)
    if figs is None:
        ok(False, f"{authority}: ombuds report runs", msg)
        continue
    compare(authority, figs, "current", expected(by_auth[authority], f"{y}-01-01", f"{y}-12-31"), f"default period {y}")
    compare(authority, figs, "previous", expected(by_auth[authority], f"{y-1}-01-01", f"{y-1}-12-31"), f"previous year {y-1}")
    rate, n_auth = peer(authority, f"{y}-01-01", f"{y}-12-31")
    got_rate, got_n = figs.get(("peer_rate", "current")), figs.get(("peer_authorities", "current"))
    ok(got_rate is not None and got_n is not None and got_n[0] == str(n_auth)
       and ((rate is None and got_rate[0] == "") or (rate is not None and abs(float(got_rate[0]) - rate) < 1e-6)),
       f"{authority}, {y}: uphold rate of all {types.get(authority)} authorities ({n_auth})",
       f"want {rate} over {n_auth}, got {got_rate} over {got_n}")

# one financial year, for a council with cases in it
authority = max(by_auth, key=lambda a: len(by_auth[a]))
figs, msg = report(authority, "--from", "2022-04-01", "--to", "2023-03-31")
if figs is None:
    ok(False, f"{authority}: report --from/--to runs", msg)
else:
    compare(authority, figs, "current", expected(by_auth[authority], "2022-04-01", "2023-03-31"),
            "2022-04-01 to 2023-03-31")
    compare(authority, figs, "previous", expected(by_auth[authority], "2021-04-01", "2022-03-31"),
            "the year before it")

tap.finish()
