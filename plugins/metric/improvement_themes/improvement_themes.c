/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * improvement_themes.c -- metric plugin: what councils agreed to change.
 * Classifies each service improvement by action (reminder to staff,
 * training, procedure review, policy change, action plan, report to
 * members, evidence to the ombudsman) and by subject (section 19 alternative
 * provision, EHC plan timescales, complaint handling, ...) with the rules of
 * data/improvement_themes.tsv, picks out statutory references, and counts
 * them overall or by year, category or authority.  improvement_unmatched
 * lists what no rule matched, so the rules can be extended.  The classifier
 * is themes.c (shared with repeat_findings).  See docs/metrics.md.
 */
#include <ombuds/metric.h>
#include <ombuds/plugin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "themes.h"

#define UNMATCHED "(matched nothing)"

/* One improvement counted under one theme. */
struct tup {
    char *group;     /* by-value, "" when not grouping */
    int kind;        /* enum theme_kind */
    char *theme;
    char *authority; /* "" when unknown */
    int64_t case_id;
    int year;        /* 0 when unknown */
};

struct work {
    omb_call *ctx;
    const struct themes *rules;
    int by_col;      /* query column of the grouping, or -1 */
    struct tup *t;
    size_t n, cap;
    int64_t n_improvements, unmatched[2];
    int64_t last_case, cases_used, last_lacking, cases_lacking;
    int64_t used_undated, used_no_authority; /* of the cases used */
};

static char *dup(const char *s)
{
    size_t n = strlen(s ? s : "") + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s ? s : "", n);
    return d;
}

static int add_tup(struct work *w, const char *group, int kind, const char *theme, const char *authority,
                   int64_t case_id, int year)
{
    if (w->n == w->cap) {
        size_t ncap = w->cap ? w->cap * 2 : 256;
        struct tup *p = realloc(w->t, ncap * sizeof *p);
        if (!p) return w->ctx->host->call_error(w->ctx, "out of memory");
        w->t = p;
        w->cap = ncap;
    }
    struct tup *t = &w->t[w->n];
    t->group = dup(group);
    t->theme = dup(theme);
    t->authority = dup(authority);
    t->kind = kind;
    t->case_id = case_id;
    t->year = year;
    if (!t->group || !t->theme || !t->authority) {
        free(t->group), free(t->theme), free(t->authority);
        return w->ctx->host->call_error(w->ctx, "out of memory");
    }
    w->n++;
    return OMB_OK;
}

static void work_free(struct work *w)
{
    for (size_t k = 0; k < w->n; k++) free(w->t[k].group), free(w->t[k].theme), free(w->t[k].authority);
    free(w->t);
}

/* Columns of IMPROVEMENTS_SQL. */
enum { Q_TEXT, Q_CASE, Q_REF, Q_AUTHORITY, Q_CATEGORY, Q_YEAR, Q_DATE };
#define IMPROVEMENTS_SQL                                                                                               \
    "SELECT i.text, c.id, coalesce(c.ref, '(unreferenced)'), c.authority, c.category, c.year, c.decision_date"         \
    " FROM case_improvements i JOIN cases c ON c.id = i.case_id ORDER BY c.id, i.line, i.id"

static const char *text_of(const struct omb_value *v) { return v->type == OMB_VALUE_TEXT ? v->s : NULL; }

