/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * compliance.c -- metric plugin: did councils do what they agreed, on time?
 * Counts events of late or missing compliance and public reports per
 * authority and year, and, where a case has both a start (the date the
 * recommendations were agreed, else the decision date) and a date it
 * complied, the days between them.  Events come from every source plugin
 * (press releases, minutes, decision pages); their free-text types are put
 * into classes by the rules in EVENT_CLASS below (docs/metrics.md lists
 * them).  Also compliance_events (each event, classified) and days_between.
 */
#include <math.h>
#include <ombuds/metric.h>
#include <ombuds/plugin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Event type -> class.  Order matters: "not carried out" is missing, not
 * complied; "report accepted by council" is a public report, not agreed. */
#define EVENT_CLASS                                                                                                    \
    "CASE"                                                                                                             \
    " WHEN t LIKE '%not complied%' OR t LIKE '%non-complian%' OR t LIKE '%not carried out%' OR t LIKE '%missing%'"     \
    "   OR t LIKE '%failed to%' OR t LIKE '%outstanding%' OR t LIKE '%incomplete%' OR t LIKE '%not done%'"             \
    "   THEN 'missing'"                                                                                                \
    " WHEN t LIKE '%late%' OR t LIKE '%overdue%' OR t LIKE '%delay%' OR t LIKE '%new date%' OR t LIKE '%extension%'"   \
    "   THEN 'late'"                                                                                                   \
    " WHEN t LIKE '%public report%' OR t LIKE '%report issued%' OR t LIKE '%report accepted%'"                         \
    "   OR t LIKE '%section 31%' OR t LIKE '%report considered%' THEN 'public report'"                                 \
    " WHEN t LIKE '%carried out%' OR t LIKE '%complied%' OR t LIKE '%compliance%' OR t LIKE '%completed%'"             \
    "   OR t LIKE '%remedy done%' OR t LIKE '%paid%' THEN 'complied'"                                                  \
    " WHEN t LIKE '%agreed%' OR t LIKE '%accepted%' THEN 'agreed'"                                                     \
    " ELSE 'other' END"

/* Every event with its authority, year, class and (for compliance events)
 * the days since the agreement or decision.  ?1 filters the authority. */
#define EVENTS_CTE                                                                                                     \
    "WITH ev AS (SELECT e.id, coalesce(e.authority, c.authority) AS authority,"                                        \
    "   CAST(substr(coalesce(e.date, c.decision_date), 1, 4) AS INTEGER) AS year,"                                     \
    "   e.case_id, c.ref, e.type, e.date, c.decision_date, e.text, " EVENT_CLASS " AS class"                           \
    "   FROM (SELECT *, lower(type) AS t FROM events) e LEFT JOIN cases c ON c.id = e.case_id),"                       \
    " ev2 AS (SELECT ev.*, (SELECT max(a.date) FROM ev a WHERE a.case_id = ev.case_id AND a.class = 'agreed'"          \
    "   AND a.date IS NOT NULL AND a.date <= ev.date) AS agreed_date FROM ev),"                                        \
    " ev3 AS (SELECT ev2.*, CASE WHEN class = 'complied' AND date IS NOT NULL"                                         \
    "   AND coalesce(agreed_date, decision_date) IS NOT NULL"                                                          \
    "   THEN CAST(julianday(date) - julianday(coalesce(agreed_date, decision_date)) AS INTEGER) END AS days"           \
    "   FROM ev2 WHERE ?1 IS NULL OR authority = ?1 COLLATE NOCASE)"

/* Late, missing and public-report records count once per complaint (a
 * release may say a council was late in three sentences about one case); an
 * event about an authority with no case counts on its own. */
#define PER_COMPLAINT(cls)                                                                                              \
    "count(DISTINCT CASE WHEN class = '" cls "' THEN coalesce('c' || case_id, 'e' || id) END)"

struct ctx_rows {
    omb_call *ctx;
};

static int add_row(void *ud, int n, const struct omb_value *v, const char *const *names)
{
    struct ctx_rows *r = ud;
    (void)names;
    (void)n;
    return r->ctx->host->table_add_row(r->ctx, v);
}

