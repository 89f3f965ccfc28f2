/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * paths.h -- every place ombuds looks for something outside the store:
 * plugins, data files, Lua scripts and the console history.  The rule for
 * per-user directories (an XDG variable when it is set to an absolute path,
 * else a folder under $HOME) is written once, in paths.c; callers only say
 * which kind of directory they want.
 */
#ifndef OMB_PATHS_H
#define OMB_PATHS_H

#include <stddef.h>

/* Is this program running from its build tree?  (Then plugins, data and
 * scripts are taken from the build and source trees before the installed
 * ones, so tests never see an older installed copy.) */
int omb_running_from_build_tree(void);

/* The shipped data directory: $OMBUDS_DATA_DIR, the source tree's data/
 * when running from the build tree, then the installed one; NULL when none
 * is readable. */
const char *omb_data_dir(void);

/* The installed plugin directory (OMB_PLUGINDIR). */
const char *omb_plugin_dir(void);

/* Where the decoder modules are (decode_<kind>.so, decode_module.c):
 * $OMBUDS_DECODER_DIR, the build tree's core/lib/.libs when running from it,
 * else the installed OMB_PLUGINDIR/decoders. */
const char *omb_decoder_dir(void);

/* Per-user directories. */
enum omb_user_dir {
    OMB_USER_PLUGINS, /* ~/.local/lib/ombuds/plugins */
    OMB_USER_DATA,    /* $XDG_DATA_HOME/ombuds, else ~/.local/share/ombuds */
    OMB_USER_STATE    /* $XDG_STATE_HOME/ombuds, else ~/.local/state/ombuds */
};

/* Writes the per-user directory of that kind, followed by "/name" when name
 * is not NULL, to out.  Returns 0, or -1 when there is no home directory or
 * the path does not fit. */
int omb_user_path(enum omb_user_dir kind, const char *name, char *out, size_t cap);

/* The console history file: $OMBUDS_HISTFILE, else "history" in the user's
 * state directory.  Returns -1 when there is none (or it is /dev/null). */
int omb_history_path(char *out, size_t cap);

/* The directories `require` searches for scripts after $OMBUDS_LUA_PATH, in
 * order: ./scripts, the source tree's scripts/ when running from the build
 * tree, the installed scripts directory.  Returns how many it stored in
 * dirs (at most max). */
size_t omb_script_dirs(const char **dirs, size_t max);

#endif
