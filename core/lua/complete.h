/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * complete.h -- what Tab offers at a point in a console line, as a function
 * of the Lua state and the text alone, so tests can call it without a
 * terminal: Lua keywords and globals, fields along a dotted path, methods of
 * ombuds objects (through their metatables), filter keys of db:cases{...},
 * SQL table and column names in db:query strings, plugin names after
 * format =, store values after authority = and the like, file names in
 * other strings, and dot commands.  console.c hands the result to readline.
 */
#ifndef OMB_COMPLETE_H
#define OMB_COMPLETE_H

#include <lua.h>
#include <stddef.h>

enum omb_complete_kind {
    OMB_COMPLETE_NONE = 0, /* inside a comment, or after something not walkable */
    OMB_COMPLETE_LUA,      /* a name, or a field/method along a path */
    OMB_COMPLETE_FILE,     /* a file name inside a string */
    OMB_COMPLETE_SQL,      /* a table, column or keyword inside a query string */
    OMB_COMPLETE_PLUGIN,   /* a plugin name after format = */
    OMB_COMPLETE_VALUE,    /* a stored value after authority =, category =, ... */
    OMB_COMPLETE_DOT,      /* a console command or its argument */
};

/* Looks at line[0..cursor) only (no Lua): returns the kind of completion
 * and sets *start to where the word being completed begins. */
int omb_complete_context(const char *line, size_t cursor, size_t *start);

/* Pushes a sorted array of distinct candidates, each to replace
 * line[*start..cursor), and returns how many there are.  Walks tables with
 * raw gets only and reads metatables without calling them, so completion
 * never runs user code.  May raise on memory errors (call it protected). */
int omb_complete(lua_State *L, const char *line, size_t cursor, size_t *start);

#endif
