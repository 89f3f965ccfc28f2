/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * lua_plugin.c -- source-format plugins written in Lua.  A file NAME.lua in a
 * plugin directory returns a table
 *
 *     { name = "...", version = "...", description = "...", rank = 40,
 *       probe = function(text, filename) return 0..100 end,
 *       parse = function(text, emit, doc) ... emit{ref = ..., ...} ... end }
 *
 * Each plugin gets its own small Lua state with only the base, string, table,
 * math and utf8 libraries (a parser needs no files or processes).  emit hands
 * one case to the core through the same host table the C plugins use, so the
 * rules are the same: one transaction per document, provenance by line,
 * normalisation in the core.  The loader (plugin_loader.c) decides which files
 * are Lua plugins; the Lua console is lua_module.c.
 *
 * Documents are probed and parsed on several threads at once
 * (ingest_pipeline.c), and a Lua state takes one thread at a time: each
 * plugin's calls are serialised by a mutex of its own, so C plugins still run
 * in parallel beside it.
 */
#include "lua_plugin.h"

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sink.h"

struct omb_lua_plugin {
    lua_State *L;
    pthread_mutex_t mu;       /* held while L runs (see the header) */
    int probe_ref, parse_ref; /* registry references to the two functions */
    char *name, *version, *description, *path;
    struct omb_source_ops ops;  /* probe/parse NULL: calls go through this file */
    struct omb_plugin desc;     /* what the registry lists */
};

/* The context of one parse, reached by emit through an upvalue. */
struct parse_ctx {
    const struct omb_host *h;
    omb_sink *sink;
    int status; /* first non-zero host status; emit raises after it */
};

static char *dup_lua_string(lua_State *L, int idx)
{
    size_t n;
    const char *s = lua_tolstring(L, idx, &n);
    char *d = malloc(n + 1);
    if (d) memcpy(d, s, n + 1);
    return d;
}

static int valid_name(const char *s)
{
    if (!s || !*s || strlen(s) > 64) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_')) return 0;
    return 1;
}

static void open_safe_libs(lua_State *L)
{
    static const luaL_Reg libs[] = {{LUA_GNAME, luaopen_base},      {LUA_STRLIBNAME, luaopen_string},
                                    {LUA_TABLIBNAME, luaopen_table}, {LUA_MATHLIBNAME, luaopen_math},
                                    {LUA_UTF8LIBNAME, luaopen_utf8}, {NULL, NULL}};
    for (const luaL_Reg *l = libs; l->func; l++) {
        luaL_requiref(L, l->name, l->func, 1);
        lua_pop(L, 1);
    }
    /* base would still load files: a parser has no business doing so */
    lua_pushnil(L);
    lua_setglobal(L, "dofile");
    lua_pushnil(L);
    lua_setglobal(L, "loadfile");
}

void omb_lua_plugin_free(struct omb_lua_plugin *lp)
{
    if (!lp) return;
    if (lp->L) lua_close(lp->L);
    pthread_mutex_destroy(&lp->mu);
    free(lp->name);
    free(lp->version);
    free(lp->description);
    free(lp->path);
    free(lp);
}

int omb_lua_plugin_load(const char *path, struct omb_lua_plugin **out, char *reason, size_t cap)
{
    *out = NULL;
    struct omb_lua_plugin *lp = calloc(1, sizeof *lp);
    if (!lp || !(lp->L = luaL_newstate())) {
        free(lp);
        snprintf(reason, cap, "out of memory");
        return OMB_ENOMEM;
    }
    pthread_mutex_init(&lp->mu, NULL);
    lua_State *L = lp->L;
    open_safe_libs(L);
    if (luaL_loadfilex(L, path, "t") != LUA_OK || lua_pcall(L, 0, 1, 0) != LUA_OK) {
        snprintf(reason, cap, "Lua plugin does not load: %s", lua_tostring(L, -1));
        goto fail;
    }
    if (!lua_istable(L, -1)) {
        snprintf(reason, cap, "Lua plugin must return a table {name=, version=, description=, probe=, parse=}");
        goto fail;
    }
    lua_getfield(L, -1, "name");
    if (!lua_isstring(L, -1) || !valid_name(lua_tostring(L, -1))) {
        snprintf(reason, cap, "Lua plugin name must be a string of [a-z0-9_]+ (at most 64 characters)");
        goto fail;
    }
    lp->name = dup_lua_string(L, -1);
    lua_pop(L, 1);
    lua_getfield(L, -1, "version");
    lp->version = lua_isstring(L, -1) ? dup_lua_string(L, -1) : strdup("0");
    lua_pop(L, 1);
    lua_getfield(L, -1, "description");
    lp->description = lua_isstring(L, -1) ? dup_lua_string(L, -1) : strdup("");
    lua_pop(L, 1);
    lua_getfield(L, -1, "rank");
    lp->ops.rank = lua_isinteger(L, -1) ? (int)lua_tointeger(L, -1) : 40;
    lua_pop(L, 1);
    lua_getfield(L, -1, "probe");
    if (!lua_isfunction(L, -1)) {
        snprintf(reason, cap, "Lua plugin '%s' has no probe function", lp->name);
        goto fail;
    }
    lp->probe_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_getfield(L, -1, "parse");
    if (!lua_isfunction(L, -1)) {
        snprintf(reason, cap, "Lua plugin '%s' has no parse function", lp->name);
        goto fail;
    }
    lp->parse_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pop(L, 1);
    lp->path = strdup(path);
    if (!lp->version || !lp->description || !lp->path) {
        snprintf(reason, cap, "out of memory");
        goto fail;
    }
    lp->desc.abi_version = OMB_PLUGIN_ABI_VERSION;
    lp->desc.struct_size = sizeof lp->desc;
    lp->desc.kind = OMB_PLUGIN_SOURCE;
    lp->desc.name = lp->name;
    lp->desc.version = lp->version;
    lp->desc.description = lp->description;
    lp->desc.ops = &lp->ops;
    *out = lp;
    return OMB_OK;
fail:
    omb_lua_plugin_free(lp);
    return OMB_EPLUGIN;
}

