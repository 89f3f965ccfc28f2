/* SPDX-License-Identifier: GPL-3.0-or-later */
/* metric_demo.c -- a metric plugin with one function per signature letter,
 * for the bridge tests (tests/metrics/test_ffi.c): every argument and return
 * type, an error reported through the host, a table, and a store query. */
#include <ombuds/plugin.h>
#include <string.h>

static int32_t add_i(omb_call *c, int32_t a, int32_t b) { (void)c; return a + b; }
static int64_t twice_big(omb_call *c, int64_t a) { (void)c; return a * 2; }
static double half(omb_call *c, double a) { (void)c; return a / 2; }
static int negate(omb_call *c, int b) { (void)c; return !b; }
static const char *greet(omb_call *c, const char *who, int32_t n)
{
    if (!who) return NULL;
    return c->host->call_format(c, "%s x%d", who, (int)n);
}
static int32_t checked(omb_call *c, int32_t year)
{
    if (year < 1970) return c->host->call_error(c, "expected a year such as 2023, got %d", (int)year);
    return year;
}
static void nothing(omb_call *c, const char *s) { (void)c; (void)s; }
static int squares(omb_call *c, int32_t n)
{
    const struct omb_host *h = c->host;
    int rc;
    if ((rc = h->table_column(c, "n", OMB_VALUE_INT)) || (rc = h->table_column(c, "square", OMB_VALUE_INT | OMB_COLUMN_CHART)) ||
        (rc = h->table_column(c, "label", OMB_VALUE_TEXT)))
        return rc;
    for (int32_t k = 1; k <= n; k++) {
        struct omb_value row[3] = {OMB_INT(k), OMB_INT((int64_t)k * k), k % 2 ? OMB_TEXT("odd") : OMB_NULL};
        if ((rc = h->table_add_row(c, row))) return rc;
    }
    h->coverage(c, n, 1, "a square");
    h->note(c, "squares up to %d", (int)n);
    return OMB_OK;
}
static int count_row(void *ud, int n, const struct omb_value *v, const char *const *names)
{
    (void)n;
    (void)names;
    *(int64_t *)ud = v[0].type == OMB_VALUE_INT ? v[0].i : -1;
    return OMB_OK;
}
static int64_t run_sql(omb_call *c, const char *sql, int64_t param)
{
    int64_t out = -2;
    struct omb_value p = OMB_INT(param);
    c->host->query(c, sql, &p, 1, count_row, &out);
    return out;
}
static int bad_table(omb_call *c) { (void)c; return 7; }

static const struct omb_metric_fn functions[] = {
    {"demo_add", "i(ii)", (void (*)(void))add_i, "demo_add(a, b): a + b"},
    {"demo_twice", "I(I)", (void (*)(void))twice_big, "demo_twice(pence): doubled"},
    {"demo_half", "d(d)", (void (*)(void))half, NULL},
    {"demo_not", "b(b)", (void (*)(void))negate, "demo_not(flag): the opposite"},
    {"demo_greet", "s(si)", (void (*)(void))greet, "demo_greet(who, times): a greeting"},
    {"demo_checked", "i(i)", (void (*)(void))checked, "demo_checked(year): the year, if plausible"},
    {"demo_nothing", "v(s)", (void (*)(void))nothing, "demo_nothing(x): returns nothing"},
    {"demo_squares", "t(i)", (void (*)(void))squares, "demo_squares(n): a table of squares"},
    {"demo_sql", "I(sI)", (void (*)(void))run_sql, "demo_sql(sql, param): first column of the first row"},
    {"demo_bad_table", "t()", (void (*)(void))bad_table, "demo_bad_table(): fails without saying why"},
    {NULL, NULL, NULL, NULL},
};
static const struct omb_metric_ops ops = {functions};
OMB_PLUGIN_EXPORT const struct omb_plugin ombuds_plugin = {
    .abi_version = OMB_PLUGIN_ABI_VERSION, .struct_size = sizeof(struct omb_plugin), .kind = OMB_PLUGIN_METRIC,
    .name = "metric_demo", .version = "1", .description = "bridge test functions", .ops = &ops};
