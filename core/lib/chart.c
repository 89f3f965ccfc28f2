/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * chart.c -- draws a metric's result table (chart.h).  Terminal charts use
 * the Unicode block elements (U+2581-2588 for sparklines, U+258F-2588 for
 * eighth-wide bar ends) and fall back to ASCII where those would print as
 * garbage or where the output is read by a program.  SVG output is written
 * by hand, with no library: a fixed size, a ten-colour palette that stays
 * distinguishable for colour-blind readers (Tableau 10), and every label
 * XML-escaped.  Choosing the metric and options is cli_metric.c.
 */
#include "chart.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "output.h"

#define MAX_SERIES 10 /* line charts: the largest series; the rest are named in a note */
#define MAX_BARS 40

static const char *const palette[MAX_SERIES] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                                "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};

static int is_numeric_col(const omb_mtable *t, int c)
{
    if (t->types[c] == OMB_VALUE_INT || t->types[c] == OMB_VALUE_REAL) return 1;
    /* an undeclared column is numeric when every non-NULL cell is */
    if (t->types[c] != OMB_VALUE_NULL) return 0;
    for (size_t r = 0; r < t->n_rows; r++) {
        int ty = omb_mtable_cell(t, r, c)->type;
        if (ty == OMB_VALUE_TEXT) return 0;
    }
    return 1;
}

int omb_chart_pick(const omb_mtable *t, const char *value, struct omb_chart_spec *sp, char *err, size_t cap)
{
    sp->value_col = sp->label_col = sp->year_col = -1;
    sp->year_col = omb_mtable_column(t, "year");
    if (value) {
        sp->value_col = omb_mtable_column(t, value);
        if (sp->value_col < 0 || !is_numeric_col(t, sp->value_col)) {
            int o = snprintf(err, cap, "no numeric column \"%s\" to chart; the numeric columns are:", value);
            for (int c = 0; c < t->n_cols && o > 0 && (size_t)o < cap; c++)
                if (is_numeric_col(t, c) && c != sp->year_col) o += snprintf(err + o, cap - (size_t)o, " %s", t->names[c]);
            return OMB_EINVAL;
        }
    } else if (t->chart_col >= 0) {
        sp->value_col = t->chart_col;
    } else {
        for (int c = 0; c < t->n_cols && sp->value_col < 0; c++)
            if (c != sp->year_col && is_numeric_col(t, c)) sp->value_col = c;
    }
    if (sp->value_col < 0) {
        snprintf(err, cap, "the result has no numeric column to chart");
        return OMB_EINVAL;
    }
    sp->label_last = -1;
    for (int c = 0; c < sp->value_col; c++)
        if (t->types[c] == OMB_VALUE_TEXT) {
            if (sp->label_col < 0) sp->label_col = c;
            sp->label_last = c;
        }
    for (int c = 0; c < t->n_cols && sp->label_col < 0; c++)
        if (t->types[c] == OMB_VALUE_TEXT) sp->label_col = sp->label_last = c;
    /* a chart with nothing on it misleads: say so instead of drawing one */
    size_t drawable = 0;
    for (size_t r = 0; r < t->n_rows; r++) {
        const struct omb_cell *x = omb_mtable_cell(t, r, sp->value_col);
        if (x->type == OMB_VALUE_INT || x->type == OMB_VALUE_REAL) drawable++;
    }
    if (!drawable) {
        snprintf(err, cap, "nothing to draw: \"%s\" has no value in any of the %zu row%s; no chart written",
                 t->names[sp->value_col], t->n_rows, t->n_rows == 1 ? "" : "s");
        return OMB_EINVAL;
    }
    return OMB_OK;
}

/* 12345678 -> "12,345,678" */
static void thousands(long long v, char *buf, size_t cap)
{
    char tmp[32];
    int neg = v < 0;
    unsigned long long u = neg ? (unsigned long long)(-(v + 1)) + 1 : (unsigned long long)v;
    int n = snprintf(tmp, sizeof tmp, "%llu", u), o = 0;
    char out[48];
    if (neg) out[o++] = '-';
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0) out[o++] = ',';
        out[o++] = tmp[i];
    }
    out[o] = '\0';
    snprintf(buf, cap, "%s", out);
}

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

