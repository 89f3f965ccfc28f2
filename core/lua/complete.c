/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * complete.c -- completion candidates for the console (complete.h), after
 * luaprompt's prompt.c but without evaluating the prefix: the path before
 * the cursor is walked with raw gets, metatables are read with
 * lua_getmetatable (which ignores __metatable and calls nothing).  Reading
 * readline's state and showing the list is console.c's job.
 */
#include "complete.h"

#include <ctype.h>
#include <dirent.h>
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "lua_int.h"

static const char *const lua_keywords[] = {"and",   "break", "do",     "else", "elseif", "end",   "false",
                                           "for",   "function", "goto", "if",  "in",     "local", "nil",
                                           "not",   "or",    "repeat", "return", "then", "true",  "until",
                                           "while", NULL};

static const char *const sql_keywords[] = {
    "SELECT", "FROM",  "WHERE",  "GROUP BY", "ORDER BY", "HAVING", "LIMIT",    "JOIN",  "LEFT JOIN", "ON",
    "AS",     "AND",   "OR",     "NOT",      "IN",       "IS NULL", "LIKE",    "DISTINCT", "COUNT",  "SUM",
    "AVG",    "MIN",   "MAX",    "DESC",     "ASC",      "CASE",   "WHEN",     "THEN",  "ELSE",      "END",
    "WITH",   "UNION", "EXISTS", "BETWEEN",  "COALESCE", "ROUND",  "PRINTF",   "SUBSTR", "GROUP_CONCAT", NULL};

static const char *const dot_commands[] = {".help",  ".tables", ".schema", ".plugins", ".metrics", ".open",
                                           ".mode",  ".rows",   ".quit",   NULL};

static const char *const filter_keys[] = {"authority", "category", "subcategory", "year", "outcome",
                                          "text",      "ref",      "limit",       NULL};

static int is_ident_char(char c) { return c == '_' || isalnum((unsigned char)c); }

/* ---- reading the line ---------------------------------------------------------------- */

struct scan {
    int in_string;       /* the cursor is inside a string literal */
    size_t string_start; /* offset just after its opening quote or bracket */
    int in_comment;
};

/* Lexes line[0..cursor) just enough to know whether the cursor sits in a
 * string or a comment. */
static struct scan scan_line(const char *line, size_t cursor)
{
    struct scan s = {0, 0, 0};
    size_t i = 0;
    while (i < cursor) {
        char c = line[i];
        if (c == '"' || c == '\'') {
            size_t j = i + 1;
            while (j < cursor && line[j] != c) j += line[j] == '\\' ? 2 : 1;
            if (j >= cursor) {
                s.in_string = 1;
                s.string_start = i + 1;
                return s;
            }
            i = j + 1;
        } else if (c == '-' && i + 1 < cursor && line[i + 1] == '-') {
            s.in_comment = 1;
            return s;
        } else if (c == '[' && i + 1 < cursor && (line[i + 1] == '[' || line[i + 1] == '=')) {
            size_t j = i + 1, level = 0;
            while (j < cursor && line[j] == '=') j++, level++;
            if (j < cursor && line[j] == '[') {
                const char *close = NULL;
                for (size_t k = j + 1; k + level + 1 < cursor + 1 && k < cursor; k++) {
                    if (line[k] != ']') continue;
                    size_t e = 0;
                    while (k + 1 + e < cursor && line[k + 1 + e] == '=') e++;
                    if (e == level && k + 1 + e < cursor && line[k + 1 + e] == ']') {
                        close = line + k + 1 + e;
                        break;
                    }
                }
                if (!close) {
                    s.in_string = 1;
                    s.string_start = j + 1;
                    return s;
                }
                i = (size_t)(close - line) + 1;
            } else {
                i++;
            }
        } else {
            i++;
        }
    }
    return s;
}

/* The identifier that ends at offset end (after skipping white space back),
 * copied into out; returns its start, or (size_t)-1 when there is none. */
static size_t word_before(const char *line, size_t end, char *out, size_t cap)
{
    while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t')) end--;
    size_t b = end;
    while (b > 0 && is_ident_char(line[b - 1])) b--;
    if (b == end || end - b >= cap) return (size_t)-1;
    memcpy(out, line + b, end - b);
    out[end - b] = '\0';
    return b;
}

