/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_store.c -- unit tests for store.c: a document is written whole or not
 * at all, the same document twice changes nothing, a new version at the same
 * path replaces the old one's contribution, facts from several documents are
 * merged by the rank rule with every value kept, and provenance lines survive.
 */
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../tap.h"
#include "case.h"
#include "store_int.h" /* checkpoint_pages, lowered to test store_checkpoint.c */

#include <sys/stat.h>

static char db_path[256];

static sqlite3_int64 one_int(omb_store *st, const char *sql)
{
    sqlite3_stmt *s;
    sqlite3_int64 v = -1;
    if (sqlite3_prepare_v2(omb_store_db(st), sql, -1, &s, NULL) != SQLITE_OK) return -2;
    if (sqlite3_step(s) == SQLITE_ROW) v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static char text_buf[512];
static const char *one_text(omb_store *st, const char *sql)
{
    sqlite3_stmt *s;
    const char *r = NULL;
    if (sqlite3_prepare_v2(omb_store_db(st), sql, -1, &s, NULL) != SQLITE_OK) return "(sql error)";
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0)) {
        snprintf(text_buf, sizeof text_buf, "%s", (const char *)sqlite3_column_text(s, 0));
        r = text_buf;
    }
    sqlite3_finalize(s);
    return r;
}

/* A case with a reference, authority and one payment. */
static omb_case *make_case(const char *ref, const char *authority, int64_t pence, const char *improvement, size_t line)
{
    omb_case *c = omb_case_new(line);
    if (ref) {
        omb_case_set(c, OMB_FIELD_REF, ref, line);
        c->ref_written = strdup(ref);
    }
    omb_case_set(c, OMB_FIELD_AUTHORITY, authority, line);
    omb_case_set(c, OMB_FIELD_OUTCOME, "upheld", line + 1);
    omb_case_set(c, OMB_FIELD_DECISION_DATE, "2023-01-20", line + 2);
    if (pence) omb_case_add_remedy(c, OMB_REMEDY_PAYMENT, pence, "avoidable distress", "pay", 3, line + 3);
    if (improvement) omb_case_add_improvement(c, improvement, strlen(improvement), line + 4);
    return c;
}

static void add_case(struct omb_sink *s, omb_case *c)
{
    s->cases = realloc(s->cases, (s->n_cases + 1) * sizeof *s->cases);
    s->cases[s->n_cases++] = c;
}

static int write_doc(omb_store *st, const char *path, const char *sha, int rank, struct omb_sink *s, int *result)
{
    char err[512];
    struct omb_doc_meta m = {path, sha, "test", "1", rank, 100, NULL};
    int rc = omb_store_write(st, &m, s, result, err, sizeof err);
    if (rc) printf("# store error: %s\n", err);
    return rc;
}

/* Deletes a test store and its WAL and shared-memory files. */
static void remove_store(const char *path)
{
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        char name[320];
        snprintf(name, sizeof name, "%s%s", path, suffixes[i]);
        unlink(name);
    }
}

static long long file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (long long)sb.st_size : 0;
}

/* A batch's WAL is copied into the database on a thread of its own
 * (store_checkpoint.c).  With the threshold lowered to 16 pages and a commit
 * every 10 documents: the database file grows while the batch is still open
 * (the copies happen); the WAL stays a few commits long, shorter than the
 * database (it starts again after each copy instead of holding everything
 * written); and every case is there after the batch and after reopening. */
static void test_batch_checkpoints(void)
{
    char path[300], wal[310], err[512];
    snprintf(path, sizeof path, "test_store_ckpt_%d.db", (int)getpid());
    snprintf(wal, sizeof wal, "%s-wal", path);
    omb_store *st;
    TAP_INT(omb_store_open(path, 0, &st, err, sizeof err), OMB_OK, "checkpoints: open a new store");
    st->checkpoint_pages = 16;
    omb_store_batch_begin(st);
    TAP_OK(st->checkpointer != NULL, "checkpoints: a batch starts its checkpointing thread");
    long long db_before = file_size(path), wal_max = 0;
    char summary[1500], ref[16], doc[64], sha[16];
    int failures = 0, n = 800;
    for (int i = 0; i < n; i++) {
        struct omb_sink s;
        snprintf(doc, sizeof doc, "decision-%d.txt", i);
        snprintf(sha, sizeof sha, "c%05d", i);
        snprintf(ref, sizeof ref, "23 %03d %03d", i / 1000, i % 1000);
        omb_sink_init(&s, "", 0, doc, "test");
        omb_case *c = make_case(ref, "Somerset Council", 100 * (i + 1), NULL, 1);
        /* a long summary, so that the batch writes megabytes (1.2 MB of
         * summaries, stored once, and their index) */
        int k = snprintf(summary, sizeof summary, "Case %d: ", i);
        while (k < (int)sizeof summary - 40) k += snprintf(summary + k, sizeof summary - (size_t)k, "word%d ", k % 97);
        omb_case_set(c, OMB_FIELD_SUMMARY, summary, 5);
        add_case(&s, c);
        int result = 0;
        if (write_doc(st, doc, sha, 90, &s, &result)) failures++;
        omb_sink_clear(&s);
        if (i % 10 == 9) {
            if (omb_store_batch_commit(st, err, sizeof err)) failures++;
            if (file_size(wal) > wal_max) wal_max = file_size(wal);
        }
    }
    TAP_INT(failures, 0, "checkpoints: %d documents written in 80 commits", n);
    long long db_during = file_size(path);
    TAP_OK(db_during > db_before + 1500000, "checkpoints: the database grew while the batch was open (%lld -> %lld bytes)",
           db_before, db_during);
    /* Without the writer's last copy the WAL never started again and grew
     * to three times the database; with it, it stays one to three commits
     * long (0.8 MB here, 2.7 MB with the thread starved by other work). */
    TAP_OK(wal_max < db_during, "checkpoints: the WAL stayed shorter than the database (at most %lld bytes)", wal_max);
    TAP_INT(omb_store_batch_end(st, err, sizeof err), OMB_OK, "checkpoints: the batch ends");
    TAP_OK(st->checkpointer == NULL, "checkpoints: the thread is joined at the batch's end");
    TAP_INT(one_int(st, "SELECT count(*) FROM cases"), n, "checkpoints: every case is stored");
    omb_store_close(st);
    TAP_INT(omb_store_open(path, OMB_STORE_READONLY, &st, err, sizeof err), OMB_OK, "checkpoints: reopen read-only");
    TAP_INT(one_int(st, "SELECT count(*) FROM cases WHERE length(summary) > 1000"), n,
            "checkpoints: every case and its summary is there after reopening");
    TAP_INT(one_int(st, "SELECT sum(amount_pence) FROM remedies"), 100LL * n * (n + 1) / 2,
            "checkpoints: every payment is there after reopening");
    omb_store_close(st);
    remove_store(path);
}

