/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sqlfuncs.c -- the aggregates median(x) and percentile(x, p) on every store
 * connection, with the definition of SQLite's own ext/misc/percentile.c (so
 * a query gives the same figure here and in a sqlite3 shell that loads it):
 * p runs from 0 to 100 and must be the same on every row, NULLs are skipped,
 * anything else that is not a number is an error, and the result lies
 * between the two nearest values by linear interpolation.  Metric functions
 * from plugins are registered by ffi_bridge.c, not here.
 */
#include "sqlfuncs.h"

#include <stdlib.h>
#include <string.h>

/* One group's values.  Lives in SQLite's aggregate context (zeroed on the
 * first step); `a` is ours and freed in final. */
struct pct {
    double *a;
    size_t n, cap;
    double p;  /* the percentile asked for, 0-100 */
    int p_set; /* p has been read from a row */
    int bad;   /* an error was reported: ignore further rows */
};

static void add_value(sqlite3_context *cx, struct pct *g, sqlite3_value *v, const char *fn)
{
    int t = sqlite3_value_numeric_type(v);
    if (t == SQLITE_NULL) return;
    if (t != SQLITE_INTEGER && t != SQLITE_FLOAT) {
        char *msg = sqlite3_mprintf("%s(): expected a number to aggregate, got %s \"%.40s\"", fn,
                                    t == SQLITE_BLOB ? "a blob" : "text", (const char *)sqlite3_value_text(v));
        sqlite3_result_error(cx, msg ? msg : "not a number", -1);
        sqlite3_free(msg);
        g->bad = 1;
        return;
    }
    if (g->n == g->cap) {
        size_t ncap = g->cap ? g->cap * 2 : 16;
        double *p = realloc(g->a, ncap * sizeof *p);
        if (!p) {
            sqlite3_result_error_nomem(cx);
            g->bad = 1;
            return;
        }
        g->a = p;
        g->cap = ncap;
    }
    g->a[g->n++] = sqlite3_value_double(v);
}

static void median_step(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct pct *g = sqlite3_aggregate_context(cx, sizeof *g);
    if (!g) {
        sqlite3_result_error_nomem(cx);
        return;
    }
    if (g->bad) return;
    g->p = 50.0;
    g->p_set = 1;
    add_value(cx, g, argv[0], "median");
}

static void percentile_step(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct pct *g = sqlite3_aggregate_context(cx, sizeof *g);
    if (!g) {
        sqlite3_result_error_nomem(cx);
        return;
    }
    if (g->bad) return;
    int pt = sqlite3_value_numeric_type(argv[1]);
    double p = sqlite3_value_double(argv[1]);
    if ((pt != SQLITE_INTEGER && pt != SQLITE_FLOAT) || p < 0.0 || p > 100.0) {
        sqlite3_result_error(cx, "percentile(x, p): p must be a number from 0 to 100 (90 for the 90th percentile)",
                             -1);
        g->bad = 1;
        return;
    }
    if (g->p_set && p != g->p) {
        sqlite3_result_error(cx, "percentile(x, p): p must be the same on every row of a group", -1);
        g->bad = 1;
        return;
    }
    g->p = p;
    g->p_set = 1;
    add_value(cx, g, argv[0], "percentile");
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void pct_final(sqlite3_context *cx)
{
    struct pct *g = sqlite3_aggregate_context(cx, 0);
    if (!g) return; /* no rows: NULL */
    if (!g->bad && g->n > 0) {
        qsort(g->a, g->n, sizeof *g->a, cmp_double);
        double ix = g->p * (double)(g->n - 1) / 100.0;
        size_t lo = (size_t)ix;
        double frac = ix - (double)lo;
        double v = g->a[lo];
        if (frac > 0.0 && lo + 1 < g->n) v += (g->a[lo + 1] - g->a[lo]) * frac;
        sqlite3_result_double(cx, v);
    }
    free(g->a);
    g->a = NULL;
}

int omb_sqlfuncs_register(sqlite3 *db)
{
    int rc = sqlite3_create_function_v2(db, "median", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, NULL,
                                        median_step, pct_final, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function_v2(db, "percentile", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, NULL,
                                        percentile_step, pct_final, NULL);
    return rc;
}
