#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# run.sh -- runs the fuzz targets built by `make fuzz`, each for SECONDS, on a
# working corpus in tests/fuzz/corpus/<target> (in the build dir, never
# committed) seeded from the test fixtures, the shared seed documents when
# they are there, and the saved regressions.  A crash does not end a target's
# time: libFuzzer is started again on the grown corpus until the time is
# spent (libFuzzer's own -fork mode does this too, but re-reads the corpus for
# every job and ran ten times slower here).  Crashing inputs land in
# tests/fuzz/crashes/<target>/; once fixed, copy each into
# $SRCDIR/tests/fuzz/regressions/<target>/.  Logs are
# tests/fuzz/logs/<target>.<start time>.<n>.log; a summary line per target (seconds,
# executions, cov, ft, crashes) is printed and appended to
# tests/fuzz/logs/summary.txt for docs/testing.md.
#   usage: run.sh SECONDS TARGET...   (run from the build dir)
set -u
secs=$1; shift
here=$(cd "$(dirname "$0")" && pwd)   # the source tree's tests/fuzz
src=$(cd "$here/../.." && pwd)
seeds=${SEEDS:-$src/../shared/seeds}
mkdir -p tests/fuzz/corpus tests/fuzz/crashes tests/fuzz/logs
status=0
for t in "$@"; do
  name=$(basename "$t")
  corpus=tests/fuzz/corpus/$name
  crashes=tests/fuzz/crashes/$name
  mkdir -p "$corpus" "$crashes"
  # seeds: every fixture (they are small) and the real seed documents
  for f in "$src"/tests/golden/*/*.txt "$src"/tests/golden/*/*.csv "$src"/tests/fixtures/*.txt \
           "$src"/samples/*.txt "$seeds"/*.txt "$here"/regressions/"$name"/*; do
    [ -f "$f" ] && cp "$f" "$corpus/seed-$(basename "$f")"
  done
  start=$(date +%s); end=$((start + secs)); runs=0; execs=0; found=0; last=
  while :; do
    left=$((end - $(date +%s)))
    [ "$left" -gt 5 ] || break
    runs=$((runs + 1)); log=tests/fuzz/logs/$name.$start.$runs.log
    "$t" -max_total_time="$left" -dict="$here/ombuds.dict" -artifact_prefix="$crashes/" -max_len=65536 \
      -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "$corpus" >"$log" 2>&1
    rc=$?
    e=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log"); execs=$((execs + ${e:-0}))
    l=$(grep -E '^#[0-9]+[[:space:]]' "$log" | grep 'cov:' | tail -1); [ -n "$l" ] && last=$l
    if [ "$rc" -ne 0 ]; then
      found=$((found + 1)); status=1
      echo "   $name: run $runs stopped (exit $rc): $(grep -m1 -E 'ERROR:|invariant broken|runtime error' "$log")"
      # a corpus input that crashes would stop every restart at once: drop it
      crash=$(sed -n "s/.*Test unit written to \(.*\)/\1/p" "$log" | tail -1)
      if [ -n "$crash" ] && [ -f "$crash" ]; then
        for c in "$corpus"/*; do cmp -s "$c" "$crash" && rm -f "$c"; done
      fi
      [ "$found" -ge 20 ] && { echo "   $name: 20 crashes, giving up on this target"; break; }
    fi
  done
  cov=$(echo "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p'); ft=$(echo "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
  line="$name: $(( $(date +%s) - start ))s, $execs execs, cov: $cov ft: $ft, $found crash(es), corpus $(ls "$corpus" | wc -l) files"
  echo "$line" | tee -a tests/fuzz/logs/summary.txt
done
exit $status
