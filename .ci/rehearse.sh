#!/bin/sh
# The benchmark pipeline of .github/workflows/benchmark.yml, rehearsed on a machine with no GPU:
# sitegen sim-server as the engine (started by `sitegen bench --serve-cmd`, as a runner starts
# vLLM) -> a bench sweep -> compare with results/ (and a planted regression: a slower engine must
# fail the gate) -> merge into a copy of results/ -> build the site -> headless Chromium loads it.
#
#   sh .ci/rehearse.sh [OUTDIR]       SITEGEN=path/to/sitegen (default build/sitegen)
#
# Everything lands under OUTDIR (default: a new temporary directory). Each step has a time
# limit, and the engine is stopped on exit whatever happened, so the script always ends.
set -eu
cd "$(dirname "$0")/.."
SITEGEN=${SITEGEN:-build/sitegen}
OUT=${1:-$(mktemp -d "${TMPDIR:-/tmp}/sitegen-rehearsal.XXXXXX")}
MODEL=sim/llama-3.1-8b-instruct
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
case "$SITEGEN" in /*) ;; *) SITEGEN="$(pwd)/$SITEGEN" ;; esac

say() { echo "rehearse: $*" >&2; }
fail() { echo "rehearse: FAILED: $*" >&2; exit 1; }

probe_pid=""
cleanup() {
  for pid in "$probe_pid" "$(cat "$OUT/engine.pid" 2>/dev/null || true)"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null || true; fi
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ -x "$SITEGEN" ] || fail "$SITEGEN is not an executable: build first (cmake --build build)"
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
[ -n "$CHROMIUM" ] || fail "chromium not found: run sh .ci/install --with-browser"
rm -rf "$OUT/artifacts" "$OUT/slower" "$OUT/results" "$OUT/_site" "$OUT/engine.pid"

say "1/8 find a free port (sim-server --port 0)"
: > "$OUT/probe.log"
"$SITEGEN" sim-server --port 0 > "$OUT/probe.log" 2>&1 &
probe_pid=$!
port=""
for _ in $(seq 1 100); do
  port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$OUT/probe.log" | head -n 1)
  [ -n "$port" ] && break
  sleep 0.1
done
kill "$probe_pid" 2>/dev/null || true
wait "$probe_pid" 2>/dev/null || true
probe_pid=""
[ -n "$port" ] || fail "sim-server printed no 'listening on' line: $(cat "$OUT/probe.log")"

# bench_sweep DIR DECODE_MS: one sweep against a fresh engine, as the benchmark job runs it.
# bench runs --serve-cmd with /bin/sh -c; the pid file lets the cleanup stop the engine if bench cannot.
bench_sweep() {
  serve="echo \$\$ > $OUT/engine.pid; exec $SITEGEN sim-server --port $port --model $MODEL --decode-step-ms $2"
  timeout -k 10 300 "$SITEGEN" bench --serve-cmd "$serve" --ready-timeout 30 \
    --base-url "http://127.0.0.1:$port" --model "$MODEL" \
    --dataset-name random --random-input-len 128 --random-output-len 32 \
    --num-prompts 24 --max-concurrency 1,4,8 --timeout 60 \
    --set system.model.precision=bf16 --set system.gpu.model=sim-gpu --set system.gpu.count=1 \
    --set system.engine.name=sitegen-sim \
    --out "$1/report.json"
}

say "2/8 bench a sweep, the engine started by --serve-cmd (port $port)"
bench_sweep "$OUT/artifacts/report-rehearsal" 2 || fail "sitegen bench"
"$SITEGEN" validate "$OUT/artifacts" || fail "the report does not validate"

say "3/8 compare with results/ (as the publish job does) and with itself (an unchanged run passes)"
mkdir -p "$OUT/results"
if [ -d results ]; then cp -R results/. "$OUT/results/"; fi
if find "$OUT/results" -name report.json | grep -q .; then
  timeout 120 "$SITEGEN" compare "$OUT/results" "$OUT/artifacts" --same-config --markdown "$OUT/compare-main.md" \
    > /dev/null || fail "sitegen compare results artifacts"
fi
timeout 120 "$SITEGEN" compare "$OUT/artifacts" "$OUT/artifacts" --fail-on-regression \
  --markdown "$OUT/compare.md" > /dev/null || fail "sitegen compare flagged an unchanged run"

say "4/8 the gate catches a planted regression: the engine's decode step 2 ms -> 4 ms"
bench_sweep "$OUT/slower" 4 || fail "sitegen bench (slower engine)"
if timeout 120 "$SITEGEN" compare "$OUT/artifacts" "$OUT/slower" --fail-on-regression \
     --markdown "$OUT/compare-slower.md" > /dev/null; then
  fail "sitegen compare passed an engine twice as slow per token"
fi
grep -q "regressed: .* and p" "$OUT/compare-slower.md" || fail "the slower run was not flagged by the rank test"

say "5/8 merge into a copy of results/"
timeout 120 "$SITEGEN" merge "$OUT/artifacts" --into "$OUT/results" || fail "sitegen merge"
find "$OUT/results" -path '*sim-gpu-1gpu*' -name report.json | grep -q . \
  || fail "the merged results hold no report of this run"

say "6/8 build the site"
timeout 300 "$SITEGEN" build --results "$OUT/results" --site site --out "$OUT/_site" || fail "sitegen build"
[ -f "$OUT/_site/index.html" ] || fail "the site has no index.html"

say "7/8 load the index in headless Chromium"
timeout -k 5 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
  --disable-quic --no-first-run --disable-background-networking --disable-component-update \
  --disable-sync --user-data-dir="$OUT/chromium-profile" --virtual-time-budget=5000 \
  --dump-dom "file://$OUT/_site/index.html" > "$OUT/index.dom.html" 2> "$OUT/chromium.log" \
  || fail "chromium could not load the site: $(tail -n 5 "$OUT/chromium.log")"
grep -q "$MODEL" "$OUT/index.dom.html" || fail "the rendered index does not show the benchmarked model"
grep -q "<svg" "$OUT/index.dom.html" || fail "the rendered index has no chart"

say "8/8 done: $OUT"
