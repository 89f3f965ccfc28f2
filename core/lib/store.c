/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store.c -- owns the SQLite file: the schema and its numbered migrations
 * (PRAGMA user_version), the write of one document as one transaction, and the
 * merge rule.  Every value is stored as a fact with its document and line;
 * the value shown in `cases` is recomputed from the facts after each write:
 * highest plugin rank first (decision pages outrank listings, which outrank
 * council annexes), then the newest document.  Nothing here parses documents
 * (plugins, through host.c) or reads files (ingest.c).
 */
#include "store.h"

#include <ombuds/plugin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "case.h"
#include "sqlfuncs.h"
#include "authorities.h"

/* Migrations, applied in order; index + 1 is the user_version they reach.
 * Never edit a shipped migration: append a new one. */
static const char *const migrations[] = {
    /* 1: the initial schema */
    "CREATE TABLE documents("
    "  id INTEGER PRIMARY KEY,"
    "  path TEXT NOT NULL UNIQUE,"
    "  sha256 TEXT NOT NULL,"
    "  plugin TEXT NOT NULL,"
    "  plugin_version TEXT NOT NULL,"
    "  rank INTEGER NOT NULL,"
    "  size INTEGER NOT NULL,"
    "  note TEXT,"
    "  ingested_at TEXT NOT NULL,"
    "  n_cases INTEGER NOT NULL"
    ") STRICT;"
    "CREATE INDEX documents_sha256 ON documents(sha256);"
    "CREATE TABLE cases("
    "  id INTEGER PRIMARY KEY,"
    "  ref TEXT UNIQUE,"
    "  unref_key TEXT UNIQUE,"
    "  authority TEXT,"
    "  category TEXT,"
    "  subcategory TEXT,"
    "  council_subject TEXT,"
    "  outcome TEXT NOT NULL DEFAULT 'unknown',"
    "  decision_date TEXT,"
    "  year INTEGER GENERATED ALWAYS AS (CAST(substr(decision_date, 1, 4) AS INTEGER)) VIRTUAL,"
    "  summary TEXT,"
    "  remedy_document_id INTEGER,"
    "  improvement_document_id INTEGER,"
    "  CHECK ((ref IS NULL) <> (unref_key IS NULL))"
    ") STRICT;"
    "CREATE INDEX cases_authority ON cases(authority);"
    "CREATE INDEX cases_category ON cases(category, subcategory);"
    "CREATE INDEX cases_year ON cases(year);"
    "CREATE INDEX cases_outcome ON cases(outcome);"
    "CREATE TABLE case_sources("
    "  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
    "  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    "  line INTEGER NOT NULL,"
    "  ref_as_written TEXT,"
    "  PRIMARY KEY (case_id, document_id, line)"
    ") STRICT, WITHOUT ROWID;"
    "CREATE INDEX case_sources_document ON case_sources(document_id);"
    "CREATE TABLE facts("
    "  id INTEGER PRIMARY KEY,"
    "  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
    "  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    "  field TEXT NOT NULL,"
    "  value TEXT NOT NULL,"
    "  line INTEGER NOT NULL"
    ") STRICT;"
    "CREATE INDEX facts_case ON facts(case_id, field);"
    "CREATE INDEX facts_document ON facts(document_id);"
    "CREATE TABLE remedies("
    "  id INTEGER PRIMARY KEY,"
    "  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
    "  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    "  kind TEXT NOT NULL CHECK (kind IN ('apology','payment','waiver','service','other')),"
    "  amount_pence INTEGER CHECK (amount_pence IS NULL OR amount_pence >= 0),"
    "  purposes TEXT NOT NULL DEFAULT '[]',"
    "  text TEXT NOT NULL,"
    "  line INTEGER NOT NULL"
    ") STRICT;"
    "CREATE INDEX remedies_case ON remedies(case_id, document_id);"
    "CREATE INDEX remedies_document ON remedies(document_id);"
    "CREATE TABLE improvements("
    "  id INTEGER PRIMARY KEY,"
    "  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
    "  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    "  text TEXT NOT NULL,"
    "  line INTEGER NOT NULL"
    ") STRICT;"
    "CREATE INDEX improvements_case ON improvements(case_id, document_id);"
    "CREATE INDEX improvements_document ON improvements(document_id);"
    "CREATE TABLE events("
    "  id INTEGER PRIMARY KEY,"
    "  case_id INTEGER REFERENCES cases(id) ON DELETE CASCADE,"
    "  authority TEXT,"
    "  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    "  type TEXT NOT NULL,"
    "  date TEXT,"
    "  date_text TEXT,"
    "  text TEXT NOT NULL,"
    "  line INTEGER NOT NULL"
    ") STRICT;"
    "CREATE INDEX events_case ON events(case_id);"
    "CREATE INDEX events_authority ON events(authority);"
    "CREATE INDEX events_document ON events(document_id);"
    "CREATE TABLE document_notes("
    "  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    "  key TEXT NOT NULL,"
    "  value TEXT NOT NULL,"
    "  line INTEGER NOT NULL"
    ") STRICT;"
    "CREATE INDEX document_notes_document ON document_notes(document_id);"
    "CREATE TABLE warnings("
    "  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    "  line INTEGER NOT NULL,"
    "  message TEXT NOT NULL"
    ") STRICT;"
    "CREATE INDEX warnings_document ON warnings(document_id);"
    /* Full-text search over summaries and improvements.  search_text holds
     * the rows; search is an external-content FTS5 index kept in step by
     * triggers, so a cascade delete of a document also unindexes its text. */
    "CREATE TABLE search_text("
    "  id INTEGER PRIMARY KEY,"
    "  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
    "  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    "  kind TEXT NOT NULL,"
    "  text TEXT NOT NULL"
    ") STRICT;"
    "CREATE INDEX search_text_document ON search_text(document_id);"
    "CREATE INDEX search_text_case ON search_text(case_id);"
    "CREATE VIRTUAL TABLE search USING fts5(text, content='search_text', content_rowid='id',"
    "  tokenize='porter unicode61 remove_diacritics 2');"
    "CREATE TRIGGER search_text_ai AFTER INSERT ON search_text BEGIN"
    "  INSERT INTO search(rowid, text) VALUES (new.id, new.text); END;"
    "CREATE TRIGGER search_text_ad AFTER DELETE ON search_text BEGIN"
    "  INSERT INTO search(search, rowid, text) VALUES ('delete', old.id, old.text); END;"
    /* The shown remedies and improvements of a case come from one document,
     * the best-ranked one that has any (see recompute below). */
    "CREATE VIEW case_remedies AS SELECT r.* FROM remedies r JOIN cases c"
    "  ON r.case_id = c.id AND r.document_id = c.remedy_document_id;"
    "CREATE VIEW case_improvements AS SELECT i.* FROM improvements i JOIN cases c"
    "  ON i.case_id = c.id AND i.document_id = c.improvement_document_id;"
    "CREATE VIEW case_totals AS SELECT c.id AS case_id,"
    "  coalesce(sum(CASE WHEN r.kind = 'payment' THEN r.amount_pence END), 0) AS payment_pence,"
    "  count(r.id) AS n_remedies,"
    "  max(r.kind = 'apology') AS apology"
    "  FROM cases c LEFT JOIN case_remedies r ON r.case_id = c.id GROUP BY c.id;",
    /* 2: the authority register, council subject mapping and populations
     * (register.c loads them from data/ files) */
    "CREATE TABLE authorities("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
    "  type TEXT,"
    "  abolished TEXT"
    ") STRICT;"
    "CREATE TABLE authority_names("
    "  name TEXT PRIMARY KEY COLLATE NOCASE,"
    "  authority_id INTEGER NOT NULL REFERENCES authorities(id) ON DELETE CASCADE"
    ") STRICT, WITHOUT ROWID;"
    "CREATE TABLE authority_successors("
    "  predecessor_id INTEGER NOT NULL REFERENCES authorities(id) ON DELETE CASCADE,"
    "  successor_id INTEGER NOT NULL REFERENCES authorities(id) ON DELETE CASCADE,"
    "  on_date TEXT,"
    "  PRIMARY KEY (predecessor_id, successor_id)"
    ") STRICT;"
    "CREATE TABLE authority_population("
    "  authority TEXT PRIMARY KEY COLLATE NOCASE,"
    "  population INTEGER NOT NULL CHECK (population > 0),"
    "  year INTEGER,"
    "  source TEXT"
    ") STRICT;"
    "CREATE TABLE subject_map("
    "  subject TEXT PRIMARY KEY COLLATE NOCASE,"
    "  category TEXT NOT NULL,"
    "  subcategory TEXT"
    ") STRICT;"
    "CREATE VIEW authority_lineage AS SELECT p.name AS predecessor, s.name AS successor, x.on_date"
    "  FROM authority_successors x JOIN authorities p ON p.id = x.predecessor_id"
    "  JOIN authorities s ON s.id = x.successor_id;"
    "CREATE VIEW unmatched_authorities AS SELECT f.value AS name, count(DISTINCT f.case_id) AS cases,"
    "  min(d.path) AS first_seen_in FROM facts f JOIN documents d ON d.id = f.document_id"
    "  WHERE f.field = 'authority' AND NOT EXISTS (SELECT 1 FROM authority_names n WHERE n.name = f.value)"
    "  GROUP BY f.value COLLATE NOCASE;",
    /* 3: index search_text once per transaction (index_pending) instead of
     * by a per-row trigger.  Once an FTS5 table is part of a transaction,
     * every later statement's savepoint makes it flush its pending terms, so
     * row-at-a-time indexing wrote a tiny segment per statement and
     * dominated ingest time. */
    "DROP TRIGGER search_text_ai;",
    /* 4: one case_facts row per (case, document) instead of a facts row per
     * field: a decision page wrote six rows and twelve index entries for one
     * case, the largest single cost of an ingest (docs/performance.md).
     * `facts` stays, as a view with the same columns, for queries written
     * against versions 1-3.  Old rows move one field to a row, which keeps
     * each value, its line and its order. */
    "CREATE TABLE case_facts("
    "  id INTEGER PRIMARY KEY,"
    "  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
    "  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    "  authority TEXT, authority_line INTEGER,"
    "  category TEXT, category_line INTEGER,"
    "  subcategory TEXT, subcategory_line INTEGER,"
    "  council_subject TEXT, council_subject_line INTEGER,"
    "  outcome TEXT, outcome_line INTEGER,"
    "  decision_date TEXT, decision_date_line INTEGER,"
    "  summary TEXT, summary_line INTEGER"
    ") STRICT;"
    "INSERT INTO case_facts(case_id, document_id, authority, authority_line, category, category_line,"
    "  subcategory, subcategory_line, council_subject, council_subject_line, outcome, outcome_line,"
    "  decision_date, decision_date_line, summary, summary_line)"
    "  SELECT case_id, document_id,"
    "  iif(field = 'authority', value, NULL), iif(field = 'authority', line, NULL),"
    "  iif(field = 'category', value, NULL), iif(field = 'category', line, NULL),"
    "  iif(field = 'subcategory', value, NULL), iif(field = 'subcategory', line, NULL),"
    "  iif(field = 'council_subject', value, NULL), iif(field = 'council_subject', line, NULL),"
    "  iif(field = 'outcome', value, NULL), iif(field = 'outcome', line, NULL),"
    "  iif(field = 'decision_date', value, NULL), iif(field = 'decision_date', line, NULL),"
    "  iif(field = 'summary', value, NULL), iif(field = 'summary', line, NULL)"
    "  FROM facts ORDER BY id;"
    "DROP VIEW unmatched_authorities;"
    "DROP TABLE facts;"
    "CREATE INDEX case_facts_case ON case_facts(case_id);"
    "CREATE INDEX case_facts_document ON case_facts(document_id);"
    "CREATE VIEW facts(id, case_id, document_id, field, value, line) AS"
    "  SELECT id * 8 + 0, case_id, document_id, 'authority', authority, authority_line FROM case_facts"
    "   WHERE authority IS NOT NULL UNION ALL"
    "  SELECT id * 8 + 1, case_id, document_id, 'category', category, category_line FROM case_facts"
    "   WHERE category IS NOT NULL UNION ALL"
    "  SELECT id * 8 + 2, case_id, document_id, 'subcategory', subcategory, subcategory_line FROM case_facts"
    "   WHERE subcategory IS NOT NULL UNION ALL"
    "  SELECT id * 8 + 3, case_id, document_id, 'council_subject', council_subject, council_subject_line"
    "   FROM case_facts WHERE council_subject IS NOT NULL UNION ALL"
    "  SELECT id * 8 + 4, case_id, document_id, 'outcome', outcome, outcome_line FROM case_facts"
    "   WHERE outcome IS NOT NULL UNION ALL"
    "  SELECT id * 8 + 5, case_id, document_id, 'decision_date', decision_date, decision_date_line FROM case_facts"
    "   WHERE decision_date IS NOT NULL UNION ALL"
    "  SELECT id * 8 + 6, case_id, document_id, 'summary', summary, summary_line FROM case_facts"
    "   WHERE summary IS NOT NULL;"
    "CREATE VIEW unmatched_authorities AS SELECT f.authority AS name, count(DISTINCT f.case_id) AS cases,"
    "  min(d.path) AS first_seen_in FROM case_facts f JOIN documents d ON d.id = f.document_id"
    "  WHERE f.authority IS NOT NULL"
    "  AND NOT EXISTS (SELECT 1 FROM authority_names n WHERE n.name = f.authority)"
    "  GROUP BY f.authority COLLATE NOCASE;"
    /* Documents are recognised by file name and content, not by content
     * alone: an index on the hash takes each new document at a random place,
     * and at a million documents keeping it was half of ingest time (every
     * commit rewrote thousands of its pages).  Names arrive in order, so
     * (name, sha256) grows at its end.  name is the path's last component
     * (rtrim strips the trailing characters that are not '/'). */
    "ALTER TABLE documents ADD COLUMN name TEXT;"
    "UPDATE documents SET name = substr(path, length(rtrim(path, replace(path, '/', ''))) + 1);"
    "DROP INDEX documents_sha256;"
    "CREATE INDEX documents_name_sha ON documents(name, sha256);",
    /* 5: search_hits, the full-text index with the case and document each
     * match belongs to (SELECT ref, document FROM search_hits WHERE search
     * MATCH 'x').  `search` is the FTS5 table's hidden column of the same
     * name, so MATCH and ORDER BY rank reach the index through the view. */
    "CREATE VIEW search_hits AS SELECT s.search AS search, s.rank AS rank, t.id AS text_id, t.kind, t.text,"
    "  t.case_id, c.ref, c.unref_key, t.document_id, d.path AS document"
    "  FROM search s JOIN search_text t ON t.id = s.rowid JOIN cases c ON c.id = t.case_id"
    "  JOIN documents d ON d.id = t.document_id;",
    /* 6: the page of a PDF a case starts on (NULL for documents without
     * pages), for `sources` in the export */
    "ALTER TABLE case_sources ADD COLUMN page INTEGER;",
    /* 7: money the council paid or offered before the decision, which the
     * ombudsman accepted as (part of) the remedy (OMB_REMEDY_PAID_BEFORE) */
    "ALTER TABLE remedies ADD COLUMN paid_before INTEGER NOT NULL DEFAULT 0;"
    /* ... and authority names matched by a key that ignores "&"/"and",
     * punctuation and spacing (authorities.h, OMB_NAME_KEY_SQL) */
    "ALTER TABLE authority_names ADD COLUMN name_key TEXT;"
    "UPDATE authority_names SET name_key = " OMB_NAME_KEY_SQL("name") ";"
    "CREATE INDEX authority_names_key ON authority_names(name_key);"
    "DROP VIEW unmatched_authorities;"
    "CREATE VIEW unmatched_authorities AS SELECT f.authority AS name, count(DISTINCT f.case_id) AS cases,"
    "  min(d.path) AS first_seen_in FROM case_facts f JOIN documents d ON d.id = f.document_id"
    "  WHERE f.authority IS NOT NULL"
    "  AND NOT EXISTS (SELECT 1 FROM authority_names n WHERE n.name_key = " OMB_NAME_KEY_SQL("f.authority") ")"
    "  GROUP BY f.authority COLLATE NOCASE;",
};

