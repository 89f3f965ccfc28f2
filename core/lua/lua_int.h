/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * lua_int.h -- what the files of the Lua binding share among themselves (not
 * installed): the metatable names, the constructors each lua_<type>.c exports,
 * and the helpers of lua_aux.c under them all: the interrupt flag that Ctrl-C
 * and --timeout raise and the statement guard that keeps a sqlite3_stmt safe
 * from Lua errors.  The module table itself is
 * lua_module.c; the console and scripts are repl.c, console.c and lua_cli.c.
 */
#ifndef OMB_LUA_INT_H
#define OMB_LUA_INT_H

#include <lauxlib.h>
#include <lua.h>
#include <signal.h>
#include <sqlite3.h>

#include "plugin_loader.h"
#include "store.h"

#define OMB_LUA_STORE "ombuds.Store"
#define OMB_LUA_RESULT "ombuds.Result"
#define OMB_LUA_CASE "ombuds.Case"
#define OMB_LUA_STMT "ombuds.Stmt"       /* internal: owns a statement */
#define OMB_LUA_REGISTRY "ombuds.Registry" /* internal: the loaded plugins */

/* Registry fields shared by the binding files. */
#define OMB_LUA_KEY_MODE "ombuds.mode"       /* integer enum omb_out_format for r:print() */
#define OMB_LUA_KEY_SAFE "ombuds.safe"       /* true under `run --safe` */
#define OMB_LUA_KEY_PLUGINDIR "ombuds.plugin_dir" /* --plugin-dir, or absent */
#define OMB_LUA_KEY_TERMINAL "ombuds.terminal"   /* light userdata: struct omb_lua_terminal, or absent */

/* Opens the module: pushes the `ombuds` table.  Registered in
 * package.preload by omb_lua_openlibs. */
int luaopen_ombuds(lua_State *L);

/* Opens the standard libraries, preloads `ombuds`, and sets package.path so
 * `require` looks in $OMBUDS_LUA_PATH, ./scripts, the source tree's scripts/
 * (when running from the build tree) and the installed scripts directory.
 * Leaves the stack as it was.  Raises on memory errors only. */
void omb_lua_openlibs(lua_State *L);

/* Removes what a --safe script may not use: os.execute, io.popen,
 * package.loadlib and the C searchers, writing files (io.open and io.output
 * for writing, os.remove, os.rename, os.tmpname), binary chunks, the debug
 * library; marks the state safe so stores open read-only.  Stack unchanged. */
void omb_lua_make_safe(lua_State *L);

/* Each creates its metatable once; the stack is left unchanged. */
void omb_lua_open_store(lua_State *L);
void omb_lua_open_result(lua_State *L);
void omb_lua_open_case(lua_State *L);

/* ---- stores (lua_store.c) ---- */

/* Opens path (flags as omb_store_open) and pushes an ombuds.Store; raises
 * with the store's message on failure. */
void omb_lua_store_open(lua_State *L, const char *path, int flags);
/* The open store at index idx; raises "bad argument" for a non-store and
 * "attempt to use a closed store" for a closed one. */
omb_store *omb_lua_check_store(lua_State *L, int idx);
/* The open store at idx, or NULL when idx holds anything else (no raising,
 * no metamethods: safe for completion). */
omb_store *omb_lua_test_store(lua_State *L, int idx);

/* (lua_aux.c) Pushes q with each white-space separated word quoted as an FTS5 string,
 * so punctuation people type cannot be read as query syntax. */
void omb_lua_fts_query(lua_State *L, const char *q);

/* ---- results (lua_result.c) ---- */

/* Pops a rows table and under it a columns table (array of names) and pushes
 * an ombuds.Result holding them. */
void omb_lua_result_new(lua_State *L);
/* Steps the statement owned by the guard at index g to the end and pushes an
 * ombuds.Result of its rows (one table per row, column name -> value,
 * NULL absent).  Finalizes the statement; raises on SQLite errors, their
 * message prefixed by what ("query", "search"). */
void omb_lua_result_from_stmt(lua_State *L, int g, const char *what);
/* Pushes the rows (array of tables, index rows) over the columns (array of
 * names, index cols) rendered by the one renderer of rows (output.c) with
 * the options o: a table, CSV or JSON.  Cells that are tables become JSON
 * (CSV, JSON) or a compact constructor (table); a case, its reference. */
struct omb_out_opts;
void omb_lua_rows_render(lua_State *L, int cols, int rows, const struct omb_out_opts *o);
/* (lua_aux.c) Pushes the columns and rows tables of the Result at idx (two values). */
void omb_lua_result_parts(lua_State *L, int idx);
/* (lua_aux.c) Is the value at idx an ombuds.Result? */
int omb_lua_is_result(lua_State *L, int idx);

/* ---- cases (lua_case.c) ---- */

/* Pushes the value of the JSON text s (length n): objects and arrays become
 * tables, null is left out.  Raises on malformed JSON. */
void omb_lua_json_decode(lua_State *L, const char *s, size_t n);
/* Runs the case query for the filter table at index f (or no filter when f
 * is 0) on store st and pushes a Result whose rows are ombuds.Case tables;
 * with count_only, pushes the number of matching cases instead.  Raises
 * for unknown filter keys and SQLite errors. */
