/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * terminal.h -- what the program knows about where its output goes, decided
 * here and passed down (the library and the Lua binding never probe the
 * terminal): whether to colour (a terminal, NO_COLOR unset, TERM not
 * "dumb"), the width to fit tables to, whether charts must be plain ASCII;
 * and the program's exit codes, defined once for every command.
 */
#ifndef OMB_TERMINAL_H
#define OMB_TERMINAL_H

#include <stdio.h>

/* Exit codes of `ombuds` (docs/ombuds.1, EXIT STATUS). */
enum omb_exit {
    OMB_EXIT_OK = 0,
    OMB_EXIT_FAILED = 1,       /* some files failed to ingest, a script or a metric failed */
    OMB_EXIT_USAGE = 2,        /* bad command line or arguments */
    OMB_EXIT_STORE = 3,        /* the store (or a file to write) could not be used */
    OMB_EXIT_INTERRUPTED = 130 /* Ctrl-C during ingest, as a shell reports SIGINT */
};

/* Is this stream a terminal that wants colour?  Only on a terminal, with
 * NO_COLOR unset or empty and TERM not "dumb". */
int omb_cli_use_color(FILE *f);

/* The width of the terminal on fd ($COLUMNS when it is a number, else the
 * terminal's, else 80), or 0 when fd is not a terminal (so tables are not
 * fitted: pipes get every value whole). */
int omb_terminal_width(int fd);

/* Should a terminal chart on f be plain ASCII?  Yes when f is not a
 * terminal (a pipe or file), NO_COLOR is set, TERM is "dumb", or the
 * locale's character set is not UTF-8. */
int omb_cli_chart_plain(FILE *f);

/* The answers above for standard output, in the form the Lua binding takes
 * them (lua_int.h, omb_lua_set_terminal). */
const struct omb_lua_terminal *omb_cli_terminal(void);

#endif
