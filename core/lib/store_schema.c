/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store_schema.c -- the store's schema as numbered migrations (PRAGMA
 * user_version), and bringing a store up to date.  Tables, views and
 * triggers are documented in docs/schema.md.  Opening a store, and when to
 * migrate it, is store.c; the statements that read and write the tables are
 * store_stmt.c.
 */
#include <stdio.h>

#include "store_int.h"
#include "authorities.h"

/* A path's folder (up to and with its last '/'; '' when it has none) and
 * its file name, in SQL: rtrim() with every character of the path but '/'
 * strips back to the last '/'. */
#define FOLDER_OF(p) "substr(" p ", 1, length(rtrim(" p ", replace(" p ", '/', ''))))"
/* The case_terms id of a text (schema 11), and whether a text is a term
 * still to add.  Triggers add rows with NOT EXISTS rather than INSERT OR
 * IGNORE: an outer INSERT OR REPLACE (how the subject map is loaded) would
 * turn the trigger's IGNORE into REPLACE, giving a term a new id under every
 * case that has it. */
#define TERM_ID(t) "(SELECT id FROM case_terms WHERE text = " t ")"
#define NEW_TERM(t) t " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM case_terms WHERE text = " t ")"
/* Whether a text is one still to add (TEXT_ID, store_int.h). */
#define NEW_TEXT(t) t " IS NOT NULL AND NOT EXISTS " TEXT_ID(t)
/* the text of a texts id, as a view's column (migration 14 says why) */
#define TEXT_OF(id) "(SELECT text FROM texts WHERE id = " id ")"
#define NAME_OF(p) "substr(" p ", length(rtrim(" p ", replace(" p ", '/', ''))) + 1)"

/* The part of case_facts_update (migrations 12 and 14) that sets the
 * shared texts' ids and the other fields from the view's new row. */
#define CASE_FACTS_SET_TERMS \
    "  authority_id = " TERM_ID("new.authority") ", authority_line = new.authority_line," \
    "  category_id = " TERM_ID("new.category") ", category_line = new.category_line," \
    "  subcategory_id = " TERM_ID("new.subcategory") ", subcategory_line = new.subcategory_line," \
    "  council_subject = new.council_subject, council_subject_line = new.council_subject_line," \
    "  outcome_id = " TERM_ID("new.outcome") ", outcome_line = new.outcome_line, decision_date = new.decision_date,"

/* The triggers that let `cases` (a view from schema 9) take updates and
 * deletes, as migrations 11 and 14 make them again. */
#define CASES_TRIGGERS \
    "CREATE TRIGGER cases_update INSTEAD OF UPDATE ON cases BEGIN" \
    "  SELECT RAISE(ABORT, 'cases.summary is the summary of a case_facts row (case_rows.summary_fact);" \
    " change that row instead') WHERE new.summary IS NOT old.summary;" \
    "  INSERT INTO case_terms(text) SELECT DISTINCT v FROM (SELECT new.authority AS v UNION ALL" \
    "  SELECT new.category UNION ALL SELECT new.subcategory UNION ALL SELECT new.outcome)" \
    "  WHERE " NEW_TERM("v") ";" \
    "  UPDATE case_rows SET id = new.id, ref = new.ref, unref_key = new.unref_key," \
    "  authority_id = " TERM_ID("new.authority") ", category_id = " TERM_ID("new.category") "," \
    "  subcategory_id = " TERM_ID("new.subcategory") ", council_subject = new.council_subject," \
    "  outcome_id = " TERM_ID("new.outcome") ", decision_date = new.decision_date," \
    "  remedy_document_id = new.remedy_document_id, improvement_document_id = new.improvement_document_id" \
    "  WHERE id = old.id; END;" \
    "CREATE TRIGGER cases_delete INSTEAD OF DELETE ON cases BEGIN" \
    "  DELETE FROM case_rows WHERE id = old.id; END;"

/* Views that several migrations make again after changing what they read
 * (migrations 4 and 12; 8, 10 and 12), written once. */
#define FACTS_VIEW \
    "CREATE VIEW facts(id, case_id, document_id, field, value, line) AS" \
    "  SELECT id * 8 + 0, case_id, document_id, 'authority', authority, authority_line FROM case_facts" \
    "   WHERE authority IS NOT NULL UNION ALL" \
    "  SELECT id * 8 + 1, case_id, document_id, 'category', category, category_line FROM case_facts" \
    "   WHERE category IS NOT NULL UNION ALL" \
    "  SELECT id * 8 + 2, case_id, document_id, 'subcategory', subcategory, subcategory_line FROM case_facts" \
    "   WHERE subcategory IS NOT NULL UNION ALL" \
    "  SELECT id * 8 + 3, case_id, document_id, 'council_subject', council_subject, council_subject_line" \
    "   FROM case_facts WHERE council_subject IS NOT NULL UNION ALL" \
    "  SELECT id * 8 + 4, case_id, document_id, 'outcome', outcome, outcome_line FROM case_facts" \
    "   WHERE outcome IS NOT NULL UNION ALL" \
    "  SELECT id * 8 + 5, case_id, document_id, 'decision_date', decision_date, decision_date_line FROM case_facts" \
    "   WHERE decision_date IS NOT NULL UNION ALL" \
    "  SELECT id * 8 + 6, case_id, document_id, 'summary', summary, summary_line FROM case_facts" \
    "   WHERE summary IS NOT NULL;"
