/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_text.c -- libFuzzer target for the document decoder (core/text.c,
 * omb_text_decode): whatever bytes a file holds, the decoder either refuses
 * them with a message or hands plugins what plugin.h promises, valid UTF-8
 * with LF line ends, NUL-terminated and with no NUL inside.  What plugins
 * then make of the text is fuzz_plugin.c.
 */
#include <string.h>

#include <ombuds/plugin.h>

#include "fuzz.h"
#include "decode_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *out = (char *)data; /* must be replaced or cleared */
    size_t out_n = 99;
    char note[128], err[256];
    int rc = omb_text_decode((const char *)data, size, &out, &out_n, note, sizeof note, err, sizeof err);
    if (rc != OMB_OK) {
        FUZZ_CHECK(rc == OMB_EPARSE || rc == OMB_ENOMEM);
        FUZZ_CHECK(out == NULL && out_n == 0);
        FUZZ_CHECK(err[0] != '\0' && memchr(err, '\0', sizeof err));
        return 0;
    }
    FUZZ_CHECK(out != NULL && out[out_n] == '\0');
    FUZZ_CHECK(memchr(note, '\0', sizeof note));
    size_t bad = 0;
    FUZZ_CHECK(omb_utf8_valid(out, out_n, &bad));
    FUZZ_CHECK(!memchr(out, '\r', out_n));
    FUZZ_CHECK(!memchr(out, '\0', out_n));
    /* plain UTF-8 without CR or a byte-order mark comes through unchanged */
    if (size && !memchr(data, '\r', size) && omb_utf8_valid((const char *)data, size, NULL) &&
        !(size >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF) &&
        !(size >= 2 && ((data[0] == 0xFF && data[1] == 0xFE) || (data[0] == 0xFE && data[1] == 0xFF))))
        FUZZ_CHECK(out_n == size && !memcmp(out, data, size));
    free(out);
    return 0;
}