static int classify_row(void *ud, int n, const struct omb_value *v, const char *const *names)
{
    struct work *w = ud;
    char group[32];
    const char *g = "";
    (void)n;
    (void)names;
    int64_t case_id = v[Q_CASE].i;
    if (w->by_col == Q_YEAR) {
        if (v[Q_YEAR].type != OMB_VALUE_INT) g = NULL;
        else snprintf(group, sizeof group, "%lld", (long long)v[Q_YEAR].i), g = group;
    } else if (w->by_col >= 0) {
        g = text_of(&v[w->by_col]);
    }
    if (!g) {
        if (w->last_lacking != case_id) w->cases_lacking++, w->last_lacking = case_id;
        return OMB_OK;
    }
    if (w->last_case != case_id) {
        w->cases_used++, w->last_case = case_id;
        w->used_undated += v[Q_YEAR].type != OMB_VALUE_INT;
        w->used_no_authority += v[Q_AUTHORITY].type != OMB_VALUE_TEXT;
    }
    w->n_improvements++;
    const char *text = text_of(&v[Q_TEXT]), *auth = text_of(&v[Q_AUTHORITY]);
    int year = v[Q_YEAR].type == OMB_VALUE_INT ? (int)v[Q_YEAR].i : 0;
    const char *found[THEMES_MAX_MATCH];
    int rc;
    for (int kind = THEME_ACTION; kind <= THEME_SUBJECT; kind++) {
        int m = themes_match(w->rules, kind, text, found, THEMES_MAX_MATCH);
        if (!m) {
            w->unmatched[kind]++;
            if ((rc = add_tup(w, g, kind, UNMATCHED, auth, case_id, year))) return rc;
        }
        for (int k = 0; k < m; k++)
            if ((rc = add_tup(w, g, kind, found[k], auth, case_id, year))) return rc;
    }
    char refs[8][THEMES_REF_LEN];
    int m = themes_refs(text, refs, 8);
    for (int k = 0; k < m; k++)
        if ((rc = add_tup(w, g, THEME_REFERENCE, refs[k], auth, case_id, year))) return rc;
    return OMB_OK;
}

static int cmp_tup(const void *a, const void *b)
{
    const struct tup *x = a, *y = b;
    int c = strcmp(x->group, y->group);
    if (!c) c = x->kind - y->kind;
    if (!c) c = strcmp(x->theme, y->theme);
    if (!c) c = strcmp(x->authority, y->authority);
    if (!c) c = (x->case_id > y->case_id) - (x->case_id < y->case_id);
    return c;
}

/* One output row before sorting by count. */
struct agg {
    const char *group, *theme;
    int kind;
    int64_t n, cases, authorities;
    int first, last;
};

static int cmp_agg(const void *a, const void *b)
{
    const struct agg *x = a, *y = b;
    int c = strcmp(x->group, y->group);
    if (!c) c = x->kind - y->kind;
    if (!c) c = !strcmp(x->theme, UNMATCHED) - !strcmp(y->theme, UNMATCHED); /* unmatched last */
    if (!c) c = (x->n < y->n) - (x->n > y->n);
    if (!c) c = strcmp(x->theme, y->theme);
    return c;
}

