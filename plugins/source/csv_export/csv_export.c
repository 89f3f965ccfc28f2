/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * csv_export.c -- source plugin for CSV files: the ombudsman's "Export
 * results (CSV)" of a listing page, and the flat cases.csv that the benchmark
 * generator writes.  RFC 4180 is read by libcsv (quoted fields, embedded
 * newlines, "" quotes, CR or LF); this file only maps columns to case fields.
 * Money, dates, references and remedy prose are normalised by the core.
 *
 * Columns are matched by header name in any order, ignoring case and the
 * separators " _-/.": Reference/Case ref, Organisation/Authority, Decision
 * date/Date, Decision/Outcome, Category, Sub-category, Summary, Remedy,
 * Service improvement; from cases.csv also remedy_total_pence (a payment of
 * that many pence) and apology (1 = an apology).  When two columns name the
 * same field, the first is used and the other is kept as an unknown column.
 *
 * Decisions (documented here because they show in the store):
 * - Rows are numbered as a spreadsheet shows them: the header is row 1.
 *   Warnings are attached to the line where the row starts and name the row.
 * - Consecutive rows with the same reference are one case (an export lists
 *   one service improvement per row).  Scalar fields come from the first row
 *   that gives them; a later row that disagrees is warned about.  Remedy,
 *   payment, apology and unknown cells repeated unchanged from the previous
 *   row of the same case are not added again.  A reference that comes back
 *   after other cases starts a new case, which the store merges by reference.
 * - A row whose reference is missing or malformed is warned about and kept as
 *   an unreferenced case with row key "row N".
 * - Unknown columns are not dropped: each non-empty cell becomes a document
 *   note keyed "extra:<column header>:<reference>" ("row N" for a case without
 *   one), at the row's line.  Cells past the last header are "column K".
 */
#include <csv.h>
#include <ombuds/plugin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a column holds. */
enum role {
    COL_EXTRA = 0,
    COL_REF,
    COL_AUTHORITY,
    COL_DATE,
    COL_OUTCOME,
    COL_CATEGORY,
    COL_SUBCATEGORY,
    COL_SUMMARY,
    COL_REMEDY,
    COL_IMPROVEMENT,
    COL_PENCE,
    COL_APOLOGY,
    COL__COUNT
};

/* Header spellings, already folded by fold_header(): lower case, separators
 * as single spaces. */
static const struct {
    enum role role;
    const char *names[12];
} spellings[] = {
    {COL_REF,
     {"reference", "case ref", "case reference", "ref", "case number", "case no", "reference number",
      "complaint reference", "our reference", "lgsco reference", NULL}},
    {COL_AUTHORITY,
     {"organisation", "organization", "authority", "council", "organisation name", "organization name",
      "authority name", "local authority", "body", "provider", NULL}},
    {COL_DATE, {"decision date", "date", "date of decision", "date decided", "decided", "decided on", NULL}},
    {COL_OUTCOME, {"decision", "outcome", "result", "decision outcome", NULL}},
    {COL_CATEGORY, {"category", "complaint category", "service area", NULL}},
    {COL_SUBCATEGORY, {"sub category", "subcategory", "sub categories", NULL}},
    {COL_SUMMARY, {"summary", "decision summary", "case summary", NULL}},
    {COL_REMEDY, {"remedy", "remedies", "agreed remedy", "agreed remedies", "remedy details", NULL}},
    {COL_IMPROVEMENT,
     {"service improvement", "service improvements", "service improvement recommendation",
      "service improvement recommendations", "service improvement s", "improvement", "improvements", NULL}},
    {COL_PENCE, {"remedy total pence", NULL}},
    {COL_APOLOGY, {"apology", NULL}},
};

/* Folds a header cell into out: lower case ASCII, runs of space, '_', '-',
 * '/', '.', '(' and ')' to one space, trimmed. */
