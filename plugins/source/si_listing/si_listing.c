/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * si_listing.c -- source plugin for the ombudsman's service-improvement
 * listing in list form: a page "Service Improvements for <council>", "There
 * are N results", then per case a line "Case Ref: 22 004 577 Category: ...
 * Sub Category: ..." followed by one bullet per agreed improvement.
 *
 * Each improvement is one row; a bullet that itself lists several actions
 * ("has agreed to: • identify ... • share ...") gives one row per action.  The
 * page is one page of a paged listing, so it records how many cases it shows
 * against the total it announces (document notes listing_shown, listing_total,
 * listing_partial) and never invents the cases it does not show.  It reads no
 * remedies (the listing names none) and normalises nothing itself: references
 * and categories go through the host table.  The detail form of the same site
 * is si_detail.
 */
#include <ombuds/plugin.h>
#include <ombuds/text.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>



/* Does the page show "Showing 1 - 10 of N", the detail form's counter?  Only
 * a range counts: "Showing 1 case" or "Showing improvements agreed ..." on a
 * list-form page is not that counter. */
static int has_showing_counter(const char *t, size_t len)
{
    for (const char *p = t; (p = omb_search_ci(p, len - (size_t)(p - t), "Showing ")); p++) {
        const char *q = p + 8;
        if (*q < '0' || *q > '9') continue;
        while (*q >= '0' && *q <= '9') q++;
        while (*q == ' ') q++;
        if (*q == '-' || !strncmp(q, "to ", 3) || !strncmp(q, "\xE2\x80\x93", 3)) return 1;
    }
    return 0;
}

static int listing_probe(const char *t, size_t len, const char *filename)
{
    size_t fl = filename ? strlen(filename) : 0;
    if (fl > 4 && strcasecmp(filename + fl - 4, ".csv") == 0) return 0;
    /* a decision page says "Decision date" near its top: the cheapest way
     * to leave one (it is also refused below) */
    if (strstr(t, "Decision date")) return 0;
    /* "Case Ref:" heads every case of this family and of no other */
    if (!omb_search_ci(t, len, "Case Ref:")) return 0;
    /* the detail form, decision pages and council annexes are other plugins' */
    if (has_showing_counter(t, len) || omb_search_ci(t, len, "following service improvement") ||
        strstr(t, "Decision date") || strstr(t, "Nature of complaint"))
        return 0;
    int score = 40;
    if (omb_search_ci(t, len, "Service Improvements for ")) score += 30;
    if (omb_search_ci(t, len, "Sub Category:")) score += 20;
    if (omb_search_ci(t, len, "There are ") || omb_search_ci(t, len, "There is ")) score += 10;
    return score > 100 ? 100 : score;
}

/* ---- one case ------------------------------------------------------------------ */

/* Parses the case line "Case Ref: 22 004 577 Category: Education Sub
 * Category: Special educational needs" ([a, b), trimmed, bullet removed) and
 * starts the case.  Returns the builder, or NULL with *rc set (OMB_OK when the
 * line holds no usable reference and the case is skipped with a warning). */
