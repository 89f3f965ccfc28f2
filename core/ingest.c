/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ingest.c -- the path from files to the store (ingest.h).  It walks
 * directories without following directory symlinks (so loops cannot trap it),
 * hashes each file's bytes with nettle's SHA-256 (an unchanged file is
 * recognised before it is even decoded), decodes text (text.c), picks the
 * plugin, parses into a sink (host.c) and writes it (store.c).  Printing is
 * left to the caller's report callback.
 */
#define _GNU_SOURCE
#include "ingest.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <limits.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/decode.h"

/* Documents larger than this are refused: no ombudsman document comes near
 * it, and the whole text is held in memory while it is parsed. */
#define MAX_DOCUMENT_BYTES ((size_t)256 << 20)

static void sha256_hex(const unsigned char *p, size_t n, char out[65])
{
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, n, p);
    sha256_digest(&ctx, sizeof digest, digest);
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < SHA256_DIGEST_SIZE; i++) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 15];
    }
    out[64] = '\0';
}

/* Reads the whole file; returns OMB_OK or OMB_EIO with err set.  Plain
 * open/fstat/read rather than stdio: on a corpus of small pages the calls
 * themselves are the cost, and stdio adds a buffer and a copy to each. */
static int read_file(const char *path, char **data, size_t *n, char *err, size_t cap)
{
    *data = NULL;
    *n = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, cap, "%s: cannot open: %s", path, strerror(errno));
        return OMB_EIO;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, cap, "%s: not a regular file", path);
        close(fd);
        return OMB_EIO;
    }
    if ((size_t)st.st_size > MAX_DOCUMENT_BYTES) {
        snprintf(err, cap, "%s: %lld bytes is larger than the %zu MiB a document may have", path,
                 (long long)st.st_size, MAX_DOCUMENT_BYTES >> 20);
        close(fd);
        return OMB_EIO;
    }
    size_t size = (size_t)st.st_size;
    /* one byte more than the size: a read that fills it means the file grew */
    char *buf = malloc(size + 2);
    if (!buf) {
        close(fd);
        snprintf(err, cap, "%s: out of memory reading %zu bytes", path, size);
        return OMB_ENOMEM;
    }
    size_t got = 0;
    int bad = 0;
    while (got < size + 1) {
        ssize_t r = read(fd, buf + got, size + 1 - got);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) bad = errno;
        if (r <= 0) break;
        got += (size_t)r;
    }
    close(fd);
    if (bad || got != size) {
        snprintf(err, cap, "%s: read error: %s", path, bad ? strerror(bad) : "file changed while reading");
        free(buf);
        return OMB_EIO;
    }
    buf[size] = '\0';
    *data = buf;
    *n = size;
    return OMB_OK;
}

const struct omb_loaded_plugin *omb_detect_format(const omb_registry *reg, const char *text, size_t len,
                                                  const char *path, char *err, size_t err_cap)
{
    const char *name = omb_doc_name(path);
    int best = -1, tie = 0;
    const struct omb_loaded_plugin *winner = NULL;
    int scores[256];
    size_t n = reg->n < 256 ? reg->n : 256;
    for (size_t i = 0; i < n; i++) {
        scores[i] = -1;
        const struct omb_plugin *d = reg->plugins[i].desc;
        if (d->kind != OMB_PLUGIN_SOURCE) continue;
        int s = omb_plugin_probe(&reg->plugins[i], text, len, name);
        if (s < 0) s = 0;
        if (s > 100) s = 100;
        scores[i] = s;
        if (s > best) {
            best = s;
            winner = &reg->plugins[i];
            tie = 0;
        } else if (s == best) {
            tie = 1;
        }
    }
    if (winner && best >= OMB_PROBE_THRESHOLD && !tie) return winner;
    /* list the candidates so the user can choose with --format */
    size_t o = 0;
    o += (size_t)snprintf(err + o, err_cap - o, "%s: %s", path,
                          !winner ? "no source-format plugin is loaded (see `ombuds plugins`)"
                          : tie && best >= OMB_PROBE_THRESHOLD ? "several plugins recognise this document equally"
                                                               : "no plugin recognises this document");
    if (winner && o < err_cap) {
        o += (size_t)snprintf(err + o, err_cap - o, " (candidates:");
        for (size_t i = 0; i < n && o < err_cap; i++)
            if (scores[i] >= 0)
                o += (size_t)snprintf(err + o, err_cap - o, " %s %d", reg->plugins[i].desc->name, scores[i]);
        if (o < err_cap) snprintf(err + o, err_cap - o, "); name one with --format NAME");
    }
    return NULL;
}

