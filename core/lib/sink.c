/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sink.c -- the table of services given to plugins (struct omb_host) and the
 * sink that collects what one document's parse produced.  Plugins never see
 * SQLite: they call these functions, which copy, normalise and attach line
 * numbers; store_write.c later writes the sink in one transaction.  Normalisers are
 * normalise.c, the remedy extractor remedy.c.
 */
#include "sink.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "category.h"
#include "ffi_bridge.h"
#include "normalise.h"
#include "remedy.h"

/* A case under construction.  The builder owns the case until case_end
 * hands it to the sink. */
struct omb_builder {
    struct omb_sink *sink;
    omb_case *c;
};

void omb_sink_init(struct omb_sink *s, const char *text, size_t len, const char *path, const char *plugin)
{
    memset(s, 0, sizeof *s);
    s->text = text;
    s->len = len;
    s->path = path ? path : "<input>";
    s->plugin = plugin ? plugin : "?";
}

void omb_sink_clear(struct omb_sink *s)
{
    for (size_t i = 0; i < s->n_cases; i++) omb_case_free(s->cases[i]);
    free(s->cases);
    for (size_t i = 0; i < s->n_notes; i++) {
        free(s->notes[i].key);
        free(s->notes[i].value);
    }
    free(s->notes);
    for (size_t i = 0; i < s->n_authority_events; i++) omb_event_clear(&s->authority_events[i]);
    free(s->authority_events);
    for (size_t i = 0; i < s->n_warnings; i++) free(s->warnings[i].message);
    free(s->warnings);
    free(s->line_starts);
    const char *text = s->text, *path = s->path, *plugin = s->plugin;
    size_t len = s->len;
    omb_sink_init(s, text, len, path, plugin);
}

static int build_line_index(struct omb_sink *s)
{
    size_t n = 1;
    for (size_t i = 0; i < s->len; i++)
        if (s->text[i] == '\n') n++;
    s->line_starts = malloc(n * sizeof *s->line_starts);
    if (!s->line_starts) return OMB_ENOMEM;
    size_t k = 0;
    s->line_starts[k++] = 0;
    for (size_t i = 0; i < s->len; i++)
        if (s->text[i] == '\n') s->line_starts[k++] = i + 1;
    s->n_lines = n;
    return OMB_OK;
}

size_t omb_sink_offset_of_line(struct omb_sink *s, size_t line)
{
    if (!s->line_starts && build_line_index(s)) return 0;
    if (line < 1) line = 1;
    if (line > s->n_lines) line = s->n_lines;
    return s->line_starts[line - 1];
}

size_t omb_sink_line(struct omb_sink *s, size_t at)
{
    if (!s->line_starts && build_line_index(s)) return 0;
    /* binary search for the last line start <= at */
    size_t lo = 0, hi = s->n_lines;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->line_starts[mid] <= at) lo = mid;
        else hi = mid;
    }
    return lo + 1;
}

#define GROW(arr, n, cap)                                                                                              \
    do {                                                                                                               \
        if ((n) == (cap)) {                                                                                            \
            size_t ncap_ = (cap) ? (cap) * 2 : 8;                                                                      \
            void *p_ = realloc((arr), ncap_ * sizeof *(arr));                                                          \
            if (!p_) return OMB_ENOMEM;                                                                                \
            (arr) = p_;                                                                                                \
            (cap) = ncap_;                                                                                             \
        }                                                                                                              \
    } while (0)

static int add_warning(struct omb_sink *s, size_t line, const char *msg)
{
    GROW(s->warnings, s->n_warnings, s->cap_warnings);
    size_t n = strlen(msg) + 1;
    char *m = malloc(n);
    if (!m) return OMB_ENOMEM;
    memcpy(m, msg, n);
    s->warnings[s->n_warnings].line = line;
    s->warnings[s->n_warnings].message = m;
    s->n_warnings++;
    return OMB_OK;
}

void omb_sink_warnf(struct omb_sink *s, size_t line, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    add_warning(s, line, msg);
}

/* ---- the host functions ----------------------------------------------------- */

