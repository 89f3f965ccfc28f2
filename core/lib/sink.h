/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sink.h -- what one document's parse produced: its cases, notes, authority
 * events and warnings, plus the line index that turns byte offsets into line
 * numbers.  sink.c fills it from plugin calls; store_write.c writes it in one
 * transaction; dump.c prints it.  Reading files is ingest.c.
 */
#ifndef OMB_SINK_H
#define OMB_SINK_H

#include <stddef.h>

#include "case.h"

struct omb_note {
    char *key, *value;
    size_t line;
};

struct omb_warning {
    size_t line;
    char *message;
};

struct omb_sink {
    const char *text; /* the document, borrowed */
    size_t len;
    const char *path;   /* for messages */
    const char *plugin; /* name of the plugin parsing it */
    size_t *line_starts; /* offsets where each line starts; built on first use */
    size_t n_lines;
    const unsigned *line_page; /* page of each line (line_page[i] for line i + 1; PDFs), borrowed, or NULL */
    size_t n_line_page;

    omb_case **cases;
    size_t n_cases, cap_cases;
    struct omb_note *notes;
    size_t n_notes, cap_notes;
    struct omb_event *authority_events;
    size_t n_authority_events, cap_authority_events;
    struct omb_warning *warnings;
    size_t n_warnings, cap_warnings;
    size_t n_open_builders; /* builders begun and not yet ended or discarded */

    int failed;          /* a plugin called error() */
    size_t error_line;
    char error[512];     /* "file:line: message" */
    int stop_after;      /* for tests: fail with OMB_EINTR after this many cases (0 = never) */
};

/* Prepares a sink over text (borrowed; must outlive the sink). */
void omb_sink_init(struct omb_sink *s, const char *text, size_t len, const char *path, const char *plugin);
/* Frees everything the sink owns. */
void omb_sink_clear(struct omb_sink *s);
/* 1-based line of a byte offset (offsets past the end give the last line). */
size_t omb_sink_line(struct omb_sink *s, size_t at);
/* Byte offset where a 1-based line starts (clamped to the document). */
size_t omb_sink_offset_of_line(struct omb_sink *s, size_t line);
/* Adds a warning about a line (stored without the path; reports add it). */
void omb_sink_warnf(struct omb_sink *s, size_t line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* After a parse (sink_missing.c): one warning per field (authority unless
 * given with --authority, category, outcome, decision date) that some case
 * lacks and no warning of the plugin names already. */
void omb_sink_warn_missing(struct omb_sink *s, int authority_given);
/* Adds to the counts the cases that lack an authority, a decision date or
 * a known outcome. */
void omb_sink_count_missing(const struct omb_sink *s, int authority_given, size_t *no_authority, size_t *no_date,
                            size_t *no_outcome);

/* The host table handed to plugins (host.c). */
const struct omb_host *omb_host_table(void);

#endif
