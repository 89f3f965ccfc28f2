/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_chart.c -- unit tests for chart.c: numbers formatted for people
 * (pence as pounds with thousands separators, rates as percentages), the
 * choice of value and label columns, a plain ASCII terminal chart (the
 * caller decides plain or Unicode; chart.c no longer probes the terminal),
 * and a complete, escaped SVG document.
 */
#define _GNU_SOURCE
#include "chart.h"

#include <ombuds/plugin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"

static omb_mtable *table(void)
{
    char err[128];
    omb_mtable *t = omb_mtable_new();
    omb_mtable_add_column(t, "authority", OMB_VALUE_TEXT, err, sizeof err);
    omb_mtable_add_column(t, "n_cases", OMB_VALUE_INT, err, sizeof err);
    omb_mtable_add_column(t, "total_pence", OMB_VALUE_INT | OMB_COLUMN_CHART, err, sizeof err);
    struct omb_value r1[] = {OMB_TEXT("Kent & Medway"), OMB_INT(4), OMB_INT(123450)};
    struct omb_value r2[] = {OMB_TEXT("Hull"), OMB_INT(2), OMB_INT(5000)};
    omb_mtable_add_row(t, r1);
    omb_mtable_add_row(t, r2);
    return t;
}

int main(void)
{
    char buf[64];
    omb_chart_format_value("total_pence", 123450, buf, sizeof buf);
    TAP_STR(buf, "\xC2\xA3" "1,234.50", "pence are shown as pounds with a thousands separator");
    omb_chart_format_value("uphold_rate", 0.425, buf, sizeof buf);
    TAP_STR(buf, "42.5%", "a rate (a fraction) is shown as a percentage");
    omb_chart_format_value("n_cases", 12345678, buf, sizeof buf);
    TAP_STR(buf, "12,345,678", "a count gets thousands separators");

    omb_mtable *t = table();
    struct omb_chart_spec sp;
    char err[256];
    TAP_INT(omb_chart_pick(t, NULL, &sp, err, sizeof err), OMB_OK, "pick with no value named");
    TAP_INT(sp.value_col, 2, "the column the metric flagged for charts is drawn");
    TAP_INT(sp.label_col, 0, "the text column labels the bars");
    TAP_INT(sp.year_col, -1, "no year column");
    TAP_INT(omb_chart_pick(t, "n_cases", &sp, err, sizeof err), OMB_OK, "pick a named value column");
    TAP_INT(sp.value_col, 1, "the named column is drawn");
    TAP_OK(omb_chart_pick(t, "nope", &sp, err, sizeof err) != OMB_OK && strstr(err, "n_cases"),
           "an unknown column is refused, naming the columns there are (%s)", err);

    omb_chart_pick(t, NULL, &sp, err, sizeof err);
    char *out = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&out, &n);
    TAP_INT(omb_chart_terminal(f, t, &sp, 1, 60), OMB_OK, "a plain terminal chart is drawn");
    fclose(f);
    int ascii = 1;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)out[i] >= 0x80 && !(i + 1 < n && (unsigned char)out[i] == 0xC2 && (unsigned char)out[i + 1] == 0xA3))
            ascii = 0;
    TAP_OK(ascii, "plain means no block characters (only the pound sign is not ASCII)");
    TAP_OK(out && strstr(out, "Kent & Medway") && strstr(out, "Hull"), "both labels are shown");
    free(out);

    out = NULL;
    f = open_memstream(&out, &n);
    TAP_INT(omb_chart_svg(f, t, &sp, "Remedies <by> authority"), OMB_OK, "an SVG chart is written");
    fclose(f);
    TAP_OK(out && strstr(out, "<svg") && strstr(out, "</svg>"), "it is a complete SVG document");
    TAP_OK(out && strstr(out, "Kent &amp; Medway") && !strstr(out, "Kent & Medway"), "labels are XML-escaped");
    TAP_OK(out && strstr(out, "Remedies &lt;by&gt; authority"), "the title is XML-escaped");
    free(out);
    omb_mtable_free(t);
    return tap_done();
}