#define N_MIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

enum stmt_id {
    S_FIND_SAME,
    S_FIND_PATH,
    S_DELETE_DOC,
    S_DOC_CASES,
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
    S_INSERT_SEARCH,
    S_RECOMPUTE,
    S_MAP_SUBJECT,
    S_DELETE_ORPHAN,
    S_FIND_REF,
    S_INSERT_NEW_CASE,
    S_INDEX_PENDING,
    S_MAX_TEXT_ID,
    S_BEGIN,
    S_COMMIT,
    S_ROLLBACK,
    S_SAVEPOINT,
    S_RELEASE,
    S_ROLLBACK_TO,
    S__COUNT
};

static const char *const stmt_sql[S__COUNT] = {
    [S_FIND_SAME] = "SELECT path FROM documents WHERE name = ?2 AND sha256 = ?1 LIMIT 1",
    [S_FIND_PATH] = "SELECT id FROM documents WHERE path = ?1",
    [S_DELETE_DOC] = "DELETE FROM documents WHERE id = ?1",
    [S_DOC_CASES] = "SELECT DISTINCT case_id FROM case_sources WHERE document_id = ?1",
    [S_INSERT_DOC] = "INSERT INTO documents(path, sha256, plugin, plugin_version, rank, size, note, ingested_at,"
                     " n_cases, name) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    [S_UPSERT_REF] = "INSERT INTO cases(ref) VALUES (?1) ON CONFLICT(ref) DO UPDATE SET ref = excluded.ref RETURNING id",
    [S_UPSERT_UNREF] = "INSERT INTO cases(unref_key) VALUES (?1) ON CONFLICT(unref_key) DO UPDATE SET"
                       " unref_key = excluded.unref_key RETURNING id",
    [S_INSERT_SOURCE] = "INSERT OR IGNORE INTO case_sources(case_id, document_id, line, ref_as_written, page)"
                        " VALUES (?1, ?2, ?3, ?4, ?5)",
    [S_INSERT_FACTS] = "INSERT INTO case_facts(case_id, document_id, authority, authority_line, category,"
                       " category_line, subcategory, subcategory_line, council_subject, council_subject_line,"
                       " outcome, outcome_line, decision_date, decision_date_line, summary, summary_line)"
                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    [S_INSERT_REMEDY] = "INSERT INTO remedies(case_id, document_id, kind, amount_pence, purposes, text, line,"
                        " paid_before) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [S_INSERT_IMPROVEMENT] = "INSERT INTO improvements(case_id, document_id, text, line) VALUES (?1, ?2, ?3, ?4)",
    [S_INSERT_EVENT] = "INSERT INTO events(case_id, authority, document_id, type, date, date_text, text, line)"
                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [S_INSERT_NOTE] = "INSERT INTO document_notes(document_id, key, value, line) VALUES (?1, ?2, ?3, ?4)",
    [S_INSERT_WARNING] = "INSERT INTO warnings(document_id, line, message) VALUES (?1, ?2, ?3)",
    [S_INSERT_SEARCH] = "INSERT INTO search_text(case_id, document_id, kind, text) VALUES (?1, ?2, ?3, ?4)",
    /* The merge rule, in one place.  For each field: the fact from the
     * best-ranked document, newest document breaking ties, last line within a
     * document last; an "unknown" outcome never hides a known one. */
    [S_RECOMPUTE] =
        "UPDATE cases SET"
        " authority = (SELECT coalesce((SELECT a.name FROM authority_names n JOIN authorities a"
        "   ON a.id = n.authority_id WHERE n.name_key = " OMB_NAME_KEY_SQL("f.authority") "), f.authority)"
        "   FROM case_facts f JOIN documents d"
        "   ON d.id = f.document_id WHERE f.case_id = cases.id AND f.authority IS NOT NULL"
        "   ORDER BY d.rank DESC, d.id DESC, f.id DESC LIMIT 1),"
        " category = (SELECT f.category FROM case_facts f JOIN documents d ON d.id = f.document_id"
        "   WHERE f.case_id = cases.id AND f.category IS NOT NULL ORDER BY d.rank DESC, d.id DESC, f.id DESC LIMIT 1),"
        " subcategory = (SELECT f.subcategory FROM case_facts f JOIN documents d ON d.id = f.document_id"
        "   WHERE f.case_id = cases.id AND f.subcategory IS NOT NULL"
        "   ORDER BY d.rank DESC, d.id DESC, f.id DESC LIMIT 1),"
        " council_subject = (SELECT f.council_subject FROM case_facts f JOIN documents d ON d.id = f.document_id"
        "   WHERE f.case_id = cases.id AND f.council_subject IS NOT NULL"
        "   ORDER BY d.rank DESC, d.id DESC, f.id DESC LIMIT 1),"
        " outcome = coalesce((SELECT f.outcome FROM case_facts f JOIN documents d ON d.id = f.document_id"
        "   WHERE f.case_id = cases.id AND f.outcome IS NOT NULL"
        "   ORDER BY f.outcome = 'unknown', d.rank DESC, d.id DESC, f.id DESC LIMIT 1), 'unknown'),"
        " decision_date = (SELECT f.decision_date FROM case_facts f JOIN documents d ON d.id = f.document_id"
        "   WHERE f.case_id = cases.id AND f.decision_date IS NOT NULL"
        "   ORDER BY d.rank DESC, d.id DESC, f.id DESC LIMIT 1),"
        " summary = (SELECT f.summary FROM case_facts f JOIN documents d ON d.id = f.document_id"
        "   WHERE f.case_id = cases.id AND f.summary IS NOT NULL ORDER BY d.rank DESC, d.id DESC, f.id DESC LIMIT 1),"
        " remedy_document_id = (SELECT r.document_id FROM remedies r JOIN documents d ON d.id = r.document_id"
        "   WHERE r.case_id = cases.id ORDER BY d.rank DESC, d.id DESC LIMIT 1),"
        " improvement_document_id = (SELECT i.document_id FROM improvements i JOIN documents d ON d.id = i.document_id"
        "   WHERE i.case_id = cases.id ORDER BY d.rank DESC, d.id DESC LIMIT 1)"
        " WHERE id = ?1",
    /* A council's own subject heading gives the category when no document
     * states it and the mapping is clear (subject_map; longest prefix wins). */
    [S_MAP_SUBJECT] =
        "UPDATE cases SET"
        " category = (SELECT m.category FROM subject_map m WHERE cases.council_subject LIKE m.subject || '%'"
        "   ORDER BY length(m.subject) DESC LIMIT 1),"
        " subcategory = (SELECT nullif(m.subcategory, '') FROM subject_map m"
        "   WHERE cases.council_subject LIKE m.subject || '%' ORDER BY length(m.subject) DESC LIMIT 1)"
        " WHERE id = ?1 AND category IS NULL AND council_subject IS NOT NULL",
    [S_FIND_REF] = "SELECT id FROM cases WHERE ref = ?1",
    /* The merge rule for a case that only this document mentions: the same
     * result as S_RECOMPUTE (the register still names the authority) in the
     * one insert, without searching facts that can only be this document's. */
    [S_INSERT_NEW_CASE] =
        "INSERT INTO cases(ref, authority, category, subcategory, council_subject, outcome, decision_date, summary,"
        " remedy_document_id, improvement_document_id) VALUES (?1,"
        " coalesce((SELECT a.name FROM authority_names n JOIN authorities a ON a.id = n.authority_id"
        "   WHERE n.name_key = " OMB_NAME_KEY_SQL("?2") "), ?2), ?3, ?4, ?5, coalesce(?6, 'unknown'), ?7, ?8, ?9, ?10)",
    [S_INDEX_PENDING] = "INSERT INTO search(rowid, text) SELECT id, text FROM search_text WHERE id > ?1",
    [S_MAX_TEXT_ID] = "SELECT coalesce(max(id), 0) FROM search_text",
    [S_BEGIN] = "BEGIN IMMEDIATE",
    [S_COMMIT] = "COMMIT",
    [S_ROLLBACK] = "ROLLBACK",
    [S_SAVEPOINT] = "SAVEPOINT document",
    [S_RELEASE] = "RELEASE document",
    [S_ROLLBACK_TO] = "ROLLBACK TO document",
    [S_DELETE_ORPHAN] = "DELETE FROM cases WHERE id = ?1 AND NOT EXISTS"
                        " (SELECT 1 FROM case_sources WHERE case_id = ?1)",
};

