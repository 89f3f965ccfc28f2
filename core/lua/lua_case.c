/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * lua_case.c -- case objects for Lua: db:cases{...}, db:case(ref) and
 * db:count{...}.  Each case is built from the same JSON that `ombuds export`
 * writes (omb_case_json_sql in export.c), decoded here into plain Lua tables
 * with the ombuds.Case metatable, so the console, scripts and exports agree
 * on what a case is.  A case shows itself as a record (its __pretty, below); the store is lua_store.c.
 */
#include <stdio.h>
#include <string.h>

#include "export.h"
#include "lua_aux.h"
#include "lua_int.h"
#include "output.h"

/* ---- JSON to Lua ------------------------------------------------------------------ */

struct jdec {
    lua_State *L;
    const char *s, *p, *end;
};

static int jfail(struct jdec *d, const char *what)
{
    return luaL_error(d->L, "JSON: %s at byte %d", what, (int)(d->p - d->s));
}

static void skip_ws(struct jdec *d)
{
    while (d->p < d->end && (*d->p == ' ' || *d->p == '\t' || *d->p == '\n' || *d->p == '\r')) d->p++;
}

static unsigned hex4(struct jdec *d)
{
    unsigned v = 0;
    if (d->end - d->p < 4) jfail(d, "expected four hex digits after \\u");
    for (int i = 0; i < 4; i++) {
        char c = *d->p++;
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
        else jfail(d, "expected a hex digit");
    }
    return v;
}

