/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_remedy.c -- unit tests for the remedy extractor (remedy.c) over the
 * phrasings of decision pages, listings and council annexes: apologies,
 * several payments with purposes, one payment with several purposes, totals
 * that restate their parts, waivers, rates, unknown amounts and services.
 */
#include "remedy.h"

#include <ombuds/plugin.h>
#include <stdio.h>
#include <string.h>

#include "../tap.h"

struct got {
    int n;
    int kind[16];
    int64_t pence[16];
    char purposes[16][128];
    char text[16][256];
};

static int collect(void *ud, int kind, int64_t pence, const char *purposes, const char *text, size_t n, size_t at)
{
    struct got *g = ud;
    (void)at;
    if (g->n >= 16) return 0;
    g->kind[g->n] = kind;
    g->pence[g->n] = pence;
    snprintf(g->purposes[g->n], sizeof g->purposes[0], "%s", purposes);
    snprintf(g->text[g->n], sizeof g->text[0], "%.*s", (int)n, text);
    g->n++;
    return 0;
}

static struct got run(const char *s)
{
    struct got g;
    memset(&g, 0, sizeof g);
    omb_extract_remedies(s, strlen(s), 0, collect, &g);
    return g;
}

/* The flagged extractor: which remedies came back marked paid before. */
struct flagged {
    int n;
    int kind[16];
    int64_t pence[16];
    unsigned flags[16];
};

static int collect_flags(void *ud, int kind, int64_t pence, const char *purposes, const char *text, size_t n,
                         size_t at, unsigned flags)
{
    struct flagged *g = ud;
    (void)purposes, (void)text, (void)n, (void)at;
    if (g->n >= 16) return 0;
    g->kind[g->n] = kind;
    g->pence[g->n] = pence;
    g->flags[g->n] = flags;
    g->n++;
    return 0;
}

static struct flagged run_flags(const char *s, unsigned flags)
{
    struct flagged g;
    memset(&g, 0, sizeof g);
    omb_extract_remedies_flags(s, strlen(s), 0, flags, collect_flags, &g);
    return g;
}

static int64_t total(const struct got *g)
{
    int64_t t = 0;
    for (int i = 0; i < g->n; i++)
        if (g->kind[i] == OMB_REMEDY_PAYMENT && g->pence[i] > 0) t += g->pence[i];
    return t;
}

