/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * decode_lines.c -- the line builder (struct omb_tb, decode_int.h) every
 * decoder writes into: inline text folded into lines, blank lines and breaks
 * as the markup asks, the page of each finished line.  It knows no format:
 * the decoders are decode_html.c, decode_pdf.c and decode_docx.c, and
 * handing the result to plugins is decode.c.
 */
#include <stdlib.h>
#include <string.h>

#include "decode_int.h"

/* ---- the line builder --------------------------------------------------------- */

void omb_tb_init(struct omb_tb *tb) { memset(tb, 0, sizeof *tb); }

void omb_tb_free(struct omb_tb *tb)
{
    free(tb->buf);
    free(tb->line_page);
    memset(tb, 0, sizeof *tb);
}

static int reserve(struct omb_tb *tb, size_t more)
{
    if (tb->failed) return -1;
    if (tb->len + more + 1 <= tb->cap) return 0;
    size_t cap = tb->cap ? tb->cap : 4096;
    while (cap < tb->len + more + 1) cap *= 2;
    char *p = realloc(tb->buf, cap);
    if (!p) {
        tb->failed = 1;
        return -1;
    }
    tb->buf = p;
    tb->cap = cap;
    return 0;
}

int omb_tb_reserve(struct omb_tb *tb, size_t more) { return reserve(tb, more); }

int omb_tb_at_line_start(const struct omb_tb *tb) { return tb->len == 0 || tb->buf[tb->len - 1] == '\n'; }

/* Appends bytes as they are. */
static void put(struct omb_tb *tb, const char *s, size_t n)
{
    if (reserve(tb, n)) return;
    memcpy(tb->buf + tb->len, s, n);
    tb->len += n;
    tb->buf[tb->len] = '\0';
}

/* Ends a line: trailing blanks go, and the line's page is noted. */
static void end_line(struct omb_tb *tb)
{
    while (tb->len && (tb->buf[tb->len - 1] == ' ' || tb->buf[tb->len - 1] == '\t')) tb->len--;
    put(tb, "\n", 1);
    if (tb->failed || !tb->page) return;
    if (tb->n_lines == tb->cap_lines) {
        size_t cap = tb->cap_lines ? tb->cap_lines * 2 : 256;
        unsigned *p = realloc(tb->line_page, cap * sizeof *p);
        if (!p) {
            tb->failed = 1;
            return;
        }
        tb->line_page = p;
        tb->cap_lines = cap;
    }
    tb->line_page[tb->n_lines++] = tb->page;
}

void omb_tb_raw(struct omb_tb *tb, const char *s, size_t n)
{
    tb->space = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n') end_line(tb);
        else put(tb, s + i, 1);
    }
}

void omb_tb_text(struct omb_tb *tb, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t k = 1;
        int ws = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
        if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) ws = 1, k = 2; /* no-break space */
        if (c == 0) ws = 1;
        if (ws) {
            tb->space = 1;
            i += k;
            continue;
        }
        /* the run of ordinary bytes up to the next blank */
        size_t j = i;
        while (j < n) {
            unsigned char d = (unsigned char)s[j];
            if (d <= ' ' || (d == 0xC2 && j + 1 < n && (unsigned char)s[j + 1] == 0xA0)) break;
            j++;
        }
        if (tb->space && !omb_tb_at_line_start(tb) && tb->buf[tb->len - 1] != '\t' && tb->buf[tb->len - 1] != ' ')
            put(tb, " ", 1);
        tb->space = 0;
        put(tb, s + i, j - i);
        i = j;
    }
}

void omb_tb_newline(struct omb_tb *tb)
{
    tb->space = 0;
    if (!omb_tb_at_line_start(tb)) end_line(tb);
}

void omb_tb_blank(struct omb_tb *tb)
{
    omb_tb_newline(tb);
    if (tb->len == 0) return;
    if (tb->len >= 2 && tb->buf[tb->len - 2] == '\n') return;
    end_line(tb);
}

void omb_tb_break(struct omb_tb *tb)
{
    tb->space = 0;
    end_line(tb);
}