static void add_utf8(luaL_Buffer *b, unsigned cp)
{
    char u[4];
    int n;
    if (cp < 0x80) u[0] = (char)cp, n = 1;
    else if (cp < 0x800) u[0] = (char)(0xC0 | (cp >> 6)), u[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
    else if (cp < 0x10000)
        u[0] = (char)(0xE0 | (cp >> 12)), u[1] = (char)(0x80 | ((cp >> 6) & 0x3F)), u[2] = (char)(0x80 | (cp & 0x3F)),
        n = 3;
    else
        u[0] = (char)(0xF0 | (cp >> 18)), u[1] = (char)(0x80 | ((cp >> 12) & 0x3F)),
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), u[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
    luaL_addlstring(b, u, (size_t)n);
}

/* Pushes the string starting after the opening quote. */
static void jstring(struct jdec *d)
{
    luaL_Buffer b;
    luaL_buffinit(d->L, &b);
    for (;;) {
        if (d->p >= d->end) jfail(d, "unterminated string");
        char c = *d->p++;
        if (c == '"') break;
        if (c != '\\') {
            luaL_addchar(&b, c);
            continue;
        }
        if (d->p >= d->end) jfail(d, "unterminated string");
        c = *d->p++;
        switch (c) {
        case 'n': luaL_addchar(&b, '\n'); break;
        case 't': luaL_addchar(&b, '\t'); break;
        case 'r': luaL_addchar(&b, '\r'); break;
        case 'b': luaL_addchar(&b, '\b'); break;
        case 'f': luaL_addchar(&b, '\f'); break;
        case 'u': {
            unsigned cp = hex4(d);
            if (cp >= 0xD800 && cp < 0xDC00 && d->end - d->p >= 6 && d->p[0] == '\\' && d->p[1] == 'u') {
                d->p += 2;
                unsigned lo = hex4(d);
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
            add_utf8(&b, cp);
            break;
        }
        default: luaL_addchar(&b, c);
        }
    }
    luaL_pushresult(&b);
}

static void jvalue(struct jdec *d, int depth);

static void jnumber(struct jdec *d)
{
    char tmp[64];
    size_t n = 0;
    while (d->p < d->end && n + 1 < sizeof tmp && strchr("+-0123456789.eE", *d->p)) tmp[n++] = *d->p++;
    tmp[n] = '\0';
    if (!n || lua_stringtonumber(d->L, tmp) == 0) jfail(d, "expected a value");
}

static void jvalue(struct jdec *d, int depth)
{
    lua_State *L = d->L;
    if (depth > 100) jfail(d, "nesting deeper than 100");
    luaL_checkstack(L, 4, "JSON nesting too deep");
    skip_ws(d);
    if (d->p >= d->end) jfail(d, "expected a value");
    switch (*d->p) {
    case '{': {
        d->p++;
        lua_newtable(L);
        skip_ws(d);
        if (d->p < d->end && *d->p == '}') {
            d->p++;
            return;
        }
        for (;;) {
            skip_ws(d);
            if (d->p >= d->end || *d->p != '"') jfail(d, "expected a key");
            d->p++;
            jstring(d);
            skip_ws(d);
            if (d->p >= d->end || *d->p != ':') jfail(d, "expected ':'");
            d->p++;
            jvalue(d, depth + 1);
            lua_rawset(L, -3); /* a null value leaves the key out */
            skip_ws(d);
            if (d->p < d->end && *d->p == ',') {
                d->p++;
                continue;
            }
            if (d->p < d->end && *d->p == '}') {
                d->p++;
                return;
            }
            jfail(d, "expected ',' or '}'");
        }
    }
    case '[': {
        d->p++;
        lua_newtable(L);
        lua_Integer i = 0;
        skip_ws(d);
        if (d->p < d->end && *d->p == ']') {
            d->p++;
            return;
        }
        for (;;) {
            jvalue(d, depth + 1);
            if (lua_isnil(L, -1)) lua_pop(L, 1); /* nulls are dropped, keeping a sequence */
            else lua_rawseti(L, -2, ++i);
            skip_ws(d);
            if (d->p < d->end && *d->p == ',') {
                d->p++;
                continue;
            }
            if (d->p < d->end && *d->p == ']') {
                d->p++;
                return;
            }
            jfail(d, "expected ',' or ']'");
        }
    }
    case '"':
        d->p++;
        jstring(d);
        return;
    case 't':
        if (d->end - d->p >= 4 && !memcmp(d->p, "true", 4)) {
            d->p += 4;
            lua_pushboolean(L, 1);
            return;
        }
        break;
    case 'f':
        if (d->end - d->p >= 5 && !memcmp(d->p, "false", 5)) {
            d->p += 5;
            lua_pushboolean(L, 0);
            return;
        }
        break;
    case 'n':
        if (d->end - d->p >= 4 && !memcmp(d->p, "null", 4)) {
            d->p += 4;
            lua_pushnil(L);
            return;
        }
        break;
    default: jnumber(d); return;
    }
    jfail(d, "expected a value");
}

void omb_lua_json_decode(lua_State *L, const char *s, size_t n)
{
    struct jdec d = {L, s, s, s + n};
    jvalue(&d, 0);
    skip_ws(&d);
    if (d.p != d.end) jfail(&d, "unexpected text after the value");
}

/* ---- cases --------------------------------------------------------------------------- */

/* The filter keys, in the order of their SQL parameters ?1..?8. */
static const char *const filter_keys[] = {"authority", "category", "year", "outcome", "text",
                                          "subcategory", "ref", "limit", NULL};

#define FILTER_WHERE                                                                                                   \
    " FROM cases c WHERE (?1 IS NULL OR c.authority = ?1 COLLATE NOCASE)"                                             \
    " AND (?2 IS NULL OR c.category = ?2 COLLATE NOCASE) AND (?3 IS NULL OR c.year = ?3)"                             \
    " AND (?4 IS NULL OR c.outcome = ?4 COLLATE NOCASE)"                                                              \
    " AND (?5 IS NULL OR c.id IN (SELECT t.case_id FROM search JOIN search_text t ON t.id = search.rowid"             \
    "   WHERE search MATCH ?5))"                                                                                       \
    " AND (?6 IS NULL OR c.subcategory = ?6 COLLATE NOCASE) AND (?7 IS NULL OR c.ref = ?7)"

/* Binds the filter table at f to the statement (the guard at g). */
static void bind_filter(lua_State *L, struct omb_lua_stmt *g, int f, int count_only)
{
    if (!f) return;
    lua_pushnil(L);
    while (lua_next(L, f)) {
        lua_pop(L, 1);
        int known = 0;
        if (lua_type(L, -1) == LUA_TSTRING)
            for (int k = 0; filter_keys[k]; k++)
                if (!strcmp(lua_tostring(L, -1), filter_keys[k])) known = 1;
        if (!known) {
            const char *k = luaL_tolstring(L, -1, NULL);
            sqlite3_finalize(g->s);
            g->s = NULL;
            luaL_error(L, "cases: unknown filter '%s' (use authority, category, subcategory, year, outcome, text, ref "
                          "or limit)", k);
        }
    }
    for (int k = 0; filter_keys[k]; k++) {
        if (count_only && k == 7) break;
        int t = lua_getfield(L, f, filter_keys[k]);
        if (t != LUA_TNIL) {
            if (k == 4) { /* text: every word must appear */
                if (t != LUA_TSTRING) {
                    sqlite3_finalize(g->s);
                    g->s = NULL;
                    luaL_error(L, "cases: text must be a string");
                }
                omb_lua_fts_query(L, lua_tostring(L, -1));
                lua_replace(L, -2);
            } else if (k == 6) {
                lua_pushstring(L, lua_tostring(L, -1) ? lua_tostring(L, -1) : "");
                omb_lua_normalise_ref(L);
                lua_replace(L, -2);
            } else if ((k == 2 || k == 7) && !lua_isinteger(L, -1)) {
                sqlite3_finalize(g->s);
                g->s = NULL;
                luaL_error(L, "cases: %s must be an integer", filter_keys[k]);
            }
            omb_lua_bind(L, g, k + 1, lua_gettop(L), 2);
        }
        lua_pop(L, 1);
    }
}

/* Sets the Case metatable on the table on top. */
static void make_case(lua_State *L)
{
    luaL_setmetatable(L, OMB_LUA_CASE);
}

/* Reads one row (id, year, json) into a case table and pushes it. */
static void row_case(lua_State *L, sqlite3_stmt *s)
{
    omb_lua_json_decode(L, (const char *)sqlite3_column_text(s, 2), (size_t)sqlite3_column_bytes(s, 2));
    lua_pushinteger(L, (lua_Integer)sqlite3_column_int64(s, 0));
    lua_setfield(L, -2, "id");
    if (sqlite3_column_type(s, 1) != SQLITE_NULL) {
        lua_pushinteger(L, (lua_Integer)sqlite3_column_int64(s, 1));
        lua_setfield(L, -2, "year");
    }
    make_case(L);
}

void omb_lua_push_cases(lua_State *L, omb_store *st, int f, int count_only)
{
    sqlite3 *db = omb_store_db(st);
    luaL_checkstack(L, 10, "cannot read cases");
    if (count_only) {
        struct omb_lua_stmt *g = omb_lua_prepare(L, db, "SELECT count(*)" FILTER_WHERE, "count");
        int gi = lua_gettop(L);
        bind_filter(L, g, f, 1);
        int rc = sqlite3_step(g->s);
        if (rc != SQLITE_ROW) omb_lua_step_error(L, g, rc, "count");
        lua_Integer n = (lua_Integer)sqlite3_column_int64(g->s, 0);
        sqlite3_finalize(g->s);
        g->s = NULL;
        lua_settop(L, gi - 1);
        lua_pushinteger(L, n);
        return;
    }
    lua_pushfstring(L,
                    "SELECT c.id, c.year, %s" FILTER_WHERE
                    " ORDER BY c.decision_date IS NULL, c.decision_date, c.ref, c.id LIMIT coalesce(?8, -1)",
                    omb_case_json_sql);
    struct omb_lua_stmt *g = omb_lua_prepare(L, db, lua_tostring(L, -1), "cases");
    int gi = lua_gettop(L);
    bind_filter(L, g, f, 0);
    static const char *const cols[] = {"ref", "decision_date", "authority", "category", "outcome",
                                       "payment_total_pence"};
    lua_createtable(L, 6, 0);
    for (int i = 0; i < 6; i++) {
        lua_pushstring(L, cols[i]);
        lua_rawseti(L, -2, i + 1);
    }
    lua_newtable(L);
    lua_Integer n = 0;
    int rc;
    while ((rc = sqlite3_step(g->s)) == SQLITE_ROW) {
        row_case(L, g->s);
        lua_rawseti(L, -2, ++n);
    }
    if (rc != SQLITE_DONE) omb_lua_step_error(L, g, rc, "cases");
    sqlite3_finalize(g->s);
    g->s = NULL;
    omb_lua_result_new(L);
    lua_replace(L, gi - 1); /* over the SQL text */
    lua_settop(L, gi - 1);
}

void omb_lua_normalise_ref(lua_State *L)
{
    size_t n;
    const char *s = lua_tolstring(L, -1, &n);
    char digits[16];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9') {
            if (k == 8) return; /* not a reference of the usual shape: leave it */
            digits[k++] = s[i];
        } else if (s[i] != ' ' && s[i] != '-' && s[i] != '/' && s[i] != '.') {
            return;
        }
    }
    if (k != 8) return;
    lua_pushfstring(L, "%c%c %c%c%c %c%c%c", digits[0], digits[1], digits[2], digits[3], digits[4], digits[5],
                    digits[6], digits[7]);
    lua_replace(L, -2);
}

