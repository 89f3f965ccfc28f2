/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * repl.h -- read-eval-print logic of the console with no terminal in it:
 * one line in, values (or an error and a short traceback) out, incomplete
 * input kept for the next line, console dot commands.  Tests drive it with
 * strings; console.c feeds it lines from readline; lua_cli.c uses its docall
 * and report for scripts.
 */
#ifndef OMB_REPL_H
#define OMB_REPL_H

#include <lua.h>
#include <stdio.h>

#include "pretty.h"

struct omb_repl {
    lua_State *L;
    FILE *out, *err;             /* where values and errors go (not owned) */
    struct omb_pretty_opts view; /* width (0: unlimited), colour, rows shown */
    char *pending;               /* lines of an unfinished statement, or NULL; malloc'd */
    size_t n_pending;
    char prompt[128];            /* the last prompt returned */
};

enum omb_repl_status {
    OMB_REPL_DONE = 0, /* a statement or command ran (or failed and was reported) */
    OMB_REPL_MORE,     /* the statement continues on the next line */
    OMB_REPL_QUIT      /* .quit */
};

/* Sets r up for state L; out and err stay the caller's. */
void omb_repl_init(struct omb_repl *r, lua_State *L, FILE *out, FILE *err);
/* Frees the pending text; the state is the caller's.  */
void omb_repl_free(struct omb_repl *r);

/* Feeds one line (without its newline).  Expressions print their values,
 * statements run, and input that is incomplete ("<eof>" errors) waits for
 * more.  When it returns OMB_REPL_DONE and *entry is not NULL, *entry is the
 * whole statement for the history (caller frees). */
int omb_repl_feed(struct omb_repl *r, const char *line, char **entry);

/* Forgets an unfinished statement (Ctrl-C at the prompt). */
void omb_repl_reset(struct omb_repl *r);

/* The prompt to show: _PROMPT or _PROMPT2 when set (tostring'd), else
 * "ombuds> " / "   ...> ".  Points into r. */
const char *omb_repl_prompt(struct omb_repl *r);

/* Calls the function under narg arguments on the stack, with a message
 * handler adding a traceback (lua.c's docall).  Returns the lua_pcall status;
 * on error the message is on the stack. */
int omb_repl_docall(lua_State *L, int narg, int nres);

/* Prints the error message on top of the stack to f, prefixed by prefix
 * (may be NULL), with at most max_frames traceback lines (-1: all), and pops
 * it. */
void omb_repl_report(lua_State *L, FILE *f, const char *prefix, int max_frames);

#endif
