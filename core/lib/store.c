/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store.c -- the connection to the SQLite file: opening it (pragmas, WAL,
 * migrating or refusing an old schema, the shipped register), closing it,
 * and the transactions documents are written in: one per document, or
 * batches of savepoints, with the FTS index brought up to date before each
 * commit.  The schema is store_schema.c; the statements store_stmt.c; what a
 * document writes, and the merge rule, store_write.c.  Nothing here parses
 * documents (plugins, through sink.c) or reads files (ingest.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authorities.h"
#include "sqlfuncs.h"
#include "store_int.h"

/* The version this ombuds writes; a constant of store_schema.c, where the
 * migrations are counted. */
#define N_MIGRATIONS omb_store_schema_version

sqlite3 *omb_store_db(omb_store *st) { return st->db; }
const char *omb_store_path(const omb_store *st) { return st->path; }

/* Sets the page cache to kib KiB (OMB_STORE_CACHE_KB, store_int.h). */
static int set_cache(omb_store *st, int kib, char *err, size_t cap)
{
    char sql[48];
    snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d;", kib);
    return exec(st, sql, err, cap);
}

/* Switches a store to WAL.  On a brand-new file two processes can race for
 * the switch, and SQLite answers SQLITE_BUSY there without calling the busy
 * handler, so retry for as long as the busy timeout would have waited. */
static int set_wal(omb_store *st, char *err, size_t cap)
{
    for (int tries = 0;; tries++) {
        int rc = sqlite3_exec(st->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
        if (rc == SQLITE_OK) return OMB_OK;
        if ((rc & 0xff) != SQLITE_BUSY || tries >= 300) break;
        sqlite3_sleep(100);
    }
    snprintf(err, cap, "%s: cannot switch to WAL: %s", st->path, sqlite3_errmsg(st->db));
    return OMB_ESTORE;
}

static void forget_on_rollback(void *st) { omb_store_names_forget(st); }

int omb_store_open(const char *path, int flags, omb_store **out, char *err, size_t cap)
{
    *out = NULL;
    omb_store *st = calloc(1, sizeof *st);
    if (!st) return OMB_ENOMEM;
    size_t n = strlen(path) + 1;
    st->path = malloc(n);
    if (!st->path) {
        free(st);
        return OMB_ENOMEM;
    }
    memcpy(st->path, path, n);
    /* SQLite's memory statistics take a global mutex on every allocation,
     * which showed in ingest profiles; nothing here reads them.  This only
     * takes effect before SQLite is first used in the process (otherwise
     * sqlite3_config refuses, harmlessly). */
    static int configured;
    if (!configured) {
        configured = 1;
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        /* No bulk allocation of page-cache lines when a cache is created.
         * Every ORDER BY ... LIMIT of the merge rule (store_stmt.c) opens a
         * temporary b-tree whose cache allocated 20 lines (86 KB) at once,
         * touched each and freed them: nine times per case merged, so
         * merging 7,000 annex rows was mostly page faults and brk(2) calls
         * (perf: 60% of the time, 19,000 brk).  Lines come one at a time. */
        sqlite3_config(SQLITE_CONFIG_PAGECACHE, (void *)0, 0, 0);
    }
    /* NOMUTEX: a store is only ever used by one thread at a time (an ingest
     * opens a second connection for its reading thread), so the per-call
     * connection mutex is pure cost. */
    int oflags = SQLITE_OPEN_NOMUTEX |
                 ((flags & OMB_STORE_READONLY) ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
    if (sqlite3_open_v2(path, &st->db, oflags, NULL) != SQLITE_OK) {
        snprintf(err, cap, "%s: cannot open store: %s", path, st->db ? sqlite3_errmsg(st->db) : "out of memory");
        omb_store_close(st);
        return OMB_ESTORE;
    }
    sqlite3_extended_result_codes(st->db, 1);
    /* Another ingest may hold the write lock: wait for it rather than fail. */
    sqlite3_busy_timeout(st->db, 30000);
    omb_sqlfuncs_register(st->db); /* median(), percentile(): sqlfuncs.c */
    /* a rollback takes back the terms the transaction added (store_names.c) */
    sqlite3_rollback_hook(st->db, forget_on_rollback, st);
    if (exec(st, "PRAGMA foreign_keys = ON", err, cap)) goto fail;
    if (!(flags & OMB_STORE_READONLY)) {
        /* WAL lets readers (the console) see a consistent store during an
         * ingest; synchronous=NORMAL is durable at each checkpoint and never
         * corrupts under WAL, which is the trade SQLite recommends. */
        /* A 16 MB page cache (OMB_STORE_CACHE_KB) bounds memory whatever
         * the corpus size.  The checkpoint interval is
         * OMB_STORE_CHECKPOINT_PAGES (store_int.h).
         * Temporary files (statement journals) stay files: held in memory
         * (temp_store = MEMORY, once needed for a savepoint per document)
         * they grew with the batch, to 94 MB for the annexes of the 1M-case
         * benchmark. */
        if (set_wal(st, err, cap) || exec(st, "PRAGMA synchronous = NORMAL;", err, cap) ||
            set_cache(st, OMB_STORE_CACHE_KB, err, cap))
            goto fail;
        st->checkpoint_pages = OMB_STORE_CHECKPOINT_PAGES;
        sqlite3_wal_autocheckpoint(st->db, st->checkpoint_pages);
        if (migrate(st, flags & OMB_STORE_REPLAY, err, cap) || exec(st, deferred_indexes, err, cap)) goto fail;
        /* a new store starts with the shipped register and subject map */
        if (omb_register_load_defaults(st->db, err, cap)) goto fail;
        reset_indexed(st);
        /* an ingest that died while deferring the full-text index left
         * committed texts out of it */
        if (omb_store_search_catch_up(st, err, cap)) goto fail;
    } else {
        sqlite3_stmt *s;
        int version = 0;
        if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK) {
            if (sqlite3_step(s) == SQLITE_ROW) version = sqlite3_column_int(s, 0);
            sqlite3_finalize(s);
        }
        if (version >= 1 && version < N_MIGRATIONS && !(flags & OMB_STORE_NO_UPGRADE)) {
            /* A store from an older ombuds: bring it up to date once (a
             * read-write open migrates), then open it read-only again, so
             * that `ombuds sql` after an upgrade just works. */
            sqlite3_close(st->db);
            st->db = NULL;
            omb_store *rw = NULL;
            char why[512];
            if (omb_store_open(path, 0, &rw, why, sizeof why)) {
                snprintf(err, cap, "%s: store schema %d is older than this ombuds (%d) and could not be upgraded: %s",
                         path, version, N_MIGRATIONS, why);
                goto fail;
            }
            omb_store_close(rw);
            omb_store_close(st);
            return omb_store_open(path, flags | OMB_STORE_NO_UPGRADE, out, err, cap);
        }
        if (version != N_MIGRATIONS) {
            snprintf(err, cap, "%s: not an ombuds store of this version (schema %d, expected %d)", path, version,
                     N_MIGRATIONS);
            goto fail;
        }
    }
    *out = st;
    return OMB_OK;
fail:
    omb_store_close(st);
    return OMB_ESTORE;
}

void omb_store_close(omb_store *st)
{
    if (!st) return;
    if (st->batched && st->db) {
        char err[256];
        omb_store_batch_end(st, err, sizeof err);
    }
    omb_store_names_forget(st);
    for (int i = 0; i < S__COUNT; i++) sqlite3_finalize(st->stmt[i]);
    if (st->db) sqlite3_close(st->db);
    free(st->path);
    free(st);
}

/* Where the FTS index stands: every committed search_text row is indexed,
 * so after a rollback the committed maximum is the answer again. */
void omb_store_reset_indexed(omb_store *st)
{
    sqlite3_stmt *s = stmt(st, S_MAX_TEXT_ID);
    if (s && sqlite3_step(s) == SQLITE_ROW) {
        st->indexed_upto[0] = sqlite3_column_int64(s, 0);
        st->indexed_upto[1] = sqlite3_column_int64(s, 1);
    }
    if (s) sqlite3_reset(s);
}

/* Adds the texts of the rows written in this transaction to the FTS index
 * (each text once, and only when the index lacks it: migration 14) and
 * lists the rows in search_rows, one statement each, just before the commit
 * (migrations 3 and 7 in store_schema.c say why).  Listing them here rather
 * than one insert per text as each was written saved two statements a
 * decision page. */
int omb_store_index_pending(omb_store *st, char *err, size_t cap)
{
    /* the index first: it looks for texts it lacks among the rows above
     * the marks.  A batch that defers the index only lists its rows, and
     * says that the index is behind until its end (catch_up). */
    static const enum stmt_id now[] = {S_INDEX_PENDING, S_LIST_PENDING};
    static const enum stmt_id deferred[] = {S_MARK_SEARCH_PENDING, S_LIST_PENDING};
    const enum stmt_id *steps = st->deferred_search ? deferred : now;
    for (size_t i = 0; i < 2; i++) {
        sqlite3_stmt *s = stmt(st, steps[i]);
        if (!s) goto fail;
        sqlite3_bind_int64(s, 1, st->indexed_upto[0]);
        sqlite3_bind_int64(s, 2, st->indexed_upto[1]);
        if (step_done(s)) goto fail;
    }
    reset_indexed(st);
    return OMB_OK;
fail:
    if (cap) snprintf(err, cap, "%s: updating the search index: %s", st->path, sqlite3_errmsg(st->db));
    return OMB_ESTORE;
}

int omb_store_search_catch_up(omb_store *st, char *err, size_t cap)
{
    if (index_pending(st, err, cap)) return OMB_ESTORE;
    sqlite3_stmt *s = stmt(st, S_SEARCH_BEHIND);
    int behind = st->deferred_search;
    if (s) {
        if (sqlite3_step(s) == SQLITE_ROW) behind |= sqlite3_column_int(s, 0);
        sqlite3_reset(s);
    }
    if (!s || (behind && (!(s = stmt(st, S_REBUILD_SEARCH)) || step_done(s) ||
                          !(s = stmt(st, S_CLEAR_SEARCH_PENDING)) || step_done(s)))) {
        if (cap) snprintf(err, cap, "%s: rebuilding the search index: %s", st->path, sqlite3_errmsg(st->db));
        return OMB_ESTORE;
    }
    st->deferred_search = 0;
    return OMB_OK;
}

int omb_store_sweep_texts(omb_store *st, char *err, size_t cap)
{
    sqlite3_stmt *s = stmt(st, S_SWEEP_TEXTS);
    if (!s || step_done(s)) {
        if (cap) snprintf(err, cap, "%s: removing texts nothing names: %s", st->path, sqlite3_errmsg(st->db));
        return OMB_ESTORE;
    }
    st->texts_orphaned = 0;
    omb_store_names_forget(st); /* the text ids it remembered may be gone */
    return OMB_OK;
}

/* Commits the open transaction, indexing its text first; on failure rolls
 * back and forgets what the rollback removed.  Outside a batch, it first
 * sweeps the texts a replaced document left (a batch sweeps once, at its
 * end: the sweep reads every row that names a text). */
int omb_store_commit(omb_store *st, char *err, size_t cap)
{
    if (index_pending(st, err, cap) || (!st->batched && st->texts_orphaned && omb_store_sweep_texts(st, err, cap)) ||
        control(st, S_COMMIT, err, cap)) {
        control(st, S_ROLLBACK, NULL, 0);
        reset_indexed(st);
        return OMB_ESTORE;
    }
    return OMB_OK;
}

void omb_store_batch_begin(omb_store *st)
{
    st->batched = 1;
    if (!st->checkpointer) st->checkpointer = omb_checkpointer_start(st->db, st->path, st->checkpoint_pages);
    /* only into an empty store: in a full one, building the indexes again
     * would cost more than a batch saves */
    sqlite3_stmt *s;
    int empty = 0;
    if (sqlite3_prepare_v2(st->db, "SELECT NOT EXISTS (SELECT 1 FROM case_rows)", -1, &s, NULL) == SQLITE_OK) {
        empty = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0);
        sqlite3_finalize(s);
    }
    if (!empty) set_cache(st, OMB_STORE_MERGE_CACHE_KB, NULL, 0);
    if (!empty || !sqlite3_get_autocommit(st->db)) return;
    static const char *const names[] = {DEFERRED_INDEX_NAMES};
    char sql[512];
    size_t o = 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        o += (size_t)snprintf(sql + o, sizeof sql - o, "DROP INDEX IF EXISTS %s;", names[i]);
    if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) == SQLITE_OK) st->deferred_indexes = 1;
    /* The full-text index too: one rebuild at the end reads each text once,
     * where indexing at every commit wrote a segment a batch and merged
     * them (about 5% of a 100k ingest).  Until the end, searches do not
     * find the texts of this ingest; an ingest that dies first leaves them
     * out until the next read-write open, which rebuilds (catch_up). */
    st->deferred_search = 1;
}

