/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * lua_store.c -- the ombuds.Store handle seen from Lua: opening and closing,
 * read-only queries with bound parameters, full-text search, counting, and
 * ingesting files.  The statement guard is lua_aux.c.
 * Case objects are built by lua_case.c and result objects by lua_result.c;
 * the SQL schema and writes belong to store.c and ingest.c.
 */
#include <ombuds/plugin.h>
#include <stdlib.h>
#include <string.h>

#include "ffi_bridge.h"
#include "ingest.h"
#include "lua_int.h"
#include "pretty.h"

/* Invariant: st is NULL exactly when the handle is closed (it starts closed
 * so a failed open leaves nothing to free, as liolib's newprefile does). */
struct lstore {
    omb_store *st;
};

/* ---- the handle ----------------------------------------------------------------- */

/* SQLite calls this every 1000 virtual machine steps: a long query stops when
 * Ctrl-C or --timeout has asked (sqlite3_interrupt from a signal handler
 * would need the connection, which the handler does not know). */
static int progress(void *ud)
{
    (void)ud;
    return omb_lua_stop != OMB_LUA_RUN;
}

static struct lstore *to_store(lua_State *L, int i) { return luaL_checkudata(L, i, OMB_LUA_STORE); }

omb_store *omb_lua_check_store(lua_State *L, int idx)
{
    struct lstore *p = to_store(L, idx);
    if (!p->st) luaL_error(L, "attempt to use a closed store");
    return p->st;
}

omb_store *omb_lua_test_store(lua_State *L, int idx)
{
    struct lstore *p = luaL_testudata(L, idx, OMB_LUA_STORE);
    return p ? p->st : NULL;
}

void omb_lua_store_open(lua_State *L, const char *path, int flags)
{
    struct lstore *p = lua_newuserdatauv(L, sizeof *p, 0);
    p->st = NULL;
    luaL_setmetatable(L, OMB_LUA_STORE);
    lua_getfield(L, LUA_REGISTRYINDEX, OMB_LUA_KEY_SAFE);
    if (lua_toboolean(L, -1)) flags |= OMB_STORE_READONLY;
    lua_pop(L, 1);
    char err[1024];
    if (omb_store_open(path, flags, &p->st, err, sizeof err) != OMB_OK) luaL_error(L, "%s", err);
    sqlite3_progress_handler(omb_store_db(p->st), 1000, progress, NULL);
    /* store:query() has the SQL functions of `ombuds sql`: pounds() and the
     * other metric functions (median() and percentile() come with the store) */
    if (omb_ffi_register_sql(omb_store_db(p->st), omb_lua_registry(L), err, sizeof err) != OMB_OK)
        luaL_error(L, "%s", err);
}

static int l_store_close(lua_State *L)
{
    struct lstore *p = to_store(L, 1);
    omb_store_close(p->st);
    p->st = NULL;
    return 0;
}

static int l_store_tostring(lua_State *L)
{
    struct lstore *p = to_store(L, 1);
    if (p->st) lua_pushfstring(L, "ombuds.Store (%s)", omb_store_path(p->st));
    else lua_pushliteral(L, "ombuds.Store (closed)");
    return 1;
}

static int l_store_path(lua_State *L)
{
    lua_pushstring(L, omb_store_path(omb_lua_check_store(L, 1)));
    return 1;
}

