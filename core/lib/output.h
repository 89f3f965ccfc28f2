/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * output.h -- the one renderer of rows: an aligned text table for people,
 * RFC 4180 CSV, JSON or JSON lines for programs, written to a sink the caller
 * gives (a FILE, a memory buffer, a Lua string buffer).  `ombuds sql`,
 * `ombuds cases`, metric tables, exports and the console's Result all come
 * through here, so the rules for money and for fitting a table are written
 * once:
 *   - a column whose name ends in `_pence` holds money: tables show pounds
 *     ("£1,234.50") under the name without the suffix; CSV and JSON keep
 *     integer pence (a fractional value is rounded to the penny);
 *   - identifiers (references, dates, years, authority names, numbers,
 *     money, and the first text column, which names the row) are never cut
 *     or wrapped; other text columns narrow to fit the width and their
 *     cells wrap at spaces, a row then taking several lines; when the
 *     identifiers alone are too wide each row is folded into one
 *     "column : value" line per column (psql's expanded mode); a width of 0
 *     (a pipe) changes nothing.
 * Building queries is the caller's job; this file only renders rows.
 */
#ifndef OMB_OUTPUT_H
#define OMB_OUTPUT_H

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>

enum omb_out_format { OMB_OUT_TABLE = 1, OMB_OUT_CSV, OMB_OUT_JSON, OMB_OUT_JSONL };

/* Parses "table", "csv", "json" or "jsonl"; returns 0 when unknown. */
int omb_out_format_parse(const char *s);

/* A sink: where rendered text goes.  write returns 0 on success. */
struct omb_out {
    int (*write)(void *ud, const char *p, size_t n);
    void *ud;
};
/* A sink writing to f. */
struct omb_out omb_out_file(FILE *f);

/* One cell of a row: type is an enum omb_value_type (ombuds/plugin.h), or
 * OMB_OUT_JSON_TEXT for text that is already JSON (a nested list: JSON
 * writes it as it is, CSV and tables as text); s (n bytes, not necessarily
 * NUL-terminated) for text, borrowed. */
#define OMB_OUT_JSON_TEXT 16
struct omb_out_cell {
    int type;
    int64_t i;
    double d;
    const char *s;
    size_t n;
};

struct omb_out_opts {
    int format;      /* enum omb_out_format */
    int width;       /* table: display columns to fit (0: no limit) */
    size_t max_rows; /* table: rows shown before "... N more rows" (0: all) */
    int color;       /* table: header in bold (ANSI) */
    int compact;     /* JSON: the array on one line and NULL members left out (the Lua API's r:json()) */
    int totals;      /* table: a "total" line summing the number and money columns that are not
                        identifiers (never a row of CSV or JSON: a total is not a record) */
};

typedef struct omb_rows omb_rows;

/* Starts rendering nc columns called names (copied) to out.  CSV and JSON
 * stream each row as it is added; a table keeps the rows it shows and writes
 * at omb_rows_end.  NULL when out of memory. */
omb_rows *omb_rows_begin(struct omb_out out, const struct omb_out_opts *o, int nc, const char *const *names);
/* Adds one row of nc cells (copied as needed). OMB_OK, OMB_ENOMEM or OMB_EIO. */
int omb_rows_add(omb_rows *r, const struct omb_out_cell *cells);
/* Finishes (the table, the JSON array's bracket, "(N rows)") and frees r.
 * Returns OMB_OK, or the first error met while writing. */
int omb_rows_end(omb_rows *r);

/* Steps s to the end and renders every row to f (omb_rows with the
 * statement's column names).  width 0 means no limit; max_rows 0 all rows.
 * Returns OMB_OK, or OMB_ESTORE with the SQLite message in err. */
int omb_output_stmt(FILE *f, sqlite3_stmt *s, int format, size_t max_rows, int width, char *err, size_t err_cap);

/* The same with every option given (o->format, width, max_rows, totals...). */
int omb_output_stmt_opts(FILE *f, sqlite3_stmt *s, const struct omb_out_opts *o, char *err, size_t err_cap);

/* Writes s (length n) as a JSON string literal, with quotes. */
void omb_out_json_string(const struct omb_out *o, const char *s, size_t n);
void omb_json_string(FILE *f, const char *s, size_t n);
/* Writes a CSV field, quoted when it needs to be. */
void omb_out_csv_field(const struct omb_out *o, const char *s, size_t n);
void omb_csv_field(FILE *f, const char *s, size_t n);

/* The next line of s (n bytes) wrapped at w display columns (0: no limit),
 * from *pos (0 at first): sets [*a, *b) and moves *pos past it.  Lines
 * break at spaces, which they neither start nor end with; a word wider than
 * w is broken where the column ends, since nothing else fits.  Returns 0
 * when nothing is left.  Tables, notes and the console's case record wrap
 * with it. */
int omb_out_wrap_next(const char *s, size_t n, size_t *pos, size_t w, size_t *a, size_t *b);

/* Writes text and a newline, wrapped at spaces to width display columns
 * (0: one line), later lines indented by indent spaces: the notes under a
 * table. */
void omb_out_wrapped(const struct omb_out *o, const char *text, int width, int indent);

/* Writes pence as pounds for people: "£1,234.50", "-£3.00". */
void omb_out_money(char *buf, size_t cap, int64_t pence);
/* Writes n with thousands separators ("1,234"). */
void omb_out_count(char *buf, size_t cap, unsigned long long n);
/* Pence from a value that may be fractional (a mean): rounded to the penny,
 * halves away from zero. */
int64_t omb_out_round_pence(double d);

/* 1 when a column called name holds money in pence (its name ends in
 * "_pence"); 1 when its values identify something and must never be cut. */
int omb_out_is_money(const char *name);
int omb_out_is_identifier(const char *name);

/* Number of display columns of a UTF-8 string (one per code point; ANSI
 * escape sequences take none). */
size_t omb_utf8_width(const char *s, size_t n);

#endif