void omb_store_batch_optimistic(omb_store *st, int on) { st->optimistic = on; }

int omb_store_batch_commit(omb_store *st, char *err, size_t cap)
{
    if (sqlite3_get_autocommit(st->db)) return OMB_OK;
    return commit(st, err, cap);
}

int omb_store_batch_end(omb_store *st, char *err, size_t cap)
{
    int rc = omb_store_batch_commit(st, err, cap);
    st->batched = 0;
    if (st->texts_orphaned && !rc) {
        /* in a transaction of its own, after the batch's last commit */
        if (control(st, S_BEGIN, err, cap)) rc = OMB_ESTORE;
        else if (omb_store_sweep_texts(st, err, cap) || control(st, S_COMMIT, err, cap)) {
            control(st, S_ROLLBACK, NULL, 0);
            rc = OMB_ESTORE;
        }
    }
    if (st->deferred_search && !rc) rc = omb_store_search_catch_up(st, err, cap);
    st->deferred_search = 0;
    if (st->deferred_indexes) {
        st->deferred_indexes = 0;
        if (exec(st, deferred_indexes, rc ? NULL : err, rc ? 0 : cap) && !rc) rc = OMB_ESTORE;
    }
    /* after the indexes, whose pages the thread may still copy */
    omb_checkpointer_stop(st->checkpointer, st->db);
    st->checkpointer = NULL;
    set_cache(st, OMB_STORE_CACHE_KB, NULL, 0);
    return rc;
}
