/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * press_release.c -- source plugin for the ombudsman's news items: a title,
 * paragraphs of prose with quotes from the Ombudsman, and "Article date: 11
 * January 2024", with website furniture after it.  It records, for each
 * complaint the release describes, what happened to it: remedies carried out
 * late, public reports issued, recommendations agreed or accepted, new dates
 * promised, remedies carried out.  Dates, references, money and the
 * council's name are normalised by the core; this file only finds them.
 *
 * Decisions (documented here because they show in the store):
 * - One case per complaint.  A complaint with a reference ("(22 004 577)",
 *   "case 22004577") is that case; otherwise the release's own count ("two
 *   separate complaints", "both cases", "in the second case") says how many
 *   there are, and each is an unreferenced case keyed "complaint N" in this
 *   document.  A release about one complaint has one.  A sentence is about
 *   the complaint it names (by reference or "in the first case"), about all
 *   of them when it says "both" or counts them, else about the one the
 *   paragraph last named.
 * - One record per kind of event per complaint: "taken too long" and
 *   "failed to apologise" about the same complaint are one late record.  A
 *   later mention replaces an earlier one only when it dates it more
 *   precisely ("till Spring 2024", then "by the end of May 2024").
 * - Each record is dated by what the text says happened when: an agreement
 *   "in 2022" is dated 2022, a promise "by the end of May 2024" 2024-05 (ISO
 *   8601 reduced precision), a sentence's own full date wins; what the
 *   release reports as now ("has now agreed", "has taken too long", "has
 *   issued a report") carries the article date; a past agreement with no
 *   date ("the council agreed to ...") is left undated.  The date phrase also
 *   opens the record's text: "by the end of May 2024: <the sentence>".
 * - The complaint's category comes from its subject (SEND and EHC plans are
 *   Education > Special educational needs, home education Education >
 *   Elective home education, ...); the improvements counted are the actions
 *   for the council's services it agreed to ("agreed to review ..., to train
 *   ..."), not personal remedies; money and apologies it agreed or made go
 *   to the core's remedy extractor.  Such a complaint was upheld.
 * - The council is the last one named so far ("the council" refers back);
 *   before any is named, --authority, else the only council the release
 *   names.  Quoted speech and the Ombudsman's standard closing line are
 *   skipped: they comment on events, they do not report new ones.
 */
#include <ombuds/plugin.h>
#include <ombuds/text.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_upper(char c) { return c >= 'A' && c <= 'Z'; }

/* Finds "Article date:" at the start of a line; sets [*va, *vb) to the value
 * and *line_a to where the line starts. */
static int article_date(const struct omb_host *h, const char *t, size_t len, size_t *line_a, size_t *va, size_t *vb)
{
    for (const char *p = t; (p = h->find_ci(p, len - (size_t)(p - t), "Article date")); p++) {
        size_t a = (size_t)(p - t);
        size_t s = a;
        while (s > 0 && (t[s - 1] == ' ' || t[s - 1] == '\t')) s--;
        if (s > 0 && t[s - 1] != '\n') continue;
        size_t i = a + 12;
        while (i < len && (t[i] == ' ' || t[i] == '\t')) i++;
        if (i >= len || t[i] != ':') continue;
        const char *nl = memchr(t + i, '\n', len - i);
        *line_a = s;
        *va = i + 1;
        *vb = nl ? (size_t)(nl - t) : len;
        omb_trim(t, va, vb);
        return 1;
    }
    return 0;
}

/* ---- councils -------------------------------------------------------------------- */

/* Words that may start a sentence before "Council" but are no part of a name. */
static const char *const not_name[] = {"The", "This", "That", "A", "An", "Each", "Every", "Both", "Our", "Their",
                                       "Its", "Any", "No", "Another", "Which", "When", "In", "On", "At", "By", "For",
                                       "Despite", "However", "But", "And", "If", "While", "As", "Where", NULL};
/* Lower-case words allowed inside a name ("Newcastle upon Tyne City Council"). */
static const char *const connectors[] = {"of", "and", "upon", "on", "under", "le", "in", "the", NULL};

static int word_in(const char *t, size_t a, size_t b, const char *const *list)
{
    for (; *list; list++)
        if (strlen(*list) == b - a && !memcmp(t + a, *list, b - a)) return 1;
    return 0;
}

/* Name characters: letters, apostrophes (also U+2019), hyphens, dots. */
static size_t word_start(const char *t, size_t lo, size_t e)
{
    while (e > lo) {
        char c = t[e - 1];
        if (omb_is_alpha(c) || c == '\'' || c == '-' || c == '.') e--;
        else if (e - lo >= 3 && (unsigned char)t[e - 3] == 0xE2 && (unsigned char)t[e - 2] == 0x80 &&
                 (unsigned char)t[e - 1] == 0x99)
            e -= 3;
        else break;
    }
    return e;
}

/* Looks for a council's name in [a, b): "<Capitalised words> Council" or
 * "London Borough of X" / "Royal Borough of X".  Returns the last one, with
 * its span. */
