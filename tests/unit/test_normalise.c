/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_normalise.c -- unit tests for normalise.c: references, dates, money,
 * outcomes and white space, many spellings of each, and the near misses that
 * must be refused.
 */
#include "normalise.h"

#include <stdint.h>
#include <string.h>

#include "../tap.h"

static const char *ref(const char *s)
{
    static char out[11];
    return omb_norm_ref(s, strlen(s), out) ? out : NULL;
}

static const char *date(const char *s)
{
    static char out[11];
    return omb_norm_date(s, strlen(s), out) ? out : NULL;
}

static int64_t money(const char *s, size_t *used)
{
    int64_t p = -1;
    size_t u = omb_parse_money(s, strlen(s), &p);
    if (used) *used = u;
    return u ? p : -1;
}

int main(void)
{
    /* references */
    TAP_STR(ref("22 004 577"), "22 004 577", "spaced reference");
    TAP_STR(ref("22004577"), "22 004 577", "reference without spaces");
    TAP_STR(ref("(20 004 844)"), "20 004 844", "bracketed reference");
    TAP_STR(ref("22-004-577"), "22 004 577", "hyphenated reference");
    TAP_STR(ref("22/004/577"), "22 004 577", "slashed reference");
    TAP_STR(ref("  19019179. "), "19 019 179", "reference with trailing full stop");
    TAP_STR(ref("22 004 57"), NULL, "seven digits refused");
    TAP_STR(ref("2200457"), NULL, "seven digits without spaces refused");
    TAP_STR(ref("220045771"), NULL, "nine digits refused");
    TAP_STR(ref("22 004 577 x"), NULL, "trailing text refused");
    TAP_STR(ref(""), NULL, "empty refused");
    {
        char out[11];
        size_t st, ln;
        const char *s = "minutes for case no 19019179 were noted";
        TAP_OK(omb_find_ref(s, strlen(s), &st, &ln, out) && st == 20 && ln == 8 && !strcmp(out, "19 019 179"),
               "find_ref in prose");
        s = "phone 0121 22004577123 is not a reference";
        TAP_OK(!omb_find_ref(s, strlen(s), &st, &ln, out), "find_ref ignores longer digit runs");
        s = "row 10.\t22012023\tApology";
        TAP_OK(omb_find_ref(s, strlen(s), &st, &ln, out) && !strcmp(out, "22 012 023"), "find_ref after a tab");
    }
    {
        const char *s = "about case 23001842, Surrey County Council";
        size_t st, ln;
        char out[11];
        TAP_OK(omb_find_ref(s, strlen(s), &st, &ln, out) && st == 11 && !strcmp(out, "23 001 842"),
               "find_ref before a comma in prose");
        s = "a total of 22004577,50 pounds";
        TAP_OK(!omb_find_ref(s, strlen(s), &st, &ln, out), "find_ref ignores a number with a decimal comma");
    }

    /* dates */
    TAP_STR(date("20 Jan 2023"), "2023-01-20", "d Mon yyyy");
    TAP_STR(date("09 Oct 2022"), "2022-10-09", "dd Mon yyyy");
    TAP_STR(date("9 October 2022"), "2022-10-09", "d Month yyyy");
    TAP_STR(date("07-Oct-2021"), "2021-10-07", "dd-Mon-yyyy");
    TAP_STR(date("25-Apr-2024"), "2024-04-25", "listing date");
    TAP_STR(date("2023-01-20"), "2023-01-20", "ISO date");
    TAP_STR(date("20/01/2023"), "2023-01-20", "British numeric date");
    TAP_STR(date("Wednesday, 26th February, 2025"), "2025-02-26", "minutes date with weekday and ordinal");
    TAP_STR(date("1st April 2021"), "2021-04-01", "ordinal day");
    TAP_STR(date("11 January 2024"), "2024-01-11", "press release date");
    TAP_STR(date("3 Sept 2020"), "2020-09-03", "Sept abbreviation");
    TAP_STR(date("29 Feb 2024"), "2024-02-29", "leap day");
    TAP_STR(date("29 Feb 2023"), NULL, "29 Feb in a common year refused");
    TAP_STR(date("31 Feb 2023"), NULL, "31 Feb refused");
    TAP_STR(date("00-Jan-2021"), NULL, "day 0 refused");
    TAP_STR(date("32 Jan 2021"), NULL, "day 32 refused");
    TAP_STR(date("13/13/2021"), NULL, "month 13 refused");
    TAP_STR(date("20 Janvier 2023"), NULL, "unknown month refused");
    TAP_STR(date("Funday, 1 Jan 2023"), NULL, "unknown weekday refused");
    {
        char out[11];
        size_t st, ln;
        const char *s = "Article date: 11 January 2024";
        TAP_OK(omb_find_date(s, strlen(s), &st, &ln, out) && !strcmp(out, "2024-01-11") && st == 14,
               "find_date in a line");
    }

    /* money */
    size_t used;
    TAP_INT(money("\xC2\xA3" "500", &used), 50000, "£500");
    TAP_INT(used, 5, "£500 uses 5 bytes (£ is two in UTF-8)");
    TAP_INT(money("\xC2\xA3" "3,000", NULL), 300000, "£3,000");
    TAP_INT(money("\xC2\xA3" "6179", NULL), 617900, "£6179");
    TAP_INT(money("\xC2\xA3" "2,736.50", NULL), 273650, "£2,736.50");
    TAP_INT(money("\xC2\xA3" "2736.50 for", NULL), 273650, "£2736.50 then words");
    TAP_INT(money("\xC2\xA3" "1,000,000", NULL), 100000000, "£1,000,000");
    TAP_INT(money("\xC2\xA3" "300.", &used), 30000, "£300 at the end of a sentence");
    TAP_INT(used, 5, "the full stop is not part of the amount");
    TAP_INT(money("\xC2\xA3\n300 settlement", NULL), 30000, "£ split from its amount by a line break");
    TAP_INT(money("\xC2\xA3 500", NULL), 50000, "£ then a space");
    TAP_INT(money("500", NULL), 50000, "plain number");
    TAP_INT(money("\xC2\xA3" "1,50", NULL), 100, "a comma not followed by three digits ends the amount");
    TAP_INT(money("\xC2\xA3" "99999999999999999999", NULL), -1, "overflowing amount refused");
    TAP_INT(money("\xC2\xA3" "10000000001", NULL), -1, "amount over the limit refused");
    TAP_INT(money("\xC2\xA3", NULL), -1, "£ alone is no amount");
    TAP_INT(money("N/A", NULL), -1, "N/A is no amount");

    /* outcomes */
    TAP_STR(omb_norm_outcome("Upheld", 6), "upheld", "Upheld");
    TAP_STR(omb_norm_outcome("Not upheld", 10), "not upheld", "Not upheld");
    TAP_STR(omb_norm_outcome("Upheld: maladministration and injustice", 39), "upheld", "upheld with reason");
    TAP_STR(omb_norm_outcome("Not upheld: no maladministration", 32), "not upheld", "not upheld with reason");
    TAP_STR(omb_norm_outcome("Closed after initial enquiries", 30), "closed after initial enquiries",
            "closed after initial enquiries");
    TAP_STR(omb_norm_outcome("Statement Upheld", 16), "upheld", "listing wording");
    TAP_STR(omb_norm_outcome("Premature", 9), "premature", "premature");
    TAP_STR(omb_norm_outcome("Referred back for local resolution", 34), "premature", "referred back");
    TAP_STR(omb_norm_outcome("Withdrawn", 9), "withdrawn", "withdrawn");
    TAP_STR(omb_norm_outcome("Something else", 14), "unknown", "unknown outcome");

    /* white space */
    {
        char out[64];
        omb_fold_space("  a \n\t b  c ", 12, out, sizeof out);
        TAP_STR(out, "a b c", "fold and trim");
        omb_fold_space("x\xC2\xA0y", 4, out, sizeof out);
        TAP_STR(out, "x y", "no-break space folded");
        char small[5];
        omb_fold_space("ab\xC2\xA3" "cd", 6, small, sizeof small);
        TAP_STR(small, "ab\xC2\xA3", "a whole UTF-8 sequence fits");
        char tiny[4];
        omb_fold_space("ab\xC2\xA3" "cd", 6, tiny, sizeof tiny);
        TAP_STR(tiny, "ab", "cut never splits a UTF-8 sequence");
    }
    return tap_done();
}
