/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * lua_aux.h -- the text buffer of lua_aux.c, which the binding files and
 * pretty.c build strings in.  The other helpers of lua_aux.c (stop flag,
 * output mode, statement guard, type checks) are declared in lua_int.h with
 * the rest of what the binding files share.
 */
#ifndef OMB_LUA_AUX_H
#define OMB_LUA_AUX_H

#include <lua.h>
#include <stddef.h>

/* A growable byte buffer owned by a userdata on the Lua stack, so a Lua
 * error raised while text is being built frees it (a longjmp skips C
 * clean-up) and the Lua stack
 * can be used freely meanwhile (unlike luaL_Buffer). */
typedef struct omb_sbuf {
    char *p;    /* malloc'd, NUL-terminated when n > 0 */
    size_t n;   /* bytes used */
    size_t cap; /* bytes allocated */
} omb_sbuf;

/* Pushes a new empty buffer (a userdata) and returns it. */
omb_sbuf *omb_sbuf_new(lua_State *L);
/* Appends n bytes; raises "not enough memory" when growing fails. */
void omb_sbuf_add(lua_State *L, omb_sbuf *b, const char *s, size_t n);
void omb_sbuf_adds(lua_State *L, omb_sbuf *b, const char *s);
/* printf-style append (the result of one call is cut at 512 bytes). */
void omb_sbuf_addf(lua_State *L, omb_sbuf *b, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