#define UNMATCHED_AUTHORITIES_VIEW \
    "CREATE VIEW unmatched_authorities AS SELECT f.authority AS name, count(DISTINCT f.case_id) AS cases," \
    "  min(d.path) AS first_seen_in FROM case_facts f JOIN documents d ON d.id = f.document_id" \
    "  WHERE f.authority IS NOT NULL" \
    "  AND NOT EXISTS (SELECT 1 FROM authority_names n WHERE n.name_key = " OMB_NAME_KEY_SQL("f.authority") ")" \
    "  GROUP BY f.authority COLLATE NOCASE;"

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
     * the best-ranked one that has any (see the merge rule in store_stmt.c). */
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
     * (authorities.c loads them from data/ files) */
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
    FACTS_VIEW
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
    /* 7: each text stored once (issue 18).  search_text held a third copy
     * of every summary (cases and case_facts have the others) and a second
     * of every improvement; it is now a view over case_facts and
     * improvements, the FTS5 index's external content.  The two share one
     * rowid space: improvement ids start at 10,000,000,000, above any
     * case_facts id, and search_rows lists the ids that are indexed, so a
     * view row is found by its id with rowid look-ups.  (A UNION ALL of the
     * two tables would need no search_rows, but SQLite cannot flatten a
     * compound view into a join ordered by rank: every `search JOIN
     * search_text ... ORDER BY rank`, search_hits included, copied all the
     * texts first, 0.7 s a search at 100k cases.)  The delete triggers move
     * to the two tables.
     * documents_name_sha held each 64-character hash again: (name) alone
     * finds the one or two documents of a name.  cases_year and
     * cases_outcome index a dozen and half a dozen distinct values, so no
     * query is faster for them, and each case paid two more inserts. */
    "DROP TRIGGER search_text_ad;"
    "DROP TABLE search_text;"
    "UPDATE improvements SET id = id + 10000000000 WHERE id < 10000000000;"
    "CREATE TABLE search_rows(id INTEGER PRIMARY KEY) STRICT;"
    "INSERT INTO search_rows SELECT id FROM case_facts WHERE summary IS NOT NULL"
    "  UNION ALL SELECT id FROM improvements ORDER BY 1;"
    "CREATE VIEW search_text(id, case_id, document_id, kind, text) AS"
    "  SELECT r.id, coalesce(f.case_id, i.case_id), coalesce(f.document_id, i.document_id),"
    "  iif(f.id IS NULL, 'improvement', 'summary'), coalesce(f.summary, i.text)"
    "  FROM search_rows r LEFT JOIN case_facts f ON f.id = r.id LEFT JOIN improvements i ON i.id = r.id;"
    "CREATE TRIGGER case_facts_search_ad AFTER DELETE ON case_facts WHEN old.summary IS NOT NULL BEGIN"
    "  INSERT INTO search(search, rowid, text) VALUES ('delete', old.id, old.summary);"
    "  DELETE FROM search_rows WHERE id = old.id; END;"
    "CREATE TRIGGER improvements_search_ad AFTER DELETE ON improvements BEGIN"
    "  INSERT INTO search(search, rowid, text) VALUES ('delete', old.id, old.text);"
    "  DELETE FROM search_rows WHERE id = old.id; END;"
    "INSERT INTO search(search) VALUES ('rebuild');"
    /* Each batch of an ingest adds a segment to the FTS5 index; merging
     * them sixteen at a time instead of four rewrites the index fewer times
     * (13% less time indexing 100k cases in 20 batches, docs/performance.md) */
    "INSERT INTO search(search, rank) VALUES ('automerge', 16);"
    "DROP INDEX documents_name_sha;"
    "CREATE INDEX documents_name ON documents(name);"
    "DROP INDEX cases_year;"
    "DROP INDEX cases_outcome;"
    /* remedies again, with its kinds checked by comparisons: a CHECK of
     * `kind IN (five names)` built a temporary table of the five for every
     * insert (SQLite turns an IN list of more than two constants into an
     * ephemeral index), which was a sixth of what storing a decision page
     * cost.  Nothing refers to remedies rows, so the table is simply copied;
     * the two views over it are dropped and made again around the copy. */
    "DROP VIEW case_totals;"
    "DROP VIEW case_remedies;"
    "CREATE TABLE remedies_new("
    "  id INTEGER PRIMARY KEY,"
    "  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
    "  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    "  kind TEXT NOT NULL CHECK (kind = 'apology' OR kind = 'payment' OR kind = 'waiver' OR kind = 'service'"
    "    OR kind = 'other'),"
    "  amount_pence INTEGER CHECK (amount_pence IS NULL OR amount_pence >= 0),"
    "  purposes TEXT NOT NULL DEFAULT '[]',"
    "  text TEXT NOT NULL,"
    "  line INTEGER NOT NULL"
    ") STRICT;"
    "INSERT INTO remedies_new SELECT * FROM remedies ORDER BY id;"
    "DROP TABLE remedies;"
    "ALTER TABLE remedies_new RENAME TO remedies;"
    "CREATE INDEX remedies_case ON remedies(case_id, document_id);"
    "CREATE INDEX remedies_document ON remedies(document_id);"
    "CREATE VIEW case_remedies AS SELECT r.* FROM remedies r JOIN cases c"
    "  ON r.case_id = c.id AND r.document_id = c.remedy_document_id;"
    "CREATE VIEW case_totals AS SELECT c.id AS case_id,"
    "  coalesce(sum(CASE WHEN r.kind = 'payment' THEN r.amount_pence END), 0) AS payment_pence,"
    "  count(r.id) AS n_remedies,"
    "  max(r.kind = 'apology') AS apology"
    "  FROM cases c LEFT JOIN case_remedies r ON r.case_id = c.id GROUP BY c.id;",
    /* 8: money the council paid or offered before the decision, which the
     * ombudsman accepted as (part of) the remedy (OMB_REMEDY_PAID_BEFORE) */
    "ALTER TABLE remedies ADD COLUMN paid_before INTEGER NOT NULL DEFAULT 0;"
    /* ... and authority names matched by a key that ignores "&"/"and",
     * punctuation and spacing (authorities.h, OMB_NAME_KEY_SQL) */
    "ALTER TABLE authority_names ADD COLUMN name_key TEXT;"
    "UPDATE authority_names SET name_key = " OMB_NAME_KEY_SQL("name") ";"
    "CREATE INDEX authority_names_key ON authority_names(name_key);"
    "DROP VIEW unmatched_authorities;"
    UNMATCHED_AUTHORITIES_VIEW,
    /* 9: each summary stored once (issue 18).  cases held a second copy of
     * the summary its case_facts row already has (a fifth of the store at
     * 100k cases, docs/performance.md).  The table becomes case_rows, which
     * keeps the id of the case_facts row whose summary the merge rule chose
     * (summary_fact), and `cases` is a view with the old columns in the old
     * order, so queries, scripts and plugins read it as before.  Renaming
     * moves the foreign keys, indexes and views that name the table with it.
     * The summary is found again by its text; a hand-edited summary that no
     * document gave has no row to point at, and the case takes the summary
     * of its newest fact that has one.
     * The view takes updates and deletes for the hand corrections users
     * make with sqlite3; the summary is the document's, so it is changed in
     * case_facts or not at all. */
    "ALTER TABLE cases RENAME TO case_rows;"
    "ALTER TABLE case_rows ADD COLUMN summary_fact INTEGER;"
    "UPDATE case_rows SET summary_fact = coalesce((SELECT max(f.id) FROM case_facts f"
    "  WHERE f.case_id = case_rows.id AND f.summary = case_rows.summary), (SELECT max(f.id) FROM case_facts f"
    "  WHERE f.case_id = case_rows.id AND f.summary IS NOT NULL)) WHERE summary IS NOT NULL;"
    "ALTER TABLE case_rows DROP COLUMN summary;"
    "CREATE VIEW cases(id, ref, unref_key, authority, category, subcategory, council_subject, outcome,"
    "  decision_date, year, summary, remedy_document_id, improvement_document_id) AS"
    "  SELECT c.id, c.ref, c.unref_key, c.authority, c.category, c.subcategory, c.council_subject, c.outcome,"
    "  c.decision_date, c.year, f.summary, c.remedy_document_id, c.improvement_document_id"
    "  FROM case_rows c LEFT JOIN case_facts f ON f.id = c.summary_fact;"
    "CREATE TRIGGER cases_update INSTEAD OF UPDATE ON cases BEGIN"
    "  SELECT RAISE(ABORT, 'cases.summary is the summary of a case_facts row (case_rows.summary_fact);"
    " change that row instead') WHERE new.summary IS NOT old.summary;"
    "  UPDATE case_rows SET id = new.id, ref = new.ref, unref_key = new.unref_key, authority = new.authority,"
    "  category = new.category, subcategory = new.subcategory, council_subject = new.council_subject,"
    "  outcome = new.outcome, decision_date = new.decision_date, remedy_document_id = new.remedy_document_id,"
    "  improvement_document_id = new.improvement_document_id WHERE id = old.id; END;"
    "CREATE TRIGGER cases_delete INSTEAD OF DELETE ON cases BEGIN"
    "  DELETE FROM case_rows WHERE id = old.id; END;"
    /* a case never points at a summary that is gone: the document's removal
     * re-merges the case, and until then it has none */
    "CREATE TRIGGER case_facts_summary_ad AFTER DELETE ON case_facts WHEN old.summary IS NOT NULL BEGIN"
    "  UPDATE case_rows SET summary_fact = NULL WHERE id = old.case_id AND summary_fact = old.id; END;",
    /* 10: each document's path and hash stored once, and smaller (issue 18).
     * The path repeated its folder on every row (54 bytes a row at 100k
     * decision pages, all of them the same folder), the unique index on it
     * held the whole path again (7.3 MB), and the SHA-256 was 64 hex digits.
     * The table becomes document_rows: the folder's id in document_dirs (a
     * folder ends with its '/'; a path without one has the folder ''), the
     * file name, and the hash as its 32 bytes (`digest`; a hash that is not
     * 64 hex digits, written by hand, is kept as the text it was).  One
     * unique index on (name, dir_id) finds a document by name (the same
     * content read from another folder) and by path.  `documents` is a view
     * with the old columns in the old order, taking inserts, updates and
     * deletes.  SQLite cannot drop a UNIQUE column, so the table is copied:
     * this migration runs with foreign keys off (FK_OFF_MIGRATION, below),
     * renaming the table first so that the tables that refer to it follow,
     * and the views that read it are dropped and made again around that. */
    "DROP VIEW search_hits;"
    "DROP VIEW unmatched_authorities;"
    "ALTER TABLE documents RENAME TO document_rows;"
    "CREATE TABLE document_dirs(id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE) STRICT;"
    "INSERT INTO document_dirs(path) SELECT DISTINCT " FOLDER_OF("path") " FROM document_rows ORDER BY 1;"
    "CREATE TABLE document_rows_copy("
    "  id INTEGER PRIMARY KEY,"
    "  dir_id INTEGER NOT NULL REFERENCES document_dirs(id),"
    "  name TEXT NOT NULL,"
    "  digest ANY NOT NULL,"
    "  plugin TEXT NOT NULL,"
    "  plugin_version TEXT NOT NULL,"
    "  rank INTEGER NOT NULL,"
    "  size INTEGER NOT NULL,"
    "  note TEXT,"
    "  ingested_at TEXT NOT NULL,"
    "  n_cases INTEGER NOT NULL,"
    "  UNIQUE (name, dir_id)) STRICT;"
    "INSERT INTO document_rows_copy(id, dir_id, name, digest, plugin, plugin_version, rank, size, note, ingested_at,"
    "  n_cases) SELECT d.id, p.id, " NAME_OF("d.path") ", ombuds_digest(d.sha256), d.plugin, d.plugin_version, d.rank,"
    "  d.size, d.note, d.ingested_at, d.n_cases FROM document_rows d"
    "  JOIN document_dirs p ON p.path = " FOLDER_OF("d.path") " ORDER BY d.id;"
    "DROP TABLE document_rows;"
    "ALTER TABLE document_rows_copy RENAME TO document_rows;"
    "CREATE VIEW documents(id, path, sha256, plugin, plugin_version, rank, size, note, ingested_at, n_cases, name) AS"
    "  SELECT d.id, p.path || d.name, iif(typeof(d.digest) = 'blob', lower(hex(d.digest)), d.digest), d.plugin,"
    "  d.plugin_version, d.rank, d.size, d.note, d.ingested_at, d.n_cases, d.name"
    "  FROM document_rows d JOIN document_dirs p ON p.id = d.dir_id;"
    /* a hash given as text stays text: the shell has no ombuds_digest() */
    "CREATE TRIGGER documents_insert INSTEAD OF INSERT ON documents BEGIN"
    "  INSERT INTO document_dirs(path) SELECT " FOLDER_OF("new.path")
    "  WHERE NOT EXISTS (SELECT 1 FROM document_dirs WHERE path = " FOLDER_OF("new.path") ");"
    "  INSERT INTO document_rows(id, dir_id, name, digest, plugin, plugin_version, rank, size, note, ingested_at,"
    "  n_cases) VALUES (new.id, (SELECT id FROM document_dirs WHERE path = " FOLDER_OF("new.path") "),"
    "  " NAME_OF("new.path") ", new.sha256, new.plugin, new.plugin_version, new.rank, new.size, new.note,"
    "  coalesce(new.ingested_at, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')), coalesce(new.n_cases, 0)); END;"
    "CREATE TRIGGER documents_update INSTEAD OF UPDATE ON documents BEGIN"
    "  INSERT INTO document_dirs(path) SELECT " FOLDER_OF("new.path")
    "  WHERE NOT EXISTS (SELECT 1 FROM document_dirs WHERE path = " FOLDER_OF("new.path") ");"
    "  UPDATE document_rows SET id = new.id,"
    "  dir_id = (SELECT id FROM document_dirs WHERE path = " FOLDER_OF("new.path") "),"
    "  name = " NAME_OF("new.path") ", digest = iif(new.sha256 IS old.sha256, digest, new.sha256), plugin = new.plugin,"
    "  plugin_version = new.plugin_version, rank = new.rank, size = new.size, note = new.note,"
    "  ingested_at = new.ingested_at, n_cases = new.n_cases WHERE id = old.id; END;"
    "CREATE TRIGGER documents_delete INSTEAD OF DELETE ON documents BEGIN"
    "  DELETE FROM document_rows WHERE id = old.id; END;"
    "CREATE VIEW search_hits AS SELECT s.search AS search, s.rank AS rank, t.id AS text_id, t.kind, t.text,"
    "  t.case_id, c.ref, c.unref_key, t.document_id, d.path AS document"
    "  FROM search s JOIN search_text t ON t.id = s.rowid JOIN case_rows c ON c.id = t.case_id"
    "  JOIN documents d ON d.id = t.document_id;"
    UNMATCHED_AUTHORITIES_VIEW,
    /* 11: the texts cases share stored once (issue 18).  Every case_rows
     * row spelled out its authority, category, sub-category and outcome (67
     * bytes a case, and the two indexes on them held them again: 7.8 MB of
     * 141 at 100k cases), for a few hundred distinct texts.  They are now
     * rows of case_terms, and case_rows keeps their ids; "unknown" is id 1,
     * the outcome of a case no document has judged yet.  `cases` is made
     * again over them, with the same columns in the same order.  The
     * subject map's categories are terms too, kept so by its triggers, since
     * S_MAP_SUBJECT looks them up and users edit the map in sqlite3. */
    "DROP VIEW cases;"
    "DROP INDEX IF EXISTS cases_authority;"
    "DROP INDEX IF EXISTS cases_category;"
    "CREATE TABLE case_terms(id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE) STRICT;"
    "INSERT INTO case_terms(id, text) VALUES (1, 'unknown');"
    "INSERT OR IGNORE INTO case_terms(text) SELECT v FROM (SELECT authority AS v FROM case_rows"
    "  UNION SELECT category FROM case_rows UNION SELECT subcategory FROM case_rows UNION SELECT outcome FROM case_rows"
    "  UNION SELECT category FROM subject_map UNION SELECT nullif(subcategory, '') FROM subject_map)"
    "  WHERE v IS NOT NULL ORDER BY v;"
    "ALTER TABLE case_rows ADD COLUMN authority_id INTEGER;"
    "ALTER TABLE case_rows ADD COLUMN category_id INTEGER;"
    "ALTER TABLE case_rows ADD COLUMN subcategory_id INTEGER;"
    "ALTER TABLE case_rows ADD COLUMN outcome_id INTEGER NOT NULL DEFAULT 1;"
    "UPDATE case_rows SET authority_id = " TERM_ID("authority") ", category_id = " TERM_ID("category") ","
    "  subcategory_id = " TERM_ID("subcategory") ", outcome_id = " TERM_ID("outcome") ";"
    "ALTER TABLE case_rows DROP COLUMN authority;"
    "ALTER TABLE case_rows DROP COLUMN category;"
    "ALTER TABLE case_rows DROP COLUMN subcategory;"
    "ALTER TABLE case_rows DROP COLUMN outcome;"
    "CREATE INDEX cases_authority ON case_rows(authority_id);"
    "CREATE INDEX cases_category ON case_rows(category_id, subcategory_id);"
    "CREATE VIEW cases(id, ref, unref_key, authority, category, subcategory, council_subject, outcome,"
    "  decision_date, year, summary, remedy_document_id, improvement_document_id) AS"
    "  SELECT c.id, c.ref, c.unref_key, a.text, k.text, s.text, c.council_subject, o.text,"
    "  c.decision_date, c.year, f.summary, c.remedy_document_id, c.improvement_document_id"
    "  FROM case_rows c LEFT JOIN case_terms a ON a.id = c.authority_id LEFT JOIN case_terms k ON k.id = c.category_id"
    "  LEFT JOIN case_terms s ON s.id = c.subcategory_id LEFT JOIN case_terms o ON o.id = c.outcome_id"
    "  LEFT JOIN case_facts f ON f.id = c.summary_fact;"
    /* a NULL outcome finds no term and is refused by NOT NULL, as before */
    CASES_TRIGGERS
    "CREATE TRIGGER subject_map_terms_ai AFTER INSERT ON subject_map BEGIN"
    "  INSERT INTO case_terms(text) SELECT DISTINCT v FROM (SELECT new.category AS v UNION ALL"
    "  SELECT nullif(new.subcategory, '')) WHERE " NEW_TERM("v") "; END;"
    "CREATE TRIGGER subject_map_terms_au AFTER UPDATE ON subject_map BEGIN"
    "  INSERT INTO case_terms(text) SELECT DISTINCT v FROM (SELECT new.category AS v UNION ALL"
    "  SELECT nullif(new.subcategory, '')) WHERE " NEW_TERM("v") "; END;",
    /* 12: the same for what each document says of a case (issue 18):
     * case_facts spelled out the authority, category, sub-category and
     * outcome of every mention (62 bytes of each row).  The table becomes
     * case_fact_rows, keeping case_terms ids (authority as the document
     * spells it); `case_facts` is a view with the same columns in the same
     * order, taking inserts, updates and deletes.  Renaming first moves the
     * views and triggers that read the table with it (search_text, cases and
     * the two delete triggers keep reading the table); the two views that
     * read the dropped columns are made again over the view. */
    "DROP VIEW facts;"
    "DROP VIEW unmatched_authorities;"
    "INSERT OR IGNORE INTO case_terms(text) SELECT v FROM (SELECT authority AS v FROM case_facts"
    "  UNION SELECT category FROM case_facts UNION SELECT subcategory FROM case_facts"
    "  UNION SELECT outcome FROM case_facts) WHERE v IS NOT NULL ORDER BY v;"
    "ALTER TABLE case_facts RENAME TO case_fact_rows;"
    "ALTER TABLE case_fact_rows ADD COLUMN authority_id INTEGER;"
    "ALTER TABLE case_fact_rows ADD COLUMN category_id INTEGER;"
    "ALTER TABLE case_fact_rows ADD COLUMN subcategory_id INTEGER;"
    "ALTER TABLE case_fact_rows ADD COLUMN outcome_id INTEGER;"
    "UPDATE case_fact_rows SET authority_id = " TERM_ID("authority") ", category_id = " TERM_ID("category") ","
    "  subcategory_id = " TERM_ID("subcategory") ", outcome_id = " TERM_ID("outcome") ";"
    "ALTER TABLE case_fact_rows DROP COLUMN authority;"
    "ALTER TABLE case_fact_rows DROP COLUMN category;"
    "ALTER TABLE case_fact_rows DROP COLUMN subcategory;"
    "ALTER TABLE case_fact_rows DROP COLUMN outcome;"
    "CREATE VIEW case_facts(id, case_id, document_id, authority, authority_line, category, category_line,"
    "  subcategory, subcategory_line, council_subject, council_subject_line, outcome, outcome_line, decision_date,"
    "  decision_date_line, summary, summary_line) AS"
    "  SELECT f.id, f.case_id, f.document_id, a.text, f.authority_line, k.text, f.category_line, s.text,"
    "  f.subcategory_line, f.council_subject, f.council_subject_line, o.text, f.outcome_line, f.decision_date,"
    "  f.decision_date_line, f.summary, f.summary_line"
    "  FROM case_fact_rows f LEFT JOIN case_terms a ON a.id = f.authority_id LEFT JOIN case_terms k ON k.id = f.category_id"
    "  LEFT JOIN case_terms s ON s.id = f.subcategory_id LEFT JOIN case_terms o ON o.id = f.outcome_id;"
    "CREATE TRIGGER case_facts_insert INSTEAD OF INSERT ON case_facts BEGIN"
    "  INSERT INTO case_terms(text) SELECT DISTINCT v FROM (SELECT new.authority AS v UNION ALL"
    "  SELECT new.category UNION ALL SELECT new.subcategory UNION ALL SELECT new.outcome) WHERE " NEW_TERM("v") ";"
    "  INSERT INTO case_fact_rows(id, case_id, document_id, authority_id, authority_line, category_id, category_line,"
    "  subcategory_id, subcategory_line, council_subject, council_subject_line, outcome_id, outcome_line,"
    "  decision_date, decision_date_line, summary, summary_line) VALUES (new.id, new.case_id, new.document_id,"
    "  " TERM_ID("new.authority") ", new.authority_line, " TERM_ID("new.category") ", new.category_line,"
    "  " TERM_ID("new.subcategory") ", new.subcategory_line, new.council_subject, new.council_subject_line,"
    "  " TERM_ID("new.outcome") ", new.outcome_line, new.decision_date, new.decision_date_line, new.summary,"
    "  new.summary_line); END;"
    "CREATE TRIGGER case_facts_update INSTEAD OF UPDATE ON case_facts BEGIN"
    "  INSERT INTO case_terms(text) SELECT DISTINCT v FROM (SELECT new.authority AS v UNION ALL"
    "  SELECT new.category UNION ALL SELECT new.subcategory UNION ALL SELECT new.outcome) WHERE " NEW_TERM("v") ";"
    "  UPDATE case_fact_rows SET id = new.id, case_id = new.case_id, document_id = new.document_id,"
    CASE_FACTS_SET_TERMS
    "  decision_date_line = new.decision_date_line, summary = new.summary, summary_line = new.summary_line"
    "  WHERE id = old.id; END;"
    "CREATE TRIGGER case_facts_delete INSTEAD OF DELETE ON case_facts BEGIN"
    "  DELETE FROM case_fact_rows WHERE id = old.id; END;"
    FACTS_VIEW
    UNMATCHED_AUTHORITIES_VIEW,
    /* 13: a case's totals found from its own remedies.  case_totals summed
     * the shown remedies of every case and grouped them, so a query that
     * joined it for a few cases (`ombuds cases --authority X`) had SQLite
     * build the totals of all of them first: 3.5 s for one council's year at
     * 1M cases.  The same columns, each a look-up of the case's shown
     * remedies by remedies_case, let SQLite read only the cases selected;
     * summing every case costs what it did. */
    "DROP VIEW case_totals;"
    "CREATE VIEW case_totals AS SELECT c.id AS case_id,"
    "  coalesce((SELECT sum(r.amount_pence) FROM remedies r WHERE r.case_id = c.id"
    "  AND r.document_id = c.remedy_document_id AND r.kind = 'payment'), 0) AS payment_pence,"
    "  (SELECT count(*) FROM remedies r WHERE r.case_id = c.id AND r.document_id = c.remedy_document_id) AS n_remedies,"
    "  (SELECT max(r.kind = 'apology') FROM remedies r WHERE r.case_id = c.id"
    "  AND r.document_id = c.remedy_document_id) AS apology"
    "  FROM case_rows c;",
    /* 14: every text stored once (issue 18).  A case's summary, remedies
     * and improvements are written by each document that gives them -- the
     * decision page, the council's annex, its minutes, a press release --
     * and councils are told the same things again and again ("remind staff
     * of ..."); the texts were 36 of the 106 MB of a 100k store.  They are
     * now rows of `texts`, and case_fact_rows, remedy_rows and
     * improvement_rows keep their ids.  A text is found by its length and
     * last sixteen characters (texts_key) and then compared whole: the
     * expression index holds a few bytes a text where an index on the text
     * would hold it all again, and it needs no function a plain sqlite3
     * shell lacks, so the views below still take inserts there.  (`+text`
     * keeps SQLite from rewriting length(text) as length(?1), which would
     * leave the index unused.)  `remedies`, `improvements` and `case_facts`
     * are views with the columns they had, in the same order.  The views
     * read a text in a subquery of their column rather than a join: SQLite
     * 3.40 keeps an unused LEFT JOIN in an aggregate, so a count over
     * `cases` would look up every case's summary, where a column's subquery
     * runs only when the column is read.  A text nothing names any more is
     * swept out when the documents that named it are replaced or forgotten
     * (S_SWEEP_TEXTS).
     * The full-text index holds each searched text once too, as its texts
     * id: search_rows lists the summaries and improvements that are
     * searched, with their text's id (search_rows_text finds them from a
     * match), and search_source, the index's content, is the texts they
     * name.  A text leaves the index with the last row that names it
     * (search_rows_ad; only if the index has it, as a batch into an empty
     * store indexes at its end).  search_pending says that such a batch has
     * listed texts the index does not hold yet: the next read-write open
     * rebuilds when it finds the row (an ingest killed before its end). */
    "DROP VIEW case_improvements;"
    "DROP VIEW case_remedies;"
    "DROP VIEW search_hits;"
    "DROP VIEW search_text;"
    "DROP VIEW cases;"
    "DROP VIEW facts;"
    "DROP VIEW unmatched_authorities;"
    "DROP VIEW case_facts;"
    "DROP VIEW case_totals;"
    "DROP TRIGGER case_facts_search_ad;"
    "DROP TRIGGER case_facts_summary_ad;"
    "DROP TRIGGER improvements_search_ad;"
    "CREATE TABLE texts(id INTEGER PRIMARY KEY, text TEXT NOT NULL) STRICT;"
    "CREATE INDEX texts_key ON texts(length(text), substr(text, -16));"
    "INSERT INTO texts(text) SELECT summary FROM case_fact_rows WHERE summary IS NOT NULL"
    "  UNION SELECT text FROM improvements UNION SELECT text FROM remedies;"
    "ALTER TABLE case_fact_rows ADD COLUMN summary_id INTEGER;"
    "UPDATE case_fact_rows SET summary_id = " TEXT_ID("case_fact_rows.summary") " WHERE summary IS NOT NULL;"
    "ALTER TABLE case_fact_rows DROP COLUMN summary;"
    "CREATE TABLE improvement_rows("
    "  id INTEGER PRIMARY KEY,"
    "  case_id INTEGER NOT NULL REFERENCES \"case_rows\"(id) ON DELETE CASCADE,"
    "  document_id INTEGER NOT NULL REFERENCES \"document_rows\"(id) ON DELETE CASCADE,"
    "  text_id INTEGER NOT NULL,"
    "  line INTEGER NOT NULL) STRICT;"
    "INSERT INTO improvement_rows(id, case_id, document_id, text_id, line)"
    "  SELECT i.id, i.case_id, i.document_id, " TEXT_ID("i.text") ", i.line FROM improvements i ORDER BY i.id;"
    "DROP TABLE improvements;"
    "CREATE INDEX improvements_case ON improvement_rows(case_id, document_id);"
    "CREATE INDEX improvements_document ON improvement_rows(document_id);"
    "CREATE TABLE remedy_rows("
    "  id INTEGER PRIMARY KEY,"
    "  case_id INTEGER NOT NULL REFERENCES \"case_rows\"(id) ON DELETE CASCADE,"
    "  document_id INTEGER NOT NULL REFERENCES \"document_rows\"(id) ON DELETE CASCADE,"
    "  kind TEXT NOT NULL CHECK (kind = 'apology' OR kind = 'payment' OR kind = 'waiver' OR kind = 'service'"
    "    OR kind = 'other'),"
    "  amount_pence INTEGER CHECK (amount_pence IS NULL OR amount_pence >= 0),"
    "  purposes TEXT NOT NULL DEFAULT '[]',"
    "  text_id INTEGER NOT NULL,"
    "  line INTEGER NOT NULL,"
    "  paid_before INTEGER NOT NULL DEFAULT 0) STRICT;"
    "INSERT INTO remedy_rows(id, case_id, document_id, kind, amount_pence, purposes, text_id, line, paid_before)"
    "  SELECT r.id, r.case_id, r.document_id, r.kind, r.amount_pence, r.purposes, " TEXT_ID("r.text") ", r.line,"
    "  r.paid_before FROM remedies r ORDER BY r.id;"
    "DROP TABLE remedies;"
    "CREATE INDEX remedies_case ON remedy_rows(case_id, document_id);"
    "CREATE INDEX remedies_document ON remedy_rows(document_id);"
    "CREATE VIEW improvements(id, case_id, document_id, text, line) AS"
    "  SELECT i.id, i.case_id, i.document_id, " TEXT_OF("i.text_id") ", i.line FROM improvement_rows i;"
    "CREATE TRIGGER improvements_insert INSTEAD OF INSERT ON improvements BEGIN"
    "  INSERT INTO texts(text) SELECT new.text WHERE " NEW_TEXT("new.text") ";"
    "  INSERT INTO improvement_rows(id, case_id, document_id, text_id, line) VALUES"
    "  (coalesce(new.id, (SELECT max(coalesce(max(id), 0) + 1, 10000000000) FROM improvement_rows)), new.case_id,"
    "  new.document_id, " TEXT_ID("new.text") ", new.line); END;"
    "CREATE TRIGGER improvements_update INSTEAD OF UPDATE ON improvements BEGIN"
    "  INSERT INTO texts(text) SELECT new.text WHERE " NEW_TEXT("new.text") ";"
    "  UPDATE improvement_rows SET id = new.id, case_id = new.case_id, document_id = new.document_id,"
    "  text_id = " TEXT_ID("new.text") ", line = new.line WHERE id = old.id; END;"
    "CREATE TRIGGER improvements_delete INSTEAD OF DELETE ON improvements BEGIN"
    "  DELETE FROM improvement_rows WHERE id = old.id; END;"
    "CREATE VIEW remedies(id, case_id, document_id, kind, amount_pence, purposes, text, line, paid_before) AS"
    "  SELECT r.id, r.case_id, r.document_id, r.kind, r.amount_pence, r.purposes, " TEXT_OF("r.text_id") ", r.line,"
    "  r.paid_before FROM remedy_rows r;"
    "CREATE TRIGGER remedies_insert INSTEAD OF INSERT ON remedies BEGIN"
    "  INSERT INTO texts(text) SELECT new.text WHERE " NEW_TEXT("new.text") ";"
    "  INSERT INTO remedy_rows(id, case_id, document_id, kind, amount_pence, purposes, text_id, line, paid_before)"
    "  VALUES (new.id, new.case_id, new.document_id, new.kind, new.amount_pence, coalesce(new.purposes, '[]'),"
    "  " TEXT_ID("new.text") ", new.line, coalesce(new.paid_before, 0)); END;"
    "CREATE TRIGGER remedies_update INSTEAD OF UPDATE ON remedies BEGIN"
    "  INSERT INTO texts(text) SELECT new.text WHERE " NEW_TEXT("new.text") ";"
    "  UPDATE remedy_rows SET id = new.id, case_id = new.case_id, document_id = new.document_id, kind = new.kind,"
    "  amount_pence = new.amount_pence, purposes = new.purposes, text_id = " TEXT_ID("new.text") ","
    "  line = new.line, paid_before = new.paid_before WHERE id = old.id; END;"
    "CREATE TRIGGER remedies_delete INSTEAD OF DELETE ON remedies BEGIN"
    "  DELETE FROM remedy_rows WHERE id = old.id; END;"
    "CREATE VIEW case_improvements AS SELECT i.* FROM improvements i JOIN case_rows c"
    "  ON i.case_id = c.id AND i.document_id = c.improvement_document_id;"
    "CREATE VIEW case_remedies AS SELECT r.* FROM remedies r JOIN case_rows c"
    "  ON r.case_id = c.id AND r.document_id = c.remedy_document_id;"
    "DROP TABLE search;"
    "DROP TABLE search_rows;"
    "CREATE TABLE search_rows(id INTEGER PRIMARY KEY, text_id INTEGER NOT NULL) STRICT;"
    "INSERT INTO search_rows(id, text_id) SELECT id, summary_id FROM case_fact_rows WHERE summary_id IS NOT NULL"
    "  UNION ALL SELECT id, text_id FROM improvement_rows ORDER BY 1;"
    "CREATE INDEX search_rows_text ON search_rows(text_id);"
    "CREATE TABLE search_pending(id INTEGER PRIMARY KEY) STRICT;"
    "CREATE VIEW search_source(id, text) AS SELECT t.id, t.text FROM texts t"
    "  WHERE EXISTS (SELECT 1 FROM search_rows r WHERE r.text_id = t.id);"
    "CREATE VIRTUAL TABLE search USING fts5(text, content='search_source', content_rowid='id',"
    "  tokenize='porter unicode61 remove_diacritics 2');"
    "INSERT INTO search(search) VALUES ('rebuild');"
    "INSERT INTO search(search, rank) VALUES ('automerge', 16);"
    "CREATE TRIGGER search_rows_ad AFTER DELETE ON search_rows"
    "  WHEN NOT EXISTS (SELECT 1 FROM search_rows WHERE text_id = old.text_id)"
    "  AND EXISTS (SELECT 1 FROM search_docsize WHERE id = old.text_id) BEGIN"
    "  INSERT INTO search(search, rowid, text) VALUES ('delete', old.text_id, (SELECT text FROM texts WHERE id = old.text_id));"
    "  END;"
    "CREATE VIEW search_text(id, case_id, document_id, kind, text) AS"
    "  SELECT r.text_id, coalesce(f.case_id, i.case_id), coalesce(f.document_id, i.document_id),"
    "  iif(f.id IS NULL, 'improvement', 'summary'), t.text"
    "  FROM search_rows r LEFT JOIN case_fact_rows f ON f.id = r.id LEFT JOIN improvement_rows i ON i.id = r.id"
    "  JOIN texts t ON t.id = r.text_id;"
    "CREATE TRIGGER case_facts_search_ad AFTER DELETE ON case_fact_rows WHEN old.summary_id IS NOT NULL BEGIN"
    "  DELETE FROM search_rows WHERE id = old.id; END;"
    "CREATE TRIGGER case_facts_summary_ad AFTER DELETE ON case_fact_rows WHEN old.summary_id IS NOT NULL BEGIN"
    "  UPDATE case_rows SET summary_fact = NULL WHERE id = old.case_id AND summary_fact = old.id; END;"
    "CREATE TRIGGER improvements_search_ad AFTER DELETE ON improvement_rows BEGIN"
    "  DELETE FROM search_rows WHERE id = old.id; END;"
    "CREATE VIEW search_hits AS SELECT s.search AS search, s.rank AS rank, t.id AS text_id, t.kind, t.text,"
    "  t.case_id, c.ref, c.unref_key, t.document_id, d.path AS document"
    "  FROM search s JOIN search_text t ON t.id = s.rowid JOIN case_rows c ON c.id = t.case_id"
    "  JOIN documents d ON d.id = t.document_id;"
    "CREATE VIEW cases(id, ref, unref_key, authority, category, subcategory, council_subject, outcome,"
    "  decision_date, year, summary, remedy_document_id, improvement_document_id) AS"
    "  SELECT c.id, c.ref, c.unref_key, a.text, k.text, s.text, c.council_subject, o.text,"
    "  c.decision_date, c.year, (SELECT x.text FROM case_fact_rows f JOIN texts x ON x.id = f.summary_id"
    "  WHERE f.id = c.summary_fact), c.remedy_document_id, c.improvement_document_id"
    "  FROM case_rows c LEFT JOIN case_terms a ON a.id = c.authority_id LEFT JOIN case_terms k ON k.id = c.category_id"
    "  LEFT JOIN case_terms s ON s.id = c.subcategory_id LEFT JOIN case_terms o ON o.id = c.outcome_id;"
    CASES_TRIGGERS
    "CREATE VIEW case_facts(id, case_id, document_id, authority, authority_line, category, category_line,"
    "  subcategory, subcategory_line, council_subject, council_subject_line, outcome, outcome_line, decision_date,"
    "  decision_date_line, summary, summary_line) AS"
    "  SELECT f.id, f.case_id, f.document_id, a.text, f.authority_line, k.text, f.category_line, s.text,"
    "  f.subcategory_line, f.council_subject, f.council_subject_line, o.text, f.outcome_line, f.decision_date,"
    "  f.decision_date_line, " TEXT_OF("f.summary_id") ", f.summary_line"
    "  FROM case_fact_rows f LEFT JOIN case_terms a ON a.id = f.authority_id LEFT JOIN case_terms k ON k.id = f.category_id"
    "  LEFT JOIN case_terms s ON s.id = f.subcategory_id LEFT JOIN case_terms o ON o.id = f.outcome_id;"
    "CREATE TRIGGER case_facts_insert INSTEAD OF INSERT ON case_facts BEGIN"
    "  INSERT INTO case_terms(text) SELECT DISTINCT v FROM (SELECT new.authority AS v UNION ALL"
    "  SELECT new.category UNION ALL SELECT new.subcategory UNION ALL SELECT new.outcome) WHERE " NEW_TERM("v") ";"
    "  INSERT INTO texts(text) SELECT new.summary WHERE " NEW_TEXT("new.summary") ";"
    "  INSERT INTO case_fact_rows(id, case_id, document_id, authority_id, authority_line, category_id, category_line,"
    "  subcategory_id, subcategory_line, council_subject, council_subject_line, outcome_id, outcome_line,"
    "  decision_date, decision_date_line, summary_id, summary_line) VALUES (new.id, new.case_id, new.document_id,"
    "  " TERM_ID("new.authority") ", new.authority_line, " TERM_ID("new.category") ", new.category_line,"
    "  " TERM_ID("new.subcategory") ", new.subcategory_line, new.council_subject, new.council_subject_line,"
    "  " TERM_ID("new.outcome") ", new.outcome_line, new.decision_date, new.decision_date_line,"
    "  " TEXT_ID("new.summary") ", new.summary_line); END;"
    "CREATE TRIGGER case_facts_update INSTEAD OF UPDATE ON case_facts BEGIN"
    "  INSERT INTO case_terms(text) SELECT DISTINCT v FROM (SELECT new.authority AS v UNION ALL"
    "  SELECT new.category UNION ALL SELECT new.subcategory UNION ALL SELECT new.outcome) WHERE " NEW_TERM("v") ";"
    "  INSERT INTO texts(text) SELECT new.summary WHERE " NEW_TEXT("new.summary") ";"
    "  UPDATE case_fact_rows SET id = new.id, case_id = new.case_id, document_id = new.document_id,"
    CASE_FACTS_SET_TERMS
    "  decision_date_line = new.decision_date_line, summary_id = " TEXT_ID("new.summary") ","
    "  summary_line = new.summary_line WHERE id = old.id; END;"
    "CREATE TRIGGER case_facts_delete INSTEAD OF DELETE ON case_facts BEGIN"
    "  DELETE FROM case_fact_rows WHERE id = old.id; END;"
    FACTS_VIEW
    UNMATCHED_AUTHORITIES_VIEW
    "CREATE VIEW case_totals AS SELECT c.id AS case_id,"
    "  coalesce((SELECT sum(r.amount_pence) FROM remedy_rows r WHERE r.case_id = c.id"
    "  AND r.document_id = c.remedy_document_id AND r.kind = 'payment'), 0) AS payment_pence,"
    "  (SELECT count(*) FROM remedy_rows r WHERE r.case_id = c.id AND r.document_id = c.remedy_document_id)"
    "  AS n_remedies,"
    "  (SELECT max(r.kind = 'apology') FROM remedy_rows r WHERE r.case_id = c.id"
    "  AND r.document_id = c.remedy_document_id) AS apology"
    "  FROM case_rows c;",
};

