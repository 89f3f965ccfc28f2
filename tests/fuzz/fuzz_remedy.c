/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_remedy.c -- libFuzzer target for the remedy extractor
 * (core/remedy.c, omb_extract_remedies).  Each remedy it reports is checked
 * against the extractor's contract: a known kind, an amount that is either
 * unknown or within the money limit, purposes from the canonical list, and a
 * clause that lies inside the passage at the offset it claims.  The
 * normalisers it relies on have their own target, fuzz_normalise.c.
 */
#include <string.h>

#include <ombuds/plugin.h>

#include "fuzz.h"
#include "normalise.h"
#include "remedy.h"

struct passage {
    const char *p;
    size_t n, base;
    unsigned calls, stop_at;
};

static int on_remedy(void *ud, int kind, int64_t pence, const char *purposes, const char *text, size_t text_n,
                     size_t at)
{
    struct passage *x = ud;
    FUZZ_CHECK(kind >= OMB_REMEDY_APOLOGY && kind <= OMB_REMEDY_OTHER);
    FUZZ_CHECK(pence == OMB_AMOUNT_UNKNOWN || (pence >= 0 && pence <= OMB_MONEY_MAX_PENCE));
    FUZZ_CHECK(purposes && strlen(purposes) < 160);
    FUZZ_CHECK(text >= x->p && text_n <= x->n && (size_t)(text - x->p) <= x->n - text_n);
    FUZZ_CHECK(at == x->base + (size_t)(text - x->p));
    /* every purpose named is one of the canonical ones */
    static const char *const known[] = {"avoidable distress", "time and trouble", "uncertainty", "loss of service",
                                        "quantifiable loss", "lost opportunity"};
    for (const char *s = purposes; *s;) {
        size_t l = strcspn(s, ";"), k;
        for (k = 0; k < sizeof known / sizeof known[0]; k++)
            if (strlen(known[k]) == l && !memcmp(known[k], s, l)) break;
        FUZZ_CHECK(k < sizeof known / sizeof known[0]);
        s += l + (s[l] == ';');
    }
    return ++x->calls == x->stop_at ? 7 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    /* the first byte chooses after how many remedies the callback asks to
     * stop (0: never), so the early-return paths run too */
    struct passage x = {(const char *)data + 1, size - 1, 1000, 0, data[0] & 0x0f};
    int rc = omb_extract_remedies(x.p, x.n, x.base, on_remedy, &x);
    FUZZ_CHECK(rc == 0 || (rc == 7 && x.calls == x.stop_at));
    return 0;
}
