/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * category.c -- the ombudsman's category / sub-category tree, kept here once.
 * The names follow the ombudsman's own published lists.  Council-side subject
 * names ("Handling of Education, Health and Care Plan") are a separate,
 * user-extensible mapping in the authority register, not here.
 */
#include "category.h"

#include <string.h>
#include <strings.h>

static const struct {
    const char *sub, *category;
} tree[] = {
    {"Special educational needs", "Education"},
    {"Alternative provision", "Education"},
    {"School transport", "Education"},
    {"Admissions", "Education"},
    {"School admissions", "Education"},
    {"Elective home education", "Education"},
    {"Exclusions", "Education"},
    {"Disabled children", "Children's care services"},
    {"Looked after children", "Children's care services"},
    {"Child protection", "Children's care services"},
    {"Fostering", "Children's care services"},
    {"Adoption", "Children's care services"},
    {"Special guardianship", "Children's care services"},
    {"Friends and family carers", "Children's care services"},
    {"Assessment and care plan", "Adult care services"},
    {"Charging", "Adult care services"},
    {"Direct payments", "Adult care services"},
    {"Safeguarding", "Adult care services"},
    {"Residential care", "Adult care services"},
    {"Domiciliary care", "Adult care services"},
    {"Transport", "Adult care services"},
    {"Homelessness", "Housing"},
    {"Allocations", "Housing"},
    {"Council house repairs", "Housing"},
    {"Disabled facilities grants", "Housing"},
    {"Private housing", "Housing"},
    {"Enforcement", "Planning"},
    {"Planning applications", "Planning"},
    {"Council tax", "Benefits and tax"},
    {"Housing benefit and council tax reduction", "Benefits and tax"},
    {"Business rates", "Benefits and tax"},
    {"Refuse and recycling", "Environmental services"},
    {"Noise", "Environmental services"},
    {"Antisocial behaviour", "Environmental services"},
    {"Pollution", "Environmental services"},
    {"Parking and other penalties", "Highways and transport"},
    {"Highway repair and maintenance", "Highways and transport"},
    {"Traffic management", "Highways and transport"},
    {"Cemeteries and crematoria", "Environmental services"},
    {"Land", "Corporate and other services"},
};

const char *omb_category_of(const char *sub, size_t n)
{
    while (n && (*sub == ' ' || *sub == '\t')) sub++, n--;
    while (n && (sub[n - 1] == ' ' || sub[n - 1] == '\t' || sub[n - 1] == '.')) n--;
    for (size_t k = 0; k < sizeof tree / sizeof tree[0]; k++)
        if (strlen(tree[k].sub) == n && strncasecmp(tree[k].sub, sub, n) == 0) return tree[k].category;
    return NULL;
}
