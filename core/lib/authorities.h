/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * authorities.h -- the authority register (canonical names, types, spellings,
 * predecessor/successor links), the map from councils' own subject headings to
 * the ombudsman's categories, and population figures, all loaded from data
 * files into the store's tables.  How the register is applied when cases are
 * merged is store_stmt.c (S_RECOMPUTE, S_MAP_SUBJECT).
 */
#ifndef OMB_AUTHORITIES_H
#define OMB_AUTHORITIES_H

#include <sqlite3.h>
#include <stddef.h>

/* SQL for the key an authority name is matched by: lower case, "&" and the
 * word "and" dropped, punctuation dropped, spaces collapsed, so "Brighton &
 * Hove City Council", "Brighton Hove City Council" and "Bournemouth
 * Christchurch and Poole Council" (a slug's spelling) find the register's
 * names without a spelling of their own.  Only SQLite's built-in functions,
 * so any SQLite client can read the views that use it.  Changing it needs a
 * migration that recomputes authority_names.name_key (store.c, schema 7). */
#define OMB_NAME_KEY_SQL(x)                                                                                           \
    "trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace("        \
    "' ' || lower(" x ") || ' ', '&', ' '), ',', ' '), '.', ' '), '-', ' '), '''', ''), '\xE2\x80\x99', ''),"    \
    " '(', ' '), ')', ' '), '  ', ' '), '  ', ' '), ' and ', ' '), ' and ', ' '))"

/* Loads data/authorities.tsv (format in its header).  Existing names are
 * updated; nothing is deleted.  *n_loaded counts authorities read.  Errors name
 * the file and line. */
int omb_register_load_authorities(sqlite3 *db, const char *path, size_t *n_loaded, char *err, size_t err_cap);

/* Loads data/council_subjects.tsv: subject <TAB> category <TAB> sub-category. */
int omb_register_load_subjects(sqlite3 *db, const char *path, size_t *n_loaded, char *err, size_t err_cap);

/* Loads a CSV of populations: a header row, then authority,population[,year].
 * Names go through the register; a name it does not know is an error naming
 * the line (never silently added). */
int omb_register_load_population(sqlite3 *db, const char *path, size_t *n_loaded, char *err, size_t err_cap);

/* On a store whose register is empty, loads the shipped data files (from
 * $OMBUDS_DATA_DIR, the source tree when running from the build tree, or the
 * installed data directory).  Missing files are not an error. */
int omb_register_load_defaults(sqlite3 *db, char *err, size_t err_cap);

#endif
