/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_migrate.c -- a store written by an older ombuds (schema 3, one facts
 * row per field; tests/unit/store_v3.sql) is brought up to date when opened:
 * every value keeps its document, line and order through the `facts` view,
 * the merged cases are what they were, the merge rule still works on the new
 * case_facts table, a read-only open (`ombuds sql`) upgrades it too, and
 * schema 5's search_hits view names the case and document of each match.
 * And a new store, made in one go from the schema snapshot
 * (core/lib/store_schema_now.c), is the store the migrations make one by
 * one.  With OMBUDS_WRITE_SCHEMA_NOW=FILE this test writes that snapshot to
 * FILE from a store the migrations made: how store_schema_now.c is renewed
 * after a migration is added.
 */
#include "store.h"
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../tap.h"

/* Everything a query returns, one row a line, columns joined by '|'. */
static char *rows(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s;
    size_t cap = 4096, n = 0;
    char *out = malloc(cap);
    out[0] = '\0';
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
        snprintf(out, cap, "(sql error: %s)", sqlite3_errmsg(db));
        return out;
    }
    while (sqlite3_step(s) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(s); i++) {
            const char *v = (const char *)sqlite3_column_text(s, i);
            size_t len = strlen(v ? v : "NULL") + 2;
            if (n + len + 1 > cap) out = realloc(out, cap = (cap + len) * 2);
            n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? "|" : "", v ? v : "NULL");
        }
        out[n++] = '\n';
        out[n] = '\0';
    }
    sqlite3_finalize(s);
    return out;
}

/* The integer a one-value query gives, or -1. */
static int one_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s;
    int v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) return -1;
    if (sqlite3_step(s) == SQLITE_ROW) v = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return v;
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++) n += *s == '\n';
    return n;
}

/* One TAP test: the query's rows (as rows() gives them) are want. */
static void expect_rows(sqlite3 *db, const char *sql, const char *want, const char *what)
{
    char *got = db ? rows(db, sql) : NULL;
    TAP_STR(got, want, "%s", what);
    free(got);
}

