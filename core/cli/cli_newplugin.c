/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli_newplugin.c -- `ombuds new-plugin NAME --kind source|metric [--dir DIR]`:
 * writes a starting plugin (its C file, a Makefile that builds it against the
 * installed SDK with pkg-config, a fixture and a test) that builds and passes
 * its own test before the author changes a line.  The templates are here as
 * strings; "@NAME@" is replaced by the plugin's name.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static const char source_c[] =
    "/* SPDX-License-Identifier: GPL-3.0-or-later */\n"
    "/*\n"
    " * @NAME@.c -- an ombuds source-format plugin (started by `ombuds new-plugin`).\n"
    " * It reads documents that start with \"@NAME@ cases\" and have one case per\n"
    " * line: \"REFERENCE; AUTHORITY; DECISION DATE; REMEDY\".  Change probe() to\n"
    " * recognise your layout and parse() to read it; see ombuds-plugin(7).\n"
    " */\n"
    "#include <ombuds/plugin.h>\n"
    "#include <string.h>\n"
    "\n"
    "static const char magic[] = \"@NAME@ cases\";\n"
    "\n"
    "static int probe(const char *text, size_t len, const char *filename)\n"
    "{\n"
    "    (void)filename;\n"
    "    return len >= sizeof magic - 1 && memcmp(text, magic, sizeof magic - 1) == 0 ? 90 : 0;\n"
    "}\n"
    "\n"
    "static int parse(const struct omb_host *h, omb_sink *sink, const struct omb_doc *doc)\n"
    "{\n"
    "    static const enum omb_field fields[] = {OMB_FIELD_REF, OMB_FIELD_AUTHORITY, OMB_FIELD_DECISION_DATE};\n"
    "    const char *t = doc->text, *end = t + doc->len;\n"
    "    const char *a = memchr(t, '\\n', doc->len);\n"
    "    while (a && ++a < end) {\n"
    "        const char *e = memchr(a, '\\n', (size_t)(end - a));\n"
    "        if (!e) e = end;\n"
    "        if (e > a) {\n"
    "            omb_builder *b = h->case_begin(sink, (size_t)(a - t));\n"
    "            if (!b) return OMB_ENOMEM;\n"
    "            const char *p = a;\n"
    "            int rc = OMB_OK;\n"
    "            for (int i = 0; i < 4 && rc == OMB_OK; i++) {\n"
    "                const char *semi = i < 3 ? memchr(p, ';', (size_t)(e - p)) : NULL;\n"
    "                const char *q = semi ? semi : e;\n"
    "                while (p < q && *p == ' ') p++;\n"
    "                if (i < 3 && !semi) rc = h->error(sink, (size_t)(a - t), \"expected four fields separated by ';'\");\n"
    "                else if (i < 3) rc = h->case_set(b, fields[i], p, (size_t)(q - p), (size_t)(p - t));\n"
    "                else rc = h->case_extract_remedies(b, p, (size_t)(q - p), (size_t)(p - t));\n"
    "                p = q + 1;\n"
    "            }\n"
    "            if (rc) {\n"
    "                h->case_discard(b);\n"
    "                return rc;\n"
    "            }\n"
    "            if ((rc = h->case_end(b))) return rc;\n"
    "        }\n"
    "        a = e;\n"
    "    }\n"
    "    return OMB_OK;\n"
    "}\n"
    "\n"
    "static const struct omb_source_ops ops = {.probe = probe, .parse = parse, .rank = 40};\n"
    "\n"
    "OMB_PLUGIN_EXPORT const struct omb_plugin ombuds_plugin = {\n"
    "    .abi_version = OMB_PLUGIN_ABI_VERSION,\n"
    "    .struct_size = sizeof(struct omb_plugin),\n"
    "    .kind = OMB_PLUGIN_SOURCE,\n"
    "    .name = \"@NAME@\",\n"
    "    .version = \"0.1\",\n"
    "    .description = \"@NAME@ documents (describe them here)\",\n"
    "    .ops = &ops,\n"
    "};\n";

