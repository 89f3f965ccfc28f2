/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_plugin.c -- libFuzzer target for one source-format plugin, the path a
 * document takes through `ombuds ingest`: decode the bytes (text.c), probe,
 * detect the format, parse through the real host table into a sink (host.c),
 * print the canonical dump (dump.c) and write the sink into an in-memory store
 * (store.c).  `make fuzz` links this file once per plugin with that plugin's
 * source, which defines the `ombuds_plugin` descriptor used here; the loader's
 * dlopen is the one step left out (it only finds the same descriptor).
 * Built with -DFUZZ_LUA_PLUGIN="path.lua" instead, it loads that Lua source
 * plugin (lua_plugin.c) and fuzzes it the same way.
 */
#include <inttypes.h>
#include <string.h>

#include <ombuds/plugin.h>

#include "dump.h"
#include "fuzz.h"
#include "ingest.h"
#include "lua_plugin.h"
#include "plugin_loader.h"
#include "sink.h"
#include "store.h"
#include "decode.h"
#include "decode_text.h"

#ifdef FUZZ_LUA_PLUGIN
/* the Lua plugin, loaded on the first input */
static struct omb_lua_plugin *lua_plugin;
static struct omb_plugin lua_desc;
#define ombuds_plugin lua_desc

static void load_lua_plugin(void)
{
    char reason[600];
    if (lua_plugin) return;
    if (omb_lua_plugin_load(FUZZ_LUA_PLUGIN, &lua_plugin, reason, sizeof reason) != OMB_OK) {
        fprintf(stderr, "fuzz_plugin: %s\n", reason);
        abort();
    }
    lua_desc = *omb_lua_plugin_descriptor(lua_plugin);
}
#else
extern const struct omb_plugin ombuds_plugin;
#endif

/* Documents replace each other at one path, so the store stays small; it is
 * still reopened now and then so that nothing grows without bound over
 * millions of runs. */
#define RUNS_PER_STORE 2000

static omb_store *store;
static FILE *devnull;
static uint64_t runs;

static void open_store(void)
{
    char err[512];
    if (store && runs % RUNS_PER_STORE) return;
    omb_store_close(store);
    store = NULL;
    if (omb_store_open(":memory:", 0, &store, err, sizeof err) != OMB_OK) {
        fprintf(stderr, "fuzz_plugin: %s\n", err);
        abort();
    }
    if (!devnull && !(devnull = fopen("/dev/null", "w"))) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* ingest refuses an empty file before any plugin sees it */
    if (size == 0) return 0;
    char *text = NULL, note[128], err[1024];
    size_t len = 0;
    if (omb_text_decode((const char *)data, size, &text, &len, note, sizeof note, err, sizeof err) != OMB_OK) return 0;
    open_store();
    runs++;

#ifdef FUZZ_LUA_PLUGIN
    load_lua_plugin();
    struct omb_loaded_plugin lp = {.desc = &ombuds_plugin, .path = (char *)"fuzz", .lua = lua_plugin};
#else
    struct omb_loaded_plugin lp = {.desc = &ombuds_plugin, .path = (char *)"fuzz"};
#endif
    const struct omb_source_ops *ops = ombuds_plugin.ops;
    const char *path = strcmp(ombuds_plugin.name, "csv_export") ? "fuzz/document.txt" : "fuzz/document.csv";
    const char *name = strrchr(path, '/') + 1;

    int score = omb_plugin_probe(&lp, text, len, name);
    FUZZ_CHECK(score >= 0 && score <= 100);
    struct omb_loaded_plugin list[1] = {lp};
    omb_registry reg = {.plugins = list, .n = 1, .cap = 1};
    const struct omb_loaded_plugin *found = omb_detect_format(&reg, text, len, path, err, sizeof err);
    /* A confident probe is always taken.  Below the threshold a text that
     * reads as an ombudsman decision (a reference and a decision's words)
     * is still offered to the plugin to parse (ingest_detect.c), so it may
     * be found too; nothing else ever is. */
    FUZZ_CHECK(score < OMB_PROBE_THRESHOLD || found == &list[0]);
    FUZZ_CHECK(!found || found == &list[0]);

    struct omb_sink sink;
    omb_sink_init(&sink, text, len, path, ombuds_plugin.name);
    if (note[0]) omb_sink_warnf(&sink, 1, "%s", note);
    /* every other run names the authority on the command line, as --authority does */
    int rc = omb_ingest_parse(&lp, &sink, text, len, path, (runs & 1) ? "Kent County Council" : NULL);
    FUZZ_CHECK(rc == OMB_OK || sink.error[0]);
    FUZZ_CHECK(sink.n_open_builders == 0 || rc != OMB_OK);
    if (rc == OMB_OK) {
        omb_dump_sink(devnull, &sink, name, ombuds_plugin.name);
        /* Each run stores the document twice under new hashes at the same
         * path, so the second write replaces the first (the update path of
         * re-ingesting an edited file) whatever earlier runs left, and
         * checks the full-text index agrees with its rows afterwards. */
        for (int pass = 0; pass < 2; pass++) {
            char sha[65];
            snprintf(sha, sizeof sha, "%063" PRIx64 "%d", runs, pass);
            struct omb_doc_meta meta = {path, sha, ombuds_plugin.name, ombuds_plugin.version, ops->rank, size,
                                        note[0] ? note : NULL};
            int result = 0;
            rc = omb_store_write(store, &meta, &sink, &result, err, sizeof err);
            if (rc != OMB_OK) fprintf(stderr, "fuzz_plugin: store refused what the plugin produced: %s\n", err);
            FUZZ_CHECK(rc == OMB_OK);
            FUZZ_CHECK(pass ? result == OMB_DOC_UPDATED : (result == OMB_DOC_NEW || result == OMB_DOC_UPDATED));
        }
        char *msg = NULL;
        int irc = sqlite3_exec(omb_store_db(store), "INSERT INTO search(search) VALUES ('integrity-check')", NULL, NULL,
                               &msg);
        if (irc != SQLITE_OK) fprintf(stderr, "fuzz_plugin: search index: %s\n", msg ? msg : "?");
        sqlite3_free(msg);
        FUZZ_CHECK(irc == SQLITE_OK);
    }
    omb_sink_clear(&sink);
    free(text);
    return 0;
}