/* Decodes raw bytes and picks the plugin (the part of preparing a document
 * that comes after reading it). */
static int prepare_raw(const omb_registry *reg, const char *path, const char *raw, size_t n, const char *format,
                       char **text, size_t *len, const struct omb_loaded_plugin **plugin, char *note,
                       size_t note_cap, char *err, size_t err_cap, unsigned **line_page, size_t *n_line_page)
{
    *text = NULL;
    *plugin = NULL;
    if (line_page) *line_page = NULL, *n_line_page = 0;
    if (n == 0) {
        snprintf(err, err_cap, "%s: empty file", path);
        return OMB_EPARSE;
    }
    /* the decode layer (core/lib/decode.c): text, HTML, PDF or .docx */
    char why[512];
    omb_decoded dec;
    int rc = omb_decode(path, raw, n, &dec, note, note_cap, why, sizeof why);
    if (rc) {
        if (!strncmp(why, "line ", 5)) snprintf(err, err_cap, "%s:%s", path, why + 5);
        else snprintf(err, err_cap, "%s: %s", path, why);
        return rc;
    }
    *text = dec.text;
    *len = dec.len;
    if (line_page) *line_page = dec.line_page, *n_line_page = dec.n_lines;
    else free(dec.line_page);
    if (format) {
        *plugin = omb_registry_find(reg, format);
        if (!*plugin || (*plugin)->desc->kind != OMB_PLUGIN_SOURCE) {
            snprintf(err, err_cap, "%s: --format %s: no source-format plugin of that name (see `ombuds plugins`)",
                     path, format);
            *plugin = NULL;
        }
    } else {
        *plugin = omb_detect_format(reg, *text, *len, path, err, err_cap);
    }
    if (!*plugin) {
        free(*text);
        *text = NULL;
        if (line_page) free(*line_page), *line_page = NULL, *n_line_page = 0;
        return OMB_EPARSE;
    }
    return OMB_OK;
}

int omb_ingest_prepare(const omb_registry *reg, const char *path, const char *format, char **text, size_t *len,
                       const struct omb_loaded_plugin **plugin, char *note, size_t note_cap, char *err, size_t err_cap,
                       char *sha_hex, size_t *raw_size)
{
    char *raw;
    size_t n;
    *text = NULL;
    *plugin = NULL;
    int rc = read_file(path, &raw, &n, err, err_cap);
    if (rc) return rc;
    if (raw_size) *raw_size = n;
    if (sha_hex) sha256_hex((const unsigned char *)raw, n, sha_hex);
    rc = prepare_raw(reg, path, raw, n, format, text, len, plugin, note, note_cap, err, err_cap, NULL, NULL);
    free(raw);
    return rc;
}

int omb_ingest_parse(const struct omb_loaded_plugin *p, struct omb_sink *sink, const char *text, size_t len,
                     const char *path, const char *authority)
{
    struct omb_doc doc = {text, len, path, omb_doc_name(path), authority};
    int rc = omb_plugin_parse(p, omb_host_table(), sink, &doc);
    if (rc == OMB_OK && sink->failed) rc = OMB_EPARSE;
    if (rc == OMB_OK && sink->n_open_builders) {
        snprintf(sink->error, sizeof sink->error, "%s: plugin '%s' left %zu case(s) unfinished (no case_end)", path,
                 p->desc->name, sink->n_open_builders);
        rc = OMB_EPLUGIN;
    }
    if (rc != OMB_OK && !sink->error[0])
        snprintf(sink->error, sizeof sink->error, "%s: plugin '%s' failed (status %d) without saying why", path,
                 p->desc->name, rc);
    return rc;
}

