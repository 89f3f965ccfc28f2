/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * lua_metric.c -- metric functions as Lua functions (omb_lua_push_metrics,
 * declared in lua_int.h) and the ombuds.MetricTable type that table-valued
 * metrics return.  One C closure serves every metric: it converts the Lua
 * arguments by the signature letters before anything is acquired, so a
 * wrong argument raises with nothing to leak, and no Lua error can cross
 * ffi_call (metrics never see lua_State).  The result lands in a userdata
 * box with __gc before any Lua call that could raise, since a raise
 * longjmps past C clean-up.  The call itself
 * is ffi_bridge.c; the module that exposes the table is lua_module.c.
 */
#define _GNU_SOURCE
#include <lauxlib.h>
#include <lua.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "ffi_bridge.h"
#include "lua_int.h"
#include "output.h"

#define MT_TABLE "ombuds.MetricTable"
#define MT_BOX "ombuds.MetricResult" /* internal: owns a scalar result until it is pushed */

/* What a call returned, owned by a userdata so a raising Lua call cannot
 * leak it.  For `t` functions the box is the MetricTable itself. */
struct box {
    omb_mtable *t;
    char *s;
    char name[72]; /* the metric, for __tostring and chart titles */
};

struct store_cb {
    omb_lua_store_fn fn;
    void *ud;
};

static int box_gc(lua_State *L)
{
    struct box *b = lua_touserdata(L, 1);
    if (b) {
        omb_mtable_free(b->t);
        free(b->s);
        b->t = NULL;
        b->s = NULL;
    }
    return 0;
}

static omb_mtable *check_table(lua_State *L, int i)
{
    struct box *b = luaL_checkudata(L, i, MT_TABLE);
    if (!b->t) luaL_error(L, "attempt to use a closed metric table");
    return b->t;
}

/* ---- calling ------------------------------------------------------------------- */

static int arg_error(lua_State *L, const struct omb_ffi_fn *f, int k, const char *got)
{
    char label[64];
    return luaL_error(L, "bad argument #%s to '%s' (%s expected, got %s)", omb_ffi_arg_label(f, k, label, sizeof label),
                      f->name, omb_ffi_type_name(f->args[k]), got);
}

static int l_metric_call(lua_State *L)
{
    const struct omb_ffi_fn *f = lua_touserdata(L, lua_upvalueindex(1));
    const struct store_cb *cb = lua_touserdata(L, lua_upvalueindex(2));
    union omb_ffi_arg args[OMB_FFI_MAX_ARGS];
    char err[640];
    int top = lua_gettop(L);
    if (top > f->n_args)
        return luaL_error(L, "too many arguments to '%s' (it takes %d: signature \"%s\")", f->name, f->n_args,
                          f->signature);
    /* every conversion first: all raising happens before anything is held */
    for (int k = 0; k < f->n_args; k++) {
        int i = k + 1, t = lua_type(L, i);
        switch (f->args[k]) {
        case 'b':
            if (t != LUA_TBOOLEAN) return arg_error(L, f, k, t == LUA_TNONE ? "no value" : luaL_typename(L, i));
            args[k].b = lua_toboolean(L, i);
            break;
        case 'i':
        case 'I': {
            int isnum;
            lua_Integer v = lua_tointegerx(L, i, &isnum);
            if (!isnum || t != LUA_TNUMBER) {
                if (t == LUA_TNUMBER) return arg_error(L, f, k, "a number with a fraction");
                return arg_error(L, f, k, t == LUA_TNONE ? "no value" : luaL_typename(L, i));
            }
            if (f->args[k] == 'i' && (v < INT32_MIN || v > INT32_MAX)) return arg_error(L, f, k, "an integer out of range");
            if (f->args[k] == 'i') args[k].i = (int32_t)v;
            else args[k].I = (int64_t)v;
            break;
        }
        case 'd':
            if (t != LUA_TNUMBER) return arg_error(L, f, k, t == LUA_TNONE ? "no value" : luaL_typename(L, i));
            args[k].d = (double)lua_tonumber(L, i);
            break;
        default: /* s: nil passes NULL ("not given") */
            if (t == LUA_TNIL || t == LUA_TNONE) args[k].s = NULL;
            else if (t == LUA_TSTRING) args[k].s = lua_tostring(L, i);
            else return arg_error(L, f, k, luaL_typename(L, i));
        }
    }
    sqlite3 *db = cb && cb->fn ? cb->fn(L, cb->ud) : NULL;
    struct box *b = lua_newuserdatauv(L, sizeof *b, 0);
    memset(b, 0, sizeof *b);
    snprintf(b->name, sizeof b->name, "%s", f->name);
    luaL_setmetatable(L, f->ret == 't' ? MT_TABLE : MT_BOX);
    struct omb_ffi_result res;
    if (omb_ffi_call(f, db, args, &res, err, sizeof err)) return luaL_error(L, "%s", err);
    b->t = res.table;
    b->s = res.s;
    switch (f->ret) {
    case 'v': return 0;
    case 'b': lua_pushboolean(L, res.i != 0); return 1;
    case 'i':
    case 'I': lua_pushinteger(L, (lua_Integer)res.i); return 1;
    case 'd':
        if (isnan(res.d)) lua_pushnil(L);
        else lua_pushnumber(L, (lua_Number)res.d);
        return 1;
    case 's':
        if (b->s) lua_pushstring(L, b->s);
        else lua_pushnil(L);
        return 1;
    default: return 1; /* t: the box itself, already on top */
    }
}

