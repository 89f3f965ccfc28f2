/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli.h -- what main.c hands to the Lua side of the command line: the
 * console (no command), `ombuds run SCRIPT`, `ombuds -e CODE`, and piped
 * scripts on standard input.  Implemented in lua_cli.c.
 */
#ifndef OMB_CLI_H
#define OMB_CLI_H
#include <stdio.h>

struct omb_cli {
    const char *db_path;
    const char *plugin_dir;
    int no_history;
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

#endif
