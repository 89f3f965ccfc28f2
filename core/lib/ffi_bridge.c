/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ffi_bridge.c -- metric functions through libffi.  A metric plugin declares
 * plain C functions with a signature string ("d(si)"); at load we parse each
 * signature and ffi_prep_cif it once (the cif keeps pointers into the type
 * array, so both live in one allocation for the plugin's lifetime, as
 * z-rui/luaffi does); a call converts its arguments into slots of exactly the
 * declared C types, runs ffi_call, and reads the result through a union wide
 * enough for any return (libffi widens small integers to ffi_arg).  Here too:
 * SQL functions for every declared function.  The Lua front end is
 * lua_metric.c; what a running metric may call is metric_host.c.
 */
#include "ffi_bridge.h"
#include "sink.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- signatures ------------------------------------------------------------- */

static int is_arg_letter(char c) { return c && strchr("biIds", c) != NULL; }
static int is_ret_letter(char c) { return c && strchr("vbiIdst", c) != NULL; }

const char *omb_ffi_type_name(char letter)
{
    switch (letter) {
    case 'v': return "nothing (v)";
    case 'b': return "a boolean (b)";
    case 'i': return "an integer (i, 32-bit)";
    case 'I': return "an integer (I, 64-bit)";
    case 'd': return "a number (d)";
    case 's': return "a string (s)";
    case 't': return "a result table (t)";
    default: return "an unknown type";
    }
}

int omb_ffi_parse_signature(const char *sig, char *ret, char *args, int *n_args, char *err, size_t cap)
{
    *ret = 0;
    *n_args = 0;
    args[0] = '\0';
    if (!sig || !*sig) {
        snprintf(err, cap, "empty signature; expected RET(ARGS) such as \"d(si)\"");
        return OMB_EINVAL;
    }
    if (!is_ret_letter(sig[0])) {
        snprintf(err, cap, "position 1: unknown return type '%c'; expected one of v b i I d s t", sig[0]);
        return OMB_EINVAL;
    }
    if (sig[1] != '(') {
        snprintf(err, cap, "position 2: expected '(' after the return type, found %s%c%s", sig[1] ? "'" : "",
                 sig[1] ? sig[1] : ' ', sig[1] ? "'" : "the end");
        return OMB_EINVAL;
    }
    size_t k = 2;
    for (; sig[k] && sig[k] != ')'; k++) {
        char c = sig[k];
        if (!is_arg_letter(c)) {
            if (c == 'v' || c == 't')
                snprintf(err, cap, "position %zu: '%c' is a return type only; arguments are b i I d s", k + 1, c);
            else if (c == 'S' || c == 'C')
                snprintf(err, cap, "position %zu: '%c' (case set / case) is not supported in this version; "
                                   "arguments are b i I d s", k + 1, c);
            else
                snprintf(err, cap, "position %zu: unknown argument type '%c'; expected one of b i I d s", k + 1, c);
            return OMB_EINVAL;
        }
        if (*n_args == OMB_FFI_MAX_ARGS) {
            snprintf(err, cap, "position %zu: more than %d arguments", k + 1, OMB_FFI_MAX_ARGS);
            return OMB_EINVAL;
        }
        args[(*n_args)++] = c;
    }
    args[*n_args] = '\0';
    if (sig[k] != ')') {
        snprintf(err, cap, "position %zu: expected ')' to close the arguments, found the end", k + 1);
        return OMB_EINVAL;
    }
    if (sig[k + 1]) {
        snprintf(err, cap, "position %zu: unexpected '%c' after ')'", k + 2, sig[k + 1]);
        return OMB_EINVAL;
    }
    *ret = sig[0];
    return OMB_OK;
}

