/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli.h -- the commands main.c dispatches to, one cli_<family>.c each, and
 * what they share (cli_common.c): the Lua side (the console, `ombuds run
 * SCRIPT`, `ombuds -e CODE`, piped scripts; lua_cli.c), ingest, sql, cases
 * and export, parse, plugins, metric, authorities, decode, report.
 */
#ifndef OMB_CLI_H
#define OMB_CLI_H
#include <stdio.h>

struct omb_cli {
    const char *db_path;
    const char *plugin_dir;
    int no_history;
    int store_optional; /* a missing store is no error: no `db` (report --help) */
};

/* Runs the Lua front end with the arguments after the global options
 * (argv[0] is "run", "-e", ... or nothing when argc is 0).  Returns the exit
 * status. */
int omb_cli_lua(const struct omb_cli *cli, int argc, char **argv);

/* `ombuds authorities ...` (cli_authorities.c); argv[0] is "authorities". */
int omb_cli_authorities(int argc, char **argv, const char *db_path);

/* `ombuds metric [NAME ...]` (cli_metric.c); argv[0] is "metric".  Returns
 * the exit status. */
int omb_cli_metric(int argc, char **argv, const char *db_path, const char *plugin_dir);

/* `ombuds decode FILE` (cli_decode.c): prints the decoded text; argv[0] is
 * "decode".  Returns the exit status. */
int omb_cli_decode(int argc, char **argv);

/* `ombuds new-plugin NAME --kind source|metric` (cli_newplugin.c). */
int omb_cli_new_plugin(int argc, char **argv);

/* `ombuds report ...` (cli_report.c): runs scripts/council_report.lua with
 * the arguments after "report".  Returns the exit status. */
int omb_cli_report(const struct omb_cli *cli, int argc, char **argv);

/* `ombuds ingest`, `plugins`, `sql`, `cases`, `export`, `parse`
 * (cli_ingest.c, cli_plugins.c, cli_sql.c, cli_cases.c, cli_parse.c); argv[0]
 * is the command word.  Each returns the exit status. */
int omb_cli_ingest(const struct omb_cli *cli, int argc, char **argv);
int omb_cli_plugins(const struct omb_cli *cli, int argc, char **argv);
int omb_cli_sql(const struct omb_cli *cli, int argc, char **argv);
int omb_cli_cases(const struct omb_cli *cli, int argc, char **argv);
int omb_cli_export(const struct omb_cli *cli, int argc, char **argv);
int omb_cli_parse(const struct omb_cli *cli, int argc, char **argv);
/* `ombuds forget PATH...` (cli_forget.c). */
int omb_cli_forget(const struct omb_cli *cli, int argc, char **argv);

/* `ombuds COMMAND --help` (cli_help.c): the help of a getopt command (usage,
 * every option, one example), or NULL for a command that prints its own
 * (metric, report, run).  omb_cli_wants_help is 1 when --help or -h comes
 * among argv[1..] before a "--". */
const char *omb_cli_help_text(const char *command);
int omb_cli_wants_help(int argc, char **argv);

/* Shared by the commands (cli_common.c). */
struct omb_registry;
struct omb_store;
/* Loads the plugins (plugin_dir first; NULL for the default path) into reg;
 * with show_errors prints the ones that failed.  Returns -1 when out of
 * memory (message printed), else 0. */
int omb_cli_load_plugins(struct omb_registry *reg, const char *plugin_dir, int show_errors);
/* Opens the store at path with omb_store_open flags; prints the error and
 * returns -1 on failure, else 0 with *st to close with omb_store_close. */
int omb_cli_open_store(const char *path, int flags, struct omb_store **st);
/* 0 when a store exists at path; else prints "ombuds CMD: no store at PATH
 * (ingest documents first, or give --db)" and returns -1 (exit with
 * OMB_EXIT_STORE).  Every command but ingest checks this first. */
int omb_cli_need_store(const char *path, const char *cmd);
/* OMB_OUT_TABLE when standard output is a terminal, else OMB_OUT_CSV. */
int omb_cli_default_format(void);

#endif
