/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli_cases.c -- `ombuds cases` (a table of cases with their payments) and
 * `ombuds export` (every case with everything known, JSONL or CSV), which
 * share their filter options.  The export format itself is core/lib/export.c.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "terminal.h"
#include "export.h"
#include "output.h"
#include "store.h"

/* An ISO date, YYYY-MM-DD, that exists (2023-02-30 does not). */
static int valid_date(const char *s)
{
    int y, m, d, n = 0;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10) return 0;
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1 || d > days[m - 1]) return 0;
    return !(m == 2 && d == 29 && (y % 4 || (y % 100 == 0 && y % 400)));
}

/* --search TEXT as an FTS5 query: each word a quoted phrase (all must
 * match), so a user's apostrophe, hyphen or colon is text, not syntax. */
static char *fts_words(const char *text)
{
    size_t n = strlen(text);
    char *q = malloc(3 * n + 3), *o = q;
    if (!q) return NULL;
    for (const char *p = text; *p;) {
        while (*p == ' ' || *p == '\t') p++;
        if (!*p) break;
        if (o > q) *o++ = ' ';
        *o++ = '"';
        for (; *p && *p != ' ' && *p != '\t'; p++) {
            if (*p == '"') *o++ = '"';
            *o++ = *p;
        }
        *o++ = '"';
    }
    *o = '\0';
    return q;
}

static int parse_filter(int argc, char **argv, struct omb_case_filter *flt, int *format, const char **out,
                        const char *cmd)
{
    static const struct option opts[] = {{"authority", required_argument, NULL, 'a'},
                                         {"category", required_argument, NULL, 'c'},
                                         {"subcategory", required_argument, NULL, 's'},
                                         {"outcome", required_argument, NULL, 'u'},
                                         {"from", required_argument, NULL, 'F'},
                                         {"to", required_argument, NULL, 'T'},
                                         {"search", required_argument, NULL, 'S'},
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
        case 's': flt->subcategory = optarg; break;
        case 'u': flt->outcome = optarg; break;
        case 'S': flt->search = optarg; break;
        case 'F':
        case 'T':
            if (!valid_date(optarg)) {
                fprintf(stderr, "ombuds %s: --%s expects a decision date as YYYY-MM-DD, such as 2023-04-01, not \"%s\"\n",
                        cmd, c == 'F' ? "from" : "to", optarg);
                return -1;
            }
            if (c == 'F') flt->from = optarg;
            else flt->to = optarg;
            break;
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
            if (!out) {
                fprintf(stderr, "ombuds %s: --out is for export; redirect the output instead\n", cmd);
                return -1;
            }
            *out = optarg;
            break;
        default: return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "ombuds %s: unexpected argument \"%s\"\n", cmd, argv[optind]);
        return -1;
    }
    if (flt->from && flt->to && strcmp(flt->from, flt->to) > 0) {
        fprintf(stderr, "ombuds %s: --from %s is after --to %s\n", cmd, flt->from, flt->to);
        return -1;
    }
    return 0;
}

