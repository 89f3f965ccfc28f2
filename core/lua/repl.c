/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * repl.c -- the console's load/eval/print (repl.h), after lua.c: compile
 * "return <line>" first so expressions print, else the statement; keep
 * reading while the syntax error ends in "<eof>"; run under a traceback
 * handler; print each value through pretty.c.  Also the dot commands
 * (.tables, .schema, .mode, ...).  Readline, history and signals are
 * console.c's; this file reads no terminal.
 */
#include "repl.h"

#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "lua_int.h"
#include "output.h"

#define CHUNKNAME "=stdin"
#define EOFMARK "<eof>"

void omb_repl_init(struct omb_repl *r, lua_State *L, FILE *out, FILE *err)
{
    memset(r, 0, sizeof *r);
    r->L = L;
    r->out = out;
    r->err = err;
    omb_pretty_defaults(&r->view, 0, 0);
}

void omb_repl_free(struct omb_repl *r)
{
    free(r->pending);
    r->pending = NULL;
    r->n_pending = 0;
}

void omb_repl_reset(struct omb_repl *r) { omb_repl_free(r); }

const char *omb_repl_prompt(struct omb_repl *r)
{
    lua_State *L = r->L;
    int first = r->pending == NULL;
    const char *dflt = first ? "ombuds> " : "   ...> ";
    snprintf(r->prompt, sizeof r->prompt, "%s", dflt);
    int top = lua_gettop(L);
    if (lua_getglobal(L, first ? "_PROMPT" : "_PROMPT2") != LUA_TNIL) {
        /* any value, as lua.c allows; through tostring without metamethods
         * so a prompt cannot raise */
        if (lua_type(L, -1) == LUA_TSTRING || lua_type(L, -1) == LUA_TNUMBER)
            snprintf(r->prompt, sizeof r->prompt, "%s", lua_tostring(L, -1));
    }
    lua_settop(L, top);
    return r->prompt;
}

/* ---- errors ----------------------------------------------------------------------- */

/* lua.c's msghandler: a traceback for string errors; __tostring or the
 * type for other error values. */
static int msghandler(lua_State *L)
{
    const char *msg = lua_tostring(L, 1);
    if (msg == NULL) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) return 1;
        msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    luaL_traceback(L, L, msg, 1);
    return 1;
}

int omb_repl_docall(lua_State *L, int narg, int nres)
{
    int base = lua_gettop(L) - narg;
    lua_pushcfunction(L, msghandler);
    lua_insert(L, base);
    int status = lua_pcall(L, narg, nres, base);
    lua_remove(L, base);
    return status;
}

void omb_repl_report(lua_State *L, FILE *f, const char *prefix, int max_frames)
{
    const char *msg = lua_tostring(L, -1);
    if (!msg) msg = "(error object is not a string)";
    const char *tb = strstr(msg, "\nstack traceback:");
    size_t head = tb ? (size_t)(tb - msg) : strlen(msg);
    fprintf(f, "%s%s%.*s\n", prefix ? prefix : "", prefix ? ": " : "", (int)head, msg);
    if (tb && max_frames != 0) {
        /* the frames of the console itself ("[C]: in ?") say nothing */
        const char *p = tb + 1, *nl = strchr(p, '\n');
        int shown = 0, printed_header = 0;
        for (p = nl ? nl + 1 : NULL; p && *p; p = nl ? nl + 1 : NULL) {
            nl = strchr(p, '\n');
            size_t len = nl ? (size_t)(nl - p) : strlen(p);
            if (len == 10 && !memcmp(p, "\t[C]: in ?", 10)) continue;
            if (max_frames > 0 && shown >= max_frames) {
                fprintf(f, "\t...\n");
                break;
            }
            if (!printed_header) fprintf(f, "stack traceback:\n");
            printed_header = 1;
            fprintf(f, "%.*s\n", (int)len, p);
            shown++;
        }
    }
    fflush(f);
    lua_pop(L, 1);
}

/* ---- printing values -------------------------------------------------------------- */

/* Prints every value on the stack (run under lua_pcall: __tostring may
 * raise).  Upvalue 1: the repl. */
static int print_values(lua_State *L)
{
    struct omb_repl *r = lua_touserdata(L, lua_upvalueindex(1));
    int n = lua_gettop(L);
    int mode = omb_lua_get_mode(L);
    for (int i = 1; i <= n; i++) {
        if (mode != OMB_OUT_TABLE && omb_lua_is_result(L, i)) { /* .mode csv or json */
            struct omb_out_opts o = {mode == OMB_OUT_CSV ? OMB_OUT_CSV : OMB_OUT_JSON, 0, 0, 0, 1, 0};
            omb_lua_result_parts(L, i);
            omb_lua_rows_render(L, -2, -1, &o);
            lua_replace(L, -3);
            lua_pop(L, 1);
        } else {
            omb_pretty_value(L, i, &r->view);
        }
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        fwrite(s, 1, len, r->out);
        if (i < n) fputc('\t', r->out);
        else if (!len || s[len - 1] != '\n') fputc('\n', r->out);
        lua_pop(L, 1);
    }
    fflush(r->out);
    return 0;
}

