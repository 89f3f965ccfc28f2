/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store.h -- the SQLite case store: opening (with migrations), writing one
 * parsed document in one transaction, and the merge rule that picks the value
 * shown for each case.  Reading files and choosing plugins is ingest.c;
 * printing query results is output.c; the schema is documented in
 * docs/schema.md.
 */
#ifndef OMB_STORE_H
#define OMB_STORE_H

#include <sqlite3.h>
#include <stddef.h>

#include "sink.h"

typedef struct omb_store omb_store;

#define OMB_STORE_READONLY 1
/* with READONLY: refuse a store of an older schema instead of upgrading it */
#define OMB_STORE_NO_UPGRADE 2
/* a new store is built by running every migration in turn, as the first
 * ombuds did, instead of from the schema they lead to (store_schema_now.c):
 * for the test that checks the two agree */
#define OMB_STORE_REPLAY 4

/* Opens (creating and migrating when writable) the store at path.  Returns
 * OMB_OK and *out, or an error with a message in err. */
int omb_store_open(const char *path, int flags, omb_store **out, char *err, size_t err_cap);
/* Finishes pending work and closes; NULL is a no-op. */
void omb_store_close(omb_store *st);
sqlite3 *omb_store_db(omb_store *st);
/* Brings the FTS index up to every listed text before rows are deleted
 * (their delete triggers take them out of the index, which is only sound
 * for rows it holds), at a read-write open, and at the end of a batch:
 * lists this transaction's texts, and rebuilds the index when a batch has
 * been leaving it behind or it lacks texts others committed (an ingest that
 * died before its end).  OMB_OK, or OMB_ESTORE with err. */
int omb_store_search_catch_up(omb_store *st, char *err, size_t cap);
/* Removes the texts (schema 14) no summary, remedy or improvement names any
 * more, in the open write transaction: after rows were deleted (`forget`;
 * the writer calls it itself when a changed document replaced its old
 * version).  One pass over every row that names a text.  OMB_OK, or
 * OMB_ESTORE with err. */
int omb_store_sweep_texts(omb_store *st, char *err, size_t cap);
const char *omb_store_path(const omb_store *st);

/* What a document is, for the documents table. */
struct omb_doc_meta {
    const char *path;
    const char *sha256; /* 64 hex digits */
    const char *plugin;
    const char *plugin_version;
    int rank;
    size_t size;
    const char *note; /* e.g. "converted from Windows-1252", or NULL */
};

enum omb_doc_result { OMB_DOC_NEW = 1, OMB_DOC_UPDATED, OMB_DOC_UNCHANGED };

/* A document's name: the last component of its path.  What documents.name
 * holds and plugins see as omb_doc.name. */
const char *omb_doc_name(const char *path);

/* Is this document already stored?  Returns 1 and the path it was stored
 * under (into path_out) when a document with this hash and the same file
 * name (the path's last component, in any folder) is stored. */
int omb_store_find_same(omb_store *st, const char *sha256, const char *path, char *path_out, size_t cap);

/* Writes everything the sink holds, as one transaction (a savepoint inside the
 * batch when omb_store_batch_begin is in effect).  A document with the same
 * hash and file name already stored changes nothing (*result =
 * OMB_DOC_UNCHANGED); a
 * different document at the same path replaces what the old one contributed
 * (*result = OMB_DOC_UPDATED).  On error nothing of the document remains. */
int omb_store_write(omb_store *st, const struct omb_doc_meta *meta, struct omb_sink *sink, int *result, char *err,
                    size_t err_cap);

/* Recomputes the shown values of every case (after the register or the
 * subject map changed).  One savepoint; OMB_OK or OMB_ESTORE with err. */
int omb_store_remerge_all(omb_store *st, char *err, size_t err_cap);

/* Batches: after omb_store_batch_begin each omb_store_write is a savepoint
 * inside one transaction (so each document is still whole or absent) until
 * omb_store_batch_commit commits them together; a crash loses only whole
 * uncommitted documents.  The caller reports documents as stored only after
 * the commit.  omb_store_batch_end commits and leaves batch mode. */
void omb_store_batch_begin(omb_store *st);
int omb_store_batch_commit(omb_store *st, char *err, size_t err_cap);
int omb_store_batch_end(omb_store *st, char *err, size_t err_cap);

/* Optimistic batches: documents are written straight into the batch's
 * transaction, without a savepoint each (the savepoint copied every page a
 * document touched, a fifth of ingest time).  If a write then fails, the
 * whole batch is rolled back and omb_store_write returns OMB_STORE_RETRY:
 * the caller writes the batch's documents again with optimism off (each a
 * savepoint), so the failing document fails alone, and turns it back on
 * after the commit.  Nothing of the rolled-back batch was reported stored. */
#define OMB_STORE_RETRY 100
void omb_store_batch_optimistic(omb_store *st, int on);

#endif
