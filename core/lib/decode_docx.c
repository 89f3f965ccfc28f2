/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * decode_docx.c -- Word .docx to text: the ZIP is opened with libzip and
 * word/document.xml read with libxml2's XML parser.  Paragraphs become lines,
 * table rows lines of tab-separated cells, numbered paragraphs keep their
 * numbers (from word/numbering.xml).  Headers, footers, footnotes and
 * comments are separate parts and are left out.  Limits on the ZIP's entries
 * and on how far a part expands stop a ZIP bomb before it is inflated.
 */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <ombuds/plugin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "decode_int.h"

#define MAX_ENTRIES 10000                 /* a Word file holds a few dozen */
#define MAX_PART_BYTES ((zip_uint64_t)64 << 20) /* one part, inflated */
#define MAX_RATIO 200                     /* inflated / compressed, past 1 MiB */

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

/* Numbering: what a (numId, level) pair prints.  abstract[i] holds, per
 * level, the format ("decimal", "bullet", ...) and the text ("%1."). */
#define MAX_LEVELS 9
struct numbering {
    struct num {
        long id;
        char *fmt[MAX_LEVELS];
        char *text[MAX_LEVELS];
        long start[MAX_LEVELS];
        long count[MAX_LEVELS];
    } *nums;
    size_t n;
};

static int is_w(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->ns && !strcmp((const char *)n->ns->href, W_NS) &&
           !strcmp((const char *)n->name, name);
}

static char *wattr(const xmlNode *n, const char *name)
{
    char *v = (char *)xmlGetNsProp(n, (const xmlChar *)name, (const xmlChar *)W_NS);
    return v;
}

static long wattr_long(const xmlNode *n, const char *name, long dflt)
{
    char *v = wattr(n, name);
    long r = v ? strtol(v, NULL, 10) : dflt;
    xmlFree(v);
    return r;
}

static xmlNode *child(const xmlNode *n, const char *name)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (is_w(c, name)) return c;
    return NULL;
}

/* Reads word/numbering.xml (if any) into num: each w:num with the levels of
 * its w:abstractNum. */
static void read_numbering(xmlDoc *doc, struct numbering *num)
{
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!root) return;
    size_t n_num = 0;
    for (xmlNode *c = root->children; c; c = c->next) n_num += is_w(c, "num");
    if (!n_num || n_num > 10000 || !(num->nums = calloc(n_num, sizeof *num->nums))) return;
    for (xmlNode *c = root->children; c; c = c->next) {
        if (!is_w(c, "num")) continue;
        struct num *u = &num->nums[num->n++];
        u->id = wattr_long(c, "numId", -1);
        long abs_id = wattr_long(child(c, "abstractNumId"), "val", -1);
        for (xmlNode *a = root->children; a; a = a->next) {
            if (!is_w(a, "abstractNum") || wattr_long(a, "abstractNumId", -2) != abs_id) continue;
            for (xmlNode *l = a->children; l; l = l->next) {
                if (!is_w(l, "lvl")) continue;
                long il = wattr_long(l, "ilvl", -1);
                if (il < 0 || il >= MAX_LEVELS) continue;
                u->fmt[il] = wattr(child(l, "numFmt"), "val");
                u->text[il] = wattr(child(l, "lvlText"), "val");
                u->start[il] = wattr_long(child(l, "start"), "val", 1);
                u->count[il] = u->start[il] - 1;
            }
            break;
        }
    }
}

static void free_numbering(struct numbering *num)
{
    for (size_t i = 0; i < num->n; i++)
        for (int l = 0; l < MAX_LEVELS; l++) {
            xmlFree(num->nums[i].fmt[l]);
            xmlFree(num->nums[i].text[l]);
        }
    free(num->nums);
}

/* Writes the number or bullet of a numbered paragraph: lvlText with each
 * %N replaced by that level's count ("%1." gives "3. "). */
