/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_loader.c -- unit tests for plugin_loader.c with deliberately broken
 * plugins from tests/plugins: each gives one clear error line naming the file
 * and the reason, and the good plugins still load.
 */
#include "plugin_loader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"

static const char *find_error(const omb_registry *reg, const char *file, const char *text)
{
    for (size_t i = 0; i < reg->n_errors; i++)
        if (strstr(reg->errors[i], file) && strstr(reg->errors[i], text)) return reg->errors[i];
    return NULL;
}

int main(void)
{
    const char *dir = getenv("OMBUDS_TEST_PLUGINS");
    if (!dir) {
        printf("1..0 # SKIP OMBUDS_TEST_PLUGINS not set\n");
        return 0;
    }
    omb_registry reg = {0};
    /* the real plugins first (OMBUDS_PLUGIN_PATH), then the broken ones */
    TAP_INT(omb_registry_load(&reg, NULL), OMB_OK, "scan the plugin path");
    TAP_OK(omb_registry_find(&reg, "decision_page") != NULL, "decision_page loaded");
    size_t good = reg.n;
    TAP_INT(omb_registry_load_file(&reg, "/nonexistent/plugin.so"), OMB_OK, "a missing file is an error line");
    char path[1024];
    snprintf(path, sizeof path, "%s/bad_abi.so", dir);
    omb_registry_load_file(&reg, path);
    snprintf(path, sizeof path, "%s/no_descriptor.so", dir);
    omb_registry_load_file(&reg, path);
    snprintf(path, sizeof path, "%s/bad_name.so", dir);
    omb_registry_load_file(&reg, path);
    snprintf(path, sizeof path, "%s/dup_decision.so", dir);
    omb_registry_load_file(&reg, path);
    snprintf(path, sizeof path, "%s/fail_midway.so", dir);
    omb_registry_load_file(&reg, path);
    snprintf(path, sizeof path, "%s/../../tests/unit/test_loader.c", dir);
    omb_registry_load_file(&reg, path);

    TAP_OK(find_error(&reg, "/nonexistent/plugin.so", "cannot load") != NULL, "missing file reported");
    const char *e = find_error(&reg, "bad_abi.so", "was built for plugin ABI 42; this ombuds provides 1");
    TAP_OK(e != NULL, "wrong ABI refused with both versions: %s", e ? e : "(none)");
    TAP_OK(find_error(&reg, "bad_abi.so", "future_format") != NULL, "ABI error names the plugin");
    TAP_OK(find_error(&reg, "no_descriptor.so", "no 'ombuds_plugin' descriptor") != NULL, "missing descriptor");
    TAP_OK(find_error(&reg, "bad_name.so", "[a-z0-9_]+") != NULL, "invalid name refused");
    TAP_OK(find_error(&reg, "dup_decision.so", "duplicate plugin name 'decision_page'") != NULL,
           "duplicate name refused");
    TAP_OK(find_error(&reg, "test_loader.c", "cannot load") != NULL, "a non-shared-object file refused");
    TAP_INT(reg.n, good + 1, "only the good test plugin was added");
    TAP_OK(omb_registry_find(&reg, "fail_midway") != NULL, "fail_midway loaded");
    TAP_STR(omb_registry_find(&reg, "decision_page")->desc->version, "1.0", "the first decision_page was kept");
    omb_registry_free(&reg);
    return tap_done();
}
