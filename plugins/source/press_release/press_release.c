/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * press_release.c -- source plugin for the ombudsman's news items: a title,
 * paragraphs of prose with quotes from the Ombudsman, and "Article date: 11
 * January 2024", with website furniture after it.  It records the events a
 * release reports (remedies carried out late, public reports issued,
 * recommendations agreed or accepted, new dates promised, remedies carried
 * out) against the council it names.  Cases are only made for references the
 * text gives; everything else is an authority event.  Dates, references and
 * the council's name are normalised by the core; this file only finds them.
 *
 * Decisions (documented here because they show in the store):
 * - An event's date is the article date (when the release reports it) unless
 *   the sentence gives a full date of its own ("on 3 March 2023").  Partial or
 *   promised dates ("by the end of May 2024", "in 2022", "till Spring 2024")
 *   are not dates the core can store, so they open the event text:
 *   "by the end of May 2024: <the sentence>".  A "new date promised" event is
 *   always dated by the article, its promised date is in the text.
 * - The council is the last one named so far ("the council" refers back);
 *   before any is named, --authority, else the only council the release names.
 * - A reference ("(22 004 577)", "case 22004577") makes a case with only the
 *   reference and council; sentences of that paragraph, and later paragraphs
 *   about "the first case" when the first case had that reference, attach
 *   their events to it.
 * - Quoted speech and the Ombudsman's standard closing line are skipped: they
 *   comment on events, they do not report new ones.
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

/* One event read from the text, kept until the cases are built. */
struct event {
    const char *type;
    int ref;              /* index into refs, or -1 for the authority alone */
    size_t auth_a, auth_b; /* the council's name in the text */
    size_t date_a, date_b; /* the event's date in the text (the article date unless its own) */
    size_t phrase_a, phrase_b; /* a partial/promised date phrase, or empty */
    size_t sent_a, sent_b;     /* the sentence */
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
    struct event *ev;
    size_t n_ev, cap_ev;
    struct ref refs[MAX_REFS];
    int n_refs;
    int ordinal_ref[4];         /* "first".."fourth" case -> index into refs, or -1 */
    size_t auth_a, auth_b;      /* the current council; empty when none */
    const char *fallback_auth;  /* --authority */
    size_t date_a, date_b;      /* the article date; empty when none */
    int warned_no_council;
};

static int add_event(struct reader *r, const char *type, int ref, size_t da, size_t db, size_t pa, size_t pb,
                     size_t sa, size_t sb)
{
    if (r->n_ev == r->cap_ev) {
        size_t cap = r->cap_ev ? r->cap_ev * 2 : 16;
        struct event *e = realloc(r->ev, cap * sizeof *e);
        if (!e) return OMB_ENOMEM;
        r->ev = e;
        r->cap_ev = cap;
    }
    r->ev[r->n_ev++] = (struct event){type, ref, r->auth_a, r->auth_b, da, db, pa, pb, sa, sb};
    return OMB_OK;
}

static const char *const ordinals[4] = {"first", "second", "third", "fourth"};