static omb_builder *case_line(const struct omb_host *h, omb_sink *sink, const char *t, size_t a, size_t b,
                              const char *auth, size_t auth_n, size_t auth_at, int *rc)
{
    char norm[11];
    size_t ra = a + strlen("Case Ref:"), re = b;
    const char *cat = h->find_ci(t + ra, b - ra, "Category:");
    const char *sub = h->find_ci(t + ra, b - ra, "Sub Category:");
    /* "Sub Category:" also contains "Category:": the category label is the
     * first "Category:" that is not the tail of "Sub Category:" */
    if (cat && sub && cat == sub + 4) cat = NULL;
    if (cat) re = (size_t)(cat - t);
    else if (sub) re = (size_t)(sub - t);
    size_t ta = ra, tb = re;
    omb_trim(t, &ta, &tb);
    *rc = OMB_OK;
    if (!h->norm_ref(t + ta, tb - ta, norm)) {
        h->warn(sink, a, "expected a case reference such as \"22 004 577\" after \"Case Ref:\", found \"%.*s\"; "
                "case skipped", (int)(tb - ta > 40 ? 40 : tb - ta), t + ta);
        return NULL;
    }
    omb_builder *bd = h->case_begin(sink, a);
    if (!bd) {
        *rc = OMB_ENOMEM;
        return NULL;
    }
    if ((*rc = h->case_set(bd, OMB_FIELD_REF, t + ta, tb - ta, ta))) goto fail;
    if (auth && (*rc = h->case_set(bd, OMB_FIELD_AUTHORITY, auth, auth_n, auth_at))) goto fail;
    size_t ca = 0, cb = 0, sa = 0, sb = 0;
    if (cat) {
        ca = (size_t)(cat - t) + strlen("Category:");
        cb = sub && sub > cat ? (size_t)(sub - t) : b;
        omb_trim(t, &ca, &cb);
    }
    if (sub) {
        sa = (size_t)(sub - t) + strlen("Sub Category:");
        sb = b;
        omb_trim(t, &sa, &sb);
        if (sb > sa && (*rc = h->case_set(bd, OMB_FIELD_SUBCATEGORY, t + sa, sb - sa, sa))) goto fail;
    }
    if (cb > ca) {
        if ((*rc = h->case_set(bd, OMB_FIELD_CATEGORY, t + ca, cb - ca, ca))) goto fail;
    } else if (sb > sa) {
        /* only the sub-category is given: the core's table knows its category */
        const char *c = h->category_of(t + sa, sb - sa);
        if (c && (*rc = h->case_set(bd, OMB_FIELD_CATEGORY, c, strlen(c), sa))) goto fail;
    }
    return bd;
fail:
    h->case_discard(bd);
    return NULL;
}

/* Is [a, b) only an introduction to the actions after it ("The Council has
 * agreed to:")? */
static int is_lead_in(const char *t, size_t a, size_t b)
{
    omb_trim(t, &a, &b);
    return b > a && t[b - 1] == ':';
}

/* Adds the improvement bullet [a, b) (its own marker removed), one row per
 * action: further bullets inside it each start an action of their own. */
static int improvement_item(const struct omb_host *h, omb_builder *bd, const char *t, size_t a, size_t b)
{
    size_t cuts[64], nc = 0;
    cuts[nc++] = a;
    for (size_t i = a; i + 2 < b && nc + 1 < sizeof cuts / sizeof cuts[0]; i++)
        if (omb_bullet_at(t, i, b)) cuts[nc++] = i;
    cuts[nc] = b;
    int rc;
    for (size_t k = 0; k < nc; k++) {
        size_t pa = cuts[k], pb = cuts[k + 1];
        if (omb_bullet_at(t, pa, pb)) pa += 3;
        omb_trim(t, &pa, &pb);
        if (pb <= pa) continue;
        /* "The Council has agreed to:" before the actions it introduces */
        if (k + 1 < nc && is_lead_in(t, pa, pb)) continue;
        if ((rc = h->case_add_improvement(bd, t + pa, pb - pa, pa))) return rc;
    }
    return OMB_OK;
}

/* ---- the page ------------------------------------------------------------------ */

/* Reads "There are 52 results" / "There is 1 result" in [a, b); returns 1
 * and sets *n. */
static int results_line(const char *t, size_t a, size_t b, long *n)
{
    size_t i;
    if (omb_starts_ci(t + a, b - a, "There are ")) i = a + 10;
    else if (omb_starts_ci(t + a, b - a, "There is ")) i = a + 9;
    else return 0;
    size_t d = i;
    long v = 0;
    while (d < b && t[d] >= '0' && t[d] <= '9' && v < 100000000) v = v * 10 + (t[d++] - '0');
    if (d == i || d >= b || t[d] != ' ') return 0;
    if (!omb_starts_ci(t + d + 1, b - (d + 1), "result")) return 0;
    *n = v;
    return 1;
}

