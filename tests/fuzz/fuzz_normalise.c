/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_normalise.c -- libFuzzer target for the normalisers of
 * core/normalise.c (references, dates, money, outcomes, white space) and the
 * purpose reader of core/remedy.c.  Besides "no crash, no overread" it checks
 * each function's own contract (an ISO date that reads back the same, an
 * amount that is never negative or past the limit, a folded string with no
 * double spaces), because a normaliser that quietly returns garbage is as bad
 * as one that crashes.  The remedy extractor has its own target,
 * fuzz_remedy.c.
 */
#include <inttypes.h>
#include <string.h>

#include "fuzz.h"
#include "normalise.h"
#include "remedy.h"

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* "YY NNN NNN" and nothing else. */
static int ref_shape(const char out[11])
{
    for (int i = 0; i < 10; i++)
        if (i == 2 || i == 6 ? out[i] != ' ' : !is_digit(out[i])) return 0;
    return out[10] == '\0';
}

/* "YYYY-MM-DD" and nothing else. */
static int date_shape(const char out[11])
{
    for (int i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? out[i] != '-' : !is_digit(out[i])) return 0;
    return out[10] == '\0';
}

static void check_money(const char *p, size_t n)
{
    int64_t pence = 12345;
    size_t used = omb_parse_money(p, n, &pence);
    FUZZ_CHECK(used <= n);
    FUZZ_CHECK(pence >= 0 && pence <= OMB_MONEY_MAX_PENCE);
    if (!used) {
        FUZZ_CHECK(pence == 0);
        return;
    }
    /* what was read reads back the same when written in the plainest form */
    char again[48];
    int k = snprintf(again, sizeof again, "\xC2\xA3%" PRId64 ".%02d", pence / 100, (int)(pence % 100));
    int64_t back = -1;
    FUZZ_CHECK(k > 0 && omb_parse_money(again, (size_t)k, &back) == (size_t)k && back == pence);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    /* the first byte picks the output size for omb_fold_space, so cuts at
     * every position (and inside UTF-8 sequences) are tried */
    size_t cap = data[0];
    const char *p = (const char *)data + 1;
    size_t n = size - 1;
    char out[11], out2[11];
    size_t start = 0, len = 0;

    if (omb_norm_ref(p, n, out)) FUZZ_CHECK(ref_shape(out));
    if (omb_find_ref(p, n, &start, &len, out)) {
        FUZZ_CHECK(ref_shape(out));
        FUZZ_CHECK(start < n && len <= n - start);
        FUZZ_CHECK(omb_norm_ref(p + start, len, out2) && !memcmp(out, out2, 11));
    }

    if (omb_norm_date(p, n, out)) {
        FUZZ_CHECK(date_shape(out));
        FUZZ_CHECK(omb_norm_date(out, 10, out2) && !memcmp(out, out2, 11));
    }
    if (omb_find_date(p, n, &start, &len, out)) {
        FUZZ_CHECK(date_shape(out));
        FUZZ_CHECK(start < n && len <= n - start);
        FUZZ_CHECK(omb_norm_date(p + start, len, out2) && !memcmp(out, out2, 11));
    }

    /* money at every offset of the first 256 bytes: amounts start anywhere */
    for (size_t i = 0; i < n && i < 256; i++) check_money(p + i, n - i);

    const char *o = omb_norm_outcome(p, n);
    FUZZ_CHECK(o && *o);

    char folded[256];
    size_t fl = omb_fold_space(p, n, folded, cap);
    if (cap == 0) {
        FUZZ_CHECK(fl == 0);
    } else {
        /* (the input may hold NUL bytes, so no strlen here) */
        FUZZ_CHECK(fl < cap && folded[fl] == '\0');
        FUZZ_CHECK(fl == 0 || (folded[0] != ' ' && folded[fl - 1] != ' '));
        for (size_t i = 0; i + 1 < fl; i++) FUZZ_CHECK(folded[i] != ' ' || folded[i + 1] != ' ');
    }

    /* a needle taken from the input itself, so matches actually happen */
    if (n >= 2) {
        char needle[9];
        size_t m = (size_t)(data[0] % 8) + 1;
        if (m > n) m = n;
        memcpy(needle, p + n - m, m);
        needle[m] = '\0';
        const char *hit = omb_memcasemem(p, n, needle);
        size_t nl = strlen(needle);
        if (hit) FUZZ_CHECK(hit >= p && nl <= n && (size_t)(hit - p) <= n - nl);
        else FUZZ_CHECK(nl > 0);
    }

    char purposes[160];
    int np = omb_purposes_of(p, n, purposes, 1 + (size_t)data[0] % sizeof purposes);
    FUZZ_CHECK(np >= 0 && strlen(purposes) < sizeof purposes);
    return 0;
}