void omb_chart_format_value(const char *col, double v, char *buf, size_t cap)
{
    char num[48];
    if (v != v) {
        snprintf(buf, cap, "-");
    } else if (ends_with(col, "_pence") || strstr(col, "_pence_")) {
        double pounds = v / 100.0;
        long long whole = (long long)(pounds < 0 ? -pounds : pounds);
        long long pence = llround(fabs(v)) % 100;
        thousands(whole, num, sizeof num);
        snprintf(buf, cap, "%s£%s%s%02lld", v < 0 ? "-" : "", num, pence ? "." : "", pence);
        if (!pence) buf[strlen(buf) - 2] = '\0';
    } else if (strstr(col, "rate") || strstr(col, "share")) {
        snprintf(buf, cap, "%.1f%%", v * 100.0);
    } else if (v == floor(v) && fabs(v) < 1e15) {
        thousands((long long)v, buf, cap);
    } else {
        snprintf(buf, cap, "%.4g", v);
    }
}

static int cell_number(const omb_mtable *t, size_t r, int c, double *out)
{
    const struct omb_cell *x = omb_mtable_cell(t, r, c);
    if (x->type == OMB_VALUE_INT) *out = (double)x->i;
    else if (x->type == OMB_VALUE_REAL) *out = x->d;
    else return 0;
    return 1;
}

/* The label of row r: its label columns joined by " · " into buf. */
static const char *row_label_sep(const omb_mtable *t, size_t r, const struct omb_chart_spec *sp, char *buf, size_t cap,
                                 const char *sep)
{
    size_t o = 0;
    buf[0] = '\0';
    for (int c = sp->label_col; c >= 0 && c <= sp->label_last; c++) {
        if (t->types[c] != OMB_VALUE_TEXT) continue;
        const struct omb_cell *x = omb_mtable_cell(t, r, c);
        int w = snprintf(buf + o, cap - o, "%s%s", o ? sep : "", x->type == OMB_VALUE_TEXT ? x->s : "(none)");
        if (w < 0 || (size_t)w >= cap - o) break;
        o += (size_t)w;
    }
    return buf;
}

#define row_label(t, r, sp, buf, cap) row_label_sep(t, r, sp, buf, cap, " \u00B7 ")

/* Plain terminals get ASCII decorations: "GBP 1,234.50" and " / ". */
static void plain_money(char *buf, size_t cap)
{
    char *p = strstr(buf, "\u00A3");
    if (!p) return;
    char tail[64];
    snprintf(tail, sizeof tail, "%s", p + 2);
    snprintf(p, cap - (size_t)(p - buf), "GBP %s", tail);
}

/* The series of a line chart: distinct labels with their values by year. */
struct series {
    char *label;  /* owned */
    double *v;    /* n_years values; NaN where the table has no row */
    double total; /* for picking the largest */
};

struct grid {
    int y0, n_years;
    struct series *s;
    size_t n;
};

static void grid_free(struct grid *g)
{
    for (size_t k = 0; k < g->n; k++) free(g->s[k].v), free(g->s[k].label);
    free(g->s);
    memset(g, 0, sizeof *g);
}

static int cmp_total(const void *a, const void *b)
{
    double x = ((const struct series *)a)->total, y = ((const struct series *)b)->total;
    return (x < y) - (x > y);
}

/* Builds series by label over the years; returns 0 when there is no year
 * axis to draw (fewer than two years), -1 when out of memory. */