/* Offset of the last non-blank character before end, or (size_t)-1. */
static size_t last_char(const char *line, size_t end)
{
    while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t')) end--;
    return end ? end - 1 : (size_t)-1;
}

/* For a string starting at q: kind of completion and, for VALUE, the column. */
static int string_context(const char *line, size_t q, char *column, size_t cap)
{
    char w[64];
    size_t quote = q - 1;
    size_t lc = last_char(line, quote);
    if (lc != (size_t)-1 && line[lc] == '=') {
        if (word_before(line, lc, w, sizeof w) != (size_t)-1) {
            if (!strcmp(w, "format")) return OMB_COMPLETE_PLUGIN;
            if (!strcmp(w, "authority") || !strcmp(w, "category") || !strcmp(w, "subcategory") ||
                !strcmp(w, "outcome")) {
                snprintf(column, cap, "%s", w);
                return OMB_COMPLETE_VALUE;
            }
        }
    }
    if (lc != (size_t)-1 && line[lc] == '(' && word_before(line, lc, w, sizeof w) != (size_t)-1) {
        if (!strcmp(w, "query")) return OMB_COMPLETE_SQL;
        if (!strcmp(w, "search")) return OMB_COMPLETE_NONE;
    }
    return OMB_COMPLETE_FILE;
}

int omb_complete_context(const char *line, size_t cursor, size_t *start)
{
    *start = cursor;
    size_t lead = 0;
    while (lead < cursor && (line[lead] == ' ' || line[lead] == '\t')) lead++;
    if (lead < cursor && line[lead] == '.' && lead + 1 <= cursor &&
        (lead + 1 == cursor || isalpha((unsigned char)line[lead + 1]))) {
        size_t e = lead + 1;
        while (e < cursor && isalpha((unsigned char)line[e])) e++;
        if (e == cursor) {
            *start = lead;
            return OMB_COMPLETE_DOT;
        }
        size_t a = e;
        while (a < cursor && (line[a] == ' ' || line[a] == '\t')) a++;
        if (a < cursor && (line[a] == '"' || line[a] == '\'')) a++;
        *start = a;
        return OMB_COMPLETE_DOT;
    }
    struct scan s = scan_line(line, cursor);
    if (s.in_comment) return OMB_COMPLETE_NONE;
    if (s.in_string) {
        char column[64];
        int kind = string_context(line, s.string_start, column, sizeof column);
        if (kind == OMB_COMPLETE_SQL) {
            size_t b = cursor;
            while (b > s.string_start && is_ident_char(line[b - 1])) b--;
            *start = b;
        } else {
            *start = s.string_start;
        }
        return kind;
    }
    size_t b = cursor;
    while (b > 0 && is_ident_char(line[b - 1])) b--;
    *start = b;
    return OMB_COMPLETE_LUA;
}

/* ---- gathering candidates -------------------------------------------------------------- */

struct cands {
    lua_State *L;
    int set;            /* table: candidate -> true */
    const char *prefix; /* what the candidates must start with */
    size_t n_prefix;
    int nocase;
};

static void add(struct cands *c, const char *s, size_t n, const char *suffix)
{
    if (n < c->n_prefix) return;
    if (c->nocase ? strncasecmp(s, c->prefix, c->n_prefix) : memcmp(s, c->prefix, c->n_prefix)) return;
    lua_pushlstring(c->L, s, n);
    if (suffix) {
        lua_pushstring(c->L, suffix);
        lua_concat(c->L, 2);
    }
    lua_pushboolean(c->L, 1);
    lua_rawset(c->L, c->set);
}

static int is_identifier(const char *s, size_t n)
{
    if (!n || isdigit((unsigned char)s[0])) return 0;
    for (size_t i = 0; i < n; i++)
        if (!is_ident_char(s[i])) return 0;
    for (int k = 0; lua_keywords[k]; k++)
        if (strlen(lua_keywords[k]) == n && !memcmp(lua_keywords[k], s, n)) return 0;
    return 1;
}

