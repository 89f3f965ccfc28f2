/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli_plugins.c -- `ombuds plugins`: the plugins found, their kind, version
 * and ABI, and those that failed to load.  Loading is plugin_loader.c.
 */
#include <ombuds/plugin.h>
#include <stdio.h>

#include "cli.h"
#include "terminal.h"
#include "plugin_loader.h"

int omb_cli_plugins(const struct omb_cli *cli, int argc, char **argv)
{
    const char *plugin_dir = cli->plugin_dir;
    (void)argc, (void)argv;
    omb_registry reg = {0};
    if (omb_cli_load_plugins(&reg, plugin_dir, 0)) return OMB_EXIT_STORE;
    printf("%-16s %-7s %-8s %-4s %s\n", "name", "kind", "version", "abi", "file / description");
    for (size_t i = 0; i < reg.n; i++) {
        const struct omb_plugin *d = reg.plugins[i].desc;
        printf("%-16s %-7s %-8s %-4u %s\n%-39s %s\n", d->name, d->kind == OMB_PLUGIN_SOURCE ? "source" : "metric",
               d->version ? d->version : "", (unsigned)d->abi_version, reg.plugins[i].path, "",
               d->description ? d->description : "");
    }
    if (reg.n_errors) {
        printf("\nnot loaded:\n");
        for (size_t i = 0; i < reg.n_errors; i++) printf("  %s\n", reg.errors[i]);
    }
    omb_registry_free(&reg);
    return 0;
}