static void fold_header(const char *p, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    int gap = 0;
    for (size_t i = 0; i < n && o + 2 < cap; i++) {
        char c = p[i];
        if (c == ' ' || c == '_' || c == '-' || c == '/' || c == '.' || c == '\t' || c == '\n' || c == '\r' ||
            c == '(' || c == ')') {
            gap = 1;
            continue;
        }
        if (gap && o) out[o++] = ' ';
        gap = 0;
        out[o++] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    out[o] = '\0';
}

static enum role role_of(const char *p, size_t n)
{
    char f[80];
    fold_header(p, n, f, sizeof f);
    for (size_t k = 0; k < sizeof spellings / sizeof spellings[0]; k++)
        for (size_t j = 0; spellings[k].names[j]; j++)
            if (!strcmp(f, spellings[k].names[j])) return spellings[k].role;
    return COL_EXTRA;
}

/* ---- rows as libcsv hands them over ----------------------------------------------- */

/* One record: its cells live in `buf` one after another, each NUL-ended.
 * Invariant: n <= cap; off/len/at have n valid entries. */
struct row {
    char *buf;        /* cell bytes */
    size_t used, size;
    size_t *off, *len; /* cell i is buf[off[i]], len[i] bytes */
    size_t *at;        /* byte offset of cell i in the document */
    size_t n, cap;
    size_t start;      /* byte offset where the record starts */
};

static void row_free(struct row *r)
{
    free(r->buf);
    free(r->off);
    free(r->len);
    free(r->at);
    memset(r, 0, sizeof *r);
}

static int row_push(struct row *r, const char *p, size_t n, size_t at)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        size_t *o = realloc(r->off, cap * sizeof *o);
        if (!o) return OMB_ENOMEM;
        r->off = o;
        size_t *l = realloc(r->len, cap * sizeof *l);
        if (!l) return OMB_ENOMEM;
        r->len = l;
        size_t *a = realloc(r->at, cap * sizeof *a);
        if (!a) return OMB_ENOMEM;
        r->at = a;
        r->cap = cap;
    }
    if (r->used + n + 1 > r->size) {
        size_t size = r->size ? r->size : 256;
        while (r->used + n + 1 > size) size *= 2;
        char *b = realloc(r->buf, size);
        if (!b) return OMB_ENOMEM;
        r->buf = b;
        r->size = size;
    }
    if (n) memcpy(r->buf + r->used, p, n);
    r->buf[r->used + n] = '\0';
    r->off[r->n] = r->used;
    r->len[r->n] = n;
    r->at[r->n] = at;
    r->used += n + 1;
    r->n++;
    return OMB_OK;
}

static const char *cell(const struct row *r, size_t i) { return i < r->n ? r->buf + r->off[i] : ""; }
static size_t cell_len(const struct row *r, size_t i) { return i < r->n ? r->len[i] : 0; }

/* ---- parsing state ---------------------------------------------------------------- */

/* Everything the libcsv callbacks need.  `b` is the case being built for the
 * group of rows with reference `ref`; `prev` is the previous data row of that
 * group (for "repeated unchanged" checks). */
struct reader {
    const struct omb_host *h;
    omb_sink *sink;
    const struct omb_doc *doc;
    int rc;                 /* first failure; stops the feed */
    size_t pos;             /* offset of the byte being fed */
    size_t field_start;     /* offset where the current field began */
    int in_record;          /* a field of the current record has begun */
    struct row cur, prev;
    size_t rowno;           /* spreadsheet row number of `cur` (header = 1) */
    /* the header */
    int have_header;
    size_t ncols;
    enum role *roles;
    char **names;           /* header text of each column */
    size_t col_of[COL__COUNT]; /* first column of each role, or (size_t)-1 */
    /* the open case */
    omb_builder *b;
    char ref[11];           /* its reference, "" when unreferenced */
    char key[32];           /* "22 004 577" or "row N": used in note keys */
    size_t first_line;      /* line of the group's first row */
};

#define NO_COL ((size_t)-1)

static int is_blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n') return 0;
    return 1;
}

static int close_case(struct reader *r)
{
    if (!r->b) return OMB_OK;
    omb_builder *b = r->b;
    r->b = NULL;
    return r->h->case_end(b);
}

