/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * repeat_findings.c -- metric plugin: "did the lesson stick?"  For each
 * authority, the subjects and statutory references of service improvements
 * that recur in different cases decided in different years, with the case
 * references and dates: the same council agreeing again to fix the same
 * thing.  Themes come from the improvement_themes classifier (themes.c,
 * compiled into this plugin too) and its rules file.  See docs/metrics.md.
 */
#include <ombuds/plugin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "themes.h"

struct tup {
    char *authority, *theme, *ref, *date; /* date: ISO decision date */
    int kind;
    int year;
    int64_t case_id;
};

struct work {
    omb_call *ctx;
    const struct themes *rules;
    struct tup *t;
    size_t n, cap;
    int64_t last_used, used, last_lacking, lacking_date, lacking_authority;
};

static char *dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

static int add(struct work *w, const char *auth, int kind, const char *theme, const char *ref, const char *date,
               int year, int64_t case_id)
{
    if (w->n == w->cap) {
        size_t ncap = w->cap ? w->cap * 2 : 256;
        struct tup *p = realloc(w->t, ncap * sizeof *p);
        if (!p) return w->ctx->host->call_error(w->ctx, "out of memory");
        w->t = p;
        w->cap = ncap;
    }
    struct tup *t = &w->t[w->n];
    t->authority = dup(auth), t->theme = dup(theme), t->ref = dup(ref), t->date = dup(date);
    t->kind = kind, t->year = year, t->case_id = case_id;
    if (!t->authority || !t->theme || !t->ref || !t->date) {
        free(t->authority), free(t->theme), free(t->ref), free(t->date);
        return w->ctx->host->call_error(w->ctx, "out of memory");
    }
    w->n++;
    return OMB_OK;
}

enum { Q_TEXT, Q_CASE, Q_REF, Q_AUTHORITY, Q_YEAR, Q_DATE };

static int row(void *ud, int n, const struct omb_value *v, const char *const *names)
{
    struct work *w = ud;
    (void)n;
    (void)names;
    int64_t id = v[Q_CASE].i;
    if (v[Q_AUTHORITY].type != OMB_VALUE_TEXT || v[Q_YEAR].type != OMB_VALUE_INT || v[Q_DATE].type != OMB_VALUE_TEXT) {
        /* one reason per case, so the reasons add up: no date first */
        if (w->last_lacking != id) {
            if (v[Q_YEAR].type != OMB_VALUE_INT || v[Q_DATE].type != OMB_VALUE_TEXT) w->lacking_date++;
            else w->lacking_authority++;
            w->last_lacking = id;
        }
        return OMB_OK;
    }
    if (w->last_used != id) w->used++, w->last_used = id;
    const char *text = v[Q_TEXT].s, *found[THEMES_MAX_MATCH];
    int rc, m = themes_match(w->rules, THEME_SUBJECT, text, found, THEMES_MAX_MATCH);
    for (int k = 0; k < m; k++)
        if ((rc = add(w, v[Q_AUTHORITY].s, THEME_SUBJECT, found[k], v[Q_REF].s, v[Q_DATE].s, (int)v[Q_YEAR].i, id)))
            return rc;
    char refs[8][THEMES_REF_LEN];
    m = themes_refs(text, refs, 8);
    for (int k = 0; k < m; k++)
        if ((rc = add(w, v[Q_AUTHORITY].s, THEME_REFERENCE, refs[k], v[Q_REF].s, v[Q_DATE].s, (int)v[Q_YEAR].i, id)))
            return rc;
    return OMB_OK;
}

static int cmp_tup(const void *a, const void *b)
{
    const struct tup *x = a, *y = b;
    int c = strcmp(x->authority, y->authority);
    if (!c) c = x->kind - y->kind;
    if (!c) c = strcmp(x->theme, y->theme);
    if (!c) c = strcmp(x->date, y->date);
    if (!c) c = (x->case_id > y->case_id) - (x->case_id < y->case_id);
    return c;
}

/* Appends to a growing text; returns 0 when out of memory. */
static int append(char **buf, size_t *len, size_t *cap, const char *s)
{
    size_t n = strlen(s);
    if (*len + n + 1 > *cap) {
        size_t ncap = (*cap ? *cap * 2 : 128) + n;
        char *p = realloc(*buf, ncap);
        if (!p) return 0;
        *buf = p;
        *cap = ncap;
    }
    memcpy(*buf + *len, s, n + 1);
    *len += n;
    return 1;
}

