/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ingest_detect.c -- which source plugin reads a document (ingest.h,
 * omb_detect_format).
 *
 * Probes are guesses: each plugin scores what is distinctive about its
 * family.  A single clear winner (at least OMB_PROBE_THRESHOLD and more than
 * OMB_PROBE_CLOSE ahead of the next) is taken as before, without parsing.
 * When the best scores are close, or none reaches the threshold but the text
 * is clearly about an ombudsman decision (a case reference and the words of a
 * decision), guessing is not good enough: each candidate parses the text and
 * the reading that yields the most known fields wins, the family's rank
 * (decision page 90 over minutes) breaking a tie, then the probe.  A document
 * no candidate reads gets the refusal listing the scores, as before.
 */
#include <stdio.h>
#include <string.h>

#include "ingest.h"
#include "ingest_int.h"
#include "normalise.h"

/* Probes this close to the best are a tie to settle by parsing. */
#define OMB_PROBE_CLOSE 10
#define MAX_PLUGINS 256

/* Does the text name a case reference and use the words of a decision?
 * Then it is "clearly an ombudsman decision or a council report of one", and
 * is never refused for want of a confident probe. */
static int looks_like_decision(const char *text, size_t len)
{
    size_t s, n;
    char ref[11];
    if (!omb_find_ref(text, len, &s, &n, ref)) return 0;
    static const char *const words[] = {"ombudsman", "upheld", "fault", "injustice", "maladministration",
                                        "final decision", "complaint", "remedy", NULL};
    int hits = 0;
    for (const char *const *w = words; *w; w++)
        if (omb_memcasemem(text, len, *w)) hits++;
    return hits >= 2;
}

static int rank_of(const struct omb_loaded_plugin *p)
{
    const struct omb_source_ops *ops = p->desc->ops;
    return ops ? ops->rank : 0;
}

/* How much a plugin reads from the text: the known fields of all its
 * cases, or -1 when it fails or finds no case. */
static long trial_fields(const struct omb_loaded_plugin *p, const char *text, size_t len, const char *path)
{
    struct omb_sink sink;
    omb_sink_init(&sink, text, len, path, p->desc->name);
    long known = -1;
    if (omb_ingest_parse(p, &sink, text, len, path, NULL) == OMB_OK && sink.n_cases) {
        known = 0;
        for (size_t i = 0; i < sink.n_cases; i++) {
            const omb_case *c = sink.cases[i];
            static const int fields[] = {OMB_FIELD_REF,     OMB_FIELD_AUTHORITY, OMB_FIELD_CATEGORY,
                                         OMB_FIELD_SUBCATEGORY, OMB_FIELD_OUTCOME, OMB_FIELD_DECISION_DATE};
            for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++)
                if (c->fields[fields[f]].value) known++;
            if (c->fields[OMB_FIELD_OUTCOME].value && !strcmp(c->fields[OMB_FIELD_OUTCOME].value, "unknown")) known--;
            known += c->n_remedies > 0;
            known += c->n_improvements > 0;
        }
    }
    omb_sink_clear(&sink);
    return known;
}

const struct omb_loaded_plugin *omb_detect_format(const omb_registry *reg, const char *text, size_t len,
                                                  const char *path, char *err, size_t err_cap)
{
    const char *name = omb_doc_name(path);
    int best = -1, second = -1;
    const struct omb_loaded_plugin *winner = NULL;
    int scores[MAX_PLUGINS];
    size_t n = reg->n < MAX_PLUGINS ? reg->n : MAX_PLUGINS;
    for (size_t i = 0; i < n; i++) {
        scores[i] = -1;
        const struct omb_plugin *d = reg->plugins[i].desc;
        if (d->kind != OMB_PLUGIN_SOURCE) continue;
        int s = omb_plugin_probe(&reg->plugins[i], text, len, name);
        if (s < 0) s = 0;
        if (s > 100) s = 100;
        scores[i] = s;
        if (s > best) {
            second = best;
            best = s;
            winner = &reg->plugins[i];
        } else if (s > second) {
            second = s;
        }
    }
    if (winner && best >= OMB_PROBE_THRESHOLD && second < best - OMB_PROBE_CLOSE) return winner;
    /* Close scores, or a decision nobody recognised: let the candidates
     * read it.  Candidates are the close ones at or above the threshold;
     * for a decision below it, every source plugin (a probe of 0 may only
     * mean the page lacks the family's usual furniture). */
    int tied = winner && best >= OMB_PROBE_THRESHOLD;
    if (winner && (tied || looks_like_decision(text, len))) {
        const struct omb_loaded_plugin *pick = NULL;
        long pick_known = -1;
        int pick_rank = 0, pick_score = 0;
        for (size_t i = 0; i < n; i++) {
            if (scores[i] < 0) continue;
            if (tied && (scores[i] < OMB_PROBE_THRESHOLD || scores[i] < best - OMB_PROBE_CLOSE)) continue;
            const struct omb_loaded_plugin *p = &reg->plugins[i];
            long known = trial_fields(p, text, len, path);
            if (known < 0) continue;
            int rank = rank_of(p);
            if (!pick || known > pick_known || (known == pick_known && rank > pick_rank) ||
                (known == pick_known && rank == pick_rank && scores[i] > pick_score)) {
                pick = p;
                pick_known = known;
                pick_rank = rank;
                pick_score = scores[i];
            }
        }
        if (pick) return pick;
        /* none reads a case: a single best probe still parses, so that its
         * own error says what it expected */
        if (tied && best > second) return winner;
    }
    /* list the candidates so the user can choose with --format */
    size_t o = 0;
    o += (size_t)snprintf(err + o, err_cap - o, "%s: %s", path,
                          !winner ? "no source-format plugin is loaded (see `ombuds plugins`)"
                          : tied  ? "several plugins recognise this document equally and none of them reads a case "
                                    "from it"
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
