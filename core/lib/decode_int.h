/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * decode_int.h -- what the decoders (decode_*.c) share and nothing else
 * includes: a text builder that collapses markup whitespace into lines
 * (decode_lines.c), and each decoder's entry point.  The dispatch by content
 * is decode.c.
 */
#ifndef OMB_DECODE_INT_H
#define OMB_DECODE_INT_H
#include <stddef.h>

/* A growing UTF-8 buffer that turns inline text into lines.  Invariants: buf
 * is NUL-terminated; no line ends in a space; no more than one blank line in a
 * row; `space` is a pending word separator, written only before more text on
 * the same line. */
struct omb_tb {
    char *buf;
    size_t len, cap;
    int space;  /* a separator is due before the next text */
    int failed; /* out of memory (every later call is a no-op) */
    unsigned *line_page; /* page of each finished line, when pages are kept */
    size_t n_lines, cap_lines;
    unsigned page;       /* the page text is being added for (0: not kept) */
};

/* The builder (decode_lines.c). */
void omb_tb_init(struct omb_tb *tb);
/* Makes room for more bytes and the NUL; 0, or -1 (and tb->failed) when
 * out of memory. */
int omb_tb_reserve(struct omb_tb *tb, size_t more);
void omb_tb_free(struct omb_tb *tb);
/* Inline text: runs of whitespace (and U+00A0) become one space. */
void omb_tb_text(struct omb_tb *tb, const char *s, size_t n);
/* Literal text (a bullet, a tab between cells), no whitespace folding. */
void omb_tb_raw(struct omb_tb *tb, const char *s, size_t n);
/* Ends the line being written, if any. */
void omb_tb_newline(struct omb_tb *tb);
/* Ends the line and leaves one blank line (none at the start). */
void omb_tb_blank(struct omb_tb *tb);
/* A forced line break (<br>): ends the line even if it is empty. */
void omb_tb_break(struct omb_tb *tb);
/* Is the builder at the start of a line? */
int omb_tb_at_line_start(const struct omb_tb *tb);

/* Removes page furniture lines (decode_furniture.c): for plain text the line
 * is emptied so line numbers stay those of the file; for other kinds it is
 * dropped (with its line_page entry).  Returns the new length. */
size_t omb_furniture_filter(char *text, size_t len, unsigned *line_page, size_t *n_lines, int keep_lines);
/* Is the line [s, s+n) page furniture? */
int omb_furniture_line(const char *s, size_t n);

/* The decoders: each fills tb or returns OMB_EPARSE/OMB_ENOMEM with err.
 * Each is a module of its own (decode_pdf.so, decode_html.so,
 * decode_docx.so) exporting omb_decode_<kind>_module; omb_decode_<kind>
 * opens it on first use and calls that (decode_module.c). */
int omb_decode_html(const char *raw, size_t n, struct omb_tb *tb, char *note, size_t note_cap, char *err,
                    size_t err_cap);
int omb_decode_pdf(const char *raw, size_t n, struct omb_tb *tb, unsigned *n_pages, char *err, size_t err_cap);
int omb_decode_docx(const char *raw, size_t n, struct omb_tb *tb, char *err, size_t err_cap);
int omb_decode_html_module(const char *raw, size_t n, struct omb_tb *tb, char *note, size_t note_cap, char *err,
                           size_t err_cap);
int omb_decode_pdf_module(const char *raw, size_t n, struct omb_tb *tb, unsigned *n_pages, char *err,
                          size_t err_cap);
int omb_decode_docx_module(const char *raw, size_t n, struct omb_tb *tb, char *err, size_t err_cap);

#endif