/* The register's name for each spelling is asked once a transaction
 * (store_names.c): a spelling the register learns between two transactions,
 * inside a batch or not, is stored under the register's name from the next
 * one on, and a known spelling with other punctuation and case finds it too. */
static void test_register_names(void)
{
    char path[300], err[512];
    snprintf(path, sizeof path, "test_store_names_%d.db", (int)getpid());
    omb_store *st;
    TAP_INT(omb_store_open(path, 0, &st, err, sizeof err), OMB_OK, "names: open a new store");
    static const char *const refs[] = {"24 000 001", "24 000 002", "24 000 003", "24 000 004"};
    static const char *const spellings[] = {"Northshire Council", "NORTHSHIRE  council", "Northshire Council",
                                            "Northshire, Council"};
    int failures = 0;
    for (int i = 0; i < 4; i++) {
        if (i == 1) /* the register learns the spelling between two documents */
            failures += sqlite3_exec(omb_store_db(st),
                                     "INSERT INTO authorities(name) VALUES ('Northshire County Council');"
                                     "INSERT INTO authority_names(name, authority_id, name_key) SELECT"
                                     " 'Northshire Council', id, 'northshire council' FROM authorities"
                                     " WHERE name = 'Northshire County Council'",
                                     NULL, NULL, NULL) != SQLITE_OK;
        if (i == 2) omb_store_batch_begin(st);
        struct omb_sink s;
        char doc[32], sha[16];
        snprintf(doc, sizeof doc, "names-%d.txt", i);
        snprintf(sha, sizeof sha, "n%d", i);
        omb_sink_init(&s, "", 0, doc, "test");
        add_case(&s, make_case(refs[i], spellings[i], 0, NULL, 1));
        int result = 0;
        failures += write_doc(st, doc, sha, 90, &s, &result) != OMB_OK;
        omb_sink_clear(&s);
    }
    failures += omb_store_batch_end(st, err, sizeof err) != OMB_OK;
    TAP_INT(failures, 0, "names: four documents written");
    TAP_STR(one_text(st, "SELECT authority FROM cases WHERE ref = '24 000 001'"), "Northshire Council",
            "names: before the register knows it, the spelling is kept");
    TAP_STR(one_text(st, "SELECT group_concat(authority, '|') FROM (SELECT authority FROM cases"
                         " WHERE ref > '24 000 001' ORDER BY ref)"),
            "Northshire County Council|Northshire County Council|Northshire County Council",
            "names: afterwards every spelling finds the register's name, in a batch or not");
    TAP_STR(one_text(st, "SELECT group_concat(authority, '|') FROM (SELECT authority FROM case_facts ORDER BY id)"),
            "Northshire Council|NORTHSHIRE  council|Northshire Council|Northshire, Council",
            "names: each document's own spelling is kept as its fact");
    omb_store_close(st);
    remove_store(path);
}

/* Writes one document of one case with a summary (rank 50 or 90). */
static int write_summary_doc(omb_store *st, const char *path, const char *sha, int rank, const char *ref,
                             const char *summary)
{
    struct omb_sink s;
    omb_sink_init(&s, "", 0, path, "test");
    omb_case *c = make_case(ref, "Somerset Council", 0, NULL, 1);
    omb_case_set(c, OMB_FIELD_SUMMARY, summary, 6);
    add_case(&s, c);
    int result = 0, rc = write_doc(st, path, sha, rank, &s, &result);
    omb_sink_clear(&s);
    return rc;
}

/* Schema 9: a case keeps the id of the case_facts row whose summary it
 * shows, not a copy; `cases` is a view that reads it, follows the merge as
 * documents come and go, and takes hand corrections but of the summary. */
/* A batch into an empty store leaves the full-text index to one rebuild at
 * its end: until then its texts are listed (search_rows) but not indexed;
 * a document replaced during the batch brings the index up first, so its
 * delete trigger only removes what the index holds; and a store copied
 * after a commit, as an ingest killed before its end leaves it, is rebuilt
 * when it is next opened read-write. */