static int build_grid(const omb_mtable *t, const struct omb_chart_spec *sp, struct grid *g, const char *sep)
{
    memset(g, 0, sizeof *g);
    if (sp->year_col < 0) return 0;
    int lo = 0, hi = 0, any = 0;
    for (size_t r = 0; r < t->n_rows; r++) {
        double y;
        if (!cell_number(t, r, sp->year_col, &y)) continue;
        if (!any || y < lo) lo = (int)y;
        if (!any || y > hi) hi = (int)y;
        any = 1;
    }
    if (!any || hi <= lo || hi - lo > 200) return 0;
    g->y0 = lo;
    g->n_years = hi - lo + 1;
    for (size_t r = 0; r < t->n_rows; r++) {
        double y, v;
        if (!cell_number(t, r, sp->year_col, &y) || !cell_number(t, r, sp->value_col, &v)) continue;
        char buf[200];
        const char *label = sp->label_col >= 0 ? row_label_sep(t, r, sp, buf, sizeof buf, sep) : "all";
        size_t k = 0;
        while (k < g->n && strcmp(g->s[k].label, label)) k++;
        if (k == g->n) {
            struct series *p = realloc(g->s, (g->n + 1) * sizeof *p);
            if (!p) goto nomem;
            g->s = p;
            g->s[k].total = 0;
            g->s[k].v = NULL;
            if (!(g->s[k].label = strdup(label))) goto nomem;
            g->n++;
            if (!(g->s[k].v = malloc((size_t)g->n_years * sizeof(double)))) goto nomem;
            for (int j = 0; j < g->n_years; j++) g->s[k].v[j] = NAN;
        }
        int j = (int)y - lo;
        g->s[k].v[j] = isnan(g->s[k].v[j]) ? v : g->s[k].v[j] + v;
        g->s[k].total += fabs(v);
    }
    qsort(g->s, g->n, sizeof *g->s, cmp_total);
    return 1;
nomem:
    grid_free(g);
    return -1;
}

/* Prints s padded or cut to w display columns. */
static void put_padded(FILE *f, const char *s, size_t w)
{
    size_t n = strlen(s), cols = 0, i = 0;
    while (i < n && cols < w) {
        i++;
        while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80) i++;
        cols++;
    }
    fwrite(s, 1, i, f);
    for (; cols < w; cols++) fputc(' ', f);
}

/* The rows of a bar chart in the order people rank by: largest value
 * first, rows with no value last, ties in the table's order.  Terminal and
 * SVG bars share it.  NULL when out of memory; the caller frees it. */
static size_t *bar_order(const omb_mtable *t, const struct omb_chart_spec *sp)
{
    size_t *ord = malloc((t->n_rows ? t->n_rows : 1) * sizeof *ord);
    if (!ord) return NULL;
    for (size_t r = 0; r < t->n_rows; r++) ord[r] = r;
    for (size_t a = 1; a < t->n_rows; a++) /* insertion sort: stable, few rows */
        for (size_t b = a; b > 0; b--) {
            double x, y;
            int hx = cell_number(t, ord[b - 1], sp->value_col, &x), hy = cell_number(t, ord[b], sp->value_col, &y);
            if (hx && (!hy || x >= y)) break;
            size_t tmp = ord[b - 1];
            ord[b - 1] = ord[b], ord[b] = tmp;
        }
    return ord;
}