void omb_lua_push_case(lua_State *L, omb_store *st, const char *ref)
{
    lua_pushstring(L, ref);
    omb_lua_normalise_ref(L);
    int ri = lua_gettop(L);
    lua_pushfstring(L, "SELECT c.id, c.year, %s FROM cases c WHERE c.ref = ?1", omb_case_json_sql);
    struct omb_lua_stmt *g = omb_lua_prepare(L, omb_store_db(st), lua_tostring(L, -1), "case");
    int gi = lua_gettop(L);
    omb_lua_bind(L, g, 1, ri, 2);
    int rc = sqlite3_step(g->s);
    if (rc == SQLITE_ROW) row_case(L, g->s);
    else if (rc == SQLITE_DONE) lua_pushnil(L);
    else omb_lua_step_error(L, g, rc, "case");
    sqlite3_finalize(g->s);
    g->s = NULL;
    lua_replace(L, ri);
    lua_settop(L, ri);
    (void)gi;
}

static int l_case_tostring(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_getfield(L, 1, "ref");
    lua_getfield(L, 1, "authority");
    lua_getfield(L, 1, "decision_date");
    lua_getfield(L, 1, "outcome");
    lua_pushfstring(L, "ombuds.Case %s (%s, %s, %s)", lua_isstring(L, 2) ? lua_tostring(L, 2) : "(unreferenced)",
                    lua_isstring(L, 3) ? lua_tostring(L, 3) : "authority unknown",
                    lua_isstring(L, 4) ? lua_tostring(L, 4) : "undated",
                    lua_isstring(L, 5) ? lua_tostring(L, 5) : "unknown");
    return 1;
}


