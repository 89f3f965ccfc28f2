/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * plugin_loader.h -- finding, loading and listing plugins: the directories
 * searched, dlopen with an ABI check, and the registry the rest of the core
 * asks for a source plugin by name or by probing.  Calling metric functions is
 * ffi_bridge.c; what plugins may call is host.c.
 */
#ifndef OMB_PLUGIN_LOADER_H
#define OMB_PLUGIN_LOADER_H

#include <ombuds/plugin.h>
#include <stddef.h>

struct omb_ffi_plugin;
struct omb_lua_plugin;
struct omb_sink;
struct omb_doc;

struct omb_loaded_plugin {
    const struct omb_plugin *desc; /* inside the shared object */
    char *path;
    void *handle; /* dlopen handle */
    struct omb_ffi_plugin *metrics; /* metric plugins: prepared functions (ffi_bridge.c), else NULL */
    struct omb_lua_plugin *lua;     /* source plugins written in Lua (lua_plugin.c), else NULL */
};

typedef struct omb_registry {
    struct omb_loaded_plugin *plugins;
    size_t n, cap;
    char **errors; /* one line each: "path: reason" */
    size_t n_errors, cap_errors;
} omb_registry;

/* Scans, in order: extra_dir (may be NULL), each directory of
 * $OMBUDS_PLUGIN_PATH, ~/.local/lib/ombuds/plugins, the build tree's plugin
 * directories when the program runs from its build tree, and OMB_PLUGINDIR.
 * A plugin that fails to load adds one line to reg->errors; the scan goes on.
 * Returns OMB_OK or OMB_ENOMEM. */
int omb_registry_load(omb_registry *reg, const char *extra_dir);

/* Loads one file (used by the scan and by tests). */
int omb_registry_load_file(omb_registry *reg, const char *path);

/* Unloads everything.  Under AddressSanitizer (or OMBUDS_NO_DLCLOSE set)
 * shared objects stay mapped so leak reports keep their symbols. */
void omb_registry_free(omb_registry *reg);

/* The plugin called name, or NULL. */
const struct omb_loaded_plugin *omb_registry_find(const omb_registry *reg, const char *name);

/* A source plugin's probe and parse, whichever language it is written in. */
int omb_plugin_probe(const struct omb_loaded_plugin *p, const char *text, size_t len, const char *filename);
int omb_plugin_parse(const struct omb_loaded_plugin *p, const struct omb_host *h, struct omb_sink *sink,
                     const struct omb_doc *doc);

#endif