const struct omb_plugin *omb_lua_plugin_descriptor(const struct omb_lua_plugin *lp) { return &lp->desc; }

int omb_lua_plugin_probe(struct omb_lua_plugin *lp, const char *text, size_t len, const char *filename)
{
    lua_State *L = lp->L;
    pthread_mutex_lock(&lp->mu);
    int top = lua_gettop(L);
    lua_rawgeti(L, LUA_REGISTRYINDEX, lp->probe_ref);
    lua_pushlstring(L, text, len);
    lua_pushstring(L, filename ? filename : "");
    int score = 0;
    /* a probe that fails simply does not claim the document */
    if (lua_pcall(L, 2, 1, 0) == LUA_OK && lua_isnumber(L, -1)) {
        lua_Number v = lua_tonumber(L, -1);
        score = v < 0 ? 0 : v > 100 ? 100 : (int)v;
    }
    lua_settop(L, top);
    pthread_mutex_unlock(&lp->mu);
    return score;
}

/* ---- emit ---------------------------------------------------------------------- */

static const struct {
    const char *key;
    enum omb_field field;
} emit_fields[] = {
    {"ref", OMB_FIELD_REF},
    {"authority", OMB_FIELD_AUTHORITY},
    {"category", OMB_FIELD_CATEGORY},
    {"subcategory", OMB_FIELD_SUBCATEGORY},
    {"outcome", OMB_FIELD_OUTCOME},
    {"decision_date", OMB_FIELD_DECISION_DATE},
    {"summary", OMB_FIELD_SUMMARY},
    {"row_key", OMB_FIELD_ROW_KEY},
    {"council_subject", OMB_FIELD_COUNCIL_SUBJECT},
};

static int remedy_kind(const char *s)
{
    static const char *const names[] = {"apology", "payment", "waiver", "service", "other"};
    for (int i = 0; i < 5; i++)
        if (!strcmp(s, names[i])) return i + 1;
    return 0;
}

/* The byte offset of a 1-based line, for host calls (which take offsets). */
static size_t offset_of(omb_sink *s, lua_Integer line)
{
    return omb_sink_offset_of_line(s, line < 1 ? 1 : (size_t)line);
}

/* Reads t[key] as a line number, or dflt. Leaves the stack as it was. */
static lua_Integer line_field(lua_State *L, int t, const char *key, lua_Integer dflt)
{
    lua_getfield(L, t, key);
    lua_Integer v = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : dflt;
    lua_pop(L, 1);
    return v;
}

/* Checks the whole case table before anything is handed to the core, so a
 * mistake raises a Lua error while no builder is open: the raise then
 * leaves no half-built case behind. */
