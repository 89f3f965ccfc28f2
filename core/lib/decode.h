/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * decode.h -- the decode layer: turns the bytes of a file (plain text, a
 * saved web page, a PDF, a Word .docx) into the UTF-8 text source plugins
 * read, recognising the kind by content rather than by name.  Plain text is
 * still text.c; each other kind is one decode_<kind>.c beside this file.
 * What the text means is the plugins' business (ingest.c runs them).
 */
#ifndef OMB_DECODE_H
#define OMB_DECODE_H
#include <stddef.h>

/* A decoded document.  text is NUL-terminated UTF-8 with LF line ends and no
 * NUL inside (what plugin.h promises plugins).  line_page is set only for
 * kinds with pages (PDF): line_page[i] is the 1-based page of line i + 1, for
 * the n_lines lines of text. */
typedef struct omb_decoded {
    char *text;          /* malloc'd */
    size_t len;          /* bytes, without the NUL */
    const char *kind;    /* "text", "html", "pdf" or "docx" (static) */
    unsigned *line_page; /* malloc'd, or NULL */
    size_t n_lines;      /* entries in line_page */
    unsigned n_pages;    /* pages read (PDF), else 0 */
} omb_decoded;

/* Decodes raw[0..n) of the file called name (a path or a name: only its
 * extension is a hint, the content decides).  On success returns OMB_OK and
 * fills *out (free with omb_decoded_free); note says what was done ("HTML
 * page converted from windows-1252") or is "".  On failure returns
 * OMB_EPARSE (or OMB_ENOMEM) with a one-line message in err, either
 * "line N: ..." for plain text or naming what was expected ("truncated PDF:
 * ..."); *out is then empty. */
int omb_decode(const char *name, const char *raw, size_t n, omb_decoded *out, char *note, size_t note_cap, char *err,
               size_t err_cap);

/* Frees what *d holds and empties it; safe on an empty one. */
void omb_decoded_free(omb_decoded *d);

/* The page of a 1-based line of d (0 when d has no pages). */
unsigned omb_decoded_page(const omb_decoded *d, size_t line);

#endif
