/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_paths.c -- unit tests for paths.c, the one owner of search paths:
 * the per-user directory rule (an absolute XDG variable, else a folder under
 * $HOME, none without a home), the history file and its switch-off, the data
 * directory override, and the order of the script directories.
 */
#include "paths.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"

int main(void)
{
    char p[512];
    unsetenv("XDG_DATA_HOME");
    unsetenv("XDG_STATE_HOME");
    unsetenv("OMBUDS_HISTFILE");
    setenv("HOME", "/home/ann", 1);

    TAP_INT(omb_user_path(OMB_USER_PLUGINS, NULL, p, sizeof p), 0, "plugins dir under HOME");
    TAP_STR(p, "/home/ann/.local/lib/ombuds/plugins", "plugins: ~/.local/lib/ombuds/plugins");
    TAP_INT(omb_user_path(OMB_USER_DATA, "improvement_themes.tsv", p, sizeof p), 0, "data file under HOME");
    TAP_STR(p, "/home/ann/.local/share/ombuds/improvement_themes.tsv", "data: ~/.local/share/ombuds/NAME");
    TAP_INT(omb_history_path(p, sizeof p), 0, "a history file under HOME");
    TAP_STR(p, "/home/ann/.local/state/ombuds/history", "history: ~/.local/state/ombuds/history");

    setenv("XDG_DATA_HOME", "/srv/xdg-data", 1);
    setenv("XDG_STATE_HOME", "/srv/xdg-state", 1);
    omb_user_path(OMB_USER_DATA, "x.tsv", p, sizeof p);
    TAP_STR(p, "/srv/xdg-data/ombuds/x.tsv", "XDG_DATA_HOME wins over HOME");
    omb_history_path(p, sizeof p);
    TAP_STR(p, "/srv/xdg-state/ombuds/history", "XDG_STATE_HOME wins over HOME");
    omb_user_path(OMB_USER_PLUGINS, NULL, p, sizeof p);
    TAP_STR(p, "/home/ann/.local/lib/ombuds/plugins", "no XDG variable moves the plugins dir");

    setenv("XDG_STATE_HOME", "relative/state", 1);
    omb_history_path(p, sizeof p);
    TAP_STR(p, "/home/ann/.local/state/ombuds/history", "a relative XDG value is ignored (XDG spec)");

    setenv("OMBUDS_HISTFILE", "/tmp/h", 1);
    omb_history_path(p, sizeof p);
    TAP_STR(p, "/tmp/h", "OMBUDS_HISTFILE names the history file");
    setenv("OMBUDS_HISTFILE", "/dev/null", 1);
    TAP_INT(omb_history_path(p, sizeof p), -1, "OMBUDS_HISTFILE=/dev/null switches history off");
    unsetenv("OMBUDS_HISTFILE");

    unsetenv("XDG_DATA_HOME");
    unsetenv("XDG_STATE_HOME");
    unsetenv("HOME");
    TAP_INT(omb_user_path(OMB_USER_DATA, "x", p, sizeof p), -1, "no HOME and no XDG: no user directory");
    TAP_INT(omb_history_path(p, sizeof p), -1, "no HOME: no history");
    setenv("HOME", "/home/ann", 1);
    TAP_INT(omb_user_path(OMB_USER_DATA, "x", p, 10), -1, "a path that does not fit is refused");

    setenv("OMBUDS_DATA_DIR", "/opt/ombuds-data", 1);
    TAP_STR(omb_data_dir(), "/opt/ombuds-data", "OMBUDS_DATA_DIR overrides the data directory");
    unsetenv("OMBUDS_DATA_DIR");

    const char *dirs[4];
    size_t n = omb_script_dirs(dirs, 4);
    TAP_OK(n >= 2, "at least ./scripts and the installed scripts directory (%zu)", n);
    TAP_STR(dirs[0], "./scripts", "./scripts comes first");
    TAP_STR(dirs[n - 1], OMB_SCRIPTDIR, "the installed scripts directory comes last");
    TAP_INT((int)omb_script_dirs(dirs, 1), 1, "no more than max directories are stored");
    TAP_STR(omb_plugin_dir(), OMB_PLUGINDIR, "the installed plugin directory");
    return tap_done();
}
