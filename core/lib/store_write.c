/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store_write.c -- writing one parsed document: its row, its cases (each
 * value stored as a fact with its document and line), remedies,
 * improvements, events, notes and warnings, replacing what an older version
 * at the same path gave; then the merge: the value shown in `cases` is
 * recomputed from the facts, highest plugin rank first (decision pages
 * outrank listings, which outrank council annexes), then the newest
 * document.  The merge's SQL is in store_stmt.c; the transaction around a
 * write (and batches) is store.c; the schema store_schema.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "case.h"
#include "store_int.h"
#include "store_forget.h"

const char *omb_doc_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

int omb_store_find_same(omb_store *st, const char *sha256, const char *path, char *path_out, size_t cap)
{
    sqlite3_stmt *s = stmt(st, S_FIND_SAME);
    if (!s) return 0;
    omb_store_bind_digest(s, 1, 3, sha256);
    sqlite3_bind_text(s, 2, omb_doc_name(path), -1, SQLITE_STATIC);
    int found = sqlite3_step(s) == SQLITE_ROW;
    if (found && cap) snprintf(path_out, cap, "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_reset(s);
    return found;
}

/* ---- writing one document --------------------------------------------------- */

/* JSON array of the ';'-separated purposes, e.g. ["avoidable distress"]. */
static char *purposes_json(const char *list)
{
    size_t n = strlen(list);
    char *out = malloc(n * 2 + 8);
    if (!out) return NULL;
    size_t o = 0;
    out[o++] = '[';
    const char *p = list;
    int first = 1;
    while (*p) {
        const char *e = strchr(p, ';');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        while (len && *p == ' ') p++, len--;
        while (len && p[len - 1] == ' ') len--;
        if (len) {
            if (!first) out[o++] = ',';
            out[o++] = '"';
            for (size_t i = 0; i < len; i++) {
                if (p[i] == '"' || p[i] == '\\') out[o++] = '\\';
                out[o++] = p[i];
            }
            out[o++] = '"';
            first = 0;
        }
        p += len;
        while (*p == ' ') p++;
        if (*p == ';') p++;
    }
    out[o++] = ']';
    out[o] = '\0';
    return out;
}

struct write_ctx {
    omb_store *st;
    sqlite3_int64 doc_id;
    const struct omb_doc_meta *meta;
    char *err;
    size_t cap;
    const unsigned *line_page; /* the sink's page of each line, or NULL */
    size_t n_line_page;
};

static int fail_sql(struct write_ctx *w, const char *what)
{
    snprintf(w->err, w->cap, "%s: storing %s in %s: %s", w->meta->path, what, w->st->path,
             sqlite3_errmsg(w->st->db));
    return OMB_ESTORE;
}

static void bind_text_or_null(sqlite3_stmt *s, int i, const char *v)
{
    if (v) sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
    else sqlite3_bind_null(s, i);
}

/* Where a fact stands in the merge rule: the better-ranked document first,
 * then the newer document, then the later line (the larger fact id). */
struct rank_key {
    sqlite3_int64 rank, doc, fact;
};

static int ranks_before(const struct rank_key *a, const struct rank_key *b)
{
    if (a->rank != b->rank) return a->rank > b->rank;
    if (a->doc != b->doc) return a->doc > b->doc;
    return a->fact > b->fact;
}

/* The best-ranked document among the rows (rank, document id) of a look-up,
 * or 0; ok cleared on an error. */
static sqlite3_int64 best_document(omb_store *st, enum stmt_id id, sqlite3_int64 case_id, int *ok)
{
    sqlite3_stmt *s = stmt(st, id);
    if (!s) return *ok = 0;
    sqlite3_bind_int64(s, 1, case_id);
    struct rank_key best = {0, 0, 0};
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct rank_key k = {sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1), 0};
        if (!best.doc || ranks_before(&k, &best)) best = k;
    }
    if (rc != SQLITE_DONE) *ok = 0;
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return best.doc;
}

