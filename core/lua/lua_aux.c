/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * lua_aux.c -- the helpers under every file of the Lua binding, as lauxlib
 * is under Lua's libraries: the stop flag that Ctrl-C and --timeout raise,
 * the output mode kept in the registry, the loaded plugin registry, the
 * statement guard that keeps a sqlite3_stmt safe from Lua errors, quoting
 * of full-text queries, the userdata-owned text buffer (omb_sbuf), and the
 * type checks for cases and results, and the terminal facts the program
 * hands down (omb_lua_set_terminal).  It calls none of the lua_<type>.c
 * files nor pretty.c, so each of them may call it without making a cycle
 * (`make check-layers` checks).  Declarations are in lua_int.h and
 * lua_aux.h.
 */
#include <lauxlib.h>
#include <ombuds/plugin.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua_aux.h"
#include "lua_int.h"
#include "output.h"

#define BUFFER_MT "ombuds.Buffer"

/* ---- stopping a run ---------------------------------------------------------------- */

volatile sig_atomic_t omb_lua_stop;
int omb_lua_timeout_seconds;

const char *omb_lua_stop_message(void)
{
    static char msg[64];
    if (omb_lua_stop == OMB_LUA_TIMED_OUT) {
        snprintf(msg, sizeof msg, "timed out after %d second%s", omb_lua_timeout_seconds,
                 omb_lua_timeout_seconds == 1 ? "" : "s");
        return msg;
    }
    return "interrupted!";
}

static void stop_hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    lua_sethook(L, NULL, 0, 0);
    luaL_error(L, "%s", omb_lua_stop_message());
}

void omb_lua_request_stop(lua_State *L, int why)
{
    omb_lua_stop = why;
    /* lua_sethook is the one Lua call documented as safe from a signal */
    lua_sethook(L, stop_hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKLINE | LUA_MASKCOUNT, 1);
}

void omb_lua_clear_stop(lua_State *L)
{
    lua_sethook(L, NULL, 0, 0);
    omb_lua_stop = OMB_LUA_RUN;
}

/* ---- settings kept in the registry ------------------------------------------------- */

int omb_lua_get_mode(lua_State *L)
{
    lua_getfield(L, LUA_REGISTRYINDEX, OMB_LUA_KEY_MODE);
    int mode = lua_isinteger(L, -1) ? (int)lua_tointeger(L, -1) : OMB_OUT_TABLE;
    lua_pop(L, 1);
    return mode;
}

void omb_lua_set_mode(lua_State *L, int mode)
{
    lua_pushinteger(L, mode);
    lua_setfield(L, LUA_REGISTRYINDEX, OMB_LUA_KEY_MODE);
}

/* ---- plugins ------------------------------------------------------------------------- */

static int registry_gc(lua_State *L)
{
    omb_registry *reg = lua_touserdata(L, 1);
    omb_registry_free(reg);
    memset(reg, 0, sizeof *reg);
    return 0;
}

const omb_registry *omb_lua_registry(lua_State *L)
{
    if (lua_getfield(L, LUA_REGISTRYINDEX, OMB_LUA_REGISTRY) == LUA_TUSERDATA) {
        omb_registry *reg = lua_touserdata(L, -1);
        lua_pop(L, 1);
        return reg;
    }
    lua_pop(L, 1);
    omb_registry *reg = lua_newuserdatauv(L, sizeof *reg, 0);
    memset(reg, 0, sizeof *reg);
    lua_newtable(L);
    lua_pushcfunction(L, registry_gc);
    lua_setfield(L, -2, "__gc");
    lua_setmetatable(L, -2);
    lua_getfield(L, LUA_REGISTRYINDEX, OMB_LUA_KEY_PLUGINDIR);
    const char *dir = lua_tostring(L, -1);
    int rc = omb_registry_load(reg, dir);
    lua_pop(L, 1);
    if (rc != OMB_OK) luaL_error(L, "out of memory loading plugins");
    lua_setfield(L, LUA_REGISTRYINDEX, OMB_LUA_REGISTRY);
    return reg;
}

/* ---- statement guard ------------------------------------------------------------ */

static int stmt_gc(lua_State *L)
{
    struct omb_lua_stmt *g = luaL_checkudata(L, 1, OMB_LUA_STMT);
    sqlite3_finalize(g->s);
    g->s = NULL;
    return 0;
}

struct omb_lua_stmt *omb_lua_prepare(lua_State *L, sqlite3 *db, const char *sql, const char *what)
{
    struct omb_lua_stmt *g = lua_newuserdatauv(L, sizeof *g, 0);
    g->s = NULL;
    if (luaL_newmetatable(L, OMB_LUA_STMT)) {
        lua_pushcfunction(L, stmt_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    const char *tail = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &g->s, &tail) != SQLITE_OK) {
        lua_pushfstring(L, "%s: %s", what, sqlite3_errmsg(db));
        sqlite3_finalize(g->s);
        g->s = NULL;
        lua_error(L);
    }
    while (tail && (*tail == ' ' || *tail == '\t' || *tail == '\n' || *tail == '\r' || *tail == ';')) tail++;
    if (!g->s || (tail && *tail)) {
        int none = !g->s;
        sqlite3_finalize(g->s);
        g->s = NULL;
        luaL_error(L, "%s: give exactly one SQL statement (found %s)", what, none ? "none" : "more");
    }
    return g;
}

