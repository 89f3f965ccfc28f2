/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli_metric.c -- `ombuds metric`: lists the metric functions the plugins
 * declare, or calls one by name with its arguments converted from the
 * command line by its signature, and prints the result as a table, CSV or
 * JSON, with an optional chart in the terminal or as an SVG file.  The call
 * is ffi_bridge.c, rendering metric_table.c and chart.c; main.c only
 * dispatches here.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "chart.h"
#include "cli.h"
#include "terminal.h"
#include "ffi_bridge.h"
#include "output.h"
#include "store.h"


static const char usage[] =
    "usage: ombuds metric                      list the metric functions\n"
    "       ombuds metric NAME [--by GROUP] [--format table|csv|json] [--chart FILE.svg|-]\n"
    "                          [--value COLUMN] [ARG...]\n"
    "GROUP is year, category, subcategory, subject, authority or purpose (what a\n"
    "metric accepts is in its description); ARGs fill the remaining arguments in\n"
    "signature order.  --chart - draws in the terminal; --value picks the column.\n";

static int list_metrics(const omb_registry *reg)
{
    size_t n = 0;
    printf("%-26s %-10s %-20s %s\n", "function", "signature", "plugin", "description");
    for (size_t i = 0; i < reg->n; i++) {
        const struct omb_ffi_plugin *p = reg->plugins[i].metrics;
        for (size_t k = 0; p && k < p->n; k++, n++)
            printf("%-26s %-10s %-20s %s\n", p->fns[k].name, p->fns[k].signature, p->fns[k].plugin,
                   p->fns[k].doc ? p->fns[k].doc : "");
    }
    if (!n) printf("(no metric plugins loaded; see `ombuds plugins`)\n");
    return 0;
}

/* Converts one command-line word for argument k of f; on error prints why
 * and returns -1. */
static int convert(const struct omb_ffi_fn *f, int k, const char *w, union omb_ffi_arg *a)
{
    char label[64], *end;
    errno = 0;
    switch (f->args[k]) {
    case 'b':
        if (!strcasecmp(w, "true") || !strcasecmp(w, "yes") || !strcmp(w, "1")) a->b = 1;
        else if (!strcasecmp(w, "false") || !strcasecmp(w, "no") || !strcmp(w, "0")) a->b = 0;
        else goto bad;
        return 0;
    case 'i':
    case 'I': {
        long long v = strtoll(w, &end, 10);
        if (!*w || *end || errno || (f->args[k] == 'i' && (v < INT32_MIN || v > INT32_MAX))) goto bad;
        if (f->args[k] == 'i') a->i = (int32_t)v;
        else a->I = v;
        return 0;
    }
    case 'd': {
        double v = strtod(w, &end);
        if (!*w || *end || errno || isnan(v)) goto bad;
        a->d = v;
        return 0;
    }
    default: a->s = w; return 0;
    }
bad:
    fprintf(stderr, "ombuds metric: %s: argument %s: expected %s, got \"%s\"\n", f->name,
            omb_ffi_arg_label(f, k, label, sizeof label), omb_ffi_type_name(f->args[k]), w);
    return -1;
}

/* A scalar result as a one-cell table, so it prints like everything else. */
static omb_mtable *scalar_table(const struct omb_ffi_fn *f, const struct omb_ffi_result *r)
{
    omb_mtable *t = omb_mtable_new();
    char err[128];
    if (!t) return NULL;
    struct omb_value v = OMB_NULL;
    int type = OMB_VALUE_NULL;
    switch (f->ret) {
    case 'b':
    case 'i':
    case 'I': v = OMB_INT(r->i), type = OMB_VALUE_INT; break;
    case 'd': v = OMB_REAL(r->d), type = OMB_VALUE_REAL; break;
    case 's': v = r->s ? OMB_TEXT(r->s) : OMB_NULL, type = OMB_VALUE_TEXT; break;
    default: break;
    }
    if (omb_mtable_add_column(t, f->name, type, err, sizeof err) || omb_mtable_add_row(t, &v)) {
        omb_mtable_free(t);
        return NULL;
    }
    return t;
}

static int write_svg(const char *path, const omb_mtable *t, const struct omb_chart_spec *sp, const char *title)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "ombuds metric: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    int rc = omb_chart_svg(f, t, sp, title);
    if (fclose(f) != 0 || rc) {
        fprintf(stderr, "ombuds metric: writing %s failed\n", path);
        return -1;
    }
    fprintf(stderr, "chart written to %s\n", path);
    return 0;
}

