/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * lua_cli.c -- the Lua side of the command line, after lua.c: `ombuds` (the
 * console on a terminal, else standard input as a script), `ombuds run
 * [--safe] [--timeout S] SCRIPT [ARGS]`, `-e CODE`, `-l MODULE`, `-i` and `-`.
 * Everything runs inside one protected call (lua.c's pmain) so even a
 * memory error ends with a message; the exit status is decided here and
 * returned to main.c.  The module is lua_module.c, the prompt repl.c and
 * console.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lualib.h>

#include "cli.h"
#include "terminal.h"
#include "console.h"
#include "lua_int.h"
#include "repl.h"

#define PROGNAME "ombuds"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

static const char usage_text[] =
    "usage: ombuds [--db PATH] [--no-history] [run [--safe] [--timeout SECONDS]] [OPTIONS] [SCRIPT [ARGS...]]\n"
    "  run SCRIPT     run a Lua script; `arg` holds SCRIPT and ARGS as in lua\n"
    "  --safe         no os.execute, io.popen, file writes, binary chunks or C modules;\n"
    "                 the store opens read-only\n"
    "  --timeout S    stop the script after S seconds\n"
    "  -e CODE        run CODE\n"
    "  -l NAME        require NAME into the global NAME\n"
    "  -i             enter the console after running the script\n"
    "  -              run standard input\n"
    "With no script on a terminal, the console starts; otherwise standard input is run.\n";

struct run {
    const struct omb_cli *cli;
    int argc;
    char **argv;
    int exit_code;
};

/* What the command line asks for (lua.c's collectargs). */
struct plan {
    int is_run;  /* "run" came first */
    int safe;
    int timeout; /* seconds, 0 for none */
    int has_e, has_i;
    int first;   /* index of the first -e/-l option */
    int script;  /* index of the script, or argc when none */
};

static int parse_args(int argc, char **argv, struct plan *p)
{
    memset(p, 0, sizeof *p);
    int i = 0;
    if (argc > 0 && !strcmp(argv[0], "run")) {
        p->is_run = 1;
        i = 1;
    }
    p->first = i;
    p->script = argc;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-') {
            p->script = i;
            return 0;
        }
        if (!strcmp(a, "-")) {
            p->script = i;
            return 0;
        }
        if (!strcmp(a, "--")) {
            if (i + 1 < argc) p->script = i + 1;
            return 0;
        }
        if (!strcmp(a, "--safe")) p->safe = 1;
        else if (!strcmp(a, "--timeout") || !strncmp(a, "--timeout=", 10)) {
            const char *v = a[9] == '=' ? a + 10 : (i + 1 < argc ? argv[++i] : NULL);
            char *end;
            long s = v ? strtol(v, &end, 10) : 0;
            if (!v || *end || s < 1 || s > 86400 * 365) {
                fprintf(stderr, PROGNAME ": --timeout expects a number of seconds\n");
                return -1;
            }
            p->timeout = (int)s;
        } else if (!strcmp(a, "-i")) p->has_i = 1;
        else if (!strcmp(a, "-e") || !strcmp(a, "-l")) {
            if (i + 1 >= argc) {
                fprintf(stderr, PROGNAME ": '%s' needs an argument\n", a);
                return -1;
            }
            if (a[1] == 'e') p->has_e = 1;
            i++;
        } else if (!strncmp(a, "-l", 2) || !strncmp(a, "-e", 2)) {
            if (a[1] == 'e') p->has_e = 1;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage_text, stdout);
            return 1;
        } else {
            fprintf(stderr, PROGNAME ": unrecognized option '%s'\n%s", a, usage_text);
            return -1;
        }
    }
    return 0;
}

/* Prints the error on top of the stack after "ombuds: " and pops it. */
static void report(lua_State *L) { omb_repl_report(L, stderr, PROGNAME, 10); }

/* Runs the function on top with narg arguments under the signal handlers. */
static int docall(lua_State *L, int narg, int nres)
{
    omb_lua_clear_stop(L);
    omb_console_catch_signals(L);
    int status = omb_repl_docall(L, narg, nres);
    omb_console_release_signals();
    if (omb_lua_stop != OMB_LUA_TIMED_OUT) omb_lua_clear_stop(L);
    return status;
}