static omb_builder *h_case_begin(omb_sink *s, size_t at)
{
    omb_builder *b = malloc(sizeof *b);
    if (!b) return NULL;
    b->sink = s;
    b->c = omb_case_new(omb_sink_line(s, at));
    if (!b->c) {
        free(b);
        return NULL;
    }
    s->n_open_builders++;
    return b;
}

/* Shows at most 60 bytes of what was found, for messages. */
static void quote(const char *p, size_t n, char out[80])
{
    char tmp[64];
    omb_fold_space(p, n < 60 ? n : 60, tmp, sizeof tmp);
    snprintf(out, 80, "\"%s%s\"", tmp, n > 60 ? "..." : "");
}

static int h_case_set(omb_builder *b, enum omb_field field, const char *p, size_t n, size_t at)
{
    struct omb_sink *s = b->sink;
    size_t line = omb_sink_line(s, at);
    char norm[11], shown[80];
    if (field <= 0 || field >= OMB_FIELD__COUNT) return OMB_EINVAL;
    if (!p) n = 0;
    switch (field) {
    case OMB_FIELD_REF:
        if (!omb_norm_ref(p, n, norm)) {
            quote(p, n, shown);
            omb_sink_warnf(s, line, "expected a case reference such as \"22 004 577\", found %s; case kept without one",
                           shown);
            return OMB_OK;
        }
        free(b->c->ref_written);
        b->c->ref_written = omb_strdup_folded(p, n);
        if (!b->c->ref_written) return OMB_ENOMEM;
        return omb_case_set(b->c, field, norm, line);
    case OMB_FIELD_DECISION_DATE:
        if (!omb_norm_date(p, n, norm)) {
            quote(p, n, shown);
            omb_sink_warnf(s, line, "expected a date such as \"20 Jan 2023\", found %s; decision date left unknown",
                           shown);
            return OMB_OK;
        }
        return omb_case_set(b->c, field, norm, line);
    case OMB_FIELD_OUTCOME: {
        const char *o = omb_norm_outcome(p, n);
        if (!strcmp(o, "unknown") && n > 0) {
            quote(p, n, shown);
            omb_sink_warnf(s, line, "outcome %s is not one ombuds knows; stored as \"unknown\"", shown);
        }
        return omb_case_set(b->c, field, o, line);
    }
    default: {
        char *v = omb_strdup_folded(p, n);
        if (!v) return OMB_ENOMEM;
        int rc = *v ? omb_case_set(b->c, field, v, line) : OMB_OK;
        free(v);
        return rc;
    }
    }
}

static int h_add_remedy(omb_builder *b, enum omb_remedy_kind kind, int64_t pence, const char *purposes,
                        const char *text, size_t n, size_t at)
{
    if (kind < OMB_REMEDY_APOLOGY || kind > OMB_REMEDY_OTHER) kind = OMB_REMEDY_OTHER;
    return omb_case_add_remedy(b->c, kind, pence, purposes, text, text ? n : 0, omb_sink_line(b->sink, at));
}

static int h_add_improvement(omb_builder *b, const char *text, size_t n, size_t at)
{
    return omb_case_add_improvement(b->c, text, text ? n : 0, omb_sink_line(b->sink, at));
}

/* A date the text gives only to the month or the year ("May 2024", "Spring
 * 2024", "2022"): ISO 8601 reduced precision, "2024-05" or "2024".  Events
 * may be dated so ("agreed in 2022", "due by the end of May 2024"); a case's
 * decision date may not.  Returns 1 and fills out when [p, p+n) holds one
 * year, with at most one month name before it and nothing else but words. */
