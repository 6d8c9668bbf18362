#!/usr/bin/env bash
# Runs io.difflab.host.bench.UNetBench in its own JVM (not Maven's), so that its peak RSS is its own.
# BENCH_CLASSES=dir runs another build's classes (an A/B baseline); BENCH_JAVA_OPTS adds JVM options.
# The JVM's collector is the launcher's (bench/malloc.sh) unless BENCH_JAVA_OPTS names one.
# Usage: [BENCH_MALLOC=launcher|jemalloc|glibc] bench/djl.sh THREADS --phase train|sample [--key value ...]
set -euo pipefail
threads="$1"; shift
cd "$(dirname "$0")/.."
cp=platform/host/target/bench.cp
if [[ ! -f "$cp" || ! -d platform/host/target/classes/io/difflab/host/bench ]]; then
  ./mvnw -q -o -pl platform/host -am compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test >&2
fi
BENCH_MALLOC="${BENCH_MALLOC:-launcher}"
source bench/malloc.sh
export OMP_NUM_THREADS="$threads"
exec java -Xmx512m $launcher_gc -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads=1 \
  ${BENCH_JAVA_OPTS:-} -cp "${BENCH_CLASSES:-platform/host/target/classes:platform/kit/target/classes}:$(cat "$cp")" io.difflab.host.bench.UNetBench "$@"
