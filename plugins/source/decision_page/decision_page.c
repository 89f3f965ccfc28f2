/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * decision_page.c -- source plugin for the ombudsman's published decision
 * pages: "Authority (22 001 239)", "Category : A > B", "Decision : Upheld",
 * "Decision date : 20 Jan 2023", "Summary: ...", then sections (The complaint,
 * ..., Agreed action, Final decision) each closed by "Back to top", with
 * website furniture around them.  Also reads full reports whose heading says
 * "complaint against X (reference number: ...)" and pages whose category is
 * only in the file name.
 *
 * This is the reference plugin: it talks to the core only through the host
 * table, hands remedy prose to the core's extractor, and decides for each
 * agreed action whether it is a remedy for the complainant or a service
 * improvement.  Money, dates and references are normalised by the core.
 */
#include <ombuds/plugin.h>
#include <stdio.h>
#include <string.h>

/* A line of the document: [a, b) without its newline. */
struct line {
    size_t a, b;
};

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* Trims [*a, *b) of white space. */
static void trim(const char *t, size_t *a, size_t *b)
{
    while (*a < *b && is_space(t[*a])) (*a)++;
    while (*b > *a && is_space(t[*b - 1])) (*b)--;
}

static int next_line(const char *t, size_t len, size_t *pos, struct line *l)
{
    if (*pos >= len) return 0;
    const char *nl = memchr(t + *pos, '\n', len - *pos);
    l->a = *pos;
    l->b = nl ? (size_t)(nl - t) : len;
    *pos = nl ? l->b + 1 : len;
    return 1;
}

/* Does the trimmed line equal s (case-insensitive)? */
static int line_is(const struct omb_host *h, const char *t, struct line l, const char *s)
{
    trim(t, &l.a, &l.b);
    size_t n = strlen(s);
    return l.b - l.a == n && h->find_ci(t + l.a, n, s) == t + l.a;
}

/* Does the trimmed line start with s (case-insensitive)? */
static int line_starts(const struct omb_host *h, const char *t, struct line l, const char *s)
{
    trim(t, &l.a, &l.b);
    size_t n = strlen(s);
    return l.b - l.a >= n && h->find_ci(t + l.a, n, s) == t + l.a;
}

/* Section headings of a decision page or report.  "Back to top" ends each. */
static const char *const headings[] = {"The complaint", "What I have investigated", "What we have investigated",
                                       "The Ombudsman's role and powers", "The Ombudsman\xE2\x80\x99s role and powers",
                                       "How I considered this complaint", "How we considered this complaint",
                                       "What I found", "What we found", "Conclusions", "Analysis", "Findings",
                                       "Agreed action", "Agreed actions", "Recommended action", "Recommendations",
                                       "Final decision", "Decision", "Background", "Legal and administrative background",
                                       "Complaint background", "My decision", "Our decision",
                                       "Investigator's decision on behalf of the Ombudsman",
                                       "Parts of the complaint that I did not investigate", NULL};

static int is_heading(const struct omb_host *h, const char *t, struct line l)
{
    for (const char *const *s = headings; *s; s++)
        if (line_is(h, t, l, *s)) return 1;
    return 0;
}

static int is_agreed_heading(const struct omb_host *h, const char *t, struct line l)
{
    return line_is(h, t, l, "Agreed action") || line_is(h, t, l, "Agreed actions") ||
           line_is(h, t, l, "Recommended action") || line_is(h, t, l, "Recommendations");
}

/* Reads "Label : value" (the colon may have spaces either side); on success
 * sets [*va, *vb) to the value. */
static int label_value(const struct omb_host *h, const char *t, struct line l, const char *label, size_t *va,
                       size_t *vb)
{
    size_t a = l.a, b = l.b;
    trim(t, &a, &b);
    size_t n = strlen(label);
    if (b - a <= n || h->find_ci(t + a, n, label) != t + a) return 0;
    size_t i = a + n;
    while (i < b && (t[i] == ' ' || t[i] == '\t')) i++;
    if (i >= b || t[i] != ':') return 0;
    i++;
    *va = i;
    *vb = b;
    trim(t, va, vb);
    return *vb > *va;
}

/* Finds "Authority name (22 001 239)" among the first lines.  Returns the
 * line, with [auth) and [ref) set. */
