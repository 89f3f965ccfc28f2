/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * main.c -- the `ombuds` command line: global options, the top-level help
 * and the table of commands.  Each command family is its own cli_<family>.c
 * (ingest, sql, cases and export, parse, plugins, metric, ...); the console
 * and scripts are lua_cli.c / console.c.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <ombuds/plugin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "terminal.h"

static const char usage_text[] =
    "usage: ombuds [--db PATH] [--plugin-dir DIR] [COMMAND [ARGS...]]\n"
    "\n"
    "Gathers ombudsman complaint decisions into one SQLite case store and answers\n"
    "questions of it.  With no command, opens the interactive Lua console.\n"
    "\n"
    "commands (each takes --help):\n"
    "  ingest [--format NAME] [--authority NAME] [--batch N] [--dry-run] [--quiet] PATH...\n"
    "                      read documents (directories recursively) into the store;\n"
    "                      the only command that creates a store\n"
    "  forget PATH...      take documents out of the store again\n"
    "  plugins             list the plugins found and any that failed to load\n"
    "  sql [--format table|csv|json] SQL [PARAM...]\n"
    "                      run a read-only query; PARAMs bind to ?1, ?2, ...\n"
    "  cases [FILTER...] [--format table|csv|json]\n"
    "                      list cases with their payment totals\n"
    "  export [FILTER...] [--format jsonl|csv] [--out FILE]\n"
    "                      every case with everything known about it\n"
    "      FILTER: --authority NAME --category C --subcategory S --outcome O --year YYYY\n"
    "              --from YYYY-MM-DD --to YYYY-MM-DD --search TEXT\n"
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
    "  --help, -h          this help (ombuds COMMAND --help: the command's)\n"
    "  --version, -V       the version and plugin ABI\n"
    "\n"
    "See ombuds(1) and docs/ for more.\n";

/* ---- the table of commands ---------------------------------------------------------- */

/* Every command takes the global options and its own words (argv[0] is the
 * command); a new command is one line in `commands` and a function in its
 * cli_<family>.c. */
typedef int command_fn(const struct omb_cli *cli, int argc, char **argv);

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
    {"ingest", omb_cli_ingest},
    {"plugins", omb_cli_plugins},
    {"sql", omb_cli_sql},
    {"cases", omb_cli_cases},
    {"export", omb_cli_export},
    {"parse", omb_cli_parse},
    {"forget", omb_cli_forget},
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
    struct omb_cli cli = {db_path, plugin_dir, no_history, 0};
    if (n == 0) return omb_cli_lua(&cli, n, args); /* the console */
    const char *cmd = args[0];
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(cmd, commands[i].name)) continue;
        const char *help = omb_cli_help_text(cmd);
        if (help && omb_cli_wants_help(n, args)) {
            fputs(help, stdout);
            return 0;
        }
        return commands[i].run(&cli, n, args);
    }
    fprintf(stderr, "ombuds: unknown command \"%s\" (try ombuds --help)\n", cmd);
    return OMB_EXIT_USAGE;
}