static void test_deferred_search(void)
{
    char path[64], copy[80], err[512];
    int result;
    snprintf(path, sizeof path, "test_store_fts_%d.db", (int)getpid());
    snprintf(copy, sizeof copy, "%s.copy", path);
    remove_store(path);
    remove_store(copy);
    omb_store *st = NULL;
    TAP_INT(omb_store_open(path, 0, &st, err, sizeof err), OMB_OK, "deferred search: a new store");
    if (!st) return;
    omb_store_batch_begin(st);
    static const char *const words[] = {"alpha", "bravo", "charlie"};
    for (int i = 0; i < 3; i++) {
        char name[32], ref[16], text[64];
        snprintf(name, sizeof name, "page-%d.txt", i);
        snprintf(ref, sizeof ref, "23 000 %03d", 300 + i);
        snprintf(text, sizeof text, "Review the %s procedure", words[i]);
        struct omb_sink s;
        omb_sink_init(&s, "", 0, name, "test");
        add_case(&s, make_case(ref, "Somerset Council", 100, text, 1));
        omb_case_set(s.cases[0], OMB_FIELD_SUMMARY, text, 2);
        write_doc(st, name, i == 0 ? "f001" : i == 1 ? "f002" : "f003", 90, &s, &result);
        omb_sink_clear(&s);
    }
    TAP_INT(omb_store_batch_commit(st, err, sizeof err), OMB_OK, "deferred search: three documents committed");
    TAP_INT(one_int(st, "SELECT count(*) FROM search_rows"), 6, "deferred search: their six texts listed");
    TAP_INT(one_int(st, "SELECT count(*) FROM search_docsize"), 0, "deferred search: and not yet indexed");
    sqlite3_exec(omb_store_db(st), "VACUUM INTO 'test_store_fts_copy.tmp'", NULL, NULL, NULL);
    rename("test_store_fts_copy.tmp", copy);
    /* the same page again, changed: bravo gives way to delta */
    struct omb_sink s;
    omb_sink_init(&s, "", 0, "page-1.txt", "test");
    add_case(&s, make_case("23 000 301", "Somerset Council", 100, "Review the delta procedure", 1));
    omb_case_set(s.cases[0], OMB_FIELD_SUMMARY, "Review the delta procedure", 2);
    TAP_INT(write_doc(st, "page-1.txt", "f004", 90, &s, &result), OMB_OK, "deferred search: a page replaced in the batch");
    TAP_INT(result, OMB_DOC_UPDATED, "deferred search: as an update");
    omb_sink_clear(&s);
    TAP_INT(omb_store_batch_end(st, err, sizeof err), OMB_OK, "deferred search: the batch ends");
    TAP_INT(one_int(st, "SELECT count(*) FROM search_hits WHERE search MATCH 'alpha OR charlie OR delta'"), 6,
            "deferred search: the index finds every summary and improvement after it");
    TAP_INT(one_int(st, "SELECT count(*) FROM search_docsize"), 3,
            "deferred search: each page's summary and improvement, one text, indexed once");
    TAP_INT(one_int(st, "SELECT count(*) FROM search WHERE search MATCH 'bravo'"), 0,
            "deferred search: and nothing of the replaced page");
    TAP_INT(one_int(st, "SELECT count(*) FROM texts WHERE text LIKE '%bravo%'"), 0,
            "the replaced page's text, which nothing names now, is swept at the batch's end");
    TAP_INT(one_int(st, "SELECT count(*) FROM texts WHERE text LIKE '%delta%'"), 1, "and its new text stored once");
    TAP_INT(sqlite3_exec(omb_store_db(st), "INSERT INTO search(search, rank) VALUES ('integrity-check', 1)", NULL,
                         NULL, NULL),
            SQLITE_OK, "deferred search: the index agrees with the texts");
    omb_store_close(st);
    st = NULL;
    TAP_INT(omb_store_open(copy, 0, &st, err, sizeof err), OMB_OK,
            "deferred search: the store as a killed ingest left it opens read-write");
    TAP_INT(st ? one_int(st, "SELECT count(*) FROM search_hits WHERE search MATCH 'alpha OR bravo OR charlie'") : -1,
            6, "deferred search: and is indexed again");
    TAP_INT(st ? sqlite3_exec(omb_store_db(st), "INSERT INTO search(search, rank) VALUES ('integrity-check', 1)",
                              NULL, NULL, NULL)
               : -1,
            SQLITE_OK, "deferred search: soundly");
    omb_store_close(st);
    remove_store(path);
    remove_store(copy);
}

