/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * normalise.c -- turns references, dates, amounts and outcomes as people write
 * them into the one form the store keeps.  Everything here is a pure function
 * over (pointer, length): no allocation, no locale, so the same code serves
 * plugins, the store and the fuzzers.  Finding remedies in prose is remedy.c.
 */
#include "normalise.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
static int lower(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

const char *omb_memcasemem(const char *hay, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    if (m == 0) return hay;
    if (m > n) return NULL;
    /* Candidates are found with memchr (vectorised in the C library) for
     * the needle's first byte in both cases; plugins call this for every
     * keyword over every passage, so a byte-at-a-time loop showed in
     * profiles. */
    unsigned char lo = (unsigned char)lower((unsigned char)needle[0]);
    unsigned char up = (lo >= 'a' && lo <= 'z') ? (unsigned char)(lo - 32) : lo;
    const char *end = hay + n - m + 1; /* candidates start before end */
    const char *pl = memchr(hay, lo, (size_t)(end - hay));
    const char *pu = up != lo ? memchr(hay, up, (size_t)(end - hay)) : NULL;
    while (pl || pu) {
        const char *c = !pu || (pl && pl < pu) ? pl : pu;
        size_t j = 1;
        while (j < m && lower((unsigned char)c[j]) == lower((unsigned char)needle[j])) j++;
        if (j == m) return c;
        if (c == pl) pl = c + 1 < end ? memchr(c + 1, lo, (size_t)(end - c - 1)) : NULL;
        else pu = c + 1 < end ? memchr(c + 1, up, (size_t)(end - c - 1)) : NULL;
    }
    return NULL;
}

/* ---- references ---------------------------------------------------------- */

static int ref_separator(char c) { return c == ' ' || c == '-' || c == '/' || c == '.'; }

/* Reads the reference at p (no leading junk); returns bytes used or 0. */
static size_t read_ref(const char *p, size_t n, char out[11])
{
    static const int group[3] = {2, 3, 3};
    char digits[8];
    size_t i = 0;
    int d = 0;
    for (int g = 0; g < 3; g++) {
        if (g > 0 && i < n && ref_separator(p[i])) i++;
        for (int k = 0; k < group[g]; k++) {
            if (i >= n || !is_digit(p[i])) return 0;
            digits[d++] = p[i++];
        }
    }
    if (i < n && is_digit(p[i])) return 0; /* a longer number */
    snprintf(out, 11, "%.2s %.3s %.3s", digits, digits + 2, digits + 5);
    return i;
}

int omb_norm_ref(const char *p, size_t n, char out[11])
{
    size_t a = 0, b = n;
    while (a < b && (is_space(p[a]) || p[a] == '(' || p[a] == '[')) a++;
    while (b > a && (is_space(p[b - 1]) || p[b - 1] == ')' || p[b - 1] == ']' || p[b - 1] == '.' ||
                     p[b - 1] == ',' || p[b - 1] == ':'))
        b--;
    char tmp[11];
    size_t used = read_ref(p + a, b - a, tmp);
    if (used == 0 || a + used != b) return 0;
    memcpy(out, tmp, 11);
    return 1;
}

int omb_find_ref(const char *p, size_t n, size_t *start, size_t *len, char out[11])
{
    for (size_t i = 0; i < n; i++) {
        if (!is_digit(p[i]) || (i > 0 && (is_digit(p[i - 1]) || p[i - 1] == '.' || p[i - 1] == ','))) continue;
        size_t used = read_ref(p + i, n - i, out);
        /* "2021-2022" or a sum like "22,004,577" is not a reference: require
         * the next character to end the token.  A comma or full stop ends it
         * only when no digit follows ("case 23001842, Surrey ..."). */
        if (used && (i + used == n || !(isalnum((unsigned char)p[i + used]) ||
                                         ((p[i + used] == ',' || p[i + used] == '.') && i + used + 1 < n &&
                                          is_digit(p[i + used + 1]))))) {
            *start = i;
            *len = used;
            return 1;
        }
    }
    return 0;
}

/* ---- dates ----------------------------------------------------------------- */

static const char *const month_names[12] = {"january", "february", "march",     "april",   "may",      "june",
                                            "july",    "august",   "september", "october", "november", "december"};

/* Month from a word ("Jan", "January", "Sept"); 0 when none. */
static int month_of(const char *p, size_t n)
{
    if (n < 3) return 0;
    for (int m = 0; m < 12; m++) {
        size_t full = strlen(month_names[m]);
        if (n > full) continue;
        size_t k = 0;
        while (k < n && lower((unsigned char)p[k]) == month_names[m][k]) k++;
        if (k == n) return m + 1;
        if (m == 8 && n == 4 && k == 3 && lower((unsigned char)p[3]) == 't') return 9; /* "Sept" */
    }
    return 0;
}

static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int valid_date(int y, int m, int d)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1970 || y > 2100 || m < 1 || m > 12 || d < 1) return 0;
    return d <= days[m - 1] + (m == 2 && leap(y));
}