static void check_case(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    for (size_t i = 0; i < sizeof emit_fields / sizeof emit_fields[0]; i++) {
        int t = lua_getfield(L, 1, emit_fields[i].key);
        if (t != LUA_TNIL && t != LUA_TSTRING) luaL_error(L, "emit: field '%s' must be a string", emit_fields[i].key);
        lua_pop(L, 1);
    }
    int t = lua_getfield(L, 1, "remedies");
    if (t != LUA_TNIL) {
        if (t != LUA_TTABLE) luaL_error(L, "emit: 'remedies' must be a list of tables");
        for (lua_Integer i = 1; lua_rawgeti(L, -1, i) != LUA_TNIL; i++) {
            if (!lua_istable(L, -1)) luaL_error(L, "emit: remedies[%d] must be a table", (int)i);
            lua_getfield(L, -1, "kind");
            if (!lua_isstring(L, -1) || !remedy_kind(lua_tostring(L, -1)))
                luaL_error(L, "emit: remedies[%d].kind must be apology, payment, waiver, service or other", (int)i);
            lua_pop(L, 1);
            lua_getfield(L, -1, "amount_pence");
            if (!lua_isnil(L, -1) && !lua_isinteger(L, -1))
                luaL_error(L, "emit: remedies[%d].amount_pence must be an integer (pence)", (int)i);
            lua_pop(L, 1);
            lua_getfield(L, -1, "paid_before");
            if (!lua_isnil(L, -1) && !lua_isboolean(L, -1))
                luaL_error(L, "emit: remedies[%d].paid_before must be a boolean", (int)i);
            lua_pop(L, 2);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    static const char *const lists[] = {"improvements", "events"};
    for (int k = 0; k < 2; k++) {
        t = lua_getfield(L, 1, lists[k]);
        if (t != LUA_TNIL && t != LUA_TTABLE) luaL_error(L, "emit: '%s' must be a list", lists[k]);
        lua_pop(L, 1);
    }
    t = lua_getfield(L, 1, "remedy_text");
    if (t != LUA_TNIL && t != LUA_TSTRING) luaL_error(L, "emit: 'remedy_text' must be a string");
    lua_pop(L, 1);
}

/* emit{...}: one case.  Returns nothing; raises when the table is wrong or
 * the core said stop. */
static int l_emit(lua_State *L)
{
    struct parse_ctx *ctx = lua_touserdata(L, lua_upvalueindex(1));
    if (ctx->status) return luaL_error(L, "emit: the core asked the plugin to stop (status %d)", ctx->status);
    check_case(L);
    const struct omb_host *h = ctx->h;
    lua_Integer line = line_field(L, 1, "line", 1);
    omb_builder *b = h->case_begin(ctx->sink, offset_of(ctx->sink, line));
    if (!b) return luaL_error(L, "emit: out of memory");
    int rc = OMB_OK;
    int has_lines = lua_getfield(L, 1, "lines") == LUA_TTABLE; /* per-field lines: lines = {outcome = 9} */
    for (size_t i = 0; i < sizeof emit_fields / sizeof emit_fields[0] && !rc; i++) {
        size_t n;
        lua_getfield(L, 1, emit_fields[i].key);
        const char *v = lua_tolstring(L, -1, &n);
        lua_Integer fl = has_lines ? line_field(L, 2, emit_fields[i].key, line) : line;
        if (v) rc = h->case_set(b, emit_fields[i].field, v, n, offset_of(ctx->sink, fl));
        lua_pop(L, 1);
    }
    lua_settop(L, 1);
    if (!rc && lua_getfield(L, 1, "remedies") == LUA_TTABLE) {
        for (lua_Integer i = 1; !rc && lua_rawgeti(L, -1, i) == LUA_TTABLE; i++) {
            lua_getfield(L, -1, "kind");
            int kind = remedy_kind(lua_tostring(L, -1));
            lua_getfield(L, -2, "amount_pence");
            int64_t pence = lua_isinteger(L, -1) ? (int64_t)lua_tointeger(L, -1) : OMB_AMOUNT_UNKNOWN;
            lua_getfield(L, -3, "purposes");
            char purposes[256] = "";
            if (lua_isstring(L, -1)) snprintf(purposes, sizeof purposes, "%s", lua_tostring(L, -1));
            else if (lua_istable(L, -1))
                for (lua_Integer k = 1; lua_rawgeti(L, -1, k) == LUA_TSTRING; k++) {
                    size_t used = strlen(purposes);
                    snprintf(purposes + used, sizeof purposes - used, "%s%s", used ? ";" : "", lua_tostring(L, -1));
                    lua_pop(L, 1);
                }
            lua_getfield(L, -4, "text");
            size_t tn = 0;
            const char *text = lua_tolstring(L, -1, &tn);
            lua_Integer rl = line_field(L, -5, "line", line);
            lua_getfield(L, 3, "paid_before"); /* 3: this remedy's table (1 case, 2 the list) */
            struct omb_remedy_in r = {sizeof r, kind, pence, purposes, text ? text : "", text ? tn : 0,
                                      offset_of(ctx->sink, rl), lua_toboolean(L, -1) ? OMB_REMEDY_PAID_BEFORE : 0};
            rc = h->case_add_remedy_in(b, &r);
            lua_settop(L, 2); /* back to: case table, remedies list */
        }
        lua_settop(L, 1);
    } else {
        lua_settop(L, 1);
    }
    if (!rc && lua_getfield(L, 1, "remedy_text") == LUA_TSTRING) {
        size_t n;
        const char *t = lua_tolstring(L, -1, &n);
        rc = h->case_extract_remedies(b, t, n, offset_of(ctx->sink, line_field(L, 1, "remedy_line", line)));
    }
    lua_settop(L, 1);
    if (!rc && lua_getfield(L, 1, "improvements") == LUA_TTABLE) {
        for (lua_Integer i = 1; !rc && lua_rawgeti(L, -1, i) != LUA_TNIL; i++) {
            size_t n = 0;
            const char *t = NULL;
            lua_Integer il = line;
            if (lua_isstring(L, -1)) t = lua_tolstring(L, -1, &n);
            else if (lua_istable(L, -1)) {
                il = line_field(L, -1, "line", line);
                lua_getfield(L, -1, "text");
                t = lua_tolstring(L, -1, &n);
            }
            if (t) rc = h->case_add_improvement(b, t, n, offset_of(ctx->sink, il));
            lua_settop(L, 2);
        }
    }
    lua_settop(L, 1);
    if (!rc && lua_getfield(L, 1, "events") == LUA_TTABLE) {
        for (lua_Integer i = 1; !rc && lua_rawgeti(L, -1, i) == LUA_TTABLE; i++) {
            size_t tn = 0, dn = 0;
            lua_getfield(L, -1, "type");
            const char *type = lua_tostring(L, -1);
            lua_getfield(L, -2, "date");
            const char *date = lua_tolstring(L, -1, &dn);
            lua_getfield(L, -3, "text");
            const char *text = lua_tolstring(L, -1, &tn);
            lua_Integer el = line_field(L, -4, "line", line);
            rc = h->case_add_event(b, type ? type : "other", date, date ? dn : 0, text ? text : "", text ? tn : 0,
                                   offset_of(ctx->sink, el));
            lua_settop(L, 2);
        }
    }
    lua_settop(L, 1);
    if (rc) {
        h->case_discard(b);
        ctx->status = rc;
        return luaL_error(L, "emit: the core refused the case (status %d)", rc);
    }
    if ((rc = h->case_end(b))) {
        ctx->status = rc;
        return luaL_error(L, "emit: the core asked the plugin to stop (status %d)", rc);
    }
    return 0;
}

/* doc.warn(line, message) */
static int l_warn(lua_State *L)
{
    struct parse_ctx *ctx = lua_touserdata(L, lua_upvalueindex(1));
    lua_Integer line = luaL_checkinteger(L, 1);
    const char *msg = luaL_checkstring(L, 2);
    ctx->h->warn(ctx->sink, offset_of(ctx->sink, line), "%s", msg);
    return 0;
}

/* doc.note(key, value, line) */
static int l_note(lua_State *L)
{
    struct parse_ctx *ctx = lua_touserdata(L, lua_upvalueindex(1));
    const char *key = luaL_checkstring(L, 1);
    size_t n;
    const char *value = luaL_checklstring(L, 2, &n);
    lua_Integer line = luaL_optinteger(L, 3, 1);
    int rc = ctx->h->doc_note(ctx->sink, key, value, n, offset_of(ctx->sink, line));
    if (rc) return luaL_error(L, "doc.note: out of memory");
    return 0;
}

int omb_lua_plugin_parse(struct omb_lua_plugin *lp, const struct omb_host *h, omb_sink *sink,
                         const struct omb_doc *doc)
{
    lua_State *L = lp->L;
    struct parse_ctx ctx = {h, sink, OMB_OK};
    pthread_mutex_lock(&lp->mu);
    int top = lua_gettop(L);
    lua_rawgeti(L, LUA_REGISTRYINDEX, lp->parse_ref);
    lua_pushlstring(L, doc->text, doc->len);
    lua_pushlightuserdata(L, &ctx);
    lua_pushcclosure(L, l_emit, 1);
    lua_createtable(L, 0, 6);
    lua_pushstring(L, doc->path);
    lua_setfield(L, -2, "path");
    lua_pushstring(L, doc->name);
    lua_setfield(L, -2, "name");
    if (doc->authority) {
        lua_pushstring(L, doc->authority);
        lua_setfield(L, -2, "authority");
    }
    lua_pushlightuserdata(L, &ctx);
    lua_pushcclosure(L, l_warn, 1);
    lua_setfield(L, -2, "warn");
    lua_pushlightuserdata(L, &ctx);
    lua_pushcclosure(L, l_note, 1);
    lua_setfield(L, -2, "note");
    int rc = OMB_OK;
    if (lua_pcall(L, 3, 0, 0) != LUA_OK) {
        /* the message carries the plugin's file and line (Lua adds them) */
        rc = ctx.status && ctx.status != OMB_EPARSE ? ctx.status
                                                    : h->error(sink, 0, "%s", lua_tostring(L, -1));
    }
    lua_settop(L, top);
    pthread_mutex_unlock(&lp->mu);
    /* a parse that returns normally after the core said stop still failed */
    return rc ? rc : ctx.status;
}