struct omb_store {
    sqlite3 *db;
    char *path;
    sqlite3_stmt *stmt[S__COUNT]; /* prepared on first use, kept for the run */
    int batched;                  /* documents are savepoints in a transaction the caller commits */
    int optimistic;               /* in a batch, documents are written without a savepoint each */
    sqlite3_int64 indexed_upto;   /* search_text rows up to this id are in the FTS index */
};

sqlite3 *omb_store_db(omb_store *st) { return st->db; }
const char *omb_store_path(const omb_store *st) { return st->path; }

static int exec(omb_store *st, const char *sql, char *err, size_t cap)
{
    char *msg = NULL;
    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, cap, "%s: %s", st->path, msg ? msg : sqlite3_errmsg(st->db));
        sqlite3_free(msg);
        return OMB_ESTORE;
    }
    return OMB_OK;
}

static sqlite3_stmt *stmt(omb_store *st, enum stmt_id id);
static int step_done(sqlite3_stmt *s);
static void reset_indexed(omb_store *st);

/* Runs a cached control statement (BEGIN, COMMIT, SAVEPOINT, ...); these run
 * once or twice per document, so parsing them each time showed in profiles. */
static int control(omb_store *st, enum stmt_id id, char *err, size_t cap)
{
    sqlite3_stmt *s = stmt(st, id);
    int rc = s ? sqlite3_step(s) : SQLITE_ERROR;
    if (s) sqlite3_reset(s);
    if (rc == SQLITE_DONE) return OMB_OK;
    if (cap) snprintf(err, cap, "%s: %s: %s", st->path, stmt_sql[id], sqlite3_errmsg(st->db));
    return OMB_ESTORE;
}

