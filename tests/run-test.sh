#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# run-test.sh -- runs one test (a compiled TAP program or a TAP shell script)
# for automake's TAP driver.  With VALGRIND set (e.g. VALGRIND=valgrind), the
# compiled tests and the ombuds program they start run under memcheck with
# full leak checking (collectd's testwrapper idea); suppressions for
# third-party libraries are in tests/valgrind.supp.
test="$1"; shift
case "$test" in
  *.sh) exec ${SHELL:-/bin/sh} "$test" "$@" ;;
esac
if [ -n "$VALGRIND" ]; then
  exec $VALGRIND --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible \
    --errors-for-leak-kinds=definite,indirect,possible --suppressions="$SRCDIR/tests/valgrind.supp" "$test" "$@"
fi
exec "$test" "$@"
