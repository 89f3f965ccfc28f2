/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * metric_table.c -- result tables of table-valued metrics (metric_table.h).
 * To print one we load it into a private in-memory SQLite database and hand
 * the SELECT to output.c: a metric then prints, exports and pages exactly
 * like `ombuds sql`, and there is one renderer to keep right, not two.
 * Building the call is ffi_bridge.c; drawing charts is chart.c.
 */
#define _GNU_SOURCE
#include "metric_table.h"

#include <assert.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

static char *dupstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

omb_mtable *omb_mtable_new(void)
{
    omb_mtable *t = calloc(1, sizeof *t);
    if (t) t->chart_col = -1;
    return t;
}

void omb_mtable_free(omb_mtable *t)
{
    if (!t) return;
    for (size_t k = 0; k < t->n_rows * (size_t)t->n_cols; k++) free(t->cells[k].s);
    free(t->cells);
    for (int c = 0; c < t->n_cols; c++) free(t->names[c]);
    free(t->names);
    free(t->types);
    for (size_t k = 0; k < t->n_notes; k++) free(t->notes[k]);
    free(t->notes);
    for (size_t k = 0; k < t->n_cov; k++) free(t->cov[k].what);
    free(t->cov);
    free(t);
}

int omb_mtable_column(const omb_mtable *t, const char *name)
{
    for (int c = 0; c < t->n_cols; c++)
        if (!strcmp(t->names[c], name)) return c;
    return -1;
}

int omb_mtable_add_column(omb_mtable *t, const char *name, int type, char *err, size_t cap)
{
    int base = type & 0xff;
    if (t->n_rows) {
        snprintf(err, cap, "column \"%s\" declared after the first row; declare every column first", name ? name : "");
        return OMB_EINVAL;
    }
    if (!name || !*name) {
        snprintf(err, cap, "a column needs a name");
        return OMB_EINVAL;
    }
    if (omb_mtable_column(t, name) >= 0) {
        snprintf(err, cap, "column \"%s\" declared twice", name);
        return OMB_EINVAL;
    }
    if (base < OMB_VALUE_NULL || base > OMB_VALUE_TEXT) {
        snprintf(err, cap, "column \"%s\": unknown type %d (expected OMB_VALUE_INT, _REAL or _TEXT)", name, type);
        return OMB_EINVAL;
    }
    char **names = realloc(t->names, ((size_t)t->n_cols + 1) * sizeof *names);
    if (!names) return OMB_ENOMEM;
    t->names = names;
    int *types = realloc(t->types, ((size_t)t->n_cols + 1) * sizeof *types);
    if (!types) return OMB_ENOMEM;
    t->types = types;
    if (!(t->names[t->n_cols] = dupstr(name))) return OMB_ENOMEM;
    t->types[t->n_cols] = base;
    if ((type & OMB_COLUMN_CHART) && t->chart_col < 0) t->chart_col = t->n_cols;
    t->n_cols++;
    return OMB_OK;
}

int omb_mtable_add_row(omb_mtable *t, const struct omb_value *v)
{
    if (t->n_cols == 0) return OMB_EINVAL;
    if (t->n_rows == t->cap_rows) {
        size_t ncap = t->cap_rows ? t->cap_rows * 2 : 32;
        struct omb_cell *p = realloc(t->cells, ncap * (size_t)t->n_cols * sizeof *p);
        if (!p) return OMB_ENOMEM;
        t->cells = p;
        t->cap_rows = ncap;
    }
    struct omb_cell *row = t->cells + t->n_rows * (size_t)t->n_cols;
    for (int c = 0; c < t->n_cols; c++) {
        row[c] = (struct omb_cell){OMB_VALUE_NULL, 0, 0.0, NULL};
        switch (v[c].type) {
        case OMB_VALUE_INT: row[c].type = OMB_VALUE_INT, row[c].i = v[c].i; break;
        case OMB_VALUE_REAL:
            /* NaN means "no figure": store it as NULL, as SQLite would */
            if (v[c].d == v[c].d) row[c].type = OMB_VALUE_REAL, row[c].d = v[c].d;
            break;
        case OMB_VALUE_TEXT:
            if (!v[c].s) break;
            if (!(row[c].s = dupstr(v[c].s))) {
                for (int k = 0; k < c; k++) free(row[k].s);
                return OMB_ENOMEM;
            }
            row[c].type = OMB_VALUE_TEXT;
            break;
        default: break;
        }
    }
    t->n_rows++;
    return OMB_OK;
}

