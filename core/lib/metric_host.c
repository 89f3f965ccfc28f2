/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * metric_host.c -- the services a running metric function gets through its
 * omb_call *ctx: reporting an error, read-only SQL on the store with bound
 * parameters, the result-table builder, coverage and notes, scratch strings
 * for `s` results, and reading rule files such as improvement_themes.tsv.
 * A metric never sees SQLite: rows reach it as struct omb_value arrays.  The
 * host table that lists these is sink.c; the call itself, and the set-up
 * and clearing of its state, is ffi_bridge.c.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ffi_bridge.h"
#include "paths.h"

#ifndef OMB_DATADIR
#define OMB_DATADIR "/usr/local/share/ombuds"
#endif

static struct omb_call_state *state(omb_call *ctx) { return ctx ? ctx->core : NULL; }

/* Records the first failure of the call with its status. */
static int fail_status(struct omb_call_state *cs, int status, const char *fmt, va_list ap)
{
    if (!cs->failed) {
        cs->failed = 1;
        cs->status = status;
        vsnprintf(cs->err, sizeof cs->err, fmt, ap);
    }
    return status;
}

static int fail(struct omb_call_state *cs, int status, const char *fmt, ...) OMB_PRINTF(3, 4);
static int fail(struct omb_call_state *cs, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fail_status(cs, status, fmt, ap);
    va_end(ap);
    return status;
}

int omb_call_error(omb_call *ctx, const char *fmt, ...)
{
    struct omb_call_state *cs = state(ctx);
    if (!cs) return OMB_EINVAL;
    va_list ap;
    va_start(ap, fmt);
    fail_status(cs, OMB_EINVAL, fmt, ap);
    va_end(ap);
    return OMB_EINVAL;
}

/* ---- queries ---------------------------------------------------------------- */

static int only_space(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r' && *s != ';') return 0;
    return 1;
}

int omb_call_query(omb_call *ctx, const char *sql, const struct omb_value *params, int n_params, omb_row_fn row,
                   void *ud)
{
    struct omb_call_state *cs = state(ctx);
    sqlite3_stmt *s = NULL;
    const char *tail = NULL;
    struct omb_value *cols = NULL;
    const char **names = NULL;
    int rc = OMB_OK, step;
    if (!cs || !sql) return OMB_EINVAL;
    if (!cs->db) return fail(cs, OMB_ESTORE, "no store is open (open one first)");
    if (sqlite3_prepare_v2(cs->db, sql, -1, &s, &tail) != SQLITE_OK || !s)
        return fail(cs, OMB_ESTORE, "SQL error: %s (in \"%.60s\")", s ? sqlite3_errmsg(cs->db) : sqlite3_errmsg(cs->db),
                    sql);
    if (!only_space(tail)) {
        rc = fail(cs, OMB_ESTORE, "host->query runs one statement; found more after \"%.40s\"", sql);
        goto done;
    }
    if (!sqlite3_stmt_readonly(s)) {
        rc = fail(cs, OMB_ESTORE, "host->query is read-only; metrics never change the store");
        goto done;
    }
    if (n_params > sqlite3_bind_parameter_count(s)) {
        rc = fail(cs, OMB_ESTORE, "%d parameters given for a statement with %d placeholders", n_params,
                  sqlite3_bind_parameter_count(s));
        goto done;
    }
    for (int k = 0; k < n_params; k++) {
        switch (params[k].type) {
        case OMB_VALUE_INT: sqlite3_bind_int64(s, k + 1, params[k].i); break;
        case OMB_VALUE_REAL: sqlite3_bind_double(s, k + 1, params[k].d); break;
        case OMB_VALUE_TEXT:
            if (params[k].s) sqlite3_bind_text(s, k + 1, params[k].s, -1, SQLITE_STATIC);
            else sqlite3_bind_null(s, k + 1);
            break;
        default: sqlite3_bind_null(s, k + 1);
        }
    }
    int nc = sqlite3_column_count(s);
    cols = calloc((size_t)nc + 1, sizeof *cols);
    names = calloc((size_t)nc + 1, sizeof *names);
    if (!cols || !names) {
        rc = fail(cs, OMB_ENOMEM, "out of memory");
        goto done;
    }
    for (int c = 0; c < nc; c++) names[c] = sqlite3_column_name(s, c);
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        for (int c = 0; c < nc; c++) {
            cols[c] = (struct omb_value){OMB_VALUE_NULL, 0, 0.0, NULL};
            switch (sqlite3_column_type(s, c)) {
            case SQLITE_INTEGER: cols[c].type = OMB_VALUE_INT, cols[c].i = sqlite3_column_int64(s, c); break;
            case SQLITE_FLOAT: cols[c].type = OMB_VALUE_REAL, cols[c].d = sqlite3_column_double(s, c); break;
            case SQLITE_TEXT:
            case SQLITE_BLOB:
                cols[c].type = OMB_VALUE_TEXT;
                cols[c].s = (const char *)sqlite3_column_text(s, c);
                if (!cols[c].s) cols[c].s = "";
                break;
            default: break;
            }
        }
        if (row && (rc = row(ud, nc, cols, names)) != OMB_OK) goto done;
    }
    if (step != SQLITE_DONE) rc = fail(cs, OMB_ESTORE, "SQL error: %s", sqlite3_errmsg(cs->db));
