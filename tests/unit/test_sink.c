/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_sink.c -- unit tests for sink.c, the host table given to source
 * plugins and the sink it fills: the table declares the ABI it was built
 * for, offsets become 1-based line numbers, a case is built through the
 * table (its reference normalised, the text as written kept, the line
 * recorded), a discarded case leaves nothing, warnings carry their line,
 * and error() marks the sink failed with "file:line: message".
 */
#include "sink.h"

#include <ombuds/plugin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"

int main(void)
{
    const struct omb_host *h = omb_host_table();
    TAP_OK(h != NULL, "there is a host table");
    TAP_INT((int)h->abi_version, OMB_PLUGIN_ABI_VERSION, "it declares the plugin ABI version");
    TAP_INT((int)h->size, (int)sizeof(struct omb_host), "it declares its own size");

    /* three lines, the last without a newline; the reference is on line 2 */
    const char *doc = "Decision\nReference 21011234 about Kent\nend";
    struct omb_sink s;
    omb_sink_init(&s, doc, strlen(doc), "doc.txt", "test");
    size_t ref_at = (size_t)(strstr(doc, "21011234") - doc);
    TAP_INT((int)omb_sink_line(&s, 0), 1, "offset 0 is line 1");
    TAP_INT((int)omb_sink_line(&s, ref_at), 2, "an offset on the second line is line 2");
    TAP_INT((int)omb_sink_line(&s, strlen(doc) + 50), 3, "an offset past the end is the last line");
    TAP_INT((int)omb_sink_offset_of_line(&s, 2), 9, "line 2 starts after \"Decision\\n\"");

    omb_builder *b = h->case_begin(&s, ref_at);
    TAP_OK(b != NULL, "case_begin gives a builder");
    TAP_INT(h->case_set(b, OMB_FIELD_REF, doc + ref_at, 8, ref_at), OMB_OK, "case_set of the reference");
    TAP_INT(h->case_set(b, OMB_FIELD_AUTHORITY, "Kent", 4, ref_at), OMB_OK, "case_set of the authority");
    TAP_INT(h->case_end(b), OMB_OK, "case_end hands the case to the sink");
    TAP_INT((int)s.n_cases, 1, "the sink holds one case");
    if (s.n_cases == 1) {
        const omb_case *c = s.cases[0];
        TAP_STR(c->fields[OMB_FIELD_REF].value ? c->fields[OMB_FIELD_REF].value : "(null)", "21 011 234",
                "the reference is stored in its normal form");
        TAP_STR(c->ref_written ? c->ref_written : "(null)", "21011234", "the reference as written is kept");
        TAP_INT((int)c->line, 2, "the case records the line it starts on");
    } else {
        TAP_OK(0, "the reference is stored in its normal form");
        TAP_OK(0, "the reference as written is kept");
        TAP_OK(0, "the case records the line it starts on");
    }

    b = h->case_begin(&s, 0);
    h->case_set(b, OMB_FIELD_AUTHORITY, "Hull", 4, 0);
    h->case_discard(b);
    TAP_INT((int)s.n_cases, 1, "a discarded case is not added");
    TAP_INT((int)s.n_open_builders, 0, "no builder is left open");

    h->warn(&s, ref_at, "odd %s", "spacing");
    TAP_INT((int)s.n_warnings, 1, "warn adds a warning");
    if (s.n_warnings == 1) {
        TAP_INT((int)s.warnings[0].line, 2, "the warning carries its line");
        TAP_STR(s.warnings[0].message, "odd spacing", "the warning's message is formatted");
    } else {
        TAP_OK(0, "the warning carries its line");
        TAP_OK(0, "the warning's message is formatted");
    }

    TAP_OK(h->error(&s, strlen(doc) - 2, "expected %s", "a date") != OMB_OK, "error returns a failure status");
    TAP_OK(s.failed, "error marks the sink failed");
    TAP_OK(strstr(s.error, "doc.txt:3") && strstr(s.error, "expected a date"),
           "the error names the file, the line and what was expected (%s)", s.error);
    omb_sink_clear(&s);
    return tap_done();
}