/* Writes the schema-3 fixture into a new database file at path. */
static int load_fixture(const char *path)
{
    const char *srcdir = getenv("SRCDIR");
    char file[4096];
    snprintf(file, sizeof file, "%s/tests/unit/store_v3.sql", srcdir ? srcdir : ".");
    FILE *f = fopen(file, "rb");
    if (!f) {
        printf("# cannot open %s\n", file);
        return -1;
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    rewind(f);
    char *sql = malloc((size_t)size + 1);
    size_t got = fread(sql, 1, (size_t)size, f);
    fclose(f);
    sql[got] = '\0';
    sqlite3 *db;
    char *msg = NULL;
    unlink(path);
    int rc = sqlite3_open(path, &db) == SQLITE_OK && sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK ? 0 : -1;
    if (rc) printf("# loading the fixture: %s\n", msg ? msg : sqlite3_errmsg(db));
    sqlite3_free(msg);
    sqlite3_close(db);
    free(sql);
    return rc;
}

/* The values as documents gave them, in the order the merge rule reads them. */
static const char *const DOCS_SQL = "SELECT id, path, sha256, plugin, plugin_version, rank, size, note, ingested_at,"
                                    " n_cases FROM documents ORDER BY id";
static const char *const FACTS_SQL =
    "SELECT c.ref, d.path, f.field, f.value, f.line FROM facts f JOIN cases c ON c.id = f.case_id"
    " JOIN documents d ON d.id = f.document_id ORDER BY c.ref, f.field, d.id, f.id";
static const char *const CASES_SQL =
    "SELECT ref, authority, category, subcategory, council_subject, outcome, decision_date, summary,"
    " remedy_document_id, improvement_document_id FROM cases ORDER BY ref";
/* The searchable texts, and what the full-text index finds with snippets:
 * search_text was a table up to schema 4 and is a view from schema 5. */
static const char *const TEXT_SQL =
    "SELECT c.ref, d.path, t.kind, t.text FROM search_text t JOIN cases c ON c.id = t.case_id"
    " JOIN documents d ON d.id = t.document_id ORDER BY c.ref, d.id, t.kind, t.text";
static const char *const REMEDY_SQL =
    "SELECT c.ref, d.path, r.kind, r.amount_pence, r.purposes, r.text, r.line FROM remedies r"
    " JOIN cases c ON c.id = r.case_id JOIN documents d ON d.id = r.document_id ORDER BY r.id";
static const char *const FOUND_SQL =
    "SELECT c.ref, t.kind, snippet(search, 0, '[', ']', '...', 6) FROM search JOIN search_text t"
    " ON t.id = search.rowid JOIN cases c ON c.id = t.case_id WHERE search MATCH 'remind OR review'"
    " ORDER BY c.ref, t.kind, 3";


/* ---- the schema snapshot ------------------------------------------------------ */

/* The register's tables: filled from data/ when a store is made, after the
 * schema, so not part of the snapshot. */
static int is_register_table(const char *name)
{
    static const char *const names[] = {"authorities", "authority_names", "authority_successors",
                                        "authority_population", "subject_map"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(name, names[i])) return 1;
    return 0;
}

/* The statement that selects every row of table as one line of quoted
 * values, in order: "SELECT group_concat(...) FROM (SELECT ... ORDER BY 1)". */
static char *table_rows_sql(sqlite3 *db, const char *table, int as_insert)
{
    char *cols = sqlite3_mprintf("SELECT group_concat(format('%%w', name), ', '),"
                                 " group_concat(format('quote(\"%%w\")', name), ' || '','' || ')"
                                 " FROM pragma_table_info(%Q)",
                                 table);
    sqlite3_stmt *s;
    char *sql = NULL;
    if (sqlite3_prepare_v2(db, cols, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW &&
        sqlite3_column_text(s, 0)) {
        const char *names = (const char *)sqlite3_column_text(s, 0);
        const char *values = (const char *)sqlite3_column_text(s, 1);
        if (as_insert)
            sql = sqlite3_mprintf("SELECT 'INSERT INTO \"%w\"(%s) VALUES (' || %s || ');' FROM \"%w\" ORDER BY rowid",
                                  table, names, values, table);
        else
            sql = sqlite3_mprintf("SELECT group_concat(line, char(10)) FROM (SELECT %s AS line FROM \"%w\""
                                  " ORDER BY 1)",
                                  values, table);
    }
    sqlite3_finalize(s);
    sqlite3_free(cols);
    return sql;
}

/* Everything in the store: its schema objects and the rows of every table
 * (FTS5's own included), for comparing two stores. */
static char *everything(sqlite3 *db)
{
    char *out = rows(db, "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name");
    char **tables = NULL;
    size_t n = 0;
    sqlite3_stmt *s;
    sqlite3_prepare_v2(db, "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type IN ('table', 'shadow')"
                           " AND name NOT LIKE 'sqlite%' ORDER BY name", -1, &s, NULL);
    while (sqlite3_step(s) == SQLITE_ROW) {
        tables = realloc(tables, (n + 1) * sizeof *tables);
        tables[n++] = strdup((const char *)sqlite3_column_text(s, 0));
    }
    sqlite3_finalize(s);
    for (size_t i = 0; i < n; i++) {
        char *sql = table_rows_sql(db, tables[i], 0);
        char *got = sql ? rows(db, sql) : strdup("(no columns)");
        size_t len = strlen(out) + strlen(tables[i]) + strlen(got) + 8;
        out = realloc(out, len + strlen(out) + 1);
        strcat(strcat(strcat(strcat(out, "== "), tables[i]), "\n"), got);
        free(got);
        sqlite3_free(sql);
        free(tables[i]);
    }
    free(tables);
    return out;
}

/* Appends text to a C string literal being written to f, escaped, in
 * pieces of at most 100 characters broken at spaces. */
static void write_literal(FILE *f, const char *text)
{
    while (*text) {
        size_t n = strlen(text);
        if (n > 100) {
            n = 100;
            while (n > 40 && text[n - 1] != ' ') n--;
        }
        fputs("    \"", f);
        for (size_t i = 0; i < n; i++) {
            if (text[i] == '"' || text[i] == '\\') fputc('\\', f);
            fputc(text[i], f);
        }
        fputs("\"\n", f);
        text += n;
    }
}

/* Writes core/lib/store_schema_now.c from db, a store the migrations made. */
static int write_snapshot(sqlite3 *db, const char *file)
{
    FILE *f = fopen(file, "w");
    if (!f) return -1;
    fprintf(f, "/* SPDX-License-Identifier: GPL-3.0-or-later */\n"
               "/*\n"
               " * store_schema_now.c -- the schema the %d migrations of store_schema.c lead\n"
               " * to, as SQL that makes it in an empty database, and the rows they leave\n"
               " * there: how a new store is made (omb_store_migrate).  Written by\n"
               " * tests/unit/test_migrate.c from a store the migrations made, which also\n"
               " * checks that the two agree; do not edit.  After adding a migration:\n"
               " *   OMBUDS_WRITE_SCHEMA_NOW=$PWD/core/lib/store_schema_now.c \\\n"
               " *     _build/plain/tests/unit/test_migrate\n"
               " */\n"
               "#include \"store_int.h\"\n\n"
               "const int omb_store_schema_now_version = %d;\n\n"
               "const char omb_store_schema_now[] =\n",
            omb_store_schema_version, omb_store_schema_version);
    sqlite3_stmt *s;
    /* schema objects in the order they were made (a trigger needs its
     * table), but FTS5's shadow tables, which its CREATE VIRTUAL TABLE makes */
    sqlite3_prepare_v2(db, "SELECT sql || ';' FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT IN"
                           " (SELECT name FROM pragma_table_list WHERE type = 'shadow') ORDER BY rowid", -1, &s, NULL);
    while (sqlite3_step(s) == SQLITE_ROW) write_literal(f, (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    /* the full-text index's settings, and its empty index written as the
     * migrations leave it (a rebuild writes the average-size record) */
    sqlite3_prepare_v2(db, "SELECT format('INSERT INTO search(search, rank) VALUES (%Q, %s);', k, quote(v))"
                           " FROM search_config WHERE k <> 'version' ORDER BY k", -1, &s, NULL);
    while (sqlite3_step(s) == SQLITE_ROW) write_literal(f, (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    write_literal(f, "INSERT INTO search(search) VALUES ('rebuild');");
    /* the rows of our tables, but the register's */
    sqlite3_prepare_v2(db, "SELECT l.name FROM pragma_table_list l JOIN sqlite_schema m ON m.name = l.name"
                           " WHERE l.schema = 'main' AND l.type = 'table' AND l.name NOT LIKE 'sqlite%'"
                           " ORDER BY m.rowid", -1, &s, NULL);
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *table = (const char *)sqlite3_column_text(s, 0);
        if (is_register_table(table)) continue;
        char *sql = table_rows_sql(db, table, 1);
        sqlite3_stmt *r;
        if (sql && sqlite3_prepare_v2(db, sql, -1, &r, NULL) == SQLITE_OK) {
            while (sqlite3_step(r) == SQLITE_ROW) write_literal(f, (const char *)sqlite3_column_text(r, 0));
            sqlite3_finalize(r);
        }
        sqlite3_free(sql);
    }
    sqlite3_finalize(s);
    fputs("    \"\";\n", f);
    return fclose(f);
}

static void remove_store(const char *path)
{
    char side[300];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

static void test_schema_now(void)
{
    char replayed[64], made[64], err[512];
    snprintf(replayed, sizeof replayed, "test_migrate_replay_%d.db", (int)getpid());
    snprintf(made, sizeof made, "test_migrate_now_%d.db", (int)getpid());
    omb_store *a = NULL, *b = NULL;
    TAP_INT(omb_store_open(replayed, OMB_STORE_REPLAY, &a, err, sizeof err), OMB_OK,
            "a new store made migration by migration");
    const char *file = getenv("OMBUDS_WRITE_SCHEMA_NOW");
    if (file && a) TAP_INT(write_snapshot(omb_store_db(a), file), 0, "writes the snapshot to %s", file);
    TAP_INT(omb_store_schema_now_version, omb_store_schema_version,
            "the snapshot is of the newest schema (else: OMBUDS_WRITE_SCHEMA_NOW, see store_schema_now.c)");
    TAP_INT(omb_store_open(made, 0, &b, err, sizeof err), OMB_OK, "a new store made from the snapshot");
    char *want = a ? everything(omb_store_db(a)) : NULL;
    char *got = b ? everything(omb_store_db(b)) : NULL;
    TAP_STR(got, want, "has the same version, tables, indexes, views, triggers and rows, word for word");
    free(want);
    free(got);
    expect_rows(b ? omb_store_db(b) : NULL, "PRAGMA user_version", "14\n", "and schema version 14");
    omb_store_close(a);
    omb_store_close(b);
    remove_store(replayed);
    remove_store(made);
}

int main(void)
{
    test_schema_now();
    char path[256], err[512];
    snprintf(path, sizeof path, "test_migrate_%d.db", (int)getpid());
    if (load_fixture(path)) {
        TAP_OK(0, "the schema-3 fixture loads");
        return tap_done();
    }
    sqlite3 *raw;
    sqlite3_open(path, &raw);
    char *facts_before = rows(raw, FACTS_SQL);
    char *cases_before = rows(raw, CASES_SQL);
    char *text_before = rows(raw, TEXT_SQL);
    char *found_before = rows(raw, FOUND_SQL);
    char *remedies_before = rows(raw, REMEDY_SQL);
    char *totals_before = rows(raw, "SELECT * FROM case_totals ORDER BY case_id");
    char *documents_before = rows(raw, DOCS_SQL);
    sqlite3_close(raw);
    TAP_INT(count_lines(remedies_before), 29, "the fixture holds 29 remedies");
    TAP_INT(count_lines(text_before), 25, "the fixture holds 25 searchable texts");
    TAP_INT(count_lines(found_before), 13, "of which 13 match 'remind OR review' (2 summaries, 11 improvements)");
    TAP_INT(count_lines(facts_before), 75, "the fixture holds 75 facts");
    TAP_INT(count_lines(cases_before), 13, "and 13 cases");

    omb_store *st = NULL;
    TAP_INT(omb_store_open(path, 0, &st, err, sizeof err), OMB_OK, "a schema-3 store opens read-write");
    sqlite3 *db = omb_store_db(st);
    expect_rows(db, "PRAGMA user_version", "14\n", "and is migrated to schema 14");
    expect_rows(db, FACTS_SQL, facts_before, "every fact keeps its case, document, field, value, line and order");
    expect_rows(db, CASES_SQL, cases_before, "the merged cases are unchanged");
    expect_rows(db, "SELECT count(*) FROM case_facts", "75\n", "old facts move one field to a case_facts row");
    expect_rows(db,
                "SELECT count(*) FROM documents WHERE name IS NULL OR instr(name, '/')"
                " OR path NOT LIKE '%/' || name",
                "0\n", "every document's name is filled from its path");
    expect_rows(db, "SELECT name FROM documents WHERE path LIKE '%outcome_column.txt'", "outcome_column.txt\n",
                "as its last component");
    expect_rows(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'facts' AND type = 'view'", "1\n",
                "facts is now a view");
    expect_rows(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'cases' AND type = 'view'", "1\n",
                "cases is a view since schema 9");
    expect_rows(db, "SELECT count(*) FROM case_rows c JOIN case_facts f ON f.id = c.summary_fact AND f.case_id = c.id",
                "10\n", "over case_rows, which points at each of the 10 summaries' case_facts row");

    /* schema 10: documents is a view over document_rows and document_dirs */
    TAP_INT(count_lines(documents_before), 11, "the fixture holds 11 documents");
    expect_rows(db, DOCS_SQL, documents_before, "every document keeps its id, path, hash, plugin, rank, size and date");
    expect_rows(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'documents' AND type = 'view'", "1\n",
                "documents is a view since schema 10");
    expect_rows(db, "SELECT count(*), sum(typeof(digest) = 'blob' AND length(digest) = 32) FROM document_rows",
                "11|11\n", "over document_rows, each hash kept as its 32 bytes");
    expect_rows(db, "SELECT count(*) FROM document_dirs", "2\n", "and each folder once (the fixture's two)");
    expect_rows(db, "PRAGMA foreign_key_check", "", "every reference to a document still holds");
    expect_rows(db, "PRAGMA foreign_keys", "1\n", "and foreign keys are on again after the migration");
    expect_rows(db, "SELECT count(*) FROM sqlite_schema WHERE sql LIKE '%REFERENCES documents(%'", "0\n",
                "no table refers to the view");
    expect_rows(db, "SELECT count(*) FROM sqlite_schema WHERE sql LIKE '%REFERENCES \"document_rows\"(id)%'", "7\n",
                "the seven tables of a document's contribution refer to document_rows");
    char *plan = rows(db, "EXPLAIN QUERY PLAN SELECT id FROM documents WHERE name = 'x.txt' AND path = '/a/x.txt'");
    TAP_OK(strstr(plan, "INDEX sqlite_autoindex_document_rows_1 (name=?)") && !strstr(plan, "SCAN"),
           "a path is found through the name's index (%s)", plan);
    free(plan);

    /* schema 11: the texts cases share are case_terms ids in case_rows */
    expect_rows(db,
                "SELECT count(*) FROM pragma_table_info('case_rows')"
                " WHERE name IN ('authority', 'category', 'subcategory', 'outcome')",
                "0\n", "case_rows holds no authority, category, sub-category or outcome text");
    expect_rows(db, "SELECT text FROM case_terms WHERE id = 1", "unknown\n", "case_terms: 'unknown' is id 1");
    expect_rows(db,
                "SELECT count(*) FROM case_rows c WHERE c.category_id NOT IN (SELECT id FROM case_terms)"
                " OR c.authority_id NOT IN (SELECT id FROM case_terms) OR c.outcome_id NOT IN (SELECT id FROM case_terms)",
                "0\n", "every id of case_rows is a term");
    expect_rows(db,
                "SELECT count(*) FROM subject_map m WHERE NOT EXISTS (SELECT 1 FROM case_terms t WHERE t.text = m.category)",
                "0\n", "and so is every category of the subject map");
    /* schema 12: and so are case_facts' */
    expect_rows(db,
                "SELECT count(*) FROM pragma_table_info('case_fact_rows')"
                " WHERE name IN ('authority', 'category', 'subcategory', 'outcome')",
                "0\n", "case_fact_rows holds no authority, category, sub-category or outcome text either");
    expect_rows(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'case_facts' AND type = 'view'", "1\n",
                "case_facts is a view since schema 12");
    expect_rows(db,
                "SELECT count(*) FROM case_fact_rows f WHERE f.authority_id NOT IN (SELECT id FROM case_terms)"
                " OR f.category_id NOT IN (SELECT id FROM case_terms) OR f.outcome_id NOT IN (SELECT id FROM case_terms)",
                "0\n", "whose ids are terms");
    expect_rows(db, "SELECT count(*) FROM case_facts WHERE authority = 'Leeds City Council'", "4\n",
                "and read back as texts (Leeds: an annex of three cases and a decision)");
    char *terms = rows(db, "SELECT * FROM case_terms ORDER BY id");
    TAP_INT(sqlite3_exec(db,
                         "INSERT OR REPLACE INTO subject_map(subject, category, subcategory)"
                         " VALUES ('EHC plans', 'Education', 'Special educational needs'),"
                         " ('Tree preservation', 'Planning', 'Trees and hedges')",
                         NULL, NULL, NULL),
            SQLITE_OK, "the subject map loaded with INSERT OR REPLACE, as ombuds does");
    char *terms_after = rows(db, "SELECT * FROM case_terms WHERE text <> 'Trees and hedges' ORDER BY id");
    TAP_STR(terms_after, terms, "keeps the id of every term it names again, adding the one it lacked");
    free(terms_after);
    free(terms);
    expect_rows(db, "SELECT count(*) FROM case_terms WHERE text = 'Trees and hedges'", "1\n",
                "(the new sub-category is a term)");
    plan = rows(db, "EXPLAIN QUERY PLAN SELECT count(*) FROM cases WHERE category = 'Education'");
    TAP_OK(strstr(plan, "INDEX cases_category (category_id=?)") != NULL, "a category is found through its index (%s)",
           plan);
    free(plan);

    /* the view takes the hand corrections users make in sqlite3 */
    TAP_INT(sqlite3_exec(db,
                         "INSERT INTO documents(path, sha256, plugin, plugin_version, rank, size, ingested_at, n_cases)"
                         " VALUES ('/elsewhere/by hand.txt', 'not a hash', 'decision_page', '1.0', 90, 12,"
                         " '2026-12-03T00:00:00Z', 0)",
                         NULL, NULL, NULL),
            SQLITE_OK, "a document inserted through the view");
    expect_rows(db, "SELECT id, name, sha256, size FROM documents WHERE path = '/elsewhere/by hand.txt'",
                "12|by hand.txt|not a hash|12\n", "reads back with its name split off and its hash as given");
    TAP_INT(sqlite3_exec(db, "UPDATE documents SET path = '/moved/here.txt', note = 'moved' WHERE id = 12", NULL, NULL,
                         NULL),
            SQLITE_OK, "a path changed through the view");
    expect_rows(db, "SELECT d.name, p.path, d.note FROM document_rows d JOIN document_dirs p ON p.id = d.dir_id"
                    " WHERE d.id = 12",
                "here.txt|/moved/|moved\n", "moves it to another folder row and name");
    expect_rows(db, "SELECT sha256 FROM documents WHERE id = 1",
                "f4d037f0610079d31aee624a835d082772f083ada90adba1abb59f5d12dec9ff\n",
                "an untouched hash reads back as its 64 hex digits");
    TAP_INT(sqlite3_exec(db, "UPDATE documents SET note = 'checked' WHERE id = 1", NULL, NULL, NULL), SQLITE_OK,
            "another column changed through the view");
    expect_rows(db, "SELECT typeof(digest), length(digest), note FROM document_rows WHERE id = 1", "blob|32|checked\n",
                "leaves the hash's bytes alone");
    TAP_INT(sqlite3_exec(db, "DELETE FROM documents WHERE id = 12", NULL, NULL, NULL), SQLITE_OK,
            "a document deleted through the view");
    expect_rows(db, "SELECT count(*) FROM document_rows WHERE id = 12", "0\n", "is gone from document_rows");
    TAP_INT(sqlite3_exec(db,
                         "INSERT INTO case_facts(id, case_id, document_id, category, category_line, outcome, outcome_line)"
                         " VALUES (500, 1, 1, 'Hand-made category', 3, 'upheld', 4)",
                         NULL, NULL, NULL),
            SQLITE_OK, "a fact inserted through case_facts");
    expect_rows(db, "SELECT category, category_line, outcome, authority FROM case_facts WHERE id = 500",
                "Hand-made category|3|upheld|NULL\n", "reads back, its new category made a term");
    TAP_INT(sqlite3_exec(db, "UPDATE case_facts SET category = 'Another category', outcome_line = 5 WHERE id = 500",
                         NULL, NULL, NULL),
            SQLITE_OK, "updated through case_facts");
    expect_rows(db, "SELECT category, outcome, outcome_line FROM case_facts WHERE id = 500",
                "Another category|upheld|5\n", "changes the category and keeps the rest");
    TAP_INT(sqlite3_exec(db, "DELETE FROM case_facts WHERE id = 500", NULL, NULL, NULL), SQLITE_OK,
            "deleted through case_facts");
    expect_rows(db, "SELECT count(*) FROM case_fact_rows WHERE id = 500", "0\n", "is gone from case_fact_rows");

    /* the merge rule reads case_facts: re-merging every case changes nothing */
    TAP_INT(omb_store_remerge_all(st, err, sizeof err), OMB_OK, "every case re-merges from case_facts");
    expect_rows(db, CASES_SQL, cases_before, "and the re-merged cases equal the stored ones");
    sqlite3_exec(db,
                 "INSERT INTO case_facts(case_id, document_id, authority, authority_line)"
                 " VALUES ((SELECT min(id) FROM cases), 1, 'Nowhere Borough Council', 3)",
                 NULL, NULL, NULL);
    expect_rows(db, "SELECT name, cases FROM unmatched_authorities", "Nowhere Borough Council|1\n",
                "unmatched_authorities reads case_facts");
    expect_rows(db, "SELECT count(*) FROM search WHERE search MATCH 'council'", "15\n",
                "the full-text index survives the migration");
    /* schema 5: search_hits says which case and document each match is in */
    char *hits = rows(db, "SELECT t.id, c.ref, d.path, t.kind FROM search JOIN search_text t ON t.id = search.rowid"
                          " JOIN cases c ON c.id = t.case_id JOIN documents d ON d.id = t.document_id"
                          " WHERE search MATCH 'council' ORDER BY t.id");
    expect_rows(db, "SELECT text_id, ref, document, kind FROM search_hits WHERE search MATCH 'council' ORDER BY text_id",
                hits, "search_hits gives each match's text, case reference, document and kind");
    free(hits);
    expect_rows(db, "SELECT ref, document, kind FROM search_hits WHERE search MATCH '\"suitability review\"'",
                "23 016 907|/work/main/tests/golden/annex_table/outcome_column.txt|improvement\n",
                "a match in an annex improvement names case 23 016 907 and the annex");
    expect_rows(db, "SELECT count(*) FROM search_hits WHERE search MATCH '\"suitability review\"' AND rank < 0", "1\n",
                "and carries the FTS5 rank");
    expect_rows(db, TEXT_SQL, text_before, "every searchable text is kept, with its case, document and kind");
    expect_rows(db, FOUND_SQL, found_before, "and a search finds the same texts with the same snippets");
    expect_rows(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'search_text' AND type = 'view'", "1\n",
                "search_text is a view over case_facts and improvements (each text stored once)");
    expect_rows(db, "SELECT count(*) FROM case_facts c JOIN improvements i ON i.id = c.id", "0\n",
                "whose ids never meet");
    TAP_INT(sqlite3_exec(db, "INSERT INTO search(search, rank) VALUES ('integrity-check', 1)", NULL, NULL, NULL),
            SQLITE_OK, "the index agrees with the texts");
    plan = rows(db, "EXPLAIN QUERY PLAN SELECT ref, kind, document FROM search_hits WHERE search MATCH 'review'"
                          " ORDER BY rank LIMIT 3");
    TAP_OK(!strstr(plan, "MATERIALIZE") && !strstr(plan, "AUTOMATIC") && !strstr(plan, "SCAN case_facts") &&
               !strstr(plan, "SCAN improvements"),
           "a ranked search reaches each text by its id, without copying them all first");
    free(plan);
    expect_rows(db, REMEDY_SQL, remedies_before, "remedies, copied into their new table, are unchanged");
    expect_rows(db, "SELECT * FROM case_totals ORDER BY case_id", totals_before, "and so are the case totals");
    /* schema 13: the totals of a few cases are found from their remedies */
    char *plan13 = rows(db, "EXPLAIN QUERY PLAN SELECT c.ref, t.payment_pence, t.n_remedies FROM cases c"
                            " JOIN case_totals t ON t.case_id = c.id WHERE c.authority = 'Leeds City Council'");
    TAP_OK(!strstr(plan13, "MATERIALIZE") && !strstr(plan13, "CO-ROUTINE") && !strstr(plan13, "SCAN r") &&
               !strstr(plan13, "SCAN c"),
           "one council's totals are read without summing every case (%s)", plan13);
    free(plan13);
    /* schema 14: every text once, in texts */
    expect_rows(db, "SELECT count(*) = count(DISTINCT text), count(*) > 0 FROM texts", "1|1\n",
                "schema 14: each summary, remedy and improvement text is stored once");
    expect_rows(db,
                "SELECT count(*) FROM texts WHERE id NOT IN (SELECT summary_id FROM case_fact_rows WHERE summary_id"
                " IS NOT NULL UNION SELECT text_id FROM remedy_rows UNION SELECT text_id FROM improvement_rows)",
                "0\n", "and every stored text is named by a row");
    char *plan14 = rows(db, "EXPLAIN QUERY PLAN SELECT id FROM texts WHERE length(text) = length(?1)"
                            " AND substr(text, -16) = substr(?1, -16) AND +text = ?1");
    TAP_OK(strstr(plan14, "texts_key") != NULL, "a text is found by its length and ending (%s)", plan14);
    free(plan14);
    int n_texts = one_int(db, "SELECT count(*) FROM texts");
    TAP_INT(sqlite3_exec(db,
                         "INSERT INTO remedies(case_id, document_id, kind, text, line) SELECT 1, 1, 'apology',"
                         " text, 99 FROM remedies WHERE id = (SELECT min(id) FROM remedies)",
                         NULL, NULL, NULL),
            SQLITE_OK, "a remedy with a text already stored goes in through the remedies view");
    TAP_INT(one_int(db, "SELECT count(*) FROM texts"), n_texts, "and names the stored text instead of a copy");
    expect_rows(db, "SELECT count(*) FROM remedies r WHERE line = 99 AND text = (SELECT text FROM remedies"
                    " WHERE id = (SELECT min(id) FROM remedies))", "1\n", "which the view reads back");
    sqlite3_exec(db, "INSERT INTO improvements(case_id, document_id, text, line) VALUES (1, 1, 'A text of its own.', 98)",
                 NULL, NULL, NULL);
    TAP_INT(one_int(db, "SELECT count(*) FROM texts"), n_texts + 1, "a new improvement's text is added once");
    sqlite3_exec(db, "DELETE FROM improvements WHERE line = 98; DELETE FROM remedies WHERE line = 99", NULL, NULL, NULL);
    TAP_INT(one_int(db, "SELECT count(*) FROM texts"), n_texts + 1, "deleting the rows leaves the texts");
    TAP_INT(sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) || omb_store_sweep_texts(st, err, sizeof err) ||
                sqlite3_exec(db, "COMMIT", NULL, NULL, NULL),
            0, "until the sweep");
    TAP_INT(one_int(db, "SELECT count(*) FROM texts"), n_texts, "which removes the one nothing names");
    TAP_INT(sqlite3_exec(db, "INSERT INTO remedies(case_id, document_id, kind, text, line) VALUES (1, 1, 'gift', 'x', 1)",
                         NULL, NULL, NULL),
            SQLITE_CONSTRAINT_CHECK, "a remedy of an unknown kind is still refused");
    TAP_INT(sqlite3_exec(db,
                         "INSERT INTO remedies(case_id, document_id, kind, amount_pence, text, line)"
                         " VALUES (1, 1, 'payment', -5, 'x', 1)",
                         NULL, NULL, NULL),
            SQLITE_CONSTRAINT_CHECK, "and so is a negative amount");
    omb_store_close(st);

    /* a read-only open of an old store (ombuds sql, export, metric) upgrades it */
    load_fixture(path);
    TAP_INT(omb_store_open(path, OMB_STORE_READONLY, &st, err, sizeof err), OMB_OK,
            "a schema-3 store opens read-only");
    expect_rows(st ? omb_store_db(st) : NULL, "PRAGMA user_version", "14\n", "and was upgraded first");
    expect_rows(st ? omb_store_db(st) : NULL, FACTS_SQL, facts_before, "with the same facts");
    omb_store_close(st);
    load_fixture(path);
    st = NULL;
    TAP_INT(omb_store_open(path, OMB_STORE_READONLY | OMB_STORE_NO_UPGRADE, &st, err, sizeof err), OMB_ESTORE,
            "with NO_UPGRADE an old store is refused");
    TAP_OK(strstr(err, "schema 3, expected 14") != NULL, "naming both versions (%s)", err);

    free(facts_before);
    free(documents_before);
    free(cases_before);
    free(text_before);
    free(found_before);
    free(remedies_before);
    free(totals_before);
    remove_store(path);
    return tap_done();
}