/* arg = {[-n] = "ombuds", ..., [0] = script, [1] = first argument, ...} */
static void create_arg_table(lua_State *L, char **argv, int argc, int script)
{
    if (script == argc) script = -1; /* no script: the arguments follow "ombuds" */
    lua_createtable(L, argc - script, script + 2);
    lua_pushliteral(L, PROGNAME);
    lua_rawseti(L, -2, -script - 1);
    for (int i = 0; i < argc; i++) {
        lua_pushstring(L, argv[i]);
        lua_rawseti(L, -2, i - script);
    }
    lua_setglobal(L, "arg");
}

static int run_chunk_string(lua_State *L, const char *code, const char *name)
{
    int status = luaL_loadbuffer(L, code, strlen(code), name);
    if (status == LUA_OK) status = docall(L, 0, 0);
    if (status != LUA_OK) report(L);
    return status == LUA_OK;
}

static int run_require(lua_State *L, const char *name)
{
    lua_getglobal(L, "require");
    lua_pushstring(L, name);
    int status = docall(L, 1, 1);
    if (status == LUA_OK) lua_setglobal(L, name);
    else report(L);
    return status == LUA_OK;
}

/* Runs -e and -l in order (lua.c's runargs). */
static int run_options(lua_State *L, char **argv, const struct plan *p)
{
    for (int i = p->first; i < p->script; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || (a[1] != 'e' && a[1] != 'l')) {
            if (!strcmp(a, "--timeout")) i++;
            continue;
        }
        const char *v = a[2] ? a + 2 : argv[++i];
        int ok = a[1] == 'e' ? run_chunk_string(L, v, "=(command line)") : run_require(L, v);
        if (!ok) return 0;
    }
    return 1;
}

static int run_script(lua_State *L, char **argv, int argc, int script, int safe)
{
    const char *name = strcmp(argv[script], "-") ? argv[script] : NULL;
    /* "--" before "-" means a file called "-", as in lua.c */
    if (script > 0 && !strcmp(argv[script - 1], "--")) name = argv[script];
    int status = luaL_loadfilex(L, name, safe ? "t" : NULL);
    if (status == LUA_OK) {
        int n = argc - script - 1;
        luaL_checkstack(L, n + 3, "too many arguments to script");
        for (int i = 1; i <= n; i++) lua_pushstring(L, argv[script + i]);
        status = docall(L, n, 0);
    }
    if (status != LUA_OK) report(L);
    return status == LUA_OK;
}

/* Opens the store at path as global `db`.  A store that cannot be written
 * (a read-only file or directory) is opened read-only rather than refused.
 * A missing store is not created (only ingest creates one): the interactive
 * console starts without `db` and says so; a script or -e CODE stops. */
static int open_store(lua_State *L, const char *path, int interactive, int cli_store_optional)
{
    if (access(path, F_OK) != 0) {
        if (cli_store_optional) return 1;
        fprintf(stderr, PROGNAME ": no store at %s (ingest documents first, or give --db)\n", path);
        return interactive;
    }
    for (int attempt = 0; attempt < 2; attempt++) {
        struct stat sb;
        int flags = attempt ? OMB_STORE_READONLY : 0;
        if (attempt && stat(path, &sb) != 0) break;
        lua_getglobal(L, "ombuds");
        lua_getfield(L, -1, "open");
        lua_pushstring(L, path);
        if (flags) {
            lua_createtable(L, 0, 1);
            lua_pushboolean(L, 1);
            lua_setfield(L, -2, "readonly");
        }
        if (lua_pcall(L, flags ? 2 : 1, 1, 0) == LUA_OK) {
            lua_setglobal(L, "db");
            lua_pop(L, 1);
            if (attempt) fprintf(stderr, PROGNAME ": %s is read-only here; opened it read-only\n", path);
            return 1;
        }
        if (attempt || access(path, F_OK) != 0 || access(path, W_OK) == 0) {
            fprintf(stderr, PROGNAME ": %s\n", lua_tostring(L, -1));
            lua_pop(L, 2);
            return 0;
        }
        lua_pop(L, 2);
    }
    fprintf(stderr, PROGNAME ": cannot open the store %s\n", path);
    return 0;
}

