/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_ffi.c -- unit tests for the libffi bridge (ffi_bridge.c,
 * metric_host.c, metric_table.c, lua_metric.c) and the SQL aggregates
 * (sqlfuncs.c): signature parsing and its error positions, a plugin with a
 * bad letter refused at load, every letter called directly, from SQL and
 * from Lua, errors naming function, argument and type, result tables, and
 * median()/percentile() against hand-computed values.
 */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../tap.h"
#include "ffi_bridge.h"
#include "lua_int.h"
#include "store.h"

static char text_buf[1024];

/* First column of the first row as text, or the SQLite error message. */
static const char *sql_text(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
        snprintf(text_buf, sizeof text_buf, "error: %s", sqlite3_errmsg(db));
        return text_buf;
    }
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(s, 0);
        snprintf(text_buf, sizeof text_buf, "%s", t ? t : "NULL");
    } else if (rc == SQLITE_DONE) {
        snprintf(text_buf, sizeof text_buf, "no row");
    } else {
        snprintf(text_buf, sizeof text_buf, "error: %s", sqlite3_errmsg(db));
    }
    sqlite3_finalize(s);
    return text_buf;
}

static void test_signatures(void)
{
    char ret, args[OMB_FFI_MAX_ARGS + 1], err[256];
    int n;
    TAP_INT(omb_ffi_parse_signature("d(si)", &ret, args, &n, err, sizeof err), OMB_OK, "d(si) parses");
    TAP_OK(ret == 'd' && n == 2 && !strcmp(args, "si"), "d(si): returns d, takes s i");
    TAP_INT(omb_ffi_parse_signature("v()", &ret, args, &n, err, sizeof err), OMB_OK, "v() parses");
    TAP_INT(omb_ffi_parse_signature("t(sbiIds)", &ret, args, &n, err, sizeof err), OMB_OK, "every argument letter");
    TAP_INT(omb_ffi_parse_signature("d(sq)", &ret, args, &n, err, sizeof err), OMB_EINVAL, "unknown letter refused");
    TAP_OK(strstr(err, "position 4") && strstr(err, "'q'"), "error names position 4 and 'q': %s", err);
    omb_ffi_parse_signature("i(v)", &ret, args, &n, err, sizeof err);
    TAP_OK(strstr(err, "return type only") != NULL, "v as an argument: %s", err);
    omb_ffi_parse_signature("x()", &ret, args, &n, err, sizeof err);
    TAP_OK(strstr(err, "position 1") != NULL, "bad return letter: %s", err);
    omb_ffi_parse_signature("d(s", &ret, args, &n, err, sizeof err);
    TAP_OK(strstr(err, "')'") != NULL, "unclosed: %s", err);
    omb_ffi_parse_signature("d(s)x", &ret, args, &n, err, sizeof err);
    TAP_OK(strstr(err, "position 5") != NULL, "trailing text: %s", err);
    omb_ffi_parse_signature("d(iiiiiiiii)", &ret, args, &n, err, sizeof err);
    TAP_OK(strstr(err, "more than 8") != NULL, "too many arguments: %s", err);
    omb_ffi_parse_signature("d(S)", &ret, args, &n, err, sizeof err);
    TAP_OK(strstr(err, "not supported") != NULL, "S is reserved: %s", err);
}

static void test_aggregates(sqlite3 *db)
{
    sqlite3_exec(db, "CREATE TEMP TABLE v(x); INSERT INTO v VALUES (1),(2),(3),(4),(NULL),(10)", NULL, NULL, NULL);
    TAP_STR(sql_text(db, "SELECT median(x) FROM v"), "3.0", "median of 1 2 3 4 10 (NULL skipped)");
    TAP_STR(sql_text(db, "SELECT percentile(x, 90) FROM v"), "7.6", "90th percentile interpolates (4 + 0.6*6)");
    TAP_STR(sql_text(db, "SELECT percentile(x, 0) || ' ' || percentile(x, 100) FROM v"), "1.0 10.0", "0th and 100th");
    TAP_STR(sql_text(db, "SELECT median(x) FROM v WHERE x > 100"), "NULL", "median of nothing is NULL");
    TAP_STR(sql_text(db, "SELECT median(x) FROM (SELECT 1 AS x UNION ALL SELECT 2)"), "1.5", "even count: midpoint");
    const char *e = sql_text(db, "SELECT percentile(x, 101) FROM v");
    TAP_OK(strstr(e, "from 0 to 100") != NULL, "p out of range: %s", e);
    e = sql_text(db, "SELECT median(x) FROM (SELECT 'abc' AS x)");
    TAP_OK(strstr(e, "median(): expected a number") != NULL, "text is refused: %s", e);
    TAP_STR(sql_text(db, "SELECT median(x) FROM (SELECT '5' AS x)"), "5.0", "numeric text counts");
}

