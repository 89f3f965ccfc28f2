/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * chart.h -- charts of a metric's result table: in the terminal (bars and
 * sparklines in Unicode blocks, or plain ASCII) and as standalone SVG files
 * (a line per category over the years, or horizontal bars).  The table is
 * metric_table.c; choosing what to chart from the command line is
 * cli_metric.c.
 */
#ifndef OMB_CHART_H
#define OMB_CHART_H

#include <stdio.h>

#include "metric_table.h"

/* What to draw from a table. */
struct omb_chart_spec {
    int value_col; /* the numeric column drawn */
    int label_col; /* the first text column naming bars or series, or -1 */
    int label_last; /* the last: every text column in between joins the label */
    int year_col;  /* the "year" column (x axis of line charts), or -1 */
};

/* Picks the columns: value is the column called `value` if given, else the
 * one the metric flagged OMB_COLUMN_CHART, else the first numeric column
 * that is not "year"; the label joins the text columns before the value
 * ("subject · school transport"), or is the first text column.  Returns OMB_OK,
 * or OMB_EINVAL with err naming the columns there are, or saying there is
 * nothing to draw (no row has a value in the column: no chart is written). */
int omb_chart_pick(const omb_mtable *t, const char *value, struct omb_chart_spec *sp, char *err, size_t cap);

/* Draws the chart as text: one sparkline per label over the years when the
 * table has both, else one bar per row.  width is the terminal width (0:
 * 80).  Returns OMB_OK or OMB_ENOMEM. */
int omb_chart_terminal(FILE *f, const omb_mtable *t, const struct omb_chart_spec *sp, int plain, int width);

/* Writes a complete SVG document: a line chart (one line per label, years
 * along the bottom) when the table has a year column and more than one
 * year, else a horizontal bar chart.  title may be NULL.  Returns OMB_OK or
 * OMB_ENOMEM. */
int omb_chart_svg(FILE *f, const omb_mtable *t, const struct omb_chart_spec *sp, const char *title);

/* A chart's title in words from the figure it draws and the grouping:
 * "Redress paid, £, by category and year".  by may be NULL. */
const char *omb_chart_title(const omb_mtable *t, const struct omb_chart_spec *sp, const char *by, char *buf,
                            size_t cap);

/* Formats a value of column `col` for people: "£1,234.50" for *_pence
 * columns, "42.5%" for rate and share columns, else a plain number. */
void omb_chart_format_value(const char *col, double v, char *buf, size_t cap);

#endif
