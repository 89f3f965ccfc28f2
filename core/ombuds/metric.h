/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ombuds/metric.h -- small query helpers every metric plugin needs, so each
 * does not keep its own copy.  Header-only (static inline), like
 * ombuds/text.h, so a plugin still links against nothing of ours and the
 * plugin ABI (ombuds/plugin.h) is unchanged.  Installed with the SDK.
 */
#ifndef OMBUDS_METRIC_H
#define OMBUDS_METRIC_H

#include <ombuds/plugin.h>
#include <stdint.h>

/* The integers of a one-row query such as "SELECT count(*), sum(...)". */
#define OMB_COUNTS_MAX 8
struct omb_counts {
    int64_t v[OMB_COUNTS_MAX];
};

/* A row callback for host->query that stores the row's first columns in the
 * struct omb_counts ud points to; a column that is not an integer (NULL from
 * sum() over no rows) counts as 0.  With several rows the last one wins. */
static inline int omb_get_counts(void *ud, int n, const struct omb_value *v, const char *const *names)
{
    struct omb_counts *c = (struct omb_counts *)ud;
    (void)names;
    for (int k = 0; k < n && k < OMB_COUNTS_MAX; k++) c->v[k] = v[k].type == OMB_VALUE_INT ? v[k].i : 0;
    return OMB_OK;
}

#endif