/* Applies the merge rule (store_stmt.c) to one case: each field takes the
 * value of the best-ranked fact that has one; the outcome the best that is
 * not "unknown"; the summary is the id of its fact (S_RANKED_FACTS reads 1
 * for "has a summary", not the text). */
enum { F_AUTHORITY, F_CATEGORY, F_SUBCATEGORY, F_SUBJECT, F_OUTCOME, F_DATE, F_SUMMARY, N_MERGED };

/* Binds text's case_terms id at i; OMB_ESTORE when it has none. */
static int bind_term(omb_store *st, sqlite3_stmt *s, int i, const char *text)
{
    sqlite3_int64 id = omb_store_term(st, text);
    if (!id) return OMB_ESTORE;
    sqlite3_bind_int64(s, i, id);
    return OMB_OK;
}

static int recompute_case(omb_store *st, sqlite3_int64 case_id)
{
    sqlite3_stmt *s = stmt(st, S_RANKED_FACTS);
    if (!s) return OMB_ESTORE;
    char *v[N_MERGED] = {0};
    struct rank_key at[N_MERGED]; /* where v[f] came from */
    int any_unknown = 0, rc = OMB_OK, step;
    sqlite3_bind_int64(s, 1, case_id);
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        struct rank_key k = {sqlite3_column_int64(s, N_MERGED), sqlite3_column_int64(s, N_MERGED + 1),
                             sqlite3_column_int64(s, N_MERGED + 2)};
        for (int f = 0; f < N_MERGED; f++) {
            const char *t = (const char *)sqlite3_column_text(s, f);
            if (!t || (v[f] && !ranks_before(&k, &at[f]))) continue;
            if (f == F_OUTCOME && !strcmp(t, "unknown")) {
                any_unknown = 1;
                continue;
            }
            char *copy = strdup(t);
            if (!copy) {
                rc = OMB_ENOMEM;
                continue;
            }
            free(v[f]);
            v[f] = copy;
            at[f] = k;
        }
    }
    if (step != SQLITE_DONE && rc == OMB_OK) rc = OMB_ESTORE;
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    int ok = 1;
    sqlite3_int64 remedy_doc = rc ? 0 : best_document(st, S_RANKED_REMEDY_DOC, case_id, &ok);
    sqlite3_int64 improvement_doc = rc ? 0 : best_document(st, S_RANKED_IMPROVEMENT_DOC, case_id, &ok);
    if (!ok && rc == OMB_OK) rc = OMB_ESTORE;
    if (rc == OMB_OK && !(s = stmt(st, S_SET_MERGED))) rc = OMB_ESTORE;
    if (rc == OMB_OK) {
        sqlite3_bind_int64(s, 1, case_id);
        for (int f = 0; f < N_MERGED && rc == OMB_OK; f++) {
            const char *t = f == F_OUTCOME && !v[f] && any_unknown ? "unknown" : v[f];
            if (t && f == F_AUTHORITY && !(t = omb_store_register_name(st, t))) rc = OMB_ESTORE;
            if (!t || rc) continue;
            /* the summary is kept as the id of the fact that gave it, the
             * texts cases share as their case_terms ids */
            if (f == F_SUMMARY) sqlite3_bind_int64(s, 2 + f, at[f].fact);
            else if (f == F_SUBJECT || f == F_DATE) sqlite3_bind_text(s, 2 + f, t, -1, SQLITE_STATIC);
            else if (bind_term(st, s, 2 + f, t)) rc = OMB_ESTORE;
        }
        if (remedy_doc) sqlite3_bind_int64(s, 9, remedy_doc);
        if (improvement_doc) sqlite3_bind_int64(s, 10, improvement_doc);
        if (rc == OMB_OK && step_done(s)) rc = OMB_ESTORE;
    }
    for (int f = 0; f < N_MERGED; f++) free(v[f]);
    if (rc) return rc;
    if (!(s = stmt(st, S_MAP_SUBJECT))) return OMB_ESTORE;
    sqlite3_bind_int64(s, 1, case_id);
    return step_done(s);
}

