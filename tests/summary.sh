#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# summary.sh -- adds up the :test-result: lines automake's TAP driver wrote
# into the .trs files of the last `make check` and prints the closing line
# "N passed, N failed, N skipped" that CI reads.  Each TAP "ok" is one test.
dir="${1:-.}"
find "$dir" -name '*.trs' -exec cat {} + 2>/dev/null | awk '
  /^:test-result: PASS/  { pass++ }
  /^:test-result: XFAIL/ { pass++ }
  /^:test-result: FAIL/  { fail++ }
  /^:test-result: XPASS/ { fail++ }
  /^:test-result: ERROR/ { fail++ }
  /^:test-result: SKIP/  { skip++ }
  END { printf "%d passed, %d failed, %d skipped\n", pass, fail, skip }'
