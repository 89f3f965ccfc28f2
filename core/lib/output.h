/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * output.h -- printing SQL results as an aligned text table, RFC 4180 CSV or
 * JSON, for the command line (`ombuds sql`, `ombuds cases`) and the console.
 * Building the queries is the caller's job; this file only renders rows.
 */
#ifndef OMB_OUTPUT_H
#define OMB_OUTPUT_H

#include <sqlite3.h>
#include <stdio.h>

enum omb_out_format { OMB_OUT_TABLE = 1, OMB_OUT_CSV, OMB_OUT_JSON, OMB_OUT_JSONL };

/* Parses "table", "csv", "json" or "jsonl"; returns 0 when unknown. */
int omb_out_format_parse(const char *s);

/* Steps s to the end and prints every row to f.  In table form at most
 * max_rows rows are shown, then "... N more rows"; width 0 means the
 * terminal's width (or unlimited on a pipe).  Returns OMB_OK, or OMB_ESTORE
 * with the SQLite message in err. */
int omb_output_stmt(FILE *f, sqlite3_stmt *s, int format, size_t max_rows, int width, char *err, size_t err_cap);

/* Writes s (length n) as a JSON string literal, with quotes. */
void omb_json_string(FILE *f, const char *s, size_t n);
/* Writes a CSV field, quoted when it needs to be. */
void omb_csv_field(FILE *f, const char *s, size_t n);

/* Number of display columns of a UTF-8 string (one per code point). */
size_t omb_utf8_width(const char *s, size_t n);

#endif
