/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * output.c -- the one renderer of rows (output.h).  Tables fit the width
 * given by narrowing free-text columns only, whose cells then wrap at
 * spaces, so references, dates, money and authority names stay whole; rows
 * that cannot fit even so are folded, a line per column.  Only the rows
 * shown are kept in memory; CSV and JSON stream every row with no limit.
 * Nothing here knows a terminal: the caller says how wide and whether to
 * colour.
 */
#include "output.h"

#include <math.h>
#include <ombuds/plugin.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define ELLIPSIS "\xE2\x80\xA6"

int omb_out_format_parse(const char *s)
{
    if (!s) return 0;
    if (!strcmp(s, "table")) return OMB_OUT_TABLE;
    if (!strcmp(s, "csv")) return OMB_OUT_CSV;
    if (!strcmp(s, "json")) return OMB_OUT_JSON;
    if (!strcmp(s, "jsonl")) return OMB_OUT_JSONL;
    return 0;
}

static int file_write(void *ud, const char *p, size_t n) { return fwrite(p, 1, n, ud) == n ? 0 : -1; }

struct omb_out omb_out_file(FILE *f) { return (struct omb_out){file_write, f}; }

size_t omb_utf8_width(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0x1B) { /* an ANSI colour sequence takes no columns */
            while (i < n && s[i] != 'm') i++;
            continue;
        }
        if ((c & 0xC0) != 0x80) w++;
    }
    return w;
}

void omb_out_count(char *buf, size_t cap, unsigned long long n)
{
    char digits[32];
    int len = snprintf(digits, sizeof digits, "%llu", n);
    size_t o = 0;
    for (int i = 0; i < len && o + 2 < cap; i++) {
        if (i && (len - i) % 3 == 0) buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o < cap ? o : cap - 1] = '\0';
}

void omb_out_money(char *buf, size_t cap, int64_t pence)
{
    char pounds[40];
    /* through unsigned so INT64_MIN does not overflow */
    unsigned long long a = pence < 0 ? 0ULL - (unsigned long long)pence : (unsigned long long)pence;
    omb_out_count(pounds, sizeof pounds, a / 100);
    snprintf(buf, cap, "%s\xC2\xA3%s.%02u", pence < 0 ? "-" : "", pounds, (unsigned)(a % 100));
}

int64_t omb_out_round_pence(double d)
{
    if (d != d) return 0;
    if (d >= 9.2e18) return INT64_MAX;
    if (d <= -9.2e18) return INT64_MIN;
    return (int64_t)llround(d);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcmp(s + n - k, suffix);
}

int omb_out_is_money(const char *name) { return name && (ends_with(name, "_pence") || strstr(name, "_pence_")); }

int omb_out_is_identifier(const char *name)
{
    if (!name) return 0;
    static const char *const exact[] = {"ref", "reference", "year", "authority", "council", "date", "period", NULL};
    for (int k = 0; exact[k]; k++)
        if (!strcmp(name, exact[k])) return 1;
    return ends_with(name, "_ref") || ends_with(name, "date") || ends_with(name, "_year") ||
           !strncmp(name, "authority", 9) || omb_out_is_money(name);
}

/* ---- writing through a sink ---------------------------------------------------- */

static int put(const struct omb_out *o, const char *p, size_t n) { return n ? o->write(o->ud, p, n) : 0; }
static int puts_(const struct omb_out *o, const char *s) { return put(o, s, strlen(s)); }

void omb_out_json_string(const struct omb_out *o, const char *s, size_t n)
{
    put(o, "\"", 1);
    size_t run = 0; /* bytes passed through unchanged, written in one go */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        char u[8];
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        default:
            if (c < 0x20) {
                snprintf(u, sizeof u, "\\u%04x", c);
                esc = u;
            }
        }
        if (!esc) {
            run++;
            continue;
        }
        put(o, s + i - run, run);
        run = 0;
        puts_(o, esc);
    }
    put(o, s + n - run, run);
    put(o, "\"", 1);
}

