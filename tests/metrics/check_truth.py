#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""check_truth.py -- compares every metric on a make-corpus store with the same
figure computed here from the corpus's truth.tsv (and, for improvement
actions, from make-corpus's own templates).  Prints TAP lines numbered from
FIRST+1 and writes the last number to $CHECK_TRUTH_COUNT for the caller.
Usage: check_truth.py OMBUDS DB CORPUS_DIR FIRST MAKE_CORPUS
"""
import csv
import math, importlib.machinery, importlib.util, json, os, subprocess, sys
from collections import defaultdict

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tap import Tap  # noqa: E402  (tests/tap.py)

ombuds, db, corpus, n0, make_corpus = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
tap = Tap(n0, "CHECK_TRUTH_COUNT")
ok = tap.ok


def metric(name, *args):
    cmd = [ombuds, "--db", db, "metric", name, "--format", "json", *args]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        ok(False, f"{' '.join(cmd[3:])} runs", p.stderr)
        return [], p.stderr
    return json.loads(p.stdout), p.stderr


def percentile(values, p):
    """SQLite's percentile(): linear interpolation between closest ranks."""
    v = sorted(values)
    if not v:
        return None
    ix = p * (len(v) - 1) / 100.0
    lo = int(ix)
    frac = ix - lo
    return v[lo] + (v[lo + 1] - v[lo]) * frac if frac > 0 and lo + 1 < len(v) else float(v[lo])


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))


truth = list(csv.DictReader(open(os.path.join(corpus, "truth.tsv")), delimiter="\t"))
for t in truth:
    t["year"] = int(t["decision_date"][:4])
    t["pence"] = int(t["remedy_total_pence"])
years = sorted({t["year"] for t in truth})


def expected_remedy(key):
    groups = defaultdict(list)
    for t in truth:
        groups[(key(t), t["year"])].append(t["pence"])
    out = {}
    for g in sorted({k[0] for k in groups}):
        totals = {y: sum(groups.get((g, y), [])) for y in years}
        xs = list(range(len(years)))
        m = len(xs)
        sx, sy = sum(xs), sum(totals[y] for y in years)
        sxx = sum(x * x for x in xs)
        sxy = sum(x * totals[y] for x, y in zip(xs, years))
        den = m * sxx - sx * sx
        # a trend needs two years with cases in the group (docs/metrics.md)
        trend = (m * sxy - sx * sy) / den if den and len({y for (gg, y) in groups if gg == g}) >= 2 else None
        for y in years:
            if (g, y) not in groups:
                continue
            vals = groups[(g, y)]
            paid = [v for v in vals if v > 0]
            change = None if y == years[0] else totals[y] - totals[y - 1] if (y - 1) in totals else totals[y]
            out[(g, y)] = {
                "n_cases": len(vals), "n_with_payment": len(paid), "total_pence": sum(vals),
                "mean_pence": sum(paid) / len(paid) if paid else None,
                "median_pence": percentile(paid, 50), "p90_pence": percentile(paid, 90),
                "change_pence": change, "trend_pence_per_year": trend,
            }
    return out


def compare(rows, expected, gcol, what):
    got = {((r[gcol] if gcol else "all"), r["year"]): r for r in rows}
    ok(set(got) == set(expected), f"{what}: the same {len(expected)} groups and years",
       f"missing {sorted(set(expected) - set(got))[:5]} extra {sorted(set(got) - set(expected))[:5]}")
    bad = []
    for k, e in expected.items():
        r = got.get(k)
        if r is None:
            continue
        for col, v in e.items():
            if "_pence" in col and v is not None:
                # money is shown to the penny: halves away from zero (docs/metrics.md)
                v = float(math.floor(abs(v) + 0.5)) * (1 if v >= 0 else -1)
            if not close(r.get(col), v):
                bad.append(f"{k} {col}: got {r.get(col)} want {v}")
    ok(not bad, f"{what}: every figure agrees with truth.tsv", "\n".join(bad))


for by, col, key in [("category", "category", lambda t: t["category"]),
                     ("subcategory", "subcategory", lambda t: t["subcategory"]),
                     ("authority", "authority", lambda t: t["authority"]),
                     ("year", None, lambda t: "all")]:
    rows, err = metric("remedy_per_category", "--by", by)
    compare(rows, expected_remedy(key), col, f"remedy_per_category --by {by}")
    ok(f"coverage: {len(truth)} cases used; 0 left out" in err, f"remedy_per_category --by {by}: coverage", err)

