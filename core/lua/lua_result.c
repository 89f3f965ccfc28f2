/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * lua_result.c -- the ombuds.Result object that db:query, db:search,
 * db:cases and ombuds.plugins return: rows copied out of SQLite into Lua
 * tables (so a result outlives its statement and its store), indexed as
 * r[i].column, counted by #r, and rendered as a table, CSV or JSON through
 * pretty.c.  Running the SQL is lua_store.c's job.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lua_int.h"
#include "output.h"
#include "pretty.h"

/* The userdata holds nothing itself; user value 1 is the array of column
 * names, user value 2 the array of row tables.  Both are fixed at creation. */
struct lresult {
    int unused;
};

void omb_lua_result_new(lua_State *L)
{
    luaL_checkstack(L, 4, "cannot make a result");
    lua_newuserdatauv(L, sizeof(struct lresult), 2);
    luaL_setmetatable(L, OMB_LUA_RESULT);
    lua_rotate(L, -3, 1); /* result, cols, rows */
    lua_setiuservalue(L, -3, 2);
    lua_setiuservalue(L, -2, 1);
}

void omb_lua_result_from_stmt(lua_State *L, int g, const char *what)
{
    struct omb_lua_stmt *st = lua_touserdata(L, g);
    sqlite3_stmt *s = st->s;
    int nc = sqlite3_column_count(s), rc;
    luaL_checkstack(L, 8, "cannot read rows");
    lua_createtable(L, nc, 0);
    int cols = lua_gettop(L);
    for (int i = 0; i < nc; i++) {
        lua_pushstring(L, sqlite3_column_name(s, i));
        lua_rawseti(L, cols, i + 1);
    }
    lua_newtable(L);
    int rows = lua_gettop(L);
    lua_Integer n = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        lua_createtable(L, 0, nc);
        for (int i = 0; i < nc; i++) {
            switch (sqlite3_column_type(s, i)) {
            case SQLITE_NULL: continue;
            case SQLITE_INTEGER: lua_pushinteger(L, (lua_Integer)sqlite3_column_int64(s, i)); break;
            case SQLITE_FLOAT: lua_pushnumber(L, (lua_Number)sqlite3_column_double(s, i)); break;
            case SQLITE_BLOB:
                lua_pushlstring(L, sqlite3_column_blob(s, i), (size_t)sqlite3_column_bytes(s, i));
                break;
            default:
                lua_pushlstring(L, (const char *)sqlite3_column_text(s, i), (size_t)sqlite3_column_bytes(s, i));
            }
            lua_rawgeti(L, cols, i + 1);
            lua_insert(L, -2);
            lua_rawset(L, -3);
        }
        lua_rawseti(L, rows, ++n);
    }
    if (rc != SQLITE_DONE) omb_lua_step_error(L, st, rc, what);
    sqlite3_finalize(st->s);
    st->s = NULL;
    omb_lua_result_new(L);
}

static void check_result(lua_State *L, int i) { luaL_checkudata(L, i, OMB_LUA_RESULT); }

static int l_result_len(lua_State *L)
{
    check_result(L, 1);
    lua_getiuservalue(L, 1, 2);
    lua_pushinteger(L, (lua_Integer)lua_rawlen(L, -1));
    return 1;
}

/* r[i] is row i; r.name is a method. */
static int l_result_index(lua_State *L)
{
    check_result(L, 1);
    if (lua_type(L, 2) == LUA_TNUMBER) {
        lua_getiuservalue(L, 1, 2);
        lua_pushvalue(L, 2);
        lua_rawget(L, -2);
        return 1;
    }
    lua_getmetatable(L, 1);
    lua_getfield(L, -1, "methods");
    lua_pushvalue(L, 2);
    lua_rawget(L, -2);
    return 1;
}

static int l_result_tostring(lua_State *L)
{
    check_result(L, 1);
    omb_lua_result_parts(L, 1);
    lua_pushfstring(L, "ombuds.Result (%d row%s, %d column%s)", (int)lua_rawlen(L, -1),
                    lua_rawlen(L, -1) == 1 ? "" : "s", (int)lua_rawlen(L, -2), lua_rawlen(L, -2) == 1 ? "" : "s");
    return 1;
}

static int rows_next(lua_State *L)
{
    lua_Integer i = lua_tointeger(L, lua_upvalueindex(2)) + 1;
    lua_pushinteger(L, i);
    lua_replace(L, lua_upvalueindex(2));
    lua_rawgeti(L, lua_upvalueindex(1), i);
    return 1;
}

