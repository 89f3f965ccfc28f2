/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * metric_table.h -- the result table a table-valued metric builds through the
 * host (host->table_column / table_add_row / coverage / note), and rendering
 * it as a text table, CSV or JSON exactly as `ombuds sql` renders a query.
 * Calling the metric is ffi_bridge.c; charts are chart.c.
 */
#ifndef OMB_METRIC_TABLE_H
#define OMB_METRIC_TABLE_H

#include <ombuds/plugin.h>
#include <stdint.h>
#include <stdio.h>

/* One cell.  Invariant: s is non-NULL exactly when type is OMB_VALUE_TEXT,
 * and owned by the table. */
struct omb_cell {
    int type; /* enum omb_value_type */
    int64_t i;
    double d;
    char *s;
};

struct omb_coverage {
    int64_t used;    /* cases the figures rest on */
    int64_t lacking; /* cases left out */
    char *what;      /* what they lacked ("a decision date") */
};

/* Invariant: cells holds n_rows * n_cols cells, row-major; columns cannot be
 * added once a row exists. */
typedef struct omb_mtable {
    int n_cols;
    char **names;
    int *types;     /* enum omb_value_type of each column (a declaration, not enforced) */
    int chart_col;  /* column flagged OMB_COLUMN_CHART, or -1 */
    size_t n_rows, cap_rows;
    struct omb_cell *cells;
    char **notes;
    size_t n_notes;
    struct omb_coverage *cov;
    size_t n_cov;
} omb_mtable;

/* An empty table, or NULL when out of memory.  Free with omb_mtable_free. */
omb_mtable *omb_mtable_new(void);
void omb_mtable_free(omb_mtable *t);

/* Each returns OMB_OK, OMB_ENOMEM, or OMB_EINVAL (with why in err) for a
 * column after the first row, an empty or repeated column name, or a row
 * before any column. */
int omb_mtable_add_column(omb_mtable *t, const char *name, int type, char *err, size_t cap);
int omb_mtable_add_row(omb_mtable *t, const struct omb_value *cells);
int omb_mtable_add_note(omb_mtable *t, const char *text);
int omb_mtable_add_coverage(omb_mtable *t, int64_t used, int64_t lacking, const char *what);

/* The cell at (row, col); no bounds check beyond assert. */
const struct omb_cell *omb_mtable_cell(const omb_mtable *t, size_t row, int col);
/* Index of the column called name, or -1. */
int omb_mtable_column(const omb_mtable *t, const char *name);

/* Prints the rows in format (enum omb_out_format; output.c renders them, so
 * a metric looks like any query result).  In table form the coverage and
 * notes follow on f; in CSV and JSON they go to meta (which may be NULL) so
 * the data stays machine-readable.  width as omb_output_stmt.  Returns OMB_OK
 * or an error with err set. */
int omb_mtable_print(FILE *f, FILE *meta, const omb_mtable *t, int format, int width, char *err, size_t cap);

/* Coverage entries that follow one another with the same "used" count are
 * one statement broken down by reason ("12 left out: 8 lacking a decision
 * date, 4 lacking an authority").  Formats the statement starting at entry
 * *k into buf (without "coverage: ") and moves *k past it; 0 when none is
 * left.  The table's text and the chart's footnote both use it. */
int omb_mtable_coverage_text(const omb_mtable *t, size_t *k, char *buf, size_t cap);

/* Writes coverage and notes, one "coverage: ..." / "note: ..." each,
 * wrapped at spaces to width columns (0: one line each). */
void omb_mtable_print_meta(FILE *f, const omb_mtable *t, int width);

/* The table as a JSON array of row objects (what SQL gets from a table
 * metric), malloc'd; NULL when out of memory. */
char *omb_mtable_json(const omb_mtable *t);

#endif