int omb_cli_metric(int argc, char **argv, const char *db_path, const char *plugin_dir)
{
    static const struct option opts[] = {{"by", required_argument, NULL, 'b'},
                                         {"format", required_argument, NULL, 'f'},
                                         {"chart", required_argument, NULL, 'c'},
                                         {"value", required_argument, NULL, 'v'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *by = NULL, *chart = NULL, *value = NULL;
    int format = OMB_OUT_TABLE, c;
    /* 0, not 1: GNU getopt then forgets main's "+" (stop at the first
     * word) and lets options follow the metric's name */
    optind = 0;
    while ((c = getopt_long(argc, argv, "b:f:c:v:h", opts, NULL)) != -1) {
        switch (c) {
        case 'b': by = optarg; break;
        case 'f':
            format = omb_out_format_parse(optarg);
            if (!format || format == OMB_OUT_JSONL) {
                fprintf(stderr, "ombuds metric: --format takes table, csv or json, not \"%s\"\n", optarg);
                return OMB_EXIT_USAGE;
            }
            break;
        case 'c': chart = optarg; break;
        case 'v': value = optarg; break;
        case 'h': fputs(usage, stdout); return 0;
        default: fputs(usage, stderr); return OMB_EXIT_USAGE;
        }
    }
    omb_registry reg = {0};
    if (omb_registry_load(&reg, plugin_dir) != OMB_OK) {
        fprintf(stderr, "ombuds: out of memory loading plugins\n");
        return OMB_EXIT_STORE;
    }
    for (size_t i = 0; i < reg.n_errors; i++) fprintf(stderr, "ombuds: plugin not loaded: %s\n", reg.errors[i]);
    if (optind >= argc) {
        int rc = list_metrics(&reg);
        omb_registry_free(&reg);
        return rc;
    }
    const char *name = argv[optind++];
    int rc = 0;
    omb_store *st = NULL;
    struct omb_ffi_result res = {0};
    omb_mtable *scalar = NULL;
    const struct omb_ffi_fn *f = omb_ffi_find(&reg, name);
    union omb_ffi_arg args[OMB_FFI_MAX_ARGS];
    char err[1024];
    if (!f) {
        fprintf(stderr, "ombuds metric: no metric function \"%s\" (run `ombuds metric` for the list)\n", name);
        rc = OMB_EXIT_USAGE;
        goto done;
    }
    /* --by is the first argument when that is a string; the words after
     * NAME fill the rest in order */
    int k = 0;
    if (by) {
        if (f->n_args == 0 || f->args[0] != 's') {
            fprintf(stderr, "ombuds metric: %s takes no --by (signature \"%s\")\n", f->name, f->signature);
            rc = OMB_EXIT_USAGE;
            goto done;
        }
        args[k++].s = by;
    }
    for (; optind < argc; optind++, k++) {
        if (k >= f->n_args) {
            fprintf(stderr, "ombuds metric: too many arguments for %s (signature \"%s\")\n", f->name, f->signature);
            rc = OMB_EXIT_USAGE;
            goto done;
        }
        if (convert(f, k, argv[optind], &args[k])) {
            rc = OMB_EXIT_USAGE;
            goto done;
        }
    }
    for (; k < f->n_args; k++) {
        if (f->args[k] != 's') {
            char label[64];
            fprintf(stderr, "ombuds metric: %s: argument %s (%s) is missing\n", f->name,
                    omb_ffi_arg_label(f, k, label, sizeof label), omb_ffi_type_name(f->args[k]));
            rc = OMB_EXIT_USAGE;
            goto done;
        }
        args[k].s = NULL; /* a string left out means "the default" */
    }
    if (omb_cli_need_store(db_path, "metric")) {
        rc = OMB_EXIT_STORE;
        goto done;
    }
    if (omb_store_open(db_path, 0, &st, err, sizeof err) != OMB_OK) {
        fprintf(stderr, "ombuds: %s\n", err);
        rc = OMB_EXIT_STORE;
        goto done;
    }
    sqlite3 *db = omb_store_db(st);
    sqlite3_exec(db, "PRAGMA query_only = ON", NULL, NULL, NULL);
    if (omb_ffi_register_sql(db, &reg, err, sizeof err)) {
        fprintf(stderr, "ombuds metric: %s\n", err);
        rc = OMB_EXIT_STORE;
        goto done;
    }
    if (omb_ffi_call(f, db, args, &res, err, sizeof err)) {
        fprintf(stderr, "ombuds metric: %s\n", err);
        rc = OMB_EXIT_FAILED;
        goto done;
    }
    const omb_mtable *t = res.table;
    if (f->ret == 'v') goto done;
    if (!t && !(t = scalar = scalar_table(f, &res))) {
        fprintf(stderr, "ombuds metric: out of memory\n");
        rc = OMB_EXIT_FAILED;
        goto done;
    }
    int width = format == OMB_OUT_TABLE ? omb_terminal_width(STDOUT_FILENO) : 0;
    if (omb_mtable_print(stdout, stderr, t, format, width, err, sizeof err)) {
        fprintf(stderr, "ombuds metric: %s\n", err);
        rc = OMB_EXIT_FAILED;
        goto done;
    }
    if (chart) {
        struct omb_chart_spec sp;
        if (omb_chart_pick(t, value, &sp, err, sizeof err)) {
            fprintf(stderr, "ombuds metric: --chart: %s\n", err);
            rc = OMB_EXIT_USAGE;
            goto done;
        }
        if (!strcmp(chart, "-")) {
            fputc('\n', stdout);
            omb_chart_terminal(stdout, t, &sp, omb_cli_chart_plain(stdout), omb_terminal_width(STDOUT_FILENO));
        } else {
            char title[256];
            omb_chart_title(t, &sp, by, title, sizeof title);
            if (write_svg(chart, t, &sp, title)) rc = OMB_EXIT_STORE;
        }
    }
done:
    omb_mtable_free(scalar);
    omb_ffi_result_clear(&res);
    omb_store_close(st);
    omb_registry_free(&reg);
    return rc;
}