static int find_council(const char *t, size_t a, size_t b, size_t *na, size_t *nb)
{
    int found = 0;
    for (size_t i = a; i + 7 <= b; i++) {
        if (memcmp(t + i, "Council", 7) || (i + 7 < b && omb_is_alpha(t[i + 7])) || (i > a && omb_is_alpha(t[i - 1])))
            continue;
        /* walk back over capitalised words and inner connectors */
        size_t start = i, e = i;
        int words = 0;
        while (words < 8) {
            size_t s = e;
            while (s > a && t[s - 1] == ' ') s--;
            if (s == e || s == a) break;
            size_t ws = word_start(t, a, s);
            if (ws == s) break;
            if (is_upper(t[ws])) {
                start = ws;
                e = ws;
                words++;
                continue;
            }
            /* a connector counts only with a capitalised word before it */
            if (!word_in(t, ws, s, connectors)) break;
            size_t s2 = ws;
            while (s2 > a && t[s2 - 1] == ' ') s2--;
            size_t ws2 = word_start(t, a, s2);
            if (ws2 == s2 || !is_upper(t[ws2])) break;
            e = ws;
        }
        /* drop leading words that are not part of a name */
        while (start < i) {
            size_t we = start;
            while (we < i && t[we] != ' ') we++;
            if (!word_in(t, start, we, not_name)) break;
            start = we;
            while (start < i && t[start] == ' ') start++;
        }
        if (start < i) {
            *na = start;
            *nb = i + 7;
            found = 1;
        }
    }
    static const char *const boroughs[] = {"London Borough of ", "Royal Borough of ", NULL};
    for (const char *const *p = boroughs; *p; p++) {
        size_t n = strlen(*p);
        for (size_t i = a; i + n < b; i++) {
            if (memcmp(t + i, *p, n) || !is_upper(t[i + n]) || (found && i < *na)) continue;
            size_t e = i + n;
            while (e < b && (is_upper(t[e]) || (omb_is_alpha(t[e]) && e > i + n))) {
                while (e < b && (omb_is_alpha(t[e]) || t[e] == '-' || t[e] == '\'')) e++;
                if (e + 1 < b && t[e] == ' ' && is_upper(t[e + 1])) e++;
                else break;
            }
            *na = i;
            *nb = e;
            found = 1;
        }
    }
    return found;
}

/* ---- dates in prose ------------------------------------------------------------------ */

static const char *const date_words[] = {"the", "end", "of", "early", "late", "mid", "start", "beginning", "spring",
                                         "summer", "autumn", "winter", "january", "february", "march", "april", "may",
                                         "june", "july", "august", "september", "october", "november", "december",
                                         "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
                                         "nov", "dec", NULL};
static const char *const forward_preps[] = {"by", "till", "until", "before", NULL};
static const char *const past_preps[] = {"in", "during", "since", "from", "after", "on", NULL};

static int word_in_ci(const struct omb_host *h, const char *t, size_t a, size_t b, const char *const *list)
{
    for (; *list; list++)
        if (strlen(*list) == b - a && h->find_ci(t + a, b - a, *list) == t + a) return 1;
    return 0;
}

/* A date phrase anchored on a year: "by the end of May 2024", "in 2022",
 * "till Spring 2024", "by 31 May 2024".  Finds the first one in [a, b) that
 * starts at or after `from`; *forward says whether its preposition looks
 * ahead (by, till, until, before). */
static int find_phrase(const struct omb_host *h, const char *t, size_t from, size_t b, size_t *pa, size_t *pb,
                       int *forward)
{
    for (size_t i = from; i + 4 <= b; i++) {
        if (!omb_is_digit(t[i]) || (i > from && (omb_is_digit(t[i - 1]) || omb_is_alpha(t[i - 1])))) continue;
        if (!((t[i] == '1' && t[i + 1] == '9') || (t[i] == '2' && t[i + 1] == '0')) || !omb_is_digit(t[i + 2]) ||
            !omb_is_digit(t[i + 3]) || (i + 4 < b && (omb_is_digit(t[i + 4]) || omb_is_alpha(t[i + 4]))))
            continue;
        size_t start = i;
        int fwd = 0, prep = 0;
        for (int words = 0; words < 8; words++) {
            size_t e = start;
            while (e > from && t[e - 1] == ' ') e--;
            if (e == start) break;
            size_t s = e;
            while (s > from && (omb_is_alpha(t[s - 1]) || omb_is_digit(t[s - 1]))) s--;
            if (s == e) break;
            /* day numbers and ordinals: "31", "1st" */
            int day = omb_is_digit(t[s]) && e - s <= 4;
            if (word_in_ci(h, t, s, e, forward_preps)) {
                start = s;
                fwd = prep = 1;
                break;
            }
            if (word_in_ci(h, t, s, e, past_preps)) {
                start = s;
                prep = 1;
                break;
            }
            if (!day && !word_in_ci(h, t, s, e, date_words)) break;
            start = s;
        }
        /* "due in Spring 2024" looks ahead too */
        if (prep && !fwd && start >= 4 && h->find_ci(t + start - 4, 4, "due ") == t + start - 4) fwd = 1;
        *pa = start;
        *pb = i + 4;
        *forward = fwd;
        return 1;
    }
    return 0;
}

/* ---- what a sentence reports ----------------------------------------------------------- */

static const char *const late_words[] = {"taken too long", "too long to", "not acted", "has not carried out",
                                         "had not carried out", "did not carry out", "not been carried out",
                                         "not been completed", "not complied", "failed to apologise",
                                         "failed to pay", "failed to carry out", "failed to complete",
                                         "failed to implement", "failed to comply", "failed to put",
                                         "failed to provide", "missed the deadline", "delay in carrying out",
                                         "late in carrying out", "still not", NULL};
static const char *const report_words[] = {"publish a report", "publish reports", "published a report",
                                           "published reports", "publishing a report", "issued a report",
                                           "issue a report", "issued a public report", "public report",
                                           "publicly report", "report to the public", NULL};