static int compliance(omb_call *ctx, const char *authority)
{
    const struct omb_host *h = ctx->host;
    struct ctx_rows r = {ctx};
    struct omb_value p = authority ? OMB_TEXT(authority) : OMB_NULL;
    int rc;
    static const struct {
        const char *name;
        int type;
    } cols[] = {{"authority", OMB_VALUE_TEXT},     {"year", OMB_VALUE_INT},
                {"n_events", OMB_VALUE_INT},       {"n_complaints", OMB_VALUE_INT},
                {"n_late", OMB_VALUE_INT | OMB_COLUMN_CHART},
                {"n_missing", OMB_VALUE_INT},      {"n_public_reports", OMB_VALUE_INT},
                {"n_complied", OMB_VALUE_INT},     {"n_timed", OMB_VALUE_INT},
                {"mean_days", OMB_VALUE_REAL},     {"max_days", OMB_VALUE_INT}};
    for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++)
        if ((rc = h->table_column(ctx, cols[k].name, cols[k].type))) return rc;
    rc = h->query(ctx,
                  EVENTS_CTE " SELECT authority, year, count(*), count(DISTINCT case_id), " PER_COMPLAINT("late") ","
                             " " PER_COMPLAINT("missing") ", " PER_COMPLAINT("public report") ","
                             " sum(class = 'complied'), count(days), avg(days), max(days)"
                             " FROM ev3 WHERE authority IS NOT NULL AND year IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2",
                  &p, 1, add_row, &r);
    if (rc) return rc;
    struct omb_counts c = {{0}};
    rc = h->query(ctx,
                  EVENTS_CTE " SELECT count(DISTINCT CASE WHEN authority IS NOT NULL AND year IS NOT NULL THEN case_id END),"
                             " count(DISTINCT CASE WHEN year IS NULL THEN case_id END),"
                             " count(*), sum(case_id IS NULL),"
                             " count(DISTINCT CASE WHEN year IS NOT NULL AND authority IS NULL THEN case_id END) FROM ev3",
                  &p, 1, omb_get_counts, &c);
    if (rc) return rc;
    /* one reason per case, no date first, so the reasons add up */
    if ((rc = h->coverage(ctx, c.v[0], c.v[1], "a date for their events")) ||
        (rc = h->coverage(ctx, c.v[0], c.v[4], "an authority for their events")))
        return rc;
    return h->note(ctx,
                   "%lld event%s, %lld about an authority with no case reference; days run from the date "
                   "recommendations were agreed (else the decision) to the date the remedy was carried out",
                   (long long)c.v[2], c.v[2] == 1 ? "" : "s", (long long)c.v[3]);
}

static int compliance_events(omb_call *ctx, const char *authority)
{
    const struct omb_host *h = ctx->host;
    struct ctx_rows r = {ctx};
    struct omb_value p = authority ? OMB_TEXT(authority) : OMB_NULL;
    int rc;
    static const char *const names[] = {"authority", "year", "ref", "class", "type", "date", "decided", "agreed",
                                        "days", "text", "case_id"};
    /* case_id tells apart the unreferenced complaints of one release */
    static const int types[] = {OMB_VALUE_TEXT, OMB_VALUE_INT,  OMB_VALUE_TEXT, OMB_VALUE_TEXT, OMB_VALUE_TEXT,
                                OMB_VALUE_TEXT, OMB_VALUE_TEXT, OMB_VALUE_TEXT, OMB_VALUE_INT | OMB_COLUMN_CHART,
                                OMB_VALUE_TEXT, OMB_VALUE_INT};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        if ((rc = h->table_column(ctx, names[k], types[k]))) return rc;
    return h->query(ctx,
                    EVENTS_CTE " SELECT authority, year, ref, class, type, date, decision_date, agreed_date, days, text, case_id"
                               " FROM ev3 ORDER BY authority, coalesce(date, decision_date), id",
                    &p, 1, add_row, &r);
}

/* ---- days_between: pure date arithmetic, no store --------------------------------- */

/* Days from 0000-03-01 in the proleptic Gregorian calendar (Howard Hinnant's
 * days_from_civil), so the difference of two is exact across leap years. */
static long days_from_civil(long y, long m, long d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe;
}

static int read_iso(const char *s, long *days)
{
    int y, m, d;
    char tail;
    if (!s || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 || d < 1 || d > 31) return 0;
    *days = days_from_civil(y, m, d);
    return 1;
}

static double days_between(omb_call *ctx, const char *from, const char *to)
{
    long a, b;
    if (!from || !to) return NAN; /* unknown in, unknown out */
    if (!read_iso(from, &a)) {
        ctx->host->call_error(ctx, "expected an ISO date such as 2023-01-20 as the first argument, got \"%s\"", from);
        return 0;
    }
    if (!read_iso(to, &b)) {
        ctx->host->call_error(ctx, "expected an ISO date such as 2023-01-20 as the second argument, got \"%s\"", to);
        return 0;
    }
    return (double)(b - a);
}

static const struct omb_metric_fn functions[] = {
    {"compliance", "t(s)", (void (*)(void))compliance,
     "compliance(authority): late and missing compliance, public reports and days to comply per authority and year; "
     "authority = one (default: all)"},
    {"compliance_events", "t(s)", (void (*)(void))compliance_events,
     "compliance_events(authority): every event with its class (late, missing, public report, complied, agreed, "
     "other) and days to comply"},
    {"days_between", "d(ss)", (void (*)(void))days_between,
     "days_between(from, to): days from one ISO date to another; NULL when either is NULL"},
    {NULL, NULL, NULL, NULL},
};

static const struct omb_metric_ops ops = {.functions = functions};

OMB_PLUGIN_EXPORT const struct omb_plugin ombuds_plugin = {
    .abi_version = OMB_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(struct omb_plugin),
    .kind = OMB_PLUGIN_METRIC,
    .name = "compliance",
    .version = "1.0",
    .description = "Late and missing compliance, public reports and days to comply, per authority and year",
    .ops = &ops,
};
