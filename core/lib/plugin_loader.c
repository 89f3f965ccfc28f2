/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * plugin_loader.c -- discovers plugin shared objects, dlopens them with
 * RTLD_NOW|RTLD_LOCAL, checks the descriptor (symbol, ABI version, size, kind,
 * name) and keeps the registry.  A bad plugin costs one error line, never the
 * scan (collectd and Wireshark do the same).  Format detection over the
 * registry is ingest.c; metric calls are ffi_bridge.c.
 */
#define _GNU_SOURCE
#include "plugin_loader.h"

#include "ffi_bridge.h"
#include "lua_plugin.h"
#include "paths.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *dupstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

static int add_error(omb_registry *reg, const char *path, const char *reason)
{
    if (reg->n_errors == reg->cap_errors) {
        size_t ncap = reg->cap_errors ? reg->cap_errors * 2 : 4;
        char **p = realloc(reg->errors, ncap * sizeof *p);
        if (!p) return -1;
        reg->errors = p;
        reg->cap_errors = ncap;
    }
    size_t n = strlen(path) + strlen(reason) + 3;
    char *line = malloc(n);
    if (!line) return -1;
    snprintf(line, n, "%s: %s", path, reason);
    reg->errors[reg->n_errors++] = line;
    return 0;
}

static int keep_loaded(void)
{
#if defined(__SANITIZE_ADDRESS__)
    return 1;
#else
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
    return 1;
#endif
#endif
    return getenv("OMBUDS_NO_DLCLOSE") != NULL;
#endif
}

static void unload(void *handle)
{
    if (handle && !keep_loaded()) dlclose(handle);
}

static int valid_name(const char *s)
{
    if (!s || !*s || strlen(s) > 64) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_')) return 0;
    return 1;
}

const struct omb_loaded_plugin *omb_registry_find(const omb_registry *reg, const char *name)
{
    for (size_t i = 0; i < reg->n; i++)
        if (!strcmp(reg->plugins[i].desc->name, name)) return &reg->plugins[i];
    return NULL;
}

int omb_registry_load_file(omb_registry *reg, const char *path)
{
    char reason[512];
    struct omb_ffi_plugin *metrics = NULL; /* before any goto: refuse frees it */
    dlerror();
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        /* dlerror already names the file; keep only its reason */
        const char *colon = e ? strstr(e, ": ") : NULL;
        snprintf(reason, sizeof reason, "cannot load: %s (is it a shared object built for this machine? try ldd)",
                 colon ? colon + 2 : (e ? e : "unknown error"));
        return add_error(reg, path, reason) ? OMB_ENOMEM : OMB_OK;
    }
    const struct omb_plugin *d = dlsym(h, OMB_PLUGIN_SYMBOL);
    if (!d) {
        snprintf(reason, sizeof reason, "no '%s' descriptor: not an ombuds plugin", OMB_PLUGIN_SYMBOL);
        goto refuse;
    }
    if (d->abi_version != OMB_PLUGIN_ABI_VERSION) {
        snprintf(reason, sizeof reason, "plugin '%s' was built for plugin ABI %u; this ombuds provides %d",
                 valid_name(d->name) ? d->name : "?", (unsigned)d->abi_version, OMB_PLUGIN_ABI_VERSION);
        goto refuse;
    }
    if (d->struct_size < sizeof(struct omb_plugin)) {
        snprintf(reason, sizeof reason, "descriptor is %u bytes, expected at least %zu", (unsigned)d->struct_size,
                 sizeof(struct omb_plugin));
        goto refuse;
    }
    if (!valid_name(d->name)) {
        snprintf(reason, sizeof reason, "plugin name must be [a-z0-9_]+ (at most 64 characters)");
        goto refuse;
    }
    if (d->kind != OMB_PLUGIN_SOURCE && d->kind != OMB_PLUGIN_METRIC) {
        snprintf(reason, sizeof reason, "plugin '%s' has unknown kind %d", d->name, d->kind);
        goto refuse;
    }
    if (!d->ops) {
        snprintf(reason, sizeof reason, "plugin '%s' has no operations", d->name);
        goto refuse;
    }
    if (d->kind == OMB_PLUGIN_SOURCE) {
        const struct omb_source_ops *ops = d->ops;
        if (!ops->probe || !ops->parse) {
            snprintf(reason, sizeof reason, "source plugin '%s' lacks probe or parse", d->name);
            goto refuse;
        }
    }
    /* Metric signatures are parsed and prepared now, once: a plugin with a
     * bad one is refused here rather than failing at its first call. */
    if (d->kind == OMB_PLUGIN_METRIC && !omb_registry_find(reg, d->name) &&
        (omb_ffi_prepare(d, &metrics, reason, sizeof reason) || omb_ffi_conflict(reg, metrics, reason, sizeof reason)))
        goto refuse;
    const struct omb_loaded_plugin *dup = omb_registry_find(reg, d->name);
    if (dup) {
        char a[PATH_MAX], b[PATH_MAX];
        /* the same file reached through two search directories is no news */
        if (realpath(path, a) && realpath(dup->path, b) && !strcmp(a, b)) {
            omb_ffi_free(metrics);
            unload(h);
            return OMB_OK;
        }
        snprintf(reason, sizeof reason, "duplicate plugin name '%s' (already loaded from %s); ignored", d->name,
                 dup->path);
        goto refuse;
    }
    if (reg->n == reg->cap) {
        size_t ncap = reg->cap ? reg->cap * 2 : 8;
        void *p = realloc(reg->plugins, ncap * sizeof *reg->plugins);
        if (!p) goto nomem;
        reg->plugins = p;
        reg->cap = ncap;
    }
    char *copy = dupstr(path);
    if (!copy) goto nomem;
    reg->plugins[reg->n].desc = d;
    reg->plugins[reg->n].path = copy;
    reg->plugins[reg->n].handle = h;
    reg->plugins[reg->n].metrics = metrics;
    reg->plugins[reg->n].lua = NULL;
    reg->n++;
    return OMB_OK;
