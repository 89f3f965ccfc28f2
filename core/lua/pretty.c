/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pretty.c -- renders Lua values as text (pretty.h): constructors for tables,
 * aligned tables for results, CSV and JSON for files, a record for a case.
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

#include "lua_int.h"

#define ELLIPSIS "\xE2\x80\xA6"

#define C_STRING "\033[32m"
#define C_NUMBER "\033[36m"
#define C_CONST "\033[35m"
#define C_DIM "\033[2m"
#define C_BOLD "\033[1m"
#define C_RESET "\033[0m"

/* ---- the buffer (omb_sbuf itself is lua_aux.c) ---------------------------------- */

/* Replaces the buffer at index bi with its text. */
static void sbuf_finish(lua_State *L, int bi)
{
    omb_sbuf *b = lua_touserdata(L, bi);
    lua_pushlstring(L, b->p ? b->p : "", b->n);
    lua_replace(L, bi);
}

void omb_pretty_count(char *buf, size_t cap, unsigned long long n)
{
    char digits[32];
    int len = snprintf(digits, sizeof digits, "%llu", n);
    size_t o = 0;
    for (int i = 0; i < len && o + 2 < cap; i++) {
        if (i && (len - i) % 3 == 0) buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o < cap ? o : cap - 1] = '\0';
}

void omb_pretty_defaults(struct omb_pretty_opts *o, int width, int color)
{
    o->depth = 4;
    o->items = 40;
    o->width = width;
    o->color = color;
    o->max_rows = 20;
}

