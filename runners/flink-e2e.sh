#!/usr/bin/env bash
# End to end on a real Flink 1.19 standalone session cluster (runners/flink-cluster.sh): takes (or
# builds) runners/target/quantmini.jar, runs the job over testdata/flatfiles on the Direct runner
# as the reference, starts the cluster, submits the same job to it (flink run, attached; then
# over REST, detached, as the web UI does: the job commits itself), waits, compares the outputs
# (Qlib and quarantine files byte for byte, Parquet rows through DuckDB: CompareOutputs), and
# always stops the cluster. Prints the timings (cluster start, submit, job) and the jar size.
#
#   runners/flink-e2e.sh            # builds the jar if it is missing
#   BUILD=1 runners/flink-e2e.sh    # rebuilds it first (./mvnw -B -q -DskipTests package)
#
# Environment: E2E_WORK (runners/target/flink-e2e), INPUT (testdata/flatfiles), JAVA_OPTS for the
# Direct reference run (-Xmx2g), MVN_ARGS (extra Maven flags, e.g. -o), plus flink-cluster.sh's.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
JAR=$HERE/target/quantmini.jar
WORK=${E2E_WORK:-$HERE/target/flink-e2e}
INPUT=$(cd "${INPUT:-$ROOT/testdata/flatfiles}" && pwd)
CLUSTER=$HERE/flink-cluster.sh
# Two TaskManagers (separate JVMs, no shared memory or spill folder between them), 4 slots in all.
export FLINK_TASKMANAGERS=${FLINK_TASKMANAGERS:-2}
export FLINK_PARALLELISM=${FLINK_PARALLELISM:-4}

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
log() { echo "flink-e2e: $*" >&2; }
peak_rss_mb() { # VmHWM of a live pid, in MB
  awk '/^VmHWM/ { printf "%d", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "?"
}

if [[ ! -f $JAR || -n ${BUILD:-} ]]; then
  t0=$(now)
  # shellcheck disable=SC2086 # MVN_ARGS is a list of flags
  (cd "$ROOT" && ./mvnw -B -q ${MVN_ARGS:-} -DskipTests package)
  log "built $JAR in $(since "$t0") s"
fi
jar_mb=$(du -m "$JAR" | cut -f1)

rm -rf "$WORK"
mkdir -p "$WORK"

t0=$(now)
# shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
java ${JAVA_OPTS:--Xmx2g} -jar "$JAR" run --input="$INPUT" --output="$WORK/direct" >"$WORK/direct.log" 2>&1 \
  || { cat "$WORK/direct.log" >&2; log "the Direct reference run failed"; exit 1; }
direct_s=$(since "$t0")
log "Direct reference: $direct_s s wall"

trap '"$CLUSTER" stop || true' EXIT INT TERM
t0=$(now)
"$CLUSTER" start
start_s=$(since "$t0")

t0=$(now)
"$CLUSTER" submit "$JAR" run --input="$INPUT" --output="$WORK/flink" 2>&1 | tee "$WORK/flink.log"
submit_s=$(since "$t0")
job_line=$(grep -o 'ran [0-9.]* s' "$WORK/flink.log" | tail -n 1 || true)
tm_peak=
for f in "${FLINK_WORK_DIR:-$HERE/target/flink-cluster}"/taskmanager*.pid; do
  tm_pid=$(cat "$f" 2>/dev/null || true)
  tm_peak="$tm_peak $([[ -n $tm_pid ]] && peak_rss_mb "$tm_pid" || echo "?")"
done
jm_pid=$(cat "${FLINK_WORK_DIR:-$HERE/target/flink-cluster}/jobmanager.pid" 2>/dev/null || true)
jm_peak=$([[ -n $jm_pid ]] && peak_rss_mb "$jm_pid" || echo "?")

# The web UI's way: upload over REST and run detached; the job's last step commits it.
REST="http://127.0.0.1:${FLINK_REST_PORT:-18081}"
t0=$(now)
jar_id=$(curl -sf -H 'Expect:' -F "jarfile=@$JAR" "$REST/jars/upload" | sed -n 's|.*"filename":"[^"]*/\([^"/]*\)".*|\1|p')
[[ -n $jar_id ]] || { log "REST upload failed"; exit 1; }
run_body=$(printf '{"entryClass":"com.quantmini.pipeline.QuantMini","parallelism":'"$FLINK_PARALLELISM"',"programArgsList":["run","--runner=FlinkRunner","--attachedMode=false","--input=%s","--output=%s"]}' "$INPUT" "$WORK/rest")
job_id=$(curl -sf -X POST -H 'Content-Type: application/json' "$REST/jars/$jar_id/run" -d "$run_body" \
  | sed -n 's/.*"jobid":"\([0-9a-f]*\)".*/\1/p')
[[ -n $job_id ]] || { log "REST run of $jar_id did not return a job id"; exit 1; }
state=
for _ in $(seq 1 300); do
  state=$(curl -sf "$REST/jobs/$job_id" | grep -o '"state":"[A-Z]*"' | sed -n 1p | cut -d'"' -f4 || true)
  [[ $state == FINISHED || $state == FAILED || $state == CANCELED ]] && break
  sleep 1
done
rest_s=$(since "$t0")
curl -sf -X DELETE "$REST/jars/$jar_id" >/dev/null || true
[[ $state == FINISHED ]] || { log "the REST-submitted job ended $state"; exit 1; }
log "REST detached: job $job_id $state in $rest_s s"

t0=$(now)
"$CLUSTER" stop
stop_s=$(since "$t0")
trap - EXIT INT TERM

# the run summaries (files, rows, symbols, quarantine) must agree too
summary() { grep -E '^(files|rows|qlib):' "$1" | sed 's/; [0-9.]* s$//'; }
if ! diff <(summary "$WORK/direct.log") <(summary "$WORK/flink.log"); then
  log "the run summaries differ"
  exit 1
fi
java -cp "$JAR" com.quantmini.runners.CompareOutputs "$WORK/direct" "$WORK/flink" | tail -n 20
java -cp "$JAR" com.quantmini.runners.CompareOutputs "$WORK/direct" "$WORK/rest" | tail -n 20

log "PASS: jar ${jar_mb} MB; Direct ${direct_s} s; cluster start ${start_s} s; submit ${submit_s} s wall" \
  "(job ${job_line:-ran ? s}); REST detached ${rest_s} s; stop ${stop_s} s; $FLINK_TASKMANAGERS TaskManagers, parallelism $FLINK_PARALLELISM; peak RSS TaskManagers${tm_peak} MB, JobManager ${jm_peak} MB"