/* ---- a case as a record (its __pretty) ------------------------------------------ */

#define C_DIM "\033[2m"
#define C_BOLD "\033[1m"
#define C_RESET "\033[0m"

static void add_spaces(lua_State *L, omb_sbuf *b, int n)
{
    static const char sp[] = "                                ";
    while (n > 0) {
        int k = n < 32 ? n : 32;
        omb_sbuf_add(L, b, sp, (size_t)k);
        n -= k;
    }
}

/* Appends text wrapped to the width, continuation lines indented by indent
 * (the lines broken as tables break them, output.c). */
static void wrapped(lua_State *L, omb_sbuf *b, const char *s, int indent, int width)
{
    size_t n = strlen(s), pos = 0, from, to;
    size_t avail = width > indent + 20 ? (size_t)(width - indent) : 0;
    for (int first = 1; omb_out_wrap_next(s, n, &pos, avail, &from, &to); first = 0) {
        if (!first) {
            omb_sbuf_add(L, b, "\n", 1);
            add_spaces(L, b, indent);
        }
        omb_sbuf_add(L, b, s + from, to - from);
    }
}

static const char *field(lua_State *L, int t, const char *k)
{
    lua_getfield(L, t, k);
    const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    lua_pop(L, 1); /* the case table anchors the string */
    return s;
}

#define LABEL_W 16

static void label(lua_State *L, omb_sbuf *b, const char *name, int color)
{
    omb_sbuf_add(L, b, "  ", 2);
    if (color) omb_sbuf_adds(L, b, C_DIM);
    omb_sbuf_addf(L, b, "%-*s", LABEL_W - 2, name);
    if (color) omb_sbuf_adds(L, b, C_RESET);
}

/* __pretty(case, width, color, max_rows, compact): the case as a record,
 * reference and authority first, then one labelled line per field, remedies,
 * improvements, events and sources; compact, its one-line __tostring. */
