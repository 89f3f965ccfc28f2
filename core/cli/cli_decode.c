/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli_decode.c -- `ombuds decode FILE`: prints the text the source plugins
 * would read from a file (core/lib/decode.c), so a user can see why a saved
 * page, a PDF or a Word file reads the way it does.  Pages of a PDF are
 * separated by a form feed.  Choosing a plugin and parsing is `ombuds parse`.
 */
#include <errno.h>
#include <ombuds/plugin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "decode.h"

/* Reads a whole file into memory; returns NULL with errno set. */
static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t r = fread(buf + len, 1, cap - len, f);
        len += r;
        if (len < cap) break;
        if (cap >= ((size_t)256 << 20)) { /* the same limit as ingest */
            free(buf);
            buf = NULL;
            errno = EFBIG;
            break;
        }
        char *p = realloc(buf, cap * 2);
        if (!p) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = p;
        cap *= 2;
    }
    int bad = buf && ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        errno = EIO;
        return NULL;
    }
    *n = len;
    return buf;
}

int omb_cli_decode(int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: ombuds decode FILE\n");
        return 2;
    }
    const char *path = argv[1];
    size_t n = 0;
    char *raw = slurp(path, &n);
    if (!raw) {
        fprintf(stderr, "ombuds decode: %s: cannot read: %s\n", path, strerror(errno));
        return 1;
    }
    if (n == 0) {
        fprintf(stderr, "ombuds decode: %s: empty file\n", path);
        free(raw);
        return 1;
    }
    omb_decoded d;
    char note[256], err[512];
    int rc = omb_decode(path, raw, n, &d, note, sizeof note, err, sizeof err);
    free(raw);
    if (rc) {
        if (!strncmp(err, "line ", 5)) fprintf(stderr, "ombuds decode: %s:%s\n", path, err + 5);
        else fprintf(stderr, "ombuds decode: %s: %s\n", path, err);
        return 1;
    }
    if (note[0]) fprintf(stderr, "ombuds decode: %s: %s\n", path, note);
    /* a form feed where the page changes, as pdftotext shows pages */
    size_t line = 1;
    unsigned page = omb_decoded_page(&d, 1);
    for (size_t i = 0; i < d.len; i++) {
        if (i == 0 || d.text[i - 1] == '\n') {
            unsigned p = omb_decoded_page(&d, line);
            if (p && p != page) fputc('\f', stdout);
            page = p;
        }
        fputc(d.text[i], stdout);
        if (d.text[i] == '\n') line++;
    }
    omb_decoded_free(&d);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "ombuds decode: writing: %s\n", strerror(errno));
        return 1;
    }
    return 0;
}