static int recompute(struct write_ctx *w, sqlite3_int64 case_id)
{
    return recompute_case(w->st, case_id) ? fail_sql(w, "the merged case") : OMB_OK;
}

int omb_store_remerge_all(omb_store *st, char *err, size_t cap)
{
    sqlite3_stmt *ids;
    omb_store_names_forget(st); /* the terms of a transaction rolled back are gone */
    if (exec(st, "SAVEPOINT remerge", err, cap)) return OMB_ESTORE;
    if (sqlite3_prepare_v2(st->db, "SELECT id FROM cases", -1, &ids, NULL) != SQLITE_OK) goto fail;
    int rc = OMB_OK;
    while (rc == OMB_OK && sqlite3_step(ids) == SQLITE_ROW) rc = recompute_case(st, sqlite3_column_int64(ids, 0));
    sqlite3_finalize(ids);
    if (rc) goto fail;
    return exec(st, "RELEASE remerge", err, cap);
fail:
    snprintf(err, cap, "%s: re-merging cases: %s", st->path, sqlite3_errmsg(st->db));
    sqlite3_exec(st->db, "ROLLBACK TO remerge; RELEASE remerge", NULL, NULL, NULL);
    omb_store_names_forget(st);
    return OMB_ESTORE;
}

static int insert_event(struct write_ctx *w, sqlite3_int64 case_id, const struct omb_event *ev)
{
    sqlite3_stmt *s = stmt(w->st, S_INSERT_EVENT);
    if (!s) return fail_sql(w, "an event");
    if (case_id) sqlite3_bind_int64(s, 1, case_id);
    else sqlite3_bind_null(s, 1);
    bind_text_or_null(s, 2, ev->authority);
    sqlite3_bind_int64(s, 3, w->doc_id);
    sqlite3_bind_text(s, 4, ev->type, -1, SQLITE_STATIC);
    bind_text_or_null(s, 5, ev->date);
    bind_text_or_null(s, 6, ev->date_text);
    sqlite3_bind_text(s, 7, ev->text, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 8, (sqlite3_int64)ev->line);
    return step_done(s) ? fail_sql(w, "an event") : OMB_OK;
}

/* A text of the full-text view (a case_facts row with a summary, an
 * improvement; see migration 7) was inserted as rowid `id` of `table` (0 or
 * 1); the commit indexes and lists every such row above indexed_upto
 * (omb_store_index_pending).  Rowids are max(id) + 1, so once a document
 * replacing another has deleted the top rows, new rows reuse ids at or below
 * indexed_upto: lower it, or index_pending skips them and a later delete
 * corrupts the FTS index (found by tests/fuzz; docs/testing.md). */
static void text_written(omb_store *st, int table, sqlite3_int64 id)
{
    if (id <= st->indexed_upto[table]) st->indexed_upto[table] = id - 1;
}

/* The scalar fields a document gives a case, in the order of the columns
 * of cases (from authority on) and of case_facts. */
static const int merged_fields[] = {OMB_FIELD_AUTHORITY,     OMB_FIELD_CATEGORY, OMB_FIELD_SUBCATEGORY,
                                    OMB_FIELD_COUNCIL_SUBJECT, OMB_FIELD_OUTCOME,  OMB_FIELD_DECISION_DATE,
                                    OMB_FIELD_SUMMARY};
#define N_MERGED_FIELDS ((int)(sizeof merged_fields / sizeof merged_fields[0]))

/* The fields case_rows and case_fact_rows keep as case_terms ids (schema 11
 * and 12): the texts many cases share. */
static int is_term(int field)
{
    return field == OMB_FIELD_AUTHORITY || field == OMB_FIELD_CATEGORY || field == OMB_FIELD_SUBCATEGORY ||
           field == OMB_FIELD_OUTCOME;
}

