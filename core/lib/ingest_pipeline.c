/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ingest_pipeline.c -- ingesting many paths (omb_ingest, ingest.h): a walking
 * thread lists the paths (directories through ingest_walk.c) and gives each
 * file to a pool of reading threads (ordered_pool.c), which read, decode and
 * parse documents (ingest.c) side by side; the pool hands them back in the
 * order of the walk, and they cross a bounded queue to the calling thread,
 * which writes them to the store in batches and reports each file in order.
 */
#define _GNU_SOURCE
#include "ingest.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest_int.h"
#include "ingest_walk.h"
#include "ordered_pool.h"

/* ---- walking ------------------------------------------------------------------ */

/* A report kept until the batch holding its document is committed, so that
 * "new" is never printed for a document a crash could still lose. */
struct pending {
    int status;
    char *path, *plugin, *message;
    size_t n_cases;
    char **warnings;
    size_t n_warnings;
    size_t no_authority, no_date, no_outcome; /* cases lacking each (sink_missing.c) */
};

struct job;
struct job_queue;

/* The state of one ingest.  With a batch, documents are read, decoded and
 * parsed on other threads (the walk below runs on one, the reading pool on
 * the others) while this thread writes the previous ones: SQLite is written
 * from one connection only, the writer's; each reading thread looks up
 * has-this-document-been-seen on a read-only connection of its own.
 * Reports, counts and the store are only touched by the writing thread
 * (consume).  Plugins are called from several reading threads at once: C
 * plugins keep no state between calls (docs/plugin-api.md), and each Lua
 * plugin serialises its own calls (lua_plugin.c). */
struct walk {
    omb_store *st;
    omb_store *seen;  /* where the reading side looks documents up (st, or a read-only twin) */
    const omb_registry *reg;
    const struct omb_ingest_opts *opts;
    struct omb_ingest_summary *sum;
    size_t total;     /* files expected, 0 when not counted */
    int counting;     /* first pass: only count */
    int fatal;        /* store failure or interruption (writing side) */
    atomic_int stop;  /* tells the reading side to stop walking */
    atomic_int reader_out_of_memory;
    struct job_queue *queue; /* NULL: one thread, jobs are consumed at once */
    struct omb_pool *pool;   /* the reading threads, or NULL: the walk reads each file itself */
    struct pending *pending;
    size_t n_pending, cap_pending, pending_docs; /* pending_docs: written, not yet committed */
    size_t reported;  /* reports delivered, for the "file i of n" count */
};

static void free_pending(struct pending *p)
{
    free(p->path);
    free(p->plugin);
    free(p->message);
    for (size_t i = 0; i < p->n_warnings; i++) free(p->warnings[i]);
    free(p->warnings);
}

/* Delivers every pending report, in file order. */
static void flush_reports(struct walk *w)
{
    for (size_t i = 0; i < w->n_pending; i++) {
        struct pending *p = &w->pending[i];
        struct omb_file_report r = {0};
        r.path = p->path;
        r.status = p->status;
        r.plugin = p->plugin;
        r.n_cases = p->n_cases;
        r.message = p->message;
        r.warnings = (const char *const *)p->warnings;
        r.n_warnings = p->n_warnings;
        r.index = ++w->reported;
        r.total = w->total;
        switch (p->status) {
        case OMB_FILE_NEW: w->sum->new_files++; break;
        case OMB_FILE_UPDATED: w->sum->updated++; break;
        case OMB_FILE_UNCHANGED: w->sum->unchanged++; break;
        case OMB_FILE_CHECKED: w->sum->checked++; break;
        default: w->sum->failed++;
        }
        if (p->status == OMB_FILE_NEW || p->status == OMB_FILE_UPDATED || p->status == OMB_FILE_CHECKED) {
            w->sum->cases += p->n_cases;
            w->sum->warnings += p->n_warnings;
            w->sum->no_authority += p->no_authority;
            w->sum->no_date += p->no_date;
            w->sum->no_outcome += p->no_outcome;
        }
        if (w->opts->report) w->opts->report(w->opts->ud, &r);
        free_pending(p);
    }
    w->n_pending = 0;
}

