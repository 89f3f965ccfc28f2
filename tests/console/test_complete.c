/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_complete.c -- the completion candidates of complete.c for a line and
 * cursor, with no terminal: keywords, globals, fields, methods through
 * metatables, filter keys, SQL columns inside db:query strings, plugin names,
 * stored values, file names, dot commands; and that Tab runs no user code.
 */
#define _GNU_SOURCE
#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "complete.h"
#include "lua_int.h"

static lua_State *L;
static char got[8192];
static size_t got_start;

/* Completes line at its end; got holds the candidates, space-separated. */
static int complete(const char *line)
{
    int n = omb_complete(L, line, strlen(line), &got_start);
    got[0] = '\0';
    for (int i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, i);
        if (strlen(got) + strlen(lua_tostring(L, -1)) + 2 < sizeof got) {
            if (i > 1) strcat(got, " ");
            strcat(got, lua_tostring(L, -1));
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    printf("# %s -> %.200s\n", line, got);
    return n;
}

/* Is word one of the candidates? */
static int has(const char *word)
{
    size_t n = strlen(word);
    for (const char *p = got; (p = strstr(p, word)); p++)
        if ((p == got || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0')) return 1;
    return 0;
}

int main(void)
{
    const char *srcdir = getenv("SRCDIR");
    char tmpl[] = "/tmp/ombuds-complete-XXXXXX";
    if (!srcdir || !mkdtemp(tmpl)) {
        printf("1..0 # SKIP SRCDIR is not set\n");
        return 0;
    }
    L = luaL_newstate();
    omb_lua_openlibs(L);
    luaL_requiref(L, "ombuds", luaopen_ombuds, 1);
    lua_pop(L, 1);
    char code[2048];
    snprintf(code, sizeof code,
             "db = ombuds.open('%s/test.db')"
             " db:ingest('%s/tests/golden/decision_page/upheld_two_payments.txt')"
             " r = db:query('SELECT 1 AS x')"
             " trap = setmetatable({}, {__index = function() touched = true end})",
             tmpl, srcdir);
    TAP_OK(luaL_dostring(L, code) == LUA_OK, "set up: %s", lua_tostring(L, -1) ? lua_tostring(L, -1) : "");

    complete("pri");
    TAP_OK(has("print("), "a global function, with its parenthesis");
    TAP_INT(got_start, 0, "replacing the word");
    complete("wh");
    TAP_OK(has("while"), "keywords");
    complete("x = omb");
    TAP_OK(has("ombuds."), "a module table gets a dot");
    TAP_INT(got_start, 4, "from the start of the word");
    complete("ombuds.pl");
    TAP_OK(has("plugins(") && has("plugin_errors("), "fields of a table");
    TAP_INT(got_start, 7, "after the dot");
    complete("string.fo");
    TAP_STR(got, "format(", "standard library fields");
    complete("db:qu");
    TAP_STR(got, "query(", "a method of a store, through its metatable");
    complete("db:");
    TAP_OK(has("cases(") && has("search(") && has("ingest(") && has("count(") && !has("__gc("),
           "every store method and no metamethod");
    complete("r:co");
    TAP_STR(got, "columns(", "a method of a result (its metatable's methods table)");
    complete("db:cases{aut");
    TAP_OK(has("authority = "), "filter keys inside db:cases{");
    complete("db:cases{year = 2023, out");
    TAP_OK(has("outcome = "), "after a comma too");

    complete("db:query(\"SELECT autho");
    TAP_OK(has("authority"), "a column name inside a query string");
    TAP_INT(got_start, strlen("db:query(\"SELECT "), "replacing the SQL word only");
    complete("db:query(\"SELECT ref FROM case_to");
    TAP_OK(has("case_totals"), "a view name");
    complete("db:query('sel");
    TAP_OK(has("select"), "SQL keywords in the case typed");
    complete("db:ingest({format = \"decision_p");
    TAP_STR(got, "decision_page", "a plugin name after format =");
    complete("db:cases{authority = \"Hamp");
    TAP_STR(got, "Hampshire County Council", "a stored value after authority =");

    char line[1024];
    snprintf(line, sizeof line, "db:ingest(\"%s/tests/golden/decision_page/upheld_two", srcdir);
    complete(line);
    char want[1024];
    snprintf(want, sizeof want, "%s/tests/golden/decision_page/upheld_two_payments.txt", srcdir);
    TAP_OK(has(want), "a file name inside ingest(\"...");
    snprintf(line, sizeof line, "db:ingest(\"%s/tests/gold", srcdir);
    complete(line);
    snprintf(want, sizeof want, "%s/tests/golden/", srcdir);
    TAP_STR(got, want, "a directory gets its slash");

    complete(".ta");
    TAP_STR(got, ".tables", "dot commands");
    complete(".mode c");
    TAP_STR(got, "csv", "the argument of .mode");
    complete(".schema case_s");
    TAP_OK(has("case_sources"), "table names after .schema");

    TAP_INT(complete("x = 1 -- pri"), 0, "nothing inside a comment");
    TAP_INT(complete("f().x"), 0, "a call is never evaluated to complete after it");
    complete("trap.x");
    lua_getglobal(L, "touched");
    TAP_OK(lua_isnil(L, -1), "completion runs no __index function");
    lua_pop(L, 1);
    TAP_INT(complete("nosuchtable.x"), 0, "an unknown table gives nothing");

    size_t start;
    TAP_INT(omb_complete_context("db:query(\"SELECT x", 18, &start), OMB_COMPLETE_SQL, "context: SQL");
    TAP_INT(omb_complete_context("x = 'a", 6, &start), OMB_COMPLETE_FILE, "context: other strings are files");
    TAP_INT(start, 5, "from after the quote");
    TAP_INT(omb_complete_context("x = [[a", 7, &start), OMB_COMPLETE_FILE, "long brackets are strings too");
    TAP_INT(omb_complete_context("x = 'a' .. b", 12, &start), OMB_COMPLETE_LUA, "after a closed string: Lua");

    lua_close(L);
    snprintf(code, sizeof code, "rm -rf '%s'", tmpl);
    if (system(code) != 0) printf("# could not remove %s\n", tmpl);
    return tap_done();
}