/* Runs the function on top; prints its results or the error. */
static void run_chunk(struct omb_repl *r)
{
    lua_State *L = r->L;
    int base = lua_gettop(L) - 1;
    omb_lua_clear_stop(L);
    int status = omb_repl_docall(L, 0, LUA_MULTRET);
    if (status == LUA_OK) {
        int n = lua_gettop(L) - base;
        if (n > 0) {
            luaL_checkstack(L, 3, "too many results to print");
            lua_pushlightuserdata(L, r);
            lua_pushcclosure(L, print_values, 1);
            lua_insert(L, base + 1);
            status = omb_repl_docall(L, n, 0);
        }
    }
    if (status != LUA_OK) omb_repl_report(L, r->err, NULL, 6);
    omb_lua_clear_stop(L);
    lua_settop(L, base);
}

/* ---- dot commands ------------------------------------------------------------------ */

static const char help_text[] =
    "Type Lua: expressions print their value, statements run, and an unfinished\n"
    "statement continues on the next line.  `db` is the open store.\n"
    "\n"
    "  db:count()                          number of cases\n"
    "  db:cases{authority=, category=, year=, outcome=, text=}\n"
    "  db:case(\"22 001 239\")               one case with remedies, events, sources\n"
    "  db:query(\"SELECT ... WHERE x = ?\", v) read-only SQL with bound parameters\n"
    "  db:search(\"alternative provision\")  full-text search with snippets\n"
    "  db:ingest(\"dir/\", {format=, authority=})\n"
    "  ombuds.plugins(), ombuds.open(path), ombuds.pretty(v), ombuds.json(v)\n"
    "\n"
    "Commands:\n"
    "  .help               this text\n"
    "  .tables             tables and views of the store\n"
    "  .schema [NAME]      the SQL that made them\n"
    "  .plugins            plugins loaded (and any that failed)\n"
    "  .metrics            metric functions (ombuds.metrics)\n"
    "  .open FILE          open another store as `db`\n"
    "  .mode table|csv|json  how results print\n"
    "  .rows N             rows of a result shown at the prompt\n"
    "  .quit               leave (or Ctrl-D)\n"
    "\n"
    "Tab completes names, methods, columns and file names; Ctrl-C stops a query.\n"
    "See docs/console.md and docs/lua-api.md.\n";

static void out_string(struct omb_repl *r, const char *s)
{
    fputs(s, r->out);
    fflush(r->out);
}

static omb_store *global_store(lua_State *L)
{
    lua_getglobal(L, "db");
    omb_store *st = omb_lua_test_store(L, -1);
    lua_pop(L, 1);
    if (!st) luaL_error(L, "no store is open as `db` (use .open FILE)");
    return st;
}