/* Binds what a document gives a case to a merging statement (S_INSERT_NEW_CASE,
 * S_MERGE_FILL, S_MERGE_OVER): ?2-?7 its values, the authority as the
 * register's name, it, the category, sub-category and outcome as their
 * case_terms ids, and ?9, ?10 the document when it gives remedies or
 * improvements.  ?8, the summary, each binds itself. */
static int bind_case_values(struct write_ctx *w, sqlite3_stmt *s, const omb_case *c)
{
    for (int k = 0; k < N_MERGED_FIELDS - 1; k++) {
        int field = merged_fields[k];
        const char *v = c->fields[field].value;
        if (!v) continue;
        if (!is_term(field)) {
            sqlite3_bind_text(s, k + 2, v, -1, SQLITE_STATIC);
            continue;
        }
        if (field == OMB_FIELD_AUTHORITY && !(v = omb_store_register_name(w->st, v)))
            return fail_sql(w, "the authority's name");
        if (bind_term(w->st, s, k + 2, v)) return fail_sql(w, "a case's value");
    }
    if (c->n_remedies) sqlite3_bind_int64(s, 9, w->doc_id);
    if (c->n_improvements) sqlite3_bind_int64(s, 10, w->doc_id);
    return OMB_OK;
}

/* Inserts a case no document has mentioned yet, merged values and all; its
 * summary is the case_facts row insert_facts writes next, whose id
 * S_INSERT_NEW_CASE and S_INSERT_FACTS both take as max(id) + 1. */
static int insert_new_case(struct write_ctx *w, const omb_case *c, const char *ref, sqlite3_int64 *case_id)
{
    sqlite3_stmt *s = stmt(w->st, S_INSERT_NEW_CASE);
    if (!s) return fail_sql(w, "a case");
    sqlite3_bind_text(s, 1, ref, -1, SQLITE_STATIC);
    if (bind_case_values(w, s, c)) return OMB_ESTORE;
    bind_text_or_null(s, 8, c->fields[OMB_FIELD_SUMMARY].value); /* only whether there is one */
    if (step_done(s)) return fail_sql(w, "a case");
    *case_id = sqlite3_last_insert_rowid(w->st->db);
    return OMB_OK;
}

/* Writes the case's scalar values as one case_facts row (nothing when the
 * document gives none). */
static int insert_facts(struct write_ctx *w, const omb_case *c, sqlite3_int64 case_id, sqlite3_int64 *summary_fact)
{
    *summary_fact = 0;
    int any = 0;
    for (int k = 0; k < N_MERGED_FIELDS; k++) any |= c->fields[merged_fields[k]].value != NULL;
    if (!any) return OMB_OK;
    sqlite3_stmt *s = stmt(w->st, S_INSERT_FACTS);
    if (!s) return fail_sql(w, "a fact");
    sqlite3_bind_int64(s, 1, case_id);
    sqlite3_bind_int64(s, 2, w->doc_id);
    for (int k = 0; k < N_MERGED_FIELDS; k++) {
        int field = merged_fields[k];
        const struct omb_fact *f = &c->fields[field];
        if (!f->value) continue;
        if (is_term(field)) {
            if (bind_term(w->st, s, 3 + 2 * k, f->value)) return fail_sql(w, "a fact");
        } else if (field == OMB_FIELD_SUMMARY) {
            sqlite3_int64 text = omb_store_text(w->st, f->value);
            if (!text) return fail_sql(w, "a summary");
            sqlite3_bind_int64(s, 3 + 2 * k, text);
        } else {
            sqlite3_bind_text(s, 3 + 2 * k, f->value, -1, SQLITE_STATIC);
        }
        sqlite3_bind_int64(s, 4 + 2 * k, (sqlite3_int64)f->line);
    }
    if (step_done(s)) return fail_sql(w, "a fact");
    if (c->fields[OMB_FIELD_SUMMARY].value) {
        *summary_fact = sqlite3_last_insert_rowid(w->st->db);
        text_written(w->st, 0, *summary_fact);
    }
    return OMB_OK;
}

