/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_output.c -- unit tests for output.c, the renderer of rows: CSV
 * quoting (RFC 4180), JSON string escaping, the format names, display widths
 * of UTF-8, and whole statements rendered as CSV, JSON and an aligned table,
 * all written to a memory stream the test owns (the renderer is given its
 * sink; it never chooses stdout).
 */
#define _GNU_SOURCE
#include "output.h"

#include <ombuds/plugin.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"

/* Runs fn's output into a string (malloc'd). */
struct mem {
    char *p;
    size_t n;
    FILE *f;
};
static FILE *mem_open(struct mem *m)
{
    m->p = NULL;
    m->n = 0;
    return m->f = open_memstream(&m->p, &m->n);
}
static char *mem_close(struct mem *m)
{
    fclose(m->f);
    return m->p;
}

static char *csv_field(const char *s)
{
    struct mem m;
    omb_csv_field(mem_open(&m), s, strlen(s));
    return mem_close(&m);
}

static char *json_string(const char *s, size_t n)
{
    struct mem m;
    omb_json_string(mem_open(&m), s, n);
    return mem_close(&m);
}

static char *render(sqlite3 *db, const char *sql, int format, int width)
{
    sqlite3_stmt *s;
    char err[256] = "";
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) return NULL;
    struct mem m;
    int rc = omb_output_stmt(mem_open(&m), s, format, 0, width, err, sizeof err);
    sqlite3_finalize(s);
    char *out = mem_close(&m);
    if (rc != OMB_OK) {
        free(out);
        return NULL;
    }
    return out;
}

#define CHECK_STR(expr, want, ...)                                                                                    \
    do {                                                                                                           \
        char *got_ = (expr);                                                                                       \
        TAP_STR(got_ ? got_ : "(null)", want, __VA_ARGS__);                                                        \
        free(got_);                                                                                                \
    } while (0)

