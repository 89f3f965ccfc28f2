/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pretty.c -- renders Lua values as text (pretty.h): constructors for tables
 * and JSON for files.  Rows (Results) are rendered by the one renderer of
 * rows, output.c, through lua_result.c; a Case or a Result shows itself
 * through its __pretty metamethod, so nothing here knows those types.
 * Text is built in an omb_sbuf owned by a userdata rather than a luaL_Buffer
 * because walking a table keeps keys on the stack, which luaL_Buffer forbids.
 * Where the text goes (terminal, file, string) is the caller's business.
 */
#include "pretty.h"

#include <lauxlib.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

#define ELLIPSIS "\xE2\x80\xA6"

#define C_STRING "\033[32m"
#define C_NUMBER "\033[36m"
#define C_CONST "\033[35m"
#define C_DIM "\033[2m"
#define C_RESET "\033[0m"

/* ---- the buffer (omb_sbuf itself is lua_aux.c) ---------------------------------- */

/* Replaces the buffer at index bi with its text. */
static void sbuf_finish(lua_State *L, int bi)
{
    omb_sbuf *b = lua_touserdata(L, bi);
    lua_pushlstring(L, b->p ? b->p : "", b->n);
    lua_replace(L, bi);
}

void omb_pretty_count(char *buf, size_t cap, unsigned long long n) { omb_out_count(buf, cap, n); }

void omb_pretty_defaults(struct omb_pretty_opts *o, int width, int color)
{
    o->depth = 4;
    o->items = 40;
    o->width = width;
    o->color = color;
    o->max_rows = 20;
}

/* Byte length of the first `cols` code points of s. */
static size_t prefix_bytes(const char *s, size_t n, size_t cols)
{
    size_t i = 0, k = 0;
    while (i < n && k < cols) {
        i++;
        while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80) i++;
        k++;
    }
    return i;
}

/* ---- values as Lua constructors -------------------------------------------------- */

struct pctx {
    lua_State *L;
    const struct omb_pretty_opts *o;
    int seen; /* index of a table: tables on the current path -> true */
};

static void colored(struct pctx *c, omb_sbuf *b, const char *color, const char *s, size_t n)
{
    if (c->o->color) omb_sbuf_adds(c->L, b, color);
    omb_sbuf_add(c->L, b, s, n);
    if (c->o->color) omb_sbuf_adds(c->L, b, C_RESET);
}

/* Appends s quoted as a Lua string, cut to max code points (0: no limit). */
static void quote_string(struct pctx *c, omb_sbuf *b, const char *s, size_t n, size_t max)
{
    lua_State *L = c->L;
    size_t cut = max ? prefix_bytes(s, n, max) : n;
    if (c->o->color) omb_sbuf_adds(L, b, C_STRING);
    omb_sbuf_add(L, b, "\"", 1);
    for (size_t i = 0; i < cut; i++) {
        unsigned char ch = (unsigned char)s[i];
        switch (ch) {
        case '"': omb_sbuf_add(L, b, "\\\"", 2); break;
        case '\\': omb_sbuf_add(L, b, "\\\\", 2); break;
        case '\n': omb_sbuf_add(L, b, "\\n", 2); break;
        case '\r': omb_sbuf_add(L, b, "\\r", 2); break;
        case '\t': omb_sbuf_add(L, b, "\\t", 2); break;
        default:
            if (ch < 0x20 || ch == 0x7F) omb_sbuf_addf(L, b, "\\%d", ch);
            else omb_sbuf_add(L, b, s + i, 1);
        }
    }
    if (cut < n) omb_sbuf_adds(L, b, ELLIPSIS);
    omb_sbuf_add(L, b, "\"", 1);
    if (c->o->color) omb_sbuf_adds(L, b, C_RESET);
}

