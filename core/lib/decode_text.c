/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * decode_text.c -- decoding plain-text documents to UTF-8 (decode_text.h).  Conversions go through the
 * C library's iconv rather than hand-written tables.  What a document means is
 * the plugins' business; this file only makes sure they get clean UTF-8.
 */
#include "decode_text.h"

#include <errno.h>
#include <iconv.h>
#include <ombuds/plugin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int omb_utf8_valid(const char *s, size_t n, size_t *bad_at)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        size_t k;
        unsigned cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            k = 1;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            k = 2;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            k = 3;
            cp = c & 0x07;
        } else
            goto bad;
        for (size_t j = 1; j <= k; j++) {
            if (i + j >= n || (p[i + j] & 0xC0) != 0x80) goto bad;
            cp = (cp << 6) | (p[i + j] & 0x3F);
        }
        /* overlong forms, surrogates and values past U+10FFFF are invalid */
        if ((k == 1 && cp < 0x80) || (k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            goto bad;
        i += k + 1;
    }
    return 1;
bad:
    if (bad_at) *bad_at = i;
    return 0;
}

static size_t line_at(const char *p, size_t at)
{
    size_t line = 1;
    for (size_t i = 0; i < at; i++)
        if (p[i] == '\n') line++;
    return line;
}

/* Converts with iconv into a fresh buffer; returns OMB_OK or OMB_EPARSE. */
static int convert(const char *from, const char *in, size_t n, char **out, size_t *out_n)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1) return OMB_EPARSE;
    size_t cap = n * 3 + 4, left_out = cap, left_in = n;
    char *buf = malloc(cap + 1);
    if (!buf) {
        iconv_close(cd);
        return OMB_ENOMEM;
    }
    char *ip = (char *)in, *op = buf;
    size_t r = iconv(cd, &ip, &left_in, &op, &left_out);
    iconv_close(cd);
    if (r == (size_t)-1) {
        free(buf);
        return OMB_EPARSE;
    }
    *out_n = cap - left_out;
    buf[*out_n] = '\0';
    *out = buf;
    return OMB_OK;
}

/* Folds CRLF (and lone CR) to LF in place; returns the new length. */
static size_t fold_newlines(char *p, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\r') {
            p[o++] = '\n';
            if (i + 1 < n && p[i + 1] == '\n') i++;
        } else
            p[o++] = p[i];
    }
    p[o] = '\0';
    return o;
}

int omb_text_decode(const char *raw, size_t n, char **out, size_t *out_n, char *note, size_t note_cap, char *err,
                    size_t err_cap)
{
    const unsigned char *u = (const unsigned char *)raw;
    *out = NULL;
    *out_n = 0;
    if (note_cap) note[0] = '\0';
    if (err_cap) err[0] = '\0';
    int rc;
    if (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        const char *enc = u[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
        rc = convert(enc, raw + 2, n - 2, out, out_n);
        if (rc) {
            snprintf(err, err_cap, "line 1: invalid %s text after its byte-order mark", enc);
            return rc == OMB_ENOMEM ? rc : OMB_EPARSE;
        }
        /* plugins are promised text without NUL (plugin.h), as UTF-8 input is */
        const char *nul = memchr(*out, '\0', *out_n);
        if (nul) {
            snprintf(err, err_cap, "line %zu: NUL character in %s text: not a text document",
                     line_at(*out, (size_t)(nul - *out)), enc);
            free(*out);
            *out = NULL;
            *out_n = 0;
            return OMB_EPARSE;
        }
        snprintf(note, note_cap, "converted from %s", enc);
    } else {
        size_t skip = (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) ? 3 : 0;
        const char *nul = memchr(raw + skip, '\0', n - skip);
        if (nul) {
            snprintf(err, err_cap, "line %zu: NUL byte at offset %zu: not a text document", line_at(raw, (size_t)(nul - raw)),
                     (size_t)(nul - raw));
            return OMB_EPARSE;
        }
        size_t bad;
        if (omb_utf8_valid(raw + skip, n - skip, &bad)) {
            *out = malloc(n - skip + 1);
            if (!*out) return OMB_ENOMEM;
            memcpy(*out, raw + skip, n - skip);
            (*out)[n - skip] = '\0';
            *out_n = n - skip;
        } else {
            /* Not UTF-8.  Text from older council systems is Windows-1252
             * ("£" as byte 0xA3); convert and say so.  Control bytes that
             * Windows-1252 leaves undefined mean binary. */
            size_t controls = 0;
            for (size_t i = 0; i < n; i++)
                if (u[i] < 0x20 && u[i] != '\n' && u[i] != '\r' && u[i] != '\t' && u[i] != '\f') controls++;
            if (controls > n / 100 + 1 ||
                convert("WINDOWS-1252", raw + skip, n - skip, out, out_n) != OMB_OK) {
                /* bad counts from after the byte-order mark */
                snprintf(err, err_cap, "line %zu: byte 0x%02X is neither UTF-8 nor Windows-1252 text: not a text document",
                         line_at(raw, skip + bad), u[skip + bad]);
                return OMB_EPARSE;
            }
            snprintf(note, note_cap, "converted from Windows-1252 (first non-UTF-8 byte on line %zu)",
                     line_at(raw, skip + bad));
        }
    }
    *out_n = fold_newlines(*out, *out_n);
    return OMB_OK;
}