int omb_chart_terminal(FILE *f, const omb_mtable *t, const struct omb_chart_spec *sp, int plain, int width)
{
    static const char *const spark_u[8] = {"\u2581", "\u2582", "\u2583", "\u2584",
                                           "\u2585", "\u2586", "\u2587", "\u2588"};
    static const char spark_a[] = "_.,-=+*#";
    static const char *const eighths[8] = {"", "\u258F", "\u258E", "\u258D", "\u258C", "\u258B", "\u258A", "\u2589"};
    const char *col = t->names[sp->value_col];
    char num[64];
    if (width <= 0) width = 80;
    struct grid g;
    const char *sep = plain ? " / " : " \u00B7 ";
    int have = build_grid(t, sp, &g, sep);
    if (have < 0) return OMB_ENOMEM;
    if (have > 0) {
        double max = 0;
        size_t lw = 5;
        for (size_t k = 0; k < g.n; k++) {
            size_t w = omb_utf8_width(g.s[k].label, strlen(g.s[k].label));
            if (w > lw) lw = w;
            for (int j = 0; j < g.n_years; j++)
                if (!isnan(g.s[k].v[j]) && fabs(g.s[k].v[j]) > max) max = fabs(g.s[k].v[j]);
        }
        if (lw > 36) lw = 36;
        fprintf(f, "%s by year, %d-%d (one mark per year%s)\n", col, g.y0, g.y0 + g.n_years - 1,
                plain ? "; _ lowest, # highest" : "");
        for (size_t k = 0; k < g.n; k++) {
            put_padded(f, g.s[k].label, lw);
            fputs("  ", f);
            double last = NAN;
            for (int j = 0; j < g.n_years; j++) {
                double v = g.s[k].v[j];
                if (isnan(v)) {
                    fputc(' ', f);
                    continue;
                }
                int lvl = max > 0 ? (int)(fabs(v) / max * 7.0 + 0.5) : 0;
                if (lvl > 7) lvl = 7;
                if (plain) fputc(spark_a[lvl], f);
                else fputs(spark_u[lvl], f);
                last = v;
            }
            omb_chart_format_value(col, last, num, sizeof num);
            if (plain) plain_money(num, sizeof num);
            fprintf(f, "  last %s\n", num);
        }
        grid_free(&g);
        return OMB_OK;
    }
    /* bars, one per row, largest first */
    double max = 0;
    size_t lw = 1, vw = 1, shown = t->n_rows < MAX_BARS ? t->n_rows : MAX_BARS;
    char label[160];
    size_t *ord = bar_order(t, sp);
    if (!ord) return OMB_ENOMEM;
    for (size_t i = 0; i < shown; i++) {
        size_t r = ord[i];
        double v;
        if (cell_number(t, r, sp->value_col, &v) && fabs(v) > max) max = fabs(v);
        const char *l = row_label_sep(t, r, sp, label, sizeof label, sep);
        size_t w = omb_utf8_width(l, strlen(l));
        if (sp->year_col >= 0) w += 5;
        if (w > lw) lw = w;
        omb_chart_format_value(col, cell_number(t, r, sp->value_col, &v) ? v : NAN, num, sizeof num);
        if (plain) plain_money(num, sizeof num);
        if (strlen(num) > vw) vw = strlen(num);
    }
    if (lw > 36) lw = 36;
    int bar_w = width - (int)lw - (int)vw - 4;
    if (bar_w < 10) bar_w = 10;
    fprintf(f, "%s\n", col);
    for (size_t i = 0; i < shown; i++) {
        size_t r = ord[i];
        double v, y;
        int ok = cell_number(t, r, sp->value_col, &v);
        row_label_sep(t, r, sp, label, sizeof label, sep);
        if (sp->year_col >= 0 && cell_number(t, r, sp->year_col, &y)) {
            size_t o = strlen(label);
            snprintf(label + o, sizeof label - o, "%s%d", o ? " " : "", (int)y);
        }
        put_padded(f, label, lw);
        fputs("  ", f);
        omb_chart_format_value(col, ok ? v : NAN, num, sizeof num);
        if (plain) plain_money(num, sizeof num);
        fprintf(f, "%*s  ", (int)vw, num);
        if (ok && max > 0) {
            int units = (int)(fabs(v) / max * bar_w * 8 + 0.5);
            for (int k = 0; k < units / 8; k++) fputs(plain ? "#" : "\u2588", f);
            if (units % 8) fputs(plain ? (units % 8 >= 4 ? "+" : "") : eighths[units % 8], f);
        }
        fputc('\n', f);
    }
    if (t->n_rows > shown) fprintf(f, "... %zu more rows not charted\n", t->n_rows - shown);
    free(ord);
    return OMB_OK;
}

/* ---- SVG ------------------------------------------------------------------------ */

static void xml_text(FILE *f, const char *s, size_t max_cols)
{
    size_t cols = 0;
    for (const char *p = s; *p; p++) {
        if (((unsigned char)*p & 0xC0) != 0x80 && ++cols > max_cols) {
            fputs("\u2026", f);
            return;
        }
        switch (*p) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*p, f);
        }
    }
}

