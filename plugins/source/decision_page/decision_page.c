/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * decision_page.c -- source plugin for the ombudsman's published decision
 * pages: "Authority (22 001 239)", "Category : A > B", "Decision : Upheld",
 * "Decision date : 20 Jan 2023", "Summary: ...", then sections (The complaint,
 * ..., Agreed action, Final decision) each closed by "Back to top", with
 * website furniture around them.  Also reads full reports ("complaint
 * reference number 21 013 337 against Kent County Council", a date line, a
 * "Report summary" with its category line and "Finding", numbered
 * Recommendations) and pages whose category is only in the file name.
 * Real pages also come without the labelled lines (outcome then from the
 * summary or the final decision, category from an address-shaped file name,
 * nothing invented otherwise), as a report summary titled by its reference
 * alone, with a cookie panel before the heading, or republished on other
 * sites with no heading at all (reference and authority from the address
 * slug kept as the file name, "lgo-22-007-704-leicester-city-council").
 * Every field left unknown gets a warning.
 *
 * This is the reference plugin: it talks to the core only through the host
 * table, hands remedy prose to the core's extractor (core/remedy.c), and
 * decides for each agreed action whether it is a remedy for the complainant
 * or a service improvement, and whether it only restates a total.  Money,
 * dates and references are normalised by the core.
 */
#include <ombuds/plugin.h>
#include <ombuds/text.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>


/* Do the m bytes at p equal s, ignoring ASCII case (as the host's find_ci
 * compares)?  Every line of a page is compared with a dozen labels and
 * thirty headings, and a call into the host for each was a tenth of what
 * parsing a page cost; most comparisons end at the first byte here. */
static int prefix_ci(const char *p, const char *s, size_t m)
{
    for (size_t i = 0; i < m; i++) {
        char a = p[i], b = s[i];
        if (a >= 'A' && a <= 'Z') a = (char)(a + 32);
        if (b >= 'A' && b <= 'Z') b = (char)(b + 32);
        if (a != b) return 0;
    }
    return 1;
}

/* Does the trimmed line equal s (case-insensitive)? */
static int line_is(const struct omb_host *h, const char *t, struct omb_line l, const char *s)
{
    (void)h;
    omb_trim(t, &l.a, &l.b);
    size_t n = strlen(s);
    return l.b - l.a == n && prefix_ci(t + l.a, s, n);
}

/* Does the trimmed line start with s (case-insensitive)? */
static int line_starts(const struct omb_host *h, const char *t, struct omb_line l, const char *s)
{
    (void)h;
    omb_trim(t, &l.a, &l.b);
    size_t n = strlen(s);
    return l.b - l.a >= n && prefix_ci(t + l.a, s, n);
}

/* Section headings of a decision page or report.  "Back to top" ends each.
 * Every line of a page is compared with all of them, so each carries its
 * length and a line of another length is passed over without comparing. */
#define HEADING(s) {s, sizeof s - 1}
static const struct heading {
    const char *s;
    size_t n;
} headings[] = {HEADING("The complaint"), HEADING("What I have investigated"), HEADING("What we have investigated"),
                HEADING("The Ombudsman's role and powers"), HEADING("The Ombudsman\xE2\x80\x99s role and powers"),
                HEADING("How I considered this complaint"), HEADING("How we considered this complaint"),
                HEADING("What I found"), HEADING("What we found"), HEADING("Conclusions"), HEADING("Analysis"),
                HEADING("Findings"), HEADING("Agreed action"), HEADING("Agreed actions"), HEADING("Recommended action"),
                HEADING("Recommendations"), HEADING("Final decision"), HEADING("Decision"), HEADING("Background"),
                HEADING("Legal and administrative background"), HEADING("Complaint background"),
                HEADING("My decision"), HEADING("Our decision"),
                HEADING("Investigator's decision on behalf of the Ombudsman"),
                HEADING("Parts of the complaint that I did not investigate"), HEADING("Report summary"),
                HEADING("Finding"), HEADING("Introduction"), HEADING("What happened"), HEADING("My assessment"),
                HEADING("Our assessment"), HEADING("Assessment"), {NULL, 0}};

static int is_heading(const struct omb_host *h, const char *t, struct omb_line l)
{
    (void)h;
    omb_trim(t, &l.a, &l.b);
    size_t n = l.b - l.a;
    for (const struct heading *s = headings; s->s; s++)
        if (s->n == n && prefix_ci(t + l.a, s->s, n)) return 1;
    return 0;
}

static int is_agreed_heading(const struct omb_host *h, const char *t, struct omb_line l)
{
    return line_is(h, t, l, "Agreed action") || line_is(h, t, l, "Agreed actions") ||
           line_is(h, t, l, "Recommended action") || line_is(h, t, l, "Recommendations");
}

/* Reads "Label : value" (the colon may have spaces either side); on success
 * sets [*va, *vb) to the value. */
static int label_value(const struct omb_host *h, const char *t, struct omb_line l, const char *label, size_t *va,
                       size_t *vb)
{
    size_t a = l.a, b = l.b;
    omb_trim(t, &a, &b);
    size_t n = strlen(label);
    (void)h;
    if (b - a <= n || !prefix_ci(t + a, label, n)) return 0;
    size_t i = a + n;
    while (i < b && (t[i] == ' ' || t[i] == '\t')) i++;
    if (i >= b || t[i] != ':') return 0;
    i++;
    *va = i;
    *vb = b;
    omb_trim(t, va, vb);
    return *vb > *va;
}

/* Finds "Authority name (22 001 239)" among the first lines.  Returns the
 * line, with [auth) and [ref) set. */
static int find_header(const struct omb_host *h, const char *t, size_t len, size_t *aa, size_t *ab, size_t *ra,
                       size_t *rb)
{
    size_t pos = 0;
    struct omb_line l;
    int n = 0;
    char norm[11];
    while (n++ < 80 && omb_next_line(t, len, &pos, &l)) {
        size_t a = l.a, b = l.b;
        omb_trim(t, &a, &b);
        if (b - a < 14 || t[b - 1] != ')') continue;
        size_t open = b;
        while (open > a && t[open - 1] != '(') open--;
        if (open <= a + 1) continue;
        if (!h->norm_ref(t + open, b - 1 - open, norm)) continue;
        *aa = a;
        *ab = open - 1;
        omb_trim(t, aa, ab);
        *ra = open;
        *rb = b - 1;
        return *ab > *aa;
    }
    return 0;
}

/* Ends [*a, *b) before a '(' or "reference number" and trims white space and
 * a trailing full stop or comma. */
