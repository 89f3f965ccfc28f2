/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ingest_walk.h -- the directory walk of ingest: a directory's names in
 * order, a bounded number at a time (ingest_walk.c).
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

/* Names held at once.  Files are ingested in name order, which needs the
 * names sorted; holding every name of a million-file directory took 40 MB
 * (docs/performance.md), so a larger directory is sorted OMB_WALK_PASS_NAMES
 * names at a time: runs merged from a temporary file (omb_dir_read), or
 * passes that each read the directory again (omb_dir_pass). */
#define OMB_WALK_PASS_NAMES 131072

/* Reads one pass of dir: up to `limit` names sorting after `after` (all
 * when NULL), in name order, into *out (free with omb_dir_entries_free);
 * names starting with "." are left out.  *more says whether names were left
 * for another pass.  Returns how many, or -1 when the directory cannot be
 * read (errno set; ENOMEM when out of memory). */
ssize_t omb_dir_pass(const char *dir, const char *after, size_t limit, struct omb_dir_entry **out, int *more);

/* Frees n entries and the array. */
void omb_dir_entries_free(struct omb_dir_entry *e, size_t n);

/* The same names in the same order from one read of the directory: a
 * directory of more than `limit` names is sorted `limit` at a time into runs
 * in an unnamed temporary file, which omb_dir_next merges.  Reading a
 * million-entry directory once instead of once a pass saved 7 s of CPU at
 * 1M documents (docs/performance.md, round 7); memory is bounded as for
 * omb_dir_pass.  NULL when the directory cannot be read or no temporary
 * file can be made (errno set); the caller may fall back to omb_dir_pass. */
struct omb_dir_reader;
struct omb_dir_reader *omb_dir_read(const char *dir, size_t limit);

/* The next names in order, at most `limit`, into *out (free with
 * omb_dir_entries_free); 0 after the last, -1 on a read error (errno). */
ssize_t omb_dir_next(struct omb_dir_reader *r, struct omb_dir_entry **out);

void omb_dir_close(struct omb_dir_reader *r);

#endif
