/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * remedy.c -- the remedy extractor shared by every source plugin.
 *
 * A passage is cut into clauses (sentences, ';' lists, bullets).  In each
 * clause every "£" amount is a payment unless the words around it make it a
 * waiver ("waive", "write off"), a restated total ("a total of"), money that
 * is no remedy (refused, claimed, invoiced, estimated, from an earlier
 * complaint), or a rate ("£40 an hour"; a rate alone is an open-ended
 * payment of unknown total).  Purposes are read from the words after the amount up to
 * the next amount.  Clauses without amounts can still name an apology, a
 * payment of unknown size, a service, or another remedy.  Money parsing itself
 * is normalise.c; plugins decide which passage to hand over.
 */
#include "remedy.h"

#include <ombuds/plugin.h>
#include <ombuds/text.h>
#include <string.h>
#include <strings.h>

#include "normalise.h"

/* Canonical purposes and the words that name them.  The order here is the
 * order purposes are listed in. */
static const struct {
    const char *purpose;
    const char *words[16];
} purpose_table[] = {
    {"avoidable distress", {"distress", "frustration", "upset", "anxiety", "worry", "outrage", NULL}},
    {"time and trouble", {"time and trouble", NULL}},
    {"uncertainty", {"uncertainty", NULL}},
    {"loss of service",
     {"loss of service", "loss of education", "loss of suitable education", "education provision",
      "provision the child missed", "missed education", "lost education", "missed provision",
      "loss of provision", "impact of that loss", "loss of care", "loss of respite"}},
    {"quantifiable loss",
     {"quantifiable loss", "reimburs", "refund", "costs", "cost of", "fees", "expenses", "funded by", "financial loss",
      "out of pocket", "withheld", "arrears", "underpaid", "overcharged", "mileage"}},
    {"lost opportunity", {"lost opportunity", "loss of opportunity", NULL}},
};

static int is_white(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* Does the ASCII needle occur in hay[0..n), ignoring case, with each space in
 * the needle matching any run of white space?  Passages are handed over as
 * written, so "time and\n     trouble" wraps across lines. */
static int has_folded(const char *hay, size_t n, const char *needle)
{
    for (size_t i = 0; i < n; i++) {
        size_t h = i;
        const char *q = needle;
        while (*q && h < n) {
            if (*q == ' ') {
                if (!is_white(hay[h])) break;
                while (h < n && is_white(hay[h])) h++;
                q++;
                continue;
            }
            char a = hay[h], b = *q;
            if (a >= 'A' && a <= 'Z') a = (char)(a + 32);
            if (b >= 'A' && b <= 'Z') b = (char)(b + 32);
            if (a != b) break;
            h++, q++;
        }
        if (!*q) return 1;
    }
    return 0;
}

/* "the provision J missed", "the therapy she did not receive": a service
 * named and, within a few words after it, said to be missed.  Names and
 * pronouns vary too much to list the phrases whole. */
static int missed_service(const char *text, size_t n)
{
    static const char *const what[] = {"provision", "education", "support", "tuition", "therapy", "schooling",
                                       "respite", "lessons", "sessions", NULL};
    static const char *const missed[] = {"missed", "went without", "did not receive", "did not get", "was without",
                                         "lost", NULL};
    for (const char *const *w = what; *w; w++) {
        size_t wl = strlen(*w);
        for (const char *p = text; (p = omb_memcasemem(p, (size_t)(text + n - p), *w)); p += wl) {
            size_t from = (size_t)(p - text) + wl, span = n - from < 25 ? n - from : 25;
            for (const char *const *m = missed; *m; m++)
                if (has_folded(text + from, span, *m)) return 1;
        }
    }
    return 0;
}

/* Copies p[0..n) into out in lower case with each run of white space as one
 * space, so that has_folded's matching becomes a plain strstr.  Returns 0
 * when out (cap bytes) is too small. */
static int fold_lower(const char *p, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (is_white(c) || c == '\0') {
            while (i + 1 < n && is_white(p[i + 1])) i++;
            c = ' ';
        } else if (c >= 'A' && c <= 'Z') {
            c = (char)(c + 32);
        }
        if (o + 1 >= cap) return 0;
        out[o++] = c;
    }
    out[o] = '\0';
    return 1;
}

