/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * decode_html.c -- saved web pages to text, through libxml2's HTML parser
 * (the one in Debian that copes with the tag soup browsers save, and decodes
 * entities and charsets).  Block elements start lines, lists keep their
 * numbers or get bullets, <dl> gives "Term : value" lines and table rows
 * tab-separated cells, the way the plugins read the ombudsman's pages.  What
 * is not the document -- scripts, forms, navigation, the site's header and
 * footer, cookie dialogs, hidden elements -- is left out.  Furniture that is
 * ordinary text is decode_furniture.c.
 */
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <ombuds/plugin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decode_int.h"
#include "text.h"

/* The walk's state.  inline_only > 0 inside a table cell or a <dt>/<dd>,
 * where blocks must not break the line the cell or term is on. */
struct walk {
    struct omb_tb *tb;
    int inline_only;
    int list_depth;  /* nesting of <ul>/<ol>, for the indent */
    int in_main;     /* inside <main> or <article>: a <header> there is the document's own */
    int pre;         /* inside <pre> */
    int cell;        /* cells written on the current table row */
};

static int name_is(const xmlNode *n, const char *name) { return !strcasecmp((const char *)n->name, name); }

static int name_in(const xmlNode *n, const char *const *names)
{
    for (; *names; names++)
        if (name_is(n, *names)) return 1;
    return 0;
}

/* The attribute's value (caller frees with xmlFree), or NULL. */
static char *attr(const xmlNode *n, const char *name) { return (char *)xmlGetProp(n, (const xmlChar *)name); }

static int contains_ci(const char *s, const char *word)
{
    size_t k = strlen(word);
    for (; *s; s++)
        if (!strncasecmp(s, word, k)) return 1;
    return 0;
}

/* Is the element hidden, or a cookie or consent dialog? */
static int hidden(const xmlNode *n)
{
    if (xmlHasProp(n, (const xmlChar *)"hidden")) return 1;
    int drop = 0;
    char *v = attr(n, "aria-hidden");
    if (v && !strcasecmp(v, "true")) drop = 1;
    xmlFree(v);
    if (!drop && (v = attr(n, "style"))) {
        /* "display:none", "display: none", "visibility:hidden" */
        char squeezed[256];
        size_t o = 0;
        for (const char *p = v; *p && o + 1 < sizeof squeezed; p++)
            if (*p != ' ' && *p != '\t') squeezed[o++] = *p;
        squeezed[o] = '\0';
        drop = contains_ci(squeezed, "display:none") || contains_ci(squeezed, "visibility:hidden");
        xmlFree(v);
    }
    static const char *const dialog_words[] = {"cookie", "consent", "gdpr", "breadcrumb", NULL};
    for (int a = 0; !drop && a < 2; a++) {
        v = attr(n, a ? "class" : "id");
        for (int k = 0; v && !drop && dialog_words[k]; k++) drop = contains_ci(v, dialog_words[k]);
        xmlFree(v);
    }
    if (!drop && (v = attr(n, "role"))) {
        drop = !strcasecmp(v, "navigation") || !strcasecmp(v, "search") || !strcasecmp(v, "alertdialog");
        xmlFree(v);
    }
    return drop;
}

static void walk_children(struct walk *w, xmlNode *n);

static void block_start(struct walk *w, int blank)
{
    if (w->inline_only) {
        w->tb->space = 1;
        return;
    }
    if (blank) omb_tb_blank(w->tb);
    else omb_tb_newline(w->tb);
}

static void indent(struct walk *w)
{
    for (int i = 0; i < w->list_depth && i < 8; i++) omb_tb_raw(w->tb, "  ", 2);
}

static void walk_list(struct walk *w, xmlNode *list, int ordered)
{
    long number = 1;
    char *v = ordered ? attr(list, "start") : NULL;
    if (v) number = strtol(v, NULL, 10);
    xmlFree(v);
    block_start(w, 1);
    w->list_depth++;
    for (xmlNode *c = list->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) {
            if (c->type == XML_TEXT_NODE) omb_tb_text(w->tb, (const char *)c->content, strlen((const char *)c->content));
            continue;
        }
        if (!name_is(c, "li")) {
            if (!hidden(c)) walk_children(w, c);
            continue;
        }
        if (hidden(c)) continue;
        if (ordered && (v = attr(c, "value"))) {
            number = strtol(v, NULL, 10);
            xmlFree(v);
        }
        if (w->inline_only) {
            w->tb->space = 1;
        } else {
            omb_tb_newline(w->tb);
            indent(w);
        }
        char mark[32];
        int k = ordered ? snprintf(mark, sizeof mark, "%ld. ", number++) : snprintf(mark, sizeof mark, "\xE2\x80\xA2 ");
        omb_tb_raw(w->tb, mark, (size_t)k);
        walk_children(w, c);
        if (!w->inline_only) omb_tb_newline(w->tb);
    }
    w->list_depth--;
    block_start(w, 1);
}

