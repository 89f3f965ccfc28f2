/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store_stmt.c -- the SQL the store runs again and again, as one table of
 * statements by id (enum stmt_id, store_int.h), prepared on first use and
 * cached on the connection; the merge rule (S_RANKED_FACTS, S_SET_MERGED) is written here
 * once.  Also one-off SQL (exec) and the transaction control statements.
 * Nothing here decides when statements run: the schema they run against is
 * store_schema.c, transactions store.c, writing a document store_write.c.
 */
#include <stdio.h>
#include <string.h>

#include "store_int.h"
#include "authorities.h"

static const char *const stmt_sql[S__COUNT] = {
    /* Documents are document_rows under their folder (document_dirs), found
     * by the unique index on (name, dir_id); the hash is its 32 bytes (?1),
     * or as text (?3) when a row was written by hand through `documents`. */
    [S_FIND_SAME] = "SELECT p.path || d.name FROM document_rows d JOIN document_dirs p ON p.id = d.dir_id"
                    " WHERE d.name = ?2 AND d.digest IN (?1, ?3) LIMIT 1",
    [S_FIND_PATH] = "SELECT id FROM document_rows WHERE name = ?2 AND dir_id = ?1",
    [S_DELETE_DOC] = "DELETE FROM document_rows WHERE id = ?1",
    [S_INSERT_DIR] = "INSERT OR IGNORE INTO document_dirs(path) VALUES (?1)",
    [S_FIND_DIR] = "SELECT id FROM document_dirs WHERE path = ?1",
    [S_DOC_CASES] = "SELECT DISTINCT case_id FROM case_sources WHERE document_id = ?1",
    [S_INSERT_DOC] = "INSERT INTO document_rows(dir_id, name, digest, plugin, plugin_version, rank, size, note,"
                     " ingested_at, n_cases) VALUES (?1, ?10, ?2, ?3, ?4,"
                     " ?5, ?6, ?7, ?8, ?9)",
    [S_UPSERT_REF] = "INSERT INTO case_rows(ref) VALUES (?1) ON CONFLICT(ref) DO UPDATE SET ref = excluded.ref RETURNING id",
    [S_UPSERT_UNREF] = "INSERT INTO case_rows(unref_key) VALUES (?1) ON CONFLICT(unref_key) DO UPDATE SET"
                       " unref_key = excluded.unref_key RETURNING id",
    [S_INSERT_SOURCE] = "INSERT OR IGNORE INTO case_sources(case_id, document_id, line, ref_as_written, page)"
                        " VALUES (?1, ?2, ?3, ?4, ?5)",
    /* the id is the one S_INSERT_NEW_CASE promised as the summary's */
    /* authority, category, sub-category and outcome (?3, ?5, ?7, ?11) are
     * case_terms ids, the summary (?15) a texts id */
    [S_INSERT_FACTS] = "INSERT INTO case_fact_rows(id, case_id, document_id, authority_id, authority_line, category_id,"
                       " category_line, subcategory_id, subcategory_line, council_subject, council_subject_line,"
                       " outcome_id, outcome_line, decision_date, decision_date_line, summary_id, summary_line)"
                       " VALUES ((SELECT coalesce(max(id), 0) + 1 FROM case_fact_rows), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
                       " ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    /* the text (?6 here, ?3 for an improvement) is a texts id */
    [S_INSERT_REMEDY] = "INSERT INTO remedy_rows(case_id, document_id, kind, amount_pence, purposes, text_id, line,"
                        " paid_before) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    /* improvement ids start at 10,000,000,000 (migration 7) */
    [S_INSERT_IMPROVEMENT] = "INSERT INTO improvement_rows(id, case_id, document_id, text_id, line) VALUES"
                             " ((SELECT max(coalesce(max(id), 0) + 1, 10000000000) FROM improvement_rows), ?1, ?2, ?3, ?4)",
    [S_INSERT_EVENT] = "INSERT INTO events(case_id, authority, document_id, type, date, date_text, text, line)"
                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [S_INSERT_NOTE] = "INSERT INTO document_notes(document_id, key, value, line) VALUES (?1, ?2, ?3, ?4)",
    [S_INSERT_WARNING] = "INSERT INTO warnings(document_id, line, message) VALUES (?1, ?2, ?3)",
    /* The merge rule, in one place (recompute_case in store_write.c reads
     * these).  For each field: the fact from the best-ranked document,
     * newest document breaking ties, last line within a document last; an
     * "unknown" outcome never hides a known one.  The facts come with their
     * rank and ids, unordered, and the best value of each field is kept in
     * C: written as one UPDATE with a `ORDER BY ... LIMIT 1` subquery a
     * field, every subquery opened a temporary b-tree (nine a case), and
     * merging the annexes of 10k cases spent half its time creating them;
     * an ORDER BY on these queries still opened a sorter for each. */
    [S_RANKED_FACTS] = "SELECT f.authority, f.category, f.subcategory, f.council_subject, f.outcome, f.decision_date,"
                       " iif(f.summary IS NULL, NULL, 1), d.rank, d.id, f.id FROM case_facts f"
                       " JOIN document_rows d ON d.id = f.document_id"
                       " WHERE f.case_id = ?1",
    [S_RANKED_REMEDY_DOC] = "SELECT d.rank, d.id FROM remedy_rows r JOIN document_rows d ON d.id = r.document_id"
                            " WHERE r.case_id = ?1",
    [S_RANKED_IMPROVEMENT_DOC] = "SELECT d.rank, d.id FROM improvement_rows i JOIN document_rows d ON d.id = i.document_id"
                                 " WHERE i.case_id = ?1",
    [S_SET_MERGED] =
        "UPDATE case_rows SET authority_id = ?2, category_id = ?3, subcategory_id = ?4, council_subject = ?5,"
        " outcome_id = coalesce(?6, 1), decision_date = ?7, summary_fact = ?8, remedy_document_id = ?9,"
        " improvement_document_id = ?10 WHERE id = ?1",
    /* the map's texts are in case_terms: its triggers put them there */
    [S_MAP_SUBJECT] =
        "UPDATE case_rows SET"
        " category_id = (SELECT (SELECT t.id FROM case_terms t WHERE t.text = m.category) FROM subject_map m"
        "   WHERE case_rows.council_subject LIKE m.subject || '%' ORDER BY length(m.subject) DESC LIMIT 1),"
        " subcategory_id = (SELECT (SELECT t.id FROM case_terms t WHERE t.text = nullif(m.subcategory, ''))"
        "   FROM subject_map m WHERE case_rows.council_subject LIKE m.subject || '%'"
        "   ORDER BY length(m.subject) DESC LIMIT 1)"
        " WHERE id = ?1 AND category_id IS NULL AND council_subject IS NOT NULL",
    /* A mention of a case other documents gave already, merged without
     * reading their facts when the new document ranks below all of them
     * (it only fills what they leave empty) or at least as high as any (it
     * is the newest, so it wins every field it gives): see merge_mention in
     * store_write.c, which reads the ranks here.  ?1 case, ?2-?7 the
     * document's values (authority, category, sub-category and outcome as
     * case_terms ids; "unknown" is 1), ?8 its summary's fact id, ?9 and ?10 its id when it
     * has remedies or improvements.  The WHERE leaves alone (no row changed,
     * so the full merge runs) a case whose category the subject map may
     * have given, which only the facts can tell. */
    [S_OTHER_RANKS] = "SELECT min(iif(s.document_id = ?2, NULL, d.rank)), max(iif(s.document_id = ?2, NULL, d.rank)),"
                      " sum(s.document_id = ?2) FROM case_sources s JOIN document_rows d ON d.id = s.document_id"
                      " WHERE s.case_id = ?1",
    [S_MERGE_FILL] =
        "UPDATE case_rows SET authority_id = coalesce(authority_id, ?2), category_id = coalesce(category_id, ?3),"
        " subcategory_id = coalesce(subcategory_id, ?4), council_subject = coalesce(council_subject, ?5),"
        " outcome_id = iif(outcome_id = 1 AND ?6 IS NOT NULL, ?6, outcome_id),"
        " decision_date = coalesce(decision_date, ?7), summary_fact = coalesce(summary_fact, ?8),"
        " remedy_document_id = coalesce(remedy_document_id, ?9),"
        " improvement_document_id = coalesce(improvement_document_id, ?10)"
        " WHERE id = ?1 AND (council_subject IS NULL OR (?3 IS NULL AND ?4 IS NULL))",
    [S_MERGE_OVER] =
        "UPDATE case_rows SET authority_id = coalesce(?2, authority_id), category_id = coalesce(?3, category_id),"
        " subcategory_id = coalesce(?4, subcategory_id), outcome_id = iif(?6 IS NOT NULL AND ?6 <> 1, ?6, outcome_id),"
        " decision_date = coalesce(?7, decision_date), summary_fact = coalesce(?8, summary_fact),"
        " remedy_document_id = coalesce(?9, remedy_document_id),"
        " improvement_document_id = coalesce(?10, improvement_document_id)"
        " WHERE id = ?1 AND council_subject IS NULL AND ?5 IS NULL",
    [S_FIND_REF] = "SELECT id FROM case_rows WHERE ref = ?1",
    /* The merge rule for a case that only this document mentions: the same
     * result as the merge rule in the one insert, without searching facts
     * that can only be this document's.  Here and in S_SET_MERGED the
     * authority bound is already the register's name (S_REGISTER_NAME), and
     * it, the category, sub-category and outcome are case_terms ids. */
    [S_INSERT_NEW_CASE] =
        "INSERT INTO case_rows(ref, authority_id, category_id, subcategory_id, council_subject, outcome_id,"
        " decision_date, summary_fact, remedy_document_id, improvement_document_id) VALUES (?1, ?2, ?3, ?4, ?5,"
        " coalesce(?6, 1), ?7, iif(?8 IS NULL, NULL, (SELECT coalesce(max(id), 0) + 1 FROM case_fact_rows)),"
        " ?9, ?10)",
    /* the register's name for a spelling, or the spelling (store_names.c) */
    [S_FIND_TERM] = "SELECT id FROM case_terms WHERE text = ?1",
    [S_ADD_TERM] = "INSERT INTO case_terms(text) VALUES (?1)",
    /* NULL (read as 0: none) when the text is not stored */
    [S_FIND_TEXT] = "SELECT " TEXT_ID("?1"),
    [S_ADD_TEXT] = "INSERT INTO texts(text) VALUES (?1)",
    /* one pass over the three tables that name texts, after deletes */
    [S_SWEEP_TEXTS] = "DELETE FROM texts WHERE id NOT IN (SELECT summary_id FROM case_fact_rows"
                      " WHERE summary_id IS NOT NULL UNION ALL SELECT text_id FROM improvement_rows"
                      " UNION ALL SELECT text_id FROM remedy_rows)",
    [S_REGISTER_NAME] = "SELECT coalesce((SELECT a.name FROM authority_names n JOIN authorities a"
                        " ON a.id = n.authority_id WHERE n.name_key = " OMB_NAME_KEY_SQL("?1") "), ?1)",
    /* the texts of the rows above the marks that the index lacks, each once
     * (UNION); run before S_LIST_PENDING lists the rows */
    [S_INDEX_PENDING] = "INSERT INTO search(rowid, text) SELECT t.id, t.text FROM texts t WHERE t.id IN"
                        " (SELECT summary_id FROM case_fact_rows WHERE id > ?1 AND summary_id IS NOT NULL UNION"
                        " SELECT text_id FROM improvement_rows WHERE id > ?2)"
                        " AND NOT EXISTS (SELECT 1 FROM search_docsize d WHERE d.id = t.id)",
    /* the rows above the marks, listed with their texts for search_text */
    [S_LIST_PENDING] = "INSERT INTO search_rows(id, text_id) SELECT id, summary_id FROM case_fact_rows WHERE id > ?1"
                       " AND summary_id IS NOT NULL UNION ALL SELECT id, text_id FROM improvement_rows WHERE id > ?2",
    /* a batch that leaves the index to its end says so, in its first commit */
    [S_MARK_SEARCH_PENDING] = "INSERT OR IGNORE INTO search_pending(id) VALUES (1)",
    [S_CLEAR_SEARCH_PENDING] = "DELETE FROM search_pending",
    /* the FTS index lacks listed texts: a batch that deferred it did not
     * reach its end */
    [S_SEARCH_BEHIND] = "SELECT EXISTS (SELECT 1 FROM search_pending)",
    [S_REBUILD_SEARCH] = "INSERT INTO search(search) VALUES ('rebuild')",
    [S_MAX_TEXT_ID] = "SELECT (SELECT coalesce(max(id), 0) FROM case_fact_rows),"
                      " (SELECT coalesce(max(id), 0) FROM improvement_rows)",
    [S_BEGIN] = "BEGIN IMMEDIATE",
    [S_COMMIT] = "COMMIT",
    [S_ROLLBACK] = "ROLLBACK",
    [S_SAVEPOINT] = "SAVEPOINT document",
    [S_RELEASE] = "RELEASE document",
    [S_ROLLBACK_TO] = "ROLLBACK TO document",
    [S_DELETE_ORPHAN] = "DELETE FROM case_rows WHERE id = ?1 AND NOT EXISTS"
                        " (SELECT 1 FROM case_sources WHERE case_id = ?1)",
};