static ffi_type *ffi_type_of(char c)
{
    switch (c) {
    case 'v': return &ffi_type_void;
    case 'b': return &ffi_type_sint; /* C int */
    case 't': return &ffi_type_sint; /* the status a table function returns */
    case 'i': return &ffi_type_sint32;
    case 'I': return &ffi_type_sint64;
    case 'd': return &ffi_type_double;
    default: return &ffi_type_pointer; /* s */
    }
}

static int valid_fn_name(const char *s)
{
    if (!s || !((*s >= 'a' && *s <= 'z') || *s == '_') || strlen(s) > 64) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_')) return 0;
    return 1;
}

/* Argument names from a doc string that starts "name(a, b)", so messages
 * can say "argument 2 (year)".  Anything else leaves the names empty. */
static void read_arg_names(struct omb_ffi_fn *f)
{
    const char *d = f->doc;
    size_t n = strlen(f->name);
    if (!d || strncmp(d, f->name, n) || d[n] != '(') return;
    d += n + 1;
    for (int k = 0; k < f->n_args; k++) {
        while (*d == ' ') d++;
        size_t len = 0;
        while (d[len] && d[len] != ',' && d[len] != ')') len++;
        size_t end = len;
        while (end && d[end - 1] == ' ') end--;
        if (end >= sizeof f->arg_names[k]) end = sizeof f->arg_names[k] - 1;
        memcpy(f->arg_names[k], d, end);
        f->arg_names[k][end] = '\0';
        d += len;
        if (*d != ',') break;
        d++;
    }
}

int omb_ffi_prepare(const struct omb_plugin *desc, struct omb_ffi_plugin **out, char *err, size_t cap)
{
    const struct omb_metric_ops *ops = desc->ops;
    char why[256];
    *out = NULL;
    size_t n = 0;
    if (!ops->functions) {
        snprintf(err, cap, "plugin '%s': metric plugin declares no functions", desc->name);
        return OMB_EPLUGIN;
    }
    while (ops->functions[n].name) n++;
    if (n == 0) {
        snprintf(err, cap, "plugin '%s': metric plugin declares no functions", desc->name);
        return OMB_EPLUGIN;
    }
    struct omb_ffi_plugin *p = calloc(1, sizeof *p + n * sizeof p->fns[0]);
    if (!p) {
        snprintf(err, cap, "plugin '%s': out of memory", desc->name);
        return OMB_ENOMEM;
    }
    p->n = n;
    for (size_t k = 0; k < n; k++) {
        const struct omb_metric_fn *m = &ops->functions[k];
        struct omb_ffi_fn *f = &p->fns[k];
        if (!valid_fn_name(m->name)) {
            snprintf(err, cap, "plugin '%s': function %zu: name \"%s\" must be [a-z_][a-z0-9_]*", desc->name, k + 1,
                     m->name);
            goto fail;
        }
        for (size_t j = 0; j < k; j++)
            if (!strcmp(p->fns[j].name, m->name)) {
                snprintf(err, cap, "plugin '%s': function '%s' declared twice", desc->name, m->name);
                goto fail;
            }
        if (!m->fn) {
            snprintf(err, cap, "plugin '%s': function '%s' has no C function", desc->name, m->name);
            goto fail;
        }
        if (omb_ffi_parse_signature(m->signature, &f->ret, f->args, &f->n_args, why, sizeof why)) {
            snprintf(err, cap, "plugin '%s': function '%s': signature \"%s\": %s", desc->name, m->name,
                     m->signature ? m->signature : "", why);
            goto fail;
        }
        f->name = m->name;
        f->signature = m->signature;
        f->doc = m->doc;
        f->plugin = desc->name;
        f->fn = m->fn;
        f->types[0] = &ffi_type_pointer; /* omb_call *ctx */
        for (int a = 0; a < f->n_args; a++) f->types[a + 1] = ffi_type_of(f->args[a]);
        ffi_status st = ffi_prep_cif(&f->cif, FFI_DEFAULT_ABI, (unsigned)f->n_args + 1, ffi_type_of(f->ret), f->types);
        if (st != FFI_OK) {
            snprintf(err, cap, "plugin '%s': function '%s': libffi cannot prepare signature \"%s\" (status %d)",
                     desc->name, m->name, m->signature, (int)st);
            goto fail;
        }
        read_arg_names(f);
    }
    *out = p;
    return OMB_OK;
fail:
    free(p);
    return OMB_EPLUGIN;
}