static int find_header(const struct omb_host *h, const char *t, size_t len, size_t *aa, size_t *ab, size_t *ra,
                       size_t *rb)
{
    size_t pos = 0;
    struct line l;
    int n = 0;
    char norm[11];
    while (n++ < 80 && next_line(t, len, &pos, &l)) {
        size_t a = l.a, b = l.b;
        trim(t, &a, &b);
        if (b - a < 14 || t[b - 1] != ')') continue;
        size_t open = b;
        while (open > a && t[open - 1] != '(') open--;
        if (open <= a + 1) continue;
        if (!h->norm_ref(t + open, b - 1 - open, norm)) continue;
        *aa = a;
        *ab = open - 1;
        trim(t, aa, ab);
        *ra = open;
        *rb = b - 1;
        return *ab > *aa;
    }
    return 0;
}

/* Full reports: "complaint against Kent County Council (reference number: 21
 * 013 337)". */
static int find_report_header(const struct omb_host *h, const char *t, size_t len, size_t *aa, size_t *ab, size_t *ra,
                              size_t *rb)
{
    size_t scan = len < 6000 ? len : 6000;
    const char *p = h->find_ci(t, scan, "reference number");
    if (!p) return 0;
    size_t rs, rl;
    char norm[11];
    size_t off = (size_t)(p - t);
    if (!h->find_ref(p, scan - off, &rs, &rl, norm) || rs > 40) return 0;
    *ra = off + rs;
    *rb = off + rs + rl;
    const char *against = NULL;
    for (const char *q = t; (q = h->find_ci(q, (size_t)(p - q), "against ")); q++) against = q;
    if (!against) return 0;
    *aa = (size_t)(against - t) + 8;
    *ab = off;
    while (*ab > *aa && (t[*ab - 1] == '(' || is_space(t[*ab - 1]))) (*ab)--;
    return *ab > *aa && *ab - *aa < 120;
}

static int decision_probe(const char *t, size_t len, const char *filename)
{
    (void)filename;
    size_t scan = len < 8000 ? len : 8000;
    int score = 0;
    const char *p;
    /* the field lines are the page's signature */
    if ((p = strstr(t, "Decision date")) && (size_t)(p - t) < scan) score += 35;
    if ((p = strstr(t, "Category :")) && (size_t)(p - t) < scan) score += 25;
    else if ((p = strstr(t, "Category:")) && (size_t)(p - t) < scan && !strstr(t, "Sub Category:")) score += 10;
    if ((p = strstr(t, "Decision :")) && (size_t)(p - t) < scan) score += 15;
    if (strstr(t, "final decision") || strstr(t, "Final decision")) score += 10;
    if (strstr(t, "Back to top")) score += 10;
    if (strstr(t, "Agreed action")) score += 5;
    if (strstr(t, "reference number") && strstr(t, "Ombudsman")) score += 40;
    /* the service-improvement listings and annexes say so: leave them */
    if (strstr(t, "Case Ref:") || strstr(t, "Service Improvement Recommendations") || strstr(t, "Showing "))
        score -= 40;
    return score < 0 ? 0 : score > 100 ? 100 : score;
}

/* ---- agreed actions ---------------------------------------------------------- */

static const char *const improvement_words[] = {
    "remind", "training", "train ", "trained", "procedure", "policy", "policies", "guidance", "process",
    "action plan", "practice", "systems", "review its", "review how", "review the way", "scrutiny", "members",
    "report the findings", "report to", "lessons", "learning", "staff", "officers", "protocol", "leaflet",
    "website", "template", "monitor", NULL};
/* Words that make an action a remedy for the complainant.  Bare "payment"
 * is not one of them: "direct payment recipients" is about a service. */
static const char *const remedy_words[] = {"apolog", "\xC2\xA3", " pay ", "pay the", "pay her", "pay him",
                                           "pay them", "pay mr", "pay mrs", "pay ms", "pay miss", "make a payment",
                                           "symbolic payment", "a payment to", "waive", "refund", "reimburse",
                                           "write off", NULL};

static int has_any(const struct omb_host *h, const char *p, size_t n, const char *const *w)
{
    for (; *w; w++)
        if (h->find_ci(p, n, *w)) return 1;
    return 0;
}

/* The generic closing line about proof of compliance is not an action. */
static int is_compliance_line(const struct omb_host *h, const char *p, size_t n)
{
    return (h->find_ci(p, n, "evidence") && h->find_ci(p, n, "complied")) ||
           h->find_ci(p, n, "evidence of compliance");
}