/* Commits the batch, then reports it.  If the commit fails, the documents
 * in it were not stored: they are reported as failed with the reason. */
static void commit_batch(struct walk *w)
{
    char err[512];
    if (w->pending_docs && omb_store_batch_commit(w->st, err, sizeof err) != OMB_OK) {
        for (size_t i = 0; i < w->n_pending; i++) {
            struct pending *p = &w->pending[i];
            if (p->status != OMB_FILE_NEW && p->status != OMB_FILE_UPDATED) continue;
            p->status = OMB_FILE_FAILED;
            free(p->message);
            p->message = strdup(err);
        }
        w->fatal = OMB_ESTORE;
    }
    w->pending_docs = 0;
    flush_reports(w);
}

/* One integer from the store, arg bound to ?1 when the SQL has it (0 when
 * the query fails: a count then reads 0). */
static long long store_int(omb_store *st, const char *sql, long long arg)
{
    sqlite3_stmt *s;
    long long v = 0;
    if (sqlite3_prepare_v2(omb_store_db(st), sql, -1, &s, NULL) != SQLITE_OK) return 0;
    sqlite3_bind_int64(s, 1, arg);
    if (sqlite3_step(s) == SQLITE_ROW) v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

/* Sets a report's contents (copying what they point to). */
static void fill_report(struct pending *p, const char *path, int status, const char *plugin, size_t n_cases,
                        const char *message, const struct omb_sink *sink)
{
    free_pending(p);
    memset(p, 0, sizeof *p);
    p->status = status;
    p->path = strdup(path);
    p->plugin = dup_or_null(plugin);
    p->message = dup_or_null(message);
    p->n_cases = n_cases;
    if (sink && sink->n_warnings && status != OMB_FILE_UNCHANGED) {
        p->warnings = calloc(sink->n_warnings, sizeof *p->warnings);
        for (size_t i = 0; p->warnings && i < sink->n_warnings; i++)
            if (asprintf(&p->warnings[p->n_warnings], "%s:%zu: %s", path, sink->warnings[i].line,
                         sink->warnings[i].message) >= 0)
                p->n_warnings++;
    }
}

/* Queues a report. */
static void queue_report(struct walk *w, int status, const char *path, const char *plugin, size_t n_cases,
                         const char *message, const struct omb_sink *sink)
{
    if (w->n_pending == w->cap_pending) {
        size_t ncap = w->cap_pending ? w->cap_pending * 2 : 64;
        struct pending *np = realloc(w->pending, ncap * sizeof *np);
        if (!np) {
            w->fatal = OMB_ENOMEM;
            return;
        }
        w->pending = np;
        w->cap_pending = ncap;
    }
    struct pending *p = &w->pending[w->n_pending++];
    memset(p, 0, sizeof *p);
    fill_report(p, path, status, plugin, n_cases, message, sink);
    if (sink && n_cases) omb_sink_count_missing(sink, w->opts->authority != NULL, &p->no_authority, &p->no_date, &p->no_outcome);
    /* without a batch (or in a dry run) every report goes out at once */
    if (!w->opts->batch || w->opts->batch <= 1 || w->opts->dry_run) flush_reports(w);
}

/* One document on its way from the walk to the store. */
enum job_kind { JOB_PARSED = 1, JOB_UNCHANGED, JOB_FAILED };

struct job {
    int kind;          /* enum job_kind */
    int rc;            /* the failure's status (OMB_ENOMEM stops the ingest) */
    char *path;
    char *message;     /* why it failed, or "same content as ..." */
    const struct omb_loaded_plugin *plugin;
    char sha[65];
    size_t raw_size;
    char note[128];    /* how the text was decoded */
    char *text;        /* the decoded document (the sink points into it) */
    size_t len;
    unsigned *line_page; /* page of each line (PDF), or NULL */
    size_t n_line_page;
    int has_sink;
    struct omb_sink sink;
};

static void job_free(struct job *j)
{
    if (!j) return;
    if (j->has_sink) omb_sink_clear(&j->sink);
    free(j->text);
    free(j->line_page);
    free(j->path);
    free(j->message);
    free(j);
}

/* Reads, hashes, decodes and parses the file j->path into j (the reading
 * side's work, and the writer's when it writes a batch again); seen is where
 * to look the document's hash up. */
static void produce_into(struct walk *w, omb_store *seen, struct job *j)
{
    const char *path = j->path;
    char err[1024], same[PATH_MAX];
    char *raw = NULL;
    size_t n = 0;
    err[0] = '\0';
    /* Read and hash once; an identical document is recognised by its hash
     * before it is even decoded. */
    int rc = omb_ingest_read_file(path, &raw, &n, err, sizeof err);
    if (rc == OMB_OK) {
        omb_ingest_sha256_hex((const unsigned char *)raw, n, j->sha);
        omb_ingest_identity(j->sha, w->opts->format, w->opts->authority);
        j->raw_size = n;
        if (omb_store_find_same(seen, j->sha, path, same, sizeof same)) {
            j->kind = JOB_UNCHANGED;
            if (strcmp(same, path) && asprintf(&j->message, "same content as %s", same) < 0) j->message = NULL;
            free(raw);
            return;
        }
        rc = omb_ingest_prepare_raw(w->reg, path, raw, n, w->opts->format, &j->text, &j->len, &j->plugin, j->note,
                                    sizeof j->note, err, sizeof err, &j->line_page, &j->n_line_page);
        free(raw);
    }
    if (rc != OMB_OK) {
        j->kind = JOB_FAILED;
        j->rc = rc;
        j->message = strdup(err);
        return;
    }
    const struct omb_loaded_plugin *p = j->plugin;
    j->has_sink = 1;
    omb_sink_init(&j->sink, j->text, j->len, j->path, p->desc->name);
    j->sink.line_page = j->line_page; /* so the store can record each case's page */
    j->sink.n_line_page = j->n_line_page;
    if (j->note[0]) omb_sink_warnf(&j->sink, 1, "%s", j->note);
    rc = omb_ingest_parse(p, &j->sink, j->text, j->len, j->path, w->opts->authority);
    if (rc == OMB_OK && j->sink.n_cases == 0 && j->sink.n_authority_events == 0 && j->sink.n_notes == 0)
        omb_sink_warnf(&j->sink, 1, "plugin '%s' found nothing to record in this document", p->desc->name);
    if (rc == OMB_OK) {
        j->kind = JOB_PARSED;
    } else {
        j->kind = JOB_FAILED;
        j->rc = rc;
        j->message = strdup(j->sink.error);
    }
}

/* A job for path, not yet read; NULL when out of memory. */
static struct job *job_new(const char *path)
{
    struct job *j = calloc(1, sizeof *j);
    if (!j || !(j->path = strdup(path))) {
        free(j);
        return NULL;
    }
    return j;
}

static struct job *produce(struct walk *w, omb_store *seen, const char *path)
{
    struct job *j = job_new(path);
    if (j) produce_into(w, seen, j);
    return j;
}

/* Stores a parsed job; returns the report's status, or OMB_FILE_FAILED with
 * err set, or -1 when an optimistic batch was rolled back (the caller
 * writes it again). */
static int store_job(struct walk *w, struct job *j, int *rc_out, char *err, size_t cap)
{
    const struct omb_loaded_plugin *p = j->plugin;
    const struct omb_source_ops *ops = p->desc->ops;
    struct omb_doc_meta meta = {j->path, j->sha, p->desc->name, p->desc->version, ops->rank, j->raw_size, j->note};
    int result = 0;
    int rc = omb_store_write(w->st, &meta, &j->sink, &result, err, cap);
    *rc_out = rc;
    if (rc == OMB_STORE_RETRY) return -1;
    if (rc != OMB_OK) return OMB_FILE_FAILED;
    return result == OMB_DOC_UPDATED ? OMB_FILE_UPDATED : result == OMB_DOC_UNCHANGED ? OMB_FILE_UNCHANGED : OMB_FILE_NEW;
}

static void rewrite_batch(struct walk *w, struct job *failed);
static void job_retire(struct walk *w, struct job *j);

/* Stores and reports one document (the writing side's work); frees the job. */
static void consume(struct walk *w, struct job *j)
{
    char err[1024];
    w->sum->files++;
    if (j->kind == JOB_UNCHANGED) {
        queue_report(w, OMB_FILE_UNCHANGED, j->path, NULL, 0, j->message, NULL);
    } else if (j->kind == JOB_FAILED) {
        queue_report(w, OMB_FILE_FAILED, j->path, j->plugin ? j->plugin->desc->name : NULL, 0,
                     j->message ? j->message : "failed", j->has_sink ? &j->sink : NULL);
        if (j->rc == OMB_ENOMEM) w->fatal = j->rc;
    } else if (w->opts->dry_run) {
        queue_report(w, OMB_FILE_CHECKED, j->path, j->plugin->desc->name, j->sink.n_cases, NULL, &j->sink);
    } else {
        int rc;
        int status = store_job(w, j, &rc, err, sizeof err);
        if (status < 0) {
            rewrite_batch(w, j);
            return;
        }
        if (status == OMB_FILE_NEW || status == OMB_FILE_UPDATED) w->pending_docs++;
        queue_report(w, status, j->path, j->plugin->desc->name,
                     status == OMB_FILE_NEW || status == OMB_FILE_UPDATED ? j->sink.n_cases : 0,
                     status == OMB_FILE_FAILED ? err : NULL, &j->sink);
        if (status == OMB_FILE_FAILED) w->fatal = rc; /* the store itself is in trouble: stop */
    }
    job_retire(w, j);
    if (w->opts->batch > 1 && w->pending_docs >= (size_t)w->opts->batch) commit_batch(w);
    if (w->fatal) atomic_store(&w->stop, 1);
}

/* An optimistic batch failed and was rolled back: reads the documents it had
 * stored again and writes each as a savepoint, then the one that failed
 * (which now fails alone, or succeeds), and commits.  Rare (a store error),
 * so re-reading the files is simpler than holding every document of a batch
 * in memory.  Frees failed. */
static void rewrite_batch(struct walk *w, struct job *failed)
{
    char err[1024];
    omb_store_batch_optimistic(w->st, 0);
    w->pending_docs = 0;
    for (size_t i = 0; i < w->n_pending && !w->fatal; i++) {
        struct pending *p = &w->pending[i];
        if (p->status != OMB_FILE_NEW && p->status != OMB_FILE_UPDATED) continue;
        char *path = strdup(p->path);
        struct job *j = path ? produce(w, w->st, path) : NULL;
        free(path);
        if (!j) {
            w->fatal = OMB_ENOMEM;
            break;
        }
        int rc, status = OMB_FILE_FAILED;
        const char *message = j->message;
        if (j->kind == JOB_UNCHANGED) status = OMB_FILE_UNCHANGED;
        else if (j->kind == JOB_PARSED) {
            status = store_job(w, j, &rc, err, sizeof err);
            if (status == OMB_FILE_FAILED) message = err;
        }
        if (status == OMB_FILE_NEW || status == OMB_FILE_UPDATED) w->pending_docs++;
        fill_report(p, j->path, status, j->plugin ? j->plugin->desc->name : NULL,
                    status == OMB_FILE_NEW || status == OMB_FILE_UPDATED ? j->sink.n_cases : 0, message,
                    j->has_sink ? &j->sink : NULL);
        job_free(j);
    }
    w->sum->files--; /* consume counts the failed document again */
    consume(w, failed);
    commit_batch(w);
    omb_store_batch_optimistic(w->st, 1);
}

/* ---- the queue between the two threads ---------------------------------------- */

/* Jobs cross between the threads a chunk at a time: handing over each
 * document alone woke the other thread 100,000 times for 100,000 pages, and
 * the futex calls and context switches were a fifth of the reading side's
 * time (docs/performance.md).  What is read ahead is bounded by count and by
 * size (a council annex parses into hundreds of cases), so memory stays flat
 * whatever the documents.  (1,024 documents and 8 MB were tried for a
 * machine busy with other work, where a sleeping thread waits long for a
 * core: no gain could be measured under that load, and peak memory at 100k
 * rose from 36 to 50 MB; docs/performance.md.) */
#define CHUNK 32                      /* jobs handed over at once */
#define QUEUE_CAP 128                 /* jobs read ahead of the writer */
#define QUEUE_BYTES ((size_t)2 << 20) /* and their approximate size */

struct job_queue {
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    struct job *items[QUEUE_CAP];
    size_t head, count, bytes;
    int done; /* the reading side has finished */
    /* Jobs the writer is done with, for the reading side to free.  Freeing
     * a parsed document (its text, cases and remedies, allocated by the
     * reading threads) was a tenth of the writing thread's time, and the
     * writer is the one thread the ingest waits for; the readers have time
     * to spare.  retired fills on the writing side without the lock and
     * moves to spent when it takes jobs; the reading side frees spent when
     * it hands jobs over. */
    struct job *spent[QUEUE_CAP];
    size_t n_spent;
    struct job *retired[QUEUE_CAP];
    size_t n_retired;
    /* the reading side's chunk being filled (only that thread touches it) */
    struct job *outbox[CHUNK];
    size_t n_outbox, outbox_bytes;
};

/* About how much memory a parsed job holds: its text and its cases. */
static size_t job_weight(const struct job *j)
{
    size_t w = sizeof *j + j->len;
    if (j->has_sink) w += j->sink.n_cases * 2048 + j->sink.n_authority_events * 512;
    return w;
}

/* Moves the reading side's chunk into the queue, waiting for room (a chunk
 * always goes into an empty queue, however large). */
static void queue_flush(struct job_queue *q)
{
    if (!q->n_outbox) return;
    struct job *spent[QUEUE_CAP];
    pthread_mutex_lock(&q->mu);
    while (q->count && (q->count + q->n_outbox > QUEUE_CAP || q->bytes + q->outbox_bytes > QUEUE_BYTES))
        pthread_cond_wait(&q->not_full, &q->mu);
    int was_empty = q->count == 0;
    for (size_t i = 0; i < q->n_outbox; i++) q->items[(q->head + q->count++) % QUEUE_CAP] = q->outbox[i];
    q->bytes += q->outbox_bytes;
    q->n_outbox = q->outbox_bytes = 0;
    if (was_empty) pthread_cond_signal(&q->not_empty);
    size_t n_spent = q->n_spent;
    memcpy(spent, q->spent, n_spent * sizeof *spent);
    q->n_spent = 0;
    pthread_mutex_unlock(&q->mu);
    for (size_t i = 0; i < n_spent; i++) job_free(spent[i]);
}

static void queue_push(struct job_queue *q, struct job *j)
{
    q->outbox[q->n_outbox++] = j;
    q->outbox_bytes += job_weight(j);
    if (q->n_outbox == CHUNK || q->outbox_bytes >= QUEUE_BYTES / 4) queue_flush(q);
}

/* Takes every queued job (up to cap) into out; 0 once the reading side is
 * done and the queue empty. */
static size_t queue_take(struct job_queue *q, struct job **out, size_t cap)
{
    pthread_mutex_lock(&q->mu);
    if (!q->n_spent && q->n_retired) { /* the last lot was freed: hand over the next */
        memcpy(q->spent, q->retired, q->n_retired * sizeof *q->spent);
        q->n_spent = q->n_retired;
        q->n_retired = 0;
    }
    while (q->count == 0 && !q->done) pthread_cond_wait(&q->not_empty, &q->mu);
    size_t n = 0;
    while (q->count && n < cap) {
        out[n] = q->items[q->head];
        q->bytes -= job_weight(out[n++]);
        q->head = (q->head + 1) % QUEUE_CAP;
        q->count--;
    }
    if (n) pthread_cond_signal(&q->not_full);
    pthread_mutex_unlock(&q->mu);
    return n;
}

/* Frees a job the writing side is done with: at once with one thread, else
 * by the reading side (struct job_queue says why), unless that side is
 * behind with freeing. */
static void job_retire(struct walk *w, struct job *j)
{
    struct job_queue *q = w->queue;
    if (q && q->n_retired < QUEUE_CAP) q->retired[q->n_retired++] = j;
    else job_free(j);
}

/* Hands a job to the writing side: at once with one thread, else through
 * the queue. */
static void hand_over(struct walk *w, struct job *j)
{
    if (!j) {
        /* out of memory on the reading side: stop, the writer says why */
        atomic_store(&w->stop, 1);
        if (w->queue) atomic_store(&w->reader_out_of_memory, 1);
        else w->fatal = OMB_ENOMEM;
        return;
    }
    if (w->queue) queue_push(w->queue, j);
    else consume(w, j);
}

/* ---- the reading pool --------------------------------------------------------- */

/* What one reading thread works with: its own read-only connection. */
struct reader_ctx {
    struct walk *w;
    omb_store *seen;
};

static void pool_work(void *item, void *ud)
{
    struct reader_ctx *r = ud;
    produce_into(r->w, r->seen, item);
}

/* Runs on the walking thread, in the order of the walk. */
static void pool_emit(void *item, void *ud) { hand_over(ud, item); }

static void ingest_file(struct walk *w, const char *path)
{
    if (w->counting) {
        w->total++;
        return;
    }
    if (!w->pool) {
        hand_over(w, produce(w, w->seen, path));
        return;
    }
    struct job *j = job_new(path);
    if (j) omb_pool_submit(w->pool, j, 0);
    else hand_over(w, NULL);
}

/* Reports a path that could not be read as a document. */
static void report_failure(struct walk *w, const char *path, const char *message)
{
    if (w->counting) return;
    struct job *j = calloc(1, sizeof *j);
    if (j) {
        j->kind = JOB_FAILED;
        j->path = strdup(path);
        j->message = strdup(message);
        if (!j->path || !j->message) {
            job_free(j);
            j = NULL;
        }
    }
    /* in its place among the documents being read */
    if (j && w->pool) omb_pool_submit(w->pool, j, 1);
    else hand_over(w, j);
}

static void walk_path(struct walk *w, const char *path, int top);

/* Ingests (or walks into) n names of dir, in their order. */
static void walk_names(struct walk *w, const char *dir, const struct omb_dir_entry *names, ssize_t n)
{
    size_t dl = strlen(dir);
    const char *sep = dl && dir[dl - 1] == '/' ? "" : "/";
    for (ssize_t i = 0; i < n; i++) {
        char path[PATH_MAX];
        if (!atomic_load(&w->stop) &&
            (size_t)snprintf(path, sizeof path, "%s%s%s", dir, sep, names[i].name) < sizeof path) {
            if (names[i].type == DT_REG && !(w->opts->interrupted && *w->opts->interrupted)) ingest_file(w, path);
            else walk_path(w, path, 0);
        }
    }
}

/* A directory is read once, its names sorted through a temporary file
 * when there are more than a pass holds (omb_dir_read); without a
 * temporary file, in passes that read it again (omb_dir_pass). */
static void walk_dir(struct walk *w, const char *dir)
{
    char err[PATH_MAX + 64];
    struct omb_dir_reader *r = omb_dir_read(dir, OMB_WALK_PASS_NAMES);
    if (r) {
        ssize_t n = 1;
        while (n > 0 && !atomic_load(&w->stop)) {
            struct omb_dir_entry *names;
            if ((n = omb_dir_next(r, &names)) < 0) {
                snprintf(err, sizeof err, "%s: cannot read the directory's sorted names: %s", dir, strerror(errno));
                report_failure(w, dir, err);
                break;
            }
            walk_names(w, dir, names, n);
            omb_dir_entries_free(names, (size_t)n);
        }
        omb_dir_close(r);
        return;
    }
    if (errno == ENOMEM) {
        hand_over(w, NULL);
        return;
    }
    char *after = NULL;
    int more = 1;
    while (more && !atomic_load(&w->stop)) {
        struct omb_dir_entry *names;
        ssize_t n = omb_dir_pass(dir, after, OMB_WALK_PASS_NAMES, &names, &more);
        if (n < 0) {
            if (errno == ENOMEM) {
                hand_over(w, NULL);
            } else {
                snprintf(err, sizeof err, "%s: cannot read directory: %s", dir, strerror(errno));
                report_failure(w, dir, err);
            }
            break;
        }
        walk_names(w, dir, names, n);
        free(after);
        after = n ? strdup(names[n - 1].name) : NULL;
        omb_dir_entries_free(names, n > 0 ? (size_t)n : 0);
        if (n && !after) {
            hand_over(w, NULL);
            break;
        }
    }
    free(after);
}

static void walk_path(struct walk *w, const char *path, int top)
{
    struct stat st;
    char err[PATH_MAX + 64];
    if (atomic_load(&w->stop)) return;
    if (w->opts->interrupted && *w->opts->interrupted) {
        atomic_store(&w->stop, 1);
        return;
    }
    if (lstat(path, &st) != 0) {
        snprintf(err, sizeof err, "%s: %s", path, strerror(errno));
        report_failure(w, path, err);
        return;
    }
    if (S_ISLNK(st.st_mode)) {
        /* Follow a link to a file; never a link to a directory below the top,
         * so symlink loops cannot trap the walk. */
        struct stat target;
        if (stat(path, &target) != 0) {
            snprintf(err, sizeof err, "%s: broken symbolic link: %s", path, strerror(errno));
            report_failure(w, path, err);
        } else if (S_ISDIR(target.st_mode)) {
            if (top) walk_dir(w, path);
        } else {
            ingest_file(w, path);
        }
        return;
    }
    if (S_ISDIR(st.st_mode)) walk_dir(w, path);
    else if (S_ISREG(st.st_mode)) ingest_file(w, path);
    else {
        /* a FIFO, socket or device is reported, never silently passed over */
        snprintf(err, sizeof err, "%s: not a regular file or directory", path);
        report_failure(w, path, err);
    }
}

struct reader_args {
    struct walk *w;
    const char *const *paths;
    size_t n_paths;
};

/* The reading thread: walks every path, handing jobs over, then says done. */
static void *reader_main(void *arg)
{
    struct reader_args *a = arg;
    for (size_t i = 0; i < a->n_paths && !atomic_load(&a->w->stop); i++) walk_path(a->w, a->paths[i], 1);
    omb_pool_finish(a->w->pool); /* the documents still being read go to the queue too */
    a->w->pool = NULL;
    struct job_queue *q = a->w->queue;
    queue_flush(q);
    pthread_mutex_lock(&q->mu);
    q->done = 1;
    pthread_cond_signal(&q->not_empty);
    pthread_mutex_unlock(&q->mu);
    return NULL;
}

/* Reading threads: one more than the online CPUs, at most MAX_READERS; the
 * environment variable OMBUDS_READERS sets the number (1 reads on the walking
 * thread alone, as before the pool; docs/performance.md).  The extra one
 * keeps the CPUs busy while another waits for a file's bytes or for the
 * pool's window: on two CPUs, three readers took 10k HTML pages in 1.00 s
 * against 1.09 s with two, and 10k text pages in 0.69 s against 0.73 s. */
#define MAX_READERS 8
#define POOL_WINDOW 64 /* documents being read at once, ahead of the walk's order */

static size_t reading_threads(void)
{
    const char *env = getenv("OMBUDS_READERS");
    long n = env && *env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN) + 1;
    if (n < 1) n = 1;
    return n > MAX_READERS ? MAX_READERS : (size_t)n;
}

