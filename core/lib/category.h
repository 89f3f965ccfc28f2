/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * category.h -- the one table that maps an ombudsman sub-category
 * ("Disabled children") to its category ("Children's care services").
 * Listings that give only the sub-category use it through the host table.
 */
#ifndef OMB_CATEGORY_H
#define OMB_CATEGORY_H
#include <stddef.h>

/* The category of a sub-category (case-insensitive, white space trimmed), or
 * NULL when unknown or ambiguous ("Other" belongs to every category). */
const char *omb_category_of(const char *sub, size_t n);

#endif
