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
        const struct omb_source_ops *ops = d->ops;
        int s = ops->probe(text, len, name);
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
    if (n == 0) {
        snprintf(err, err_cap, "%s: empty file", path);
        free(raw);
        return OMB_EPARSE;
    }
    char why[256];
    rc = omb_text_decode(raw, n, text, len, note, note_cap, why, sizeof why);
    free(raw);
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

int omb_ingest_parse(const struct omb_loaded_plugin *p, struct omb_sink *sink, const char *text, size_t len,
                     const char *path, const char *authority)
{
    const char *name = strrchr(path, '/');
    struct omb_doc doc = {text, len, path, name ? name + 1 : path, authority};
    const struct omb_source_ops *ops = p->desc->ops;
    int rc = ops->parse(omb_host_table(), sink, &doc);
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

struct walk {
    omb_store *st;
    const omb_registry *reg;
    const struct omb_ingest_opts *opts;
    struct omb_ingest_summary *sum;
    size_t total;     /* files expected, 0 when not counted */
    int counting;     /* first pass: only count */
    int fatal;        /* store failure or interruption */
};

static void report(struct walk *w, struct omb_file_report *r)
{
    r->index = w->sum->files;
    r->total = w->total;
    if (w->opts->report) w->opts->report(w->opts->ud, r);
}

static void ingest_file(struct walk *w, const char *path)
{
    if (w->counting) {
        w->total++;
        return;
    }
    struct omb_file_report r = {0};
    char err[1024], note[128], sha[65], same[PATH_MAX];
    char *text = NULL;
    size_t len = 0, raw_size = 0;
    const struct omb_loaded_plugin *p = NULL;
    r.path = path;
    w->sum->files++;
    err[0] = '\0';

    /* An identical document is recognised by its hash before any parsing. */
    char *raw = NULL;
    size_t n = 0;
    int rc = read_file(path, &raw, &n, err, sizeof err);
    if (rc == OMB_OK) {
        sha256_hex((const unsigned char *)raw, n, sha);
        free(raw);
        if (omb_store_has_sha(w->st, sha, same, sizeof same)) {
            r.status = OMB_FILE_UNCHANGED;
            char msg[PATH_MAX + 32];
            if (strcmp(same, path)) snprintf(msg, sizeof msg, "same content as %s", same);
            else msg[0] = '\0';
            r.message = msg[0] ? msg : NULL;
            w->sum->unchanged++;
            report(w, &r);
            return;
        }
        rc = omb_ingest_prepare(w->reg, path, w->opts->format, &text, &len, &p, note, sizeof note, err, sizeof err,
                                sha, &raw_size);
    }
    if (rc != OMB_OK) {
        r.status = OMB_FILE_FAILED;
        r.message = err;
        w->sum->failed++;
        report(w, &r);
        if (rc == OMB_ENOMEM) w->fatal = rc;
        return;
    }
    r.plugin = p->desc->name;
    struct omb_sink sink;
    omb_sink_init(&sink, text, len, path, p->desc->name);
    if (note[0]) omb_sink_warnf(&sink, 1, "%s", note);
    rc = omb_ingest_parse(p, &sink, text, len, path, w->opts->authority);
    if (rc == OMB_OK && sink.n_cases == 0 && sink.n_authority_events == 0 && sink.n_notes == 0)
        omb_sink_warnf(&sink, 1, "plugin '%s' found nothing to record in this document", p->desc->name);
    if (rc == OMB_OK) {
        const struct omb_source_ops *ops = p->desc->ops;
        struct omb_doc_meta meta = {path, sha, p->desc->name, p->desc->version, ops->rank, raw_size, note};
        int result = 0;
        rc = omb_store_write(w->st, &meta, &sink, &result, err, sizeof err);
        if (rc == OMB_OK) {
            r.status = result == OMB_DOC_UPDATED ? OMB_FILE_UPDATED
                       : result == OMB_DOC_UNCHANGED ? OMB_FILE_UNCHANGED
                                                     : OMB_FILE_NEW;
            if (r.status == OMB_FILE_NEW) w->sum->new_files++;
            else if (r.status == OMB_FILE_UPDATED) w->sum->updated++;
            else w->sum->unchanged++;
            if (r.status != OMB_FILE_UNCHANGED) {
                r.n_cases = sink.n_cases;
                w->sum->cases += sink.n_cases;
                w->sum->warnings += sink.n_warnings;
            }
        } else {
            r.status = OMB_FILE_FAILED;
            r.message = err;
            w->sum->failed++;
            w->fatal = rc; /* the store itself is in trouble: stop */
        }
    } else {
        r.status = OMB_FILE_FAILED;
        snprintf(err, sizeof err, "%s", sink.error);
        r.message = err;
        w->sum->failed++;
        if (rc == OMB_ENOMEM) w->fatal = rc;
    }
    /* warnings are shown for new and failed documents alike */
    const char *list[64];
    char *owned[64];
    size_t nw = sink.n_warnings < 64 ? sink.n_warnings : 64;
    for (size_t i = 0; i < nw; i++) {
        owned[i] = NULL;
        if (asprintf(&owned[i], "%s:%zu: %s", path, sink.warnings[i].line, sink.warnings[i].message) < 0)
            owned[i] = NULL;
        list[i] = owned[i] ? owned[i] : sink.warnings[i].message;
    }
    r.warnings = list;
    r.n_warnings = r.status == OMB_FILE_UNCHANGED ? 0 : nw;
    report(w, &r);
    for (size_t i = 0; i < nw; i++) free(owned[i]);
    omb_sink_clear(&sink);
    free(text);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void walk_path(struct walk *w, const char *path, int top);

static void walk_dir(struct walk *w, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        if (!w->counting) {
            struct omb_file_report r = {0};
            char err[PATH_MAX + 64];
            snprintf(err, sizeof err, "%s: cannot read directory: %s", dir, strerror(errno));
            r.path = dir;
            r.status = OMB_FILE_FAILED;
            r.message = err;
            w->sum->files++;
            w->sum->failed++;
            report(w, &r);
        }
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
    for (size_t i = 0; i < n; i++) {
        char path[PATH_MAX];
        size_t dl = strlen(dir);
        const char *sep = dl && dir[dl - 1] == '/' ? "" : "/";
        if (!w->fatal && (size_t)snprintf(path, sizeof path, "%s%s%s", dir, sep, names[i]) < sizeof path)
            walk_path(w, path, 0);
        free(names[i]);
    }
    free(names);
}

static void walk_path(struct walk *w, const char *path, int top)
{
    struct stat st;
    if (w->fatal) return;
    if (w->opts->interrupted && *w->opts->interrupted) {
        w->fatal = OMB_EINTR;
        return;
    }
    if (lstat(path, &st) != 0) {
        if (!w->counting) {
            struct omb_file_report r = {0};
            char err[PATH_MAX + 64];
            snprintf(err, sizeof err, "%s: %s", path, strerror(errno));
            r.path = path;
            r.status = OMB_FILE_FAILED;
            r.message = err;
            w->sum->files++;
            w->sum->failed++;
            report(w, &r);
        }
        return;
    }
    if (S_ISLNK(st.st_mode)) {
        /* Follow a link to a file; never a link to a directory below the top,
         * so symlink loops cannot trap the walk. */
        struct stat target;
        if (stat(path, &target) == 0 && S_ISDIR(target.st_mode)) {
            if (top) walk_dir(w, path);
            return;
        }
        if (stat(path, &target) != 0) {
            if (!w->counting) {
                struct omb_file_report r = {0};
                char err[PATH_MAX + 64];
                snprintf(err, sizeof err, "%s: broken symbolic link: %s", path, strerror(errno));
                r.path = path;
                r.status = OMB_FILE_FAILED;
                r.message = err;
                w->sum->files++;
                w->sum->failed++;
                report(w, &r);
            }
            return;
        }
        ingest_file(w, path);
        return;
    }
    if (S_ISDIR(st.st_mode)) walk_dir(w, path);
    else if (S_ISREG(st.st_mode)) ingest_file(w, path);
    else if (!w->counting) {
        /* a FIFO, socket or device is reported, never silently passed over */
        struct omb_file_report r = {0};
        char err[PATH_MAX + 64];
        snprintf(err, sizeof err, "%s: not a regular file or directory", path);
        r.path = path;
        r.status = OMB_FILE_FAILED;
        r.message = err;
        w->sum->files++;
        w->sum->failed++;
        report(w, &r);
    }
}

int omb_ingest(omb_store *st, const omb_registry *reg, const char *const *paths, size_t n_paths,
               const struct omb_ingest_opts *opts, struct omb_ingest_summary *sum)
{
    struct walk w = {st, reg, opts, sum, 0, 0, 0};
    memset(sum, 0, sizeof *sum);
    if (opts->count_first) {
        w.counting = 1;
        for (size_t i = 0; i < n_paths && !w.fatal; i++) walk_path(&w, paths[i], 1);
        w.counting = 0;
        w.fatal = 0;
    }
    if (opts->batch > 1) omb_store_batch_begin(st, opts->batch);
    for (size_t i = 0; i < n_paths && !w.fatal; i++) walk_path(&w, paths[i], 1);
    if (opts->batch > 1) {
        char err[512];
        if (omb_store_batch_end(st, err, sizeof err) && !w.fatal) w.fatal = OMB_ESTORE;
    }
    return w.fatal;
}
