/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * dump.c -- prints a parsed document in the canonical dump format (dump.h).
 * Stable on purpose: golden files under tests/golden compare against it, so a
 * change here is a change to every golden file.
 */
#include "dump.h"

#include <inttypes.h>

#include "case.h"

/* Prints a string in double quotes with \ and " escaped. */
static void quoted(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        if (*s == '"' || *s == '\\') fputc('\\', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void event(FILE *f, const char *indent, const struct omb_event *ev)
{
    fprintf(f, "%sevent: type=", indent);
    quoted(f, ev->type);
    fprintf(f, " date=%s", ev->date ? ev->date : "-");
    if (ev->authority) {
        fprintf(f, " authority=");
        quoted(f, ev->authority);
    }
    fprintf(f, " text=");
    quoted(f, ev->text);
    fprintf(f, " @%zu\n", ev->line);
}

void omb_dump_sink(FILE *f, const struct omb_sink *s, const char *name, const char *plugin)
{
    fprintf(f, "document: %s\nplugin: %s\n", name, plugin);
    for (size_t i = 0; i < s->n_notes; i++)
        fprintf(f, "note: %s = %s @%zu\n", s->notes[i].key, s->notes[i].value, s->notes[i].line);
    for (size_t i = 0; i < s->n_cases; i++) {
        const omb_case *c = s->cases[i];
        int64_t total = omb_case_payment_total(c);
        fprintf(f, "case @%zu\n", c->line);
        for (int k = 1; k < OMB_FIELD__COUNT; k++) {
            if (!c->fields[k].value) continue;
            fprintf(f, "  %s: %s @%zu\n", omb_field_name(k), c->fields[k].value, c->fields[k].line);
            if (k == OMB_FIELD_REF) fprintf(f, "  ref_as_written: %s\n", c->ref_written ? c->ref_written : "");
        }
        for (size_t r = 0; r < c->n_remedies; r++) {
            const struct omb_remedy *m = &c->remedies[r];
            fprintf(f, "  remedy: %s amount=", omb_remedy_kind_name(m->kind));
            if (m->amount_pence >= 0) fprintf(f, "%" PRId64, m->amount_pence);
            else fputc('-', f);
            fprintf(f, " purposes=[%s] text=", m->purposes);
            quoted(f, m->text);
            if (m->paid_before) fputs(" paid_before", f);
            fprintf(f, " @%zu\n", m->line);
        }
        fprintf(f, "  payment_total: %" PRId64 "\n", total);
        for (size_t k = 0; k < c->n_improvements; k++) {
            fprintf(f, "  improvement: ");
            quoted(f, c->improvements[k].text);
            fprintf(f, " @%zu\n", c->improvements[k].line);
        }
        for (size_t k = 0; k < c->n_events; k++) event(f, "  ", &c->events[k]);
    }
    for (size_t i = 0; i < s->n_authority_events; i++) event(f, "", &s->authority_events[i]);
    for (size_t i = 0; i < s->n_warnings; i++) fprintf(f, "warning: @%zu %s\n", s->warnings[i].line, s->warnings[i].message);
    fprintf(f, "cases: %zu\n", s->n_cases);
}