refuse:
    omb_ffi_free(metrics);
    unload(h);
    return add_error(reg, path, reason) ? OMB_ENOMEM : OMB_OK;
nomem:
    omb_ffi_free(metrics);
    unload(h);
    return OMB_ENOMEM;
}

/* Adds a loaded plugin to the registry; takes ownership of lua. */
static int add_plugin(omb_registry *reg, const char *path, const struct omb_plugin *d, void *handle,
                      struct omb_lua_plugin *lua)
{
    if (reg->n == reg->cap) {
        size_t ncap = reg->cap ? reg->cap * 2 : 8;
        void *p = realloc(reg->plugins, ncap * sizeof *reg->plugins);
        if (!p) return OMB_ENOMEM;
        reg->plugins = p;
        reg->cap = ncap;
    }
    char *copy = dupstr(path);
    if (!copy) return OMB_ENOMEM;
    memset(&reg->plugins[reg->n], 0, sizeof reg->plugins[reg->n]);
    reg->plugins[reg->n].desc = d;
    reg->plugins[reg->n].path = copy;
    reg->plugins[reg->n].handle = handle;
    reg->plugins[reg->n].lua = lua;
    reg->n++;
    return OMB_OK;
}

/* Loads a source plugin written in Lua (lua_plugin.c). */
static int load_lua_file(omb_registry *reg, const char *path)
{
    char reason[600];
    struct omb_lua_plugin *lp;
    if (omb_lua_plugin_load(path, &lp, reason, sizeof reason) != OMB_OK)
        return add_error(reg, path, reason) ? OMB_ENOMEM : OMB_OK;
    const struct omb_plugin *d = omb_lua_plugin_descriptor(lp);
    const struct omb_loaded_plugin *dup = omb_registry_find(reg, d->name);
    if (dup) {
        char a[PATH_MAX], b[PATH_MAX];
        int same = realpath(path, a) && realpath(dup->path, b) && !strcmp(a, b);
        if (!same) snprintf(reason, sizeof reason, "duplicate plugin name '%s' (already loaded from %s); ignored",
                            d->name, dup->path);
        omb_lua_plugin_free(lp);
        return same || !add_error(reg, path, reason) ? OMB_OK : OMB_ENOMEM;
    }
    if (add_plugin(reg, path, d, NULL, lp)) {
        omb_lua_plugin_free(lp);
        return OMB_ENOMEM;
    }
    return OMB_OK;
}

int omb_plugin_probe(const struct omb_loaded_plugin *p, const char *text, size_t len, const char *filename)
{
    if (p->lua) return omb_lua_plugin_probe(p->lua, text, len, filename);
    const struct omb_source_ops *ops = p->desc->ops;
    return ops->probe(text, len, filename);
}

int omb_plugin_parse(const struct omb_loaded_plugin *p, const struct omb_host *h, struct omb_sink *sink,
                     const struct omb_doc *doc)
{
    if (p->lua) return omb_lua_plugin_parse(p->lua, h, sink, doc);
    const struct omb_source_ops *ops = p->desc->ops;
    return ops->parse(h, sink, doc);
}