static sqlite3_stmt *stmt(omb_store *st, enum stmt_id id)
{
    if (!st->stmt[id] && sqlite3_prepare_v3(st->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &st->stmt[id], NULL) !=
                             SQLITE_OK)
        return NULL;
    sqlite3_reset(st->stmt[id]);
    sqlite3_clear_bindings(st->stmt[id]);
    return st->stmt[id];
}

static int user_version(omb_store *st)
{
    sqlite3_stmt *s;
    int version = -1;
    if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK) return -1;
    if (sqlite3_step(s) == SQLITE_ROW) version = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return version;
}

/* Brings the schema up to date.  The version is read inside the write
 * transaction, so two processes opening a new store at once cannot both run
 * the same migration: the second waits, then finds nothing left to do. */
static int migrate(omb_store *st, char *err, size_t cap)
{
    for (;;) {
        if (exec(st, "BEGIN IMMEDIATE", err, cap)) return OMB_ESTORE;
        int version = user_version(st);
        if (version < 0) {
            snprintf(err, cap, "%s: %s", st->path, sqlite3_errmsg(st->db));
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
            return OMB_ESTORE;
        }
        if (version > N_MIGRATIONS) {
            snprintf(err, cap, "%s: store schema version %d is newer than this ombuds understands (%d); upgrade ombuds",
                     st->path, version, N_MIGRATIONS);
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
            return OMB_ESTORE;
        }
        if (version == N_MIGRATIONS) return exec(st, "COMMIT", err, cap);
        char bump[64];
        snprintf(bump, sizeof bump, "PRAGMA user_version = %d;", version + 1);
        if (exec(st, migrations[version], err, cap) || exec(st, bump, err, cap)) {
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
            return OMB_ESTORE;
        }
        if (exec(st, "COMMIT", err, cap)) return OMB_ESTORE;
    }
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
    if (exec(st, "PRAGMA foreign_keys = ON", err, cap)) goto fail;
    if (!(flags & OMB_STORE_READONLY)) {
        /* WAL lets readers (the console) see a consistent store during an
         * ingest; synchronous=NORMAL is durable at each checkpoint and never
         * corrupts under WAL, which is the trade SQLite recommends. */
        /* A 16 MB page cache bounds memory whatever the corpus size.  A WAL
         * checkpoint every 8192 pages (32 MB) rather than 1000 rewrites the
         * hot index pages into the database far less often: a third of the
         * system time of a 100k-page ingest.  Temporary files (statement
         * journals) stay files: held in memory (temp_store = MEMORY, once
         * needed for a savepoint per document) they grew with the batch, to
         * 94 MB for the annexes of the 1M-case benchmark. */
        if (set_wal(st, err, cap) ||
            exec(st,
                 "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16384;"
                 " PRAGMA wal_autocheckpoint = 8192",
                 err, cap))
            goto fail;
        if (migrate(st, err, cap)) goto fail;
        /* a new store starts with the shipped register and subject map */
        if (omb_register_load_defaults(st->db, err, cap)) goto fail;
        reset_indexed(st);
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
    for (int i = 0; i < S__COUNT; i++) sqlite3_finalize(st->stmt[i]);
    if (st->db) sqlite3_close(st->db);
    free(st->path);
    free(st);
}

const char *omb_doc_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

int omb_store_find_same(omb_store *st, const char *sha256, const char *path, char *path_out, size_t cap)
{
    sqlite3_stmt *s = stmt(st, S_FIND_SAME);
    if (!s) return 0;
    sqlite3_bind_text(s, 1, sha256, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, omb_doc_name(path), -1, SQLITE_STATIC);
    int found = sqlite3_step(s) == SQLITE_ROW;
    if (found && cap) snprintf(path_out, cap, "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_reset(s);
    return found;
}

/* Where the FTS index stands: every committed search_text row is indexed,
 * so after a rollback the committed maximum is the answer again. */
static void reset_indexed(omb_store *st)
{
    sqlite3_stmt *s = stmt(st, S_MAX_TEXT_ID);
    if (s && sqlite3_step(s) == SQLITE_ROW) st->indexed_upto = sqlite3_column_int64(s, 0);
    if (s) sqlite3_reset(s);
}

/* Adds the rows written in this transaction to the FTS index, in one
 * statement just before the commit (see migration 3 for why). */
static int index_pending(omb_store *st, char *err, size_t cap)
{
    sqlite3_stmt *s = stmt(st, S_INDEX_PENDING);
    if (!s) goto fail;
    sqlite3_bind_int64(s, 1, st->indexed_upto);
    if (step_done(s)) goto fail;
    reset_indexed(st);
    return OMB_OK;
fail:
    if (cap) snprintf(err, cap, "%s: updating the search index: %s", st->path, sqlite3_errmsg(st->db));
    return OMB_ESTORE;
}

/* Commits the open transaction, indexing its text first; on failure rolls
 * back and forgets what the rollback removed. */
static int commit(omb_store *st, char *err, size_t cap)
{
    if (index_pending(st, err, cap) || control(st, S_COMMIT, err, cap)) {
        control(st, S_ROLLBACK, NULL, 0);
        reset_indexed(st);
        return OMB_ESTORE;
    }
    return OMB_OK;
}

void omb_store_batch_begin(omb_store *st) { st->batched = 1; }

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
    return rc;
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

static int step_done(sqlite3_stmt *s) { return sqlite3_step(s) == SQLITE_DONE ? OMB_OK : OMB_ESTORE; }

static void bind_text_or_null(sqlite3_stmt *s, int i, const char *v)
{
    if (v) sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
    else sqlite3_bind_null(s, i);
}

static int recompute_case(omb_store *st, sqlite3_int64 case_id)
{
    sqlite3_stmt *s = stmt(st, S_RECOMPUTE);
    if (!s) return OMB_ESTORE;
    sqlite3_bind_int64(s, 1, case_id);
    if (step_done(s)) return OMB_ESTORE;
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

static int insert_search(struct write_ctx *w, sqlite3_int64 case_id, const char *kind, const char *text)
{
    sqlite3_stmt *s = stmt(w->st, S_INSERT_SEARCH);
    if (!s) return fail_sql(w, "the search index");
    sqlite3_bind_int64(s, 1, case_id);
    sqlite3_bind_int64(s, 2, w->doc_id);
    sqlite3_bind_text(s, 3, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, text, -1, SQLITE_STATIC);
    if (step_done(s)) return fail_sql(w, "the search index");
    /* search_text ids are max(id) + 1, so once a document replacing another
     * has deleted the top rows, new rows reuse ids at or below indexed_upto:
     * lower it, or index_pending skips them and a later delete corrupts the
     * FTS index (found by tests/fuzz; docs/testing.md). */
    sqlite3_int64 id = sqlite3_last_insert_rowid(w->st->db);
    if (id <= w->st->indexed_upto) w->st->indexed_upto = id - 1;
    return OMB_OK;
}

/* The scalar fields a document gives a case, in the order of the columns
 * of cases (from authority on) and of case_facts. */
static const int merged_fields[] = {OMB_FIELD_AUTHORITY,     OMB_FIELD_CATEGORY, OMB_FIELD_SUBCATEGORY,
                                    OMB_FIELD_COUNCIL_SUBJECT, OMB_FIELD_OUTCOME,  OMB_FIELD_DECISION_DATE,
                                    OMB_FIELD_SUMMARY};
#define N_MERGED_FIELDS ((int)(sizeof merged_fields / sizeof merged_fields[0]))

/* Inserts a case no document has mentioned yet, merged values and all. */
static int insert_new_case(struct write_ctx *w, const omb_case *c, const char *ref, sqlite3_int64 *case_id)
{
    sqlite3_stmt *s = stmt(w->st, S_INSERT_NEW_CASE);
    if (!s) return fail_sql(w, "a case");
    sqlite3_bind_text(s, 1, ref, -1, SQLITE_STATIC);
    for (int k = 0; k < N_MERGED_FIELDS; k++) bind_text_or_null(s, k + 2, c->fields[merged_fields[k]].value);
    if (c->n_remedies) sqlite3_bind_int64(s, 9, w->doc_id);
    if (c->n_improvements) sqlite3_bind_int64(s, 10, w->doc_id);
    if (step_done(s)) return fail_sql(w, "a case");
    *case_id = sqlite3_last_insert_rowid(w->st->db);
    return OMB_OK;
}

/* Writes the case's scalar values as one case_facts row (nothing when the
 * document gives none). */
static int insert_facts(struct write_ctx *w, const omb_case *c, sqlite3_int64 case_id)
{
    int any = 0;
    for (int k = 0; k < N_MERGED_FIELDS; k++) any |= c->fields[merged_fields[k]].value != NULL;
    if (!any) return OMB_OK;
    sqlite3_stmt *s = stmt(w->st, S_INSERT_FACTS);
    if (!s) return fail_sql(w, "a fact");
    sqlite3_bind_int64(s, 1, case_id);
    sqlite3_bind_int64(s, 2, w->doc_id);
    for (int k = 0; k < N_MERGED_FIELDS; k++) {
        const struct omb_fact *f = &c->fields[merged_fields[k]];
        if (!f->value) continue;
        sqlite3_bind_text(s, 3 + 2 * k, f->value, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 4 + 2 * k, (sqlite3_int64)f->line);
    }
    if (step_done(s)) return fail_sql(w, "a fact");
    if (c->fields[OMB_FIELD_SUMMARY].value &&
        insert_search(w, case_id, "summary", c->fields[OMB_FIELD_SUMMARY].value))
        return OMB_ESTORE;
    return OMB_OK;
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

    if (insert_facts(w, c, case_id)) return OMB_ESTORE;
    for (size_t i = 0; i < c->n_remedies; i++) {
        const struct omb_remedy *r = &c->remedies[i];
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
        sqlite3_bind_text(s, 6, r->text, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 7, (sqlite3_int64)r->line);
        sqlite3_bind_int(s, 8, r->paid_before != 0);
        int rc = step_done(s);
        sqlite3_reset(s);
        free(json);
        if (rc) return fail_sql(w, "a remedy");
    }
    for (size_t i = 0; i < c->n_improvements; i++) {
        if (!(s = stmt(w->st, S_INSERT_IMPROVEMENT))) return fail_sql(w, "an improvement");
        sqlite3_bind_int64(s, 1, case_id);
        sqlite3_bind_int64(s, 2, w->doc_id);
        sqlite3_bind_text(s, 3, c->improvements[i].text, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 4, (sqlite3_int64)c->improvements[i].line);
        if (step_done(s)) return fail_sql(w, "an improvement");
        if (insert_search(w, case_id, "improvement", c->improvements[i].text)) return OMB_ESTORE;
    }
    for (size_t i = 0; i < c->n_events; i++)
        if (insert_event(w, case_id, &c->events[i])) return OMB_ESTORE;
    if (!is_new) return recompute(w, case_id);
    /* the subject map only fills a category no document gave */
    if (c->fields[OMB_FIELD_CATEGORY].value || !c->fields[OMB_FIELD_COUNCIL_SUBJECT].value) return OMB_OK;
    if (!(s = stmt(w->st, S_MAP_SUBJECT))) return fail_sql(w, "the merged case");
    sqlite3_bind_int64(s, 1, case_id);
    return step_done(s) ? fail_sql(w, "the merged case") : OMB_OK;
}

/* Removes what the document at doc_id contributed, then re-merges (or drops)
 * the cases it touched. */
static int index_pending(omb_store *st, char *err, size_t cap);

static int remove_document(struct write_ctx *w, sqlite3_int64 doc_id)
{
    /* The delete trigger removes the old rows from the FTS index, which is
     * only sound for rows the index holds: index what this transaction wrote
     * so far first (replacements are rare, so the extra flush costs little). */
    if (index_pending(w->st, w->err, w->cap)) return OMB_ESTORE;
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
    sqlite3_bind_text(s, 1, m->sha256, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, omb_doc_name(m->path), -1, SQLITE_STATIC);
    int rcs = sqlite3_step(s);
    sqlite3_reset(s);
    if (rcs == SQLITE_ROW) {
        *result = OMB_DOC_UNCHANGED;
        return OMB_OK;
    }
    if (rcs != SQLITE_DONE) return fail_sql(w, "the document");

    if (!(s = stmt(w->st, S_FIND_PATH))) return fail_sql(w, "the document");
    sqlite3_bind_text(s, 1, m->path, -1, SQLITE_STATIC);
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
    sqlite3_bind_text(s, 1, m->path, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, m->sha256, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, m->plugin, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, m->plugin_version ? m->plugin_version : "", -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 5, m->rank);
    sqlite3_bind_int64(s, 6, (sqlite3_int64)m->size);
    bind_text_or_null(s, 7, m->note && *m->note ? m->note : NULL);
    sqlite3_bind_text(s, 8, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 9, (sqlite3_int64)sink->n_cases);
    sqlite3_bind_text(s, 10, omb_doc_name(m->path), -1, SQLITE_STATIC);
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
    sqlite3_int64 indexed_before = st->indexed_upto; /* restored if the savepoint is rolled back */
    *result = 0;
    if (cap) err[0] = '\0';
    /* In a batch the document is a savepoint inside the batch's transaction,
     * so it is still stored whole or not at all; alone it is a transaction. */
    int savepoint = st->batched && !st->optimistic;
    if (st->batched) {
        if (sqlite3_get_autocommit(st->db) && control(st, S_BEGIN, err, cap)) return OMB_ESTORE;
        if (savepoint && control(st, S_SAVEPOINT, err, cap)) return OMB_ESTORE;
    } else if (control(st, S_BEGIN, err, cap)) {
        return OMB_ESTORE;
    }
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
            st->indexed_upto = indexed_before;
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