/* A round step for about n ticks up to max: 1, 2 or 5 times a power of 10. */
static double nice_step(double max, int n)
{
    if (max <= 0) return 1;
    double raw = max / n, p = pow(10, floor(log10(raw))), m = raw / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

static void svg_open(FILE *f, int w, int h, const char *title)
{
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
               "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
               "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n",
            w, h, w, h);
    if (title) {
        fputs("<title>", f);
        xml_text(f, title, 200);
        fputs("</title>\n<text x=\"20\" y=\"28\" font-size=\"16\" font-weight=\"bold\" fill=\"#222\">", f);
        xml_text(f, title, 90);
        fputs("</text>\n", f);
    }
}

/* A column's name in words for a chart's subtitle: the figures people ask
 * about by their everyday names, money marked "£" ("total_pence" ->
 * "Redress paid, £"), other names with spaces for underscores. */
static const char *value_words(const char *name, char *buf, size_t cap)
{
    static const char *const known[][2] = {{"total_pence", "Redress paid"},
                                           {"mean_pence", "Mean payment"},
                                           {"median_pence", "Median payment"},
                                           {"p90_pence", "Payment, 90th percentile"},
                                           {"change_pence", "Change in redress paid on the year before"},
                                           {"uphold_rate", "Share of decided cases upheld"},
                                           {"n_cases", "Cases"},
                                           {"n_upheld", "Cases upheld"},
                                           {"n_improvements", "Service improvements asked for"},
                                           {NULL, NULL}};
    int money = strstr(name, "_pence") != NULL;
    for (int k = 0; known[k][0]; k++)
        if (!strcmp(name, known[k][0])) {
            snprintf(buf, cap, "%s%s", known[k][1], money ? ", \xC2\xA3," : "");
            return buf;
        }
    size_t o = 0;
    for (size_t i = 0; name[i] && o + 1 < cap; i++) {
        if (money && !strncmp(name + i, "_pence", 6)) {
            i += 5;
            continue;
        }
        buf[o++] = name[i] == '_' ? ' ' : name[i];
    }
    buf[o] = '\0';
    if (o) buf[0] = (char)toupper((unsigned char)buf[0]);
    if (money && o + 5 < cap) strcat(buf, ", \xC2\xA3,");
    return buf;
}

const char *omb_chart_title(const omb_mtable *t, const struct omb_chart_spec *sp, const char *by, char *buf,
                            size_t cap)
{
    char words[128];
    value_words(t->names[sp->value_col], words, sizeof words);
    size_t n = strlen(words);
    const char *comma = n && words[n - 1] == ',' ? " " : ", ";
    int year = sp->year_col >= 0;
    if (by && !strcmp(by, "year")) by = NULL;
    if (by && *by) snprintf(buf, cap, "%s%sby %s%s", words, comma, by, year ? " and year" : "");
    else if (year) snprintf(buf, cap, "%s%sby year", words, comma);
    else {
        if (n && words[n - 1] == ',') words[n - 1] = '\0';
        snprintf(buf, cap, "%s", words);
    }
    return buf;
}

/* The chart's footnote: the table's coverage (how many cases the figures
 * rest on, how many were left out and why), so a chart read alone still
 * says what it leaves out. */
static void svg_footnote(FILE *f, const omb_mtable *t, const struct omb_chart_spec *sp, int h, int lines)
{
    char buf[1024];
    size_t k = 0;
    int any = 0;
    fprintf(f, "<text x=\"20\" y=\"%d\" font-size=\"11\" fill=\"#555\">", h - 6);
    for (; omb_mtable_coverage_text(t, &k, buf, sizeof buf); any = 1) {
        fputs(any ? "; " : "Coverage: ", f);
        xml_text(f, buf, 400);
    }
    /* a line chart has no place for rows without a year: say how many
     * cases they hold rather than dropping them without a word */
    if (lines && sp->year_col >= 0) {
        int n_col = omb_mtable_column(t, "n_cases");
        long long cases = 0, rows = 0;
        for (size_t r = 0; r < t->n_rows; r++) {
            double y, n;
            if (cell_number(t, r, sp->year_col, &y)) continue;
            rows++;
            cases += n_col >= 0 && cell_number(t, r, n_col, &n) ? (long long)n : 0;
        }
        if (rows) {
            if (n_col >= 0)
                snprintf(buf, sizeof buf, "%sNot drawn: %lld case%s with no decision date (in the table's rows with no year)",
                         any ? ". " : "", cases, cases == 1 ? "" : "s");
            else
                snprintf(buf, sizeof buf, "%sNot drawn: %lld row%s with no decision date (year)", any ? ". " : "", rows,
                         rows == 1 ? "" : "s");
            xml_text(f, buf, 400);
        }
    }
    fputs("</text>\n", f);
}

