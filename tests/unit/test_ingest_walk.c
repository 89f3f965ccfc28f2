/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_ingest_walk.c -- unit tests for ingest_walk.c, the directory pass of
 * ingest: names come in byte order whatever order readdir gives, hidden
 * names are left out, and a directory read a few names per pass (as a
 * million-file one is, 131072 a pass) yields every name exactly once, in
 * order, with `more` set until the last pass.
 */
#define _GNU_SOURCE
#include "ingest_walk.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../tap.h"

static const char *const names[] = {"b.txt", "a.txt", "C.txt", "d 1.txt", "a0.txt", "zz", "m.html"};
#define N_NAMES (sizeof names / sizeof names[0])
/* byte order (C locale): upper case before lower, space before digits */
static const char *const sorted = "C.txt a.txt a0.txt b.txt d 1.txt m.html zz ";

/* Reads dir in passes of `limit`, joining the names with spaces. */
static int read_all(const char *dir, size_t limit, char *out, size_t cap, int *passes)
{
    char *after = NULL;
    int more = 1;
    out[0] = '\0';
    *passes = 0;
    while (more) {
        struct omb_dir_entry *e;
        ssize_t n = omb_dir_pass(dir, after, limit, &e, &more);
        if (n < 0) return -1;
        (*passes)++;
        for (ssize_t i = 0; i < n; i++) {
            strncat(out, e[i].name, cap - strlen(out) - 1);
            strncat(out, " ", cap - strlen(out) - 1);
        }
        free(after);
        after = n ? strdup(e[n - 1].name) : NULL;
        omb_dir_entries_free(e, (size_t)n);
        if (!n) break;
    }
    free(after);
    return 0;
}

int main(void)
{
    char dir[] = "/tmp/omb-walk-XXXXXX";
    if (!mkdtemp(dir)) {
        printf("Bail out! cannot make a temporary directory: %s\n", strerror(errno));
        return 1;
    }
    char path[256];
    for (size_t i = 0; i < N_NAMES; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        FILE *f = fopen(path, "w");
        if (f) fclose(f);
    }
    snprintf(path, sizeof path, "%s/.hidden", dir);
    FILE *f = fopen(path, "w");
    if (f) fclose(f);

    char got[1024];
    int passes;
    TAP_INT(read_all(dir, OMB_WALK_PASS_NAMES, got, sizeof got, &passes), 0, "a directory is read");
    TAP_STR(got, sorted, "every name, in byte order, hidden names left out");
    TAP_INT(passes, 1, "one pass when the names fit");
    TAP_INT(read_all(dir, 3, got, sizeof got, &passes), 0, "read three names a pass");
    TAP_STR(got, sorted, "three a pass: every name once, in order");
    TAP_INT(passes, 3, "seven names take three passes of three");
    TAP_INT(read_all(dir, 1, got, sizeof got, &passes), 0, "read one name a pass");
    TAP_STR(got, sorted, "one a pass: every name once, in order");

    struct omb_dir_entry *e;
    int more;
    ssize_t n = omb_dir_pass(dir, "b.txt", 2, &e, &more);
    TAP_INT((int)n, 2, "a pass after b.txt takes the next two");
    TAP_STR(n == 2 ? e[0].name : "", "d 1.txt", "the first name after b.txt");
    TAP_INT(more, 1, "names are left for another pass");
    if (n > 0) omb_dir_entries_free(e, (size_t)n);
    n = omb_dir_pass(dir, "m.html", 5, &e, &more);
    TAP_INT((int)n, 1, "the last pass");
    TAP_INT(more, 0, "nothing is left after it");
    if (n > 0) omb_dir_entries_free(e, (size_t)n);

    snprintf(path, sizeof path, "%s/missing", dir);
    errno = 0;
    TAP_INT((int)omb_dir_pass(path, NULL, 10, &e, &more), -1, "a missing directory is an error");
    TAP_INT(errno, ENOENT, "with errno saying why");

    for (size_t i = 0; i < N_NAMES; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/.hidden", dir);
    unlink(path);
    rmdir(dir);
    return tap_done();
}
