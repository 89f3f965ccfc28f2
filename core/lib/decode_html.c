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
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decode_int.h"
#include "decode_text.h"

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

/* libxml2's HTML parser gives element names in lower case, so plain
 * comparisons do.  What the walk does with each element: */
enum role { R_INLINE, R_DROP, R_PARA, R_BLOCK, R_BR, R_IMG, R_LIST, R_OLIST, R_DL, R_TABLE, R_HEADER, R_CELL };

struct named_role {
    const char *name;
    enum role role;
};

static const struct named_role roles[] = {
    {"a", R_INLINE},        {"address", R_PARA},   {"article", R_BLOCK},  {"aside", R_BLOCK},
    {"blockquote", R_PARA}, {"body", R_BLOCK},     {"br", R_BR},          {"button", R_DROP},
    {"canvas", R_DROP},     {"caption", R_BLOCK},  {"center", R_BLOCK},   {"dd", R_BLOCK},
    {"details", R_PARA},    {"dialog", R_DROP},    {"div", R_BLOCK},      {"dl", R_DL},
    {"dt", R_BLOCK},        {"embed", R_DROP},     {"fieldset", R_BLOCK}, {"figcaption", R_BLOCK},
    {"figure", R_PARA},     {"footer", R_HEADER},  {"form", R_DROP},      {"h1", R_PARA},
    {"h2", R_PARA},         {"h3", R_PARA},        {"h4", R_PARA},        {"h5", R_PARA},
    {"h6", R_PARA},         {"head", R_DROP},      {"header", R_HEADER},  {"hgroup", R_BLOCK},
    {"hr", R_PARA},         {"html", R_BLOCK},     {"iframe", R_DROP},    {"img", R_IMG},
    {"input", R_DROP},      {"label", R_DROP},     {"legend", R_BLOCK},   {"li", R_BLOCK},
    {"main", R_BLOCK},      {"map", R_DROP},       {"menu", R_LIST},      {"nav", R_DROP},
    {"noscript", R_DROP},   {"object", R_DROP},    {"ol", R_OLIST},       {"option", R_DROP},
    {"p", R_PARA},          {"pre", R_PARA},       {"script", R_DROP},    {"section", R_BLOCK},
    {"select", R_DROP},     {"style", R_DROP},     {"summary", R_BLOCK},  {"svg", R_DROP},
    {"table", R_TABLE},     {"td", R_CELL},        {"template", R_DROP},  {"textarea", R_DROP},
    {"th", R_CELL},         {"tr", R_BLOCK},       {"ul", R_LIST},
};

static int cmp_role(const void *key, const void *elem)
{
    return strcmp(key, ((const struct named_role *)elem)->name);
}

static enum role role_of(const xmlNode *n)
{
    const struct named_role *r =
        bsearch(n->name, roles, sizeof roles / sizeof roles[0], sizeof roles[0], cmp_role);
    return r ? r->role : R_INLINE;
}

static int name_is(const xmlNode *n, const char *name) { return !strcmp((const char *)n->name, name); }

/* The attribute's value (caller frees with xmlFree), or NULL. */
static char *attr(const xmlNode *n, const char *name) { return (char *)xmlGetProp(n, (const xmlChar *)name); }

static int contains_ci(const char *s, const char *word)
{
    size_t k = strlen(word);
    for (; *s; s++)
        if ((*s | 0x20) == word[0] && !strncasecmp(s, word, k)) return 1;
    return 0;
}

/* An attribute's value without copying it (NULL when it has none or it is
 * not plain text). */
static const char *attr_text(const xmlAttr *a)
{
    return a->children && a->children->type == XML_TEXT_NODE && !a->children->next ? (const char *)a->children->content
                                                                                    : NULL;
}

/* Is the element hidden, or a cookie or consent dialog?  One pass over its
 * attributes, without copies: this runs for every element of the page. */
