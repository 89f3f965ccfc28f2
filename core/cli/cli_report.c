/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli_report.c -- `ombuds report --authority NAME [--year YYYY | --from DATE
 * --to DATE] [--out FILE.html]`: the council's annual complaints report.
 * The report itself is the Lua script scripts/council_report.lua (so a
 * council can copy and adapt it); this command only finds that script and
 * runs it as `ombuds run council_report.lua ARGS...` would, so both spellings
 * behave the same.  The script is looked for in $OMBUDS_REPORT_SCRIPT, then
 * the source tree's scripts/ when ombuds runs from its build tree, then the
 * installed scripts directory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "paths.h"

#define REPORT_SCRIPT "council_report.lua"

/* The script to run, or NULL when none can be read (buf holds the path).
 * $OMBUDS_REPORT_SCRIPT first, then the directories `require` searches
 * (paths.c owns that list), so an adapted copy in ./scripts is the one run. */
static const char *find_script(char *buf, size_t size)
{
    const char *env = getenv("OMBUDS_REPORT_SCRIPT");
    if (env && *env) return env;
    const char *dirs[8];
    size_t n = omb_script_dirs(dirs, sizeof dirs / sizeof dirs[0]);
    for (size_t i = 0; i < n; i++) {
        int w = snprintf(buf, size, "%s/%s", dirs[i], REPORT_SCRIPT);
        if (w > 0 && (size_t)w < size && access(buf, R_OK) == 0) return buf;
    }
    return NULL;
}

int omb_cli_report(const struct omb_cli *cli, int argc, char **argv)
{
    char path[4096];
    const char *script = find_script(path, sizeof path);
    if (!script) {
        fprintf(stderr, "ombuds report: cannot find scripts/" REPORT_SCRIPT " (installed in "
#ifdef OMB_SCRIPTDIR
                OMB_SCRIPTDIR
#else
                "the scripts directory"
#endif
                "); set OMBUDS_REPORT_SCRIPT to its path\n");
        return 2;
    }
    /* run SCRIPT ARGS...: argv[0] is "report", the rest go to the script */
    char **args = calloc((size_t)argc + 2, sizeof *args);
    if (!args) {
        fprintf(stderr, "ombuds report: out of memory\n");
        return 1;
    }
    args[0] = (char *)"run";
    args[1] = (char *)script;
    for (int i = 1; i < argc; i++) args[i + 1] = argv[i];
    /* the script prints its own help, which needs no store */
    struct omb_cli c = *cli;
    c.store_optional = omb_cli_wants_help(argc, argv);
    int rc = omb_cli_lua(&c, argc + 1, args);
    free(args);
    return rc;
}
