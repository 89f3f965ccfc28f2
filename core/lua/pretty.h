/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pretty.h -- turning Lua values into text for people and for files: values
 * as Lua constructors (indented, cycles marked, depth and width limits),
 * results as aligned tables fitted to a width, CSV, JSON, and a case as a
 * record.  Every function pushes one string; nothing here writes to a file
 * or terminal (repl.c and lua_result.c decide where text goes).
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

/* Pushes the value at idx as text: results as tables, cases as records,
 * other tables as constructors, strings quoted (%q style; multi-line strings
 * at the top as long brackets), userdata through __tostring.  May call
 * __tostring metamethods, so it can raise. */
void omb_pretty_value(lua_State *L, int idx, const struct omb_pretty_opts *o);

/* Pushes an aligned text table of the rows (array of tables, index rows) over
 * the columns (array of names, index cols): column widths fitted to
 * o->width, long cells cut with an ellipsis, numeric columns right-aligned,
 * at most o->max_rows rows then "... 1,234 more rows", then "(N rows)". */
void omb_pretty_table(lua_State *L, int cols, int rows, const struct omb_pretty_opts *o);

/* Pushes RFC 4180 CSV of the rows over the columns (header line first). */
void omb_pretty_csv(lua_State *L, int cols, int rows);

/* Pushes the value at idx as JSON.  When cols is not 0 and the value is an
 * array of rows, each plain row's keys come in that column order.  Raises
 * for functions, userdata, cycles, and tables mixing array and other keys. */
void omb_pretty_json(lua_State *L, int idx, int cols);

/* Pushes a case table (idx) as a record: reference and authority, then one
 * labelled line per field, remedies, improvements, events and sources. */
void omb_pretty_case(lua_State *L, int idx, const struct omb_pretty_opts *o);

/* Writes n with thousands separators ("1,234") into buf. */
void omb_pretty_count(char *buf, size_t cap, unsigned long long n);

#endif