static int repeat_findings(omb_call *ctx, const char *authority)
{
    const struct omb_host *h = ctx->host;
    struct work w = {ctx, themes_get(ctx), NULL, 0, 0, -1, 0, -1, 0, 0};
    char *years = NULL, *cases = NULL;
    size_t yl = 0, yc = 0, cl = 0, cc = 0;
    int rc;
    int64_t n_rows = 0;
    if (!w.rules) return OMB_EINVAL;
    struct omb_value p = authority ? OMB_TEXT(authority) : OMB_NULL;
    rc = h->query(ctx,
                  "SELECT i.text, c.id, coalesce(c.ref, '(unreferenced)'), c.authority, c.year, c.decision_date"
                  " FROM case_improvements i JOIN cases c ON c.id = i.case_id"
                  " WHERE ?1 IS NULL OR c.authority = ?1 COLLATE NOCASE ORDER BY c.id, i.line, i.id",
                  &p, 1, row, &w);
    if (rc) goto done;
    if (w.n) qsort(w.t, w.n, sizeof *w.t, cmp_tup);
    if ((rc = h->table_column(ctx, "authority", OMB_VALUE_TEXT)) || (rc = h->table_column(ctx, "kind", OMB_VALUE_TEXT)) ||
        (rc = h->table_column(ctx, "theme", OMB_VALUE_TEXT)) ||
        (rc = h->table_column(ctx, "n_cases", OMB_VALUE_INT | OMB_COLUMN_CHART)) ||
        (rc = h->table_column(ctx, "n_years", OMB_VALUE_INT)) || (rc = h->table_column(ctx, "years", OMB_VALUE_TEXT)) ||
        (rc = h->table_column(ctx, "first_decided", OMB_VALUE_TEXT)) ||
        (rc = h->table_column(ctx, "last_decided", OMB_VALUE_TEXT)) ||
        (rc = h->table_column(ctx, "cases", OMB_VALUE_TEXT)))
        goto done;
    for (size_t a = 0; a < w.n;) {
        size_t b = a;
        while (b < w.n && !strcmp(w.t[b].authority, w.t[a].authority) && w.t[b].kind == w.t[a].kind &&
               !strcmp(w.t[b].theme, w.t[a].theme))
            b++;
        /* sorted by date: distinct cases and years by scanning once */
        int64_t n_cases = 0, n_years = 0;
        yl = cl = 0;
        if (years) years[0] = '\0';
        if (cases) cases[0] = '\0';
        int ok = 1;
        for (size_t k = a; k < b && ok; k++) {
            int new_case = 1;
            for (size_t j = a; j < k && new_case; j++) new_case = w.t[j].case_id != w.t[k].case_id;
            if (!new_case) continue;
            n_cases++;
            char item[160];
            snprintf(item, sizeof item, "%s%s (%s)", n_cases > 1 ? "; " : "", w.t[k].ref, w.t[k].date);
            ok = append(&cases, &cl, &cc, item);
            int new_year = 1;
            for (size_t j = a; j < k && new_year; j++) new_year = w.t[j].year != w.t[k].year;
            if (new_year) {
                n_years++;
                snprintf(item, sizeof item, "%s%d", n_years > 1 ? ", " : "", w.t[k].year);
                ok = ok && append(&years, &yl, &yc, item);
            }
        }
        if (!ok) {
            rc = h->call_error(ctx, "out of memory");
            goto done;
        }
        if (n_cases >= 2 && n_years >= 2) {
            struct omb_value cells[9] = {
                OMB_TEXT(w.t[a].authority), OMB_TEXT(themes_kind_name(w.t[a].kind)), OMB_TEXT(w.t[a].theme),
                OMB_INT(n_cases),           OMB_INT(n_years),                       OMB_TEXT(years),
                OMB_TEXT(w.t[a].date),      OMB_TEXT(w.t[b - 1].date),              OMB_TEXT(cases),
            };
            if ((rc = h->table_add_row(ctx, cells))) goto done;
            n_rows++;
        }
        a = b;
    }
    if ((rc = h->coverage(ctx, w.used, w.lacking_date, "a decision date (among cases with improvements)")) ||
        (rc = h->coverage(ctx, w.used, w.lacking_authority, "an authority (among cases with improvements)")))
        goto done;
    rc = h->note(ctx, "a theme is listed when it recurs in at least two cases decided in at least two different years; "
                      "%lld found",
                 (long long)n_rows);
done:
    free(years);
    free(cases);
    for (size_t k = 0; k < w.n; k++) free(w.t[k].authority), free(w.t[k].theme), free(w.t[k].ref), free(w.t[k].date);
    free(w.t);
    return rc;
}

static const struct omb_metric_fn functions[] = {
    {"repeat_findings", "t(s)", (void (*)(void))repeat_findings,
     "repeat_findings(authority): per authority, improvement subjects and statutory references that recur in "
     "different cases in different years, with references and dates; authority = one (default: all)"},
    {NULL, NULL, NULL, NULL},
};

static const struct omb_metric_ops ops = {.functions = functions};

OMB_PLUGIN_EXPORT const struct omb_plugin ombuds_plugin = {
    .abi_version = OMB_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(struct omb_plugin),
    .kind = OMB_PLUGIN_METRIC,
    .name = "repeat_findings",
    .version = "1.0",
    .description = "Improvement themes an authority agreed to again in later years: did the lesson stick?",
    .ops = &ops,
};
