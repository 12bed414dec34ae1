#!/usr/bin/env bash
# A real Flink 1.19 standalone session cluster on 127.0.0.1, built from Maven Central jars
# (flink-dist is not on our mirror): 1 JobManager + 1 TaskManager, each its own JVM, like Flink's
# jobmanager.sh/taskmanager.sh. See runners/README-infra.md.
#
#   runners/flink-cluster.sh start | stop | status | logs [N] | classpath
#   runners/flink-cluster.sh submit APP.jar [pipeline args...]   # fat jar, FlinkRunner over REST
#   runners/flink-cluster.sh flink run -c MAIN APP.jar [args...]  # Flink's own CLI (CliFrontend)
#
# Environment (defaults): FLINK_WORK_DIR (runners/target/flink-cluster), FLINK_REST_PORT (18081),
# FLINK_RPC_PORT (16123), FLINK_TM_RPC_PORT (16124), FLINK_DATA_PORT (16125), FLINK_BLOB_PORT (16126),
# FLINK_QUERY_PORTS (16127-16130), FLINK_TASKMANAGERS (1; each its own JVM, the second and later on
# FLINK_TM_EXTRA_PORTS from 16131: rpc and data port per TaskManager), FLINK_SLOTS (2 per TaskManager),
# FLINK_PARALLELISM (2), FLINK_JM_MEMORY (1200m),
# FLINK_TM_MEMORY (4g), FLINK_START_TIMEOUT (120 s), SUBMIT_JAVA_OPTS (-Xmx1g), and
# FLINK_ENV_FILE: a file of KEY=VALUE lines exported into both cluster JVMs (e.g. AWS_ACCESS_KEY_ID /
# AWS_SECRET_ACCESS_KEY), so secrets stay off command lines. Both need them: the JobManager lists
# s3:// inputs when it creates the input splits, the TaskManager reads and writes.
#
# Measured on the shared 2-core dev box (load average ~6 from other builds, so treat as upper bounds),
# warm ~/.m2, trivial Beam job (TextIO read of 100k lines -> Count -> write) from a 157 MB shaded jar:
#   start:  7.2 s until /overview shows 1 TaskManager with 2 slots (12.9 s the first time, when the
#           class path is resolved with Maven; cached in $FLINK_WORK_DIR/classpath.txt after that)
#   submit: first job after start 25.9 s wall = 14.0 s client (build pipeline, upload jar, submit)
#           + 11.9 s job; next job 13.8 s wall = 8.2 s client + 5.6 s job. FINISHED in /jobs/overview.
#   flink run (CliFrontend, same jar): 16.2 s wall. REST: /jars/upload 0.8 s, /jars/:id/run 3.4 s,
#           job 4-8 s.
#   stop:   1.5-2.6 s (SIGTERM, SIGKILL after 15 s)
#   S3 on the cluster (S3Proxy on loopback, FLINK_ENV_FILE credentials, PathStyleS3ClientBuilderFactory +
#   ClearBucketKeyInterceptor in the jar): s3:// glob read + s3:// write, 26.7 s wall, job 11.2 s.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WORK=${FLINK_WORK_DIR:-$HERE/target/flink-cluster}
REST_PORT=${FLINK_REST_PORT:-18081}
RPC_PORT=${FLINK_RPC_PORT:-16123}
TM_RPC_PORT=${FLINK_TM_RPC_PORT:-16124}
DATA_PORT=${FLINK_DATA_PORT:-16125}
BLOB_PORT=${FLINK_BLOB_PORT:-16126}
QUERY_PORTS=${FLINK_QUERY_PORTS:-16127-16130}
SLOTS=${FLINK_SLOTS:-2}
TMS=${FLINK_TASKMANAGERS:-1}
TM_EXTRA_PORTS=${FLINK_TM_EXTRA_PORTS:-16131}
PARALLELISM=${FLINK_PARALLELISM:-2}
JM_MEMORY=${FLINK_JM_MEMORY:-1200m}
TM_MEMORY=${FLINK_TM_MEMORY:-4g}
START_TIMEOUT=${FLINK_START_TIMEOUT:-120}
HOST=127.0.0.1
REST="http://$HOST:$REST_PORT"
CONF="$WORK/conf"
LOG="$WORK/log"