/* ---- ombuds.MetricTable methods ---------------------------------------------- */

/* A money column (*_pence) holds whole pence in Lua as in CSV and JSON: a
 * mean or trend is rounded to the penny here (docs/metrics.md), so a
 * script's figure is the one `ombuds metric` prints. */
static void push_cell(lua_State *L, const struct omb_cell *c, int money)
{
    switch (c->type) {
    case OMB_VALUE_INT: lua_pushinteger(L, (lua_Integer)c->i); break;
    case OMB_VALUE_REAL:
        if (money && isfinite(c->d)) lua_pushinteger(L, (lua_Integer)omb_out_round_pence(c->d));
        else lua_pushnumber(L, c->d);
        break;
    case OMB_VALUE_TEXT: lua_pushstring(L, c->s); break;
    default: lua_pushnil(L);
    }
}

static void push_row(lua_State *L, const omb_mtable *t, size_t r)
{
    lua_createtable(L, 0, t->n_cols);
    for (int c = 0; c < t->n_cols; c++) {
        push_cell(L, omb_mtable_cell(t, r, c), omb_out_is_money(t->names[c]));
        lua_setfield(L, -2, t->names[c]);
    }
}

static int l_table_rows(lua_State *L)
{
    const omb_mtable *t = check_table(L, 1);
    lua_createtable(L, (int)t->n_rows, 0);
    for (size_t r = 0; r < t->n_rows; r++) {
        push_row(L, t, r);
        lua_rawseti(L, -2, (lua_Integer)r + 1);
    }
    return 1;
}

static int l_table_columns(lua_State *L)
{
    const omb_mtable *t = check_table(L, 1);
    lua_createtable(L, t->n_cols, 0);
    for (int c = 0; c < t->n_cols; c++) {
        lua_pushstring(L, t->names[c]);
        lua_rawseti(L, -2, c + 1);
    }
    return 1;
}

static int l_table_coverage(lua_State *L)
{
    const omb_mtable *t = check_table(L, 1);
    lua_createtable(L, (int)t->n_cov, 0);
    for (size_t k = 0; k < t->n_cov; k++) {
        lua_createtable(L, 0, 3);
        lua_pushinteger(L, t->cov[k].used);
        lua_setfield(L, -2, "used");
        lua_pushinteger(L, t->cov[k].lacking);
        lua_setfield(L, -2, "lacking");
        lua_pushstring(L, t->cov[k].what);
        lua_setfield(L, -2, "what");
        lua_rawseti(L, -2, (lua_Integer)k + 1);
    }
    return 1;
}

/* t:coverage_text(): the coverage in the words printed under the table
 * ("8 cases used; 2 left out: 1 lacking a decision date, ..."), one string
 * per line, so a script states it as `ombuds metric` does. */