static int partial_date(const char *p, size_t n, char out[11])
{
    static const char *const months[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                         "dec"};
    int year = -1, month = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] >= '0' && p[i] <= '9') {
            size_t j = i;
            while (j < n && p[j] >= '0' && p[j] <= '9') j++;
            if (j - i != 4 || year >= 0) return 0; /* a day number or two years: not partial */
            year = (p[i] - '0') * 1000 + (p[i + 1] - '0') * 100 + (p[i + 2] - '0') * 10 + (p[i + 3] - '0');
            i = j - 1;
        } else if ((p[i] | 0x20) >= 'a' && (p[i] | 0x20) <= 'z' && (i == 0 || !((p[i - 1] | 0x20) >= 'a' && (p[i - 1] | 0x20) <= 'z'))) {
            for (int m = 0; m < 12; m++)
                if (i + 3 <= n && (p[i] | 0x20) == months[m][0] && (p[i + 1] | 0x20) == months[m][1] &&
                    (p[i + 2] | 0x20) == months[m][2] && year < 0)
                    month = m + 1;
        }
    }
    if (year < 1900 || year > 2199) return 0;
    /* year is 1900..2199 and month 1..12 here, so both fit */
    out[0] = (char)('0' + year / 1000);
    out[1] = (char)('0' + year / 100 % 10);
    out[2] = (char)('0' + year / 10 % 10);
    out[3] = (char)('0' + year % 10);
    out[4] = '\0';
    if (month) {
        out[4] = '-';
        out[5] = (char)('0' + month / 10);
        out[6] = (char)('0' + month % 10);
        out[7] = '\0';
    }
    return 1;
}

/* Fills an event; takes care of normalising the date. */
static int make_event(struct omb_sink *s, struct omb_event *ev, const char *type, const char *date, size_t date_n,
                      const char *text, size_t n, size_t at)
{
    char norm[11];
    memset(ev, 0, sizeof *ev);
    ev->line = omb_sink_line(s, at);
    ev->type = omb_strdup_folded(type ? type : "other", type ? strlen(type) : 5);
    ev->text = omb_strdup_folded(text, text ? n : 0);
    if (date && date_n) {
        ev->date_text = omb_strdup_folded(date, date_n);
        if (omb_norm_date(date, date_n, norm)) ev->date = omb_strdup_folded(norm, 10);
        else if (partial_date(date, date_n, norm)) ev->date = omb_strdup_folded(norm, strlen(norm));
        else {
            char shown[80];
            quote(date, date_n, shown);
            omb_sink_warnf(s, ev->line, "expected a date in event \"%s\", found %s; kept as text", ev->type ? ev->type : "",
                           shown);
        }
    }
    if (!ev->type || !ev->text || (date && date_n && !ev->date_text)) {
        omb_event_clear(ev);
        return OMB_ENOMEM;
    }
    return OMB_OK;
}

static int h_add_event(omb_builder *b, const char *type, const char *date, size_t date_n, const char *text, size_t n,
                       size_t at)
{
    struct omb_event ev;
    int rc = make_event(b->sink, &ev, type, date, date_n, text, n, at);
    if (rc) return rc;
    if ((rc = omb_case_add_event(b->c, &ev))) omb_event_clear(&ev);
    return rc;
}

struct extract_ctx {
    omb_builder *b;
};

static int extract_add(void *ud, int kind, int64_t pence, const char *purposes, const char *text, size_t n, size_t at)
{
    struct extract_ctx *x = ud;
    return h_add_remedy(x->b, kind, pence, purposes, text, n, at);
}

/* The extractor skips a "£" amount it cannot read; say so, so that an
 * amount too large to be real (or garbled) is never dropped silently. */
static void warn_unreadable_amounts(omb_builder *b, const char *text, size_t n, size_t at)
{
    for (size_t i = 0; i + 2 < n; i++) {
        if ((unsigned char)text[i] != 0xC2 || (unsigned char)text[i + 1] != 0xA3) continue;
        size_t j = i + 2;
        while (j < n && text[j] == ' ') j++;
        if (j >= n || text[j] < '0' || text[j] > '9') continue;
        int64_t pence;
        if (omb_parse_money(text + i, n - i, &pence)) continue;
        size_t e = j;
        while (e < n && ((text[e] >= '0' && text[e] <= '9') || text[e] == ',' || text[e] == '.')) e++;
        char shown[80];
        quote(text + i, e - i, shown);
        omb_sink_warnf(b->sink, omb_sink_line(b->sink, at + i),
                       "expected an amount such as \"£500\", found %s (too large or malformed); not counted", shown);
        i = e;
    }
}