static void test_summary_once(void)
{
    char path[300], err[512];
    snprintf(path, sizeof path, "test_store_summary_%d.db", (int)getpid());
    omb_store *st;
    TAP_INT(omb_store_open(path, 0, &st, err, sizeof err), OMB_OK, "summary: open a new store");
    int failures = write_summary_doc(st, "s-annex.txt", "s1", 50, "24 100 001", "The annex's summary.") +
                   write_summary_doc(st, "s-decision.txt", "s2", 90, "24 100 001", "The decision's summary.");
    TAP_INT(failures, 0, "summary: an annex and a decision page of one case written");
    TAP_STR(one_text(st, "SELECT summary FROM cases WHERE ref = '24 100 001'"), "The decision's summary.",
            "summary: the better-ranked document's summary is shown");
    TAP_INT(one_int(st, "SELECT count(*) FROM pragma_table_info('case_rows') WHERE name = 'summary'"), 0,
            "summary: case_rows holds no copy of it");
    TAP_STR(one_text(st, "SELECT d.path FROM case_rows c JOIN case_facts f ON f.id = c.summary_fact"
                         " JOIN documents d ON d.id = f.document_id"),
            "s-decision.txt", "summary: it points at the decision page's facts");

    /* a new version of a document drops its case and brings another: the
     * new case's row must point at its own facts, whatever ids were freed */
    failures = write_summary_doc(st, "s-other.txt", "s3", 90, "24 100 002", "The first version's summary.") +
               write_summary_doc(st, "s-other.txt", "s4", 90, "24 100 003", "The second version's summary.");
    TAP_INT(failures, 0, "summary: a document written and replaced");
    TAP_INT(one_int(st, "SELECT count(*) FROM cases WHERE ref = '24 100 002'"), 0,
            "summary: the case only the first version had is gone");
    TAP_STR(one_text(st, "SELECT summary FROM cases WHERE ref = '24 100 003'"), "The second version's summary.",
            "summary: the new case shows its own summary");

    /* the decision page loses the case: the annex's summary comes back */
    struct omb_sink s;
    omb_sink_init(&s, "", 0, "s-decision.txt", "test");
    add_case(&s, make_case("24 100 009", "Somerset Council", 0, NULL, 1));
    int result = 0;
    TAP_INT(write_doc(st, "s-decision.txt", "s5", 90, &s, &result), OMB_OK, "summary: the decision page replaced");
    omb_sink_clear(&s);
    TAP_STR(one_text(st, "SELECT summary FROM cases WHERE ref = '24 100 001'"), "The annex's summary.",
            "summary: the re-merge falls back to the annex's");
    TAP_OK(one_text(st, "SELECT summary FROM cases WHERE ref = '24 100 009'") == NULL,
           "summary: a case whose document gives none has none");

    /* hand corrections through the view */
    sqlite3 *db = omb_store_db(st);
    TAP_INT(sqlite3_exec(db, "UPDATE cases SET authority = 'Mendip District Council' WHERE ref = '24 100 001'", NULL,
                         NULL, NULL),
            SQLITE_OK, "summary: the view takes an update of the authority");
    TAP_STR(one_text(st, "SELECT authority || ' / ' || summary FROM cases WHERE ref = '24 100 001'"),
            "Mendip District Council / The annex's summary.", "summary: which changes that and keeps the summary");
    char *msg = NULL;
    TAP_INT(sqlite3_exec(db, "UPDATE cases SET summary = 'Mine.' WHERE ref = '24 100 001'", NULL, NULL, &msg) & 0xff,
            SQLITE_CONSTRAINT, "summary: an update of the summary is refused");
    TAP_OK(msg && strstr(msg, "case_facts"), "summary: saying where to change it (%s)", msg ? msg : "no message");
    sqlite3_free(msg);
    /* a fact deleted by hand leaves no pointer at a row id a later fact reuses */
    TAP_INT(sqlite3_exec(db, "DELETE FROM case_facts WHERE case_id = (SELECT id FROM cases WHERE ref = '24 100 003')",
                         NULL, NULL, NULL),
            SQLITE_OK, "summary: a case's facts deleted by hand");
    TAP_INT(one_int(st, "SELECT count(*) FROM case_rows WHERE ref = '24 100 003' AND summary_fact IS NULL"), 1,
            "summary: the case's pointer is cleared");
    TAP_INT(sqlite3_exec(db, "DELETE FROM cases WHERE ref = '24 100 003'", NULL, NULL, NULL), SQLITE_OK,
            "summary: the view takes a delete");
    TAP_INT(one_int(st, "SELECT count(*) FROM case_rows WHERE ref = '24 100 003'"), 0, "summary: which removes the case");
    TAP_STR(one_text(st, "PRAGMA integrity_check"), "ok", "summary: integrity check");
    TAP_INT(one_int(st, "SELECT count(*) FROM pragma_foreign_key_check"), 0, "summary: no dangling references");
    omb_store_close(st);
    remove_store(path);
}

/* Every row of a query as one string, columns joined by '|', rows by
 * newlines (malloc'd). */
static char *all_rows(omb_store *st, const char *sql)
{
    sqlite3_stmt *s;
    size_t n = 0, cap = 4096;
    char *out = malloc(cap);
    out[0] = '\0';
    if (sqlite3_prepare_v2(omb_store_db(st), sql, -1, &s, NULL) != SQLITE_OK) return out;
    while (sqlite3_step(s) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(s); i++) {
            const char *v = (const char *)sqlite3_column_text(s, i);
            size_t k = strlen(v ? v : "NULL") + 2;
            if (n + k + 1 > cap) out = realloc(out, cap = 2 * (n + k + 1));
            n += (size_t)sprintf(out + n, "%s%s", v ? v : "NULL", i + 1 < sqlite3_column_count(s) ? "|" : "\n");
        }
    }
    sqlite3_finalize(s);
    return out;
}

static unsigned next_random(unsigned *state)
{
    *state = *state * 1103515245u + 12345u;
    return (*state >> 16) & 0x7fff;
}

/* The shortcuts of merge_mention (store_write.c) against the merge rule:
 * documents of three ranks mention 250 cases, each field given a third of
 * the time or less (so that many cases lack a field, and the subject map,
 * which knows one of the council subjects, gives their category), with
 * "unknown" outcomes, cases mentioned twice in one document and new
 * versions replacing documents; afterwards re-merging every case from its
 * facts must change nothing.  Both shortcuts must have run.  (Each of the
 * conditions that send a mention to the full merge was checked to be
 * needed: without it, this test fails.) */