/* Display columns of s: code points outside ANSI escape sequences. */
static size_t visible_width(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0x1B) {
            while (i < n && s[i] != 'm') i++;
            continue;
        }
        if ((c & 0xC0) != 0x80) w++;
    }
    return w;
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
        size_t w = visible_width(line->p, line->n);
        int fits = c->o->width > 0 ? (size_t)indent + w <= (size_t)c->o->width : w <= 100;
        if (fits) {
            omb_sbuf_add(L, b, line->p, line->n);
        } else {
            omb_sbuf_add(L, b, "{\n", 2);
            for (lua_Integer i = 1; i <= shown; i++) {
                add_spaces(L, b, indent + 2);
                size_t start = b->n;
                render_key(c, b, keys, i, n_array, level, indent + 2);
                int key_w = (int)visible_width(b->p + start, b->n - start);
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
    case LUA_TTABLE: {
        int has_tostring = luaL_getmetafield(L, idx, "__tostring") != LUA_TNIL;
        if (has_tostring) lua_pop(L, 1);
        if (has_tostring || omb_lua_is_case(L, idx)) {
            s = luaL_tolstring(L, idx, &n);
            omb_sbuf_add(L, b, s, n);
            lua_pop(L, 1);
            return;
        }
        render_table(c, b, idx, level, indent, compact);
        return;
    }
    case LUA_TUSERDATA:
        if (omb_lua_is_result(L, idx)) {
            omb_lua_result_parts(L, idx);
            omb_sbuf_addf(L, b, "ombuds.Result (%lld rows)", (long long)lua_rawlen(L, -1));
            lua_pop(L, 2);
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
    if (omb_lua_is_result(L, idx)) {
        omb_lua_result_parts(L, idx);
        int top = lua_gettop(L);
        omb_pretty_table(L, top - 1, top, o);
        lua_replace(L, top - 1);
        lua_pop(L, 1);
        return;
    }
    if (omb_lua_is_case(L, idx)) {
        omb_pretty_case(L, idx, o);
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

/* ---- results as tables and CSV ------------------------------------------------ */

/* Pushes the text of one cell: one line, numbers as Lua writes them (floats
 * with 6 significant digits), tables compactly, nil as "". */
static void cell_text(lua_State *L, int v)
{
    switch (lua_type(L, v)) {
    case LUA_TNIL: lua_pushliteral(L, ""); return;
    case LUA_TNUMBER:
        if (lua_isinteger(L, v)) lua_pushfstring(L, "%I", (LUAI_UACINT)lua_tointeger(L, v));
        else {
            char tmp[64];
            snprintf(tmp, sizeof tmp, "%.6g", lua_tonumber(L, v));
            lua_pushstring(L, tmp);
        }
        return;
    case LUA_TSTRING: {
        size_t n;
        const char *s = lua_tolstring(L, v, &n);
        if (!memchr(s, '\n', n) && !memchr(s, '\r', n) && !memchr(s, '\t', n)) {
            lua_pushvalue(L, v);
            return;
        }
        omb_sbuf *b = omb_sbuf_new(L);
        for (size_t i = 0; i < n; i++) {
            char ch = (s[i] == '\n' || s[i] == '\r' || s[i] == '\t') ? ' ' : s[i];
            omb_sbuf_add(L, b, &ch, 1);
        }
        sbuf_finish(L, lua_gettop(L));
        return;
    }
    case LUA_TTABLE: {
        if (omb_lua_is_case(L, v)) {
            lua_getfield(L, v, "ref");
            if (lua_isnil(L, -1)) {
                lua_pop(L, 1);
                lua_pushliteral(L, "(case)");
            }
            return;
        }
        struct omb_pretty_opts o = {1, 4, 0, 0, 0};
        omb_pretty_value(L, v, &o);
        return;
    }
    default: luaL_tolstring(L, v, NULL); return;
    }
}

static void put_cell(lua_State *L, omb_sbuf *b, const char *s, size_t w, int right, int last)
{
    size_t n = strlen(s), cw = visible_width(s, n);
    if (cw <= w) {
        if (right) add_spaces(L, b, (int)(w - cw));
        omb_sbuf_add(L, b, s, n);
        if (!right && !last) add_spaces(L, b, (int)(w - cw));
        return;
    }
    omb_sbuf_add(L, b, s, prefix_bytes(s, n, w ? w - 1 : 0));
    if (w) omb_sbuf_adds(L, b, ELLIPSIS);
}

void omb_pretty_table(lua_State *L, int cols, int rows, const struct omb_pretty_opts *o)
{
    cols = lua_absindex(L, cols);
    rows = lua_absindex(L, rows);
    luaL_checkstack(L, 20, "cannot print");
    lua_Integer nc = (lua_Integer)lua_rawlen(L, cols), nr = (lua_Integer)lua_rawlen(L, rows);
    lua_Integer shown = o->max_rows && (lua_Integer)o->max_rows < nr ? (lua_Integer)o->max_rows : nr;
    omb_sbuf *b = omb_sbuf_new(L);
    int bi = lua_gettop(L);
    char count[40];
    if (nc == 0) {
        omb_pretty_count(count, sizeof count, (unsigned long long)nr);
        omb_sbuf_addf(L, b, "(%s row%s, no columns)\n", count, nr == 1 ? "" : "s");
        sbuf_finish(L, bi);
        return;
    }
    size_t *w = lua_newuserdatauv(L, (size_t)nc * (2 * sizeof(size_t) + sizeof(int)), 0);
    size_t *content = w + nc; /* widest cell, header apart */
    int *numeric = (int *)(content + nc);
    lua_newtable(L); /* cells: (r * nc + i) -> text, anchoring the strings */
    int cells = lua_gettop(L);
    for (lua_Integer i = 0; i < nc; i++) {
        lua_rawgeti(L, cols, i + 1);
        const char *name = luaL_tolstring(L, -1, NULL);
        w[i] = visible_width(name, strlen(name));
        lua_rawseti(L, cells, i + 1);
        lua_pop(L, 1);
        numeric[i] = 1;
        content[i] = 0;
    }
    for (lua_Integer r = 1; r <= shown; r++) {
        lua_rawgeti(L, rows, r);
        int row = lua_gettop(L);
        for (lua_Integer i = 0; i < nc; i++) {
            if (lua_type(L, row) == LUA_TTABLE) {
                lua_rawgeti(L, cells, i + 1);
                lua_rawget(L, row);
            } else {
                lua_pushnil(L);
            }
            int t = lua_type(L, -1);
            if (t != LUA_TNUMBER && t != LUA_TNIL) numeric[i] = 0;
            cell_text(L, lua_gettop(L));
            size_t len;
            const char *s = lua_tolstring(L, -1, &len);
            size_t cw = visible_width(s, len);
            if (cw > w[i]) w[i] = cw;
            if (cw > content[i]) content[i] = cw;
            lua_rawseti(L, cells, r * nc + i + 1);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    /* fit the width: first cut headers longer than their column's cells,
     * then shrink the widest column until the row fits */
    if (o->width > 0) {
        size_t total = 0;
        for (lua_Integer i = 0; i < nc; i++) total += w[i] + 2;
        total -= 2;
        for (lua_Integer i = 0; i < nc && total > (size_t)o->width; i++) {
            size_t want = content[i] > 6 ? content[i] : 6;
            while (w[i] > want && total > (size_t)o->width) {
                w[i]--;
                total--;
            }
        }
        while (total > (size_t)o->width) {
            lua_Integer widest = 0;
            for (lua_Integer i = 1; i < nc; i++)
                if (w[i] > w[widest]) widest = i;
            if (w[widest] <= 8) break;
            w[widest]--;
            total--;
        }
    }
    for (lua_Integer r = 0; r <= shown; r++) {
        if (r == 0 && o->color) omb_sbuf_adds(L, b, C_BOLD);
        for (lua_Integer i = 0; i < nc; i++) {
            lua_rawgeti(L, cells, r * nc + i + 1);
            put_cell(L, b, lua_tostring(L, -1), w[i], r > 0 && numeric[i], i + 1 == nc);
            lua_pop(L, 1);
            if (i + 1 < nc) omb_sbuf_add(L, b, "  ", 2);
        }
        if (r == 0 && o->color) omb_sbuf_adds(L, b, C_RESET);
        omb_sbuf_add(L, b, "\n", 1);
        if (r == 0) {
            for (lua_Integer i = 0; i < nc; i++) {
                for (size_t k = 0; k < w[i]; k++) omb_sbuf_add(L, b, "-", 1);
                if (i + 1 < nc) omb_sbuf_add(L, b, "  ", 2);
            }
            omb_sbuf_add(L, b, "\n", 1);
        }
    }
    if (shown < nr) {
        omb_pretty_count(count, sizeof count, (unsigned long long)(nr - shown));
        omb_sbuf_addf(L, b, "... %s more row%s\n", count, nr - shown == 1 ? "" : "s");
    }
    omb_pretty_count(count, sizeof count, (unsigned long long)nr);
    omb_sbuf_addf(L, b, "(%s row%s)\n", count, nr == 1 ? "" : "s");
    lua_settop(L, bi);
    sbuf_finish(L, bi);
}

static void csv_field(lua_State *L, omb_sbuf *b, const char *s, size_t n)
{
    int quote = 0;
    for (size_t i = 0; i < n && !quote; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r') quote = 1;
    if (!quote) {
        omb_sbuf_add(L, b, s, n);
        return;
    }
    omb_sbuf_add(L, b, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"') omb_sbuf_add(L, b, "\"", 1);
        omb_sbuf_add(L, b, s + i, 1);
    }
    omb_sbuf_add(L, b, "\"", 1);
}

void omb_pretty_csv(lua_State *L, int cols, int rows)
{
    cols = lua_absindex(L, cols);
    rows = lua_absindex(L, rows);
    luaL_checkstack(L, 20, "cannot write CSV");
    lua_Integer nc = (lua_Integer)lua_rawlen(L, cols), nr = (lua_Integer)lua_rawlen(L, rows);
    omb_sbuf *b = omb_sbuf_new(L);
    int bi = lua_gettop(L);
    size_t n;
    const char *s;
    for (lua_Integer i = 1; i <= nc; i++) {
        lua_rawgeti(L, cols, i);
        s = luaL_tolstring(L, -1, &n);
        csv_field(L, b, s, n);
        lua_pop(L, 2);
        omb_sbuf_adds(L, b, i < nc ? "," : "\r\n");
    }
    for (lua_Integer r = 1; r <= nr; r++) {
        lua_rawgeti(L, rows, r);
        int row = lua_gettop(L);
        for (lua_Integer i = 1; i <= nc; i++) {
            lua_rawgeti(L, cols, i);
            if (lua_type(L, row) == LUA_TTABLE) lua_rawget(L, row);
            else {
                lua_pop(L, 1);
                lua_pushnil(L);
            }
            int v = lua_gettop(L);
            switch (lua_type(L, v)) {
            case LUA_TNIL: break;
            case LUA_TSTRING:
                s = lua_tolstring(L, v, &n);
                csv_field(L, b, s, n);
                break;
            case LUA_TNUMBER:
                if (lua_isinteger(L, v)) omb_sbuf_addf(L, b, "%lld", (long long)lua_tointeger(L, v));
                else omb_sbuf_addf(L, b, "%.17g", lua_tonumber(L, v));
                break;
            case LUA_TTABLE:
                omb_pretty_json(L, v, 0);
                s = lua_tolstring(L, -1, &n);
                csv_field(L, b, s, n);
                lua_pop(L, 1);
                break;
            default:
                s = luaL_tolstring(L, v, &n);
                csv_field(L, b, s, n);
                lua_pop(L, 1);
            }
            lua_pop(L, 1);
            omb_sbuf_adds(L, b, i < nc ? "," : "\r\n");
        }
        lua_pop(L, 1);
    }
    sbuf_finish(L, bi);
}

/* ---- JSON ---------------------------------------------------------------------- */

static void json_string(lua_State *L, omb_sbuf *b, const char *s, size_t n)
{
    omb_sbuf_add(L, b, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        switch (ch) {
        case '"': omb_sbuf_add(L, b, "\\\"", 2); break;
        case '\\': omb_sbuf_add(L, b, "\\\\", 2); break;
        case '\n': omb_sbuf_add(L, b, "\\n", 2); break;
        case '\r': omb_sbuf_add(L, b, "\\r", 2); break;
        case '\t': omb_sbuf_add(L, b, "\\t", 2); break;
        default:
            if (ch < 0x20) omb_sbuf_addf(L, b, "\\u%04x", ch);
            else omb_sbuf_add(L, b, s + i, 1);
        }
    }
    omb_sbuf_add(L, b, "\"", 1);
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
        if (omb_lua_is_result(L, v)) {
            omb_lua_result_parts(L, v);
            int top = lua_gettop(L);
            json_table(L, b, top, top - 1, seen, depth);
            lua_pop(L, 2);
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

/* ---- a case as a record -------------------------------------------------------- */

static void money(char *buf, size_t cap, lua_Integer pence)
{
    char pounds[40];
    omb_pretty_count(pounds, sizeof pounds, (unsigned long long)(pence / 100));
    snprintf(buf, cap, "\xC2\xA3%s.%02d", pounds, (int)(pence % 100));
}

/* Appends text wrapped to the width, continuation lines indented by indent. */
static void wrapped(lua_State *L, omb_sbuf *b, const char *s, int indent, int width)
{
    int avail = width > indent + 20 ? width - indent : 0;
    size_t n = strlen(s);
    if (!avail) {
        omb_sbuf_add(L, b, s, n);
        return;
    }
    size_t i = 0;
    int first = 1;
    while (i < n) {
        while (i < n && s[i] == ' ') i++;
        size_t end = i, last_space = 0, cols = 0;
        while (end < n && cols < (size_t)avail) {
            if (s[end] == ' ') last_space = end;
            end++;
            while (end < n && ((unsigned char)s[end] & 0xC0) == 0x80) end++;
            cols++;
        }
        if (end < n && last_space > i) end = last_space;
        if (!first) {
            omb_sbuf_add(L, b, "\n", 1);
            add_spaces(L, b, indent);
        }
        omb_sbuf_add(L, b, s + i, end - i);
        first = 0;
        i = end;
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

static void label(lua_State *L, omb_sbuf *b, const char *name, const struct omb_pretty_opts *o)
{
    omb_sbuf_add(L, b, "  ", 2);
    if (o->color) omb_sbuf_adds(L, b, C_DIM);
    omb_sbuf_addf(L, b, "%-*s", LABEL_W - 2, name);
    if (o->color) omb_sbuf_adds(L, b, C_RESET);
}

void omb_pretty_case(lua_State *L, int idx, const struct omb_pretty_opts *o)
{
    idx = lua_absindex(L, idx);
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
        label(L, b, scalars[i][1], o);
        wrapped(L, b, v, LABEL_W, o->width);
        omb_sbuf_add(L, b, "\n", 1);
    }
    char m[64];
    lua_getfield(L, idx, "payment_total_pence");
    if (lua_isinteger(L, -1) && lua_tointeger(L, -1) > 0) {
        money(m, sizeof m, lua_tointeger(L, -1));
        label(L, b, "payments", o);
        omb_sbuf_addf(L, b, "%s\n", m);
    }
    lua_pop(L, 1);
    static const char *const lists[] = {"remedies", "improvements", "events", "sources"};
    for (size_t li = 0; li < 4; li++) {
        lua_getfield(L, idx, lists[li]);
        int t = lua_gettop(L);
        lua_Integer n = lua_type(L, t) == LUA_TTABLE ? (lua_Integer)lua_rawlen(L, t) : 0;
        for (lua_Integer i = 1; i <= n; i++) {
            if (i == 1) label(L, b, lists[li], o);
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
                    money(m, sizeof m, lua_tointeger(L, -1));
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
    sbuf_finish(L, bi);
}