/* db:query(sql, ...) or db:query(sql, {name = value, ...}) */
static int l_store_query(lua_State *L)
{
    omb_store *st = omb_lua_check_store(L, 1);
    const char *sql = luaL_checkstring(L, 2);
    int nargs = lua_gettop(L) - 2;
    struct omb_lua_stmt *g = omb_lua_prepare(L, omb_store_db(st), sql, "query");
    int gi = lua_gettop(L);
    if (!sqlite3_stmt_readonly(g->s)) {
        sqlite3_finalize(g->s);
        g->s = NULL;
        return luaL_error(L, "query: db:query only reads the store; it changes through db:ingest");
    }
    int np = sqlite3_bind_parameter_count(g->s);
    if (nargs == 1 && lua_type(L, 3) == LUA_TTABLE) {
        for (int i = 1; i <= np; i++) {
            const char *name = sqlite3_bind_parameter_name(g->s, i);
            if (name && (name[0] == ':' || name[0] == '@' || name[0] == '$')) lua_getfield(L, 3, name + 1);
            else lua_rawgeti(L, 3, i);
            omb_lua_bind(L, g, i, lua_gettop(L), 3);
            lua_pop(L, 1);
        }
    } else {
        if (nargs != np) {
            sqlite3_finalize(g->s);
            g->s = NULL;
            return luaL_error(L, "query: the SQL has %d parameter%s but %d value%s given", np, np == 1 ? "" : "s",
                              nargs, nargs == 1 ? " was" : "s were");
        }
        for (int i = 1; i <= nargs; i++) omb_lua_bind(L, g, i, 2 + i, 2 + i);
    }
    omb_lua_result_from_stmt(L, gi, "query");
    return 1;
}

static int l_store_cases(lua_State *L)
{
    omb_store *st = omb_lua_check_store(L, 1);
    if (!lua_isnoneornil(L, 2)) luaL_checktype(L, 2, LUA_TTABLE);
    omb_lua_push_cases(L, st, lua_istable(L, 2) ? 2 : 0, 0);
    return 1;
}

static int l_store_case(lua_State *L)
{
    omb_store *st = omb_lua_check_store(L, 1);
    omb_lua_push_case(L, st, luaL_checkstring(L, 2));
    return 1;
}

static int l_store_count(lua_State *L)
{
    omb_store *st = omb_lua_check_store(L, 1);
    if (!lua_isnoneornil(L, 2)) luaL_checktype(L, 2, LUA_TTABLE);
    omb_lua_push_cases(L, st, lua_istable(L, 2) ? 2 : 0, 1);
    return 1;
}

/* db:search(text, {limit = 20, raw = false}) */
static int l_store_search(lua_State *L)
{
    omb_store *st = omb_lua_check_store(L, 1);
    const char *q = luaL_checkstring(L, 2);
    lua_Integer limit = 20;
    int raw = 0;
    if (!lua_isnoneornil(L, 3)) {
        luaL_checktype(L, 3, LUA_TTABLE);
        if (lua_getfield(L, 3, "limit") != LUA_TNIL) {
            int ok;
            limit = lua_tointegerx(L, -1, &ok);
            luaL_argcheck(L, ok && limit > 0, 3, "limit must be a positive integer");
        }
        lua_getfield(L, 3, "raw");
        raw = lua_toboolean(L, -1);
        lua_pop(L, 2);
    }
    if (raw) lua_pushvalue(L, 2);
    else omb_lua_fts_query(L, q);
    int qi = lua_gettop(L);
    if (!*lua_tostring(L, qi)) luaL_argerror(L, 2, "give at least one word to search for");
    static const char sql[] =
        "SELECT c.ref, c.authority, c.decision_date, st.kind,"
        " snippet(search, 0, '[', ']', '\xE2\x80\xA6', 12) AS snippet, round(-bm25(search), 3) AS score"
        " FROM search JOIN search_text st ON st.id = search.rowid JOIN cases c ON c.id = st.case_id"
        " WHERE search MATCH ?1 ORDER BY rank LIMIT ?2";
    struct omb_lua_stmt *g = omb_lua_prepare(L, omb_store_db(st), sql, "search");
    int gi = lua_gettop(L);
    omb_lua_bind(L, g, 1, qi, 2);
    sqlite3_bind_int64(g->s, 2, (sqlite3_int64)limit);
    omb_lua_result_from_stmt(L, gi, "search");
    return 1;
}

/* ---- ingest --------------------------------------------------------------------- */

struct file_line {
    char *path, *plugin, *message;
    int status;
    size_t n_cases, n_warnings;
};

/* What the report callback gathered, owned by a userdata so the Lua tables
 * built afterwards can raise without leaking it. */