/* Adds the string keys of table t; methods_only keeps functions only. */
static void add_keys(struct cands *c, int t, int methods_only, int with_suffix)
{
    lua_State *L = c->L;
    lua_pushnil(L);
    while (lua_next(L, t)) {
        int vt = lua_type(L, -1);
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING) continue;
        size_t n;
        const char *k = lua_tolstring(L, -1, &n);
        if (!is_identifier(k, n)) continue;
        if (n >= 2 && k[0] == '_' && k[1] == '_') continue; /* metamethods are not for typing */
        if (methods_only && vt != LUA_TFUNCTION) continue;
        const char *suffix = NULL;
        if (with_suffix) suffix = vt == LUA_TFUNCTION ? "(" : vt == LUA_TTABLE ? "." : NULL;
        add(c, k, n, suffix);
    }
}

/* Pushes the table holding the methods of value v: its metatable's __index
 * when that is a table, else the metatable's "methods" table (ombuds.Result
 * dispatches through a function), else nil. */
static void push_methods(lua_State *L, int v)
{
    if (!lua_getmetatable(L, v)) {
        lua_pushnil(L);
        return;
    }
    if (lua_getfield(L, -1, "__index") == LUA_TTABLE) {
        lua_remove(L, -2);
        return;
    }
    lua_pop(L, 1);
    lua_getfield(L, -1, "methods");
    lua_remove(L, -2);
    if (!lua_istable(L, -1)) {
        lua_pop(L, 1);
        lua_pushnil(L);
    }
}

/* Adds the fields of v and, up a few __index tables, of its metatables. */
static void add_fields(struct cands *c, int v, int methods_only)
{
    lua_State *L = c->L;
    int top = lua_gettop(L);
    lua_pushvalue(L, v);
    for (int depth = 0; depth < 4 && !lua_isnil(L, -1); depth++) {
        int cur = lua_gettop(L);
        if (lua_istable(L, cur)) add_keys(c, cur, methods_only, 1);
        push_methods(L, cur);
    }
    lua_settop(L, top);
}

/* Raw field k of the value on top, looking through __index tables; replaces
 * the top with it (nil when not found without running code). */
static void walk_field(lua_State *L, const char *k, size_t n)
{
    for (int depth = 0; depth < 4; depth++) {
        if (lua_istable(L, -1)) {
            lua_pushlstring(L, k, n);
            if (lua_rawget(L, -2) != LUA_TNIL) {
                lua_remove(L, -2);
                return;
            }
            lua_pop(L, 1);
        }
        push_methods(L, lua_gettop(L));
        lua_remove(L, -2);
        if (lua_isnil(L, -1)) return;
    }
    lua_pop(L, 1);
    lua_pushnil(L);
}

static void complete_lua(struct cands *c, const char *line, size_t start)
{
    lua_State *L = c->L;
    /* the path before the word: name.name:name... */
    size_t b = start;
    while (b > 0 && (line[b - 1] == '.' || line[b - 1] == ':')) {
        size_t e = b - 1;
        size_t w = e;
        while (w > 0 && is_ident_char(line[w - 1])) w--;
        if (w == e) return; /* f().x or t[1].x: not walkable without running code */
        b = w;
        if (w > 0 && (line[w - 1] == ')' || line[w - 1] == ']')) return;
    }
    if (b > 0 && (line[b - 1] == ')' || line[b - 1] == ']' || line[b - 1] == '"' || line[b - 1] == '\'')) return;
    if (b == start) {
        for (int k = 0; lua_keywords[k]; k++) add(c, lua_keywords[k], strlen(lua_keywords[k]), NULL);
        lua_pushglobaltable(L);
        add_fields(c, lua_gettop(L), 0);
        lua_pop(L, 1);
        /* inside db:cases{...} or db:count{...}: the filter keys */
        int depth = 0;
        for (size_t i = start; i > 0; i--) {
            char ch = line[i - 1];
            if (ch == '}') depth++;
            else if (ch == '{' && depth-- == 0) {
                size_t lc = last_char(line, i - 1);
                char w[32];
                if (lc != (size_t)-1 && line[lc] == '(') lc = last_char(line, lc);
                if (word_before(line, lc == (size_t)-1 ? i - 1 : lc + 1, w, sizeof w) != (size_t)-1 &&
                    (!strcmp(w, "cases") || !strcmp(w, "count"))) {
                    size_t before = last_char(line, start);
                    if (before != (size_t)-1 && (line[before] == '{' || line[before] == ','))
                        for (int k = 0; filter_keys[k]; k++) add(c, filter_keys[k], strlen(filter_keys[k]), " = ");
                }
                break;
            }
        }
        return;
    }
    lua_pushglobaltable(L);
    size_t p = b;
    char sep = 0;
    while (p < start) {
        size_t e = p;
        while (e < start && is_ident_char(line[e])) e++;
        walk_field(L, line + p, e - p);
        if (lua_isnil(L, -1)) {
            lua_pop(L, 1);
            return;
        }
        sep = line[e];
        p = e + 1;
    }
    add_fields(c, lua_gettop(L), sep == ':');
    lua_pop(L, 1);
}

