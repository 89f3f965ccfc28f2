/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * annex_table.c -- source plugin for the annexes councils attach to committee
 * reports: a numbered table of upheld cases, one row per case, with columns
 * such as "Nature of complaint/decision", "Remedy" and "Service Improvement
 * Recommendations" (and sometimes "Ref" or "Outcome"), as text extracted from
 * a PDF.  Columns are separated by tabs, by '|' (with a "---+---" rule), or by
 * runs of spaces at the header's column positions.
 *
 * The table is first cut into rows and cells (cells wrap over many lines, a
 * page break repeats the header in the middle of a row, and the end of one
 * row's cell can spill into the next row's lines); then each row becomes a
 * case.  Remedy prose goes to the core's extractor; references, money and
 * outcomes are normalised by the core.  This file does not store anything or
 * parse money: see core/host.c and core/remedy.c.
 */
#include <ombuds/plugin.h>
#include <ombuds/text.h>
#include <stdlib.h>
#include <string.h>

#define MAXCOL 8

/* What a column holds, read from its header text. */
enum role { R_NONE, R_NUMBER, R_REF, R_NATURE, R_OUTCOME, R_REMEDY, R_IMPROVE, R_SERVICE };

/* How cells are separated; chosen from the header line. */
enum mode { M_TAB, M_PIPE, M_SPACE };

/* A piece of a cell: one line's worth of text at [a, b) in the document. */
struct seg {
    size_t a, b;
};

/* A cell is the pieces read for one column of one row, in reading order. */
struct cell {
    struct seg *s;
    size_t n, cap;
};

/* One table row.  Invariant: cells[k] holds the text of column k only. */
struct row {
    size_t at;           /* offset of the row's first line */
    size_t num_a, num_b; /* the row number as written, empty when none */
    struct cell cells[MAXCOL];
};

/* The table layout read from the header line. */
struct layout {
    enum mode mode;
    size_t ncols;
    enum role role[MAXCOL];
    size_t pos[MAXCOL]; /* M_SPACE: the character column where each column starts */
    size_t head_a, head_b; /* the header line, to spot its repeats */
};

/* ---- small text helpers ------------------------------------------------------- */

static int is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static int is_lower(char c) { return c >= 'a' && c <= 'z'; }

/* Is the trimmed line empty? */
static int blank(const char *t, struct omb_line l)
{
    omb_trim(t, &l.a, &l.b);
    return l.a == l.b;
}

/* A "Page 3 of 23" (or "Page 3") footer. */
static int is_footer(const char *t, struct omb_line l)
{
    omb_trim(t, &l.a, &l.b);
    if (!omb_starts_ci(t + l.a, l.b - l.a, "page ")) return 0;
    size_t i = l.a + 5, d = i;
    while (i < l.b && omb_is_digit(t[i])) i++;
    if (i == d) return 0;
    if (i == l.b) return 1;
    if (!omb_starts_ci(t + i, l.b - i, " of ")) return 0;
    i += 4;
    d = i;
    while (i < l.b && omb_is_digit(t[i])) i++;
    return i > d && i == l.b;
}

/* A rule line such as "----+--------+----" or "=====". */
static int is_rule(const char *t, struct omb_line l)
{
    int dashes = 0;
    for (size_t i = l.a; i < l.b; i++) {
        char c = t[i];
        if (c == '-' || c == '=' || c == '_') dashes++;
        else if (c != '+' && c != '|' && !omb_is_space(c)) return 0;
    }
    return dashes >= 3;
}

/* "N/A", "None", "-": a cell that says there is nothing. */
static int says_none(const struct omb_host *h, const char *p, size_t n)
{
    size_t a = 0, b = n;
    omb_trim(p, &a, &b);
    while (b > a && (p[b - 1] == '.' || omb_is_space(p[b - 1]))) b--;
    static const char *const none[] = {"N/A", "NA", "None", "Nil", "-", "Not applicable", "None proposed", NULL};
    for (const char *const *w = none; *w; w++)
        if (b - a == strlen(*w) && h->find_ci(p + a, b - a, *w) == p + a) return 1;
    return a == b;
}

/* ---- the header ----------------------------------------------------------------- */

static enum role role_of(const struct omb_host *h, const char *p, size_t n)
{
    size_t a = 0, b = n;
    omb_trim(p, &a, &b);
    p += a;
    n = b - a;
    if (h->find_ci(p, n, "improvement") || h->find_ci(p, n, "recommendation") || h->find_ci(p, n, "learning"))
        return R_IMPROVE;
    if (h->find_ci(p, n, "remed")) return R_REMEDY;
    if (omb_starts_ci(p, n, "ref") || h->find_ci(p, n, " ref") || h->find_ci(p, n, "case no") ||
        h->find_ci(p, n, "reference"))
        return R_REF;
    /* "Service", "Service area", "Department": the council's service, which
     * gives the category through the subject map */
    if (omb_starts_ci(p, n, "service") || omb_starts_ci(p, n, "department") || omb_starts_ci(p, n, "directorate"))
        return R_SERVICE;
    if (h->find_ci(p, n, "nature") || h->find_ci(p, n, "complaint") || h->find_ci(p, n, "subject") ||
        h->find_ci(p, n, "description") || h->find_ci(p, n, "summary"))
        return R_NATURE;
    if (h->find_ci(p, n, "outcome") || h->find_ci(p, n, "decision") || h->find_ci(p, n, "finding") ||
        h->find_ci(p, n, "result"))
        return R_OUTCOME;
    if (n == 0 || omb_starts_ci(p, n, "no") || omb_starts_ci(p, n, "#") || omb_starts_ci(p, n, "item") ||
        omb_starts_ci(p, n, "number") || omb_starts_ci(p, n, "row"))
        return R_NUMBER;
    return R_NONE;
}

