/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * case.c -- building and freeing the in-memory case model (case.h).  It only
 * copies and owns strings; deciding what a value means is normalise.c and
 * remedy.c, and storing it is store_write.c.
 */
#include "case.h"

#include <stdlib.h>
#include <string.h>

#include "normalise.h"

char *omb_strdup_folded(const char *p, size_t n)
{
    char *s = malloc(n + 1);
    if (!s) return NULL;
    omb_fold_space(p ? p : "", p ? n : 0, s, n + 1);
    return s;
}

static char *dup0(const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s);
    char *d = malloc(n + 1);
    if (d) memcpy(d, s, n + 1);
    return d;
}

omb_case *omb_case_new(size_t line)
{
    omb_case *c = calloc(1, sizeof *c);
    if (c) c->line = line;
    return c;
}

void omb_event_clear(struct omb_event *ev)
{
    free(ev->type);
    free(ev->date);
    free(ev->date_text);
    free(ev->text);
    free(ev->authority);
    memset(ev, 0, sizeof *ev);
}

void omb_case_free(omb_case *c)
{
    if (!c) return;
    for (int f = 0; f < OMB_FIELD__COUNT; f++) free(c->fields[f].value);
    free(c->ref_written);
    for (size_t i = 0; i < c->n_remedies; i++) {
        free(c->remedies[i].purposes);
        free(c->remedies[i].text);
    }
    free(c->remedies);
    for (size_t i = 0; i < c->n_improvements; i++) free(c->improvements[i].text);
    free(c->improvements);
    for (size_t i = 0; i < c->n_events; i++) omb_event_clear(&c->events[i]);
    free(c->events);
    free(c);
}

int omb_case_set(omb_case *c, int field, const char *value, size_t line)
{
    if (field <= 0 || field >= OMB_FIELD__COUNT) return OMB_EINVAL;
    char *v = dup0(value);
    if (value && !v) return OMB_ENOMEM;
    free(c->fields[field].value);
    c->fields[field].value = v;
    c->fields[field].line = line;
    return OMB_OK;
}

/* Grows an array of `size`-byte elements to hold one more. */
static int grow(void **arr, size_t *cap, size_t n, size_t size)
{
    if (n < *cap) return OMB_OK;
    size_t ncap = *cap ? *cap * 2 : 4;
    void *p = realloc(*arr, ncap * size);
    if (!p) return OMB_ENOMEM;
    *arr = p;
    *cap = ncap;
    return OMB_OK;
}

int omb_case_add_remedy(omb_case *c, int kind, int64_t pence, const char *purposes, const char *text, size_t text_n,
                        size_t line)
{
    if (grow((void **)&c->remedies, &c->cap_remedies, c->n_remedies, sizeof *c->remedies)) return OMB_ENOMEM;
    struct omb_remedy *r = &c->remedies[c->n_remedies];
    r->kind = kind;
    r->amount_pence = pence < 0 ? OMB_AMOUNT_UNKNOWN : pence;
    r->purposes = dup0(purposes ? purposes : "");
    r->text = omb_strdup_folded(text, text_n);
    r->line = line;
    r->paid_before = 0;
    if (!r->purposes || !r->text) {
        free(r->purposes);
        free(r->text);
        return OMB_ENOMEM;
    }
    c->n_remedies++;
    return OMB_OK;
}

int omb_case_add_improvement(omb_case *c, const char *text, size_t n, size_t line)
{
    if (grow((void **)&c->improvements, &c->cap_improvements, c->n_improvements, sizeof *c->improvements))
        return OMB_ENOMEM;
    char *t = omb_strdup_folded(text, n);
    if (!t) return OMB_ENOMEM;
    c->improvements[c->n_improvements].text = t;
    c->improvements[c->n_improvements].line = line;
    c->n_improvements++;
    return OMB_OK;
}

int omb_case_add_event(omb_case *c, const struct omb_event *ev)
{
    if (grow((void **)&c->events, &c->cap_events, c->n_events, sizeof *c->events)) return OMB_ENOMEM;
    c->events[c->n_events++] = *ev; /* takes ownership */
    return OMB_OK;
}

int64_t omb_case_payment_total(const omb_case *c)
{
    int64_t t = 0;
    for (size_t i = 0; i < c->n_remedies; i++)
        if (c->remedies[i].kind == OMB_REMEDY_PAYMENT && c->remedies[i].amount_pence > 0)
            t += c->remedies[i].amount_pence;
    return t;
}

const char *omb_field_name(int field)
{
    static const char *const names[OMB_FIELD__COUNT] = {
        [OMB_FIELD_REF] = "ref",
        [OMB_FIELD_AUTHORITY] = "authority",
        [OMB_FIELD_CATEGORY] = "category",
        [OMB_FIELD_SUBCATEGORY] = "subcategory",
        [OMB_FIELD_OUTCOME] = "outcome",
        [OMB_FIELD_DECISION_DATE] = "decision_date",
        [OMB_FIELD_SUMMARY] = "summary",
        [OMB_FIELD_ROW_KEY] = "row_key",
        [OMB_FIELD_COUNCIL_SUBJECT] = "council_subject",
    };
    return (field > 0 && field < OMB_FIELD__COUNT) ? names[field] : "?";
}

const char *omb_remedy_kind_name(int kind)
{
    switch (kind) {
    case OMB_REMEDY_APOLOGY: return "apology";
    case OMB_REMEDY_PAYMENT: return "payment";
    case OMB_REMEDY_WAIVER: return "waiver";
    case OMB_REMEDY_SERVICE: return "service";
    default: return "other";
    }
}