/* Edit distance of two names, ignoring case (for "did you mean"). */
static size_t distance(const char *a, const char *b)
{
    size_t n = strlen(b), row[256];
    if (n > 255) n = 255;
    for (size_t j = 0; j <= n; j++) row[j] = j;
    for (size_t i = 1; *a; a++, i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= n; j++) {
            size_t up = row[j];
            size_t cost = tolower((unsigned char)*a) != tolower((unsigned char)b[j - 1]);
            size_t best = diag + cost;
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[n];
}

/* An --authority that neither the register nor any case knows is a typing
 * mistake far more often than a council with no cases: say so, with the
 * nearest names, rather than print an empty list.  Returns 0 when known. */
static int check_authority(sqlite3 *db, const char *name, const char *cmd)
{
    sqlite3_stmt *s;
    static const char known[] = "SELECT EXISTS (SELECT 1 FROM authority_names WHERE name = ?1)"
                                " OR EXISTS (SELECT 1 FROM cases WHERE authority = ?1 COLLATE NOCASE)";
    if (sqlite3_prepare_v2(db, known, -1, &s, NULL) != SQLITE_OK) return 0;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    int found = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    if (found) return 0;
    /* Every spelling is compared, but each authority is suggested once, by
     * its canonical name: "Hampshire CC" and "Hampshire Council" are both
     * Hampshire County Council. */
    size_t best_d[3] = {SIZE_MAX, SIZE_MAX, SIZE_MAX};
    char *names[3] = {0};
    if (sqlite3_prepare_v2(db, "SELECT n.name, coalesce(a.name, n.name) FROM authority_names n"
                               " LEFT JOIN authorities a ON a.id = n.authority_id"
                               " UNION SELECT authority, authority FROM cases WHERE authority IS NOT NULL",
                           -1, &s, NULL) == SQLITE_OK) {
        while (sqlite3_step(s) == SQLITE_ROW) {
            const char *cand = (const char *)sqlite3_column_text(s, 0);
            const char *canonical = (const char *)sqlite3_column_text(s, 1);
            /* a short form ("Medway", "west sussex") is nearest to the
             * names it begins, then to those it is part of, whatever the
             * edit distance of the letters the user left out */
            size_t d = !strncasecmp(cand, name, strlen(name)) ? 0 : strcasestr(cand, name) ? 1 : 2 + distance(name, cand);
            int seen = -1;
            for (int k = 0; k < 3 && names[k]; k++)
                if (!strcmp(names[k], canonical)) seen = k;
            if (seen >= 0) { /* already suggested: keep its better distance */
                if (d >= best_d[seen]) continue;
                free(names[seen]);
                for (int m = seen; m < 2; m++) names[m] = names[m + 1], best_d[m] = best_d[m + 1];
                names[2] = NULL;
                best_d[2] = SIZE_MAX;
            }
            for (int k = 0; k < 3; k++) {
                if (d < best_d[k]) {
                    free(names[2]);
                    for (int m = 2; m > k; m--) names[m] = names[m - 1], best_d[m] = best_d[m - 1];
                    names[k] = strdup(canonical);
                    best_d[k] = d;
                    break;
                }
            }
        }
        sqlite3_finalize(s);
    }
    fprintf(stderr, "ombuds %s: no authority called \"%s\"", cmd, name);
    for (int k = 0; k < 3 && names[k]; k++) fprintf(stderr, "%s\"%s\"", k ? ", " : "; did you mean ", names[k]);
    fprintf(stderr, names[0] ? "?\n" : " (see ombuds authorities)\n");
    for (int k = 0; k < 3; k++) free(names[k]);
    return -1;
}

/* Opens the store, checks the filter against it, and quotes --search. */
static int open_filtered(const char *db_path, const char *cmd, struct omb_case_filter *flt, char **fts,
                         omb_store **st)
{
    if (omb_cli_need_store(db_path, cmd) || omb_cli_open_store(db_path, 0, st)) return OMB_EXIT_STORE;
    if (flt->authority && check_authority(omb_store_db(*st), flt->authority, cmd)) {
        omb_store_close(*st);
        return OMB_EXIT_USAGE;
    }
    if (flt->search && !(flt->search = *fts = fts_words(flt->search))) {
        omb_store_close(*st);
        fprintf(stderr, "ombuds %s: out of memory\n", cmd);
        return OMB_EXIT_FAILED;
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
    char *fts = NULL;
    int orc = open_filtered(db_path, "cases", &flt, &fts, &st);
    if (orc) return orc;
    sqlite3 *db = omb_store_db(st);
    sqlite3_stmt *s = NULL;
    static const char sql[] =
        "WITH sel AS (SELECT c.* FROM cases c" OMB_CASE_FILTER_SQL ")"
        " SELECT coalesce(c.ref, '(unreferenced)') AS ref, c.decision_date, c.authority,"
        " c.category, c.subcategory, c.outcome, t.payment_pence AS payment_total_pence,"
        " t.n_remedies, (SELECT count(*) FROM case_improvements i WHERE i.case_id = c.id) AS n_improvements"
        " FROM sel c JOIN case_totals t ON t.case_id = c.id"
        " ORDER BY c.decision_date IS NULL, c.decision_date, c.ref";
    char err[512];
    int rc = 0;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
        fprintf(stderr, "ombuds cases: %s\n", sqlite3_errmsg(db));
        rc = OMB_EXIT_STORE;
    } else {
        omb_case_filter_bind(s, &flt);
        /* the names are export's (docs/export.md); the total is a line of the table only */
        struct omb_out_opts o = {format, format == OMB_OUT_TABLE ? omb_terminal_width(STDOUT_FILENO) : 0, 0, 0, 0, 1};
        if (omb_output_stmt_opts(stdout, s, &o, err, sizeof err)) {
            fprintf(stderr, "ombuds cases: %s\n", err);
            rc = OMB_EXIT_STORE;
        }
    }
    sqlite3_finalize(s);
    free(fts);
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
    char *fts = NULL;
    int orc = open_filtered(db_path, "export", &flt, &fts, &st);
    if (orc) return orc;
    FILE *f = stdout;
    if (out && strcmp(out, "-") && !(f = fopen(out, "w"))) {
        fprintf(stderr, "ombuds export: cannot write %s: %s\n", out, strerror(errno));
        free(fts);
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
    free(fts);
    omb_store_close(st);
    return rc ? OMB_EXIT_STORE : 0;
}
