#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# check_ext.py -- the SQLite extension ombuds.so loaded by Python's sqlite3
# module, as docs/schema.md shows: pounds(), median(), percentile() and
# metric functions against the figures sqlext.sh computed from the raw rows
# (WANT: "name<TAB>value" lines), errors as sqlite3.OperationalError, and the
# extension still working on later connections after the first one closed.
# Usage: check_ext.py EXT DB WANT N (N: TAP tests already printed; prints ok
# lines numbered from N + 1, no plan line, since sqlext.sh prints that).
import sqlite3
import sys

ext, db, want_file, start = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
want = dict(line.rstrip("\n").split("\t", 1) for line in open(want_file, encoding="utf-8"))
n = start


def check(what, expected, got):
    global n
    n += 1
    if expected == got:
        print("ok %d - python: %s" % (n, what))
    else:
        print("not ok %d - python: %s" % (n, what))
        print("#   want: %r" % (expected,))
        print("#    got: %r" % (got,))


def connect(path):
    con = sqlite3.connect(path)
    con.enable_load_extension(True)
    con.load_extension(ext)
    con.enable_load_extension(False)
    return con


def error_of(con, sql):
    try:
        con.execute(sql).fetchall()
    except sqlite3.OperationalError as e:
        return str(e)
    return None


con = connect(db)
paid = "WHERE payment_pence > 0"
row = con.execute("SELECT pounds(sum(payment_pence)), median(payment_pence), percentile(payment_pence, 90),"
                  " percentile(payment_pence, 25) FROM case_totals " + paid).fetchone()
check("pounds(sum(...)) is the total in pounds", want["total"], row[0])
check("median() of paying cases", want["median"], "%.2f" % row[1])
check("percentile() at 90 and 25", (want["p90"], want["p25"]), ("%.2f" % row[2], "%.2f" % row[3]))
check("pounds() of a negative amount, NULL and millions", (want["negative"], None, want["big"]),
      con.execute("SELECT pounds(-1200), pounds(NULL), pounds(123456789)").fetchone())
check("the metric function remedy_total(NULL, 2024)", int(want["year2024"]),
      con.execute("SELECT remedy_total(NULL, 2024)").fetchone()[0])
shares = con.execute("SELECT category, year, uphold_share(category, year) AS s FROM cases"
                     " WHERE category IS NOT NULL AND year IS NOT NULL GROUP BY 1, 2 HAVING s IS NOT NULL"
                     " ORDER BY 1, 2").fetchall()
check("uphold_share() for every category and year", want["shares"],
      ";".join("%s,%d,%.6f" % r for r in shares))
check("a table metric through json_each adds up to every payment", int(want["alltotal"]),
      con.execute("SELECT sum(value->>'total_pence') FROM json_each(remedy_per_category('year'))").fetchone()[0])
e = error_of(con, "SELECT pounds('abc')")
check("pounds('abc') raises OperationalError naming function, argument and type", True,
      e is not None and 'pounds(): argument 1 (pence): expected an integer (I, 64-bit), got text "abc"' in e)
e = error_of(con, "SELECT percentile(payment_pence, -1) FROM case_totals")
check("percentile() with p out of range raises", True, e is not None and "from 0 to 100" in e)
con.close()

# the extension stays loaded (SQLITE_OK_LOAD_PERMANENTLY) and a new connection
# loads it again without loading the plugins twice
con2 = connect(db)
check("a second connection after the first closed", want["total"],
      con2.execute("SELECT pounds(sum(payment_pence)) FROM case_totals " + paid).fetchone()[0])
mem = connect(":memory:")
check("an in-memory database has pounds() and median() too", ("£2.50", 2.0),
      mem.execute("SELECT pounds(250), median(x) FROM (SELECT 1 AS x UNION ALL SELECT 3)").fetchone())
con2.close()
mem.close()