# Flink's own default JVM flags for Java 17 (not needed by our Beam jobs so far, kept as a precaution)
JAVA_OPENS=(--add-exports=java.base/sun.net.util=ALL-UNNAMED
  --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED)
for p in java.lang java.net java.io java.nio sun.nio.ch java.lang.reflect java.text java.time java.util \
    java.util.concurrent java.util.concurrent.atomic java.util.concurrent.locks; do
  JAVA_OPENS+=("--add-opens=java.base/$p=ALL-UNNAMED")
done

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
log() { echo "flink-cluster: $*" >&2; }
die() { log "$*"; exit 1; }

classpath() {
  local cp="$WORK/classpath.txt" pom="$HERE/flink-dist/pom.xml"
  mkdir -p "$WORK"
  if [[ ! -s $cp || $pom -nt $cp ]]; then
    "$HERE/../mvnw" -B -q -f "$pom" dependency:build-classpath -Dmdep.outputFile="$cp" >&2 \
      || die "could not resolve the Flink class path from $pom"
  fi
  cat "$cp"
}

write_config() {
  mkdir -p "$CONF" "$LOG" "$WORK/tmp" "$WORK/web-tmp" "$WORK/web-upload" "$WORK/blob"
  cat >"$CONF/config.yaml" <<EOF
# written by flink-cluster.sh: every listener on loopback
jobmanager.rpc.address: $HOST
jobmanager.rpc.port: $RPC_PORT
jobmanager.bind-host: $HOST
jobmanager.memory.process.size: $JM_MEMORY
taskmanager.host: $HOST
taskmanager.bind-host: $HOST
taskmanager.rpc.port: $TM_RPC_PORT
taskmanager.data.port: $DATA_PORT
taskmanager.memory.process.size: $TM_MEMORY
taskmanager.numberOfTaskSlots: $SLOTS
# Batch shuffles take at least 512 network buffers each (sort-shuffle), and QuantMini's graph runs
# a few dozen at once: Flink's default 10 % of a 4 GB task manager ran out ("Insufficient number
# of network buffers").
taskmanager.memory.network.fraction: 0.25
parallelism.default: $PARALLELISM
blob.server.port: $BLOB_PORT
metrics.internal.query-service.port: $QUERY_PORTS
rest.address: $HOST
rest.bind-address: $HOST
rest.port: $REST_PORT
# the shaded jar (~330 MB) must fit a REST upload (default limit 100 MB)
rest.server.max-content-length: 1073741824
io.tmp.dirs: $WORK/tmp
blob.storage.directory: $WORK/blob
web.tmpdir: $WORK/web-tmp
web.upload.dir: $WORK/web-upload
EOF
}

