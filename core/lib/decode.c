/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * decode.c -- the decode layer's dispatch (decode.h): recognises what a file
 * is by its first bytes (PDF, ZIP, old OLE Word, markup), hands it to the
 * decoder of that kind, filters page furniture and checks that plugins get
 * what plugin.h promises.  The line builder the decoders share is
 * decode_lines.c; plain text is decode_text.c; HTML, PDF and .docx are
 * decode_html.c, decode_pdf.c and decode_docx.c.
 */
#include "decode.h"

#include <ombuds/plugin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decode_int.h"
#include "decode_text.h"

/* ---- recognising the kind ----------------------------------------------------- */

static int has_prefix_ci(const char *p, size_t n, const char *s)
{
    size_t k = strlen(s);
    return n >= k && !strncasecmp(p, s, k);
}

static const char *extension(const char *name)
{
    const char *slash = name ? strrchr(name, '/') : NULL;
    const char *base = slash ? slash + 1 : name ? name : "";
    const char *dot = strrchr(base, '.');
    return dot ? dot + 1 : "";
}

/* Does the text start like markup (after a byte-order mark, blanks and
 * comments)?  Saved pages open with a doctype, <html>, or for fragments
 * <head>, <body>, <meta>, <p>, <div>, <h1>...; a plain-text document
 * practically never starts with '<' followed by one of those. */
static int looks_like_html(const char *name, const char *p, size_t n)
{
    static const char *const openers[] = {"<!doctype html", "<html", "<head", "<body", "<meta", "<title", "<p>",
                                          "<p ", "<div", "<h1", "<h2", "<table", "<ul", "<ol", "<section",
                                          "<article", "<main", "<header", "<nav", "<link", "<script", "<style"};
    size_t i = 0;
    if (n >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF) i = 3;
    for (int guard = 0; guard < 64; guard++) {
        while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n')) i++;
        if (has_prefix_ci(p + i, n - i, "<?xml") || has_prefix_ci(p + i, n - i, "<!--")) {
            const char *end = has_prefix_ci(p + i, n - i, "<!--") ? "-->" : "?>";
            size_t lim = n - i < 65536 ? n - i : 65536;
            const char *e = NULL;
            for (size_t j = 0; j + strlen(end) <= lim; j++)
                if (!memcmp(p + i + j, end, strlen(end))) {
                    e = p + i + j;
                    break;
                }
            if (!e) break;
            i = (size_t)(e - p) + strlen(end);
            continue;
        }
        break;
    }
    for (size_t k = 0; k < sizeof openers / sizeof openers[0]; k++)
        if (has_prefix_ci(p + i, n - i, openers[k])) return 1;
    /* a .html file that starts with other markup is still a page */
    const char *ext = extension(name);
    if ((!strcasecmp(ext, "html") || !strcasecmp(ext, "htm") || !strcasecmp(ext, "xhtml")) && i < n && p[i] == '<')
        return 1;
    return 0;
}

/* UTF-16 with a byte-order mark: does it hold markup?  Rare (Windows
 * "Unicode" saves), and libxml2 reads the mark itself. */
