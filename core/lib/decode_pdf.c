/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * decode_pdf.c -- PDF to text through poppler-glib.  Poppler gives each
 * character and its box; lines are rebuilt from the boxes in physical layout
 * (as `pdftotext -layout` shows them), and where a page's words line up in
 * columns -- a council's annex table -- the cells of a line are written
 * tab-separated, the way the annex plugin reads them.  Each line keeps its
 * page number for provenance.  A scan (no text), an encrypted, truncated or
 * damaged file each get their own error.
 *
 * Built as a module of its own, decode_pdf.so, with its own copy of the line
 * builder (decode_lines.c); the program opens it on the first PDF
 * (decode_module.c) so that commands that read no PDF never load poppler.
 */
#include <glib.h>
#include <math.h>
#include <ombuds/plugin.h>
#include <poppler.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode_int.h"

/* A document with more pages than this is refused: committee papers run to
 * hundreds of pages, and each page costs a text extraction. */
#define MAX_PAGES 20000
/* Pages read before a document with no text at all is called a scan. */
#define SCAN_PAGES 50
/* Column-start positions closer than this (points) are the same column. */
#define COL_TOL 4.0

/* One word: its box and its bytes in the page's text. */
struct word {
    double x1, y1, x2, y2;
    size_t at, n; /* in the page text */
};

/* One rebuilt line: its words, sorted by x, and its vertical band. */
struct line {
    size_t first, n; /* in the sorted word array */
    double y1, y2, height;
    int table; /* a row of the page's table: cells tab-separated */
    int multi; /* has a column gap */
};

static int by_center(const void *a, const void *b)
{
    const struct word *p = a, *q = b;
    double cp = (p->y1 + p->y2) / 2, cq = (q->y1 + q->y2) / 2;
    return cp < cq ? -1 : cp > cq ? 1 : p->x1 < q->x1 ? -1 : p->x1 > q->x1;
}

static int by_x(const void *a, const void *b)
{
    const struct word *p = a, *q = b;
    return p->x1 < q->x1 ? -1 : p->x1 > q->x1;
}

/* A segment's start and whether its line has three cells or more. */
struct start {
    double x;
    int strong;
};

static int by_start(const void *a, const void *b)
{
    const struct start *p = a, *q = b;
    return p->x < q->x ? -1 : p->x > q->x;
}

/* Is the gap between two words of a line a column gap?  A word space is a
 * quarter to a third of the font size; table cells are padded by an em or
 * more. */
static int column_gap(const struct word *prev, const struct word *next, double height)
{
    return next->x1 - prev->x2 > 0.85 * height;
}

/* The column starts of a page: x positions where a segment (a run of words
 * between column gaps) starts on at least two lines that have several
 * segments.  Returns how many (0: no table). */
static size_t find_columns(const struct word *w, const struct line *lines, size_t n_lines, double *cols, size_t cap)
{
    size_t n_x = 0, cap_x = 64, multi = 0;
    double *xs = malloc(cap_x * sizeof *xs);
    int *strong = malloc(cap_x * sizeof *strong); /* from a line of three cells or more */
    if (!xs || !strong) {
        free(xs);
        free(strong);
        return 0;
    }
    for (size_t l = 0; l < n_lines; l++) {
        const struct line *L = &lines[l];
        size_t segs = 1;
        for (size_t i = 1; i < L->n; i++) segs += column_gap(&w[L->first + i - 1], &w[L->first + i], L->height);
        if (segs < 2) continue;
        multi++;
        for (size_t i = 0; i < L->n; i++) {
            if (i && !column_gap(&w[L->first + i - 1], &w[L->first + i], L->height)) continue;
            if (n_x == cap_x) {
                double *p = realloc(xs, cap_x * 2 * sizeof *p);
                if (p) xs = p;
                int *q = p ? realloc(strong, cap_x * 2 * sizeof *q) : NULL;
                if (q) strong = q;
                if (!p || !q) {
                    free(xs);
                    free(strong);
                    return 0;
                }
                cap_x *= 2;
            }
            strong[n_x] = segs >= 3;
            xs[n_x++] = w[L->first + i].x1;
        }
    }
    size_t n_cols = 0;
    if (multi >= 2) {
        /* sort the starts by x, each with its strength */
        struct start *st = malloc(n_x * sizeof *st);
        if (!st) {
            free(xs);
            free(strong);
            return 0;
        }
        for (size_t i = 0; i < n_x; i++) st[i] = (struct start){xs[i], strong[i]};
        qsort(st, n_x, sizeof *st, by_start);
        for (size_t i = 0; i < n_x; i++) xs[i] = st[i].x, strong[i] = st[i].strong;
        free(st);
        /* a column: a start shared by two lines, or one of a line that has
         * three cells or more (the last row of a table alone on its page) */
        for (size_t i = 0; i < n_x;) {
            size_t j = i + 1;
            int any_strong = strong[i];
            while (j < n_x && xs[j] - xs[j - 1] <= COL_TOL) any_strong |= strong[j++];
            if ((j - i >= 2 || any_strong) && n_cols < cap) cols[n_cols++] = xs[i];
            i = j;
        }
    }
    free(xs);
    free(strong);
    return n_cols >= 2 ? n_cols : 0;
}