int omb_purposes_of(const char *text, size_t n, char *out, size_t cap)
{
    int found = 0;
    size_t o = 0;
    /* purpose words are looked for in a folded copy (one pass, then strstr
     * per word); a passage too long for the buffer is scanned as it is */
    char folded[2048];
    int have_folded = fold_lower(text, n, folded, sizeof folded);
    if (cap) out[0] = '\0';
    for (size_t k = 0; k < sizeof purpose_table / sizeof purpose_table[0]; k++) {
        int hit = 0;
        for (size_t w = 0; w < 16 && purpose_table[k].words[w] && !hit; w++)
            if (have_folded ? strstr(folded, purpose_table[k].words[w]) != NULL
                            : has_folded(text, n, purpose_table[k].words[w]))
                hit = 1;
        if (!hit && !strcmp(purpose_table[k].purpose, "loss of service")) hit = missed_service(text, n);
        if (!hit) continue;
        size_t len = strlen(purpose_table[k].purpose);
        if (o + len + 2 > cap) break;
        if (found) out[o++] = ';';
        memcpy(out + o, purpose_table[k].purpose, len);
        o += len;
        out[o] = '\0';
        found++;
    }
    return found;
}

/* Is a '£' at p[i] (0xC2 0xA3)? */
static int pound_at(const char *p, size_t n, size_t i)
{
    return i + 1 < n && (unsigned char)p[i] == 0xC2 && (unsigned char)p[i + 1] == 0xA3;
}

/* Where does the clause starting at i end?  At ';', a bullet, or a full stop
 * followed by white space (a decimal point is followed by a digit). */
static size_t clause_end(const char *p, size_t n, size_t i)
{
    for (; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == ';') return i + 1;
        if (c == '.' && (i + 1 == n || p[i + 1] == ' ' || p[i + 1] == '\n' || p[i + 1] == '\t' || p[i + 1] == '\r')) {
            /* "e.g. " and "i.e. " do not end a clause */
            if (i >= 3 && (p[i - 2] == '.' && (p[i - 1] == 'g' || p[i - 1] == 'e'))) continue;
            return i + 1;
        }
        /* a bullet (U+2022) starts a new clause */
        if (c == 0xE2 && i + 2 < n && (unsigned char)p[i + 1] == 0x80 && (unsigned char)p[i + 2] == 0xA2 && i > 0)
            return i;
        /* a blank line, or a new numbered item, also ends it */
        if (c == '\n') {
            size_t j = i + 1;
            while (j < n && (p[j] == ' ' || p[j] == '\t' || p[j] == '\r')) j++;
            if (j < n && p[j] == '\n') return i + 1;
            size_t d = j;
            while (d < n && p[d] >= '0' && p[d] <= '9') d++;
            if (d > j && d < n && (p[d] == '.' || p[d] == ')')) return i + 1;
            if (j < n && (p[j] == '-' || p[j] == '*')) return i + 1;
        }
    }
    return n;
}

struct amount {
    size_t start, end; /* the amount as written */
    int64_t pence;
};

#define MAX_AMOUNTS 32

static const char *const waiver_words[] = {"waive", "write off", "write-off", "written off", "writing off", "cancel",
                                           "not pursue", "not to pursue", "reduce", "wipe", "remove the charge",
                                           "discount", NULL};
/* A waiver's words, or "credit" ("credit her account") that is not a tax
 * credit: "repay the tax credits she lost" is a payment, not a waiver. */
static int says_waiver(const char *p, size_t n)
{
    if (omb_has_any_ci(p, n, waiver_words)) return 1;
    for (size_t i = 0; i + 6 <= n; i++) {
        const char *q = omb_memcasemem(p + i, n - i, "credit");
        if (!q) break;
        size_t at = (size_t)(q - p);
        if (!(at >= 4 && omb_memcasemem(p + at - 4, 4, "tax "))) return 1;
        i = at;
    }
    return 0;
}