/* Character column of offset `at` within the line starting at `from` (UTF-8
 * continuation bytes do not advance the column, as in pdftotext -layout). */
static size_t char_col(const char *t, size_t from, size_t at)
{
    size_t c = 0;
    for (size_t i = from; i < at; i++)
        if (((unsigned char)t[i] & 0xC0) != 0x80) c++;
    return c;
}

/* Calls back for each cell of line l under the given separator.  For M_SPACE
 * a cell is a run of text between gaps of two or more spaces (or a tab). */
struct span {
    size_t a, b;
};

static size_t split_cells(const char *t, struct omb_line l, enum mode m, struct span *out, size_t max)
{
    size_t n = 0;
    if (m == M_TAB || m == M_PIPE) {
        char sep = m == M_TAB ? '\t' : '|';
        size_t a = l.a;
        for (size_t i = l.a; i <= l.b && n < max; i++) {
            if (i == l.b || t[i] == sep) {
                out[n].a = a;
                out[n].b = i;
                omb_trim(t, &out[n].a, &out[n].b);
                n++;
                a = i + 1;
            }
        }
        /* text beyond the last column belongs to the last column */
        if (n == max && a <= l.b) out[n - 1].b = l.b;
        return n;
    }
    size_t i = l.a;
    while (i < l.b && n < max) {
        while (i < l.b && omb_is_space(t[i])) i++;
        if (i >= l.b) break;
        size_t a = i;
        while (i < l.b) {
            if (t[i] == '\t') break;
            if (t[i] == ' ' && i + 1 < l.b && t[i + 1] == ' ') break;
            i++;
        }
        out[n].a = a;
        out[n].b = i;
        n++;
    }
    if (n == max && i < l.b) out[n - 1].b = l.b;
    return n;
}

/* Is this line a table header?  It must name a remedy column and one of the
 * other known columns, in at least three cells. */
static int read_header(const struct omb_host *h, const char *t, struct omb_line l, struct layout *lay)
{
    size_t n = l.b - l.a;
    if (n > 400 || !h->find_ci(t + l.a, n, "remed")) return 0;
    if (!h->find_ci(t + l.a, n, "improvement") && !h->find_ci(t + l.a, n, "nature of") &&
        !h->find_ci(t + l.a, n, "outcome") && !h->find_ci(t + l.a, n, "complaint") &&
        !h->find_ci(t + l.a, n, "summary") && !h->find_ci(t + l.a, n, "service area"))
        return 0;
    memset(lay, 0, sizeof *lay);
    lay->mode = memchr(t + l.a, '\t', n) ? M_TAB : memchr(t + l.a, '|', n) ? M_PIPE : M_SPACE;
    struct span c[MAXCOL];
    size_t nc = split_cells(t, l, lay->mode, c, MAXCOL);
    if (lay->mode == M_SPACE) {
        /* the row numbers usually have no heading: give them a column */
        if (nc && char_col(t, l.a, c[0].a) > 0 && role_of(h, t + c[0].a, c[0].b - c[0].a) != R_NUMBER) {
            lay->role[0] = R_NUMBER;
            lay->pos[0] = 0;
            lay->ncols = 1;
        }
        for (size_t k = 0; k < nc && lay->ncols < MAXCOL; k++) {
            lay->role[lay->ncols] = role_of(h, t + c[k].a, c[k].b - c[k].a);
            lay->pos[lay->ncols] = char_col(t, l.a, c[k].a);
            lay->ncols++;
        }
    } else {
        for (size_t k = 0; k < nc; k++) lay->role[k] = role_of(h, t + c[k].a, c[k].b - c[k].a);
        /* An empty first heading (before a leading '|' or tab) is the row
         * numbers' column: the numbers sit there when the rows have no
         * leading separator, and it stays empty when they do. */
        lay->ncols = nc;
    }
    int remedy = 0, other = 0;
    for (size_t k = 0; k < lay->ncols; k++) {
        remedy += lay->role[k] == R_REMEDY;
        other += lay->role[k] == R_IMPROVE || lay->role[k] == R_NATURE || lay->role[k] == R_OUTCOME ||
                 lay->role[k] == R_SERVICE;
    }
    if (!remedy || !other || lay->ncols < 3) return 0;
    lay->head_a = l.a;
    lay->head_b = l.b;
    return 1;
}