/* ---- walking ------------------------------------------------------------------ */

/* A report kept until the batch holding its document is committed, so that
 * "new" is never printed for a document a crash could still lose. */
struct pending {
    int status;
    char *path, *plugin, *message;
    size_t n_cases;
    char **warnings;
    size_t n_warnings;
};

struct job;
struct job_queue;

/* The state of one ingest.  With a batch, documents are read, decoded and
 * parsed on a second thread (the walk below runs there) while this thread
 * writes the previous ones: SQLite is used from one connection only, the
 * writer's, except for the reader's has-this-document-been-seen look-ups on a
 * read-only connection of its own.  Reports, counts and the store are only
 * touched by the writing thread (consume). */
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
    struct pending *pending;
    size_t n_pending, cap_pending, pending_docs; /* pending_docs: written, not yet committed */
    size_t reported;  /* reports delivered, for the "file i of n" count */
    pthread_mutex_t plugin_mu; /* held while a plugin probes or parses (see produce) */
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

/* Reads, hashes, decodes and parses one file (the reading side's work,
 * and the writer's when it writes a batch again); seen is where to look the
 * document's hash up. */
static struct job *produce(struct walk *w, omb_store *seen, const char *path)
{
    struct job *j = calloc(1, sizeof *j);
    if (!j || !(j->path = strdup(path))) {
        free(j);
        return NULL;
    }
    char err[1024], same[PATH_MAX];
    char *raw = NULL;
    size_t n = 0;
    err[0] = '\0';
    /* Read and hash once; an identical document is recognised by its hash
     * before it is even decoded. */
    int rc = read_file(path, &raw, &n, err, sizeof err);
    if (rc == OMB_OK) {
        sha256_hex((const unsigned char *)raw, n, j->sha);
        j->raw_size = n;
        if (omb_store_find_same(seen, j->sha, path, same, sizeof same)) {
            j->kind = JOB_UNCHANGED;
            if (strcmp(same, path) && asprintf(&j->message, "same content as %s", same) < 0) j->message = NULL;
            free(raw);
            return j;
        }
        /* Plugins are run by one thread at a time: the reading side, and
         * the writer only when it writes a failed batch again.  A Lua
         * plugin's state could not take two threads at once. */
        pthread_mutex_lock(&w->plugin_mu);
        rc = prepare_raw(w->reg, path, raw, n, w->opts->format, &j->text, &j->len, &j->plugin, j->note,
                         sizeof j->note, err, sizeof err, &j->line_page, &j->n_line_page);
        pthread_mutex_unlock(&w->plugin_mu);
        free(raw);
    }
    if (rc != OMB_OK) {
        j->kind = JOB_FAILED;
        j->rc = rc;
        j->message = strdup(err);
        return j;
    }
    const struct omb_loaded_plugin *p = j->plugin;
    j->has_sink = 1;
    omb_sink_init(&j->sink, j->text, j->len, j->path, p->desc->name);
    j->sink.line_page = j->line_page; /* so the store can record each case's page */
    j->sink.n_line_page = j->n_line_page;
    if (j->note[0]) omb_sink_warnf(&j->sink, 1, "%s", j->note);
    pthread_mutex_lock(&w->plugin_mu);
    rc = omb_ingest_parse(p, &j->sink, j->text, j->len, j->path, w->opts->authority);
    pthread_mutex_unlock(&w->plugin_mu);
    if (rc == OMB_OK && j->sink.n_cases == 0 && j->sink.n_authority_events == 0 && j->sink.n_notes == 0)
        omb_sink_warnf(&j->sink, 1, "plugin '%s' found nothing to record in this document", p->desc->name);
    if (rc == OMB_OK) {
        j->kind = JOB_PARSED;
    } else {
        j->kind = JOB_FAILED;
        j->rc = rc;
        j->message = strdup(j->sink.error);
    }
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
    job_free(j);
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
 * whatever the documents. */
#define CHUNK 32                      /* jobs handed over at once */
#define QUEUE_CAP 128                 /* jobs read ahead of the writer */
#define QUEUE_BYTES ((size_t)2 << 20) /* and their approximate size */

struct job_queue {
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    struct job *items[QUEUE_CAP];
    size_t head, count, bytes;
    int done; /* the reading side has finished */
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
    pthread_mutex_lock(&q->mu);
    while (q->count && (q->count + q->n_outbox > QUEUE_CAP || q->bytes + q->outbox_bytes > QUEUE_BYTES))
        pthread_cond_wait(&q->not_full, &q->mu);
    int was_empty = q->count == 0;
    for (size_t i = 0; i < q->n_outbox; i++) q->items[(q->head + q->count++) % QUEUE_CAP] = q->outbox[i];
    q->bytes += q->outbox_bytes;
    q->n_outbox = q->outbox_bytes = 0;
    if (was_empty) pthread_cond_signal(&q->not_empty);
    pthread_mutex_unlock(&q->mu);
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

static void ingest_file(struct walk *w, const char *path)
{
    if (w->counting) {
        w->total++;
        return;
    }
    hand_over(w, produce(w, w->seen, path));
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
    hand_over(w, j);
}

/* A directory entry; the type from readdir saves an lstat per file when
 * the file system gives it (DT_UNKNOWN otherwise). */
struct entry {
    char *name;
    unsigned char type;
};

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

/* Names taken from a directory per pass.  Files are ingested in name order,
 * which needs the names sorted; holding every name of a million-file
 * directory took 40 MB (docs/performance.md), so a larger directory is read
 * in several passes, each taking the next WALK_PASS_NAMES names in order. */
#define WALK_PASS_NAMES 131072

/* The names per pass: WALK_PASS_NAMES, or OMBUDS_WALK_PASS_NAMES from the
 * environment so the tests can make small directories take several passes. */
static size_t walk_pass_names(void)
{
    const char *v = getenv("OMBUDS_WALK_PASS_NAMES");
    long n = v ? strtol(v, NULL, 10) : 0;
    return n > 0 ? (size_t)n : WALK_PASS_NAMES;
}

/* The bounded selection of one pass: a max-heap of the smallest names seen
 * that sort after `after`. */
static void heap_sift_down(struct entry *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && strcmp(h[l].name, h[m].name) > 0) m = l;
        if (r < n && strcmp(h[r].name, h[m].name) > 0) m = r;
        if (m == i) return;
        struct entry t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

static void heap_sift_up(struct entry *h, size_t i)
{
    while (i && strcmp(h[(i - 1) / 2].name, h[i].name) < 0) {
        struct entry t = h[i];
        h[i] = h[(i - 1) / 2];
        h[(i - 1) / 2] = t;
        i = (i - 1) / 2;
    }
}

/* Reads one pass of dir: up to `limit` names sorting after `after` (all
 * when NULL), in order, into *out.  *more says whether names were left for
 * another pass.  Returns -1 when the directory cannot be read (errno set). */
static ssize_t read_dir_pass(const char *dir, const char *after, size_t limit, struct entry **out, int *more)
{
    DIR *d = opendir(dir);
    *out = NULL;
    *more = 0;
    if (!d) return -1;
    struct entry *h = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue; /* ., .., and hidden files */
        if (after && strcmp(e->d_name, after) <= 0) continue;
        if (n == limit) {
            *more = 1;
            if (strcmp(e->d_name, h[0].name) >= 0) continue;
            char *name = strdup(e->d_name);
            if (!name) goto oom;
            free(h[0].name);
            h[0].name = name;
            h[0].type = e->d_type;
            heap_sift_down(h, n, 0);
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            struct entry *p = realloc(h, cap * sizeof *p);
            if (!p) goto oom;
            h = p;
        }
        if (!(h[n].name = strdup(e->d_name))) goto oom;
        h[n].type = e->d_type;
        heap_sift_up(h, n++);
    }
    closedir(d);
    if (n) qsort(h, n, sizeof *h, cmp_entry);
    *out = h;
    return (ssize_t)n;
oom:
    closedir(d);
    for (size_t i = 0; i < n; i++) free(h[i].name);
    free(h);
    errno = ENOMEM;
    return -1;
}

static void walk_path(struct walk *w, const char *path, int top);

static void walk_dir(struct walk *w, const char *dir)
{
    char err[PATH_MAX + 64];
    size_t dl = strlen(dir);
    const char *sep = dl && dir[dl - 1] == '/' ? "" : "/";
    char *after = NULL;
    int more = 1;
    while (more && !atomic_load(&w->stop)) {
        struct entry *names;
        ssize_t n = read_dir_pass(dir, after, walk_pass_names(), &names, &more);
        if (n < 0) {
            if (errno == ENOMEM) {
                hand_over(w, NULL);
            } else {
                snprintf(err, sizeof err, "%s: cannot read directory: %s", dir, strerror(errno));
                report_failure(w, dir, err);
            }
            break;
        }
        for (ssize_t i = 0; i < n; i++) {
            char path[PATH_MAX];
            if (!atomic_load(&w->stop) &&
                (size_t)snprintf(path, sizeof path, "%s%s%s", dir, sep, names[i].name) < sizeof path) {
                if (names[i].type == DT_REG && !(w->opts->interrupted && *w->opts->interrupted))
                    ingest_file(w, path);
                else walk_path(w, path, 0);
            }
        }
        free(after);
        after = n ? strdup(names[n - 1].name) : NULL;
        for (ssize_t i = 0; i < n; i++) free(names[i].name);
        free(names);
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
    struct job_queue *q = a->w->queue;
    queue_flush(q);
    pthread_mutex_lock(&q->mu);
    q->done = 1;
    pthread_cond_signal(&q->not_empty);
    pthread_mutex_unlock(&q->mu);
    return NULL;
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
    pthread_mutex_init(&w.plugin_mu, NULL);
    memset(sum, 0, sizeof *sum);
    if (opts->count_first) {
        w.counting = 1;
        for (size_t i = 0; i < n_paths && !atomic_load(&w.stop); i++) walk_path(&w, paths[i], 1);
        w.counting = 0;
        atomic_store(&w.stop, 0);
    }
    if (opts->batch > 1) {
        omb_store_batch_begin(st);
        omb_store_batch_optimistic(st, 1);
    }

    /* Two threads when batching and a read-only twin of the store can be
     * opened (not for ":memory:" stores); otherwise one. */
    struct job_queue queue;
    omb_store *twin = NULL;
    pthread_t reader;
    int threaded = 0;
    char err[512];
    if (opts->batch > 1 && omb_store_open(omb_store_path(st), OMB_STORE_READONLY, &twin, err, sizeof err) == OMB_OK) {
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
        pthread_cond_destroy(&queue.not_full);
        pthread_cond_destroy(&queue.not_empty);
        pthread_mutex_destroy(&queue.mu);
        w.queue = NULL;
        w.seen = st;
        omb_store_close(twin);
    }
    if (!threaded)
        for (size_t i = 0; i < n_paths && !atomic_load(&w.stop); i++) walk_path(&w, paths[i], 1);
    if (!w.fatal && opts->interrupted && *opts->interrupted) w.fatal = OMB_EINTR;
    /* whatever ended the walk, documents already written are committed */
    if (opts->batch > 1) {
        commit_batch(&w);
        omb_store_batch_optimistic(st, 0);
        if (omb_store_batch_end(st, err, sizeof err) && !w.fatal) w.fatal = OMB_ESTORE;
    }
    flush_reports(&w);
    free(w.pending);
    pthread_mutex_destroy(&w.plugin_mu);
    return w.fatal;
}
