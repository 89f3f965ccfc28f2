/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * tap.h -- a tiny Test Anything Protocol helper for the C unit tests (after
 * collectd's testing.h): each check prints "ok N - what" or "not ok N - what"
 * with the expected and actual values, and tap_done() prints the plan and
 * returns the exit status.  Header-only on purpose: every test includes it.
 */
#ifndef OMB_TAP_H
#define OMB_TAP_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

#define TAP_OK(cond, ...)                                                                                              \
    do {                                                                                                               \
        int ok_ = (cond);                                                                                              \
        printf("%s %d - ", ok_ ? "ok" : "not ok", ++tap_n);                                                            \
        printf(__VA_ARGS__);                                                                                           \
        printf("\n");                                                                                                  \
        if (!ok_) {                                                                                                    \
            tap_failed++;                                                                                              \
            printf("#   failed at %s:%d: %s\n", __FILE__, __LINE__, #cond);                                            \
        }                                                                                                              \
    } while (0)

#define TAP_STR(got, want, ...)                                                                                        \
    do {                                                                                                               \
        const char *g_ = (got), *w_ = (want);                                                                          \
        int ok_ = (g_ == NULL && w_ == NULL) || (g_ && w_ && strcmp(g_, w_) == 0);                                     \
        printf("%s %d - ", ok_ ? "ok" : "not ok", ++tap_n);                                                            \
        printf(__VA_ARGS__);                                                                                           \
        printf("\n");                                                                                                  \
        if (!ok_) {                                                                                                    \
            tap_failed++;                                                                                              \
            printf("#   %s:%d\n#   want: %s\n#    got: %s\n", __FILE__, __LINE__, w_ ? w_ : "(null)",                  \
                   g_ ? g_ : "(null)");                                                                                \
        }                                                                                                              \
    } while (0)

#define TAP_INT(got, want, ...)                                                                                        \
    do {                                                                                                               \
        int64_t g_ = (int64_t)(got), w_ = (int64_t)(want);                                                             \
        printf("%s %d - ", g_ == w_ ? "ok" : "not ok", ++tap_n);                                                       \
        printf(__VA_ARGS__);                                                                                           \
        printf("\n");                                                                                                  \
        if (g_ != w_) {                                                                                                \
            tap_failed++;                                                                                              \
            printf("#   %s:%d\n#   want: %" PRId64 "\n#    got: %" PRId64 "\n", __FILE__, __LINE__, w_, g_);           \
        }                                                                                                              \
    } while (0)

static inline int tap_done(void)
{
    printf("1..%d\n", tap_n);
    return tap_failed ? 1 : 0;
}

#endif