static const char *const total_before[] = {"total of", "totalling", "totaling", "in total", "altogether",
                                           "total payment", "total sum", NULL};
static const char *const rate_after[] = {" an hour", " per hour", " a week", " per week", " a month", " per month",
                                         " a day", " per day", " a night", " for each week", " for every week",
                                         " each week", " for each month", " for every month", " each month",
                                         " for each night", NULL};
static const char *const service_words[] = {"provide services", "provide information", "provide advice",
                                            "reassess", "re-assess", "carry out an assessment",
                                            "complete an assessment", "arrange an assessment", "new assessment",
                                            "issue b", "issue the final", "final ehc plan", "issue a final",
                                            "issue an amended", "arrange tuition", "arrange suitable", "reconsider",
                                            "review the care", "review her care", "review his care", "carry out a review of the",
                                            "provide support", "final plan", "finalise", "fresh appeal", "new appeal",
                                            "fresh hearing", NULL};
static const char *const other_words[] = {"remedied", "no remedy", "independent investigator", "own remedy",
                                          "backdate", "reinstate", "withdraw the", NULL};
/* Money that is not a remedy: refused, or belonging to an earlier complaint,
 * anywhere before the amount in its clause ("offered Mrs X £250, which she
 * refused" is one clause with the refusal after: see not_a_remedy). */
static const char *const refused_words[] = {"refused", "declined", "rejected", "earlier complaint",
                                            "previous complaint", "not part of this remedy", NULL};
/* ... or claimed, demanded, invoiced, estimated: unless the clause pays it
 * back before naming it ("reimburse the £2,180 she was invoiced"). */
static const char *const claimed_words[] = {"claim", "demand", "invoiced", "estimate", "asked for", "asks for",
                                            "wants", "requested", "sought", "seeking", NULL};
static const char *const pay_verbs[] = {"pay", "refund", "reimburs", "repay", "compensat", NULL};

/* Is the amount c[start, end) of the clause c[0, cn) money that is not a
 * remedy?  A refusal or an earlier complaint anywhere in the clause settles
 * it; a claim word settles it unless a paying verb comes before the amount
 * and after the claim word. */
/* Does one of words (lower case) start at c[i], ending by c[end]? */
static int word_at(const char *c, size_t i, size_t end, const char *const *words)
{
    for (const char *const *w = words; *w; w++) {
        size_t wl = strlen(*w);
        /* the first byte decides for nearly every position */
        if ((c[i] | 0x20) == (*w)[0] && i + wl <= end && !strncasecmp(c + i, *w, wl)) return 1;
    }
    return 0;
}

static int not_a_remedy(const char *c, size_t cn, size_t start)
{
    if (omb_has_any_ci(c, cn, refused_words)) return 1;
    /* most clauses claim nothing: then there is no position to compare */
    if (!omb_has_any_ci(c, start, claimed_words)) return 0;
    size_t last_claim = 0, last_pay = 0;
    int claimed = 0;
    for (size_t i = 0; i < start; i++) {
        if (word_at(c, i, start, claimed_words)) claimed = 1, last_claim = i;
        if (word_at(c, i, start, pay_verbs)) last_pay = i + 1;
    }
    return claimed && last_pay <= last_claim;
}

static const char *const payment_words[] = {"symbolic payment", "make a payment", "a payment", " pay ",
                                            "financial redress", "financial remedy", "financial payment", NULL};