static int has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Loads every regular *.so in dir, in name order so results do not depend on
 * the file system.  A missing directory is not an error. */
static int scan_dir(omb_registry *reg, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return OMB_OK;
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = OMB_OK;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!has_suffix(e->d_name, ".so") && !has_suffix(e->d_name, ".lua")) continue;
        /* the SQLite extension (core/lib/sqlext.c) shares the directory */
        if (!strcmp(e->d_name, "ombuds.so")) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **p = realloc(names, cap * sizeof *p);
            if (!p) {
                rc = OMB_ENOMEM;
                break;
            }
            names = p;
        }
        if (!(names[n] = dupstr(e->d_name))) {
            rc = OMB_ENOMEM;
            break;
        }
        n++;
    }
    closedir(d);
    if (n) qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        char path[PATH_MAX];
        struct stat st;
        if (rc == OMB_OK && (size_t)snprintf(path, sizeof path, "%s/%s", dir, names[i]) < sizeof path &&
            lstat(path, &st) == 0 && S_ISREG(st.st_mode))
            rc = has_suffix(names[i], ".lua") ? load_lua_file(reg, path) : omb_registry_load_file(reg, path);
        free(names[i]);
    }
    free(names);
    return rc;
}

/* The build tree keeps each plugin in plugins/<kind>/<name>/.libs; plugins
 * written in Lua stay in the source tree's plugins/<kind>/<name>/. */
static int scan_build_tree(omb_registry *reg, const char *top, const char *sub)
{
    static const char *const kinds[] = {"plugins/source", "plugins/metric"};
    for (int k = 0; k < 2; k++) {
        char base[PATH_MAX];
        if ((size_t)snprintf(base, sizeof base, "%s/%s", top, kinds[k]) >= sizeof base) continue;
        DIR *d = opendir(base);
        if (!d) continue;
        char **names = NULL;
        size_t n = 0, cap = 0;
        struct dirent *e;
        while ((e = readdir(d))) {
            if (e->d_name[0] == '.') continue;
            if (n == cap) {
                cap = cap ? cap * 2 : 16;
                char **p = realloc(names, cap * sizeof *p);
                if (!p) break;
                names = p;
            }
            if (!(names[n] = dupstr(e->d_name))) break;
            n++;
        }
        closedir(d);
        if (n) qsort(names, n, sizeof *names, cmp_str);
        int rc = OMB_OK;
        for (size_t i = 0; i < n; i++) {
            char dir[PATH_MAX];
            if (rc == OMB_OK && (size_t)snprintf(dir, sizeof dir, "%s/%s%s", base, names[i], sub) < sizeof dir)
                rc = scan_dir(reg, dir);
            free(names[i]);
        }
        free(names);
        if (rc) return rc;
    }
    return OMB_OK;
}

int omb_registry_load(omb_registry *reg, const char *extra_dir)
{
    int rc;
    if (extra_dir && (rc = scan_dir(reg, extra_dir))) return rc;
    const char *env = getenv("OMBUDS_PLUGIN_PATH");
    if (env && *env) {
        char *copy = dupstr(env), *save = NULL;
        if (!copy) return OMB_ENOMEM;
        for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save))
            if ((rc = scan_dir(reg, dir))) {
                free(copy);
                return rc;
            }
        free(copy);
    }
    char dir[PATH_MAX];
    if (omb_user_path(OMB_USER_PLUGINS, NULL, dir, sizeof dir) == 0 && (rc = scan_dir(reg, dir))) return rc;
#ifdef OMB_BUILDDIR
    if (omb_running_from_build_tree() && (rc = scan_build_tree(reg, OMB_BUILDDIR, "/.libs"))) return rc;
#ifdef OMB_SRCDIR
    if (omb_running_from_build_tree() && (rc = scan_build_tree(reg, OMB_SRCDIR, ""))) return rc;
#endif
#endif
    return scan_dir(reg, omb_plugin_dir());
}

void omb_registry_free(omb_registry *reg)
{
    for (size_t i = 0; i < reg->n; i++) {
        omb_ffi_free(reg->plugins[i].metrics);
        omb_lua_plugin_free(reg->plugins[i].lua);
        unload(reg->plugins[i].handle);
        free(reg->plugins[i].path);
    }
    free(reg->plugins);
    for (size_t i = 0; i < reg->n_errors; i++) free(reg->errors[i]);
    free(reg->errors);
    memset(reg, 0, sizeof *reg);
}
