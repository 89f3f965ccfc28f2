/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store_checkpoint.c -- WAL checkpoints on a thread of their own while a
 * batch is written.
 *
 * Why: with SQLite's automatic checkpoint, the connection that commits also
 * copies the WAL into the database and waits for two fdatasync(2) calls, so
 * the writing thread of an ingest, which sets its pace, stood idle at every
 * 32 MB of WAL (at 100k pages: 23 syncs, 0.52 s of waiting, plus 0.23 s of
 * copying, in a 5.6 s ingest).  SQLite lets a second connection checkpoint
 * while the first keeps writing (a PASSIVE checkpoint takes no lock that the
 * writer needs), so during a batch a commit that leaves a full WAL only
 * wakes this thread, which copies it on its own connection.
 *
 * The WAL file goes back to its start only when a write transaction begins
 * with every frame already copied, which a copy made while the next batch is
 * written never achieves: left to the thread alone, the WAL grew to the size
 * of everything written (172 MB at 100k pages).  So at the first commit after
 * the thread has finished, the writer copies the frames committed since (one
 * batch or so, a fifth of the WAL) itself, and its next transaction starts
 * the file again: the WAL stays as small as before, and most of the copying
 * and syncing happens off the writing thread.
 *
 * Nothing changes for durability: synchronous=NORMAL under WAL, as before;
 * the WAL is synced before it is copied and the database after.  When the
 * batch ends the thread is joined and the automatic checkpoint restored.  If
 * the thread or its connection cannot be had, the batch simply keeps the
 * automatic checkpoint.
 */
#include <pthread.h>
#include <stdlib.h>

#include "store_int.h"

struct omb_checkpointer {
    sqlite3 *db;             /* the thread's own connection */
    int pages;               /* the WAL size, in pages, at which to copy it */
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int pending;             /* the thread is asked to copy the WAL */
    int busy;                /* asked and not yet finished */
    int finished;            /* the thread's copy is done: the writer copies the rest */
    int stop;
};

static void *checkpointer_main(void *arg)
{
    struct omb_checkpointer *c = arg;
    pthread_mutex_lock(&c->lock);
    for (;;) {
        while (!c->pending && !c->stop) pthread_cond_wait(&c->wake, &c->lock);
        if (c->stop) break;
        c->pending = 0;
        pthread_mutex_unlock(&c->lock);
        /* PASSIVE: copies what no reader still needs, never waits; a busy
         * answer (another process checkpointing) is simply tried again at
         * the next wake-up. */
        sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        pthread_mutex_lock(&c->lock);
        c->finished = 1;
    }
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

/* sqlite3_wal_hook callback: runs in the writer after each commit, outside
 * its write lock, with the number of frames in the WAL. */
static int wal_committed(void *arg, sqlite3 *db, const char *schema, int pages)
{
    struct omb_checkpointer *c = arg;
    int copy_rest = 0;
    pthread_mutex_lock(&c->lock);
    if (c->finished) {
        c->finished = c->busy = 0;
        copy_rest = 1;
    } else if (!c->busy && pages >= c->pages) {
        c->busy = c->pending = 1;
        pthread_cond_signal(&c->wake);
    }
    pthread_mutex_unlock(&c->lock);
    /* what was committed while the thread copied; afterwards every frame is
     * in the database, so the next transaction starts the WAL again */
    if (copy_rest) sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    return SQLITE_OK;
}

struct omb_checkpointer *omb_checkpointer_start(sqlite3 *db, const char *path, int pages)
{
    /* only a WAL store in a file has frames to copy */
    const char *file = sqlite3_db_filename(db, "main");
    if (!file || !*file) return NULL;
    sqlite3_stmt *s;
    int wal = 0;
    if (sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, NULL) == SQLITE_OK) {
        wal = sqlite3_step(s) == SQLITE_ROW && sqlite3_stricmp((const char *)sqlite3_column_text(s, 0), "wal") == 0;
        sqlite3_finalize(s);
    }
    if (!wal) return NULL;
    struct omb_checkpointer *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->pages = pages;
    if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) goto fail;
    /* the database is synced after each copy, as the writer's own
     * checkpoint did under synchronous=NORMAL */
    sqlite3_exec(c->db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
    if (pthread_mutex_init(&c->lock, NULL)) goto fail;
    if (pthread_cond_init(&c->wake, NULL)) {
        pthread_mutex_destroy(&c->lock);
        goto fail;
    }
    if (pthread_create(&c->thread, NULL, checkpointer_main, c)) {
        pthread_cond_destroy(&c->wake);
        pthread_mutex_destroy(&c->lock);
        goto fail;
    }
    sqlite3_wal_hook(db, wal_committed, c); /* replaces the automatic checkpoint */
    return c;
fail:
    sqlite3_close(c->db);
    free(c);
    return NULL;
}

void omb_checkpointer_stop(struct omb_checkpointer *c, sqlite3 *db)
{
    if (!c) return;
    sqlite3_wal_autocheckpoint(db, c->pages); /* the writer checkpoints itself again */
    pthread_mutex_lock(&c->lock);
    c->stop = 1;
    pthread_cond_signal(&c->wake);
    pthread_mutex_unlock(&c->lock);
    pthread_join(c->thread, NULL);
    pthread_cond_destroy(&c->wake);
    pthread_mutex_destroy(&c->lock);
    sqlite3_close(c->db);
    free(c);
}
