/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli_parse.c -- `ombuds parse FILE`: what a plugin reads from one file,
 * dumped without touching the store (core/lib/dump.c prints the sink).
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <ombuds/plugin.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "terminal.h"
#include "dump.h"
#include "ingest.h"
#include "plugin_loader.h"

int omb_cli_parse(const struct omb_cli *cli, int argc, char **argv)
{
    const char *plugin_dir = cli->plugin_dir;
    static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
                                         {"authority", required_argument, NULL, 'a'},
                                         {NULL, 0, NULL, 0}};
    const char *format = NULL, *authority = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+f:a:", opts, NULL)) != -1) {
        if (c == 'f') format = optarg;
        else if (c == 'a') authority = optarg;
        else return OMB_EXIT_USAGE;
    }
    if (optind + 1 != argc) {
        fprintf(stderr, "usage: ombuds parse [--format NAME] [--authority NAME] FILE\n");
        return OMB_EXIT_USAGE;
    }
    const char *path = argv[optind];
    omb_registry reg = {0};
    if (omb_cli_load_plugins(&reg, plugin_dir, 1)) return OMB_EXIT_STORE;
    char *text = NULL, note[128], err[1024];
    size_t len;
    const struct omb_loaded_plugin *p;
    int rc = omb_ingest_prepare(&reg, path, format, &text, &len, &p, note, sizeof note, err, sizeof err, NULL, NULL);
    if (rc) {
        fprintf(stderr, "ombuds parse: %s\n", err);
        omb_registry_free(&reg);
        return OMB_EXIT_FAILED;
    }
    struct omb_sink sink;
    omb_sink_init(&sink, text, len, path, p->desc->name);
    if (note[0]) omb_sink_warnf(&sink, 1, "%s", note);
    rc = omb_ingest_parse(p, &sink, text, len, path, authority);
    if (rc == OMB_OK) omb_dump_sink(stdout, &sink, omb_doc_name(path), p->desc->name);
    else fprintf(stderr, "ombuds parse: %s\n", sink.error);
    omb_sink_clear(&sink);
    free(text);
    omb_registry_free(&reg);
    return rc ? OMB_EXIT_FAILED : 0;
}
