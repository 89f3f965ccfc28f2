/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_text.c -- unit tests for text.c (decoding documents to UTF-8), and for
 * the small pieces of the case model that every plugin's output goes
 * through: case.c's totals and names, category.c's sub-category table.
 */
#include "decode_text.h"

#include <ombuds/plugin.h>
#include <ombuds/text.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "case.h"
#include "category.h"

/* Decodes raw[0..n) and returns the text (static) or "ERROR: message". */
static const char *decode(const char *raw, size_t n, char *note)
{
    static char buf[256];
    char *out = NULL, err[200];
    size_t len;
    int rc = omb_text_decode(raw, n, &out, &len, note, 128, err, sizeof err);
    if (rc) snprintf(buf, sizeof buf, "ERROR: %s", err);
    else snprintf(buf, sizeof buf, "%.*s", (int)len, out);
    free(out);
    return buf;
}

int main(void)
{
    char note[128];
    size_t bad;
    TAP_OK(omb_utf8_valid("plain \xC2\xA3" "5", 9, &bad), "valid UTF-8 with a pound sign");
    TAP_OK(!omb_utf8_valid("a\xC0\xAF", 3, &bad) && bad == 1, "overlong form refused at its offset");
    TAP_OK(!omb_utf8_valid("\xED\xA0\x80", 3, &bad), "a surrogate is not UTF-8");
    TAP_OK(!omb_utf8_valid("\xE2\x82", 2, &bad), "a cut sequence is not UTF-8");

    TAP_STR(decode("one\r\ntwo\rthree\n", 15, note), "one\ntwo\nthree\n", "CRLF and CR folded to LF");
    TAP_STR(note, "", "nothing to say about plain UTF-8");
    TAP_STR(decode("\xEF\xBB\xBFhello", 8, note), "hello", "UTF-8 byte-order mark dropped");
    TAP_STR(decode("pay \xA3" "500", 8, note), "pay \xC2\xA3" "500", "Windows-1252 pound converted");
    TAP_STR(note, "converted from Windows-1252 (first non-UTF-8 byte on line 1)", "and the conversion noted");
    TAP_STR(decode("\x93quoted\x94", 8, note), "\xE2\x80\x9Cquoted\xE2\x80\x9D", "Windows-1252 quotes converted");
    TAP_STR(decode("\xFF\xFEh\0i\0", 6, note), "hi", "UTF-16LE with a byte-order mark");
    TAP_STR(note, "converted from UTF-16LE", "noted as UTF-16LE");
    TAP_STR(decode("\xFE\xFF\0h\0i", 6, note), "hi", "UTF-16BE with a byte-order mark");
    TAP_STR(decode("a\nb\0c", 5, note), "ERROR: line 2: NUL byte at offset 3: not a text document", "NUL byte refused");
    TAP_STR(decode("x\n\x81\x01\x02\x03\x04", 7, note),
            "ERROR: line 2: byte 0x81 is neither UTF-8 nor Windows-1252 text: not a text document",
            "undefined Windows-1252 byte refused");

    /* case model */
    omb_case *c = omb_case_new(3);
    TAP_OK(c != NULL, "a case");
    omb_case_add_remedy(c, OMB_REMEDY_PAYMENT, 50000, "avoidable distress", "pay £500", 9, 4);
    omb_case_add_remedy(c, OMB_REMEDY_PAYMENT, OMB_AMOUNT_UNKNOWN, "", "a symbolic payment", 18, 5);
    omb_case_add_remedy(c, OMB_REMEDY_WAIVER, 617900, "", "waive £6179", 12, 6);
    omb_case_add_remedy(c, OMB_REMEDY_PAYMENT, 27350, "", "pay  \n £273.50", 15, 7);
    TAP_INT(omb_case_payment_total(c), 77350, "payments add up; unknown amounts and waivers do not count");
    TAP_STR(c->remedies[3].text, "pay £273.50", "remedy text has its white space folded");
    TAP_STR(omb_remedy_kind_name(OMB_REMEDY_WAIVER), "waiver", "kind names");
    TAP_STR(omb_field_name(OMB_FIELD_DECISION_DATE), "decision_date", "field names");
    TAP_INT(omb_case_set(c, 99, "x", 1), OMB_EINVAL, "an unknown field is refused");
    omb_case_free(c);
    omb_case_free(NULL);

    /* the sub-category table */
    TAP_STR(omb_category_of("Disabled children", 17), "Children's care services", "sub-category to category");
    TAP_STR(omb_category_of(" special educational needs. ", 28), "Education", "case and spaces ignored");
    TAP_STR(omb_category_of("Other", 5), NULL, "Other belongs to no single category");
    TAP_STR(omb_category_of("Knitting", 8), NULL, "unknown sub-category");

    /* omb_has_any_ci: its table of adjacent byte pairs may only ever pass
     * over a word that is truly absent */
    static const char *const words[] = {"apolog", "pay ", "\xC2\xA3", "x", NULL};
    static const char *const absent[] = {"refund", "waive", NULL};
    const char *act = "The Council will APOLOGISE to Mrs Y.";
    TAP_OK(omb_has_any_ci(act, strlen(act), words), "a word in another case is found");
    TAP_OK(omb_has_any_ci("pay ", 4, words), "a word that is the whole passage is found");
    TAP_OK(omb_has_any_ci("and then PAY ", 13, words), "a word at the very end is found");
    TAP_OK(omb_has_any_ci("a sum of \xC2\xA3" "250", 12, words), "a word of non-ASCII bytes is found");
    TAP_OK(omb_has_any_ci("fix", 3, words), "a one-byte word is found");
    TAP_OK(!omb_has_any_ci(act, strlen(act), absent), "absent words are not found");
    TAP_OK(!omb_has_any_ci("re fund, wa ive", 15, absent), "nor are their first pairs of bytes alone");
    TAP_OK(omb_has_any_ci("rE\0reFUnd", 10, absent), "a NUL in the passage does not hide what follows");
    char big[3000];
    memset(big, 'a', sizeof big);
    memcpy(big + 2900, "Waive", 5);
    TAP_OK(omb_has_any_ci(big, sizeof big, absent), "a passage over 2 KB is searched without folding");
    return tap_done();
}
