/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * authorities.c -- reads the authority register, the council subject map and
 * population CSVs into the store (authorities.h).  TSV files are simple enough to
 * split by hand; the population CSV comes from users' spreadsheets, so it goes
 * through libcsv.  Applying the register to cases is the store's merge rule
 * (the merge rule in store_stmt.c).
 */
#include "authorities.h"

#include <csv.h>
#include <errno.h>
#include <ombuds/plugin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paths.h"

/* Splits line (modified in place) at tabs into at most max fields. */
static int split_tabs(char *line, char **fields, int max)
{
    int n = 0;
    char *p = line;
    while (n < max) {
        fields[n++] = p;
        char *tab = strchr(p, '\t');
        if (!tab) break;
        *tab = '\0';
        p = tab + 1;
    }
    for (int i = n; i < max; i++) fields[i] = "";
    return n;
}

static void chomp(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ')) s[--n] = '\0';
}

static int sql_fail(sqlite3 *db, const char *path, size_t line, char *err, size_t cap)
{
    snprintf(err, cap, "%s:%zu: %s", path, line, sqlite3_errmsg(db));
    return OMB_ESTORE;
}

/* Binds text parameters (NULL binds NULL) and runs s once. */
static int bind_and_step(sqlite3_stmt *s, const char *a, const char *b, const char *c)
{
    const char *v[3] = {a, b, c};
    for (int i = 0; i < 3 && i < sqlite3_bind_parameter_count(s); i++) {
        if (v[i]) sqlite3_bind_text(s, i + 1, v[i], -1, SQLITE_STATIC);
        else sqlite3_bind_null(s, i + 1);
    }
    int rc = sqlite3_step(s);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? OMB_OK : OMB_ESTORE;
}

/* Runs one statement with text parameters (NULL binds NULL). */
static int run(sqlite3 *db, const char *sql, const char *a, const char *b, const char *c)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) return OMB_ESTORE;
    int rc = bind_and_step(s, a, b, c);
    sqlite3_finalize(s);
    return rc;
}

/* A tab-separated file being loaded: what each row's function needs. */
struct tsv_load {
    sqlite3 *db;
    const char *path;
    size_t n_loaded;
    char *err;
    size_t cap;
    /* the statements of the rows, prepared once a file: preparing them for
     * every row was nearly all of creating a store (64M instructions) */
    struct {
        const char *sql;
        sqlite3_stmt *s;
    } prepared[8];
};

/* run() for a row's statement, by the address of its SQL, prepared on first
 * use and kept until the file is loaded. */
static int run_row(struct tsv_load *t, const char *sql, const char *a, const char *b, const char *c)
{
    size_t n = sizeof t->prepared / sizeof t->prepared[0], i = 0;
    while (i < n && t->prepared[i].sql && t->prepared[i].sql != sql) i++;
    if (i == n) return run(t->db, sql, a, b, c);
    if (!t->prepared[i].sql) {
        if (sqlite3_prepare_v2(t->db, sql, -1, &t->prepared[i].s, NULL) != SQLITE_OK) return OMB_ESTORE;
        t->prepared[i].sql = sql;
    }
    sqlite3_stmt *s = t->prepared[i].s;
    int rc = bind_and_step(s, a, b, c);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return rc;
}

/* Handles one row: fld holds max fields (those missing are ""), n of them
 * were on the line.  Returns OMB_OK, or an error with t->err set. */
typedef int (*tsv_row_fn)(struct tsv_load *t, char **fld, int n, size_t line);

/* Loads path, a tab-separated file (empty lines and '#' comments skipped),
 * in one savepoint: each of the passes (NULL-terminated) reads every row in
 * turn, then finish_sql runs (when not NULL); at the first error everything
 * is rolled back. */
static int load_tsv(sqlite3 *db, const char *path, int max, const tsv_row_fn *passes, const char *finish_sql,
                    size_t *n_loaded, char *err, size_t cap)
{
    struct tsv_load t = {db, path, 0, err, cap, {{0}}};
    char buf[4096], *fld[8];
    size_t line = 0;
    int rc = OMB_OK;
    *n_loaded = 0;
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, cap, "%s: cannot open: %s", path, strerror(errno));
        return OMB_EIO;
    }
    sqlite3_exec(db, "SAVEPOINT tsv_load", NULL, NULL, NULL);
    for (int p = 0; passes[p] && rc == OMB_OK; p++) {
        rewind(f);
        line = 0;
        while (rc == OMB_OK && fgets(buf, sizeof buf, f)) {
            line++;
            chomp(buf);
            if (!buf[0] || buf[0] == '#') continue;
            int n = split_tabs(buf, fld, max);
            rc = passes[p](&t, fld, n, line);
        }
    }
    fclose(f);
    for (size_t i = 0; i < sizeof t.prepared / sizeof t.prepared[0]; i++) sqlite3_finalize(t.prepared[i].s);
    if (rc == OMB_OK && finish_sql && run(db, finish_sql, NULL, NULL, NULL)) rc = sql_fail(db, path, line, err, cap);
    sqlite3_exec(db, rc == OMB_OK ? "RELEASE tsv_load" : "ROLLBACK TO tsv_load; RELEASE tsv_load", NULL, NULL, NULL);
    *n_loaded = t.n_loaded;
    return rc;
}

