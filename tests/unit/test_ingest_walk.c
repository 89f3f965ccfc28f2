/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_ingest_walk.c -- unit tests for ingest_walk.c, the directory walk of
 * ingest: names come in byte order whatever order readdir gives, hidden
 * names are left out, and a directory read a few names per pass (as a
 * million-file one is, 131072 a pass) yields every name exactly once, in
 * order, with `more` set until the last pass.  The same for the one-read
 * walk (omb_dir_read), whose sorted runs go through a temporary file when
 * the names do not fit: every name once, in order, no batch larger than
 * the limit, and the same names as the passes give for 600 names.
 */
#define _GNU_SOURCE
#include "ingest_walk.h"

#include <dirent.h>
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

/* Reads dir with omb_dir_read, `limit` names a batch, joining the names
 * with spaces; *largest is the largest batch. */
static int read_sorted(const char *dir, size_t limit, char *out, size_t cap, int *batches, ssize_t *largest)
{
    struct omb_dir_reader *r = omb_dir_read(dir, limit);
    out[0] = '\0';
    *batches = 0;
    *largest = 0;
    if (!r) return -1;
    for (;;) {
        struct omb_dir_entry *e;
        ssize_t n = omb_dir_next(r, &e);
        if (n < 0) {
            omb_dir_close(r);
            return -1;
        }
        if (n == 0) break;
        (*batches)++;
        if (n > *largest) *largest = n;
        for (ssize_t i = 0; i < n; i++) {
            strncat(out, e[i].name, cap - strlen(out) - 1);
            strncat(out, " ", cap - strlen(out) - 1);
        }
        omb_dir_entries_free(e, (size_t)n);
    }
    omb_dir_close(r);
    return 0;
}

/* 600 files whose names sort otherwise than they are made: the one-read
 * walk in batches of 16 (38 runs merged) gives what the passes give. */
static void test_many(const char *dir)
{
    char path[300], name[32];
    unsigned x = 7;
    for (int i = 0; i < 600; i++) {
        x = x * 1103515245u + 12345u;
        snprintf(name, sizeof name, "%c%05u-%d.txt", 'a' + (int)((x >> 16) % 26), (x >> 8) % 99991, i);
        snprintf(path, sizeof path, "%s/%s", dir, name);
        FILE *f = fopen(path, "w");
        if (f) fclose(f);
    }
    static char by_passes[600 * 40], by_runs[600 * 40];
    int passes, batches;
    ssize_t largest;
    TAP_INT(read_all(dir, 16, by_passes, sizeof by_passes, &passes), 0, "600 names read in passes of 16");
    TAP_INT(read_sorted(dir, 16, by_runs, sizeof by_runs, &batches, &largest), 0, "and in one read, 16 a batch");
    TAP_STR(by_runs, by_passes, "the same names in the same order");
    TAP_INT(batches, 38, "in 38 batches");
    TAP_INT((int)largest, 16, "none larger than 16");
    int ordered = 1, count = 0;
    const char *prev = NULL;
    for (char *tok = strtok(by_runs, " "); tok; tok = strtok(NULL, " ")) {
        count++;
        if (prev && strcmp(prev, tok) >= 0) ordered = 0;
        prev = tok;
    }
    TAP_INT(count, 600, "every name once");
    TAP_OK(ordered, "each name sorts after the one before");
    DIR *d = opendir(dir);
    struct dirent *de;
    while (d && (de = readdir(d)))
        if (de->d_name[0] != '.') {
            snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
            unlink(path);
        }
    if (d) closedir(d);
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

    int batches;
    ssize_t largest;
    TAP_INT(read_sorted(dir, OMB_WALK_PASS_NAMES, got, sizeof got, &batches, &largest), 0, "one read of the directory");
    TAP_STR(got, sorted, "one read: every name, in byte order, hidden names left out");
    TAP_INT(batches, 1, "in one batch when the names fit");
    TAP_INT(read_sorted(dir, 3, got, sizeof got, &batches, &largest), 0, "one read, three names a run");
    TAP_STR(got, sorted, "three runs merged: every name once, in order");
    TAP_INT(batches, 3, "handed out three at a time");
    TAP_INT((int)largest, 3, "no batch larger than three");
    TAP_INT(read_sorted(dir, 1, got, sizeof got, &batches, &largest), 0, "one read, one name a run");
    TAP_STR(got, sorted, "seven runs merged: every name once, in order");

    snprintf(path, sizeof path, "%s/missing", dir);
    errno = 0;
    TAP_INT((int)omb_dir_pass(path, NULL, 10, &e, &more), -1, "a missing directory is an error");
    TAP_INT(errno, ENOENT, "with errno saying why");
    errno = 0;
    TAP_OK(omb_dir_read(path, 10) == NULL, "a missing directory is an error for the one read too");
    TAP_INT(errno, ENOENT, "with errno saying why");

    for (size_t i = 0; i < N_NAMES; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/.hidden", dir);
    unlink(path);
    TAP_INT(read_sorted(dir, 3, got, sizeof got, &batches, &largest), 0, "an empty directory is read");
    TAP_INT(batches, 0, "and gives no names");
    test_many(dir);
    rmdir(dir);
    return tap_done();
}
