/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * lua_module.c -- the `ombuds` Lua module (luaopen_ombuds): ombuds.open,
 * ombuds.plugins, ombuds.pretty, ombuds.json, ombuds.version, ombuds.metrics;
 * the state set-up shared by the console and scripts (standard libraries,
 * package.path, --safe).  The stop flag that Ctrl-C and --timeout raise is
 * lua_aux.c.
 * Each Lua-visible type lives in its own lua_<type>.c; the command line that
 * runs Lua is lua_cli.c.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <ombuds/plugin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lualib.h>

#include "ffi_bridge.h"
#include "lua_int.h"
#include "paths.h"
#include "plugin_loader.h"
#include "output.h"
#include "pretty.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

/* ---- plugins ------------------------------------------------------------------------- */

static void set_str(lua_State *L, const char *k, const char *v)
{
    if (!v) return;
    lua_pushstring(L, v);
    lua_setfield(L, -2, k);
}

/* ombuds.plugins() -> Result of name, kind, version, abi, path, description. */
static int l_plugins(lua_State *L)
{
    const omb_registry *reg = omb_lua_registry(L);
    static const char *const cols[] = {"name", "kind", "version", "abi", "path", "description"};
    lua_createtable(L, 6, 0);
    for (int i = 0; i < 6; i++) {
        lua_pushstring(L, cols[i]);
        lua_rawseti(L, -2, i + 1);
    }
    lua_createtable(L, (int)reg->n, 0);
    for (size_t i = 0; i < reg->n; i++) {
        const struct omb_plugin *d = reg->plugins[i].desc;
        lua_createtable(L, 0, 6);
        set_str(L, "name", d->name);
        set_str(L, "kind", d->kind == OMB_PLUGIN_SOURCE ? "source" : d->kind == OMB_PLUGIN_METRIC ? "metric" : "?");
        set_str(L, "version", d->version);
        lua_pushinteger(L, (lua_Integer)d->abi_version);
        lua_setfield(L, -2, "abi");
        set_str(L, "path", reg->plugins[i].path);
        set_str(L, "description", d->description);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    omb_lua_result_new(L);
    return 1;
}

/* ombuds.plugin_errors() -> list of "path: reason" for plugins not loaded. */
static int l_plugin_errors(lua_State *L)
{
    const omb_registry *reg = omb_lua_registry(L);
    lua_createtable(L, (int)reg->n_errors, 0);
    for (size_t i = 0; i < reg->n_errors; i++) {
        lua_pushstring(L, reg->errors[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* ---- the module functions ---------------------------------------------------------- */

/* ombuds.open(path [, {readonly = true}]) */
static int l_open(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    int flags = 0;
    if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        lua_getfield(L, 2, "readonly");
        if (lua_toboolean(L, -1)) flags |= OMB_STORE_READONLY;
        lua_pop(L, 1);
    }
    omb_lua_store_open(L, path, flags);
    return 1;
}

/* ombuds.pretty(v [, {width=, depth=, items=, rows=}]) -> string */
static int l_pretty(lua_State *L)
{
    luaL_checkany(L, 1);
    struct omb_pretty_opts o;
    omb_pretty_defaults(&o, 80, 0);
    if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        if (lua_getfield(L, 2, "width") != LUA_TNIL) o.width = (int)luaL_checkinteger(L, -1);
        if (lua_getfield(L, 2, "depth") != LUA_TNIL) o.depth = (int)luaL_checkinteger(L, -1);
        if (lua_getfield(L, 2, "items") != LUA_TNIL) o.items = (int)luaL_checkinteger(L, -1);
        if (lua_getfield(L, 2, "rows") != LUA_TNIL) o.max_rows = (size_t)luaL_checkinteger(L, -1);
        lua_pop(L, 4);
        luaL_argcheck(L, o.depth > 0 && o.items > 0 && o.width >= 0, 2, "depth and items must be positive");
    }
    omb_pretty_value(L, 1, &o);
    return 1;
}

/* ombuds.pounds(pence) -> "£1,234.50": money for people, written by the
 * renderer's rule (output.c), a fractional value rounded to the penny. */
static int l_pounds(lua_State *L)
{
    char buf[64];
    int64_t p = lua_isinteger(L, 1) ? (int64_t)lua_tointeger(L, 1) : omb_out_round_pence((double)luaL_checknumber(L, 1));
    omb_out_money(buf, sizeof buf, p);
    lua_pushstring(L, buf);
    return 1;
}

static int l_json(lua_State *L)
{
    luaL_checkany(L, 1);
    omb_pretty_json(L, 1, 0);
    return 1;
}

static int l_parse_json(lua_State *L)
{
    size_t n;
    const char *s = luaL_checklstring(L, 1, &n);
    omb_lua_json_decode(L, s, n);
    return 1;
}

/* Metric functions run against the store bound to the global `db`, so
 * `.open` and `db = ombuds.open(...)` redirect them too. */
static sqlite3 *metrics_store(lua_State *L, void *ud)
{
    (void)ud;
    lua_getglobal(L, "db");
    omb_store *st = omb_lua_test_store(L, -1);
    lua_pop(L, 1);
    return st ? omb_store_db(st) : NULL;
}

int luaopen_ombuds(lua_State *L)
{
    static const luaL_Reg funcs[] = {{"open", l_open},         {"plugins", l_plugins}, {"plugin_errors", l_plugin_errors},        {"pretty", l_pretty},
                                     {"json", l_json},         {"parse_json", l_parse_json}, {"pounds", l_pounds},
                                     {NULL, NULL}};
    omb_lua_open_store(L);
    omb_lua_open_result(L);
    omb_lua_open_case(L);
    luaL_newlib(L, funcs);
    lua_pushliteral(L, PACKAGE_VERSION);
    lua_setfield(L, -2, "version");
    lua_pushinteger(L, OMB_PLUGIN_ABI_VERSION);
    lua_setfield(L, -2, "abi");
    omb_lua_push_metrics(L, omb_lua_registry(L), metrics_store, NULL);
    lua_setfield(L, -2, "metrics");
    return 1;
}

/* ---- the state ---------------------------------------------------------------------- */

/* Appends one directory's templates, or a template as given. */
static void add_path_item(lua_State *L, luaL_Buffer *b, const char *item, size_t n)
{
    if (!n) return;
    if (memchr(item, '?', n)) {
        luaL_addlstring(b, item, n);
    } else {
        luaL_addlstring(b, item, n);
        luaL_addstring(b, "/?.lua;");
        luaL_addlstring(b, item, n);
        luaL_addstring(b, "/?/init.lua");
    }
    luaL_addchar(b, ';');
    (void)L;
}

void omb_lua_openlibs(lua_State *L)
{
    luaL_openlibs(L);
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
    lua_pushcfunction(L, luaopen_ombuds);
    lua_setfield(L, -2, "ombuds");
    lua_pop(L, 1);
    lua_getglobal(L, "package");
    lua_getfield(L, -1, "path");
    const char *old = lua_tostring(L, -1);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    const char *env = getenv("OMBUDS_LUA_PATH");
    if (env) {
        const char *p = env;
        while (*p) {
            const char *e = strchr(p, ';');
            size_t n = e ? (size_t)(e - p) : strlen(p);
            add_path_item(L, &b, p, n);
            p += n;
            if (*p) p++;
        }
    }
    const char *dirs[4];
    for (size_t i = 0, n = omb_script_dirs(dirs, 4); i < n; i++) add_path_item(L, &b, dirs[i], strlen(dirs[i]));
    luaL_addstring(&b, old ? old : "./?.lua");
    luaL_pushresult(&b);
    lua_setfield(L, -3, "path");
    lua_pop(L, 2);
}

/* ---- --safe ----------------------------------------------------------------------------- */

static int refuse(lua_State *L)
{
    return luaL_error(L, "%s is not allowed in --safe mode", lua_tostring(L, lua_upvalueindex(1)));
}

static void set_refusal(lua_State *L, int t, const char *field, const char *name)
{
    lua_pushstring(L, name);
    lua_pushcclosure(L, refuse, 1);
    lua_setfield(L, t, field);
}

/* io.open(name, mode): reading only. */
static int safe_io_open(lua_State *L)
{
    const char *mode = luaL_optstring(L, 2, "r");
    if (strpbrk(mode, "wa+")) return luaL_error(L, "io.open: writing files is not allowed in --safe mode");
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

/* io.output(file): a file name would open it for writing. */
static int safe_io_output(lua_State *L)
{
    if (lua_type(L, 1) == LUA_TSTRING) return luaL_error(L, "io.output: writing files is not allowed in --safe mode");
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

/* load(chunk, name, mode, env) with mode forced to text: binary chunks can
 * crash the virtual machine, which --safe promises not to allow. */
static int safe_load(lua_State *L)
{
    int mode_arg = (int)lua_tointeger(L, lua_upvalueindex(2));
    if (lua_gettop(L) < mode_arg) lua_settop(L, mode_arg);
    lua_pushliteral(L, "t");
    lua_replace(L, mode_arg);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

static int safe_dofile(lua_State *L)
{
    const char *name = luaL_optstring(L, 1, NULL);
    lua_settop(L, 1);
    if (luaL_loadfilex(L, name, "t") != LUA_OK) return lua_error(L);
    lua_call(L, 0, LUA_MULTRET);
    return lua_gettop(L) - 1;
}

/* package.searchers[2] for --safe: Lua source files only. */
static int safe_searcher(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    lua_getglobal(L, "package");
    lua_getfield(L, -1, "searchpath");
    lua_pushstring(L, name);
    lua_getfield(L, -3, "path");
    lua_call(L, 2, 2);
    if (lua_isnil(L, -2)) return 1; /* the message */
    const char *file = lua_tostring(L, -2);
    if (luaL_loadfilex(L, file, "t") != LUA_OK)
        return luaL_error(L, "error loading module '%s' from file '%s':\n\t%s", name, file, lua_tostring(L, -1));
    lua_pushstring(L, file);
    return 2;
}

static void wrap(lua_State *L, int t, const char *field, lua_CFunction f, int extra)
{
    lua_getfield(L, t, field);
    if (extra) lua_pushinteger(L, extra);
    lua_pushcclosure(L, f, extra ? 2 : 1);
    lua_setfield(L, t, field);
}

void omb_lua_make_safe(lua_State *L)
{
    lua_pushboolean(L, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, OMB_LUA_KEY_SAFE);
    lua_pushglobaltable(L);
    int g = lua_gettop(L);
    wrap(L, g, "load", safe_load, 3);
    wrap(L, g, "loadfile", safe_load, 2);
    lua_pushcfunction(L, safe_dofile);
    lua_setfield(L, g, "dofile");
    lua_getglobal(L, "os");
    int os = lua_gettop(L);
    set_refusal(L, os, "execute", "os.execute");
    set_refusal(L, os, "remove", "os.remove");
    set_refusal(L, os, "rename", "os.rename");
    set_refusal(L, os, "tmpname", "os.tmpname");
    lua_getglobal(L, "io");
    int io = lua_gettop(L);
    set_refusal(L, io, "popen", "io.popen");
    set_refusal(L, io, "tmpfile", "io.tmpfile");
    wrap(L, io, "open", safe_io_open, 0);
    wrap(L, io, "output", safe_io_output, 0);
    lua_getglobal(L, "package");
    int pkg = lua_gettop(L);
    set_refusal(L, pkg, "loadlib", "package.loadlib");
    lua_pushliteral(L, "");
    lua_setfield(L, pkg, "cpath");
    lua_createtable(L, 2, 0); /* searchers: preload, then Lua source only */
    lua_getfield(L, pkg, "searchers");
    lua_rawgeti(L, -1, 1);
    lua_rawseti(L, -3, 1);
    lua_pop(L, 1);
    lua_pushcfunction(L, safe_searcher);
    lua_rawseti(L, -2, 2);
    lua_setfield(L, pkg, "searchers");
    /* debug reaches every upvalue and the registry, i.e. around all of the above */
    lua_getfield(L, pkg, "loaded");
    lua_pushnil(L);
    lua_setfield(L, -2, "debug");
    lua_pushnil(L);
    lua_setfield(L, g, "debug");
    lua_settop(L, g - 1);
}