/* A remedy with its flags: the last one added is marked. */
static int add_flagged(omb_builder *b, int kind, int64_t pence, const char *purposes, const char *text, size_t n,
                       size_t at, unsigned flags)
{
    int rc = h_add_remedy(b, kind, pence, purposes, text, n, at);
    if (rc == OMB_OK && (flags & OMB_REMEDY_PAID_BEFORE)) b->c->remedies[b->c->n_remedies - 1].paid_before = 1;
    return rc;
}

/* Reads only the fields r->struct_size covers: a plugin built against an
 * older header has a shorter struct (plugin.h, append-only). */
static int h_add_remedy_in(omb_builder *b, const struct omb_remedy_in *r)
{
    if (!r || r->struct_size < offsetof(struct omb_remedy_in, at) + sizeof r->at) return OMB_EINVAL;
    unsigned flags = r->struct_size >= offsetof(struct omb_remedy_in, flags) + sizeof r->flags ? r->flags : 0;
    return add_flagged(b, r->kind, r->amount_pence, r->purposes, r->text, r->n, r->at, flags);
}

static int extract_add_flags(void *ud, int kind, int64_t pence, const char *purposes, const char *text, size_t n,
                             size_t at, unsigned flags)
{
    struct extract_ctx *x = ud;
    return add_flagged(x->b, kind, pence, purposes, text, n, at, flags);
}

static int h_extract_remedies_flags(omb_builder *b, const char *text, size_t n, size_t at, uint32_t flags)
{
    struct extract_ctx x = {b};
    if (!text) return OMB_OK;
    warn_unreadable_amounts(b, text, n, at);
    return omb_extract_remedies_flags(text, n, at, flags, extract_add_flags, &x);
}

static int h_extract_remedies(omb_builder *b, const char *text, size_t n, size_t at)
{
    struct extract_ctx x = {b};
    if (!text) return OMB_OK;
    warn_unreadable_amounts(b, text, n, at);
    return omb_extract_remedies(text, n, at, extract_add, &x);
}

static void h_case_discard(omb_builder *b);

static int h_case_end(omb_builder *b)
{
    struct omb_sink *s = b->sink;
    omb_case *c = b->c;
    /* A sub-category names its category when only one category has it
     * (listings often give only the sub-category). */
    struct omb_fact *sub = &c->fields[OMB_FIELD_SUBCATEGORY];
    if (sub->value && !c->fields[OMB_FIELD_CATEGORY].value) {
        const char *cat = omb_category_of(sub->value, strlen(sub->value));
        if (cat && omb_case_set(c, OMB_FIELD_CATEGORY, cat, sub->line)) {
            h_case_discard(b);
            return OMB_ENOMEM;
        }
        if (!cat)
            omb_sink_warnf(s, sub->line, "sub-category \"%s\" belongs to no single category; category left unknown",
                           sub->value);
    }
    free(b);
    s->n_open_builders--;
    if (s->n_cases == s->cap_cases) {
        size_t ncap = s->cap_cases ? s->cap_cases * 2 : 16;
        void *p = realloc(s->cases, ncap * sizeof *s->cases);
        if (!p) {
            omb_case_free(c);
            return OMB_ENOMEM;
        }
        s->cases = p;
        s->cap_cases = ncap;
    }
    s->cases[s->n_cases++] = c;
    if (s->stop_after && s->n_cases >= (size_t)s->stop_after) return OMB_EINTR;
    return OMB_OK;
}

static void h_case_discard(omb_builder *b)
{
    if (!b) return;
    b->sink->n_open_builders--;
    omb_case_free(b->c);
    free(b);
}

static int h_doc_note(omb_sink *s, const char *key, const char *value, size_t n, size_t at)
{
    GROW(s->notes, s->n_notes, s->cap_notes);
    struct omb_note *note = &s->notes[s->n_notes];
    note->key = omb_strdup_folded(key, strlen(key));
    note->value = omb_strdup_folded(value, value ? n : 0);
    note->line = omb_sink_line(s, at);
    if (!note->key || !note->value) {
        free(note->key);
        free(note->value);
        return OMB_ENOMEM;
    }
    s->n_notes++;
    return OMB_OK;
}