/* Opens a <g> holding series k's marker at (x, y): circle, square,
 * triangle, diamond, then again; the caller adds a <title> and closes it. */
static void marker(FILE *f, int k, double x, double y, double r, const char *c)
{
    fprintf(f, "<g fill=\"%s\" stroke=\"#fff\" stroke-width=\"1\">", c);
    switch (k % 4) {
    case 0: fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\"/>", x, y, r); break;
    case 1: fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>", x - r, y - r, 2 * r, 2 * r); break;
    case 2:
        fprintf(f, "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\"/>", x, y - r * 1.2, x - r * 1.1, y + r * 0.8,
                x + r * 1.1, y + r * 0.8);
        break;
    default:
        fprintf(f, "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f\"/>", x, y - r * 1.3, x + r * 1.3, y, x,
                y + r * 1.3, x - r * 1.3, y);
    }
}

/* The value label of a series with a single year. */
struct point_label {
    int j;          /* the year's index */
    size_t k;       /* the series */
    double mx, my;  /* its marker */
    double want, y; /* baseline beside the marker; where it is drawn */
    char text[64];
};

#define LABEL_GAP 13 /* baseline to baseline: 11px text with a pixel or two between */

static int cmp_label(const void *a, const void *b)
{
    const struct point_label *x = a, *y = b;
    if (x->j != y->j) return x->j - y->j;
    return (x->want > y->want) - (x->want < y->want);
}

