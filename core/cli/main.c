/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * main.c -- the `ombuds` command line: global options, the subcommands
 * (ingest, plugins, sql, cases, export, parse) and exit statuses.  Only this
 * file decides exit codes or prints for the user; the work is done by the
 * library modules (ingest.c, store.c, output.c, export.c).  The console and
 * scripts are console.c / lua_module.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <ombuds/plugin.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "terminal.h"
#include "dump.h"
#include "export.h"
#include "ffi_bridge.h"
#include "ingest.h"
#include "output.h"
#include "plugin_loader.h"
#include "store.h"


static const char usage_text[] =
    "usage: ombuds [--db PATH] [--plugin-dir DIR] [COMMAND [ARGS...]]\n"
    "\n"
    "Gathers ombudsman complaint decisions into one SQLite case store and answers\n"
    "questions of it.  With no command, opens the interactive Lua console.\n"
    "\n"
    "commands:\n"
    "  ingest [--format NAME] [--authority NAME] [--quiet] PATH...\n"
    "                      read documents (directories recursively) into the store\n"
    "  plugins             list the plugins found and any that failed to load\n"
    "  sql [--format table|csv|json] SQL [PARAM...]\n"
    "                      run a read-only query; PARAMs bind to ?1, ?2, ...\n"
    "  cases [--authority A] [--category C] [--year Y] [--format table|csv|json]\n"
    "                      list cases with their payment totals\n"
    "  export [--format jsonl|csv] [--authority A] [--category C] [--year Y] [--out FILE]\n"
    "                      every case with everything known about it\n"
    "  parse [--format NAME] [--authority NAME] FILE\n"
    "                      show what a plugin reads from FILE, without storing it\n"
    "  decode FILE         print the text plugins read from FILE (a saved web page, PDF, .docx or text)\n"
    "  authorities [--unmatched | --lineage] [--load FILE] [--load-subjects FILE]\n"
    "              [--load-population FILE.csv]\n"
    "                      the authority register, names it does not know, reorganisations\n"
    "  metric [NAME [--by GROUP] [--format F] [--chart FILE.svg|-] [ARG...]]  compute a metric (none: list)\n"
    "  report --authority NAME [--year YYYY | --from DATE --to DATE] [--out FILE.html]\n"
    "                      the council's annual complaints report, one HTML file\n"
    "  new-plugin NAME [--kind source|metric] [--dir DIR]\n"
    "                      write a starting plugin with its Makefile, a fixture and a test\n"
    "  run [--safe] [--timeout SECONDS] SCRIPT.lua [ARGS...]\n"
    "                      run a Lua analysis script (--safe: no os.execute, io.popen,\n"
    "                      file writes or package.loadlib, for scripts someone sent you)\n"
    "  -e CODE             run a chunk of Lua\n"
    "\n"
    "options:\n"
    "  --db PATH           the store (default: $OMBUDS_DB, else ./ombuds.db)\n"
    "  --plugin-dir DIR    look for plugins in DIR first\n"
    "  --no-history        do not read or write the console history\n"
    "  --help, --version\n"
    "\n"
    "See ombuds(1) and docs/ for more.\n";

static volatile sig_atomic_t interrupted;
static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}

static int load_plugins(omb_registry *reg, const char *plugin_dir, int show_errors)
{
    if (omb_registry_load(reg, plugin_dir) != OMB_OK) {
        fprintf(stderr, "ombuds: out of memory loading plugins\n");
        return -1;
    }
    if (show_errors)
        for (size_t i = 0; i < reg->n_errors; i++) fprintf(stderr, "ombuds: plugin not loaded: %s\n", reg->errors[i]);
    return 0;
}

static int open_store(const char *path, int flags, omb_store **st)
{
    char err[1024];
    if (omb_store_open(path, flags, st, err, sizeof err) != OMB_OK) {
        fprintf(stderr, "ombuds: %s\n", err);
        return -1;
    }
    return 0;
}

/* ---- ingest ------------------------------------------------------------------- */

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