static void walk_dl(struct walk *w, xmlNode *dl)
{
    block_start(w, 1);
    int after_term = 0;
    for (xmlNode *c = dl->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || hidden(c)) continue;
        if (name_is(c, "div")) { /* HTML allows <div> groups of dt/dd */
            walk_dl(w, c);
            continue;
        }
        w->inline_only++;
        if (name_is(c, "dt")) {
            if (!after_term) omb_tb_newline(w->tb);
            else omb_tb_raw(w->tb, ", ", 2); /* several terms for one value */
            walk_children(w, c);
            after_term = 1;
        } else if (name_is(c, "dd")) {
            if (after_term) omb_tb_raw(w->tb, " : ", 3);
            else if (!omb_tb_at_line_start(w->tb)) omb_tb_raw(w->tb, "; ", 2);
            walk_children(w, c);
            after_term = 0;
        }
        w->inline_only--;
        if (!after_term) omb_tb_newline(w->tb);
    }
    block_start(w, 1);
}

/* A table: one line per row, cells separated by tabs.  Captions and row
 * groups are walked for their rows. */
static void walk_table_part(struct walk *w, xmlNode *t)
{
    for (xmlNode *c = t->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || hidden(c)) continue;
        if (name_is(c, "tr")) {
            omb_tb_newline(w->tb);
            w->cell = 0;
            for (xmlNode *d = c->children; d; d = d->next) {
                if (d->type != XML_ELEMENT_NODE || hidden(d) || !(name_is(d, "td") || name_is(d, "th"))) continue;
                if (w->cell++) omb_tb_raw(w->tb, "\t", 1);
                w->inline_only++;
                walk_children(w, d);
                w->inline_only--;
                char *span = attr(d, "colspan");
                long k = span ? strtol(span, NULL, 10) : 1;
                xmlFree(span);
                for (long s = 1; s < k && s < 64; s++, w->cell++) omb_tb_raw(w->tb, "\t", 1);
            }
            omb_tb_newline(w->tb);
        } else if (name_is(c, "caption")) {
            omb_tb_newline(w->tb);
            walk_children(w, c);
            omb_tb_newline(w->tb);
        } else {
            walk_table_part(w, c);
        }
    }
}

static void walk_node(struct walk *w, xmlNode *n)
{
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        const char *s = (const char *)n->content;
        if (!s) return;
        if (w->pre && !w->inline_only) omb_tb_raw(w->tb, s, strlen(s));
        else omb_tb_text(w->tb, s, strlen(s));
        return;
    }
    if (n->type != XML_ELEMENT_NODE) return;
    static const char *const dropped[] = {"script", "style", "noscript", "template", "form", "nav", "button",
                                          "select", "textarea", "input", "svg", "iframe", "object", "embed",
                                          "canvas", "dialog", "head", "label", "option", "map", NULL};
    if (name_in(n, dropped) || hidden(n)) return;
    if ((name_is(n, "header") || name_is(n, "footer")) && !w->in_main) return; /* the site's, not the document's */
    if (name_is(n, "br")) {
        if (w->inline_only) w->tb->space = 1;
        else omb_tb_break(w->tb);
        return;
    }
    if (name_is(n, "img")) {
        /* an image's text alternative is read only when it says something;
         * logos are furniture either way */
        return;
    }
    if (name_is(n, "ul") || name_is(n, "menu") || name_is(n, "ol")) {
        walk_list(w, n, name_is(n, "ol"));
        return;
    }
    if (name_is(n, "dl")) {
        walk_dl(w, n);
        return;
    }
    if (name_is(n, "table")) {
        if (w->inline_only) { /* a table inside a cell: its text, inline */
            walk_children(w, n);
            return;
        }
        block_start(w, 1);
        walk_table_part(w, n);
        block_start(w, 1);
        return;
    }
    static const char *const paragraphs[] = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
                                             "figure", "address", "hr", "details", NULL};
    static const char *const blocks[] = {"div", "section", "article", "main", "aside", "body", "html", "header",
                                         "footer", "figcaption", "center", "fieldset", "summary", "li", "dt", "dd",
                                         "tr", "caption", "legend", "hgroup", NULL};
    int para = name_in(n, paragraphs), block = !para && name_in(n, blocks);
    int main_here = name_is(n, "main") || name_is(n, "article");
    int pre_here = name_is(n, "pre");
    if (para || block) block_start(w, para);
    w->in_main += main_here;
    w->pre += pre_here;
    walk_children(w, n);
    w->pre -= pre_here;
    w->in_main -= main_here;
    if (para || block) block_start(w, para);
    else if (name_is(n, "td") || name_is(n, "th")) w->tb->space = 1;
}