/* Merges a mention of a case that other documents gave already.  The merge
 * rule (store_stmt.c) needs every fact of the case only when the new
 * document ranks among the others: ranked below all of them it only fills
 * what they leave empty (S_MERGE_FILL), ranked at least as high as any it
 * wins every field it gives, being the newest (S_MERGE_OVER).  Either way
 * the case's stored values are the merge of the others, so one UPDATE of
 * them gives what recompute_case would, without reading the facts,
 * remedies and improvements of the case (random pages of the largest
 * tables: the cost of merging listings and annexes into a full store).
 * Anything else -- a second mention in the same document, whose facts rank
 * by line, or a case the subject map may have given a category -- takes
 * the full merge. */
static int merge_mention(struct write_ctx *w, const omb_case *c, sqlite3_int64 case_id, int source_added,
                         sqlite3_int64 summary_fact)
{
    sqlite3_stmt *s = source_added ? stmt(w->st, S_OTHER_RANKS) : NULL;
    if (!s) return recompute(w, case_id);
    sqlite3_bind_int64(s, 1, case_id);
    sqlite3_bind_int64(s, 2, w->doc_id);
    enum stmt_id how = S__COUNT;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL && sqlite3_column_int64(s, 2) == 1) {
        if (w->meta->rank < sqlite3_column_int64(s, 0)) how = S_MERGE_FILL;
        else if (w->meta->rank >= sqlite3_column_int64(s, 1)) how = S_MERGE_OVER;
    }
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (rc != SQLITE_ROW) return fail_sql(w, "the merged case");
    if (how == S__COUNT) return recompute(w, case_id);
    if (!(s = stmt(w->st, how))) return fail_sql(w, "the merged case");
    sqlite3_bind_int64(s, 1, case_id);
    if (bind_case_values(w, s, c)) return OMB_ESTORE;
    if (summary_fact) sqlite3_bind_int64(s, 8, summary_fact);
    if (step_done(s)) return fail_sql(w, "the merged case");
    if (!sqlite3_changes(w->st->db)) return recompute(w, case_id);
    if (how == S_MERGE_OVER) return OMB_OK;
    /* a council subject this document brought may give the category */
    if (!(s = stmt(w->st, S_MAP_SUBJECT))) return fail_sql(w, "the merged case");
    sqlite3_bind_int64(s, 1, case_id);
    return step_done(s) ? fail_sql(w, "the merged case") : OMB_OK;
}

