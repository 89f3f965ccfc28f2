/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ingest.h -- from paths on disk to stored cases: walking directories,
 * reading and hashing files, decoding text, choosing the source plugin
 * (--format or the best probe), running its parse into a sink, and handing the
 * sink to the store.  Progress and per-file lines go through a callback so the
 * command line, the console and tests can each show them their own way.
 */
#ifndef OMB_INGEST_H
#define OMB_INGEST_H

#include <stddef.h>

#include "plugin_loader.h"
#include "sink.h"
#include "store.h"

/* Confidence below which a probe does not count as recognising a document. */
#define OMB_PROBE_THRESHOLD 30

enum omb_file_status {
    OMB_FILE_NEW = 1,
    OMB_FILE_UPDATED,
    OMB_FILE_UNCHANGED,
    OMB_FILE_FAILED,
    OMB_FILE_CHECKED /* parsed, not stored (dry_run) */
};

struct omb_file_report {
    const char *path;
    int status;          /* enum omb_file_status */
    const char *plugin;  /* NULL when none was chosen */
    size_t n_cases;
    size_t n_warnings;
    const char *const *warnings; /* "path:line: message" each */
    const char *message; /* why it failed, or a note such as "same as other.txt" */
    size_t index, total; /* this is file index (1-based) of total (0 when unknown) */
};

struct omb_ingest_opts {
    const char *format;    /* plugin name, or NULL to probe */
    const char *authority; /* handed to plugins as doc->authority */
    int count_first;       /* walk twice so reports carry a total (for progress bars) */
    int batch;             /* documents per SQLite transaction (0 or 1: one each) */
    int dry_run;           /* read, decode and parse, report, but store nothing */
    void (*report)(void *ud, const struct omb_file_report *r);
    void *ud;
    volatile int *interrupted; /* checked between documents; may be NULL */
};

struct omb_ingest_summary {
    /* cases: read, one per mention (a case three documents name counts
     * three times); what a dry run reports as found */
    size_t files, new_files, updated, unchanged, failed, checked, cases, warnings;
    /* of the cases read: how many lack an authority (none given with
     * --authority), a decision date, a known outcome */
    size_t no_authority, no_date, no_outcome;
    /* distinct cases the documents this run wrote support (new and updated
     * cases; 0 for a dry run): what "N cases stored" says */
    size_t cases_stored;
    /* the highest document id before the run: the documents it wrote are
     * those above (a replaced document gets a new id) */
    long long documents_before;
};

/* Ingests each path (files, or directories recursively).  Failed files are
 * counted and reported, never fatal; returns OMB_OK unless the store itself
 * failed, out of memory, or interrupted (OMB_EINTR). */
int omb_ingest(omb_store *st, const omb_registry *reg, const char *const *paths, size_t n_paths,
               const struct omb_ingest_opts *opts, struct omb_ingest_summary *sum);

/* Reads and decodes one file and picks its plugin, without storing: used by
 * `ombuds parse` and the tests.  On success *plugin is set, *text holds the
 * decoded text (caller frees), and `note` says how it was decoded. */
int omb_ingest_prepare(const omb_registry *reg, const char *path, const char *format, char **text, size_t *len,
                       const struct omb_loaded_plugin **plugin, char *note, size_t note_cap, char *err,
                       size_t err_cap, char *sha_hex, size_t *raw_size);

/* Runs a plugin's parse over text into sink (initialised by the caller).
 * Returns OMB_OK or the failure, with the message in sink->error. */
int omb_ingest_parse(const struct omb_loaded_plugin *p, struct omb_sink *sink, const char *text, size_t len,
                     const char *path, const char *authority);

/* Picks the plugin for text: the single highest probe at or above the
 * threshold.  On failure returns NULL with a message listing the candidates. */
const struct omb_loaded_plugin *omb_detect_format(const omb_registry *reg, const char *text, size_t len,
                                                  const char *path, char *err, size_t err_cap);

#endif