/* Handles one agreed action (a numbered item or a sub-bullet). */
static int action_item(const struct omb_host *h, omb_builder *b, const char *t, size_t a, size_t e)
{
    trim(t, &a, &e);
    if (e <= a || is_compliance_line(h, t + a, e - a)) return OMB_OK;
    int remedy = has_any(h, t + a, e - a, remedy_words);
    int improve = has_any(h, t + a, e - a, improvement_words);
    if (remedy) return h->case_extract_remedies(b, t + a, e - a, a);
    if (improve) return h->case_add_improvement(b, t + a, e - a, a);
    /* neither: a remedy for the complainant the extractor may recognise
     * ("carry out a new assessment"), else an "other" remedy */
    return h->case_extract_remedies(b, t + a, e - a, a);
}

/* Is the line the start of an item: "1.", "2)", "a)", "•", "-"?  Returns the
 * offset after the marker, or 0. */
static size_t item_marker(const char *t, struct line l)
{
    size_t i = l.a;
    while (i < l.b && (t[i] == ' ' || t[i] == '\t')) i++;
    size_t d = i;
    while (d < l.b && t[d] >= '0' && t[d] <= '9') d++;
    if (d > i && d - i <= 3 && d < l.b && (t[d] == '.' || t[d] == ')') && d + 1 < l.b && t[d + 1] == ' ')
        return d + 2;
    if (i + 2 < l.b && (unsigned char)t[i] == 0xE2 && (unsigned char)t[i + 1] == 0x80 &&
        (unsigned char)t[i + 2] == 0xA2)
        return i + 3;
    if (i + 1 < l.b && (t[i] == '-' || t[i] == '*') && t[i + 1] == ' ') return i + 2;
    if (i + 2 < l.b && t[i] >= 'a' && t[i] <= 'h' && t[i + 1] == ')' && t[i + 2] == ' ') return i + 3;
    return 0;
}

/* Is an item only an introduction to the sub-items below it ("Within one
 * month the Council will:")? */
static int is_lead_in(const char *t, size_t a, size_t e)
{
    while (e > a && is_space(t[e - 1])) e--;
    return e > a && t[e - 1] == ':';
}

/* Walks the Agreed action section [a, e) item by item.  Returns the status
 * and sets *found to the number of items read. */
static int agreed_actions(const struct omb_host *h, omb_builder *b, const char *t, size_t a, size_t e, int *found)
{
    size_t pos = a, item_a = 0;
    int open = 0, rc;
    struct line l;
    *found = 0;
    while (pos < e && next_line(t, e, &pos, &l)) {
        size_t m = item_marker(t, l);
        size_t la = l.a, lb = l.b;
        trim(t, &la, &lb);
        if (m || la == lb) {
            if (open && (rc = is_lead_in(t, item_a, l.a) ? OMB_OK : action_item(h, b, t, item_a, l.a))) return rc;
            open = 0;
            if (m) {
                item_a = m;
                open = 1;
                (*found)++;
            }
        } else if (!open) {
            /* unnumbered prose in the section is an item of its own */
            item_a = la;
            open = 1;
            (*found)++;
        }
    }
    if (open && !is_lead_in(t, item_a, e) && (rc = action_item(h, b, t, item_a, e))) return rc;
    return OMB_OK;
}

/* ---- the file name: "education_special-educational-needs_22-004-577.txt" --- */

static int category_from_name(const struct omb_host *h, omb_builder *b, const char *name)
{
    char buf[256], words[256];
    snprintf(buf, sizeof buf, "%s", name);
    char *dot = strrchr(buf, '.');
    if (dot) *dot = '\0';
    /* try each '_' or '/' separated piece as a sub-category slug */
    char *save = NULL;
    for (char *piece = strtok_r(buf, "_/", &save); piece; piece = strtok_r(NULL, "_/", &save)) {
        size_t k = 0;
        for (; piece[k] && k + 1 < sizeof words; k++) words[k] = piece[k] == '-' ? ' ' : piece[k];
        words[k] = '\0';
        const char *cat = h->category_of(words, k);
        if (cat) {
            int rc = h->case_set(b, OMB_FIELD_CATEGORY, cat, strlen(cat), 0);
            if (!rc) rc = h->case_set(b, OMB_FIELD_SUBCATEGORY, words, k, 0);
            return rc ? rc : 1;
        }
    }
    return 0;
}

/* ---- parse ----------------------------------------------------------------------- */

