#!/usr/bin/env bash
# Crash test of incremental runs (issue 4): SIGKILL the JVM at seeded random moments of an
# incremental run, re-run the same command to completion, and compare with a clean full run.
#
#   runners/crash-test.sh [KILLS]        (default 20; env SEED=42, SESSIONS=40, BASE=35, NO_BUILD=1)
#
# Two kinds of incremental run alternate:
#   odd  i: in-place append  - base = sessions 1..BASE, then `daily` over the rest
#   even i: new Qlib version - base = sessions 1..BASE without session 20 (a gap), then `run`
#           over everything (back-fills session 20 and appends the rest: symlink switch path)
# Output per iteration: kill time, whether the JVM was still running, OK/MISMATCH; at the end
# `kills=N attempts=A mismatches=M seconds=S` (N counts runs still running when killed). Exit status
# 1 on any mismatch or fewer than KILLS real kills. Everything lives in a temp
# folder that is removed on exit.
set -euo pipefail

KILLS=${1:-20}
SEED=${SEED:-42}
SESSIONS=${SESSIONS:-40}
BASE=${BASE:-35}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/quantmini-crash.XXXXXX")
JPID=
cleanup() {
  if [[ -n "$JPID" ]] && kill -0 "$JPID" 2>/dev/null; then kill -9 "$JPID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
START=$(date +%s)

# ---- class path: this worktree's classes (never the shared ~/.m2 snapshots) + third-party jars
if [[ -z "${NO_BUILD:-}" ]]; then
  (cd "$ROOT" && ./mvnw -B -o -q -pl options,transforms,io,pipeline test-compile)
fi
(cd "$ROOT" && ./mvnw -B -o -q -pl pipeline org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$WORK/deps.txt" >/dev/null)
DEPS=$(tr ':' '\n' < "$WORK/deps.txt" | grep -v '/com/quantmini/' | paste -sd: -)
CP="$ROOT/pipeline/target/test-classes:$ROOT/pipeline/target/classes:$ROOT/io/target/classes"
CP="$CP:$ROOT/transforms/target/classes:$ROOT/options/target/classes:$DEPS"
JAVA=(java -Xmx1g -XX:+UseSerialGC -cp "$CP")
COMMON=(--datasets=stocks_daily --symbolBuckets=4 --targetParallelism=2)

qm() { "${JAVA[@]}" com.quantmini.pipeline.QuantMini "$@" "${COMMON[@]}"; }

# ---- input: the first SESSIONS stocknet sessions from 2014-01-02, all tickers
SRC="$ROOT/testdata/stocknet/us_stocks_sip/day_aggs_v1"
mapfile -t FILES < <(cd "$SRC" && find . -name '*.csv.gz' | sort | awk -F/ '$4 >= "2014-01-02"' | head -n "$SESSIONS")
IN="$WORK/in"; GAP="$WORK/in-gap"
# TICKERS (default 16) first tickers of the alphabet keep each run short on a shared machine.
TICKERS=${TICKERS:-16}
KEEP=$(zcat "$SRC/${FILES[0]}" | tail -n +2 | cut -d, -f1 | sort | head -n "$TICKERS" | paste -sd'|' -)
for f in "${FILES[@]}"; do
  mkdir -p "$IN/us_stocks_sip/day_aggs_v1/$(dirname "$f")" "$GAP/us_stocks_sip/day_aggs_v1/$(dirname "$f")"
  zcat "$SRC/$f" | awk -F, -v keep="^($KEEP)\$" 'NR == 1 || $1 ~ keep' | gzip -n > "$IN/us_stocks_sip/day_aggs_v1/$f"
done
session() { basename "${FILES[$1]}" .csv.gz; }
LAST=$(session $((SESSIONS - 1))); CUT=$(session $((BASE - 1))); HOLE=$(session 19)
for ((k = 0; k < BASE; k++)); do
  [[ $k -eq 19 ]] || cp "$IN/us_stocks_sip/day_aggs_v1/${FILES[$k]}" "$GAP/us_stocks_sip/day_aggs_v1/${FILES[$k]}"
done
echo "input: $SESSIONS sessions $(session 0)..$LAST; base runs to $CUT; gap variant lacks $HOLE"

# ---- reference, and the two bases each iteration starts from
qm run --input="$IN" --output="$WORK/ref" --to="$LAST" > "$WORK/ref.log" 2>&1
qm run --input="$IN" --output="$WORK/base-a" --to="$CUT" > "$WORK/base-a.log" 2>&1
qm run --input="$GAP" --output="$WORK/base-b" --to="$CUT" > "$WORK/base-b.log" 2>&1
cmd_a=(daily --input="$IN" --to="$LAST")
cmd_b=(run --input="$IN" --to="$LAST")

# How long an uncrashed incremental run takes: kill moments are spread over it.
timed() { local t0 t1; t0=$(date +%s.%N); "$@" > /dev/null 2>&1; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }
cp -a "$WORK/base-a" "$WORK/probe"; TA=$(timed qm "${cmd_a[@]}" --output="$WORK/probe"); rm -rf "$WORK/probe"
cp -a "$WORK/base-b" "$WORK/probe"; TB=$(timed qm "${cmd_b[@]}" --output="$WORK/probe"); rm -rf "$WORK/probe"
echo "uncrashed incremental run: daily/in-place ${TA}s, run/new-version ${TB}s"

RANDOM=$SEED
mismatches=0
killed=0
# A moment past the end of a run kills nothing: iterate until KILLS runs were really killed
# (at most 2 x KILLS attempts), the extra attempts within the first 80 % of the run.
for ((i = 1; killed < KILLS && i <= 2 * KILLS; i++)); do
  if ((i % 2 == 1)); then mode=a; T=$TA; cmd=("${cmd_a[@]}"); else mode=b; T=$TB; cmd=("${cmd_b[@]}"); fi
  OUT="$WORK/out"
  rm -rf "$OUT"; cp -a "$WORK/base-$mode" "$OUT"
  # Stratified over the run: iteration i's moment falls in the i-th slice of [0.2, T].
  if ((i <= KILLS)); then
    delay=$(echo "scale=3; 0.2 + ($T - 0.2) * ($i - 1 + $((RANDOM % 1000)) / 1000) / $KILLS" | bc)
  else
    delay=$(echo "scale=3; 0.2 + ($T * 0.8 - 0.2) * $((RANDOM % 1000)) / 1000" | bc)
  fi
  "${JAVA[@]}" com.quantmini.pipeline.QuantMini "${cmd[@]}" --output="$OUT" "${COMMON[@]}" > "$WORK/run.log" 2>&1 &
  JPID=$!
  sleep "$delay"
  if kill -0 "$JPID" 2>/dev/null; then state=killed; kill -9 "$JPID" 2>/dev/null || state=finished; else state=finished; fi
  [[ $state == killed ]] && killed=$((killed + 1))
  wait "$JPID" 2>/dev/null || true
  JPID=
  tmps=$(find "$OUT" -name '_tmp-*' | wc -l)
  if ! qm "${cmd[@]}" --output="$OUT" > "$WORK/rerun.log" 2>&1; then
    result="MISMATCH (re-run failed: $(grep -m1 -iE 'exception|error' "$WORK/rerun.log" || tail -1 "$WORK/rerun.log"))"
  elif verdict=$("${JAVA[@]}" com.quantmini.pipeline.SameOutputs "$WORK/ref" "$OUT" stocks_daily 2>/dev/null); then
    result=OK
  else
    result=$(echo "$verdict" | tail -1)
  fi
  [[ $result == OK ]] || mismatches=$((mismatches + 1))
  printf 'kill %2d  mode=%s  at %6.3fs  %-8s  tmp-files-left-by-kill=%-3s  %s\n' "$i" "$mode" "$delay" "$state" "$tmps" "$result"
done
echo "kills=$killed attempts=$((i - 1)) mismatches=$mismatches seconds=$(( $(date +%s) - START ))"
((killed >= KILLS)) || { echo "only $killed of $KILLS runs were still running when killed"; exit 1; }
[[ $mismatches -eq 0 ]]
