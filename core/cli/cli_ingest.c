/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli_ingest.c -- `ombuds ingest PATH...`: options, the per-file report lines
 * and progress bar, the summary and the exit status.  Reading, parsing and
 * storing are the library's (core/lib/ingest*.c).
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <ombuds/plugin.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "terminal.h"
#include "ingest.h"
#include "plugin_loader.h"
#include "store.h"

static volatile sig_atomic_t interrupted;
static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}


struct ingest_ui {
    int tty;      /* stderr is a terminal: draw a progress bar */
    int color;
    int quiet;
    int bar_drawn;
};

static void clear_bar(struct ingest_ui *ui)
{
    if (ui->bar_drawn) {
        fputs("\r\033[K", stderr);
        ui->bar_drawn = 0;
    }
}

static void ingest_report(void *ud, const struct omb_file_report *r)
{
    struct ingest_ui *ui = ud;
    static const char *const words[] = {"?", "new", "updated", "unchanged", "failed", "checked"};
    static const char *const colors[] = {"", "\033[32m", "\033[33m", "\033[2m", "\033[31m", "\033[32m"};
    int st = r->status >= 1 && r->status <= 5 ? r->status : 0;
    clear_bar(ui);
    if (!ui->quiet || st == OMB_FILE_FAILED) {
        FILE *f = st == OMB_FILE_FAILED ? stderr : stdout;
        int color = st == OMB_FILE_FAILED ? omb_cli_use_color(stderr) : ui->color;
        fprintf(f, "%s%-9s%s %s", color ? colors[st] : "", words[st], color ? "\033[0m" : "", r->path);
        if (st == OMB_FILE_FAILED) {
            /* messages usually start with the path already; do not repeat it */
            const char *m = r->message ? r->message : "failed";
            size_t pl = strlen(r->path);
            if (!strncmp(m, r->path, pl) && m[pl] == ':' && m[pl + 1] == ' ') m += pl + 2;
            fprintf(f, ": %s", m);
        }
        else if (st == OMB_FILE_NEW || st == OMB_FILE_UPDATED || st == OMB_FILE_CHECKED)
            fprintf(f, " (%s, %zu case%s%s)", r->plugin, r->n_cases, r->n_cases == 1 ? "" : "s",
                    r->n_warnings ? ", warnings below" : "");
        else if (r->message) fprintf(f, " (%s)", r->message);
        fputc('\n', f);
        fflush(f);
    }
    for (size_t i = 0; i < r->n_warnings; i++) fprintf(stderr, "warning: %s\n", r->warnings[i]);
    if (ui->tty && r->total > 1) {
        int width = 30;
        int done = (int)((double)r->index / (double)r->total * width);
        fputs("\r[", stderr);
        for (int i = 0; i < width; i++) fputc(i < done ? '#' : ' ', stderr);
        fprintf(stderr, "] %zu/%zu files", r->index, r->total);
        fflush(stderr);
        ui->bar_drawn = 1;
    }
}

/* A listing page that shows 10 of its 52 results is a paged listing, and a
 * user who ingests page one alone would take the 10 for the whole: say so
 * for each such document this run stored (the plugins note listing_shown,
 * listing_total and listing_partial). */
static size_t warn_partial(omb_store *st, sqlite3_int64 doc0)
{
    sqlite3_stmt *s;
    size_t n = 0;
    static const char sql[] =
        "SELECT d.path, (SELECT value FROM document_notes WHERE document_id = d.id AND key = 'listing_shown'),"
        " (SELECT value FROM document_notes WHERE document_id = d.id AND key = 'listing_total')"
        " FROM documents d JOIN document_notes p ON p.document_id = d.id AND p.key = 'listing_partial'"
        " AND p.value = 'yes' WHERE d.id > ?1 ORDER BY d.id";
    if (sqlite3_prepare_v2(omb_store_db(st), sql, -1, &s, NULL) != SQLITE_OK) return 0;
    sqlite3_bind_int64(s, 1, doc0);
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *shown = (const char *)sqlite3_column_text(s, 1), *total = (const char *)sqlite3_column_text(s, 2);
        fprintf(stderr, "warning: %s: %s of %s results on this page: a paged listing; ingest its other pages for the"
                        " rest\n", (const char *)sqlite3_column_text(s, 0), shown ? shown : "?", total ? total : "?");
        n++;
    }
    sqlite3_finalize(s);
    return n;
}