static int h_authority_event(omb_sink *s, const char *authority, size_t auth_n, const char *type, const char *date,
                             size_t date_n, const char *text, size_t n, size_t at)
{
    GROW(s->authority_events, s->n_authority_events, s->cap_authority_events);
    struct omb_event ev;
    int rc = make_event(s, &ev, type, date, date_n, text, n, at);
    if (rc) return rc;
    ev.authority = omb_strdup_folded(authority, authority ? auth_n : 0);
    if (!ev.authority) {
        omb_event_clear(&ev);
        return OMB_ENOMEM;
    }
    s->authority_events[s->n_authority_events++] = ev;
    return OMB_OK;
}

static void h_warn(omb_sink *s, size_t at, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    add_warning(s, omb_sink_line(s, at), msg);
}

static int h_error(omb_sink *s, size_t at, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* the first error is the one worth reporting */
    if (!s->failed) {
        s->failed = 1;
        s->error_line = omb_sink_line(s, at);
        snprintf(s->error, sizeof s->error, "%s:%zu: plugin '%s': %s", s->path, s->error_line, s->plugin, msg);
    }
    return OMB_EPARSE;
}

static int h_norm_ref(const char *p, size_t n, char out[11]) { return p ? omb_norm_ref(p, n, out) : 0; }
static int h_norm_date(const char *p, size_t n, char out[11]) { return p ? omb_norm_date(p, n, out) : 0; }
static size_t h_parse_money(const char *p, size_t n, int64_t *pence)
{
    return p ? omb_parse_money(p, n, pence) : (*pence = 0, (size_t)0);
}
static const char *h_category_of(const char *sub, size_t n) { return sub ? omb_category_of(sub, n) : NULL; }
static void *h_alloc(size_t n) { return malloc(n); }
static void h_free(void *p) { free(p); }
static size_t h_line_of(omb_sink *s, size_t at) { return omb_sink_line(s, at); }

static const char *h_find_ci(const char *hay, size_t n, const char *needle)
{
    return hay && needle ? omb_memcasemem(hay, n, needle) : NULL;
}
static int h_find_ref(const char *p, size_t n, size_t *start, size_t *len, char out[11])
{
    return p ? omb_find_ref(p, n, start, len, out) : 0;
}
static int h_find_date(const char *p, size_t n, size_t *start, size_t *len, char out[11])
{
    return p ? omb_find_date(p, n, start, len, out) : 0;
}
static int h_purposes_of(const char *p, size_t n, char *out, size_t cap)
{
    return p ? omb_purposes_of(p, n, out, cap) : 0;
}

static const struct omb_host host_table = {
    .abi_version = OMB_PLUGIN_ABI_VERSION,
    .size = sizeof(struct omb_host),
    .case_begin = h_case_begin,
    .case_set = h_case_set,
    .case_add_remedy = h_add_remedy,
    .case_add_improvement = h_add_improvement,
    .case_add_event = h_add_event,
    .case_extract_remedies = h_extract_remedies,
    .case_end = h_case_end,
    .case_discard = h_case_discard,
    .doc_note = h_doc_note,
    .authority_event = h_authority_event,
    .warn = h_warn,
    .error = h_error,
    .norm_ref = h_norm_ref,
    .norm_date = h_norm_date,
    .parse_money = h_parse_money,
    .category_of = h_category_of,
    .alloc = h_alloc,
    .free = h_free,
    .line_of = h_line_of,
    .find_ci = h_find_ci,
    .find_ref = h_find_ref,
    .find_date = h_find_date,
    .purposes_of = h_purposes_of,
    /* metric plugins: metric_host.c */
    .call_error = omb_call_error,
    .query = omb_call_query,
    .table_column = omb_call_table_column,
    .table_add_row = omb_call_table_add_row,
    .coverage = omb_call_coverage,
    .note = omb_call_note,
    .call_format = omb_call_format,
    .read_data = omb_call_read_data,
    .case_add_remedy_in = h_add_remedy_in,
    .case_extract_remedies_flags = h_extract_remedies_flags,
};

const struct omb_host *omb_host_table(void) { return &host_table; }
