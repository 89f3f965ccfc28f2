/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ordered_pool.c -- an ordered parallel map: one thread submits items, a
 * few workers process them at once, and the submitter receives them back in
 * the order it gave them.  Ingest (ingest_pipeline.c) uses it so that
 * reading, decoding and parsing documents take every core while the store
 * still receives the documents in the order of the walk (which decides,
 * among other things, which of two equal-ranked documents is the later).
 *
 * Items live in a ring of `window` slots with three counters that only
 * grow: submitted >= claimed >= emitted.  A slot is reused only after its
 * item was emitted, so a worker may keep a pointer to its slot while it
 * works without the lock.
 *
 * Threads are woken only when they can make progress: a worker when an item
 * arrives and a worker is idle, the submitter when the item at the front
 * (the next to emit) is finished and it is waiting for just that.  Waking on
 * every item cost a futex call and a reschedule each, a tenth of an
 * ingest's CPU time on a virtual machine (perf, 100k pages).
 */
#include "ordered_pool.h"

#include <pthread.h>
#include <stdlib.h>

enum { WAITING, WORKING, READY };

struct slot {
    void *item;
    int state;
};

struct worker {
    struct omb_pool *pool;
    void *ud;
    pthread_t thread;
};

struct omb_pool {
    pthread_mutex_t mu;
    pthread_cond_t work_cv; /* workers wait here for items */
    pthread_cond_t done_cv; /* the submitter waits here for finished items */
    struct slot *ring;
    size_t window;
    size_t submitted, claimed, emitted;
    int closing;
    int idle_workers;       /* workers waiting on work_cv */
    int submitter_waiting;  /* the submitter waits on done_cv for the front item */
    omb_pool_work_fn work;
    omb_pool_emit_fn emit;
    void *emit_ud;
    size_t n_workers;
    struct worker *workers;
};

static void *worker_main(void *arg)
{
    struct worker *wk = arg;
    struct omb_pool *p = wk->pool;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        /* items submitted ready need no worker; the submitter may already
         * have emitted some of them (and reused their slots) before any
         * worker passed them */
        if (p->claimed < p->emitted) p->claimed = p->emitted;
        while (p->claimed < p->submitted && p->ring[p->claimed % p->window].state == READY) p->claimed++;
        if (p->claimed < p->submitted) {
            struct slot *s = &p->ring[p->claimed++ % p->window];
            s->state = WORKING;
            pthread_mutex_unlock(&p->mu);
            p->work(s->item, wk->ud);
            pthread_mutex_lock(&p->mu);
            s->state = READY;
            if (p->submitter_waiting && s == &p->ring[p->emitted % p->window]) pthread_cond_signal(&p->done_cv);
            continue;
        }
        if (p->closing) break;
        p->idle_workers++;
        pthread_cond_wait(&p->work_cv, &p->mu);
        p->idle_workers--;
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* Emits every finished item at the front, in order.  Called with the lock
 * held; releases it around each emit, which may block (the consumer of
 * emitted items may be slower than the workers). */
static void emit_ready(struct omb_pool *p)
{
    while (p->emitted < p->submitted && p->ring[p->emitted % p->window].state == READY) {
        void *item = p->ring[p->emitted++ % p->window].item;
        pthread_mutex_unlock(&p->mu);
        p->emit(item, p->emit_ud);
        pthread_mutex_lock(&p->mu);
    }
}

/* Waits (lock held) until the front item is finished. */
static void wait_for_front(struct omb_pool *p)
{
    p->submitter_waiting = 1;
    while (p->ring[p->emitted % p->window].state != READY) pthread_cond_wait(&p->done_cv, &p->mu);
    p->submitter_waiting = 0;
}

struct omb_pool *omb_pool_new(size_t n_workers, size_t window, omb_pool_work_fn work, void *const *worker_ud,
                              omb_pool_emit_fn emit, void *emit_ud)
{
    struct omb_pool *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->window = window ? window : 1;
    p->work = work;
    p->emit = emit;
    p->emit_ud = emit_ud;
    p->ring = calloc(p->window, sizeof *p->ring);
    p->workers = n_workers ? calloc(n_workers, sizeof *p->workers) : NULL;
    if (!p->ring || (n_workers && !p->workers)) goto fail;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work_cv, NULL);
    pthread_cond_init(&p->done_cv, NULL);
    for (size_t i = 0; i < n_workers; i++) {
        p->workers[i].pool = p;
        p->workers[i].ud = worker_ud ? worker_ud[i] : NULL;
        if (pthread_create(&p->workers[i].thread, NULL, worker_main, &p->workers[i]) != 0) break;
        p->n_workers++;
    }
    if (n_workers && !p->n_workers) {
        pthread_cond_destroy(&p->done_cv);
        pthread_cond_destroy(&p->work_cv);
        pthread_mutex_destroy(&p->mu);
        goto fail;
    }
    return p;
fail:
    free(p->workers);
    free(p->ring);
    free(p);
    return NULL;
}

void omb_pool_submit(struct omb_pool *p, void *item, int ready)
{
    if (!p->n_workers) {
        if (!ready) p->work(item, NULL);
        p->emit(item, p->emit_ud);
        return;
    }
    pthread_mutex_lock(&p->mu);
    emit_ready(p);
    while (p->submitted - p->emitted == p->window) {
        wait_for_front(p);
        emit_ready(p);
    }
    struct slot *s = &p->ring[p->submitted++ % p->window];
    s->item = item;
    s->state = ready ? READY : WAITING;
    if (!ready && p->idle_workers) pthread_cond_signal(&p->work_cv);
    pthread_mutex_unlock(&p->mu);
}

void omb_pool_finish(struct omb_pool *p)
{
    if (!p) return;
    if (p->n_workers) {
        pthread_mutex_lock(&p->mu);
        for (;;) {
            emit_ready(p);
            if (p->emitted == p->submitted) break;
            wait_for_front(p);
        }
        p->closing = 1;
        pthread_cond_broadcast(&p->work_cv);
        pthread_mutex_unlock(&p->mu);
        for (size_t i = 0; i < p->n_workers; i++) pthread_join(p->workers[i].thread, NULL);
        pthread_cond_destroy(&p->done_cv);
        pthread_cond_destroy(&p->work_cv);
        pthread_mutex_destroy(&p->mu);
    }
    free(p->workers);
    free(p->ring);
    free(p);
}