static int svg_lines(FILE *f, const omb_mtable *t, const struct omb_chart_spec *sp, struct grid *g, const char *title)
{
    const int W = 960, H = 570, L = 90, R = 250, T = 60, B = 80;
    const int pw = W - L - R, ph = H - T - B;
    const char *col = t->names[sp->value_col];
    char words[128];
    size_t n = g->n < MAX_SERIES ? g->n : MAX_SERIES, n_lab = 0;
    struct point_label lab[MAX_SERIES];
    double lo = 0, hi = 0;
    char num[64];
    for (size_t k = 0; k < n; k++)
        for (int j = 0; j < g->n_years; j++) {
            double v = g->s[k].v[j];
            if (isnan(v)) continue;
            if (v > hi) hi = v;
            if (v < lo) lo = v;
        }
    double step = nice_step(hi - lo > 0 ? hi - lo : 1, 5);
    lo = floor(lo / step) * step;
    hi = ceil(hi / step) * step;
    if (hi <= lo) hi = lo + step;
    svg_open(f, W, H, title);
#define X(j) (L + (g->n_years > 1 ? (double)(j) * pw / (g->n_years - 1) : pw / 2.0))
#define Y(v) (T + ph - ((v) - lo) / (hi - lo) * ph)
    /* grid and y labels */
    for (double v = lo; v <= hi + step / 2; v += step) {
        omb_chart_format_value(col, v, num, sizeof num);
        fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e0e0e0\"/>\n", L, Y(v), L + pw, Y(v));
        fprintf(f, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#555\">%s</text>\n", L - 8, Y(v) + 4, num);
    }
    int every = g->n_years > 16 ? (g->n_years + 15) / 16 : 1;
    for (int j = 0; j < g->n_years; j += every)
        fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%d</text>\n", X(j), T + ph + 20,
                g->y0 + j);
    fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>\n", L, T + ph, L + pw, T + ph);
    fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>\n", L, T, L, T + ph);
    fputs("<text x=\"20\" y=\"48\" fill=\"#555\">", f);
    xml_text(f, value_words(col, words, sizeof words), 80);
    fputs(" by year</text>\n", f);
    fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">Year of decision</text>\n", L + pw / 2,
            T + ph + 38);
    for (size_t k = 0; k < n; k++) {
        const char *c = palette[k];
        /* a gap in the years breaks the line rather than inventing a value */
        int open = 0;
        for (int j = 0; j < g->n_years; j++) {
            double v = g->s[k].v[j];
            if (isnan(v)) {
                if (open) fputs("\"/>\n", f);
                open = 0;
                continue;
            }
            if (!open) fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"", c);
            fprintf(f, "%s%.1f,%.1f", open ? " " : "", X(j), Y(v));
            open = 1;
        }
        if (open) fputs("\"/>\n", f);
        /* points of series that meet would hide one another: each series
         * has its own marker shape and a small sideways offset */
        double dx = n > 1 ? ((double)k - (double)(n - 1) / 2.0) * 2.5 : 0;
        int points = 0;
        for (int j = 0; j < g->n_years; j++) points += !isnan(g->s[k].v[j]);
        for (int j = 0; j < g->n_years; j++) {
            double v = g->s[k].v[j];
            if (isnan(v)) continue;
            omb_chart_format_value(col, v, num, sizeof num);
            /* a series with one year has no line: a bigger mark with its value */
            double r = points == 1 ? 6 : 4;
            marker(f, (int)k, X(j) + dx, Y(v), r, c);
            fputs("<title>", f);
            xml_text(f, g->s[k].label, 80);
            fprintf(f, " %d: %s</title></g>\n", g->y0 + j, num);
            /* its value beside it, inward at the last year so it stays off
             * the legend; placed once every series is drawn (below) */
            if (points == 1 && n_lab < n) {
                struct point_label *pl = &lab[n_lab++];
                pl->j = j, pl->k = k, pl->mx = X(j) + dx, pl->my = Y(v), pl->want = pl->y = Y(v) + 4;
                snprintf(pl->text, sizeof pl->text, "%s", num);
            }
        }
        if (sp->label_col < 0) continue; /* one unnamed series needs no legend */
        int ly = T + 10 + (int)k * 22;
        fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"18\" height=\"2\" fill=\"%s\"/>\n", L + pw + 18, ly - 4, c);
        marker(f, (int)k, L + pw + 27, ly - 3, 4, c);
        fputs("</g>\n", f);
        fprintf(f, "<text x=\"%d\" y=\"%d\" fill=\"#222\">", L + pw + 40, ly + 1);
        xml_text(f, g->s[k].label, 30);
        fputs("</text>\n", f);
    }
    if (g->n > n)
        fprintf(f, "<text x=\"%d\" y=\"%d\" fill=\"#777\">+ %zu smaller not shown</text>\n", L + pw + 20,
                T + 10 + (int)n * 22, g->n - n);
    /* the labels of one-year series: those of one year share a column clear
     * of every series' marker offset and are stacked LABEL_GAP apart, so
     * close values do not print over each other; a label moved off its
     * point gets a thin leader line to it */
    qsort(lab, n_lab, sizeof *lab, cmp_label);
    double max_dx = n > 1 ? (double)(n - 1) / 2.0 * 2.5 : 0;
    for (size_t a = 0; a < n_lab;) {
        size_t b = a + 1;
        while (b < n_lab && lab[b].j == lab[a].j) b++;
        for (size_t i = a + 1; i < b; i++)
            if (lab[i].y < lab[i - 1].y + LABEL_GAP) lab[i].y = lab[i - 1].y + LABEL_GAP;
        /* below the axis: move the lowest up, and those above it only as far
         * as they must */
        if (lab[b - 1].y > T + ph + 4) lab[b - 1].y = T + ph + 4;
        for (size_t i = b - 1; i > a; i--)
            if (lab[i - 1].y > lab[i].y - LABEL_GAP) lab[i - 1].y = lab[i].y - LABEL_GAP;
        for (size_t i = a; i < b; i++) {
            const struct point_label *pl = &lab[i];
            int last = pl->j == g->n_years - 1;
            double x = X(pl->j) + (last ? -(10 + max_dx) : 10 + max_dx);
            if (fabs(pl->y - pl->want) > 3)
                fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"0.75\"/>\n",
                        x + (last ? 2 : -2), pl->y - 4, pl->mx, pl->my, palette[pl->k]);
            fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\" font-size=\"11\" text-anchor=\"%s\">%s</text>\n", x,
                    pl->y, palette[pl->k], last ? "end" : "start", pl->text);
        }
        a = b;
    }
