/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli_forget.c -- `ombuds forget PATH...`: takes documents back out of the
 * store, each in its own transaction, and says what that did to the cases.
 * The store side is core/lib/store_forget.c.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <ombuds/plugin.h>
#include <stdio.h>

#include "cli.h"
#include "terminal.h"
#include "store.h"
#include "store_forget.h"

int omb_cli_forget(const struct omb_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        if (c == 'h') {
            fputs(omb_cli_help_text("forget"), stdout);
            return 0;
        }
        fputs(omb_cli_help_text("forget"), stderr);
        return OMB_EXIT_USAGE;
    }
    if (optind >= argc) {
        fprintf(stderr, "ombuds forget: name at least one stored document, e.g. ombuds forget decisions/a.html\n");
        return OMB_EXIT_USAGE;
    }
    omb_store *st;
    if (omb_cli_need_store(cli->db_path, "forget") || omb_cli_open_store(cli->db_path, 0, &st)) return OMB_EXIT_STORE;
    int status = 0;
    for (int i = optind; i < argc; i++) {
        struct omb_forget_result r;
        char err[1024];
        int rc = omb_store_forget(st, argv[i], &r, err, sizeof err);
        if (rc == OMB_OK) {
            printf("forgot %s (%zu case%s removed, %zu merged again)\n", r.path, r.cases_removed,
                   r.cases_removed == 1 ? "" : "s", r.cases_remerged);
        } else {
            fprintf(stderr, "ombuds forget: %s\n", err);
            if (rc != OMB_ENOTFOUND) {
                status = OMB_EXIT_STORE;
                break;
            }
            status = OMB_EXIT_FAILED;
        }
    }
    omb_store_close(st);
    return status;
}
