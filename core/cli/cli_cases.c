/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli_cases.c -- `ombuds cases` (a table of cases with their payments) and
 * `ombuds export` (every case with everything known, JSONL or CSV), which
 * share their filter options.  The export format itself is core/lib/export.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "terminal.h"
#include "export.h"
#include "output.h"
#include "store.h"

static int parse_filter(int argc, char **argv, struct omb_case_filter *flt, int *format, const char **out,
                        const char *cmd)
{
    static const struct option opts[] = {{"authority", required_argument, NULL, 'a'},
                                         {"category", required_argument, NULL, 'c'},
                                         {"year", required_argument, NULL, 'y'},
                                         {"format", required_argument, NULL, 'f'},
                                         {"out", required_argument, NULL, 'o'},
                                         {NULL, 0, NULL, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+a:c:y:f:o:", opts, NULL)) != -1) {
        switch (c) {
        case 'a': flt->authority = optarg; break;
        case 'c': flt->category = optarg; break;
        case 'y': {
            char *end;
            long y = strtol(optarg, &end, 10);
            if (*end || y < 1970 || y > 2100) {
                fprintf(stderr, "ombuds %s: --year expects a year such as 2023, not \"%s\"\n", cmd, optarg);
                return -1;
            }
            flt->year = (int)y;
            break;
        }
        case 'f':
            *format = omb_out_format_parse(optarg);
            if (!*format) {
                fprintf(stderr, "ombuds %s: unknown --format \"%s\"\n", cmd, optarg);
                return -1;
            }
            break;
        case 'o':
            if (!out) return -1;
            *out = optarg;
            break;
        default: return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "ombuds %s: unexpected argument \"%s\"\n", cmd, argv[optind]);
        return -1;
    }
    return 0;
}

int omb_cli_cases(const struct omb_cli *cli, int argc, char **argv)
{
    const char *db_path = cli->db_path;
    struct omb_case_filter flt = {0};
    int format = omb_cli_default_format();
    if (parse_filter(argc, argv, &flt, &format, NULL, "cases")) return OMB_EXIT_USAGE;
    omb_store *st;
    if (omb_cli_need_store(db_path, "cases") || omb_cli_open_store(db_path, 0, &st)) return OMB_EXIT_STORE;
    sqlite3 *db = omb_store_db(st);
    sqlite3_stmt *s = NULL;
    static const char sql[] =
        "SELECT * FROM (SELECT coalesce(c.ref, '(unreferenced)') AS ref, c.decision_date AS decided, c.authority,"
        " c.category, c.subcategory, c.outcome, printf('%.2f', t.payment_pence / 100.0) AS payments_gbp,"
        " t.n_remedies AS remedies,"
        " (SELECT count(*) FROM case_improvements i WHERE i.case_id = c.id) AS improvements"
        " FROM cases c JOIN case_totals t ON t.case_id = c.id"
        " WHERE (?1 IS NULL OR c.authority = ?1 COLLATE NOCASE) AND (?2 IS NULL OR c.category = ?2 COLLATE NOCASE)"
        " AND (?3 IS NULL OR c.year = ?3)"
        " ORDER BY c.decision_date IS NULL, c.decision_date, c.ref)"
        " UNION ALL SELECT 'total', NULL, NULL, NULL, NULL, count(*) || ' cases', printf('%.2f', sum(t.payment_pence)"
        " / 100.0), sum(t.n_remedies), (SELECT count(*) FROM case_improvements i JOIN cases c2 ON c2.id = i.case_id"
        " WHERE (?1 IS NULL OR c2.authority = ?1 COLLATE NOCASE) AND (?2 IS NULL OR c2.category = ?2 COLLATE NOCASE)"
        " AND (?3 IS NULL OR c2.year = ?3))"
        " FROM cases c JOIN case_totals t ON t.case_id = c.id"
        " WHERE (?1 IS NULL OR c.authority = ?1 COLLATE NOCASE) AND (?2 IS NULL OR c.category = ?2 COLLATE NOCASE)"
        " AND (?3 IS NULL OR c.year = ?3)";
    char err[512];
    int rc = 0;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
        fprintf(stderr, "ombuds cases: %s\n", sqlite3_errmsg(db));
        rc = OMB_EXIT_STORE;
    } else {
        if (flt.authority) sqlite3_bind_text(s, 1, flt.authority, -1, SQLITE_STATIC);
        if (flt.category) sqlite3_bind_text(s, 2, flt.category, -1, SQLITE_STATIC);
        if (flt.year) sqlite3_bind_int(s, 3, flt.year);
        int width = format == OMB_OUT_TABLE ? omb_terminal_width(STDOUT_FILENO) : 0;
        if (omb_output_stmt(stdout, s, format, 0, width, err, sizeof err)) {
            fprintf(stderr, "ombuds cases: %s\n", err);
            rc = OMB_EXIT_STORE;
        }
    }
    sqlite3_finalize(s);
    omb_store_close(st);
    return rc;
}

int omb_cli_export(const struct omb_cli *cli, int argc, char **argv)
{
    const char *db_path = cli->db_path;
    struct omb_case_filter flt = {0};
    int format = OMB_OUT_JSONL;
    const char *out = NULL;
    if (parse_filter(argc, argv, &flt, &format, &out, "export")) return OMB_EXIT_USAGE;
    if (format != OMB_OUT_JSONL && format != OMB_OUT_CSV) {
        fprintf(stderr, "ombuds export: --format takes jsonl or csv\n");
        return OMB_EXIT_USAGE;
    }
    omb_store *st;
    if (omb_cli_need_store(db_path, "export") || omb_cli_open_store(db_path, 0, &st)) return OMB_EXIT_STORE;
    FILE *f = stdout;
    if (out && strcmp(out, "-") && !(f = fopen(out, "w"))) {
        fprintf(stderr, "ombuds export: cannot write %s: %s\n", out, strerror(errno));
        omb_store_close(st);
        return OMB_EXIT_STORE;
    }
    char err[512];
    int rc = omb_export(st, f, format, &flt, err, sizeof err);
    if (rc) fprintf(stderr, "ombuds %s\n", err);
    if (f != stdout && fclose(f) != 0 && !rc) {
        fprintf(stderr, "ombuds export: writing %s: %s\n", out, strerror(errno));
        rc = OMB_EIO;
    }
    omb_store_close(st);
    return rc ? OMB_EXIT_STORE : 0;
}
