/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store_forget.c -- taking documents back out of the store (`ombuds
 * forget`).  A document's rows all reference it with ON DELETE CASCADE, so
 * deleting it removes its values, sources, remedies and search text (the FTS
 * index through its delete trigger); what is left is the cases: one no other
 * document supports goes, the rest are merged again.  Writing documents,
 * and the merge rule itself, are store.c.
 */
#define _GNU_SOURCE
#include "store_forget.h"

#include <limits.h>
#include <ombuds/plugin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The stored document for path: as given, else by its absolute path (ingest
 * stores the path as it was named; a user may name it from another folder). */
static sqlite3_int64 find_document(sqlite3 *db, const char *path, char *found, size_t cap)
{
    sqlite3_stmt *s;
    sqlite3_int64 id = 0;
    char abs[PATH_MAX];
    const char *tries[2] = {path, realpath(path, abs) ? abs : NULL};
    /* by name as well: `documents` is a view (schema 10), and its path a
     * concatenation no index holds; its name is indexed */
    if (sqlite3_prepare_v2(db, "SELECT id, path FROM documents WHERE name = ?2 AND path = ?1", -1, &s, NULL) !=
        SQLITE_OK)
        return -1;
    for (int i = 0; i < 2 && !id; i++) {
        if (!tries[i]) continue;
        sqlite3_bind_text(s, 1, tries[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, omb_doc_name(tries[i]), -1, SQLITE_STATIC);
        if (sqlite3_step(s) == SQLITE_ROW) {
            id = sqlite3_column_int64(s, 0);
            snprintf(found, cap, "%s", (const char *)sqlite3_column_text(s, 1));
        }
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
    if (id || !tries[1]) return id;
    /* stored by a relative path: the document of the same name that is
     * this very file when resolved from here */
    if (sqlite3_prepare_v2(db, "SELECT id, path FROM documents WHERE name = ?1", -1, &s, NULL) != SQLITE_OK) return -1;
    sqlite3_bind_text(s, 1, omb_doc_name(path), -1, SQLITE_STATIC);
    char other[PATH_MAX];
    while (!id && sqlite3_step(s) == SQLITE_ROW) {
        const char *p = (const char *)sqlite3_column_text(s, 1);
        if (realpath(p, other) && !strcmp(other, abs)) {
            id = sqlite3_column_int64(s, 0);
            snprintf(found, cap, "%s", p);
        }
    }
    sqlite3_finalize(s);
    return id;
}

int omb_store_forget(omb_store *st, const char *path, struct omb_forget_result *res, char *err, size_t cap)
{
    sqlite3 *db = omb_store_db(st);
    sqlite3_stmt *s = NULL;
    sqlite3_int64 *ids = NULL;
    size_t n = 0, n_cap = 0;
    int rc = OMB_ESTORE;
    memset(res, 0, sizeof *res);
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) goto fail;
    /* the delete triggers take the document's texts out of the index */
    if (omb_store_search_catch_up(st, err, cap)) {
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return OMB_ESTORE;
    }
    sqlite3_int64 doc = find_document(db, path, res->path, sizeof res->path);
    if (doc < 0) goto fail;
    if (doc == 0) {
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        snprintf(err, cap, "%s: no document of that name is stored (see: ombuds sql \"SELECT path FROM documents\")",
                 path);
        return OMB_ENOTFOUND;
    }
    /* the cases it touched, read before the cascade removes the evidence */
    if (sqlite3_prepare_v2(db, "SELECT DISTINCT case_id FROM case_sources WHERE document_id = ?1", -1, &s, NULL))
        goto fail;
    sqlite3_bind_int64(s, 1, doc);
    while (sqlite3_step(s) == SQLITE_ROW) {
        if (n == n_cap) {
            n_cap = n_cap ? n_cap * 2 : 64;
            sqlite3_int64 *p = realloc(ids, n_cap * sizeof *ids);
            if (!p) {
                rc = OMB_ENOMEM;
                snprintf(err, cap, "%s: out of memory", path);
                goto rollback;
            }
            ids = p;
        }
        ids[n++] = sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
    s = NULL;
    char sql[96];
    snprintf(sql, sizeof sql, "DELETE FROM document_rows WHERE id = %lld", (long long)doc);
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) goto fail;
    if (sqlite3_prepare_v2(db, "DELETE FROM case_rows WHERE id = ?1 AND NOT EXISTS"
                               " (SELECT 1 FROM case_sources WHERE case_id = ?1)", -1, &s, NULL))
        goto fail;
    for (size_t i = 0; i < n; i++) {
        sqlite3_bind_int64(s, 1, ids[i]);
        if (sqlite3_step(s) != SQLITE_DONE) goto fail;
        sqlite3_reset(s);
        if (sqlite3_changes(db)) res->cases_removed++;
        else if (omb_store_remerge_case(st, ids[i]) == OMB_OK) res->cases_remerged++;
        else goto fail;
    }
    sqlite3_finalize(s);
    s = NULL;
    if (omb_store_sweep_texts(st, err, cap)) {
        rc = OMB_ESTORE;
        goto rollback;
    }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) goto fail;
    free(ids);
    return OMB_OK;
fail:
    snprintf(err, cap, "%s: forgetting %s: %s", omb_store_path(st), path, sqlite3_errmsg(db));
rollback:
    sqlite3_finalize(s);
    if (!sqlite3_get_autocommit(db)) sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    free(ids);
    return rc;
}