static int cmd_ingest(int argc, char **argv, const char *db_path, const char *plugin_dir)
{
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
            fputs("usage: ombuds ingest [--format NAME] [--authority NAME] [--batch N] [--dry-run] [--quiet] PATH...\n",
                  stdout);
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
    if (load_plugins(&reg, plugin_dir, 1)) return OMB_EXIT_STORE;
    if (o.format && !omb_registry_find(&reg, o.format)) {
        fprintf(stderr, "ombuds ingest: --format %s: no plugin of that name (see `ombuds plugins`)\n", o.format);
        omb_registry_free(&reg);
        return OMB_EXIT_USAGE;
    }
    /* A dry run writes nothing: it reads an existing store (so unchanged
     * documents are recognised) and otherwise an empty one in memory. */
    int stored = access(db_path, F_OK) == 0;
    if (o.dry_run ? open_store(stored ? db_path : ":memory:", stored ? OMB_STORE_READONLY : 0, &st)
                  : open_store(db_path, 0, &st)) {
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
    if (o.dry_run)
        printf("%zu file%s: %zu checked, %zu unchanged, %zu failed; %zu case%s found, %zu warning%s; dry run, nothing"
               " stored\n",
               sum.files, sum.files == 1 ? "" : "s", sum.checked, sum.unchanged, sum.failed, sum.cases,
               sum.cases == 1 ? "" : "s", sum.warnings, sum.warnings == 1 ? "" : "s");
    else
        printf("%zu file%s: %zu new, %zu updated, %zu unchanged, %zu failed; %zu case%s stored, %zu warning%s\n",
               sum.files, sum.files == 1 ? "" : "s", sum.new_files, sum.updated, sum.unchanged, sum.failed,
               sum.cases, sum.cases == 1 ? "" : "s", sum.warnings, sum.warnings == 1 ? "" : "s");
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

/* ---- plugins -------------------------------------------------------------------- */

static int cmd_plugins(const char *plugin_dir)
{
    omb_registry reg = {0};
    if (load_plugins(&reg, plugin_dir, 0)) return OMB_EXIT_STORE;
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

/* ---- sql and cases ------------------------------------------------------------ */

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

/* An aligned table for people; CSV when the output goes to a pipe or file,
 * where another program is more likely to read it. */
static int default_format(void) { return isatty(STDOUT_FILENO) ? OMB_OUT_TABLE : OMB_OUT_CSV; }

static int cmd_sql(int argc, char **argv, const char *db_path, const char *plugin_dir)
{
    static const struct option opts[] = {{"format", required_argument, NULL, 'f'}, {NULL, 0, NULL, 0}};
    int format = default_format(), c;
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
    if (open_store(db_path, 0, &st)) return OMB_EXIT_STORE;
    /* metric functions are SQL functions too: SELECT uphold_share(...) */
    if (load_plugins(&reg, plugin_dir, 0) || omb_ffi_register_sql(omb_store_db(st), &reg, err, sizeof err)) {
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

static int cmd_cases(int argc, char **argv, const char *db_path)
{
    struct omb_case_filter flt = {0};
    int format = default_format();
    if (parse_filter(argc, argv, &flt, &format, NULL, "cases")) return OMB_EXIT_USAGE;
    omb_store *st;
    if (open_store(db_path, 0, &st)) return OMB_EXIT_STORE;
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

static int cmd_export(int argc, char **argv, const char *db_path)
{
    struct omb_case_filter flt = {0};
    int format = OMB_OUT_JSONL;
    const char *out = NULL;
    if (parse_filter(argc, argv, &flt, &format, &out, "export")) return OMB_EXIT_USAGE;
    if (format != OMB_OUT_JSONL && format != OMB_OUT_CSV) {
        fprintf(stderr, "ombuds export: --format takes jsonl or csv\n");
        return OMB_EXIT_USAGE;
    }
    omb_store *st;
    if (open_store(db_path, 0, &st)) return OMB_EXIT_STORE;
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

/* ---- parse (no store) ---------------------------------------------------------- */

static int cmd_parse(int argc, char **argv, const char *plugin_dir)
{
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
    if (load_plugins(&reg, plugin_dir, 1)) return OMB_EXIT_STORE;
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

/* ---- the table of commands ---------------------------------------------------------- */

/* Every command takes the global options and its own words (argv[0] is the
 * command); a new command is one line in `commands` and a function here or
 * in its own cli_<family>.c. */
typedef int command_fn(const struct omb_cli *cli, int argc, char **argv);

static int run_ingest(const struct omb_cli *c, int argc, char **argv)
{
    return cmd_ingest(argc, argv, c->db_path, c->plugin_dir);
}
static int run_plugins(const struct omb_cli *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    return cmd_plugins(c->plugin_dir);
}
static int run_sql(const struct omb_cli *c, int argc, char **argv) { return cmd_sql(argc, argv, c->db_path, c->plugin_dir); }
static int run_cases(const struct omb_cli *c, int argc, char **argv) { return cmd_cases(argc, argv, c->db_path); }
static int run_export(const struct omb_cli *c, int argc, char **argv) { return cmd_export(argc, argv, c->db_path); }
static int run_parse(const struct omb_cli *c, int argc, char **argv) { return cmd_parse(argc, argv, c->plugin_dir); }
static int run_authorities(const struct omb_cli *c, int argc, char **argv)
{
    return omb_cli_authorities(argc, argv, c->db_path);
}
static int run_new_plugin(const struct omb_cli *c, int argc, char **argv)
{
    (void)c;
    return omb_cli_new_plugin(argc, argv);
}
static int run_decode(const struct omb_cli *c, int argc, char **argv)
{
    (void)c;
    return omb_cli_decode(argc, argv);
}
static int run_metric(const struct omb_cli *c, int argc, char **argv)
{
    return omb_cli_metric(argc, argv, c->db_path, c->plugin_dir);
}
static int run_help(const struct omb_cli *c, int argc, char **argv)
{
    (void)c, (void)argc, (void)argv;
    fputs(usage_text, stdout);
    return 0;
}

static const struct {
    const char *name;
    command_fn *run;
} commands[] = {
    /* the Lua front end: scripts, -e CODE, -i, -l NAME, - (stdin) */
    {"run", omb_cli_lua},
    {"-e", omb_cli_lua},
    {"-i", omb_cli_lua},
    {"-", omb_cli_lua},
    {"-l", omb_cli_lua},
    {"ingest", run_ingest},
    {"plugins", run_plugins},
    {"sql", run_sql},
    {"cases", run_cases},
    {"export", run_export},
    {"parse", run_parse},
    {"decode", run_decode},
    {"authorities", run_authorities},
    {"new-plugin", run_new_plugin},
    {"metric", run_metric},
    {"report", omb_cli_report},
    {"help", run_help},
};

/* ---- main ------------------------------------------------------------------------ */

int main(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"plugin-dir", required_argument, NULL, 'p'},
                                         {"no-history", no_argument, NULL, 'n'},
                                         {"help", no_argument, NULL, 'h'},
                                         {"version", no_argument, NULL, 'V'},
                                         {NULL, 0, NULL, 0}};
    const char *db_path = getenv("OMBUDS_DB");
    const char *plugin_dir = NULL;
    int no_history = 0, c;
    if (!db_path || !*db_path) db_path = "ombuds.db";
    /* "+" stops at the command word so each command parses its own options */
    /* the Lua front end's own options (-e, -i, -l, -) end the global ones */
    while (!(optind < argc && argv[optind][0] == '-' && strchr("eil", argv[optind][1]) && argv[optind][1]) &&
           (c = getopt_long(argc, argv, "+d:p:hV", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db_path = optarg; break;
        case 'p': plugin_dir = optarg; break;
        case 'n': no_history = 1; break;
        case 'h': fputs(usage_text, stdout); return 0;
        case 'V': printf("ombuds %s (plugin ABI %d)\n", PACKAGE_VERSION, OMB_PLUGIN_ABI_VERSION); return 0;
        default: fputs(usage_text, stderr); return OMB_EXIT_USAGE;
        }
    }
    int n = argc - optind;
    char **args = argv + optind;
    struct omb_cli cli = {db_path, plugin_dir, no_history};
    if (n == 0) return omb_cli_lua(&cli, n, args); /* the console */
    const char *cmd = args[0];
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(cmd, commands[i].name)) return commands[i].run(&cli, n, args);
    fprintf(stderr, "ombuds: unknown command \"%s\" (try ombuds --help)\n", cmd);
    return OMB_EXIT_USAGE;
}
