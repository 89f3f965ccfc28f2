/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ordered_pool.h -- worker threads that process items in parallel and hand
 * them back in the order they were submitted (ordered_pool.c).
 */
#ifndef OMBUDS_ORDERED_POOL_H
#define OMBUDS_ORDERED_POOL_H

#include <stddef.h>

struct omb_pool;

/* Does an item's work on a worker thread; ud is that worker's own. */
typedef void (*omb_pool_work_fn)(void *item, void *worker_ud);
/* Receives finished items, in submission order, on the submitting thread. */
typedef void (*omb_pool_emit_fn)(void *item, void *emit_ud);

/* Starts n_workers threads (worker i gets worker_ud[i]); at most window
 * items are in flight.  With n_workers 0 every item is worked and emitted
 * inside omb_pool_submit.  NULL when out of memory or no thread starts. */
struct omb_pool *omb_pool_new(size_t n_workers, size_t window, omb_pool_work_fn work, void *const *worker_ud,
                              omb_pool_emit_fn emit, void *emit_ud);

/* Adds an item (ready: it needs no work, only its turn to be emitted).
 * Emits what is finished and waits while the window is full. */
void omb_pool_submit(struct omb_pool *p, void *item, int ready);

/* Waits for every item, emits the rest, stops the workers and frees p. */
void omb_pool_finish(struct omb_pool *p);

#endif