static int improvement_themes(omb_call *ctx, const char *by)
{
    const struct omb_host *h = ctx->host;
    struct work w = {ctx, themes_get(ctx), -1, NULL, 0, 0, 0, {0, 0}, -1, 0, -1, 0, 0, 0};
    struct agg *ag = NULL;
    size_t n_ag = 0;
    const char *gcol = NULL;
    int rc;
    if (!w.rules) return OMB_EINVAL;
    if (by && *by) {
        if (!strcmp(by, "year")) w.by_col = Q_YEAR, gcol = "year";
        else if (!strcmp(by, "category")) w.by_col = Q_CATEGORY, gcol = "category";
        else if (!strcmp(by, "authority")) w.by_col = Q_AUTHORITY, gcol = "authority";
        else return h->call_error(ctx, "cannot group by \"%s\"; expected year, category or authority (or nothing)", by);
    }
    if ((rc = h->query(ctx, IMPROVEMENTS_SQL, NULL, 0, classify_row, &w))) goto done;
    if (w.n) qsort(w.t, w.n, sizeof *w.t, cmp_tup);
    if (!(ag = calloc(w.n + 1, sizeof *ag))) {
        rc = h->call_error(ctx, "out of memory");
        goto done;
    }
    for (size_t a = 0; a < w.n;) {
        size_t b = a;
        struct agg *x = &ag[n_ag++];
        x->group = w.t[a].group;
        x->theme = w.t[a].theme;
        x->kind = w.t[a].kind;
        x->first = x->last = 0;
        for (; b < w.n && !strcmp(w.t[b].group, w.t[a].group) && w.t[b].kind == w.t[a].kind &&
               !strcmp(w.t[b].theme, w.t[a].theme);
             b++) {
            const struct tup *t = &w.t[b];
            x->n++;
            /* sorted by authority then case: a change of either is a new case */
            if (b == a || t->case_id != w.t[b - 1].case_id) x->cases++;
            if (b == a || strcmp(t->authority, w.t[b - 1].authority)) x->authorities += *t->authority != 0;
            if (t->year && (!x->first || t->year < x->first)) x->first = t->year;
            if (t->year > x->last) x->last = t->year;
        }
        a = b;
    }
    if (n_ag) qsort(ag, n_ag, sizeof *ag, cmp_agg);
    if ((gcol && (rc = h->table_column(ctx, gcol, !strcmp(gcol, "year") ? OMB_VALUE_INT : OMB_VALUE_TEXT))) ||
        (rc = h->table_column(ctx, "kind", OMB_VALUE_TEXT)) || (rc = h->table_column(ctx, "theme", OMB_VALUE_TEXT)) ||
        (rc = h->table_column(ctx, "n_improvements", OMB_VALUE_INT | OMB_COLUMN_CHART)) ||
        (rc = h->table_column(ctx, "n_cases", OMB_VALUE_INT)) ||
        (rc = h->table_column(ctx, "n_authorities", OMB_VALUE_INT)) ||
        (rc = h->table_column(ctx, "first_year", OMB_VALUE_INT)) ||
        (rc = h->table_column(ctx, "last_year", OMB_VALUE_INT)))
        goto done;
    for (size_t k = 0; k < n_ag; k++) {
        struct omb_value cells[8];
        int c = 0;
        if (gcol) cells[c++] = !strcmp(gcol, "year") ? OMB_INT(atoi(ag[k].group)) : OMB_TEXT(ag[k].group);
        cells[c++] = OMB_TEXT(themes_kind_name(ag[k].kind));
        cells[c++] = OMB_TEXT(ag[k].theme);
        cells[c++] = OMB_INT(ag[k].n);
        cells[c++] = OMB_INT(ag[k].cases);
        cells[c++] = OMB_INT(ag[k].authorities);
        cells[c++] = ag[k].first ? OMB_INT(ag[k].first) : OMB_NULL;
        cells[c++] = ag[k].last ? OMB_INT(ag[k].last) : OMB_NULL;
        if ((rc = h->table_add_row(ctx, cells))) goto done;
    }
    struct omb_counts all = {{0, 0}};
    if ((rc = h->query(ctx, "SELECT count(*) FROM cases", NULL, 0, omb_get_counts, &all))) goto done;
    /* each reason on its own (docs/metrics.md): a case with no improvement
     * is left out first; one with improvements but no group field, second */
    int64_t without = all.v[0] - w.cases_used - w.cases_lacking;
    if ((rc = h->coverage(ctx, w.cases_used, without, "a service improvement"))) goto done;
    if (gcol) {
        const char *what = !strcmp(gcol, "year")       ? "a decision date (among cases with improvements)"
                           : !strcmp(gcol, "category") ? "a category (among cases with improvements)"
                                                       : "an authority (among cases with improvements)";
        if ((rc = h->coverage(ctx, w.cases_used, w.cases_lacking, what))) goto done;
    }
    /* cases counted that lack a date or an authority are in the counts but
     * not in first_year/last_year or n_authorities: say how many */
    if ((w.by_col != Q_YEAR && w.used_undated) || (w.by_col != Q_AUTHORITY && w.used_no_authority)) {
        char a[96] = "", b[96] = "";
        if (w.by_col != Q_YEAR && w.used_undated)
            snprintf(a, sizeof a, "%lld without a decision date (in no first_year or last_year)",
                     (long long)w.used_undated);
        if (w.by_col != Q_AUTHORITY && w.used_no_authority)
            snprintf(b, sizeof b, "%lld without an authority (in no n_authorities)", (long long)w.used_no_authority);
        if ((rc = h->note(ctx, "of the cases counted, %s%s%s", a, *a && *b ? "; " : "", b))) goto done;
    }
    rc = h->note(ctx,
                 "%lld improvement%s classified; %lld matched no action rule, %lld no subject rule "
                 "(ombuds metric improvement_unmatched lists them; extend data/improvement_themes.tsv)",
                 (long long)w.n_improvements, w.n_improvements == 1 ? "" : "s", (long long)w.unmatched[0],
                 (long long)w.unmatched[1]);
done:
    free(ag);
    work_free(&w);
    return rc;
}