struct collector {
    struct file_line *v;
    size_t n, cap;
    int verbose;
    int failed_alloc;
};

static int collector_gc(lua_State *L)
{
    struct collector *c = lua_touserdata(L, 1);
    for (size_t i = 0; i < c->n; i++) {
        free(c->v[i].path);
        free(c->v[i].plugin);
        free(c->v[i].message);
    }
    free(c->v);
    c->v = NULL;
    c->n = c->cap = 0;
    return 0;
}

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

static const char *const status_words[] = {"?", "new", "updated", "unchanged", "failed"};

/* Called by omb_ingest for each file; must not touch Lua: a Lua error
 * here would longjmp out of ingest, skipping its clean-up. */
static void collect(void *ud, const struct omb_file_report *r)
{
    struct collector *c = ud;
    int st = r->status >= 1 && r->status <= 4 ? r->status : 0;
    if (c->verbose) {
        printf("%-9s %s", status_words[st], r->path);
        if (st == OMB_FILE_FAILED) printf(": %s", r->message ? r->message : "failed");
        else if (st == OMB_FILE_NEW || st == OMB_FILE_UPDATED)
            printf(" (%s, %zu case%s)", r->plugin ? r->plugin : "?", r->n_cases, r->n_cases == 1 ? "" : "s");
        putchar('\n');
        for (size_t i = 0; i < r->n_warnings; i++) printf("  warning: %s\n", r->warnings[i]);
        fflush(stdout);
    }
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        struct file_line *v = realloc(c->v, cap * sizeof *v);
        if (!v) {
            c->failed_alloc = 1;
            return;
        }
        c->v = v;
        c->cap = cap;
    }
    struct file_line *f = &c->v[c->n++];
    f->path = dup_or_null(r->path);
    f->plugin = dup_or_null(r->plugin);
    f->message = dup_or_null(r->message);
    f->status = st;
    f->n_cases = r->n_cases;
    f->n_warnings = r->n_warnings;
}

static void set_int(lua_State *L, const char *k, size_t v)
{
    lua_pushinteger(L, (lua_Integer)v);
    lua_setfield(L, -2, k);
}

