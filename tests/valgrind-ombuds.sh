#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# valgrind-ombuds.sh -- stands in for the ombuds program in the shell tests
# when VALGRIND is set: runs the real program ($OMBUDS_REAL) under memcheck
# with full leak checking, exiting 99 on any error or leak so the test that
# ran it fails.  Plugins stay loaded (OMBUDS_NO_DLCLOSE) so leaks in them
# keep their symbols.
OMBUDS_NO_DLCLOSE=1 exec ${VALGRIND:-valgrind} --quiet --error-exitcode=99 --leak-check=full \
  --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible \
  --suppressions="$SRCDIR/tests/valgrind.supp" "$OMBUDS_REAL" "$@"