int omb_ingest(omb_store *st, const omb_registry *reg, const char *const *paths, size_t n_paths,
               const struct omb_ingest_opts *opts, struct omb_ingest_summary *sum)
{
    struct walk w;
    memset(&w, 0, sizeof w);
    w.st = w.seen = st;
    w.reg = reg;
    w.opts = opts;
    w.sum = sum;
    atomic_init(&w.stop, 0);
    atomic_init(&w.reader_out_of_memory, 0);
    memset(sum, 0, sizeof *sum);
    if (opts->count_first) {
        w.counting = 1;
        for (size_t i = 0; i < n_paths && !atomic_load(&w.stop); i++) walk_path(&w, paths[i], 1);
        w.counting = 0;
        atomic_store(&w.stop, 0);
    }
    if (!opts->dry_run) sum->documents_before = store_int(st, "SELECT coalesce(max(id), 0) FROM document_rows", 0);
    if (opts->batch > 1) {
        omb_store_batch_begin(st);
        omb_store_batch_optimistic(st, 1);
    }

    /* Several threads when batching and read-only twins of the store can be
     * opened (not for ":memory:" stores); otherwise one. */
    struct job_queue queue;
    omb_store *twin = NULL;
    omb_store *twins[MAX_READERS] = {NULL};
    struct reader_ctx readers[MAX_READERS];
    void *reader_ud[MAX_READERS];
    size_t n_readers = 0;
    pthread_t reader;
    int threaded = 0;
    char err[512];
    if (opts->batch > 1 && omb_store_open(omb_store_path(st), OMB_STORE_READONLY, &twin, err, sizeof err) == OMB_OK) {
        size_t want = reading_threads();
        while (n_readers < want &&
               omb_store_open(omb_store_path(st), OMB_STORE_READONLY, &twins[n_readers], err, sizeof err) == OMB_OK) {
            readers[n_readers] = (struct reader_ctx){&w, twins[n_readers]};
            reader_ud[n_readers] = &readers[n_readers];
            n_readers++;
        }
        /* one reading thread gains nothing over the walk reading itself */
        if (n_readers > 1) w.pool = omb_pool_new(n_readers, POOL_WINDOW, pool_work, reader_ud, pool_emit, &w);
        memset(&queue, 0, sizeof queue);
        pthread_mutex_init(&queue.mu, NULL);
        pthread_cond_init(&queue.not_empty, NULL);
        pthread_cond_init(&queue.not_full, NULL);
        w.queue = &queue;
        w.seen = twin;
        struct reader_args args = {&w, paths, n_paths};
        if (pthread_create(&reader, NULL, reader_main, &args) == 0) {
            threaded = 1;
            struct job *got[QUEUE_CAP];
            size_t n;
            while ((n = queue_take(&queue, got, QUEUE_CAP)))
                for (size_t i = 0; i < n; i++) {
                    if (w.fatal) job_free(got[i]); /* stopping: drain what was read ahead */
                    else consume(&w, got[i]);
                }
            pthread_join(reader, NULL);
            if (atomic_load(&w.reader_out_of_memory) && !w.fatal) w.fatal = OMB_ENOMEM;
        }
        for (size_t i = 0; i < queue.n_spent; i++) job_free(queue.spent[i]);
        for (size_t i = 0; i < queue.n_retired; i++) job_free(queue.retired[i]);
        pthread_cond_destroy(&queue.not_full);
        pthread_cond_destroy(&queue.not_empty);
        pthread_mutex_destroy(&queue.mu);
        w.queue = NULL;
        w.seen = st;
        omb_store_close(twin);
    }
    if (w.pool) { /* the reading thread never started */
        omb_pool_finish(w.pool);
        w.pool = NULL;
    }
    for (size_t i = 0; i < n_readers; i++) omb_store_close(twins[i]);
    if (!threaded)
        for (size_t i = 0; i < n_paths && !atomic_load(&w.stop); i++) walk_path(&w, paths[i], 1);
    if (!w.fatal && opts->interrupted && *opts->interrupted) w.fatal = OMB_EINTR;
    /* whatever ended the walk, documents already written are committed */
    if (opts->batch > 1) {
        commit_batch(&w);
        omb_store_batch_optimistic(st, 0);
        if (omb_store_batch_end(st, err, sizeof err) && !w.fatal) w.fatal = OMB_ESTORE;
    }
    /* the summary counts cases, not mentions: a case named by three
     * documents is one case stored */
    if (!opts->dry_run)
        sum->cases_stored = (size_t)store_int(
            st, "SELECT count(DISTINCT case_id) FROM case_sources WHERE document_id > ?1", sum->documents_before);
    flush_reports(&w);
    free(w.pending);
    return w.fatal;
}