static const struct omb_ffi_fn *must(const omb_registry *reg, const char *name)
{
    const struct omb_ffi_fn *f = omb_ffi_find(reg, name);
    if (!f) {
        printf("Bail out! metric function %s not loaded\n", name);
        exit(1);
    }
    return f;
}

static void test_direct(const omb_registry *reg, sqlite3 *db)
{
    union omb_ffi_arg a[OMB_FFI_MAX_ARGS];
    struct omb_ffi_result r;
    char err[600];
    a[0].i = 40, a[1].i = 2;
    TAP_INT(omb_ffi_call(must(reg, "demo_add"), NULL, a, &r, err, sizeof err), OMB_OK, "i(ii) call");
    TAP_INT(r.i, 42, "40 + 2");
    a[0].i = -5, a[1].i = 2;
    omb_ffi_call(must(reg, "demo_add"), NULL, a, &r, err, sizeof err);
    TAP_INT(r.i, -3, "negative int32 return narrowed from ffi_sarg");
    a[0].I = 4000000000000LL;
    omb_ffi_call(must(reg, "demo_twice"), NULL, a, &r, err, sizeof err);
    TAP_INT(r.i, 8000000000000LL, "I(I) keeps 64 bits");
    a[0].d = 5.0;
    omb_ffi_call(must(reg, "demo_half"), NULL, a, &r, err, sizeof err);
    TAP_OK(r.d == 2.5, "d(d): 5 / 2 = %g", r.d);
    a[0].b = 0;
    omb_ffi_call(must(reg, "demo_not"), NULL, a, &r, err, sizeof err);
    TAP_INT(r.i, 1, "b(b): not false");
    a[0].s = "hello", a[1].i = 3;
    omb_ffi_call(must(reg, "demo_greet"), NULL, a, &r, err, sizeof err);
    TAP_STR(r.s, "hello x3", "s(si): scratch string copied out");
    omb_ffi_result_clear(&r);
    a[0].s = NULL;
    omb_ffi_call(must(reg, "demo_greet"), NULL, a, &r, err, sizeof err);
    TAP_OK(r.s == NULL, "NULL string in, NULL out");
    a[0].i = 12;
    TAP_INT(omb_ffi_call(must(reg, "demo_checked"), NULL, a, &r, err, sizeof err), OMB_EINVAL, "call_error fails");
    TAP_STR(err, "demo_checked: expected a year such as 2023, got 12", "message prefixed with the function");
    a[0].i = 3;
    TAP_INT(omb_ffi_call(must(reg, "demo_squares"), NULL, a, &r, err, sizeof err), OMB_OK, "t(i) call");
    TAP_OK(r.table && r.table->n_rows == 3 && r.table->n_cols == 3, "3 rows of 3 columns");
    TAP_INT(omb_mtable_cell(r.table, 2, 1)->i, 9, "3 squared");
    TAP_INT(omb_mtable_cell(r.table, 1, 2)->type, OMB_VALUE_NULL, "NULL cell kept");
    TAP_INT(r.table->chart_col, 1, "chart column flagged");
    TAP_INT(r.table->n_cov, 1, "coverage recorded");
    char *json = omb_mtable_json(r.table);
    TAP_STR(json, "[\n{\"n\":1,\"square\":1,\"label\":\"odd\"},\n{\"n\":2,\"square\":4,\"label\":null},\n"
                  "{\"n\":3,\"square\":9,\"label\":\"odd\"}\n]",
            "table as JSON");
    free(json);
    omb_ffi_result_clear(&r);
    TAP_INT(omb_ffi_call(must(reg, "demo_bad_table"), NULL, a, &r, err, sizeof err), OMB_EINVAL, "bad status");
    TAP_OK(strstr(err, "returned status 7") != NULL, "a silent failure is still explained: %s", err);
    a[0].s = "SELECT ?1 + 1", a[1].I = 41;
    omb_ffi_call(must(reg, "demo_sql"), NULL, a, &r, err, sizeof err);
    TAP_OK(strstr(err, "no store is open") != NULL, "query without a store: %s", err);
    TAP_INT(omb_ffi_call(must(reg, "demo_sql"), db, a, &r, err, sizeof err), OMB_OK, "query with a bound parameter");
    TAP_INT(r.i, 42, "?1 + 1");
    a[0].s = "DELETE FROM cases";
    omb_ffi_call(must(reg, "demo_sql"), db, a, &r, err, sizeof err);
    TAP_OK(strstr(err, "read-only") != NULL, "writes refused: %s", err);
    a[0].s = "SELECT nonsense FROM nowhere";
    omb_ffi_call(must(reg, "demo_sql"), db, a, &r, err, sizeof err);
    TAP_OK(strstr(err, "SQL error") && strstr(err, "nowhere"), "SQL error reported: %s", err);
}

