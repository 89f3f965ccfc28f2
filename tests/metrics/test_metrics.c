/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_metrics.c -- the shipped metric plugins on a small store built by
 * hand (cases, improvements, payments, events about cases and about an
 * authority alone), where every figure can be worked out on paper: days to
 * comply, late and public-report counts, recurring themes, uphold rates
 * with and without population, unmatched improvements, coverage.  The
 * corpus-scale checks against truth.tsv are tests/metrics/metrics.sh.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../tap.h"
#include "case.h"
#include "ffi_bridge.h"
#include "store.h"

static omb_case *make(const char *ref, const char *auth, const char *date, const char *outcome, const char *category)
{
    omb_case *c = omb_case_new(1);
    omb_case_set(c, OMB_FIELD_REF, ref, 1);
    c->ref_written = strdup(ref);
    omb_case_set(c, OMB_FIELD_AUTHORITY, auth, 1);
    if (date) omb_case_set(c, OMB_FIELD_DECISION_DATE, date, 1);
    omb_case_set(c, OMB_FIELD_OUTCOME, outcome, 1);
    omb_case_set(c, OMB_FIELD_CATEGORY, category, 1);
    return c;
}

static void event(omb_case *c, const char *type, const char *date)
{
    struct omb_event ev = {strdup(type), strdup(date), strdup(date), strdup("as reported"), NULL, 1};
    omb_case_add_event(c, &ev);
}

static void improvement(omb_case *c, const char *text) { omb_case_add_improvement(c, text, strlen(text), 2); }

static void add(struct omb_sink *s, omb_case *c)
{
    s->cases = realloc(s->cases, (s->n_cases + 1) * sizeof *s->cases);
    s->cases[s->n_cases++] = c;
}

static int64_t cell_int(const omb_mtable *t, size_t r, const char *col)
{
    int c = omb_mtable_column(t, col);
    if (c < 0 || r >= t->n_rows) return -999;
    const struct omb_cell *x = omb_mtable_cell(t, r, c);
    return x->type == OMB_VALUE_INT ? x->i : x->type == OMB_VALUE_REAL ? (int64_t)llround(x->d * 1000) : -1;
}

static const char *cell_text(const omb_mtable *t, size_t r, const char *col)
{
    int c = omb_mtable_column(t, col);
    if (c < 0 || r >= t->n_rows) return "(no cell)";
    const struct omb_cell *x = omb_mtable_cell(t, r, c);
    return x->type == OMB_VALUE_TEXT ? x->s : "(not text)";
}

/* Calls a t(s) metric; returns the table (caller frees) or NULL. */
static omb_mtable *run(const omb_registry *reg, sqlite3 *db, const char *name, const char *arg)
{
    const struct omb_ffi_fn *f = omb_ffi_find(reg, name);
    union omb_ffi_arg a[1] = {{.s = arg}};
    struct omb_ffi_result r;
    char err[600];
    if (!f) {
        printf("# %s not loaded\n", name);
        return NULL;
    }
    if (omb_ffi_call(f, db, a, &r, err, sizeof err)) {
        printf("# %s\n", err);
        return NULL;
    }
    return r.table;
}