static void authority_end(const struct omb_host *h, const char *t, size_t *a, size_t *b)
{
    const char *cut = h->find_ci(t + *a, *b - *a, "reference number");
    if (cut) *b = (size_t)(cut - t);
    const char *open = memchr(t + *a, '(', *b - *a);
    if (open) *b = (size_t)(open - t);
    omb_trim(t, a, b);
    while (*b > *a && (t[*b - 1] == '.' || t[*b - 1] == ',' || t[*b - 1] == ':')) (*b)--;
    omb_trim(t, a, b);
}

/* The last "against" followed by white space in t[a, b), or NULL. */
static const char *last_against(const struct omb_host *h, const char *t, size_t a, size_t b)
{
    const char *found = NULL;
    for (const char *q = t + a; (q = h->find_ci(q, (size_t)(t + b - q), "against")); q += 7)
        if (q + 7 < t + b && omb_is_space(q[7])) found = q;
    return found;
}

/* Full reports name the council and the reference in one of two orders, on
 * one line or over up to three:
 *   "Investigation into a complaint against Kent County Council
 *    (reference number: 21 013 337)"
 *   "Report on an investigation into complaint reference number 21 013 337
 *    against Kent County Council"
 * Only the first 60 lines are looked at: the heading is at the top. */
static int find_report_header(const struct omb_host *h, const char *t, size_t len, size_t *aa, size_t *ab, size_t *ra,
                              size_t *rb)
{
    size_t pos = 0;
    struct omb_line l, prev[2] = {{0, 0}, {0, 0}};
    char norm[11];
    for (int n = 0; n < 60 && omb_next_line(t, len, &pos, &l); n++) {
        const char *p = h->find_ci(t + l.a, l.b - l.a, "reference number");
        size_t rs, rl;
        if (p && h->find_ref(p, l.b - (size_t)(p - t), &rs, &rl, norm) && rs <= 40) {
            *ra = (size_t)(p - t) + rs;
            *rb = *ra + rl;
            /* "... 21 013 337 against Kent County Council" */
            const char *ag = last_against(h, t, *rb, l.b);
            if (ag) {
                *ab = l.b;
            } else {
                /* "... against [line break] Kent County Council [line break]
                 * (reference number: ...)": look back over two lines */
                size_t from = prev[1].b > prev[1].a ? prev[1].a : prev[0].b > prev[0].a ? prev[0].a : l.a;
                if (!(ag = last_against(h, t, from, (size_t)(p - t)))) return 0;
                *ab = (size_t)(p - t);
            }
            *aa = (size_t)(ag - t) + 7;
            authority_end(h, t, aa, ab);
            return *ab > *aa && *ab - *aa < 120;
        }
        size_t a = l.a, b = l.b;
        omb_trim(t, &a, &b);
        if (b > a) {
            prev[1] = prev[0];
            prev[0] = l;
        }
    }
    return 0;
}

/* A report summary's title is the reference alone ("16 005 212") and names
 * no authority.  Looks at the first 20 lines. */
static int find_bare_ref(const struct omb_host *h, const char *t, size_t len, size_t *ra, size_t *rb)
{
    size_t pos = 0;
    struct omb_line l;
    char norm[11];
    for (int n = 0; n < 20 && omb_next_line(t, len, &pos, &l); n++) {
        size_t a = l.a, b = l.b;
        omb_trim(t, &a, &b);
        if (b > a && b - a <= 12 && h->norm_ref(t + a, b - a, norm)) {
            *ra = a;
            *rb = b;
            return 1;
        }
    }
    return 0;
}

/* Copies republished on other sites name the case only in their address,
 * which is kept as the file name: "lgo-22-007-704-leicester-city-council".
 * Writes the reference as written ("22-007-704") into ref and the words
 * after it, capitalised as council names are ("City of London"), into auth
 * (empty when there are none).  Returns 1 when the name holds a reference. */
static int name_slug(const struct omb_host *h, const char *name, char ref[11], char *auth, size_t cap)
{
    char norm[11];
    size_t n = name ? strlen(name) : 0;
    auth[0] = '\0';
    for (size_t i = 0; i + 10 <= n; i++) {
        if (i > 0 && name[i - 1] >= '0' && name[i - 1] <= '9') continue;
        if (!h->norm_ref(name + i, 10, norm) || (i + 10 < n && name[i + 10] >= '0' && name[i + 10] <= '9'))
            continue;
        memcpy(ref, name + i, 10);
        ref[10] = '\0';
        size_t k = i + 10, o = 0;
        if (k < n && (name[k] == '-' || name[k] == '_')) k++;
        static const char *const small[] = {"and", "of", "upon", "on", "the", "in", "le", NULL};
        while (k < n && name[k] != '.' && o + 2 < cap) {
            size_t w = k;
            while (w < n && name[w] != '-' && name[w] != '_' && name[w] != '.') w++;
            int lower = 0;
            for (const char *const *sm = small; *sm; sm++)
                if (o && strlen(*sm) == w - k && !strncasecmp(name + k, *sm, w - k)) lower = 1;
            if (o) auth[o++] = ' ';
            for (size_t j = k; j < w && o + 1 < cap; j++) {
                char c = name[j];
                if (j == k && !lower && c >= 'a' && c <= 'z') c = (char)(c - 32);
                auth[o++] = c;
            }
            k = w < n && name[w] != '.' ? w + 1 : w;
        }
        auth[o] = '\0';
        return 1;
    }
    return 0;
}

/* What the text of a page without a "Decision :" line says the outcome was,
 * or NULL when it does not say ("discontinued" is none of the store's
 * outcomes).  Not investigating comes first: such summaries go on to say
 * why fault is unlikely. */
static const char *outcome_of_text(const struct omb_host *h, const char *p, size_t n)
{
    if (h->find_ci(p, n, "not investigate") || h->find_ci(p, n, "not to investigate")) return "closed after initial enquiries";
    if (h->find_ci(p, n, "not uphold") || h->find_ci(p, n, "no fault") || h->find_ci(p, n, "not find fault") ||
        h->find_ci(p, n, "not upheld"))
        return "not upheld";
    /* fault that caused injustice, or an injustice the council has had to
     * remedy, is an upheld complaint */
    if (h->find_ci(p, n, "uphold") || h->find_ci(p, n, "upheld") ||
        (h->find_ci(p, n, "fault") && (h->find_ci(p, n, "injustice") || h->find_ci(p, n, "remedied"))) ||
        (h->find_ci(p, n, "injustice") && h->find_ci(p, n, "remedy")))
        return "upheld";
    return NULL;
}

/* A republished copy's metadata line: "... Sector Transport And Highways
 * Category Parking And Other Penalties Decided 27 October 2022".  Sets what
 * it gives; returns 1 when the line is one. */
