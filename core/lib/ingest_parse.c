/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ingest_parse.c -- running one source plugin over a decoded text into a
 * sink, and checking what it left behind (a failure it did not explain,
 * cases it never finished, fields it could not read).  Below both the
 * detection of a document's format (ingest_detect.c, which parses with each
 * close candidate) and the ingest of one document (ingest.c), so neither
 * depends on the other for it.
 */
#include "ingest.h"

#include <stdio.h>

#include "plugin_loader.h"
#include "sink.h"
#include "store.h"

int omb_ingest_parse(const struct omb_loaded_plugin *p, struct omb_sink *sink, const char *text, size_t len,
                     const char *path, const char *authority)
{
    struct omb_doc doc = {text, len, path, omb_doc_name(path), authority};
    int rc = omb_plugin_parse(p, omb_host_table(), sink, &doc);
    if (rc == OMB_OK && sink->failed) rc = OMB_EPARSE;
    if (rc == OMB_OK) omb_sink_warn_missing(sink, authority != NULL);
    if (rc == OMB_OK && sink->n_open_builders) {
        snprintf(sink->error, sizeof sink->error, "%s: plugin '%s' left %zu case(s) unfinished (no case_end)", path,
                 p->desc->name, sink->n_open_builders);
        rc = OMB_EPLUGIN;
    }
    if (rc != OMB_OK && !sink->error[0])
        snprintf(sink->error, sizeof sink->error, "%s: plugin '%s' failed (status %d) without saying why", path,
                 p->desc->name, rc);
    return rc;
}