/* data/authorities.tsv, first pass: each authority, its type, its date of
 * abolition and its other spellings. */
static int authority_row(struct tsv_load *t, char **fld, int n, size_t line)
{
    (void)n;
    if (!fld[0][0]) {
        snprintf(t->err, t->cap, "%s:%zu: expected an authority name in the first column", t->path, line);
        return OMB_EPARSE;
    }
    if (run_row(t,
            "INSERT INTO authorities(name, type, abolished) VALUES (?1, nullif(?2, ''), nullif(?3, ''))"
            " ON CONFLICT(name) DO UPDATE SET type = excluded.type, abolished = excluded.abolished",
            fld[0], fld[1], fld[4]) ||
        run_row(t,
            "INSERT INTO authority_names(name, authority_id) SELECT ?1, id FROM authorities WHERE name = ?1"
            " ON CONFLICT(name) DO UPDATE SET authority_id = excluded.authority_id",
            fld[0], NULL, NULL))
        return sql_fail(t->db, t->path, line, t->err, t->cap);
    for (char *al = strtok(fld[2], "|"); al; al = strtok(NULL, "|"))
        if (*al && run_row(t,
                       "INSERT INTO authority_names(name, authority_id) SELECT ?1, id FROM authorities"
                       " WHERE name = ?2 ON CONFLICT(name) DO UPDATE SET authority_id = excluded.authority_id",
                       al, fld[0], NULL))
            return sql_fail(t->db, t->path, line, t->err, t->cap);
    t->n_loaded++;
    return OMB_OK;
}

/* Second pass: the successor links (a successor may be listed before it is
 * defined, or not at all). */
static int successor_row(struct tsv_load *t, char **fld, int n, size_t line)
{
    (void)n;
    for (char *succ = strtok(fld[3], "|"); succ; succ = strtok(NULL, "|")) {
        if (!*succ) continue;
        if (run_row(t, "INSERT OR IGNORE INTO authorities(name) VALUES (?1)", succ, NULL, NULL) ||
            run_row(t, "INSERT OR IGNORE INTO authority_names(name, authority_id) SELECT ?1, id FROM"
                       " authorities WHERE name = ?1", succ, NULL, NULL) ||
            run_row(t,
                "INSERT OR REPLACE INTO authority_successors(predecessor_id, successor_id, on_date)"
                " SELECT p.id, s.id, nullif(?3, '') FROM authorities p, authorities s"
                " WHERE p.name = ?1 AND s.name = ?2",
                fld[0], succ, fld[4]))
            return sql_fail(t->db, t->path, line, t->err, t->cap);
    }
    return OMB_OK;
}

int omb_register_load_authorities(sqlite3 *db, const char *path, size_t *n_loaded, char *err, size_t cap)
{
    static const tsv_row_fn passes[] = {authority_row, successor_row, NULL};
    /* every name, spelling and successor is matched by its key too */
    return load_tsv(db, path, 5, passes,
                    "UPDATE authority_names SET name_key = " OMB_NAME_KEY_SQL("name") " WHERE name_key IS NULL",
                    n_loaded, err, cap);
}

/* data/council_subjects.tsv: subject, category, sub-category. */
static int subject_row(struct tsv_load *t, char **fld, int n, size_t line)
{
    if (n < 2 || !fld[0][0] || !fld[1][0]) {
        snprintf(t->err, t->cap, "%s:%zu: expected \"subject<TAB>category<TAB>sub-category\"", t->path, line);
        return OMB_EPARSE;
    }
    if (run_row(t, "INSERT OR REPLACE INTO subject_map(subject, category, subcategory) VALUES (?1, ?2, nullif(?3, ''))",
            fld[0], fld[1], fld[2]))
        return sql_fail(t->db, t->path, line, t->err, t->cap);
    t->n_loaded++;
    return OMB_OK;
}

int omb_register_load_subjects(sqlite3 *db, const char *path, size_t *n_loaded, char *err, size_t cap)
{
    static const tsv_row_fn passes[] = {subject_row, NULL};
    return load_tsv(db, path, 3, passes, NULL, n_loaded, err, cap);
}

/* ---- population CSV (libcsv) ----------------------------------------------------- */

