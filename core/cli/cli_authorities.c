/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli_authorities.c -- the `ombuds authorities` command: show the authority
 * register, the names in the store that match nothing in it, the lineage of
 * reorganised councils, and load more register entries, subject mappings or
 * population figures (then re-merge the cases).  Loading itself is register.c.
 */
#include <getopt.h>
#include <ombuds/plugin.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "output.h"
#include "terminal.h"
#include "authorities.h"
#include "store.h"

static int show(omb_store *st, const char *sql, int format)
{
    sqlite3_stmt *s;
    char err[512];
    if (sqlite3_prepare_v2(omb_store_db(st), sql, -1, &s, NULL) != SQLITE_OK) {
        fprintf(stderr, "ombuds authorities: %s\n", sqlite3_errmsg(omb_store_db(st)));
        return 3;
    }
    int width = format == OMB_OUT_TABLE ? omb_terminal_width(STDOUT_FILENO) : 0;
    int rc = omb_output_stmt(stdout, s, format, 0, width, err, sizeof err);
    sqlite3_finalize(s);
    if (rc) fprintf(stderr, "ombuds authorities: %s\n", err);
    return rc ? 3 : 0;
}

int omb_cli_authorities(int argc, char **argv, const char *db_path)
{
    static const struct option opts[] = {{"unmatched", no_argument, NULL, 'u'},
                                         {"lineage", no_argument, NULL, 'L'},
                                         {"load", required_argument, NULL, 'l'},
                                         {"load-subjects", required_argument, NULL, 's'},
                                         {"load-population", required_argument, NULL, 'p'},
                                         {"format", required_argument, NULL, 'f'},
                                         {NULL, 0, NULL, 0}};
    const char *load = NULL, *subjects = NULL, *population = NULL;
    int unmatched = 0, lineage = 0, format = OMB_OUT_TABLE, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+uLl:s:p:f:", opts, NULL)) != -1) {
        switch (c) {
        case 'u': unmatched = 1; break;
        case 'L': lineage = 1; break;
        case 'l': load = optarg; break;
        case 's': subjects = optarg; break;
        case 'p': population = optarg; break;
        case 'f':
            if (!(format = omb_out_format_parse(optarg)) || format == OMB_OUT_JSONL) {
                fprintf(stderr, "ombuds authorities: --format takes table, csv or json\n");
                return 2;
            }
            break;
        default:
            fprintf(stderr, "usage: ombuds authorities [--unmatched | --lineage] [--load FILE.tsv]"
                            " [--load-subjects FILE.tsv] [--load-population FILE.csv] [--format F]\n");
            return 2;
        }
    }
    omb_store *st;
    char err[1024];
    if (omb_cli_need_store(db_path, "authorities")) return 3;
    if (omb_store_open(db_path, 0, &st, err, sizeof err)) {
        fprintf(stderr, "ombuds: %s\n", err);
        return 3;
    }
    sqlite3 *db = omb_store_db(st);
    int rc = 0;
    size_t n;
    if (load || subjects || population) {
        sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        if (load && !rc) {
            rc = omb_register_load_authorities(db, load, &n, err, sizeof err);
            if (!rc) printf("loaded %zu authorities from %s\n", n, load);
        }
        if (subjects && !rc) {
            rc = omb_register_load_subjects(db, subjects, &n, err, sizeof err);
            if (!rc) printf("loaded %zu subject mappings from %s\n", n, subjects);
        }
        if (population && !rc) {
            rc = omb_register_load_population(db, population, &n, err, sizeof err);
            if (!rc) printf("loaded %zu population figures from %s\n", n, population);
        }
        if (!rc) rc = omb_store_remerge_all(st, err, sizeof err);
        if (rc) {
            fprintf(stderr, "ombuds authorities: %s\n", err);
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            omb_store_close(st);
            return 1;
        }
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    }
    if (unmatched)
        rc = show(st, "SELECT name, cases, first_seen_in FROM unmatched_authorities ORDER BY cases DESC, name", format);
    else if (lineage)
        rc = show(st, "SELECT predecessor, successor, on_date FROM authority_lineage ORDER BY on_date, predecessor",
                  format);
    else if (!load && !subjects && !population)
        rc = show(st,
                  "SELECT a.name, a.type, (SELECT group_concat(n.name, '; ') FROM authority_names n WHERE"
                  " n.authority_id = a.id AND n.name <> a.name) AS spellings, a.abolished,"
                  " (SELECT population FROM authority_population p WHERE p.authority = a.name) AS population,"
                  " (SELECT count(*) FROM cases c WHERE c.authority = a.name) AS cases"
                  " FROM authorities a ORDER BY a.name",
                  format);
    omb_store_close(st);
    return rc;
}
