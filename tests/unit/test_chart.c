/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_chart.c -- unit tests for chart.c: numbers formatted for people
 * (pence as pounds with thousands separators, rates as percentages), the
 * choice of value and label columns, a plain ASCII terminal chart (the
 * caller decides plain or Unicode; chart.c no longer probes the terminal),
 * a complete, escaped SVG document, bars ranked largest first in the
 * terminal and in SVG, and the value labels of one-year series stacked so
 * that close values do not print over each other.
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

/* Where needle first occurs in hay, or -1. */
static long at(const char *hay, const char *needle)
{
    const char *p = hay ? strstr(hay, needle) : NULL;
    return p ? p - hay : -1;
}

/* Renders t by the terminal (plain) or as SVG into a string; NULL on failure. */
static char *render(const omb_mtable *t, int svg)
{
    struct omb_chart_spec sp;
    char err[256], *out = NULL;
    size_t n = 0;
    if (omb_chart_pick(t, NULL, &sp, err, sizeof err)) return NULL;
    FILE *f = open_memstream(&out, &n);
    int rc = svg ? omb_chart_svg(f, t, &sp, "t") : omb_chart_terminal(f, t, &sp, 1, 60);
    fclose(f);
    if (rc) {
        free(out);
        return NULL;
    }
    return out;
}

/* The y of each <text ... font-size="11" ...>VALUE</text> label, in the
 * order of values; 0 when one is missing. */
static int label_ys(const char *svg, const char *const *values, double *ys, int n)
{
    for (int k = 0; k < n; k++) {
        char want[64];
        snprintf(want, sizeof want, "font-size=\"11\" text-anchor=\"end\">%s</text>", values[k]);
        const char *p = svg ? strstr(svg, want) : NULL;
        if (!p) return 0;
        while (p > svg && strncmp(p, "<text ", 6)) p--;
        const char *y = strstr(p, " y=\"");
        if (!y) return 0;
        ys[k] = atof(y + 4);
    }
    return 1;
}

static void bars_and_labels(void)
{
    char err[128];
    omb_mtable *t = omb_mtable_new();
    omb_mtable_add_column(t, "authority", OMB_VALUE_TEXT, err, sizeof err);
    omb_mtable_add_column(t, "total_pence", OMB_VALUE_INT | OMB_COLUMN_CHART, err, sizeof err);
    struct omb_value rows[][2] = {{OMB_TEXT("Bath"), OMB_NULL},
                                  {OMB_TEXT("Hull"), OMB_INT(5000)},
                                  {OMB_TEXT("Kent"), OMB_INT(123450)},
                                  {OMB_TEXT("York"), OMB_INT(60000)}};
    for (size_t k = 0; k < 4; k++) omb_mtable_add_row(t, rows[k]);
    char *out = render(t, 0);
    long kent = at(out, "Kent"), york = at(out, "York"), hull = at(out, "Hull"), bath = at(out, "Bath");
    TAP_OK(kent >= 0 && kent < york && york < hull && hull < bath,
           "terminal bars are ranked largest first, no value last (Kent, York, Hull, Bath)");
    free(out);
    out = render(t, 1);
    kent = at(out, ">Kent<"), york = at(out, ">York<"), hull = at(out, ">Hull<"), bath = at(out, ">Bath<");
    TAP_OK(kent >= 0 && kent < york && york < hull && hull < bath, "SVG bars are ranked the same way");
    free(out);
    omb_mtable_free(t);

    /* a line chart: A over two years; B, C, D with one year each and values
     * £250, £240 and £235, a few pixels apart on a £1,000 scale */
    t = omb_mtable_new();
    omb_mtable_add_column(t, "category", OMB_VALUE_TEXT, err, sizeof err);
    omb_mtable_add_column(t, "year", OMB_VALUE_INT, err, sizeof err);
    omb_mtable_add_column(t, "total_pence", OMB_VALUE_INT | OMB_COLUMN_CHART, err, sizeof err);
    struct omb_value lines[][3] = {{OMB_TEXT("A"), OMB_INT(2022), OMB_INT(100000)},
                                   {OMB_TEXT("A"), OMB_INT(2023), OMB_INT(50000)},
                                   {OMB_TEXT("B"), OMB_INT(2023), OMB_INT(25000)},
                                   {OMB_TEXT("C"), OMB_INT(2023), OMB_INT(24000)},
                                   {OMB_TEXT("D"), OMB_INT(2023), OMB_INT(23500)}};
    for (size_t k = 0; k < 5; k++) omb_mtable_add_row(t, lines[k]);
    out = render(t, 1);
    static const char *const values[] = {"\xC2\xA3" "250", "\xC2\xA3" "240", "\xC2\xA3" "235"};
    double ys[3];
    TAP_OK(label_ys(out, values, ys, 3), "each one-year series is labelled with its value");
    TAP_OK(ys[1] - ys[0] >= 13 && ys[2] - ys[1] >= 13,
           "close values are stacked in value order, 13px apart (%.1f, %.1f, %.1f)", ys[0], ys[1], ys[2]);
    TAP_OK(ys[2] <= 60 + 430 + 4, "and stay above the axis (%.1f)", ys[2]);
    TAP_OK(at(out, "stroke-width=\"0.75\"") >= 0, "a label moved off its point has a leader line to it");
    free(out);
    omb_mtable_free(t);
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
    bars_and_labels();
    return tap_done();
}
