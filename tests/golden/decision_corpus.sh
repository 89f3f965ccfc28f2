#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# decision_corpus.sh -- checks the decision_page plugin against the benchmark
# generator's ground truth.  It writes a synthetic corpus with
# ../shared/bench/make-corpus into a temporary directory (200 cases unless
# CORPUS_CASES says otherwise; CORPUS_SEED picks another corpus), runs
# `ombuds parse` (no --format, so format detection is checked too) on every
# decision page, and compares each case field by field with truth.tsv:
# reference, authority, category, sub-category, decision, decision date,
# payment total, the payments with their purposes, apology and the number of
# service improvements.  One TAP test per field, each listing the cases that
# disagree.  Skips when python3 or the generator is missing; the hand-written
# fixtures beside it are golden.sh's business.
: "${OMBUDS:?OMBUDS must point at the ombuds program}"
: "${SRCDIR:?SRCDIR must point at the source tree}"
gen="$SRCDIR/../shared/bench/make-corpus"
cases="${CORPUS_CASES:-200}"
seed="${CORPUS_SEED:-1}"
if ! command -v python3 >/dev/null 2>&1; then echo "ok 1 # SKIP python3 not found"; echo "1..1"; exit 0; fi
if [ ! -f "$gen" ]; then echo "ok 1 # SKIP corpus generator $gen not found"; echo "1..1"; exit 0; fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
if ! python3 "$gen" --cases "$cases" --seed "$seed" --out "$tmp/corpus" >"$tmp/gen.log" 2>&1; then
  echo "not ok 1 - make-corpus --cases $cases failed"; sed 's/^/# /' "$tmp/gen.log"; echo "1..1"; exit 1
fi
mkdir "$tmp/dumps"
# Under VALGRIND, $OMBUDS is the memcheck wrapper: 20 pages through it are
# enough for memory errors, the rest go to the real program to keep it quick.
k=0
for f in "$tmp/corpus/decisions/"*.txt; do
  name=$(basename "$f" .txt); k=$((k+1)); prog="$OMBUDS"
  if [ -n "$VALGRIND" ] && [ -n "$OMBUDS_REAL" ] && [ $k -gt 20 ]; then prog="$OMBUDS_REAL"; fi
  "$prog" parse "$f" >"$tmp/dumps/$name.dump" 2>"$tmp/dumps/$name.err"
  echo $? >"$tmp/dumps/$name.rc"
done
python3 - "$tmp/corpus/truth.tsv" "$tmp/dumps" <<'EOF'
import os, re, sys

truth_path, dumps = sys.argv[1], sys.argv[2]
with open(truth_path, encoding="utf-8") as f:
    head = f.readline().rstrip("\n").split("\t")
    truth = [dict(zip(head, line.rstrip("\n").split("\t"))) for line in f if line.strip()]

def parts_of(text):
    """'690000:quantifiable loss;100050:uncertainty' -> sorted list of pairs."""
    out = []
    for p in filter(None, text.split(";")):
        amount, purpose = p.split(":", 1)
        out.append(f"{int(amount)}:{purpose}")
    return sorted(out)

def read_dump(ref):
    name = ref.replace(" ", "-")
    got = {"rc": open(os.path.join(dumps, name + ".rc")).read().strip(), "plugin": "", "cases": 0,
           "parts": [], "apology": "no", "improvements": 0}
    for line in open(os.path.join(dumps, name + ".dump"), encoding="utf-8"):
        line = line.rstrip("\n")
        m = re.match(r"^  (ref|authority|category|subcategory|outcome|decision_date): (.*) @\d+$", line)
        if m:
            got[m.group(1)] = m.group(2)
        elif line.startswith("plugin: "):
            got["plugin"] = line[8:]
        elif line.startswith("cases: "):
            got["cases"] = int(line[7:])
        elif line.startswith("  payment_total: "):
            got["payment_total"] = line[17:]
        elif line.startswith("  improvement: "):
            got["improvements"] += 1
        elif line.startswith("  remedy: "):
            m = re.match(r"^  remedy: (\S+) amount=(\S+) purposes=\[([^\]]*)\]", line)
            kind, amount, purposes = m.groups()
            if kind == "apology":
                got["apology"] = "yes"
            elif kind == "payment":
                got["parts"].append(f"{amount}:{purposes}")
            else:
                got["parts"].append(f"{kind} {amount}:{purposes}")
    got["parts"].sort()
    return got

checks = [
    ("parsed as exactly one decision_page case", lambda t: "0 decision_page 1",
     lambda g: f"{g['rc']} {g['plugin']} {g['cases']}"),
    ("reference", lambda t: t["case_ref"], lambda g: g.get("ref", "")),
    ("authority", lambda t: t["authority"], lambda g: g.get("authority", "")),
    ("category", lambda t: t["category"], lambda g: g.get("category", "")),
    ("sub-category", lambda t: t["subcategory"], lambda g: g.get("subcategory", "")),
    ("decision", lambda t: t["decision"], lambda g: g.get("outcome", "")),
    ("decision date", lambda t: t["decision_date"], lambda g: g.get("decision_date", "")),
    ("payment total in pence", lambda t: t["remedy_total_pence"], lambda g: g.get("payment_total", "")),
    ("payments with their purposes", lambda t: " ".join(parts_of(t["remedy_parts"])),
     lambda g: " ".join(g["parts"])),
    ("apology", lambda t: t["apology"], lambda g: g["apology"]),
    ("number of service improvements", lambda t: t["n_service_improvements"], lambda g: str(g["improvements"])),
]
got = {t["case_ref"]: read_dump(t["case_ref"]) for t in truth}
n = fail = 0
for label, want_of, got_of in checks:
    n += 1
    bad = [(t["case_ref"], want_of(t), got_of(got[t["case_ref"]])) for t in truth
           if want_of(t) != got_of(got[t["case_ref"]])]
    if bad:
        fail += 1
        print(f"not ok {n} - {label}: {len(bad)} of {len(truth)} cases disagree with truth.tsv")
        for ref, want, have in bad[:10]:
            print(f"#   {ref}: want {want!r}, got {have!r}")
        if len(bad) > 10:
            print(f"#   ... and {len(bad) - 10} more")
    else:
        print(f"ok {n} - {label}: all {len(truth)} cases agree with truth.tsv")
print(f"1..{n}")
sys.exit(1 if fail else 0)
EOF