/* Which ordinal case ("the second complaint") a passage speaks of, or -1. */
static int ordinal_of(const struct omb_host *h, const char *p, size_t n)
{
    for (int k = 0; k < 4; k++) {
        char a[24], b[24];
        snprintf(a, sizeof a, "%s case", ordinals[k]);
        snprintf(b, sizeof b, "%s complaint", ordinals[k]);
        if (h->find_ci(p, n, a) || h->find_ci(p, n, b)) return k;
    }
    return -1;
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

/* Reads one sentence [a, b) of a paragraph whose case is *para_ref. */
static int sentence(struct reader *r, size_t a, size_t b, int *para_ref)
{
    const struct omb_host *h = r->h;
    const char *t = r->t;
    size_t n = b - a, na, nb;
    int rc;
    if (omb_has_any_ci(t + a, n, skip_words)) return OMB_OK;
    if (find_council(t, a, b, &na, &nb)) {
        r->auth_a = na;
        r->auth_b = nb;
    }
    /* references named in this sentence */
    size_t pos = a, rs, rl;
    char norm[11];
    while (pos < b && h->find_ref(t + pos, b - pos, &rs, &rl, norm)) {
        int k = note_ref(r, pos + rs, pos + rs + rl, norm);
        if (k >= 0) *para_ref = k;
        pos += rs + rl;
    }
    int ref = *para_ref;

    int late = omb_has_any_ci(t + a, n, late_words);
    int report = omb_has_any_ci(t + a, n, report_words);
    int accepted = omb_has_any_ci(t + a, n, accepted_words);
    int done = omb_has_any_ci(t + a, n, done_words);
    int agreed = !accepted && omb_has_any_ci(t + a, n, agreed_words);
    size_t pa, pb, fa = 0, fb = 0, ka = 0, kb = 0;
    int fwd;
    for (size_t from = a; find_phrase(h, t, from, b, &pa, &pb, &fwd); from = pb) {
        if (fwd && fb == fa) fa = pa, fb = pb;  /* the promised date */
        if (!fwd && kb == ka) ka = pa, kb = pb; /* a date in the past */
    }
    int promised = fb > fa;
    /* "agreed to provide evidence ... by the end of May 2024" is the promise
     * itself; an agreement is its own event only when dated or alone */
    if (agreed && promised && kb == ka) agreed = 0;
    /* "evidence to show it has carried out ... by May 2024" is a promise */
    if (promised) done = 0;
    if (!(late || report || accepted || done || agreed || promised)) return OMB_OK;
    if (r->auth_b == r->auth_a && !r->fallback_auth) {
        if (!r->warned_no_council)
            h->warn(r->sink, a, "a sentence reports an event but no council has been named yet; expected a name such "
                                "as \"Bury Metropolitan Borough Council\" (or give --authority); event skipped");
        r->warned_no_council = 1;
        return OMB_OK;
    }
    /* a full date in the sentence dates its events, except promises */
    size_t da = r->date_a, db = r->date_b, ds, dl;
    char iso[11];
    if (h->find_date(t + a, n, &ds, &dl, iso) && !(promised && a + ds >= fa && a + ds < fb))
        da = a + ds, db = a + ds + dl;
    /* a phrase that is that full date ("On 4 October 2023") says nothing more */
    if (kb > ka && da >= ka && da < kb) ka = kb = 0;
    if (late && (rc = add_event(r, "remedy late", ref, da, db, 0, 0, a, b))) return rc;
    if (report && (rc = add_event(r, "public report issued", ref, da, db, 0, 0, a, b))) return rc;
    if (agreed && (rc = add_event(r, "recommendations agreed", ref, da, db, ka, kb, a, b))) return rc;
    if (accepted && (rc = add_event(r, "recommendations accepted", ref, da, db, ka, kb, a, b))) return rc;
    if (promised && (rc = add_event(r, "new date promised", ref, r->date_a, r->date_b, fa, fb, a, b))) return rc;
    if (done && (rc = add_event(r, "remedy carried out", ref, da, db, 0, 0, a, b))) return rc;
    return OMB_OK;
}

/* Is the paragraph quoted speech, or the line introducing it? */
static int is_speech(const struct omb_host *h, const char *t, size_t a, size_t b)
{
    unsigned char c = (unsigned char)t[a];
    if (c == '"' || c == '\'') return 1;
    if (c == 0xE2 && b - a >= 3 && (unsigned char)t[a + 1] == 0x80 &&
        ((unsigned char)t[a + 2] == 0x9C || (unsigned char)t[a + 2] == 0x98))
        return 1;
    return b - a >= 5 && h->find_ci(t + b - 5, 5, "said:") == t + b - 5;
}

/* Splits a paragraph [a, b) into sentences: ". " (or "?", "!") followed by a
 * capital letter, a digit or a quote. */
static int paragraph(struct reader *r, size_t a, size_t b)
{
    const struct omb_host *h = r->h;
    const char *t = r->t;
    if (is_speech(h, t, a, b)) return OMB_OK;
    int para_ref = -1, rc;
    /* an earlier reference named by its ordinal: "In the first case ..." */
    int ord = ordinal_of(h, t + a, b - a);
    size_t rs, rl;
    char norm[11];
    if (ord >= 0 && !h->find_ref(t + a, b - a, &rs, &rl, norm)) para_ref = r->ordinal_ref[ord];
    size_t s = a;
    for (size_t i = a; i < b; i++) {
        if (t[i] != '.' && t[i] != '?' && t[i] != '!') continue;
        size_t j = i + 1;
        while (j < b && (t[j] == ')' || t[j] == '"')) j++;
        if (j < b && !omb_is_space(t[j])) continue;
        while (j < b && omb_is_space(t[j])) j++;
        if (j < b && !(is_upper(t[j]) || omb_is_digit(t[j]) || t[j] == '"' || (unsigned char)t[j] == 0xE2)) continue;
        if ((rc = sentence(r, s, i + 1, &para_ref))) return rc;
        s = j;
    }
    if (s < b && (rc = sentence(r, s, b, &para_ref))) return rc;
    /* remember which reference this paragraph's ordinal case had */
    if (ord >= 0 && para_ref >= 0 && r->ordinal_ref[ord] < 0) r->ordinal_ref[ord] = para_ref;
    return OMB_OK;
}

/* Composes "<phrase>: <sentence>" (or the sentence alone) and records the
 * event on the case b, or against the council when b is NULL. */
static int emit(struct reader *r, omb_builder *b, const struct event *e)
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
    size_t date_n = e->date_b - e->date_a;
    const char *auth = e->auth_b > e->auth_a ? t + e->auth_a : r->fallback_auth;
    size_t auth_n = e->auth_b > e->auth_a ? e->auth_b - e->auth_a : strlen(r->fallback_auth);
    int rc = b ? h->case_add_event(b, e->type, date, date_n, text, o, e->sent_a)
               : h->authority_event(r->sink, auth, auth_n, e->type, date, date_n, text, o, e->sent_a);
    free(text);
    return rc;
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
    for (int k = 0; k < 4; k++) r.ordinal_ref[k] = -1;

    size_t end = len;
    if (article_date(h, t, len, &line_a, &va, &vb)) {
        char iso[11];
        end = line_a; /* what follows is website furniture */
        if (h->norm_date(t + va, vb - va, iso)) {
            r.date_a = va;
            r.date_b = vb;
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

    /* without --authority, a release that names one council only is about it */
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
        if (one && fb > fa) r.auth_a = fa, r.auth_b = fb;
    }

    /* paragraphs: blocks of non-blank lines */
    pos = title_b;
    while (pos < end && !rc) {
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
        rc = paragraph(&r, pa, pb);
    }

    /* cases first, each with its events; then the council's own events */
    for (int k = 0; k < r.n_refs && !rc; k++) {
        struct ref *f = &r.refs[k];
        omb_builder *b = h->case_begin(sink, f->a);
        if (!b) {
            rc = OMB_ENOMEM;
            break;
        }
        rc = h->case_set(b, OMB_FIELD_REF, t + f->a, f->b - f->a, f->a);
        if (!rc && f->auth_b > f->auth_a) rc = h->case_set(b, OMB_FIELD_AUTHORITY, t + f->auth_a, f->auth_b - f->auth_a, f->auth_a);
        else if (!rc && r.fallback_auth)
            rc = h->case_set(b, OMB_FIELD_AUTHORITY, r.fallback_auth, strlen(r.fallback_auth), f->a);
        for (size_t i = 0; i < r.n_ev && !rc; i++)
            if (r.ev[i].ref == k) rc = emit(&r, b, &r.ev[i]);
        if (rc) h->case_discard(b);
        else rc = h->case_end(b);
    }
    for (size_t i = 0; i < r.n_ev && !rc; i++)
        if (r.ev[i].ref < 0) rc = emit(&r, NULL, &r.ev[i]);
    free(r.ev);
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
