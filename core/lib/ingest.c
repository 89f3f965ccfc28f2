/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ingest.c -- one document on its way to the store (ingest.h): reading it,
 * hashing its bytes with nettle's SHA-256 (an unchanged file is recognised
 * before it is even decoded), decoding text (decode.c), picking the plugin
 * and parsing into a sink (sink.c).  Many documents, the two threads and
 * the writes (store.c) are ingest_pipeline.c; reading directories, which
 * never follows a directory symlink below the top so loops cannot trap it,
 * is ingest_walk.c and ingest_pipeline.c.  Printing is left to the caller's
 * report callback.
 */
#define _GNU_SOURCE
#include "ingest.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "decode.h"
#include "ingest_int.h"

/* Documents larger than this are refused: no ombudsman document comes near
 * it, and the whole text is held in memory while it is parsed. */
#define MAX_DOCUMENT_BYTES ((size_t)256 << 20)

void omb_ingest_sha256_hex(const unsigned char *p, size_t n, char out[65])
{
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, n, p);
    sha256_digest(&ctx, sizeof digest, digest);
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < SHA256_DIGEST_SIZE; i++) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 15];
    }
    out[64] = '\0';
}

void omb_ingest_identity(char sha[65], const char *format, const char *authority)
{
    /* A document read without options keeps the plain hash of its bytes, so
     * stores written before options counted still recognise it. */
    if (!format && !authority) return;
    char buf[65 + 2 * 512 + 32];
    int n = snprintf(buf, sizeof buf, "%s\nformat=%.511s\nauthority=%.511s", sha, format ? format : "",
                     authority ? authority : "");
    if (n < 0) return;
    omb_ingest_sha256_hex((const unsigned char *)buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1, sha);
}

/* Reads the whole file; returns OMB_OK or OMB_EIO with err set.  Plain
 * open/fstat/read rather than stdio: on a corpus of small pages the calls
 * themselves are the cost, and stdio adds a buffer and a copy to each. */
int omb_ingest_read_file(const char *path, char **data, size_t *n, char *err, size_t cap)
{
    *data = NULL;
    *n = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, cap, "%s: cannot open: %s", path, strerror(errno));
        return OMB_EIO;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, cap, "%s: not a regular file", path);
        close(fd);
        return OMB_EIO;
    }
    if ((size_t)st.st_size > MAX_DOCUMENT_BYTES) {
        snprintf(err, cap, "%s: %lld bytes is larger than the %zu MiB a document may have", path,
                 (long long)st.st_size, MAX_DOCUMENT_BYTES >> 20);
        close(fd);
        return OMB_EIO;
    }
    size_t size = (size_t)st.st_size;
    /* one byte more than the size: a read that fills it means the file grew */
    char *buf = malloc(size + 2);
    if (!buf) {
        close(fd);
        snprintf(err, cap, "%s: out of memory reading %zu bytes", path, size);
        return OMB_ENOMEM;
    }
    size_t got = 0;
    int bad = 0;
    while (got < size + 1) {
        ssize_t r = read(fd, buf + got, size + 1 - got);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) bad = errno;
        if (r <= 0) break;
        got += (size_t)r;
        /* A regular file answers short only at its end: the whole file is
         * read, so no second read(2) is needed to see the end (one system
         * call fewer a page, of five). */
        if (got == size) break;
    }
    close(fd);
    if (bad || got != size) {
        snprintf(err, cap, "%s: read error: %s", path, bad ? strerror(bad) : "file changed while reading");
        free(buf);
        return OMB_EIO;
    }
    buf[size] = '\0';
    *data = buf;
    *n = size;
    return OMB_OK;
}

/* Decodes raw bytes and picks the plugin (the part of preparing a document
 * that comes after reading it). */
int omb_ingest_prepare_raw(const omb_registry *reg, const char *path, const char *raw, size_t n,
                           const char *format, char **text, size_t *len, const struct omb_loaded_plugin **plugin, char *note,
                           size_t note_cap, char *err, size_t err_cap, unsigned **line_page, size_t *n_line_page)
{
    *text = NULL;
    *plugin = NULL;
    if (line_page) *line_page = NULL, *n_line_page = 0;
    if (n == 0) {
        snprintf(err, err_cap, "%s: empty file", path);
        return OMB_EPARSE;
    }
    /* the decode layer (decode.c): text, HTML, PDF or .docx */
    char why[512];
    omb_decoded dec;
    int rc = omb_decode(path, raw, n, &dec, note, note_cap, why, sizeof why);
    if (rc) {
        if (!strncmp(why, "line ", 5)) snprintf(err, err_cap, "%s:%s", path, why + 5);
        else snprintf(err, err_cap, "%s: %s", path, why);
        return rc;
    }
    *text = dec.text;
    *len = dec.len;
    if (line_page) *line_page = dec.line_page, *n_line_page = dec.n_lines;
    else free(dec.line_page);
    if (format) {
        *plugin = omb_registry_find(reg, format);
        if (!*plugin || (*plugin)->desc->kind != OMB_PLUGIN_SOURCE) {
            snprintf(err, err_cap, "%s: --format %s: no source-format plugin of that name (see `ombuds plugins`)",
                     path, format);
            *plugin = NULL;
        }
    } else {
        *plugin = omb_detect_format(reg, *text, *len, path, err, err_cap);
    }
    if (!*plugin) {
        free(*text);
        *text = NULL;
        if (line_page) free(*line_page), *line_page = NULL, *n_line_page = 0;
        return OMB_EPARSE;
    }
    return OMB_OK;
}

int omb_ingest_prepare(const omb_registry *reg, const char *path, const char *format, char **text, size_t *len,
                       const struct omb_loaded_plugin **plugin, char *note, size_t note_cap, char *err, size_t err_cap,
                       char *sha_hex, size_t *raw_size)
{
    char *raw;
    size_t n;
    *text = NULL;
    *plugin = NULL;
    int rc = omb_ingest_read_file(path, &raw, &n, err, err_cap);
    if (rc) return rc;
    if (raw_size) *raw_size = n;
    if (sha_hex) omb_ingest_sha256_hex((const unsigned char *)raw, n, sha_hex);
    rc = omb_ingest_prepare_raw(reg, path, raw, n, format, text, len, plugin, note, note_cap, err, err_cap, NULL, NULL);
    free(raw);
    return rc;
}
