/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * paths.c -- the one file that knows where plugins, data files, scripts and
 * the console history live (paths.h).  The order of the plugin search and
 * the reading of each directory stay with plugin_loader.c; this file only
 * names the directories, so a change of rule is made in one place.
 */
#define _GNU_SOURCE
#include "paths.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef OMB_DATADIR
#define OMB_DATADIR "/usr/local/share/ombuds"
#endif
#ifndef OMB_PLUGINDIR
#define OMB_PLUGINDIR "/usr/local/lib/ombuds"
#endif

/* Compare the real path of the executable with the build directory
 * compiled in. */
int omb_running_from_build_tree(void)
{
#ifdef OMB_BUILDDIR
    /* The executable, or failing that the shared object this code is in:
     * the SQLite extension ombuds.so when a sqlite3 shell or Python loaded
     * it from the build tree. */
    char exe[PATH_MAX], top[PATH_MAX], so[PATH_MAX];
    Dl_info info;
    if (!realpath(OMB_BUILDDIR, top)) return 0;
    size_t t = strlen(top);
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        if (strncmp(exe, top, t) == 0 && exe[t] == '/') return 1;
    }
    return dladdr((void *)omb_running_from_build_tree, &info) && info.dli_fname && info.dli_fname[0] == '/' &&
           realpath(info.dli_fname, so) && strncmp(so, top, t) == 0 && so[t] == '/';
#else
    return 0;
#endif
}

const char *omb_data_dir(void)
{
    static char dir[4096];
    const char *env = getenv("OMBUDS_DATA_DIR");
    if (env && *env) return env;
#ifdef OMB_SRCDIR
    if (omb_running_from_build_tree()) {
        snprintf(dir, sizeof dir, "%s/data", OMB_SRCDIR);
        if (access(dir, R_OK) == 0) return dir;
    }
#endif
    if (access(OMB_DATADIR, R_OK) == 0) return OMB_DATADIR;
    return NULL;
}

const char *omb_plugin_dir(void) { return OMB_PLUGINDIR; }

const char *omb_decoder_dir(void)
{
    const char *env = getenv("OMBUDS_DECODER_DIR");
    if (env && *env) return env;
#ifdef OMB_BUILDDIR
    if (omb_running_from_build_tree()) return OMB_BUILDDIR "/core/lib/.libs";
#endif
    return OMB_PLUGINDIR "/decoders";
}

/* One row per kind: the XDG variable that overrides it (none for plugins,
 * which XDG has no place for) and the folder under $HOME otherwise. */
static const struct {
    const char *xdg;
    const char *under_home;
} user_dirs[] = {
    [OMB_USER_PLUGINS] = {NULL, ".local/lib/ombuds/plugins"},
    [OMB_USER_DATA] = {"XDG_DATA_HOME", ".local/share/ombuds"},
    [OMB_USER_STATE] = {"XDG_STATE_HOME", ".local/state/ombuds"},
};

int omb_user_path(enum omb_user_dir kind, const char *name, char *out, size_t cap)
{
    const char *sep = name ? "/" : "", *leaf = name ? name : "";
    const char *xdg = user_dirs[kind].xdg ? getenv(user_dirs[kind].xdg) : NULL, *home;
    int n;
    /* the XDG base directory rule: a relative value is ignored */
    if (xdg && *xdg == '/')
        n = snprintf(out, cap, "%s/ombuds%s%s", xdg, sep, leaf);
    else if ((home = getenv("HOME")) && *home)
        n = snprintf(out, cap, "%s/%s%s%s", home, user_dirs[kind].under_home, sep, leaf);
    else
        return -1;
    return n > 0 && (size_t)n < cap ? 0 : -1;
}

int omb_history_path(char *out, size_t cap)
{
    const char *env = getenv("OMBUDS_HISTFILE");
    if (env && *env) {
        if (!strcmp(env, "/dev/null")) return -1;
        int n = snprintf(out, cap, "%s", env);
        return n > 0 && (size_t)n < cap ? 0 : -1;
    }
    return omb_user_path(OMB_USER_STATE, "history", out, cap);
}

size_t omb_script_dirs(const char **dirs, size_t max)
{
    size_t n = 0;
    if (n < max) dirs[n++] = "./scripts";
#ifdef OMB_SRCDIR
    if (n < max && omb_running_from_build_tree()) dirs[n++] = OMB_SRCDIR "/scripts";
#endif
#ifdef OMB_SCRIPTDIR
    if (n < max) dirs[n++] = OMB_SCRIPTDIR;
#endif
    return n;
}