static const char *const accepted_words[] = {"now agreed to", "agreed to fresh", "agreed to further",
                                             "agreed to new recommendations", "further recommendations",
                                             "fresh recommendations", "accepted our", "accepted the", "accepted recommendations",
                                             "has accepted", "have accepted", "now accepted", NULL};
static const char *const agreed_words[] = {"agreed to", "agreeing to", "agreed in", "agreed our", "agreed the",
                                           "agreed with", NULL};
static const char *const done_words[] = {"has apologised", "has now apologised", "has paid", "has now paid",
                                         "provided the required payment", "has made the payment",
                                         "has introduced", "has also introduced", "has now introduced",
                                         "has carried out", "has now carried out", "has completed",
                                         "has now completed", NULL};
/* Boilerplate of every release: the Ombudsman describing itself. */
static const char *const skip_words[] = {"remedies injustice and shares learning", NULL};

/* ---- subjects and improvements --------------------------------------------------------- */

/* Subject words -> the ombudsman's sub-category (whose category the core's
 * table knows), or a category alone.  First match in this order wins, so
 * "transport policy for young adults with special educational needs" is SEND. */
static const struct {
    const char *words, *sub, *cat;
} subjects[] = {
    {"special educational needs", "Special educational needs", NULL},
    {"SEND", "Special educational needs", NULL},
    {"education, health and care plan", "Special educational needs", NULL},
    {"EHC plan", "Special educational needs", NULL},
    {"EHCP", "Special educational needs", NULL},
    {"home educat", "Elective home education", NULL},
    {"school transport", "School transport", NULL},
    {"missing education", "Alternative provision", NULL},
    {"without proper education", "Alternative provision", NULL},
    {"alternative provision", "Alternative provision", NULL},
    {"homeless", "Homelessness", NULL},
    {"care and support plan", "Assessment and care plan", NULL},
    {"care home", "Residential care", NULL},
    {"care charges", "Charging", NULL},
    {"adult social care", NULL, "Adult care services"},
    {"damp and mould", NULL, "Housing"},
    {NULL, NULL, NULL},
};

static int subject_of(const struct omb_host *h, const char *t, size_t a, size_t b)
{
    for (int k = 0; subjects[k].words; k++) {
        const char *w = subjects[k].words;
        int upper = w[0] >= 'A' && w[0] <= 'Z' && w[1] >= 'A' && w[1] <= 'Z';
        /* an acronym is matched as written, with a word boundary */
        if (upper) {
            size_t n = strlen(w);
            for (size_t i = a; i + n <= b; i++)
                if (!memcmp(t + i, w, n) && (i == a || !omb_is_alpha(t[i - 1])) &&
                    (i + n == b || !omb_is_alpha(t[i + n])))
                    return k;
        } else if (h->find_ci(t + a, b - a, w)) {
            return k;
        }
    }
    return -1;
}

/* Verbs that open an action for the council's services; a personal remedy
 * (pay, apologise, reassess, provide evidence) is not one. */
static const char *const improve_verbs[] = {"review", "train", "give training", "provide training", "remind",
                                            "update", "change", "improve", "write a policy", "create a policy",
                                            "introduce", "audit", "revise", "issue guidance", "share",
                                            "report to", "develop", "set up", NULL};

static int opens_improvement(const struct omb_host *h, const char *t, size_t a, size_t b)
{
    while (a < b && omb_is_space(t[a])) a++;
    if (b - a >= 3 && !strncmp(t + a, "to ", 3)) a += 3;
    if (b - a >= 4 && !strncmp(t + a, "and ", 4)) a += 4;
    if (b - a >= 3 && !strncmp(t + a, "to ", 3)) a += 3;
    for (const char *const *v = improve_verbs; *v; v++) {
        size_t n = strlen(*v);
        if (b - a >= n && h->find_ci(t + a, n, *v) == t + a) return 1;
    }
    return 0;
}

/* Does a list item start at t[a]: an improvement's verb or a personal
 * remedy's ("pay", "apologise", "reassess")? */
static int opens_action(const struct omb_host *h, const char *t, size_t a, size_t b)
{
    static const char *const personal[] = {"pay ", "apologis", "make a payment", "make payments", "reassess",
                                           "provide ", "arrange", "meet ", "ask ", "offer", "refund", "remove",
                                           "consider", "reconsider", "carry out", "complete", NULL};
    if (opens_improvement(h, t, a, b)) return 1;
    for (const char *const *v = personal; *v; v++) {
        size_t n = strlen(*v);
        if (b - a >= n && h->find_ci(t + a, n, *v) == t + a) return 1;
    }
    return 0;
}

/* ---- complaints and their records -------------------------------------------------------- */

enum kind { K_LATE, K_REPORT, K_AGREED, K_ACCEPTED, K_PROMISED, K_DONE, K_N };
static const char *const kind_type[K_N] = {"remedy late", "public report issued", "recommendations agreed",
                                           "recommendations accepted", "new date promised", "remedy carried out"};

/* One record of one kind for one complaint. */
struct record {
    int set;
    int prec;              /* how precise its date is: 0 none, 1 year, 2 month, 3 day */
    size_t date_a, date_b; /* the date as the text gives it (empty: undated) */
    size_t phrase_a, phrase_b; /* the date phrase that opens the text, or empty */
    size_t sent_a, sent_b; /* the sentence */
};

#define MAX_COMPLAINTS 8
#define MAX_SPANS 16

struct complaint {
    int ref;                 /* index into refs, or -1 */
    size_t auth_a, auth_b;   /* its council */
    int subject;             /* index into subjects, or -1 */
    struct record rec[K_N];
    size_t imp_a[MAX_SPANS], imp_b[MAX_SPANS];
    int n_imp;
    size_t rem_a[MAX_SPANS], rem_b[MAX_SPANS];
    int n_rem;
};

