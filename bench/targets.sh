#!/usr/bin/env bash
# Issue #20's comparison: DJL (with and without data-parallel shards) against PyTorch eager with three
# allocator settings, on the quickstart U-Net (3 rounds) and the gd U-Net (2 rounds), 2 threads each.
# Both engines get the same warm-up, long enough for the JVM's JIT to finish compiling the step's Java
# code (its compiler threads otherwise compete for the 2 cores in the timed steps; the -warmup8 row
# shows what that costs). The -1t-half rows run one thread on half the batch: one shard's work alone,
# the floor of a sharded step on 2 cores. Run it on an otherwise idle machine; bench/RESULTS.md holds
# its output.
cd "$(dirname "$0")/.."
J=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
JE1="LD_PRELOAD=$J MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1"
Q="--base 16 --mult 1,2,2 --res-blocks 1 --attn 7 --heads 4 --dropout 0 --steps 15 --warmup 60"
G="--base 64 --mult 1,2,2 --res-blocks 2 --attn 14,7 --head-channels 32 --scale-shift true --resblock-updown true --learn-sigma true --dropout 0.1"
GT="$G --steps 5 --warmup 12"
GS="$G --steps 8 --warmup 20"
echo "== quickstart U-Net, $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)"
bench/compare.sh 3 \
  "djl-train=bench/djl.sh 2 --phase train --batch 32 $Q" \
  "djl-train-1shard=BENCH_JAVA_OPTS=-Ddifflab.shards=1 bench/djl.sh 2 --phase train --batch 32 $Q" \
  "torch-je-train=BENCH_MALLOC=jemalloc bench/torch.sh 2 --phase train --batch 32 $Q" \
  "torch-je1-train=$JE1 bench/torch.sh 2 --phase train --batch 32 $Q" \
  "torch-glibc-train=bench/torch.sh 2 --phase train --batch 32 $Q" \
  "djl-sample=bench/djl.sh 2 --phase sample --batch 64 $Q" \
  "djl-sample-warmup8=bench/djl.sh 2 --phase sample --batch 64 $Q --warmup 8" \
  "djl-sample-1shard=BENCH_JAVA_OPTS=-Ddifflab.shards=1 bench/djl.sh 2 --phase sample --batch 64 $Q" \
  "djl-sample-1t-half=BENCH_JAVA_OPTS=-Ddifflab.shards=1 bench/djl.sh 1 --phase sample --batch 32 $Q" \
  "torch-je-sample=BENCH_MALLOC=jemalloc bench/torch.sh 2 --phase sample --batch 64 $Q" \
  "torch-je1-sample=$JE1 bench/torch.sh 2 --phase sample --batch 64 $Q" \
  "torch-je1-sample-1t-half=$JE1 bench/torch.sh 1 --phase sample --batch 32 $Q" \
  "torch-glibc-sample=bench/torch.sh 2 --phase sample --batch 64 $Q" 2>/dev/null
echo "== gd U-Net, $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)"
bench/compare.sh 2 \
  "djl-train=bench/djl.sh 2 --phase train --batch 16 $GT" \
  "djl-train-1shard=BENCH_JAVA_OPTS=-Ddifflab.shards=1 bench/djl.sh 2 --phase train --batch 16 $GT" \
  "torch-je1-train=$JE1 bench/torch.sh 2 --phase train --batch 16 $GT" \
  "djl-sample=bench/djl.sh 2 --phase sample --batch 32 $GS" \
  "djl-sample-1shard=BENCH_JAVA_OPTS=-Ddifflab.shards=1 bench/djl.sh 2 --phase sample --batch 32 $GS" \
  "djl-sample-1t-half=BENCH_JAVA_OPTS=-Ddifflab.shards=1 bench/djl.sh 1 --phase sample --batch 16 $GS" \
  "torch-je1-sample=$JE1 bench/torch.sh 2 --phase sample --batch 32 $GS" \
  "torch-je1-sample-1t-half=$JE1 bench/torch.sh 1 --phase sample --batch 16 $GS" 2>/dev/null
echo "== end $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)"