static size_t read_int(const char *p, size_t n, size_t maxdigits, int *v)
{
    size_t i = 0;
    int x = 0;
    while (i < n && i < maxdigits && is_digit(p[i])) x = x * 10 + (p[i++] - '0');
    if (i == 0 || (i < n && is_digit(p[i]))) return 0;
    *v = x;
    return i;
}

static size_t skip_seps(const char *p, size_t n, size_t i)
{
    while (i < n && (is_space(p[i]) || p[i] == ',' || p[i] == '-' || p[i] == '/' || p[i] == '.')) i++;
    return i;
}

/* Tries to read one date starting exactly at p; returns bytes used or 0. */
static size_t read_date(const char *p, size_t n, char out[11])
{
    int y = 0, m = 0, d = 0;
    size_t i = 0, k;
    if (!is_digit(p[0])) return 0;
    /* ISO: 2023-01-20 */
    if (n >= 10 && (k = read_int(p, n, 4, &y)) == 4 && p[4] == '-') {
        if (read_int(p + 5, n - 5, 2, &m) == 2 && p[7] == '-' && read_int(p + 8, n - 8, 2, &d) == 2) {
            i = 10;
            goto check;
        }
        return 0;
    }
    k = read_int(p, n, 2, &d);
    if (!k) return 0;
    i = k;
    /* ordinal suffix: 26th, 1st, 2nd, 3rd */
    if (i + 2 <= n && (!strncmp(p + i, "st", 2) || !strncmp(p + i, "nd", 2) || !strncmp(p + i, "rd", 2) ||
                       !strncmp(p + i, "th", 2)))
        i += 2;
    if (i < n && (p[i] == '/' || p[i] == '.') && i + 1 < n && is_digit(p[i + 1])) {
        /* 20/01/2023: British day/month/year */
        char sep = p[i];
        k = read_int(p + i + 1, n - i - 1, 2, &m);
        if (!k) return 0;
        i += 1 + k;
        if (i >= n || p[i] != sep) return 0;
        k = read_int(p + i + 1, n - i - 1, 4, &y);
        if (k != 4) return 0;
        i += 1 + k;
        goto check;
    }
    size_t j = skip_seps(p, n, i);
    if (j == i && !(j < n && isalpha((unsigned char)p[j]))) return 0;
    size_t w = j;
    while (w < n && isalpha((unsigned char)p[w])) w++;
    m = month_of(p + j, w - j);
    if (!m) return 0;
    j = skip_seps(p, n, w);
    k = read_int(p + j, n - j, 4, &y);
    if (k != 4) return 0;
    i = j + k;
check:
    if (!valid_date(y, m, d)) return 0;
    /* valid_date bounds every part, so the result is exactly 10 bytes */
    char buf[32];
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    memcpy(out, buf, 11);
    return i;
}

int omb_norm_date(const char *p, size_t n, char out[11])
{
    size_t a = 0, b = n;
    while (a < b && is_space(p[a])) a++;
    while (b > a && (is_space(p[b - 1]) || p[b - 1] == '.' || p[b - 1] == ',')) b--;
    /* a leading weekday ("Wednesday, 26th February, 2025") is allowed */
    size_t w = a;
    while (w < b && isalpha((unsigned char)p[w])) w++;
    if (w > a) {
        static const char *const days[7] = {"monday", "tuesday", "wednesday", "thursday",
                                            "friday", "saturday", "sunday"};
        int found = 0;
        for (int k = 0; k < 7; k++)
            if (w - a == strlen(days[k]) && omb_memcasemem(p + a, w - a, days[k])) found = 1;
        if (!found) return 0;
        a = w;
        while (a < b && (is_space(p[a]) || p[a] == ',')) a++;
    }
    if (a >= b) return 0;
    char tmp[11];
    size_t used = read_date(p + a, b - a, tmp);
    if (!used || a + used != b) return 0;
    memcpy(out, tmp, 11);
    return 1;
}

