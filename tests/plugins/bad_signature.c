/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bad_signature.c -- a metric plugin whose second function has an unknown
 * signature letter: the loader must refuse the whole plugin, naming it, the
 * function and the position. */
#include <ombuds/plugin.h>

static int32_t ok_fn(omb_call *c, int32_t a) { (void)c; return a; }
static const struct omb_metric_fn functions[] = {
    {"fine_fn", "i(i)", (void (*)(void))ok_fn, NULL},
    {"broken_fn", "d(sq)", (void (*)(void))ok_fn, NULL},
    {NULL, NULL, NULL, NULL},
};
static const struct omb_metric_ops ops = {functions};
OMB_PLUGIN_EXPORT const struct omb_plugin ombuds_plugin = {
    .abi_version = OMB_PLUGIN_ABI_VERSION, .struct_size = sizeof(struct omb_plugin), .kind = OMB_PLUGIN_METRIC,
    .name = "bad_signature", .version = "1", .description = "refused at load", .ops = &ops};
