/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sqlfuncs.h -- SQL aggregate functions every store connection has:
 * median(x) and percentile(x, p).  Metric functions from plugins are
 * registered separately (ffi_bridge.c).
 */
#ifndef OMB_SQLFUNCS_H
#define OMB_SQLFUNCS_H

#include <sqlite3.h>

/* Registers median(x) and percentile(x, p) on db (omb_store_open calls it).
 * Returns a SQLite result code. */
int omb_sqlfuncs_register(sqlite3 *db);

#endif
