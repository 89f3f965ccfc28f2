/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ffi_bridge.h -- calling metric plugin functions through libffi: signature
 * parsing and ffi_prep_cif once at plugin load, one generic call path, and
 * a front end that needs no per-function glue: SQL functions on a SQLite
 * connection.  The other front end, a Lua table of callable functions, is
 * core/lua/lua_metric.c (declared in lua_int.h).  The services a running
 * metric gets (query, result table, errors, data files) are metric_host.c;
 * the result table itself is metric_table.c.
 */
#ifndef OMB_FFI_BRIDGE_H
#define OMB_FFI_BRIDGE_H

#include <ffi.h>
#include <ombuds/plugin.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>

#include "metric_table.h"
#include "plugin_loader.h"

#define OMB_FFI_MAX_ARGS 8

/* One metric function, parsed and prepared.  Invariant: types[0] is the
 * pointer type of the hidden omb_call *ctx, types[1..n_args] match args[],
 * and cif points into types[]; so the cif is valid as long as this struct. */
struct omb_ffi_fn {
    const char *name;      /* borrowed from the plugin's omb_metric_fn */
    const char *signature; /* as declared, e.g. "d(si)" */
    const char *doc;       /* may be NULL */
    const char *plugin;    /* the declaring plugin's name */
    void (*fn)(void);
    char ret;                          /* v b i I d s t */
    int n_args;                        /* declared arguments, without ctx */
    char args[OMB_FFI_MAX_ARGS + 1];   /* argument letters, NUL-terminated */
    char arg_names[OMB_FFI_MAX_ARGS][32]; /* from a "name(a, b): ..." doc, else "" */
    ffi_cif cif;
    ffi_type *types[OMB_FFI_MAX_ARGS + 1];
};

/* All functions of one metric plugin in one allocation (one free on
 * unload, nothing to leak on a half-built entry), owned by the
 * plugin's registry entry and freed when it is unloaded. */
struct omb_ffi_plugin {
    size_t n;
    struct omb_ffi_fn fns[];
};

/* Parses "RET(ARGS)" into *ret and args (n_args letters, NUL-terminated;
 * args has room for OMB_FFI_MAX_ARGS + 1).  On error returns OMB_EINVAL with
 * err saying which character (1-based position) was wrong and what was
 * expected. */
int omb_ffi_parse_signature(const char *sig, char *ret, char *args, int *n_args, char *err, size_t cap);

/* Parses and prepares every function a metric plugin declares.  On error
 * returns non-zero, *out NULL, and err names the plugin, the function and
 * the position ("plugin 'x': function 'f': signature "d(q)": position 3: ...").
 * Free with omb_ffi_free (NULL is a no-op). */
int omb_ffi_prepare(const struct omb_plugin *desc, struct omb_ffi_plugin **out, char *err, size_t cap);
void omb_ffi_free(struct omb_ffi_plugin *p);

/* Does a function of p share a name with one already in reg?  Returns 1 with
 * err naming both plugins. */
int omb_ffi_conflict(const omb_registry *reg, const struct omb_ffi_plugin *p, char *err, size_t cap);

/* The metric function called name among all loaded plugins, or NULL. */
const struct omb_ffi_fn *omb_ffi_find(const omb_registry *reg, const char *name);

/* Describes a letter for messages: "an integer (i, 32-bit)", "a string (s)". */
const char *omb_ffi_type_name(char letter);
/* "2 (year)" or "2": how messages name argument k (0-based). */
const char *omb_ffi_arg_label(const struct omb_ffi_fn *f, int k, char *buf, size_t cap);

/* One argument slot, of exactly the C type of its letter. */
union omb_ffi_arg {
    int b;          /* b */
    int32_t i;      /* i */
    int64_t I;      /* I */
    double d;       /* d */
    const char *s;  /* s: borrowed for the call, may be NULL */
};

/* What a call returned.  Owned by the caller: omb_ffi_result_clear. */
struct omb_ffi_result {
    char type;          /* the return letter */
    int64_t i;          /* b (0/1), i, I */
    double d;           /* d; NaN means "no figure" */
    char *s;            /* s: a malloc'd copy, NULL for a NULL string */
    omb_mtable *table;  /* t */
};
void omb_ffi_result_clear(struct omb_ffi_result *r);

/* Calls f with args[0..f->n_args) (already converted to f's types) against
 * the store connection db (NULL: host->query then fails with "no store is
 * open").  Returns OMB_OK and *res, or an error with err holding "NAME: what
 * went wrong" (the function's own call_error, a bad status, ENOMEM). */
int omb_ffi_call(const struct omb_ffi_fn *f, sqlite3 *db, const union omb_ffi_arg *args, struct omb_ffi_result *res,
                 char *err, size_t cap);

/* Registers every metric function of every loaded plugin as an SQL function
 * of db (first plugin wins on a name clash, as the loader already refused
 * later ones).  A `t` function returns its table as JSON text (an array of
 * row objects), usable with json_each().  A NULL SQL argument where a number
 * is expected makes the result NULL without calling the function; a wrong
 * value is an SQL error naming the function, the argument and the expected
 * type.  reg must outlive db's use of the functions.  Returns OMB_OK or
 * OMB_ESTORE with err set. */
int omb_ffi_register_sql(sqlite3 *db, const omb_registry *reg, char *err, size_t cap);

/* ---- services for a running call (metric_host.c) ------------------------- */

/* The core's state behind one omb_call.  Invariant: pub.core points to this
 * struct, and every scratch string is freed when the call ends. */
struct omb_call_state {
    omb_call pub;                 /* what the metric sees: host + core */
    const struct omb_ffi_fn *fn;  /* the function running */
    sqlite3 *db;                  /* store connection, or NULL */
    omb_mtable *table;            /* result table for `t` functions, else NULL */
    int failed;                   /* call_error was called */
    int status;                   /* the status recorded with the error */
    char err[512];                /* the first error message */
    char **scratch;               /* call_format strings */
    size_t n_scratch;
};

void omb_call_state_init(struct omb_call_state *cs, const struct omb_ffi_fn *fn, sqlite3 *db);
void omb_call_state_clear(struct omb_call_state *cs);

/* The host functions behind omb_host's metric members (host.c lists them). */
int omb_call_error(omb_call *ctx, const char *fmt, ...) OMB_PRINTF(2, 3);
int omb_call_query(omb_call *ctx, const char *sql, const struct omb_value *params, int n_params, omb_row_fn row,
                   void *ud);
int omb_call_table_column(omb_call *ctx, const char *name, int type);
int omb_call_table_add_row(omb_call *ctx, const struct omb_value *cells);
int omb_call_coverage(omb_call *ctx, int64_t used, int64_t lacking, const char *what);
int omb_call_note(omb_call *ctx, const char *fmt, ...) OMB_PRINTF(2, 3);
const char *omb_call_format(omb_call *ctx, const char *fmt, ...) OMB_PRINTF(2, 3);
int omb_call_read_data(omb_call *ctx, const char *name, omb_line_fn line, void *ud);

#endif
