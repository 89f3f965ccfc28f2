/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * uphold_rate.c -- metric plugin: the share of decided cases that were
 * upheld, by category (or sub-category, council subject, authority) and
 * year, with the counts behind it, and upheld cases per 100,000 residents
 * when grouping by authority and the authority's population is loaded
 * (authority_population; the column is empty otherwise).  "Decided" means
 * the ombudsman reached a finding: upheld or not upheld; cases closed after
 * initial enquiries, premature, withdrawn and the like are counted in
 * n_cases but not in the rate.  Scalars: uphold_share, is_upheld, is_decided.
 * Reads the store only through host->query.  See docs/metrics.md.
 */
#include <math.h>
#include <ombuds/metric.h>
#include <ombuds/plugin.h>
#include <stdio.h>
#include <string.h>

struct grouping {
    const char *by, *column, *expr, *what;
};

static const struct grouping groupings[] = {
    {"category", "category", "c.category", "a category"},
    {"subcategory", "subcategory", "c.subcategory", "a sub-category"},
    {"subject", "council_subject", "c.council_subject", "a council subject"},
    {"council_subject", "council_subject", "c.council_subject", "a council subject"},
    {"authority", "authority", "c.authority", "an authority"},
    {"year", NULL, "'all'", NULL},
};

struct state {
    omb_call *ctx;
    int has_group;
    int per_100k; /* grouping by authority with a population table */
    int rc;
    /* coverage, counted from the same rows: the table's query groups every
     * case, and the groups without a year or without a group value are
     * counted here instead of listed (one scan of cases, not two) */
    int64_t used, no_year, no_group, undecided, other_outcome;
};

static int64_t int_of(struct omb_value v) { return v.type == OMB_VALUE_INT ? v.i : 0; }

static int add_row(void *ud, int n, const struct omb_value *v, const char *const *names)
{
    struct state *s = ud;
    struct omb_value cells[7];
    int c = 0;
    (void)names;
    (void)n;
    /* g, year, n_cases, n_decided, n_upheld, population, cases with no outcome */
    int64_t all = int_of(v[2]), decided = int_of(v[3]), upheld = int_of(v[4]), no_outcome = int_of(v[6]);
    if (v[1].type == OMB_VALUE_NULL) {
        s->no_year += all;
        return OMB_OK;
    }
    if (v[0].type == OMB_VALUE_NULL) {
        s->no_group += all;
        return OMB_OK;
    }
    s->used += decided;
    s->undecided += all - decided;
    s->other_outcome += all - decided - no_outcome;
    if (s->has_group) cells[c++] = v[0];
    cells[c++] = v[1]; /* year */
    cells[c++] = OMB_INT(all);
    cells[c++] = OMB_INT(decided);
    cells[c++] = OMB_INT(upheld);
    cells[c++] = decided ? OMB_REAL((double)upheld / (double)decided) : OMB_NULL;
    /* population is per authority; NULL when not loaded for this one */
    struct omb_value pop = v[5];
    cells[c++] = s->per_100k && pop.type == OMB_VALUE_INT && pop.i > 0
                     ? OMB_REAL((double)upheld * 100000.0 / (double)pop.i)
                     : OMB_NULL;
    return s->ctx->host->table_add_row(s->ctx, cells);
}