static void write_number(struct omb_tb *tb, struct numbering *num, const xmlNode *numPr)
{
    long id = wattr_long(child(numPr, "numId"), "val", -1), il = wattr_long(child(numPr, "ilvl"), "val", 0);
    if (id <= 0 || il < 0 || il >= MAX_LEVELS) return;
    struct num *u = NULL;
    for (size_t i = 0; i < num->n; i++)
        if (num->nums[i].id == id) u = &num->nums[i];
    if (!u) return;
    const char *fmt = u->fmt[il] ? u->fmt[il] : "decimal";
    if (!strcmp(fmt, "bullet")) {
        omb_tb_raw(tb, "\xE2\x80\xA2 ", 4);
        return;
    }
    if (!strcmp(fmt, "none")) return;
    u->count[il]++;
    for (int d = (int)il + 1; d < MAX_LEVELS; d++) u->count[d] = u->start[d] - 1; /* deeper levels restart */
    const char *t = u->text[il] ? u->text[il] : "%1.";
    char out[64];
    size_t o = 0;
    for (const char *p = t; *p && o + 24 < sizeof out; p++) {
        if (*p == '%' && p[1] >= '1' && p[1] <= '9') {
            int lv = p[1] - '1';
            long v = u->count[lv] > 0 ? u->count[lv] : u->start[lv];
            if (!strcmp(u->fmt[lv] ? u->fmt[lv] : "decimal", "lowerLetter") && v >= 1 && v <= 26)
                out[o++] = (char)('a' + v - 1);
            else if (!strcmp(u->fmt[lv] ? u->fmt[lv] : "decimal", "upperLetter") && v >= 1 && v <= 26)
                out[o++] = (char)('A' + v - 1);
            else
                o += (size_t)snprintf(out + o, sizeof out - o, "%ld", v);
            p++;
        } else {
            out[o++] = *p;
        }
    }
    out[o++] = ' ';
    omb_tb_raw(tb, out, o);
}

struct docx_walk {
    struct omb_tb *tb;
    struct numbering *num;
    int in_cell;
    int depth;
};

/* The text of runs under n: w:t, w:tab, w:br; deleted text, field codes
 * and the fallback copies of drawings are not the document's text. */
static void runs(struct docx_walk *w, xmlNode *n)
{
    if (++w->depth > 200) goto out; /* nesting past this is not from Word */
    for (xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) continue;
        const char *name = (const char *)c->name;
        if (is_w(c, "t")) {
            xmlChar *s = xmlNodeGetContent(c);
            if (s) {
                /* w:t keeps its spaces (xml:space="preserve"); collapsing them is the builder's job */
                omb_tb_text(w->tb, (const char *)s, strlen((const char *)s));
                size_t k = strlen((const char *)s);
                if (k && s[k - 1] == ' ') w->tb->space = 1;
                xmlFree(s);
            }
        } else if (is_w(c, "tab")) {
            if (w->in_cell) w->tb->space = 1;
            else omb_tb_raw(w->tb, "\t", 1);
        } else if (is_w(c, "br") || is_w(c, "cr")) {
            if (w->in_cell) w->tb->space = 1;
            else omb_tb_break(w->tb);
        } else if (is_w(c, "delText") || is_w(c, "instrText") || is_w(c, "del") || is_w(c, "pPr") ||
                   is_w(c, "rPr") || !strcmp(name, "Fallback") || is_w(c, "footnoteReference") ||
                   is_w(c, "commentReference")) {
            continue;
        } else if (is_w(c, "p")) { /* a paragraph in a text box */
            w->tb->space = 1;
            runs(w, c);
            w->tb->space = 1;
        } else {
            runs(w, c);
        }
    }
out:
    w->depth--;
}

static void body(struct docx_walk *w, xmlNode *n);

static void paragraph(struct docx_walk *w, xmlNode *p)
{
    xmlNode *numPr = child(child(p, "pPr"), "numPr");
    if (!w->in_cell) {
        /* paragraphs are separated by a blank line, as they are spaced on
         * the page; items of a list follow each other */
        if (numPr) omb_tb_newline(w->tb);
        else omb_tb_blank(w->tb);
    } else {
        w->tb->space = 1;
    }
    if (numPr) write_number(w->tb, w->num, numPr);
    runs(w, p);
    if (!w->in_cell) omb_tb_newline(w->tb);
}

