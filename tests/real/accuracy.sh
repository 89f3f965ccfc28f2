#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# accuracy.sh -- the TAP wrapper `make check` runs over tests/real/: every
# field of every document must agree with its family's truth.tsv
# (tests/real/accuracy.py --tap; one TAP test per family and field).
: "${OMBUDS:?OMBUDS must point at the ombuds program}"
: "${SRCDIR:?SRCDIR must point at the source tree}"
if ! command -v python3 >/dev/null 2>&1; then echo "ok 1 # SKIP python3 not found"; echo "1..1"; exit 0; fi
exec python3 "$SRCDIR/tests/real/accuracy.py" --tap --ombuds "$OMBUDS" --real "$SRCDIR/tests/real"
