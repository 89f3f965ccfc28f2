/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ingest_walk.c -- reading a directory for ingest (ingest_walk.h): its
 * names in name order, at most `limit` at a time, so a directory of a
 * million files never holds every name at once.  Two ways: one read whose
 * sorted runs wait in a temporary file to be merged (omb_dir_read, what
 * ingest uses), and passes that each read the directory again for the next
 * names (omb_dir_pass, which needs no file).  What is done with each name
 * (recursing, following links, ingesting) is ingest_pipeline.c.  Tested on
 * its own by tests/unit/test_ingest_walk.c.
 */
#define _GNU_SOURCE
#include "ingest_walk.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* ---- one read: sorted runs in a temporary file, merged ---- */

/* A run's bytes are records of a type byte, the name and its '\0', in name
 * order; a run is read through a buffer of its own. */
#define RUN_BUFFER 32768

struct run {
    off_t pos, end;   /* the run's bytes not yet in the buffer */
    char *buf;
    size_t at, len;   /* the buffer's record at `at`, bytes up to len */
    const char *name; /* the record at `at`: the run's next name, NULL when done */
    unsigned char type;
};

struct omb_dir_reader {
    size_t limit;
    struct omb_dir_entry *held; /* every name, sorted, when they fit in one run */
    size_t n_held;
    FILE *file; /* the runs, when they did not */
    struct run *runs;
    size_t n_runs;
};

/* Sorts the n names and appends them to the file as a run; frees them. */
static int spill(struct omb_dir_reader *r, struct omb_dir_entry *e, size_t *n)
{
    if (!r->file && !(r->file = tmpfile())) return -1;
    struct run *runs = realloc(r->runs, (r->n_runs + 1) * sizeof *runs);
    if (!runs) return -1;
    r->runs = runs;
    qsort(e, *n, sizeof *e, cmp_entry);
    off_t start = ftello(r->file);
    for (size_t i = 0; i < *n; i++) {
        fputc(e[i].type, r->file);
        fputs(e[i].name, r->file);
        fputc('\0', r->file);
        free(e[i].name);
    }
    *n = 0;
    if (ferror(r->file)) return -1;
    r->runs[r->n_runs++] = (struct run){.pos = start, .end = ftello(r->file)};
    return 0;
}

/* Makes the run's next record whole in its buffer and points name at it
 * (NULL at the run's end); -1 on a read error. */
static int run_load(struct omb_dir_reader *r, struct run *u)
{
    for (;;) {
        const char *nul = u->len > u->at + 1 ? memchr(u->buf + u->at + 1, '\0', u->len - u->at - 1) : NULL;
        if (nul) {
            u->type = (unsigned char)u->buf[u->at];
            u->name = u->buf + u->at + 1;
            return 0;
        }
        if (u->pos >= u->end) {
            u->name = NULL;
            return u->at == u->len ? 0 : (errno = EIO, -1);
        }
        memmove(u->buf, u->buf + u->at, u->len - u->at);
        u->len -= u->at;
        u->at = 0;
        size_t want = RUN_BUFFER - u->len;
        if ((off_t)want > u->end - u->pos) want = (size_t)(u->end - u->pos);
        ssize_t got = pread(fileno(r->file), u->buf + u->len, want, u->pos);
        if (got <= 0) {
            if (got == 0) errno = EIO;
            return -1;
        }
        u->pos += got;
        u->len += (size_t)got;
    }
}

/* Doubles an array of entries, to at most limit; -1 when out of memory. */
static int grow(struct omb_dir_entry **e, size_t *cap, size_t limit)
{
    size_t grown = *cap ? 2 * *cap : 64;
    if (grown > limit) grown = limit;
    struct omb_dir_entry *p = realloc(*e, grown * sizeof *p);
    if (!p) return -1;
    *e = p;
    *cap = grown;
    return 0;
}

struct omb_dir_reader *omb_dir_read(const char *dir, size_t limit)
{
    DIR *d = opendir(dir);
    if (!d) return NULL;
    errno = 0;
    struct omb_dir_reader *r = calloc(1, sizeof *r);
    struct omb_dir_entry *e = NULL;
    size_t n = 0, cap = 0;
    if (!r) goto fail;
    r->limit = limit ? limit : 1;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.') continue; /* ., .., and hidden files */
        if (n == r->limit && spill(r, e, &n)) goto fail;
        if (n == cap && grow(&e, &cap, r->limit)) goto fail;
        if (!(e[n].name = strdup(de->d_name))) goto fail;
        e[n].type = de->d_type;
        n++;
    }
    closedir(d);
    d = NULL;
    if (!r->file) { /* it all fitted */
        if (n) qsort(e, n, sizeof *e, cmp_entry);
        r->held = e;
        r->n_held = n;
        return r;
    }
    if ((n && spill(r, e, &n)) || fflush(r->file)) goto fail;
    free(e);
    e = NULL;
    for (size_t i = 0; i < r->n_runs; i++)
        if (!(r->runs[i].buf = malloc(RUN_BUFFER)) || run_load(r, &r->runs[i])) goto fail;
    return r;
fail:;
    int saved = errno ? errno : ENOMEM;
    if (d) closedir(d);
    for (size_t i = 0; i < n; i++) free(e[i].name);
    free(e);
    omb_dir_close(r);
    errno = saved;
    return NULL;
}

ssize_t omb_dir_next(struct omb_dir_reader *r, struct omb_dir_entry **out)
{
    *out = NULL;
    if (!r->file) { /* the one batch, handed over whole */
        ssize_t n = (ssize_t)r->n_held;
        *out = r->held;
        r->held = NULL;
        r->n_held = 0;
        return n;
    }
    size_t n = 0, cap = 0;
    struct omb_dir_entry *o = NULL;
    while (n < r->limit) {
        /* the smallest of the runs' next names; a directory has a few runs
         * (eight at a million names), so a scan beats a heap */
        struct run *best = NULL;
        for (size_t i = 0; i < r->n_runs; i++)
            if (r->runs[i].name && (!best || strcmp(r->runs[i].name, best->name) < 0)) best = &r->runs[i];
        if (!best) break;
        if (n == cap && grow(&o, &cap, r->limit)) goto fail;
        if (!(o[n].name = strdup(best->name))) goto fail;
        o[n++].type = best->type;
        best->at = (size_t)(best->name - best->buf) + strlen(best->name) + 1;
        if (run_load(r, best)) goto fail;
    }
    *out = o;
    return (ssize_t)n;
fail:;
    int saved = errno ? errno : ENOMEM;
    omb_dir_entries_free(o, n);
    errno = saved;
    return -1;
}

void omb_dir_close(struct omb_dir_reader *r)
{
    if (!r) return;
    omb_dir_entries_free(r->held, r->n_held);
    for (size_t i = 0; i < r->n_runs; i++) free(r->runs[i].buf);
    free(r->runs);
    if (r->file) fclose(r->file);
    free(r);
}