int omb_mtable_add_note(omb_mtable *t, const char *text)
{
    char **p = realloc(t->notes, (t->n_notes + 1) * sizeof *p);
    if (!p) return OMB_ENOMEM;
    t->notes = p;
    if (!(t->notes[t->n_notes] = dupstr(text ? text : ""))) return OMB_ENOMEM;
    t->n_notes++;
    return OMB_OK;
}

int omb_mtable_add_coverage(omb_mtable *t, int64_t used, int64_t lacking, const char *what)
{
    struct omb_coverage *p = realloc(t->cov, (t->n_cov + 1) * sizeof *p);
    if (!p) return OMB_ENOMEM;
    t->cov = p;
    if (!(t->cov[t->n_cov].what = dupstr(what ? what : "the needed field"))) return OMB_ENOMEM;
    t->cov[t->n_cov].used = used;
    t->cov[t->n_cov].lacking = lacking;
    t->n_cov++;
    return OMB_OK;
}

const struct omb_cell *omb_mtable_cell(const omb_mtable *t, size_t row, int col)
{
    assert(row < t->n_rows && col >= 0 && col < t->n_cols);
    return &t->cells[row * (size_t)t->n_cols + (size_t)col];
}

/* Loads t into a fresh in-memory database and prepares SELECT * over it.
 * On success the caller finalizes *stmt and closes *db. */
