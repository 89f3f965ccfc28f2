/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_decode_docx.c -- libFuzzer target for the decoder of Word .docx files (decode_docx.c, libzip and libxml2):
 * whatever the bytes after the kind's magic, omb_decode refuses them in one
 * line or returns clean UTF-8 with consistent page numbers (fuzz_decode.h).
 */
#include "fuzz_decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_decode(data, size, "PK\x03\x04", "document.docx");
}