static int utf16_html(const char *p, size_t n)
{
    const unsigned char *u = (const unsigned char *)p;
    if (n < 8 || !((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) return 0;
    size_t at = u[0] == 0xFF ? 2 : 3; /* the low byte of the first character */
    return p[at] == '<';
}

/* ---- the dispatch ------------------------------------------------------------- */

void omb_decoded_free(omb_decoded *d)
{
    if (!d) return;
    free(d->text);
    free(d->line_page);
    memset(d, 0, sizeof *d);
}

unsigned omb_decoded_page(const omb_decoded *d, size_t line)
{
    if (!d->line_page || !d->n_lines || line == 0) return 0;
    return d->line_page[(line <= d->n_lines ? line : d->n_lines) - 1];
}

/* Hands the builder's text over to out, after the furniture filter and the
 * checks plugins rely on. */
static int finish(struct omb_tb *tb, const char *kind, omb_decoded *out, char *err, size_t err_cap)
{
    omb_tb_newline(tb);
    if (tb->failed) {
        snprintf(err, err_cap, "out of memory decoding the %s document", kind);
        omb_tb_free(tb);
        return OMB_ENOMEM;
    }
    if (!tb->buf && omb_tb_reserve(tb, 1) == 0) tb->buf[0] = '\0';
    if (tb->failed) {
        omb_tb_free(tb);
        return OMB_ENOMEM;
    }
    /* decoders write UTF-8, but a damaged file can still carry a NUL or a
     * control character through; plugins are promised neither */
    for (size_t i = 0; i < tb->len; i++) {
        unsigned char c = (unsigned char)tb->buf[i];
        if (c < 0x20 && c != '\n' && c != '\t') tb->buf[i] = ' ';
    }
    size_t bad;
    if (!omb_utf8_valid(tb->buf, tb->len, &bad)) {
        snprintf(err, err_cap, "the %s document decodes to text that is not UTF-8 (offset %zu)", kind, bad);
        omb_tb_free(tb);
        return OMB_EPARSE;
    }
    size_t n_lines = tb->n_lines;
    tb->len = omb_furniture_filter(tb->buf, tb->len, tb->line_page, tb->line_page ? &n_lines : NULL, 0);
    /* the text ends with its last line, not with blank ones */
    while (tb->len >= 2 && tb->buf[tb->len - 1] == '\n' && tb->buf[tb->len - 2] == '\n') {
        tb->buf[--tb->len] = '\0';
        if (n_lines) n_lines--;
    }
    out->text = tb->buf;
    out->len = tb->len;
    out->kind = kind;
    out->line_page = tb->line_page;
    out->n_lines = tb->line_page ? n_lines : 0;
    tb->buf = NULL;
    tb->line_page = NULL;
    omb_tb_free(tb);
    /* nothing readable is an error, not an empty document */
    size_t i = 0;
    while (i < out->len && (out->text[i] == ' ' || out->text[i] == '\n' || out->text[i] == '\t')) i++;
    if (i == out->len) {
        snprintf(err, err_cap, "no readable text in this %s (expected %s)",
                 !strcmp(kind, "html") ? "HTML page" : !strcmp(kind, "pdf") ? "PDF" : "Word document",
                 !strcmp(kind, "html") ? "a saved web page with its body: is it truncated?" : "a document with text");
        omb_decoded_free(out);
        return OMB_EPARSE;
    }
    return OMB_OK;
}

int omb_decode(const char *name, const char *raw, size_t n, omb_decoded *out, char *note, size_t note_cap, char *err,
               size_t err_cap)
{
    memset(out, 0, sizeof *out);
    if (note_cap) note[0] = '\0';
    if (err_cap) err[0] = '\0';
    struct omb_tb tb;
    omb_tb_init(&tb);
    int rc;
    if (n >= 5 && !memcmp(raw, "%PDF-", 5)) {
        rc = omb_decode_pdf(raw, n, &tb, &out->n_pages, err, err_cap);
        if (rc) goto fail;
        unsigned pages = out->n_pages;
        rc = finish(&tb, "pdf", out, err, err_cap);
        out->n_pages = pages;
        return rc;
    }
    if (n >= 4 && !memcmp(raw, "PK\x03\x04", 4)) {
        rc = omb_decode_docx(raw, n, &tb, err, err_cap);
        if (rc) goto fail;
        return finish(&tb, "docx", out, err, err_cap);
    }
    if (n >= 8 && !memcmp(raw, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)) {
        snprintf(err, err_cap, "old binary Word document (.doc): save it as .docx or PDF and ingest that");
        return OMB_EPARSE;
    }
    if (n >= 4 && (!memcmp(raw, "PK\x05\x06", 4) || !memcmp(raw, "PK\x07\x08", 4))) {
        snprintf(err, err_cap, "not a Word document: an empty or split ZIP archive");
        return OMB_EPARSE;
    }
    if (looks_like_html(name, raw, n) || utf16_html(raw, n)) {
        rc = omb_decode_html(raw, n, &tb, note, note_cap, err, err_cap);
        if (rc) goto fail;
        return finish(&tb, "html", out, err, err_cap);
    }
    /* plain text: text.c, then furniture lines emptied in place so that line
     * numbers stay those of the file */
    rc = omb_text_decode(raw, n, &out->text, &out->len, note, note_cap, err, err_cap);
    if (rc) return rc;
    out->kind = "text";
    out->len = omb_furniture_filter(out->text, out->len, NULL, NULL, 1);
    return OMB_OK;
fail:
    omb_tb_free(&tb);
    return rc;
}
