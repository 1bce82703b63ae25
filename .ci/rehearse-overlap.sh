#!/bin/sh
# Three overlapping runs of .github/workflows/benchmark.yml, played with the real sitegen binary
# and the workflow's own scripts on local git repositories, to show that no run's reports are lost:
#
#   run 1: bench -> stash -> publish 1 takes run 1 ... (run 2 stashes meanwhile) ... pushes, clears
#   run 2: bench (one job ok, one whose engine dies: no report) -> stash -> publish 2 queued
#   run 3: bench (an engine left by a cancelled job is stopped first) -> stash -> publish 3 queued,
#          which cancels the queued publish 2 (GitHub keeps one pending job per concurrency group)
#   publish 3 takes runs 2 and 3, merges, builds, pushes results/, and is cancelled before it
#          clears the store; publish 4 (a later run with nothing to measure) takes them again,
#          merges nothing new, and clears the store.
#
#   sh .ci/rehearse-overlap.sh [OUTDIR]     SITEGEN=path/to/sitegen (default build/sitegen)
#
# `origin.git` stands for the repository on GitHub: main holds results/, the branch
# benchmark-pending is the store that outlives runs. Each job works in a fresh clone, as a runner
# does. Ends with "rehearse-overlap: done" when every report reached results/ on main and the site.
set -eu
cd "$(dirname "$0")/.."
SRC=$(pwd)
SITEGEN=${SITEGEN:-build/sitegen}
OUT=${1:-$(mktemp -d "${TMPDIR:-/tmp}/sitegen-overlap.XXXXXX")}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
case "$SITEGEN" in /*) ;; *) SITEGEN="$SRC/$SITEGEN" ;; esac
SCRIPTS="$SRC/.github/scripts"
MODEL=sim/llama-3.1-8b-instruct

say() { echo "rehearse-overlap: $*" >&2; }
fail() { echo "rehearse-overlap: FAILED: $*" >&2; exit 1; }
stale_pid=""
cleanup() {
  if [ -n "$stale_pid" ] && kill -0 "$stale_pid" 2>/dev/null; then kill -TERM "-$stale_pid" 2>/dev/null || true; fi
  for f in "$OUT"/state/engine-*.pgid; do
    [ -s "$f" ] && kill -TERM "-$(cat "$f")" 2>/dev/null || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ -x "$SITEGEN" ] || fail "$SITEGEN is not an executable: build first (cmake --build build)"
for tool in git python3 setsid; do command -v "$tool" >/dev/null 2>&1 || fail "$tool not found"; done
rm -rf "$OUT/origin.git" "$OUT/jobs" "$OUT/state" "$OUT/sitegen-bin"
mkdir -p "$OUT/jobs" "$OUT/state"
export GIT_AUTHOR_NAME=rehearsal GIT_AUTHOR_EMAIL=rehearsal@localhost
export GIT_COMMITTER_NAME=rehearsal GIT_COMMITTER_EMAIL=rehearsal@localhost
export SITEGEN_STATE_DIR="$OUT/state" TELEMETRY=0

say "1/9 origin.git: main with a copy of results/ and site/; the build job's bundle of sitegen"
git init -q --bare -b main "$OUT/origin.git"
seed="$OUT/jobs/seed"
git init -q -b main "$seed"
cp -R "$SRC/results" "$SRC/site" "$seed/"
git -C "$seed" add -A
git -C "$seed" commit -q -m "seed: results/ and site/ of this checkout"
git -C "$seed" push -q "$OUT/origin.git" main
sh "$SCRIPTS/sitegen_bundle.sh" make "$SITEGEN" "$OUT/sitegen-bin" 2> "$OUT/bundle.log" || fail "bundle: $(cat "$OUT/bundle.log")"
BIN="$OUT/sitegen-bin/sitegen"

# A free port for the engines (sim-server --port 0 says which it got).
"$BIN" sim-server --port 0 > "$OUT/probe.log" 2>&1 &
probe=$!
port=""
for _ in $(seq 1 100); do
  port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$OUT/probe.log" | head -n 1)
  [ -n "$port" ] && break
  sleep 0.1
done
kill "$probe" 2>/dev/null || true
wait "$probe" 2>/dev/null || true
[ -n "$port" ] || fail "sim-server printed no 'listening on' line"

# bench RUN NAME SERVE_CMD: one bench job (.github/scripts/bench_job.sh) into RUN's artifacts.
bench() {
  dir="$OUT/jobs/$1/artifacts/report-$2"
  mkdir -p "$dir"
  code=0
  MODEL=$MODEL PRECISION=bf16 ENGINE=sitegen-sim HARDWARE=sim-gpu GPUS=1 BENCHMARK=serving \
  SERVE_CMD="$3" PORT=$port READY_TIMEOUT=20 ENDPOINT=/v1/completions DATASET=random \
  INPUT_LEN=64 OUTPUT_LEN=16 NUM_PROMPTS=8 CONCURRENCY=1,4 SITEGEN="$BIN" OUT="$dir" \
    timeout -k 10 180 sh "$SCRIPTS/bench_job.sh" > "$OUT/jobs/$1/bench-$2.log" 2>&1 || code=$?
  say "   bench $2 of $1: exit $code, $(cat "$dir/bench-status.txt")"
  return 0
}
engine="$BIN sim-server --port $port --model $MODEL --decode-step-ms 1"

# clone JOB: a fresh clone of origin for one job, as actions/checkout makes.
clone() {
  git clone -q "$OUT/origin.git" "$OUT/jobs/$1"
}
# stash RUN NAMES...: the stash job of RUN, whose plan matrix had NAMES.
stash() {
  run=$1
  shift
  names=$(for n in "$@"; do printf '{"name": "%s"},' "$n"; done)
  printf '{"include": [%s]}\n' "${names%,}" > "$OUT/jobs/$run/matrix.json"
  clone "$run-stash"
  (cd "$OUT/jobs/$run-stash" && python3 "$SCRIPTS/pending.py" stash --artifacts "$OUT/jobs/$run/artifacts" \
     --matrix "$OUT/jobs/$run/matrix.json" --run "$run-1" --sitegen "$BIN") > "$OUT/jobs/$run/stash.log" 2>&1 \
    || fail "stash of $run: $(cat "$OUT/jobs/$run/stash.log")"
}
# publish JOB STEP: one step of the publish job, in JOB's clone, as benchmark.yml runs them.
publish() {
  dir="$OUT/jobs/$1"
  log="$OUT/jobs/$1.log"
  case "$2" in
    take) clone "$1" && (cd "$dir" && python3 "$SCRIPTS/pending.py" take --into pending --summary summary.md) ;;
    compare) (cd "$dir" && "$BIN" compare results pending/reports --same-config --markdown compare.md > /dev/null || [ $? = 1 ]) ;;
    merge) (cd "$dir" && "$BIN" merge pending/reports --into results) ;;
    build) (cd "$dir" && "$BIN" build --results results --site site --out _site --base-url /repo/) ;;
    save-results) (cd "$dir" && python3 "$SCRIPTS/pending.py" save-results --message "results: merged by $1") ;;
    clear) (cd "$dir" && python3 "$SCRIPTS/pending.py" clear --into pending) ;;
  esac >> "$log" 2>&1 || fail "$1: $2: $(tail -n 5 "$log")"
}

say "2/9 run 1: bench, stash; publish 1 takes the store"
bench run1 sim-a "$engine"
stash run1 sim-a
publish publish1 take
publish publish1 compare
publish publish1 merge

say "3/9 run 2 stashes while publish 1 is still running (one job's engine dies: no report)"
bench run2 sim-a "$engine"
bench run2 sim-oom "echo 'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB' >&2; exit 1"
stash run2 sim-a sim-oom

say "4/9 publish 1 builds, pushes results/ and clears only what it took"
publish publish1 build
publish publish1 save-results
publish publish1 clear

say "5/9 run 3: an engine a cancelled job left on the runner holds the port; the bench job stops it"
setsid sh -c "echo \$\$ > '$OUT/state/engine-$port.pgid'; exec $engine" > "$OUT/stale-engine.log" 2>&1 &
stale_pid=$!
for _ in $(seq 1 50); do grep -q "listening on" "$OUT/stale-engine.log" && break; sleep 0.1; done
grep -q "listening on" "$OUT/stale-engine.log" || fail "the stale engine did not start"
bench run3 sim-a "$engine"
grep -q "stopping the engine an earlier job left running" "$OUT/jobs/run3/bench-sim-a.log" \
  || fail "run 3's bench job did not stop the stale engine: $(cat "$OUT/jobs/run3/bench-sim-a.log")"
wait "$stale_pid" 2>/dev/null || true  # it was stopped (the port check passed): reap it
stale_pid=""
stash run3 sim-a sim-lost

say "6/9 publish 2 was queued and is cancelled by publish 3 queuing behind it: it never runs"
say "7/9 publish 3 takes runs 2 and 3, builds, pushes results/, and is cancelled before it clears"
for step in take compare merge build save-results; do publish publish3 "$step"; done

say "8/9 publish 4 (a later run) takes them again: merging changes nothing; it clears the store"
for step in take merge build save-results clear; do publish publish4 "$step"; done

say "9/9 every bench report is in results/ on main and in the site"
clone final
git -C "$OUT/jobs/final" fetch -q origin benchmark-pending
left=$(git -C "$OUT/jobs/final" ls-tree -r --name-only FETCH_HEAD | grep -c 'report\.json$' || true)
[ "$left" = 0 ] || fail "the store still holds $left reports"
expected=0
for report in "$OUT"/jobs/run*/artifacts/report-*/report.json; do
  [ -f "$report" ] || continue
  expected=$((expected + 1))
  run_id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["provenance"]["run_id"])' "$report")
  found=$(find "$OUT/jobs/final/results" -path "*/$run_id*" -name report.json | head -n 1)
  [ -n "$found" ] || fail "$report (run id $run_id) is not in results/ on main"
  cmp -s "$report" "$found" || fail "$found differs from the bench job's $report"
  find "$OUT/jobs/publish4/_site" -path "*$run_id*" -name report.json | grep -q . \
    || fail "run $run_id is not in the site publish 4 built"
done
[ "$expected" = 3 ] || fail "expected 3 bench reports (runs 1, 2, 3), found $expected"
grep -q "run run2-1: bench sim-oom: no report: sitegen bench exited" "$OUT/jobs/publish3/summary.md" \
  || fail "publish 3 did not say why run 2's sim-oom job has no report: $(cat "$OUT/jobs/publish3/summary.md")"
grep -q "CUDA out of memory" "$OUT/jobs/publish3/summary.md" || fail "publish 3's summary lacks the engine's last words"
say "done: 3 reports of 3 runs in results/ and the site, 1 job without a report named with its reason; $OUT"
