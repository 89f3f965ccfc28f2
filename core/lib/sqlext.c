/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sqlext.c -- the SQLite loadable extension ombuds.so (entry point
 * sqlite3_ombuds_init): gives any SQLite client the functions an `ombuds sql`
 * connection has, median() and percentile() from sqlfuncs.c and every metric
 * plugin function (pounds(), uphold_share(), remedy_per_category(), ...)
 * through ffi_bridge.c, with the plugins found by the core's own loader.  It
 * implements none of them: the core is compiled into it a second time against
 * sqlite3ext.h (sqlext_api.h, Makefile.am).  docs/schema.md shows its use.
 */
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

#include <pthread.h>
#include <stdio.h>

#include "ffi_bridge.h"
#include "plugin_loader.h"
#include "sqlfuncs.h"

/* SQLite 3.37 brought STRICT tables, which every store uses; an older
 * library cannot read a store, and its routines table would be shorter than
 * the one this file was compiled against. */
#define OMB_SQLEXT_MIN_SQLITE 3037000

/* The plugins, loaded once per process on the first load of the extension
 * and kept until the process ends: every connection's SQL functions point
 * into them (ffi_bridge.c), and the init returns SQLITE_OK_LOAD_PERMANENTLY
 * so SQLite never unmaps this code under another connection.  A client may
 * load the extension from several threads (Python), hence the lock. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static omb_registry registry;
static int loaded;      /* registry has been filled (or failed to be) */
static int load_status; /* what omb_registry_load returned */

static size_t metric_function_count(const omb_registry *reg)
{
    size_t n = 0;
    for (size_t i = 0; i < reg->n; i++)
        if (reg->plugins[i].metrics) n += reg->plugins[i].metrics->n;
    return n;
}

/* Hands SQLite an error message, made with sqlite3_mprintf because SQLite
 * frees it with sqlite3_free. */
static int refuse(char **pz_err, int rc, const char *msg)
{
    if (pz_err) *pz_err = sqlite3_mprintf("ombuds extension: %s", msg);
    return rc;
}

/* The one exported symbol (Makefile.am's -export-symbols-regex); the name is
 * the one SQLite derives from the file name ombuds.so, so `.load ombuds`
 * needs no entry point argument. */
__attribute__((visibility("default"))) int sqlite3_ombuds_init(sqlite3 *db, char **pz_err,
                                                               const sqlite3_api_routines *api)
{
    char err[600];
    SQLITE_EXTENSION_INIT2(api);
    if (sqlite3_libversion_number() < OMB_SQLEXT_MIN_SQLITE) {
        snprintf(err, sizeof err, "needs SQLite 3.37 or later (stores use STRICT tables); this is %s",
                 sqlite3_libversion());
        return refuse(pz_err, SQLITE_ERROR, err);
    }
    pthread_mutex_lock(&lock);
    if (!loaded) {
        /* the same search as the program: $OMBUDS_PLUGIN_PATH,
         * ~/.local/lib/ombuds/plugins, the build tree when this file is in
         * it, then the installed plugin directory (plugin_loader.c) */
        load_status = omb_registry_load(&registry, NULL);
        loaded = 1;
    }
    int status = load_status;
    pthread_mutex_unlock(&lock);
    if (status != OMB_OK) return refuse(pz_err, SQLITE_NOMEM, "out of memory while loading plugins");
    if (metric_function_count(&registry) == 0) {
        /* a broken install: say where we looked rather than load a
         * half-empty extension whose "no such function" explains nothing */
        snprintf(err, sizeof err,
                 "no metric plugins found (looked in $OMBUDS_PLUGIN_PATH, ~/.local/lib/ombuds/plugins and "
                 "%s)%s%s",
                 OMB_PLUGINDIR, registry.n_errors ? "; first problem: " : "",
                 registry.n_errors ? registry.errors[0] : "");
        return refuse(pz_err, SQLITE_ERROR, err);
    }
    if (omb_sqlfuncs_register(db) != SQLITE_OK) {
        snprintf(err, sizeof err, "registering median() and percentile(): %s", sqlite3_errmsg(db));
        return refuse(pz_err, SQLITE_ERROR, err);
    }
    if (omb_ffi_register_sql(db, &registry, err, sizeof err) != OMB_OK) return refuse(pz_err, SQLITE_ERROR, err);
    return SQLITE_OK_LOAD_PERMANENTLY;
}