# by purpose: every payment part carries one purpose in this corpus
rows, err = metric("remedy_per_category", "--by", "purpose")
want = defaultdict(int)
for t in truth:
    for part in filter(None, t["remedy_parts"].split(";")):
        pence, purpose = part.split(":", 1)
        want[(purpose, t["year"])] += int(pence)
got = {(r["purpose"], r["year"]): r["total_pence"] for r in rows}
ok(sum(got.values()) == sum(want.values()), "remedy_per_category --by purpose: totals add up",
   f"got {sum(got.values())} want {sum(want.values())}")
ok(got == dict(want), "remedy_per_category --by purpose: each purpose and year agrees",
   "\n".join(f"{k}: got {got.get(k)} want {want.get(k)}" for k in sorted(set(got) | set(want), key=str)
             if got.get(k) != want.get(k)))

for by, col in [("category", "category"), ("authority", "authority"), ("year", None)]:
    rows, err = metric("uphold_rate", "--by", by)
    exp = defaultdict(lambda: [0, 0, 0])
    for t in truth:
        e = exp[(t[col] if col else "all", t["year"])]
        e[0] += 1
        e[1] += t["decision"] in ("upheld", "not upheld")
        e[2] += t["decision"] == "upheld"
    got = {((r[col] if col else "all"), r["year"]): r for r in rows}
    bad = [f"{k}: got {got.get(k)} want {v}" for k, v in exp.items()
           if k not in got or [got[k]["n_cases"], got[k]["n_decided"], got[k]["n_upheld"]] != v
           or not close(got[k]["uphold_rate"], v[2] / v[1] if v[1] else None)]
    ok(len(got) == len(exp) and not bad, f"uphold_rate --by {by}: counts and rates agree with truth.tsv",
       "\n".join(bad[:10]))
    decided = sum(1 for t in truth if t["decision"] in ("upheld", "not upheld"))
    ok(f"coverage: {decided} cases used" in err, f"uphold_rate --by {by}: coverage counts the decided cases", err)

# improvement themes: totals from truth.tsv, actions from make-corpus's own templates
loader = importlib.machinery.SourceFileLoader("make_corpus", make_corpus)
spec = importlib.util.spec_from_loader("make_corpus", loader)
mc = importlib.util.module_from_spec(spec)
loader.exec_module(mc)
label = {"reminder": "reminder to staff", "training": "training", "procedure review": "procedure review",
         "policy change": "policy change", "action plan": "action plan", "report": "report to members"}
want_actions = defaultdict(int)
for name in os.listdir(os.path.join(corpus, "decisions")):
    text = open(os.path.join(corpus, "decisions", name)).read()
    for action, template in mc.SI_TEMPLATES:
        want_actions[label[action]] += text.count(template)
rows, err = metric("improvement_themes")
actions = {r["theme"]: r["n_improvements"] for r in rows if r["kind"] == "action"}
n_si = sum(int(t["n_service_improvements"]) for t in truth)
ok(sum(want_actions.values()) == n_si, "the templates account for every improvement in truth.tsv")
ok(actions == dict(want_actions), "improvement_themes: every action count agrees",
   f"got {actions}\nwant {dict(want_actions)}")
ok(f"note: {n_si} improvements classified; 0 matched no action rule" in err,
   "improvement_themes: all improvements classified, none without an action", err)
with_si = sum(1 for t in truth if int(t["n_service_improvements"]) > 0)
ok(f"coverage: {with_si} cases used; {len(truth) - with_si} left out" in err,
   "improvement_themes: coverage is the cases with improvements", err)
s19 = sum(r["n_improvements"] for r in rows if r["theme"] == "section 19 of the Education Act 1996")
want_s19 = sum(open(os.path.join(corpus, "decisions", f)).read().count("section 19 of the Education Act 1996")
                                for f in os.listdir(os.path.join(corpus, "decisions")))
ok(s19 == want_s19, "improvement_themes: statutory references counted", f"got {s19} want {want_s19}")

rows, err = metric("repeat_findings")
ok(all(r["n_cases"] >= 2 and r["n_years"] >= 2 for r in rows), "repeat_findings: every row recurs across years")
ok(f"coverage: {with_si} cases used; 0 left out" in err, "repeat_findings: coverage", err)

rows, err = metric("compliance")
ok(rows == [] and "coverage: 0 cases used" in err, "compliance: no events in this corpus, and it says so", err)

print(f"# last test {tap.n}", file=sys.stderr)
tap.finish()