static int write_case(struct write_ctx *w, const omb_case *c, size_t index)
{
    sqlite3_stmt *s;
    sqlite3_int64 case_id = 0;
    const char *ref = c->fields[OMB_FIELD_REF].value;
    char key[160];
    int is_new = 0;
    if (ref) {
        /* look first: a case no document has mentioned yet is inserted
         * whole instead of going through the full merge */
        if (!(s = stmt(w->st, S_FIND_REF))) return fail_sql(w, "a case");
        sqlite3_bind_text(s, 1, ref, -1, SQLITE_STATIC);
        int found = sqlite3_step(s);
        if (found == SQLITE_ROW) case_id = sqlite3_column_int64(s, 0);
        sqlite3_reset(s);
        if (found == SQLITE_DONE) {
            if (insert_new_case(w, c, ref, &case_id)) return OMB_ESTORE;
            is_new = 1;
        } else if (found != SQLITE_ROW) {
            return fail_sql(w, "a case");
        }
    } else {
        /* An unreferenced case belongs to its document: key it by the
         * document's hash and the plugin's row key (or its position). */
        const char *row = c->fields[OMB_FIELD_ROW_KEY].value;
        if (row) snprintf(key, sizeof key, "%s:%s", w->meta->sha256, row);
        else snprintf(key, sizeof key, "%s:case %zu", w->meta->sha256, index + 1);
        s = stmt(w->st, S_UPSERT_UNREF);
        if (!s) return fail_sql(w, "a case");
        sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
        if (sqlite3_step(s) != SQLITE_ROW) return fail_sql(w, "a case");
        case_id = sqlite3_column_int64(s, 0);
        sqlite3_reset(s);
    }

    if (!(s = stmt(w->st, S_INSERT_SOURCE))) return fail_sql(w, "a case source");
    sqlite3_bind_int64(s, 1, case_id);
    sqlite3_bind_int64(s, 2, w->doc_id);
    sqlite3_bind_int64(s, 3, (sqlite3_int64)c->line);
    bind_text_or_null(s, 4, c->ref_written);
    if (w->line_page && c->line >= 1 && c->line <= w->n_line_page) sqlite3_bind_int64(s, 5, w->line_page[c->line - 1]);
    else sqlite3_bind_null(s, 5);
    if (step_done(s)) return fail_sql(w, "a case source");
    int source_added = sqlite3_changes(w->st->db) > 0;

    sqlite3_int64 summary_fact;
    if (insert_facts(w, c, case_id, &summary_fact)) return OMB_ESTORE;
    for (size_t i = 0; i < c->n_remedies; i++) {
        const struct omb_remedy *r = &c->remedies[i];
        sqlite3_int64 text = omb_store_text(w->st, r->text);
        if (!text) return fail_sql(w, "a remedy");
        char *json = purposes_json(r->purposes);
        if (!json) return OMB_ENOMEM;
        if (!(s = stmt(w->st, S_INSERT_REMEDY))) {
            free(json);
            return fail_sql(w, "a remedy");
        }
        sqlite3_bind_int64(s, 1, case_id);
        sqlite3_bind_int64(s, 2, w->doc_id);
        sqlite3_bind_text(s, 3, omb_remedy_kind_name(r->kind), -1, SQLITE_STATIC);
        if (r->amount_pence >= 0) sqlite3_bind_int64(s, 4, r->amount_pence);
        else sqlite3_bind_null(s, 4);
        sqlite3_bind_text(s, 5, json, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 6, text);
        sqlite3_bind_int64(s, 7, (sqlite3_int64)r->line);
        sqlite3_bind_int(s, 8, r->paid_before != 0);
        int rc = step_done(s);
        sqlite3_reset(s);
        free(json);
        if (rc) return fail_sql(w, "a remedy");
    }
    for (size_t i = 0; i < c->n_improvements; i++) {
        sqlite3_int64 text = omb_store_text(w->st, c->improvements[i].text);
        if (!text || !(s = stmt(w->st, S_INSERT_IMPROVEMENT))) return fail_sql(w, "an improvement");
        sqlite3_bind_int64(s, 1, case_id);
        sqlite3_bind_int64(s, 2, w->doc_id);
        sqlite3_bind_int64(s, 3, text);
        sqlite3_bind_int64(s, 4, (sqlite3_int64)c->improvements[i].line);
        if (step_done(s)) return fail_sql(w, "an improvement");
        text_written(w->st, 1, sqlite3_last_insert_rowid(w->st->db));
    }
    for (size_t i = 0; i < c->n_events; i++)
        if (insert_event(w, case_id, &c->events[i])) return OMB_ESTORE;
    if (!is_new) return merge_mention(w, c, case_id, source_added, summary_fact);
    /* the subject map only fills a category no document gave */
    if (c->fields[OMB_FIELD_CATEGORY].value || !c->fields[OMB_FIELD_COUNCIL_SUBJECT].value) return OMB_OK;
    if (!(s = stmt(w->st, S_MAP_SUBJECT))) return fail_sql(w, "the merged case");
    sqlite3_bind_int64(s, 1, case_id);
    return step_done(s) ? fail_sql(w, "the merged case") : OMB_OK;
}

/* Removes what the document at doc_id contributed, then re-merges (or drops)
 * the cases it touched. */