static void sentence_span(const struct omb_host *h, omb_builder *b, enum omb_field f, const char *p, size_t n,
                          size_t at, int *rc)
{
    char buf[128];
    if (n == 0 || n >= sizeof buf) return;
    for (size_t i = 0; i < n; i++) buf[i] = (char)(i && p[i] >= 'A' && p[i] <= 'Z' ? p[i] + 32 : p[i]);
    if (!*rc) *rc = h->case_set(b, f, buf, n, at);
}

static int metadata_line(const struct omb_host *h, omb_builder *b, const char *t, struct omb_line l, struct omb_line *dl,
                         int *outcome, int *rc)
{
    const char *sec = h->find_ci(t + l.a, l.b - l.a, " Sector ");
    const char *cat = sec ? h->find_ci(sec, (size_t)(t + l.b - sec), " Category ") : NULL;
    const char *dec = cat ? h->find_ci(cat, (size_t)(t + l.b - cat), " Decided ") : NULL;
    if (!dec) return 0;
    size_t sa = (size_t)(sec - t) + 8, ca = (size_t)(cat - t) + 10, da = (size_t)(dec - t) + 9;
    /* "LGO (...) Upheld Reference 22-007-695 ...": the outcome, when given,
     * stands between the source's name and "Reference" */
    const char *refw = h->find_ci(t + l.a, (size_t)(sec - t) - l.a, " Reference ");
    if (refw) {
        size_t oa = (size_t)(refw - t);
        while (oa > l.a && t[oa - 1] != ')') oa--;
        size_t ob = (size_t)(refw - t);
        omb_trim(t, &oa, &ob);
        /* "Other" is the site's word for a decision it did not classify */
        static const char *const outcomes[] = {"upheld", "closed", "enquiries", "premature", "withdrawn",
                                               "jurisdiction", "advice", "incomplete", NULL};
        if (ob > oa && !*rc && omb_has_any_ci(t + oa, ob - oa, outcomes)) {
            *rc = h->case_set(b, OMB_FIELD_OUTCOME, t + oa, ob - oa, oa);
            *outcome = 1;
        }
    }
    sentence_span(h, b, OMB_FIELD_CATEGORY, t + sa, (size_t)(cat - t) - sa, sa, rc);
    sentence_span(h, b, OMB_FIELD_SUBCATEGORY, t + ca, (size_t)(dec - t) - ca, ca, rc);
    dl->a = da;
    dl->b = l.b;
    return 1;
}

static int decision_probe(const char *t, size_t len, const char *filename)
{
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
    if (strstr(t, "Report summary") && strstr(t, "Recommendations")) score += 20;
    /* pages saved without the labelled lines, and copies republished on other
     * sites, still open with the decision's own heading and its summary */
    if ((p = strstr(t, "The Ombudsman's final decision")) || (p = strstr(t, "The Ombudsman\xE2\x80\x99s final decision")))
        if ((size_t)(p - t) < scan && strstr(p, "Summary:")) score += 30;
    if (strstr(t, "Report summary") && strstr(t, "Finding")) score += 20;
    if (filename && strstr(filename, "lgo-") && score) score += 20;
    /* the service-improvement listings and annexes say so: leave them */
    if (strstr(t, "Case Ref:") || strstr(t, "Service Improvement Recommendations") || strstr(t, "Showing "))
        score -= 40;
    return score < 0 ? 0 : score > 100 ? 100 : score;
}

/* The extractor with flags (a decision's own words may say the money was
 * already paid or offered); a core too old for flags gets the plain call. */
static int extract(const struct omb_host *h, omb_builder *b, const char *p, size_t n, size_t at, uint32_t flags)
{
    if (OMB_HOST_HAS(h, case_extract_remedies_flags)) return h->case_extract_remedies_flags(b, p, n, at, flags);
    return h->case_extract_remedies(b, p, n, at);
}

/* ---- agreed actions ---------------------------------------------------------- */

static const char *const improvement_words[] = {
    "remind", "training", "train ", "trained", "procedure", "policy", "policies", "guidance", "process",
    "action plan", "practice", "systems", "review its", "review how", "review the way", "scrutiny", "members",
    "report the findings", "report to", "lessons", "learning", "staff", "officers", "protocol", "leaflet",
    "website", "template", "monitor", "write to all", "contact all", "identify all", "others affected",
    "anyone else", NULL};
/* Words that make an action a remedy for the complainant.  Bare "payment"
 * is not one of them: "direct payment recipients" is about a service. */
static const char *const remedy_words[] = {"apolog", "\xC2\xA3", " pay ", "pay the", "pay her", "pay him",
                                           "pay them", "pay mr", "pay mrs", "pay ms", "pay miss", "make a payment",
                                           "symbolic payment", "a payment to", "waive", "refund", "reimburse",
                                           "write off", NULL};
/* Actions that put right one person's case even when no one is named ("arrange
 * a fresh appeal hearing before a new panel"): remedies, not improvements. */
static const char *const personal_words[] = {"fresh appeal", "new appeal", "fresh hearing", "reassess", "re-assess",
                                             "reconsider", "new assessment", NULL};
/* Words that make money something the council stops asking for. */
static const char *const waiver_words[] = {"waive", "write off", "written off", "write-off", NULL};

/* The generic closing lines (proof of compliance, the council's duty to
 * consider a report) are not actions. */
static int is_compliance_line(const struct omb_host *h, const char *p, size_t n)
{
    return (h->find_ci(p, n, "evidence") &&
            (h->find_ci(p, n, "complied") || h->find_ci(p, n, "done so") || h->find_ci(p, n, "send us"))) ||
           h->find_ci(p, n, "evidence of compliance") || h->find_ci(p, n, "consider this report") ||
           h->find_ci(p, n, "consider the report");
}

/* Is a '£' at t[i]? */
static int pound_at(const char *t, size_t e, size_t i)
{
    return i + 1 < e && (unsigned char)t[i] == 0xC2 && (unsigned char)t[i + 1] == 0xA3;
}

/* Is the amount t[s, x) written as a total ("a total of £1,950", "£1,950 in
 * total")?  Looks no further back than `from`. */
static int amount_is_total(const struct omb_host *h, const char *t, size_t from, size_t s, size_t x, size_t e)
{
    size_t near = s - from > 40 ? s - 40 : from;
    if (h->find_ci(t + near, s - near, "total") || h->find_ci(t + near, s - near, "altogether")) return 1;
    size_t after = e - x < 10 ? e - x : 10;
    return h->find_ci(t + x, after, "in total") != NULL;
}

/* What the amounts of one action say, read with the core's money parser. */
struct money_seen {
    int n_amounts;  /* amounts in the action */
    int n_totals;   /* of which written as totals */
    int64_t total;  /* the (last) total */
    int64_t parts;  /* the sum of the amounts that are not totals */
};