static void print_banner(lua_State *L, const char *db_path)
{
    long long n = -1;
    int have_db = lua_getglobal(L, "db") != LUA_TNIL;
    if (have_db) {
        lua_getfield(L, -1, "count");
        lua_pushvalue(L, -2);
        if (lua_pcall(L, 1, 1, 0) == LUA_OK && lua_isinteger(L, -1)) n = (long long)lua_tointeger(L, -1);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    printf("ombuds %s (%s), store %s", PACKAGE_VERSION, LUA_RELEASE, db_path);
    if (!have_db) printf(" (none yet, so no `db`: ingest documents first)");
    if (n >= 0) printf(" (%lld case%s)", n, n == 1 ? "" : "s");
    printf("\nType Lua or .help; Tab completes; Ctrl-D leaves.\n");
    fflush(stdout);
}

static void do_repl(lua_State *L, const struct omb_cli *cli, int banner)
{
    struct omb_repl r;
    omb_repl_init(&r, L, stdout, stderr);
    r.view.color = omb_cli_use_color(stdout);
    if (banner) print_banner(L, cli->db_path);
    omb_console_run(&r, cli->no_history);
    omb_repl_free(&r);
}

/* lua.c's pmain: everything that can raise runs here, protected. */
static int pmain(lua_State *L)
{
    struct run *run = lua_touserdata(L, 1);
    char **argv = run->argv;
    int argc = run->argc;
    struct plan p;
    int rc = parse_args(argc, argv, &p);
    if (rc) {
        run->exit_code = rc < 0 ? OMB_EXIT_USAGE : 0;
        return 0;
    }
    if (p.is_run && p.script == argc) {
        fprintf(stderr, PROGNAME " run: name the script to run, e.g. ombuds run scripts/league_table.lua\n");
        run->exit_code = OMB_EXIT_USAGE;
        return 0;
    }
    luaL_checkversion(L);
    omb_lua_openlibs(L);
    if (run->cli->plugin_dir) {
        lua_pushstring(L, run->cli->plugin_dir);
        lua_setfield(L, LUA_REGISTRYINDEX, OMB_LUA_KEY_PLUGINDIR);
    }
    if (p.safe) omb_lua_make_safe(L);
    luaL_requiref(L, "ombuds", luaopen_ombuds, 1);
    lua_pop(L, 1);
    create_arg_table(L, argv, argc, p.script);
    int interactive = p.has_i || (p.script == argc && !p.has_e && isatty(STDIN_FILENO));
    if (!open_store(L, run->cli->db_path, interactive, run->cli->store_optional)) {
        run->exit_code = OMB_EXIT_STORE;
        return 0;
    }
    if (p.timeout) omb_console_set_timeout(L, p.timeout);
    run->exit_code = OMB_EXIT_FAILED;
    if (!run_options(L, argv, &p)) return 0;
    if (p.script < argc && !run_script(L, argv, argc, p.script, p.safe)) return 0;
    if (p.has_i) {
        do_repl(L, run->cli, 0);
    } else if (p.script == argc && !p.has_e) {
        if (isatty(STDIN_FILENO)) {
            do_repl(L, run->cli, 1);
        } else {
            int status = luaL_loadfilex(L, NULL, p.safe ? "t" : NULL);
            if (status == LUA_OK) status = docall(L, 0, 0);
            if (status != LUA_OK) {
                report(L);
                return 0;
            }
        }
    }
    run->exit_code = 0;
    return 0;
}

int omb_cli_lua(const struct omb_cli *cli, int argc, char **argv)
{
    lua_State *L = luaL_newstate();
    if (!L) {
        fprintf(stderr, PROGNAME ": cannot create a Lua state: not enough memory\n");
        return OMB_EXIT_FAILED;
    }
    struct run run = {cli, argc, argv, OMB_EXIT_FAILED};
    omb_lua_set_terminal(L, omb_cli_terminal());
    lua_pushcfunction(L, pmain);
    lua_pushlightuserdata(L, &run);
    if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
        report(L);
        run.exit_code = OMB_EXIT_FAILED;
    }
    fflush(stdout);
    omb_console_set_timeout(NULL, 0);
    omb_lua_clear_stop(L); /* a stop that came through SQLite leaves its hook armed */
    lua_close(L);
    return run.exit_code;
}
