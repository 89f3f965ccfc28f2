/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * console.c -- readline, history and signals for the console (console.h).
 * Lines are read through readline's callback interface so Ctrl-C at the
 * prompt can abandon the line (the blocking readline() resumes reading after
 * a handler returns); a history file entry is appended after every
 * statement, multi-line statements kept whole; SIGINT during a run stops
 * the chunk through the hook of lua_module.c.  Evaluation is repl.c's.
 */
#define _GNU_SOURCE
#include "console.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "complete.h"
#include "lua_int.h"
#include "output.h"
#include "terminal.h"
#include "paths.h"

#define HISTORY_SIZE 1000

/* ---- signals while a chunk runs ----------------------------------------------------- */

/* The state a signal handler stops; set only while a chunk runs. */
static lua_State *volatile running_L;
static struct sigaction saved_int;
static int catching;

static void on_run_sigint(int sig)
{
    (void)sig;
    /* a second Ctrl-C before the hook fires ends the program, as in lua.c */
    signal(SIGINT, SIG_DFL);
    if (running_L) omb_lua_request_stop(running_L, OMB_LUA_INTERRUPTED);
}

void omb_console_catch_signals(lua_State *L)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_run_sigint;
    sigemptyset(&sa.sa_mask);
    running_L = L;
    sigaction(SIGINT, &sa, &saved_int);
    catching = 1;
}

void omb_console_release_signals(void)
{
    if (!catching) return;
    sigaction(SIGINT, &saved_int, NULL);
    catching = 0;
}

static lua_State *volatile timeout_L;

static void on_alarm(int sig)
{
    (void)sig;
    if (timeout_L) omb_lua_request_stop(timeout_L, OMB_LUA_TIMED_OUT);
}

void omb_console_set_timeout(lua_State *L, int seconds)
{
    if (seconds <= 0) { /* cancel: the timer must not fire into a closed state */
        struct itimerval off;
        memset(&off, 0, sizeof off);
        setitimer(ITIMER_REAL, &off, NULL);
        timeout_L = NULL;
        signal(SIGALRM, SIG_DFL);
        return;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    timeout_L = L;
    omb_lua_timeout_seconds = seconds;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it;
    memset(&it, 0, sizeof it);
    it.it_value.tv_sec = seconds;
    /* again every second: a hook set while C code runs may be cleared by
     * the next chunk's set-up before it fires */
    it.it_interval.tv_sec = 1;
    setitimer(ITIMER_REAL, &it, NULL);
}

/* ---- history -------------------------------------------------------------------------- */

/* mkdir -p of the directories above path. */
static void make_parents(const char *path)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s", path) >= (int)sizeof tmp) return;
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        mkdir(tmp, 0700);
        *p = '/';
    }
}

struct history {
    int on;
    char path[4096];
};

static void history_open(struct history *h, int no_history)
{
    h->on = !no_history && isatty(STDIN_FILENO) && omb_history_path(h->path, sizeof h->path) == 0;
    stifle_history(HISTORY_SIZE);
    /* timestamps delimit entries in the file, so a multi-line statement
     * comes back as one entry */
    history_write_timestamps = 1;
    history_multiline_entries = 1;
    history_comment_char = '#'; /* readline stamps entries only when this is set */
    if (!h->on) return;
    make_parents(h->path);
    read_history(h->path);
}

static void history_add(struct history *h, const char *entry)
{
    size_t n = strlen(entry);
    while (n && (entry[n - 1] == ' ' || entry[n - 1] == '\t')) n--;
    if (!n) return;
    HIST_ENTRY *last = history_length > 0 ? history_get(history_base + history_length - 1) : NULL;
    if (last && !strcmp(last->line, entry)) return; /* no immediate repeats */
    add_history(entry);
    if (!h->on) return;
    /* appended at once, so a crash or a second console loses nothing */
    FILE *f = fopen(h->path, "a");
    if (f) fclose(f);
    append_history(1, h->path);
}

static void history_close(struct history *h)
{
    if (h->on) history_truncate_file(h->path, HISTORY_SIZE);
    clear_history();
}

/* ---- completion ------------------------------------------------------------------------- */

static lua_State *complete_L;

struct complete_args {
    const char *line;
    size_t cursor;
    size_t start;
};

static int complete_protected(lua_State *L)
{
    struct complete_args *a = lua_touserdata(L, 1);
    omb_complete(L, a->line, a->cursor, &a->start);
    return 1;
}

static char *dup_cat(const char *a, size_t an, const char *b)
{
    size_t bn = strlen(b);
    char *p = malloc(an + bn + 1);
    if (!p) return NULL;
    memcpy(p, a, an);
    memcpy(p + an, b, bn + 1);
    return p;
}

/* readline's start (from its word breaks) may differ from ours: each match
 * is rewritten to replace line[rl_start..end). */
