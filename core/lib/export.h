/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * export.h -- `ombuds export`: every case with everything known about it, as
 * JSON Lines (keys fixed in docs/export.md) or CSV, streamed row by row from
 * SQLite so the store is never held in memory.
 */
#ifndef OMB_EXPORT_H
#define OMB_EXPORT_H
#include <stdio.h>

#include "store.h"

struct omb_case_filter {
    const char *authority;   /* any spelling the register knows, or exact (any case); NULL for all */
    const char *category;
    int year;                /* 0 for all */
    const char *subcategory; /* exact, case-insensitive; NULL for all */
    const char *outcome;     /* e.g. "upheld"; NULL for all */
    const char *from, *to;   /* decision dates, ISO YYYY-MM-DD, inclusive; NULL for open */
    const char *search;      /* an FTS5 query (omb_fts_words quotes plain words); NULL for all */
};

/* The filter as SQL over `cases c`: " WHERE ..." binding ?1..?8, which
 * omb_case_filter_bind fills.  Shared by export and `ombuds cases`. */
#define OMB_CASE_FILTER_SQL                                                                                           \
    " WHERE (?1 IS NULL OR c.authority = coalesce((SELECT a.name FROM authority_names n JOIN authorities a"            \
    "   ON a.id = n.authority_id WHERE n.name = ?1), ?1) COLLATE NOCASE)"                                             \
    " AND (?2 IS NULL OR c.category = ?2 COLLATE NOCASE) AND (?3 IS NULL OR c.year = ?3)"                             \
    " AND (?4 IS NULL OR c.subcategory = ?4 COLLATE NOCASE) AND (?5 IS NULL OR c.outcome = ?5 COLLATE NOCASE)"        \
    " AND (?6 IS NULL OR c.decision_date >= ?6) AND (?7 IS NULL OR c.decision_date <= ?7)"                            \
    " AND (?8 IS NULL OR c.id IN (SELECT t.case_id FROM search JOIN search_text t ON t.id = search.rowid"             \
    "   WHERE search MATCH ?8))"

/* Binds the filter's values to a statement using OMB_CASE_FILTER_SQL
 * (filter may be NULL: everything). */
void omb_case_filter_bind(sqlite3_stmt *s, const struct omb_case_filter *filter);

/* Writes the export; format is OMB_OUT_JSONL or OMB_OUT_CSV.  Returns OMB_OK
 * or OMB_ESTORE with err set. */
int omb_export(omb_store *st, FILE *f, int format, const struct omb_case_filter *filter, char *err, size_t err_cap);

/* SQL text of the JSON object for one case (alias c for cases), shared with
 * the Lua bindings so both show a case the same way. */
extern const char omb_case_json_sql[];

#endif