static void test_sql(const omb_registry *reg, sqlite3 *db)
{
    char err[256];
    TAP_INT(omb_ffi_register_sql(db, reg, err, sizeof err), OMB_OK, "register every metric function");
    TAP_STR(sql_text(db, "SELECT demo_add(40, 2)"), "42", "SQL: demo_add(40, 2)");
    TAP_STR(sql_text(db, "SELECT demo_add('40', 2.0)"), "42", "SQL: numeric text and integral reals convert");
    TAP_STR(sql_text(db, "SELECT demo_twice(4000000000000)"), "8000000000000", "SQL: 64-bit");
    TAP_STR(sql_text(db, "SELECT demo_half(5)"), "2.5", "SQL: double");
    TAP_STR(sql_text(db, "SELECT demo_not(0)"), "1", "SQL: bool");
    TAP_STR(sql_text(db, "SELECT demo_greet('hi', 2)"), "hi x2", "SQL: string");
    TAP_STR(sql_text(db, "SELECT demo_add(NULL, 2)"), "NULL", "SQL: NULL number gives NULL");
    TAP_STR(sql_text(db, "SELECT demo_greet(NULL, 2)"), "NULL", "SQL: NULL string passed as NULL");
    TAP_STR(sql_text(db, "SELECT demo_add('forty', 2)"),
            "error: demo_add(): argument 1 (a): expected an integer (i, 32-bit), got text \"forty\"",
            "SQL: wrong argument names function, argument and type");
    TAP_STR(sql_text(db, "SELECT demo_add(1.5, 2)"),
            "error: demo_add(): argument 1 (a): expected an integer (i, 32-bit), got a real \"1.5\"", "SQL: fraction");
    TAP_STR(sql_text(db, "SELECT demo_add(1)"), "error: wrong number of arguments to function demo_add()",
            "SQL: wrong count (SQLite's own message)");
    TAP_STR(sql_text(db, "SELECT demo_checked(12)"), "error: demo_checked: expected a year such as 2023, got 12",
            "SQL: the metric's own error");
    TAP_STR(sql_text(db, "SELECT sum(value->>'square') FROM json_each(demo_squares(4))"), "30",
            "SQL: a table metric as JSON for json_each");
    TAP_STR(sql_text(db, "SELECT demo_sql('SELECT demo_add(?1, 1)', 1)"), "2", "metric SQL can call metric functions");
}

static sqlite3 *lua_db;
static sqlite3 *give_db(lua_State *L, void *ud)
{
    (void)L;
    (void)ud;
    return lua_db;
}

/* Runs chunk; returns its first result as a string or the error message. */
static const char *lua_run(lua_State *L, const char *chunk)
{
    if (luaL_loadstring(L, chunk) || lua_pcall(L, 0, 1, 0)) {
        /* luaL_error adds where the caller was: keep only the message */
        const char *m = lua_tostring(L, -1), *at = m ? strstr(m, "]:1: ") : NULL;
        snprintf(text_buf, sizeof text_buf, "error: %s", at ? at + 5 : m);
    }
    else snprintf(text_buf, sizeof text_buf, "%s", luaL_tolstring(L, -1, NULL)), lua_pop(L, 1);
    lua_pop(L, 1);
    return text_buf;
}