int omb_find_date(const char *p, size_t n, size_t *start, size_t *len, char out[11])
{
    for (size_t i = 0; i < n; i++) {
        if (!is_digit(p[i]) || (i > 0 && is_digit(p[i - 1]))) continue;
        size_t used = read_date(p + i, n - i, out);
        if (used) {
            *start = i;
            *len = used;
            return 1;
        }
    }
    return 0;
}

/* ---- money ------------------------------------------------------------------ */

size_t omb_parse_money(const char *p, size_t n, int64_t *pence)
{
    size_t i = 0;
    *pence = 0;
    if (n >= 2 && (unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA3) i = 2; /* U+00A3 */
    else if (n >= 3 && !strncmp(p, "GBP", 3)) i = 3;
    while (i < n && i > 0 && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r')) i++;
    if (i >= n || !is_digit(p[i])) return 0;
    int64_t pounds = 0;
    size_t group = 0;   /* digits since the last comma */
    int commas = 0;
    while (i < n) {
        if (is_digit(p[i])) {
            if (pounds > OMB_MONEY_MAX_PENCE / 100) return 0; /* refuse, never wrap */
            pounds = pounds * 10 + (p[i] - '0');
            group++;
            i++;
        } else if (p[i] == ',' && i + 3 < n && is_digit(p[i + 1]) && is_digit(p[i + 2]) &&
                   is_digit(p[i + 3]) && (i + 4 >= n || !is_digit(p[i + 4])) && (commas ? group == 3 : group <= 3)) {
            commas++;
            group = 0;
            i++;
        } else {
            break;
        }
    }
    int64_t total = pounds * 100;
    if (i + 2 < n && p[i] == '.' && is_digit(p[i + 1]) && is_digit(p[i + 2]) && (i + 3 >= n || !is_digit(p[i + 3]))) {
        total += (p[i + 1] - '0') * 10 + (p[i + 2] - '0');
        i += 3;
    }
    if (total > OMB_MONEY_MAX_PENCE) return 0;
    /* a run of digits that kept going past the limit ends here with i < n digit */
    if (i < n && is_digit(p[i])) return 0;
    *pence = total;
    return i;
}

/* ---- outcomes --------------------------------------------------------------- */

const char *omb_norm_outcome(const char *p, size_t n)
{
    /* Order matters: "not upheld" contains "upheld". */
    static const struct {
        const char *needle, *outcome;
    } table[] = {
        {"not upheld", "not upheld"},
        {"no fault", "not upheld"},
        {"upheld", "upheld"},
        {"closed after initial enquiries", "closed after initial enquiries"},
        {"initial enquiries", "closed after initial enquiries"},
        {"premature", "premature"},
        {"referred back for local resolution", "premature"},
        {"withdrawn", "withdrawn"},
        {"advice given", "advice given"},
        {"incomplete", "incomplete or invalid"},
        {"invalid", "incomplete or invalid"},
        {"out of jurisdiction", "out of jurisdiction"},
    };
    for (size_t k = 0; k < sizeof table / sizeof table[0]; k++)
        if (omb_memcasemem(p, n, table[k].needle)) return table[k].outcome;
    return "unknown";
}

/* ---- white space -------------------------------------------------------------- */

size_t omb_fold_space(const char *p, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    int pending = 0;
    if (cap == 0) return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        /* U+00A0 NO-BREAK SPACE, common in text taken from web pages */
        if (c == 0xC2 && i + 1 < n && (unsigned char)p[i + 1] == 0xA0) {
            i++;
            c = ' ';
        }
        if (is_space((char)c)) {
            pending = o > 0;
            continue;
        }
        if (pending) {
            if (o + 1 >= cap) break;
            out[o++] = ' ';
            pending = 0;
        }
        if (o + 1 >= cap) break;
        out[o++] = (char)c;
    }
    /* never leave half a UTF-8 sequence at a cut */
    if (o > 0) {
        size_t k = o;
        while (k > 0 && ((unsigned char)out[k - 1] & 0xC0) == 0x80) k--;
        if (k > 0 && (unsigned char)out[k - 1] >= 0xC0) {
            unsigned char lead = (unsigned char)out[k - 1];
            size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
            if (o - (k - 1) < need) o = k - 1;
        }
    }
    /* a cut can fall just after a space (or a dropped partial character) */
    while (o > 0 && out[o - 1] == ' ') o--;
    out[o] = '\0';
    return o;
}