done:
    free(cols);
    free(names);
    sqlite3_finalize(s);
    return rc;
}

/* ---- result tables ---------------------------------------------------------- */

static int need_table(struct omb_call_state *cs, const char *what)
{
    if (cs->table) return OMB_OK;
    return fail(cs, OMB_EINVAL, "%s called, but signature \"%s\" does not return a table (t)", what,
                cs->fn ? cs->fn->signature : "?");
}

int omb_call_table_column(omb_call *ctx, const char *name, int type)
{
    struct omb_call_state *cs = state(ctx);
    char why[200];
    if (!cs) return OMB_EINVAL;
    int rc = need_table(cs, "table_column");
    if (rc) return rc;
    rc = omb_mtable_add_column(cs->table, name, type, why, sizeof why);
    if (rc == OMB_ENOMEM) return fail(cs, rc, "out of memory");
    if (rc) return fail(cs, rc, "table_column: %s", why);
    return OMB_OK;
}

int omb_call_table_add_row(omb_call *ctx, const struct omb_value *cells)
{
    struct omb_call_state *cs = state(ctx);
    if (!cs) return OMB_EINVAL;
    int rc = need_table(cs, "table_add_row");
    if (rc) return rc;
    if (!cells) return fail(cs, OMB_EINVAL, "table_add_row: no cells given");
    rc = omb_mtable_add_row(cs->table, cells);
    if (rc == OMB_ENOMEM) return fail(cs, rc, "out of memory");
    if (rc) return fail(cs, rc, "table_add_row before any table_column");
    return OMB_OK;
}

int omb_call_coverage(omb_call *ctx, int64_t used, int64_t lacking, const char *what)
{
    struct omb_call_state *cs = state(ctx);
    if (!cs) return OMB_EINVAL;
    int rc = need_table(cs, "coverage");
    if (rc) return rc;
    if (omb_mtable_add_coverage(cs->table, used, lacking, what)) return fail(cs, OMB_ENOMEM, "out of memory");
    return OMB_OK;
}

int omb_call_note(omb_call *ctx, const char *fmt, ...)
{
    struct omb_call_state *cs = state(ctx);
    char text[512];
    if (!cs) return OMB_EINVAL;
    int rc = need_table(cs, "note");
    if (rc) return rc;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (omb_mtable_add_note(cs->table, text)) return fail(cs, OMB_ENOMEM, "out of memory");
    return OMB_OK;
}

const char *omb_call_format(omb_call *ctx, const char *fmt, ...)
{
    struct omb_call_state *cs = state(ctx);
    char *s = NULL;
    if (!cs) return NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0) return NULL;
    char **p = realloc(cs->scratch, (cs->n_scratch + 1) * sizeof *p);
    if (!p) {
        free(s);
        return NULL;
    }
    cs->scratch = p;
    cs->scratch[cs->n_scratch++] = s;
    return s;
}

/* ---- data files --------------------------------------------------------------- */

static int valid_data_name(const char *s)
{
    if (!s || !*s || *s == '.') return 0;
    for (; *s; s++)
        if (*s == '/' || *s == '\\') return 0;
    return 1;
}

static int is_file(const char *path) { return access(path, R_OK) == 0; }

/* The shipped copy, in the one data directory the core uses (register.c:
 * $OMBUDS_DATA_DIR, the source tree when running from the build tree, then
 * the installed data directory). */
static int find_shipped(const char *name, char *out, size_t cap)
{
    const char *dir = omb_data_dir();
    return dir && (size_t)snprintf(out, cap, "%s/%s", dir, name) < cap && is_file(out);
}

static int find_user(const char *name, char *out, size_t cap)
{
    return omb_user_path(OMB_USER_DATA, name, out, cap) == 0 && is_file(out);
}

static int read_lines(struct omb_call_state *cs, const char *path, omb_line_fn line, void *ud)
{
    FILE *f = fopen(path, "r");
    if (!f) return fail(cs, OMB_EIO, "cannot read %s", path);
    char *buf = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t n;
    int rc = OMB_OK;
    while ((n = getline(&buf, &cap, f)) >= 0) {
        lineno++;
        while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r')) buf[--n] = '\0';
        if ((rc = line(ud, path, lineno, buf, (size_t)n)) != OMB_OK) break;
    }
    free(buf);
    fclose(f);
    return rc;
}

int omb_call_read_data(omb_call *ctx, const char *name, omb_line_fn line, void *ud)
{
    struct omb_call_state *cs = state(ctx);
    char path[PATH_MAX];
    if (!cs || !line) return OMB_EINVAL;
    if (!valid_data_name(name)) return fail(cs, OMB_EINVAL, "read_data: \"%s\" is not a plain file name", name);
    if (!find_shipped(name, path, sizeof path))
        return fail(cs, OMB_ENOTFOUND, "data file %s not found (looked in $OMBUDS_DATA_DIR and %s)", name,
                    OMB_DATADIR);
    int rc = read_lines(cs, path, line, ud);
    if (rc == OMB_OK && find_user(name, path, sizeof path)) rc = read_lines(cs, path, line, ud);
    return rc;
}
