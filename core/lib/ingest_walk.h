/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ingest_walk.h -- the directory walk of ingest: one pass over a directory
 * at a time, names in order (ingest_walk.c).
 */
#ifndef OMB_INGEST_WALK_H
#define OMB_INGEST_WALK_H

#include <stddef.h>
#include <sys/types.h>

/* A directory entry; the type from readdir saves an lstat per file when
 * the file system gives it (DT_UNKNOWN otherwise). */
struct omb_dir_entry {
    char *name;
    unsigned char type;
};

/* Names taken from a directory per pass.  Files are ingested in name order,
 * which needs the names sorted; holding every name of a million-file
 * directory took 40 MB (docs/performance.md), so a larger directory is read
 * in several passes, each taking the next OMB_WALK_PASS_NAMES names in order. */
#define OMB_WALK_PASS_NAMES 131072

/* Reads one pass of dir: up to `limit` names sorting after `after` (all
 * when NULL), in name order, into *out (free with omb_dir_entries_free);
 * names starting with "." are left out.  *more says whether names were left
 * for another pass.  Returns how many, or -1 when the directory cannot be
 * read (errno set; ENOMEM when out of memory). */
ssize_t omb_dir_pass(const char *dir, const char *after, size_t limit, struct omb_dir_entry **out, int *more);

/* Frees n entries and the array. */
void omb_dir_entries_free(struct omb_dir_entry *e, size_t n);

#endif