static char **attempt_completion(const char *text, int rl_start, int end)
{
    (void)text;
    rl_attempted_completion_over = 1;
    rl_completion_append_character = '\0';
    lua_State *L = complete_L;
    struct complete_args a = {rl_line_buffer, (size_t)end, (size_t)end};
    int top = lua_gettop(L);
    lua_pushcfunction(L, complete_protected);
    lua_pushlightuserdata(L, &a);
    if (lua_pcall(L, 1, 1, 0) != LUA_OK || !lua_istable(L, -1)) {
        lua_settop(L, top);
        return NULL;
    }
    size_t ours = a.start, theirs = (size_t)rl_start;
    int kind = omb_complete_context(rl_line_buffer, (size_t)end, &a.start);
    if (kind == OMB_COMPLETE_FILE || (kind == OMB_COMPLETE_DOT && !strncmp(rl_line_buffer, ".open", 5)))
        rl_filename_completion_desired = 1;
    lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
    char **m = calloc((size_t)n + 2, sizeof *m);
    size_t k = 1;
    for (lua_Integer i = 1; m && i <= n; i++) {
        lua_rawgeti(L, -1, i);
        const char *cand = lua_tostring(L, -1);
        char *s = NULL;
        if (ours >= theirs) {
            s = dup_cat(rl_line_buffer + theirs, ours - theirs, cand);
        } else if (strlen(cand) >= theirs - ours && !strncmp(cand, rl_line_buffer + ours, theirs - ours)) {
            s = dup_cat("", 0, cand + (theirs - ours));
        }
        lua_pop(L, 1);
        if (s) m[k++] = s;
    }
    lua_settop(L, top);
    if (!m || k == 1) {
        free(m);
        return NULL;
    }
    /* m[0] is what replaces the word: the longest common prefix */
    size_t lcp = strlen(m[1]);
    for (size_t i = 2; i < k; i++) {
        size_t j = 0;
        while (j < lcp && m[i][j] == m[1][j]) j++;
        lcp = j;
    }
    if (k == 2) {
        m[0] = m[1];
        m[1] = NULL;
    } else {
        m[0] = dup_cat(m[1], lcp, "");
    }
    return m;
}

static char *word_breaks(void)
{
    size_t start;
    int kind = omb_complete_context(rl_line_buffer, (size_t)rl_point, &start);
    if (kind == OMB_COMPLETE_FILE || kind == OMB_COMPLETE_VALUE || kind == OMB_COMPLETE_PLUGIN) return (char *)"\"'";
    if (kind == OMB_COMPLETE_DOT) return (char *)" \t\"'";
    return (char *)" \t\n\"'`@$><=;|&{(,+-*/%^~#[].:)}";
}

/* ---- reading a line --------------------------------------------------------------------- */

static volatile sig_atomic_t prompt_sigint;
static const char *primary_prompt;

/* Ctrl-C at the prompt abandons the line and any unfinished statement.
 * Readline has no async-safe way to do this; redrawing from the handler is
 * the usual compromise, safe enough because readline is blocked in read()
 * when the key arrives.  (Its callback interface avoids the handler but
 * reads ahead, losing lines typed or pasted while a statement runs.) */
static void on_prompt_sigint(int sig)
{
    (void)sig;
    prompt_sigint = 1;
    if (write(STDOUT_FILENO, "^C\n", 3) < 0) return;
    rl_replace_line("", 0);
    rl_on_new_line();
    if (primary_prompt) rl_set_prompt(primary_prompt);
    rl_redisplay();
}

/* Returns the line (caller frees) or NULL at end of input; *interrupted is
 * set when Ctrl-C abandoned what came before it. */
static char *read_line(const char *prompt, const char *primary, int *interrupted)
{
    struct sigaction sa, old_int;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_prompt_sigint;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    primary_prompt = primary;
    prompt_sigint = 0;
    sigaction(SIGINT, &sa, &old_int);
    char *line = readline(prompt);
    sigaction(SIGINT, &old_int, NULL);
    *interrupted = prompt_sigint;
    return line;
}

int omb_console_run(struct omb_repl *r, int no_history)
{
    struct history h;
    rl_readline_name = "ombuds";
    rl_catch_signals = 0; /* ours: see on_prompt_sigint */
    rl_attempted_completion_function = attempt_completion;
    rl_completion_word_break_hook = word_breaks;
    complete_L = r->L;
    history_open(&h, no_history);
    for (;;) {
        int interrupted;
        char primary[sizeof r->prompt];
        if (!r->pending) {
            snprintf(primary, sizeof primary, "%s", omb_repl_prompt(r));
        } else { /* the prompt a Ctrl-C goes back to */
            char *keep = r->pending;
            r->pending = NULL;
            snprintf(primary, sizeof primary, "%s", omb_repl_prompt(r));
            r->pending = keep;
        }
        char *line = read_line(omb_repl_prompt(r), primary, &interrupted);
        if (interrupted) omb_repl_reset(r);
        if (!line) {
            fputc('\n', stdout);
            break;
        }
        r->view.width = omb_terminal_width(STDOUT_FILENO);
        char *entry = NULL;
        omb_console_catch_signals(r->L);
        int status = omb_repl_feed(r, line, &entry);
        omb_console_release_signals();
        free(line);
        if (entry) {
            history_add(&h, entry);
            free(entry);
        }
        if (status == OMB_REPL_QUIT) break;
    }
    history_close(&h);
    return 0;
}
