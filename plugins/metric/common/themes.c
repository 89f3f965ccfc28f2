/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * themes.c -- the improvement classifier (themes.h).  A rule is
 * "kind<TAB>theme<TAB>phrase | phrase ..."; a phrase matches when it occurs
 * in the text case-insensitively starting at a word boundary, so "remind"
 * matches "reminder" and "reminded" but "record" does not match "unrecorded".
 * Rules are data, not code, so users extend them without rebuilding
 * (~/.local/share/ombuds/improvement_themes.tsv).  Statutory references are
 * found by shape (a capitalised title, "Act", a year) rather than by a list,
 * so Acts nobody listed are still picked out.
 */
#include "themes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rule {
    int kind;
    char *theme;
    char **phrases; /* lower-case, NUL-terminated */
    size_t n;
};

/* Invariant: once loaded is set, rules never change for the process. */
struct themes {
    struct rule *r;
    size_t n;
    int loaded;
};

static struct themes cache;

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }
static int is_alnum(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (c & 0x80);
}

static char *dup_trim(const char *p, size_t n, int fold)
{
    while (n && (*p == ' ' || *p == '\t')) p++, n--;
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t')) n--;
    char *d = malloc(n + 1);
    if (!d) return NULL;
    for (size_t k = 0; k < n; k++) d[k] = fold ? (char)lower((unsigned char)p[k]) : p[k];
    d[n] = '\0';
    return d;
}

struct load_ctx {
    omb_call *ctx;
    struct themes *t;
};

static int bad_line(struct load_ctx *l, const char *path, size_t lineno, const char *why, const char *text, size_t n)
{
    return l->ctx->host->call_error(l->ctx, "%s:%zu: %s, found \"%.*s\"", path, lineno, why, (int)(n > 60 ? 60 : n),
                                    text);
}

static int load_line(void *ud, const char *path, size_t lineno, const char *text, size_t n)
{
    struct load_ctx *l = ud;
    size_t i = 0;
    while (i < n && (text[i] == ' ' || text[i] == '\t')) i++;
    if (i == n || text[i] == '#') return OMB_OK;
    const char *t1 = memchr(text, '\t', n);
    const char *t2 = t1 ? memchr(t1 + 1, '\t', n - (size_t)(t1 + 1 - text)) : NULL;
    if (!t1 || !t2) return bad_line(l, path, lineno, "expected kind<TAB>theme<TAB>phrase | phrase", text, n);
    int kind;
    size_t kn = (size_t)(t1 - text);
    if (kn == 6 && !strncmp(text, "action", 6)) kind = THEME_ACTION;
    else if (kn == 7 && !strncmp(text, "subject", 7)) kind = THEME_SUBJECT;
    else return bad_line(l, path, lineno, "expected the kind \"action\" or \"subject\" first", text, n);
    struct themes *t = l->t;
    struct rule *p = realloc(t->r, (t->n + 1) * sizeof *p);
    if (!p) return l->ctx->host->call_error(l->ctx, "out of memory");
    t->r = p;
    struct rule *r = &t->r[t->n];
    memset(r, 0, sizeof *r);
    r->kind = kind;
    if (!(r->theme = dup_trim(t1 + 1, (size_t)(t2 - t1 - 1), 0))) return l->ctx->host->call_error(l->ctx, "out of memory");
    t->n++; /* counted now so a failure below still frees the theme */
    if (!*r->theme) return bad_line(l, path, lineno, "expected a theme name in the second column", text, n);
    const char *s = t2 + 1, *end = text + n;
    while (s < end) {
        const char *bar = memchr(s, '|', (size_t)(end - s));
        const char *e = bar ? bar : end;
        char *ph = dup_trim(s, (size_t)(e - s), 1);
        if (!ph) return l->ctx->host->call_error(l->ctx, "out of memory");
        if (*ph) {
            char **pp = realloc(r->phrases, (r->n + 1) * sizeof *pp);
            if (!pp) {
                free(ph);
                return l->ctx->host->call_error(l->ctx, "out of memory");
            }
            r->phrases = pp;
            r->phrases[r->n++] = ph;
        } else {
            free(ph);
        }
        s = e + 1;
    }
    if (!r->n) return bad_line(l, path, lineno, "expected at least one phrase in the third column", text, n);
    return OMB_OK;
}

static void themes_clear(struct themes *t)
{
    for (size_t k = 0; k < t->n; k++) {
        for (size_t j = 0; j < t->r[k].n; j++) free(t->r[k].phrases[j]);
        free(t->r[k].phrases);
        free(t->r[k].theme);
    }
    free(t->r);
    memset(t, 0, sizeof *t);
}

/* The rules are cached for the life of the plugin; free them when the
 * plugin is unloaded, so nothing is lost when the core dlcloses it. */
__attribute__((destructor)) static void themes_unload(void) { themes_clear(&cache); }

const struct themes *themes_get(omb_call *ctx)
{
    if (cache.loaded) return &cache;
    struct load_ctx l = {ctx, &cache};
    if (ctx->host->read_data(ctx, "improvement_themes.tsv", load_line, &l) != OMB_OK) {
        themes_clear(&cache);
        return NULL;
    }
    cache.loaded = 1;
    return &cache;
}

/* Does the lower-case phrase occur in text at a word start? */
static int has_phrase(const char *text, const char *ph)
{
    size_t n = strlen(ph);
    for (const char *p = text; *p; p++) {
        if (p > text && is_alnum((unsigned char)p[-1])) continue;
        size_t k = 0;
        while (k < n && p[k] && lower((unsigned char)p[k]) == (unsigned char)ph[k]) k++;
        if (k == n) return 1;
    }
    return 0;
}

