/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store_names.c -- the register's name for an authority as a document
 * spells it, and the case_terms id of a text cases share (schema 11),
 * remembered for the rest of the transaction.
 *
 * Why: a stored case's authority is the register's name when the register
 * knows the spelling (authorities.h: the key drops case, "&", "and" and
 * punctuation).  Computed in SQL, the key is twelve nested replace() calls
 * and a look-up for every case written: 0.29 s of the writing thread's time
 * for 100,000 cases, when a corpus names a few hundred authorities.  So the
 * answer for each spelling is looked up once and kept.
 *
 * It is kept only until the transaction ends: the store's writer begins each
 * transaction with BEGIN IMMEDIATE (store_write.c), so no other connection
 * can change the register while it lasts, and the answers are exactly what
 * the SQL would give.  store_write.c forgets them at every BEGIN.
 *
 * The ids of case_terms (the authorities, categories, sub-categories and
 * outcomes case_rows keeps as numbers) are kept the same way, and for the
 * same reason: a few hundred texts, asked for at every case written.  A term
 * this transaction added is gone again after a rollback, so every rollback
 * forgets them too: a ROLLBACK through SQLite's rollback hook (store.c), a
 * ROLLBACK TO by whoever issues it (store_write.c).  So is the id of the
 * folder the last document came from (document_dirs, schema 10): the
 * documents of a folder come one after another.
 *
 * The ids of texts (summaries, remedies and improvements, schema 14) are
 * remembered in a small table of fixed size, one text a slot, the newest
 * winning: the stock phrases a corpus repeats ("an apology", "remind staff
 * of ...", a decision page's summary again in the council's annex) stay in
 * it, while texts written once pass through without growing it.  Memory is
 * bounded by TEXT_SLOTS texts of at most TEXT_MAX bytes.  A sweep (which
 * deletes texts) forgets them with the rest.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

/* One text: as an authority's spelling, the register's name for it (NULL:
 * the same spelling) once named is set; its case_terms id once term is
 * not 0. */
struct name_slot {
    char *spelling;
    char *name;
    int named;
    sqlite3_int64 term;
};

#define TEXT_SLOTS 1024 /* a power of two */
#define TEXT_MAX 1024   /* longer texts are looked up every time */

struct text_slot {
    char *text; /* NULL: empty */
    size_t len;
    sqlite3_int64 id;
};

struct omb_name_cache {
    struct text_slot texts[TEXT_SLOTS]; /* direct-mapped by hash_bytes */
    struct name_slot *slots; /* open addressing, linear probing */
    size_t cap;              /* a power of two, or 0 */
    size_t n;
    char *dir;               /* the last folder asked for, with its id, or NULL */
    sqlite3_int64 dir_id;
};

static size_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return (size_t)(h ^ h >> 32);
}

static size_t hash_text(const char *s) { return hash_bytes(s, strlen(s)); }

void omb_store_names_forget(omb_store *st)
{
    struct omb_name_cache *c = st->names;
    if (!c) return;
    for (size_t i = 0; i < c->cap; i++) {
        free(c->slots[i].spelling);
        free(c->slots[i].name);
    }
    for (size_t i = 0; i < TEXT_SLOTS; i++) free(c->texts[i].text);
    free(c->slots);
    free(c->dir);
    free(c);
    st->names = NULL;
}

/* Doubles the table (or makes the first); 0, or -1 out of memory. */
static int grow(struct omb_name_cache *c)
{
    size_t cap = c->cap ? c->cap * 2 : 64;
    struct name_slot *slots = calloc(cap, sizeof *slots);
    if (!slots) return -1;
    for (size_t i = 0; i < c->cap; i++) {
        if (!c->slots[i].spelling) continue;
        size_t j = hash_text(c->slots[i].spelling) & (cap - 1);
        while (slots[j].spelling) j = (j + 1) & (cap - 1);
        slots[j] = c->slots[i];
    }
    free(c->slots);
    c->slots = slots;
    c->cap = cap;
    return 0;
}

/* Asks the register (S_REGISTER_NAME, the same SQL the merge rule had
 * inline): a malloc'd copy of its name, or NULL when the name is the
 * spelling itself; *ok is 0 on an error. */
static char *ask_register(omb_store *st, const char *spelling, int *ok)
{
    *ok = 0;
    sqlite3_stmt *s = stmt(st, S_REGISTER_NAME);
    if (!s) return NULL;
    sqlite3_bind_text(s, 1, spelling, -1, SQLITE_STATIC);
    char *name = NULL;
    if (sqlite3_step(s) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(s, 0);
        *ok = 1;
        if (t && strcmp(t, spelling) && !(name = strdup(t))) *ok = 0;
    }
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return name;
}

/* The text's slot, made (with nothing known yet) when it has none; NULL out
 * of memory. */
