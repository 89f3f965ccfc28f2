#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""accuracy.py -- scores the plugins on the corpus of real-layout documents
in tests/real/ (issue 15) against the truth tables written by hand.

Every family folder holding a truth.tsv is read.  Each document is ingested
on its own into a fresh temporary store with the built `ombuds` (so that a
decision page and its republished copy, which share a reference, are each
judged on what they say), then `ombuds export --format jsonl` gives the cases
and `ombuds sql` their row keys.  Each truth row is compared field by field:
ref, authority, category, subcategory, outcome, decided_on, payments (amount
and purpose word in document order; a recurring payment `rate:5000/week` is a
payment with no amount whose text names that rate; a third part `:before`,
as in `10000:distress:before`, says the council paid or offered it before the
decision, and the export's `paid_before` must say the same either way;
a payment the document agrees without naming an amount, as in "make a
symbolic payment to Ms X", is `?:` (or `?:word` when it names a purpose): it
is a remedy, stored with no amount),
apology, improvements;
and "warnings": each of authority, category, outcome and decision date that
the truth leaves empty must be named by a warning of the ingest.
A case the document yields that has no truth row, and a document of the
folder with no truth row at all, count as mismatches too.  A document that
holds no case (an annual review naming no council and no complaint) says so
with one row whose ref is `-` (other cells empty): it is checked to yield no
case, and scored under "document".

Prints per-field and per-family scores and the first mismatches.  With --tap
it speaks TAP (one test per family and field) for `make check`; the exit
status is 1 on any mismatch either way.

usage: accuracy.py --ombuds PATH [--real DIR] [--tap] [--show N] [FAMILY...]
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

FIELDS = ["ref", "authority", "category", "subcategory", "outcome", "decided_on", "payments", "apology",
          "improvements", "warnings"]
# A field the document does not give must be named in a warning (issue 15).
WARN_WORDS = {"authority": "authority", "category": "category", "outcome": "outcome", "decided_on": "decision date"}
NOT_DOCUMENTS = {"SOURCES.md", "truth.tsv", "events.tsv", "README.md"}
NO_CASE = "-"      # the ref of the one truth row of a document that holds no case
EXPORT_ORDER = "ORDER BY c.decision_date IS NULL, c.decision_date, c.ref, c.id"


def read_truth(path):
    with open(path, encoding="utf-8") as f:
        head = f.readline().rstrip("\n").split("\t")
        rows = []
        for n, line in enumerate(f, 2):
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.rstrip("\n").split("\t")
            if len(cells) != len(head):
                sys.exit(f"{path}:{n}: expected {len(head)} tab-separated cells, found {len(cells)}")
            rows.append(dict(zip(head, cells), _line=n))
    return rows


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def read_document(ombuds, path):
    """Ingests one document into a fresh store; returns (cases by key, messages)."""
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "real.db")
        rc, out, err = run([ombuds, "--db", db, "ingest", path])
        messages = (out + err).strip()
        rc2, jsonl, err2 = run([ombuds, "--db", db, "export", "--format", "jsonl"])
        rc3, keys, err3 = run([ombuds, "--db", db, "sql", "--format", "json",
                               "SELECT c.ref, c.unref_key FROM cases c " + EXPORT_ORDER])
    if rc2 or rc3:
        return {}, messages + err2 + err3
    cases = [json.loads(line) for line in jsonl.splitlines() if line.strip()]
    keyrows = json.loads(keys or "[]")
    got = {}
    for c, k in zip(cases, keyrows):
        key = c["ref"] if c.get("ref") else (k.get("unref_key") or "").split(":", 1)[-1]
        got[key] = c
    return got, messages


RATE = re.compile(r"£\s?([0-9][0-9,]*(?:\.[0-9]{2})?)\s+(?:a|per|each|every)\s+(week|month|day|year|night)")


def payments_of(case):
    out = []
    for r in case.get("remedies", []):
        if r["kind"] != "payment":
            continue
        purposes = ";".join(r.get("purposes") or [])
        before = bool(r.get("paid_before"))
        if r.get("amount_pence") is None:
            m = RATE.search(r.get("text", ""))
            if m:
                pence = round(float(m.group(1).replace(",", "")) * 100)
                out.append((f"rate:{pence}/{m.group(2)}", purposes, before))
                continue
            out.append(("?", purposes, before))
        else:
            out.append((str(r["amount_pence"]), purposes, before))
    return out


def payments_match(want, got):
    """want 'a:word;b:word:before' or '-'; got [(amount, purposes, paid_before)]."""
    items = [] if want in ("-", "") else want.split(";")
    if len(items) != len(got):
        return False
    for item, (amount, purposes, before) in zip(items, got):
        w_before = item.endswith(":before")
        if w_before:
            item = item[: -len(":before")]
        if w_before != before:
            return False
        if item.startswith("rate:"):
            if item != amount:
                return False
            continue
        w_amount, _, word = item.partition(":")
        if w_amount != amount or word.lower() not in purposes.lower():
            return False
    return True


def show_payments(got):
    return ";".join(f"{a}:{p}" + (":before" if b else "") for a, p, b in got) or "-"