int themes_match(const struct themes *t, int kind, const char *text, const char **out, int max)
{
    int m = 0;
    if (!t || !text) return 0;
    for (size_t k = 0; k < t->n && m < max; k++) {
        const struct rule *r = &t->r[k];
        if (r->kind != kind) continue;
        int dup = 0;
        for (int j = 0; j < m && !dup; j++) dup = !strcmp(out[j], r->theme);
        if (dup) continue;
        for (size_t j = 0; j < r->n; j++)
            if (has_phrase(text, r->phrases[j])) {
                out[m++] = r->theme;
                break;
            }
    }
    return m;
}

const char *themes_kind_name(int kind)
{
    return kind == THEME_ACTION ? "action" : kind == THEME_SUBJECT ? "subject" : "reference";
}

const char *themes_join(const char *const *names, int n, char *buf, size_t cap)
{
    size_t o = 0;
    if (n <= 0 || cap == 0) return NULL;
    buf[0] = '\0';
    for (int k = 0; k < n; k++) {
        int w = snprintf(buf + o, cap - o, "%s%s", k ? "; " : "", names[k]);
        if (w < 0 || (size_t)w >= cap - o) break;
        o += (size_t)w;
    }
    return buf;
}

/* ---- statutory references ------------------------------------------------------ */

static int is_upper(int c) { return c >= 'A' && c <= 'Z'; }
static int is_digit(int c) { return c >= '0' && c <= '9'; }

/* Start of the word that ends just before position e (skipping spaces). */
static const char *word_before(const char *text, const char *e, const char **wend)
{
    while (e > text && e[-1] == ' ') e--;
    *wend = e;
    const char *b = e;
    while (b > text && (is_alnum((unsigned char)b[-1]) || b[-1] == '\'' || b[-1] == '-')) b--;
    return b;
}

static int word_is(const char *b, const char *e, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(e - b) != n) return 0;
    for (size_t k = 0; k < n; k++)
        if (lower((unsigned char)b[k]) != w[k]) return 0;
    return 1;
}

/* Adds ref unless already there. */
static int add_ref(char out[][THEMES_REF_LEN], int m, int max, const char *ref)
{
    for (int k = 0; k < m; k++)
        if (!strcmp(out[k], ref)) return m;
    if (m >= max) return m;
    snprintf(out[m], THEMES_REF_LEN, "%s", ref);
    return m + 1;
}

int themes_refs(const char *text, char out[][THEMES_REF_LEN], int max)
{
    int m = 0;
    if (!text) return 0;
    for (const char *p = text; (p = strstr(p, " Act ")) != NULL; p += 4) {
        const char *y = p + 5;
        if (!(is_digit(y[0]) && is_digit(y[1]) && is_digit(y[2]) && is_digit(y[3]) && !is_digit(y[4]))) continue;
        /* walk back over the title: capitalised words, joined by "and",
         * "of", "for" ("Children and Families", "Chronically Sick and
         * Disabled Persons") */
        const char *start = p, *we, *b;
        for (;;) {
            b = word_before(text, start, &we);
            if (b == we) break;
            if (is_upper((unsigned char)*b) && !word_is(b, we, "the")) {
                start = b;
                continue;
            }
            if (word_is(b, we, "and") || word_is(b, we, "of") || word_is(b, we, "for")) {
                const char *we2, *b2 = word_before(text, b, &we2);
                if (b2 < we2 && is_upper((unsigned char)*b2) && !word_is(b2, we2, "the")) {
                    start = b;
                    continue;
                }
            }
            break;
        }
        while (*start == ' ') start++;
        if (start >= p) continue; /* "Act 1996" with no title */
        char act[THEMES_REF_LEN];
        int n = snprintf(act, sizeof act, "%.*s Act %.4s", (int)(p - start), start, y);
        if (n < 0 || (size_t)n >= sizeof act) continue;
        /* "section 19 of the ..." / "section 42(2) of the ..." before it */
        const char *w1e, *w1 = word_before(text, start, &w1e);
        const char *w2e, *w2 = w1 < w1e ? word_before(text, w1, &w2e) : w1;
        if (word_is(w1, w1e, "the") && w2 < w2e && word_is(w2, w2e, "of")) {
            const char *numend = w2;
            while (numend > text && numend[-1] == ' ') numend--;
            const char *nb = numend;
            while (nb > text && (is_alnum((unsigned char)nb[-1]) || nb[-1] == '(' || nb[-1] == ')')) nb--;
            const char *se, *sb = word_before(text, nb, &se);
            if (nb < numend && is_digit((unsigned char)*nb) &&
                (word_is(sb, se, "section") || word_is(sb, se, "regulation") || word_is(sb, se, "paragraph"))) {
                char ref[THEMES_REF_LEN];
                char kind[16];
                size_t kn = (size_t)(se - sb) < sizeof kind ? (size_t)(se - sb) : sizeof kind - 1;
                for (size_t k = 0; k < kn; k++) kind[k] = (char)lower((unsigned char)sb[k]);
                kind[kn] = '\0';
                n = snprintf(ref, sizeof ref, "%s %.*s of the %s", kind, (int)(numend - nb), nb, act);
                if (n > 0 && (size_t)n < sizeof ref) {
                    m = add_ref(out, m, max, ref);
                    continue;
                }
            }
        }
        m = add_ref(out, m, max, act);
    }
    return m;
}