int main(void)
{
    char db_path[256], err[512], path[300];
    int result;
    omb_registry reg = {0};
    if (omb_registry_load(&reg, NULL) || !omb_ffi_find(&reg, "compliance")) {
        printf("1..0 # SKIP metric plugins not found on OMBUDS_PLUGIN_PATH\n");
        omb_registry_free(&reg);
        return 0;
    }
    snprintf(db_path, sizeof db_path, "/tmp/omb_test_metrics_%d.db", (int)getpid());
    omb_store *st;
    TAP_INT(omb_store_open(db_path, 0, &st, err, sizeof err), OMB_OK, "open a store");

    struct omb_sink s;
    omb_sink_init(&s, "", 0, "fixture", "test");
    omb_case *a = make("21 000 001", "Kent County Council", "2021-03-10", "upheld", "Education");
    improvement(a, "The Council will remind staff of its duty under section 19 of the Education Act 1996.");
    event(a, "recommendations agreed", "2021-03-20");
    event(a, "remedy carried out", "2021-05-19");
    omb_case_add_remedy(a, OMB_REMEDY_PAYMENT, 50000, "avoidable distress", "pay", 3, 3);
    add(&s, a);
    omb_case *b = make("23 000 002", "Kent County Council", "2023-06-01", "upheld", "Education");
    improvement(b, "The Council will review its procedures for children out of school.");
    event(b, "remedy late", "2023-09-01");
    event(b, "public report issued", "2023-10-05");
    add(&s, b);
    omb_case *c = make("23 000 003", "Kent County Council", "2023-01-15", "not upheld", "Housing");
    event(c, "remedy carried out", "2023-02-14");
    add(&s, c);
    omb_case *d = make("22 000 004", "Essex County Council", "2022-02-02", "upheld", "Education");
    improvement(d, "Train staff on complaint handling.");
    add(&s, d);
    omb_case *e = make("22 000 005", "Essex County Council", NULL, "upheld", "Education");
    improvement(e, "Something nobody wrote a rule for.");
    omb_case_add_remedy(e, OMB_REMEDY_PAYMENT, 1000, "", "pay", 3, 3);
    add(&s, e);
    s.authority_events = calloc(1, sizeof *s.authority_events);
    s.authority_events[0] = (struct omb_event){strdup("remedy late"), strdup("2022-05-05"), strdup("5 May 2022"),
                                               strdup("late"), strdup("Essex County Council"), 1};
    s.n_authority_events = 1;
    struct omb_doc_meta m = {"fixture", "ffff", "test", "1", 90, 100, NULL};
    TAP_INT(omb_store_write(st, &m, &s, &result, err, sizeof err), OMB_OK, "write the fixture: %s", err);
    omb_sink_clear(&s);
    sqlite3 *db = omb_store_db(st);

    omb_mtable *t = run(&reg, db, "compliance", NULL);
    TAP_OK(t && t->n_rows == 3, "compliance: three authority-years");
    if (t && t->n_rows == 3) {
        TAP_STR(cell_text(t, 0, "authority"), "Essex County Council", "row 1 is Essex");
        TAP_INT(cell_int(t, 0, "n_late"), 1, "Essex 2022: the authority-level late event counts");
        TAP_INT(cell_int(t, 1, "year"), 2021, "Kent 2021");
        TAP_INT(cell_int(t, 1, "n_complied"), 1, "Kent 2021: one compliance");
        TAP_INT(cell_int(t, 1, "max_days"), 60, "Kent 2021: 60 days from agreement (20 Mar) to 19 May");
        TAP_INT(cell_int(t, 2, "n_events"), 3, "Kent 2023: three events");
        TAP_INT(cell_int(t, 2, "n_late"), 1, "Kent 2023: one late");
        TAP_INT(cell_int(t, 2, "n_public_reports"), 1, "Kent 2023: one public report");
        TAP_INT(cell_int(t, 2, "mean_days"), 30000, "Kent 2023: 30 days from the decision (no agreement date)");
        TAP_INT(t->cov[0].used, 3, "coverage: three cases with events");
    }
    omb_mtable_free(t);
    t = run(&reg, db, "compliance_events", "Essex County Council");
    TAP_OK(t && t->n_rows == 1 && !strcmp(cell_text(t, 0, "class"), "late"), "compliance_events filters and classes");
    omb_mtable_free(t);

    t = run(&reg, db, "repeat_findings", NULL);
    TAP_OK(t && t->n_rows == 1, "repeat_findings: one recurring theme");
    if (t && t->n_rows == 1) {
        TAP_STR(cell_text(t, 0, "theme"), "section 19 alternative provision", "the section 19 lesson recurs at Kent");
        TAP_STR(cell_text(t, 0, "years"), "2021, 2023", "in 2021 and 2023");
        TAP_STR(cell_text(t, 0, "cases"), "21 000 001 (2021-03-10); 23 000 002 (2023-06-01)", "with refs and dates");
        TAP_INT(t->cov[0].used, 3, "coverage: three cases with improvements, dates and authorities");
        TAP_INT(t->cov[0].lacking, 1, "one lacks a decision date");
        TAP_INT(t->n_cov, 2, "coverage broken down: no decision date, no authority");
        TAP_INT(t->n_cov == 2 ? t->cov[1].lacking : -1, 0, "none lacks only an authority");
    }
    omb_mtable_free(t);

    t = run(&reg, db, "improvement_unmatched", NULL);
    TAP_OK(t && t->n_rows == 1 && !strcmp(cell_text(t, 0, "missing"), "action, subject"),
           "the unclassifiable improvement is reported");
    omb_mtable_free(t);
    t = run(&reg, db, "improvement_themes", NULL);
    int found = 0;
    for (size_t r = 0; t && r < t->n_rows; r++)
        if (!strcmp(cell_text(t, r, "kind"), "reference") &&
            !strcmp(cell_text(t, r, "theme"), "section 19 of the Education Act 1996"))
            found = 1;
    TAP_OK(found, "improvement_themes picks out the statutory reference");
    omb_mtable_free(t);
    t = run(&reg, db, "improvement_themes", "nonsense");
    TAP_OK(t == NULL, "an unknown grouping is an error");

    t = run(&reg, db, "uphold_rate", "authority");
    TAP_OK(t && t->n_rows == 3, "uphold_rate by authority: Essex 2022, Kent 2021, Kent 2023");
    if (t && t->n_rows == 3) {
        TAP_INT(cell_int(t, 2, "n_decided"), 2, "Kent 2023: two decided");
        TAP_INT(cell_int(t, 2, "uphold_rate"), 500, "Kent 2023: half upheld");
        TAP_INT(cell_int(t, 2, "upheld_per_100k"), -1, "no population: NULL");
        TAP_INT(t->cov[0].lacking, 1, "one case lacks a date");
    }
    omb_mtable_free(t);
    sqlite3_exec(db, "INSERT INTO authority_population(authority, population) VALUES ('Kent County Council', 1000000)",
                 NULL, NULL, NULL);
    t = run(&reg, db, "uphold_rate", "authority");
    TAP_INT(t ? cell_int(t, 2, "upheld_per_100k") : -2, 100, "with population: 1 upheld per 1,000,000 = 0.1 per 100k");
    omb_mtable_free(t);

    t = run(&reg, db, "remedy_per_category", "purpose");
    TAP_OK(t && t->n_rows == 2, "by purpose: the undated payment in a row of its own");
    if (t && t->n_rows == 2) {
        TAP_STR(cell_text(t, 0, "purpose"), "(unspecified)", "a payment with no purpose");
        TAP_INT(cell_int(t, 0, "year"), -1, "has no year");
        TAP_INT(cell_int(t, 1, "total_pence"), 50000, "the avoidable distress payment of 2021");
        TAP_INT(t->cov[0].lacking, 3, "coverage: three cases without a payment");
    }
    omb_mtable_free(t);

    omb_store_close(st);
    omb_registry_free(&reg);
    for (int k = 0; k < 3; k++) {
        snprintf(path, sizeof path, "%s%s", db_path, k == 0 ? "" : k == 1 ? "-wal" : "-shm");
        unlink(path);
    }
    return tap_done();
}