static void test_lua(const omb_registry *reg, sqlite3 *db)
{
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    lua_db = db;
    int top = lua_gettop(L);
    TAP_INT(omb_lua_push_metrics(L, reg, give_db, NULL), 1, "push_metrics returns 1");
    TAP_INT(lua_gettop(L), top + 1, "and leaves one value");
    lua_setglobal(L, "m");
    TAP_STR(lua_run(L, "return m.demo_add(40, 2)"), "42", "Lua: i(ii)");
    TAP_STR(lua_run(L, "return math.type(m.demo_twice(2^40 // 1))"), "integer", "Lua: I returns an integer");
    TAP_STR(lua_run(L, "return m.demo_half(5)"), "2.5", "Lua: d");
    TAP_STR(lua_run(L, "return m.demo_not(true)"), "false", "Lua: b");
    TAP_STR(lua_run(L, "return m.demo_greet('yo', 1)"), "yo x1", "Lua: s");
    TAP_STR(lua_run(L, "return m.demo_greet(nil, 1)"), "nil", "Lua: nil string");
    TAP_STR(lua_run(L, "return select('#', m.demo_nothing('x'))"), "0", "Lua: v returns nothing");
    TAP_STR(lua_run(L, "return m.demo_add('40', 2)"),
            "error: bad argument #1 (a) to 'demo_add' (an integer (i, 32-bit) expected, got string)",
            "Lua: wrong type names function, argument and type");
    TAP_STR(lua_run(L, "return m.demo_add(1.5, 2)"),
            "error: bad argument #1 (a) to 'demo_add' (an integer (i, 32-bit) expected, got a number with a fraction)",
            "Lua: fractions refused");
    TAP_STR(lua_run(L, "return m.demo_add(1)"),
            "error: bad argument #2 (b) to 'demo_add' (an integer (i, 32-bit) expected, got no value)",
            "Lua: missing argument");
    TAP_STR(lua_run(L, "return m.demo_add(1, 2, 3)"),
            "error: too many arguments to 'demo_add' (it takes 2: signature \"i(ii)\")", "Lua: too many");
    TAP_STR(lua_run(L, "return m.demo_not(1)"),
            "error: bad argument #1 (flag) to 'demo_not' (a boolean (b) expected, got number)", "Lua: bool is strict");
    TAP_STR(lua_run(L, "return m.demo_checked(1)"), "error: demo_checked: expected a year such as 2023, got 1",
            "Lua: the metric's own error");
    TAP_STR(lua_run(L, "local t = m.demo_squares(3) return #t .. ' ' .. t[3].square .. ' ' .. tostring(t[2].label)"),
            "3 9 nil", "Lua: a table metric indexes by row");
    TAP_STR(lua_run(L, "return m.demo_squares(2):csv()"), "n,square,label\r\n1,1,odd\r\n2,4,\r\n", "Lua: csv()");
    TAP_STR(lua_run(L, "return m.demo_squares(1):json()"), "[\n{\"n\":1,\"square\":1,\"label\":\"odd\"}\n]\n",
            "Lua: json()");
    TAP_STR(lua_run(L, "return m.demo_squares(2):coverage()[1].what .. ' ' .. m.demo_squares(2):notes()[1]"),
            "a square squares up to 2", "Lua: coverage() and notes()");
    TAP_STR(lua_run(L, "return m.demo_squares(2):coverage_text()[1]"), "2 cases used; 1 left out for lacking a square",
            "Lua: coverage_text() in the words printed under the table");
    TAP_STR(lua_run(L, "return table.concat(m.demo_squares(1):columns(), ',')"), "n,square,label", "Lua: columns()");
    TAP_STR(lua_run(L, "return m.demo_squares(2):chart{plain = true}:match('square') ~= nil"), "true",
            "Lua: chart() draws text");
    TAP_STR(lua_run(L, "return m.demo_sql('SELECT count(*) FROM cases WHERE id > ?1', 0)"), "0",
            "Lua: a metric queries the store");
    TAP_OK(strstr(lua_run(L, "return tostring(m.demo_squares(2))"), "(2 rows)") != NULL, "Lua: __tostring is a table");
    lua_close(L);
}

int main(void)
{
    const char *dir = getenv("OMBUDS_TEST_PLUGINS");
    char path[1024], db_path[256], err[512];
    test_signatures();
    if (!dir) {
        printf("# SKIP plugin tests: OMBUDS_TEST_PLUGINS not set\n");
        return tap_done();
    }
    omb_registry reg = {0};
    snprintf(path, sizeof path, "%s/metric_demo.so", dir);
    TAP_INT(omb_registry_load_file(&reg, path), OMB_OK, "load metric_demo");
    TAP_OK(reg.n == 1 && reg.plugins[0].metrics && reg.plugins[0].metrics->n == 10, "ten functions prepared");
    TAP_STR(must(&reg, "demo_add")->arg_names[1], "b", "argument names read from the doc");
    snprintf(path, sizeof path, "%s/bad_signature.so", dir);
    omb_registry_load_file(&reg, path);
    TAP_INT(reg.n, 1, "bad_signature refused");
    const char *e = reg.n_errors ? reg.errors[0] : "";
    TAP_OK(strstr(e, "plugin 'bad_signature'") && strstr(e, "function 'broken_fn'") && strstr(e, "position 4"),
           "refusal names plugin, function and position: %s", e);
    snprintf(path, sizeof path, "%s/metric_demo.so", dir);
    omb_registry_load_file(&reg, path);
    TAP_INT(reg.n, 1, "the same file twice is loaded once");

    snprintf(db_path, sizeof db_path, "/tmp/omb_test_ffi_%d.db", (int)getpid());
    omb_store *st = NULL;
    TAP_INT(omb_store_open(db_path, 0, &st, err, sizeof err), OMB_OK, "open a store");
    if (!st) return tap_done();
    sqlite3 *db = omb_store_db(st);
    test_aggregates(db);
    test_direct(&reg, db);
    test_sql(&reg, db);
    test_lua(&reg, db);
    omb_store_close(st);
    omb_registry_free(&reg);
    for (const char *suf = ""; suf; suf = !*suf ? "-wal" : !strcmp(suf, "-wal") ? "-shm" : NULL) {
        snprintf(path, sizeof path, "%s%s", db_path, suf);
        unlink(path);
    }
    return tap_done();
}
