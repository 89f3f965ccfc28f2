/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_repl.c -- drives repl.c with strings, as the console would with lines:
 * expressions print, statements run, incomplete input continues, errors
 * report and the prompt goes on, dot commands, .mode and .rows, prompts.
 * No terminal: output goes to memory streams.
 */
#define _GNU_SOURCE
#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../tap.h"
#include "lua_int.h"
#include "repl.h"

static char *out_text, *err_text, *entry_text;
static int status;

/* Feeds one line; output and errors land in out_text / err_text. */
static void feed(struct omb_repl *r, const char *line)
{
    size_t on, en;
    free(out_text);
    free(err_text);
    r->out = open_memstream(&out_text, &on);
    r->err = open_memstream(&err_text, &en);
    free(entry_text);
    status = omb_repl_feed(r, line, &entry_text);
    fclose(r->out);
    fclose(r->err);
}

static int contains(const char *s, const char *part) { return s && strstr(s, part) != NULL; }

int main(void)
{
    const char *srcdir = getenv("SRCDIR");
    char tmpl[] = "/tmp/ombuds-repl-XXXXXX";
    if (!srcdir || !mkdtemp(tmpl)) {
        printf("1..0 # SKIP SRCDIR is not set\n");
        return 0;
    }
    lua_State *L = luaL_newstate();
    omb_lua_openlibs(L);
    luaL_requiref(L, "ombuds", luaopen_ombuds, 1);
    lua_pop(L, 1);
    char code[2048];
    snprintf(code, sizeof code,
             "db = ombuds.open('%s/test.db')"
             " db:ingest('%s/tests/golden/decision_page/upheld_two_payments.txt')",
             tmpl, srcdir);
    TAP_OK(luaL_dostring(L, code) == LUA_OK, "a store with one fixture");

    struct omb_repl r;
    omb_repl_init(&r, L, stdout, stderr);
    TAP_STR(omb_repl_prompt(&r), "ombuds> ", "the first prompt");
    feed(&r, "1 + 2");
    TAP_INT(status, OMB_REPL_DONE, "an expression runs");
    TAP_STR(out_text, "3\n", "and prints its value without return");
    feed(&r, "x = 5");
    TAP_STR(out_text, "", "a statement prints nothing");
    feed(&r, "x, 'two'");
    TAP_STR(out_text, "5\t\"two\"\n", "several values print with tabs, strings quoted");

    feed(&r, "for i = 1, 3 do");
    TAP_INT(status, OMB_REPL_MORE, "an open for continues");
    TAP_STR(omb_repl_prompt(&r), "   ...> ", "on the second prompt");
    feed(&r, "  t = (t or 0) + i");
    TAP_INT(status, OMB_REPL_MORE, "still open");
    feed(&r, "end");
    TAP_STR(entry_text, "for i = 1, 3 do\n  t = (t or 0) + i\nend", "the history entry is the whole statement");
    feed(&r, "t");
    TAP_STR(out_text, "6\n", "the loop ran");
    feed(&r, "function f(");
    TAP_INT(status, OMB_REPL_MORE, "an open function continues");
    feed(&r, ") return 'ok' end");
    feed(&r, "f()");
    TAP_STR(out_text, "\"ok\"\n", "and is defined");
    feed(&r, "s = [[one");
    TAP_INT(status, OMB_REPL_MORE, "an open long string continues");
    feed(&r, "two]]");
    feed(&r, "s");
    TAP_STR(out_text, "[[\none\ntwo]]\n", "multi-line strings print as long brackets");
    feed(&r, "{1,");
    TAP_INT(status, OMB_REPL_MORE, "an open table continues");
    feed(&r, " 2, k = {v = true}}");
    TAP_STR(out_text, "{1, 2, k = {v = true}}\n", "and prints as a constructor");

    feed(&r, "error('boom')");
    TAP_INT(status, OMB_REPL_DONE, "an error ends the statement");
    TAP_OK(contains(err_text, "stdin:1: boom\n"), "the message is printed");
    TAP_OK(contains(err_text, "stack traceback:\n"), "with a traceback");
    TAP_OK(!contains(err_text, "[C]: in ?"), "without the console's own frames");
    feed(&r, "1");
    TAP_STR(out_text, "1\n", "and the prompt goes on");
    feed(&r, "x = = 1");
    TAP_OK(contains(err_text, "unexpected symbol"), "syntax errors are reported at once");
    feed(&r, "if true then");
    omb_repl_reset(&r);
    feed(&r, "2");
    TAP_STR(out_text, "2\n", "reset drops an unfinished statement (Ctrl-C)");
    feed(&r, "setmetatable({}, {__tostring = function() error('bad tostring') end})");
    TAP_OK(contains(err_text, "bad tostring"), "an error while printing is reported too");

    feed(&r, "db:count()");
    TAP_STR(out_text, "1\n", "db is there");
    feed(&r, "db:query('SELECT ref, outcome FROM cases')");
    TAP_STR(out_text, "ref         outcome\n----------  -------\n22 001 239  upheld\n(1 row)\n",
            "a result prints as an aligned table");
    feed(&r, ".rows 5");
    feed(&r, "db:query('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1300) SELECT x FROM c')");
    TAP_OK(contains(out_text, "\n5\n... 1,295 more rows\n(1,300 rows)\n"), "at most N rows, then the rest counted");
    r.view.width = 30;
    feed(&r, "db:query('SELECT ref, summary FROM cases')");
    int fits = out_text != NULL;
    for (char *p = out_text; p && *p;) {
        char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p), w = 0;
        for (size_t i = 0; i < n; i++) w += ((unsigned char)p[i] & 0xC0) != 0x80;
        if (w > 30) fits = 0;
        p = nl ? nl + 1 : p + n;
    }
    TAP_OK(fits, "tables fit the width");
    TAP_OK(out_text && !contains(out_text, "\xE2\x80\xA6") && contains(out_text, "22 001 239"),
           "nothing is cut: the reference whole, the summary wrapped or folded");
    r.view.width = 0;
    feed(&r, ".mode csv");
    feed(&r, "db:query('SELECT ref FROM cases')");
    TAP_STR(out_text, "ref\r\n22 001 239\r\n", ".mode csv prints results as CSV");
    feed(&r, ".mode json");
    feed(&r, "db:query('SELECT ref FROM cases')");
    TAP_STR(out_text, "[{\"ref\":\"22 001 239\"}]\n", ".mode json prints results as JSON");
    feed(&r, ".mode");
    TAP_STR(out_text, "json\n", ".mode alone says the mode");
    feed(&r, ".mode xml");
    TAP_OK(contains(err_text, "use table, csv or json"), "a bad mode is refused");
    feed(&r, ".mode table");

    feed(&r, ".tables");
    TAP_OK(contains(out_text, "cases") && contains(out_text, "case_totals"), ".tables lists tables and views");
    feed(&r, ".schema cases");
    TAP_OK(contains(out_text, "CREATE VIEW cases("), ".schema shows the SQL");
    feed(&r, ".schema nope");
    TAP_OK(contains(err_text, "no table, view or index called \"nope\""), ".schema of nothing says so");
    feed(&r, ".plugins");
    TAP_OK(contains(out_text, "decision_page"), ".plugins lists plugins");
    feed(&r, ".metrics");
    TAP_OK(out_text && *out_text, ".metrics says something");
    feed(&r, ".help");
    TAP_OK(contains(out_text, ".schema [NAME]"), ".help lists the commands");
    feed(&r, ".frobnicate");
    TAP_OK(contains(err_text, "unknown command .frobnicate (try .help)"), "unknown commands are named");
    feed(&r, ".5 + 1");
    TAP_STR(out_text, "1.5\n", "a number starting with a dot is Lua");
    char open_cmd[1024];
    snprintf(open_cmd, sizeof open_cmd, ".open %s/other.db", tmpl);
    feed(&r, open_cmd);
    feed(&r, "db:count()");
    TAP_STR(out_text, "0\n", ".open switches db");
    feed(&r, "_PROMPT = 'cases> '");
    TAP_STR(omb_repl_prompt(&r), "cases> ", "_PROMPT sets the prompt");
    feed(&r, ".quit");
    TAP_INT(status, OMB_REPL_QUIT, ".quit leaves");

    free(out_text);
    free(err_text);
    free(entry_text);
    omb_repl_free(&r);
    lua_close(L);
    snprintf(code, sizeof code, "rm -rf '%s'", tmpl);
    if (system(code) != 0) printf("# could not remove %s\n", tmpl);
    return tap_done();
}
