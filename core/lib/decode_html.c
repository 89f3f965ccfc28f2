/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * decode_html.c -- saved web pages to text, through libxml2's HTML parser
 * (the one in Debian that copes with the tag soup browsers save, and decodes
 * entities and charsets).  Block elements start lines, lists keep their
 * numbers or get bullets, <dl> gives "Term : value" lines and table rows
 * tab-separated cells, the way the plugins read the ombudsman's pages.  What
 * is not the document -- scripts, forms, navigation, the site's header and
 * footer, cookie dialogs, hidden elements -- is left out.  Furniture that is
 * ordinary text is decode_furniture.c.  The page is read from the parser's
 * events as it goes (no tree is built), giving the text a walk of libxml2's
 * tree gave, tag soup included.
 */
#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <ombuds/plugin.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decode_int.h"
#include "decode_text.h"

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

static enum role role_of(const char *name)
{
    const struct named_role *r =
        bsearch(name, roles, sizeof roles / sizeof roles[0], sizeof roles[0], cmp_role);
    return r ? r->role : R_INLINE;
}

static int contains_ci(const char *s, const char *word)
{
    size_t k = strlen(word);
    for (; *s; s++)
        if ((*s | 0x20) == word[0] && !strncasecmp(s, word, k)) return 1;
    return 0;
}

/* Is the element hidden, or a cookie or consent dialog?  atts is the
 * parser's NULL-ended name, value, name, value ... array (a value is NULL
 * for an attribute written without one). */