static struct name_slot *slot_for(omb_store *st, const char *text)
{
    if (!st->names && !(st->names = calloc(1, sizeof *st->names))) return NULL;
    struct omb_name_cache *c = st->names;
    if ((c->n + 1) * 4 > c->cap * 3 && grow(c)) return NULL;
    size_t i = hash_text(text) & (c->cap - 1);
    for (; c->slots[i].spelling; i = (i + 1) & (c->cap - 1))
        if (!strcmp(c->slots[i].spelling, text)) return &c->slots[i];
    if (!(c->slots[i].spelling = strdup(text))) return NULL;
    c->n++;
    return &c->slots[i];
}

const char *omb_store_register_name(omb_store *st, const char *spelling)
{
    if (!spelling) return NULL;
    struct name_slot *slot = slot_for(st, spelling);
    if (!slot) return NULL;
    if (!slot->named) {
        int ok;
        slot->name = ask_register(st, spelling, &ok);
        if (!ok) return NULL;
        slot->named = 1;
    }
    return slot->name ? slot->name : slot->spelling;
}

/* Runs statement id with text (len bytes) bound at ?1: the integer in its
 * first column, or 0 when it gives no row; *ok cleared on an error. */
static sqlite3_int64 step_id(omb_store *st, enum stmt_id id, const char *text, size_t len, int *ok)
{
    sqlite3_stmt *s = stmt(st, id);
    if (!s) return *ok = 0;
    sqlite3_bind_text(s, 1, text, (int)len, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    sqlite3_int64 v = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) *ok = 0;
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return v;
}

/* The id of text in case_terms, added when it is new; 0 on an error. */
static sqlite3_int64 ask_term(omb_store *st, const char *text)
{
    int ok = 1;
    size_t len = strlen(text);
    sqlite3_int64 id = step_id(st, S_FIND_TERM, text, len, &ok);
    if (id || !ok) return id;
    step_id(st, S_ADD_TERM, text, len, &ok);
    return ok ? sqlite3_last_insert_rowid(st->db) : 0;
}

sqlite3_int64 omb_store_term(omb_store *st, const char *text)
{
    struct name_slot *slot = text ? slot_for(st, text) : NULL;
    if (!slot) return 0;
    if (slot->term) return slot->term;
    struct omb_name_cache *c = st->names;
    sqlite3_int64 id = ask_term(st, text);
    /* an error that rolled the transaction back has forgotten the slot */
    if (st->names == c) slot->term = id;
    return id;
}

sqlite3_int64 omb_store_dir(omb_store *st, const char *path, size_t len)
{
    if (!st->names && !(st->names = calloc(1, sizeof *st->names))) return 0;
    struct omb_name_cache *c = st->names;
    if (c->dir && strlen(c->dir) == len && !memcmp(c->dir, path, len)) return c->dir_id;
    int ok = 1;
    step_id(st, S_INSERT_DIR, path, len, &ok);
    if (st->names != c) return 0; /* the insert failed and rolled back */
    sqlite3_int64 id = ok ? step_id(st, S_FIND_DIR, path, len, &ok) : 0;
    if (!ok || !id) return 0;
    char *copy = malloc(len + 1);
    if (!copy) return 0;
    memcpy(copy, path, len);
    copy[len] = '\0';
    free(c->dir);
    c->dir = copy;
    c->dir_id = id;
    return id;
}

/* The id of text in texts, added when it is new; 0 on an error. */
static sqlite3_int64 ask_text(omb_store *st, const char *text, size_t len)
{
    int ok = 1;
    sqlite3_int64 id = step_id(st, S_FIND_TEXT, text, len, &ok);
    if (id || !ok) return id;
    step_id(st, S_ADD_TEXT, text, len, &ok);
    return ok ? sqlite3_last_insert_rowid(st->db) : 0;
}

sqlite3_int64 omb_store_text(omb_store *st, const char *text)
{
    if (!text) return 0;
    size_t len = strlen(text);
    if (len > TEXT_MAX) return ask_text(st, text, len);
    if (!st->names && !(st->names = calloc(1, sizeof *st->names))) return 0;
    struct omb_name_cache *c = st->names;
    struct text_slot *slot = &c->texts[hash_bytes(text, len) & (TEXT_SLOTS - 1)];
    if (slot->text && slot->len == len && !memcmp(slot->text, text, len)) return slot->id;
    sqlite3_int64 id = ask_text(st, text, len);
    /* an error that rolled the transaction back has forgotten the table */
    if (!id || st->names != c) return id;
    char *copy = malloc(len + 1);
    if (copy) {
        memcpy(copy, text, len + 1);
        free(slot->text);
        *slot = (struct text_slot){copy, len, id};
    }
    return id;
}
