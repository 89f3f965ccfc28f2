/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * export.c -- streams cases out of the store (export.h).  The JSON for each
 * case is built by SQLite's JSON1 functions in one query, so the C side only
 * copies rows to the output; CSV is one row per case with totals and counts.
 */
#include "export.h"

#include <ombuds/plugin.h>
#include <string.h>

#include "output.h"

const char omb_case_json_sql[] =
    "json_object("
    "'ref', c.ref,"
    "'refs_as_written', json((SELECT json_group_array(w) FROM (SELECT DISTINCT ref_as_written AS w"
    "   FROM case_sources WHERE case_id = c.id AND ref_as_written IS NOT NULL ORDER BY 1))),"
    "'authority', c.authority, 'category', c.category, 'subcategory', c.subcategory,"
    "'outcome', c.outcome, 'decision_date', c.decision_date, 'summary', c.summary,"
    "'remedies', json((SELECT json_group_array(json_object('kind', kind, 'amount_pence', amount_pence,"
    "   'purposes', json(purposes), 'text', text,"
    "   'paid_before', json(CASE WHEN paid_before THEN 'true' ELSE 'false' END))) FROM (SELECT * FROM case_remedies WHERE case_id = c.id"
    "   ORDER BY id))),"
    "'improvements', json((SELECT json_group_array(json_object('text', text)) FROM (SELECT text FROM"
    "   case_improvements WHERE case_id = c.id ORDER BY id))),"
    "'events', json((SELECT json_group_array(json_object('type', type, 'date', date, 'text', text)) FROM"
    "   (SELECT * FROM events WHERE case_id = c.id ORDER BY date, id))),"
    "'sources', json((SELECT json_group_array(json_object('path', path, 'sha256', sha256, 'plugin', plugin,"
    "   'line', line, 'page', page)) FROM (SELECT d.path, d.sha256, d.plugin, s.line, s.page FROM case_sources s"
    "   JOIN documents d"
    "   ON d.id = s.document_id WHERE s.case_id = c.id ORDER BY d.id, s.line))),"
    "'council_subject', c.council_subject,"
    "'payment_total_pence', (SELECT payment_pence FROM case_totals WHERE case_id = c.id),"
    "'unreferenced', json(CASE WHEN c.ref IS NULL THEN 'true' ELSE 'false' END))";

#define FILTER_SQL                                                                                                     \
    " FROM cases c" OMB_CASE_FILTER_SQL                                                                               \
    " ORDER BY c.decision_date IS NULL, c.decision_date, c.ref, c.id"

static const char csv_sql[] =
    "SELECT c.ref, (SELECT group_concat(w, '; ') FROM (SELECT DISTINCT ref_as_written AS w FROM case_sources"
    "  WHERE case_id = c.id AND ref_as_written IS NOT NULL ORDER BY 1)) AS refs_as_written,"
    " c.authority, c.category, c.subcategory, c.outcome, c.decision_date, c.summary,"
    " t.payment_pence AS payment_total_pence, t.n_remedies,"
    " (SELECT count(*) FROM case_improvements WHERE case_id = c.id) AS n_improvements,"
    " (SELECT count(*) FROM events WHERE case_id = c.id) AS n_events,"
    " (SELECT count(*) FROM case_sources WHERE case_id = c.id) AS n_sources"
    " FROM cases c JOIN case_totals t ON t.case_id = c.id" OMB_CASE_FILTER_SQL
    " ORDER BY c.decision_date IS NULL, c.decision_date, c.ref, c.id";

void omb_case_filter_bind(sqlite3_stmt *s, const struct omb_case_filter *f)
{
    if (!f) return;
    const char *text[] = {f->authority, f->category, NULL, f->subcategory, f->outcome, f->from, f->to, f->search};
    for (int i = 0; i < 8; i++)
        if (text[i]) sqlite3_bind_text(s, i + 1, text[i], -1, SQLITE_STATIC);
    if (f->year) sqlite3_bind_int(s, 3, f->year);
}

int omb_export(omb_store *st, FILE *f, int format, const struct omb_case_filter *filter, char *err, size_t cap)
{
    sqlite3 *db = omb_store_db(st);
    sqlite3_stmt *s = NULL;
    char sql[sizeof omb_case_json_sql + sizeof FILTER_SQL + 64];
    if (format == OMB_OUT_CSV) {
        if (sqlite3_prepare_v2(db, csv_sql, -1, &s, NULL) != SQLITE_OK) goto fail;
    } else {
        snprintf(sql, sizeof sql, "SELECT %s AS case_json %s", omb_case_json_sql, FILTER_SQL);
        if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) goto fail;
    }
    omb_case_filter_bind(s, filter);
    int rc;
    if (format == OMB_OUT_CSV) {
        rc = omb_output_stmt(f, s, OMB_OUT_CSV, 0, 0, err, cap);
    } else {
        int step;
        while ((step = sqlite3_step(s)) == SQLITE_ROW) {
            fwrite(sqlite3_column_text(s, 0), 1, (size_t)sqlite3_column_bytes(s, 0), f);
            fputc('\n', f);
        }
        rc = step == SQLITE_DONE ? OMB_OK : OMB_ESTORE;
        if (rc) snprintf(err, cap, "export: %s", sqlite3_errmsg(db));
    }
    sqlite3_finalize(s);
    return rc;
fail:
    snprintf(err, cap, "export: %s", sqlite3_errmsg(db));
    sqlite3_finalize(s);
    return OMB_ESTORE;
}
