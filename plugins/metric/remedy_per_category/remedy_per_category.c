/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * remedy_per_category.c -- metric plugin: financial redress by category (or
 * sub-category, council subject, authority, payment purpose) and year: how
 * many cases, how many with a payment, the total, and the mean, median and
 * 90th percentile of a paying case's redress, with the change on the year
 * before and the trend over the whole period.  Also small scalar functions
 * for SQL and Lua (remedy_total, remedy_cases, pounds).
 *
 * It reads the store only through host->query (the median() and
 * percentile() aggregates are the core's, sqlfuncs.c) and builds its result
 * through host->table_*; it never sees SQLite.  See docs/metrics.md.
 */
#include <math.h>
#include <ombuds/metric.h>
#include <ombuds/plugin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The groupings a caller may ask for: the SQL expression is chosen from this
 * table, never pasted from the caller's text. */
struct grouping {
    const char *by;     /* what the caller writes */
    const char *column; /* the result column, or NULL for by=year */
    const char *expr;   /* SQL over cases c */
    const char *what;   /* for coverage: "a category" */
};

static const struct grouping groupings[] = {
    {"category", "category", "c.category", "a category"},
    {"subcategory", "subcategory", "c.subcategory", "a sub-category"},
    {"subject", "council_subject", "c.council_subject", "a council subject"},
    {"council_subject", "council_subject", "c.council_subject", "a council subject"},
    {"authority", "authority", "c.authority", "an authority"},
    {"purpose", "purpose", NULL, "a payment"},
    {"year", NULL, "'all'", "nothing (every case counts)"},
};

static const struct grouping *find_grouping(omb_call *ctx, const char *by)
{
    if (!by || !*by) by = "category";
    for (size_t k = 0; k < sizeof groupings / sizeof groupings[0]; k++)
        if (!strcmp(groupings[k].by, by)) return &groupings[k];
    ctx->host->call_error(ctx, "cannot group by \"%s\"; expected category, subcategory, subject, authority, purpose "
                               "or year", by);
    return NULL;
}

/* One (group, year) row as the query returns it. */
struct row {
    char *group;
    int year;
    int64_t n_cases, n_paid, total;
    struct omb_value mean, median, p90; /* NULL when no case paid */
};

struct rows {
    omb_call *ctx;
    struct row *r;
    size_t n, cap;
};

static char *dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

static int collect(void *ud, int n, const struct omb_value *v, const char *const *names)
{
    struct rows *rs = ud;
    (void)names;
    (void)n;
    if (rs->n == rs->cap) {
        size_t ncap = rs->cap ? rs->cap * 2 : 64;
        struct row *p = realloc(rs->r, ncap * sizeof *p);
        if (!p) return rs->ctx->host->call_error(rs->ctx, "out of memory");
        rs->r = p;
        rs->cap = ncap;
    }
    struct row *r = &rs->r[rs->n];
    if (!(r->group = dup(v[0].type == OMB_VALUE_TEXT ? v[0].s : ""))) return rs->ctx->host->call_error(rs->ctx, "out of memory");
    r->year = v[1].type == OMB_VALUE_INT ? (int)v[1].i : 0; /* 0: no decision date */
    r->n_cases = v[2].i;
    r->n_paid = v[3].i;
    r->total = v[4].i;
    r->mean = v[5];
    r->median = v[6];
    r->p90 = v[7];
    rs->n++;
    return OMB_OK;
}

static void rows_free(struct rows *rs)
{
    for (size_t k = 0; k < rs->n; k++) free(rs->r[k].group);
    free(rs->r);
}

/* The aggregation over p(g, year, case_id, pence): one row per case and group. */
#define AGGREGATE                                                                                                      \
    " SELECT g, year, count(*), sum(pence > 0), sum(pence),"                                                           \
    " avg(CASE WHEN pence > 0 THEN pence END),"                                                                        \
    " median(CASE WHEN pence > 0 THEN pence END),"                                                                     \
    " percentile(CASE WHEN pence > 0 THEN pence END, 90)"                                                              \
    " FROM p GROUP BY g, year ORDER BY g, year"

/* Least-squares slope of a group's yearly totals over every year of the
 * period (a year with no case in the group counts as zero).  A trend needs
 * two years with cases in the group (docs/metrics.md): one year is a level,
 * not a direction, so it has none. */
static double trend(const struct row *r, size_t n, int y0, int y1)
{
    if (y1 <= y0 || n < 2) return NAN;
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    int m = y1 - y0 + 1;
    size_t k = 0;
    for (int y = y0; y <= y1; y++) {
        double v = 0;
        while (k < n && r[k].year < y) k++;
        if (k < n && r[k].year == y) v = (double)r[k].total;
        double x = y - y0;
        sx += x, sy += v, sxx += x * x, sxy += x * v;
    }
    double den = m * sxx - sx * sx;
    return den != 0 ? (m * sxy - sx * sy) / den : NAN;
}

static int remedy_per_category(omb_call *ctx, const char *by)
{
    const struct omb_host *h = ctx->host;
    const struct grouping *g = find_grouping(ctx, by);
    char sql[1400];
    struct rows rs = {ctx, NULL, 0, 0};
    struct omb_counts cov = {{0}};
    int rc;
    if (!g) return OMB_EINVAL;
    if (g->expr) {
        /* MATERIALIZED: flattened into the aggregate, every use of pence
         * (eight) ran case_totals' look-up of the case's remedies again */
        snprintf(sql, sizeof sql,
                 "WITH p AS MATERIALIZED (SELECT %s AS g, c.year AS year, c.id AS case_id, t.payment_pence AS pence"
                 " FROM cases c JOIN case_totals t ON t.case_id = c.id"
                 " WHERE %s IS NOT NULL)" AGGREGATE,
                 g->expr, g->expr);
        rc = h->query(ctx, sql, NULL, 0, collect, &rs);
        if (!rc) {
            snprintf(sql, sizeof sql,
                     "SELECT count(*), coalesce(sum(c.year IS NULL AND %s IS NOT NULL), 0),"
                     " coalesce(sum(%s IS NULL), 0) FROM cases c",
                     g->expr, g->expr);
            rc = h->query(ctx, sql, NULL, 0, omb_get_counts, &cov);
        }
    } else {
        /* by purpose: each payment counts under its purposes; one that names
         * several ("avoidable distress/time and trouble") is its own group, so
         * the groups still add up to the total paid */
        rc = h->query(ctx,
                      "WITH r AS (SELECT c.id AS case_id, c.year AS year, coalesce(r.amount_pence, 0) AS amount,"
                      " CASE WHEN r.purposes IS NULL OR r.purposes = '[]' THEN '(unspecified)'"
                      " ELSE (SELECT group_concat(value, ' + ') FROM json_each(r.purposes)) END AS g"
                      " FROM case_remedies r JOIN cases c ON c.id = r.case_id"
                      " WHERE r.kind = 'payment'),"
                      " p AS (SELECT g, year, case_id, sum(amount) AS pence FROM r GROUP BY g, year, case_id)" AGGREGATE,
                      NULL, 0, collect, &rs);
        if (!rc)
            rc = h->query(ctx,
                          "WITH x AS (SELECT c.year, EXISTS (SELECT 1 FROM case_remedies r"
                          " WHERE r.case_id = c.id AND r.kind = 'payment') AS paid FROM cases c)"
                          " SELECT count(*), coalesce(sum(year IS NULL AND paid), 0), coalesce(sum(NOT paid), 0) FROM x",
                          NULL, 0, omb_get_counts, &cov);
    }
    if (rc) goto done;

    const char *gcol = g->column;
    if ((gcol && (rc = h->table_column(ctx, gcol, OMB_VALUE_TEXT))) ||
        (rc = h->table_column(ctx, "year", OMB_VALUE_INT)) || (rc = h->table_column(ctx, "n_cases", OMB_VALUE_INT)) ||
        (rc = h->table_column(ctx, "n_with_payment", OMB_VALUE_INT)) ||
        (rc = h->table_column(ctx, "total_pence", OMB_VALUE_INT | OMB_COLUMN_CHART)) ||
        (rc = h->table_column(ctx, "mean_pence", OMB_VALUE_REAL)) ||
        (rc = h->table_column(ctx, "median_pence", OMB_VALUE_REAL)) ||
        (rc = h->table_column(ctx, "p90_pence", OMB_VALUE_REAL)) ||
        (rc = h->table_column(ctx, "change_pence", OMB_VALUE_INT)) ||
        (rc = h->table_column(ctx, "trend_pence_per_year", OMB_VALUE_REAL)))
        goto done;

    int y0 = 0, y1 = 0;
    for (size_t k = 0, any = 0; k < rs.n; k++) {
        if (!rs.r[k].year) continue;
        if (!any || rs.r[k].year < y0) y0 = rs.r[k].year;
        if (!any || rs.r[k].year > y1) y1 = rs.r[k].year;
        any = 1;
    }
    for (size_t a = 0; a < rs.n;) {
        size_t b = a;
        while (b < rs.n && !strcmp(rs.r[b].group, rs.r[a].group)) b++;
        size_t dated = a;
        while (dated < b && !rs.r[dated].year) dated++; /* undated rows sort first */
        double tr = trend(rs.r + dated, b - dated, y0, y1);
        for (size_t k = a; k < b; k++) {
            const struct row *r = &rs.r[k];
            struct omb_value cells[11];
            int c = 0;
            if (gcol) cells[c++] = OMB_TEXT(r->group);
            cells[c++] = r->year ? OMB_INT(r->year) : OMB_NULL;
            cells[c++] = OMB_INT(r->n_cases);
            cells[c++] = OMB_INT(r->n_paid);
            cells[c++] = OMB_INT(r->total);
            cells[c++] = r->mean;
            cells[c++] = r->median;
            cells[c++] = r->p90;
            /* the first year of the period has nothing to compare with; a
             * later year with no row for the group had no cases: £0 */
            if (!r->year || r->year == y0) cells[c++] = OMB_NULL;
            else if (k > a && rs.r[k - 1].year == r->year - 1) cells[c++] = OMB_INT(r->total - rs.r[k - 1].total);
            else cells[c++] = OMB_INT(r->total);
            cells[c++] = isnan(tr) ? OMB_NULL : OMB_REAL(tr);
            if ((rc = h->table_add_row(ctx, cells))) goto done;
        }
        a = b;
    }
    /* a case without a decision date still counts, in a row with no year,
     * so the groups add up to everything paid */
    rc = h->coverage(ctx, cov.v[0] - cov.v[2], cov.v[2], g->what);
    if (!rc && cov.v[1])
        rc = h->note(ctx, "%lld case%s without a decision date: counted in the rows with no year (no change or trend)",
                     (long long)cov.v[1], cov.v[1] == 1 ? "" : "s");
    if (!rc) rc = h->note(ctx, "mean, median and p90 are over cases with a payment, to the penny; money is pence in CSV and JSON, pounds in tables");
done:
    rows_free(&rs);
    return rc;
}

/* ---- scalar functions ---------------------------------------------------------- */

struct one {
    struct omb_value v;
};

static int get_one(void *ud, int n, const struct omb_value *v, const char *const *names)
{
    (void)names;
    if (n > 0) ((struct one *)ud)->v = v[0];
    return OMB_OK;
}

static int64_t remedy_total(omb_call *ctx, const char *category, int32_t year)
{
    struct one r = {OMB_INT(0)};
    struct omb_value p[2] = {category ? OMB_TEXT(category) : OMB_NULL, OMB_INT(year)};
    ctx->host->query(ctx,
                     "SELECT coalesce(sum(t.payment_pence), 0) FROM cases c JOIN case_totals t ON t.case_id = c.id"
                     " WHERE (?1 IS NULL OR c.category = ?1) AND c.year = ?2",
                     p, 2, get_one, &r);
    return r.v.type == OMB_VALUE_INT ? r.v.i : 0;
}

static int64_t remedy_cases(omb_call *ctx, const char *category, int32_t year, int with_payment)
{
    struct one r = {OMB_INT(0)};
    struct omb_value p[3] = {category ? OMB_TEXT(category) : OMB_NULL, OMB_INT(year), OMB_INT(with_payment != 0)};
    ctx->host->query(ctx,
                     "SELECT count(*) FROM cases c JOIN case_totals t ON t.case_id = c.id"
                     " WHERE (?1 IS NULL OR c.category = ?1) AND c.year = ?2 AND (?3 = 0 OR t.payment_pence > 0)",
                     p, 3, get_one, &r);
    return r.v.type == OMB_VALUE_INT ? r.v.i : 0;
}

static const char *pounds(omb_call *ctx, int64_t pence)
{
    char digits[32], grouped[48];
    /* unsigned, so that the most negative int64 has a magnitude too */
    uint64_t a = pence < 0 ? 0 - (uint64_t)pence : (uint64_t)pence;
    int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)(a / 100)), o = 0;
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0) grouped[o++] = ',';
        grouped[o++] = digits[i];
    }
    grouped[o] = '\0';
    return ctx->host->call_format(ctx, "%s£%s.%02u", pence < 0 ? "-" : "", grouped, (unsigned)(a % 100));
}

