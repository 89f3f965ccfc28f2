#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# check_family.py -- a small stand-in for `make accuracy` (helper 15a writes the
# real harness): ingests one tests/real/<family>/ folder into a temporary store
# with the built ombuds, exports JSONL and compares every field of every case
# with <family>/truth.tsv, and every event with <family>/events.tsv when there
# is one.  Prints per-field scores and each mismatch; exit status 1 on any.
# Usage: OMBUDS=_build/plain/ombuds check_family.py tests/real/si_listing ...
import csv, json, os, subprocess, sys, tempfile

FIELDS = ["authority", "category", "subcategory", "outcome", "decided_on", "payments", "apology", "improvements"]

def run(args, env):
    return subprocess.run(args, env=env, capture_output=True, text=True)

def case_key(c):
    return c.get("ref") or c.get("row_key") or ""


def payments_of(c):
    out = []
    for r in c.get("remedies", []):
        if r.get("kind") != "payment": continue
        if r.get("rate_pence") or r.get("rate"):
            out.append(("rate", r)); continue
        if r.get("amount_pence") is None:
            # agreed with no amount named ("a symbolic payment"): truth `?:`
            out.append(("?", " ".join(r.get("purposes") or []).lower())); continue
        out.append((r["amount_pence"], " ".join(r.get("purposes") or []).lower()))
    return out

def payments_match(want, c):
    got = payments_of(c)
    if want == "-": return not got, got
    items = [w.split(":", 1) for w in want.split(";")]
    if len(items) != len(got): return False, got
    for (amt, word), g in zip(items, got):
        if g[0] == "rate": return False, got
        if (amt if amt == "?" else int(amt)) != g[0] or (word and word.lower() not in g[1]): return False, got
    return True, got

def main():
    ombuds = os.environ.get("OMBUDS", "ombuds")
    bad = 0
    for fam in sys.argv[1:]:
        tmp = tempfile.mkdtemp()
        env = dict(os.environ, OMBUDS_DB=os.path.join(tmp, "t.db"))
        docs = sorted(f for f in os.listdir(fam) if f.endswith((".txt", ".html", ".csv")))
        byfile = {}
        for d in docs:
            r = run([ombuds, "ingest", os.path.join(fam, d)], env)
            if r.returncode: print(f"{fam}/{d}: ingest failed: {r.stderr.strip()[:300]}"); bad += 1
        exp = run([ombuds, "export", "--format", "jsonl"], env)
        for line in exp.stdout.splitlines():
            c = json.loads(line)
            for src in c.get("sources", []):
                byfile.setdefault(os.path.basename(src["path"]), []).append((src.get("line") or 0, c))
        for f in byfile:
            # an unreferenced case is keyed "row N" (N-th in the file), as the
            # export does not carry the plugin's row key
            lst = sorted(byfile[f], key=lambda x: x[0]); out = []; k = 0
            for _, c in lst:
                if not c.get("ref"):
                    k += 1; c = dict(c, row_key=f"row {k}")
                out.append(c)
            byfile[f] = out
        score = {f: [0, 0] for f in FIELDS}
        tpath = os.path.join(fam, "truth.tsv")
        seen = set()
        if os.path.exists(tpath):
            for t in csv.DictReader(open(tpath), delimiter="\t"):
                # unreferenced cases: the export has no row key, so "row N" and
                # "complaint N" both mean the N-th unreferenced case of the file
                if t["ref"] == "-":
                    # the document holds no case (accuracy.py checks that it yields none)
                    continue
                key = t["ref"].replace("complaint ", "row ")
                found = [c for c in byfile.get(t["file"], []) if c and case_key(c) == key]
                seen.add((t["file"], key))
                if not found:
                    print(f"MISSING {fam}/{t['file']} {t['ref']}"); bad += 1
                    for f in FIELDS: score[f][1] += 1
                    continue
                c = found[0]
                for f in FIELDS:
                    score[f][1] += 1
                    w = t[f]
                    if f == "payments": ok, g = payments_match(w, c)
                    elif f == "apology":
                        g = int(any(r.get("kind") == "apology" for r in c.get("remedies", []))); ok = str(g) == w
                    elif f == "improvements":
                        g = len(c.get("improvements", [])); ok = str(g) == w
                    elif f == "decided_on":
                        g = c.get("decision_date") or ""; ok = g == w
                    else:
                        g = c.get(f) or ""
                        if f == "outcome" and g == "unknown": g = ""
                        ok = g == w
                    if ok: score[f][0] += 1
                    else: print(f"WRONG {fam}/{t['file']} {t['ref']} {f}: want {w!r} got {g!r}"); bad += 1
            for f, cl in byfile.items():
                for c in cl:
                    if c and (f, case_key(c)) not in seen:
                        print(f"EXTRA {fam}/{f} {case_key(c)}"); bad += 1
        epath = os.path.join(fam, "events.tsv")
        if os.path.exists(epath):
            r = run([ombuds, "sql", "--format", "json",
                     "SELECT d.path AS path, coalesce(e.authority, c.authority) AS authority, c.ref AS ref, e.type AS kind, e.date AS date "
                     "FROM events e JOIN documents d ON d.id = e.document_id LEFT JOIN cases c ON c.id = e.case_id"], env)
            got = sorted((os.path.basename(x["path"]), x["authority"] or "", x["ref"] or "", x["kind"], x["date"] or "")
                         for x in json.loads(r.stdout or "[]"))
            want = sorted(tuple(t[k] for k in ("file", "authority", "ref", "kind", "date"))
                          for t in csv.DictReader(open(epath), delimiter="\t"))
            for w in want:
                if w in got: got.remove(w)
                else: print(f"MISSING EVENT {fam} {w}"); bad += 1
            for g in got: print(f"EXTRA EVENT {fam} {g}"); bad += 1
            print(f"{fam}: events {len(want)} expected")
        print(fam + ": " + "  ".join(f"{f} {s[0]}/{s[1]}" for f, s in score.items()))
    sys.exit(1 if bad else 0)

main()