static void complete_sql(struct cands *c)
{
    lua_State *L = c->L;
    c->nocase = 1;
    int lower = c->n_prefix && islower((unsigned char)c->prefix[0]);
    for (int k = 0; sql_keywords[k]; k++) {
        char kw[32];
        size_t n = strlen(sql_keywords[k]);
        for (size_t i = 0; i <= n; i++) kw[i] = lower ? (char)tolower((unsigned char)sql_keywords[k][i]) : sql_keywords[k][i];
        add(c, kw, n, NULL);
    }
    lua_getglobal(L, "db");
    omb_store *st = omb_lua_test_store(L, -1);
    lua_pop(L, 1);
    if (!st) return;
    struct omb_lua_stmt *g =
        omb_lua_prepare(L, omb_store_db(st),
                        "SELECT s.name FROM sqlite_schema s WHERE s.type IN ('table', 'view')"
                        " AND s.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
                        " AND (s.name NOT LIKE 'search\\_%' ESCAPE '\\' OR s.name = 'search_text')"
                        " UNION SELECT p.name FROM sqlite_schema s, pragma_table_info(s.name) p"
                        " WHERE s.type IN ('table', 'view') AND s.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
                        " AND (s.name NOT LIKE 'search\\_%' ESCAPE '\\' OR s.name = 'search_text')",
                        "complete");
    while (sqlite3_step(g->s) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(g->s, 0);
        if (name) add(c, name, strlen(name), NULL);
    }
    sqlite3_finalize(g->s);
    g->s = NULL;
    lua_pop(L, 1);
}

static void complete_value(struct cands *c, const char *column)
{
    lua_State *L = c->L;
    static const char *const allowed[] = {"authority", "category", "subcategory", "outcome", NULL};
    int ok = 0;
    for (int k = 0; allowed[k]; k++)
        if (!strcmp(column, allowed[k])) ok = 1;
    if (!ok) return;
    lua_getglobal(L, "db");
    omb_store *st = omb_lua_test_store(L, -1);
    lua_pop(L, 1);
    if (!st) return;
    /* the column name comes from the fixed list above, never from the user */
    lua_pushfstring(L, "SELECT DISTINCT %s FROM cases WHERE %s IS NOT NULL AND substr(%s, 1, ?2) = ?1 LIMIT 500",
                    column, column, column);
    struct omb_lua_stmt *g = omb_lua_prepare(L, omb_store_db(st), lua_tostring(L, -1), "complete");
    sqlite3_bind_text(g->s, 1, c->prefix, (int)c->n_prefix, SQLITE_TRANSIENT);
    sqlite3_bind_int64(g->s, 2, (sqlite3_int64)c->n_prefix);
    while (sqlite3_step(g->s) == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(g->s, 0);
        if (v) add(c, v, strlen(v), NULL);
    }
    sqlite3_finalize(g->s);
    g->s = NULL;
    lua_pop(L, 2);
}

static void complete_plugins(struct cands *c)
{
    const omb_registry *reg = omb_lua_registry(c->L);
    for (size_t i = 0; i < reg->n; i++)
        if (reg->plugins[i].desc->kind == OMB_PLUGIN_SOURCE)
            add(c, reg->plugins[i].desc->name, strlen(reg->plugins[i].desc->name), NULL);
}