/* Is this line a repeat of the header (page break)? */
static int is_header_repeat(const struct omb_host *h, const char *t, struct omb_line l, const struct layout *lay)
{
    struct layout again;
    if (!read_header(h, t, l, &again) || again.ncols != lay->ncols) return 0;
    for (size_t k = 0; k < lay->ncols; k++)
        if (again.role[k] != lay->role[k]) return 0;
    return 1;
}

static int find_header(const struct omb_host *h, const char *t, size_t len, struct layout *lay, size_t *after)
{
    size_t pos = 0;
    struct omb_line l;
    while (omb_next_line(t, len, &pos, &l))
        if (read_header(h, t, l, lay)) {
            *after = pos;
            return 1;
        }
    return 0;
}

static int has_role(const struct layout *lay, enum role r)
{
    for (size_t k = 0; k < lay->ncols; k++)
        if (lay->role[k] == r) return 1;
    return 0;
}

/* ---- probe ------------------------------------------------------------------------ */

/* A row number cell: "12", "12.", "12)".  Up to five digits: a long annex
 * numbers its rows past 999 (the 1M-case benchmark found one whose rows
 * after 999 all ran into row 999), and an eight-digit case reference is
 * still never taken for a row number. */
static int is_row_number(const char *t, size_t a, size_t b)
{
    size_t i = a;
    while (i < b && omb_is_digit(t[i])) i++;
    if (i == a || i - a > 5) return 0;
    if (i < b && (t[i] == '.' || t[i] == ')')) i++;
    return i == b;
}

static int annex_probe(const char *t, size_t len, const char *filename)
{
    (void)filename;
    /* the probe may not use the host table, so it looks for the header's
     * words directly in the first part of the document */
    size_t scan = len < 20000 ? len : 20000;
    int score = 0;
    const char *remedy = NULL;
    for (const char *p = t; p < t + scan && (p = strstr(p, "Remed")); p++) {
        const char *eol = memchr(p, '\n', (size_t)(t + len - p));
        const char *bol = p;
        while (bol > t && bol[-1] != '\n') bol--;
        size_t n = (size_t)((eol ? eol : t + len) - bol);
        char buf[512];
        if (n >= sizeof buf) continue;
        memcpy(buf, bol, n);
        buf[n] = '\0';
        if (strstr(buf, "Service Improvement") || strstr(buf, "Service improvement") || strstr(buf, "Nature of") ||
            strstr(buf, "Outcome") || strstr(buf, "outcome") || strstr(buf, "Summary") ||
            strstr(buf, "Service area")) {
            remedy = p;
            break;
        }
    }
    if (!remedy) return 0;
    score = 60;
    if (strstr(t, "Annex") || strstr(t, "ANNEX") || strstr(t, "Appendix")) score += 15;
    if (strstr(t, "Upheld") || strstr(t, "upheld")) score += 10;
    if (strstr(remedy, "\n1.") || strstr(remedy, "\n1\t") || strstr(remedy, "\n 1 ") || strstr(remedy, "\n1 "))
        score += 10;
    return score > 100 ? 100 : score;
}

/* ---- cutting the table into rows ------------------------------------------------- */

static int cell_add(struct cell *c, size_t a, size_t b)
{
    if (c->n == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 4;
        struct seg *p = realloc(c->s, ncap * sizeof *p);
        if (!p) return OMB_ENOMEM;
        c->s = p;
        c->cap = ncap;
    }
    c->s[c->n].a = a;
    c->s[c->n].b = b;
    c->n++;
    return OMB_OK;
}

struct table {
    struct row *rows;
    size_t n, cap;
};

static void table_free(struct table *tb)
{
    for (size_t i = 0; i < tb->n; i++)
        for (size_t k = 0; k < MAXCOL; k++) free(tb->rows[i].cells[k].s);
    free(tb->rows);
}

static struct row *new_row(struct table *tb, size_t at)
{
    if (tb->n == tb->cap) {
        size_t ncap = tb->cap ? tb->cap * 2 : 32;
        struct row *p = realloc(tb->rows, ncap * sizeof *p);
        if (!p) return NULL;
        tb->rows = p;
        tb->cap = ncap;
    }
    struct row *r = &tb->rows[tb->n++];
    memset(r, 0, sizeof *r);
    r->at = at;
    return r;
}

/* The column a space-separated cell starting at character column `col`
 * belongs to: the last column starting at or before it (two characters of
 * slack, since PDF text is not always exactly aligned). */
static size_t column_at(const struct layout *lay, size_t col)
{
    size_t k = 0;
    for (size_t i = 0; i < lay->ncols; i++)
        if (lay->pos[i] <= col + 2) k = i;
    return k;
}

/* The column after the row number's, where text run into the number cell
 * ("1. 22013701 Adult social care") belongs. */
static size_t column_after(const struct layout *lay, size_t k)
{
    for (size_t i = k + 1; i < lay->ncols; i++)
        if (lay->role[i] != R_NONE) return i;
    return k;
}