/* for row in r:rows() do ... end */
static int l_result_rows(lua_State *L)
{
    check_result(L, 1);
    lua_getiuservalue(L, 1, 2);
    lua_pushinteger(L, 0);
    lua_pushcclosure(L, rows_next, 2);
    return 1;
}

static int l_result_columns(lua_State *L)
{
    check_result(L, 1);
    lua_getiuservalue(L, 1, 1);
    lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
    lua_createtable(L, (int)n, 0);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, -2, i);
        lua_rawseti(L, -2, i);
    }
    return 1;
}

static int l_result_json(lua_State *L)
{
    check_result(L, 1);
    omb_lua_result_parts(L, 1);
    omb_pretty_json(L, -1, -2);
    return 1;
}

static int write_file(lua_State *L, const char *path, const char *what)
{
    lua_getfield(L, LUA_REGISTRYINDEX, OMB_LUA_KEY_SAFE);
    if (lua_toboolean(L, -1)) return luaL_error(L, "%s: writing files is not allowed in --safe mode", what);
    lua_pop(L, 1);
    size_t n;
    const char *text = lua_tolstring(L, -1, &n);
    FILE *f = fopen(path, "wb");
    if (!f) return luaL_error(L, "%s: cannot write %s: %s", what, path, strerror(errno));
    size_t w = fwrite(text, 1, n, f);
    int err = ferror(f) ? errno : 0;
    if (fclose(f) != 0 && !err) err = errno;
    if (w != n || err) return luaL_error(L, "%s: writing %s: %s", what, path, strerror(err ? err : EIO));
    return 0;
}

/* r:csv() returns the CSV text; r:csv(path) writes it to path. */
static int l_result_csv(lua_State *L)
{
    check_result(L, 1);
    const char *path = luaL_optstring(L, 2, NULL);
    omb_lua_result_parts(L, 1);
    omb_pretty_csv(L, -2, -1);
    if (!path) return 1;
    write_file(L, path, "csv");
    lua_pushvalue(L, 1);
    return 1;
}

/* r:print([format]) writes the whole result to standard output as a table
 * (fitted to the terminal), CSV or JSON; without format, the console's
 * .mode decides. */
static int l_result_print(lua_State *L)
{
    check_result(L, 1);
    int mode = lua_isnoneornil(L, 2) ? omb_lua_get_mode(L) : omb_out_format_parse(luaL_checkstring(L, 2));
    luaL_argcheck(L, mode == OMB_OUT_TABLE || mode == OMB_OUT_CSV || mode == OMB_OUT_JSON, 2,
                  "format must be \"table\", \"csv\" or \"json\"");
    omb_lua_result_parts(L, 1);
    int cols = lua_gettop(L) - 1, rows = cols + 1;
    if (mode == OMB_OUT_TABLE) {
        struct omb_pretty_opts o;
        omb_pretty_defaults(&o, omb_lua_terminal_width(L), 0);
        o.max_rows = 0;
        omb_pretty_table(L, cols, rows, &o);
    } else if (mode == OMB_OUT_CSV) {
        omb_pretty_csv(L, cols, rows);
    } else {
        omb_pretty_json(L, rows, cols);
        lua_pushliteral(L, "\n");
        lua_concat(L, 2);
    }
    size_t n;
    const char *s = lua_tolstring(L, -1, &n);
    fwrite(s, 1, n, stdout);
    fflush(stdout);
    return 0;
}

void omb_lua_open_result(lua_State *L)
{
    static const luaL_Reg meta[] = {{"__len", l_result_len},
                                    {"__index", l_result_index},
                                    {"__tostring", l_result_tostring},
                                    {NULL, NULL}};
    static const luaL_Reg methods[] = {{"rows", l_result_rows}, {"columns", l_result_columns},
                                       {"print", l_result_print}, {"csv", l_result_csv},
                                       {"json", l_result_json},   {NULL, NULL}};
    if (!luaL_newmetatable(L, OMB_LUA_RESULT)) {
        lua_pop(L, 1);
        return;
    }
    luaL_setfuncs(L, meta, 0);
    /* methods live in a table of their own so completion can list them
     * without calling __index */
    luaL_newlib(L, methods);
    lua_setfield(L, -2, "methods");
    lua_pop(L, 1);
}
