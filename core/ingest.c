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
#include <limits.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "text.h"

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
    for (int i = 0; i < SHA256_DIGEST_SIZE; i++) snprintf(out + 2 * i, 3, "%02x", digest[i]);
}

/* Reads the whole file; returns OMB_OK or OMB_EIO with err set. */
static int read_file(const char *path, char **data, size_t *n, char *err, size_t cap)
{
    *data = NULL;
    *n = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, cap, "%s: cannot open: %s", path, strerror(errno));
        return OMB_EIO;
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, cap, "%s: not a regular file", path);
        fclose(f);
        return OMB_EIO;
    }
    if ((size_t)st.st_size > MAX_DOCUMENT_BYTES) {
        snprintf(err, cap, "%s: %lld bytes is larger than the %zu MiB a document may have", path,
                 (long long)st.st_size, MAX_DOCUMENT_BYTES >> 20);
        fclose(f);
        return OMB_EIO;
    }
    size_t size = (size_t)st.st_size;
    char *buf = malloc(size + 1);
    if (!buf) {
        fclose(f);
        snprintf(err, cap, "%s: out of memory reading %zu bytes", path, size);
        return OMB_ENOMEM;
    }
    size_t got = fread(buf, 1, size, f);
    int bad = ferror(f);
    fclose(f);
    if (bad || got != size) {
        snprintf(err, cap, "%s: read error: %s", path, bad ? strerror(errno) : "file changed while reading");
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
    const char *name = strrchr(path, '/');
    name = name ? name + 1 : path;
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
                       size_t note_cap, char *err, size_t err_cap)
{
    *text = NULL;
    *plugin = NULL;
    if (n == 0) {
        snprintf(err, err_cap, "%s: empty file", path);
        return OMB_EPARSE;
    }
    char why[256];
    int rc = omb_text_decode(raw, n, text, len, note, note_cap, why, sizeof why);
    if (rc) {
        snprintf(err, err_cap, "%s:%s", path, why + (strncmp(why, "line ", 5) ? 0 : 5));
        return rc;
    }
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
    rc = prepare_raw(reg, path, raw, n, format, text, len, plugin, note, note_cap, err, err_cap);
    free(raw);
    return rc;
}

