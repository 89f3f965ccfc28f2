/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ingest_int.h -- what the one-document half of ingest (ingest.c) shares
 * with the two-thread pipeline (ingest_pipeline.c); not for other files.
 */
#ifndef OMB_INGEST_INT_H
#define OMB_INGEST_INT_H

#include <stddef.h>

#include "plugin_loader.h"

/* Writes the SHA-256 of p[0, n) as 64 hex digits and a NUL. */
void omb_ingest_sha256_hex(const unsigned char *p, size_t n, char out[65]);
/* The options a document was read with (--format, --authority) are part of
 * what it is: with any given, replaces sha (the bytes' hash) by the hash of
 * it and the options, so the same file read with other options is a changed
 * document (re-read, replacing its contribution) and not "unchanged".
 * documents.sha256 holds this identity. */
void omb_ingest_identity(char sha[65], const char *format, const char *authority);
/* Reads a whole file (refusing one over the size limit) into *data
 * (malloc'd); returns OMB_OK or an error with err set. */
int omb_ingest_read_file(const char *path, char **data, size_t *n, char *err, size_t cap);
/* Decodes raw bytes and picks the plugin, as omb_ingest_prepare does for a
 * file already read.  With line_page not NULL, *line_page receives the page
 * of each decoded line (PDFs; caller frees) or NULL. */
int omb_ingest_prepare_raw(const omb_registry *reg, const char *path, const char *raw, size_t n,
                           const char *format, char **text, size_t *len, const struct omb_loaded_plugin **plugin,
                           char *note, size_t note_cap, char *err, size_t err_cap, unsigned **line_page,
                           size_t *n_line_page);

#endif