void omb_lua_push_cases(lua_State *L, omb_store *st, int f, int count_only);
/* Pushes the case with reference ref (normalised first), or nil. */
void omb_lua_push_case(lua_State *L, omb_store *st, const char *ref);
/* Replaces the string on top with the reference in the store's form
 * ("22 001 239") when it has the usual eight digits in any spacing. */
void omb_lua_normalise_ref(lua_State *L);
/* (lua_aux.c) Is the value at idx a case table? */
int omb_lua_is_case(lua_State *L, int idx);

/* ---- metric functions (lua_metric.c) ---- */

/* Returns the connection metric calls run against (NULL: none open; the
 * call then fails when the metric queries).  May raise a Lua error. */
typedef sqlite3 *(*omb_lua_store_fn)(lua_State *L, void *ud);

/* Pushes a new table mapping each metric function's name to a Lua function
 * that converts its arguments by the signature (raising "bad argument #2 to
 * 'uphold_share' (an integer (i, 32-bit) expected, got string)"), calls it
 * through omb_ffi_call (ffi_bridge.h) with the connection store(L, ud)
 * returns, and returns its result: boolean, integer, number (nil for NaN),
 * string (nil for NULL), nothing for `v`, or an ombuds.MetricTable userdata
 * for `t` (methods rows, columns, coverage, notes, csv, json, text, chart;
 * __len, __index by row number, __tostring).  Stack effect: pushes one value
 * (the table); returns 1.  reg (and ud) must outlive every function in the
 * table. */
int omb_lua_push_metrics(lua_State *L, const omb_registry *reg, omb_lua_store_fn store, void *ud);

/* ---- statements guarded by a userdata (lua_aux.c) ---- */


/* A statement owned by a userdata whose __gc finalizes it, so a Lua error
 * raised while rows are being copied cannot leak it (a Lua error
 * longjmps past any C clean-up). */
struct omb_lua_stmt {
    sqlite3_stmt *s; /* NULL once finalized */
};

/* Pushes a guard and prepares sql (one statement; trailing text other than
 * white space is refused) into it.  Raises with SQLite's message, prefixed by
 * what, on failure.  Returns the guard (also on the stack top). */
struct omb_lua_stmt *omb_lua_prepare(lua_State *L, sqlite3 *db, const char *sql, const char *what);
/* Binds the Lua value at idx to parameter i of the guard's statement:
 * integers, floats, strings, booleans (0/1), nil (NULL).  For other types
 * finalizes the statement, then raises "bad argument #arg". */
void omb_lua_bind(lua_State *L, struct omb_lua_stmt *g, int i, int idx, int arg);
/* Finalizes the guard's statement, then raises the error for step code rc:
 * "interrupted!" (or the timeout message) when the user interrupted, else
 * SQLite's message prefixed by what.  Never returns. */
int omb_lua_step_error(lua_State *L, struct omb_lua_stmt *g, int rc, const char *what);

/* ---- the plugins (lua_aux.c) ---- */

/* The plugins, loaded on first use (from the --plugin-dir kept in the
 * registry, $OMBUDS_PLUGIN_PATH and the usual directories) and kept for the
 * life of the state; raises on out of memory. */
const omb_registry *omb_lua_registry(lua_State *L);

/* ---- interrupts and the output mode (lua_aux.c) ---- */

enum omb_lua_stop { OMB_LUA_RUN = 0, OMB_LUA_INTERRUPTED = 1, OMB_LUA_TIMED_OUT = 2 };

/* Set asynchronously by the SIGINT and SIGALRM handlers; read by the Lua hook,
 * the SQLite progress handler of every store opened from Lua, and ingest
 * (which stops at a document boundary). */
extern volatile sig_atomic_t omb_lua_stop;
/* Seconds given to --timeout, for the message. */
extern int omb_lua_timeout_seconds;

/* Async-signal-safe: records why, and sets a hook on L that raises the
 * matching error at the next Lua instruction (lua.c's laction). */
void omb_lua_request_stop(lua_State *L, int why);
/* Clears the flag and the hook (before running a new chunk). */
void omb_lua_clear_stop(lua_State *L);
/* The message for the current stop reason ("interrupted!" or "timed out
 * after N seconds"). */
const char *omb_lua_stop_message(void);

/* The output mode for results: OMB_OUT_TABLE, _CSV or _JSON. */
int omb_lua_get_mode(lua_State *L);
void omb_lua_set_mode(lua_State *L, int mode);

/* ---- the terminal, as the program sees it (lua_aux.c) ---- */

/* The binding never probes the terminal: the program (cli/terminal.c) hands
 * it these questions about standard output, asked again at each use. */
struct omb_lua_terminal {
    int (*width)(void);       /* columns to fit tables to; 0: do not cut */
    int (*chart_plain)(void); /* nonzero: draw charts in plain ASCII */
};
/* Keeps t (which must outlive L) in L's registry. */
void omb_lua_set_terminal(lua_State *L, const struct omb_lua_terminal *t);
/* The width to fit r:print() tables to: 0 (unlimited) when none was set. */
int omb_lua_terminal_width(lua_State *L);
/* Plain ASCII charts?  Yes when no terminal was set. */
int omb_lua_chart_plain(lua_State *L);

#endif
