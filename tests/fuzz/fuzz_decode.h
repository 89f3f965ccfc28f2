/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_decode.h -- what the decode-layer fuzz targets (fuzz_decode_html.c,
 * fuzz_decode_pdf.c, fuzz_decode_docx.c) share: the input, given the magic
 * bytes of the kind when it lacks them so that every input reaches that
 * decoder, goes through omb_decode, which either refuses it with a one-line
 * message or hands plugins what plugin.h promises.
 */
#ifndef OMB_FUZZ_DECODE_H
#define OMB_FUZZ_DECODE_H

#include <ombuds/plugin.h>
#include <string.h>

#include "fuzz.h"
#include "lib/decode.h"
#include "decode_text.h"

static inline int fuzz_decode(const uint8_t *data, size_t size, const char *magic, const char *name)
{
    size_t k = strlen(magic);
    int has = size >= k && !memcmp(data, magic, k);
    uint8_t *buf = malloc(size + k + 1);
    if (!buf) return 0;
    memcpy(buf, magic, has ? 0 : k);
    memcpy(buf + (has ? 0 : k), data, size);
    size_t n = size + (has ? 0 : k);
    omb_decoded d;
    char note[256], err[512];
    memset(&d, 0x55, sizeof d); /* must be replaced */
    int rc = omb_decode(name, (const char *)buf, n, &d, note, sizeof note, err, sizeof err);
    free(buf);
    if (rc != OMB_OK) {
        FUZZ_CHECK(rc == OMB_EPARSE || rc == OMB_ENOMEM);
        FUZZ_CHECK(d.text == NULL && d.len == 0 && d.line_page == NULL);
        FUZZ_CHECK(err[0] != '\0' && memchr(err, '\0', sizeof err) && !strchr(err, '\n'));
        return 0;
    }
    FUZZ_CHECK(d.text != NULL && d.text[d.len] == '\0');
    FUZZ_CHECK(omb_utf8_valid(d.text, d.len, NULL));
    FUZZ_CHECK(!memchr(d.text, '\0', d.len) && !memchr(d.text, '\r', d.len));
    FUZZ_CHECK(memchr(note, '\0', sizeof note));
    if (d.line_page) {
        size_t lines = 0;
        for (size_t i = 0; i < d.len; i++) lines += d.text[i] == '\n';
        FUZZ_CHECK(d.n_lines == lines);
        for (size_t i = 0; i < d.n_lines; i++) FUZZ_CHECK(d.line_page[i] >= 1 && d.line_page[i] <= d.n_pages);
    }
    omb_decoded_free(&d);
    return 0;
}

#endif