int main(void)
{
    struct got g;

    g = run("Apology, Financial redress of \xC2\xA3" "500 for avoidable distress / time and trouble, \xC2\xA3" "250 for "
            "loss of service.");
    TAP_INT(g.n, 3, "annex row: apology and two payments");
    TAP_INT(g.kind[0], OMB_REMEDY_APOLOGY, "first is the apology");
    TAP_STR(g.text[0], "Apology", "apology text is its own item");
    TAP_INT(g.pence[1], 50000, "first payment £500");
    TAP_STR(g.purposes[1], "avoidable distress;time and trouble", "a slash between two purposes gives both");
    TAP_INT(g.pence[2], 25000, "second payment £250");
    TAP_STR(g.purposes[2], "loss of service", "loss of service");

    g = run("Apology, Financial redress of \xC2\xA3" "500 for the distress and uncertainty it caused her, \xC2\xA3"
            "6900 to mark the months without education provision, and \xC2\xA3" "150 for time and trouble spent "
            "on the complaint.");
    TAP_INT(total(&g), 755000, "three payments add up to £7,550");
    TAP_STR(g.purposes[1], "avoidable distress;uncertainty", "distress and uncertainty");
    TAP_STR(g.purposes[2], "loss of service", "months without education provision is loss of service");
    TAP_STR(g.purposes[3], "time and trouble", "time and trouble");

    g = run("Apology, Financial redress of \xC2\xA3" "700 for avoidable distress / time and trouble, a further "
            "\xC2\xA3" "500 for Quantifiable Loss. \xC2\xA3" "440 to reimburse the tutor the parents paid for.");
    TAP_INT(total(&g), 164000, "row 10 of the annex totals £1,640");
    TAP_INT(g.pence[2], 50000, "£500 quantifiable loss");
    TAP_STR(g.purposes[2], "quantifiable loss", "quantifiable loss purpose");
    TAP_INT(g.pence[3], 44000, "£440 reimbursement");
    TAP_STR(g.purposes[3], "quantifiable loss", "reimbursement is quantifiable loss");

    g = run("Apology, a single redress of \xC2\xA3" "1700 for Avoidable distress / time and trouble and for Loss of service.");
    TAP_INT(g.n, 2, "one payment with several purposes stays one payment");
    TAP_STR(g.purposes[1], "avoidable distress;time and trouble;loss of service", "all its purposes");

    g = run("Apology, Financial redress: \xC2\xA3" "500 Avoidable distress / time and trouble, redress of "
            "\xC2\xA3" "6000 for Loss of service, and it will provide services for the pupil from this term");
    TAP_INT(total(&g), 650000, "colon form and no 'for'");
    TAP_INT(g.kind[g.n - 1], OMB_REMEDY_SERVICE, "provide services is a service remedy");

    g = run("The Council will pay Mrs X \xC2\xA3" "1,500 for the loss of education and \xC2\xA3" "450 for her time "
            "and trouble, a total of \xC2\xA3" "1,950.");
    TAP_INT(total(&g), 195000, "a total restating its parts is not counted again");
    TAP_INT(g.n, 2, "two payments, no third for the total");

    g = run("The Council will pay Mr Y a total of \xC2\xA3" "800 to acknowledge the distress caused.");
    TAP_INT(total(&g), 80000, "a lone total is the payment");

    g = run("Within one month the Council will waive \xC2\xA3" "6179 of care fees and apologise to Mrs Z.");
    TAP_INT(g.n, 2, "waiver and apology");
    TAP_INT(g.kind[1], OMB_REMEDY_WAIVER, "waiving fees is a waiver");
    TAP_INT(g.pence[1], 617900, "waiver amount");
    TAP_INT(total(&g), 0, "a waiver is not a payment");

    g = run("The Council will make a symbolic payment to Mr A for his distress.");
    TAP_INT(g.n, 1, "symbolic payment");
    TAP_INT(g.kind[0], OMB_REMEDY_PAYMENT, "is a payment");
    TAP_INT(g.pence[0], OMB_AMOUNT_UNKNOWN, "of unknown amount");
    TAP_STR(g.purposes[0], "avoidable distress", "with its purpose");

    g = run("apologise to Ms V and her son, issue his final EHC Plan, pay them a sum of money and agree some service "
            "improvements.");
    TAP_INT(g.kind[0], OMB_REMEDY_APOLOGY, "summary form: apology");
    TAP_INT(g.kind[1], OMB_REMEDY_PAYMENT, "summary form: payment");
    TAP_INT(g.pence[1], OMB_AMOUNT_UNKNOWN, "summary form: amount unknown");
    TAP_INT(g.kind[2], OMB_REMEDY_SERVICE, "summary form: issuing the plan is a service");

    g = run("The Council will fund tuition at \xC2\xA3" "40 an hour and pay Ms B \xC2\xA3" "300 for her distress.");
    TAP_INT(total(&g), 30000, "a rate is not a payment");

    g = run("Before we became involved, the Council had remedied the injustice itself.");
    TAP_INT(g.n, 1, "already remedied");
    TAP_INT(g.kind[0], OMB_REMEDY_OTHER, "is an other remedy");

    g = run("This was remedied when the council assessed the complaint. Redress of \xC2\xA3" "1300 followed for avoidable distress / time and trouble.");
    TAP_INT(g.kind[0], OMB_REMEDY_OTHER, "remedied before the investigation");
    TAP_INT(total(&g), 130000, "and its payment");

    g = run("Apology, Financial redress of \xC2\xA3" "500 for Avoidable distress / time and trouble, plus "
            "\xC2\xA3" "2736.50 for Loss of service.");
    TAP_INT(total(&g), 323650, "row 29 totals £3,236.50");

    g = run("N/A");
    TAP_INT(g.n, 0, "N/A is nothing");

    /* phrasings met in decision pages and reports */
    g = run("and to pay him \xC2\xA3" "100 for his time\n     and trouble.");
    TAP_STR(g.purposes[0], "time and trouble", "a purpose wrapped over two lines is still read");

    g = run("The Council offered, before my investigation, to apologise to Mr T and to pay him \xC2\xA3" "100.");
    TAP_STR(g.text[0], "The Council offered, before my investigation, to apologise to Mr T and to pay him \xC2\xA3" "100.",
            "the apology keeps its clause when the comma does not end the apology");

    g = run("Pay Mrs X \xC2\xA3" "300 for her distress. Pay her \xC2\xA3" "150 for her time and trouble. This is a "
            "total of \xC2\xA3" "450.");
    TAP_INT(g.n, 2, "a total in a sentence of its own restating the parts is not a third payment");
    TAP_INT(total(&g), 45000, "so the payments add up to \xC2\xA3" "450");

    g = run("Waive \xC2\xA3" "6179 of care fees. Pay \xC2\xA3" "300 for distress and \xC2\xA3" "150 for time and "
            "trouble. The total payment of \xC2\xA3" "450 is due in a month.");
    TAP_INT(total(&g), 45000, "a total that leaves the waiver out is still a restatement");
    TAP_INT(g.kind[0], OMB_REMEDY_WAIVER, "and the waiver stays a waiver");

    g = run("Pay \xC2\xA3" "300 for distress. It will also pay a total of \xC2\xA3" "200 for time and trouble.");
    TAP_INT(total(&g), 50000, "a total that restates nothing is a payment");

    g = run("pay Mrs N \xC2\xA3" "900 for the provision J missed, to be used for his education;");
    TAP_STR(g.purposes[0], "loss of service", "provision someone missed is loss of service");

    g = run("issue J's final plan if it has not already done so.");
    TAP_INT(g.n, 1, "issuing a final plan");
    TAP_INT(g.kind[0], OMB_REMEDY_SERVICE, "is a service remedy");

    /* issue 15: open-ended rates, rates with their totals, money that is no remedy */
    g = run("pay Miss D \xC2\xA3" "150 a month from February 2023 until it offers her suitable accommodation.");
    TAP_INT(g.n, 1, "a rate alone is one payment");
    TAP_INT(g.kind[0], OMB_REMEDY_PAYMENT, "an open-ended payment");
    TAP_OK(g.pence[0] == OMB_AMOUNT_UNKNOWN, "with no total");
    TAP_OK(strstr(g.text[0], "150 a month") != NULL, "and its text gives the rate");

    g = run("pay them \xC2\xA3" "100 for each week beyond six in bed and breakfast, which comes to \xC2\xA3" "2,100.");
    TAP_INT(g.n, 1, "a rate with its sum is one payment");
    TAP_INT(total(&g), 210000, "of the sum");

    g = run("In its stage two reply the Council offered Mrs X \xC2\xA3" "250, which she refused.");
    TAP_INT(total(&g), 0, "an offer refused is no remedy");
    g = run("Mrs X claimed \xC2\xA3" "2,000 for private tuition.");
    TAP_INT(total(&g), 0, "an amount claimed is no remedy");
    g = run("The \xC2\xA3" "150 the Council paid after her earlier complaint is not part of this remedy.");
    TAP_INT(total(&g), 0, "money from an earlier complaint is no remedy");
    g = run("reimburse the \xC2\xA3" "2,180 Mrs X was invoiced for the care home.");
    TAP_INT(total(&g), 218000, "reimbursing an invoice is a remedy");
    g = run("pay Mr X \xC2\xA3" "1500 for his distress.");
    TAP_INT(total(&g), 150000, "an amount without a comma");

    /* paid before the decision (OMB_EXTRACT_PAID_BEFORE_CUES) */
    struct flagged f;
    f = run_flags("pay Mrs Y \xC2\xA3" "500 for her distress, in addition to the \xC2\xA3" "200 it has already paid.",
                  OMB_EXTRACT_PAID_BEFORE_CUES);
    TAP_INT(f.n, 2, "new money and money already paid: two payments");
    TAP_INT(f.flags[0] & OMB_REMEDY_PAID_BEFORE, 0, "the new \xC2\xA3" "500 is not paid before");
    TAP_INT(f.flags[1] & OMB_REMEDY_PAID_BEFORE, OMB_REMEDY_PAID_BEFORE, "the \xC2\xA3" "200 it has already paid is");
    f = run_flags("pay Miss X the \xC2\xA3" "100 it offered at stage two for her time and trouble.",
                  OMB_EXTRACT_PAID_BEFORE_CUES);
    TAP_INT(f.n == 1 && f.pence[0] == 10000 && (f.flags[0] & OMB_REMEDY_PAID_BEFORE), 1, "money it offered is paid before");
    f = run_flags("The Council will refund \xC2\xA3" "1,500 of the fees the family has already paid.",
                  OMB_EXTRACT_PAID_BEFORE_CUES);
    TAP_INT(f.n == 1 && !(f.flags[0] & OMB_REMEDY_PAID_BEFORE), 1, "fees the family already paid: the refund is new");
    f = run_flags("The Council had already paid him \xC2\xA3" "1,000.", 0);
    TAP_INT(f.n == 1 && f.flags[0] == 0, 1, "without the cue flag nothing is marked (minutes: compliance)");
    f = run_flags("The Council has already apologised and paid Mr X \xC2\xA3" "300.", OMB_EXTRACT_PAID_BEFORE_CUES);
    TAP_INT(f.n, 2, "an apology and a payment already made");
    TAP_INT((int)(f.flags[0] & f.flags[1] & OMB_REMEDY_PAID_BEFORE), OMB_REMEDY_PAID_BEFORE, "both marked paid before");
    f = run_flags("apologise to Mr X and pay him \xC2\xA3" "250.", OMB_REMEDY_PAID_BEFORE);
    TAP_INT((int)(f.flags[0] & f.flags[1] & OMB_REMEDY_PAID_BEFORE), OMB_REMEDY_PAID_BEFORE,
            "OMB_REMEDY_PAID_BEFORE marks every remedy of the passage");
    return tap_done();
}