/* One case reference, in order of first mention. */
struct ref {
    size_t a, b;        /* the reference as written */
    char norm[11];
    size_t auth_a, auth_b; /* its council */
};

#define MAX_REFS 32

struct reader {
    const struct omb_host *h;
    omb_sink *sink;
    const char *t;
    struct ref refs[MAX_REFS];
    int n_refs;
    struct complaint c[MAX_COMPLAINTS];
    int n;                      /* complaints */
    int subject_all;            /* a subject named for all complaints, or -1 */
    size_t auth_a, auth_b;      /* the current council; empty when none */
    const char *fallback_auth;  /* --authority */
    size_t date_a, date_b;      /* the article date; empty when none */
    char article[11];           /* the article date, ISO, or "" */
    int warned_no_council;
};

static const char *const ordinals[4] = {"first", "second", "third", "fourth"};
static const char *const number_words[] = {"two", "three", "four", "five", "six", "seven", "eight", NULL};

/* Which complaint ("In the second complaint", "The first case", "In a
 * second complaint") a sentence
 * opens with, or -1.  Only those forms: "after the second complaint" is a
 * second complaint by the same person, not a second case of the release. */
static int ordinal_of(const struct omb_host *h, const char *t, size_t a, size_t b)
{
    for (int k = 0; k < 4; k++) {
        char x[40];
        /* "In a second complaint" introduces the next one as surely as
         * "In the second complaint" does */
        const char *forms[] = {"in the %s case", "in the %s complaint", "the %s case", "the %s complaint",
                               "in a %s case",   "in a %s complaint",   "a %s case",   "a %s complaint"};
        for (int f = 0; f < 8; f++) {
            snprintf(x, sizeof x, forms[f], ordinals[k]);
            const char *p = h->find_ci(t + a, b - a, x);
            /* at the start of the sentence, or after the closing line's
             * boilerplate ("... services. In the first case ...") */
            if (p && (size_t)(p - t) <= a + 2) return k;
        }
    }
    return -1;
}

/* Does the sentence speak of all the complaints ("both cases", "two
 * separate complaints", "in each case")?  Sets *count to the number it gives. */
static int about_all(const struct omb_host *h, const char *t, size_t a, size_t b, int *count)
{
    *count = 0;
    if (h->find_ci(t + a, b - a, "both cases") || h->find_ci(t + a, b - a, "both complaints") ||
        h->find_ci(t + a, b - a, "both of these cases") || h->find_ci(t + a, b - a, "in both")) {
        *count = 2;
        return 1;
    }
    for (int k = 0; number_words[k]; k++) {
        size_t n = strlen(number_words[k]);
        for (const char *p = t + a; (p = h->find_ci(p, (size_t)(t + b - p), number_words[k])); p += n) {
            size_t i = (size_t)(p - t);
            if (i > a && omb_is_alpha(t[i - 1])) continue;
            if (i + n < b && omb_is_alpha(t[i + n])) continue;
            /* "two separate education complaints", "two cases" */
            size_t e = i + n, words = 0;
            while (e < b && words < 3) {
                while (e < b && t[e] == ' ') e++;
                size_t ws = e;
                while (e < b && omb_is_alpha(t[e])) e++;
                if (e == ws) break;
                if (h->find_ci(t + ws, e - ws, "complaint") == t + ws || h->find_ci(t + ws, e - ws, "case") == t + ws) {
                    *count = k + 2;
                    return 1;
                }
                words++;
            }
        }
    }
    return h->find_ci(t + a, b - a, "each case") || h->find_ci(t + a, b - a, "each complaint");
}

/* Records the reference at [a, b) (normalised `norm`); returns its index. */
static int note_ref(struct reader *r, size_t a, size_t b, const char *norm)
{
    for (int k = 0; k < r->n_refs; k++)
        if (!strcmp(r->refs[k].norm, norm)) return k;
    if (r->n_refs == MAX_REFS) return -1;
    struct ref *f = &r->refs[r->n_refs];
    f->a = a;
    f->b = b;
    memcpy(f->norm, norm, sizeof f->norm);
    f->auth_a = r->auth_a;
    f->auth_b = r->auth_b;
    return r->n_refs++;
}

/* ---- sentences ------------------------------------------------------------------------------ */

/* Calls fn on each sentence of each paragraph that is not quoted speech
 * (". " followed by a capital, a digit or a quote ends a sentence). */
typedef int (*sentence_fn)(struct reader *r, size_t a, size_t b, size_t para_a, void *ud);

static int is_speech(const struct omb_host *h, const char *t, size_t a, size_t b)
{
    unsigned char c = (unsigned char)t[a];
    if (c == '"' || c == '\'') return 1;
    if (c == 0xE2 && b - a >= 3 && (unsigned char)t[a + 1] == 0x80 &&
        ((unsigned char)t[a + 2] == 0x9C || (unsigned char)t[a + 2] == 0x98))
        return 1;
    return b - a >= 5 && h->find_ci(t + b - 5, 5, "said:") == t + b - 5;
}