/* ---- listing each improvement ---------------------------------------------------- */

struct list {
    omb_call *ctx;
    const struct themes *rules;
    const char *authority; /* filter, or NULL */
    int want;              /* improvement_unmatched: bit 1 action, bit 2 subject; 0 = classified list */
};

static int list_row(void *ud, int n, const struct omb_value *v, const char *const *names)
{
    struct list *l = ud;
    (void)n;
    (void)names;
    const char *text = text_of(&v[Q_TEXT]);
    const char *found[THEMES_MAX_MATCH];
    char actions[600], subjects[600], refs_s[600], missing[32];
    int na = themes_match(l->rules, THEME_ACTION, text, found, THEMES_MAX_MATCH);
    const char *a = themes_join(found, na, actions, sizeof actions);
    int ns = themes_match(l->rules, THEME_SUBJECT, text, found, THEMES_MAX_MATCH);
    const char *s = themes_join(found, ns, subjects, sizeof subjects);
    struct omb_value cells[7];
    int c = 0;
    cells[c++] = v[Q_REF];
    cells[c++] = v[Q_AUTHORITY];
    cells[c++] = v[Q_YEAR];
    if (l->want) {
        int miss = (!na && (l->want & 1) ? 1 : 0) | (!ns && (l->want & 2) ? 2 : 0);
        if (!miss) return OMB_OK;
        snprintf(missing, sizeof missing, "%s", miss == 3 ? "action, subject" : miss == 1 ? "action" : "subject");
        cells[c++] = OMB_TEXT(missing);
    } else {
        char refs[8][THEMES_REF_LEN];
        const char *rp[8];
        int nr = themes_refs(text, refs, 8);
        for (int k = 0; k < nr; k++) rp[k] = refs[k];
        cells[c++] = a ? OMB_TEXT(a) : OMB_NULL;
        cells[c++] = s ? OMB_TEXT(s) : OMB_NULL;
        const char *r = themes_join(rp, nr, refs_s, sizeof refs_s);
        cells[c++] = r ? OMB_TEXT(r) : OMB_NULL;
    }
    cells[c++] = v[Q_TEXT];
    return l->ctx->host->table_add_row(l->ctx, cells);
}

static int run_list(omb_call *ctx, struct list *l)
{
    const struct omb_host *h = ctx->host;
    int rc;
    if (!l->rules) return OMB_EINVAL;
    if ((rc = h->table_column(ctx, "ref", OMB_VALUE_TEXT)) || (rc = h->table_column(ctx, "authority", OMB_VALUE_TEXT)) ||
        (rc = h->table_column(ctx, "year", OMB_VALUE_INT)))
        return rc;
    if (l->want) {
        if ((rc = h->table_column(ctx, "missing", OMB_VALUE_TEXT))) return rc;
    } else if ((rc = h->table_column(ctx, "actions", OMB_VALUE_TEXT)) ||
               (rc = h->table_column(ctx, "subjects", OMB_VALUE_TEXT)) ||
               (rc = h->table_column(ctx, "references", OMB_VALUE_TEXT))) {
        return rc;
    }
    if ((rc = h->table_column(ctx, "text", OMB_VALUE_TEXT))) return rc;
    struct omb_value p = l->authority ? OMB_TEXT(l->authority) : OMB_NULL;
    return h->query(ctx,
                    "SELECT i.text, c.id, coalesce(c.ref, '(unreferenced)'), c.authority, c.category, c.year,"
                    " c.decision_date FROM case_improvements i JOIN cases c ON c.id = i.case_id"
                    " WHERE ?1 IS NULL OR c.authority = ?1 COLLATE NOCASE ORDER BY c.authority, c.decision_date, c.id,"
                    " i.line, i.id",
                    &p, 1, list_row, l);
}

