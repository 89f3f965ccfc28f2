/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * decode_furniture.c -- page furniture that survives decoding: the site's
 * logo text, cookie notices, "Print this page", "Back to top", a browser's
 * print header and footer (date and title, file:/// address and page count),
 * "Page N of M".  Only whole lines that can be nothing else are removed, so
 * that no plugin ever stores one as a remedy, an improvement or a summary;
 * anything that could be a sentence of the document is left alone.
 */
#define _GNU_SOURCE /* memmem */
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "decode_int.h"

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Does [s, s+n) contain word, ignoring case? */
static int contains_ci(const char *s, size_t n, const char *word)
{
    size_t k = strlen(word);
    for (size_t i = 0; i + k <= n; i++)
        if (!strncasecmp(s + i, word, k)) return 1;
    return 0;
}

/* Skips digits from *i; returns how many. */
static size_t digits(const char *s, size_t n, size_t *i)
{
    size_t a = *i;
    while (*i < n && is_digit(s[*i])) (*i)++;
    return *i - a;
}

/* "Page 3 of 12", "Page 3", "3 of 12", "3/12", "- 3 -". */
static int page_number(const char *s, size_t n)
{
    size_t i = 0;
    if (n >= 5 && !strncasecmp(s, "page ", 5)) i = 5;
    else if (n >= 2 && s[0] == '-' && s[1] == ' ') i = 2;
    if (!digits(s, n, &i)) return 0;
    if (i == n) return s[0] != '-' && (s[0] == 'P' || s[0] == 'p'); /* a bare number may be a row number */
    if (n - i >= 4 && !strncasecmp(s + i, " of ", 4)) {
        i += 4;
        return digits(s, n, &i) && i == n;
    }
    if (s[i] == '/') {
        i++;
        return digits(s, n, &i) && i == n;
    }
    return s[0] == '-' && n - i == 2 && s[i] == ' ' && s[i + 1] == '-';
}

/* A browser's print header: "02/12/2026, 09:14  Title" (Chromium) or a
 * footer "file:///home/me/page.html  1/3" / "https://... 2/3". */
static int print_header(const char *s, size_t n)
{
    if (n >= 7 && (!strncasecmp(s, "file://", 7))) return 1;
    if ((n >= 8 && !strncasecmp(s, "https://", 8)) || (n >= 7 && !strncasecmp(s, "http://", 7))) {
        /* a bare address, or one followed by a page count */
        const char *sp = memchr(s, ' ', n);
        if (!sp) return 1;
        size_t i = (size_t)(sp - s);
        while (i < n && s[i] == ' ') i++;
        return page_number(s + i, n - i);
    }
    size_t i = 0;
    if (!digits(s, n, &i) || i > 2 || i >= n || s[i] != '/') return 0;
    i++;
    if (!digits(s, n, &i) || i >= n || s[i] != '/') return 0;
    i++;
    size_t y = digits(s, n, &i);
    if (y != 2 && y != 4) return 0;
    if (i < n && s[i] == ',') i++;
    if (i >= n || s[i] != ' ') return 0;
    i++;
    size_t h = digits(s, n, &i);
    return h >= 1 && h <= 2 && i < n && s[i] == ':' && (i++, digits(s, n, &i) == 2);
}

/* Lines that are furniture whole, compared ignoring case; the longest
 * bounds which lines need comparing at all. */
#define WHOLE(s) {s, sizeof s - 1}
static const struct {
    const char *text;
    size_t len;
} whole[] = {
    WHOLE("print this page"), WHOLE("print"), WHOLE("back to top"), WHOLE("return to top"), WHOLE("top of page"),
    WHOLE("skip to main content"), WHOLE("skip to content"), WHOLE("was this page helpful?"),
    WHOLE("is this page useful?"), WHOLE("review your privacy settings"), WHOLE("accept all cookies"),
    WHOLE("reject all cookies"), WHOLE("accept cookies"), WHOLE("reject cookies"), WHOLE("cookie settings"),
    WHOLE("cookies settings"), WHOLE("manage cookies"), WHOLE("accept additional cookies"),
    WHOLE("reject additional cookies"), WHOLE("hide this message"), WHOLE("share this page"), WHOLE("lgo logogram"),
    WHOLE("logogram"), WHOLE("logo"), WHOLE("menu"), WHOLE("search this site")};
#define LONGEST_WHOLE 28 /* "review your privacy settings" */

int omb_furniture_line(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t')) s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    /* a list bullet in front changes nothing */
    if (n >= 4 && !memcmp(s, "\xE2\x80\xA2 ", 4)) s += 4, n -= 4;
    if (n == 0 || n > 400) return 0;
    /* Every line of every document passes here, and nearly all are the
     * document's own sentences: each test below first looks at what it
     * can cheaply (length, first bytes) before comparing further. */
    if (n <= LONGEST_WHOLE)
        for (size_t k = 0; k < sizeof whole / sizeof whole[0]; k++)
            if (whole[k].len == n && !strncasecmp(s, whole[k].text, n)) return 1;
    /* "Local Government and Social Care Ombudsman logo": a short line ending
     * in "logo" or "logogram" is the alternative text of an image */
    if (n < 80 && ((n >= 5 && !strncasecmp(s + n - 5, " logo", 5)) || (n >= 9 && !strncasecmp(s + n - 9, " logogram", 9))))
        return 1;
    if ((is_digit(s[0]) || s[0] == '-' || s[0] == 'P' || s[0] == 'p' || s[0] == 'f' || s[0] == 'F' || s[0] == 'h' ||
         s[0] == 'H') &&
        (page_number(s, n) || print_header(s, n)))
        return 1;
    /* a cookie notice: about cookies and addressed to the visitor ("ookie"
     * in either case finds "Cookie", "cookies" and "COOKIES" alike) */
    if ((memmem(s, n, "ookie", 5) || memmem(s, n, "OOKIE", 5)) &&
        (contains_ci(s, n, "we use") || contains_ci(s, n, "uses cookies") || contains_ci(s, n, "use cookies") ||
         contains_ci(s, n, "accept") || contains_ci(s, n, "privacy settings") || contains_ci(s, n, "this site") ||
         contains_ci(s, n, "our website")))
        return 1;
    return 0;
}

size_t omb_furniture_filter(char *text, size_t len, unsigned *line_page, size_t *n_lines, int keep_lines)
{
    size_t o = 0, line = 0, kept_lines = 0;
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - text) : len;
        int drop = omb_furniture_line(text + i, e - i);
        size_t end = nl ? e + 1 : e;
        if (!drop) {
            memmove(text + o, text + i, end - i);
            o += end - i;
            if (line_page && n_lines && line < *n_lines) line_page[kept_lines++] = line_page[line];
        } else if (keep_lines && nl) {
            text[o++] = '\n';
        }
        line++;
        i = end;
    }
    text[o] = '\0';
    if (line_page && n_lines) *n_lines = kept_lines;
    /* removing a line can leave two blank lines together; one is enough */
    if (!keep_lines) {
        size_t w = 0;
        size_t li = 0, lo = 0;
        for (size_t r = 0; r < o; r++) {
            if (text[r] == '\n') {
                int blank_again = (w == 0 || (text[w - 1] == '\n' && (w < 2 || text[w - 2] == '\n')));
                if (blank_again) {
                    li++;
                    continue;
                }
                if (line_page && n_lines && li < *n_lines) line_page[lo++] = line_page[li];
                li++;
                text[w++] = '\n';
                continue;
            }
            text[w++] = text[r];
        }
        text[w] = '\0';
        if (line_page && n_lines) *n_lines = lo;
        o = w;
    }
    return o;
}