void omb_out_csv_field(const struct omb_out *o, const char *s, size_t n)
{
    int quote = 0;
    for (size_t i = 0; i < n && !quote; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r') quote = 1;
    if (!quote) {
        put(o, s, n);
        return;
    }
    put(o, "\"", 1);
    size_t start = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '"') {
            put(o, s + start, i + 1 - start); /* through the quote, which is then written again */
            start = i;
        }
    put(o, s + start, n - start);
    put(o, "\"", 1);
}

void omb_json_string(FILE *f, const char *s, size_t n)
{
    struct omb_out o = omb_out_file(f);
    omb_out_json_string(&o, s, n);
}

void omb_csv_field(FILE *f, const char *s, size_t n)
{
    struct omb_out o = omb_out_file(f);
    omb_out_csv_field(&o, s, n);
}

/* The shortest of %.15g and %.17g that reads back as d. */
static void real_text(char *buf, size_t cap, double d)
{
    snprintf(buf, cap, "%.15g", d);
    if (strtod(buf, NULL) != d) snprintf(buf, cap, "%.17g", d);
}

/* ---- the renderer ----------------------------------------------------------------- */

struct omb_rows {
    struct omb_out out;
    struct omb_out_opts o;
    int nc, err;
    char **names, **headers;
    int *money, *ident, *numeric;
    size_t *w, *content; /* column width; widest cell (header apart) */
    size_t *word;        /* longest word of a column's cells: narrower, words would break */
    int64_t *sum;        /* totals: sum of each column over every row (money rounded to the penny) */
    char **total_cells;  /* totals: the text of the "total" line */
    char **cells;        /* table: shown rows, row-major, each cell's text */
    size_t n_rows, cap_rows, total;
    size_t pad; /* table: blanks owed before the next text on the line */
    int fold;   /* table: too wide even wrapped: one "column : value" line each */
};

static void flush_pad(omb_rows *r);
static void emit(omb_rows *r, const char *p, size_t n)
{
    if (!n) return;
    if (r->pad) flush_pad(r);
    if (!r->err && put(&r->out, p, n)) r->err = OMB_EIO;
}
static void emits(omb_rows *r, const char *s) { emit(r, s, strlen(s)); }

