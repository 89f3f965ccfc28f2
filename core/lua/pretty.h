/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pretty.h -- turning Lua values into text for people and for files: values
 * as Lua constructors (indented, cycles marked, depth and width limits) and
 * JSON.  Rows are output.c's (the one renderer of rows); a Case or a Result
 * renders itself through its __pretty metamethod.  Every function pushes one
 * string; nothing here writes to a file or terminal.
 */
#ifndef OMB_PRETTY_H
#define OMB_PRETTY_H

#include <lua.h>
#include <stddef.h>

#include "lua_aux.h" /* omb_sbuf */

struct omb_pretty_opts {
    int depth;       /* nesting levels shown before "{…}" */
    int items;       /* entries shown per table before "… (N more)" */
    int width;       /* line width to fit (0: unlimited, one line per table entry when long) */
    int color;       /* ANSI colours */
    size_t max_rows; /* rows of a Result shown before "... N more rows" (0: all) */
};

/* Fills o with the console defaults for the given width and colour. */
void omb_pretty_defaults(struct omb_pretty_opts *o, int width, int color);

/* Pushes the value at idx as text: a value whose metatable has __pretty (a
 * Case, a Result) through it, called as __pretty(v, width, color, max_rows,
 * compact); other tables as constructors, strings quoted (%q style;
 * multi-line strings at the top as long brackets), userdata through
 * __tostring.  May call metamethods, so it can raise. */
void omb_pretty_value(lua_State *L, int idx, const struct omb_pretty_opts *o);

/* Pushes the value at idx as JSON.  When cols is not 0 and the value is an
 * array of rows, each plain row's keys come in that column order.  Raises
 * for functions, userdata, cycles, and tables mixing array and other keys. */
void omb_pretty_json(lua_State *L, int idx, int cols);

/* Writes n with thousands separators ("1,234") into buf. */
void omb_pretty_count(char *buf, size_t cap, unsigned long long n);

#endif
