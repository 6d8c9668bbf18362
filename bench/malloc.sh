# Sourced by djl.sh and torch.sh: BENCH_MALLOC=jemalloc preloads Debian's libjemalloc2 with page
# purging off, so freed tensor memory is reused instead of being unmapped and faulted in again.
if [[ "${BENCH_MALLOC:-glibc}" == jemalloc ]]; then
  lib=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
  [[ -f "$lib" ]] || { echo "BENCH_MALLOC=jemalloc needs $lib (apt-get install libjemalloc2)" >&2; exit 2; }
  export LD_PRELOAD="$lib" MALLOC_CONF="dirty_decay_ms:-1,muzzy_decay_ms:-1"
fi
