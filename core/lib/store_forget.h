/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store_forget.h -- removing documents from the store (`ombuds forget`):
 * what a document contributed goes, a case only it supported goes, the
 * others are merged again from what remains.  Writing documents is store.c;
 * the command line is core/cli/cli_forget.c.
 */
#ifndef OMB_STORE_FORGET_H
#define OMB_STORE_FORGET_H

#include <stddef.h>

#include "store.h"

/* What forgetting one document did. */
struct omb_forget_result {
    size_t cases_removed;   /* cases only this document supported */
    size_t cases_remerged;  /* cases other documents still support, merged again */
    char path[4096];        /* the stored path that matched */
};

/* Forgets the stored document whose path is `path` (as stored; else the
 * same file named another way: its absolute path, or a relative path stored
 * from another folder that resolves to it from here), in one transaction: its
 * rows go (the schema's cascades), a case no other document supports goes,
 * and every other case it touched is merged again.  Returns OMB_OK with *res
 * filled, OMB_ENOTFOUND when no document has that path (nothing changed,
 * err says so), or OMB_ESTORE with err (nothing changed).  Not to be called
 * inside an ingest batch. */
int omb_store_forget(omb_store *st, const char *path, struct omb_forget_result *res, char *err, size_t err_cap);

/* Merges one case again from the facts its documents still hold (the merge
 * rule of omb_store_write; defined in store.c beside it).  Returns OMB_OK or
 * OMB_ESTORE (the connection's error says why). */
int omb_store_remerge_case(omb_store *st, sqlite3_int64 case_id);

#endif
