/* SPDX-License-Identifier: GPL-3.0-or-later */
/* no_descriptor.c -- a shared object without the ombuds_plugin symbol. */
int not_a_plugin(void);
int not_a_plugin(void) { return 42; }