int omb_ingest_parse(const struct omb_loaded_plugin *p, struct omb_sink *sink, const char *text, size_t len,
                     const char *path, const char *authority)
{
    const char *name = strrchr(path, '/');
    struct omb_doc doc = {text, len, path, name ? name + 1 : path, authority};
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

struct walk {
    omb_store *st;
    const omb_registry *reg;
    const struct omb_ingest_opts *opts;
    struct omb_ingest_summary *sum;
    size_t total;     /* files expected, 0 when not counted */
    int counting;     /* first pass: only count */
    int fatal;        /* store failure or interruption */
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
        default: w->sum->failed++;
        }
        if (p->status == OMB_FILE_NEW || p->status == OMB_FILE_UPDATED) {
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

/* Queues a report (copying what it points to). */
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
    /* without a batch every report goes out at once */
    if (!w->opts->batch || w->opts->batch <= 1) flush_reports(w);
}

static void ingest_file(struct walk *w, const char *path)
{
    if (w->counting) {
        w->total++;
        return;
    }
    char err[1024], note[128], sha[65], same[PATH_MAX];
    char *raw = NULL, *text = NULL;
    size_t n = 0, len = 0;
    const struct omb_loaded_plugin *p = NULL;
    w->sum->files++;
    err[0] = '\0';

    /* Read and hash once; an identical document is recognised by its hash
     * before it is even decoded. */
    int rc = read_file(path, &raw, &n, err, sizeof err);
    if (rc == OMB_OK) {
        sha256_hex((const unsigned char *)raw, n, sha);
        if (omb_store_has_sha(w->st, sha, same, sizeof same)) {
            char msg[PATH_MAX + 32];
            snprintf(msg, sizeof msg, "same content as %s", same);
            queue_report(w, OMB_FILE_UNCHANGED, path, NULL, 0, strcmp(same, path) ? msg : NULL, NULL);
            free(raw);
            return;
        }
        rc = prepare_raw(w->reg, path, raw, n, w->opts->format, &text, &len, &p, note, sizeof note, err, sizeof err);
        free(raw);
    }
    if (rc != OMB_OK) {
        queue_report(w, OMB_FILE_FAILED, path, NULL, 0, err, NULL);
        if (rc == OMB_ENOMEM) w->fatal = rc;
        return;
    }
    struct omb_sink sink;
    omb_sink_init(&sink, text, len, path, p->desc->name);
    if (note[0]) omb_sink_warnf(&sink, 1, "%s", note);
    rc = omb_ingest_parse(p, &sink, text, len, path, w->opts->authority);
    if (rc == OMB_OK && sink.n_cases == 0 && sink.n_authority_events == 0 && sink.n_notes == 0)
        omb_sink_warnf(&sink, 1, "plugin '%s' found nothing to record in this document", p->desc->name);
    if (rc == OMB_OK) {
        const struct omb_source_ops *ops = p->desc->ops;
        struct omb_doc_meta meta = {path, sha, p->desc->name, p->desc->version, ops->rank, n, note};
        int result = 0;
        rc = omb_store_write(w->st, &meta, &sink, &result, err, sizeof err);
        if (rc == OMB_OK) {
            int status = result == OMB_DOC_UPDATED ? OMB_FILE_UPDATED
                         : result == OMB_DOC_UNCHANGED ? OMB_FILE_UNCHANGED
                                                       : OMB_FILE_NEW;
            if (status != OMB_FILE_UNCHANGED) w->pending_docs++;
            queue_report(w, status, path, p->desc->name, status == OMB_FILE_UNCHANGED ? 0 : sink.n_cases, NULL,
                         &sink);
        } else {
            queue_report(w, OMB_FILE_FAILED, path, p->desc->name, 0, err, &sink);
            w->fatal = rc; /* the store itself is in trouble: stop */
        }
    } else {
        queue_report(w, OMB_FILE_FAILED, path, p->desc->name, 0, sink.error, &sink);
        if (rc == OMB_ENOMEM) w->fatal = rc;
    }
    omb_sink_clear(&sink);
    free(text);
    if (w->opts->batch > 1 && w->pending_docs >= (size_t)w->opts->batch) commit_batch(w);
}

/* Reports a path that could not be read as a document. */
static void report_failure(struct walk *w, const char *path, const char *message)
{
    if (w->counting) return;
    w->sum->files++;
    queue_report(w, OMB_FILE_FAILED, path, NULL, 0, message, NULL);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void walk_path(struct walk *w, const char *path, int top);

static void walk_dir(struct walk *w, const char *dir)
{
    char err[PATH_MAX + 64];
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, sizeof err, "%s: cannot read directory: %s", dir, strerror(errno));
        report_failure(w, dir, err);
        return;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue; /* ., .., and hidden files */
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **p = realloc(names, cap * sizeof *p);
            if (!p) {
                w->fatal = OMB_ENOMEM;
                break;
            }
            names = p;
        }
        if (!(names[n] = strdup(e->d_name))) {
            w->fatal = OMB_ENOMEM;
            break;
        }
        n++;
    }
    closedir(d);
    if (n) qsort(names, n, sizeof *names, cmp_str);
    size_t dl = strlen(dir);
    const char *sep = dl && dir[dl - 1] == '/' ? "" : "/";
    for (size_t i = 0; i < n; i++) {
        char path[PATH_MAX];
        if (!w->fatal && (size_t)snprintf(path, sizeof path, "%s%s%s", dir, sep, names[i]) < sizeof path)
            walk_path(w, path, 0);
        free(names[i]);
    }
    free(names);
}

static void walk_path(struct walk *w, const char *path, int top)
{
    struct stat st;
    char err[PATH_MAX + 64];
    if (w->fatal) return;
    if (w->opts->interrupted && *w->opts->interrupted) {
        w->fatal = OMB_EINTR;
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

int omb_ingest(omb_store *st, const omb_registry *reg, const char *const *paths, size_t n_paths,
               const struct omb_ingest_opts *opts, struct omb_ingest_summary *sum)
{
    struct walk w;
    memset(&w, 0, sizeof w);
    w.st = st;
    w.reg = reg;
    w.opts = opts;
    w.sum = sum;
    memset(sum, 0, sizeof *sum);
    if (opts->count_first) {
        w.counting = 1;
        for (size_t i = 0; i < n_paths && !w.fatal; i++) walk_path(&w, paths[i], 1);
        w.counting = 0;
        w.fatal = 0;
    }
    if (opts->batch > 1) omb_store_batch_begin(st);
    for (size_t i = 0; i < n_paths && !w.fatal; i++) walk_path(&w, paths[i], 1);
    /* whatever ended the walk, documents already written are committed */
    if (opts->batch > 1) {
        commit_batch(&w);
        char err[512];
        if (omb_store_batch_end(st, err, sizeof err) && !w.fatal) w.fatal = OMB_ESTORE;
    }
    flush_reports(&w);
    free(w.pending);
    return w.fatal;
}
