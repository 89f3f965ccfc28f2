/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ombuds/text.h -- small text helpers every source plugin needs: walking a
 * document line by line, trimming, classifying bytes.  Header-only (static
 * inline) so plugins still link against nothing of ours; the normalisers and
 * the remedy extractor, which are real code, are reached through the host
 * table in ombuds/plugin.h instead.  Installed with the SDK.
 */
#ifndef OMBUDS_TEXT_H
#define OMBUDS_TEXT_H

#include <stddef.h>
#include <string.h>

/* A line of a document: bytes [a, b) of the text, without its newline. */
struct omb_line {
    size_t a, b;
};

static inline int omb_is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
static inline int omb_is_digit(char c) { return c >= '0' && c <= '9'; }
static inline int omb_is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* Narrows [*a, *b) of t to exclude white space at both ends. */
static inline void omb_trim(const char *t, size_t *a, size_t *b)
{
    while (*a < *b && omb_is_space(t[*a])) (*a)++;
    while (*b > *a && omb_is_space(t[*b - 1])) (*b)--;
}

/* Reads the line starting at *pos into *l and moves *pos past its newline;
 * returns 0 at the end of the text.  (The core has already turned CRLF into
 * LF, but a stray CR at the end of a line is dropped all the same.) */
static inline int omb_next_line(const char *t, size_t len, size_t *pos, struct omb_line *l)
{
    if (*pos >= len) return 0;
    const char *nl = (const char *)memchr(t + *pos, '\n', len - *pos);
    l->a = *pos;
    l->b = nl ? (size_t)(nl - t) : len;
    *pos = nl ? l->b + 1 : len;
    if (l->b > l->a && t[l->b - 1] == '\r') l->b--;
    return 1;
}

/* Is there a bullet (U+2022, "•") at t[i], ending before e? */
static inline int omb_bullet_at(const char *t, size_t i, size_t e)
{
    return i + 2 < e && (unsigned char)t[i] == 0xE2 && (unsigned char)t[i + 1] == 0x80 &&
           (unsigned char)t[i + 2] == 0xA2;
}

/* A list marker at the start of a line's text, t[i]: "•" (with or without a
 * space after it, as pages glue it to the word), or "-", "–", "*", "·"
 * followed by a space (real listings use all of these).  Returns the marker's
 * length in bytes, 0 when there is none; "post-16" or "-1" is not a marker. */
static inline size_t omb_list_marker(const char *t, size_t i, size_t e)
{
    if (omb_bullet_at(t, i, e)) return 3;
    size_t n = 0;
    if (i < e && (t[i] == '-' || t[i] == '*')) n = 1;
    else if (i + 2 < e && (unsigned char)t[i] == 0xE2 && (unsigned char)t[i + 1] == 0x80 &&
             (unsigned char)t[i + 2] == 0x93)
        n = 3; /* en dash */
    else if (i + 1 < e && (unsigned char)t[i] == 0xC2 && (unsigned char)t[i + 1] == 0xB7)
        n = 2; /* middle dot */
    return n && i + n < e && (t[i + n] == ' ' || t[i + n] == '\t') ? n : 0;
}

/* Case-insensitive search for an ASCII needle in hay[0, n), for probes
 * (which have no host table); NULL when absent.  Candidates come from memchr
 * for the needle's first byte in either case, which keeps probing a large
 * corpus cheap. */
static inline const char *omb_search_ci(const char *hay, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    if (m == 0) return hay;
    if (m > n) return NULL;
    unsigned char lo = (unsigned char)needle[0], up = lo;
    if (lo >= 'A' && lo <= 'Z') lo = (unsigned char)(lo + 32);
    if (lo >= 'a' && lo <= 'z') up = (unsigned char)(lo - 32);
    const char *end = hay + n - m + 1;
    for (const char *p = hay; p < end; p++) {
        const char *a = (const char *)memchr(p, lo, (size_t)(end - p));
        const char *b = up != lo ? (const char *)memchr(p, up, (size_t)((a ? a : end) - p)) : NULL;
        const char *c = b ? b : a;
        if (!c) return NULL;
        size_t k = 1;
        while (k < m) {
            unsigned char x = (unsigned char)c[k], y = (unsigned char)needle[k];
            if (x >= 'A' && x <= 'Z') x = (unsigned char)(x + 32);
            if (y >= 'A' && y <= 'Z') y = (unsigned char)(y + 32);
            if (x != y) break;
            k++;
        }
        if (k == m) return c;
        p = c;
    }
    return NULL;
}

/* Does p[0, n) start with the ASCII word s, ignoring case?  (The one
 * prefix test of the source plugins, which each had their own.) */
static inline int omb_starts_ci(const char *p, size_t n, const char *s)
{
    size_t m = strlen(s);
    if (m > n) return 0;
    for (size_t k = 0; k < m; k++) {
        unsigned char x = (unsigned char)p[k], y = (unsigned char)s[k];
        if (x >= 'A' && x <= 'Z') x = (unsigned char)(x + 32);
        if (y >= 'A' && y <= 'Z') y = (unsigned char)(y + 32);
        if (x != y) return 0;
    }
    return 1;
}

/* Does p[0, n) contain any of the words (lower case, NULL-terminated list),
 * ignoring ASCII case?  Passages under 2 KB (agreed actions, remedy
 * clauses) are folded to lower case once and searched with strstr, which
 * the C library vectorises, rather than scanned once per word.  While
 * folding, the passage's pairs of adjacent bytes are marked in a small
 * table, so a word whose first two bytes never meet is passed over without
 * a search: most of a list is absent from any one passage, and this
 * halved what classifying an agreed action cost (docs/performance.md). */
static inline int omb_has_any_ci(const char *p, size_t n, const char *const *words)
{
    char low[2048];
    if (n < sizeof low) {
        unsigned char pairs[128]; /* 1,024 bits, a hash of each byte pair */
        memset(pairs, 0, sizeof pairs);
        unsigned prev = 0;
        for (size_t i = 0; i < n; i++) {
            char c = p[i];
            c = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : (c == '\0' ? ' ' : c);
            low[i] = c;
            unsigned h = (prev * 31u + (unsigned char)c) & 1023u;
            if (i) pairs[h >> 3] |= (unsigned char)(1u << (h & 7));
            prev = (unsigned char)c;
        }
        low[n] = '\0';
        for (; *words; words++) {
            const unsigned char *w = (const unsigned char *)*words;
            if (w[0] && w[1]) {
                unsigned h = (w[0] * 31u + w[1]) & 1023u;
                if (!(pairs[h >> 3] & (1u << (h & 7)))) continue;
            }
            if (strstr(low, *words)) return 1;
        }
        return 0;
    }
    for (; *words; words++)
        if (omb_search_ci(p, n, *words)) return 1;
    return 0;
}

#endif /* OMBUDS_TEXT_H */
