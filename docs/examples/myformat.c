/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * myformat.c -- a complete example source-format plugin, built outside the
 * ombuds tree against the installed SDK:
 *
 *     cc -shared -fPIC $(pkg-config --cflags ombuds) myformat.c -o myformat.so
 *     cp myformat.so ~/.local/lib/ombuds/plugins/
 *
 * It reads a council's complaints register kept as one line per case:
 *
 *     OMBUDSMAN REGISTER
 *     22 004 577 | Somerset Council | Upheld | 12/03/2023 | Apology and £250 for distress
 *
 * The plugin only finds the fields; the core normalises the reference, the
 * date and the outcome and reads the remedy (host->case_extract_remedies).
 */
#include <ombuds/plugin.h>
#include <string.h>

#define MAGIC "OMBUDSMAN REGISTER"

static int probe(const char *text, size_t len, const char *filename)
{
    (void)filename;
    return len >= strlen(MAGIC) && strncmp(text, MAGIC, strlen(MAGIC)) == 0 ? 90 : 0;
}

/* The next '|'-separated field of [*p, end), trimmed. */
static const char *field(const char **p, const char *end, size_t *n)
{
    const char *a = *p, *bar = memchr(a, '|', (size_t)(end - a));
    const char *b = bar ? bar : end;
    *p = bar ? bar + 1 : end;
    while (a < b && *a == ' ') a++;
    while (b > a && b[-1] == ' ') b--;
    *n = (size_t)(b - a);
    return a;
}

static int parse(const struct omb_host *h, omb_sink *sink, const struct omb_doc *doc)
{
    const char *t = doc->text, *end = t + doc->len;
    const char *line = memchr(t, '\n', doc->len);
    int rc;
    while (line && line + 1 < end) {
        const char *a = line + 1, *e = memchr(a, '\n', (size_t)(end - a));
        if (!e) e = end;
        line = e < end ? e : NULL;
        if (e == a) continue;
        if (!memchr(a, '|', (size_t)(e - a)))
            return h->error(sink, (size_t)(a - t), "expected \"REF | authority | outcome | date | remedy\"");
        static const enum omb_field order[] = {OMB_FIELD_REF, OMB_FIELD_AUTHORITY, OMB_FIELD_OUTCOME,
                                               OMB_FIELD_DECISION_DATE};
        omb_builder *b = h->case_begin(sink, (size_t)(a - t));
        if (!b) return OMB_ENOMEM;
        const char *p = a;
        for (size_t i = 0; i < 4; i++) {
            size_t n;
            const char *v = field(&p, e, &n);
            if ((rc = h->case_set(b, order[i], v, n, (size_t)(v - t)))) goto fail;
        }
        size_t n;
        const char *remedy = field(&p, e, &n);
        if ((rc = h->case_extract_remedies(b, remedy, n, (size_t)(remedy - t)))) goto fail;
        if ((rc = h->case_end(b))) return rc;
        continue;
    fail:
        h->case_discard(b);
        return rc;
    }
    return OMB_OK;
}

static const struct omb_source_ops ops = {.probe = probe, .parse = parse, .rank = 40};

OMB_PLUGIN_EXPORT const struct omb_plugin ombuds_plugin = {
    .abi_version = OMB_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(struct omb_plugin),
    .kind = OMB_PLUGIN_SOURCE,
    .name = "myformat",
    .version = "1.0",
    .description = "example: a council's one-line-per-case complaints register",
    .ops = &ops,
};
