#!/usr/bin/env bash
# Issue #20's comparison: DJL (with and without data-parallel shards) against PyTorch eager with three
# allocator settings, on the quickstart U-Net (3 rounds) and the gd U-Net (2 rounds), 2 threads each.
# Run it on an otherwise idle machine; bench/RESULTS.md holds its output.
cd "$(dirname "$0")/.."
J=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
JE1="LD_PRELOAD=$J MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1"
Q="--base 16 --mult 1,2,2 --res-blocks 1 --attn 7 --heads 4 --dropout 0 --steps 10 --warmup 8"
G="--base 64 --mult 1,2,2 --res-blocks 2 --attn 14,7 --head-channels 32 --scale-shift true --resblock-updown true --learn-sigma true --dropout 0.1 --steps 5 --warmup 3"
echo "== quickstart U-Net, $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)"
bench/compare.sh 3 \
  "djl-train=bench/djl.sh 2 --phase train --batch 32 $Q" \
  "djl-train-1shard=BENCH_JAVA_OPTS=-Ddifflab.shards=1 bench/djl.sh 2 --phase train --batch 32 $Q" \
  "torch-je-train=BENCH_MALLOC=jemalloc bench/torch.sh 2 --phase train --batch 32 $Q" \
  "torch-je1-train=$JE1 bench/torch.sh 2 --phase train --batch 32 $Q" \
  "torch-glibc-train=bench/torch.sh 2 --phase train --batch 32 $Q" \
  "djl-sample=bench/djl.sh 2 --phase sample --batch 64 $Q" \
  "djl-sample-1shard=BENCH_JAVA_OPTS=-Ddifflab.shards=1 bench/djl.sh 2 --phase sample --batch 64 $Q" \
  "torch-je-sample=BENCH_MALLOC=jemalloc bench/torch.sh 2 --phase sample --batch 64 $Q" \
  "torch-je1-sample=$JE1 bench/torch.sh 2 --phase sample --batch 64 $Q" \
  "torch-glibc-sample=bench/torch.sh 2 --phase sample --batch 64 $Q" 2>/dev/null
echo "== gd U-Net, $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)"
bench/compare.sh 2 \
  "djl-train=bench/djl.sh 2 --phase train --batch 16 $G" \
  "djl-train-1shard=BENCH_JAVA_OPTS=-Ddifflab.shards=1 bench/djl.sh 2 --phase train --batch 16 $G" \
  "torch-je1-train=$JE1 bench/torch.sh 2 --phase train --batch 16 $G" \
  "djl-sample=bench/djl.sh 2 --phase sample --batch 32 $G" \
  "djl-sample-1shard=BENCH_JAVA_OPTS=-Ddifflab.shards=1 bench/djl.sh 2 --phase sample --batch 32 $G" \
  "torch-je1-sample=$JE1 bench/torch.sh 2 --phase sample --batch 32 $G" 2>/dev/null
echo "== end $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)"