static int remove_document(struct write_ctx *w, sqlite3_int64 doc_id)
{
    /* The delete trigger removes the old rows from the FTS index, which is
     * only sound for rows the index holds: index what this transaction wrote
     * so far first, and all a deferring batch listed (replacements are rare,
     * so the extra flush costs little). */
    if (omb_store_search_catch_up(w->st, w->err, w->cap)) return OMB_ESTORE;
    w->st->texts_orphaned = 1; /* its texts may be named by nothing else now */
    sqlite3_stmt *s = stmt(w->st, S_DOC_CASES);
    if (!s) return fail_sql(w, "the old version");
    sqlite3_bind_int64(s, 1, doc_id);
    sqlite3_int64 *ids = NULL;
    size_t n = 0, cap = 0;
    int rc = OMB_OK;
    while (sqlite3_step(s) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            sqlite3_int64 *p = realloc(ids, cap * sizeof *ids);
            if (!p) {
                rc = OMB_ENOMEM;
                break;
            }
            ids = p;
        }
        ids[n++] = sqlite3_column_int64(s, 0);
    }
    sqlite3_reset(s);
    if (rc == OMB_OK) {
        if (!(s = stmt(w->st, S_DELETE_DOC))) rc = fail_sql(w, "the old version");
        else {
            sqlite3_bind_int64(s, 1, doc_id);
            if (step_done(s)) rc = fail_sql(w, "the old version");
        }
    }
    for (size_t i = 0; i < n && rc == OMB_OK; i++) {
        if (!(s = stmt(w->st, S_DELETE_ORPHAN))) {
            rc = fail_sql(w, "the old version");
            break;
        }
        sqlite3_bind_int64(s, 1, ids[i]);
        if (step_done(s)) rc = fail_sql(w, "the old version");
        else if (sqlite3_changes(w->st->db) == 0) rc = recompute(w, ids[i]);
    }
    free(ids);
    return rc;
}

static int write_all(struct write_ctx *w, struct omb_sink *sink, int *result)
{
    const struct omb_doc_meta *m = w->meta;
    sqlite3_stmt *s = stmt(w->st, S_FIND_SAME);
    if (!s) return fail_sql(w, "the document");
    omb_store_bind_digest(s, 1, 3, m->sha256);
    const char *name = omb_doc_name(m->path);
    sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
    int rcs = sqlite3_step(s);
    sqlite3_reset(s);
    if (rcs == SQLITE_ROW) {
        *result = OMB_DOC_UNCHANGED;
        return OMB_OK;
    }
    if (rcs != SQLITE_DONE) return fail_sql(w, "the document");

    /* the folder, with its '/', as document_dirs keeps it */
    sqlite3_int64 dir = omb_store_dir(w->st, m->path, (size_t)(name - m->path));
    if (!dir) return fail_sql(w, "the document's folder");
    if (!(s = stmt(w->st, S_FIND_PATH))) return fail_sql(w, "the document");
    sqlite3_bind_int64(s, 1, dir);
    sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
    sqlite3_int64 old = 0;
    if (sqlite3_step(s) == SQLITE_ROW) old = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    *result = old ? OMB_DOC_UPDATED : OMB_DOC_NEW;
    if (old && remove_document(w, old)) return OMB_ESTORE;

    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (!(s = stmt(w->st, S_INSERT_DOC))) return fail_sql(w, "the document");
    sqlite3_bind_int64(s, 1, dir);
    omb_store_bind_digest(s, 2, 0, m->sha256);
    sqlite3_bind_text(s, 3, m->plugin, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, m->plugin_version ? m->plugin_version : "", -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 5, m->rank);
    sqlite3_bind_int64(s, 6, (sqlite3_int64)m->size);
    bind_text_or_null(s, 7, m->note && *m->note ? m->note : NULL);
    sqlite3_bind_text(s, 8, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 9, (sqlite3_int64)sink->n_cases);
    sqlite3_bind_text(s, 10, name, -1, SQLITE_STATIC);
    if (step_done(s)) return fail_sql(w, "the document");
    w->doc_id = sqlite3_last_insert_rowid(w->st->db);

    for (size_t i = 0; i < sink->n_cases; i++)
        if (write_case(w, sink->cases[i], i)) return OMB_ESTORE;
    for (size_t i = 0; i < sink->n_authority_events; i++)
        if (insert_event(w, 0, &sink->authority_events[i])) return OMB_ESTORE;
    for (size_t i = 0; i < sink->n_notes; i++) {
        if (!(s = stmt(w->st, S_INSERT_NOTE))) return fail_sql(w, "a note");
        sqlite3_bind_int64(s, 1, w->doc_id);
        sqlite3_bind_text(s, 2, sink->notes[i].key, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, sink->notes[i].value, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 4, (sqlite3_int64)sink->notes[i].line);
        if (step_done(s)) return fail_sql(w, "a note");
    }
    for (size_t i = 0; i < sink->n_warnings; i++) {
        if (!(s = stmt(w->st, S_INSERT_WARNING))) return fail_sql(w, "a warning");
        sqlite3_bind_int64(s, 1, w->doc_id);
        sqlite3_bind_int64(s, 2, (sqlite3_int64)sink->warnings[i].line);
        sqlite3_bind_text(s, 3, sink->warnings[i].message, -1, SQLITE_STATIC);
        if (step_done(s)) return fail_sql(w, "a warning");
    }
    return OMB_OK;
}