static int hidden(const xmlChar **atts)
{
    static const char *const dialog_words[] = {"cookie", "consent", "gdpr", "breadcrumb", NULL};
    if (!atts) return 0;
    for (; atts[0]; atts += 2) {
        const char *name = (const char *)atts[0], *v = (const char *)atts[1];
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

/* An attribute's value as a number (strtol's reading; an attribute written
 * without a value reads as 0), or `dflt` when the element lacks it. */
static long attr_number(const xmlChar **atts, const char *name, long dflt)
{
    for (; atts && atts[0]; atts += 2)
        if (!strcmp((const char *)atts[0], name)) return atts[1] ? strtol((const char *)atts[1], NULL, 10) : 0;
    return dflt;
}

/*
 * The page is read as a stream of parser events (libxml2's SAX interface),
 * not as a tree: building and freeing the tree was most of the cost of
 * decoding a page.  An element's start and end do what the rules say; how an
 * element is treated depends on its parent, so each open element keeps how
 * its children are read (its mode) and what its end tag does.
 */
enum mode {
    M_FLOW,  /* ordinary content: elements by their role, text kept */
    M_LIST,  /* <ul>/<ol>/<menu>: <li> items, other elements' content */
    M_DL,    /* <dl> or a <div> group in one: <dt> and <dd>, no loose text */
    M_TABLE, /* <table> and its row groups: rows and captions, no loose text */
    M_ROW,   /* <tr> in a table: its <td> and <th> cells only */
    M_SKIP,  /* dropped, with everything in it */
};

enum end { E_NONE, E_FLOW, E_LIST, E_BLANK, E_LI, E_DT, E_DD, E_DL_OTHER, E_NEWLINE, E_CELL };

struct frame {
    /* What the parser sees as the current node (ctxt->node): it looks at the
     * node's last child to decide whether blanks between tags are kept, as
     * it does when it builds a tree. */
    xmlNode fake;
    unsigned char mode, end;
    unsigned char para, block, cell, main_here, pre_here; /* E_FLOW */
    unsigned char ordered, after_term;                    /* M_LIST, M_DL */
    long number;                                          /* M_LIST: the next item's */
    long span;                                            /* E_CELL: colspan */
};

/* Roles by name: libxml2 interns element names in its dictionary, which
 * lives as long as the parser context, so a name's address stands for it
 * and the table's binary search is done once per name, not per element. */
#define ROLE_SLOTS 128
struct role_slot {
    const xmlChar *name;
    unsigned char role;
};

/* The most elements open at once: libxml2 stops a document deeper than
 * xmlParserMaxDepth (256) without XML_PARSE_HUGE. */
#define MAX_FRAMES 300

/* The walk's state.  inline_only > 0 inside a table cell or a <dt>/<dd>,
 * where blocks must not break the line the cell or term is on. */
struct walk {
    struct omb_tb *tb;
    htmlParserCtxtPtr ctxt;
    int inline_only;
    int list_depth; /* nesting of <ul>/<ol>, for the indent */
    int in_main;    /* inside <main> or <article>: a <header> there is the document's own */
    int pre;        /* inside <pre> */
    int cell;       /* cells written on the current table row */
    int depth;      /* frames open */
    int started;    /* the parser began the document (it gives up before on some encodings) */
    /* The tree libxml2 would have built, as far as it matters: only the first
     * top-level element (the root) is read; an element opened after the root
     * closed becomes the root's child when the root is the document's first
     * node, and is left out of it otherwise (after a DOCTYPE or a comment). */
    int root_seen, root_closed, doc_first_other, ignore_rest, has_dtd;
    /* Stand-ins for the last child the parser looks at (see struct frame). */
    xmlNode text_node, pi_node, other_node;
    char pi_name[32];
    /* An HTML 4.01 DOCTYPE makes the parser drop blanks directly in <body>;
     * it finds the DOCTYPE in ctxt->myDoc, so it is shown one. */
    xmlDoc doc;
    xmlDtd dtd;
    char dtd_id[64];
    struct frame *frames;          /* MAX_FRAMES of them */
    struct role_slot *role_cache; /* ROLE_SLOTS of them */
};

static enum role role_of_name(struct walk *w, const xmlChar *name)
{
    struct role_slot *slot = &w->role_cache[((uintptr_t)name >> 3) % ROLE_SLOTS];
    if (slot->name != name) {
        slot->name = name;
        slot->role = (unsigned char)role_of((const char *)name);
    }
    return (enum role)slot->role;
}

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

/* Does what closing frame f asks (its parent is the frame below it). */
static void close_frame(struct walk *w, struct frame *f)
{
    struct frame *up = f > w->frames ? f - 1 : NULL;
    switch (f->end) {
    case E_NONE:
        break;
    case E_FLOW:
        w->pre -= f->pre_here;
        w->in_main -= f->main_here;
        if (f->para || f->block) block_start(w, f->para);
        else if (f->cell) w->tb->space = 1;
        break;
    case E_LIST:
        w->list_depth--;
        block_start(w, 1);
        break;
    case E_BLANK:
        block_start(w, 1);
        break;
    case E_LI:
        if (!w->inline_only) omb_tb_newline(w->tb);
        break;
    case E_DT:
        w->inline_only--;
        if (up) up->after_term = 1;
        break;
    case E_DD:
        w->inline_only--;
        if (up) up->after_term = 0;
        omb_tb_newline(w->tb);
        break;
    case E_DL_OTHER:
        if (up && !up->after_term) omb_tb_newline(w->tb);
        break;
    case E_NEWLINE:
        omb_tb_newline(w->tb);
        break;
    case E_CELL:
        w->inline_only--;
        for (long s = 1; s < f->span && s < 64; s++, w->cell++) omb_tb_raw(w->tb, "\t", 1);
        break;
    }
}

/* Closes what the parser closed without telling: an element whose start
 * tag never ends is popped from its node stack silently. */
static void sync(struct walk *w)
{
    int open = w->ctxt->nodeNr + w->root_closed;
    while (w->depth > open) {
        if (w->depth == 1) { /* the root itself: its end waits, as in on_end */
            w->root_closed = 1;
            break;
        }
        close_frame(w, &w->frames[--w->depth]);
    }
}

/* What an element does on its start tag, given its parent's mode; sets the
 * frame's own mode and end action. */
static void open_element(struct walk *w, struct frame *up, struct frame *f, const xmlChar *xname, const xmlChar **atts)
{
    const char *name = (const char *)xname;
    f->mode = M_SKIP;
    f->end = E_NONE;
    switch (up ? up->mode : M_FLOW) {
    case M_SKIP:
        return;
    case M_LIST:
        if (strcmp(name, "li")) {
            if (role_of_name(w, xname) != R_DROP && !hidden(atts)) f->mode = M_FLOW; /* its content, as flow */
            return;
        }
        if (hidden(atts)) return;
        if (up->ordered) up->number = attr_number(atts, "value", up->number);
        if (w->inline_only) {
            w->tb->space = 1;
        } else {
            omb_tb_newline(w->tb);
            indent(w);
        }
        char mark[32];
        int k = up->ordered ? snprintf(mark, sizeof mark, "%ld. ", up->number++)
                            : snprintf(mark, sizeof mark, "\xE2\x80\xA2 ");
        omb_tb_raw(w->tb, mark, (size_t)k);
        f->mode = M_FLOW;
        f->end = E_LI;
        return;
    case M_DL:
        if (hidden(atts)) return;
        if (!strcmp(name, "div")) { /* HTML allows <div> groups of dt/dd */
            block_start(w, 1);
            f->mode = M_DL;
            f->after_term = 0;
            f->end = E_BLANK;
        } else if (!strcmp(name, "dt")) {
            w->inline_only++;
            if (!up->after_term) omb_tb_newline(w->tb);
            else omb_tb_raw(w->tb, ", ", 2); /* several terms for one value */
            f->mode = M_FLOW;
            f->end = E_DT;
        } else if (!strcmp(name, "dd")) {
            w->inline_only++;
            if (up->after_term) omb_tb_raw(w->tb, " : ", 3);
            else if (!omb_tb_at_line_start(w->tb)) omb_tb_raw(w->tb, "; ", 2);
            f->mode = M_FLOW;
            f->end = E_DD;
        } else {
            f->end = E_DL_OTHER; /* left out, but it ends a value's line */
        }
        return;
    case M_TABLE:
        if (hidden(atts)) return;
        if (!strcmp(name, "tr")) {
            omb_tb_newline(w->tb);
            w->cell = 0;
            f->mode = M_ROW;
            f->end = E_NEWLINE;
        } else if (!strcmp(name, "caption")) {
            omb_tb_newline(w->tb);
            f->mode = M_FLOW;
            f->end = E_NEWLINE;
        } else {
            f->mode = M_TABLE; /* a row group: its rows */
        }
        return;
    case M_ROW:
        if (hidden(atts) || (strcmp(name, "td") && strcmp(name, "th"))) return;
        if (w->cell++) omb_tb_raw(w->tb, "\t", 1);
        w->inline_only++;
        f->span = attr_number(atts, "colspan", 1);
        f->mode = M_FLOW;
        f->end = E_CELL;
        return;
    case M_FLOW:
        break;
    }
    enum role role = role_of_name(w, xname);
    if (role == R_DROP || hidden(atts)) return;
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
        f->ordered = role == R_OLIST;
        f->number = f->ordered ? attr_number(atts, "start", 1) : 1;
        block_start(w, 1);
        w->list_depth++;
        f->mode = M_LIST;
        f->end = E_LIST;
        return;
    case R_DL:
        block_start(w, 1);
        f->mode = M_DL;
        f->after_term = 0;
        f->end = E_BLANK;
        return;
    case R_TABLE:
        f->mode = M_FLOW;
        if (w->inline_only) return; /* a table inside a cell: its text, inline */
        block_start(w, 1);
        f->mode = M_TABLE;
        f->end = E_BLANK;
        return;
    default:
        break;
    }
    f->para = role == R_PARA;
    f->block = role == R_BLOCK || role == R_HEADER;
    f->cell = role == R_CELL;
    f->main_here = !strcmp(name, "main") || !strcmp(name, "article");
    f->pre_here = !strcmp(name, "pre");
    if (f->para || f->block) block_start(w, f->para);
    w->in_main += f->main_here;
    w->pre += f->pre_here;
    f->mode = M_FLOW;
    f->end = E_FLOW;
}

/* Each callback finds the walk through the thread it runs on: the parser
 * context is per thread, and so is the page it reads. */
static _Thread_local struct walk *cur;

static void on_start_document(void *ctx)
{
    (void)ctx;
    cur->started = 1;
}

static void on_start(void *ctx, const xmlChar *name, const xmlChar **atts)
{
    (void)ctx;
    struct walk *w = cur;
    if (w->ignore_rest) return;
    sync(w);
    if (w->ctxt->nodeNr == 0 && w->root_seen && w->doc_first_other) {
        /* after the root closed, and the document does not start with it:
         * libxml2 puts this element beside the root, outside what is read */
        w->ignore_rest = 1;
        return;
    }
    if (w->depth >= MAX_FRAMES - 1) {
        w->ignore_rest = 1;
        return;
    }
    struct frame *f = &w->frames[w->depth];
    f->fake.type = XML_ELEMENT_NODE; /* all the parser reads of it, with last */
    f->fake.name = name;
    f->fake.last = NULL;
    if (nodePush(w->ctxt, &f->fake) < 0) { /* too deep: the parser stops */
        w->ignore_rest = 1;
        return;
    }
    struct frame *up = w->depth ? &w->frames[w->depth - 1] : NULL;
    if (up) up->fake.last = &f->fake;
    w->root_seen = 1;
    w->depth++;
    open_element(w, up, f, name, atts);
}

static void on_end(void *ctx, const xmlChar *name)
{
    (void)ctx;
    (void)name;
    struct walk *w = cur;
    if (w->ignore_rest) return;
    sync(w);
    if (w->ctxt->nodeNr == 0) return;
    nodePop(w->ctxt);
    if (w->depth == 1) {
        w->root_closed = 1; /* its end waits: later elements may join it */
        return;
    }
    close_frame(w, &w->frames[--w->depth]);
}

static void on_text(void *ctx, const xmlChar *s, int len)
{
    (void)ctx;
    struct walk *w = cur;
    if (w->ignore_rest) return;
    sync(w);
    if (w->ctxt->nodeNr == 0) return; /* outside the root: not in the tree */
    struct frame *f = &w->frames[w->depth - 1];
    f->fake.last = &w->text_node;
    if (len <= 0) return;
    if (f->mode == M_FLOW) {
        if (w->pre && !w->inline_only) omb_tb_raw(w->tb, (const char *)s, (size_t)len);
        else omb_tb_text(w->tb, (const char *)s, (size_t)len);
    } else if (f->mode == M_LIST) {
        omb_tb_text(w->tb, (const char *)s, (size_t)len);
    }
}

/* The content of <script> and <style>: never read, but it is their child. */
static void on_cdata(void *ctx, const xmlChar *s, int len)
{
    (void)ctx;
    (void)s;
    (void)len;
    struct walk *w = cur;
    if (w->ignore_rest) return;
    sync(w);
    if (w->ctxt->nodeNr) w->frames[w->depth - 1].fake.last = &w->other_node;
}

/* A comment is no text, and the parser looks past it for the last child;
 * one before the root is the document's first node. */
static void on_comment(void *ctx, const xmlChar *s)
{
    (void)ctx;
    (void)s;
    struct walk *w = cur;
    if (w->ignore_rest) return;
    sync(w);
    if (w->ctxt->nodeNr == 0 && !w->root_seen) w->doc_first_other = 1;
}

static void on_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
    (void)ctx;
    (void)data;
    struct walk *w = cur;
    if (w->ignore_rest) return;
    sync(w);
    if (w->ctxt->nodeNr == 0) {
        if (!w->root_seen) w->doc_first_other = 1;
        return;
    }
    size_t k = target ? strlen((const char *)target) : 0;
    if (k >= sizeof w->pi_name) k = 0; /* no element the parser asks about has a name that long */
    if (k) memcpy(w->pi_name, target, k);
    w->pi_name[k] = '\0';
    w->frames[w->depth - 1].fake.last = &w->pi_node;
}

