/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * terminal.c -- the one place the program asks about the terminal
 * (terminal.h): colour, width, plain charts.  Everything below the program
 * is handed the answers: a width and a colour or plain flag for the library
 * renderers, struct omb_lua_terminal for the Lua binding.
 */
#define _GNU_SOURCE
#include "terminal.h"

#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "lua_int.h"

/* NO_COLOR (no-color.org) asks for no colour when set and not empty; a
 * terminal that calls itself "dumb" understands no escape sequences. */
static int env_forbids_escapes(void)
{
    const char *nc = getenv("NO_COLOR");
    const char *term = getenv("TERM");
    return (nc && *nc) || (term && !strcmp(term, "dumb"));
}

int omb_cli_use_color(FILE *f) { return isatty(fileno(f)) && !env_forbids_escapes(); }

/* A terminal's width: $COLUMNS when set to a number (as psql and ls do, so
 * a user can ask for a narrower table), else the terminal's own; 0 for a
 * pipe or file, which gets every value whole whatever COLUMNS says. */
int omb_terminal_width(int fd)
{
    struct winsize ws;
    if (!isatty(fd)) return 0;
    const char *env = getenv("COLUMNS");
    char *end;
    long c = env && *env ? strtol(env, &end, 10) : 0;
    if (c > 0 && c < 10000 && !*end) return (int)c;
    if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
    return 80;
}

int omb_cli_chart_plain(FILE *f)
{
    if (env_forbids_escapes()) return 1;
    if (!isatty(fileno(f))) return 1;
    /* the program may not have called setlocale; ask the environment's */
    const char *old = setlocale(LC_CTYPE, NULL);
    char saved[64];
    snprintf(saved, sizeof saved, "%s", old ? old : "C");
    int utf8 = 0;
    if (setlocale(LC_CTYPE, "")) {
        const char *cs = nl_langinfo(CODESET);
        utf8 = cs && (!strcasecmp(cs, "UTF-8") || !strcasecmp(cs, "utf8"));
    }
    setlocale(LC_CTYPE, saved);
    return !utf8;
}

/* Asked again at each use, as before, so a resized terminal is seen. */
static int stdout_width(void) { return omb_terminal_width(STDOUT_FILENO); }
static int stdout_chart_plain(void) { return omb_cli_chart_plain(stdout); }

const struct omb_lua_terminal *omb_cli_terminal(void)
{
    static const struct omb_lua_terminal t = {stdout_width, stdout_chart_plain};
    return &t;
}