static const struct omb_metric_fn functions[] = {
    {"remedy_per_category", "t(s)", (void (*)(void))remedy_per_category,
     "remedy_per_category(by): cases, cases with payment, total, mean, median, p90 of redress per group and year, "
     "change on the year before, trend; by = category (default), subcategory, subject, authority, purpose, year"},
    {"remedy_total", "I(si)", (void (*)(void))remedy_total,
     "remedy_total(category, year): pence paid in cases of a category (NULL: all) decided in a year"},
    {"remedy_cases", "I(sib)", (void (*)(void))remedy_cases,
     "remedy_cases(category, year, with_payment): cases of a category (NULL: all) decided in a year; "
     "with_payment counts only those with a payment"},
    {"pounds", "s(I)", (void (*)(void))pounds, "pounds(pence): an amount as text, e.g. 7127650 -> £71,276.50"},
    {NULL, NULL, NULL, NULL},
};

static const struct omb_metric_ops ops = {.functions = functions};

OMB_PLUGIN_EXPORT const struct omb_plugin ombuds_plugin = {
    .abi_version = OMB_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(struct omb_plugin),
    .kind = OMB_PLUGIN_METRIC,
    .name = "remedy_per_category",
    .version = "1.0",
    .description = "Financial redress by category (or sub-category, subject, authority, purpose) and year",
    .ops = &ops,
};