static void cmd_tables(struct omb_repl *r)
{
    lua_State *L = r->L;
    sqlite3 *db = omb_store_db(global_store(L));
    struct omb_lua_stmt *g = omb_lua_prepare(L, db,
                                             "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view')"
                                             " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
                                             " AND (name NOT LIKE 'search\\_%' ESCAPE '\\' OR name = 'search_text')"
                                             " ORDER BY name",
                                             ".tables");
    omb_sbuf *b = omb_sbuf_new(L);
    size_t col = 0, width = r->view.width > 0 ? (size_t)r->view.width : 80;
    int rc;
    while ((rc = sqlite3_step(g->s)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(g->s, 0);
        size_t n = strlen(name);
        if (col && col + 2 + n > width) {
            omb_sbuf_add(L, b, "\n", 1);
            col = 0;
        } else if (col) {
            omb_sbuf_add(L, b, "  ", 2);
            col += 2;
        }
        omb_sbuf_add(L, b, name, n);
        col += n;
    }
    if (rc != SQLITE_DONE) omb_lua_step_error(L, g, rc, ".tables");
    sqlite3_finalize(g->s);
    g->s = NULL;
    omb_sbuf_add(L, b, "\n", 1);
    out_string(r, b->p);
}

static void cmd_schema(struct omb_repl *r, const char *name)
{
    lua_State *L = r->L;
    sqlite3 *db = omb_store_db(global_store(L));
    struct omb_lua_stmt *g = omb_lua_prepare(L, db,
                                             "SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL"
                                             " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
                                             " AND (?1 IS NULL OR name = ?1 OR tbl_name = ?1)"
                                             " ORDER BY tbl_name, type DESC, name",
                                             ".schema");
    if (name) sqlite3_bind_text(g->s, 1, name, -1, SQLITE_TRANSIENT);
    omb_sbuf *b = omb_sbuf_new(L);
    int rc, n = 0;
    while ((rc = sqlite3_step(g->s)) == SQLITE_ROW) {
        omb_sbuf_adds(L, b, (const char *)sqlite3_column_text(g->s, 0));
        omb_sbuf_add(L, b, ";\n", 2);
        n++;
    }
    if (rc != SQLITE_DONE) omb_lua_step_error(L, g, rc, ".schema");
    sqlite3_finalize(g->s);
    g->s = NULL;
    if (!n && name) luaL_error(L, ".schema: no table, view or index called \"%s\"", name);
    out_string(r, b->p ? b->p : "");
}

/* Pushes package.loaded.ombuds (loading it when needed). */
static void push_module(lua_State *L)
{
    luaL_requiref(L, "ombuds", luaopen_ombuds, 0);
}

static void cmd_plugins(struct omb_repl *r)
{
    lua_State *L = r->L;
    push_module(L);
    lua_getfield(L, -1, "plugins");
    lua_call(L, 0, 1);
    lua_getfield(L, -2, "plugin_errors");
    lua_call(L, 0, 1);
    struct omb_pretty_opts o = r->view;
    o.max_rows = 0;
    omb_pretty_value(L, -2, &o);
    out_string(r, lua_tostring(L, -1));
    lua_pop(L, 1);
    lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, i);
        fprintf(r->out, "not loaded: %s\n", lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    fflush(r->out);
}

static void cmd_metrics(struct omb_repl *r)
{
    lua_State *L = r->L;
    push_module(L);
    lua_getfield(L, -1, "metrics");
    if (!lua_istable(L, -1)) luaL_error(L, ".metrics: ombuds.metrics is not a table");
    lua_newtable(L);
    lua_Integer n = 0;
    lua_pushnil(L);
    while (lua_next(L, -3)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TSTRING) {
            lua_pushvalue(L, -1);
            lua_rawseti(L, -3, ++n);
        }
    }
    if (!n) {
        out_string(r, "no metric functions are loaded (metric plugins add them to ombuds.metrics)\n");
        return;
    }
    /* sorted through the same pretty printer the values use */
    omb_pretty_value(L, -1, &r->view);
    fprintf(r->out, "%s\n", lua_tostring(L, -1));
    fflush(r->out);
}

static void cmd_open(struct omb_repl *r, const char *path)
{
    lua_State *L = r->L;
    if (!path) luaL_error(L, ".open: name the store file, e.g. .open cases.db");
    omb_lua_store_open(L, path, 0);
    lua_getglobal(L, "db");
    if (omb_lua_test_store(L, -1)) { /* close the old store now, as sqlite3's .open does */
        lua_getfield(L, -1, "close");
        lua_pushvalue(L, -2);
        lua_call(L, 1, 0);
    }
    lua_pop(L, 1);
    lua_setglobal(L, "db");
    fprintf(r->out, "db is now %s\n", path);
    fflush(r->out);
}

/* Runs the dot command in upvalue-free form: argument 1 the repl, 2 the
 * command word, 3 its argument or nil.  Returns true to quit. */
static int dot_command(lua_State *L)
{
    struct omb_repl *r = lua_touserdata(L, 1);
    const char *cmd = lua_tostring(L, 2);
    const char *arg = lua_tostring(L, 3);
    if (!strcmp(cmd, "quit") || !strcmp(cmd, "exit") || !strcmp(cmd, "q")) {
        lua_pushboolean(L, 1);
        return 1;
    }
    if (!strcmp(cmd, "help")) out_string(r, help_text);
    else if (!strcmp(cmd, "tables")) cmd_tables(r);
    else if (!strcmp(cmd, "schema")) cmd_schema(r, arg);
    else if (!strcmp(cmd, "plugins")) cmd_plugins(r);
    else if (!strcmp(cmd, "metrics")) cmd_metrics(r);
    else if (!strcmp(cmd, "open")) cmd_open(r, arg);
    else if (!strcmp(cmd, "mode")) {
        static const char *const names[] = {"?", "table", "csv", "json"};
        if (!arg) {
            int m = omb_lua_get_mode(L);
            fprintf(r->out, "%s\n", names[m >= 1 && m <= 3 ? m : 0]);
        } else {
            int m = omb_out_format_parse(arg);
            if (m != OMB_OUT_TABLE && m != OMB_OUT_CSV && m != OMB_OUT_JSON)
                luaL_error(L, ".mode: use table, csv or json (not \"%s\")", arg);
            omb_lua_set_mode(L, m);
        }
    } else if (!strcmp(cmd, "rows")) {
        if (!arg) fprintf(r->out, "%zu\n", r->view.max_rows);
        else {
            char *end;
            long n = strtol(arg, &end, 10);
            if (*end || n < 1) luaL_error(L, ".rows: give a number of rows, e.g. .rows 50");
            r->view.max_rows = (size_t)n;
        }
    } else {
        luaL_error(L, "unknown command .%s (try .help)", cmd);
    }
    lua_pushboolean(L, 0);
    return 1;
}

