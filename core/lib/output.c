/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * output.c -- renders SQL result rows (output.h).  Tables fit the terminal:
 * columns share the width, long cells end in an ellipsis, and only the first
 * rows are kept in memory; CSV and JSON stream every row with no limit.
 */
#include "output.h"

#include <ombuds/plugin.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int omb_out_format_parse(const char *s)
{
    if (!s) return 0;
    if (!strcmp(s, "table")) return OMB_OUT_TABLE;
    if (!strcmp(s, "csv")) return OMB_OUT_CSV;
    if (!strcmp(s, "json")) return OMB_OUT_JSON;
    if (!strcmp(s, "jsonl")) return OMB_OUT_JSONL;
    return 0;
}


size_t omb_utf8_width(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) w++;
    return w;
}

void omb_json_string(FILE *f, const char *s, size_t n)
{
    fputc('"', f);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (c < 0x20) fprintf(f, "\\u%04x", c);
            else fputc(c, f);
        }
    }
    fputc('"', f);
}

void omb_csv_field(FILE *f, const char *s, size_t n)
{
    int quote = 0;
    for (size_t i = 0; i < n && !quote; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r') quote = 1;
    if (!quote) {
        fwrite(s, 1, n, f);
        return;
    }
    fputc('"', f);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"') fputc('"', f);
        fputc(s[i], f);
    }
    fputc('"', f);
}

static void json_value(FILE *f, sqlite3_stmt *s, int i)
{
    switch (sqlite3_column_type(s, i)) {
    case SQLITE_NULL: fputs("null", f); break;
    case SQLITE_INTEGER: fprintf(f, "%lld", (long long)sqlite3_column_int64(s, i)); break;
    case SQLITE_FLOAT: {
        double d = sqlite3_column_double(s, i);
        if (d != d || d - d != 0) fputs("null", f); /* NaN and infinities are not JSON */
        else fprintf(f, "%.17g", d);
        break;
    }
    default: {
        const char *t = (const char *)sqlite3_column_text(s, i);
        omb_json_string(f, t ? t : "", (size_t)sqlite3_column_bytes(s, i));
    }
    }
}

/* Text of a cell for table output: reals with up to 6 significant digits
 * after the point so averages read well; NULL as empty. */
static char *cell_text(sqlite3_stmt *s, int i)
{
    char buf[64];
    const char *t;
    size_t n;
    switch (sqlite3_column_type(s, i)) {
    case SQLITE_NULL: t = ""; n = 0; break;
    case SQLITE_FLOAT:
        snprintf(buf, sizeof buf, "%.6g", sqlite3_column_double(s, i));
        t = buf;
        n = strlen(buf);
        break;
    default:
        t = (const char *)sqlite3_column_text(s, i);
        n = (size_t)sqlite3_column_bytes(s, i);
        if (!t) t = "", n = 0;
    }
    char *c = malloc(n + 1);
    if (!c) return NULL;
    memcpy(c, t, n);
    c[n] = '\0';
    /* a table row is one line: newlines and tabs become spaces */
    for (size_t k = 0; k < n; k++)
        if (c[k] == '\n' || c[k] == '\r' || c[k] == '\t') c[k] = ' ';
    return c;
}

/* Prints cell padded or cut to exactly w display columns. */
static void put_cell(FILE *f, const char *c, size_t w, int right)
{
    size_t n = strlen(c), cw = omb_utf8_width(c, n);
    if (cw <= w) {
        if (right)
            for (size_t k = cw; k < w; k++) fputc(' ', f);
        fputs(c, f);
        if (!right)
            for (size_t k = cw; k < w; k++) fputc(' ', f);
        return;
    }
    /* cut to w-1 code points and add an ellipsis */
    size_t cols = 0, i = 0;
    while (i < n && cols < (w ? w - 1 : 0)) {
        i++;
        while (i < n && ((unsigned char)c[i] & 0xC0) == 0x80) i++;
        cols++;
    }
    fwrite(c, 1, i, f);
    if (w) fputs("\xE2\x80\xA6", f);
}