static const char source_fixture[] =
    "@NAME@ cases\n"
    "22 004 577; Somerset Council; 12 March 2023; Apology and £250 for avoidable distress\n";

static const char source_expected[] =
    "document: sample.txt\n"
    "plugin: @NAME@\n"
    "case @2\n"
    "  ref: 22 004 577 @2\n"
    "  ref_as_written: 22 004 577\n"
    "  authority: Somerset Council @2\n"
    "  decision_date: 2023-03-12 @2\n"
    "  remedy: apology amount=- purposes=[] text=\"Apology and £250 for avoidable distress\" @2\n"
    "  remedy: payment amount=25000 purposes=[avoidable distress] text=\"Apology and £250 for avoidable "
    "distress\" @2\n"
    "  payment_total: 25000\n"
    "warning: @2 no category found for case 22 004 577 at line 2; left unknown\n"
    "warning: @2 no outcome found for case 22 004 577 at line 2; left unknown\n"
    "cases: 1\n";

static const char makefile[] =
    "# Builds @NAME@.so against the installed ombuds SDK (pkg-config ombuds).\n"
    "# make; make check; make install (into ~/.local/lib/ombuds/plugins)\n"
    "CFLAGS ?= -O2 -Wall -Wextra\n"
    "OMBUDS_CFLAGS := $(shell pkg-config --cflags ombuds)\n"
    "PLUGIN_DIR ?= $(HOME)/.local/lib/ombuds/plugins\n"
    "\n"
    "@NAME@.so: @NAME@.c\n"
    "\t$(CC) -std=c11 $(CFLAGS) -shared -fPIC $(OMBUDS_CFLAGS) $< -o $@\n"
    "\n"
    "check: @NAME@.so\n"
    "\tsh ./test.sh\n"
    "\n"
    "install: @NAME@.so\n"
    "\tmkdir -p $(PLUGIN_DIR) && cp @NAME@.so $(PLUGIN_DIR)/\n"
    "\n"
    "clean:\n"
    "\trm -f @NAME@.so\n"
    "\n"
    ".PHONY: check install clean\n";

static const char test_sh[] =
    "#!/bin/sh\n"
    "# test.sh -- what the plugin reads from sample.txt must equal sample.expected\n"
    "# (the canonical dump of `ombuds parse`, checked by reading the sample).\n"
    "OMBUDS=${OMBUDS:-ombuds}\n"
    "cd \"$(dirname \"$0\")\" || exit 1\n"
    "\"$OMBUDS\" --plugin-dir . parse --format @NAME@ sample.txt > sample.out || exit 1\n"
    "if diff -u sample.expected sample.out; then echo \"ok - @NAME@ reads sample.txt\"; rm -f sample.out;\n"
    "else echo \"not ok - @NAME@ reads sample.txt\"; exit 1; fi\n";

