/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * decode_text.h -- turning the bytes of a plain-text file into the UTF-8 text plugins read:
 * refusing binary files, converting UTF-16 and Windows-1252 (with iconv, and
 * saying so), dropping a byte-order mark, and folding CRLF to LF.  Reading the
 * file is ingest.c; recognising HTML, PDF and Word files is decode.c.
 */
#ifndef OMB_DECODE_TEXT_H
#define OMB_DECODE_TEXT_H
#include <stddef.h>

/* Decodes raw[0..n).  On success returns OMB_OK and sets *out (malloc'd,
 * NUL-terminated, caller frees) and *out_n; `note` receives what was done
 * ("converted from Windows-1252") or "".  On failure returns OMB_EPARSE with a
 * message in err ("line 3: NUL byte: not a text document"). */
int omb_text_decode(const char *raw, size_t n, char **out, size_t *out_n, char *note, size_t note_cap, char *err,
                    size_t err_cap);

/* Is p[0..n) valid UTF-8?  Returns 1, or 0 and the offset of the first bad byte. */
int omb_utf8_valid(const char *p, size_t n, size_t *bad_at);

#endif
