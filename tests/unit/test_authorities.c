/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_authorities.c -- unit tests for authorities.c, the authority
 * register: a register file of our own (two councils, one abolished with a
 * successor, other spellings) loads into the store's tables; a population
 * CSV goes through the register's spellings, and a name the register does
 * not know is refused naming the file and line; a subject map loads.
 */
#define _GNU_SOURCE
#include "authorities.h"

#include <ombuds/plugin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../tap.h"
#include "store.h"

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* The first column of the first row of sql, as text ("" when none). */
static const char *one(sqlite3 *db, const char *sql)
{
    static char buf[256];
    sqlite3_stmt *s;
    buf[0] = '\0';
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) return "(bad sql)";
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
        snprintf(buf, sizeof buf, "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return buf;
}

int main(void)
{
    char dir[] = "/tmp/omb-auth-XXXXXX";
    if (!mkdtemp(dir)) {
        printf("Bail out! cannot make a temporary directory\n");
        return 1;
    }
    char db_path[128], reg[128], pop[128], bad[128], subj[128], err[512] = "";
    snprintf(db_path, sizeof db_path, "%s/t.db", dir);
    snprintf(reg, sizeof reg, "%s/reg.tsv", dir);
    snprintf(pop, sizeof pop, "%s/pop.csv", dir);
    snprintf(bad, sizeof bad, "%s/bad.csv", dir);
    snprintf(subj, sizeof subj, "%s/subj.tsv", dir);
    write_file(reg, "# a register of our own\n"
                    "Northshire County Council\tcounty\tNorthshire CC|Northshire\t\t\n"
                    "Oldtown District Council\tdistrict\tOldtown DC\tWestvale Council\t2023-04-01\n"
                    "Westvale Council\tunitary\t\t\t\n");
    write_file(pop, "authority,population\nNorthshire CC,512000\nWestvale Council,98000\n");
    write_file(bad, "authority,population\nWestvale Council,98000\nNowhere Borough Council,1000\n");
    write_file(subj, "# subjects\nSchool transport\tEducation\tTransport\n");

    omb_store *st = NULL;
    if (omb_store_open(db_path, 0, &st, err, sizeof err) != OMB_OK) {
        printf("Bail out! %s\n", err);
        return 1;
    }
    sqlite3 *db = omb_store_db(st);
    size_t n = 0;
    TAP_INT(omb_register_load_authorities(db, reg, &n, err, sizeof err), OMB_OK, "the register loads (%s)", err);
    TAP_INT((int)n, 3, "three authorities read");
    TAP_STR(one(db, "SELECT count(*) FROM authorities WHERE name IN ('Northshire County Council',"
                    " 'Oldtown District Council', 'Westvale Council')"),
            "3", "each is in the authorities table");
    TAP_STR(one(db, "SELECT type FROM authorities WHERE name = 'Oldtown District Council'"), "district",
            "its type is kept");
    TAP_STR(one(db, "SELECT abolished FROM authorities WHERE name = 'Oldtown District Council'"), "2023-04-01",
            "the abolition date is kept");
    TAP_STR(one(db, "SELECT a.name FROM authority_names n JOIN authorities a ON a.id = n.authority_id"
                    " WHERE n.name = 'northshire cc'"),
            "Northshire County Council", "another spelling leads to the canonical name, ignoring case");
    TAP_STR(one(db, "SELECT s.name FROM authority_successors x JOIN authorities p ON p.id = x.predecessor_id"
                    " JOIN authorities s ON s.id = x.successor_id WHERE p.name = 'Oldtown District Council'"),
            "Westvale Council", "the successor is recorded");

    TAP_INT(omb_register_load_population(db, pop, &n, err, sizeof err), OMB_OK, "the population CSV loads (%s)", err);
    TAP_INT((int)n, 2, "two populations read");
    TAP_STR(one(db, "SELECT population FROM authority_population WHERE authority = 'Northshire County Council'"),
            "512000", "a population given under another spelling is stored under the canonical name");
    TAP_OK(omb_register_load_population(db, bad, &n, err, sizeof err) != OMB_OK, "an unknown authority is refused");
    TAP_OK(strstr(err, "bad.csv") && strstr(err, ":3") && strstr(err, "Nowhere Borough Council"),
           "the error names the file, the line and the name (%s)", err);

    TAP_INT(omb_register_load_subjects(db, subj, &n, err, sizeof err), OMB_OK, "the subject map loads (%s)", err);
    TAP_INT((int)n, 1, "one subject read");
    omb_store_close(st);

    unlink(reg), unlink(pop), unlink(bad), unlink(subj);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    return tap_done();
}