int omb_store_write(omb_store *st, const struct omb_doc_meta *meta, struct omb_sink *sink, int *result, char *err,
                    size_t cap)
{
    struct write_ctx w = {st, 0, meta, err, cap, sink->line_page, sink->n_line_page};
    *result = 0;
    if (cap) err[0] = '\0';
    /* In a batch the document is a savepoint inside the batch's transaction,
     * so it is still stored whole or not at all; alone it is a transaction. */
    int savepoint = st->batched && !st->optimistic;
    if (!st->batched || sqlite3_get_autocommit(st->db)) {
        if (control(st, S_BEGIN, err, cap)) return OMB_ESTORE;
        /* Now that this connection holds the write lock: another process
         * may have committed texts since this one last looked, all of them
         * indexed, so what is left to index starts above the highest ids
         * now (indexing from an older mark would list and index theirs
         * twice); and the register is asked afresh (store_names.c). */
        reset_indexed(st);
        omb_store_names_forget(st);
    }
    sqlite3_int64 indexed_before[2] = {st->indexed_upto[0], st->indexed_upto[1]}; /* restored on a rollback */
    if (savepoint && control(st, S_SAVEPOINT, err, cap)) return OMB_ESTORE;
    int rc = write_all(&w, sink, result);
    if (rc) {
        if (st->batched && !savepoint) {
            /* no savepoint to return to: the batch goes, and is written again */
            control(st, S_ROLLBACK, NULL, 0);
            reset_indexed(st);
            return OMB_STORE_RETRY;
        }
        if (st->batched) {
            control(st, S_ROLLBACK_TO, NULL, 0);
            control(st, S_RELEASE, NULL, 0);
            omb_store_names_forget(st); /* terms and folders the document added are gone */
            st->indexed_upto[0] = indexed_before[0];
            st->indexed_upto[1] = indexed_before[1];
        } else {
            control(st, S_ROLLBACK, NULL, 0);
            reset_indexed(st);
        }
        if (rc == OMB_ENOMEM && cap) snprintf(err, cap, "%s: out of memory while storing", meta->path);
        return rc;
    }
    if (savepoint) return control(st, S_RELEASE, err, cap);
    if (st->batched) return OMB_OK;
    return commit(st, err, cap);
}

/* For store_forget.c: the one merge rule, for one case. */
int omb_store_remerge_case(omb_store *st, sqlite3_int64 case_id) { return recompute_case(st, case_id); }