static void test_merge_shortcuts(int batched)
{
    char path[300], err[512];
    snprintf(path, sizeof path, "test_store_merge_%d_%d.db", batched, (int)getpid());
    omb_store *st;
    TAP_INT(omb_store_open(path, 0, &st, err, sizeof err), OMB_OK, "merge (%s): open a new store",
            batched ? "batched" : "a transaction each");
    static const int ranks[] = {50, 70, 90};
    static const char *const authorities[] = {"Somerset Council", "Kent County Council", "Leeds City Council"};
    static const char *const categories[] = {"Education", "Housing", "Adult care services"};
    static const char *const subcategories[] = {"School transport", "Homelessness", "Charging"};
    static const char *const subjects[] = {"Handling of Education, Health and Care Plan.", "School Transport appeals",
                                           "Waste"};
    static const char *const outcomes[] = {"upheld", "not upheld", "unknown"};
    static const char *const dates[] = {"2023-01-20", "2022-11-02", "2024-03-15"};
    unsigned seed = 20261202u + (unsigned)batched;
    int failures = 0;
    if (batched) omb_store_batch_begin(st);
    char ref[16] = "";
    for (int d = 0; d < 500; d++) {
        char doc[48], sha[16], text[64];
        /* one document in eight is a new version of an earlier one */
        int name = next_random(&seed) % 8 == 0 && d > 0 ? (int)(next_random(&seed) % (unsigned)d) : d;
        snprintf(doc, sizeof doc, "merge-%d.txt", name);
        snprintf(sha, sizeof sha, "m%d", d);
        struct omb_sink s;
        omb_sink_init(&s, "", 0, doc, "test");
        int n_cases = 1 + (int)(next_random(&seed) % 4);
        for (int k = 0; k < n_cases; k++) {
            /* a quarter of the cases are the previous case again */
            if (k == 0 || next_random(&seed) % 4) snprintf(ref, sizeof ref, "24 200 %03u", next_random(&seed) % 250);
            size_t line = (size_t)(10 * k + 1);
            omb_case *c = omb_case_new(line);
            omb_case_set(c, OMB_FIELD_REF, ref, line);
            c->ref_written = strdup(ref);
            unsigned r = next_random(&seed);
            if (next_random(&seed) % 3 == 0) omb_case_set(c, OMB_FIELD_AUTHORITY, authorities[r % 3], line);
            if (next_random(&seed) % 4 == 0) omb_case_set(c, OMB_FIELD_CATEGORY, categories[r % 3], line + 1);
            if (next_random(&seed) % 4 == 0) omb_case_set(c, OMB_FIELD_SUBCATEGORY, subcategories[r % 3], line + 1);
            r = next_random(&seed);
            if (next_random(&seed) % 4 == 0) omb_case_set(c, OMB_FIELD_COUNCIL_SUBJECT, subjects[r % 3], line + 2);
            if (next_random(&seed) % 3 == 0) omb_case_set(c, OMB_FIELD_OUTCOME, outcomes[r % 3], line + 3);
            if (next_random(&seed) % 3 == 0) omb_case_set(c, OMB_FIELD_DECISION_DATE, dates[r % 3], line + 4);
            snprintf(text, sizeof text, "Summary %d of document %d.", k, d);
            if (next_random(&seed) % 3 == 0) omb_case_set(c, OMB_FIELD_SUMMARY, text, line + 5);
            if (next_random(&seed) % 3 == 0)
                omb_case_add_remedy(c, OMB_REMEDY_PAYMENT, 100 * (d + 1), "distress", "pay", 3, line + 6);
            snprintf(text, sizeof text, "Remind staff, document %d.", d);
            if (next_random(&seed) % 3 == 0) omb_case_add_improvement(c, text, strlen(text), line + 7);
            add_case(&s, c);
        }
        int result = 0;
        failures += write_doc(st, doc, sha, ranks[next_random(&seed) % 3], &s, &result) != OMB_OK;
        omb_sink_clear(&s);
        if (batched && d % 16 == 15) failures += omb_store_batch_commit(st, err, sizeof err) != OMB_OK;
    }
    if (batched) failures += omb_store_batch_end(st, err, sizeof err) != OMB_OK;
    TAP_INT(failures, 0, "merge: 500 documents written");
    static const char *const shown = "SELECT * FROM cases ORDER BY ref";
    char *merged = all_rows(st, shown);
    TAP_OK(one_int(st, "SELECT count(*) FROM cases") > 200, "merge: %lld cases",
           (long long)one_int(st, "SELECT count(*) FROM cases"));
    TAP_INT(omb_store_remerge_all(st, err, sizeof err), OMB_OK, "merge: every case merged again from its facts");
    char *again = all_rows(st, shown);
    TAP_STR(merged, again, "merge: the shortcuts gave what the merge rule gives");
    free(merged);
    free(again);
    int fills = sqlite3_stmt_status(omb_store_stmt(st, S_MERGE_FILL), SQLITE_STMTSTATUS_RUN, 0);
    int overs = sqlite3_stmt_status(omb_store_stmt(st, S_MERGE_OVER), SQLITE_STMTSTATUS_RUN, 0);
    TAP_OK(fills > 10 && overs > 10, "merge: both shortcuts ran (%d fills, %d overrides)", fills, overs);
    omb_store_close(st);
    remove_store(path);
}

