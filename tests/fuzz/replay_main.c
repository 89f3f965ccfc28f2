/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * replay_main.c -- a main() for the fuzz targets when they are built without
 * libFuzzer, as `make check` programs (tests/fuzz/replay_<target>): runs
 * LLVMFuzzerTestOneInput once over each input the fuzzer once crashed on
 * (the files in tests/fuzz/regressions/<target>/), then over the golden
 * fixtures, so that every crash found stays a regression test under the
 * normal compiler, valgrind and the sanitizer build.  Speaks TAP, one test per
 * file; a crash ends the program with a signal, which the TAP driver reports.
 * Files named on the command line are replayed instead.  Fuzzing is `make fuzz`.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#ifndef FUZZ_TARGET
#error "FUZZ_TARGET must name the target, e.g. -DFUZZ_TARGET='\"fuzz_remedy\"'"
#endif

/* Reads a whole file into an allocation of exactly its size, so that reading
 * one byte too far is caught by valgrind and AddressSanitizer as it is by
 * libFuzzer. */
static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    unsigned char *buf = NULL;
    size_t len = 0;
    if (fseek(f, 0, SEEK_END) == 0) {
        long end = ftell(f);
        if (end >= 0 && fseek(f, 0, SEEK_SET) == 0) {
            len = (size_t)end;
            buf = malloc(len ? len : 1);
            if (buf && fread(buf, 1, len, f) != len) {
                free(buf);
                buf = NULL;
            }
        }
    }
    fclose(f);
    *n = len;
    return buf;
}

struct list {
    char **paths;
    size_t n, cap;
};

/* Adds dir/name, or name alone when dir is NULL. */
static void add(struct list *l, const char *dir, const char *name)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        char **p = realloc(l->paths, l->cap * sizeof *p);
        if (!p) abort();
        l->paths = p;
    }
    size_t need = (dir ? strlen(dir) + 1 : 0) + strlen(name) + 1;
    if (!(l->paths[l->n] = malloc(need))) abort();
    snprintf(l->paths[l->n++], need, "%s%s%s", dir ? dir : "", dir ? "/" : "", name);
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Adds dir's entries (not hidden; ending in `ext` when given), sorted so
 * the TAP output is the same on every run. */
static void add_dir(struct list *l, const char *dir, const char *ext)
{
    DIR *d = opendir(dir);
    if (!d) return;
    size_t first = l->n;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t nl = strlen(e->d_name), el = ext ? strlen(ext) : 0;
        if (e->d_name[0] == '.' || (ext && (nl < el || strcmp(e->d_name + nl - el, ext)))) continue;
        add(l, dir, e->d_name);
    }
    closedir(d);
    qsort(l->paths + first, l->n - first, sizeof *l->paths, cmp);
}

int main(int argc, char **argv)
{
    struct list l = {0};
    if (argc > 1) {
        for (int i = 1; i < argc; i++) add(&l, NULL, argv[i]);
    } else {
        const char *src = getenv("SRCDIR");
        char dir[4096];
        if (!src || !*src) src = OMB_SRCDIR;
        snprintf(dir, sizeof dir, "%s/tests/fuzz/regressions/%s", src, FUZZ_TARGET);
        add_dir(&l, dir, NULL);
        static const char *const golden[] = {"annex_table",   "csv_export", "decision_page", "minutes",
                                             "press_release", "si_detail",  "si_listing"};
        for (size_t k = 0; k < sizeof golden / sizeof golden[0]; k++) {
            snprintf(dir, sizeof dir, "%s/tests/golden/%s", src, golden[k]);
            add_dir(&l, dir, strcmp(golden[k], "csv_export") ? ".txt" : ".csv");
        }
        /* the decoders also get the decode tests' documents, good and bad */
        static const char *const decode_dirs[] = {"bad", "same/decision", "same/listing", "same/annex", "same/minutes"};
        for (size_t k = 0; !strncmp(FUZZ_TARGET, "fuzz_decode", 11) && k < sizeof decode_dirs / sizeof decode_dirs[0]; k++) {
            snprintf(dir, sizeof dir, "%s/tests/decode/%s", src, decode_dirs[k]);
            add_dir(&l, dir, NULL);
        }
    }
    int failed = 0;
    printf("1..%zu\n", l.n);
    fflush(stdout);
    for (size_t i = 0; i < l.n; i++) {
        size_t n;
        unsigned char *data = slurp(l.paths[i], &n);
        if (!data) {
            printf("not ok %zu - %s: cannot read\n", i + 1, l.paths[i]);
            failed++;
        } else {
            LLVMFuzzerTestOneInput(data, n);
            free(data);
            printf("ok %zu - %s %s\n", i + 1, FUZZ_TARGET, l.paths[i]);
        }
        fflush(stdout);
        free(l.paths[i]);
    }
    free(l.paths);
    return failed ? 1 : 0;
}