void omb_ffi_free(struct omb_ffi_plugin *p) { free(p); }

const struct omb_ffi_fn *omb_ffi_find(const omb_registry *reg, const char *name)
{
    for (size_t i = 0; i < reg->n; i++) {
        const struct omb_ffi_plugin *p = reg->plugins[i].metrics;
        for (size_t k = 0; p && k < p->n; k++)
            if (!strcmp(p->fns[k].name, name)) return &p->fns[k];
    }
    return NULL;
}

int omb_ffi_conflict(const omb_registry *reg, const struct omb_ffi_plugin *p, char *err, size_t cap)
{
    for (size_t k = 0; k < p->n; k++) {
        const struct omb_ffi_fn *other = omb_ffi_find(reg, p->fns[k].name);
        if (other) {
            snprintf(err, cap, "plugin '%s': function '%s' is already declared by plugin '%s'; plugin ignored",
                     p->fns[k].plugin, p->fns[k].name, other->plugin);
            return 1;
        }
    }
    return 0;
}

const char *omb_ffi_arg_label(const struct omb_ffi_fn *f, int k, char *buf, size_t cap)
{
    if (k >= 0 && k < f->n_args && f->arg_names[k][0]) snprintf(buf, cap, "%d (%s)", k + 1, f->arg_names[k]);
    else snprintf(buf, cap, "%d", k + 1);
    return buf;
}

/* ---- calls ------------------------------------------------------------------- */

/* A call's state starts and ends here, with the call, so that the services
 * a metric uses (metric_host.c) need nothing of the host table that lists
 * them (sink.c). */
void omb_call_state_init(struct omb_call_state *cs, const struct omb_ffi_fn *fn, sqlite3 *db)
{
    memset(cs, 0, sizeof *cs);
    cs->pub.host = omb_host_table();
    cs->pub.core = cs;
    cs->fn = fn;
    cs->db = db;
}

void omb_call_state_clear(struct omb_call_state *cs)
{
    for (size_t k = 0; k < cs->n_scratch; k++) free(cs->scratch[k]);
    free(cs->scratch);
    omb_mtable_free(cs->table);
    cs->scratch = NULL;
    cs->n_scratch = 0;
    cs->table = NULL;
}

void omb_ffi_result_clear(struct omb_ffi_result *r)
{
    if (!r) return;
    free(r->s);
    omb_mtable_free(r->table);
    memset(r, 0, sizeof *r);
}

/* Wide enough and aligned for any return libffi writes (libffi writes at
 * least a full register, even for narrower return types). */
union ret_slot {
    ffi_arg u;
    ffi_sarg s;
    double d;
    int64_t I;
    void *p;
};