static int read_rows(const struct omb_host *h, const char *t, size_t len, size_t from, const struct layout *lay,
                     struct table *tb)
{
    size_t pos = from;
    struct omb_line l;
    struct row *cur = NULL;
    int rc;
    while (omb_next_line(t, len, &pos, &l)) {
        if (blank(t, l) || is_footer(t, l) || is_rule(t, l) || is_header_repeat(h, t, l, lay)) continue;
        if (lay->mode == M_TAB && !memchr(t + l.a, '\t', l.b - l.a)) continue;
        if (lay->mode == M_PIPE && !memchr(t + l.a, '|', l.b - l.a)) continue;
        struct span c[MAXCOL];
        size_t nc = split_cells(t, l, lay->mode, c, MAXCOL);
        size_t colof[MAXCOL];
        for (size_t i = 0; i < nc; i++) {
            if (lay->mode == M_SPACE) colof[i] = column_at(lay, char_col(t, l.a, c[i].a));
            else colof[i] = i < lay->ncols ? i : lay->ncols - 1;
        }
        /* Does the line start a row?  Its number cell holds a row number,
         * possibly followed by the next column's text. */
        int starts = 0;
        size_t num_a = 0, num_b = 0;
        for (size_t i = 0; i < nc; i++) {
            if (lay->role[colof[i]] != R_NUMBER || c[i].a == c[i].b) continue;
            size_t e = c[i].a;
            while (e < c[i].b && omb_is_digit(t[e])) e++;
            if (e < c[i].b && (t[e] == '.' || t[e] == ')')) e++;
            if (is_row_number(t, c[i].a, e) && (e == c[i].b || t[e] == ' ')) {
                starts = 1;
                num_a = c[i].a;
                num_b = e;
                size_t rest = e;
                while (rest < c[i].b && omb_is_space(t[rest])) rest++;
                c[i].a = rest;
                if (rest < c[i].b) colof[i] = column_after(lay, colof[i]);
            }
            break;
        }
        if (starts) {
            if (!(cur = new_row(tb, l.a))) return OMB_ENOMEM;
            cur->num_a = num_a;
            /* "1." keeps only the digits */
            while (num_b > num_a && !omb_is_digit(t[num_b - 1])) num_b--;
            cur->num_b = num_b;
        }
        if (!cur) continue; /* text between the header and the first row */
        for (size_t i = 0; i < nc; i++) {
            if (c[i].a == c[i].b || lay->role[colof[i]] == R_NONE) continue;
            if (lay->role[colof[i]] == R_NUMBER && !starts) continue;
            if ((rc = cell_add(&cur->cells[colof[i]], c[i].a, c[i].b))) return rc;
        }
    }
    return OMB_OK;
}

/* Does the cell's text end a sentence (or a list item)? */
static int cell_ends(const char *t, const struct cell *c)
{
    if (!c->n) return 1;
    const struct seg *s = &c->s[c->n - 1];
    if (s->b == s->a) return 1;
    char e = t[s->b - 1];
    return e == '.' || e == ';' || e == ':' || e == '!' || e == '?' || e == ')' || e == '"';
}

/* Where does the first sentence in [a, b) end?  Returns the offset just past
 * its full stop, or 0 when the segment holds no sentence end. */
static size_t sentence_end(const char *t, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++)
        if ((t[i] == '.' || t[i] == '?' || t[i] == '!') && (i + 1 == b || t[i + 1] == ' ')) return i + 1;
    return 0;
}

/* A PDF table can run the end of one row's cell into the first lines of the
 * next row ("... would not otherwise need to be" / "aware of this
 * information. The Council has agreed ...").  When a cell stops mid-sentence
 * and the next row's cell in the same column starts with a lower-case word,
 * the words up to the first full stop go back to the earlier row. */
static int mend_spills(const char *t, struct table *tb, const struct layout *lay)
{
    for (size_t k = 0; k < lay->ncols; k++) {
        if (lay->role[k] != R_REMEDY && lay->role[k] != R_IMPROVE) continue;
        for (size_t i = 1; i < tb->n; i++) {
            struct cell *prev = &tb->rows[i - 1].cells[k], *c = &tb->rows[i].cells[k];
            if (!prev->n || !c->n || cell_ends(t, prev) || !is_lower(t[c->s[0].a])) continue;
            size_t j = 0, cut = 0;
            for (; j < c->n && !(cut = sentence_end(t, c->s[j].a, c->s[j].b)); j++) {}
            if (!cut) continue; /* no sentence end: leave it where it is */
            for (size_t m = 0; m < j; m++)
                if (cell_add(prev, c->s[m].a, c->s[m].b)) return OMB_ENOMEM;
            if (cell_add(prev, c->s[j].a, cut)) return OMB_ENOMEM;
            size_t rest = cut;
            while (rest < c->s[j].b && omb_is_space(t[rest])) rest++;
            size_t drop = j;
            if (rest < c->s[j].b) c->s[j].a = rest;
            else drop = j + 1;
            memmove(c->s, c->s + drop, (c->n - drop) * sizeof *c->s);
            c->n -= drop;
        }
    }
    return OMB_OK;
}

/* ---- joined cell text ------------------------------------------------------------ */

/* A cell's lines joined into one string, with a map back to document
 * offsets so improvements keep the line they were read on. */
