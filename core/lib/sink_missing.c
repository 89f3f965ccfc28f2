/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sink_missing.c -- what a document's cases lack (sink.h): the warning for
 * each field no case of the document could be given (issue 15: "every field
 * that could not be read gets a warning naming the file, the line and what
 * was missing"), and the counts `ombuds ingest` prints at the end.
 *
 * The core does this once, after any plugin's parse, so that every plugin
 * (C or Lua, shipped or a user's) is held to it; a plugin that already said
 * why a field is missing ("no \"Decision :\" line under the heading ...")
 * keeps its own, more precise, warning and gets no second one.
 */
#include <stdio.h>
#include <string.h>

#include "sink.h"

/* The fields a reader of a case expects, with the words a warning uses. */
static const struct {
    int field;
    const char *what; /* as in "no decision date" */
} wanted[] = {
    {OMB_FIELD_AUTHORITY, "authority"},
    {OMB_FIELD_CATEGORY, "category"},
    {OMB_FIELD_OUTCOME, "outcome"},
    {OMB_FIELD_DECISION_DATE, "decision date"},
};

static int already_warned(const struct omb_sink *s, const char *what)
{
    for (size_t i = 0; i < s->n_warnings; i++)
        if (strstr(s->warnings[i].message, what)) return 1;
    return 0;
}

/* How a case is named in a warning: its reference, its row key, or "the case". */
static const char *case_name(const omb_case *c)
{
    if (c->fields[OMB_FIELD_REF].value) return c->fields[OMB_FIELD_REF].value;
    if (c->fields[OMB_FIELD_ROW_KEY].value) return c->fields[OMB_FIELD_ROW_KEY].value;
    return "the case";
}

void omb_sink_warn_missing(struct omb_sink *s, int authority_given)
{
    for (size_t f = 0; f < sizeof wanted / sizeof wanted[0]; f++) {
        if (wanted[f].field == OMB_FIELD_AUTHORITY && authority_given) continue;
        size_t lacking = 0, first_line = 0;
        char list[200];
        size_t o = 0;
        list[0] = '\0';
        for (size_t i = 0; i < s->n_cases; i++) {
            const omb_case *c = s->cases[i];
            if (c->fields[wanted[f].field].value) continue;
            if (!lacking) first_line = c->line;
            lacking++;
            if (lacking <= 3 && o < sizeof list) {
                int w = snprintf(list + o, sizeof list - o, "%s%s at line %zu", lacking > 1 ? ", " : "",
                                 case_name(c), c->line);
                o += w > 0 ? (size_t)w : 0;
            }
        }
        if (!lacking || already_warned(s, wanted[f].what)) continue;
        if (lacking == 1)
            omb_sink_warnf(s, first_line, "no %s found for case %s; left unknown", wanted[f].what, list);
        else
            omb_sink_warnf(s, first_line, "no %s found for %zu cases (%s%s); left unknown", wanted[f].what, lacking,
                           list, lacking > 3 ? ", ..." : "");
    }
}

void omb_sink_count_missing(const struct omb_sink *s, int authority_given, size_t *no_authority, size_t *no_date,
                            size_t *no_outcome)
{
    for (size_t i = 0; i < s->n_cases; i++) {
        const omb_case *c = s->cases[i];
        if (!authority_given && !c->fields[OMB_FIELD_AUTHORITY].value) (*no_authority)++;
        if (!c->fields[OMB_FIELD_DECISION_DATE].value) (*no_date)++;
        const char *o = c->fields[OMB_FIELD_OUTCOME].value;
        if (!o || !strcmp(o, "unknown")) (*no_outcome)++;
    }
}
