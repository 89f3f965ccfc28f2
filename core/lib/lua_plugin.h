/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * lua_plugin.h -- source-format plugins written in Lua (lua_plugin.c): load a
 * NAME.lua file, and call its probe and parse with the same contract and host
 * table as a C plugin.  plugin_loader.c finds the files and dispatches.
 */
#ifndef OMB_LUA_PLUGIN_H
#define OMB_LUA_PLUGIN_H

#include <ombuds/plugin.h>
#include <stddef.h>

struct omb_lua_plugin;

/* Loads path.  On success *out owns a Lua state; on failure reason says why
 * (with the file's line for Lua errors) and OMB_EPLUGIN or OMB_ENOMEM returns. */
int omb_lua_plugin_load(const char *path, struct omb_lua_plugin **out, char *reason, size_t cap);
void omb_lua_plugin_free(struct omb_lua_plugin *lp);

/* The descriptor the registry lists (name, version, description, rank). */
const struct omb_plugin *omb_lua_plugin_descriptor(const struct omb_lua_plugin *lp);

/* probe and parse, as for a C source plugin.  A probe that raises scores 0;
 * a parse that raises fails the document with the Lua message. */
int omb_lua_plugin_probe(struct omb_lua_plugin *lp, const char *text, size_t len, const char *filename);
int omb_lua_plugin_parse(struct omb_lua_plugin *lp, const struct omb_host *h, omb_sink *sink,
                         const struct omb_doc *doc);

#endif