/* The DOCTYPE: the first one is the document's (a later one is ignored),
 * wherever it comes it becomes the first node. */
static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *external_id, const xmlChar *system_id)
{
    (void)ctx;
    (void)name;
    (void)system_id;
    struct walk *w = cur;
    if (w->has_dtd) return;
    w->has_dtd = 1;
    w->doc_first_other = 1;
    if (external_id && (!strcasecmp((const char *)external_id, "-//W3C//DTD HTML 4.01//EN") ||
                        !strcasecmp((const char *)external_id, "-//W3C//DTD HTML 4//EN"))) {
        snprintf(w->dtd_id, sizeof w->dtd_id, "%s", (const char *)external_id);
        w->dtd.type = XML_DTD_NODE;
        w->dtd.ExternalID = (const xmlChar *)w->dtd_id;
        w->doc.type = XML_HTML_DOCUMENT_NODE;
        w->doc.intSubset = &w->dtd;
        w->ctxt->myDoc = &w->doc;
    }
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
 * decoding it.  It is freed when the thread ends, with the frames of the
 * walk. */
struct reader {
    htmlParserCtxtPtr ctxt;
    struct frame frames[MAX_FRAMES];
    struct role_slot role_cache[ROLE_SLOTS];
};

static pthread_key_t reader_key;
static pthread_once_t reader_once = PTHREAD_ONCE_INIT;

static void free_reader(void *p)
{
    struct reader *r = p;
    htmlFreeParserCtxt(r->ctxt);
    free(r);
}

static void make_key(void) { pthread_key_create(&reader_key, free_reader); }

static struct reader *reader(void)
{
    pthread_once(&reader_once, make_key);
    struct reader *r = pthread_getspecific(reader_key);
    if (r) return r;
    if (!(r = calloc(1, sizeof *r))) return NULL;
    if (!(r->ctxt = htmlNewParserCtxt()) || pthread_setspecific(reader_key, r) != 0) {
        if (r->ctxt) htmlFreeParserCtxt(r->ctxt);
        free(r);
        return NULL;
    }
    return r;
}

/* Reads the page with encoding enc into w->tb; 0 when libxml2 gave up
 * before the document began (the text builder is then as it was). */
static int read_page(struct reader *r, struct walk *w, struct omb_tb *tb, const char *raw, size_t n, const char *enc)
{
    size_t len = tb->len, n_lines = tb->n_lines;
    int space = tb->space;
    memset(w, 0, sizeof *w);
    w->tb = tb;
    w->ctxt = r->ctxt;
    w->frames = r->frames;
    w->role_cache = r->role_cache;
    w->text_node.type = XML_TEXT_NODE;
    w->pi_node.type = XML_PI_NODE;
    w->pi_node.name = (const xmlChar *)w->pi_name;
    w->other_node.type = XML_CDATA_SECTION_NODE;
    /* only these events: no tree is built */
    xmlSAXHandler *sax = r->ctxt->sax;
    memset(sax, 0, sizeof *sax);
    sax->initialized = 1;
    sax->startDocument = on_start_document;
    sax->startElement = on_start;
    sax->endElement = on_end;
    sax->characters = on_text;
    sax->cdataBlock = on_cdata;
    sax->comment = on_comment;
    sax->processingInstruction = on_pi;
    sax->internalSubset = on_doctype;
    int opts = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
               HTML_PARSE_NOBLANKS | HTML_PARSE_NODEFDTD;
    cur = w;
    htmlDocPtr doc = htmlCtxtReadMemory(r->ctxt, raw, (int)n, NULL, enc, opts);
    cur = NULL;
    if (doc && doc != &w->doc) xmlFreeDoc(doc); /* not made: there is no startDocument handler */
    if (r->ctxt->myDoc == &w->doc) r->ctxt->myDoc = NULL;
    r->ctxt->node = NULL;
    if (!w->started) {
        tb->len = len;
        tb->n_lines = n_lines;
        tb->space = space;
        if (tb->buf) tb->buf[len] = '\0';
        return 0;
    }
    while (w->depth > 0) close_frame(w, &w->frames[--w->depth]); /* the root last */
    return 1;
}

/* libxml2 sets up its globals on first use, which two reading threads must
 * not do at once */
static pthread_once_t libxml_once = PTHREAD_ONCE_INIT;
static void init_libxml(void) { xmlInitParser(); }

int omb_decode_html_module(const char *raw, size_t n, struct omb_tb *tb, char *note, size_t note_cap, char *err,
                           size_t err_cap)
{
    pthread_once(&libxml_once, init_libxml);
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
    struct reader *r = reader();
    if (!r) {
        snprintf(err, err_cap, "out of memory decoding the HTML page");
        return OMB_ENOMEM;
    }
    struct walk w;
    int read = read_page(r, &w, tb, raw, n, enc);
    if (!read && enc) read = read_page(r, &w, tb, raw, n, "windows-1252"); /* an unknown label */
    if (!read) {
        snprintf(err, err_cap, "malformed HTML: libxml2 could not read any of the page");
        return OMB_EPARSE;
    }
    if (tb->failed) {
        snprintf(err, err_cap, "out of memory decoding the HTML page");
        return OMB_ENOMEM;
    }
    return OMB_OK;
}