int main(void)
{
    /* format names */
    TAP_INT(omb_out_format_parse("table"), OMB_OUT_TABLE, "\"table\" is the table format");
    TAP_INT(omb_out_format_parse("csv"), OMB_OUT_CSV, "\"csv\" is CSV");
    TAP_INT(omb_out_format_parse("json"), OMB_OUT_JSON, "\"json\" is JSON");
    TAP_INT(omb_out_format_parse("jsonl"), OMB_OUT_JSONL, "\"jsonl\" is JSON lines");
    TAP_INT(omb_out_format_parse("xml"), 0, "an unknown format is 0");
    TAP_INT(omb_out_format_parse(NULL), 0, "no format is 0");

    /* CSV fields: quoted only when they hold a comma, quote or line break */
    CHECK_STR(csv_field("Kent County Council"), "Kent County Council", "a plain CSV field is not quoted");
    CHECK_STR(csv_field("Smith, J"), "\"Smith, J\"", "a field with a comma is quoted");
    CHECK_STR(csv_field("the \"fault\""), "\"the \"\"fault\"\"\"", "quotes inside a field are doubled");
    CHECK_STR(csv_field("two\nlines"), "\"two\nlines\"", "a field with a newline is quoted");

    /* JSON strings */
    CHECK_STR(json_string("plain", 5), "\"plain\"", "a plain JSON string");
    CHECK_STR(json_string("a\"b\\c", 5), "\"a\\\"b\\\\c\"", "quote and backslash are escaped");
    CHECK_STR(json_string("l1\nl2\t", 6), "\"l1\\nl2\\t\"", "newline and tab are escaped");
    CHECK_STR(json_string("\x01", 1), "\"\\u0001\"", "a control byte is a \\u escape");
    CHECK_STR(json_string("\xC2\xA3" "5", 3), "\"\xC2\xA3" "5\"", "UTF-8 (a pound sign) passes through");

    /* display widths: one column per code point */
    TAP_INT((int)omb_utf8_width("abc", 3), 3, "ASCII width is its length");
    TAP_INT((int)omb_utf8_width("\xC2\xA3" "12", 4), 3, "a two-byte pound sign is one column");
    TAP_INT((int)omb_utf8_width("\xE2\x80\xA6", 3), 1, "a three-byte ellipsis is one column");

    /* whole statements */
    sqlite3 *db;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
        printf("Bail out! cannot open an in-memory database\n");
        return 1;
    }
    const char *q = "SELECT 'Kent' AS authority, 3 AS n UNION ALL SELECT 'Hull, East', NULL";
    CHECK_STR(render(db, q, OMB_OUT_CSV, 0), "authority,n\r\nKent,3\r\n\"Hull, East\",\r\n",
              "CSV: a header line, then one CRLF-ended line per row (RFC 4180), NULL empty");
    char *json = render(db, q, OMB_OUT_JSON, 0);
    TAP_OK(json && strstr(json, "\"authority\":\"Kent\"") && strstr(json, "\"n\":3") &&
               strstr(json, "\"authority\":\"Hull, East\"") && strstr(json, "\"n\":null"),
           "JSON: one object per row, integers as numbers, NULL as null (%s)", json ? json : "(null)");
    TAP_OK(json && json[0] == '[', "JSON: the rows form an array");
    free(json);
    char *table = render(db, q, OMB_OUT_TABLE, 0);
    TAP_OK(table && strstr(table, "authority") && strstr(table, "Hull, East") && strstr(table, "Kent"),
           "table: header and every row shown");
    /* aligned: the n column starts at the same offset on the header line and
     * on Kent's line ("authority" has no letter n) */
    if (table && strstr(table, "Kent")) {
        const char *h = strstr(table, "authority"), *k = strstr(table, "Kent");
        while (h > table && h[-1] != '\n') h--;
        while (k > table && k[-1] != '\n') k--;
        const char *hn = strchr(h, 'n'), *k3 = strchr(k, '3');
        TAP_INT((int)(k3 - k), (int)(hn - h), "table: the n column is aligned under its header");
    } else {
        TAP_OK(0, "table: the n column is aligned under its header");
    }
    free(table);
    /* a long text column wraps at spaces inside its column: every line fits,
     * nothing is cut, the authority stays whole on the row's first line and
     * the wrapped lines put back together give the text */
    static const char summary[] = "a very long summary of what went wrong here and what the council agreed to do";
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT 'Kent County Council' AS authority, '%s' AS summary", summary);
    char *narrow = render(db, sql, OMB_OUT_TABLE, 40);
    int fits = narrow != NULL, blanks = 0, lines = 0;
    char joined[512] = "";
    if (narrow)
        for (char *l = narrow; *l;) {
            char *e = strchr(l, '\n');
            size_t n = e ? (size_t)(e - l) : strlen(l);
            if (omb_utf8_width(l, n) > 40) fits = 0;
            if (n && l[n - 1] == ' ') blanks++;
            if (lines >= 2 && n > 21 && strncmp(l, "(1 row)", 7)) { /* the summary column starts at 21 */
                if (joined[0]) strcat(joined, " ");
                strncat(joined, l + 21, n - 21);
            }
            lines++;
            l += n + (e != NULL);
        }
    TAP_OK(narrow && fits, "table: a free-text column narrows so every line fits the width given (40)");
    TAP_OK(lines > 4, "table: its cell wraps, the row taking several lines (%d lines)", lines);
    TAP_STR(joined, summary, "table: the wrapped lines put back together give the whole text");
    TAP_OK(narrow && !strstr(narrow, "\xE2\x80\xA6"), "table: no cell is cut with an ellipsis");
    TAP_OK(narrow && strstr(narrow, "\nKent County Council  a very"), "table: the authority is whole, on the row's first line");
    TAP_INT(blanks, 0, "table: no line ends in blanks (the wrapped row's empty cells)");
    free(narrow);
    char *piped = render(db, sql, OMB_OUT_TABLE, 0);
    TAP_OK(piped && strstr(piped, summary), "table at width 0 (a pipe): the text whole on one line");
    free(piped);

    /* identifiers are never cut: when they alone are wider than the width,
     * each row is folded into "column : value" lines */
    const char *idq = "SELECT '22 011 234' AS ref, '2023-09-14' AS decision_date, "
                      "'Somerset Council' AS authority, 123450 AS payments_pence, 'long text here' AS summary";
    char *ids = render(db, idq, OMB_OUT_TABLE, 40);
    TAP_OK(ids && strstr(ids, "-[ row 1 ]") && strstr(ids, "\nref           : 22 011 234\n") &&
               strstr(ids, "\ndecision_date : 2023-09-14\n") && strstr(ids, "\nauthority     : Somerset Council\n"),
           "table: too wide for its identifiers at 40, the row is folded, each value whole");
    TAP_OK(ids && strstr(ids, "\npayments      : \xC2\xA3" "1,234.50\n") && !strstr(ids, "payments_pence"),
           "table: a *_pence column shows pounds under its name without the suffix");
    TAP_OK(ids && strstr(ids, "\n(1 row)\n"), "table: a folded table still counts its rows");
    free(ids);
    ids = render(db, idq, OMB_OUT_TABLE, 24);
    TAP_OK(ids && strstr(ids, "\nauthority:\n  Somerset Council\n") && strstr(ids, "\nref:\n  22 011 234\n"),
           "table: narrower than the column names allow (24), each value goes under its name");
    free(ids);
    CHECK_STR(render(db, "SELECT 273551.612903226 AS mean_pence, 2.5 AS ratio", OMB_OUT_CSV, 0),
              "mean_pence,ratio\r\n273552,2.5\r\n", "CSV: fractional pence are rounded to the penny, other reals kept");
    CHECK_STR(render(db, "SELECT -1050.5 AS change_pence", OMB_OUT_JSON, 0), "[\n{\"change_pence\":-1051}\n]\n",
              "JSON: pence stay integers (halves away from zero)");
    char *neg = render(db, "SELECT -1050 AS change_pence", OMB_OUT_TABLE, 0);
    TAP_OK(neg && strstr(neg, "-\xC2\xA3" "10.50"), "table: negative money reads -£10.50");
    free(neg);
    sqlite3_close(db);
    return tap_done();
}