static int hidden(const xmlNode *n)
{
    static const char *const dialog_words[] = {"cookie", "consent", "gdpr", "breadcrumb", NULL};
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        const char *name = (const char *)a->name, *v = attr_text(a);
        if (!strcmp(name, "hidden")) return 1;
        if (!v) continue;
        if (!strcmp(name, "aria-hidden")) {
            if (!strcasecmp(v, "true")) return 1;
        } else if (!strcmp(name, "style")) {
            /* "display:none", "display: none", "visibility:hidden" */
            char squeezed[256];
            size_t o = 0;
            for (const char *p = v; *p && o + 1 < sizeof squeezed; p++)
                if (*p != ' ' && *p != '\t') squeezed[o++] = *p;
            squeezed[o] = '\0';
            if (contains_ci(squeezed, "display:none") || contains_ci(squeezed, "visibility:hidden")) return 1;
        } else if (!strcmp(name, "class") || !strcmp(name, "id")) {
            for (int k = 0; dialog_words[k]; k++)
                if (contains_ci(v, dialog_words[k])) return 1;
        } else if (!strcmp(name, "role")) {
            if (!strcasecmp(v, "navigation") || !strcasecmp(v, "search") || !strcasecmp(v, "alertdialog")) return 1;
        }
    }
    return 0;
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
            if (role_of(c) != R_DROP && !hidden(c)) walk_children(w, c);
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
    enum role role = role_of(n);
    if (role == R_DROP || (n->properties && hidden(n))) return;
    switch (role) {
    case R_HEADER:
        if (!w->in_main) return; /* the site's header or footer, not the document's */
        break;
    case R_BR:
        if (w->inline_only) w->tb->space = 1;
        else omb_tb_break(w->tb);
        return;
    case R_IMG:
        /* an image's text alternative is not read: logos are furniture */
        return;
    case R_LIST:
    case R_OLIST:
        walk_list(w, n, role == R_OLIST);
        return;
    case R_DL:
        walk_dl(w, n);
        return;
    case R_TABLE:
        if (w->inline_only) { /* a table inside a cell: its text, inline */
            walk_children(w, n);
            return;
        }
        block_start(w, 1);
        walk_table_part(w, n);
        block_start(w, 1);
        return;
    default:
        break;
    }
    int para = role == R_PARA, block = role == R_BLOCK || role == R_HEADER;
    int main_here = name_is(n, "main") || name_is(n, "article");
    int pre_here = name_is(n, "pre");
    if (para || block) block_start(w, para);
    w->in_main += main_here;
    w->pre += pre_here;
    walk_children(w, n);
    w->pre -= pre_here;
    w->in_main -= main_here;
    if (para || block) block_start(w, para);
    else if (role == R_CELL) w->tb->space = 1;
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

/* One parser context per thread, kept between pages: creating one (its
 * dictionary, stacks and handlers) for every 4 KB page was a third of
 * decoding it.  It is freed when the thread ends. */
static pthread_key_t parser_key;
static pthread_once_t parser_once = PTHREAD_ONCE_INIT;

static void free_parser(void *p) { htmlFreeParserCtxt(p); }
static void make_key(void) { pthread_key_create(&parser_key, free_parser); }

static htmlParserCtxtPtr parser(void)
{
    pthread_once(&parser_once, make_key);
    htmlParserCtxtPtr ctxt = pthread_getspecific(parser_key);
    if (!ctxt && (ctxt = htmlNewParserCtxt()) && pthread_setspecific(parser_key, ctxt) != 0) {
        htmlFreeParserCtxt(ctxt);
        ctxt = NULL;
    }
    return ctxt;
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
    htmlParserCtxtPtr ctxt = parser();
    htmlDocPtr doc = ctxt ? htmlCtxtReadMemory(ctxt, raw, (int)n, NULL, enc, opts) : NULL;
    if (!doc && ctxt && enc) doc = htmlCtxtReadMemory(ctxt, raw, (int)n, NULL, "windows-1252", opts); /* an unknown label */
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
