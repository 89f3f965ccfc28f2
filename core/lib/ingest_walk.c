/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ingest_walk.c -- reading a directory for ingest (ingest_walk.h): the
 * names of one pass in name order, at most `limit` of them, so a directory
 * of a million files never holds every name at once.  What is done with each
 * name (recursing, following links, ingesting) is ingest_pipeline.c.
 * Tested on its own by tests/unit/test_ingest_walk.c.
 */
#define _GNU_SOURCE
#include "ingest_walk.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const struct omb_dir_entry *)a)->name, ((const struct omb_dir_entry *)b)->name);
}

/* The bounded selection of one pass: a max-heap of the smallest names seen
 * that sort after `after`. */
static void heap_sift_down(struct omb_dir_entry *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && strcmp(h[l].name, h[m].name) > 0) m = l;
        if (r < n && strcmp(h[r].name, h[m].name) > 0) m = r;
        if (m == i) return;
        struct omb_dir_entry t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

static void heap_sift_up(struct omb_dir_entry *h, size_t i)
{
    while (i && strcmp(h[(i - 1) / 2].name, h[i].name) < 0) {
        struct omb_dir_entry t = h[i];
        h[i] = h[(i - 1) / 2];
        h[(i - 1) / 2] = t;
        i = (i - 1) / 2;
    }
}

ssize_t omb_dir_pass(const char *dir, const char *after, size_t limit, struct omb_dir_entry **out, int *more)
{
    DIR *d = opendir(dir);
    *out = NULL;
    *more = 0;
    if (!d) return -1;
    struct omb_dir_entry *h = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue; /* ., .., and hidden files */
        if (after && strcmp(e->d_name, after) <= 0) continue;
        if (n == limit) {
            *more = 1;
            if (strcmp(e->d_name, h[0].name) >= 0) continue;
            char *name = strdup(e->d_name);
            if (!name) goto oom;
            free(h[0].name);
            h[0].name = name;
            h[0].type = e->d_type;
            heap_sift_down(h, n, 0);
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            struct omb_dir_entry *p = realloc(h, cap * sizeof *p);
            if (!p) goto oom;
            h = p;
        }
        if (!(h[n].name = strdup(e->d_name))) goto oom;
        h[n].type = e->d_type;
        heap_sift_up(h, n++);
    }
    closedir(d);
    if (n) qsort(h, n, sizeof *h, cmp_entry);
    *out = h;
    return (ssize_t)n;
oom:
    closedir(d);
    for (size_t i = 0; i < n; i++) free(h[i].name);
    free(h);
    errno = ENOMEM;
    return -1;
}

void omb_dir_entries_free(struct omb_dir_entry *e, size_t n)
{
    for (size_t i = 0; i < n; i++) free(e[i].name);
    free(e);
}
