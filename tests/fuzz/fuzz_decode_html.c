/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_decode_html.c -- libFuzzer target for the decoder of saved web pages (decode_html.c, libxml2):
 * whatever the bytes after the kind's magic, omb_decode refuses them in one
 * line or returns clean UTF-8 with consistent page numbers (fuzz_decode.h).
 */
#include "fuzz_decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_decode(data, size, "<html>", "page.html");
}