/* The migration (its user_version once applied) that copies a table others
 * refer to, and so runs with foreign keys off: with them on, dropping the
 * old table would first delete every row that refers to it. */
#define FK_OFF_MIGRATION 10

#define N_MIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

const int omb_store_schema_version = N_MIGRATIONS;

static int user_version(omb_store *st)
{
    sqlite3_stmt *s;
    int version = -1;
    if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK) return -1;
    if (sqlite3_step(s) == SQLITE_ROW) version = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return version;
}

/* ombuds_digest(hex): the 32 bytes a SHA-256 written as 64 hex digits
 * stands for (omb_store_digest), or the argument unchanged when it is
 * anything else.  For migration 10 only (SQLite has unhex() from 3.41,
 * Debian 12 ships 3.40). */
static void sql_digest(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    unsigned char out[32];
    if (sqlite3_value_type(argv[0]) == SQLITE_TEXT &&
        omb_store_digest((const char *)sqlite3_value_text(argv[0]), (size_t)sqlite3_value_bytes(argv[0]), out))
        sqlite3_result_blob(cx, out, sizeof out, SQLITE_TRANSIENT);
    else
        sqlite3_result_value(cx, argv[0]);
}

/* After a migration run with foreign keys off: every reference must still
 * hold, or the migration is undone. */