/* Writes template with @NAME@ replaced; returns 0 or -1 with a message. */
static int write_template(const char *dir, const char *file, const char *tmpl, const char *name, int executable)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "wx"); /* never overwrite someone's work */
    if (!f) {
        fprintf(stderr, "ombuds new-plugin: cannot create %s: %s\n", path, strerror(errno));
        return -1;
    }
    for (const char *p = tmpl; *p;) {
        const char *at = strstr(p, "@NAME@");
        size_t n = at ? (size_t)(at - p) : strlen(p);
        fwrite(p, 1, n, f);
        if (!at) break;
        fputs(name, f);
        p = at + 6;
    }
    if (fclose(f) != 0) {
        fprintf(stderr, "ombuds new-plugin: writing %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (executable) chmod(path, 0755);
    printf("wrote %s\n", path);
    return 0;
}

static const char metric_c[] =
    "/* SPDX-License-Identifier: GPL-3.0-or-later */\n"
    "/*\n"
    " * @NAME@.c -- an ombuds metric plugin (started by `ombuds new-plugin`).\n"
    " * Each function is plain C with a signature string; ombuds calls it from\n"
    " * Lua (ombuds.metrics.NAME) and from SQL through libffi.  See\n"
    " * docs/plugin-api.md for the signature letters.\n"
    " */\n"
    "#include <ombuds/plugin.h>\n"
    "\n"
    "static int first_int(void *ud, int n, const struct omb_value *v, const char *const *names)\n"
    "{\n"
    "    (void)n;\n"
    "    (void)names;\n"
    "    *(int64_t *)ud = v[0].type == OMB_VALUE_INT ? v[0].i : 0;\n"
    "    return OMB_OK;\n"
    "}\n"
    "\n"
    "/* \"I(s)\": pence paid in the cases of one authority. */\n"
    "static int64_t @NAME@_paid(omb_call *c, const char *authority)\n"
    "{\n"
    "    int64_t total = 0;\n"
    "    struct omb_value p = OMB_TEXT(authority);\n"
    "    c->host->query(c, \"SELECT coalesce(sum(t.payment_pence), 0) FROM cases x JOIN case_totals t\"\n"
    "                      \" ON t.case_id = x.id WHERE x.authority = ?1\", &p, 1, first_int, &total);\n"
    "    return total;\n"
    "}\n"
    "\n"
    "/* \"t()\": a table of cases per outcome. */\n"
    "static int add_row(void *ud, int n, const struct omb_value *v, const char *const *names)\n"
    "{\n"
    "    (void)n;\n"
    "    (void)names;\n"
    "    omb_call *c = ud;\n"
    "    return c->host->table_add_row(c, v);\n"
    "}\n"
    "\n"
    "static int @NAME@_outcomes(omb_call *c)\n"
    "{\n"
    "    const struct omb_host *h = c->host;\n"
    "    int rc;\n"
    "    if ((rc = h->table_column(c, \"outcome\", OMB_VALUE_TEXT)) ||\n"
    "        (rc = h->table_column(c, \"cases\", OMB_VALUE_INT | OMB_COLUMN_CHART)))\n"
    "        return rc;\n"
    "    return h->query(c, \"SELECT outcome, count(*) FROM cases GROUP BY 1 ORDER BY 1\", NULL, 0, add_row, c);\n"
    "}\n"
    "\n"
    "static const struct omb_metric_fn functions[] = {\n"
    "    {\"@NAME@_paid\", \"I(s)\", (void (*)(void))@NAME@_paid, \"@NAME@_paid(authority): pence paid\"},\n"
    "    {\"@NAME@_outcomes\", \"t()\", (void (*)(void))@NAME@_outcomes, \"@NAME@_outcomes(): cases per outcome\"},\n"
    "    {NULL, NULL, NULL, NULL},\n"
    "};\n"
    "static const struct omb_metric_ops ops = {functions};\n"
    "\n"
    "OMB_PLUGIN_EXPORT const struct omb_plugin ombuds_plugin = {\n"
    "    .abi_version = OMB_PLUGIN_ABI_VERSION,\n"
    "    .struct_size = sizeof(struct omb_plugin),\n"
    "    .kind = OMB_PLUGIN_METRIC,\n"
    "    .name = \"@NAME@\",\n"
    "    .version = \"0.1\",\n"
    "    .description = \"@NAME@ metrics (describe them here)\",\n"
    "    .ops = &ops,\n"
    "};\n";

/* The metric template's test ingests its sample (a decision page) and
 * checks both functions. */
static const char metric_fixture[] =
    "Somerset Council (22 004 577)\n\nCategory : Education > School transport\n\nDecision : Upheld\n\n"
    "Decision date : 12 March 2023\n\nSummary: The Council was slow to arrange transport.\n\n"
    "Agreed action\n\n  1. The Council will pay Mrs S £250 for her time and trouble.\n\nBack to top\n";

static const char metric_test_sh[] =
    "#!/bin/sh\n"
    "# test.sh -- the metric functions give the figures of sample.txt.\n"
    "OMBUDS=${OMBUDS:-ombuds}\n"
    "cd \"$(dirname \"$0\")\" || exit 1\n"
    "rm -f test.db test.db-wal test.db-shm\n"
    "\"$OMBUDS\" --db test.db ingest --quiet sample.txt >/dev/null || exit 1\n"
    "got=$(\"$OMBUDS\" --db test.db --plugin-dir . sql --format csv \"SELECT @NAME@_paid('Somerset Council')\" | tail -1 | tr -d '\\r')\n"
    "rm -f test.db test.db-wal test.db-shm\n"
    "if [ \"$got\" = 25000 ]; then echo \"ok - @NAME@_paid\"; else echo \"not ok - @NAME@_paid: $got\"; exit 1; fi\n";

static int write_template(const char *dir, const char *file, const char *tmpl, const char *name, int executable);

static int omb_cli_new_metric_plugin(const char *name, const char *parent)
{
    char dir[4096], cfile[128];
    snprintf(dir, sizeof dir, "%s/%s", parent, name);
    if (mkdir(dir, 0755) != 0) {
        fprintf(stderr, "ombuds new-plugin: cannot create %s: %s\n", dir, strerror(errno));
        return 1;
    }
    snprintf(cfile, sizeof cfile, "%s.c", name);
    if (write_template(dir, cfile, metric_c, name, 0) || write_template(dir, "Makefile", makefile, name, 0) ||
        write_template(dir, "sample.txt", metric_fixture, name, 0) ||
        write_template(dir, "test.sh", metric_test_sh, name, 1))
        return 1;
    printf("next: cd %s && make && make check && make install\n", dir);
    return 0;
}

int omb_cli_new_plugin(int argc, char **argv)
{
    static const struct option opts[] = {{"kind", required_argument, NULL, 'k'},
                                         {"dir", required_argument, NULL, 'd'},
                                         {NULL, 0, NULL, 0}};
    const char *kind = "source", *parent = ".";
    int c;
    optind = 0; /* 0, not 1: glibc then re-reads the option string, so NAME may come first */
    while ((c = getopt_long(argc, argv, "k:d:", opts, NULL)) != -1) { /* options may follow NAME */
        if (c == 'k') kind = optarg;
        else if (c == 'd') parent = optarg;
        else return 2;
    }
    if (optind + 1 != argc) {
        fprintf(stderr, "usage: ombuds new-plugin NAME [--kind source|metric] [--dir DIR]\n");
        return 2;
    }
    const char *name = argv[optind];
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_') || strlen(name) > 64) {
            fprintf(stderr, "ombuds new-plugin: a plugin name is [a-z0-9_]+ (at most 64), not \"%s\"\n", name);
            return 2;
        }
    if (strcmp(kind, "source") && strcmp(kind, "metric")) {
        fprintf(stderr, "ombuds new-plugin: --kind is source or metric, not \"%s\"\n", kind);
        return 2;
    }
    if (!strcmp(kind, "metric")) return omb_cli_new_metric_plugin(name, parent);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/%s", parent, name);
    if (mkdir(dir, 0755) != 0) {
        fprintf(stderr, "ombuds new-plugin: cannot create %s: %s\n", dir, strerror(errno));
        return 1;
    }
    char cfile[128];
    snprintf(cfile, sizeof cfile, "%s.c", name);
    if (write_template(dir, cfile, source_c, name, 0) || write_template(dir, "Makefile", makefile, name, 0) ||
        write_template(dir, "sample.txt", source_fixture, name, 0) ||
        write_template(dir, "sample.expected", source_expected, name, 0) ||
        write_template(dir, "test.sh", test_sh, name, 1))
        return 1;
    printf("next: cd %s && make && make check && make install\n", dir);
    return 0;
}
