/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * console.h -- the terminal side of the console: GNU readline (with Tab
 * completion from complete.c), the history file, and the signals that stop
 * a running chunk (Ctrl-C) or a script past its --timeout.  What a line
 * means is repl.c's business; starting the console is lua_cli.c's.
 */
#ifndef OMB_CONSOLE_H
#define OMB_CONSOLE_H

#include <lua.h>
#include <stddef.h>

#include "repl.h"

/* Reads lines with readline and feeds them to r until Ctrl-D or .quit.
 * History is read from and appended to omb_history_path (paths.c) unless
 * no_history is set.  Returns 0. */
int omb_console_run(struct omb_repl *r, int no_history);

/* While a chunk runs: SIGINT asks L to stop (a second SIGINT kills, as in
 * lua.c).  Release restores the previous handler. */
void omb_console_catch_signals(lua_State *L);
void omb_console_release_signals(void);

/* Stops L with "timed out after N seconds" once seconds have passed;
 * seconds <= 0 cancels (call it before closing L). */
void omb_console_set_timeout(lua_State *L, int seconds);

#endif