/* db:ingest(path_or_list, {format=, authority=, batch=, verbose=}) */
static int l_store_ingest(lua_State *L)
{
    omb_store *st = omb_lua_check_store(L, 1);
    lua_settop(L, 3); /* the options (or nil) stay at 3 whatever is pushed next */
    lua_getfield(L, LUA_REGISTRYINDEX, OMB_LUA_KEY_SAFE);
    if (lua_toboolean(L, -1)) luaL_error(L, "ingest: not allowed in --safe mode (the store is read-only)");
    lua_pop(L, 1);
    int t = lua_type(L, 2);
    luaL_argexpected(L, t == LUA_TSTRING || t == LUA_TTABLE, 2, "path or list of paths");
    struct omb_ingest_opts o = {0};
    struct collector *c = lua_newuserdatauv(L, sizeof *c, 0); /* slot 4 when no options: see below */
    memset(c, 0, sizeof *c);
    lua_newtable(L); /* its metatable, for __gc */
    lua_pushcfunction(L, collector_gc);
    lua_setfield(L, -2, "__gc");
    lua_setmetatable(L, -2);
    int ci = lua_gettop(L);
    if (lua_type(L, 3) == LUA_TTABLE) {
        if (lua_getfield(L, 3, "format") != LUA_TNIL) o.format = luaL_checkstring(L, -1);
        if (lua_getfield(L, 3, "authority") != LUA_TNIL) o.authority = luaL_checkstring(L, -1);
        if (lua_getfield(L, 3, "batch") != LUA_TNIL) o.batch = (int)luaL_checkinteger(L, -1);
        lua_getfield(L, 3, "verbose");
        c->verbose = lua_toboolean(L, -1);
        /* the option strings stay anchored by table 3 and these slots */
    } else if (!lua_isnil(L, 3)) {
        luaL_checktype(L, 3, LUA_TTABLE);
    }
    size_t n = t == LUA_TSTRING ? 1 : (size_t)luaL_len(L, 2);
    if (n == 0) luaL_argerror(L, 2, "the list of paths is empty");
    const char **paths = lua_newuserdatauv(L, n * sizeof *paths, 0);
    if (t == LUA_TSTRING) {
        paths[0] = lua_tostring(L, 2);
    } else {
        for (size_t i = 0; i < n; i++) {
            if (lua_rawgeti(L, 2, (lua_Integer)i + 1) != LUA_TSTRING)
                luaL_argerror(L, 2, lua_pushfstring(L, "item %d of the list is not a path", (int)i + 1));
            paths[i] = lua_tostring(L, -1);
            lua_pop(L, 1); /* the list anchors the string */
        }
    }
    const omb_registry *reg = omb_lua_registry(L);
    if (o.format && !omb_registry_find(reg, o.format))
        luaL_error(L, "ingest: format '%s': no plugin of that name (see ombuds.plugins())", o.format);
    o.report = collect;
    o.ud = c;
    o.interrupted = (volatile int *)&omb_lua_stop;
    struct omb_ingest_summary sum;
    memset(&sum, 0, sizeof sum);
    int rc = omb_ingest(st, reg, paths, n, &o, &sum);
    if (rc == OMB_EINTR) return luaL_error(L, "%s", omb_lua_stop_message());
    if (rc == OMB_ENOMEM || c->failed_alloc) return luaL_error(L, "ingest: out of memory");
    if (rc) return luaL_error(L, "ingest: the store reported an error; documents stored before it are complete");
    lua_createtable(L, 0, 10);
    set_int(L, "files", sum.files);
    set_int(L, "new", sum.new_files);
    set_int(L, "updated", sum.updated);
    set_int(L, "unchanged", sum.unchanged);
    set_int(L, "failed", sum.failed);
    set_int(L, "cases", sum.cases_stored); /* distinct cases, as `ombuds ingest` says, not mentions */
    set_int(L, "warnings", sum.warnings);
    lua_createtable(L, (int)c->n, 0);
    lua_newtable(L);
    lua_Integer nf = 0;
    for (size_t i = 0; i < c->n; i++) {
        struct file_line *f = &c->v[i];
        lua_createtable(L, 0, 6);
        lua_pushstring(L, f->path);
        lua_setfield(L, -2, "path");
        lua_pushstring(L, status_words[f->status]);
        lua_setfield(L, -2, "status");
        if (f->plugin) {
            lua_pushstring(L, f->plugin);
            lua_setfield(L, -2, "plugin");
        }
        if (f->message) {
            lua_pushstring(L, f->message);
            lua_setfield(L, -2, "message");
        }
        set_int(L, "cases", f->n_cases);
        set_int(L, "warnings", f->n_warnings);
        if (f->status == OMB_FILE_FAILED) {
            lua_pushvalue(L, -1);
            lua_rawseti(L, -3, ++nf);
        }
        lua_rawseti(L, -3, (lua_Integer)i + 1);
    }
    lua_setfield(L, -3, "failures");
    lua_setfield(L, -2, "documents");
    lua_pushvalue(L, ci); /* keep the collector alive until here */
    lua_pop(L, 1);
    return 1;
}

void omb_lua_open_store(lua_State *L)
{
    static const luaL_Reg meta[] = {{"__gc", l_store_close},         {"__close", l_store_close},
                                    {"__tostring", l_store_tostring}, {"__index", NULL},
                                    {NULL, NULL}};
    static const luaL_Reg methods[] = {{"query", l_store_query},   {"cases", l_store_cases},
                                       {"case", l_store_case},     {"count", l_store_count},
                                       {"search", l_store_search}, {"ingest", l_store_ingest},
                                       {"path", l_store_path},     {"close", l_store_close},
                                       {NULL, NULL}};
    if (!luaL_newmetatable(L, OMB_LUA_STORE)) {
        lua_pop(L, 1);
        return;
    }
    luaL_setfuncs(L, meta, 0);
    luaL_newlib(L, methods);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);
}