def value_of(case, field, key=""):
    if field == "ref":
        return case.get("ref") or key
    if field == "decided_on":
        return case.get("decision_date") or ""
    if field == "apology":
        return "1" if any(r["kind"] == "apology" for r in case.get("remedies", [])) else "0"
    if field == "improvements":
        return str(len(case.get("improvements", [])))
    v = case.get(field)
    return "" if v is None or v == "unknown" and field == "outcome" else str(v)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ombuds", required=True)
    ap.add_argument("--real", default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--tap", action="store_true")
    ap.add_argument("--show", type=int, default=15)
    ap.add_argument("families", nargs="*")
    a = ap.parse_args()

    families = sorted(d for d in os.listdir(a.real) if os.path.isfile(os.path.join(a.real, d, "truth.tsv")))
    if a.families:
        families = [f for f in families if f in a.families]
    score = {}          # (family, field) -> [right, total]
    mismatches = []     # (family, file, ref, field, want, got)
    for fam in families:
        folder = os.path.join(a.real, fam)
        truth = read_truth(os.path.join(folder, "truth.tsv"))
        by_file = {}
        for row in truth:
            by_file.setdefault(row["file"], []).append(row)
        for name in sorted(os.listdir(folder)):
            if name not in NOT_DOCUMENTS and name not in by_file and not name.startswith("."):
                mismatches.append((fam, name, "", "document", "a truth row", "none"))
                score.setdefault((fam, "document"), [0, 0])[1] += 1
        for name, rows in by_file.items():
            path = os.path.join(folder, name)
            if not os.path.isfile(path):
                mismatches.append((fam, name, "", "document", "the file", "missing"))
                continue
            got, messages = read_document(a.ombuds, path)
            if any(r["ref"] == NO_CASE for r in rows):
                # The truth says this document holds no case: any case read from it is wrong.
                s = score.setdefault((fam, "document"), [0, 0])
                s[1] += 1
                if len(rows) != 1:
                    sys.exit(f"{name}: a `-` row (no case) must be the document's only truth row")
                if got:
                    mismatches.append((fam, name, "", "document", "no case", ", ".join(sorted(got))))
                else:
                    s[0] += 1
                continue
            seen = set()
            for row in rows:
                key = row["ref"]
                case = got.get(key)
                seen.add(key)
                for field in FIELDS:
                    s = score.setdefault((fam, field), [0, 0])
                    s[1] += 1
                    if case is None:
                        if field == "ref":
                            mismatches.append((fam, name, key, field, row[field], "no such case: " +
                                               (messages.splitlines()[-1][:160] if messages else "")))
                        continue
                    if field == "warnings":
                        warned = [l for l in messages.splitlines() if l.startswith("warning:")]
                        want = [w for f, w in WARN_WORDS.items() if not row[f]]
                        missing = [w for w in want if not any(w in l for l in warned)]
                        ok = not missing
                        have = "no warning naming " + ", ".join(missing) if missing else "warned"
                        if ok:
                            s[0] += 1
                        else:
                            mismatches.append((fam, name, key, field, "a warning for each unknown field", have))
                        continue
                    if field == "payments":
                        g = payments_of(case)
                        ok = payments_match(row["payments"], g)
                        have = show_payments(g)
                    else:
                        have = value_of(case, field, key)
                        ok = have == row[field]
                    if ok:
                        s[0] += 1
                    else:
                        mismatches.append((fam, name, key, field, row[field], have))
            for key in got:
                if key not in seen:
                    mismatches.append((fam, name, key, "case", "no case", "an extra case"))
                    score.setdefault((fam, "case"), [0, 0])[1] += 1

    fields_seen = [f for f in FIELDS + ["document", "case"] if any(k[1] == f for k in score)]
    if a.tap:
        n = 0
        for fam in families:
            for field in fields_seen:
                if (fam, field) not in score:
                    continue
                n += 1
                right, total = score[(fam, field)]
                bad = [m for m in mismatches if m[0] == fam and m[3] == field]
                print(f"{'ok' if not bad else 'not ok'} {n} - {fam} {field}: {right}/{total}")
                for m in bad[:a.show]:
                    print(f"#   {m[1]} {m[2]}: want {m[4]!r}, got {m[5]!r}")
        if n == 0:
            print("ok 1 # SKIP no family folder with a truth.tsv")
            n = 1
        print(f"1..{n}")
    else:
        print("per field (all families):")
        for field in fields_seen:
            right = sum(v[0] for k, v in score.items() if k[1] == field)
            total = sum(v[1] for k, v in score.items() if k[1] == field)
            print(f"  {field:<13} {right:4}/{total:<4} {100.0 * right / total if total else 100:6.1f}%")
        print("per family (all fields):")
        for fam in families:
            right = sum(v[0] for k, v in score.items() if k[0] == fam)
            total = sum(v[1] for k, v in score.items() if k[0] == fam)
            docs = len({r['file'] for r in read_truth(os.path.join(a.real, fam, 'truth.tsv'))})
            print(f"  {fam:<14} {docs:3} documents {right:5}/{total:<5} {100.0 * right / total if total else 100:6.1f}%")
        if mismatches:
            print(f"first mismatches ({len(mismatches)} in all):")
            for m in mismatches[:a.show]:
                print(f"  {m[0]}/{m[1]} {m[2]} {m[3]}: want {m[4]!r}, got {m[5]!r}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
