/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * lua_cli.c -- placeholder for the Lua front end (console, `run`, `-e`),
 * which is issue 5's work: until it lands, these entry points say so and exit
 * with status 2 rather than pretending.
 */
#include <stdio.h>

#include "cli.h"

int omb_cli_lua(const struct omb_cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    (void)argv;
    fprintf(stderr, "ombuds: the Lua console and scripts are not built yet; use a command (ombuds --help)\n");
    return 2;
}