/* The column a segment starting at x belongs to: the last start at or
 * before it. */
static size_t column_of(const double *cols, size_t n_cols, double x)
{
    size_t c = 0;
    for (size_t i = 0; i < n_cols; i++)
        if (cols[i] <= x + COL_TOL) c = i;
    return c;
}

/* Does every segment of the line start on a column start? */
static int aligned(const struct word *w, const struct line *L, const double *cols, size_t n_cols)
{
    for (size_t i = 0; i < L->n; i++) {
        if (i && !column_gap(&w[L->first + i - 1], &w[L->first + i], L->height)) continue;
        size_t c = column_of(cols, n_cols, w[L->first + i].x1);
        if (fabs(cols[c] - w[L->first + i].x1) > COL_TOL) return 0;
    }
    return 1;
}

/* Does line L continue line P, which the page wrapped?  Both are running
 * text (not table rows, no column gaps), L starts no further left than P
 * and not with a list marker, and L's first word would not have fitted at
 * the end of P before the right edge: which is why the line was broken. */
static int wrapped(const char *text, const struct word *w, const struct line *P, const struct line *L, double right)
{
    if (P->table || L->table || P->multi || L->multi) return 0;
    const struct word *first = &w[L->first], *last = &w[P->first + P->n - 1];
    if (first->x1 < w[P->first].x1 - COL_TOL) return 0;
    double space = P->height * 0.3;
    if (last->x2 + space + (first->x2 - first->x1) <= right) return 0;
    /* "•", "-", "1.", "2)", "(a)" open an item of their own */
    const char *t = text + first->at;
    size_t n = first->n, i = 0;
    if ((n >= 3 && !memcmp(t, "\xE2\x80\xA2", 3)) || (n == 1 && (*t == '-' || *t == '*'))) return 0;
    if (i < n && t[i] == '(') i++;
    size_t d = i;
    while (i < n && ((t[i] >= '0' && t[i] <= '9') || (i == d && t[i] >= 'a' && t[i] <= 'z'))) i++;
    if (i > d && i + 1 == n && (t[i] == '.' || t[i] == ')')) return 0;
    return 1;
}