static int each_sentence(struct reader *r, size_t from, size_t end, sentence_fn fn, void *ud)
{
    const struct omb_host *h = r->h;
    const char *t = r->t;
    size_t pos = from;
    int rc;
    while (pos < end) {
        while (pos < end && omb_is_space(t[pos])) pos++;
        if (pos >= end) break;
        size_t pa = pos, pb = pos;
        while (pb < end) {
            const char *e = memchr(t + pb, '\n', end - pb);
            size_t le = e ? (size_t)(e - t) : end;
            size_t la = pb, lb = le;
            omb_trim(t, &la, &lb);
            if (la == lb) break;
            pb = le < end ? le + 1 : end;
        }
        pos = pb;
        omb_trim(t, &pa, &pb);
        if (pb <= pa || is_speech(h, t, pa, pb)) continue;
        size_t s = pa;
        for (size_t i = pa; i < pb; i++) {
            if (t[i] != '.' && t[i] != '?' && t[i] != '!') continue;
            size_t j = i + 1;
            while (j < pb && (t[j] == ')' || t[j] == '"')) j++;
            if (j < pb && !omb_is_space(t[j])) continue;
            while (j < pb && omb_is_space(t[j])) j++;
            if (j < pb && !(is_upper(t[j]) || omb_is_digit(t[j]) || t[j] == '"' || (unsigned char)t[j] == 0xE2)) continue;
            if ((rc = fn(r, s, i + 1, pa, ud))) return rc;
            s = j;
        }
        if (s < pb && (rc = fn(r, s, pb, pa, ud))) return rc;
    }
    return OMB_OK;
}

/* Pass 1: references and how many complaints the release describes. */
struct count_state {
    int max_ord, count;
};

static int count_sentence(struct reader *r, size_t a, size_t b, size_t para_a, void *ud)
{
    (void)para_a;
    struct count_state *cs = ud;
    const struct omb_host *h = r->h;
    const char *t = r->t;
    if (omb_has_any_ci(t + a, b - a, skip_words) && ordinal_of(h, t, a, b) < 0) return OMB_OK;
    size_t na, nb;
    if (find_council(t, a, b, &na, &nb)) r->auth_a = na, r->auth_b = nb;
    size_t pos = a, rs, rl;
    char norm[11];
    while (pos < b && h->find_ref(t + pos, b - pos, &rs, &rl, norm)) {
        note_ref(r, pos + rs, pos + rs + rl, norm);
        pos += rs + rl;
    }
    int k = ordinal_of(h, t, a, b), n;
    if (k + 1 > cs->max_ord) cs->max_ord = k + 1;
    if (about_all(h, t, a, b, &n) && n > cs->count) cs->count = n;
    return OMB_OK;
}

/* Pass 2 state: the complaints the current paragraph is about. */
struct read_state {
    size_t para_a;
    int target;   /* a complaint index, or -1 for all */
    int last_ord; /* the complaint the text last named, or -1 */
};

/* Stores a record of kind k on complaint ci, keeping one per kind: a later
 * mention replaces it only with a more precise date. */
static void put(struct reader *r, int ci, enum kind k, int prec, size_t da, size_t db, size_t pa, size_t pb, size_t sa,
                size_t sb)
{
    struct complaint *c = &r->c[ci];
    struct record *x = &c->rec[k];
    if (x->set && prec <= x->prec) return;
    *x = (struct record){1, prec, da, db, pa, pb, sa, sb};
    if (c->auth_b == c->auth_a && c->ref < 0) c->auth_a = r->auth_a, c->auth_b = r->auth_b;
}

/* How precise a date phrase is: a full date 3, a month and year 2, a year 1. */
static int precision(const struct omb_host *h, const char *t, size_t a, size_t b)
{
    size_t s, n;
    char iso[11];
    if (h->find_date(t + a, b - a, &s, &n, iso)) return 3;
    static const char *const months[] = {"january", "february", "march", "april", "may", "june", "july", "august",
                                         "september", "october", "november", "december", NULL};
    for (const char *const *m = months; *m; m++)
        if (h->find_ci(t + a, b - a, *m)) return 2;
    return 1;
}

/* The year and, when given, the month of a phrase: "the end of May 2024"
 * -> "May 2024", "in 2022" -> "2022" (the core reads these as reduced
 * precision dates). */
static void date_core(const struct omb_host *h, const char *t, size_t pa, size_t pb, size_t *da, size_t *db)
{
    *da = pa;
    *db = pb;
    size_t s, n;
    char iso[11];
    if (h->find_date(t + pa, pb - pa, &s, &n, iso)) {
        *da = pa + s;
        *db = pa + s + n;
        return;
    }
    size_t y = pb >= 4 ? pb - 4 : pa;
    *da = y;
    *db = pb;
    /* a month name just before the year */
    size_t e = y;
    while (e > pa && t[e - 1] == ' ') e--;
    size_t w = e;
    while (w > pa && omb_is_alpha(t[w - 1])) w--;
    if (e > w && precision(h, t, w, e) == 2) *da = w;
}

/* Is the date phrase [pa, pb) earlier than the article (by year, or by
 * month within the article's year)? */
static int before_article(const struct reader *r, size_t pa, size_t pb)
{
    const char *t = r->t;
    size_t da, db;
    date_core(r->h, t, pa, pb, &da, &db);
    if (db < da + 4) return 0;
    int y = atoi(r->article), py = atoi(t + db - 4);
    if (py != y) return py < y;
    if (precision(r->h, t, pa, pb) < 2) return 0;
    static const char *const months[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                         "dec"};
    int am = atoi(r->article + 5);
    for (int m = 0; m < 12; m++)
        if (r->h->find_ci(t + da, db - da, months[m])) return m + 1 < am;
    return 0;
}