/* Shows a cell in a message: at most 50 bytes, newlines as spaces. */
static void shown(const char *p, size_t n, char out[64])
{
    size_t k = 0;
    for (; k < n && k < 50; k++) out[k] = (p[k] == '\n' || p[k] == '\r') ? ' ' : p[k];
    if (n > 50) memcpy(out + k, "...", 3), k += 3;
    out[k] = '\0';
}

/* Sets a scalar field from column role `role` of the row.  On a continuation
 * row, a field the case already has from an earlier row is kept; a different
 * value is warned about. */
static int set_scalar(struct reader *r, enum role role, enum omb_field field, int first)
{
    size_t c = r->col_of[role];
    if (c == NO_COL) return OMB_OK;
    const char *v = cell(&r->cur, c);
    size_t n = cell_len(&r->cur, c);
    if (is_blank(v, n)) return OMB_OK;
    if (!first) {
        const char *pv = cell(&r->prev, c);
        size_t pn = cell_len(&r->prev, c);
        if (pn == n && !memcmp(pv, v, n)) return OMB_OK;
        if (!is_blank(pv, pn)) {
            char a[64], b[64];
            shown(v, n, a);
            shown(pv, pn, b);
            r->h->warn(r->sink, r->cur.start, "row %zu: %s \"%s\" differs from \"%s\" on the row before for %s; kept \"%s\"",
                       r->rowno, r->names[c], a, b, r->key, b);
            /* keep the row before's value in prev for the next comparison */
            return OMB_OK;
        }
    }
    return r->h->case_set(r->b, field, v, n, r->cur.at[c]);
}

/* Was cell c of this row the same in the previous row of the case? */
static int repeated(const struct reader *r, size_t c, int first)
{
    if (first) return 0;
    return cell_len(&r->cur, c) == cell_len(&r->prev, c) &&
           !memcmp(cell(&r->cur, c), cell(&r->prev, c), cell_len(&r->cur, c));
}

/* Is the line [a, e) of a cell a list item ("•", "-", "*", "1.")?  Returns
 * the offset after the marker, or 0. */
static size_t bullet(const char *p, size_t a, size_t e)
{
    while (a < e && (p[a] == ' ' || p[a] == '\t')) a++;
    if (a + 2 < e && (unsigned char)p[a] == 0xE2 && (unsigned char)p[a + 1] == 0x80 && (unsigned char)p[a + 2] == 0xA2)
        return a + 3;
    if (a + 1 < e && (p[a] == '-' || p[a] == '*') && p[a + 1] == ' ') return a + 2;
    size_t d = a;
    while (d < e && p[d] >= '0' && p[d] <= '9') d++;
    if (d > a && d + 1 < e && (p[d] == '.' || p[d] == ')') && p[d + 1] == ' ') return d + 2;
    return 0;
}

/* Adds the improvements of one cell: a cell whose every line is a list item
 * holds one improvement per item, otherwise the cell is one improvement. */
static int improvements(struct reader *r, const char *p, size_t n, size_t at)
{
    int items = 0, lines = 0, rc;
    for (size_t a = 0; a < n;) {
        const char *nl = memchr(p + a, '\n', n - a);
        size_t e = nl ? (size_t)(nl - p) : n;
        if (!is_blank(p + a, e - a)) {
            lines++;
            if (bullet(p, a, e)) items++;
        }
        a = e + 1;
    }
    if (items < 2 || items != lines) return r->h->case_add_improvement(r->b, p, n, at);
    for (size_t a = 0; a < n;) {
        const char *nl = memchr(p + a, '\n', n - a);
        size_t e = nl ? (size_t)(nl - p) : n;
        size_t m = bullet(p, a, e);
        if (m && !is_blank(p + m, e - m) && (rc = r->h->case_add_improvement(r->b, p + m, e - m, at + a))) return rc;
        a = e + 1;
    }
    return OMB_OK;
}

