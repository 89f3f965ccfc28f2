/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * themes.h -- classifying a service improvement's text by action and by
 * subject with the rules in data/improvement_themes.tsv (plus the user's
 * additions), and picking out statutory references ("section 19 of the
 * Education Act 1996").  Shared by the improvement_themes and
 * repeat_findings metric plugins, each of which links its own copy; it
 * reaches the data file through host->read_data, like all plugin I/O.
 */
#ifndef OMB_THEMES_H
#define OMB_THEMES_H

#include <ombuds/plugin.h>
#include <stddef.h>

struct themes; /* the loaded rules (themes.c) */

enum theme_kind { THEME_ACTION = 0, THEME_SUBJECT = 1, THEME_REFERENCE = 2 };

#define THEMES_MAX_MATCH 16 /* themes of one kind one text may match */
#define THEMES_REF_LEN 120  /* longest statutory reference kept */

/* The rules, loaded once per process (read_data is cheap, but SQL calls the
 * scalar classifiers once per row).  NULL with a call_error recorded when
 * the file is missing or malformed. */
const struct themes *themes_get(omb_call *ctx);

/* Names of the themes of `kind` (THEME_ACTION or THEME_SUBJECT) whose
 * phrases occur in text, in rule-file order, each once; returns how many
 * (at most max).  The names live as long as the rules. */
int themes_match(const struct themes *t, int kind, const char *text, const char **out, int max);

/* Statutory references in text, normalised ("section 19 of the Education
 * Act 1996", "Care Act 2014"), each once; returns how many (at most max). */
int themes_refs(const char *text, char out[][THEMES_REF_LEN], int max);

/* Joins names with "; " into buf (cap bytes); returns buf, or NULL for none. */
const char *themes_join(const char *const *names, int n, char *buf, size_t cap);

/* "action", "subject" or "reference". */
const char *themes_kind_name(int kind);

#endif
