/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * export.h -- `ombuds export`: every case with everything known about it, as
 * JSON Lines (keys fixed in docs/export.md) or CSV, streamed row by row from
 * SQLite so the store is never held in memory.
 */
#ifndef OMB_EXPORT_H
#define OMB_EXPORT_H
#include <stdio.h>

#include "store.h"

struct omb_case_filter {
    const char *authority; /* exact, case-insensitive; NULL for all */
    const char *category;
    int year;              /* 0 for all */
};

/* Writes the export; format is OMB_OUT_JSONL or OMB_OUT_CSV.  Returns OMB_OK
 * or OMB_ESTORE with err set. */
int omb_export(omb_store *st, FILE *f, int format, const struct omb_case_filter *filter, char *err, size_t err_cap);

/* SQL text of the JSON object for one case (alias c for cases), shared with
 * the Lua bindings so both show a case the same way. */
extern const char omb_case_json_sql[];

#endif