int omb_ffi_call(const struct omb_ffi_fn *f, sqlite3 *db, const union omb_ffi_arg *args, struct omb_ffi_result *res,
                 char *err, size_t cap)
{
    struct omb_call_state cs;
    omb_call *ctx;
    void *values[OMB_FFI_MAX_ARGS + 1];
    union ret_slot rv;
    int rc = OMB_OK;

    memset(res, 0, sizeof *res);
    res->type = f->ret;
    omb_call_state_init(&cs, f, db);
    if (f->ret == 't' && !(cs.table = omb_mtable_new())) {
        snprintf(err, cap, "%s: out of memory", f->name);
        return OMB_ENOMEM;
    }
    ctx = &cs.pub;
    values[0] = &ctx;
    /* each slot is the member of exactly the declared type */
    for (int k = 0; k < f->n_args; k++) {
        const union omb_ffi_arg *a = &args[k];
        switch (f->args[k]) {
        case 'b': values[k + 1] = (void *)&a->b; break;
        case 'i': values[k + 1] = (void *)&a->i; break;
        case 'I': values[k + 1] = (void *)&a->I; break;
        case 'd': values[k + 1] = (void *)&a->d; break;
        default: values[k + 1] = (void *)&a->s; break;
        }
    }
    memset(&rv, 0, sizeof rv);
    ffi_call((ffi_cif *)&f->cif, f->fn, &rv, values);

    switch (f->ret) {
    case 'b': res->i = (int)rv.s != 0; break;    /* narrow from ffi_sarg */
    case 'i': res->i = (int32_t)rv.s; break;
    case 'I': res->i = rv.I; break;
    case 'd': res->d = rv.d; break;
    case 's':
        if (rv.p) {
            size_t n = strlen(rv.p) + 1;
            if (!(res->s = malloc(n))) rc = OMB_ENOMEM;
            else memcpy(res->s, rv.p, n);
        }
        break;
    case 't': {
        int status = (int)rv.s;
        if (status != OMB_OK && !cs.failed)
            omb_call_error(ctx, "returned status %d without saying why (use host->call_error)", status);
        break;
    }
    default: break;
    }
    if (cs.failed) {
        snprintf(err, cap, "%s: %s", f->name, cs.err);
        rc = cs.status ? cs.status : OMB_EPLUGIN;
    } else if (rc == OMB_ENOMEM) {
        snprintf(err, cap, "%s: out of memory", f->name);
    }
    if (rc == OMB_OK && f->ret == 't') {
        res->table = cs.table;
        cs.table = NULL;
    }
    omb_call_state_clear(&cs);
    if (rc) omb_ffi_result_clear(res), res->type = f->ret;
    return rc;
}

/* ---- SQL functions ------------------------------------------------------------ */

static const char *sql_type_name(int t)
{
    switch (t) {
    case SQLITE_INTEGER: return "an integer";
    case SQLITE_FLOAT: return "a real";
    case SQLITE_TEXT: return "text";
    case SQLITE_BLOB: return "a blob";
    default: return "NULL";
    }
}

static void sql_bad_arg(sqlite3_context *cx, const struct omb_ffi_fn *f, int k, sqlite3_value *v, const char *extra)
{
    char label[64];
    char *msg = sqlite3_mprintf("%s(): argument %s: expected %s%s, got %s%s%.40s%s", f->name,
                                omb_ffi_arg_label(f, k, label, sizeof label), omb_ffi_type_name(f->args[k]),
                                extra ? extra : "", sql_type_name(sqlite3_value_type(v)),
                                sqlite3_value_type(v) == SQLITE_NULL ? "" : " \"",
                                sqlite3_value_type(v) == SQLITE_NULL ? "" : (const char *)sqlite3_value_text(v),
                                sqlite3_value_type(v) == SQLITE_NULL ? "" : "\"");
    sqlite3_result_error(cx, msg ? msg : "bad argument", -1);
    sqlite3_free(msg);
}

/* An SQL value as a whole number: integers, integral reals, and text that
 * is entirely an integer ("2023").  Returns 1 on success. */
static int sql_whole(sqlite3_value *v, int64_t *out)
{
    int t = sqlite3_value_numeric_type(v);
    if (t == SQLITE_INTEGER) {
        *out = sqlite3_value_int64(v);
        return 1;
    }
    if (t == SQLITE_FLOAT) {
        double d = sqlite3_value_double(v);
        if (d != floor(d) || d < -9.2e18 || d > 9.2e18) return 0;
        *out = (int64_t)d;
        return 1;
    }
    return 0;
}

