/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_ordered_pool.c -- unit tests for ordered_pool.c, the reading threads
 * of ingest: every item is worked exactly once (items submitted ready are
 * not worked at all), and items come back in submission order however
 * unevenly long their work takes, with more items than the window and with
 * no worker thread at all.
 */
#include "ordered_pool.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "../tap.h"

#define N_ITEMS 2000

struct item {
    int seq;
    int worked; /* times worked */
    int worker; /* which worker did it (1-based), 0 for none */
};

struct sink {
    int next;       /* the sequence number expected next */
    int out_of_order;
    int emitted;
    pthread_t submitter;
    int wrong_thread; /* emits seen on another thread */
};

static void work(void *p, void *ud)
{
    struct item *it = p;
    it->worked++;
    it->worker = ud ? *(int *)ud : 0;
    /* uneven work: every seventh item sleeps a little, so later items
     * finish first and the pool must hold them back */
    if (it->seq % 7 == 0) {
        struct timespec ts = {0, 20000};
        nanosleep(&ts, NULL);
    }
}

static void emit(void *p, void *ud)
{
    struct item *it = p;
    struct sink *s = ud;
    if (it->seq != s->next) s->out_of_order++;
    if (!pthread_equal(pthread_self(), s->submitter)) s->wrong_thread++;
    s->next = it->seq + 1;
    s->emitted++;
}

static void run(size_t n_workers, size_t window, const char *what)
{
    static struct item items[N_ITEMS];
    int ids[4] = {1, 2, 3, 4};
    void *uds[4] = {&ids[0], &ids[1], &ids[2], &ids[3]};
    struct sink s = {0, 0, 0, pthread_self(), 0};
    for (int i = 0; i < N_ITEMS; i++) items[i] = (struct item){i, 0, 0};
    struct omb_pool *p = omb_pool_new(n_workers, window, work, uds, emit, &s);
    TAP_OK(p != NULL, "%s: pool starts", what);
    if (!p) return;
    for (int i = 0; i < N_ITEMS; i++) omb_pool_submit(p, &items[i], i % 100 == 5); /* some need no work */
    omb_pool_finish(p);
    TAP_INT(s.emitted, N_ITEMS, "%s: every item emitted", what);
    TAP_INT(s.out_of_order, 0, "%s: in submission order", what);
    TAP_INT(s.wrong_thread, 0, "%s: emitted on the submitting thread", what);
    int twice = 0, missed = 0, ready_worked = 0, by_worker[5] = {0};
    for (int i = 0; i < N_ITEMS; i++) {
        if (i % 100 == 5) {
            ready_worked += items[i].worked;
            continue;
        }
        if (items[i].worked > 1) twice++;
        if (items[i].worked == 0) missed++;
        by_worker[items[i].worker]++;
    }
    TAP_INT(twice + missed, 0, "%s: each item worked exactly once", what);
    TAP_INT(ready_worked, 0, "%s: items submitted ready are not worked", what);
    if (n_workers > 1) {
        int busy = 0;
        for (size_t k = 1; k <= n_workers; k++) busy += by_worker[k] > 0;
        TAP_OK(busy >= 2, "%s: more than one worker took items (%d did)", what, busy);
    }
}

int main(void)
{
    run(0, 8, "no workers");
    run(1, 1, "one worker, window of one");
    run(2, 64, "two workers");
    run(4, 5, "four workers, window smaller than the workers' appetite");
    return tap_done();
}