static int read_sentence(struct reader *r, size_t a, size_t b, size_t para_a, void *ud)
{
    struct read_state *st = ud;
    const struct omb_host *h = r->h;
    const char *t = r->t;
    size_t n = b - a, na, nb;
    if (para_a != st->para_a) {
        /* a new paragraph continues with the complaint last named */
        st->para_a = para_a;
        st->target = r->n == 1 ? 0 : st->last_ord;
    }
    int ord = ordinal_of(h, t, a, b);
    if (omb_has_any_ci(t + a, n, skip_words) && ord < 0) return OMB_OK;
    if (find_council(t, a, b, &na, &nb)) r->auth_a = na, r->auth_b = nb;

    /* which complaint: a reference, an ordinal, "both", else the paragraph's */
    size_t pos = a, rs, rl;
    char norm[11];
    int by_ref = -1;
    while (pos < b && h->find_ref(t + pos, b - pos, &rs, &rl, norm)) {
        for (int k = 0; k < r->n_refs; k++)
            if (!strcmp(r->refs[k].norm, norm)) by_ref = k;
        pos += rs + rl;
    }
    int cnt;
    if (by_ref >= 0 && by_ref < r->n) st->target = st->last_ord = by_ref;
    else if (ord >= 0 && ord < r->n) st->target = st->last_ord = ord;
    else if (r->n > 1 && about_all(h, t, a, b, &cnt)) st->target = -1;
    int lo = st->target < 0 ? 0 : st->target, hi = st->target < 0 ? r->n : st->target + 1;

    int subj = subject_of(h, t, a, b);
    if (subj >= 0) {
        if (st->target < 0) {
            if (r->subject_all < 0) r->subject_all = subj;
        } else if (r->c[st->target].subject < 0) {
            r->c[st->target].subject = subj;
        }
    }

    int late = omb_has_any_ci(t + a, n, late_words);
    int report = omb_has_any_ci(t + a, n, report_words);
    int accepted = omb_has_any_ci(t + a, n, accepted_words);
    int done = omb_has_any_ci(t + a, n, done_words);
    int agreed = !accepted && omb_has_any_ci(t + a, n, agreed_words);
    size_t pa, pb, fa = 0, fb = 0, ka = 0, kb = 0;
    int fwd;
    for (size_t from = a; find_phrase(h, t, from, b, &pa, &pb, &fwd); from = pb) {
        /* "went without education until February 2020": a date before the
         * article's is no promise */
        if (fwd && r->article[0] && before_article(r, pa, pb)) fwd = 0;
        if (fwd && fb == fa) fa = pa, fb = pb;  /* the promised date */
        if (!fwd && kb == ka) ka = pa, kb = pb; /* a date in the past */
    }
    int promised = fb > fa;
    if (agreed && promised && kb == ka) agreed = 0;
    if (promised) done = 0;

    /* what the council agreed to, for the complaints this sentence is about
     * ("In both cases the council has agreed to apologise" is each one's) */
    for (int ci = lo; ci < hi && !late; ci++) {
        struct complaint *c = &r->c[ci];
        int money = h->find_ci(t + a, n, "\xC2\xA3") != NULL;
        if ((agreed || accepted || done || money || h->find_ci(t + a, n, "apologis")) && c->n_rem < MAX_SPANS) {
            c->rem_a[c->n_rem] = a;
            c->rem_b[c->n_rem++] = b;
        }
        /* "agreed to apologise, pay £500 and review X, to give training
         * ..., and to write a policy": the list's items start at a verb;
         * each action for its services is an improvement */
        const char *ag = h->find_ci(t + a, n, "agreed to ");
        if (!ag || h->find_ci(t + a, (size_t)(ag - (t + a)), "not ")) continue;
        size_t s0 = (size_t)(ag - t) + 10, cut = s0;
        for (size_t i = s0; i <= b && c->n_imp < MAX_SPANS; i++) {
            size_t next = 0;
            if (i < b) {
                if (t[i] == ',' && i + 2 < b && t[i + 1] == ' ') next = i + 2;
                else if (t[i] == ' ' && i + 5 < b && !strncmp(t + i, " and ", 5)) next = i + 5;
                if (!next) continue;
                size_t v = next;
                if (b - v > 4 && !strncmp(t + v, "and ", 4)) v += 4;
                if (b - v > 3 && !strncmp(t + v, "to ", 3)) v += 3;
                if (!opens_action(h, t, v, b)) continue;
            }
            size_t xa = cut, xb = i;
            omb_trim(t, &xa, &xb);
            if (xb > xa && t[xb - 1] == '.') xb--;
            /* the action without the "and to" that joined it */
            if (xb - xa > 4 && !strncmp(t + xa, "and ", 4)) xa += 4;
            if (xb - xa > 3 && !strncmp(t + xa, "to ", 3)) xa += 3;
            if (xb > xa && opens_improvement(h, t, xa, xb)) {
                c->imp_a[c->n_imp] = xa;
                c->imp_b[c->n_imp++] = xb;
            }
            cut = next ? next : b;
            if (next) i = next - 1;
        }
    }

    if (!(late || report || accepted || done || agreed || promised)) return OMB_OK;
    if (r->auth_b == r->auth_a && !r->fallback_auth) {
        if (!r->warned_no_council)
            h->warn(r->sink, a, "a sentence reports an event but no council has been named yet; expected a name such "
                                "as \"Bury Metropolitan Borough Council\" (or give --authority); event skipped");
        r->warned_no_council = 1;
        return OMB_OK;
    }
    /* a full date in the sentence dates what it reports, except a promise */
    size_t da = r->date_a, db = r->date_b, ds, dl;
    char iso[11];
    int own = 0;
    if (h->find_date(t + a, n, &ds, &dl, iso) && !(promised && a + ds >= fa && a + ds < fb))
        da = a + ds, db = a + ds + dl, own = 1;
    if (kb > ka && own && da >= ka && da < kb) ka = kb = 0;
    int now_prec = db > da ? 3 : 0;
    /* an agreement the text dates ("in 2022") takes that date; one it
     * reports as now ("has agreed") the article's; a bare past one none */
    size_t ga = da, gb = db;
    int gprec = now_prec;
    if (kb > ka && !own) {
        date_core(h, t, ka, kb, &ga, &gb);
        gprec = precision(h, t, ka, kb);
    } else if (!own && !h->find_ci(t + a, n, "has agreed") && !h->find_ci(t + a, n, "has now agreed") &&
               !h->find_ci(t + a, n, "has also agreed") && !h->find_ci(t + a, n, "have agreed") &&
               !h->find_ci(t + a, n, "has since agreed")) {
        ga = gb = 0;
        gprec = 0;
    }
    size_t wa = 0, wb = 0;
    int wprec = 0;
    if (promised) {
        date_core(h, t, fa, fb, &wa, &wb);
        wprec = precision(h, t, fa, fb);
    }
    for (int ci = lo; ci < hi; ci++) {
        if (late) put(r, ci, K_LATE, now_prec, da, db, 0, 0, a, b);
        if (report) put(r, ci, K_REPORT, now_prec, da, db, 0, 0, a, b);
        if (agreed) put(r, ci, K_AGREED, gprec, ga, gb, ka, kb, a, b);
        if (accepted) put(r, ci, K_ACCEPTED, gprec, ga, gb, ka, kb, a, b);
        if (promised) put(r, ci, K_PROMISED, wprec, wa, wb, fa, fb, a, b);
        if (done) put(r, ci, K_DONE, now_prec, da, db, 0, 0, a, b);
    }
    return OMB_OK;
}