static int check_foreign_keys(omb_store *st, char *err, size_t cap)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db, "PRAGMA foreign_key_check", -1, &s, NULL) != SQLITE_OK) {
        snprintf(err, cap, "%s: %s", st->path, sqlite3_errmsg(st->db));
        return OMB_ESTORE;
    }
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        snprintf(err, cap,
                 "%s: upgrading the schema would break a reference: row %lld of %s refers to a missing row of %s",
                 st->path, (long long)sqlite3_column_int64(s, 1), (const char *)sqlite3_column_text(s, 0),
                 (const char *)sqlite3_column_text(s, 2));
    else if (rc != SQLITE_DONE)
        snprintf(err, cap, "%s: %s", st->path, sqlite3_errmsg(st->db));
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? OMB_OK : OMB_ESTORE;
}

/* Brings the schema up to date.  The version is read inside the write
 * transaction, so two processes opening a new store at once cannot both run
 * the same migration: the second waits, then finds nothing left to do.
 * Foreign keys can only be switched outside a transaction, so the version
 * is looked at first without the lock to choose, and a migration that needs
 * them off is only run if the version is still the one looked at. */
/* Whether the store is new: no schema object at all. */
static int is_empty(omb_store *st)
{
    sqlite3_stmt *s;
    int empty = 0;
    if (sqlite3_prepare_v2(st->db, "SELECT NOT EXISTS (SELECT 1 FROM sqlite_schema)", -1, &s, NULL) != SQLITE_OK)
        return 0;
    if (sqlite3_step(s) == SQLITE_ROW) empty = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return empty;
}