int main(void)
{
    omb_store *st;
    char err[512];
    int result;
    snprintf(db_path, sizeof db_path, "test_store_%d.db", (int)getpid());
    TAP_INT(omb_store_open(db_path, 0, &st, err, sizeof err), OMB_OK, "open a new store");
    TAP_INT(one_int(st, "PRAGMA user_version"), 14, "schema migrated to version 14");
    TAP_OK(one_int(st, "SELECT count(*) FROM authorities") > 150, "shipped authority register loaded");
    TAP_STR(one_text(st, "PRAGMA journal_mode"), "wal", "WAL journal");

    /* a document with two cases */
    struct omb_sink s;
    omb_sink_init(&s, "", 0, "annex.txt", "test");
    add_case(&s, make_case("22 004 577", "Worcestershire CC", 50000, "Remind staff of the section 19 duty", 10));
    add_case(&s, make_case(NULL, "Worcestershire CC", 20000, NULL, 20));
    omb_case_set(s.cases[1], OMB_FIELD_ROW_KEY, "row 2", 20);
    TAP_INT(write_doc(st, "annex.txt", "aaaa", 50, &s, &result), OMB_OK, "write annex");
    TAP_INT(result, OMB_DOC_NEW, "annex is new");
    TAP_INT(one_int(st, "SELECT count(*) FROM cases"), 2, "two cases");
    TAP_INT(one_int(st, "SELECT count(*) FROM cases WHERE ref IS NULL AND unref_key = 'aaaa:row 2'"), 1,
            "unreferenced case keyed by document and row");
    TAP_INT(one_int(st, "SELECT line FROM improvements"), 14, "improvement keeps its line");
    TAP_INT(one_int(st, "SELECT count(*) FROM search WHERE search MATCH 'section'"), 1, "improvement is searchable");

    /* the same document again changes nothing */
    sqlite3_int64 changes_before = one_int(st, "SELECT total_changes()");
    TAP_INT(write_doc(st, "annex.txt", "aaaa", 50, &s, &result), OMB_OK, "write the same document again");
    TAP_INT(result, OMB_DOC_UNCHANGED, "reported unchanged");
    TAP_INT(one_int(st, "SELECT total_changes()"), changes_before, "no row changed");
    omb_sink_clear(&s);

    /* a decision page for the same case outranks the annex */
    omb_sink_init(&s, "", 0, "decision.txt", "test");
    add_case(&s, make_case("22 004 577", "Worcestershire County Council", 75000, NULL, 1));
    TAP_INT(write_doc(st, "decision.txt", "bbbb", 90, &s, &result), OMB_OK, "write decision page");
    TAP_INT(one_int(st, "SELECT count(*) FROM cases WHERE ref = '22 004 577'"), 1, "one merged case, not two");
    TAP_STR(one_text(st, "SELECT authority FROM cases WHERE ref = '22 004 577'"), "Worcestershire County Council",
            "higher rank wins the shown value");
    TAP_INT(one_int(st, "SELECT count(*) FROM facts f JOIN cases c ON c.id = f.case_id WHERE c.ref = '22 004 577'"
                        " AND f.field = 'authority'"),
            2, "both spellings kept as facts");
    TAP_INT(one_int(st, "SELECT payment_pence FROM case_totals t JOIN cases c ON c.id = t.case_id WHERE c.ref ="
                        " '22 004 577'"),
            75000, "remedies shown from the best-ranked document");
    TAP_INT(one_int(st, "SELECT count(*) FROM case_improvements i JOIN cases c ON c.id = i.case_id WHERE c.ref ="
                        " '22 004 577'"),
            1, "improvements still come from the annex, the only document with any");
    TAP_INT(one_int(st, "SELECT count(*) FROM case_sources s JOIN cases c ON c.id = s.case_id WHERE c.ref = '22 004 577'"),
            2, "the case has two sources");
    omb_sink_clear(&s);

    /* a new version of the decision page without the case: the merge falls back */
    omb_sink_init(&s, "", 0, "decision.txt", "test");
    add_case(&s, make_case("23 000 001", "Kent County Council", 0, NULL, 1));
    TAP_INT(write_doc(st, "decision.txt", "cccc", 90, &s, &result), OMB_OK, "write new version");
    TAP_INT(result, OMB_DOC_UPDATED, "reported updated");
    TAP_STR(one_text(st, "SELECT authority FROM cases WHERE ref = '22 004 577'"), "Worcestershire County Council",
            "old version's value gone: the annex's spelling, shown by its canonical name");
    TAP_STR(one_text(st, "SELECT group_concat(value) FROM facts f JOIN cases c ON c.id = f.case_id WHERE c.ref ="
                         " '22 004 577' AND f.field = 'authority'"),
            "Worcestershire CC", "the annex's spelling kept as written");
    TAP_INT(one_int(st, "SELECT count(*) FROM unmatched_authorities"), 0, "every name matched the register");
    TAP_INT(one_int(st, "SELECT count(*) FROM documents"), 2, "old version replaced, not added");
    TAP_INT(one_int(st, "SELECT count(*) FROM cases"), 3, "new case added, none lost");
    omb_sink_clear(&s);

    /* a council's subject heading gives the category when nothing else does */
    omb_sink_init(&s, "", 0, "annex2.txt", "test");
    add_case(&s, make_case("23 000 200", "Somerset County Counci1", 0, NULL, 1));
    omb_case_set(s.cases[0], OMB_FIELD_COUNCIL_SUBJECT, "Handling of Education, Health and Care Plan.", 1);
    TAP_INT(write_doc(st, "annex2.txt", "eeee", 50, &s, &result), OMB_OK, "write annex with a council subject");
    TAP_STR(one_text(st, "SELECT category || ' > ' || subcategory FROM cases WHERE ref = '23 000 200'"),
            "Education > Special educational needs", "subject mapped to category and sub-category");
    TAP_STR(one_text(st, "SELECT council_subject FROM cases WHERE ref = '23 000 200'"),
            "Handling of Education, Health and Care Plan.", "the council's own words kept");
    TAP_STR(one_text(st, "SELECT name FROM unmatched_authorities"), "Somerset County Counci1",
            "a misspelt name is reported, not matched or added");
    TAP_STR(one_text(st, "SELECT group_concat(successor, '; ') FROM (SELECT successor FROM authority_lineage WHERE"
                         " predecessor = 'Cumbria County Council' ORDER BY successor)"),
            "Cumberland Council; Westmorland and Furness Council", "Cumbria's successors");
    omb_sink_clear(&s);

    /* a failure half way leaves nothing of the document */
    sqlite3_exec(omb_store_db(st),
                 "CREATE TEMP TRIGGER boom BEFORE INSERT ON main.texts WHEN new.text = 'BOOM'"
                 " BEGIN SELECT RAISE(ABORT, 'boom'); END",
                 NULL, NULL, NULL);
    sqlite3_int64 cases_before = one_int(st, "SELECT count(*) FROM cases");
    omb_sink_init(&s, "", 0, "bad.txt", "test");
    add_case(&s, make_case("23 000 100", "Somerset Council", 100, NULL, 1));
    add_case(&s, make_case("23 000 101", "Somerset Council", 100, "BOOM", 9));
    /* a category no document gave before: its term goes with the rollback */
    omb_case_set(s.cases[0], OMB_FIELD_CATEGORY, "Rolled back category", 2);
    TAP_INT(write_doc(st, "bad.txt", "dddd", 50, &s, &result) != OMB_OK, 1, "write fails half way");
    TAP_INT(one_int(st, "SELECT count(*) FROM cases"), cases_before, "no case of the failed document remains");
    TAP_INT(one_int(st, "SELECT count(*) FROM documents WHERE path = 'bad.txt'"), 0, "no document row remains");
    TAP_INT(one_int(st, "SELECT count(*) FROM remedies WHERE amount_pence = 100"), 0, "no remedy remains");
    TAP_INT(one_int(st, "SELECT count(*) FROM case_terms WHERE text = 'Rolled back category'"), 0,
            "nor the category's term");
    omb_sink_clear(&s);
    /* the same new category again, alone and in a batch whose other
     * document fails in its savepoint: the writer asks for the term afresh
     * each time, rather than reusing an id the rollback took back */
    omb_sink_init(&s, "", 0, "good.txt", "test");
    add_case(&s, make_case("23 000 102", "Somerset Council", 100, NULL, 1));
    omb_case_set(s.cases[0], OMB_FIELD_CATEGORY, "Rolled back category", 2);
    TAP_INT(write_doc(st, "good.txt", "dddd", 50, &s, &result), OMB_OK, "a document with that category then");
    TAP_STR(one_text(st, "SELECT category FROM cases WHERE ref = '23 000 102'"), "Rolled back category",
            "has it as its case's category");
    omb_sink_clear(&s);
    omb_store_batch_begin(st);
    omb_store_batch_optimistic(st, 0);
    omb_sink_init(&s, "", 0, "new-folder/bad2.txt", "test");
    add_case(&s, make_case("23 000 103", "Somerset Council", 100, "BOOM", 1));
    omb_case_set(s.cases[0], OMB_FIELD_CATEGORY, "Savepoint category", 2);
    TAP_INT(write_doc(st, "new-folder/bad2.txt", "dddd", 50, &s, &result) != OMB_OK, 1,
            "in a batch, a document in a new folder fails");
    omb_sink_clear(&s);
    omb_sink_init(&s, "", 0, "new-folder/good2.txt", "test");
    add_case(&s, make_case("23 000 104", "Somerset Council", 100, NULL, 1));
    omb_case_set(s.cases[0], OMB_FIELD_CATEGORY, "Savepoint category", 2);
    TAP_INT(write_doc(st, "new-folder/good2.txt", "dddd", 50, &s, &result), OMB_OK,
            "and the next, from that folder and with that new category, is stored");
    omb_sink_clear(&s);
    TAP_INT(omb_store_batch_end(st, err, sizeof err), OMB_OK, "the batch commits");
    TAP_STR(one_text(st, "SELECT category FROM cases WHERE ref = '23 000 104'"), "Savepoint category",
            "with the category its document gave");
    TAP_INT(one_int(st, "SELECT count(*) FROM cases WHERE ref = '23 000 103'"), 0, "and nothing of the failed one");
    TAP_INT(one_int(st, "SELECT count(*) FROM documents WHERE path = 'new-folder/good2.txt' AND name = 'good2.txt'"), 1,
            "under the folder it came from");

    /* the failed documents' texts went with their savepoints: the writer
     * asked for the same remedy text afresh, not for the id it remembered */
    const char *t102 = one_text(st, "SELECT text FROM remedies r JOIN cases c ON c.id = r.case_id"
                                    " WHERE c.ref = '23 000 102'");
    char want[256];
    snprintf(want, sizeof want, "%s", t102 ? t102 : "(none)");
    TAP_STR(one_text(st, "SELECT text FROM remedies r JOIN cases c ON c.id = r.case_id WHERE c.ref = '23 000 104'"),
            want, "a remedy text a failed document added first is read back after the rollback");
    TAP_INT(one_int(st, "SELECT (SELECT count(*) FROM remedy_rows WHERE text_id NOT IN (SELECT id FROM texts))"
                        " + (SELECT count(*) FROM improvement_rows WHERE text_id NOT IN (SELECT id FROM texts))"
                        " + (SELECT count(*) FROM case_fact_rows WHERE summary_id NOT IN (SELECT id FROM texts))"),
            0, "every remedy, improvement and summary names a stored text");
    TAP_STR(one_text(st, "PRAGMA integrity_check"), "ok", "integrity check");
    TAP_INT(one_int(st, "SELECT count(*) FROM pragma_foreign_key_check"), 0, "no dangling references");
    omb_store_close(st);

    /* read-only reopen */
    TAP_INT(omb_store_open(db_path, OMB_STORE_READONLY, &st, err, sizeof err), OMB_OK, "reopen read-only");
    TAP_INT(one_int(st, "SELECT count(*) FROM cases"), 6, "cases persist");
    omb_store_close(st);

    /* a document is known by its content and file name: the same content
     * under the same name in another folder is the same document; under
     * another name it is another document */
    TAP_INT(omb_store_open(db_path, 0, &st, err, sizeof err), OMB_OK, "reopen read-write");
    omb_sink_init(&s, "", 0, "folder-a/copy.txt", "test");
    add_case(&s, make_case("23 000 200", "Somerset Council", 2500, NULL, 1));
    TAP_INT(write_doc(st, "folder-a/copy.txt", "e0e0", 50, &s, &result), OMB_OK, "write a document");
    TAP_INT(result, OMB_DOC_NEW, "new");
    sqlite3_int64 changes = one_int(st, "SELECT total_changes()");
    TAP_INT(write_doc(st, "folder-b/copy.txt", "e0e0", 50, &s, &result), OMB_OK, "write a copy in another folder");
    TAP_INT(result, OMB_DOC_UNCHANGED, "a copy with the same name is unchanged");
    TAP_INT(one_int(st, "SELECT total_changes()"), changes, "and changes nothing");
    TAP_INT(write_doc(st, "folder-a/copy-2.txt", "e0e0", 50, &s, &result), OMB_OK, "write a copy under another name");
    TAP_INT(result, OMB_DOC_NEW, "a copy under another name is a new document");
    TAP_STR(one_text(st, "SELECT group_concat(name, ',') FROM (SELECT name FROM documents WHERE sha256 = 'e0e0'"
                         " ORDER BY id)"),
            "copy.txt,copy-2.txt", "documents.name is the path's last component");
    omb_sink_clear(&s);

    /* schema 10: a document row keeps its folder's id and its hash as 32
     * bytes; `documents` shows the path and the 64 hex digits again */
    static const char hash[] = "3f0a9c1e5b7d2468ace013579bdf02468ace13579bdf02468ace13579bdf0246";
    omb_sink_init(&s, "", 0, "/srv/papers/annex.txt", "test");
    add_case(&s, make_case("23 000 201", "Somerset Council", 1000, NULL, 1));
    TAP_INT(write_doc(st, "/srv/papers/annex.txt", hash, 50, &s, &result), OMB_OK, "write a document by its full path");
    TAP_STR(one_text(st, "SELECT sha256 || ' ' || name FROM documents WHERE path = '/srv/papers/annex.txt'"),
            "3f0a9c1e5b7d2468ace013579bdf02468ace13579bdf02468ace13579bdf0246 annex.txt",
            "documents gives its hash in hex and its name");
    TAP_STR(one_text(st, "SELECT typeof(d.digest) || ' ' || length(d.digest) || ' ' || p.path FROM document_rows d"
                         " JOIN document_dirs p ON p.id = d.dir_id WHERE d.name = 'annex.txt' AND p.path != ''"),
            "blob 32 /srv/papers/", "stored as 32 bytes under its folder, kept with its '/'");
    sqlite3_int64 dirs = one_int(st, "SELECT count(*) FROM document_dirs");
    TAP_INT(dirs, 4, "one folder row each for '', new-folder/, folder-a/ and /srv/papers/ (folder-b's copy was not stored)");
    changes = one_int(st, "SELECT total_changes()");
    TAP_INT(write_doc(st, "/srv/papers/annex.txt", hash, 50, &s, &result), OMB_OK, "the same document again");
    TAP_INT(result, OMB_DOC_UNCHANGED, "is unchanged, found by its hash's bytes");
    TAP_INT(one_int(st, "SELECT total_changes()"), changes, "and changes nothing");
    char same[256];
    TAP_INT(omb_store_find_same(st, hash, "/elsewhere/annex.txt", same, sizeof same), 1,
            "the reading side finds it from another folder");
    TAP_STR(same, "/srv/papers/annex.txt", "under its stored path");
    TAP_INT(omb_store_find_same(st, "4f0a9c1e5b7d2468ace013579bdf02468ace13579bdf02468ace13579bdf0246",
                                "/elsewhere/annex.txt", same, sizeof same),
            0, "but not with another hash");
    TAP_INT(write_doc(st, "/srv/papers/annex.txt", "4f0a9c1e5b7d2468ace013579bdf02468ace13579bdf02468ace13579bdf0246",
                      50, &s, &result),
            OMB_OK, "a changed file at the same path");
    TAP_INT(result, OMB_DOC_UPDATED, "replaces the document found by folder and name");
    TAP_INT(one_int(st, "SELECT count(*) FROM documents WHERE name = 'annex.txt' AND path = '/srv/papers/annex.txt'"), 1,
            "which is still there once");
    TAP_INT(one_int(st, "SELECT count(*) FROM document_dirs"), dirs, "in the same folder row");
    omb_sink_clear(&s);
    omb_store_close(st);

    TAP_INT(omb_store_open("/nonexistent/dir/x.db", 0, &st, err, sizeof err), OMB_ESTORE, "unwritable path refused");
    TAP_OK(strstr(err, "/nonexistent/dir/x.db") != NULL, "error names the file: %s", err);

    test_batch_checkpoints();
    test_register_names();
    test_summary_once();
    test_deferred_search();
    test_merge_shortcuts(0);
    test_merge_shortcuts(1);

    remove_store(db_path);
    return tap_done();
}
