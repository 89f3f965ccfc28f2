/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ombuds/plugin.h -- the only header a plugin author includes.
 *
 * It defines the plugin descriptor every plugin exports under the symbol
 * `ombuds_plugin`, the operations of source-format and metric plugins, and
 * the host table through which a plugin calls back into the core.  It pulls in
 * no core, Lua, SQLite or libffi header: plugins link against nothing of ours
 * (SQLite's sqlite3ext.h idea).  The core's side lives in core/host.c and
 * core/plugin_loader.c.
 *
 * Compatibility rule: fields of struct omb_plugin and struct omb_host are only
 * ever appended.  The core reads a field only when `struct_size` (or the host's
 * `size`) covers it.  Removing or changing the meaning of a field bumps
 * OMB_PLUGIN_ABI_VERSION, and the loader then refuses older plugins.
 */
#ifndef OMBUDS_PLUGIN_H
#define OMBUDS_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define OMB_PLUGIN_ABI_VERSION 1

#if defined(__GNUC__) || defined(__clang__)
#define OMB_PLUGIN_EXPORT __attribute__((visibility("default")))
#define OMB_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define OMB_PLUGIN_EXPORT
#define OMB_PRINTF(f, a)
#endif

/* Status codes shared by the core and plugins.  OMB_OK is 0; anything else
 * is a failure.  A plugin's parse returns one of these. */
enum omb_status {
    OMB_OK = 0,
    OMB_ENOMEM,  /* out of memory */
    OMB_EIO,     /* reading or writing a file failed */
    OMB_EPARSE,  /* the document is not what the plugin expected */
    OMB_EPLUGIN, /* a plugin misbehaved or could not be loaded */
    OMB_ESTORE,  /* SQLite reported an error */
    OMB_EINVAL,  /* a caller passed a bad argument */
    OMB_EINTR,   /* the user interrupted the work */
    OMB_ENOTFOUND
};

enum omb_plugin_kind { OMB_PLUGIN_SOURCE = 1, OMB_PLUGIN_METRIC = 2 };

/* What a remedy is.  Payments carry an amount (or OMB_AMOUNT_UNKNOWN for "a
 * symbolic payment"); a waiver is money the council stops asking for (fees
 * waived, a debt written off) and is never counted as a payment. */
enum omb_remedy_kind {
    OMB_REMEDY_APOLOGY = 1,
    OMB_REMEDY_PAYMENT = 2,
    OMB_REMEDY_WAIVER = 3,
    OMB_REMEDY_SERVICE = 4,
    OMB_REMEDY_OTHER = 5
};

#define OMB_AMOUNT_UNKNOWN ((int64_t)-1)

/* Flags of a remedy (struct omb_remedy_in, case_extract_remedies_flags).
 * PAID_BEFORE: money the council already paid or offered (or an apology it
 * already made) before the decision, which the ombudsman accepts as (part
 * of) the remedy; it counts in the case's total like any payment. */
#define OMB_REMEDY_PAID_BEFORE 0x1u
/* Only for case_extract_remedies_flags: let the extractor mark PAID_BEFORE
 * itself where a payment's own words say "already", "offered" or "before"
 * (right for a decision's text; wrong for minutes written after it, where
 * "had already paid" reports compliance). */
#define OMB_EXTRACT_PAID_BEFORE_CUES 0x100u

/* One remedy, for host->case_add_remedy_in.  Set struct_size to
 * sizeof(struct omb_remedy_in): fields are only ever appended, and the core
 * reads a field only when struct_size covers it (a field it does not get
 * counts as 0). */
struct omb_remedy_in {
    uint32_t struct_size;
    int kind;             /* enum omb_remedy_kind */
    int64_t amount_pence; /* or OMB_AMOUNT_UNKNOWN */
    const char *purposes; /* ';'-separated, or NULL */
    const char *text;
    size_t n;
    size_t at;
    uint32_t flags; /* OMB_REMEDY_PAID_BEFORE */
};

/* Is a member of the host table there?  A plugin built against a newer
 * header may run on an older core: check before calling a late member,
 * e.g. OMB_HOST_HAS(h, case_add_remedy_in). */
#define OMB_HOST_HAS(h, member) ((h)->size >= offsetof(struct omb_host, member) + sizeof((h)->member))

/* Scalar facts of a case.  The core normalises REF (to "YY NNN NNN", keeping
 * the text as written), OUTCOME (to its fixed vocabulary) and DECISION_DATE
 * (to ISO 8601); the others are stored as given, with white space folded. */
enum omb_field {
    OMB_FIELD_REF = 1,
    OMB_FIELD_AUTHORITY,
    OMB_FIELD_CATEGORY,
    OMB_FIELD_SUBCATEGORY,
    OMB_FIELD_OUTCOME,
    OMB_FIELD_DECISION_DATE,
    OMB_FIELD_SUMMARY,
    OMB_FIELD_ROW_KEY,      /* identifies a case that has no reference (e.g. "row 12") */
    OMB_FIELD_COUNCIL_SUBJECT, /* a council's own subject heading for the case */
    OMB_FIELD__COUNT
};

typedef struct omb_sink omb_sink;          /* one document being parsed (opaque) */
typedef struct omb_builder omb_builder;    /* one case being built (opaque) */
typedef struct omb_call omb_call;          /* one call of a metric function (below) */
struct omb_value;                          /* a value crossing to or from a metric (below) */

/* Called by host->query once per result row: `cols[0..n_cols)` and their
 * `names` are valid only during the call.  A non-zero return stops the query
 * and becomes query's return value. */
typedef int (*omb_row_fn)(void *ud, int n_cols, const struct omb_value *cols, const char *const *names);
/* Called by host->read_data once per line (without its newline). */
typedef int (*omb_line_fn)(void *ud, const char *path, size_t lineno, const char *text, size_t n);

/* The document handed to a source plugin's parse.  `text` is valid UTF-8
 * (the core converted it if needed), NUL-terminated at text[len]. */
struct omb_doc {
    const char *text;
    size_t len;
    const char *path;      /* as given on the command line */
    const char *name;      /* the file name without directories */
    const char *authority; /* --authority from the user, or NULL */
};

/*
 * The host table: every service the core offers to plugins.  Offsets `at` are
 * byte offsets into doc->text; the core turns them into line numbers for
 * provenance.  Strings are (pointer, length) pairs that the core copies before
 * the call returns, so a plugin may pass pointers into the document or into
 * its own scratch buffers.
 *
 * Functions returning int return OMB_OK or an omb_status; after a failure the
 * plugin must stop and return that status from parse.
 */
struct omb_host {
    uint32_t abi_version; /* OMB_PLUGIN_ABI_VERSION of the core */
    uint32_t size;        /* sizeof(struct omb_host) in the core */

    /* -- building cases ------------------------------------------------- */
    /* Starts a case read at offset `at`.  Returns NULL only when out of memory. */
    omb_builder *(*case_begin)(omb_sink *sink, size_t at);
    /* Sets a scalar field.  Setting a field twice keeps the last value. */
    int (*case_set)(omb_builder *b, enum omb_field field, const char *p, size_t n, size_t at);
    /* Adds one remedy.  `purposes` is a ';'-separated list or NULL. */
    int (*case_add_remedy)(omb_builder *b, enum omb_remedy_kind kind, int64_t amount_pence,
                           const char *purposes, const char *text, size_t n, size_t at);
    /* Adds one service improvement (one distinct action). */
    int (*case_add_improvement)(omb_builder *b, const char *text, size_t n, size_t at);
    /* Adds an event (type such as "remedy late"); `date` is free text that
     * the core normalises, or NULL. */
    int (*case_add_event)(omb_builder *b, const char *type, const char *date, size_t date_n,
                          const char *text, size_t n, size_t at);
    /* Runs the core's remedy extractor over a passage and adds what it finds
     * (apologies, payments with amounts and purposes, waivers, services). */
    int (*case_extract_remedies)(omb_builder *b, const char *text, size_t n, size_t at);
    /* Hands the finished case to the core, which frees the builder.  A
     * non-zero return means stop: return it from parse at once. */
    int (*case_end)(omb_builder *b);
    /* Drops a case that turned out not to be one. */
    void (*case_discard)(omb_builder *b);

    /* -- facts about the document itself ------------------------------- */
    /* Records a key/value about the document, e.g. "listing_total" = "52". */
    int (*doc_note)(omb_sink *sink, const char *key, const char *value, size_t n, size_t at);
    /* Records an event against an authority when no case reference is known. */
    int (*authority_event)(omb_sink *sink, const char *authority, size_t auth_n, const char *type,
                           const char *date, size_t date_n, const char *text, size_t n, size_t at);
    /* A warning about the document, stored with it and shown to the user. */
    void (*warn)(omb_sink *sink, size_t at, const char *fmt, ...) OMB_PRINTF(3, 4);
    /* Records why parsing failed (file and line are added by the core) and
     * returns OMB_EPARSE for the plugin to return. */
    int (*error)(omb_sink *sink, size_t at, const char *fmt, ...) OMB_PRINTF(3, 4);

    /* -- shared helpers: normalisers every parser needs ----------------- */
    /* Case reference to "YY NNN NNN" in out[11]; returns 1 if it is one. */
    int (*norm_ref)(const char *p, size_t n, char out[11]);
    /* A date as written ("20 Jan 2023", "07-Oct-2021", "9 October 2022",
     * "2023-01-20") to ISO 8601 in out[11]; returns 1 if it is a real date. */
    int (*norm_date)(const char *p, size_t n, char out[11]);
    /* Reads an amount such as "£2,736.50" or "6179" starting at p; returns the
     * bytes consumed (0 when there is no amount or it overflows). */
    size_t (*parse_money)(const char *p, size_t n, int64_t *pence);
    /* The ombudsman category a sub-category belongs to, or NULL. */
    const char *(*category_of)(const char *subcategory, size_t n);
    /* Memory the core may free, and freeing memory the core gave. */
    void *(*alloc)(size_t n);
    void (*free)(void *p);
    /* The 1-based line of an offset in the document. */
    size_t (*line_of)(omb_sink *sink, size_t at);

    /* -- shared helpers: text utilities --------------------------------- */
    /* Case-insensitive search for an ASCII needle in hay[0..n); NULL if absent. */
    const char *(*find_ci)(const char *hay, size_t n, const char *needle);
    /* First case reference standing alone in p[0..n) ("22004577" but not
     * "122004577"): returns 1 and sets *start, *len and out[11] ("YY NNN NNN"). */
    int (*find_ref)(const char *p, size_t n, size_t *start, size_t *len, char out[11]);
    /* First date in p[0..n) in any form norm_date reads; returns 1 and sets
     * *start, *len and out[11] (ISO 8601). */
    int (*find_date)(const char *p, size_t n, size_t *start, size_t *len, char out[11]);
    /* Canonical payment purposes named in p[0..n), ';'-separated into out;
     * returns how many. */
    int (*purposes_of)(const char *p, size_t n, char *out, size_t cap);

    /* -- metric plugins (core/ffi_bridge.c; docs/plugin-api.md) ---------- */
    /* Records why a metric call failed ("expected a year such as 2023, got
     * 20234"); the core raises it as the Lua or SQL error, prefixed with the
     * function's name, once the function returns.  Returns OMB_EINVAL for the
     * function to return.  The first error of a call is the one kept. */
    int (*call_error)(omb_call *ctx, const char *fmt, ...) OMB_PRINTF(2, 3);
    /* Runs one read-only SQL statement on the store, binding params[i] to
     * ?(i+1), and calls row(ud, ...) per result row.  Returns OMB_OK, row's
     * non-zero return, or OMB_ESTORE after recording a call_error (SQL error,
     * a statement that would write, no store open). */
    int (*query)(omb_call *ctx, const char *sql, const struct omb_value *params, int n_params, omb_row_fn row,
                 void *ud);
    /* Result tables (functions whose signature returns `t`): declare every
     * column first, in order (type is an enum omb_value_type, optionally
     * | OMB_COLUMN_CHART for the column charts show by default), then add
     * rows of exactly that many cells.  Strings are copied. */
    int (*table_column)(omb_call *ctx, const char *name, int type);
    int (*table_add_row)(omb_call *ctx, const struct omb_value *cells);
    /* What the result rests on: `used` cases counted, `lacking` cases left
     * out because they lack `what` ("a decision date").  Shown with it. */
    int (*coverage)(omb_call *ctx, int64_t used, int64_t lacking, const char *what);
    /* A line shown under the result ("no population loaded: per_100k empty"). */
    int (*note)(omb_call *ctx, const char *fmt, ...) OMB_PRINTF(2, 3);
    /* A formatted string that lives until the function returns: the way to
     * return a computed `s` result.  NULL when out of memory. */
    const char *(*call_format)(omb_call *ctx, const char *fmt, ...) OMB_PRINTF(2, 3);
    /* Reads the data file `name` ("improvement_themes.tsv"): the shipped copy
     * first, then the user's additions in $XDG_DATA_HOME/ombuds/NAME
     * (~/.local/share/ombuds/NAME); line() per line.  Returns OMB_OK, line's
     * non-zero return, or OMB_ENOTFOUND (recorded as a call_error) when no
     * copy exists at all. */
    int (*read_data)(omb_call *ctx, const char *name, omb_line_fn line, void *ud);

    /* -- remedies with flags (appended; check OMB_HOST_HAS first) -------- */
    /* Adds one remedy described by r (r->struct_size set by the caller). */
    int (*case_add_remedy_in)(omb_builder *b, const struct omb_remedy_in *r);
    /* case_extract_remedies with flags: OMB_REMEDY_PAID_BEFORE marks every
     * remedy of the passage, OMB_EXTRACT_PAID_BEFORE_CUES lets the extractor
     * mark those whose words say so. */
    int (*case_extract_remedies_flags)(omb_builder *b, const char *text, size_t n, size_t at, uint32_t flags);
};

/* Source-format plugin operations. */
struct omb_source_ops {
    /* How sure the plugin is that this is its format, 0-100.  No side effects;
     * `text` is the (converted) document, NUL-terminated. */
    int (*probe)(const char *text, size_t len, const char *filename);
    /* Reads the document and hands each case to the core. */
    int (*parse)(const struct omb_host *host, omb_sink *sink, const struct omb_doc *doc);
    /* Precedence of this family when documents disagree about a case:
     * higher wins (decision pages 90, listings 70, CSV 60, annexes 50). */
    int rank;
};

/* Metric plugins (core/ffi_bridge.c).  `signature` is "RET(ARGS)", one letter
 * per type; see docs/plugin-api.md.  Letters: v void (return only), b bool
 * (C int), i int32_t, I int64_t, d double, s const char * (UTF-8, may be
 * NULL), t result table (return only: the C function returns an int status
 * and builds its rows through host->table_*).  `fn` is called with the hidden
 * first argument `omb_call *ctx`.  `doc` may start "name(arg, arg): ..." to
 * name the arguments in error messages. */
struct omb_metric_fn {
    const char *name;
    const char *signature;
    void (*fn)(void);
    const char *doc;
};

struct omb_metric_ops {
    const struct omb_metric_fn *functions; /* terminated by an entry with name NULL */
};

/* The descriptor.  Export it as
 *   OMB_PLUGIN_EXPORT const struct omb_plugin ombuds_plugin = { ... };    */
struct omb_plugin {
    uint32_t abi_version; /* OMB_PLUGIN_ABI_VERSION at build time */
    uint32_t struct_size; /* sizeof(struct omb_plugin) at build time */
    int kind;             /* enum omb_plugin_kind */
    const char *name;     /* [a-z0-9_]+, unique */
    const char *version;
    const char *description; /* one line */
    const void *ops;      /* struct omb_source_ops or struct omb_metric_ops */
};

#define OMB_PLUGIN_SYMBOL "ombuds_plugin"

/* ---- metric plugins: the call context and values -------------------------
 * A metric function declared with signature "d(si)" is, in C,
 *     double f(omb_call *ctx, const char *s, int32_t i);
 * ctx is the hidden first argument of every metric function: it carries the
 * host table (ctx->host->query, ->table_add_row, ->call_error, ...). */
struct omb_call {
    const struct omb_host *host; /* the host table */
    void *core;                  /* the core's state for this call: do not touch */
};

enum omb_value_type { OMB_VALUE_NULL = 0, OMB_VALUE_INT = 1, OMB_VALUE_REAL = 2, OMB_VALUE_TEXT = 3 };
#define OMB_COLUMN_CHART 0x100 /* or-ed into table_column's type: chart this column by default */

/* A query parameter, a column of a query row, or a cell of a result table.
 * Only the member named by `type` is meaningful. */
struct omb_value {
    int type;      /* enum omb_value_type */
    int64_t i;     /* OMB_VALUE_INT (pence, counts, years) */
    double d;      /* OMB_VALUE_REAL */
    const char *s; /* OMB_VALUE_TEXT: NUL-terminated UTF-8, borrowed */
};

/* Convenience constructors for cells and parameters. */
#define OMB_NULL ((struct omb_value){OMB_VALUE_NULL, 0, 0.0, NULL})
#define OMB_INT(v) ((struct omb_value){OMB_VALUE_INT, (int64_t)(v), 0.0, NULL})
#define OMB_REAL(v) ((struct omb_value){OMB_VALUE_REAL, 0, (double)(v), NULL})
#define OMB_TEXT(v) ((struct omb_value){OMB_VALUE_TEXT, 0, 0.0, (v)})

#ifdef __cplusplus
}
#endif
#endif /* OMBUDS_PLUGIN_H */