static int l_table_coverage_text(lua_State *L)
{
    const omb_mtable *t = check_table(L, 1);
    char buf[1024];
    lua_newtable(L);
    lua_Integer i = 0;
    for (size_t k = 0; omb_mtable_coverage_text(t, &k, buf, sizeof buf);) {
        lua_pushstring(L, buf);
        lua_rawseti(L, -2, ++i);
    }
    return 1;
}

static int l_table_notes(lua_State *L)
{
    const omb_mtable *t = check_table(L, 1);
    lua_createtable(L, (int)t->n_notes, 0);
    for (size_t k = 0; k < t->n_notes; k++) {
        lua_pushstring(L, t->notes[k]);
        lua_rawseti(L, -2, (lua_Integer)k + 1);
    }
    return 1;
}

/* A box for text being rendered: created before the render so the buffer
 * is owned by a userdata with __gc while Lua copies it, so a raise cannot
 * leak it. */
static struct box *new_text_box(lua_State *L)
{
    struct box *b = lua_newuserdatauv(L, sizeof *b, 0);
    memset(b, 0, sizeof *b);
    luaL_setmetatable(L, MT_BOX);
    return b;
}

/* Replaces the box on top of the stack by the string it holds. */
static int push_box_text(lua_State *L, struct box *b, size_t n)
{
    lua_pushlstring(L, b->s ? b->s : "", n);
    free(b->s);
    b->s = NULL;
    lua_remove(L, -2);
    return 1;
}

static int push_render_width(lua_State *L, const omb_mtable *t, int format, int with_meta, int width)
{
    char err[256];
    size_t n = 0;
    struct box *b = new_text_box(L);
    FILE *m = open_memstream(&b->s, &n);
    if (!m) return luaL_error(L, "out of memory");
    int rc = omb_mtable_print(m, NULL, t, format, width, err, sizeof err);
    if (rc == OMB_OK && with_meta && format != OMB_OUT_TABLE) omb_mtable_print_meta(m, t, 0);
    fclose(m);
    if (rc) return luaL_error(L, "%s", err);
    return push_box_text(L, b, n);
}

static int push_render(lua_State *L, const omb_mtable *t, int format, int with_meta)
{
    return push_render_width(L, t, format, with_meta, 0);
}

/* __pretty(t, width, color, max_rows, compact): the console shows a metric
 * table fitted to its width (identifiers whole, text shrinking) with its
 * coverage and notes under it. */
static int l_table_pretty(lua_State *L)
{
    const omb_mtable *t = check_table(L, 1);
    if (lua_toboolean(L, 5)) {
        luaL_tolstring(L, 1, NULL);
        return 1;
    }
    return push_render_width(L, t, OMB_OUT_TABLE, 1, (int)luaL_optinteger(L, 2, 0));
}

static int l_table_csv(lua_State *L) { return push_render(L, check_table(L, 1), OMB_OUT_CSV, 0); }
static int l_table_json(lua_State *L) { return push_render(L, check_table(L, 1), OMB_OUT_JSON, 0); }
static int l_table_text(lua_State *L) { return push_render(L, check_table(L, 1), OMB_OUT_TABLE, 1); }

/* t:chart([opts]) -- opts.value: the column; opts.svg: write an SVG file
 * there and return true; opts.plain: force ASCII.  Without svg returns the
 * terminal chart as a string. */
