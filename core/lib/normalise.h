/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * normalise.h -- the normalisers every parser needs: case references, dates,
 * money, outcomes and white space.  Pure functions over (pointer, length)
 * with no allocation, so plugins (through the host table), the store and the
 * fuzzers share one copy.  Remedy extraction is in remedy.h.
 */
#ifndef OMB_NORMALISE_H
#define OMB_NORMALISE_H

#include <stddef.h>
#include <stdint.h>

/* Largest amount we accept: £10,000,000,000.00.  Anything above is refused
 * rather than wrapped (no ombudsman remedy comes near it). */
#define OMB_MONEY_MAX_PENCE ((int64_t)1000000000000LL)

/* Reads a case reference written as "22 004 577", "22004577", "(20 004 844)",
 * "22-004-577" or "22/004/577" (the whole of p..p+n, surrounding spaces and
 * brackets allowed) and writes "YY NNN NNN" into out.  Returns 1 on success,
 * 0 when the text is not exactly one reference (e.g. "22 004 57"). */
int omb_norm_ref(const char *p, size_t n, char out[11]);

/* Finds the first case reference in p..p+n that stands alone (not part of a
 * longer run of digits).  On success returns 1 and sets *start and *len to the
 * reference as written and out to its normal form. */
int omb_find_ref(const char *p, size_t n, size_t *start, size_t *len, char out[11]);

/* Reads a date as written ("20 Jan 2023", "9 October 2022", "07-Oct-2021",
 * "Wednesday, 26th February, 2025", "2023-01-20", "20/01/2023") and writes
 * ISO 8601 into out.  Returns 1 only for a real calendar date (no 31 Feb). */
int omb_norm_date(const char *p, size_t n, char out[11]);

/* Finds the first date in p..p+n in any form omb_norm_date reads; returns 1
 * and sets *start, *len and out on success. */
int omb_find_date(const char *p, size_t n, size_t *start, size_t *len, char out[11]);

/* Reads an amount at p: an optional "£" (or "GBP"), optional spaces, digits
 * with optional thousands commas, optional ".dd".  Returns the bytes consumed
 * and the value in *pence, or 0 when there is no amount or it is larger than
 * OMB_MONEY_MAX_PENCE. */
size_t omb_parse_money(const char *p, size_t n, int64_t *pence);

/* Maps an outcome as written ("Upheld", "Not upheld: no maladministration",
 * "Closed after initial enquiries", "Statement Upheld") to the fixed
 * vocabulary; returns "unknown" when nothing matches.  Static string. */
const char *omb_norm_outcome(const char *p, size_t n);

/* Copies p..p+n into out (capacity cap) with runs of white space folded to
 * one space and the ends trimmed.  Returns the length written; the result is
 * cut (on a UTF-8 boundary) if cap is too small.  out is NUL-terminated. */
size_t omb_fold_space(const char *p, size_t n, char *out, size_t cap);

/* Case-insensitive search for an ASCII needle; returns a pointer or NULL. */
const char *omb_memcasemem(const char *hay, size_t n, const char *needle);

#endif