static int uphold_rate(omb_call *ctx, const char *by)
{
    const struct omb_host *h = ctx->host;
    const struct grouping *g = NULL;
    char sql[1200];
    int rc;
    if (!by || !*by) by = "category";
    for (size_t k = 0; k < sizeof groupings / sizeof groupings[0]; k++)
        if (!strcmp(groupings[k].by, by)) g = &groupings[k];
    if (!g)
        return h->call_error(ctx, "cannot group by \"%s\"; expected category, subcategory, subject, authority or year",
                             by);
    struct omb_counts pop = {{0}};
    rc = h->query(ctx,
                  "SELECT count(*) FROM sqlite_schema WHERE name = 'authority_population' AND type IN ('table', 'view')",
                  NULL, 0, omb_get_counts, &pop);
    if (rc) return rc;
    /* the table exists from schema 2 on, but may hold no rows yet */
    if (pop.v[0] > 0 && (rc = h->query(ctx, "SELECT count(*) FROM authority_population", NULL, 0, omb_get_counts, &pop)))
        return rc;
    struct state st = {ctx, g->column != NULL, pop.v[0] > 0 && !strcmp(g->by, "authority"), 0, 0, 0, 0, 0, 0};
    if ((g->column && (rc = h->table_column(ctx, g->column, OMB_VALUE_TEXT))) ||
        (rc = h->table_column(ctx, "year", OMB_VALUE_INT)) || (rc = h->table_column(ctx, "n_cases", OMB_VALUE_INT)) ||
        (rc = h->table_column(ctx, "n_decided", OMB_VALUE_INT)) ||
        (rc = h->table_column(ctx, "n_upheld", OMB_VALUE_INT)) ||
        (rc = h->table_column(ctx, "uphold_rate", OMB_VALUE_REAL | OMB_COLUMN_CHART)) ||
        (rc = h->table_column(ctx, "upheld_per_100k", OMB_VALUE_REAL)))
        return rc;
    /* every case in some group, those without a year or a group value too
     * (add_row counts them for the coverage instead of listing them) */
    snprintf(sql, sizeof sql,
             "SELECT %s AS g, c.year, count(*),"
             " sum(c.outcome IN ('upheld', 'not upheld')), sum(c.outcome = 'upheld'), %s, sum(c.outcome IS NULL)"
             " FROM cases c GROUP BY 1, 2 ORDER BY 1, 2",
             g->expr,
             st.per_100k ? "(SELECT p.population FROM authority_population p WHERE p.authority = c.authority)"
                         : "NULL");
    if ((rc = h->query(ctx, sql, NULL, 0, add_row, &st))) return rc;
    struct omb_counts cov = {{st.used, st.no_year, st.no_group, st.undecided, st.other_outcome}};
    /* used: decided cases the rate rests on; the rest, by reason, as one
     * statement (same "used" count): no date, no group, no decided outcome */
    if ((rc = h->coverage(ctx, cov.v[0], cov.v[1], "a decision date")) ||
        (g->what && (rc = h->coverage(ctx, cov.v[0], cov.v[2], g->what))) ||
        (rc = h->coverage(ctx, cov.v[0], cov.v[3], "an upheld or not-upheld outcome (other or unknown)")))
        return rc;
    cov.v[2] = cov.v[4];
    if (cov.v[2] && (rc = h->note(ctx, "%lld case%s with another outcome (closed after initial enquiries, premature, "
                                       "...) counted in n_cases, not in the rate",
                                  (long long)cov.v[2], cov.v[2] == 1 ? "" : "s")))
        return rc;
    if (!strcmp(g->by, "authority") && !st.per_100k)
        return h->note(ctx, "no population loaded (ombuds authorities --load-population FILE.csv): "
                            "upheld_per_100k is empty");
    if (strcmp(g->by, "authority"))
        return h->note(ctx, "upheld_per_100k is given only --by authority (population is per authority)");
    return OMB_OK;
}

/* ---- scalars --------------------------------------------------------------------- */

struct one {
    struct omb_value v[2];
};

static int get_two(void *ud, int n, const struct omb_value *v, const char *const *names)
{
    (void)names;
    for (int k = 0; k < n && k < 2; k++) ((struct one *)ud)->v[k] = v[k];
    return OMB_OK;
}

static double uphold_share(omb_call *ctx, const char *category, int32_t year)
{
    struct one r = {{OMB_NULL, OMB_NULL}};
    struct omb_value p[2] = {category ? OMB_TEXT(category) : OMB_NULL, OMB_INT(year)};
    if (ctx->host->query(ctx,
                         "SELECT sum(outcome = 'upheld'), sum(outcome IN ('upheld', 'not upheld')) FROM cases"
                         " WHERE (?1 IS NULL OR category = ?1) AND year = ?2",
                         p, 2, get_two, &r))
        return 0.0;
    if (r.v[1].type != OMB_VALUE_INT || r.v[1].i == 0) return NAN; /* no decided case: NULL in SQL, nil in Lua */
    return (double)r.v[0].i / (double)r.v[1].i;
}

static int is_upheld(omb_call *ctx, const char *outcome)
{
    (void)ctx;
    return outcome && !strcmp(outcome, "upheld");
}

static int is_decided(omb_call *ctx, const char *outcome)
{
    (void)ctx;
    return outcome && (!strcmp(outcome, "upheld") || !strcmp(outcome, "not upheld"));
}

static const struct omb_metric_fn functions[] = {
    {"uphold_rate", "t(s)", (void (*)(void))uphold_rate,
     "uphold_rate(by): share of decided cases upheld per group and year, with the counts; by = category (default), "
     "subcategory, subject, authority (adds upheld per 100,000 residents when population is loaded), year"},
    {"uphold_share", "d(si)", (void (*)(void))uphold_share,
     "uphold_share(category, year): upheld / decided for a category (NULL: all) in a year; NULL if none decided"},
    {"is_upheld", "b(s)", (void (*)(void))is_upheld, "is_upheld(outcome): 1 for 'upheld'"},
    {"is_decided", "b(s)", (void (*)(void))is_decided, "is_decided(outcome): 1 for 'upheld' or 'not upheld'"},
    {NULL, NULL, NULL, NULL},
};

static const struct omb_metric_ops ops = {.functions = functions};

OMB_PLUGIN_EXPORT const struct omb_plugin ombuds_plugin = {
    .abi_version = OMB_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(struct omb_plugin),
    .kind = OMB_PLUGIN_METRIC,
    .name = "uphold_rate",
    .version = "1.0",
    .description = "Share of decided cases upheld by category, authority and year; per 100,000 residents",
    .ops = &ops,
};