static void sql_call(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    const struct omb_ffi_fn *f = sqlite3_user_data(cx);
    union omb_ffi_arg args[OMB_FFI_MAX_ARGS];
    struct omb_ffi_result res;
    char err[600];
    for (int k = 0; k < argc && k < f->n_args; k++) {
        sqlite3_value *v = argv[k];
        int t = sqlite3_value_type(v);
        int64_t w;
        if (t == SQLITE_NULL && f->args[k] != 's') {
            /* unknown in, unknown out: SQL's own rule for NULL */
            sqlite3_result_null(cx);
            return;
        }
        switch (f->args[k]) {
        case 'b':
            if (!sql_whole(v, &w)) { sql_bad_arg(cx, f, k, v, " (0 or 1)"); return; }
            args[k].b = w != 0;
            break;
        case 'i':
            if (!sql_whole(v, &w) || w < INT32_MIN || w > INT32_MAX) { sql_bad_arg(cx, f, k, v, NULL); return; }
            args[k].i = (int32_t)w;
            break;
        case 'I':
            if (!sql_whole(v, &w)) { sql_bad_arg(cx, f, k, v, NULL); return; }
            args[k].I = w;
            break;
        case 'd': {
            int nt = sqlite3_value_numeric_type(v);
            if (nt != SQLITE_INTEGER && nt != SQLITE_FLOAT) { sql_bad_arg(cx, f, k, v, NULL); return; }
            args[k].d = sqlite3_value_double(v);
            break;
        }
        default:
            if (t == SQLITE_BLOB) { sql_bad_arg(cx, f, k, v, NULL); return; }
            /* numbers become their text, as SQLite's own string functions do */
            args[k].s = t == SQLITE_NULL ? NULL : (const char *)sqlite3_value_text(v);
            break;
        }
    }
    if (omb_ffi_call(f, sqlite3_context_db_handle(cx), args, &res, err, sizeof err)) {
        sqlite3_result_error(cx, err, -1);
        return;
    }
    switch (f->ret) {
    case 'v': sqlite3_result_null(cx); break;
    case 'b':
    case 'i':
    case 'I': sqlite3_result_int64(cx, res.i); break;
    case 'd':
        if (res.d != res.d) sqlite3_result_null(cx);
        else sqlite3_result_double(cx, res.d);
        break;
    case 's':
        if (res.s) {
            sqlite3_result_text(cx, res.s, -1, free);
            res.s = NULL; /* SQLite frees it */
        } else {
            sqlite3_result_null(cx);
        }
        break;
    case 't': {
        char *json = omb_mtable_json(res.table);
        if (!json) {
            sqlite3_result_error_nomem(cx);
            break;
        }
        sqlite3_result_text(cx, json, -1, free);
        /* 'J' (74) is the subtype SQLite's JSON functions give JSON text, so
         * json_each() and -> take the result as JSON, not as a string */
        sqlite3_result_subtype(cx, 74);
        break;
    }
    }
    omb_ffi_result_clear(&res);
}

int omb_ffi_register_sql(sqlite3 *db, const omb_registry *reg, char *err, size_t cap)
{
    for (size_t i = 0; i < reg->n; i++) {
        const struct omb_ffi_plugin *p = reg->plugins[i].metrics;
        for (size_t k = 0; p && k < p->n; k++) {
            const struct omb_ffi_fn *f = &p->fns[k];
            if (omb_ffi_find(reg, f->name) != f) continue; /* a later duplicate */
            int flags = SQLITE_UTF8;
#ifdef SQLITE_RESULT_SUBTYPE
            if (f->ret == 't') flags |= SQLITE_RESULT_SUBTYPE;
#endif
            /* Not SQLITE_DETERMINISTIC: metrics read the store, which changes. */
            if (sqlite3_create_function_v2(db, f->name, f->n_args, flags, (void *)f, sql_call, NULL, NULL, NULL) !=
                SQLITE_OK) {
                snprintf(err, cap, "registering SQL function %s(): %s", f->name, sqlite3_errmsg(db));
                return OMB_ESTORE;
            }
        }
    }
    return OMB_OK;
}