static int decision_parse(const struct omb_host *h, omb_sink *sink, const struct omb_doc *doc)
{
    const char *t = doc->text;
    size_t len = doc->len, aa, ab, ra, rb;
    int rc;
    if (!find_header(h, t, len, &aa, &ab, &ra, &rb) && !find_report_header(h, t, len, &aa, &ab, &ra, &rb))
        return h->error(sink, 0,
                        "expected a heading line such as \"Hampshire County Council (22 001 239)\" near the top of "
                        "a decision page");
    omb_builder *b = h->case_begin(sink, aa);
    if (!b) return OMB_ENOMEM;
    if ((rc = h->case_set(b, OMB_FIELD_REF, t + ra, rb - ra, ra))) goto fail;
    if ((rc = h->case_set(b, OMB_FIELD_AUTHORITY, t + aa, ab - aa, aa))) goto fail;

    size_t pos = 0, va, vb, agreed_a = 0, agreed_b = 0, summary_a = 0, summary_b = 0;
    int have_category = 0, in_agreed = 0, in_summary = 0;
    struct line l;
    while (next_line(t, len, &pos, &l)) {
        if (in_summary) {
            size_t la = l.a, lb = l.b;
            trim(t, &la, &lb);
            if (la == lb || is_heading(h, t, l) || line_is(h, t, l, "Back to top")) in_summary = 0;
            else summary_b = l.b;
        }
        if (in_agreed) {
            if (line_is(h, t, l, "Back to top") || (is_heading(h, t, l) && !is_agreed_heading(h, t, l))) {
                in_agreed = 0;
                agreed_b = l.a;
            }
            continue;
        }
        if (label_value(h, t, l, "Category", &va, &vb) && !have_category) {
            /* "Adult care services > Direct payments" */
            const char *gt = memchr(t + va, '>', vb - va);
            size_t ce = gt ? (size_t)(gt - t) : vb;
            if ((rc = h->case_set(b, OMB_FIELD_CATEGORY, t + va, ce - va, va))) goto fail;
            if (gt && (rc = h->case_set(b, OMB_FIELD_SUBCATEGORY, gt + 1, vb - ce - 1, ce + 1))) goto fail;
            have_category = 1;
        } else if (label_value(h, t, l, "Decision date", &va, &vb) || label_value(h, t, l, "Date", &va, &vb)) {
            if ((rc = h->case_set(b, OMB_FIELD_DECISION_DATE, t + va, vb - va, va))) goto fail;
        } else if (label_value(h, t, l, "Decision", &va, &vb)) {
            if ((rc = h->case_set(b, OMB_FIELD_OUTCOME, t + va, vb - va, va))) goto fail;
        } else if (line_starts(h, t, l, "Summary:") && !summary_a) {
            size_t a = l.a;
            while (t[a] != ':') a++;
            summary_a = a + 1;
            summary_b = l.b;
            in_summary = 1;
        } else if (is_agreed_heading(h, t, l) && !agreed_a) {
            agreed_a = pos;
            agreed_b = len;
            in_agreed = 1;
        }
    }
    if (!have_category) {
        int got = category_from_name(h, b, doc->name);
        if (got < 0) {
            rc = got;
            goto fail;
        }
        if (!got)
            h->warn(sink, 0, "no \"Category :\" line and none in the file name \"%s\"; category left unknown",
                    doc->name);
    }
    if (summary_a) {
        trim(t, &summary_a, &summary_b);
        if ((rc = h->case_set(b, OMB_FIELD_SUMMARY, t + summary_a, summary_b - summary_a, summary_a))) goto fail;
    }
    int items = 0;
    if (agreed_a && (rc = agreed_actions(h, b, t, agreed_a, agreed_b, &items))) goto fail;
    /* No agreed action: the summary may still name the remedy ("The Council
     * has agreed to apologise and pay Mrs X £250"). */
    if (!items && summary_a && (rc = h->case_extract_remedies(b, t + summary_a, summary_b - summary_a, summary_a)))
        goto fail;
    return h->case_end(b);
fail:
    h->case_discard(b);
    return rc;
}

static const struct omb_source_ops ops = {
    .probe = decision_probe,
    .parse = decision_parse,
    .rank = 90,
};

OMB_PLUGIN_EXPORT const struct omb_plugin ombuds_plugin = {
    .abi_version = OMB_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(struct omb_plugin),
    .kind = OMB_PLUGIN_SOURCE,
    .name = "decision_page",
    .version = "1.0",
    .description = "Ombudsman decision pages: header, category, outcome, date, summary, agreed actions",
    .ops = &ops,
};