/* Writes one page's text into tb.  Returns the number of words. */
static size_t page_text(PopplerPage *page, struct omb_tb *tb, int *oom)
{
    char *text = poppler_page_get_text(page);
    PopplerRectangle *rects = NULL;
    guint n_rects = 0;
    size_t n_words = 0;
    struct word *w = NULL;
    struct line *lines = NULL;
    if (!text || !poppler_page_get_text_layout(page, &rects, &n_rects)) goto done;
    /* characters and boxes pair up one to one; words are runs of
     * characters between blanks (poppler puts a space or a newline where
     * it saw a gap) */
    size_t cap = 256;
    w = malloc(cap * sizeof *w);
    if (!w) goto nomem;
    const char *p = text;
    int in_word = 0;
    for (guint i = 0; i < n_rects && *p; i++) {
        const char *next = g_utf8_next_char(p);
        const PopplerRectangle *r = &rects[i];
        int blank = *p == ' ' || *p == '\n' || *p == '\t' || *p == '\r' || (unsigned char)*p < 0x20;
        if (blank) {
            in_word = 0;
        } else {
            double h = r->y2 - r->y1;
            struct word *cur = n_words ? &w[n_words - 1] : NULL;
            /* a glyph that jumps back, ahead past a space's width, or to
             * another line starts a word (poppler does not always put a
             * blank between the cells of a table) */
            if (in_word && cur &&
                (r->x1 < cur->x2 - h * 0.5 || r->x1 - cur->x2 > h * 0.2 ||
                 fabs((r->y1 + r->y2) / 2 - (cur->y1 + cur->y2) / 2) > h * 0.5))
                in_word = 0;
            if (in_word) {
                cur->x2 = r->x2 > cur->x2 ? r->x2 : cur->x2;
                cur->y1 = r->y1 < cur->y1 ? r->y1 : cur->y1;
                cur->y2 = r->y2 > cur->y2 ? r->y2 : cur->y2;
                cur->n = (size_t)(next - text) - cur->at;
            } else {
                if (n_words == cap) {
                    struct word *q = realloc(w, (cap *= 2) * sizeof *q);
                    if (!q) goto nomem;
                    w = q;
                }
                w[n_words++] = (struct word){r->x1, r->y1, r->x2, r->y2, (size_t)(p - text), (size_t)(next - p)};
                in_word = 1;
            }
        }
        p = next;
    }
    if (!n_words) goto done;
    /* lines: words sorted by their vertical centre, a new line where the
     * centre moves by more than half a line */
    qsort(w, n_words, sizeof *w, by_center);
    lines = malloc(n_words * sizeof *lines);
    if (!lines) goto nomem;
    size_t n_lines = 0;
    for (size_t i = 0; i < n_words; i++) {
        double c = (w[i].y1 + w[i].y2) / 2, h = w[i].y2 - w[i].y1;
        struct line *L = n_lines ? &lines[n_lines - 1] : NULL;
        if (L && c - (L->y1 + L->y2) / 2 <= (h < L->height ? h : L->height) * 0.45) {
            L->n++;
            if (w[i].y1 < L->y1) L->y1 = w[i].y1;
            if (w[i].y2 > L->y2) L->y2 = w[i].y2;
            if (h > L->height) L->height = h;
        } else {
            lines[n_lines++] = (struct line){i, 1, w[i].y1, w[i].y2, h > 0 ? h : 1, 0, 0};
        }
    }
    for (size_t l = 0; l < n_lines; l++) qsort(w + lines[l].first, lines[l].n, sizeof *w, by_x);
    double cols[32];
    size_t n_cols = find_columns(w, lines, n_lines, cols, 32);
    /* which lines are table rows: the table runs from its first line of
     * several cells while lines keep to its columns */
    int in_table = 0;
    double right = 0; /* the right edge of the page's running text */
    for (size_t l = 0; l < n_lines; l++) {
        struct line *L = &lines[l];
        int multi = 0;
        for (size_t i = 1; i < L->n; i++) multi |= column_gap(&w[L->first + i - 1], &w[L->first + i], L->height);
        if (n_cols && multi && aligned(w, L, cols, n_cols)) in_table = 1;
        else if (in_table && !aligned(w, L, cols, n_cols)) in_table = 0;
        L->table = in_table;
        L->multi = multi;
        /* running text has several words and no column gaps; a print
         * footer's "1/3" at the far right is not where lines wrap */
        if (!in_table && !multi && L->n >= 4 && w[L->first + L->n - 1].x2 > right) right = w[L->first + L->n - 1].x2;
    }
    for (size_t l = 0; l < n_lines; l++) {
        const struct line *L = &lines[l];
        if (l) {
            const struct line *P = &lines[l - 1];
            /* a gap of more than half a line between lines is a paragraph
             * break; a line the page wrapped is joined to the next again,
             * so that a label keeps its value and a sentence stays whole,
             * as in the HTML the PDF was printed from */
            if (L->y1 - P->y2 > 0.6 * L->height) omb_tb_blank(tb);
            else if (wrapped(text, w, P, L, right)) omb_tb_raw(tb, " ", 1);
            else omb_tb_newline(tb);
        }
        size_t col = 0;
        for (size_t i = 0; i < L->n; i++) {
            const struct word *x = &w[L->first + i];
            int gap = i && column_gap(&w[L->first + i - 1], x, L->height);
            if (L->table && (i == 0 || gap)) {
                size_t c = column_of(cols, n_cols, x->x1);
                if (i && c <= col) omb_tb_raw(tb, " ", 1);
                for (; col < c; col++) omb_tb_raw(tb, "\t", 1);
            } else if (gap) {
                omb_tb_raw(tb, "   ", 3); /* columns outside a table: spaced apart, as -layout does */
            } else if (i) {
                omb_tb_raw(tb, " ", 1);
            }
            omb_tb_raw(tb, text + x->at, x->n);
        }
    }
    omb_tb_newline(tb);
    goto done;
nomem:
    *oom = 1;
done:
    free(lines);
    free(w);
    g_free(rects);
    g_free(text);
    return n_words;
}