/* remedy_total_pence: a whole number of pence. */
static int pence_cell(struct reader *r, size_t c)
{
    const char *v = cell(&r->cur, c);
    size_t n = cell_len(&r->cur, c), i = 0;
    int64_t pence = 0;
    while (i < n && v[i] == ' ') i++;
    size_t d = i;
    while (i < n && v[i] >= '0' && v[i] <= '9' && pence < INT64_MAX / 10 - 10) pence = pence * 10 + (v[i++] - '0');
    while (i < n && v[i] == ' ') i++;
    if (i == d || i != n) {
        char s[64];
        shown(v, n, s);
        r->h->warn(r->sink, r->cur.start, "row %zu: expected a whole number of pence in %s, found \"%s\"; ignored",
                   r->rowno, r->names[c], s);
        return OMB_OK;
    }
    if (pence == 0) return OMB_OK;
    char text[96];
    snprintf(text, sizeof text, "%s: %.40s", r->names[c], v + d);
    return r->h->case_add_remedy(r->b, OMB_REMEDY_PAYMENT, pence, NULL, text, strlen(text), r->cur.at[c]);
}

/* apology: 1/yes/true/y is an apology, 0/no/false/n is none. */
static int apology_cell(struct reader *r, size_t c)
{
    char f[16];
    fold_header(cell(&r->cur, c), cell_len(&r->cur, c), f, sizeof f);
    if (!strcmp(f, "1") || !strcmp(f, "yes") || !strcmp(f, "y") || !strcmp(f, "true")) {
        char text[64];
        snprintf(text, sizeof text, "%s: %s", r->names[c], f);
        return r->h->case_add_remedy(r->b, OMB_REMEDY_APOLOGY, OMB_AMOUNT_UNKNOWN, NULL, text, strlen(text),
                                     r->cur.at[c]);
    }
    if (!strcmp(f, "0") || !strcmp(f, "no") || !strcmp(f, "n") || !strcmp(f, "false")) return OMB_OK;
    r->h->warn(r->sink, r->cur.start, "row %zu: expected 1 or 0 in %s, found \"%s\"; ignored", r->rowno, r->names[c], f);
    return OMB_OK;
}

/* Starts the case for the current row, or continues the open one.  Sets
 * *first when a new case was begun. */
static int begin_case(struct reader *r, int *first)
{
    const struct omb_host *h = r->h;
    char norm[11] = "";
    size_t c = r->col_of[COL_REF];
    const char *v = cell(&r->cur, c);
    size_t n = cell_len(&r->cur, c);
    int has_ref = c != NO_COL && !is_blank(v, n) && h->norm_ref(v, n, norm);
    int rc;
    if (has_ref && r->b && !strcmp(norm, r->ref)) {
        *first = 0;
        return OMB_OK;
    }
    if ((rc = close_case(r))) return rc;
    *first = 1;
    if (!has_ref) {
        char s[64];
        shown(v, n, s);
        if (c == NO_COL) {
            /* no reference column at all: said once, from the header */
        } else if (is_blank(v, n))
            h->warn(r->sink, r->cur.start, "row %zu: no reference in %s; case kept without one as \"row %zu\"",
                    r->rowno, r->names[c], r->rowno);
        else
            h->warn(r->sink, r->cur.start,
                    "row %zu: expected a case reference such as \"22 004 577\" in %s, found \"%s\"; case kept "
                    "without one as \"row %zu\"",
                    r->rowno, r->names[c], s, r->rowno);
    }
    r->b = h->case_begin(r->sink, r->cur.start);
    if (!r->b) return OMB_ENOMEM;
    r->first_line = h->line_of(r->sink, r->cur.start);
    if (has_ref) {
        memcpy(r->ref, norm, sizeof r->ref);
        snprintf(r->key, sizeof r->key, "%s", norm);
        return h->case_set(r->b, OMB_FIELD_REF, v, n, r->cur.at[c]);
    }
    r->ref[0] = '\0';
    snprintf(r->key, sizeof r->key, "row %zu", r->rowno);
    return h->case_set(r->b, OMB_FIELD_ROW_KEY, r->key, strlen(r->key), r->cur.start);
}

