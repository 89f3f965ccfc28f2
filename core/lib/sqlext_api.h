/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sqlext_api.h -- forced (-include) into every core source when it is
 * compiled a second time for the SQLite extension ombuds.so (Makefile.am),
 * so that each sqlite3_* call in the core becomes a call through the
 * routines table the loading SQLite hands to sqlite3_ombuds_init, as an
 * extension must.  The entry point and what it registers are sqlext.c; the
 * core itself is unchanged and still calls SQLite directly in libombuds.
 */
#ifndef OMB_SQLEXT_API_H
#define OMB_SQLEXT_API_H

/* sqlite3ext.h includes sqlite3.h first, so a core file's own
 * #include <sqlite3.h> later is a no-op and every sqlite3_* name it uses is
 * already the macro reading sqlite3_api (set by sqlext.c). */
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3

/* sqlite3_config is the one routine the core uses that the table lacks: an
 * extension runs after SQLite is initialised, when configuring it is refused
 * (SQLITE_MISUSE) anyway.  store.c only tunes memory statistics with it, so
 * inside the extension it answers what SQLite would, without touching the
 * library.  -Wl,-z,defs (Makefile.am) proves no other direct call is left. */
static inline int omb_sqlext_config_refused(int op, ...)
{
    (void)op;
    return SQLITE_MISUSE;
}
#define sqlite3_config omb_sqlext_config_refused

#endif
