/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * minutes.c -- source plugin for council minutes that record a committee
 * considering ombudsman reports: the meeting (body, date, item), the numbered
 * resolutions, the members and officers named, and the supporting documents.
 *
 * What it records: one "report accepted by council" event dated with the
 * meeting, whose text is the resolutions.  When the minutes cite case
 * references ("case no 19019179", "20008832") the event goes on each of
 * those cases (so the core merges them with what other documents say), and
 * when they cite one only, the money and apology they describe in prose are
 * its remedies.  Minutes about one decision on one complaint with no
 * reference (modern.gov issue pages: "a finding of maladministration ... in a
 * complaint about noise ... had paid the complainant £200") give one
 * unreferenced case, "complaint 1" of the document, with its outcome,
 * subject and remedies; otherwise the event goes on the authority alone.
 * The council comes from a heading, the committee line, a footer or the
 * text; it is never guessed: when the minutes do not name it, the user gives
 * it with --authority, and the warning says so.
 * Everything else (meeting, people, papers) is kept as document notes.
 * Dates and references are normalised by the core (core/normalise.c).
 */
#include <ombuds/plugin.h>
#include <ombuds/text.h>
#include <stdio.h>
#include <string.h>

#define EVENT_TYPE "report accepted by council"
#define MAX_REFS 64
#define MAX_PEOPLE 32

static int is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static int is_lower(char c) { return c >= 'a' && c <= 'z'; }

/* ---- probe ------------------------------------------------------------------------ */

static int has(const char *t, size_t scan, const char *s)
{
    const char *p = strstr(t, s);
    return p && (size_t)(p - t) < scan;
}

static int minutes_probe(const char *t, size_t len, const char *filename)
{
    (void)filename;
    size_t scan = len < 30000 ? len : 30000;
    int score = 0;
    if (has(t, scan, "Minutes") || has(t, scan, "MINUTES") || has(t, scan, "Agenda item")) score += 20;
    if (has(t, scan, "Meeting of") || has(t, scan, "meeting of")) score += 15;
    if (has(t, scan, "resolved") || has(t, scan, "RESOLVED") || has(t, scan, "Resolved")) score += 25;
    if (has(t, scan, "Ombudsman") || has(t, scan, "LGSCO") || has(t, scan, "LGO")) score += 15;
    if (has(t, scan, "Supporting documents") || has(t, scan, "Background papers")) score += 10;
    if (has(t, scan, "Cllr") || has(t, scan, "Councillor")) score += 10;
    /* decision pages, annexes and listings have their own plugins */
    if (has(t, scan, "Decision date") || has(t, scan, "Category :") || has(t, scan, "Case Ref:") ||
        has(t, scan, "Service Improvement Recommendations"))
        score -= 40;
    return score < 0 ? 0 : score > 100 ? 100 : score;
}

/* ---- the meeting ------------------------------------------------------------------- */

struct meeting {
    size_t line_a, line_b;  /* the line naming the meeting */
    size_t body_a, body_b;  /* "Executive", "Audit and Governance Committee" */
    size_t kind_a, kind_b;  /* "Extraordinary Meeting", or empty */
    size_t item_a, item_b;  /* "17", or empty */
    size_t title_a, title_b; /* the agenda item's title, or empty */
    char date[11];          /* ISO 8601, or "" */
    size_t date_at;
};

static int is_weekday(const char *p, size_t n)
{
    static const char *const days[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                                       "Sunday", NULL};
    for (const char *const *d = days; *d; d++)
        if (omb_starts_ci(p, n, *d)) return 1;
    return 0;
}

/* "(Item 17.)" or "Item 17" anywhere in [a, b). */
static void find_item(const struct omb_host *h, const char *t, size_t a, size_t b, struct meeting *m)
{
    const char *p = h->find_ci(t + a, b - a, "item ");
    if (!p) return;
    size_t i = (size_t)(p - t) + 5, s = i;
    while (i < b && (omb_is_digit(t[i]) || (is_upper(t[i]) && i == s))) i++;
    if (i > s) {
        m->item_a = s;
        m->item_b = i;
    }
}

/* "- Meeting of Extraordinary Meeting, Executive, Wednesday, 26th February,
 * 2025 10.00 am (Item 17.)": the parts before the weekday or date are the
 * kind of meeting and the body (the body is the last of them). */
static int meeting_of(const struct omb_host *h, const char *t, struct omb_line l, struct meeting *m)
{
    size_t a = l.a;
    while (a < l.b && (t[a] == '-' || t[a] == '*' || omb_is_space(t[a]))) a++;
    const char *p = h->find_ci(t + a, l.b - a, "meeting of ");
    if (!p || (size_t)(p - t) > a + 25) return 0;
    size_t s = (size_t)(p - t) + 11;
    if (omb_starts_ci(t + s, l.b - s, "the ")) s += 4;
    m->line_a = l.a;
    m->line_b = l.b;
    size_t ds, dl;
    char iso[11];
    size_t end = l.b;
    if (h->find_date(t + s, l.b - s, &ds, &dl, iso)) {
        memcpy(m->date, iso, 11);
        m->date_at = s + ds;
        end = s + ds;
    }
    /* "... Committee held on 12 March 2024" */
    const char *held = h->find_ci(t + s, end - s, " held ");
    if (held) end = (size_t)(held - t);
    /* split the head at commas; drop a weekday part */
    size_t parts[8][2], np = 0, q = s;
    for (size_t i = s; i <= end && np < 8; i++) {
        if (i == end || t[i] == ',') {
            size_t x = q, y = i;
            omb_trim(t, &x, &y);
            if (y > x && !is_weekday(t + x, y - x)) {
                parts[np][0] = x;
                parts[np][1] = y;
                np++;
            }
            q = i + 1;
        }
    }
    if (np) {
        m->body_a = parts[np - 1][0];
        m->body_b = parts[np - 1][1];
        if (np > 1) {
            m->kind_a = parts[0][0];
            m->kind_b = parts[np - 2][1];
        }
    }
    find_item(h, t, l.a, l.b, m);
    return 1;
}

/* The issue and decision pages of modern.gov give the meeting as "Meeting:
 * 24/10/2024 - Audit and Governance Committee (Item 295)" or
 * "12/03/2020 - Ombudsman Complaint": a date, a dash, then the body (or the
 * decision's title).  Returns 1 and fills m when [l] is such a line. */
static int meeting_dated(const struct omb_host *h, const char *t, struct omb_line l, struct meeting *m)
{
    size_t a = l.a;
    if (omb_starts_ci(t + a, l.b - a, "Meeting:")) a += 8;
    while (a < l.b && omb_is_space(t[a])) a++;
    size_t ds, dl;
    char iso[11];
    if (a >= l.b || !omb_is_digit(t[a]) || !h->find_date(t + a, l.b - a, &ds, &dl, iso) || ds != 0) return 0;
    size_t e = a + dl;
    while (e < l.b && omb_is_space(t[e])) e++;
    if (e + 1 >= l.b || t[e] != '-' || t[e + 1] != ' ') return 0;
    m->line_a = l.a;
    m->line_b = l.b;
    memcpy(m->date, iso, 11);
    m->date_at = a;
    if (a > l.a) {
        /* "Meeting: date - Body (Item N)": the body */
        size_t ba = e + 2, bb = l.b;
        for (size_t i = ba; i < bb; i++)
            if (t[i] == '(') {
                bb = i;
                break;
            }
        omb_trim(t, &ba, &bb);
        m->body_a = ba;
        m->body_b = bb;
    }
    find_item(h, t, l.a, l.b, m);
    return 1;
}

static void read_meeting(const struct omb_host *h, const char *t, size_t len, struct meeting *m)
{
    size_t pos = 0;
    int after_agenda = 0;
    struct omb_line l;
    memset(m, 0, sizeof *m);
    while (omb_next_line(t, len, &pos, &l)) {
        if (l.a == l.b) continue;
        if (after_agenda && !m->title_b) {
            m->title_a = l.a;
            m->title_b = l.b;
        }
        after_agenda = omb_starts_ci(t + l.a, l.b - l.a, "Agenda item") && l.b - l.a < 20;
        if (!m->line_b && (meeting_of(h, t, l, m) || meeting_dated(h, t, l, m))) continue;
        /* another form: a heading line naming the ombudsman, such as "7.
         * Local Government and Social Care Ombudsman report" */
        if (!m->title_b && m->line_b && l.b - l.a < 100 && t[l.b - 1] != '.' &&
            (h->find_ci(t + l.a, l.b - l.a, "Ombudsman") || h->find_ci(t + l.a, l.b - l.a, "LGSCO"))) {
            size_t a = l.a;
            while (a < l.b && (omb_is_digit(t[a]) || t[a] == '.' || omb_is_space(t[a]))) a++;
            if (a > l.a && !m->item_b) {
                m->item_a = l.a;
                m->item_b = l.a;
                while (m->item_b < l.b && omb_is_digit(t[m->item_b])) m->item_b++;
            }
            m->title_a = a;
            m->title_b = l.b;
        }
    }
}

/* ---- the authority ------------------------------------------------------------------- */

static int generic_word(const struct omb_host *h, const char *p, size_t n)
{
    static const char *const words[] = {"The", "A", "An", "Full", "Leader", "Member", "Members", "Cabinet",
                                        "Executive", "Extraordinary", "Meeting", "This", "Each", "Every", "Our",
                                        "Your", "County", "City", "Borough", "District", "Metropolitan", "Town",
                                        "Parish", "Unitary", "Local", "Whole", "Of", "And", NULL};
    for (const char *const *w = words; *w; w++)
        if (n == strlen(*w) && h->find_ci(p, n, *w) == p) return 1;
    return 0;
}

/* The first council named in the text: "Somerset Council", "Kent County
 * Council", "Westmorland and Furness Council", "London Borough of Hackney".
 * "the Council" and "Full Council" are not names. */
static int authority_in_text(const struct omb_host *h, const char *t, size_t len, size_t *aa, size_t *ab)
{
    for (size_t i = 0; i + 7 <= len; i++) {
        if (strncmp(t + i, "Council", 7) == 0 && (i + 7 == len || !is_lower(t[i + 7]))) {
            /* walk back over capitalised words (and "and"/"upon") */
            size_t a = i, first_word = i;
            int words = 0, real = 0;
            for (;;) {
                size_t e = a;
                while (e > 0 && t[e - 1] == ' ') e--;
                if (e == a || e == 0) break;
                size_t s = e;
                while (s > 0 && (is_upper(t[s - 1]) || is_lower(t[s - 1]) || t[s - 1] == '-' || t[s - 1] == '\''))
                    s--;
                if (s == e) break;
                int connector = (e - s == 3 && !strncmp(t + s, "and", 3)) || (e - s == 4 && !strncmp(t + s, "upon", 4));
                if (!is_upper(t[s]) && !connector) break;
                if (!connector) {
                    words++;
                    first_word = s;
                    if (!generic_word(h, t + s, e - s)) real = 1;
                }
                a = s;
                if (words > 6) break;
            }
            if (real) {
                /* drop leading generic words ("The Somerset Council") */
                size_t s = first_word;
                while (s < i) {
                    size_t e = s;
                    while (e < i && t[e] != ' ') e++;
                    if (!generic_word(h, t + s, e - s) || e - s == 0) break;
                    s = e + 1;
                }
                *aa = s;
                *ab = i + 7;
                return 1;
            }
        }
        /* "London Borough of X" needs seven bytes before i, "Royal Borough
         * of X" six (the fuzzer found "Borough of" six bytes into a page
         * read a byte before it) */
        int london = i >= 7 && strncmp(t + i - 7, "London ", 7) == 0;
        int royal = !london && i >= 6 && strncmp(t + i - 6, "Royal ", 6) == 0;
        if (i + 11 <= len && (london || royal) && strncmp(t + i, "Borough of ", 11) == 0) {
            size_t s = i - (london ? 7 : 6), e = i + 11;
            while (e < len && (is_upper(t[e]) || (e > i + 11 && (is_lower(t[e]) || t[e] == ' ' || t[e] == '-'))))
                if (t[e] == ' ' && e + 1 < len && !is_upper(t[e + 1]) && strncmp(t + e + 1, "upon", 4)) break;
                else e++;
            if (e > i + 11) {
                *aa = s;
                *ab = e;
                return 1;
            }
        }
    }
    return 0;
}

/* ---- resolutions --------------------------------------------------------------------- */

/* A numbered item "1. text" or "(a) text" or "a) text": returns where the
 * text starts, or 0. */
static size_t numbered(const char *t, struct omb_line l)
{
    size_t i = l.a;
    if (i < l.b && t[i] == '(') i++;
    size_t d = i;
    while (i < l.b && omb_is_digit(t[i])) i++;
    if (i == d && i < l.b && is_lower(t[i]) && i + 1 < l.b && t[i + 1] == ')') i++;
    if (i == d || i - d > 3 || i >= l.b || (t[i] != '.' && t[i] != ')')) return 0;
    i++;
    if (i >= l.b || t[i] != ' ') return 0;
    return i + 1;
}

/* Does a numbered line open a list ("1.", "(a)", "i)")?  A resolution's
 * own items start there; "22. Date of next meeting" after RESOLVED is the
 * next agenda item, not what was resolved. */
static int opens_list(const char *t, struct omb_line l)
{
    size_t i = l.a;
    if (i < l.b && t[i] == '(') i++;
    if (i + 1 < l.b && (t[i] == '1' || t[i] == 'a' || t[i] == 'i') && (t[i + 1] == '.' || t[i + 1] == ')')) return 1;
    return 0;
}

struct resolutions {
    size_t a[16], b[16]; /* each resolution's text (with its number) */
    size_t n;
};

/* The first "resolved" passage: its numbered items, or else the sentence
 * after the word. */
static void read_resolutions(const struct omb_host *h, const char *t, size_t len, struct resolutions *r)
{
    r->n = 0;
    const char *p = h->find_ci(t, len, "resolved");
    if (!p) return;
    size_t at = (size_t)(p - t) + 8;
    size_t eol = at;
    while (eol < len && t[eol] != '\n') eol++;
    size_t pos = eol < len ? eol + 1 : len;
    struct omb_line l;
    while (r->n < 16 && omb_next_line(t, len, &pos, &l)) {
        if (l.a == l.b) {
            if (r->n) break;
            continue;
        }
        if (!numbered(t, l) || (!r->n && !opens_list(t, l))) break;
        r->a[r->n] = l.a;
        r->b[r->n] = l.b;
        r->n++;
    }
    if (r->n) return;
    /* "RESOLVED that the Committee notes ... ." on the same line */
    size_t a = at;
    while (a < eol && (omb_is_space(t[a]) || t[a] == ':' || t[a] == '-' || t[a] == ',')) a++;
    /* "RESOLVED –", "UNANIMOUSLY RESOLVED THAT:", "RESOLVED to:" alone on
     * its line: the decision is the next line with text */
    size_t ra = a, rb = eol;
    if (rb - ra >= 3 && (unsigned char)t[ra] == 0xE2 && (unsigned char)t[ra + 1] == 0x80) ra += 3;
    omb_trim(t, &ra, &rb);
    while (rb > ra && (t[rb - 1] == ':' || t[rb - 1] == '-')) rb--;
    omb_trim(t, &ra, &rb);
    if (ra == rb || (rb - ra == 4 && omb_starts_ci(t + ra, 4, "that")) || (rb - ra == 2 && omb_starts_ci(t + ra, 2, "to"))) {
        size_t q = eol < len ? eol + 1 : len;
        while (omb_next_line(t, len, &q, &l)) {
            size_t la = l.a, lb = l.b;
            omb_trim(t, &la, &lb);
            if (la == lb) continue;
            /* the next agenda item's heading: nothing was written as resolved */
            if (numbered(t, l) && !opens_list(t, l)) return;
            r->a[0] = la;
            r->b[0] = lb;
            r->n = 1;
            return;
        }
        return;
    }
    if (a < eol) {
        r->a[0] = a;
        r->b[0] = eol;
        omb_trim(t, &r->a[0], &r->b[0]);
        r->n = 1;
    }
}

/* ---- people ------------------------------------------------------------------------- */

static const char *const role_words[] = {"Director", "Officer", "Manager", "Head of", "Chief Executive", "Leader",
                                         "Lead Member", "Cabinet Member", "Portfolio Holder", "Chair", "Solicitor",
                                         "Clerk", "Monitoring", "Assistant", NULL};

static int is_connector(const char *p, size_t n)
{
    static const char *const c[] = {"of", "for", "and", "the", "-", "\xE2\x80\x93", "&", NULL};
    for (const char *const *w = c; *w; w++)
        if (n == strlen(*w) && !strncmp(p, *w, n)) return 1;
    return 0;
}

/* The role written just before a name: walk back from `end` over capitalised
 * words, commas and connectors ("Lead Member for Children, Families and
 * Education"), no further than `lb`; drop a leading "the" or "and". */
static int role_before(const char *t, size_t lb, size_t end, size_t *ra, size_t *rb)
{
    size_t a = end;
    for (;;) {
        size_t e = a;
        while (e > lb && (t[e - 1] == ' ' || t[e - 1] == ',')) e--;
        if (e <= lb) break;
        size_t s = e;
        while (s > lb && !omb_is_space(t[s - 1]) && t[s - 1] != ',') s--;
        if (s == e) break;
        if (!is_upper(t[s]) && !is_connector(t + s, e - s)) break;
        a = s;
    }
    /* leading connectors and commas are not part of the role */
    for (;;) {
        while (a < end && (t[a] == ' ' || t[a] == ',')) a++;
        size_t e = a;
        while (e < end && !omb_is_space(t[e]) && t[e] != ',') e++;
        if (e > a && (is_connector(t + a, e - a) || (e - a == 3 && !strncmp(t + a, "The", 3)))) a = e;
        else break;
    }
    size_t b = end;
    while (b > a && (t[b - 1] == ' ' || t[b - 1] == ',')) b--;
    *ra = a;
    *rb = b;
    return b > a;
}

/* Up to three capitalised words at i: returns where they end and how many. */
static size_t cap_words(const char *t, size_t len, size_t i, int *count)
{
    size_t end = i;
    *count = 0;
    while (*count < 3 && i < len && is_upper(t[i])) {
        size_t e = i;
        while (e < len && (is_lower(t[e]) || is_upper(t[e]) || t[e] == '-' || t[e] == '\'')) e++;
        if (e - i < 2) break;
        end = e;
        (*count)++;
        if (e < len && t[e] == ' ' && e + 1 < len && is_upper(t[e + 1])) i = e + 1;
        else break;
    }
    return end;
}

struct people {
    size_t a[MAX_PEOPLE], b[MAX_PEOPLE]; /* names as written */
    size_t n;
};

/* Has a person with the same surname been recorded ("Cllr Shearer" after
 * "Cllr Heather Shearer")? */
static int seen(const char *t, const struct people *pp, size_t a, size_t b)
{
    size_t s = b;
    while (s > a && t[s - 1] != ' ') s--;
    for (size_t k = 0; k < pp->n; k++) {
        size_t ks = pp->b[k];
        while (ks > pp->a[k] && t[ks - 1] != ' ') ks--;
        if (pp->b[k] - ks == b - s && !strncmp(t + ks, t + s, b - s)) return 1;
    }
    return 0;
}

static int note_person(const struct omb_host *h, omb_sink *sink, const char *key, const char *t, size_t na,
                       size_t nb, size_t ra, size_t rb)
{
    char buf[300];
    int n = rb > ra ? snprintf(buf, sizeof buf, "%.*s (%.*s)", (int)(nb - na), t + na, (int)(rb - ra), t + ra)
                    : snprintf(buf, sizeof buf, "%.*s", (int)(nb - na), t + na);
    if (n < 0 || (size_t)n >= sizeof buf) return OMB_OK; /* absurdly long: not a name */
    return h->doc_note(sink, key, buf, (size_t)n, na);
}

/* Members are "Cllr X Y" / "Councillor X Y"; officers are "<role>, First
 * Last," where the role names a post.  Each is noted once with its role. */
static int read_people(const struct omb_host *h, omb_sink *sink, const char *t, size_t len)
{
    struct people pp = {{0}, {0}, 0};
    size_t lb = 0; /* the end of the last person found: roles start after it */
    int rc;
    for (size_t i = 0; i < len && pp.n < MAX_PEOPLE; i++) {
        if (t[i] == '\n') lb = i;
        int member = 0;
        size_t name_at = i;
        if (!strncmp(t + i, "Cllr ", 5) && (i == 0 || !is_lower(t[i - 1]))) member = 5;
        else if (!strncmp(t + i, "Councillor ", 11) && (i == 0 || !is_lower(t[i - 1]))) member = 11;
        if (member) {
            int words;
            size_t e = cap_words(t, len, i + (size_t)member, &words);
            if (!words) continue;
            size_t ra = 0, rb = 0;
            size_t before = i;
            while (before > lb && t[before - 1] == ' ') before--;
            if (before > lb && t[before - 1] == ',') role_before(t, lb, before - 1, &ra, &rb);
            /* "Councillor Ruth Adeyemi (Chair)" */
            if (rb == ra && e + 2 < len && t[e] == ' ' && t[e + 1] == '(') {
                const char *close = memchr(t + e + 2, ')', len - e - 2 < 80 ? len - e - 2 : 80);
                if (close && is_upper(t[e + 2])) {
                    ra = e + 2;
                    rb = (size_t)(close - t);
                }
            }
            if (!seen(t, &pp, name_at, e)) {
                if ((rc = note_person(h, sink, "member", t, name_at, e, ra, rb))) return rc;
                pp.a[pp.n] = name_at;
                pp.b[pp.n] = e;
                pp.n++;
            }
            lb = e;
            i = e - 1;
            continue;
        }
        if (t[i] != ',' || i + 2 >= len || t[i + 1] != ' ' || !is_upper(t[i + 2])) continue;
        /* ", Cllr X Y": a member, handled when the scan reaches "Cllr" */
        if (!strncmp(t + i + 2, "Cllr ", 5) || !strncmp(t + i + 2, "Councillor ", 11)) continue;
        int words;
        size_t e = cap_words(t, len, i + 2, &words);
        if (words < 2 || (e < len && t[e] != ',' && t[e] != '.' && t[e] != ')' && strncmp(t + e, " who", 4) &&
                          strncmp(t + e, " and", 4)))
            continue;
        size_t ra, rb;
        if (!role_before(t, lb, i, &ra, &rb)) continue;
        int is_role = 0;
        for (const char *const *w = role_words; *w && !is_role; w++)
            if (h->find_ci(t + ra, rb - ra, *w)) is_role = 1;
        if (!is_role || seen(t, &pp, i + 2, e)) continue;
        if ((rc = note_person(h, sink, "officer", t, i + 2, e, ra, rb))) return rc;
        pp.a[pp.n] = i + 2;
        pp.b[pp.n] = e;
        pp.n++;
        lb = e;
        i = e - 1;
    }
    return OMB_OK;
}

/* ---- supporting documents ---------------------------------------------------------------- */

/* "PDF 248 KB", "-": list furniture, not a title. */
static int furniture(const struct omb_host *h, const char *t, struct omb_line l)
{
    if (l.b - l.a <= 1) return 1;
    if ((omb_starts_ci(t + l.a, l.b - l.a, "PDF ") || omb_starts_ci(t + l.a, l.b - l.a, "DOC") ||
         omb_starts_ci(t + l.a, l.b - l.a, "Word ")) &&
        (h->find_ci(t + l.a, l.b - l.a, "KB") || h->find_ci(t + l.a, l.b - l.a, "MB")))
        return 1;
    return 0;
}

/* "Case - 25 01 07 Final Report": a report dated as YY MM DD. */
static int yymmdd(const struct omb_host *h, const char *t, size_t a, size_t b, char iso[11], size_t *at)
{
    for (size_t i = a; i + 8 <= b; i++) {
        const char *p = t + i;
        if ((i > a && omb_is_digit(p[-1])) || !omb_is_digit(p[0]) || !omb_is_digit(p[1]) || p[2] != ' ' || !omb_is_digit(p[3]) ||
            !omb_is_digit(p[4]) || p[5] != ' ' || !omb_is_digit(p[6]) || !omb_is_digit(p[7]) || (i + 8 < b && omb_is_digit(p[8])))
            continue;
        char buf[16];
        snprintf(buf, sizeof buf, "20%.2s-%.2s-%.2s", p, p + 3, p + 6);
        if (h->norm_date(buf, 10, iso)) {
            *at = i;
            return 1;
        }
    }
    size_t s, n;
    if (h->find_date(t + a, b - a, &s, &n, iso)) {
        *at = a + s;
        return 1;
    }
    return 0;
}

static int read_papers(const struct omb_host *h, omb_sink *sink, const char *t, size_t len, size_t *count)
{
    size_t pos = 0;
    struct omb_line l;
    int in = 0, rc;
    *count = 0;
    while (omb_next_line(t, len, &pos, &l)) {
        if (!in) {
            in = omb_starts_ci(t + l.a, l.b - l.a, "Supporting documents") ||
                 omb_starts_ci(t + l.a, l.b - l.a, "Background papers");
            continue;
        }
        if (l.a == l.b || furniture(h, t, l)) continue;
        size_t a = l.a, b = l.b;
        while (a < b && (t[a] == '-' || t[a] == '*' || omb_is_space(t[a]))) a++;
        /* ", item 17." is where the papers hang on the agenda */
        const char *item = h->find_ci(t + a, b - a, ", item ");
        if (item) b = (size_t)(item - t);
        while (b > a && (t[b - 1] == '.' || omb_is_space(t[b - 1]))) b--;
        if (b <= a) continue;
        if ((rc = h->doc_note(sink, "supporting_document", t + a, b - a, a))) return rc;
        (*count)++;
        char iso[11];
        size_t at;
        if (h->find_ci(t + a, b - a, "report") && yymmdd(h, t, a, b, iso, &at)) {
            char buf[300];
            int n = snprintf(buf, sizeof buf, "%s %.*s", iso, (int)(b - a), t + a);
            if (n > 0 && (size_t)n < sizeof buf && (rc = h->doc_note(sink, "report_dated", buf, (size_t)n, at)))
                return rc;
        }
    }
    return OMB_OK;
}

/* ---- case references ----------------------------------------------------------------------- */

/* A reference counts only when the words just before it say it is one
 * ("case no 19019179", "our reference 21 013 337"), so telephone numbers and
 * budget codes are left alone. */
static int cited_ref(const struct omb_host *h, const char *t, size_t at)
{
    size_t from = at > 40 ? at - 40 : 0;
    static const char *const cues[] = {"case", "ref", "complaint", "ombudsman", "lgsco", "report", NULL};
    for (const char *const *c = cues; *c; c++)
        if (h->find_ci(t + from, at - from, *c)) return 1;
    return 0;
}

/* ---- money in prose ---------------------------------------------------------------------- */

/* Hands each paragraph that names a sum of money or an apology to the
 * core's remedy extractor ("had already sent Mr X a formal letter of apology
 * and had paid him £1,000").  The resolutions are left out: they decide, they
 * do not report remedies. */
static int prose_remedies(const struct omb_host *h, omb_builder *b, const char *t, size_t len,
                          const struct resolutions *r)
{
    size_t pos = 0;
    struct omb_line l;
    while (pos < len) {
        /* a paragraph: lines up to a blank one */
        size_t pa = pos, pb = pos;
        while (omb_next_line(t, len, &pos, &l)) {
            if (l.a == l.b) break;
            pb = l.b;
        }
        if (pb <= pa) continue;
        int in_res = 0;
        for (size_t k = 0; k < r->n && !in_res; k++) in_res = r->a[k] < pb && r->b[k] > pa;
        if (in_res) continue;
        if (!h->find_ci(t + pa, pb - pa, "\xC2\xA3") && !h->find_ci(t + pa, pb - pa, "apolog")) continue;
        /* sentence by sentence: "a newspaper wrongly said the Council had
         * been fined £200" reports a claim, not a remedy */
        size_t sa = pa;
        for (size_t i = pa; i <= pb; i++) {
            if (i < pb && !((t[i] == '.' || t[i] == ';') && (i + 1 == pb || omb_is_space(t[i + 1])))) continue;
            size_t sb = i < pb ? i + 1 : pb;
            if (sb > sa && !h->find_ci(t + sa, sb - sa, " fined") &&
                (h->find_ci(t + sa, sb - sa, "\xC2\xA3") || h->find_ci(t + sa, sb - sa, "apolog"))) {
                int rc = h->case_extract_remedies(b, t + sa, sb - sa, sa);
                if (rc) return rc;
            }
            sa = sb;
        }
    }
    return OMB_OK;
}

/* ---- one complaint without a reference ------------------------------------------------------ */

/* Does the text speak of a single ombudsman decision on one complaint?
 * "a finding of maladministration ... in response to a complaint", "a
 * decision from the Ombudsman ... following a complaint", "one was upheld",
 * "In one, ... the Council had been found at fault", "the upheld case".
 * Several ("two complaints were upheld") is left to the authority event. */
static int one_complaint(const struct omb_host *h, const char *t, size_t len, size_t *at)
{
    static const char *const one[] = {"finding of maladministration", "a decision from the ombudsman",
                                      "decision of ombudsman", "decision received from the ombudsman",
                                      "one was upheld", "in one, ", "the upheld case", "one complaint was upheld",
                                      "a complaint it had investigated", NULL};
    static const char *const many[] = {"two were upheld", "two complaints were upheld", "three were upheld",
                                       "upheld cases", "two upheld", NULL};
    for (const char *const *m = many; *m; m++)
        if (h->find_ci(t, len, *m)) return 0;
    for (const char *const *o = one; *o; o++) {
        const char *p = h->find_ci(t, len, *o);
        if (p) {
            *at = (size_t)(p - t);
            return 1;
        }
    }
    return 0;
}

/* Do the minutes say the ombudsman found fault (or upheld the complaint)? */
static int upheld_words(const char *t, size_t len)
{
    static const char *const no[] = {"no fault", "not upheld", "no maladministration", NULL};
    static const char *const yes[] = {"maladministration", "found at fault", "found fault", "upheld", "fault by the council",
                                      NULL};
    return !omb_has_any_ci(t, len, no) && omb_has_any_ci(t, len, yes);
}

/* Subject words -> the ombudsman's sub-category (the core knows its
 * category). */
static const struct {
    const char *words, *sub;
} minute_subjects[] = {
    {"disabled facilities grant", "Disabled facilities grants"},
    {"noise", "Noise"},
    {"special educational needs", "Special educational needs"},
    {"homeless", "Homelessness"},
    {"council tax", "Council tax"},
    {"planning application", "Planning applications"},
    {"planning enforcement", "Enforcement"},
    {"school transport", "School transport"},
    {NULL, NULL},
};

static int subject_in(const struct omb_host *h, const char *t, size_t len)
{
    for (int k = 0; minute_subjects[k].words; k++)
        if (h->find_ci(t, len, minute_subjects[k].words)) return k;
    return -1;
}

/* ---- parse ----------------------------------------------------------------------------------- */

static int minutes_parse(const struct omb_host *h, omb_sink *sink, const struct omb_doc *doc)
{
    const char *t = doc->text;
    size_t len = doc->len;
    int rc;
    struct meeting m;
    read_meeting(h, t, len, &m);
    struct resolutions r;
    read_resolutions(h, t, len, &r);
    if (!m.line_b && !r.n)
        return h->error(sink, 0,
                        "expected the minutes of a meeting: a line such as \"Meeting of Executive, Wednesday, 26th "
                        "February, 2025\" or \"Minutes of the meeting of ... held on ...\", and its resolutions");

    if (m.kind_b > m.kind_a && (rc = h->doc_note(sink, "meeting", t + m.kind_a, m.kind_b - m.kind_a, m.kind_a)))
        return rc;
    if (!m.date[0]) {
        /* "CABINET – 14 MARCH 2023": a heading dates the meeting when no
         * meeting line does (the first few lines with text only) */
        size_t q = 0, seen = 0;
        struct omb_line hl;
        while (seen < 4 && omb_next_line(t, len, &q, &hl)) {
            if (hl.a == hl.b) continue;
            seen++;
            size_t ds, dl;
            if (hl.b - hl.a < 80 && h->find_date(t + hl.a, hl.b - hl.a, &ds, &dl, m.date)) {
                m.date_at = hl.a + ds;
                break;
            }
        }
    }
    if (m.date[0] && (rc = h->doc_note(sink, "meeting_date", m.date, 10, m.date_at))) return rc;
    if (m.item_b > m.item_a && (rc = h->doc_note(sink, "item", t + m.item_a, m.item_b - m.item_a, m.item_a)))
        return rc;
    if (m.title_b > m.title_a &&
        (rc = h->doc_note(sink, "item_title", t + m.title_a, m.title_b - m.title_a, m.title_a)))
        return rc;
    if (!m.date[0])
        h->warn(sink, m.line_a, "expected the meeting's date on the meeting line; event recorded without a date");

    /* the council: the user's word first, then one the minutes name */
    const char *auth = NULL;
    size_t auth_n = 0, auth_at = 0, aa, ab;
    if (doc->authority && *doc->authority) {
        auth = doc->authority;
        auth_n = strlen(auth);
    } else if (authority_in_text(h, t, len, &aa, &ab)) {
        auth = t + aa;
        auth_n = ab - aa;
        auth_at = aa;
    }
    if (auth && (rc = h->doc_note(sink, "authority", auth, auth_n, auth_at))) return rc;
    /* "Audit and Governance Committee of Maidstone Borough Council": the
     * body without the council's name */
    if (m.body_b > m.body_a && auth) {
        const char *of = h->find_ci(t + m.body_a, m.body_b - m.body_a, " of ");
        if (of && (size_t)(t + m.body_b - of) == auth_n + 4 &&
            !strncmp(of + 4, auth, auth_n))
            m.body_b = (size_t)(of - t);
    }
    if (m.body_b > m.body_a && (rc = h->doc_note(sink, "body", t + m.body_a, m.body_b - m.body_a, m.body_a)))
        return rc;

    for (size_t k = 0; k < r.n; k++)
        if ((rc = h->doc_note(sink, "resolution", t + r.a[k], r.b[k] - r.a[k], r.a[k]))) return rc;
    if ((rc = read_people(h, sink, t, len))) return rc;
    size_t papers;
    if ((rc = read_papers(h, sink, t, len, &papers))) return rc;

    if (!r.n) {
        h->warn(sink, m.line_a, "expected a \"resolved\" passage with the committee's decision; no event recorded");
        return OMB_OK;
    }
    /* the event's text: the resolutions as written, one after another */
    size_t ea = r.a[0];
    char text[4096];
    size_t tn = 0;
    for (size_t k = 0; k < r.n && tn + (r.b[k] - r.a[k]) + 2 < sizeof text; k++) {
        if (tn) text[tn++] = ' ';
        memcpy(text + tn, t + r.a[k], r.b[k] - r.a[k]);
        tn += r.b[k] - r.a[k];
    }
    const char *date = m.date[0] ? m.date : NULL;
    size_t date_n = date ? 10 : 0;

    /* cases cited by reference get the event; each reference once.  When
     * the minutes cite one case only, what they say the council paid or
     * agreed to pay, and its apology, are that case's remedies: the
     * paragraphs naming money or an apology go to the core's extractor. */
    size_t ncited = 0;
    {
        char seen1[11] = "";
        for (size_t j = 0; j < len;) {
            size_t s, n;
            char norm[11];
            if (!h->find_ref(t + j, len - j, &s, &n, norm)) break;
            if (cited_ref(h, t, j + s) && strcmp(seen1, norm)) {
                ncited++;
                memcpy(seen1, norm, 11);
            }
            j += s + n;
        }
    }
    char refs[MAX_REFS][11];
    size_t nrefs = 0, i = 0;
    while (i < len && nrefs < MAX_REFS) {
        size_t s, n;
        char norm[11];
        if (!h->find_ref(t + i, len - i, &s, &n, norm)) break;
        size_t at = i + s;
        i = at + n;
        if (!cited_ref(h, t, at)) continue;
        int dup = 0;
        for (size_t k = 0; k < nrefs && !dup; k++) dup = !strcmp(refs[k], norm);
        if (dup) continue;
        memcpy(refs[nrefs++], norm, 11);
        omb_builder *b = h->case_begin(sink, at);
        if (!b) return OMB_ENOMEM;
        if ((rc = h->case_set(b, OMB_FIELD_REF, t + at, n, at)) ||
            (auth && (rc = h->case_set(b, OMB_FIELD_AUTHORITY, auth, auth_n, auth_at))) ||
            (rc = h->case_add_event(b, EVENT_TYPE, date, date_n, text, tn, ea)) ||
            (ncited == 1 && (rc = prose_remedies(h, b, t, len, &r)))) {
            h->case_discard(b);
            return rc;
        }
        if ((rc = h->case_end(b))) return rc;
    }
    if (!auth)
        h->warn(sink, m.line_a,
                "the minutes do not name the council; the event is recorded without an authority (give it with "
                "--authority NAME)");
    if (nrefs) return OMB_OK;
    /* no reference, but the minutes are about one decision on one complaint
     * ("a finding of maladministration ... in a complaint", "one was
     * upheld"): that complaint is a case of this document, keyed "complaint
     * 1", with what the minutes say of it */
    size_t one_at;
    if (one_complaint(h, t, len, &one_at)) {
        omb_builder *b = h->case_begin(sink, one_at);
        if (!b) return OMB_ENOMEM;
        int fault = upheld_words(t, len);
        int subj = subject_in(h, t, len);
        rc = h->case_set(b, OMB_FIELD_ROW_KEY, "complaint 1", 11, one_at);
        if (!rc && auth) rc = h->case_set(b, OMB_FIELD_AUTHORITY, auth, auth_n, auth_at);
        if (!rc && fault) rc = h->case_set(b, OMB_FIELD_OUTCOME, "upheld", 6, one_at);
        if (!rc && subj >= 0) {
            const char *sub = minute_subjects[subj].sub;
            const char *cat = h->category_of(sub, strlen(sub));
            if (cat) rc = h->case_set(b, OMB_FIELD_CATEGORY, cat, strlen(cat), one_at);
            if (!rc && cat) rc = h->case_set(b, OMB_FIELD_SUBCATEGORY, sub, strlen(sub), one_at);
        }
        if (!rc) rc = h->case_add_event(b, EVENT_TYPE, date, date_n, text, tn, ea);
        if (!rc) rc = prose_remedies(h, b, t, len, &r);
        if (rc) {
            h->case_discard(b);
            return rc;
        }
        return h->case_end(b);
    }
    return h->authority_event(sink, auth ? auth : "", auth_n, EVENT_TYPE, date, date_n, text, tn, ea);
}

static const struct omb_source_ops ops = {
    .probe = minutes_probe,
    .parse = minutes_parse,
    .rank = 20,
};

OMB_PLUGIN_EXPORT const struct omb_plugin ombuds_plugin = {
    .abi_version = OMB_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(struct omb_plugin),
    .kind = OMB_PLUGIN_SOURCE,
    .name = "minutes",
    .version = "1.0",
    .description = "Council minutes accepting ombudsman reports: meeting, resolutions, people, supporting papers",
    .ops = &ops,
};