# pid of a JVM we started, only if it is still that JVM (its command line names our conf dir)
live_pid() {
  local file="$WORK/$1.pid" pid
  [[ -s $file ]] || return 1
  pid=$(<"$file")
  [[ -r /proc/$pid/cmdline ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$CONF" && echo "$pid"
}

rest_get() { curl -sf --max-time 3 "$REST$1"; }

port_busy() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# JVM options (line 1) and -D dynamic properties (line 2) computed by Flink from config.yaml
resource_params() {
  java -cp "$1" org.apache.flink.runtime.util.bash.BashJavaUtils "$2" --configDir "$CONF" 2>/dev/null \
    | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p'
}

launch() { # name main-class class-path resource-command [extra dynamic properties]
  local name=$1 main=$2 cp=$3 params jvm dyn
  params=$(resource_params "$cp" "$4") || die "BashJavaUtils $4 failed"
  jvm=$(sed -n 1p <<<"$params")
  dyn="$(sed -n 2p <<<"$params") ${5:-}"
  [[ -n $jvm ]] || die "BashJavaUtils $4 printed nothing; check $CONF/config.yaml"
  (
    if [[ -n ${FLINK_ENV_FILE:-} ]]; then
      set -a; source "$FLINK_ENV_FILE"; set +a
    fi
    # shellcheck disable=SC2086 # jvm and dyn are lists of flags
    exec nohup java $jvm "${JAVA_OPENS[@]}" \
      -Dlog.file="$LOG/$name.log" -Dorg.slf4j.simpleLogger.showDateTime=true \
      -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS \
      -cp "$cp" "$main" --configDir "$CONF" $dyn >"$LOG/$name.log" 2>&1 </dev/null
  ) &
  echo $! >"$WORK/$name.pid"
}

# taskmanager, taskmanager-2, ...: one name per TaskManager JVM
tm_names() {
  local i
  echo taskmanager
  for ((i = 2; i <= TMS; i++)); do echo "taskmanager-$i"; done
}

stop_cluster() {
  local pids=() pid name
  for name in $(tm_names) jobmanager; do
    if pid=$(live_pid "$name"); then pids+=("$pid"); fi
  done
  if ((${#pids[@]})); then
    kill "${pids[@]}" 2>/dev/null || true
    for _ in $(seq 1 30); do
      local alive=()
      for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive+=("$pid"); done
      ((${#alive[@]})) || break
      sleep 0.5
    done
    for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  fi
  rm -f "$WORK"/taskmanager*.pid "$WORK/jobmanager.pid"
}

start() {
  if live_pid jobmanager >/dev/null || live_pid taskmanager >/dev/null || live_pid taskmanager-2 >/dev/null; then
    die "already running (see: $0 status); stop it first"
  fi
  local port i
  local ports=("$REST_PORT" "$RPC_PORT" "$TM_RPC_PORT" "$DATA_PORT" "$BLOB_PORT")
  for ((i = 2; i <= TMS; i++)); do
    ports+=($((TM_EXTRA_PORTS + 2 * (i - 2))) $((TM_EXTRA_PORTS + 2 * (i - 2) + 1)))
  done
  for port in "${ports[@]}"; do
    port_busy "$port" && die "port $HOST:$port is in use; set FLINK_*_PORT (see the script header)"
  done
  local t0 cp t1 overview
  t0=$(now)
  cp=$(classpath)
  write_config
  t1=$(now)
  trap 'log "start failed, stopping"; stop_cluster' EXIT
  trap 'exit 1' INT TERM
  launch jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint "$cp" GET_JM_RESOURCE_PARAMS
  launch taskmanager org.apache.flink.runtime.taskexecutor.TaskManagerRunner "$cp" GET_TM_RESOURCE_PARAMS
  for ((i = 2; i <= TMS; i++)); do
    port=$((TM_EXTRA_PORTS + 2 * (i - 2)))
    launch "taskmanager-$i" org.apache.flink.runtime.taskexecutor.TaskManagerRunner "$cp" GET_TM_RESOURCE_PARAMS \
      "-D taskmanager.rpc.port=$port -D taskmanager.data.port=$((port + 1))"
  done
  local deadline=$((SECONDS + START_TIMEOUT)) name
  until overview=$(rest_get /overview) && [[ $overview =~ \"taskmanagers\":([0-9]+) ]] \
      && ((BASH_REMATCH[1] >= TMS)); do
    live_pid jobmanager >/dev/null || { tail -n 30 "$LOG/jobmanager.log" >&2; die "JobManager exited"; }
    for name in $(tm_names); do
      live_pid "$name" >/dev/null || { tail -n 30 "$LOG/$name.log" >&2; die "TaskManager $name exited"; }
    done
    ((SECONDS < deadline)) || die "no TaskManager registered within ${START_TIMEOUT}s; see $0 logs"
    sleep 0.5
  done
  trap - EXIT INT TERM
  log "up at $REST in $(since "$t0") s (JVMs to ready: $(since "$t1") s): $overview"
}

require_running() {
  rest_get /overview >/dev/null || die "no cluster answers at $REST; run: $0 start"
}

# the newest job in /jobs/overview as "jid state duration_ms name" (plain sed: no jq on every machine)
newest_job() {
  { rest_get /jobs/overview || true; } | { grep -o '{"jid":"[^{]*' || true; } | while IFS= read -r job; do
    field() { sed -n "s/.*\"$1\":\"\{0,1\}\([^\",]*\).*/\1/p" <<<"$job"; }
    echo "$(field start-time) $(field jid) $(field state) $(field duration) $(field name)"
  done | sort -n | tail -n 1 | cut -d' ' -f2-
}

has_flag() { # has_flag --name args...
  local flag=$1 a; shift
  for a in "$@"; do [[ $a == "$flag" || $a == "$flag="* ]] && return 0; done
  return 1
}

submit() {
  [[ $# -ge 1 && -f $1 ]] || die "usage: $0 submit APP.jar [pipeline args...]"
  require_running
  local jar=$1; shift
  local args=("$@")
  has_flag --runner "${args[@]}" || args+=(--runner=FlinkRunner)
  has_flag --flinkMaster "${args[@]}" || args+=("--flinkMaster=$HOST:$REST_PORT")
  has_flag --parallelism "${args[@]}" || args+=("--parallelism=$PARALLELISM")
  local before t0 rc=0 job
  before=$(newest_job | cut -d' ' -f1)
  t0=$(now)
  # shellcheck disable=SC2086 # SUBMIT_JAVA_OPTS is a list of flags
  java ${SUBMIT_JAVA_OPTS:--Xmx1g} -jar "$jar" "${args[@]}" || rc=$?
  local wall
  wall=$(since "$t0")
  job=$(newest_job)
  if [[ -n $job && ${job%% *} != "$before" ]]; then
    read -r jid state duration name <<<"$job"
    log "job $name ($jid): $state, ran $(awk -v d="$duration" 'BEGIN { printf "%.1f", d / 1000 }') s;" \
      "submit wall $wall s (client overhead $(awk -v w="$wall" -v d="$duration" 'BEGIN { printf "%.1f", w - d / 1000 }') s)"
    [[ $state == FINISHED ]] || ((rc)) || rc=1
  else
    log "no new job reached the cluster; submit wall $wall s"
    ((rc)) || rc=1
  fi
  return "$rc"
}

status() {
  local name pid
  for name in jobmanager $(tm_names); do
    if pid=$(live_pid "$name"); then echo "$name: running, pid $pid"; else echo "$name: not running"; fi
  done
  if rest_get /overview; then
    echo
    rest_get /jobs/overview && echo
  else
    echo "REST $REST: no answer"
    return 1
  fi
}

logs() {
  local n=${1:-40} name
  for name in jobmanager $(tm_names); do
    echo "==> $LOG/$name.log <=="
    tail -n "$n" "$LOG/$name.log" 2>/dev/null || echo "(none)"
  done
}

flink_cli() {
  [[ -f $CONF/config.yaml ]] || write_config
  local cp
  cp=$(classpath)
  FLINK_CONF_DIR=$CONF exec java "${JAVA_OPENS[@]}" -cp "$cp" org.apache.flink.client.cli.CliFrontend "$@"
}

cmd=${1:-}
shift || true
case $cmd in
  start) start ;;
  stop) t0=$(now); stop_cluster; log "stopped in $(since "$t0") s" ;;
  status) status ;;
  logs) logs "$@" ;;
  submit) submit "$@" ;;
  flink) flink_cli "$@" ;;
  classpath) classpath ;;
  *) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