static int to_stmt(const omb_mtable *t, sqlite3 **db, sqlite3_stmt **stmt, char *err, size_t cap)
{
    sqlite3_stmt *ins = NULL;
    char *sql = NULL;
    size_t sql_n = 0;
    FILE *m = NULL;
    *db = NULL;
    *stmt = NULL;
    if (sqlite3_open_v2(":memory:", db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) goto fail;
    /* no declared types: SQLite keeps each value's own type, so integers
     * stay integers and the table renderer right-aligns them */
    if (!(m = open_memstream(&sql, &sql_n))) goto fail;
    fputs("CREATE TABLE r(", m);
    for (int c = 0; c < t->n_cols; c++) {
        fputc('"', m);
        for (const char *p = t->names[c]; *p; p++) {
            if (*p == '"') fputc('"', m);
            fputc(*p, m);
        }
        fputs(c + 1 < t->n_cols ? "\"," : "\")", m);
    }
    if (fclose(m) != 0) {
        m = NULL;
        goto fail;
    }
    m = NULL;
    if (sqlite3_exec(*db, sql, NULL, NULL, NULL) != SQLITE_OK) goto fail;
    free(sql);
    sql = NULL;
    if (!(m = open_memstream(&sql, &sql_n))) goto fail;
    fputs("INSERT INTO r VALUES(", m);
    for (int c = 0; c < t->n_cols; c++) fputs(c + 1 < t->n_cols ? "?," : "?)", m);
    if (fclose(m) != 0) {
        m = NULL;
        goto fail;
    }
    m = NULL;
    if (sqlite3_prepare_v2(*db, sql, -1, &ins, NULL) != SQLITE_OK) goto fail;
    sqlite3_exec(*db, "BEGIN", NULL, NULL, NULL);
    for (size_t r = 0; r < t->n_rows; r++) {
        for (int c = 0; c < t->n_cols; c++) {
            const struct omb_cell *cell = omb_mtable_cell(t, r, c);
            switch (cell->type) {
            case OMB_VALUE_INT: sqlite3_bind_int64(ins, c + 1, cell->i); break;
            case OMB_VALUE_REAL: sqlite3_bind_double(ins, c + 1, cell->d); break;
            case OMB_VALUE_TEXT: sqlite3_bind_text(ins, c + 1, cell->s, -1, SQLITE_STATIC); break;
            default: sqlite3_bind_null(ins, c + 1);
            }
        }
        if (sqlite3_step(ins) != SQLITE_DONE) goto fail;
        sqlite3_reset(ins);
    }
    sqlite3_exec(*db, "COMMIT", NULL, NULL, NULL);
    sqlite3_finalize(ins);
    ins = NULL;
    if (sqlite3_prepare_v2(*db, "SELECT * FROM r ORDER BY rowid", -1, stmt, NULL) != SQLITE_OK) goto fail;
    free(sql);
    return OMB_OK;
fail:
    snprintf(err, cap, "rendering the result: %s", *db ? sqlite3_errmsg(*db) : "out of memory");
    if (m) fclose(m);
    free(sql);
    sqlite3_finalize(ins);
    sqlite3_close(*db);
    *db = NULL;
    return OMB_ENOMEM;
}

int omb_mtable_coverage_text(const omb_mtable *t, size_t *k, char *buf, size_t cap)
{
    size_t a = *k, b = a;
    if (a >= t->n_cov) return 0;
    int64_t lacking = 0;
    while (b < t->n_cov && t->cov[b].used == t->cov[a].used) lacking += t->cov[b++].lacking;
    *k = b;
    int o = snprintf(buf, cap, "%lld case%s used; %lld left out", (long long)t->cov[a].used,
                     t->cov[a].used == 1 ? "" : "s", (long long)lacking);
    if (b - a == 1) {
        if (lacking && o > 0 && (size_t)o < cap) snprintf(buf + o, cap - (size_t)o, " for lacking %s", t->cov[a].what);
        return 1;
    }
    /* several reasons: each with its count, zeros too, in the plugin's order */
    int first = 1;
    for (size_t j = a; j < b && lacking && o > 0 && (size_t)o < cap; j++) {
        o += snprintf(buf + o, cap - (size_t)o, "%s%lld lacking %s", first ? ": " : ", ", (long long)t->cov[j].lacking,
                      t->cov[j].what);
        first = 0;
    }
    return 1;
}

void omb_mtable_print_meta(FILE *f, const omb_mtable *t, int width)
{
    char buf[1100];
    struct omb_out o = omb_out_file(f);
    for (size_t k = 0; omb_mtable_coverage_text(t, &k, buf + 10, sizeof buf - 10);) {
        memcpy(buf, "coverage: ", 10);
        omb_out_wrapped(&o, buf, width, 2);
    }
    for (size_t k = 0; k < t->n_notes; k++) {
        snprintf(buf, sizeof buf, "note: %s", t->notes[k]);
        omb_out_wrapped(&o, buf, width, 2);
    }
}

int omb_mtable_print(FILE *f, FILE *meta, const omb_mtable *t, int format, int width, char *err, size_t cap)
{
    if (t->n_cols == 0) {
        /* a metric that found nothing to report may declare no columns */
        if (format == OMB_OUT_JSON) fputs("[]\n", f);
        else if (format == OMB_OUT_TABLE) fputs("(0 rows)\n", f);
    } else {
        sqlite3 *db;
        sqlite3_stmt *s;
        int rc = to_stmt(t, &db, &s, err, cap);
        if (rc) return rc;
        rc = omb_output_stmt(f, s, format, 0, width, err, cap);
        sqlite3_finalize(s);
        sqlite3_close(db);
        if (rc) return rc;
    }
    if (format == OMB_OUT_TABLE) omb_mtable_print_meta(f, t, width);
    else if (meta) omb_mtable_print_meta(meta, t, 0);
    return OMB_OK;
}

char *omb_mtable_json(const omb_mtable *t)
{
    char *buf = NULL, err[256];
    size_t n = 0;
    FILE *m = open_memstream(&buf, &n);
    if (!m) return NULL;
    int rc = omb_mtable_print(m, NULL, t, OMB_OUT_JSON, 0, err, sizeof err);
    if (fclose(m) != 0 || rc) {
        free(buf);
        return NULL;
    }
    /* drop the trailing newline: this is a value, not a file */
    if (n && buf[n - 1] == '\n') buf[n - 1] = '\0';
    return buf;
}