static void emitf(omb_rows *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void emitf(omb_rows *r, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > 0) emit(r, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

static void free_rows(omb_rows *r)
{
    if (!r) return;
    for (int i = 0; i < r->nc; i++) {
        free(r->names[i]);
        free(r->headers[i]);
    }
    free(r->headers);
    for (size_t k = 0; k < r->n_rows * (size_t)r->nc; k++) free(r->cells[k]);
    free(r->names);
    free(r->money);
    free(r->w);
    free(r->cells);
    if (r->total_cells)
        for (int i = 0; i < r->nc; i++) free(r->total_cells[i]);
    free(r->total_cells);
    free(r->sum);
    free(r);
}

/* The name shown over a column: money without its "_pence"
 * ("payment_total_pence" -> "payment_total", "trend_pence_per_year" ->
 * "trend_per_year"), since the cells say £. */
static char *header_text(const char *name, int money)
{
    char *h = strdup(name);
    char *p = h && money ? strstr(h, "_pence") : NULL;
    if (p) memmove(p, p + 6, strlen(p + 6) + 1);
    return h;
}

omb_rows *omb_rows_begin(struct omb_out out, const struct omb_out_opts *o, int nc, const char *const *names)
{
    omb_rows *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->out = out;
    r->o = *o;
    if (nc < 0) nc = 0;
    r->names = calloc((size_t)nc + 1, sizeof *r->names);
    r->headers = calloc((size_t)nc + 1, sizeof *r->headers);
    r->money = calloc(3 * ((size_t)nc + 1), sizeof *r->money);
    r->w = calloc(3 * ((size_t)nc + 1), sizeof *r->w);
    r->sum = calloc((size_t)nc + 1, sizeof *r->sum);
    if (!r->names || !r->headers || !r->money || !r->w || !r->sum) {
        free_rows(r);
        return NULL;
    }
    r->ident = r->money + nc + 1;
    r->numeric = r->ident + nc + 1;
    r->content = r->w + nc + 1;
    r->word = r->content + nc + 1;
    for (int i = 0; i < nc; i++) {
        r->names[i] = strdup(names[i] ? names[i] : "");
        r->money[i] = omb_out_is_money(names[i] ? names[i] : "");
        r->headers[i] = header_text(names[i] ? names[i] : "", r->money[i]);
        r->nc = i + 1;
        if (!r->names[i] || !r->headers[i]) {
            free_rows(r);
            return NULL;
        }
        r->ident[i] = omb_out_is_identifier(r->names[i]);
        r->numeric[i] = 1;
        r->w[i] = omb_utf8_width(r->headers[i], strlen(r->headers[i]));
    }
    if (r->o.format == OMB_OUT_CSV) {
        for (int i = 0; i < nc; i++) {
            omb_out_csv_field(&r->out, r->names[i], strlen(r->names[i]));
            emits(r, i + 1 < nc ? "," : "\r\n");
        }
    } else if (r->o.format == OMB_OUT_JSON) {
        emits(r, "[");
    }
    return r;
}

/* The text of a cell in a table: one line, money in pounds. */
static char *table_cell(const omb_rows *r, int i, const struct omb_out_cell *c)
{
    char buf[64];
    const char *t = buf;
    size_t n;
    buf[0] = '\0';
    switch (c->type) {
    case OMB_VALUE_INT:
        if (r->money[i]) omb_out_money(buf, sizeof buf, c->i);
        else snprintf(buf, sizeof buf, "%lld", (long long)c->i);
        break;
    case OMB_VALUE_REAL:
        if (r->money[i]) omb_out_money(buf, sizeof buf, omb_out_round_pence(c->d));
        else snprintf(buf, sizeof buf, "%.6g", c->d);
        break;
    case OMB_VALUE_TEXT:
    case OMB_OUT_JSON_TEXT: t = c->s ? c->s : ""; break;
    default: break;
    }
    n = t == buf ? strlen(buf) : c->n;
    char *s = malloc(n + 1);
    if (!s) return NULL;
    memcpy(s, t, n);
    s[n] = '\0';
    for (size_t k = 0; k < n; k++)
        if (s[k] == '\n' || s[k] == '\r' || s[k] == '\t') s[k] = ' ';
    return s;
}

static void json_cell(omb_rows *r, int i, const struct omb_out_cell *c)
{
    char buf[64];
    switch (c->type) {
    case OMB_VALUE_INT: emitf(r, "%lld", (long long)c->i); break;
    case OMB_VALUE_REAL:
        if (r->money[i]) emitf(r, "%lld", (long long)omb_out_round_pence(c->d));
        else if (!isfinite(c->d)) emits(r, "null"); /* NaN and infinities are not JSON */
        else {
            real_text(buf, sizeof buf, c->d);
            emits(r, buf);
        }
        break;
    case OMB_VALUE_TEXT:
        if (!r->err) omb_out_json_string(&r->out, c->s ? c->s : "", c->n);
        break;
    case OMB_OUT_JSON_TEXT: emit(r, c->s ? c->s : "null", c->s ? c->n : 4); break;
    default: emits(r, "null");
    }
}

int omb_rows_add(omb_rows *r, const struct omb_out_cell *cells)
{
    int nc = r->nc;
    char buf[64];
    if (r->o.format == OMB_OUT_TABLE) {
        r->total++;
        if (r->o.totals)
            for (int i = 0; i < nc; i++) {
                if (cells[i].type == OMB_VALUE_INT) r->sum[i] += cells[i].i;
                else if (cells[i].type == OMB_VALUE_REAL && r->money[i]) r->sum[i] += omb_out_round_pence(cells[i].d);
            }
        if (r->o.max_rows && r->n_rows >= r->o.max_rows) return OMB_OK;
        if (r->n_rows == r->cap_rows) {
            size_t cap = r->cap_rows ? r->cap_rows * 2 : 64;
            char **p = realloc(r->cells, cap * ((size_t)nc + 1) * sizeof *p);
            if (!p) return r->err = OMB_ENOMEM;
            r->cells = p;
            r->cap_rows = cap;
        }
        char **row = r->cells + r->n_rows * (size_t)nc;
        for (int i = 0; i < nc; i++) {
            const struct omb_out_cell *c = &cells[i];
            if (c->type != OMB_VALUE_INT && c->type != OMB_VALUE_REAL && c->type != OMB_VALUE_NULL) r->numeric[i] = 0;
            row[i] = table_cell(r, i, c);
            if (!row[i]) {
                for (int k = 0; k < i; k++) free(row[k]);
                return r->err = OMB_ENOMEM;
            }
            size_t cw = omb_utf8_width(row[i], strlen(row[i]));
            if (cw > r->w[i]) r->w[i] = cw;
            if (cw > r->content[i]) r->content[i] = cw;
            for (const char *p = row[i], *e; *p; p = *e ? e + 1 : e) {
                e = strchr(p, ' ');
                if (!e) e = p + strlen(p);
                size_t ww = omb_utf8_width(p, (size_t)(e - p));
                if (ww > r->word[i]) r->word[i] = ww;
            }
        }
        r->n_rows++;
        return OMB_OK;
    }
    if (r->o.format == OMB_OUT_CSV) {
        for (int i = 0; i < nc; i++) {
            const struct omb_out_cell *c = &cells[i];
            if (c->type == OMB_VALUE_INT) emitf(r, "%lld", (long long)c->i);
            else if (c->type == OMB_VALUE_REAL && r->money[i]) emitf(r, "%lld", (long long)omb_out_round_pence(c->d));
            else if (c->type == OMB_VALUE_REAL) {
                /* as SQLite writes a real ("7500.0"), so CSV reads the same
                 * from the sqlite3 shell and from ombuds */
                real_text(buf, sizeof buf, c->d);
                if (!strpbrk(buf, ".eEni")) strcat(buf, ".0");
                emits(r, buf);
            } else if ((c->type == OMB_VALUE_TEXT || c->type == OMB_OUT_JSON_TEXT) && !r->err)
                omb_out_csv_field(&r->out, c->s ? c->s : "", c->n);
            emits(r, i + 1 < nc ? "," : "\r\n");
        }
    } else {
        if (r->o.format == OMB_OUT_JSON) emits(r, r->total ? (r->o.compact ? "," : ",\n") : (r->o.compact ? "" : "\n"));
        emits(r, "{");
        int first = 1;
        for (int i = 0; i < nc; i++) {
            if (r->o.compact && cells[i].type == OMB_VALUE_NULL) continue;
            if (!first) emits(r, ",");
            first = 0;
            if (!r->err) omb_out_json_string(&r->out, r->names[i], strlen(r->names[i]));
            emits(r, ":");
            json_cell(r, i, &cells[i]);
        }
        emits(r, r->o.format == OMB_OUT_JSONL ? "}\n" : "}");
    }
    r->total++;
    return r->err;
}

/* Blanks are held back until something follows them on the line, so no
 * line of a table ends in blanks (a wrapped row's later lines are mostly
 * empty cells). */
static void spaces(omb_rows *r, size_t n) { r->pad += n; }

static void flush_pad(omb_rows *r)
{
    static const char sp[] = "                                ";
    while (r->pad > 0) {
        size_t k = r->pad < 32 ? r->pad : 32;
        if (!r->err && put(&r->out, sp, k)) r->err = OMB_EIO;
        r->pad -= k;
    }
}

static void newline(omb_rows *r)
{
    r->pad = 0;
    emit(r, "\n", 1);
}

/* Byte length of the first `cols` code points of s (n bytes). */
static size_t prefix_len(const char *s, size_t n, size_t cols)
{
    size_t i = 0;
    for (size_t k = 0; i < n && k < cols; k++) {
        i++;
        while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80) i++;
    }
    return i;
}

int omb_out_wrap_next(const char *s, size_t n, size_t *pos, size_t w, size_t *a, size_t *b)
{
    size_t i = *pos;
    while (i < n && s[i] == ' ') i++;
    if (i >= n) {
        *pos = n;
        return 0;
    }
    size_t cut = n;
    if (w && omb_utf8_width(s + i, n - i) > w) { /* the rest does not fit */
        size_t end = i + prefix_len(s + i, n - i, w); /* the first w columns */
        cut = end;
        if (s[end] != ' ') { /* back to the last space inside them, if any */
            while (cut > i && s[cut - 1] != ' ') cut--;
            if (cut == i) cut = end;
        }
    }
    *a = i;
    *b = cut;
    while (*b > i && s[*b - 1] == ' ') (*b)--;
    *pos = cut;
    return 1;
}

void omb_out_wrapped(const struct omb_out *o, const char *text, int width, int indent)
{
    size_t n = strlen(text), pos = 0, a, b, w = width > indent + 10 ? (size_t)width : 0;
    int first = 1;
    while (omb_out_wrap_next(text, n, &pos, first || !w ? w : w - (size_t)indent, &a, &b)) {
        for (int k = 0; !first && k < indent; k++) put(o, " ", 1);
        put(o, text + a, b - a);
        put(o, "\n", 1);
        first = 0;
    }
    if (first) put(o, "\n", 1);
}

/* Writes c (len bytes) padded or cut to exactly w display columns; the last
 * column of a line is not padded on the right.  Only headers are ever cut
 * (cells wrap instead: write_row). */
static void put_cell(omb_rows *r, const char *c, size_t len, size_t w, int right, int last)
{
    size_t cw = omb_utf8_width(c, len);
    if (cw <= w) {
        if (right) spaces(r, w - cw);
        emit(r, c, len);
        if (!right && !last) spaces(r, w - cw);
        return;
    }
    size_t i = prefix_len(c, len, w ? w - 1 : 0); /* cut to w-1 code points and add an ellipsis */
    emit(r, c, i);
    if (w) emits(r, ELLIPSIS);
}

#define MIN_WRAP 8
#define MAX_WORD 16
#define COMFORTABLE 24

/* Narrows the widest free-text column, one column at a time, until the
 * table fits or none can narrow further: down to at_least columns, else to
 * its longest word (kept between MIN_WRAP and MAX_WORD). */
static void narrow_text(omb_rows *r, size_t *total, size_t at_least)
{
    while (*total > (size_t)r->o.width) {
        int widest = -1;
        for (int i = 0; i < r->nc; i++) {
            size_t least = r->word[i] < MIN_WRAP ? MIN_WRAP : r->word[i] > MAX_WORD ? MAX_WORD : r->word[i];
            if (least < at_least) least = at_least;
            if (!r->ident[i] && !r->numeric[i] && r->w[i] > least && (widest < 0 || r->w[i] > r->w[widest]))
                widest = i;
        }
        if (widest < 0) return;
        r->w[widest]--;
        (*total)--;
    }
}

/* Fits the width.  Free-text columns narrow first (their cells wrap) to a
 * comfortable COMFORTABLE columns, then headers longer than their cells are
 * cut, then free text narrows again, down to its longest word;
 * identifiers and numbers keep their width.  When even that is too wide the
 * rows are folded, one "column : value" line each (psql's expanded mode). */
static void fit(omb_rows *r)
{
    if (r->o.width <= 0 || r->nc == 0) return;
    /* the first text column names the row (a case's reference, a metric's
     * group): cut, two rows could read the same */
    for (int i = 0; i < r->nc; i++)
        if (!r->numeric[i]) {
            r->ident[i] = 1;
            break;
        }
    size_t total = 0, width = (size_t)r->o.width;
    for (int i = 0; i < r->nc; i++) total += r->w[i] + 2;
    total -= 2;
    narrow_text(r, &total, COMFORTABLE);
    for (int i = 0; i < r->nc && total > width; i++) {
        size_t want = r->content[i] > 6 ? r->content[i] : 6;
        while (r->w[i] > want && total > width) r->w[i]--, total--;
    }
    narrow_text(r, &total, 0);
    r->fold = total > width;
}

/* One row of the table: cells wider than their column wrap, so the row may
 * take several lines; the other cells sit on its first line. */
static void write_row(omb_rows *r, char *const *cells)
{
    int nc = r->nc, more = 1;
    size_t *pos = calloc((size_t)nc + 1, sizeof *pos);
    if (!pos) {
        r->err = OMB_ENOMEM;
        return;
    }
    for (int line = 0; more; line++) {
        more = 0;
        for (int i = 0; i < nc; i++) {
            const char *c = cells[i];
            size_t n = strlen(c), a = 0, b = 0;
            if (line == 0 && omb_utf8_width(c, n) <= r->w[i]) { /* whole, aligned as its column */
                a = 0, b = n, pos[i] = n;
            } else if (!omb_out_wrap_next(c, n, &pos[i], r->w[i], &a, &b)) {
                a = b = 0;
            }
            put_cell(r, c + a, b - a, r->w[i], r->numeric[i] && line == 0, i + 1 == nc);
            if (i + 1 < nc) spaces(r, 2);
            size_t rest = pos[i];
            while (rest < n && c[rest] == ' ') rest++;
            if (rest < n) more = 1;
        }
        newline(r);
    }
    free(pos);
}

/* The rows folded: a "-[ row N ]" line, then one "column : value" line per
 * column, values wrapped to what is left of the width (under the column
 * name, indented, when the names leave too little). */
static void write_record(omb_rows *r, const char *title, char *const *cells, size_t label_w)
{
    size_t width = (size_t)r->o.width, indent = label_w + 3, a, b;
    int stacked = width < indent + 20;
    size_t vw = stacked ? (width > 12 ? width - 2 : 10) : width - indent;
    char head[64];
    int hn = snprintf(head, sizeof head, "-[ %s ]", title);
    if (r->o.color) emits(r, "\033[1m");
    emits(r, head);
    for (size_t k = (size_t)hn; k < width && k < 40; k++) emit(r, "-", 1);
    if (r->o.color) emits(r, "\033[0m");
    newline(r);
    for (int i = 0; i < r->nc; i++) {
        const char *c = cells[i];
        size_t n = strlen(c), pos = 0;
        if (!strcmp(title, "total") && (i == 0 || !c[0])) continue; /* the title says "total" */
        emits(r, r->headers[i]);
        if (stacked) {
            emits(r, ":");
            newline(r);
        } else {
            spaces(r, label_w - omb_utf8_width(r->headers[i], strlen(r->headers[i])));
            emits(r, " :");
            spaces(r, 1);
        }
        int line = 0;
        for (; omb_out_wrap_next(c, n, &pos, vw, &a, &b); line++) {
            if (line || stacked) spaces(r, stacked ? 2 : indent);
            emit(r, c + a, b - a);
            newline(r);
        }
        if (!line && !stacked) newline(r);
    }
}

static void write_folded(omb_rows *r)
{
    size_t label_w = 0;
    char title[40];
    for (int i = 0; i < r->nc; i++) {
        size_t hw = omb_utf8_width(r->headers[i], strlen(r->headers[i]));
        if (hw > label_w) label_w = hw;
    }
    for (size_t row = 0; row < r->n_rows; row++) {
        omb_out_count(title, sizeof title, row + 1);
        char t[48];
        snprintf(t, sizeof t, "row %s", title);
        write_record(r, t, r->cells + row * (size_t)r->nc, label_w);
    }
    if (r->total_cells) write_record(r, "total", r->total_cells, label_w);
}

static void rule(omb_rows *r)
{
    for (int i = 0; i < r->nc; i++) {
        for (size_t k = 0; k < r->w[i]; k++) emits(r, "-");
        if (i + 1 < r->nc) spaces(r, 2);
    }
    newline(r);
}

static void write_table(omb_rows *r)
{
    char count[40];
    int nc = r->nc;
    if (nc == 0) {
        omb_out_count(count, sizeof count, r->total);
        emitf(r, "(%s row%s, no columns)\n", count, r->total == 1 ? "" : "s");
        return;
    }
    if (r->o.totals && r->total) { /* the total line takes part in the widths */
        r->total_cells = calloc((size_t)nc, sizeof *r->total_cells);
        if (!r->total_cells) {
            r->err = OMB_ENOMEM;
            return;
        }
        for (int i = 0; i < nc; i++) {
            char buf[64] = "";
            if (i == 0) snprintf(buf, sizeof buf, "total");
            else if (r->numeric[i] && !r->ident[i]) snprintf(buf, sizeof buf, "%lld", (long long)r->sum[i]);
            else if (r->money[i]) omb_out_money(buf, sizeof buf, r->sum[i]);
            r->total_cells[i] = strdup(buf);
            if (!r->total_cells[i]) {
                r->err = OMB_ENOMEM;
                return;
            }
            size_t cw = omb_utf8_width(buf, strlen(buf));
            if (cw > r->w[i]) r->w[i] = cw;
        }
    }
    fit(r);
    if (r->fold) {
        write_folded(r);
    } else {
        if (r->o.color) emits(r, "\033[1m");
        for (int i = 0; i < nc; i++) {
            put_cell(r, r->headers[i], strlen(r->headers[i]), r->w[i], r->numeric[i], i + 1 == nc);
            if (i + 1 < nc) spaces(r, 2);
        }
        if (r->o.color) emits(r, "\033[0m");
        newline(r);
        rule(r);
        for (size_t row = 0; row < r->n_rows; row++) write_row(r, r->cells + row * (size_t)nc);
        if (r->total_cells) {
            rule(r);
            write_row(r, r->total_cells);
        }
    }
    if (r->total > r->n_rows) {
        omb_out_count(count, sizeof count, r->total - r->n_rows);
        emitf(r, "... %s more row%s\n", count, r->total - r->n_rows == 1 ? "" : "s");
    }
    omb_out_count(count, sizeof count, r->total);
    emitf(r, "(%s row%s)\n", count, r->total == 1 ? "" : "s");
}

int omb_rows_end(omb_rows *r)
{
    if (!r) return OMB_ENOMEM;
    if (r->o.format == OMB_OUT_TABLE) {
        if (r->err != OMB_ENOMEM) write_table(r);
    } else if (r->o.format == OMB_OUT_JSON) {
        emits(r, r->o.compact ? "]" : r->total ? "\n]\n" : "]\n");
    }
    int rc = r->err;
    free_rows(r);
    return rc;
}

/* ---- SQL statements ---------------------------------------------------------------- */

int omb_output_stmt(FILE *f, sqlite3_stmt *s, int format, size_t max_rows, int width, char *err, size_t cap)
{
    struct omb_out_opts o = {format, width, max_rows, 0, 0, 0};
    return omb_output_stmt_opts(f, s, &o, err, cap);
}

int omb_output_stmt_opts(FILE *f, sqlite3_stmt *s, const struct omb_out_opts *o, char *err, size_t cap)
{
    int nc = sqlite3_column_count(s), step, rc = OMB_OK;
    const char **names = calloc((size_t)nc + 1, sizeof *names);
    struct omb_out_cell *cells = calloc((size_t)nc + 1, sizeof *cells);
    if (!names || !cells) {
        free(names);
        free(cells);
        snprintf(err, cap, "out of memory");
        return OMB_ENOMEM;
    }
    for (int i = 0; i < nc; i++) names[i] = sqlite3_column_name(s, i);
    omb_rows *r = omb_rows_begin(omb_out_file(f), o, nc, names);
    free(names);
    if (!r) {
        free(cells);
        snprintf(err, cap, "out of memory");
        return OMB_ENOMEM;
    }
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        for (int i = 0; i < nc; i++) {
            struct omb_out_cell *c = &cells[i];
            memset(c, 0, sizeof *c);
            switch (sqlite3_column_type(s, i)) {
            case SQLITE_NULL: c->type = OMB_VALUE_NULL; break;
            case SQLITE_INTEGER:
                c->type = OMB_VALUE_INT;
                c->i = sqlite3_column_int64(s, i);
                break;
            case SQLITE_FLOAT:
                c->type = OMB_VALUE_REAL;
                c->d = sqlite3_column_double(s, i);
                break;
            default:
                c->type = OMB_VALUE_TEXT;
                c->s = (const char *)sqlite3_column_text(s, i);
                c->n = (size_t)sqlite3_column_bytes(s, i);
                if (!c->s) c->s = "", c->n = 0;
            }
        }
        if ((rc = omb_rows_add(r, cells)) != OMB_OK) break;
    }
    free(cells);
    if (rc == OMB_OK && step != SQLITE_DONE) {
        snprintf(err, cap, "%s", sqlite3_errmsg(sqlite3_db_handle(s)));
        omb_rows_end(r);
        return OMB_ESTORE;
    }
    int end = omb_rows_end(r);
    if (rc == OMB_OK) rc = end;
    if (rc != OMB_OK) snprintf(err, cap, rc == OMB_ENOMEM ? "out of memory" : "cannot write the output");
    return rc;
}