int omb_store_exec(omb_store *st, const char *sql, char *err, size_t cap)
{
    char *msg = NULL;
    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, cap, "%s: %s", st->path, msg ? msg : sqlite3_errmsg(st->db));
        sqlite3_free(msg);
        return OMB_ESTORE;
    }
    return OMB_OK;
}

/* Runs a cached control statement (BEGIN, COMMIT, SAVEPOINT, ...); these run
 * once or twice per document, so parsing them each time showed in profiles. */
int omb_store_control(omb_store *st, enum stmt_id id, char *err, size_t cap)
{
    sqlite3_stmt *s = stmt(st, id);
    int rc = s ? sqlite3_step(s) : SQLITE_ERROR;
    if (s) sqlite3_reset(s);
    if (rc == SQLITE_DONE) return OMB_OK;
    if (cap) snprintf(err, cap, "%s: %s: %s", st->path, stmt_sql[id], sqlite3_errmsg(st->db));
    return OMB_ESTORE;
}

static int hex_digit(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int omb_store_digest(const char *hex, size_t n, unsigned char out[32])
{
    if (!hex || n != 64) return 0;
    for (int i = 0; i < 32; i++) {
        int hi = hex_digit((unsigned char)hex[2 * i]), lo = hex_digit((unsigned char)hex[2 * i + 1]);
        if (hi < 0 || lo < 0) return 0;
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    return 1;
}

int omb_store_bind_digest(sqlite3_stmt *s, int blob_at, int text_at, const char *hex)
{
    unsigned char raw[32];
    int rc = omb_store_digest(hex, hex ? strlen(hex) : 0, raw)
                 ? sqlite3_bind_blob(s, blob_at, raw, sizeof raw, SQLITE_TRANSIENT)
                 : sqlite3_bind_text(s, blob_at, hex, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK && text_at) rc = sqlite3_bind_text(s, text_at, hex, -1, SQLITE_STATIC);
    return rc;
}

sqlite3_stmt *omb_store_stmt(omb_store *st, enum stmt_id id)
{
    if (!st->stmt[id] && sqlite3_prepare_v3(st->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &st->stmt[id], NULL) !=
                             SQLITE_OK)
        return NULL;
    sqlite3_reset(st->stmt[id]);
    sqlite3_clear_bindings(st->stmt[id]);
    return st->stmt[id];
}