static void survey_money(const struct omb_host *h, const char *t, size_t a, size_t e, struct money_seen *m)
{
    size_t prev = a;
    memset(m, 0, sizeof *m);
    for (size_t i = a; i < e; i++) {
        if (!pound_at(t, e, i)) continue;
        int64_t v;
        size_t used = h->parse_money(t + i, e - i, &v);
        if (!used) continue;
        m->n_amounts++;
        if (amount_is_total(h, t, prev, i, i + used, e)) {
            m->n_totals++;
            m->total = v;
        } else {
            m->parts += v;
        }
        prev = i + used;
        i += used - 1;
    }
}

/* State of one walk over the Agreed action section.  The first walk only adds
 * up the amounts of the section, so that the second can tell an action that
 * restates them as a total ("This means the Council will pay a total of
 * £1,950") from a payment of its own: the extractor only sees one action at a
 * time and would count the total on top of its parts. */
struct actions {
    const struct omb_host *h;
    omb_builder *b; /* NULL on the first walk */
    int found;      /* actions read */
    int64_t all;    /* sum of the amounts that are not totals */
    int64_t paid;   /* the same without those of waivers */
};

/* Is the action only a restatement of the section's total? */
static int restates_total(const struct actions *s, const char *t, size_t a, size_t e)
{
    struct money_seen m;
    survey_money(s->h, t, a, e, &m);
    if (m.n_amounts == 0 || m.n_totals != m.n_amounts || m.total <= 0) return 0;
    return m.total == s->all || m.total == s->paid;
}

/* Does the text name the complainant or their family: a title ("Mrs N"),
 * a pronoun, or an initial standing as a name ("J's", "C ")?  "I" is the
 * investigator, not an initial. */
static int names_person(const char *p, size_t n)
{
    static const char *const words[] = {"Mr ", "Mrs ", "Ms ", "Miss ", "Dr ", " his ", " her ", " him ", " them ",
                                        " their ", " family", "complainant", NULL};
    for (const char *const *w = words; *w; w++) {
        size_t wl = strlen(*w);
        for (size_t i = 0; i + wl <= n; i++)
            if (!memcmp(p + i, *w, wl) || ((*w)[0] == ' ' && !strncasecmp(p + i, *w, wl))) return 1;
    }
    for (size_t i = 1; i + 1 < n; i++)
        if (p[i - 1] == ' ' && p[i] >= 'A' && p[i] <= 'Z' && p[i] != 'I' &&
            (p[i + 1] == ' ' || p[i + 1] == '\'' || p[i + 1] == ',' || p[i + 1] == '.' || p[i + 1] == ';' ||
             (unsigned char)p[i + 1] == 0xE2))
            return 1;
    return 0;
}

/* Verbs that start a second service action joined to a first by ", and". */
static const char *const second_verbs[] = {", and remind ", ", and train ", ", and review ", ", and audit ",
                                           ", and change ", ", and update ", ", and amend ", NULL};

/* Where a second action joined by ", and <verb>" starts (just after "and "),
 * or 0; only when the part before is itself a service action. */
static size_t second_action(const struct omb_host *h, const char *t, size_t a, size_t e)
{
    for (int i = 0; second_verbs[i]; i++) {
        const char *m = h->find_ci(t + a, e - a, second_verbs[i]);
        if (!m) continue;
        size_t at = (size_t)(m - t);
        if (!omb_has_any_ci(t + a, at - a, improvement_words)) continue;
        return at + 6; /* past ", and " */
    }
    return 0;
}

/* Handles one agreed action (a numbered item or a sub-bullet). */
static int action_item(struct actions *s, const char *t, size_t a, size_t e)
{
    const struct omb_host *h = s->h;
    omb_trim(t, &a, &e);
    if (e <= a || is_compliance_line(h, t + a, e - a)) return OMB_OK;
    s->found++;
    int remedy = omb_has_any_ci(t + a, e - a, remedy_words);
    if (!s->b) {
        /* first walk: add up the money */
        if (remedy) {
            struct money_seen m;
            survey_money(h, t, a, e, &m);
            s->all += m.parts;
            if (!omb_has_any_ci(t + a, e - a, waiver_words)) s->paid += m.parts;
        }
        return OMB_OK;
    }
    if (remedy) {
        if (restates_total(s, t, a, e)) return OMB_OK;
        return extract(h, s->b, t + a, e - a, a, OMB_EXTRACT_PAID_BEFORE_CUES);
    }
    /* (only now: most actions are remedies, and the first walk needs no
     * more than the remedy words) */
    if (omb_has_any_ci(t + a, e - a, improvement_words)) {
        /* "...; and" joins the list, it is not part of the action */
        size_t k = e;
        while (k > a && t[k - 1] >= 'a' && t[k - 1] <= 'z') k--;
        if (k > a && t[k - 1] == ' ' && ((e - k == 3 && !memcmp(t + k, "and", 3)) || (e - k == 2 && !memcmp(t + k, "or", 2)))) {
            e = k;
            omb_trim(t, &a, &e);
        }
        /* "review how its panel records evidence, and remind its officers of
         * the timescales" is two actions in one item: each counts */
        size_t cut = second_action(h, t, a, e);
        if (cut) {
            int rc = h->case_add_improvement(s->b, t + a, cut - 6 - a, a); /* without ", and " */
            if (rc) return rc;
            return action_item(s, t, cut, e);
        }
        return h->case_add_improvement(s->b, t + a, e - a, a);
    }
    /* Neither: an action for the complainant ("issue J's final plan") goes
     * to the extractor, which may find a service in it; one that names no
     * one ("check every invoice raised since April 2022") is an
     * improvement to how the council works. */
    if (names_person(t + a, e - a) || omb_has_any_ci(t + a, e - a, personal_words))
        return extract(h, s->b, t + a, e - a, a, OMB_EXTRACT_PAID_BEFORE_CUES);
    return h->case_add_improvement(s->b, t + a, e - a, a);
}

/* Is the line the start of an item: "1.", "2)", "a)", "(a)", "•", "-"?
 * Returns the offset after the marker, or 0. */
static size_t item_marker(const char *t, struct omb_line l)
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
    if (i + 3 < l.b && t[i] == '(' && t[i + 1] >= 'a' && t[i + 1] <= 'h' && t[i + 2] == ')' && t[i + 3] == ' ')
        return i + 4;
    return 0;
}

/* Is an item only an introduction to the sub-items below it ("Within one
 * month the Council will:")? */
static int is_lead_in(const char *t, size_t a, size_t e)
{
    while (e > a && omb_is_space(t[e - 1])) e--;
    return e > a && t[e - 1] == ':';
}