struct pop_ctx {
    sqlite3 *db;
    const char *path;
    char field[3][512];
    int col;
    size_t row; /* 1-based data row number, header is row 1 */
    size_t loaded;
    int rc;
    char *err;
    size_t cap;
};

static void pop_field(void *data, size_t n, void *ud)
{
    struct pop_ctx *c = ud;
    if (c->col < 3) snprintf(c->field[c->col], sizeof c->field[0], "%.*s", (int)n, (const char *)data);
    c->col++;
}

static void pop_row(int term, void *ud)
{
    (void)term;
    struct pop_ctx *c = ud;
    int cols = c->col;
    c->col = 0;
    c->row++;
    if (c->rc || c->row == 1 || cols == 0) return; /* header */
    char *end;
    long long pop = strtoll(c->field[1], &end, 10);
    if (cols < 2 || !c->field[0][0] || *end || pop <= 0) {
        snprintf(c->err, c->cap, "%s:%zu: expected authority,population[,year] with a positive whole population",
                 c->path, c->row);
        c->rc = OMB_EPARSE;
        return;
    }
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(c->db,
                           "INSERT OR REPLACE INTO authority_population(authority, population, year, source)"
                           " SELECT a.name, ?2, ?3, ?4 FROM authority_names n JOIN authorities a"
                           " ON a.id = n.authority_id WHERE n.name_key = " OMB_NAME_KEY_SQL("?1"),
                           -1, &s, NULL) != SQLITE_OK) {
        c->rc = sql_fail(c->db, c->path, c->row, c->err, c->cap);
        return;
    }
    sqlite3_bind_text(s, 1, c->field[0], -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, pop);
    if (cols >= 3 && c->field[2][0]) sqlite3_bind_int(s, 3, atoi(c->field[2]));
    sqlite3_bind_text(s, 4, c->path, -1, SQLITE_STATIC);
    int step = sqlite3_step(s);
    int changed = sqlite3_changes(c->db);
    sqlite3_finalize(s);
    if (step != SQLITE_DONE) c->rc = sql_fail(c->db, c->path, c->row, c->err, c->cap);
    else if (!changed) {
        snprintf(c->err, c->cap,
                 "%s:%zu: authority \"%s\" is not in the register; add it (or a spelling) to authorities.tsv first",
                 c->path, c->row, c->field[0]);
        c->rc = OMB_EPARSE;
    } else
        c->loaded++;
}

int omb_register_load_population(sqlite3 *db, const char *path, size_t *n_loaded, char *err, size_t cap)
{
    struct pop_ctx c = {.db = db, .path = path, .err = err, .cap = cap};
    struct csv_parser p;
    *n_loaded = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, cap, "%s: cannot open: %s", path, strerror(errno));
        return OMB_EIO;
    }
    if (csv_init(&p, CSV_APPEND_NULL) != 0) {
        fclose(f);
        return OMB_ENOMEM;
    }
    sqlite3_exec(db, "SAVEPOINT population", NULL, NULL, NULL);
    char buf[8192];
    size_t n;
    while (!c.rc && (n = fread(buf, 1, sizeof buf, f)) > 0)
        if (csv_parse(&p, buf, n, pop_field, pop_row, &c) != n) {
            snprintf(err, cap, "%s:%zu: %s", path, c.row + 1, csv_strerror(csv_error(&p)));
            c.rc = OMB_EPARSE;
        }
    if (!c.rc) csv_fini(&p, pop_field, pop_row, &c);
    csv_free(&p);
    fclose(f);
    sqlite3_exec(db, c.rc ? "ROLLBACK TO population; RELEASE population" : "RELEASE population", NULL, NULL, NULL);
    *n_loaded = c.rc ? 0 : c.loaded;
    return c.rc;
}

int omb_register_load_defaults(sqlite3 *db, char *err, size_t cap)
{
    sqlite3_stmt *s;
    int empty = 1;
    if (sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM authorities) + (SELECT count(*) FROM subject_map)", -1,
                           &s, NULL) == SQLITE_OK) {
        if (sqlite3_step(s) == SQLITE_ROW) empty = sqlite3_column_int(s, 0) == 0;
        sqlite3_finalize(s);
    }
    const char *dir = omb_data_dir();
    if (!empty || !dir) return OMB_OK;
    char path[4200];
    size_t n;
    int rc = OMB_OK;
    sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    snprintf(path, sizeof path, "%s/authorities.tsv", dir);
    if (access(path, R_OK) == 0) rc = omb_register_load_authorities(db, path, &n, err, cap);
    snprintf(path, sizeof path, "%s/council_subjects.tsv", dir);
    if (rc == OMB_OK && access(path, R_OK) == 0) rc = omb_register_load_subjects(db, path, &n, err, cap);
    sqlite3_exec(db, rc == OMB_OK ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
    return rc;
}
