/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fail_midway.c -- a source plugin that emits two good cases and then fails on
 * the line "FAIL HERE", so tests can check that the whole document rolls back.
 * Documents for it start with "FAILMIDWAY".
 */
#include <ombuds/plugin.h>
#include <string.h>

static int probe(const char *t, size_t n, const char *f)
{
    (void)f;
    return n >= 10 && !strncmp(t, "FAILMIDWAY", 10) ? 100 : 0;
}

static int parse(const struct omb_host *h, omb_sink *s, const struct omb_doc *d)
{
    static const char *const refs[] = {"21 000 001", "21 000 002"};
    for (int i = 0; i < 2; i++) {
        omb_builder *b = h->case_begin(s, 0);
        if (!b) return OMB_ENOMEM;
        h->case_set(b, OMB_FIELD_REF, refs[i], 10, 0);
        h->case_set(b, OMB_FIELD_AUTHORITY, "Test Council", 12, 0);
        h->case_add_remedy(b, OMB_REMEDY_PAYMENT, 10000, "avoidable distress", "pay £100", 9, 0);
        int rc = h->case_end(b);
        if (rc) return rc;
    }
    const char *fail = strstr(d->text, "FAIL HERE");
    if (fail) return h->error(s, (size_t)(fail - d->text), "expected no \"FAIL HERE\" line, found one");
    return OMB_OK;
}

static const struct omb_source_ops ops = {probe, parse, 10};
OMB_PLUGIN_EXPORT const struct omb_plugin ombuds_plugin = {
    .abi_version = OMB_PLUGIN_ABI_VERSION, .struct_size = sizeof(struct omb_plugin), .kind = OMB_PLUGIN_SOURCE,
    .name = "fail_midway", .version = "1", .description = "test plugin that fails after two cases", .ops = &ops};