struct joined {
    char *p;
    size_t n;
    const struct cell *c;
    size_t *off; /* off[k] = where segment k starts in p */
};

static void joined_free(struct joined *j)
{
    free(j->p);
    free(j->off);
    memset(j, 0, sizeof *j);
}

/* Ends with a "£" (0xC2 0xA3) split from its amount? */
static int ends_pound(const char *p, size_t n)
{
    return n >= 2 && (unsigned char)p[n - 2] == 0xC2 && (unsigned char)p[n - 1] == 0xA3;
}

static int join_cell(const char *t, const struct cell *c, struct joined *j)
{
    size_t total = 1;
    memset(j, 0, sizeof *j);
    for (size_t k = 0; k < c->n; k++) total += c->s[k].b - c->s[k].a + 1;
    j->p = malloc(total);
    j->off = malloc((c->n ? c->n : 1) * sizeof *j->off);
    if (!j->p || !j->off) {
        joined_free(j);
        return OMB_ENOMEM;
    }
    j->c = c;
    for (size_t k = 0; k < c->n; k++) {
        size_t a = c->s[k].a, b = c->s[k].b;
        /* "£" at a line end and "300 settlement" on the next are one amount;
         * otherwise lines join with one space */
        if (j->n && !ends_pound(j->p, j->n)) j->p[j->n++] = ' ';
        j->off[k] = j->n;
        memcpy(j->p + j->n, t + a, b - a);
        j->n += b - a;
    }
    j->p[j->n] = '\0';
    return OMB_OK;
}

/* The document offset of position i of the joined text. */
static size_t doc_at(const struct joined *j, size_t i)
{
    if (!j->c || !j->c->n) return 0;
    size_t k = 0;
    while (k + 1 < j->c->n && j->off[k + 1] <= i) k++;
    size_t d = i > j->off[k] ? i - j->off[k] : 0;
    size_t len = j->c->s[k].b - j->c->s[k].a;
    return j->c->s[k].a + (d < len ? d : len);
}

/* ---- service improvements --------------------------------------------------------- */

/*
 * The rule for cutting a Service Improvement cell into distinct improvements:
 * the cell is cut into sentences (a full stop, '?' or '!' followed by a space
 * and a capital letter or digit); a sentence that opens with an action
 * ("The Council will ...", "The Council has agreed to ...", "It has agreed
 * to ...", or an instruction such as "Ensure ...", "Review ...", "Remind
 * ...", "Provide ...", "Issue ...") starts a new improvement.  Any other
 * sentence ("This is to ensure ...", "In particular ...") belongs to the
 * improvement before it, and so does an action sentence that only reports
 * back on it ("The Council should inform the Ombudsman of the outcome of its
 * review").  A finding stated before an action ("The Council failed to ...")
 * belongs to the action after it.
 */
static const char *const action_openers[] = {
    "The Council will", "The Council has agreed", "The Council agreed", "The Council has also agreed",
    "The Council should", "The Council must", "The Council is to", "The Council needs to", "It has agreed",
    "It has also agreed", "It agreed", "It will", "It should", "We recommend", "We have recommended",
    "Ensure ", "Review ", "Remind ", "Provide ", "Issue ", "Arrange ", "Amend ", "Introduce ", "Consider ",
    "Prepare ", "Produce ", "Train ", "Share ", "Update ", "Develop ", "Create ", "Carry out ", "Appoint ",
    "Write to all", "Send ", "Publish ", "Implement ", "Audit ", "Monitor ", "Draw up ", "Establish ", "Deliver ",
    NULL};
static const char *const report_back[] = {"inform the Ombudsman", "tell the Ombudsman", "update the Ombudsman",
                                          "inform us", "tell us", "update us", "report back", "let us know",
                                          "let the Ombudsman know", NULL};
static const char *const findings[] = {"The Council failed", "The Council has failed", "The Council did not",
                                       "We found", "The Ombudsman found", NULL};

static int opens_with(const struct omb_host *h, const char *p, size_t n, const char *const *list)
{
    for (; *list; list++) {
        size_t k = strlen(*list);
        /* case matters for the first letter: a sentence starts with a capital */
        if (n >= k && p[0] == (*list)[0] && h->find_ci(p, k, *list) == p) return 1;
    }
    return 0;
}

static int mentions(const struct omb_host *h, const char *p, size_t n, const char *const *list)
{
    for (; *list; list++)
        if (h->find_ci(p, n, *list)) return 1;
    return 0;
}

/* Next sentence of s[i..n): returns its end (just after its punctuation). */
static size_t next_sentence(const char *s, size_t n, size_t i)
{
    for (; i < n; i++) {
        char c = s[i];
        if (c != '.' && c != '?' && c != '!') continue;
        size_t k = i + 1;
        while (k < n && (s[k] == '"' || s[k] == ')' || s[k] == '\'')) k++;
        if (k >= n) return n;
        if (s[k] != ' ') continue;
        while (k < n && s[k] == ' ') k++;
        if (k < n && (is_upper(s[k]) || omb_is_digit(s[k]))) return k;
    }
    return n;
}