static void walk_children(struct walk *w, xmlNode *n)
{
    for (xmlNode *c = n->children; c; c = c->next) walk_node(w, c);
}

/* The charset the page declares in its first 4 KiB (<meta charset="...">
 * or http-equiv content="...; charset=..."), copied into out; 0 if none. */
static int declared_charset(const char *raw, size_t n, char *out, size_t cap)
{
    size_t lim = n < 4096 ? n : 4096;
    for (size_t i = 0; i + 8 < lim; i++) {
        if (strncasecmp(raw + i, "charset=", 8)) continue;
        size_t j = i + 8;
        while (j < lim && (raw[j] == '"' || raw[j] == '\'' || raw[j] == ' ')) j++;
        size_t o = 0;
        while (j < lim && o + 1 < cap &&
               ((raw[j] >= 'a' && raw[j] <= 'z') || (raw[j] >= 'A' && raw[j] <= 'Z') ||
                (raw[j] >= '0' && raw[j] <= '9') || raw[j] == '-' || raw[j] == '_' || raw[j] == ':'))
            out[o++] = raw[j++];
        out[o] = '\0';
        if (o) return 1;
    }
    return 0;
}

/* libxml2 reports parse errors through a global handler; a saved page is
 * never well formed, so they are not shown (the parser recovers). */
static void quiet(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

int omb_decode_html(const char *raw, size_t n, struct omb_tb *tb, char *note, size_t note_cap, char *err,
                    size_t err_cap)
{
    if (n > (size_t)INT32_MAX) {
        snprintf(err, err_cap, "HTML page too large");
        return OMB_EPARSE;
    }
    const unsigned char *u = (const unsigned char *)raw;
    char charset[64];
    const char *enc = NULL;
    if (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        enc = NULL; /* libxml2 reads the byte-order mark */
        snprintf(note, note_cap, "HTML page converted from UTF-16");
    } else if (declared_charset(raw, n, charset, sizeof charset)) {
        enc = charset;
        if (strcasecmp(charset, "utf-8") && strcasecmp(charset, "utf8"))
            snprintf(note, note_cap, "HTML page converted from %s (its declared charset)", charset);
        if (!strcasecmp(charset, "iso-8859-1") || !strcasecmp(charset, "latin1") || !strcasecmp(charset, "us-ascii"))
            enc = "windows-1252"; /* what browsers read those labels as (WHATWG Encoding) */
    } else if (omb_utf8_valid(raw, n, NULL)) {
        enc = "UTF-8";
    } else {
        /* no declaration and not UTF-8: what browsers assume in the UK */
        enc = "windows-1252";
        snprintf(note, note_cap, "HTML page converted from windows-1252 (no charset declared, not UTF-8)");
    }
    xmlSetGenericErrorFunc(NULL, quiet);
    int opts = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
               HTML_PARSE_NOBLANKS | HTML_PARSE_COMPACT;
    htmlDocPtr doc = htmlReadMemory(raw, (int)n, NULL, enc, opts);
    if (!doc && enc) doc = htmlReadMemory(raw, (int)n, NULL, "windows-1252", opts); /* an unknown charset label */
    if (!doc) {
        snprintf(err, err_cap, "malformed HTML: libxml2 could not read any of the page");
        return OMB_EPARSE;
    }
    struct walk w = {tb, 0, 0, 0, 0, 0};
    xmlNode *root = xmlDocGetRootElement(doc);
    if (root) walk_node(&w, root);
    xmlFreeDoc(doc);
    if (tb->failed) {
        snprintf(err, err_cap, "out of memory decoding the HTML page");
        return OMB_ENOMEM;
    }
    return OMB_OK;
}