/* File names: the prefix is a path; "~/" means $HOME. */
static void complete_files(struct cands *c)
{
    lua_State *L = c->L;
    const char *slash = NULL;
    for (size_t i = 0; i < c->n_prefix; i++)
        if (c->prefix[i] == '/') slash = c->prefix + i;
    size_t dir_n = slash ? (size_t)(slash - c->prefix) + 1 : 0;
    lua_pushlstring(L, c->prefix, dir_n); /* the directory part as typed */
    if (dir_n >= 2 && c->prefix[0] == '~' && c->prefix[1] == '/') {
        const char *home = getenv("HOME");
        lua_pushfstring(L, "%s%s", home ? home : "", lua_tostring(L, -1) + 1);
    } else if (dir_n == 0) {
        lua_pushliteral(L, ".");
    } else {
        lua_pushvalue(L, -1);
    }
    const char *dir = lua_tostring(L, -1);
    DIR *d = opendir(dir);
    if (!d) {
        lua_pop(L, 2);
        return;
    }
    /* entries go into a table first: opendir's handle must not be held
     * while Lua calls that can raise run, or a raise would leak it */
    lua_newtable(L);
    int names = lua_gettop(L);
    lua_Integer n = 0;
    struct dirent *e;
    const char *base = c->prefix + dir_n;
    size_t base_n = c->n_prefix - dir_n;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        if (e->d_name[0] == '.' && !(base_n && base[0] == '.')) continue;
        if (strncmp(e->d_name, base, base_n)) continue;
        if (n >= 2000) break;
        lua_pushstring(L, e->d_name);
        lua_rawseti(L, names, ++n);
    }
    closedir(d);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, names, i);
        const char *name = lua_tostring(L, -1);
        lua_pushfstring(L, "%s/%s", dir, name);
        struct stat sb;
        int is_dir = stat(lua_tostring(L, -1), &sb) == 0 && S_ISDIR(sb.st_mode);
        lua_pop(L, 1);
        lua_pushfstring(L, "%s%s", lua_tostring(L, names - 2), name);
        size_t len;
        const char *full = lua_tolstring(L, -1, &len);
        add(c, full, len, is_dir ? "/" : NULL);
        lua_pop(L, 2);
    }
    lua_pop(L, 3);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

int omb_complete(lua_State *L, const char *line, size_t cursor, size_t *start)
{
    luaL_checkstack(L, 20, "cannot complete");
    int kind = omb_complete_context(line, cursor, start);
    lua_newtable(L);
    struct cands c = {L, lua_gettop(L), line + *start, cursor - *start, 0};
    switch (kind) {
    case OMB_COMPLETE_LUA: complete_lua(&c, line, *start); break;
    case OMB_COMPLETE_SQL: complete_sql(&c); break;
    case OMB_COMPLETE_VALUE: {
        char column[64];
        struct scan s = scan_line(line, cursor);
        string_context(line, s.string_start, column, sizeof column);
        complete_value(&c, column);
        break;
    }
    case OMB_COMPLETE_PLUGIN: complete_plugins(&c); break;
    case OMB_COMPLETE_FILE: complete_files(&c); break;
    case OMB_COMPLETE_DOT: {
        size_t lead = 0;
        while (line[lead] == ' ' || line[lead] == '\t') lead++;
        if (*start == lead) {
            for (int k = 0; dot_commands[k]; k++) add(&c, dot_commands[k], strlen(dot_commands[k]), NULL);
        } else if (!strncmp(line + lead, ".open", 5)) {
            complete_files(&c);
        } else if (!strncmp(line + lead, ".mode", 5)) {
            static const char *const modes[] = {"table", "csv", "json", NULL};
            for (int k = 0; modes[k]; k++) add(&c, modes[k], strlen(modes[k]), NULL);
        } else if (!strncmp(line + lead, ".schema", 7)) {
            complete_sql(&c);
        }
        break;
    }
    default: break;
    }
    /* the set to a sorted array; the set anchors the strings meanwhile */
    lua_Integer n = 0;
    lua_pushnil(L);
    while (lua_next(L, c.set)) {
        lua_pop(L, 1);
        n++;
    }
    const char **v = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *v, 0);
    lua_Integer i = 0;
    lua_pushnil(L);
    while (lua_next(L, c.set)) {
        lua_pop(L, 1);
        v[i++] = lua_tostring(L, -1);
    }
    qsort(v, (size_t)n, sizeof *v, cmp_str);
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        lua_pushstring(L, v[i]);
        lua_rawseti(L, -2, i + 1);
    }
    lua_replace(L, c.set);
    lua_settop(L, c.set);
    return (int)n;
}