static int l_case_pretty(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    if (lua_toboolean(L, 5)) {
        luaL_tolstring(L, 1, NULL);
        return 1;
    }
    struct {
        int width, color;
    } opts = {(int)luaL_optinteger(L, 2, 0), lua_toboolean(L, 3)}, *o = &opts;
    lua_settop(L, 1);
    int idx = 1;
    luaL_checkstack(L, 20, "cannot print");
    omb_sbuf *b = omb_sbuf_new(L);
    int bi = lua_gettop(L);
    const char *ref = field(L, idx, "ref"), *auth = field(L, idx, "authority");
    if (o->color) omb_sbuf_adds(L, b, C_BOLD);
    omb_sbuf_addf(L, b, "%s  %s", ref ? ref : "(unreferenced)", auth ? auth : "(authority unknown)");
    if (o->color) omb_sbuf_adds(L, b, C_RESET);
    omb_sbuf_add(L, b, "\n", 1);
    static const char *const scalars[][2] = {{"decision_date", "decided"}, {"outcome", "outcome"},
                                             {"category", "category"},     {"subcategory", "subcategory"},
                                             {"council_subject", "subject"}, {"summary", "summary"}};
    for (size_t i = 0; i < sizeof scalars / sizeof scalars[0]; i++) {
        const char *v = field(L, idx, scalars[i][0]);
        if (!v) continue;
        label(L, b, scalars[i][1], o->color);
        wrapped(L, b, v, LABEL_W, o->width);
        omb_sbuf_add(L, b, "\n", 1);
    }
    char m[64];
    lua_getfield(L, idx, "payment_total_pence");
    if (lua_isinteger(L, -1) && lua_tointeger(L, -1) > 0) {
        omb_out_money(m, sizeof m, lua_tointeger(L, -1));
        label(L, b, "payments", o->color);
        omb_sbuf_addf(L, b, "%s\n", m);
    }
    lua_pop(L, 1);
    static const char *const lists[] = {"remedies", "improvements", "events", "sources"};
    for (size_t li = 0; li < 4; li++) {
        lua_getfield(L, idx, lists[li]);
        int t = lua_gettop(L);
        lua_Integer n = lua_type(L, t) == LUA_TTABLE ? (lua_Integer)lua_rawlen(L, t) : 0;
        for (lua_Integer i = 1; i <= n; i++) {
            if (i == 1) label(L, b, lists[li], o->color);
            else add_spaces(L, b, LABEL_W);
            lua_rawgeti(L, t, i);
            int e = lua_gettop(L);
            if (lua_type(L, e) != LUA_TTABLE) {
                omb_sbuf_add(L, b, "\n", 1);
                lua_pop(L, 1);
                continue;
            }
            omb_sbuf *line = omb_sbuf_new(L);
            if (li == 0) {
                const char *kind = field(L, e, "kind"), *text = field(L, e, "text");
                omb_sbuf_adds(L, line, kind ? kind : "remedy");
                lua_getfield(L, e, "amount_pence");
                if (lua_isinteger(L, -1)) {
                    omb_out_money(m, sizeof m, lua_tointeger(L, -1));
                    omb_sbuf_addf(L, line, " %s", m);
                }
                lua_pop(L, 1);
                if (text) {
                    omb_sbuf_adds(L, line, ": ");
                    omb_sbuf_adds(L, line, text);
                }
            } else if (li == 1) {
                const char *text = field(L, e, "text");
                omb_sbuf_adds(L, line, text ? text : "");
            } else if (li == 2) {
                const char *date = field(L, e, "date"), *type = field(L, e, "type"), *text = field(L, e, "text");
                if (date) omb_sbuf_addf(L, line, "%s ", date);
                omb_sbuf_adds(L, line, type ? type : "event");
                if (text) {
                    omb_sbuf_adds(L, line, ": ");
                    omb_sbuf_adds(L, line, text);
                }
            } else {
                const char *path = field(L, e, "path"), *plugin = field(L, e, "plugin");
                omb_sbuf_adds(L, line, path ? path : "?");
                lua_getfield(L, e, "line");
                if (lua_isinteger(L, -1)) omb_sbuf_addf(L, line, ":%lld", (long long)lua_tointeger(L, -1));
                lua_pop(L, 1);
                if (plugin) omb_sbuf_addf(L, line, " (%s)", plugin);
            }
            wrapped(L, b, line->p ? line->p : "", LABEL_W, o->width);
            omb_sbuf_add(L, b, "\n", 1);
            lua_settop(L, t);
        }
        lua_settop(L, bi);
    }
    lua_pushlstring(L, b->p ? b->p : "", b->n);
    return 1;
}

void omb_lua_open_case(lua_State *L)
{
    if (!luaL_newmetatable(L, OMB_LUA_CASE)) {
        lua_pop(L, 1);
        return;
    }
    lua_pushcfunction(L, l_case_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushcfunction(L, l_case_pretty);
    lua_setfield(L, -2, "__pretty");
    lua_pop(L, 1);
}