/* Poppler reports syntax errors in damaged files on its own; ombuds says
 * what went wrong in one line instead. */
static void quiet_log(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
    (void)domain;
    (void)level;
    (void)message;
    (void)data;
}

/* Does the file end with the %%EOF marker a complete PDF ends with?  A
 * download that stopped early does not, and poppler would otherwise
 * rebuild what it can and hand back a document missing pages. */
static int has_eof_marker(const char *raw, size_t n)
{
    size_t from = n > 2048 ? n - 2048 : 0;
    for (size_t i = n >= 5 ? n - 5 + 1 : 0; i-- > from;)
        if (!memcmp(raw + i, "%%EOF", 5)) return 1;
    return 0;
}

static int decode_pdf(const char *raw, size_t n, struct omb_tb *tb, unsigned *n_pages, char *err, size_t err_cap)
{
    *n_pages = 0;
    if (!has_eof_marker(raw, n)) {
        snprintf(err, err_cap, "truncated PDF: it does not end with the %%%%EOF marker (the download or copy stopped early?)");
        return OMB_EPARSE;
    }
    guint handler = g_log_set_handler("Poppler", G_LOG_LEVEL_MASK, quiet_log, NULL);
    GBytes *bytes = g_bytes_new_static(raw, n);
    GError *gerr = NULL;
    PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
    int rc = OMB_OK;
    if (!doc) {
        if (gerr && gerr->domain == POPPLER_ERROR && gerr->code == POPPLER_ERROR_ENCRYPTED)
            snprintf(err, err_cap, "encrypted PDF: it needs a password to open; save a copy without the password "
                                   "(e.g. qpdf --decrypt --password=PASSWORD in.pdf out.pdf) and ingest that");
        else
            snprintf(err, err_cap, "damaged PDF: poppler could not read it (%s)",
                     gerr && gerr->message ? gerr->message : "no reason given");
        rc = OMB_EPARSE;
        goto out;
    }
    int pages = poppler_document_get_n_pages(doc);
    if (pages <= 0) {
        snprintf(err, err_cap, "damaged PDF: it has no pages");
        rc = OMB_EPARSE;
        goto out;
    }
    if (pages > MAX_PAGES) {
        snprintf(err, err_cap, "PDF of %d pages: more than the %d pages a document may have", pages, MAX_PAGES);
        rc = OMB_EPARSE;
        goto out;
    }
    size_t words = 0;
    int oom = 0;
    for (int i = 0; i < pages && !oom; i++) {
        if (!words && i == SCAN_PAGES) break; /* no text on the first pages: a scan, stop here */
        PopplerPage *page = poppler_document_get_page(doc, i);
        if (!page) continue;
        if (i) omb_tb_blank(tb); /* the blank line between pages ends the page before */
        tb->page = (unsigned)i + 1;
        words += page_text(page, tb, &oom);
        g_object_unref(page);
        *n_pages = (unsigned)i + 1;
    }
    if (oom || tb->failed) {
        snprintf(err, err_cap, "out of memory reading the PDF");
        rc = OMB_ENOMEM;
    } else if (!words) {
        snprintf(err, err_cap, "no text layer (a scanned PDF?): run OCR first, e.g. ocrmypdf IN.pdf OUT.pdf");
        rc = OMB_EPARSE;
    }
out:
    if (doc) g_object_unref(doc);
    if (gerr) g_error_free(gerr);
    g_bytes_unref(bytes);
    g_log_remove_handler("Poppler", handler);
    return rc;
}

/* Ingest reads documents on several threads (ingest_pipeline.c).  Poppler
 * promises nothing about two documents open on two threads, and the log
 * handler set above is process-wide, so one PDF is read at a time; PDFs are
 * a council's few annexes, never the bulk of an ingest. */
int omb_decode_pdf_module(const char *raw, size_t n, struct omb_tb *tb, unsigned *n_pages, char *err,
                          size_t err_cap)
{
    static pthread_mutex_t one_at_a_time = PTHREAD_MUTEX_INITIALIZER;
    pthread_mutex_lock(&one_at_a_time);
    int rc = decode_pdf(raw, n, tb, n_pages, err, err_cap);
    pthread_mutex_unlock(&one_at_a_time);
    return rc;
}