static int add_improvements(const struct omb_host *h, omb_builder *b, const struct joined *j)
{
    const char *s = j->p;
    size_t n = j->n, i = 0;
    size_t open_a = 0, open_b = 0; /* the improvement being gathered, [open_a, open_b) */
    int open = 0, finding = 0, rc;
    while (i < n) {
        size_t e = next_sentence(s, n, i);
        size_t a = i, z = e;
        omb_trim(s, &a, &z);
        i = e;
        if (a == z) continue;
        int action = opens_with(h, s + a, z - a, action_openers) && !mentions(h, s + a, z - a, report_back);
        if (action && open && !finding) {
            size_t x = open_a, y = open_b;
            omb_trim(s, &x, &y);
            if ((rc = h->case_add_improvement(b, s + x, y - x, doc_at(j, x)))) return rc;
            open = 0;
        }
        if (!open) {
            open_a = a;
            open = 1;
            finding = !action && opens_with(h, s + a, z - a, findings);
        } else if (action) {
            finding = 0;
        }
        open_b = z;
    }
    if (open) {
        omb_trim(s, &open_a, &open_b);
        if (open_b > open_a && (rc = h->case_add_improvement(b, s + open_a, open_b - open_a, doc_at(j, open_a))))
            return rc;
    }
    return OMB_OK;
}

/* ---- the document's title and authority ----------------------------------------- */

/* Does [a, b) look like a council's name? */
static int looks_like_authority(const struct omb_host *h, const char *t, size_t a, size_t b)
{
    if (b <= a || b - a > 100 || !is_upper(t[a])) return 0;
    return h->find_ci(t + a, b - a, "Council") || h->find_ci(t + a, b - a, "Borough") ||
           h->find_ci(t + a, b - a, "Authority") || h->find_ci(t + a, b - a, "City of");
}

/* The authority named in the title: "(Kent County Council, 2023)" or
 * "... against Kent County Council". */
static int authority_in_title(const struct omb_host *h, const char *t, size_t ta, size_t tb, size_t *aa, size_t *ab)
{
    for (size_t i = tb; i > ta; i--) {
        if (t[i - 1] != '(') continue;
        size_t a = i, b = a;
        while (b < tb && t[b] != ')' && t[b] != ',') b++;
        omb_trim(t, &a, &b);
        if (looks_like_authority(h, t, a, b)) {
            *aa = a;
            *ab = b;
            return 1;
        }
    }
    const char *p = h->find_ci(t + ta, tb - ta, " against ");
    if (p) {
        size_t a = (size_t)(p - t) + 9, b = a;
        while (b < tb && t[b] != '(' && t[b] != ',' && !(t[b] == ' ' && b + 1 < tb && t[b + 1] == '-')) b++;
        omb_trim(t, &a, &b);
        if (looks_like_authority(h, t, a, b)) {
            *aa = a;
            *ab = b;
            return 1;
        }
    }
    return 0;
}

/* A heading line before the table that names the council: the name alone
 * ("Bristol City Council", "DEVON COUNTY COUNCIL") or the name before a dash
 * ("Devon County Council – Cabinet"), or "... against/for/of <council>" left
 * to authority_in_title.  Older annexes name the council only this way. */
static int authority_heading(const struct omb_host *h, const char *t, size_t head_a, size_t *aa, size_t *ab)
{
    size_t pos = 0;
    struct omb_line l;
    while (omb_next_line(t, head_a, &pos, &l)) {
        size_t a = l.a, b = l.b;
        omb_trim(t, &a, &b);
        /* cut at a spaced dash: "X Council – Audit Committee" */
        for (size_t i = a; i + 2 < b; i++) {
            if (t[i] != ' ') continue;
            if (t[i + 1] == '-' && t[i + 2] == ' ') b = i;
            else if (i + 4 < b && (unsigned char)t[i + 1] == 0xE2 && (unsigned char)t[i + 2] == 0x80 &&
                     ((unsigned char)t[i + 3] == 0x93 || (unsigned char)t[i + 3] == 0x94) && t[i + 4] == ' ')
                b = i;
            if (b == i) break;
        }
        omb_trim(t, &a, &b);
        if (b <= a || b - a > 70 || !looks_like_authority(h, t, a, b)) continue;
        int words_only = 1;
        for (size_t i = a; i < b && words_only; i++)
            if (t[i] == ':' || t[i] == '(' || t[i] == ',' || omb_is_digit(t[i])) words_only = 0;
        size_t n = b - a;
        if (!words_only) continue;
        if ((n > 8 && h->find_ci(t + b - 8, 8, " Council") == t + b - 8) ||
            omb_starts_ci(t + a, n, "London Borough of ") || omb_starts_ci(t + a, n, "Royal Borough of ")) {
            *aa = a;
            *ab = b;
            return 1;
        }
    }
    return 0;
}

/* ---- one row, one case ------------------------------------------------------------- */

struct ctx {
    const struct omb_host *h;
    omb_sink *sink;
    const struct omb_doc *doc;
    const struct layout *lay;
    const char *auth;   /* authority name or NULL */
    size_t auth_n, auth_at;
    int upheld;         /* the title says these cases were upheld */
    size_t unreferenced;
};