/* Writes a number as a document note. */
static int note_number(const struct omb_host *h, omb_sink *sink, const char *key, long v, size_t at)
{
    char buf[24];
    int n = snprintf(buf, sizeof buf, "%ld", v);
    if (n < 0 || (size_t)n >= sizeof buf) return OMB_EINVAL;
    return h->doc_note(sink, key, buf, (size_t)n, at);
}

/* Ends the open improvement, if any, adding its actions to the case. */
static int close_item(const struct omb_host *h, omb_builder *bd, const char *t, int *item_open, size_t ia, size_t ib)
{
    if (!*item_open) return OMB_OK;
    *item_open = 0;
    return improvement_item(h, bd, t, ia, ib);
}

/* Is [a, b) a council's name standing alone, as the heading of a "your
 * council's performance" page gives it ("London Borough of Croydon",
 * "Staffordshire County Council")?  Words only: no colon, digits or
 * sentence. */
static int council_heading(const char *t, size_t a, size_t b)
{
    if (b <= a || b - a > 80 || t[a] < 'A' || t[a] > 'Z') return 0;
    for (size_t i = a; i < b; i++)
        if (t[i] == ':' || t[i] == '|' || t[i] == '.' || (t[i] >= '0' && t[i] <= '9')) return 0;
    static const char *const starts[] = {"London Borough of ", "Royal Borough of ", "City of ", NULL};
    for (const char *const *p = starts; *p; p++)
        if (omb_starts_ci(t + a, b - a, *p)) return 1;
    return b - a > 8 && strncasecmp(t + b - 8, " Council", 8) == 0;
}

/* Finds the council a page is about, before its first case: the title
 * "Service Improvements for X" (or "... agreed by X"), else a heading line
 * that is only a council's name, else the last step of a breadcrumb
 * ("Home > Your council's performance > X").  Tabs, filters and export
 * controls around it are not data and are passed over. */
static int page_council(const char *t, size_t len, size_t *va, size_t *vb)
{
    static const char *const titles[] = {"Service Improvements for ", "Service improvements agreed by ", NULL};
    size_t pos = 0, ha = 0, hb = 0;
    struct omb_line l;
    while (omb_next_line(t, len, &pos, &l)) {
        size_t a = l.a, b = l.b;
        omb_trim(t, &a, &b);
        size_t mk = omb_list_marker(t, a, b);
        if (omb_starts_ci(t + a + mk, b - (a + mk), "Case Ref:") || (mk == 0 && omb_search_ci(t + a, b - a, "Case Ref:"))) break;
        for (const char *const *p = titles; *p; p++)
            if (omb_starts_ci(t + a, b - a, *p)) {
                *va = a + strlen(*p);
                *vb = b;
                omb_trim(t, va, vb);
                if (*vb > *va) return 1;
            }
        if (hb > ha) continue;
        /* a breadcrumb's last step */
        for (size_t i = b; i > a; i--)
            if (t[i - 1] == '>') {
                size_t ca = i, cb = b;
                omb_trim(t, &ca, &cb);
                if (council_heading(t, ca, cb)) ha = ca, hb = cb;
                break;
            }
        if (hb == ha && council_heading(t, a, b)) ha = a, hb = b;
    }
    *va = ha;
    *vb = hb;
    return hb > ha;
}

