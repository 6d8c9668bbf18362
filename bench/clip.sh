#!/usr/bin/env bash
# The CLIP training step in DJL (io.difflab.host.bench.ClipBench, its own JVM) or in PyTorch eager
# (bench/clip_torch.py, Debian's python3-torch), on THREADS threads, with the same settings.
# Usage: [BENCH_MALLOC=launcher|jemalloc|glibc] bench/clip.sh djl|torch THREADS [--key value ...]
set -euo pipefail
side="$1"; threads="$2"; shift 2
cd "$(dirname "$0")/.."
export OMP_NUM_THREADS="$threads"
if [[ "$side" == torch ]]; then
  source bench/malloc.sh
  exec /usr/bin/python3 bench/clip_torch.py --threads "$threads" "$@"
fi
cp=platform/host/target/bench.cp
if [[ ! -f "$cp" || ! -f platform/host/target/classes/io/difflab/host/bench/ClipBench.class ]]; then
  ./mvnw -q -o -pl platform/host -am compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test >&2
fi
BENCH_MALLOC="${BENCH_MALLOC:-launcher}"
source bench/malloc.sh
exec java -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "platform/host/target/classes:platform/kit/target/classes:platform/api/target/classes:$(cat "$cp")" \
  io.difflab.host.bench.ClipBench "$@"