int omb_store_migrate(omb_store *st, int replay, char *err, size_t cap)
{
    if (sqlite3_create_function(st->db, "ombuds_digest", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_digest,
                                NULL, NULL) != SQLITE_OK) {
        snprintf(err, cap, "%s: %s", st->path, sqlite3_errmsg(st->db));
        return OMB_ESTORE;
    }
    int rc = OMB_OK;
    for (;;) {
        int fk_off = user_version(st) + 1 == FK_OFF_MIGRATION;
        if (exec(st, fk_off ? "PRAGMA foreign_keys = OFF" : "PRAGMA foreign_keys = ON", err, cap) ||
            exec(st, "BEGIN IMMEDIATE", err, cap)) {
            rc = OMB_ESTORE;
            break;
        }
        int version = user_version(st);
        if (version < 0) {
            snprintf(err, cap, "%s: %s", st->path, sqlite3_errmsg(st->db));
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
            rc = OMB_ESTORE;
            break;
        }
        if (version > N_MIGRATIONS) {
            snprintf(err, cap, "%s: store schema version %d is newer than this ombuds understands (%d); upgrade ombuds",
                     st->path, version, N_MIGRATIONS);
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
            rc = OMB_ESTORE;
            break;
        }
        if (version == N_MIGRATIONS) {
            rc = exec(st, "COMMIT", err, cap);
            break;
        }
        /* A new store is made from the schema the migrations lead to, in one
         * go: replaying them re-reads the whole schema at every ALTER TABLE,
         * 250M instructions (about 50 ms) for the twelve, against 20M. */
        if (version == 0 && !replay && omb_store_schema_now_version == N_MIGRATIONS && is_empty(st)) {
            char bump[64];
            snprintf(bump, sizeof bump, "PRAGMA user_version = %d;", N_MIGRATIONS);
            if (exec(st, omb_store_schema_now, err, cap) || exec(st, bump, err, cap) ||
                exec(st, "COMMIT", err, cap)) {
                sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
                rc = OMB_ESTORE;
            }
            break;
        }
        if ((version + 1 == FK_OFF_MIGRATION) != fk_off) { /* another process moved it on meanwhile */
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
            continue;
        }
        char bump[64];
        snprintf(bump, sizeof bump, "PRAGMA user_version = %d;", version + 1);
        if (exec(st, migrations[version], err, cap) || (fk_off && check_foreign_keys(st, err, cap)) ||
            exec(st, bump, err, cap)) {
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
            rc = OMB_ESTORE;
            break;
        }
        if (exec(st, "COMMIT", err, cap)) {
            rc = OMB_ESTORE;
            break;
        }
    }
    /* whatever happened, the connection goes on with foreign keys on */
    if (exec(st, "PRAGMA foreign_keys = ON", rc ? NULL : err, rc ? 0 : cap) && !rc) rc = OMB_ESTORE;
    return rc;
}
