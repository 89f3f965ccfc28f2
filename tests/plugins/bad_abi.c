/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bad_abi.c -- a plugin built for another plugin ABI; the loader must refuse it. */
#include <ombuds/plugin.h>

static int probe(const char *t, size_t n, const char *f) { (void)t; (void)n; (void)f; return 0; }
static int parse(const struct omb_host *h, omb_sink *s, const struct omb_doc *d) { (void)h; (void)s; (void)d; return 0; }
static const struct omb_source_ops ops = {probe, parse, 10};
OMB_PLUGIN_EXPORT const struct omb_plugin ombuds_plugin = {
    .abi_version = OMB_PLUGIN_ABI_VERSION + 41, .struct_size = sizeof(struct omb_plugin), .kind = OMB_PLUGIN_SOURCE,
    .name = "future_format", .version = "9", .description = "built for a later ombuds", .ops = &ops};