static int improvement_unmatched(omb_call *ctx, const char *kind)
{
    struct list l = {ctx, themes_get(ctx), NULL, 3};
    if (kind && !strcmp(kind, "action")) l.want = 1;
    else if (kind && !strcmp(kind, "subject")) l.want = 2;
    else if (kind && *kind) return ctx->host->call_error(ctx, "kind \"%s\": expected action or subject (or nothing)", kind);
    return run_list(ctx, &l);
}

static int improvements_classified(omb_call *ctx, const char *authority)
{
    struct list l = {ctx, themes_get(ctx), authority, 0};
    return run_list(ctx, &l);
}

/* ---- scalars for SQL and Lua ------------------------------------------------------ */

static const char *classify_one(omb_call *ctx, const char *text, int kind)
{
    const struct themes *t = themes_get(ctx);
    const char *found[THEMES_MAX_MATCH];
    char buf[600];
    if (!t || !text) return NULL;
    int m = themes_match(t, kind, text, found, THEMES_MAX_MATCH);
    const char *j = themes_join(found, m, buf, sizeof buf);
    return j ? ctx->host->call_format(ctx, "%s", j) : NULL;
}

static const char *improvement_action(omb_call *ctx, const char *text)
{
    return classify_one(ctx, text, THEME_ACTION);
}

static const char *improvement_subject(omb_call *ctx, const char *text)
{
    return classify_one(ctx, text, THEME_SUBJECT);
}

static const char *statutory_refs(omb_call *ctx, const char *text)
{
    char refs[8][THEMES_REF_LEN], buf[900];
    const char *rp[8];
    int n = themes_refs(text, refs, 8);
    for (int k = 0; k < n; k++) rp[k] = refs[k];
    const char *j = themes_join(rp, n, buf, sizeof buf);
    return j ? ctx->host->call_format(ctx, "%s", j) : NULL;
}

static const struct omb_metric_fn functions[] = {
    {"improvement_themes", "t(s)", (void (*)(void))improvement_themes,
     "improvement_themes(by): service improvements counted by action, subject and statutory reference; by = "
     "nothing (default), year, category or authority"},
    {"improvement_unmatched", "t(s)", (void (*)(void))improvement_unmatched,
     "improvement_unmatched(kind): improvements no rule classified; kind = action, subject or nothing (either)"},
    {"improvements_classified", "t(s)", (void (*)(void))improvements_classified,
     "improvements_classified(authority): each improvement with its actions, subjects and references"},
    {"improvement_action", "s(s)", (void (*)(void))improvement_action,
     "improvement_action(text): the action themes of a text, '; '-separated, or NULL"},
    {"improvement_subject", "s(s)", (void (*)(void))improvement_subject,
     "improvement_subject(text): the subject themes of a text, '; '-separated, or NULL"},
    {"statutory_refs", "s(s)", (void (*)(void))statutory_refs,
     "statutory_refs(text): statutory references in a text, e.g. 'section 19 of the Education Act 1996'"},
    {NULL, NULL, NULL, NULL},
};

static const struct omb_metric_ops ops = {.functions = functions};

OMB_PLUGIN_EXPORT const struct omb_plugin ombuds_plugin = {
    .abi_version = OMB_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(struct omb_plugin),
    .kind = OMB_PLUGIN_METRIC,
    .name = "improvement_themes",
    .version = "1.0",
    .description = "Service improvements by action, subject and statutory reference (rules in a data file)",
    .ops = &ops,
};