/* Walks an Agreed action section [a, e) item by item: an item runs from its
 * marker to the next marker or blank line. */
static int walk_actions(struct actions *s, const char *t, size_t a, size_t e)
{
    size_t pos = a, item_a = 0;
    int open = 0, rc;
    struct omb_line l;
    while (pos < e && omb_next_line(t, e, &pos, &l)) {
        size_t m = item_marker(t, l);
        size_t la = l.a, lb = l.b;
        omb_trim(t, &la, &lb);
        if (m || la == lb) {
            if (open && !is_lead_in(t, item_a, l.a) && (rc = action_item(s, t, item_a, l.a))) return rc;
            open = 0;
            if (m) {
                item_a = m;
                open = 1;
            }
        } else if (!open) {
            /* unnumbered prose in the section is an item of its own */
            item_a = la;
            open = 1;
        }
    }
    if (open && !is_lead_in(t, item_a, e) && (rc = action_item(s, t, item_a, e))) return rc;
    return OMB_OK;
}

/* Reads the Agreed action section [a, e) into the case.  Sets *found to the
 * number of actions read (0: the section held nothing). */
static int agreed_actions(const struct omb_host *h, omb_builder *b, const char *t, size_t a, size_t e, int *found)
{
    struct actions s = {.h = h};
    int rc = walk_actions(&s, t, a, e);
    *found = s.found;
    if (rc || !b || !s.found) return rc;
    s.b = b;
    s.found = 0;
    return walk_actions(&s, t, a, e);
}

/* ---- header lines that may be missing --------------------------------------- */

/* Capitalises a sub-category slug's words as the ombudsman writes them
 * ("school transport" -> "School transport"). */
static void sentence_case(char *w)
{
    if (w[0] >= 'a' && w[0] <= 'z') w[0] = (char)(w[0] - 32);
}

/* The file name: "education_special-educational-needs_22-004-577.txt".
 * Sets *got to 1 when it named a sub-category; returns the status. */
static int category_from_name(const struct omb_host *h, omb_builder *b, const char *name, int *got)
{
    char buf[256], words[256];
    *got = 0;
    int w = snprintf(buf, sizeof buf, "%s", name ? name : "");
    if (w < 0 || (size_t)w >= sizeof buf) return OMB_OK; /* no real slug is that long */
    char *dot = strrchr(buf, '.');
    if (dot) *dot = '\0';
    /* "children-s-care-services_other_22-013-508": a category's slug, then
     * its sub-category's, as in the page's address */
    static const char *const cats[] = {"Adult care services", "Benefits and tax", "Children's care services",
                                       "Corporate and other services", "Education", "Environment and regulation",
                                       "Environmental services",
                                       "Transport and highways", "Highways and transport", "Housing", "Planning",
                                       "Planning and development", NULL};
    for (const char *const *c = cats; *c; c++) {
        char slug[64];
        size_t k = 0;
        for (const char *q = *c; *q && k + 2 < sizeof slug; q++) {
            if (*q == '\'') slug[k++] = '-';
            else slug[k++] = *q == ' ' ? '-' : (char)(*q >= 'A' && *q <= 'Z' ? *q + 32 : *q);
        }
        slug[k++] = '_';
        slug[k] = '\0';
        char *at = strstr(buf, slug);
        if (!at || (at > buf && at[-1] != '_' && at[-1] != '/')) continue;
        char *sub = at + k;
        size_t sn = 0;
        while (sub[sn] && sub[sn] != '_' && sn + 1 < sizeof words) {
            words[sn] = sub[sn] == '-' ? ' ' : sub[sn];
            sn++;
        }
        words[sn] = '\0';
        /* a reference is not a sub-category */
        if (!sn || (words[0] >= '0' && words[0] <= '9')) continue;
        sentence_case(words);
        int rc = h->case_set(b, OMB_FIELD_CATEGORY, *c, strlen(*c), 0);
        if (!rc) rc = h->case_set(b, OMB_FIELD_SUBCATEGORY, words, sn, 0);
        *got = 1;
        return rc;
    }
    /* a name shaped like the address, "other-categories_leisure-and-culture_
     * 25-000-516", with a category the list above does not know: both slugs
     * as words ("children-s" is "children's") */
    {
        char *u1 = strchr(buf, '_'), *u2 = u1 ? strchr(u1 + 1, '_') : NULL;
        char norm[11];
        /* only an address's shape: lower-case slugs, the category of two
         * words or more, so "notes_draft_22-001-234" invents nothing */
        int slug = u1 && memchr(buf, '-', (size_t)(u1 - buf)) != NULL;
        for (char *q = buf; slug && u2 && q < u2; q++)
            if (!((*q >= 'a' && *q <= 'z') || *q == '-' || *q == '_')) slug = 0;
        if (slug && u2 && u2 > u1 + 1 && !strchr(u2 + 1, '_') && h->norm_ref(u2 + 1, strlen(u2 + 1), norm)) {
            char cat[128];
            size_t cn = 0, sn = 0;
            for (char *q = buf; q < u1 && cn + 2 < sizeof cat; q++) {
                if (*q == '-' && q[1] == 's' && q + 2 <= u1 && (q + 2 == u1 || q[2] == '-')) {
                    cat[cn++] = '\'';
                    continue;
                }
                cat[cn++] = *q == '-' ? ' ' : *q;
            }
            cat[cn] = '\0';
            for (char *q = u1 + 1; q < u2 && sn + 1 < sizeof words; q++) words[sn++] = *q == '-' ? ' ' : *q;
            words[sn] = '\0';
            sentence_case(cat);
            sentence_case(words);
            int rc = h->case_set(b, OMB_FIELD_CATEGORY, cat, cn, 0);
            if (!rc) rc = h->case_set(b, OMB_FIELD_SUBCATEGORY, words, sn, 0);
            *got = 1;
            return rc;
        }
    }
    /* try each '_' or '/' separated piece as a sub-category slug */
    char *save = NULL;
    for (char *piece = strtok_r(buf, "_/", &save); piece; piece = strtok_r(NULL, "_/", &save)) {
        size_t k = 0;
        for (; piece[k] && k + 1 < sizeof words; k++) words[k] = piece[k] == '-' ? ' ' : piece[k];
        words[k] = '\0';
        const char *cat = h->category_of(words, k);
        if (cat) {
            sentence_case(words);
            int rc = h->case_set(b, OMB_FIELD_CATEGORY, cat, strlen(cat), 0);
            if (!rc) rc = h->case_set(b, OMB_FIELD_SUBCATEGORY, words, k, 0);
            *got = 1;
            return rc;
        }
    }
    return OMB_OK;
}

