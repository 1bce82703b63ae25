#!/bin/sh
# One bench job of .github/workflows/benchmark.yml and pr-benchmark.yml, on the GPU runner: check
# the sitegen binary's libraries, stop an engine an earlier (cancelled) job left running, start the
# engine through `sitegen bench --serve-cmd`, sweep, validate. Whatever happens, OUT holds
# bench-status.txt (one line: ok, or what failed and why), bench.log and, when the engine started,
# engine.log, so the upload step (if: always()) leaves them in the run.
#
# Reads the plan entry from the environment, as the workflow sets it: MODEL PRECISION ENGINE
# HARDWARE GPUS BENCHMARK SERVE_CMD PORT READY_TIMEOUT ENDPOINT DATASET INPUT_LEN OUTPUT_LEN
# NUM_PROMPTS CONCURRENCY; and SITEGEN (the binary, default sitegen-bin/sitegen), OUT (default
# out), TELEMETRY (1: sample nvidia-smi, the default), SITEGEN_STATE_DIR (where the engine's process
# group is recorded between jobs, default ~/.cache/sitegen), HF_TOKEN and HF_HOME (passed to the
# engine; HF_HOME defaults to ~/.cache/huggingface so models are downloaded once per runner).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
SITEGEN=${SITEGEN:-sitegen-bin/sitegen}
OUT=${OUT:-out}
mkdir -p "$OUT"
STATUS="$OUT/bench-status.txt"
status() { printf '%s\n' "$*" > "$STATUS"; echo "bench_job: $*" >&2; }
status "the bench job stopped before sitegen bench ran (cancelled or lost runner)"

for var in MODEL PRECISION ENGINE HARDWARE GPUS BENCHMARK SERVE_CMD PORT READY_TIMEOUT ENDPOINT \
           DATASET INPUT_LEN OUTPUT_LEN NUM_PROMPTS CONCURRENCY; do
  eval "value=\${$var:-}"
  [ -n "$value" ] || { status "the plan entry gave no $var"; exit 2; }
done

# 1. The binary runs here: every library found, the C library new enough.
if ! sh "$here/sitegen_bundle.sh" check "$SITEGEN" 2> "$OUT/runtime-check.log"; then
  cat "$OUT/runtime-check.log" >&2
  status "sitegen cannot run on this runner: $(tr '\n' ' ' < "$OUT/runtime-check.log")"
  exit 1
fi

# 2. An engine left by a job that was cancelled or lost holds the GPU and the port: stop its whole
# process group (sitegen bench starts --serve-cmd as a group leader and records nothing itself).
STATE=${SITEGEN_STATE_DIR:-$HOME/.cache/sitegen}
mkdir -p "$STATE"
pidfile="$STATE/engine-$PORT.pgid"
if [ -s "$pidfile" ]; then
  group=$(cat "$pidfile")
  if kill -0 "-$group" 2>/dev/null; then
    echo "bench_job: stopping the engine an earlier job left running (process group $group)" >&2
    kill -TERM "-$group" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "-$group" 2>/dev/null || break; sleep 1; done
    kill -KILL "-$group" 2>/dev/null || true
  fi
  rm -f "$pidfile"
fi
if command -v ss >/dev/null 2>&1 && ss -Hltn "sport = :$PORT" | grep -q .; then
  status "port $PORT is in use by a process no bench job started ($(ss -Hltnp "sport = :$PORT" | head -n 1)): stop it or give the plan entry another port"
  exit 1
fi

# 3. The engine's environment: a Hugging Face token for gated models (optional) and a model cache
# that outlives the job.
export HF_HOME="${HF_HOME:-$HOME/.cache/huggingface}"
if [ -n "${HF_TOKEN:-}" ]; then export HF_TOKEN; else unset HF_TOKEN 2>/dev/null || true; fi

# 4. The sweep. The shell that runs SERVE_CMD records its process group, then becomes the engine.
telemetry=""
[ "${TELEMETRY:-1}" = 1 ] && telemetry="--telemetry"
serve="echo \$\$ > '$pidfile'; exec $SERVE_CMD"
rm -f "$OUT/report.json"
code=0
# shellcheck disable=SC2086
"$SITEGEN" bench --serve-cmd "$serve" --ready-timeout "$READY_TIMEOUT" \
  --base-url "http://127.0.0.1:$PORT" --endpoint "$ENDPOINT" --model "$MODEL" \
  --dataset-name "$DATASET" --random-input-len "$INPUT_LEN" --random-output-len "$OUTPUT_LEN" \
  --num-prompts "$NUM_PROMPTS" --max-concurrency "$CONCURRENCY" \
  --set "system.model.precision=$PRECISION" --set "system.engine.name=$ENGINE" \
  --set "system.gpu.model=$HARDWARE" --set "system.gpu.count=$GPUS" \
  --benchmark "$BENCHMARK" $telemetry --out "$OUT/report.json" > "$OUT/bench.log" 2>&1 || code=$?
cat "$OUT/bench.log" >&2
rm -f "$pidfile"

if [ "$code" != 0 ]; then
  why=$(sed -n 's/^sitegen: error: //p' "$OUT/bench.log" | tail -n 1)
  engine_tail=""
  [ -f "$OUT/engine.log" ] && engine_tail=" | engine.log ends: $(tail -n 3 "$OUT/engine.log" | tr '\n' ' ')"
  if [ -f "$OUT/report.json" ]; then
    status "sitegen bench exited $code with a partial report: ${why:-see bench.log}$engine_tail"
  else
    status "sitegen bench exited $code: ${why:-see bench.log}$engine_tail"
  fi
  exit "$code"
fi
if ! "$SITEGEN" validate "$OUT/report.json" > "$OUT/validate.log" 2>&1; then
  status "report.json does not validate: $(head -n 3 "$OUT/validate.log" | tr '\n' ' ')"
  exit 1
fi
status "ok"