static int l_table_chart(lua_State *L)
{
    const omb_mtable *t = check_table(L, 1);
    struct box *b = lua_touserdata(L, 1);
    const char *value = NULL, *svg = NULL, *title = NULL;
    int plain = -1, width = 80;
    char err[256];
    if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        lua_getfield(L, 2, "value");
        value = luaL_optstring(L, -1, NULL);
        lua_getfield(L, 2, "svg");
        svg = luaL_optstring(L, -1, NULL);
        lua_getfield(L, 2, "title");
        title = luaL_optstring(L, -1, NULL);
        lua_getfield(L, 2, "plain");
        if (!lua_isnil(L, -1)) plain = lua_toboolean(L, -1);
        lua_getfield(L, 2, "width");
        width = (int)luaL_optinteger(L, -1, 80);
        lua_pop(L, 5); /* strings stay alive: the opts table holds them */
    }
    struct omb_chart_spec sp;
    if (omb_chart_pick(t, value, &sp, err, sizeof err)) return luaL_error(L, "%s: chart: %s", b->name, err);
    if (svg) {
        FILE *f = fopen(svg, "w");
        if (!f) return luaL_error(L, "%s: chart: cannot write %s: %s", b->name, svg, strerror(errno));
        int rc = omb_chart_svg(f, t, &sp, title ? title : b->name);
        if (fclose(f) != 0 || rc) return luaL_error(L, "%s: writing %s failed", b->name, svg);
        lua_pushboolean(L, 1);
        return 1;
    }
    size_t n = 0;
    struct box *tb = new_text_box(L);
    FILE *m = open_memstream(&tb->s, &n);
    if (!m) return luaL_error(L, "out of memory");
    int rc = omb_chart_terminal(m, t, &sp, plain >= 0 ? plain : omb_lua_chart_plain(L), width);
    fclose(m);
    if (rc) return luaL_error(L, "out of memory");
    return push_box_text(L, tb, n);
}

static int l_table_len(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)check_table(L, 1)->n_rows);
    return 1;
}

static int l_table_index(lua_State *L)
{
    const omb_mtable *t = check_table(L, 1);
    if (lua_type(L, 2) == LUA_TNUMBER) {
        lua_Integer r = lua_tointeger(L, 2);
        if (r < 1 || (size_t)r > t->n_rows) return 0;
        push_row(L, t, (size_t)r - 1);
        return 1;
    }
    /* methods */
    lua_getmetatable(L, 1);
    lua_getfield(L, -1, "__methods");
    lua_pushvalue(L, 2);
    lua_rawget(L, -2);
    return 1;
}

static int l_table_tostring(lua_State *L)
{
    struct box *b = luaL_checkudata(L, 1, MT_TABLE);
    if (!b->t) {
        lua_pushstring(L, "ombuds.MetricTable (closed)");
        return 1;
    }
    return push_render(L, b->t, OMB_OUT_TABLE, 1);
}

static const luaL_Reg table_methods[] = {
    {"rows", l_table_rows},     {"columns", l_table_columns}, {"coverage", l_table_coverage},
    {"coverage_text", l_table_coverage_text}, {"notes", l_table_notes},   {"csv", l_table_csv},         {"json", l_table_json},
    {"text", l_table_text},     {"chart", l_table_chart},     {NULL, NULL},
};

static void create_metatables(lua_State *L)
{
    static const luaL_Reg table_meta[] = {
        {"__gc", box_gc},           {"__close", box_gc},
        {"__len", l_table_len},     {"__index", l_table_index},
        {"__tostring", l_table_tostring}, {"__pretty", l_table_pretty},
        {NULL, NULL},
    };
    if (luaL_newmetatable(L, MT_TABLE)) {
        luaL_setfuncs(L, table_meta, 0);
        luaL_newlib(L, table_methods);
        lua_setfield(L, -2, "__methods");
    }
    lua_pop(L, 1);
    if (luaL_newmetatable(L, MT_BOX)) {
        lua_pushcfunction(L, box_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_pop(L, 1);
}

int omb_lua_push_metrics(lua_State *L, const omb_registry *reg, omb_lua_store_fn store, void *ud)
{
    create_metatables(L);
    lua_newtable(L);
    struct store_cb *cb = lua_newuserdatauv(L, sizeof *cb, 0);
    cb->fn = store;
    cb->ud = ud;
    int cb_idx = lua_gettop(L);
    for (size_t i = 0; i < reg->n; i++) {
        const struct omb_ffi_plugin *p = reg->plugins[i].metrics;
        for (size_t k = 0; p && k < p->n; k++) {
            const struct omb_ffi_fn *f = &p->fns[k];
            if (omb_ffi_find(reg, f->name) != f) continue;
            lua_pushlightuserdata(L, (void *)f);
            lua_pushvalue(L, cb_idx); /* the full userdata keeps cb alive with the closures */
            lua_pushcclosure(L, l_metric_call, 2);
            lua_setfield(L, cb_idx - 1, f->name);
        }
    }
    lua_pop(L, 1); /* cb */
    return 1;
}