static void table(struct docx_walk *w, xmlNode *t)
{
    if (w->in_cell) { /* a table in a cell: its text, inline */
        body(w, t);
        return;
    }
    omb_tb_blank(w->tb);
    for (xmlNode *r = t->children; r; r = r->next) {
        if (!is_w(r, "tr")) continue;
        omb_tb_newline(w->tb);
        int cells = 0;
        for (xmlNode *c = r->children; c; c = c->next) {
            xmlNode *cell = c;
            if (is_w(c, "sdt")) cell = child(child(c, "sdtContent"), "tc");
            if (!cell || !is_w(cell, "tc")) continue;
            if (cells++) omb_tb_raw(w->tb, "\t", 1);
            w->in_cell++;
            body(w, cell);
            w->in_cell--;
            long span = wattr_long(child(child(cell, "tcPr"), "gridSpan"), "val", 1);
            for (long s = 1; s < span && s < 64; s++) omb_tb_raw(w->tb, "\t", 1);
        }
        omb_tb_newline(w->tb);
    }
    omb_tb_blank(w->tb);
}

/* Block content: paragraphs, tables, and the containers that hold them
 * (content controls, custom XML, inserted revisions). */
static void body(struct docx_walk *w, xmlNode *n)
{
    if (++w->depth > 200) goto out;
    for (xmlNode *c = n->children; c; c = c->next) {
        if (is_w(c, "p")) paragraph(w, c);
        else if (is_w(c, "tbl")) table(w, c);
        else if (is_w(c, "sectPr") || is_w(c, "tcPr") || is_w(c, "tblPr") || is_w(c, "del")) continue;
        else if (c->type == XML_ELEMENT_NODE) body(w, c);
    }
out:
    w->depth--;
}

/* Reads one part of the ZIP, refusing sizes a Word file never has.
 * Returns OMB_OK with *data (caller frees) or an error in err; a missing
 * part gives OMB_EIO when optional. */
static int read_part(zip_t *z, const char *name, int optional, char **data, size_t *len, char *err, size_t cap)
{
    *data = NULL;
    *len = 0;
    zip_int64_t idx = zip_name_locate(z, name, 0);
    if (idx < 0) {
        if (!optional) snprintf(err, cap, "not a Word document: the ZIP has no %s", name);
        return optional ? OMB_EIO : OMB_EPARSE;
    }
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(z, (zip_uint64_t)idx, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE)) {
        snprintf(err, cap, "damaged Word document: cannot read the entry %s", name);
        return OMB_EPARSE;
    }
    if (st.size > MAX_PART_BYTES ||
        ((st.valid & ZIP_STAT_COMP_SIZE) && st.size > ((zip_uint64_t)1 << 20) && st.size / (st.comp_size + 1) > MAX_RATIO)) {
        snprintf(err, cap, "refused Word document: %s would expand to %llu bytes from %llu (a ZIP bomb?); the limit is %llu MiB",
                 name, (unsigned long long)st.size, (unsigned long long)st.comp_size,
                 (unsigned long long)(MAX_PART_BYTES >> 20));
        return OMB_EPARSE;
    }
    zip_file_t *f = zip_fopen_index(z, (zip_uint64_t)idx, 0);
    if (!f) {
        snprintf(err, cap, "damaged Word document: cannot open %s (%s)", name, zip_strerror(z));
        return OMB_EPARSE;
    }
    /* the sizes in a ZIP's directory can lie: never read past the limit */
    size_t want = (size_t)st.size, got = 0;
    char *buf = malloc(want + 1);
    if (!buf) {
        zip_fclose(f);
        snprintf(err, cap, "out of memory reading %s", name);
        return OMB_ENOMEM;
    }
    for (;;) {
        char extra;
        zip_int64_t r = got < want ? zip_fread(f, buf + got, want - got) : zip_fread(f, &extra, 1);
        if (r < 0) {
            snprintf(err, cap, "damaged Word document: %s does not inflate (%s)", name, zip_file_strerror(f));
            zip_fclose(f);
            free(buf);
            return OMB_EPARSE;
        }
        if (r == 0) break;
        if (got >= want) {
            snprintf(err, cap, "damaged Word document: %s is longer than its directory says", name);
            zip_fclose(f);
            free(buf);
            return OMB_EPARSE;
        }
        got += (size_t)r;
    }
    zip_fclose(f);
    buf[got] = '\0';
    *data = buf;
    *len = got;
    return OMB_OK;
}