/* Handles one data row: the whole of `cur`. */
static int data_row(struct reader *r)
{
    const struct omb_host *h = r->h;
    int first, rc;
    if ((rc = begin_case(r, &first))) return rc;
    if ((rc = set_scalar(r, COL_AUTHORITY, OMB_FIELD_AUTHORITY, first))) return rc;
    if (first && r->col_of[COL_AUTHORITY] == NO_COL && r->doc->authority &&
        (rc = h->case_set(r->b, OMB_FIELD_AUTHORITY, r->doc->authority, strlen(r->doc->authority), r->cur.start)))
        return rc;
    if ((rc = set_scalar(r, COL_CATEGORY, OMB_FIELD_CATEGORY, first))) return rc;
    if ((rc = set_scalar(r, COL_SUBCATEGORY, OMB_FIELD_SUBCATEGORY, first))) return rc;
    size_t cc = r->col_of[COL_CATEGORY], sc = r->col_of[COL_SUBCATEGORY];
    if (first && sc != NO_COL && (cc == NO_COL || is_blank(cell(&r->cur, cc), cell_len(&r->cur, cc)))) {
        /* a sub-category alone still tells the category */
        const char *cat = h->category_of(cell(&r->cur, sc), cell_len(&r->cur, sc));
        if (cat && (rc = h->case_set(r->b, OMB_FIELD_CATEGORY, cat, strlen(cat), r->cur.at[sc]))) return rc;
    }
    if ((rc = set_scalar(r, COL_OUTCOME, OMB_FIELD_OUTCOME, first))) return rc;
    if ((rc = set_scalar(r, COL_DATE, OMB_FIELD_DECISION_DATE, first))) return rc;
    if ((rc = set_scalar(r, COL_SUMMARY, OMB_FIELD_SUMMARY, first))) return rc;

    for (size_t c = 0; c < r->cur.n; c++) {
        const char *v = cell(&r->cur, c);
        size_t n = cell_len(&r->cur, c);
        if (is_blank(v, n)) continue;
        enum role role = c < r->ncols ? r->roles[c] : COL_EXTRA;
        /* only the first column of a role is that field; others are extra */
        if (role != COL_EXTRA && r->col_of[role] != c) role = COL_EXTRA;
        switch (role) {
        case COL_REMEDY:
            if (!repeated(r, c, first) && (rc = h->case_extract_remedies(r->b, v, n, r->cur.at[c]))) return rc;
            break;
        case COL_IMPROVEMENT:
            if (!repeated(r, c, first) && (rc = improvements(r, v, n, r->cur.at[c]))) return rc;
            break;
        case COL_PENCE:
            if (!repeated(r, c, first) && (rc = pence_cell(r, c))) return rc;
            break;
        case COL_APOLOGY:
            if (!repeated(r, c, first) && (rc = apology_cell(r, c))) return rc;
            break;
        case COL_EXTRA: {
            if (repeated(r, c, first)) break;
            char key[200], colname[32];
            const char *name = c < r->ncols ? r->names[c] : NULL;
            if (!name || !*name) {
                snprintf(colname, sizeof colname, "column %zu", c + 1);
                name = colname;
            }
            snprintf(key, sizeof key, "extra:%s:%s", name, r->key);
            if ((rc = h->doc_note(r->sink, key, v, n, r->cur.at[c]))) return rc;
            break;
        }
        default:
            break; /* scalars: done above */
        }
    }
    return OMB_OK;
}