/* Is line a dot command?  A dot then a letter: Lua code never starts so
 * (".5" is a number and stays Lua). */
static int is_dot_command(const char *line)
{
    while (*line == ' ' || *line == '\t') line++;
    return line[0] == '.' && ((line[1] >= 'a' && line[1] <= 'z') || (line[1] >= 'A' && line[1] <= 'Z'));
}

static int run_dot(struct omb_repl *r, const char *line)
{
    lua_State *L = r->L;
    while (*line == ' ' || *line == '\t') line++;
    line++;
    size_t n = strcspn(line, " \t");
    const char *a = line + n;
    while (*a == ' ' || *a == '\t') a++;
    size_t an = strlen(a);
    while (an && (a[an - 1] == ' ' || a[an - 1] == '\t')) an--;
    /* a quoted argument keeps its spaces: .open "my cases.db" */
    if (an >= 2 && (a[0] == '"' || a[0] == '\'') && a[an - 1] == a[0]) {
        a++;
        an -= 2;
    }
    int top = lua_gettop(L);
    lua_pushcfunction(L, dot_command);
    lua_pushlightuserdata(L, r);
    lua_pushlstring(L, line, n);
    if (an) lua_pushlstring(L, a, an);
    else lua_pushnil(L);
    omb_lua_clear_stop(L);
    int status = lua_pcall(L, 3, 1, 0);
    int quit = 0;
    if (status == LUA_OK) quit = lua_toboolean(L, -1);
    else omb_repl_report(L, r->err, NULL, 0);
    omb_lua_clear_stop(L);
    lua_settop(L, top);
    return quit ? OMB_REPL_QUIT : OMB_REPL_DONE;
}

/* ---- feeding lines ------------------------------------------------------------------ */

static int incomplete(lua_State *L, int status)
{
    if (status == LUA_ERRSYNTAX) {
        size_t lmsg;
        const char *msg = lua_tolstring(L, -1, &lmsg);
        size_t lmark = sizeof(EOFMARK) - 1;
        if (lmsg >= lmark && strcmp(msg + lmsg - lmark, EOFMARK) == 0) return 1;
    }
    return 0;
}

static char *dup_text(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p) return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

int omb_repl_feed(struct omb_repl *r, const char *line, char **entry)
{
    lua_State *L = r->L;
    *entry = NULL;
    size_t len = strlen(line);
    if (!r->pending && is_dot_command(line)) {
        *entry = dup_text(line, len);
        return run_dot(r, line);
    }
    /* the text so far: earlier lines of an unfinished statement, then this */
    size_t old = r->pending ? r->n_pending + 1 : 0;
    char *p = realloc(r->pending, old + len + 1);
    if (!p) {
        fputs("out of memory\n", r->err);
        omb_repl_reset(r);
        return OMB_REPL_DONE;
    }
    if (old) p[old - 1] = '\n';
    memcpy(p + old, line, len + 1);
    r->pending = p;
    r->n_pending = old + len;
    /* an expression?  "return <text>;" as lua.c's addreturn (which lua.c
     * tries on the first line only; a table literal split over lines
     * deserves printing too) */
    char *ret = malloc(r->n_pending + 8);
    if (!ret) {
        fputs("out of memory\n", r->err);
        omb_repl_reset(r);
        return OMB_REPL_DONE;
    }
    snprintf(ret, r->n_pending + 8, "return %s", r->pending);
    int status = luaL_loadbuffer(L, ret, strlen(ret), CHUNKNAME);
    free(ret);
    if (status == LUA_OK) {
        *entry = r->pending;
        r->pending = NULL;
        r->n_pending = 0;
        run_chunk(r);
        return OMB_REPL_DONE;
    }
    /* unfinished as an expression ("{1,") or as a statement ("for i=1,2 do") */
    int open_expression = incomplete(L, status);
    lua_pop(L, 1);
    status = luaL_loadbuffer(L, r->pending, r->n_pending, CHUNKNAME);
    if (status != LUA_OK && (open_expression || incomplete(L, status))) {
        lua_pop(L, 1);
        return OMB_REPL_MORE;
    }
    *entry = r->pending;
    r->pending = NULL;
    r->n_pending = 0;
    if (status == LUA_OK) run_chunk(r);
    else omb_repl_report(L, r->err, NULL, 0);
    return OMB_REPL_DONE;
}
