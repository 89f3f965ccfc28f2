/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * dump.h -- the canonical text dump of what a parse produced (every field of
 * every case, one per line, with line numbers), used by `ombuds parse` and by
 * the golden tests in tests/golden.  The format is in docs/testing.md.
 */
#ifndef OMB_DUMP_H
#define OMB_DUMP_H
#include <stdio.h>

#include "sink.h"

/* Writes the dump of sink to f; `name` is the document's file name. */
void omb_dump_sink(FILE *f, const struct omb_sink *sink, const char *name, const char *plugin);

#endif
