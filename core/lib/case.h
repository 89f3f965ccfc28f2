/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * case.h -- the in-memory case model: what one document says about one case,
 * with the line each value was read on.  The core builds these from plugin
 * calls (sink.c), the store writes them (store_write.c), dump.c prints them.
 * Normalising the values themselves is normalise.c.
 */
#ifndef OMB_CASE_H
#define OMB_CASE_H

#include <ombuds/plugin.h>
#include <stddef.h>
#include <stdint.h>

/* One scalar value with the line it came from (0 = unset). */
struct omb_fact {
    char *value; /* owned, NUL-terminated, NULL when unset */
    size_t line;
};

struct omb_remedy {
    int kind;             /* enum omb_remedy_kind */
    int64_t amount_pence; /* OMB_AMOUNT_UNKNOWN when no amount */
    char *purposes;       /* ';'-separated canonical purposes, never NULL */
    char *text;
    size_t line;
    int paid_before; /* OMB_REMEDY_PAID_BEFORE: given before the decision */
};

struct omb_improvement {
    char *text;
    size_t line;
};

/* An event about a case, or (authority set) about an authority alone. */
struct omb_event {
    char *type;      /* "remedy late", "public report issued", ... */
    char *date;      /* ISO 8601, or NULL when none or unreadable */
    char *date_text; /* the date as written, or NULL */
    char *text;
    char *authority; /* only for authority events */
    size_t line;
};

/* Invariant: fields[OMB_FIELD_REF].value is NULL or "YY NNN NNN", and then
 * ref_written holds the text as written. */
typedef struct omb_case {
    struct omb_fact fields[OMB_FIELD__COUNT];
    char *ref_written;
    size_t line; /* where the case starts in the document */
    struct omb_remedy *remedies;
    size_t n_remedies, cap_remedies;
    struct omb_improvement *improvements;
    size_t n_improvements, cap_improvements;
    struct omb_event *events;
    size_t n_events, cap_events;
} omb_case;

/* A new empty case; NULL when out of memory.  Free with omb_case_free. */
omb_case *omb_case_new(size_t line);
void omb_case_free(omb_case *c);

/* Each copies its strings; returns OMB_OK or OMB_ENOMEM. */
int omb_case_set(omb_case *c, int field, const char *value, size_t line);
int omb_case_add_remedy(omb_case *c, int kind, int64_t pence, const char *purposes, const char *text, size_t text_n,
                        size_t line);
int omb_case_add_improvement(omb_case *c, const char *text, size_t n, size_t line);
int omb_case_add_event(omb_case *c, const struct omb_event *ev);

void omb_event_clear(struct omb_event *ev);

/* Sum of payment amounts in pence (unknown amounts count 0). */
int64_t omb_case_payment_total(const omb_case *c);

/* Name of a field for dumps and SQL ("ref", "authority", ...). */
const char *omb_field_name(int field);
/* Name of a remedy kind ("apology", "payment", "waiver", "service", "other"). */
const char *omb_remedy_kind_name(int kind);

/* strndup that folds white space (normalise.c's omb_fold_space); NULL on ENOMEM. */
char *omb_strdup_folded(const char *p, size_t n);

#endif