int omb_cli_ingest(const struct omb_cli *cli, int argc, char **argv)
{
    const char *db_path = cli->db_path, *plugin_dir = cli->plugin_dir;
    static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
                                         {"authority", required_argument, NULL, 'a'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"batch", required_argument, NULL, 'b'},
                                         {"dry-run", no_argument, NULL, 'n'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    struct omb_ingest_opts o = {0};
    struct ingest_ui ui = {0};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+f:a:qb:nh", opts, NULL)) != -1) {
        switch (c) {
        case 'f': o.format = optarg; break;
        case 'a': o.authority = optarg; break;
        case 'q': ui.quiet = 1; break;
        case 'b': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 1000000) {
                fprintf(stderr, "ombuds ingest: --batch %s: expected a number of documents from 1 to 1000000\n", optarg);
                return OMB_EXIT_USAGE;
            }
            o.batch = (int)v;
            break;
        }
        case 'n': o.dry_run = 1; break;
        case 'h':
            fputs(omb_cli_help_text("ingest"), stdout);
            return 0;
        default: return OMB_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "ombuds ingest: name at least one file or directory\n");
        return OMB_EXIT_USAGE;
    }
    omb_registry reg = {0};
    omb_store *st = NULL;
    if (omb_cli_load_plugins(&reg, plugin_dir, 1)) return OMB_EXIT_STORE;
    if (o.format && !omb_registry_find(&reg, o.format)) {
        fprintf(stderr, "ombuds ingest: --format %s: no plugin of that name (see `ombuds plugins`)\n", o.format);
        omb_registry_free(&reg);
        return OMB_EXIT_USAGE;
    }
    /* A dry run writes nothing: it reads an existing store (so unchanged
     * documents are recognised) and otherwise an empty one in memory. */
    int stored = access(db_path, F_OK) == 0;
    if (o.dry_run ? omb_cli_open_store(stored ? db_path : ":memory:", stored ? OMB_STORE_READONLY : 0, &st)
                  : omb_cli_open_store(db_path, 0, &st)) {
        omb_registry_free(&reg);
        return OMB_EXIT_STORE;
    }
    ui.tty = isatty(STDERR_FILENO);
    ui.color = omb_cli_use_color(stdout);
    o.count_first = ui.tty;
    /* Documents are committed 5000 at a time (each still atomic, as a
     * savepoint) and reported once committed: one commit per document made
     * the WAL rewrite the same pages thousands of times, and at 500 a
     * document the commits were still a quarter of a 100k-page ingest
     * (docs/performance.md).  Memory does not grow with the batch: the page
     * cache is bounded and spills to the WAL. */
    if (o.batch == 0) o.batch = 5000;
    o.report = ingest_report;
    o.ud = &ui;
    o.interrupted = (volatile int *)&interrupted;
    struct sigaction sa = {0};
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, NULL);
    struct omb_ingest_summary sum;
    int rc = omb_ingest(st, &reg, (const char *const *)argv + optind, (size_t)(argc - optind), &o, &sum);
    clear_bar(&ui);
    if (!o.dry_run) sum.warnings += warn_partial(st, sum.documents_before);
    if (o.dry_run)
        printf("%zu file%s: %zu checked, %zu unchanged, %zu failed; %zu case%s found, %zu warning%s; dry run, nothing"
               " stored\n",
               sum.files, sum.files == 1 ? "" : "s", sum.checked, sum.unchanged, sum.failed, sum.cases,
               sum.cases == 1 ? "" : "s", sum.warnings, sum.warnings == 1 ? "" : "s");
    else /* cases, not mentions: omb_ingest counts them */
        printf("%zu file%s: %zu new, %zu updated, %zu unchanged, %zu failed; %zu case%s stored, %zu warning%s\n",
               sum.files, sum.files == 1 ? "" : "s", sum.new_files, sum.updated, sum.unchanged, sum.failed,
               sum.cases_stored, sum.cases_stored == 1 ? "" : "s", sum.warnings, sum.warnings == 1 ? "" : "s");
    if (sum.no_authority || sum.no_date || sum.no_outcome)
        printf("of the cases read: %zu without an authority, %zu without a decision date, %zu without an outcome\n",
               sum.no_authority, sum.no_date, sum.no_outcome);
    if (rc == OMB_EINTR) fprintf(stderr, "ombuds ingest: interrupted; documents stored so far are complete\n");
    else if (rc) fprintf(stderr, "ombuds ingest: stopped: the store reported an error (see above)\n");
    omb_store_close(st);
    omb_registry_free(&reg);
    if (rc) return rc == OMB_EINTR ? OMB_EXIT_INTERRUPTED : OMB_EXIT_STORE;
    return sum.failed ? OMB_EXIT_FAILED : 0;
}