static int is_identifier(const char *s, size_t n)
{
    static const char *const keywords[] = {"and",   "break", "do",  "else", "elseif", "end",    "false", "for",
                                           "function", "goto", "if", "in", "local",  "nil",    "not",   "or",
                                           "repeat", "return", "then", "true", "until", "while", NULL};
    if (n == 0 || !(s[0] == '_' || (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) return 0;
    for (size_t i = 1; i < n; i++)
        if (!(s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9')))
            return 0;
    for (int k = 0; keywords[k]; k++)
        if (strlen(keywords[k]) == n && !memcmp(keywords[k], s, n)) return 0;
    return 1;
}

/* One key of a table being sorted: numbers first, then strings, then the
 * rest; `pos` is where the key sits in the keys table (which anchors it). */
struct skey {
    int type;
    lua_Number num;
    const char *s;
    size_t len;
    lua_Integer pos;
};

static int type_rank(int t) { return t == LUA_TNUMBER ? 0 : t == LUA_TSTRING ? 1 : t == LUA_TBOOLEAN ? 2 : 3; }

static int skey_cmp(const void *a, const void *b)
{
    const struct skey *x = a, *y = b;
    int rx = type_rank(x->type), ry = type_rank(y->type);
    if (rx != ry) return rx - ry;
    if (x->type == LUA_TNUMBER) return x->num < y->num ? -1 : x->num > y->num;
    if (x->type == LUA_TSTRING) {
        size_t m = x->len < y->len ? x->len : y->len;
        int r = memcmp(x->s, y->s, m);
        return r ? r : (x->len > y->len) - (x->len < y->len);
    }
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Pushes an array of the keys of table t: 1..n of the array part first, then
 * the other keys sorted.  *n_array receives n. */
static lua_Integer sorted_keys(lua_State *L, int t, lua_Integer *n_array)
{
    lua_Integer n = 0, total, others = 0;
    while (lua_rawgeti(L, t, n + 1) != LUA_TNIL) {
        lua_pop(L, 1);
        n++;
    }
    lua_pop(L, 1);
    lua_newtable(L); /* keys */
    int k = lua_gettop(L);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_pushinteger(L, i);
        lua_rawseti(L, k, i);
    }
    total = n;
    lua_pushnil(L);
    while (lua_next(L, t)) {
        lua_pop(L, 1);
        if (lua_isinteger(L, -1)) {
            lua_Integer i = lua_tointeger(L, -1);
            if (i >= 1 && i <= n) continue;
        }
        lua_pushvalue(L, -1);
        lua_rawseti(L, k, ++total);
        others++;
    }
    if (others > 1) {
        struct skey *v = lua_newuserdatauv(L, (size_t)others * sizeof *v, 0);
        for (lua_Integer i = 0; i < others; i++) {
            int ty = lua_rawgeti(L, k, n + 1 + i);
            v[i].type = ty;
            v[i].pos = n + 1 + i;
            v[i].num = ty == LUA_TNUMBER ? lua_tonumber(L, -1) : 0;
            v[i].s = ty == LUA_TSTRING ? lua_tolstring(L, -1, &v[i].len) : NULL;
            lua_pop(L, 1);
        }
        qsort(v, (size_t)others, sizeof *v, skey_cmp);
        lua_newtable(L); /* the sorted order, built apart so positions stay valid */
        for (lua_Integer i = 0; i < others; i++) {
            lua_rawgeti(L, k, v[i].pos);
            lua_rawseti(L, -2, i + 1);
        }
        for (lua_Integer i = 0; i < others; i++) {
            lua_rawgeti(L, -1, i + 1);
            lua_rawseti(L, k, n + 1 + i);
        }
        lua_pop(L, 2);
    }
    *n_array = n;
    return total;
}

/* Calls the __pretty metamethod on top of the stack as
 * __pretty(value, width, color, max_rows, compact) and leaves its string in
 * its place: the types of the binding (Case, Result) render themselves, so
 * this file needs to know none of them. */
static void call_pretty(lua_State *L, int idx, const struct omb_pretty_opts *o, int compact)
{
    lua_pushvalue(L, idx);
    lua_pushinteger(L, o->width);
    lua_pushboolean(L, o->color);
    lua_pushinteger(L, (lua_Integer)o->max_rows);
    lua_pushboolean(L, compact);
    lua_call(L, 5, 1);
    if (lua_type(L, -1) != LUA_TSTRING) luaL_error(L, "__pretty must return a string");
}

static void render(struct pctx *c, omb_sbuf *b, int idx, int level, int indent, int compact);

/* Appends the key of entry i (when not in the array part) and " = ". */
static void render_key(struct pctx *c, omb_sbuf *b, int keys, lua_Integer i, lua_Integer n_array, int level, int indent)
{
    lua_State *L = c->L;
    if (i <= n_array) return;
    lua_rawgeti(L, keys, i);
    size_t kl;
    const char *ks = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &kl) : NULL;
    if (ks && is_identifier(ks, kl)) omb_sbuf_add(L, b, ks, kl);
    else {
        omb_sbuf_add(L, b, "[", 1);
        render(c, b, lua_gettop(L), level + 1, indent, 1);
        omb_sbuf_add(L, b, "]", 1);
    }
    lua_pop(L, 1);
    omb_sbuf_add(L, b, " = ", 3);
}

/* Appends the value of entry i. */
static void render_entry_value(struct pctx *c, omb_sbuf *b, int t, int keys, lua_Integer i, int level, int indent,
                               int compact)
{
    lua_State *L = c->L;
    lua_rawgeti(L, keys, i);
    lua_rawget(L, t);
    render(c, b, lua_gettop(L), level + 1, indent, compact);
    lua_pop(L, 1);
}

/* The table on one line: {1, 2, k = v, … (N more)}. */
static void render_line(struct pctx *c, omb_sbuf *b, int t, int keys, lua_Integer n_array, lua_Integer shown,
                        lua_Integer total, int level, int indent)
{
    lua_State *L = c->L;
    omb_sbuf_add(L, b, "{", 1);
    for (lua_Integer i = 1; i <= shown; i++) {
        if (i > 1) omb_sbuf_add(L, b, ", ", 2);
        render_key(c, b, keys, i, n_array, level, indent);
        render_entry_value(c, b, t, keys, i, level, indent, 1);
    }
    if (shown < total) omb_sbuf_addf(L, b, ", " ELLIPSIS " (%lld more)", (long long)(total - shown));
    omb_sbuf_add(L, b, "}", 1);
}

static void add_spaces(lua_State *L, omb_sbuf *b, int n)
{
    static const char sp[] = "                                ";
    while (n > 0) {
        int k = n < 32 ? n : 32;
        omb_sbuf_add(L, b, sp, (size_t)k);
        n -= k;
    }
}

/* Tables print on one line when that fits the width (from column indent),
 * else one entry per line, each nested table trying one line again. */
static void render_table(struct pctx *c, omb_sbuf *b, int t, int level, int indent, int compact)
{
    lua_State *L = c->L;
    luaL_checkstack(L, 10, "nesting too deep to print");
    lua_pushvalue(L, t);
    if (lua_rawget(L, c->seen) != LUA_TNIL) {
        lua_pop(L, 1);
        colored(c, b, C_DIM, "<cycle>", 7);
        return;
    }
    lua_pop(L, 1);
    lua_pushnil(L);
    if (!lua_next(L, t)) {
        omb_sbuf_add(L, b, "{}", 2);
        return;
    }
    lua_pop(L, 2);
    if (level >= c->o->depth) {
        omb_sbuf_adds(L, b, "{" ELLIPSIS "}");
        return;
    }
    lua_pushvalue(L, t);
    lua_pushboolean(L, 1);
    lua_rawset(L, c->seen);
    int top = lua_gettop(L);
    lua_Integer n_array, total = sorted_keys(L, t, &n_array);
    int keys = lua_gettop(L);
    lua_Integer shown = total < c->o->items ? total : c->o->items;
    if (compact) {
        render_line(c, b, t, keys, n_array, shown, total, level, indent);
    } else {
        omb_sbuf *line = omb_sbuf_new(L);
        render_line(c, line, t, keys, n_array, shown, total, level, indent);
        size_t w = omb_utf8_width(line->p, line->n);
        int fits = c->o->width > 0 ? (size_t)indent + w <= (size_t)c->o->width : w <= 100;
        if (fits) {
            omb_sbuf_add(L, b, line->p, line->n);
        } else {
            omb_sbuf_add(L, b, "{\n", 2);
            for (lua_Integer i = 1; i <= shown; i++) {
                add_spaces(L, b, indent + 2);
                size_t start = b->n;
                render_key(c, b, keys, i, n_array, level, indent + 2);
                int key_w = (int)omb_utf8_width(b->p + start, b->n - start);
                render_entry_value(c, b, t, keys, i, level, indent + 2 + key_w, 0);
                omb_sbuf_add(L, b, i < shown || shown < total ? ",\n" : "\n", i < shown || shown < total ? 2 : 1);
            }
            if (shown < total) {
                add_spaces(L, b, indent + 2);
                omb_sbuf_addf(L, b, ELLIPSIS " (%lld more)\n", (long long)(total - shown));
            }
            add_spaces(L, b, indent);
            omb_sbuf_add(L, b, "}", 1);
        }
    }
    lua_settop(L, top);
    lua_pushvalue(L, t);
    lua_pushnil(L);
    lua_rawset(L, c->seen);
}

static void render(struct pctx *c, omb_sbuf *b, int idx, int level, int indent, int compact)
{
    lua_State *L = c->L;
    size_t n;
    const char *s;
    switch (lua_type(L, idx)) {
    case LUA_TNIL: colored(c, b, C_CONST, "nil", 3); return;
    case LUA_TBOOLEAN:
        s = lua_toboolean(L, idx) ? "true" : "false";
        colored(c, b, C_CONST, s, strlen(s));
        return;
    case LUA_TNUMBER:
        s = luaL_tolstring(L, idx, &n);
        colored(c, b, C_NUMBER, s, n);
        lua_pop(L, 1);
        return;
    case LUA_TSTRING: {
        s = lua_tolstring(L, idx, &n);
        /* nested strings are cut so one long summary does not hide the rest */
        size_t max = level == 0 ? 0 : (size_t)(c->o->width > 40 ? c->o->width : 40) * 2;
        quote_string(c, b, s, n, max);
        return;
    }
    case LUA_TTABLE:
        if (luaL_getmetafield(L, idx, "__tostring") != LUA_TNIL) {
            lua_pop(L, 1);
            s = luaL_tolstring(L, idx, &n);
            omb_sbuf_add(L, b, s, n);
            lua_pop(L, 1);
            return;
        }
        render_table(c, b, idx, level, indent, compact);
        return;
    case LUA_TUSERDATA:
        if (luaL_getmetafield(L, idx, "__pretty") != LUA_TNIL) { /* one line: compact */
            call_pretty(L, idx, c->o, 1);
            s = lua_tolstring(L, -1, &n);
            omb_sbuf_add(L, b, s, n);
            lua_pop(L, 1);
            return;
        }
        /* fall through */
    default:
        s = luaL_tolstring(L, idx, &n);
        colored(c, b, C_DIM, s, n);
        lua_pop(L, 1);
    }
}

/* A string with line breaks reads best as a long bracket literal. */
static void long_string(lua_State *L, omb_sbuf *b, const char *s, size_t n)
{
    int level = 0;
    for (;;) {
        char close[16];
        close[0] = ']';
        memset(close + 1, '=', (size_t)level);
        close[level + 1] = ']';
        size_t cl = (size_t)level + 2;
        int found = 0;
        for (size_t i = 0; i + cl <= n && !found; i++)
            if (!memcmp(s + i, close, cl)) found = 1;
        /* a string ending in "]" + "="*level would also close early */
        if (!found && !(n >= cl - 1 && !memcmp(s + n - (cl - 1), close, cl - 1))) break;
        if (++level > 10) break;
    }
    omb_sbuf_add(L, b, "[", 1);
    for (int i = 0; i < level; i++) omb_sbuf_add(L, b, "=", 1);
    omb_sbuf_add(L, b, "[\n", 2); /* Lua skips a newline right after the opening bracket */
    omb_sbuf_add(L, b, s, n);
    omb_sbuf_add(L, b, "]", 1);
    for (int i = 0; i < level; i++) omb_sbuf_add(L, b, "=", 1);
    omb_sbuf_add(L, b, "]", 1);
}

void omb_pretty_value(lua_State *L, int idx, const struct omb_pretty_opts *o)
{
    idx = lua_absindex(L, idx);
    luaL_checkstack(L, 20, "cannot print");
    if (luaL_getmetafield(L, idx, "__pretty") != LUA_TNIL) { /* a Case or a Result shows itself */
        call_pretty(L, idx, o, 0);
        return;
    }
    omb_sbuf *b = omb_sbuf_new(L);
    int bi = lua_gettop(L);
    size_t n;
    const char *s;
    if (lua_type(L, idx) == LUA_TSTRING && (s = lua_tolstring(L, idx, &n)) && memchr(s, '\n', n)) {
        long_string(L, b, s, n);
    } else {
        lua_newtable(L);
        struct pctx c = {L, o, lua_gettop(L)};
        render(&c, b, idx, 0, 0, 0);
        lua_settop(L, bi);
    }
    sbuf_finish(L, bi);
}

/* ---- JSON ---------------------------------------------------------------------- */

/* A sink appending to an omb_sbuf, so JSON strings are escaped by the one
 * renderer (output.c).  omb_sbuf_add raises only when out of memory, and the
 * escaping holds no memory of its own, so raising through it leaks nothing. */
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

static void json_string(lua_State *L, omb_sbuf *b, const char *s, size_t n)
{
    struct sbuf_sink k = {L, b};
    struct omb_out o = {sbuf_write, &k};
    omb_out_json_string(&o, s, n);
}

static void json_value(lua_State *L, omb_sbuf *b, int v, int cols, int seen, int depth);

/* Appends "key":value for key k (index) of table t. */
static void json_member(lua_State *L, omb_sbuf *b, int t, int k, int seen, int depth, int *first)
{
    lua_pushvalue(L, k);
    lua_rawget(L, t);
    if (!lua_isnil(L, -1)) {
        if (!*first) omb_sbuf_add(L, b, ",", 1);
        *first = 0;
        size_t n;
        const char *s;
        if (lua_type(L, k) == LUA_TSTRING) s = lua_tolstring(L, k, &n);
        else s = luaL_tolstring(L, k, &n);
        json_string(L, b, s, n);
        if (lua_type(L, k) != LUA_TSTRING) lua_pop(L, 1);
        omb_sbuf_add(L, b, ":", 1);
        json_value(L, b, lua_gettop(L), 0, seen, depth + 1);
    }
    lua_pop(L, 1);
}

static void json_table(lua_State *L, omb_sbuf *b, int t, int cols, int seen, int depth)
{
    lua_pushvalue(L, t);
    if (lua_rawget(L, seen) != LUA_TNIL) luaL_error(L, "cannot encode a table that contains itself as JSON");
    lua_pop(L, 1);
    lua_pushvalue(L, t);
    lua_pushboolean(L, 1);
    lua_rawset(L, seen);
    int top = lua_gettop(L);
    lua_Integer n_array, total = sorted_keys(L, t, &n_array);
    int keys = lua_gettop(L);
    if (total == n_array) { /* an array (an empty table too: lists are the common case) */
        omb_sbuf_add(L, b, "[", 1);
        for (lua_Integer i = 1; i <= n_array; i++) {
            if (i > 1) omb_sbuf_add(L, b, ",", 1);
            lua_rawgeti(L, t, i);
            json_value(L, b, lua_gettop(L), cols, seen, depth + 1);
            lua_pop(L, 1);
        }
        omb_sbuf_add(L, b, "]", 1);
    } else {
        int first = 1;
        omb_sbuf_add(L, b, "{", 1);
        if (cols) { /* a row: its columns in order, then anything else */
            lua_Integer nc = (lua_Integer)lua_rawlen(L, cols);
            lua_newtable(L);
            int done = lua_gettop(L);
            for (lua_Integer i = 1; i <= nc; i++) {
                lua_rawgeti(L, cols, i);
                json_member(L, b, t, lua_gettop(L), seen, depth, &first);
                lua_pushboolean(L, 1);
                lua_rawset(L, done);
            }
            for (lua_Integer i = 1; i <= total; i++) {
                lua_rawgeti(L, keys, i);
                lua_pushvalue(L, -1);
                if (lua_rawget(L, done) == LUA_TNIL) json_member(L, b, t, lua_gettop(L) - 1, seen, depth, &first);
                lua_pop(L, 2);
            }
        } else {
            for (lua_Integer i = 1; i <= total; i++) {
                lua_rawgeti(L, keys, i);
                json_member(L, b, t, lua_gettop(L), seen, depth, &first);
                lua_pop(L, 1);
            }
        }
        omb_sbuf_add(L, b, "}", 1);
    }
    lua_settop(L, top);
    lua_pushvalue(L, t);
    lua_pushnil(L);
    lua_rawset(L, seen);
}

static void json_value(lua_State *L, omb_sbuf *b, int v, int cols, int seen, int depth)
{
    luaL_checkstack(L, 10, "nesting too deep for JSON");
    if (depth > 200) luaL_error(L, "cannot encode as JSON: nesting deeper than 200");
    switch (lua_type(L, v)) {
    case LUA_TNIL: omb_sbuf_adds(L, b, "null"); return;
    case LUA_TBOOLEAN: omb_sbuf_adds(L, b, lua_toboolean(L, v) ? "true" : "false"); return;
    case LUA_TNUMBER:
        if (lua_isinteger(L, v)) omb_sbuf_addf(L, b, "%lld", (long long)lua_tointeger(L, v));
        else {
            double d = lua_tonumber(L, v);
            if (isfinite(d)) omb_sbuf_addf(L, b, "%.17g", d);
            else omb_sbuf_adds(L, b, "null"); /* NaN and infinities are not JSON */
        }
        return;
    case LUA_TSTRING: {
        size_t n;
        const char *s = lua_tolstring(L, v, &n);
        json_string(L, b, s, n);
        return;
    }
    case LUA_TTABLE: json_table(L, b, v, cols, seen, depth); return;
    case LUA_TUSERDATA:
        if (luaL_getmetafield(L, v, "__json") != LUA_TNIL) { /* a Result gives its own JSON text */
            lua_pushvalue(L, v);
            lua_call(L, 1, 1);
            size_t n;
            const char *s = luaL_checklstring(L, -1, &n);
            omb_sbuf_add(L, b, s, n);
            lua_pop(L, 1);
            return;
        }
        /* fall through */
    default: luaL_error(L, "cannot encode a %s as JSON", luaL_typename(L, v));
    }
}

void omb_pretty_json(lua_State *L, int idx, int cols)
{
    idx = lua_absindex(L, idx);
    if (cols) cols = lua_absindex(L, cols);
    omb_sbuf *b = omb_sbuf_new(L);
    int bi = lua_gettop(L);
    lua_newtable(L);
    json_value(L, b, idx, cols, lua_gettop(L), 0);
    lua_settop(L, bi);
    sbuf_finish(L, bi);
}