/* Trims white space and a trailing comma or "and" from a clause for storage. */
static void trim(const char *p, size_t *a, size_t *b)
{
    while (*a < *b && (p[*a] == ' ' || p[*a] == '\t' || p[*a] == '\n' || p[*a] == '\r' || p[*a] == ',')) (*a)++;
    while (*b > *a && (p[*b - 1] == ' ' || p[*b - 1] == '\t' || p[*b - 1] == '\n' || p[*b - 1] == '\r' ||
                       p[*b - 1] == ','))
        (*b)--;
    /* drop a leading bullet */
    if (*b - *a >= 3 && (unsigned char)p[*a] == 0xE2 && (unsigned char)p[*a + 1] == 0x80 &&
        (unsigned char)p[*a + 2] == 0xA2) {
        *a += 3;
        while (*a < *b && p[*a] == ' ') (*a)++;
    }
}

/* Is the amount p[start, end) written as a total ("a total of £1,950",
 * "£1,950 in total")?  `from` bounds the look-back (the previous amount). */
static int is_total(const char *p, size_t n, size_t from, size_t start, size_t end)
{
    size_t near = start - from > 40 ? start - 40 : from;
    if (omb_has_any_ci(p + near, start - near, total_before)) return 1;
    size_t after = n - end < 10 ? n - end : 10;
    return omb_memcasemem(p + end, after, "in total") != NULL;
}

/* Sums the amounts of the passage that are not totals: `all` counts every
 * one, `paid` leaves out those a waiver word comes just before.  A total
 * standing in a clause of its own ("This means the Council will pay a total of
 * £1,950.") restates the parts when it equals either sum. */
static void sum_parts(const char *p, size_t n, int64_t *all, int64_t *paid)
{
    size_t prev = 0;
    *all = *paid = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        if (!pound_at(p, n, i)) continue;
        int64_t v;
        size_t used = omb_parse_money(p + i, n - i, &v);
        if (!used) continue;
        if (!is_total(p, n, prev, i, i + used)) {
            size_t near = i - prev > 40 ? i - 40 : prev;
            *all += v;
            if (!says_waiver(p + near, i - near)) *paid += v;
        }
        prev = i + used;
        i += used - 1;
    }
}

/* Cues that money (or an apology) was given before the decision: the
 * council "already" paid it, "offered" it, or did so "before" the complaint
 * came to the ombudsman.  Looked for only when the caller asks
 * (OMB_EXTRACT_PAID_BEFORE_CUES): in minutes written after a decision,
 * "had already paid" reports compliance, not money paid before it. */
static const char *const before_cues[] = {"already", "offered", "before", NULL};
/* after the amount, only the council's own giving counts: "refund £1,500
 * of the fees the family has already paid" is not money paid before */
static const char *const after_cues[] = {"it offered", "it had offered", "it has offered", "it already",
                                         "it has already", "it had already", "council offered", "council has already",
                                         "council had already", NULL};

/* Does the amount c[start, end) of the clause c[0, cn) carry a paid-before
 * cue?  `from` and `to` bound the words that belong to it (up to the
 * neighbouring amounts), so "£500, in addition to the £200 it has already
 * paid" marks only the £200. */
static int paid_before_cue(const char *c, size_t from, size_t start, size_t end, size_t to)
{
    return omb_has_any_ci(c + from, start - from, before_cues) || omb_has_any_ci(c + end, to - end, after_cues);
}