#undef X
#undef Y
    svg_footnote(f, t, sp, H, 1);
    fputs("</svg>\n", f);
    return OMB_OK;
}

static int svg_bars(FILE *f, const omb_mtable *t, const struct omb_chart_spec *sp, const char *title)
{
    size_t n = t->n_rows < MAX_BARS ? t->n_rows : MAX_BARS;
    const char *col = t->names[sp->value_col];
    char words[128];
    const int W = 960, T = 60, BH = 24, R = 120;
    char label[200], num[64];
    size_t lw = 4;
    double lo = 0, hi = 0;
    size_t *ord = bar_order(t, sp);
    if (!ord) return OMB_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        size_t r = ord[i];
        double v, y;
        if (cell_number(t, r, sp->value_col, &v)) {
            if (v > hi) hi = v;
            if (v < lo) lo = v;
        }
        const char *l = row_label(t, r, sp, label, sizeof label);
        size_t w = omb_utf8_width(l, strlen(l)) + (sp->year_col >= 0 && cell_number(t, r, sp->year_col, &y) ? 5 : 0);
        if (w > lw) lw = w;
    }
    if (lw > 45) lw = 45;
    int L = 20 + (int)lw * 7;
    int pw = W - L - R, H = T + (int)n * BH + 50;
    if (hi <= lo) hi = lo + 1;
    svg_open(f, W, H, title);
    fputs("<text x=\"20\" y=\"48\" fill=\"#555\">", f);
    value_words(col, words, sizeof words);
    size_t wl = strlen(words);
    if (wl && words[wl - 1] == ',') words[wl - 1] = '\0'; /* "Redress paid, £" ends there in a bar chart */
    xml_text(f, words, 80);
    fputs("</text>\n", f);
    double zero = L + (0 - lo) / (hi - lo) * pw;
    for (size_t i = 0; i < n; i++) {
        size_t r = ord[i];
        double v, y;
        int ok = cell_number(t, r, sp->value_col, &v);
        row_label(t, r, sp, label, sizeof label);
        if (sp->year_col >= 0 && cell_number(t, r, sp->year_col, &y)) {
            size_t o = strlen(label);
            snprintf(label + o, sizeof label - o, "%s%d", o ? " " : "", (int)y);
        }
        int top = T + (int)i * BH;
        fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#222\">", L - 8, top + 16);
        xml_text(f, label, lw);
        fputs("</text>\n", f);
        if (!ok) continue;
        double x1 = L + (v - lo) / (hi - lo) * pw;
        double a = x1 < zero ? x1 : zero, w = fabs(x1 - zero);
        omb_chart_format_value(col, v, num, sizeof num);
        fprintf(f, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>", a, top + 4,
                w < 0.5 ? 0.5 : w, BH - 8, palette[0]);
        xml_text(f, label, 100);
        fprintf(f, ": %s</title></rect>\n", num);
        fprintf(f, "<text x=\"%.1f\" y=\"%d\" fill=\"#444\">%s</text>\n", (x1 > zero ? x1 : zero) + 6, top + 16, num);
    }
    fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#888\"/>\n", zero, T, zero,
            T + (int)n * BH);
    if (t->n_rows > n)
        fprintf(f, "<text x=\"20\" y=\"%d\" fill=\"#777\">+ %zu more rows not shown</text>\n", T + (int)n * BH + 30,
                t->n_rows - n);
    svg_footnote(f, t, sp, H, 0);
    fputs("</svg>\n", f);
    free(ord);
    return OMB_OK;
}

int omb_chart_svg(FILE *f, const omb_mtable *t, const struct omb_chart_spec *sp, const char *title)
{
    struct grid g;
    int have = build_grid(t, sp, &g, " \u00B7 ");
    if (have < 0) return OMB_ENOMEM;
    if (have > 0) {
        int rc = svg_lines(f, t, sp, &g, title);
        grid_free(&g);
        return rc;
    }
    return svg_bars(f, t, sp, title);
}