/* Reads the header row: one role per column. */
static int header_row(struct reader *r)
{
    const struct omb_host *h = r->h;
    r->ncols = r->cur.n;
    r->roles = calloc(r->ncols ? r->ncols : 1, sizeof *r->roles);
    r->names = calloc(r->ncols ? r->ncols : 1, sizeof *r->names);
    if (!r->roles || !r->names) return OMB_ENOMEM;
    int known = 0;
    for (size_t c = 0; c < r->ncols; c++) {
        const char *v = cell(&r->cur, c);
        size_t n = cell_len(&r->cur, c);
        /* the header text as written, trimmed and on one line */
        size_t a = 0, e = n;
        while (a < e && is_blank(v + a, 1)) a++;
        while (e > a && is_blank(v + e - 1, 1)) e--;
        r->names[c] = malloc(e - a + 1);
        if (!r->names[c]) return OMB_ENOMEM;
        for (size_t k = a; k < e; k++) r->names[c][k - a] = (v[k] == '\n' || v[k] == '\r') ? ' ' : v[k];
        r->names[c][e - a] = '\0';
        r->roles[c] = role_of(v, n);
        if (r->roles[c] != COL_EXTRA) {
            known++;
            if (r->col_of[r->roles[c]] == NO_COL) r->col_of[r->roles[c]] = c;
            else r->roles[c] = COL_EXTRA; /* a second column for the same field is kept as extra */
        }
    }
    if (!known)
        return h->error(r->sink, r->cur.start,
                        "expected a header row naming columns such as Reference, Organisation, Decision date, "
                        "Category, Remedy; found none of them");
    if (r->col_of[COL_REF] == NO_COL)
        h->warn(r->sink, r->cur.start, "no reference column (such as \"Reference\" or \"Case ref\"); every row is "
                                       "kept as a case without a reference, keyed \"row N\"");
    r->have_header = 1;
    return OMB_OK;
}

/* ---- libcsv callbacks ---------------------------------------------------------------- */

static void on_field(void *data, size_t n, void *ud)
{
    struct reader *r = ud;
    if (r->rc) return;
    if (!r->in_record) r->cur.start = r->field_start;
    r->in_record = 1;
    /* offsets inside a quoted cell count from after its opening quote */
    size_t at = r->field_start;
    while (at < r->pos && (r->doc->text[at] == ' ' || r->doc->text[at] == '\t')) at++;
    if (at < r->pos && r->doc->text[at] == '"') at++;
    else at = r->field_start;
    if ((r->rc = row_push(&r->cur, data ? data : "", data ? n : 0, at))) return;
    /* the next field begins after the delimiter being fed now */
    r->field_start = r->pos + 1;
}

static void on_record(int term, void *ud)
{
    struct reader *r = ud;
    (void)term;
    if (r->rc) return;
    r->field_start = r->pos + 1;
    if (!r->in_record) return;
    r->in_record = 0;
    r->rowno++;
    int blank = 1;
    for (size_t i = 0; i < r->cur.n; i++)
        if (!is_blank(cell(&r->cur, i), cell_len(&r->cur, i))) blank = 0;
    if (!blank) {
        if (!r->have_header) r->rc = header_row(r);
        else {
            if (r->cur.n > r->ncols)
                r->h->warn(r->sink, r->cur.start, "row %zu has %zu cells but the header has %zu; the rest are kept as notes",
                           r->rowno, r->cur.n, r->ncols);
            r->rc = data_row(r);
            /* the next row of the same case compares with this one */
            struct row t = r->prev;
            r->prev = r->cur;
            r->cur = t;
        }
    }
    r->cur.n = 0;
    r->cur.used = 0;
}

/* ---- parse and probe ---------------------------------------------------------------- */

/* Is the field left open at the end of the text a quoted field whose closing
 * quote never came?  libcsv only says so in strict mode, which would also
 * refuse a stray quote inside an unquoted field; we want to read those. */
static int unclosed_quote(const char *t, size_t len, size_t start)
{
    while (start < len && (t[start] == ' ' || t[start] == '\t')) start++;
    if (start >= len || t[start] != '"') return 0;
    for (size_t i = start + 1; i < len; i++) {
        if (t[i] != '"') continue;
        if (i + 1 < len && t[i + 1] == '"') i++; /* "" is a quote inside the field */
        else return 0;
    }
    return 1;
}