void omb_lua_bind(lua_State *L, struct omb_lua_stmt *g, int i, int idx, int arg)
{
    sqlite3_stmt *s = g->s;
    size_t n;
    const char *str;
    switch (lua_type(L, idx)) {
    case LUA_TNIL: sqlite3_bind_null(s, i); return;
    case LUA_TBOOLEAN: sqlite3_bind_int(s, i, lua_toboolean(L, idx)); return;
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx)) sqlite3_bind_int64(s, i, (sqlite3_int64)lua_tointeger(L, idx));
        else sqlite3_bind_double(s, i, (double)lua_tonumber(L, idx));
        return;
    case LUA_TSTRING:
        str = lua_tolstring(L, idx, &n);
        sqlite3_bind_text64(s, i, str, n, SQLITE_TRANSIENT, SQLITE_UTF8);
        return;
    default: {
        const char *tn = luaL_typename(L, idx);
        sqlite3_finalize(g->s);
        g->s = NULL;
        luaL_argerror(L, arg, lua_pushfstring(L, "SQL parameter %d must be a number, string, boolean or nil, not %s", i,
                                              tn));
    }
    }
}

int omb_lua_step_error(lua_State *L, struct omb_lua_stmt *g, int rc, const char *what)
{
    sqlite3 *db = g->s ? sqlite3_db_handle(g->s) : NULL;
    if ((rc & 0xFF) == SQLITE_INTERRUPT && omb_lua_stop) {
        sqlite3_finalize(g->s);
        g->s = NULL;
        return luaL_error(L, "%s", omb_lua_stop_message());
    }
    lua_pushfstring(L, "%s: %s", what, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    sqlite3_finalize(g->s);
    g->s = NULL;
    return lua_error(L);
}


/* ---- full-text queries ----------------------------------------------------------- */

/* Quotes each word of a plain search so FTS5 operators and punctuation in
 * what people type ("section-19", "don't") cannot make a syntax error. */
void omb_lua_fts_query(lua_State *L, const char *q)
{
    omb_sbuf *b = omb_sbuf_new(L);
    const char *p = q;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == '\n') p++;
        if (!*p) break;
        if (b->n) omb_sbuf_add(L, b, " ", 1);
        omb_sbuf_add(L, b, "\"", 1);
        while (*p && *p != ' ' && *p != '\t' && *p != '\n') {
            if (*p == '"') omb_sbuf_add(L, b, "\"", 1);
            omb_sbuf_add(L, b, p, 1);
            p++;
        }
        omb_sbuf_add(L, b, "\"", 1);
    }
    lua_pushlstring(L, b->p ? b->p : "", b->n);
    lua_remove(L, -2);
}

/* ---- the buffer ------------------------------------------------------------------ */

static int sbuf_gc(lua_State *L)
{
    omb_sbuf *b = luaL_checkudata(L, 1, BUFFER_MT);
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
    return 0;
}

omb_sbuf *omb_sbuf_new(lua_State *L)
{
    omb_sbuf *b = lua_newuserdatauv(L, sizeof *b, 0);
    b->p = NULL;
    b->n = b->cap = 0;
    if (luaL_newmetatable(L, BUFFER_MT)) {
        lua_pushcfunction(L, sbuf_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    return b;
}

void omb_sbuf_add(lua_State *L, omb_sbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n + 1) cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) luaL_error(L, "not enough memory");
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

void omb_sbuf_adds(lua_State *L, omb_sbuf *b, const char *s) { omb_sbuf_add(L, b, s, strlen(s)); }

void omb_sbuf_addf(lua_State *L, omb_sbuf *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    omb_sbuf_add(L, b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* ---- type checks ----------------------------------------------------------------- */

int omb_lua_is_case(lua_State *L, int idx)
{
    if (lua_type(L, idx) != LUA_TTABLE || !lua_getmetatable(L, idx)) return 0;
    luaL_getmetatable(L, OMB_LUA_CASE);
    int same = lua_rawequal(L, -1, -2);
    lua_pop(L, 2);
    return same;
}

int omb_lua_is_result(lua_State *L, int idx) { return luaL_testudata(L, idx, OMB_LUA_RESULT) != NULL; }

void omb_lua_result_parts(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    lua_getiuservalue(L, idx, 1);
    lua_getiuservalue(L, idx, 2);
}


/* ---- the terminal ------------------------------------------------------------------ */

void omb_lua_set_terminal(lua_State *L, const struct omb_lua_terminal *t)
{
    lua_pushlightuserdata(L, (void *)t);
    lua_setfield(L, LUA_REGISTRYINDEX, OMB_LUA_KEY_TERMINAL);
}

static const struct omb_lua_terminal *terminal(lua_State *L)
{
    lua_getfield(L, LUA_REGISTRYINDEX, OMB_LUA_KEY_TERMINAL);
    const struct omb_lua_terminal *t = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return t;
}

int omb_lua_terminal_width(lua_State *L)
{
    const struct omb_lua_terminal *t = terminal(L);
    return t && t->width ? t->width() : 0;
}

int omb_lua_chart_plain(lua_State *L)
{
    const struct omb_lua_terminal *t = terminal(L);
    return t && t->chart_plain ? t->chart_plain() : 1;
}