static int print_table(FILE *f, sqlite3_stmt *s, size_t max_rows, int width, char *err, size_t cap)
{
    int nc = sqlite3_column_count(s);
    size_t nrows = 0, cap_rows = 0, more = 0;
    char **cells = NULL;
    int *numeric = calloc((size_t)nc + 1, sizeof *numeric);
    size_t *w = calloc((size_t)nc + 1, sizeof *w);
    int rc = OMB_OK, step;
    if (!numeric || !w) {
        free(numeric);
        free(w);
        return OMB_ENOMEM;
    }
    for (int i = 0; i < nc; i++) {
        const char *name = sqlite3_column_name(s, i);
        w[i] = omb_utf8_width(name, strlen(name));
        numeric[i] = 1;
    }
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        if (nrows >= max_rows) {
            more++;
            continue;
        }
        if (nrows == cap_rows) {
            cap_rows = cap_rows ? cap_rows * 2 : 64;
            char **p = realloc(cells, cap_rows * (size_t)nc * sizeof *p);
            if (!p) {
                rc = OMB_ENOMEM;
                break;
            }
            cells = p;
        }
        for (int i = 0; i < nc; i++) {
            int t = sqlite3_column_type(s, i);
            if (t != SQLITE_INTEGER && t != SQLITE_FLOAT && t != SQLITE_NULL) numeric[i] = 0;
            char *c = cell_text(s, i);
            cells[nrows * (size_t)nc + (size_t)i] = c;
            if (c) {
                size_t cw = omb_utf8_width(c, strlen(c));
                if (cw > w[i]) w[i] = cw;
            }
        }
        nrows++;
    }
    if (step != SQLITE_DONE && step != SQLITE_ROW && rc == OMB_OK) {
        snprintf(err, cap, "%s", sqlite3_errmsg(sqlite3_db_handle(s)));
        rc = OMB_ESTORE;
    }
    if (rc == OMB_OK && nc > 0) {
        /* Fit the terminal: shrink the widest columns until the row fits. */
        if (width > 0) {
            size_t total = 0;
            for (int i = 0; i < nc; i++) total += w[i] + 2;
            while (total > (size_t)width) {
                int widest = 0;
                for (int i = 1; i < nc; i++)
                    if (w[i] > w[widest]) widest = i;
                if (w[widest] <= 8) break;
                w[widest]--;
                total--;
            }
        }
        for (int i = 0; i < nc; i++) {
            put_cell(f, sqlite3_column_name(s, i), w[i], numeric[i]);
            fputs(i + 1 < nc ? "  " : "\n", f);
        }
        for (int i = 0; i < nc; i++) {
            for (size_t k = 0; k < w[i]; k++) fputc('-', f);
            fputs(i + 1 < nc ? "  " : "\n", f);
        }
        for (size_t r = 0; r < nrows; r++)
            for (int i = 0; i < nc; i++) {
                const char *c = cells[r * (size_t)nc + (size_t)i];
                put_cell(f, c ? c : "", w[i], numeric[i]);
                fputs(i + 1 < nc ? "  " : "\n", f);
            }
        if (more) fprintf(f, "... %zu more row%s\n", more, more == 1 ? "" : "s");
        fprintf(f, "(%zu row%s)\n", nrows + more, nrows + more == 1 ? "" : "s");
    }
    for (size_t r = 0; r < nrows * (size_t)nc; r++) free(cells[r]);
    free(cells);
    free(numeric);
    free(w);
    return rc;
}

int omb_output_stmt(FILE *f, sqlite3_stmt *s, int format, size_t max_rows, int width, char *err, size_t cap)
{
    if (format == OMB_OUT_TABLE) return print_table(f, s, max_rows ? max_rows : (size_t)-1, width, err, cap);
    int nc = sqlite3_column_count(s), step, first = 1;
    if (format == OMB_OUT_CSV) {
        for (int i = 0; i < nc; i++) {
            const char *name = sqlite3_column_name(s, i);
            omb_csv_field(f, name, strlen(name));
            fputs(i + 1 < nc ? "," : "\r\n", f);
        }
    } else if (format == OMB_OUT_JSON) {
        fputc('[', f);
    }
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        if (format == OMB_OUT_CSV) {
            for (int i = 0; i < nc; i++) {
                if (sqlite3_column_type(s, i) != SQLITE_NULL) {
                    const char *t = (const char *)sqlite3_column_text(s, i);
                    omb_csv_field(f, t ? t : "", (size_t)sqlite3_column_bytes(s, i));
                }
                fputs(i + 1 < nc ? "," : "\r\n", f);
            }
        } else {
            if (format == OMB_OUT_JSON) fputs(first ? "\n" : ",\n", f);
            fputc('{', f);
            for (int i = 0; i < nc; i++) {
                const char *name = sqlite3_column_name(s, i);
                omb_json_string(f, name, strlen(name));
                fputc(':', f);
                json_value(f, s, i);
                if (i + 1 < nc) fputc(',', f);
            }
            fputc('}', f);
            if (format == OMB_OUT_JSONL) fputc('\n', f);
        }
        first = 0;
    }
    if (format == OMB_OUT_JSON) fputs(first ? "]\n" : "\n]\n", f);
    if (step != SQLITE_DONE) {
        snprintf(err, cap, "%s", sqlite3_errmsg(sqlite3_db_handle(s)));
        return OMB_ESTORE;
    }
    return OMB_OK;
}
