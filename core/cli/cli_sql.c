/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli_sql.c -- `ombuds sql SQL [PARAM...]`: read-only queries on the store,
 * with the metric functions registered, printed by the one row renderer
 * (core/lib/output.c).
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

#include "cli.h"
#include "terminal.h"
#include "ffi_bridge.h"
#include "output.h"
#include "plugin_loader.h"
#include "store.h"

static int run_query(omb_store *st, const char *sql, char **params, int n_params, int format)
{
    sqlite3 *db = omb_store_db(st);
    sqlite3_stmt *s = NULL;
    const char *tail = sql;
    char err[1024];
    int rc = 0;
    while (tail && *tail) {
        if (sqlite3_prepare_v2(db, tail, -1, &s, &tail) != SQLITE_OK) {
            fprintf(stderr, "ombuds sql: %s\n", sqlite3_errmsg(db));
            return OMB_EXIT_USAGE;
        }
        if (!s) break; /* trailing white space or comment */
        if (!sqlite3_stmt_readonly(s)) {
            fprintf(stderr, "ombuds sql: only queries that read are allowed here; the store changes through "
                            "`ombuds ingest`\n");
            sqlite3_finalize(s);
            return OMB_EXIT_USAGE;
        }
        for (int i = 0; i < n_params && i < sqlite3_bind_parameter_count(s); i++)
            sqlite3_bind_text(s, i + 1, params[i], -1, SQLITE_STATIC);
        int width = format == OMB_OUT_TABLE ? omb_terminal_width(STDOUT_FILENO) : 0;
        if (omb_output_stmt(stdout, s, format, 0, width, err, sizeof err) != OMB_OK) {
            fprintf(stderr, "ombuds sql: %s\n", err);
            rc = OMB_EXIT_USAGE;
        }
        sqlite3_finalize(s);
        s = NULL;
        if (rc) break;
    }
    return rc;
}

int omb_cli_sql(const struct omb_cli *cli, int argc, char **argv)
{
    const char *db_path = cli->db_path, *plugin_dir = cli->plugin_dir;
    static const struct option opts[] = {{"format", required_argument, NULL, 'f'}, {NULL, 0, NULL, 0}};
    int format = omb_cli_default_format(), c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+f:", opts, NULL)) != -1) {
        if (c != 'f' || !(format = omb_out_format_parse(optarg)) || format == OMB_OUT_JSONL) {
            fprintf(stderr, "ombuds sql: --format takes table, csv or json\n");
            return OMB_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "ombuds sql: give the query, e.g. ombuds sql \"SELECT count(*) FROM cases\"\n");
        return OMB_EXIT_USAGE;
    }
    omb_store *st;
    omb_registry reg = {0};
    char err[512];
    if (omb_cli_need_store(db_path, "sql") || omb_cli_open_store(db_path, 0, &st)) return OMB_EXIT_STORE;
    /* metric functions are SQL functions too: SELECT uphold_share(...) */
    if (omb_cli_load_plugins(&reg, plugin_dir, 0) || omb_ffi_register_sql(omb_store_db(st), &reg, err, sizeof err)) {
        fprintf(stderr, "ombuds sql: %s\n", reg.n ? err : "cannot load plugins");
        omb_registry_free(&reg);
        omb_store_close(st);
        return OMB_EXIT_STORE;
    }
    sqlite3_exec(omb_store_db(st), "PRAGMA query_only = ON", NULL, NULL, NULL);
    int rc = run_query(st, argv[optind], argv + optind + 1, argc - optind - 1, format);
    /* the connection holds function pointers into the plugins: close it first */
    omb_store_close(st);
    omb_registry_free(&reg);
    return rc;
}