static int col_of(const struct layout *lay, enum role r)
{
    for (size_t k = 0; k < lay->ncols; k++)
        if (lay->role[k] == r) return (int)k;
    return -1;
}

static int row_case(struct ctx *x, const struct row *r, size_t index)
{
    const struct omb_host *h = x->h;
    const char *t = x->doc->text;
    const struct layout *lay = x->lay;
    struct joined nat = {0}, ref = {0}, out = {0}, rem = {0}, imp = {0};
    int rc = OMB_OK;
    omb_builder *b = h->case_begin(x->sink, r->at);
    if (!b) return OMB_ENOMEM;
    int kn = col_of(lay, R_NATURE), kr = col_of(lay, R_REF), ko = col_of(lay, R_OUTCOME), km = col_of(lay, R_REMEDY),
        ki = col_of(lay, R_IMPROVE), ks = col_of(lay, R_SERVICE);
    struct joined svc = {0};
    static const struct cell none;
    if ((rc = join_cell(t, kn >= 0 ? &r->cells[kn] : &none, &nat)) ||
        (rc = join_cell(t, kr >= 0 ? &r->cells[kr] : &none, &ref)) ||
        (rc = join_cell(t, ko >= 0 ? &r->cells[ko] : &none, &out)) ||
        (rc = join_cell(t, km >= 0 ? &r->cells[km] : &none, &rem)) ||
        (rc = join_cell(t, ki >= 0 ? &r->cells[ki] : &none, &imp)) ||
        (rc = join_cell(t, ks >= 0 ? &r->cells[ks] : &none, &svc)))
        goto done;

    /* the reference: in its own column, or written into the subject cell */
    size_t rs, rl, sub_a = 0, sub_b = nat.n;
    char norm[11];
    int have_ref = 0;
    if (ref.n && h->find_ref(ref.p, ref.n, &rs, &rl, norm)) {
        have_ref = 1;
        if ((rc = h->case_set(b, OMB_FIELD_REF, ref.p + rs, rl, doc_at(&ref, rs)))) goto done;
    } else if (nat.n && h->find_ref(nat.p, nat.n, &rs, &rl, norm)) {
        have_ref = 1;
        if ((rc = h->case_set(b, OMB_FIELD_REF, nat.p + rs, rl, doc_at(&nat, rs)))) goto done;
        /* the subject is the text around the reference, usually after it */
        if (rs < 3) sub_a = rs + rl;
        else {
            sub_b = rs;
            if (nat.n - (rs + rl) > rs) {
                sub_a = rs + rl;
                sub_b = nat.n;
            }
        }
    }
    if (!have_ref) {
        /* older annexes give no reference: the case still counts, keyed by
         * its document and row */
        char key[32];
        size_t kl;
        if (r->num_b > r->num_a && r->num_b - r->num_a < 10) {
            memcpy(key, "row ", 4);
            memcpy(key + 4, t + r->num_a, r->num_b - r->num_a);
            kl = 4 + r->num_b - r->num_a;
        } else {
            kl = 4;
            memcpy(key, "row ", 4);
            size_t v = index + 1, d = 1;
            while (v / d >= 10) d *= 10;
            for (; d; d /= 10) key[kl++] = (char)('0' + (v / d) % 10);
        }
        if ((rc = h->case_set(b, OMB_FIELD_ROW_KEY, key, kl, r->at))) goto done;
        x->unreferenced++;
    }

    /* the council's own subject, without the reference or a closing full
     * stop or dash */
    while (sub_a < sub_b && (omb_is_space(nat.p[sub_a]) || nat.p[sub_a] == '-' || nat.p[sub_a] == ',' ||
                             nat.p[sub_a] == ':'))
        sub_a++;
    if (sub_b - sub_a >= 3 && (unsigned char)nat.p[sub_a] == 0xE2 && (unsigned char)nat.p[sub_a + 1] == 0x80 &&
        ((unsigned char)nat.p[sub_a + 2] == 0x93 || (unsigned char)nat.p[sub_a + 2] == 0x94))
        sub_a += 3;
    omb_trim(nat.p, &sub_a, &sub_b);
    while (sub_b > sub_a && (nat.p[sub_b - 1] == '.' || omb_is_space(nat.p[sub_b - 1]))) sub_b--;
    if (svc.n) {
        /* a service column names the council's subject better than the
         * description of what went wrong */
        size_t va = 0, vb = svc.n;
        omb_trim(svc.p, &va, &vb);
        while (vb > va && svc.p[vb - 1] == '.') vb--;
        if (vb > va && (rc = h->case_set(b, OMB_FIELD_COUNCIL_SUBJECT, svc.p + va, vb - va, doc_at(&svc, va))))
            goto done;
    } else if (sub_b > sub_a) {
        size_t at = doc_at(&nat, sub_a);
        if ((rc = h->case_set(b, OMB_FIELD_COUNCIL_SUBJECT, nat.p + sub_a, sub_b - sub_a, at))) goto done;
        /* a subject that is exactly one of the ombudsman's sub-categories
         * ("Child protection") also gives the category */
        const char *cat = h->category_of(nat.p + sub_a, sub_b - sub_a);
        if (cat && ((rc = h->case_set(b, OMB_FIELD_CATEGORY, cat, strlen(cat), at)) ||
                    (rc = h->case_set(b, OMB_FIELD_SUBCATEGORY, nat.p + sub_a, sub_b - sub_a, at))))
            goto done;
    }
    if (x->auth && (rc = h->case_set(b, OMB_FIELD_AUTHORITY, x->auth, x->auth_n, x->auth_at))) goto done;

    if (out.n) {
        if ((rc = h->case_set(b, OMB_FIELD_OUTCOME, out.p, out.n, doc_at(&out, 0)))) goto done;
    } else if (x->upheld && (rc = h->case_set(b, OMB_FIELD_OUTCOME, "upheld", 6, r->at))) {
        goto done;
    }
    if (rem.n && !says_none(h, rem.p, rem.n) &&
        (rc = h->case_extract_remedies(b, rem.p, rem.n, doc_at(&rem, 0))))
        goto done;
    if (imp.n && !says_none(h, imp.p, imp.n) && (rc = add_improvements(h, b, &imp))) goto done;
done:
    joined_free(&svc);
    joined_free(&nat);
    joined_free(&ref);
    joined_free(&out);
    joined_free(&rem);
    joined_free(&imp);
    if (rc) {
        h->case_discard(b);
        return rc;
    }
    return h->case_end(b);
}

