/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * remedy.h -- the one remedy extractor: finds apologies, payments (with their
 * amounts and purposes), waivers, services and other remedies in a passage of
 * prose such as an "Agreed action" section or an annex "Remedy" cell.  Plugins
 * reach it through host->case_extract_remedies; normalisers are normalise.h.
 */
#ifndef OMB_REMEDY_H
#define OMB_REMEDY_H

#include <stddef.h>
#include <stdint.h>

/* Called once per remedy found.  `purposes` is a ';'-separated list of
 * canonical purposes ("avoidable distress;time and trouble") or "" and is only
 * valid during the call; text/at locate the clause it came from (at is the
 * byte offset base + position in the passage).  Returns non-zero to stop. */
typedef int (*omb_remedy_fn)(void *ud, int kind, int64_t amount_pence, const char *purposes,
                             const char *text, size_t text_n, size_t at);

/* Scans text[0..n) and calls add for each remedy, in the order written.
 * A payment restated as "a total of £1,950" alongside its parts is not counted
 * again; "waive £6179 of care fees" is a waiver, never a payment.  Returns 0,
 * or the first non-zero value add returned. */
int omb_extract_remedies(const char *text, size_t n, size_t base, omb_remedy_fn add, void *ud);

/* As omb_extract_remedies, with flags for each remedy found: `flags` may
 * hold OMB_REMEDY_PAID_BEFORE (every remedy of the passage was given before
 * the decision) and OMB_EXTRACT_PAID_BEFORE_CUES (mark the payments whose own
 * words say the council already paid or offered them, or paid them before
 * the complaint came to the ombudsman, and an apology "already" made). */
typedef int (*omb_remedy_flags_fn)(void *ud, int kind, int64_t amount_pence, const char *purposes, const char *text,
                                   size_t text_n, size_t at, unsigned flags);
int omb_extract_remedies_flags(const char *text, size_t n, size_t base, unsigned flags, omb_remedy_flags_fn add,
                               void *ud);

/* Writes the canonical purposes named in text[0..n) into out (';'-separated,
 * in a fixed order, no duplicates).  Returns the number found. */
int omb_purposes_of(const char *text, size_t n, char *out, size_t cap);

#endif
