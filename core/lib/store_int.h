/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store_int.h -- what the files of the store share (not installed, and
 * included by nothing outside core/lib/store*.c but the store's unit test): the connection struct, the
 * ids of the prepared statements, and the helpers each file exports to the
 * others.  The public interface is store.h.  The files, lowest first:
 * store_stmt.c (the statement table and cache), store_schema.c (migrations),
 * store_checkpoint.c (the WAL checkpoints of a batch, on their own thread),
 * store_names.c (the register's names for the authorities a transaction
 * writes), store.c (open, close, transactions and batches), store_write.c (writing a
 * document, the merge).  Each calls only files before it in this list.
 */
#ifndef OMB_STORE_INT_H
#define OMB_STORE_INT_H

#include <ombuds/plugin.h>
#include <sqlite3.h>
#include <stddef.h>

#include "store.h"

/* The prepared statements of the store, by id; their SQL is the table in
 * store_stmt.c. */
enum stmt_id {
    S_FIND_SAME,
    S_FIND_PATH,
    S_DELETE_DOC,
    S_DOC_CASES,
    S_INSERT_DIR,
    S_FIND_DIR,
    S_INSERT_DOC,
    S_UPSERT_REF,
    S_UPSERT_UNREF,
    S_INSERT_SOURCE,
    S_INSERT_FACTS,
    S_INSERT_REMEDY,
    S_INSERT_IMPROVEMENT,
    S_INSERT_EVENT,
    S_INSERT_NOTE,
    S_INSERT_WARNING,
    S_RANKED_FACTS,
    S_RANKED_REMEDY_DOC,
    S_RANKED_IMPROVEMENT_DOC,
    S_SET_MERGED,
    S_MAP_SUBJECT,
    S_OTHER_RANKS,
    S_MERGE_FILL,
    S_MERGE_OVER,
    S_DELETE_ORPHAN,
    S_FIND_REF,
    S_INSERT_NEW_CASE,
    S_REGISTER_NAME,
    S_FIND_TERM,
    S_ADD_TERM,
    S_FIND_TEXT,
    S_ADD_TEXT,
    S_SWEEP_TEXTS,
    S_INDEX_PENDING,
    S_LIST_PENDING,
    S_SEARCH_BEHIND,
    S_MARK_SEARCH_PENDING,
    S_CLEAR_SEARCH_PENDING,
    S_REBUILD_SEARCH,
    S_MAX_TEXT_ID,
    S_BEGIN,
    S_COMMIT,
    S_ROLLBACK,
    S_SAVEPOINT,
    S_RELEASE,
    S_ROLLBACK_TO,
    S__COUNT
};

/* One open store.  Invariants: stmt[i] is NULL or prepared on db from the
 * SQL of id i (store_stmt.c); every case_facts and improvements row with an
 * id up to indexed_upto[0] and [1] is in the FTS index (so store_write.c
 * lowers them when a new row reuses an id). */
struct omb_store {
    sqlite3 *db;
    char *path;
    sqlite3_stmt *stmt[S__COUNT]; /* prepared on first use, kept for the run */
    int batched;                  /* documents are savepoints in a transaction the caller commits */
    int optimistic;               /* in a batch, documents are written without a savepoint each */
    sqlite3_int64 indexed_upto[2]; /* case_facts, improvements rows up to these ids are in the FTS index */
    int deferred_indexes;          /* the batch dropped deferred_indexes, to build them at its end */
    int deferred_search;           /* the batch lists its texts and leaves the FTS index to one rebuild */
    struct omb_checkpointer *checkpointer; /* checkpoints the WAL during a batch (store_checkpoint.c), or NULL */
    int checkpoint_pages;          /* the WAL is copied into the database at this size (a test lowers it) */
    struct omb_name_cache *names;  /* the register's names this transaction asked for (store_names.c), or NULL */
    int texts_orphaned;            /* rows naming texts were deleted: sweep texts nothing names (S_SWEEP_TEXTS) */
};

/* The WAL size, in pages, at which it is copied into the database: 32 MB
 * rather than SQLite's 1000 pages, so the hot index pages are rewritten far
 * less often (a third of the system time of a 100k-page ingest). */
#define OMB_STORE_CHECKPOINT_PAGES 8192

/* The writer's page cache, in KiB (PRAGMA cache_size = -N): 16 MB, and 24 MB
 * for a batch into a store that already holds cases.  Ingesting into an
 * empty store mostly appends, and a larger cache bought nothing there; a
 * batch into a full one updates cases and their indexes all over the file,
 * and merging the listings and annexes into the 100k-case store re-read
 * 324k pages with 16 MB (4 misses a mention) and took a fifth less time
 * with 24 MB (docs/performance.md, round 7).  Peak memory stays under the
 * 64 MB budget either way. */
#define OMB_STORE_CACHE_KB 16384
#define OMB_STORE_MERGE_CACHE_KB 24576

/* Secondary indexes that a bulk ingest into an empty store does not need
 * while it runs.  cases_authority and cases_category take keys in random
 * order: every commit of a batch rewrote most of their leaf pages (at 1M
 * cases about 4,000 pages of each per 5,000 documents).  The four
 * document_id indexes serve only the removal of a document's contribution
 * (a changed file read again, `ombuds forget`), which a first ingest almost
 * never does (and when it does, a scan finds the rows just as well); each
 * cost one more B-tree insert per row written, four to five a document.  So
 * a batch into an empty store builds them once at its end instead, from
 * sorted keys.  They are created again at every read-write open, so a store
 * whose ingest died before its end gets them back. */
#define DEFERRED_INDEX_NAMES "cases_authority", "cases_category", "case_sources_document", "case_facts_document", \
                             "remedies_document", "improvements_document"
static const char deferred_indexes[] =
    "CREATE INDEX IF NOT EXISTS cases_authority ON case_rows(authority_id);"
    "CREATE INDEX IF NOT EXISTS cases_category ON case_rows(category_id, subcategory_id);"
    "CREATE INDEX IF NOT EXISTS case_sources_document ON case_sources(document_id);"
    "CREATE INDEX IF NOT EXISTS case_facts_document ON case_fact_rows(document_id);"
    "CREATE INDEX IF NOT EXISTS remedies_document ON remedy_rows(document_id);"
    "CREATE INDEX IF NOT EXISTS improvements_document ON improvement_rows(document_id);";

/* The texts id of a text (schema 14), in SQL: found by texts_key, the
 * length and the last sixteen characters, then compared whole ("+" keeps
 * the index in use; migration 14 in store_schema.c says why).  The
 * migration and the views' triggers use it, and so does the writer
 * (S_FIND_TEXT). */
#define TEXT_ID(t) \
    "(SELECT id FROM texts WHERE length(text) = length(" t ") AND substr(text, -16) = substr(" t ", -16)" \
    " AND +text = " t ")"

/* ---- store_stmt.c ---- */

/* The cached statement id, prepared on first use and kept until
 * omb_store_close, reset and with its bindings cleared; NULL when it cannot
 * be prepared (sqlite3_errmsg says why).  Owned by st: never finalize it. */
sqlite3_stmt *omb_store_stmt(omb_store *st, enum stmt_id id);
/* A SHA-256 given as 64 hex digits (n bytes long) into its 32 bytes: 1, or
 * 0 when it is anything else.  Stores keep the bytes (document_rows.digest,
 * schema 10). */
int omb_store_digest(const char *hex, size_t n, unsigned char out[32]);
/* Binds a document's hash at blob_at as its 32 bytes (or as the text when
 * it is not 64 hex digits), and, when text_at is not 0, as the text there
 * too (S_FIND_SAME matches either).  hex must outlive the statement's step. */
int omb_store_bind_digest(sqlite3_stmt *s, int blob_at, int text_at, const char *hex);
/* Runs one-off sql (any number of statements).  OMB_OK, or OMB_ESTORE with
 * "STORE: message" in err. */
int omb_store_exec(omb_store *st, const char *sql, char *err, size_t cap);
/* Steps a control statement (S_BEGIN .. S_ROLLBACK_TO) to its end.  OMB_OK,
 * or OMB_ESTORE with the store, the SQL and SQLite's message in err (nothing
 * written when cap is 0). */
int omb_store_control(omb_store *st, enum stmt_id id, char *err, size_t cap);

/* ---- store_schema.c ---- */

/* The schema version (PRAGMA user_version) this ombuds writes: the number of
 * migrations. */
extern const int omb_store_schema_version;
/* Brings a writable store's schema up to omb_store_schema_version, one
 * transaction per migration; a new store in one, from omb_store_schema_now
 * (unless replay: then migration by migration).  OMB_OK, or OMB_ESTORE with
 * err (also for a store newer than this ombuds). */
int omb_store_migrate(omb_store *st, int replay, char *err, size_t cap);
/* The schema omb_store_schema_now_version migrations lead to, as SQL that
 * makes it in an empty database: every table, index, view and trigger and
 * the rows the migrations put there (store_schema_now.c, written by
 * tests/unit/test_migrate.c from a store the migrations made). */
extern const char omb_store_schema_now[];
extern const int omb_store_schema_now_version;

/* ---- store_checkpoint.c ---- */

/* Starts checkpointing db's WAL, whenever a commit leaves `pages` or more in
 * it, on a thread with its own connection to path, in place of the automatic
 * checkpoint; NULL (and nothing changed) when db is not a WAL file or no
 * thread can be had. */
struct omb_checkpointer *omb_checkpointer_start(sqlite3 *db, const char *path, int pages);
/* Joins the thread, closes its connection and restores db's automatic
 * checkpoint at the same size.  NULL is ignored. */
void omb_checkpointer_stop(struct omb_checkpointer *c, sqlite3 *db);

/* ---- store_names.c ---- */

/* The register's name for an authority spelled `spelling` (the spelling
 * itself when the register does not know it), asked once a transaction and
 * valid until omb_store_names_forget; NULL for a NULL spelling or on an error
 * (sqlite3_errmsg, or out of memory). */
const char *omb_store_register_name(omb_store *st, const char *spelling);
/* The id of text in case_terms (schema 11), added when it is new, and
 * remembered like the register's names; 0 on an error (sqlite3_errmsg says
 * why) or for a NULL text.  The outcome "unknown" is always id 1. */
sqlite3_int64 omb_store_term(omb_store *st, const char *text);
#define OMB_TERM_UNKNOWN 1
/* The id of the folder path (its first len bytes, with the '/') in
 * document_dirs, added when it is new; the last one is remembered for the
 * transaction.  0 on an error. */
sqlite3_int64 omb_store_dir(omb_store *st, const char *path, size_t len);
/* The id of the text's row in texts (schema 14), added when it is new; 0
 * on an error (sqlite3_errmsg says why) or for a NULL text.  The ids of
 * recent texts are remembered like the register's names, in a table of
 * fixed size. */
sqlite3_int64 omb_store_text(omb_store *st, const char *text);
/* Forgets every answer: store_write.c at each BEGIN and ROLLBACK TO, the
 * rollback hook (store.c), a re-merge of every case, and close. */
void omb_store_names_forget(omb_store *st);

/* ---- store.c ---- */

/* Sets st->indexed_upto to the highest committed case_facts and improvements ids. */
void omb_store_reset_indexed(omb_store *st);
/* Adds the texts above st->indexed_upto to the FTS index.
 * OMB_OK, or OMB_ESTORE with err. */
int omb_store_index_pending(omb_store *st, char *err, size_t cap);
/* Indexes pending text and commits the open transaction; on failure rolls
 * it back.  OMB_OK, or OMB_ESTORE with err. */
int omb_store_commit(omb_store *st, char *err, size_t cap);

/* The short names the store's functions had when the store was one file:
 * the moved code calls them unchanged, so an edit made to store.c on an
 * older branch still applies to the function it was made in. */
static inline sqlite3_stmt *stmt(omb_store *st, enum stmt_id id) { return omb_store_stmt(st, id); }
static inline int exec(omb_store *st, const char *sql, char *err, size_t cap)
{
    return omb_store_exec(st, sql, err, cap);
}
static inline int control(omb_store *st, enum stmt_id id, char *err, size_t cap)
{
    return omb_store_control(st, id, err, cap);
}
static inline int migrate(omb_store *st, int replay, char *err, size_t cap)
{
    return omb_store_migrate(st, replay, err, cap);
}
static inline void reset_indexed(omb_store *st) { omb_store_reset_indexed(st); }
static inline int index_pending(omb_store *st, char *err, size_t cap) { return omb_store_index_pending(st, err, cap); }
static inline int commit(omb_store *st, char *err, size_t cap) { return omb_store_commit(st, err, cap); }
static inline int step_done(sqlite3_stmt *s) { return sqlite3_step(s) == SQLITE_DONE ? OMB_OK : OMB_ESTORE; }

#endif
