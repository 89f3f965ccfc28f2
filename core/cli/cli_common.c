/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli_common.c -- what several commands share: loading the plugins with their
 * errors reported, opening the store with its error printed, and the default
 * output format (a table for people, CSV for pipes).  Each command is in its
 * own cli_<family>.c; main.c only dispatches.
 */
#include <stdio.h>
#include <unistd.h>

#include "terminal.h"

#include "cli.h"
#include "output.h"
#include "plugin_loader.h"
#include "store.h"

int omb_cli_load_plugins(omb_registry *reg, const char *plugin_dir, int show_errors)
{
    if (omb_registry_load(reg, plugin_dir) != OMB_OK) {
        fprintf(stderr, "ombuds: out of memory loading plugins\n");
        return -1;
    }
    if (show_errors)
        for (size_t i = 0; i < reg->n_errors; i++) fprintf(stderr, "ombuds: plugin not loaded: %s\n", reg->errors[i]);
    return 0;
}

int omb_cli_open_store(const char *path, int flags, omb_store **st)
{
    char err[1024];
    if (omb_store_open(path, flags, st, err, sizeof err) != OMB_OK) {
        fprintf(stderr, "ombuds: %s\n", err);
        return -1;
    }
    return 0;
}

/* An aligned table for people; CSV when the output goes to a pipe or file,
 * where another program is more likely to read it. */
int omb_cli_default_format(void) { return isatty(STDOUT_FILENO) ? OMB_OUT_TABLE : OMB_OUT_CSV; }

/* Only `ingest` creates a store: a typing mistake in --db, or a command run
 * in the wrong folder, would otherwise leave an empty store behind and
 * answer "0 cases" as if that were the truth (issue 16). */
int omb_cli_need_store(const char *path, const char *cmd)
{
    if (access(path, F_OK) == 0) return 0;
    fprintf(stderr, "ombuds %s: no store at %s (ingest documents first, or give --db)\n", cmd, path);
    return -1;
}