static int listing_parse(const struct omb_host *h, omb_sink *sink, const struct omb_doc *doc)
{
    const char *t = doc->text;
    size_t len = doc->len, pos = 0;
    const char *auth = NULL;
    size_t auth_n = 0, auth_at = 0, total_at = 0;
    long total = -1, shown = 0;
    int rc = OMB_OK, item_open = 0;
    size_t ia = 0, ib = 0;
    omb_builder *bd = NULL;
    struct omb_line l;

    /* the title (or the page's heading) names the council for every case */
    size_t va, vb;
    if (page_council(t, len, &va, &vb)) {
        auth = t + va;
        auth_n = vb - va;
        auth_at = va;
    }
    if (!auth && doc->authority) {
        auth = doc->authority;
        auth_n = strlen(doc->authority);
    }
    if (!auth)
        h->warn(sink, 0, "expected a title such as \"Service Improvements for Worcestershire County Council\"; "
                "the council is left unknown (give it with --authority)");

    pos = 0;
    while (omb_next_line(t, len, &pos, &l)) {
        size_t a = l.a, b = l.b;
        omb_trim(t, &a, &b);
        size_t mk = omb_list_marker(t, a, b);
        int bullet = mk > 0;
        size_t ca = a + mk;
        while (ca < b && (t[ca] == ' ' || t[ca] == '\t')) ca++;
        long n;
        if (omb_starts_ci(t + ca, b - ca, "Case Ref:")) {
            if (bd) {
                if ((rc = close_item(h, bd, t, &item_open, ia, ib))) goto fail;
                rc = h->case_end(bd);
                bd = NULL;
                if (rc) return rc;
            }
            bd = case_line(h, sink, t, ca, b, auth, auth_n, auth_at, &rc);
            if (rc) return rc;
            if (bd) shown++;
        } else if (total < 0 && !bd && results_line(t, a, b, &n)) {
            total = n;
            total_at = a;
            if ((rc = note_number(h, sink, "listing_total", total, a))) goto fail;
        } else if (!bd) {
            continue; /* heading, counter or furniture before the first case */
        } else if (a == b) {
            if ((rc = close_item(h, bd, t, &item_open, ia, ib))) goto fail;
        } else if (bullet) {
            if ((rc = close_item(h, bd, t, &item_open, ia, ib))) goto fail;
            item_open = 1;
            ia = ca;
            ib = b;
        } else if (item_open) {
            ib = b; /* a bullet wrapped over several lines */
        } else {
            /* text that is neither a case nor a bullet ends the listing's
             * block: the logo, cookie settings and other page furniture */
            rc = h->case_end(bd);
            bd = NULL;
            if (rc) return rc;
        }
    }
    if (bd) {
        if ((rc = close_item(h, bd, t, &item_open, ia, ib))) goto fail;
        rc = h->case_end(bd);
        bd = NULL;
        if (rc) return rc;
    }
    if (total < 0 && shown == 0)
        return h->error(sink, 0, "expected case lines such as \"Case Ref: 22 004 577 Category: Education Sub "
                                 "Category: Special educational needs\" in a service-improvement listing");
    if ((rc = note_number(h, sink, "listing_shown", shown, total_at))) return rc;
    if (total >= 0) {
        if (shown > total)
            h->warn(sink, total_at, "the page says there are %ld results but shows %ld cases", total, shown);
        const char *partial = shown < total ? "yes" : "no";
        if ((rc = h->doc_note(sink, "listing_partial", partial, strlen(partial), total_at))) return rc;
    } else {
        h->warn(sink, 0, "no \"There are N results\" line: cannot tell whether this listing is complete");
    }
    return OMB_OK;
fail:
    if (bd) h->case_discard(bd);
    return rc;
}

static const struct omb_source_ops ops = {
    .probe = listing_probe,
    .parse = listing_parse,
    .rank = 70,
};

OMB_PLUGIN_EXPORT const struct omb_plugin ombuds_plugin = {
    .abi_version = OMB_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(struct omb_plugin),
    .kind = OMB_PLUGIN_SOURCE,
    .name = "si_listing",
    .version = "1.0",
    .description = "Ombudsman service-improvement listings, list form: Case Ref lines and improvement bullets",
    .ops = &ops,
};
