/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * lua_result.c -- the ombuds.Result object that db:query, db:search,
 * db:cases and ombuds.plugins return: rows copied out of SQLite into Lua
 * tables (so a result outlives its statement and its store), indexed as
 * r[i].column, counted by #r, and rendered as a table, CSV or JSON by the
 * one renderer of rows (output.c): omb_lua_rows_render is the bridge from Lua
 * rows to it, and a Result shows itself in the console through its
 * __pretty metamethod.  Running the SQL is lua_store.c's job.
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

/* A sink appending to an omb_sbuf (raises only when out of memory). */
struct sbuf_sink {
    lua_State *L;
    omb_sbuf *b;
};
static int sbuf_write(void *ud, const char *p, size_t n)
{
    struct sbuf_sink *k = ud;
    omb_sbuf_add(k->L, k->b, p, n);
    return 0;
}

/* Pushes the columns followed by every other string key the rows hold
 * (sorted), and returns its index: JSON carries all of a row, so a case's
 * remedies and sources come along. */
static int with_extra_keys(lua_State *L, int cols, int rows)
{
    lua_newtable(L); /* the keys already placed */
    int seen = lua_gettop(L);
    lua_newtable(L); /* the new column list */
    int out = lua_gettop(L);
    lua_Integer nc = (lua_Integer)lua_rawlen(L, cols), n = 0, first_extra;
    for (lua_Integer i = 1; i <= nc; i++) {
        lua_rawgeti(L, cols, i);
        lua_pushvalue(L, -1);
        lua_rawseti(L, out, ++n);
        lua_pushboolean(L, 1);
        lua_rawset(L, seen);
    }
    first_extra = n + 1;
    lua_Integer nr = (lua_Integer)lua_rawlen(L, rows);
    for (lua_Integer r = 1; r <= nr; r++) {
        if (lua_rawgeti(L, rows, r) != LUA_TTABLE) {
            lua_pop(L, 1);
            continue;
        }
        lua_pushnil(L);
        while (lua_next(L, -2)) {
            lua_pop(L, 1);
            if (lua_type(L, -1) != LUA_TSTRING) continue;
            lua_pushvalue(L, -1);
            if (lua_rawget(L, seen) == LUA_TNIL) {
                lua_pushvalue(L, -2);
                lua_pushboolean(L, 1);
                lua_rawset(L, seen);
                /* insertion in sorted place among the extras */
                lua_Integer k = ++n;
                while (k > first_extra) {
                    lua_rawgeti(L, out, k - 1);
                    int after = strcmp(lua_tostring(L, -1), lua_tostring(L, -3)) > 0;
                    if (!after) {
                        lua_pop(L, 1);
                        break;
                    }
                    lua_rawseti(L, out, k--);
                }
                lua_pushvalue(L, -2);
                lua_rawseti(L, out, k);
            }
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    lua_remove(L, seen);
    return lua_gettop(L);
}

void omb_lua_rows_render(lua_State *L, int cols, int rows, const struct omb_out_opts *o)
{
    cols = lua_absindex(L, cols);
    rows = lua_absindex(L, rows);
    luaL_checkstack(L, 20, "cannot render rows");
    int top = lua_gettop(L);
    if (o->format == OMB_OUT_JSON || o->format == OMB_OUT_JSONL) cols = with_extra_keys(L, cols, rows);
    lua_Integer nc = (lua_Integer)lua_rawlen(L, cols), nr = (lua_Integer)lua_rawlen(L, rows);
    lua_Integer shown = o->format == OMB_OUT_TABLE && o->max_rows && (lua_Integer)o->max_rows < nr
                            ? (lua_Integer)o->max_rows : nr;
    omb_sbuf *b = omb_sbuf_new(L);
    lua_newtable(L); /* anchors: every string a cell points at */
    int anchors = lua_gettop(L), n_anchor = 0;
    const char **names = lua_newuserdatauv(L, ((size_t)nc + 1) * sizeof *names, 0);
    for (lua_Integer i = 0; i < nc; i++) {
        lua_rawgeti(L, cols, i + 1);
        names[i] = luaL_tolstring(L, -1, NULL);
        lua_rawseti(L, anchors, ++n_anchor);
        lua_pop(L, 1);
    }
    /* Every conversion (which may call __tostring and raise) happens before
     * the renderer starts, so a Lua error never leaves its memory behind. */
    struct omb_out_cell *cells = lua_newuserdatauv(L, ((size_t)(shown * nc) + (size_t)nc + 1) * sizeof *cells, 0);
    memset(cells, 0, ((size_t)(shown * nc) + (size_t)nc + 1) * sizeof *cells);
    for (lua_Integer r = 0; r < shown; r++) {
        lua_rawgeti(L, rows, r + 1);
        int row = lua_gettop(L);
        for (lua_Integer i = 0; i < nc; i++) {
            struct omb_out_cell *c = &cells[r * nc + i];
            if (lua_type(L, row) != LUA_TTABLE) break;
            lua_rawgeti(L, cols, i + 1);
            lua_rawget(L, row);
            int v = lua_gettop(L);
            switch (lua_type(L, v)) {
            case LUA_TNIL: break;
            case LUA_TNUMBER:
                if (lua_isinteger(L, v)) c->type = OMB_VALUE_INT, c->i = (int64_t)lua_tointeger(L, v);
                else c->type = OMB_VALUE_REAL, c->d = (double)lua_tonumber(L, v);
                break;
            case LUA_TSTRING: /* the row anchors it */
                c->type = OMB_VALUE_TEXT;
                c->s = lua_tolstring(L, v, &c->n);
                break;
            default: {
                if (lua_type(L, v) == LUA_TTABLE && o->format != OMB_OUT_TABLE) omb_pretty_json(L, v, 0);
                else if (lua_type(L, v) == LUA_TTABLE && luaL_getmetafield(L, v, "__pretty") == LUA_TNIL) {
                    struct omb_pretty_opts po = {1, 4, 0, 0, 0};
                    omb_pretty_value(L, v, &po);
                } else {
                    if (lua_type(L, v) == LUA_TTABLE) lua_pop(L, 1);
                    if (lua_type(L, v) == LUA_TTABLE && omb_lua_is_case(L, v)) {
                        /* a case in a cell is its reference */
                        if (lua_getfield(L, v, "ref") != LUA_TSTRING) {
                            lua_pop(L, 1);
                            lua_pushliteral(L, "(case)");
                        }
                    } else {
                        luaL_tolstring(L, v, NULL);
                    }
                }
                c->type = lua_type(L, v) == LUA_TTABLE && o->format != OMB_OUT_TABLE ? OMB_OUT_JSON_TEXT : OMB_VALUE_TEXT;
                c->s = lua_tolstring(L, -1, &c->n);
                lua_rawseti(L, anchors, ++n_anchor);
            }
            }
            lua_settop(L, row);
        }
        lua_pop(L, 1);
    }
    struct sbuf_sink k = {L, b};
    omb_rows *rr = omb_rows_begin((struct omb_out){sbuf_write, &k}, o, (int)nc, names);
    if (!rr) luaL_error(L, "not enough memory");
    for (lua_Integer r = 0; r < nr; r++) /* rows past those shown are only counted */
        if (omb_rows_add(rr, r < shown ? &cells[r * nc] : &cells[shown * nc]) == OMB_ENOMEM) break;
    if (omb_rows_end(rr) == OMB_ENOMEM) luaL_error(L, "not enough memory");
    lua_pushlstring(L, b->p ? b->p : "", b->n);
    lua_replace(L, top + 1);
    lua_settop(L, top + 1);
}

/* __pretty(r, width, color, max_rows, compact): the console's view. */
static int l_result_pretty(lua_State *L)
{
    check_result(L, 1);
    if (lua_toboolean(L, 5)) {
        omb_lua_result_parts(L, 1);
        lua_pushfstring(L, "ombuds.Result (%d rows)", (int)lua_rawlen(L, -1));
        return 1;
    }
    struct omb_out_opts o = {OMB_OUT_TABLE, (int)luaL_optinteger(L, 2, 0), (size_t)luaL_optinteger(L, 4, 0),
                             lua_toboolean(L, 3), 0, 0};
    omb_lua_result_parts(L, 1);
    omb_lua_rows_render(L, -2, -1, &o);
    return 1;
}

/* __json(r): the rows as a JSON array (for ombuds.json of a value holding
 * a Result). */
static int l_result_tojson(lua_State *L)
{
    check_result(L, 1);
    struct omb_out_opts o = {OMB_OUT_JSON, 0, 0, 0, 1, 0};
    omb_lua_result_parts(L, 1);
    omb_lua_rows_render(L, -2, -1, &o);
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
    return l_result_tojson(L);
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
    struct omb_out_opts o = {OMB_OUT_CSV, 0, 0, 0, 0, 0};
    omb_lua_rows_render(L, -2, -1, &o);
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
    struct omb_out_opts o = {mode, mode == OMB_OUT_TABLE ? omb_lua_terminal_width(L) : 0, 0, 0, 1, 0};
    omb_lua_rows_render(L, -2, -1, &o);
    if (mode == OMB_OUT_JSON) {
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
                                    {"__pretty", l_result_pretty},
                                    {"__json", l_result_tojson},
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
