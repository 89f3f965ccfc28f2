/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * decode_module.c -- the decoders of PDF, HTML and .docx, each opened on the
 * first file of its kind.  Their libraries (poppler-glib with glib and
 * cairo; libxml2 with ICU and libstdc++; libzip with libcrypto) come to some
 * sixty shared objects whose symbol relocation was nine tenths of the
 * program's start-up: linked in, every command and the console paid for it,
 * whatever they read.  Each decoder is built as a module of its own,
 * decode_<kind>.so in omb_decoder_dir() (paths.c), exporting
 * omb_decode_<kind>_module, and stays loaded until exit.  The fuzz targets
 * link the decoders in instead (OMB_DECODE_LINKED), so that their code is
 * instrumented.
 */
#include <dlfcn.h>
#include <ombuds/plugin.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "decode_int.h"
#include "paths.h"

#ifndef OMB_DECODE_LINKED

#define PATH_CAP 4096

struct module {
    const char *kind;  /* pdf, html, docx: decode_<kind>.so, omb_decode_<kind>_module */
    atomic_int ready;  /* tried, entry and error final */
    void *entry;       /* the export, NULL when the module could not be opened */
    char error[PATH_CAP + 256];
};

static struct module pdf_module = {.kind = "pdf"}, html_module = {.kind = "html"}, docx_module = {.kind = "docx"};
static pthread_mutex_t loading = PTHREAD_MUTEX_INITIALIZER;

static void open_module(struct module *m)
{
    char path[PATH_CAP], symbol[64];
    snprintf(symbol, sizeof symbol, "omb_decode_%s_module", m->kind);
    if ((size_t)snprintf(path, sizeof path, "%s/decode_%s.so", omb_decoder_dir(), m->kind) >= sizeof path) {
        snprintf(m->error, sizeof m->error, "the path of the %s decoder is too long", m->kind);
        return;
    }
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        snprintf(m->error, sizeof m->error, "the %s decoder is not installed (%s); reinstall ombuds", m->kind,
                 why ? why : path);
        return;
    }
    if (!(m->entry = dlsym(h, symbol))) {
        snprintf(m->error, sizeof m->error, "%s has no %s; reinstall ombuds", path, symbol);
        dlclose(h);
    }
}

/* The module's export, or NULL with the reason in err.  Reading threads
 * call this at once: the first opens the module under the lock, the others
 * wait for it and then find it ready without locking. */
static void *entry_of(struct module *m, char *err, size_t err_cap)
{
    if (!atomic_load_explicit(&m->ready, memory_order_acquire)) {
        pthread_mutex_lock(&loading);
        if (!atomic_load_explicit(&m->ready, memory_order_relaxed)) {
            open_module(m);
            atomic_store_explicit(&m->ready, 1, memory_order_release);
        }
        pthread_mutex_unlock(&loading);
    }
    if (!m->entry) snprintf(err, err_cap, "%s", m->error);
    return m->entry;
}

/* dlsym returns a data pointer; POSIX guarantees it converts to a function
 * pointer, and memcpy says so without a cast ISO C leaves undefined. */
#define CALL(m, type, ...)                                                                                             \
    do {                                                                                                               \
        void *sym = entry_of(&(m), err, err_cap);                                                                      \
        if (!sym) return OMB_EPARSE;                                                                                   \
        type fn;                                                                                                       \
        _Static_assert(sizeof fn == sizeof sym, "function and data pointers differ in size");                         \
        memcpy(&fn, &sym, sizeof fn);                                                                                  \
        return fn(__VA_ARGS__);                                                                                        \
    } while (0)

typedef int (*pdf_fn)(const char *, size_t, struct omb_tb *, unsigned *, char *, size_t);
typedef int (*html_fn)(const char *, size_t, struct omb_tb *, char *, size_t, char *, size_t);
typedef int (*docx_fn)(const char *, size_t, struct omb_tb *, char *, size_t);

int omb_decode_pdf(const char *raw, size_t n, struct omb_tb *tb, unsigned *n_pages, char *err, size_t err_cap)
{
    CALL(pdf_module, pdf_fn, raw, n, tb, n_pages, err, err_cap);
}

int omb_decode_html(const char *raw, size_t n, struct omb_tb *tb, char *note, size_t note_cap, char *err,
                    size_t err_cap)
{
    CALL(html_module, html_fn, raw, n, tb, note, note_cap, err, err_cap);
}

int omb_decode_docx(const char *raw, size_t n, struct omb_tb *tb, char *err, size_t err_cap)
{
    CALL(docx_module, docx_fn, raw, n, tb, err, err_cap);
}

#else /* OMB_DECODE_LINKED */

int omb_decode_pdf(const char *raw, size_t n, struct omb_tb *tb, unsigned *n_pages, char *err, size_t err_cap)
{
    return omb_decode_pdf_module(raw, n, tb, n_pages, err, err_cap);
}

int omb_decode_html(const char *raw, size_t n, struct omb_tb *tb, char *note, size_t note_cap, char *err,
                    size_t err_cap)
{
    return omb_decode_html_module(raw, n, tb, note, note_cap, err, err_cap);
}

int omb_decode_docx(const char *raw, size_t n, struct omb_tb *tb, char *err, size_t err_cap)
{
    return omb_decode_docx_module(raw, n, tb, err, err_cap);
}

#endif