/* Composes "<phrase>: <sentence>" (or the sentence alone) and records it on
 * the case. */
static int emit(struct reader *r, omb_builder *b, enum kind k, const struct record *e)
{
    const struct omb_host *h = r->h;
    const char *t = r->t;
    size_t tn = e->sent_b - e->sent_a, pn = e->phrase_b - e->phrase_a;
    char *text = malloc(tn + pn + 3);
    if (!text) return OMB_ENOMEM;
    size_t o = 0;
    if (pn) {
        memcpy(text, t + e->phrase_a, pn);
        memcpy(text + pn, ": ", 2);
        o = pn + 2;
    }
    memcpy(text + o, t + e->sent_a, tn);
    o += tn;
    const char *date = e->date_b > e->date_a ? t + e->date_a : NULL;
    int rc = h->case_add_event(b, kind_type[k], date, e->date_b - e->date_a, text, o, e->sent_a);
    free(text);
    return rc;
}

static int write_complaint(struct reader *r, int ci)
{
    const struct omb_host *h = r->h;
    const char *t = r->t;
    struct complaint *c = &r->c[ci];
    int any = 0;
    size_t first = (size_t)-1;
    for (int k = 0; k < K_N; k++)
        if (c->rec[k].set) {
            any = 1;
            if (c->rec[k].sent_a < first) first = c->rec[k].sent_a;
        }
    if (!any && c->ref < 0) return OMB_OK;
    if (c->ref >= 0) first = r->refs[c->ref].a;
    omb_builder *b = h->case_begin(r->sink, first);
    if (!b) return OMB_ENOMEM;
    int rc = OMB_OK;
    if (c->ref >= 0) {
        struct ref *f = &r->refs[c->ref];
        rc = h->case_set(b, OMB_FIELD_REF, t + f->a, f->b - f->a, f->a);
        if (!rc && f->auth_b > f->auth_a) c->auth_a = f->auth_a, c->auth_b = f->auth_b;
    } else {
        char key[24];
        int kn = snprintf(key, sizeof key, "complaint %d", ci + 1);
        rc = h->case_set(b, OMB_FIELD_ROW_KEY, key, (size_t)kn, first);
    }
    if (!rc && c->auth_b > c->auth_a)
        rc = h->case_set(b, OMB_FIELD_AUTHORITY, t + c->auth_a, c->auth_b - c->auth_a, c->auth_a);
    else if (!rc && r->fallback_auth)
        rc = h->case_set(b, OMB_FIELD_AUTHORITY, r->fallback_auth, strlen(r->fallback_auth), first);
    int subj = c->subject >= 0 ? c->subject : r->subject_all;
    if (!rc && subj >= 0) {
        const char *sub = subjects[subj].sub;
        const char *cat = sub ? h->category_of(sub, strlen(sub)) : subjects[subj].cat;
        if (cat) rc = h->case_set(b, OMB_FIELD_CATEGORY, cat, strlen(cat), first);
        if (!rc && sub) rc = h->case_set(b, OMB_FIELD_SUBCATEGORY, sub, strlen(sub), first);
    }
    /* the release reports what was put right, so the complaint was upheld */
    if (!rc && any) rc = h->case_set(b, OMB_FIELD_OUTCOME, "upheld", 6, first);
    for (int k = 0; k < c->n_rem && !rc; k++) rc = h->case_extract_remedies(b, t + c->rem_a[k], c->rem_b[k] - c->rem_a[k], c->rem_a[k]);
    for (int k = 0; k < c->n_imp && !rc; k++)
        rc = h->case_add_improvement(b, t + c->imp_a[k], c->imp_b[k] - c->imp_a[k], c->imp_a[k]);
    for (int k = 0; k < K_N && !rc; k++)
        if (c->rec[k].set) rc = emit(r, b, (enum kind)k, &c->rec[k]);
    if (rc) {
        h->case_discard(b);
        return rc;
    }
    return h->case_end(b);
}

