#!/bin/sh
# One fuzz target for FUZZ_SECONDS, called by .ci/fuzz (which sets FUZZ_BUILD_DIR, FUZZ_SCRATCH).
# Prints one line, or the end of the log and where the input that broke it is kept.
set -u
t=$1
seeds=""
[ -d "fuzz/corpus/$t" ] && seeds="fuzz/corpus/$t"
# Inputs up to 64 KiB (larger seeds are cut there): a short run then mutates instead of spending
# its time on the few large fixtures.
max_len=65536
case "$t" in
  import*|value_stream) seeds="$seeds tests/fixtures" ;;
  schema_validator) seeds="$seeds results tests/golden/ingest" ;;
esac
work="$FUZZ_SCRATCH/$t"
mkdir -p "$work"
findings="$FUZZ_BUILD_DIR/fuzz-findings/$t-"
start=$(date +%s)
# shellcheck disable=SC2086
if "$FUZZ_BUILD_DIR/fuzz/fuzz_$t" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" \
    -artifact_prefix="$findings" -print_final_stats=1 "$work" $seeds > "$work.log" 2>&1; then
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work.log")
  echo "fuzz $t: ok, $execs inputs in $(( $(date +%s) - start )) s"
else
  tail -n 40 "$work.log"
  echo "fuzz $t: FAILED; the input is kept as ${findings}*: fix the code, then add the input to fuzz/corpus/$t/"
  exit 255  # xargs stops at the first failed target
fi
