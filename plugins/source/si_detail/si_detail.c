/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * si_detail.c -- source plugin for the ombudsman's service-improvement pages
 * in detail form: "Service improvements", the council, the period ("between 1
 * April 2021 and 31 March 2022"), "Showing 1 - 1 of 1 cases", then per case
 * "Council (20 004 844)", "Category: Education Date: 07-Oct-2021", a summary
 * naming the remedy, and the improvements, often run together, each after a
 * lead-in ("the Council has ... agreed to make the following service
 * improvement:").
 * The same site's decision lists ("Council (23 012 870)" / "Statement Upheld
 * Disabled children 25-Apr-2024" / "Summary: ...") are read here too.
 *
 * It splits the improvements, hands the summary's remedy sentence to the
 * core's extractor (core/remedy.c) and maps sub-categories to categories with
 * the core's table (core/category.c); it normalises no reference, date or
 * outcome itself.  The list form ("Case Ref: ...") is si_listing.
 */
#include <ombuds/plugin.h>
#include <ombuds/text.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>


/* Is t[a, b) exactly s, ignoring case? */
static int equals_ci(const char *t, size_t a, size_t b, const char *s)
{
    return b - a == strlen(s) && omb_starts_ci(t + a, b - a, s);
}


/* Does [a, b) end with a date written "25-Apr-2024", the decision lists'
 * form?  Only a shape test for probe; parse reads dates through the host. */
static int ends_with_dmy(const char *t, size_t a, size_t b)
{
    if (b - a < 10) return 0;
    size_t i = b;
    for (int k = 0; k < 4; k++)
        if (!omb_is_digit(t[--i])) return 0;
    if (t[--i] != '-') return 0;
    for (int k = 0; k < 3; k++)
        if (!omb_is_alpha(t[--i])) return 0;
    if (t[--i] != '-' || !omb_is_digit(t[--i])) return 0;
    return 1;
}

/* Does the trimmed line [a, b) start with a decision type, as the rows of a
 * decision list do ("Statement Upheld ...")? */
static size_t row_type(const char *t, size_t a, size_t b)
{
    if (omb_starts_ci(t + a, b - a, "Statement ")) return strlen("Statement ");
    if (omb_starts_ci(t + a, b - a, "Report ")) return strlen("Report ");
    return 0;
}

/* Reads "Showing 1 - 10 of 52 cases" at [a, b); returns 1 and sets the
 * numbers. */
static int showing_counter(const char *t, size_t a, size_t b, long *from, long *to, long *total)
{
    if (!omb_starts_ci(t + a, b - a, "Showing ")) return 0;
    size_t i = a + 8;
    long v[3];
    for (int k = 0; k < 3; k++) {
        while (i < b && t[i] == ' ') i++;
        if (k == 1) {
            if (i < b && t[i] == '-') i++;
            else if (omb_starts_ci(t + i, b - i, "to ")) i += 3;
            else return 0;
        } else if (k == 2) {
            if (!omb_starts_ci(t + i, b - i, "of ")) return 0;
            i += 3;
        }
        while (i < b && t[i] == ' ') i++;
        size_t d = i;
        v[k] = 0;
        while (i < b && omb_is_digit(t[i]) && v[k] < 100000000) v[k] = v[k] * 10 + (t[i++] - '0');
        if (i == d) return 0;
    }
    *from = v[0];
    *to = v[1];
    *total = v[2];
    return 1;
}

static int detail_probe(const char *t, size_t len, const char *filename)
{
    size_t fl = filename ? strlen(filename) : 0;
    if (fl > 4 && strcasecmp(filename + fl - 4, ".csv") == 0) return 0;
    /* the list form, decision pages and council annexes are other plugins' */
    if (strstr(t, "Decision date") || omb_search_ci(t, len, "Case Ref:") || strstr(t, "Nature of complaint")) return 0;
    int score = 0, rows = 0, labels = 0, counter = 0;
    size_t pos = 0;
    struct omb_line l;
    long x, y, z;
    while (omb_next_line(t, len, &pos, &l)) {
        size_t a = l.a, b = l.b;
        omb_trim(t, &a, &b);
        if (row_type(t, a, b) && ends_with_dmy(t, a, b)) rows++;
        if (omb_starts_ci(t + a, b - a, "Category:") && omb_search_ci(t + a, b - a, " Date:")) labels++;
        if (showing_counter(t, a, b, &x, &y, &z)) counter = 1;
    }
    if (omb_search_ci(t, len, "following service improvement")) score += 35;
    if (omb_search_ci(t, len, "Showing service improvements between")) score += 25;
    if (counter) score += 25;
    if (labels) score += 25;
    if (rows) score += 45;
    return score > 100 ? 100 : score;
}

/* ---- small readers ------------------------------------------------------------- */

/* Finds "Council name (20 004 844)" in the trimmed line [a, b): sets the
 * authority [*aa, *ab) and the reference [*ra, *rb). */
static int case_header(const struct omb_host *h, const char *t, size_t a, size_t b, size_t *aa, size_t *ab,
                       size_t *ra, size_t *rb)
{
    char norm[11];
    if (b - a < 14 || t[b - 1] != ')') return 0;
    size_t open = b - 1;
    while (open > a && t[open - 1] != '(') open--;
    if (open <= a + 1 || !h->norm_ref(t + open, b - 1 - open, norm)) return 0;
    *aa = a;
    *ab = open - 1;
    omb_trim(t, aa, ab);
    *ra = open;
    *rb = b - 1;
    omb_trim(t, ra, rb);
    /* a council's name, not a sentence of a summary that ends in a reference */
    if (*ab - *aa > 100 || h->find_ci(t + *aa, *ab - *aa, ". ")) return 0;
    return *ab > *aa;
}

/* Is the line page furniture that ends the listing (logo, cookie banner)? */
static int is_furniture(const char *t, size_t a, size_t b)
{
    static const char *const words[] = {"LGO logogram", "Review your privacy settings", "Privacy settings",
                                        "Required cookies", "Was this page helpful", "Back to top", "Cookie settings",
                                        "Cookies on ", "Skip to main content", NULL};
    for (const char *const *w = words; *w; w++)
        if (omb_starts_ci(t + a, b - a, *w)) return 1;
    return 0;
}

/* Writes a number as a document note. */
static int note_number(const struct omb_host *h, omb_sink *sink, const char *key, long v, size_t at)
{
    char buf[24];
    int n = snprintf(buf, sizeof buf, "%ld", v);
    if (n < 0 || (size_t)n >= sizeof buf) return OMB_EINVAL;
    return h->doc_note(sink, key, buf, (size_t)n, at);
}

/* "Showing service improvements between 1 April 2021 and 31 March 2022":
 * records period_start and period_end as ISO dates. */
static int period_line(const struct omb_host *h, omb_sink *sink, const char *t, size_t a, size_t b)
{
    const char *bw = h->find_ci(t + a, b - a, "between");
    if (!bw) return OMB_OK;
    size_t i = (size_t)(bw - t) + 7, s, n;
    char iso[11];
    const char *keys[2] = {"period_start", "period_end"};
    for (int k = 0; k < 2 && i < b; k++) {
        if (!h->find_date(t + i, b - i, &s, &n, iso)) {
            h->warn(sink, a, "expected two dates in the period line (\"between 1 April 2021 and 31 March 2022\")");
            return OMB_OK;
        }
        int rc = h->doc_note(sink, keys[k], iso, strlen(iso), i + s);
        if (rc) return rc;
        i += s + n;
    }
    return OMB_OK;
}

/* ---- improvements -------------------------------------------------------------- */

/* Adds [a, b) as one improvement after trimming white space and the ';' or
 * ',' that glued it to the next. */
static int add_improvement(const struct omb_host *h, omb_builder *bd, const char *t, size_t a, size_t b)
{
    for (;;) {
        omb_trim(t, &a, &b);
        if (b > a && (t[b - 1] == ';' || t[b - 1] == ',')) b--;
        else break;
    }
    size_t mk = omb_list_marker(t, a, b);
    if (mk || omb_bullet_at(t, a, b)) {
        a += mk ? mk : 3;
        omb_trim(t, &a, &b);
    }
    if (b <= a) return OMB_OK;
    return h->case_add_improvement(bd, t + a, b - a, a);
}

/* Is [a, b) only an introduction to the actions after it ("The Council has
 * agreed to:")? */
static int is_lead_in(const char *t, size_t a, size_t b)
{
    omb_trim(t, &a, &b);
    return b > a && t[b - 1] == ':';
}

/* Improvements written as bullets or paragraphs (no lead-in phrase): each
 * bullet, inline or at a line start, and each paragraph is one action. */
static int plain_improvements(const struct omb_host *h, omb_builder *bd, const char *t, size_t a, size_t e)
{
    size_t cuts[256], nc = 0;
    cuts[nc++] = a;
    for (size_t i = a; i < e && nc + 1 < sizeof cuts / sizeof cuts[0]; i++) {
        if (omb_bullet_at(t, i, e) && i > a) cuts[nc++] = i;
        else if (t[i] == '\n') {
            /* a blank line ends a paragraph; a line opening with a list
             * marker ("- review ...") starts an action of its own */
            size_t j = i + 1;
            while (j < e && (t[j] == ' ' || t[j] == '\t' || t[j] == '\r')) j++;
            if (j < e && t[j] == '\n') cuts[nc++] = j;
            else if (j < e && !omb_bullet_at(t, j, e) && omb_list_marker(t, j, e)) cuts[nc++] = j;
        }
    }
    cuts[nc] = e;
    int rc;
    for (size_t k = 0; k < nc; k++) {
        if (k + 1 < nc && is_lead_in(t, cuts[k], cuts[k + 1])) continue;
        if ((rc = add_improvement(h, bd, t, cuts[k], cuts[k + 1]))) return rc;
    }
    return OMB_OK;
}

#define LEAD_PHRASE "agreed to make the following service improvement"

/* Splits the improvements section [a, e).  Each one follows a lead-in ("the
 * Council has ... agreed to make the following service improvement:"), often
 * with no space or punctuation before it ("...provisionthe Council has also
 * agreed ..."), so the cut is made where that lead-in's subject begins: the
 * last "the " in the 60 bytes before "agreed". */
static int improvements(const struct omb_host *h, omb_builder *bd, const char *t, size_t a, size_t e)
{
    size_t at = a;
    size_t prev_content = 0;
    int first = 1, rc;
    const char *p;
    while (at < e && (p = h->find_ci(t + at, e - at, LEAD_PHRASE))) {
        size_t ph = (size_t)(p - t);
        size_t win = ph - at > 60 ? ph - 60 : at, lead = ph;
        for (size_t i = win; i + 4 <= ph; i++)
            if (strncasecmp(t + i, "the ", 4) == 0) lead = i;
        if (first) {
            /* text before the first lead-in is an improvement too */
            if ((rc = plain_improvements(h, bd, t, a, lead))) return rc;
            first = 0;
        } else if ((rc = add_improvement(h, bd, t, prev_content, lead))) {
            return rc;
        }
        size_t c = ph + strlen(LEAD_PHRASE);
        if (c < e && (t[c] == 's' || t[c] == 'S')) c++;
        while (c < e && (omb_is_space(t[c]) || t[c] == ':' || t[c] == '-')) c++;
        prev_content = c;
        at = c;
    }
    if (first) return plain_improvements(h, bd, t, a, e);
    return add_improvement(h, bd, t, prev_content, e);
}

/* ---- remedies ------------------------------------------------------------------ */

/* The part of a summary that names the remedy: from the first cue saying
 * what was agreed or recommended to the end.  The sentences before it tell the
 * complaint ("failed to review her plan"), which is not a remedy, and an
 * opening such as "To put this right," would otherwise become the apology's
 * text (the extractor cuts an apology at its first comma when money follows).
 * Cues are tried in order; without any the whole summary is handed over. */
static size_t remedy_start(const struct omb_host *h, const char *t, size_t a, size_t b)
{
    static const char *const cues[] = {"agreed to", "recommend", "will apologise", "should apologise", "to remedy",
                                       NULL};
    for (const char *const *c = cues; *c; c++) {
        const char *p = h->find_ci(t + a, b - a, *c);
        if (p) return (size_t)(p - t);
    }
    return a;
}

/* ---- decision-list rows ---------------------------------------------------------- */

/* Outcomes as the decision lists write them, for cutting a row whose
 * sub-category the core's table does not know ("Statement Upheld Other").
 * Longest first where one is the start of another. */
static const char *const outcomes[] = {"Not upheld", "Upheld", "Closed after initial enquiries", "Premature",
                                       "Referred back for local resolution", "Withdrawn", "Advice given",
                                       "Incomplete/Invalid", "Out of jurisdiction", NULL};

/* Reads "Statement Upheld Disabled children 25-Apr-2024" ([a, b), trimmed):
 * outcome, sub-category (category through the core's table) and date. */
static int decision_row(const struct omb_host *h, omb_sink *sink, omb_builder *bd, const char *t, size_t a,
                        size_t b)
{
    char iso[11];
    int rc;
    /* the date is the last word ("25-Apr-2024") or the last three ("25 Apr 2024") */
    size_t da = b;
    while (da > a && t[da - 1] != ' ') da--;
    if (!h->norm_date(t + da, b - da, iso)) {
        int words = 0;
        da = b;
        while (da > a && words < 3)
            if (t[--da] == ' ') words++;
        if (da > a) da++;
        if (words < 3 || !h->norm_date(t + da, b - da, iso))
            return h->error(sink, a, "expected a decision date such as \"25-Apr-2024\" at the end of \"%.*s\"",
                            (int)(b - a > 80 ? 80 : b - a), t + a);
    }
    if ((rc = h->case_set(bd, OMB_FIELD_DECISION_DATE, t + da, b - da, da))) return rc;
    size_t ba = a + row_type(t, a, b), bb = da;
    omb_trim(t, &ba, &bb);
    /* the longest tail that is a known sub-category; the rest is the outcome */
    size_t cut = bb;
    const char *cat = NULL;
    for (size_t i = ba + 1; i < bb && !cat; i++)
        if (t[i - 1] == ' ' && t[i] != ' ' && (cat = h->category_of(t + i, bb - i))) cut = i;
    if (!cat) {
        for (const char *const *o = outcomes; *o; o++)
            if (omb_starts_ci(t + ba, bb - ba, *o) && (ba + strlen(*o) == bb || t[ba + strlen(*o)] == ' ')) {
                cut = ba + strlen(*o);
                break;
            }
        if (cut == bb) {
            /* neither is known: the first word is the outcome */
            cut = ba;
            while (cut < bb && t[cut] != ' ') cut++;
        }
    }
    size_t oa = ba, ob = cut, sa = cut, sb = bb;
    omb_trim(t, &oa, &ob);
    omb_trim(t, &sa, &sb);
    if (ob > oa && (rc = h->case_set(bd, OMB_FIELD_OUTCOME, t + oa, ob - oa, oa))) return rc;
    if (sb > sa) {
        if ((rc = h->case_set(bd, OMB_FIELD_SUBCATEGORY, t + sa, sb - sa, sa))) return rc;
        /* with no single category, the core leaves it unknown and says so */
        if (cat) return h->case_set(bd, OMB_FIELD_CATEGORY, cat, strlen(cat), sa);
    }
    return OMB_OK;
}

/* "Category: Education Date: 07-Oct-2021" (a "Sub Category:" may stand
 * between them). */
static int category_line(const struct omb_host *h, omb_builder *bd, const char *t, size_t a, size_t b)
{
    size_t ca = a + strlen("Category:"), cb = b;
    const char *date = h->find_ci(t + ca, b - ca, "Date:");
    const char *sub = h->find_ci(t + ca, b - ca, "Sub Category:");
    if (date) cb = (size_t)(date - t);
    if (sub && (size_t)(sub - t) < cb) cb = (size_t)(sub - t);
    int rc;
    size_t va = ca, vb = cb;
    omb_trim(t, &va, &vb);
    if (vb > va && (rc = h->case_set(bd, OMB_FIELD_CATEGORY, t + va, vb - va, va))) return rc;
    if (sub) {
        size_t sa = (size_t)(sub - t) + strlen("Sub Category:"), sb = date && date > sub ? (size_t)(date - t) : b;
        omb_trim(t, &sa, &sb);
        if (sb > sa && (rc = h->case_set(bd, OMB_FIELD_SUBCATEGORY, t + sa, sb - sa, sa))) return rc;
        if (vb <= va && sb > sa) {
            const char *cat = h->category_of(t + sa, sb - sa);
            if (cat && (rc = h->case_set(bd, OMB_FIELD_CATEGORY, cat, strlen(cat), sa))) return rc;
        }
    }
    if (date) {
        size_t da = (size_t)(date - t) + strlen("Date:"), db = b;
        if (sub && (size_t)(sub - t) > da) db = (size_t)(sub - t);
        omb_trim(t, &da, &db);
        if (db > da && (rc = h->case_set(bd, OMB_FIELD_DECISION_DATE, t + da, db - da, da))) return rc;
    }
    return OMB_OK;
}

/* ---- parse --------------------------------------------------------------------- */

enum part { P_HEAD, P_SUMMARY, P_SUMMARY_INLINE, P_IMPROVE };

/* The case being read and where its parts are. */
struct open_case {
    omb_builder *bd;          /* NULL when no case is open */
    enum part part;           /* which part the lines belong to */
    size_t sum_a, sum_b;      /* the summary, [sum_a, sum_b); sum_a == 0 when none */
    size_t imp_a, imp_b;      /* the improvements section; imp_a == 0 when none */
};

/* Finishes the open case: summary, remedies, improvements, then case_end. */
static int finish(const struct omb_host *h, struct open_case *oc, const char *t)
{
    if (!oc->bd) return OMB_OK;
    omb_builder *bd = oc->bd;
    oc->bd = NULL;
    int rc;
    if (oc->sum_a) {
        size_t a = oc->sum_a, b = oc->sum_b;
        omb_trim(t, &a, &b);
        if (b > a) {
            if ((rc = h->case_set(bd, OMB_FIELD_SUMMARY, t + a, b - a, a))) goto fail;
            size_t r = remedy_start(h, t, a, b);
            if ((rc = h->case_extract_remedies(bd, t + r, b - r, r))) goto fail;
        }
    }
    if (oc->imp_a && oc->imp_b > oc->imp_a && (rc = improvements(h, bd, t, oc->imp_a, oc->imp_b))) goto fail;
    return h->case_end(bd);
fail:
    h->case_discard(bd);
    return rc;
}

static int detail_parse(const struct omb_host *h, omb_sink *sink, const struct omb_doc *doc)
{
    const char *t = doc->text;
    size_t len = doc->len, pos = 0, counter_at = 0;
    int rc = OMB_OK, have_counter = 0;
    long cases = 0, from = 0, to = 0, total = 0;
    struct open_case oc = {0};
    struct omb_line l;
    while (omb_next_line(t, len, &pos, &l)) {
        size_t a = l.a, b = l.b;
        omb_trim(t, &a, &b);
        size_t ca = a;
        if (omb_bullet_at(t, a, b)) {
            ca = a + 3;
            while (ca < b && (t[ca] == ' ' || t[ca] == '\t')) ca++;
        }
        size_t aa, ab, ra, rb;
        long x, y, z;
        if (is_furniture(t, ca, b)) {
            if ((rc = finish(h, &oc, t))) return rc;
            if (cases) break; /* the listing is over: the rest is the site's */
            continue;
        }
        if (showing_counter(t, ca, b, &x, &y, &z)) {
            if ((rc = finish(h, &oc, t))) return rc;
            if (!have_counter) {
                have_counter = 1;
                from = x, to = y, total = z, counter_at = ca;
            }
            continue;
        }
        if (case_header(h, t, ca, b, &aa, &ab, &ra, &rb)) {
            if ((rc = finish(h, &oc, t))) return rc;
            memset(&oc, 0, sizeof oc);
            if (!(oc.bd = h->case_begin(sink, ca))) return OMB_ENOMEM;
            cases++;
            if ((rc = h->case_set(oc.bd, OMB_FIELD_REF, t + ra, rb - ra, ra)) ||
                (rc = h->case_set(oc.bd, OMB_FIELD_AUTHORITY, t + aa, ab - aa, aa)))
                goto fail;
            oc.part = P_HEAD;
            continue;
        }
        if (!oc.bd) {
            /* the page's heading: title, council, period, explanations */
            if (omb_starts_ci(t + a, b - a, "Showing service improvements") && (rc = period_line(h, sink, t, a, b)))
                return rc;
            continue;
        }
        if (equals_ci(t, ca, b, "Summary")) {
            oc.part = P_SUMMARY;
        } else if (equals_ci(t, ca, b, "Service improvements") || equals_ci(t, ca, b, "Service improvement")) {
            oc.part = P_IMPROVE;
            oc.imp_a = pos;
            oc.imp_b = pos;
        } else if (omb_starts_ci(t + ca, b - ca, "Summary:")) {
            oc.part = P_SUMMARY_INLINE;
            oc.sum_a = ca + strlen("Summary:");
            oc.sum_b = b;
        } else if (oc.part == P_HEAD) {
            if (omb_starts_ci(t + ca, b - ca, "Category:")) {
                if ((rc = category_line(h, oc.bd, t, ca, b))) goto fail;
            } else if (omb_starts_ci(t + ca, b - ca, "Date:")) {
                size_t da = ca + 5, db = b;
                omb_trim(t, &da, &db);
                if (db > da && (rc = h->case_set(oc.bd, OMB_FIELD_DECISION_DATE, t + da, db - da, da))) goto fail;
            } else if (row_type(t, ca, b)) {
                if ((rc = decision_row(h, sink, oc.bd, t, ca, b))) goto fail;
            }
        } else if (oc.part == P_SUMMARY) {
            if (a < b) {
                if (!oc.sum_a) oc.sum_a = a;
                oc.sum_b = b;
            }
        } else if (oc.part == P_SUMMARY_INLINE) {
            if (a == b) oc.part = P_HEAD;
            else oc.sum_b = b;
        } else if (oc.part == P_IMPROVE) {
            if (a < b) oc.imp_b = l.b;
        }
    }
    if ((rc = finish(h, &oc, t))) return rc;
    if (!cases && !have_counter)
        return h->error(sink, 0, "expected case headings such as \"Cumbria County Council (20 004 844)\" on a "
                                 "service-improvement or decision list page");
    if (have_counter) {
        long shown = to >= from && from > 0 ? to - from + 1 : 0;
        if ((rc = note_number(h, sink, "listing_shown", shown, counter_at)) ||
            (rc = note_number(h, sink, "listing_total", total, counter_at)))
            return rc;
        const char *partial = shown < total ? "yes" : "no";
        if ((rc = h->doc_note(sink, "listing_partial", partial, strlen(partial), counter_at))) return rc;
        if (shown != cases)
            h->warn(sink, counter_at, "the page says it shows %ld cases but %ld were found on it", shown, cases);
    }
    return OMB_OK;
fail:
    h->case_discard(oc.bd);
    return rc;
}

static const struct omb_source_ops ops = {
    .probe = detail_probe,
    .parse = detail_parse,
    .rank = 75,
};

OMB_PLUGIN_EXPORT const struct omb_plugin ombuds_plugin = {
    .abi_version = OMB_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(struct omb_plugin),
    .kind = OMB_PLUGIN_SOURCE,
    .name = "si_detail",
    .version = "1.0",
    .description = "Ombudsman service-improvement pages (detail form) and decision-list rows",
    .ops = &ops,
};