static int csv_export_parse(const struct omb_host *h, omb_sink *sink, const struct omb_doc *doc)
{
    struct reader r;
    struct csv_parser p;
    memset(&r, 0, sizeof r);
    r.h = h;
    r.sink = sink;
    r.doc = doc;
    for (int k = 0; k < COL__COUNT; k++) r.col_of[k] = NO_COL;
    /* not strict: a stray quote inside an unquoted field is read as text;
     * an unclosed quote swallowing the rest of the file is checked below */
    if (csv_init(&p, 0) != 0) return OMB_ENOMEM;
    /* Fed one byte at a time so the callbacks know where each cell starts:
     * provenance needs offsets, and libcsv reports none. */
    for (r.pos = 0; r.pos < doc->len && !r.rc; r.pos++) {
        char ch = doc->text[r.pos];
        /* libcsv skips empty lines without a callback: move the start of
         * the next record past them */
        if (!r.in_record && r.field_start == r.pos && (ch == '\n' || ch == '\r')) r.field_start = r.pos + 1;
        if (csv_parse(&p, doc->text + r.pos, 1, on_field, on_record, &r) != 1) {
            r.rc = csv_error(&p) == CSV_ENOMEM ? OMB_ENOMEM
                                               : h->error(sink, r.field_start, "row %zu: %s", r.rowno + 1,
                                                          csv_strerror(csv_error(&p)));
        }
    }
    if (!r.rc && unclosed_quote(doc->text, doc->len, r.field_start))
        r.rc = h->error(sink, r.field_start,
                        "row %zu: expected a closing '\"' for the quoted field that starts on this line; the file "
                        "ends inside it",
                        r.rowno + 1);
    if (!r.rc && csv_fini(&p, on_field, on_record, &r) != 0 && !r.rc) r.rc = OMB_ENOMEM;
    csv_free(&p);
    if (!r.rc && !r.have_header)
        r.rc = h->error(sink, 0, "expected a header row naming columns such as Reference, Organisation, Decision date");
    if (!r.rc) r.rc = close_case(&r);
    else if (r.b) h->case_discard(r.b);
    row_free(&r.cur);
    row_free(&r.prev);
    if (r.names)
        for (size_t c = 0; c < r.ncols; c++) free(r.names[c]);
    free(r.names);
    free(r.roles);
    return r.rc;
}

/* Probe state: counts the first record's cells and how many are known. */
struct probe_state {
    int cells, known, done;
};

static void probe_field(void *data, size_t n, void *ud)
{
    struct probe_state *s = ud;
    if (s->done) return;
    s->cells++;
    if (data && role_of(data, n) != COL_EXTRA) s->known++;
}

static void probe_record(int term, void *ud)
{
    (void)term;
    struct probe_state *s = ud;
    if (s->cells) s->done = 1;
}

static int csv_export_probe(const char *t, size_t len, const char *filename)
{
    /* only the header row matters: parse up to its end (a quoted header
     * cell holding a newline is too rare to pay for on every document) */
    size_t scan = len < 4096 ? len : 4096;
    const char *nl = memchr(t, '\n', scan);
    if (nl) scan = (size_t)(nl - t) + 1;
    /* a first line without a comma is one cell, never a header: most
     * documents are not CSV, and this spares them the parser */
    if (!memchr(t, ',', scan)) return 0;
    struct probe_state s = {0, 0, 0};
    struct csv_parser p;
    if (csv_init(&p, 0) != 0) return 0;
    csv_parse(&p, t, scan, probe_field, probe_record, &s);
    csv_free(&p);
    if (s.cells < 2 || s.known < 2) return 0;
    int score = s.known >= 3 ? 85 : 60;
    if (s.known * 2 >= s.cells) score += 10;
    const char *dot = filename ? strrchr(filename, '.') : NULL;
    if (dot && (!strcmp(dot, ".csv") || !strcmp(dot, ".CSV"))) score += 5;
    return score > 100 ? 100 : score;
}

static const struct omb_source_ops ops = {
    .probe = csv_export_probe,
    .parse = csv_export_parse,
    .rank = 60,
};

OMB_PLUGIN_EXPORT const struct omb_plugin ombuds_plugin = {
    .abi_version = OMB_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(struct omb_plugin),
    .kind = OMB_PLUGIN_SOURCE,
    .name = "csv_export",
    .version = "1.0",
    .description = "CSV exports of ombudsman listings and flat case tables (columns matched by header name)",
    .ops = &ops,
};