static xmlDoc *parse_xml(const char *data, size_t len)
{
    if (len > (size_t)INT32_MAX) return NULL;
    /* no entity expansion and no network: a document part never needs them */
    return xmlReadMemory(data, (int)len, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

/* libxml2 sets up its globals on first use, which two reading threads must
 * not do at once */
static pthread_once_t libxml_once = PTHREAD_ONCE_INIT;
static void init_libxml(void) { xmlInitParser(); }

int omb_decode_docx_module(const char *raw, size_t n, struct omb_tb *tb, char *err, size_t err_cap)
{
    pthread_once(&libxml_once, init_libxml);
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(raw, n, 0, &ze);
    zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    if (!z) {
        snprintf(err, err_cap, "damaged ZIP (a .docx is one): %s", zip_error_strerror(&ze));
        if (src) zip_source_free(src);
        zip_error_fini(&ze);
        return OMB_EPARSE;
    }
    zip_error_fini(&ze);
    int rc;
    char *doc_xml = NULL, *num_xml = NULL;
    size_t doc_len, num_len;
    xmlDoc *doc = NULL, *num_doc = NULL;
    struct numbering num = {0};
    zip_int64_t entries = zip_get_num_entries(z, 0);
    if (entries > MAX_ENTRIES) {
        snprintf(err, err_cap, "refused ZIP: %lld entries, more than the %d a Word document may have (a ZIP bomb?)",
                 (long long)entries, MAX_ENTRIES);
        rc = OMB_EPARSE;
        goto out;
    }
    if (zip_name_locate(z, "word/document.xml", 0) < 0) {
        snprintf(err, err_cap, "not a Word document: the ZIP has no word/document.xml%s",
                 zip_name_locate(z, "xl/workbook.xml", 0) >= 0     ? " (it is an Excel workbook)"
                 : zip_name_locate(z, "ppt/presentation.xml", 0) >= 0 ? " (it is a PowerPoint presentation)"
                 : zip_name_locate(z, "content.xml", 0) >= 0          ? " (it is an OpenDocument file: save it as .docx)"
                                                                      : "");
        rc = OMB_EPARSE;
        goto out;
    }
    if ((rc = read_part(z, "word/document.xml", 0, &doc_xml, &doc_len, err, err_cap))) goto out;
    if (read_part(z, "word/numbering.xml", 1, &num_xml, &num_len, err, err_cap) == OMB_OK) {
        num_doc = parse_xml(num_xml, num_len);
        read_numbering(num_doc, &num);
    }
    err[0] = '\0';
    doc = parse_xml(doc_xml, doc_len);
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    xmlNode *b = root && is_w(root, "document") ? child(root, "body") : NULL;
    if (!b) {
        snprintf(err, err_cap, "damaged Word document: word/document.xml is not a WordprocessingML document body");
        rc = OMB_EPARSE;
        goto out;
    }
    struct docx_walk w = {tb, &num, 0, 0};
    body(&w, b);
    rc = tb->failed ? OMB_ENOMEM : OMB_OK;
    if (rc) snprintf(err, err_cap, "out of memory reading the Word document");
out:
    free_numbering(&num);
    if (doc) xmlFreeDoc(doc);
    if (num_doc) xmlFreeDoc(num_doc);
    free(doc_xml);
    free(num_xml);
    zip_discard(z);
    return rc;
}