/* ---- parse ------------------------------------------------------------------------ */

static int annex_parse(const struct omb_host *h, omb_sink *sink, const struct omb_doc *doc)
{
    const char *t = doc->text;
    size_t len = doc->len, body;
    struct layout lay;
    struct table tb = {0};
    int rc;
    if (!find_header(h, t, len, &lay, &body))
        return h->error(sink, 0,
                        "expected a table header naming its columns, such as \"Nature of complaint/decision<TAB>"
                        "Remedy<TAB>Service Improvement Recommendations\"");
    struct ctx x = {h, sink, doc, &lay, NULL, 0, 0, 0, 0};

    /* The title is the first non-blank line before the header. */
    size_t pos = 0, title_a = 0, title_b = 0;
    struct omb_line l;
    while (omb_next_line(t, len, &pos, &l) && l.a < lay.head_a) {
        size_t a = l.a, b = l.b;
        omb_trim(t, &a, &b);
        if (a == b || is_footer(t, l)) continue;
        if (!title_b) {
            title_a = a;
            title_b = b;
        }
    }
    if (title_b && (rc = h->doc_note(sink, "title", t + title_a, title_b - title_a, title_a))) return rc;
    /* "Cases Upheld by the Ombudsman": the rows are upheld cases */
    const char *up = lay.head_a ? h->find_ci(t, lay.head_a, "upheld") : NULL;
    x.upheld = up && !h->find_ci(t, lay.head_a, "not upheld");

    size_t aa, ab;
    if (doc->authority && *doc->authority) {
        x.auth = doc->authority;
        x.auth_n = strlen(doc->authority);
    } else if (title_b && authority_in_title(h, t, title_a, title_b, &aa, &ab)) {
        x.auth = t + aa;
        x.auth_n = ab - aa;
        x.auth_at = aa;
    } else if (authority_heading(h, t, lay.head_a, &aa, &ab)) {
        x.auth = t + aa;
        x.auth_n = ab - aa;
        x.auth_at = aa;
    } else {
        h->warn(sink, title_a,
                "the annex does not say which council it is about; its cases are stored without an authority "
                "(give one with --authority NAME)");
    }
    if (!has_role(&lay, R_OUTCOME) && !x.upheld)
        h->warn(sink, lay.head_a,
                "the annex has no outcome column and its title does not say the cases were upheld; outcome left "
                "unknown");

    if ((rc = read_rows(h, t, len, body, &lay, &tb))) goto done;
    if (!tb.n) {
        rc = h->error(sink, lay.head_b, "expected numbered table rows (\"1.<TAB>22013701 ...\") after the header");
        goto done;
    }
    if ((rc = mend_spills(t, &tb, &lay))) goto done;
    for (size_t i = 0; i < tb.n; i++)
        if ((rc = row_case(&x, &tb.rows[i], i))) goto done;
    if (x.unreferenced)
        h->warn(sink, lay.head_a,
                "%zu row%s give%s no case reference; stored as unreferenced cases keyed by this document and row",
                x.unreferenced, x.unreferenced == 1 ? "" : "s", x.unreferenced == 1 ? "s" : "");
done:
    table_free(&tb);
    return rc;
}

static const struct omb_source_ops ops = {
    .probe = annex_probe,
    .parse = annex_parse,
    .rank = 50,
};

OMB_PLUGIN_EXPORT const struct omb_plugin ombuds_plugin = {
    .abi_version = OMB_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(struct omb_plugin),
    .kind = OMB_PLUGIN_SOURCE,
    .name = "annex_table",
    .version = "1.0",
    .description = "Council committee annexes: numbered tables of upheld cases with remedies and improvements",
    .ops = &ops,
};