/* A report summary names the category on a line of its own, "Education -
 * Special educational needs" (a hyphen, an en or em dash, or '>').  Sets the
 * category from the core's tree and returns 1 when the line is one. */
static int category_line(const struct omb_host *h, omb_builder *b, const char *t, struct omb_line l, int *rc)
{
    static const char *const seps[] = {" - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " > ", NULL};
    size_t a = l.a, e = l.b;
    omb_trim(t, &a, &e);
    if (e - a > 120) return 0;
    for (const char *const *sep = seps; *sep; sep++) {
        const char *p = h->find_ci(t + a, e - a, *sep);
        if (!p || p == t + a) continue;
        size_t sa = (size_t)(p - t) + strlen(*sep), sb = e;
        omb_trim(t, &sa, &sb);
        const char *cat = h->category_of(t + sa, sb - sa);
        if (!cat) continue;
        *rc = h->case_set(b, OMB_FIELD_CATEGORY, cat, strlen(cat), a);
        if (!*rc) *rc = h->case_set(b, OMB_FIELD_SUBCATEGORY, t + sa, sb - sa, sa);
        return 1;
    }
    return 0;
}

/* Is the trimmed line a date and nothing else ("9 June 2022")?  Full reports
 * give their date so, under the heading. */
static int date_line(const struct omb_host *h, const char *t, struct omb_line l, size_t *a, size_t *e)
{
    size_t s, n;
    char iso[11];
    *a = l.a;
    *e = l.b;
    omb_trim(t, a, e);
    return *e > *a && *e - *a <= 20 && h->find_date(t + *a, *e - *a, &s, &n, iso) && s == 0 && n == *e - *a;
}

/* A report's "Finding" ("Fault found causing injustice and recommendations
 * made.") says what a decision page's "Decision :" line would; NULL when it
 * does not settle it. */
static const char *outcome_of_finding(const struct omb_host *h, const char *p, size_t n)
{
    if (h->find_ci(p, n, "no fault") || h->find_ci(p, n, "not find fault") || h->find_ci(p, n, "not upheld"))
        return "not upheld";
    if (h->find_ci(p, n, "fault found") || h->find_ci(p, n, "found fault") || h->find_ci(p, n, "upheld") ||
        h->find_ci(p, n, "fault causing injustice"))
        return "upheld";
    return NULL;
}

/* Phrases by which a summary says a remedy was agreed or recommended, as
 * opposed to what the complainant wanted ("he should not have to pay"). */
static const char *const remedy_cues[] = {"agreed to", "agrees to", "agree to", "has offered", "had offered",
                                          "offered to", "recommend", "will apologise", "will pay", "to remedy",
                                          "has apologised", "has paid", "has already paid", "has already refunded",
                                          "had already refunded", "has refunded", "already apologised",
                                          "satisfactory remedy", "suitable remedy", "appropriate remedy", NULL};
/* Actions for the council's services a summary may name as (part of) the
 * remedy when the page has no agreed action: "its reminder to officers is a
 * satisfactory remedy". */
static const char *const summary_improvement_words[] = {"remind", "train", "review its", "review how", "procedure",
                                                        "policy", "guidance", "share this decision", "lessons",
                                                        "learn from", NULL};

/* No agreed action: hands the sentences of the summary [a, e) that say a
 * remedy was agreed to the extractor, as one passage from the first such
 * sentence to the last. */
static int summary_remedies(const struct omb_host *h, omb_builder *b, const char *t, size_t a, size_t e)
{
    size_t s = a, first = 0, last = 0;
    int any = 0;
    while (s < e) {
        size_t x = s;
        /* a full stop ends a sentence when white space follows ("£2,736.50" is one amount) */
        while (x < e && !(t[x] == '.' && (x + 1 == e || omb_is_space(t[x + 1])))) x++;
        if (x < e) x++;
        if (omb_has_any_ci(t + s, x - s, remedy_cues)) {
            if (!any) first = s;
            last = x;
            any = 1;
        }
        s = x;
        while (s < e && omb_is_space(t[s])) s++;
    }
    return any ? extract(h, b, t + first, last - first, first, OMB_EXTRACT_PAID_BEFORE_CUES) : OMB_OK;
}

/* No agreed action: each sentence of the summary that names a remedy and an
 * action for the council's services is one service improvement. */
static int summary_improvements(const struct omb_host *h, omb_builder *b, const char *t, size_t a, size_t e,
                                int *n_found)
{
    size_t s = a;
    int rc;
    *n_found = 0;
    while (s < e) {
        size_t x = s;
        while (x < e && !(t[x] == '.' && (x + 1 == e || omb_is_space(t[x + 1])))) x++;
        if (x < e) x++;
        if (omb_has_any_ci(t + s, x - s, remedy_cues) && omb_has_any_ci(t + s, x - s, summary_improvement_words)) {
            if ((rc = h->case_add_improvement(b, t + s, x - s, s))) return rc;
            (*n_found)++;
        }
        s = x;
        while (s < e && omb_is_space(t[s])) s++;
    }
    return OMB_OK;
}

/* Remedies the council gave before the decision, which the ombudsman
 * accepts, are told in the body when there is no agreed action: "Before Mr G
 * came to us, the Council apologised ... and refunded the £1,242.60 it had
 * charged".  A sentence is one when it names the council, says "already" or
 * "before", names a remedy given and holds an amount, and is not about money
 * asked for.  Every remedy of such a sentence is marked paid before.  Hands
 * each such sentence of t[a, e) to the extractor; returns how many. */
static const char *const given_words[] = {"refunded", "paid", "reimbursed", "offered", "apologised", "waived", NULL};
static const char *const asked_words[] = {"asks", "asked for", "wants", "claim", "demand", "invoice", "estimate",
                                          "refused", "earlier complaint", "seeking", NULL};

static const char *const done_words[] = {"has changed", "has amended", "has updated", "has reviewed", "has reminded",
                                         "has trained", "has introduced", "changed its", "amended its", "updated its",
                                         "reminded its", "trained its", NULL};

static int paid_before(const struct omb_host *h, omb_builder *b, const char *t, size_t a, size_t e, int *found,
                       int want_improvements)
{
    size_t s = a;
    int rc;
    *found = 0;
    while (s < e) {
        size_t x = s;
        while (x < e && !(t[x] == '.' && (x + 1 == e || omb_is_space(t[x + 1])))) x++;
        if (x < e) x++;
        size_t n = x - s;
        if (h->find_ci(t + s, n, "council") && (h->find_ci(t + s, n, "already") || h->find_ci(t + s, n, "before")) &&
            omb_has_any_ci(t + s, n, given_words) && !omb_has_any_ci(t + s, n, asked_words) &&
            h->find_ci(t + s, n, "\xC2\xA3")) {
            if ((rc = extract(h, b, t + s, n, s, OMB_REMEDY_PAID_BEFORE))) return rc;
            (*found)++;
        } else if (want_improvements && h->find_ci(t + s, n, "council") && omb_has_any_ci(t + s, n, done_words) &&
                   (rc = h->case_add_improvement(b, t + s, n, s))) {
            /* "The Council has also changed its application form ...": a
             * change to its service the council made before the decision */
            return rc;
        }
        s = x;
        while (s < e && omb_is_space(t[s])) s++;
    }
    return OMB_OK;
}

/* ---- parse ----------------------------------------------------------------------- */

#define MAX_AGREED 8

/* What one pass over the lines found, as spans of the document. */
struct page {
    int have_category, have_date, have_outcome;
    size_t summary_a, summary_b;         /* "Summary:" text, or a report summary's paragraph */
    size_t agreed_a[MAX_AGREED], agreed_b[MAX_AGREED];
    int n_agreed;                        /* Agreed action / Recommendations sections */
    size_t finding_at;                   /* a report's "Finding" text, 0 if none */
    size_t report_summary;               /* just after a "Report summary" line, 0 if none */
    size_t final_a, final_b;             /* the "Final decision" section's text, 0 if none */
    int have_authority;
    size_t head_at;                      /* the heading line, for warnings */
};

/* Reads every line once: the labelled header lines, the summary, the
 * Agreed action sections and a report's Finding. */
static int read_lines(const struct omb_host *h, omb_builder *b, const char *t, size_t len, struct page *pg)
{
    size_t pos = 0, va, vb;
    int in_agreed = 0, in_summary = 0, rc = OMB_OK, want_finding = 0;
    struct omb_line l;
    int in_final = 0;
    while (omb_next_line(t, len, &pos, &l)) {
        size_t la = l.a, lb = l.b;
        omb_trim(t, &la, &lb);
        if (in_final) {
            if (is_heading(h, t, l) || line_is(h, t, l, "Back to top") ||
                line_starts(h, t, l, "Investigator's decision") || (la == lb && pg->final_b > pg->final_a))
                in_final = 0;
            else if (la < lb) pg->final_b = lb;
        }
        if (!pg->final_a && (line_is(h, t, l, "Final decision") || line_is(h, t, l, "Decision"))) {
            pg->final_a = pg->final_b = pos;
            in_final = 1;
        }
        struct omb_line dl;
        if (!pg->have_category && metadata_line(h, b, t, l, &dl, &pg->have_outcome, &rc)) {
            if (rc) return rc;
            pg->have_category = 1;
            if (!pg->have_date && (rc = h->case_set(b, OMB_FIELD_DECISION_DATE, t + dl.a, dl.b - dl.a, dl.a)))
                return rc;
            pg->have_date = 1;
            continue;
        }
        if (in_summary) {
            if (la == lb || is_heading(h, t, l) || line_is(h, t, l, "Back to top")) in_summary = 0;
            else pg->summary_b = l.b;
        }
        if (want_finding && la < lb) {
            pg->finding_at = la;
            want_finding = 0;
        }
        if (in_agreed) {
            /* a report summary's "Date: ..." and "Ombudsman satisfied with
             * Council's response: ..." lines follow its Recommendations */
            if (line_is(h, t, l, "Back to top") || (is_heading(h, t, l) && !is_agreed_heading(h, t, l)) ||
                label_value(h, t, l, "Date", &va, &vb) || line_starts(h, t, l, "Ombudsman satisfied")) {
                in_agreed = 0;
                pg->agreed_b[pg->n_agreed - 1] = l.a;
            }
            if (in_agreed && !is_heading(h, t, l)) continue;
        }
        if (label_value(h, t, l, "Category", &va, &vb) && !pg->have_category) {
            /* "Adult care services > Direct payments" */
            const char *gt = memchr(t + va, '>', vb - va);
            size_t ce = gt ? (size_t)(gt - t) : vb;
            if ((rc = h->case_set(b, OMB_FIELD_CATEGORY, t + va, ce - va, va))) return rc;
            if (gt && (rc = h->case_set(b, OMB_FIELD_SUBCATEGORY, gt + 1, vb - ce - 1, ce + 1))) return rc;
            pg->have_category = 1;
        } else if (label_value(h, t, l, "Decision date", &va, &vb) || label_value(h, t, l, "Date", &va, &vb)) {
            if ((rc = h->case_set(b, OMB_FIELD_DECISION_DATE, t + va, vb - va, va))) return rc;
            pg->have_date = 1;
        } else if (label_value(h, t, l, "Decision", &va, &vb)) {
            if ((rc = h->case_set(b, OMB_FIELD_OUTCOME, t + va, vb - va, va))) return rc;
            pg->have_outcome = 1;
        } else if (line_starts(h, t, l, "Summary:") && !pg->summary_a) {
            size_t a = l.a;
            while (t[a] != ':') a++;
            pg->summary_a = a + 1;
            pg->summary_b = l.b;
            in_summary = 1;
        } else if (label_value(h, t, l, "Finding", &va, &vb) && !pg->finding_at) {
            pg->finding_at = va;
        } else if (line_is(h, t, l, "Finding") && !pg->finding_at) {
            want_finding = 1;
        } else if (line_is(h, t, l, "Report summary") && !pg->report_summary) {
            pg->report_summary = pos;
        } else if (is_agreed_heading(h, t, l) && !in_agreed && pg->n_agreed < MAX_AGREED) {
            pg->agreed_a[pg->n_agreed] = pos;
            pg->agreed_b[pg->n_agreed] = len;
            pg->n_agreed++;
            in_agreed = 1;
        }
    }
    return OMB_OK;
}

/* Fills what the labelled lines left out, from the layouts that leave them
 * out: a report's date line, category line, Finding and summary paragraph,
 * then the file name.  Each only when its label was missing. */
static int fill_missing(const struct omb_host *h, omb_sink *sink, omb_builder *b, const struct omb_doc *doc,
                        struct page *pg)
{
    const char *t = doc->text;
    size_t len = doc->len, pos = 0, a, e;
    struct omb_line l;
    int rc = OMB_OK;
    for (int n = 0; n < 60 && omb_next_line(t, len, &pos, &l) && (!pg->have_date || !pg->have_category); n++) {
        if (!pg->have_date && date_line(h, t, l, &a, &e)) {
            if ((rc = h->case_set(b, OMB_FIELD_DECISION_DATE, t + a, e - a, a))) return rc;
            pg->have_date = 1;
        } else if (!pg->have_category && category_line(h, b, t, l, &rc)) {
            if (rc) return rc;
            pg->have_category = 1;
        }
    }
    if (!pg->have_category) {
        int got;
        if ((rc = category_from_name(h, b, doc->name, &got))) return rc;
        if (!got)
            h->warn(sink, pg->head_at, "no \"Category :\" line and none in the file name \"%s\"; category left unknown",
                    doc->name);
    }
    if (!pg->have_outcome && pg->finding_at) {
        size_t fe = pg->finding_at;
        while (fe < len && t[fe] != '\n') fe++;
        const char *o = outcome_of_finding(h, t + pg->finding_at, fe - pg->finding_at);
        if (o && (rc = h->case_set(b, OMB_FIELD_OUTCOME, o, strlen(o), pg->finding_at))) return rc;
    }
    if (!pg->have_outcome && !pg->finding_at) {
        /* no "Decision :" line: what the summary, else the final decision,
         * says; nothing when neither settles it */
        const char *o = pg->summary_a ? outcome_of_text(h, t + pg->summary_a, pg->summary_b - pg->summary_a) : NULL;
        size_t at = pg->summary_a;
        if (!o && pg->final_b > pg->final_a) {
            o = outcome_of_text(h, t + pg->final_a, pg->final_b - pg->final_a);
            at = pg->final_a;
        }
        if (o) {
            if ((rc = h->case_set(b, OMB_FIELD_OUTCOME, o, strlen(o), at))) return rc;
        } else {
            h->warn(sink, pg->head_at, "no \"Decision :\" line under the heading and neither the summary nor the "
                    "final decision says whether the complaint was upheld; outcome left unknown");
        }
    }
    if (!pg->have_date)
        h->warn(sink, pg->head_at,
                "no \"Decision date :\" line and no date line under the heading; decision date left unknown");
    if (!pg->have_authority)
        h->warn(sink, pg->head_at, "the heading gives only the reference and the file name no council; authority left unknown");
    if (!pg->summary_a && pg->report_summary) {
        /* the first paragraph after "Report summary" that is not its category line */
        pos = pg->report_summary;
        int para = 0;
        while (omb_next_line(t, len, &pos, &l)) {
            size_t la = l.a, lb = l.b;
            omb_trim(t, &la, &lb);
            if (la == lb) {
                if (para) break;
                continue;
            }
            if (is_heading(h, t, l)) break;
            if (!para) {
                const char *sep = h->find_ci(t + la, lb - la, " - ");
                if (!sep) sep = h->find_ci(t + la, lb - la, " \xE2\x80\x93 ");
                if (sep && lb - la < 80 && !memchr(t + la, '.', lb - la)) continue;
                pg->summary_a = la;
                para = 1;
            }
            pg->summary_b = lb;
        }
    }
    return OMB_OK;
}

static int decision_parse(const struct omb_host *h, omb_sink *sink, const struct omb_doc *doc)
{
    const char *t = doc->text;
    size_t len = doc->len, aa, ab, ra, rb;
    int rc;
    /* the heading names authority and reference; a report summary's gives the
     * reference alone; a republished copy has none, and the file name (its
     * address) gives both */
    char slug_ref[11], slug_auth[160];
    int form = find_header(h, t, len, &aa, &ab, &ra, &rb) || find_report_header(h, t, len, &aa, &ab, &ra, &rb) ? 1
               : find_bare_ref(h, t, len, &ra, &rb)                                                           ? 2
               : name_slug(h, doc->name, slug_ref, slug_auth, sizeof slug_auth)                               ? 3
                                                                                                              : 0;
    if (!form)
        return h->error(sink, 0,
                        "expected a heading line such as \"Hampshire County Council (22 001 239)\" or \"complaint "
                        "reference number 21 013 337 against Kent County Council\" near the top of a decision page, "
                        "or a file name holding the reference such as \"lgo-22-007-704-leicester-city-council\"");
    omb_builder *b = h->case_begin(sink, form == 1 ? aa : form == 2 ? ra : 0);
    if (!b) return OMB_ENOMEM;
    struct page pg;
    memset(&pg, 0, sizeof pg);
    pg.head_at = form == 1 ? aa : form == 2 ? ra : 0;
    if (form == 3) {
        if ((rc = h->case_set(b, OMB_FIELD_REF, slug_ref, strlen(slug_ref), 0))) goto fail;
        if (slug_auth[0] && (rc = h->case_set(b, OMB_FIELD_AUTHORITY, slug_auth, strlen(slug_auth), 0))) goto fail;
        pg.have_authority = slug_auth[0] != '\0';
    } else {
        if ((rc = h->case_set(b, OMB_FIELD_REF, t + ra, rb - ra, ra))) goto fail;
        if (form == 1 && (rc = h->case_set(b, OMB_FIELD_AUTHORITY, t + aa, ab - aa, aa))) goto fail;
        pg.have_authority = form == 1;
    }
    if ((rc = read_lines(h, b, t, len, &pg))) goto fail;
    if ((rc = fill_missing(h, sink, b, doc, &pg))) goto fail;
    if (pg.summary_a) {
        omb_trim(t, &pg.summary_a, &pg.summary_b);
        if ((rc = h->case_set(b, OMB_FIELD_SUMMARY, t + pg.summary_a, pg.summary_b - pg.summary_a, pg.summary_a)))
            goto fail;
    }
    /* A full report lists its recommendations twice, briefly in the report
     * summary and in full near the end: the last section that holds an
     * action is the one to read. */
    int items = 0;
    for (int k = pg.n_agreed - 1; k >= 0 && !items; k--) {
        if ((rc = agreed_actions(h, NULL, t, pg.agreed_a[k], pg.agreed_b[k], &items))) goto fail;
        if (items && (rc = agreed_actions(h, b, t, pg.agreed_a[k], pg.agreed_b[k], &items))) goto fail;
    }
    /* No agreed action: the summary may still name the remedy ("The Council
     * has agreed to apologise and pay Mrs X £250"). */
    if (!items && pg.summary_a) {
        /* a summary that says the remedy was already given, without its
         * amount, leaves the amount to the body */
        int given = 0, improved = 0;
        size_t sn = pg.summary_b - pg.summary_a;
        if ((rc = summary_improvements(h, b, t, pg.summary_a, pg.summary_b, &improved))) goto fail;
        if (h->find_ci(t + pg.summary_a, sn, "already") && !h->find_ci(t + pg.summary_a, sn, "\xC2\xA3") &&
            (rc = paid_before(h, b, t, pg.summary_b, len, &given, !improved)))
            goto fail;
        if (!given && (rc = summary_remedies(h, b, t, pg.summary_a, pg.summary_b))) goto fail;
    }
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
    .description = "Ombudsman decision pages and reports: header, category, outcome, date, summary, agreed actions",
    .ops = &ops,
};