int omb_extract_remedies_flags(const char *text, size_t n, size_t base, unsigned flags, omb_remedy_flags_fn add_f,
                               void *ud)
{
    unsigned mark = flags & OMB_REMEDY_PAID_BEFORE;
    int cues = (flags & OMB_EXTRACT_PAID_BEFORE_CUES) != 0;
#define add(ud, kind, pence, purposes, text, tn, at) add_f(ud, kind, pence, purposes, text, tn, at, mark | pb)
    unsigned pb = 0;

    int apology_done = 0, rc;
    char purposes[160];
    /* Is there any amount anywhere?  Then a bare "make a payment" elsewhere
     * only restates it. */
    int passage_has_amount = 0;
    for (size_t i = 0; i + 1 < n; i++)
        if (pound_at(text, n, i)) {
            int64_t v;
            if (omb_parse_money(text + i, n - i, &v)) passage_has_amount = 1;
        }
    int64_t parts_all, parts_paid;
    sum_parts(text, n, &parts_all, &parts_paid);

    size_t i = 0;
    while (i < n) {
        size_t e = clause_end(text, n, i);
        if (e <= i) e = i + 1;
        size_t a = i, b = e;
        trim(text, &a, &b);
        const char *c = text + a;
        size_t cn = b - a;
        i = e;
        if (cn == 0) continue;

        struct amount am[MAX_AMOUNTS];
        size_t na = 0;
        for (size_t k = 0; k + 1 < cn && na < MAX_AMOUNTS; k++) {
            if (!pound_at(c, cn, k)) continue;
            int64_t v;
            size_t used = omb_parse_money(c + k, cn - k, &v);
            if (!used) continue;
            am[na].start = k;
            am[na].end = k + used;
            am[na].pence = v;
            na++;
            k += used - 1;
        }

        if (!apology_done && omb_memcasemem(c, cn, "apolog")) {
            apology_done = 1;
            /* the apology's own text: up to the first comma when the clause
             * lists several remedies ("Apology, Financial redress of ...") */
            size_t an = cn;
            if (na > 0) {
                const char *comma = memchr(c, ',', cn);
                if (comma && (size_t)(comma - c) < am[0].start && omb_memcasemem(c, (size_t)(comma - c), "apolog"))
                    an = (size_t)(comma - c);
            }
            pb = cues && omb_memcasemem(c, cn, "already apologi") ? OMB_REMEDY_PAID_BEFORE : 0;
            if ((rc = add(ud, OMB_REMEDY_APOLOGY, OMB_AMOUNT_UNKNOWN, "", c, an, base + a))) return rc;
            pb = 0;
        }

        int payments = 0;
        for (size_t k = 0; k < na; k++) {
            size_t seg_a = am[k].end, seg_b = (k + 1 < na) ? am[k + 1].start : cn;
            size_t before_a = k ? am[k - 1].end : 0, before_b = am[k].start;
            const char *before = c + before_a;
            size_t before_n = before_b - before_a;
            /* look at the last 40 bytes before the amount for "total of" */
            size_t near = before_n > 40 ? before_n - 40 : 0;
            if (omb_has_any_ci(before + near, before_n - near, total_before) && na > 1) continue;
            if (seg_b - seg_a >= 9 && omb_memcasemem(c + seg_a, 10 < seg_b - seg_a ? 10 : seg_b - seg_a, "in total") && na > 1)
                continue;
            if (na == 1 && is_total(c, cn, 0, am[0].start, am[0].end) && am[0].pence > 0 &&
                (am[0].pence == parts_all || am[0].pence == parts_paid))
                continue;
            if (not_a_remedy(c, cn, am[k].start)) continue;
            pb = cues && paid_before_cue(c, k ? am[k - 1].end : 0, am[k].start, am[k].end, seg_b) ? OMB_REMEDY_PAID_BEFORE
                                                                                               : 0;
            int rate = 0;
            for (const char *const *r = rate_after; *r && !rate; r++) {
                size_t rl = strlen(*r);
                if (seg_b - seg_a >= rl && omb_memcasemem(c + seg_a, rl, *r)) rate = 1;
            }
            if (rate) {
                /* "£100 for each week ..., which comes to £2,100": the later
                 * amount is the payment.  A rate standing alone ("£150 a month
                 * until it offers her suitable accommodation") is an
                 * open-ended payment: recorded with no amount, the clause
                 * giving its rate (the case model holds no rate). */
                if (k + 1 < na) continue;
                omb_purposes_of(c + seg_a, seg_b - seg_a, purposes, sizeof purposes);
                if ((rc = add(ud, OMB_REMEDY_PAYMENT, OMB_AMOUNT_UNKNOWN, purposes, c, cn, base + a))) return rc;
                payments++;
                continue;
            }
            int waiver = says_waiver(before + near, before_n - near) || (k == 0 && says_waiver(c, am[0].start));
            int got = omb_purposes_of(c + seg_a, seg_b - seg_a, purposes, sizeof purposes);
            /* "£500 to Mr X and £3,000 to Mr and Mrs L for distress": an
             * amount joined to the next by "and", with no purpose of its own,
             * shares the purpose that follows the next one */
            if (!got && k + 1 < na) {
                size_t ja = seg_a, jb = seg_b;
                trim(c, &ja, &jb);
                if (jb >= ja + 3 && omb_memcasemem(c + jb - 3, 3, "and") && !omb_memcasemem(c + ja, jb - ja, " for ") &&
                    !(jb - ja >= 4 && omb_memcasemem(c + ja, 4, "for "))) {
                    size_t na_b = k + 2 < na ? am[k + 2].start : cn;
                    got = omb_purposes_of(c + am[k + 1].end, na_b - am[k + 1].end, purposes, sizeof purposes);
                }
            }
            if (!got && k == 0) omb_purposes_of(c, am[0].start, purposes, sizeof purposes);
            /* The remedy's text: from the previous amount's purpose (or the
             * clause start) to the end of this amount's purpose. */
            size_t ta = k ? am[k].start : 0, tb = seg_b;
            trim(c, &ta, &tb);
            if (tb >= ta + 4 && omb_memcasemem(c + tb - 4, 4, " and")) tb -= 4;
            if ((rc = add(ud, waiver ? OMB_REMEDY_WAIVER : OMB_REMEDY_PAYMENT, am[k].pence, purposes, c + ta, tb - ta,
                          base + a + ta)))
                return rc;
            payments += !waiver;
        }
        pb = 0;
        if (na == 0) {
            if (!passage_has_amount && omb_has_any_ci(c, cn, payment_words) && !omb_memcasemem(c, cn, "payments policy") &&
                !omb_memcasemem(c, cn, "direct payment")) {
                omb_purposes_of(c, cn, purposes, sizeof purposes);
                if ((rc = add(ud, OMB_REMEDY_PAYMENT, OMB_AMOUNT_UNKNOWN, purposes, c, cn, base + a))) return rc;
                passage_has_amount = 1; /* one unknown payment per passage */
            }
            if (omb_has_any_ci(c, cn, service_words))
                if ((rc = add(ud, OMB_REMEDY_SERVICE, OMB_AMOUNT_UNKNOWN, "", c, cn, base + a))) return rc;
            if (omb_has_any_ci(c, cn, other_words))
                if ((rc = add(ud, OMB_REMEDY_OTHER, OMB_AMOUNT_UNKNOWN, "", c, cn, base + a))) return rc;
        } else if (omb_has_any_ci(c, cn, service_words) && payments >= 0) {
            /* "..., financial redress of £250 for Loss of service. Provide
             * services to person affected" is split by the full stop; a
             * service named in the same clause as money is still a service. */
            const char *const *w = service_words;
            for (; *w; w++) {
                const char *hit = omb_memcasemem(c, cn, *w);
                if (hit && (size_t)(hit - c) > am[na - 1].end) {
                    size_t sa = (size_t)(hit - c), sb = cn;
                    if ((rc = add(ud, OMB_REMEDY_SERVICE, OMB_AMOUNT_UNKNOWN, "", hit, sb - sa, base + a + sa))) return rc;
                    break;
                }
            }
        }
    }
    return 0;
#undef add
}

struct plain_ctx {
    omb_remedy_fn add;
    void *ud;
};

static int plain_add(void *ud, int kind, int64_t pence, const char *purposes, const char *text, size_t tn, size_t at,
                     unsigned flags)
{
    (void)flags;
    struct plain_ctx *x = ud;
    return x->add(x->ud, kind, pence, purposes, text, tn, at);
}

int omb_extract_remedies(const char *text, size_t n, size_t base, omb_remedy_fn add, void *ud)
{
    struct plain_ctx x = {add, ud};
    return omb_extract_remedies_flags(text, n, base, 0, plain_add, &x);
}