static int press_parse(const struct omb_host *h, omb_sink *sink, const struct omb_doc *doc)
{
    const char *t = doc->text;
    size_t len = doc->len, line_a, va, vb;
    struct reader r;
    int rc = OMB_OK;
    memset(&r, 0, sizeof r);
    r.h = h;
    r.sink = sink;
    r.t = t;
    r.fallback_auth = doc->authority;
    r.subject_all = -1;

    size_t end = len;
    if (article_date(h, t, len, &line_a, &va, &vb)) {
        char iso[11];
        end = line_a; /* what follows is website furniture */
        if (h->norm_date(t + va, vb - va, iso)) {
            r.date_a = va;
            r.date_b = vb;
            memcpy(r.article, iso, sizeof r.article);
            if ((rc = h->doc_note(sink, "article_date", iso, 10, va))) return rc;
        } else
            h->warn(sink, va, "expected a date such as \"11 January 2024\" after \"Article date:\"; events left undated");
    } else
        h->warn(sink, 0, "no \"Article date:\" line; events are dated only where the text gives a date");

    /* the title: the first line with text */
    size_t pos = 0;
    while (pos < end && omb_is_space(t[pos])) pos++;
    const char *nl = memchr(t + pos, '\n', end - pos);
    size_t title_b = nl ? (size_t)(nl - t) : end;
    if (title_b <= pos) return h->error(sink, 0, "expected a title line and paragraphs before \"Article date:\"");
    size_t ta = pos, tb = title_b;
    omb_trim(t, &ta, &tb);
    if ((rc = h->doc_note(sink, "title", t + ta, tb - ta, ta))) return rc;
    int tsubj = subject_of(h, t, ta, tb);

    /* without --authority, a release that names one council only is about it */
    size_t start_a = 0, start_b = 0;
    if (!r.fallback_auth) {
        size_t na, nb, fa = 0, fb = 0;
        int one = 1;
        for (size_t p = title_b; p < end;) {
            const char *e = memchr(t + p, '\n', end - p);
            size_t le = e ? (size_t)(e - t) : end;
            if (find_council(t, p, le, &na, &nb)) {
                if (fb == fa) fa = na, fb = nb;
                else if (nb - na != fb - fa || memcmp(t + na, t + fa, nb - na)) one = 0;
            }
            p = le + 1;
        }
        if (one && fb > fa) start_a = fa, start_b = fb;
    }

    /* pass 1: references and the number of complaints */
    struct count_state cs = {0, 0};
    r.auth_a = start_a, r.auth_b = start_b;
    if ((rc = each_sentence(&r, title_b, end, count_sentence, &cs))) return rc;
    /* as many complaints as the release names by reference, counts or
     * orders ("In a second complaint" after one referenced case is a second,
     * unreferenced complaint), whichever is most */
    r.n = r.n_refs;
    if (cs.count > r.n) r.n = cs.count;
    if (cs.max_ord > r.n) r.n = cs.max_ord;
    if (r.n < 1) r.n = 1;
    if (r.n > MAX_COMPLAINTS) r.n = MAX_COMPLAINTS;
    for (int k = 0; k < r.n; k++) {
        r.c[k].ref = k < r.n_refs ? k : -1;
        r.c[k].subject = -1;
    }
    if (tsubj >= 0) r.subject_all = tsubj;

    /* pass 2: what happened to each */
    struct read_state st = {(size_t)-1, r.n == 1 ? 0 : -1, -1};
    r.auth_a = start_a, r.auth_b = start_b;
    if ((rc = each_sentence(&r, title_b, end, read_sentence, &st))) return rc;
    for (int k = 0; k < r.n && !rc; k++) rc = write_complaint(&r, k);
    return rc;
}

static int press_probe(const char *t, size_t len, const char *filename)
{
    (void)filename;
    (void)len;
    int score = 0;
    /* "Article date:" at the start of a line is the news page's signature */
    for (const char *p = t; (p = strstr(p, "Article date:")); p++)
        if (p == t || p[-1] == '\n') {
            score += 70;
            break;
        }
    if (strstr(t, "Ombudsman")) score += 10;
    if (strstr(t, "Ombudsman, said") || strstr(t, "Ombudsman said")) score += 15;
    const char *nl = strchr(t, '\n');
    size_t first = nl ? (size_t)(nl - t) : strlen(t);
    /* a headline ending "– Ombudsman" */
    if (first > 12 && (!strncmp(t + first - 12, " - Ombudsman", 12) || (first > 14 && !strncmp(t + first - 14, " \xE2\x80\x93 Ombudsman", 14))))
        score += 15;
    /* the other families' signatures */
    if (strstr(t, "Case Ref:") || strstr(t, "Decision date") || strstr(t, "Service Improvement Recommendations") ||
        strstr(t, "RESOLVED") || strstr(t, "Back to top"))
        score -= 50;
    if (score < 30) return 0;
    return score > 100 ? 100 : score;
}

static const struct omb_source_ops ops = {
    .probe = press_probe,
    .parse = press_parse,
    .rank = 10,
};

OMB_PLUGIN_EXPORT const struct omb_plugin ombuds_plugin = {
    .abi_version = OMB_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(struct omb_plugin),
    .kind = OMB_PLUGIN_SOURCE,
    .name = "press_release",
    .version = "1.0",
    .description = "Ombudsman news items: events (remedies late, public reports, dates promised) against councils",
    .ops = &ops,
};
